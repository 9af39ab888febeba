#pragma once
// The names register at work: where registered real names occur in an IMR, what looks like a
// name that is not registered, and the adults of the header proposed for the register. Every
// text an export writes is visited (for_each_text), so a scan that finds nothing means an
// anonymised export leaves no registered name behind.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/client/quality.hpp"
#include "imrdesk/client/workspace.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "imrdesk/shared/pseudonyms.hpp"

namespace imrdesk::client {

struct NameFinding {
    Place place;
    std::string label;      // "Summary of involvement", "Chronology, 14 March 2024: event"
    std::string text;       // the name as written there
    bool registered = false;
    std::string pseudonym;  // registered: what it becomes
    std::string why;        // not registered: why it looks like a name
    std::size_t offset = 0; // in the field's text
    std::string context;    // the words around it, on one line
};

// Calls visit(place, label, text) for every piece of text of the IMR an export may write: the
// header's fields, every section's text and not-applicable reason, every field of every
// chronology entry (its extra fields too), recommendations, glossary and endorsement.
void for_each_text(const ImrDocument& doc, const domain::ImrTemplate& imr_template,
                   const std::function<void(const Place&, const std::string& label, std::string_view text)>& visit);

[[nodiscard]] domain::Pseudonymiser pseudonymiser_of(const ImrDocument& doc);

// Registered names first, then likely names that are not registered, in reading order.
[[nodiscard]] std::vector<NameFinding> scan_names(const ImrDocument& doc, const domain::ImrTemplate& imr_template,
                                                  const std::function<bool(std::string_view)>& known_word);

// The adults of the header that are not registered, each with a pseudonym to propose ("Adult A",
// "Adult B" ..., skipping pseudonyms in use).
[[nodiscard]] std::vector<domain::NameEntry> proposed_names(const ImrDocument& doc);

// The first of "Adult A" ... "Adult Z" (then "Adult 27", ...) that no registered name uses.
[[nodiscard]] std::string next_free_pseudonym(const ImrDocument& doc);

}  // namespace imrdesk::client
