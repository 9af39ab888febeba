#pragma once
// Quality help for authors: abbreviations that need expanding or a glossary entry, silent gaps in
// the chronology, and the pre-submission check. Every finding says where it is, so the UI can
// lead the author to it.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "imrdesk/client/workspace.hpp"
#include "imrdesk/shared/imr_template.hpp"

namespace imrdesk::client {

// Where a finding is: a section, a chronology entry field, a recommendation, the header ...
struct Place {
    enum class Kind { Header, Section, Entry, Recommendation, Glossary, Endorsement, Chronology };
    Kind kind = Kind::Section;
    std::string section_key;  // Section (and the template key of other kinds, for navigation)
    domain::Id id;            // Entry, Recommendation, Glossary
    std::string field;        // "event", "source" ...
    friend bool operator==(const Place&, const Place&) = default;
};

struct KnownAbbreviation {
    std::string_view abbreviation;
    std::string_view expansion;
};

// The built-in list of common UK health, social care and police abbreviations.
[[nodiscard]] const std::vector<KnownAbbreviation>& known_abbreviations();
[[nodiscard]] std::optional<std::string_view> expansion_of(std::string_view abbreviation);

struct AbbreviationFinding {
    Place place;
    std::size_t offset = 0;  // bytes into the field's text
    std::size_t length = 0;
    std::string token;                     // "DNA"
    std::optional<std::string> expansion;  // from the built-in list, when known
};

// Abbreviations in one text: tokens of the built-in list and other all-capital tokens of 2 to 6
// letters (with & / or digits, e.g. A&E, S42). Tokens in the IMR's glossary are not findings.
[[nodiscard]] std::vector<AbbreviationFinding> find_abbreviations(std::string_view text, const Place& place,
                                                                  const std::vector<Stored<domain::GlossaryEntry>>& glossary);
// Every abbreviation in an IMR's sections and chronology.
[[nodiscard]] std::vector<AbbreviationFinding> find_abbreviations(const ImrDocument& doc);

// Replaces text[offset, offset+length) by "Expansion (ABBR)" and returns the new text.
[[nodiscard]] std::string expand_in_place(std::string_view text, const AbbreviationFinding& finding,
                                          std::string_view expansion);

struct Gap {
    domain::CivilDate from;  // first day with no entry
    domain::CivilDate to;    // last day with no entry
    int days = 0;
    bool acknowledged = false;  // a "no agency contact" entry covers it
};

// Periods inside the review period (or between the first and last entry when the case has none)
// longer than threshold_days with no entry.
[[nodiscard]] std::vector<Gap> find_gaps(const ImrDocument& doc);

// The entry that acknowledges a gap: a stated period of no agency contact.
[[nodiscard]] domain::ChronologyEntry no_contact_entry(const Gap& gap, std::string statement, std::string source);

struct CheckFinding {
    CheckFinding() = default;
    CheckFinding(domain::Severity severity_, std::string message_, Place place_, std::string group_ = {},
                 std::string location_ = {})
        : severity(severity_), message(std::move(message_)), place(std::move(place_)), group(std::move(group_)),
          location(std::move(location_)) {}

    domain::Severity severity = domain::Severity::Error;
    std::string message;   // the whole finding, place included ("Summary: 'GP' is an abbreviation...")
    Place place;
    // Findings that say the same thing in many places share a group ("'GP' is an abbreviation.
    // Expand it, or add it to the glossary"); `location` is then what tells them apart ("Summary").
    // Both are empty for a finding that stands alone.
    std::string group;
    std::string location;
};

// Everything that should be right before an IMR goes for endorsement: sections complete or not
// applicable with a reason; entries with a source and a date inside the review period; gaps
// acknowledged; abbreviations expanded or in the glossary; recommendations few (warning above
// five), each with owner, target date and resources.
[[nodiscard]] std::vector<CheckFinding> presubmission_check(const ImrDocument& doc, const domain::ImrTemplate& imr_template);

}  // namespace imrdesk::client
