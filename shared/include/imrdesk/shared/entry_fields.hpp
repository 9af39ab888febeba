#pragma once
// A chronology entry's text fields, once: their keys (as in the record's JSON and in a quality
// finding's place), what the author calls them, and where they are. Search, the names scan,
// validation, the abbreviation check, the quality view and the entry panel all go through it.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "imrdesk/shared/model.hpp"

namespace imrdesk::domain {

struct EntryTextField {
    std::string_view key;    // "practitioner_role"
    std::string_view label;  // "Practitioner's role" (in a sentence: lower-case the first letter)
    std::string ChronologyEntry::*member;
    bool narrative;  // written prose (event, action ...), not a name or reference (source, agency)
};

inline constexpr std::array<EntryTextField, 9> kEntryTextFields{{
    {"agency", "Agency", &ChronologyEntry::agency, false},
    {"contact_type", "Type of contact", &ChronologyEntry::contact_type, false},
    {"source", "Source", &ChronologyEntry::source, false},
    {"event", "Event", &ChronologyEntry::event, true},
    {"action", "Action taken", &ChronologyEntry::action, true},
    {"rationale", "Rationale", &ChronologyEntry::rationale, true},
    {"outcome", "Outcome", &ChronologyEntry::outcome, true},
    {"practitioner_role", "Practitioner's role", &ChronologyEntry::practitioner_role, true},
    {"comment", "Comment (analysis)", &ChronologyEntry::comment, true},
}};

// The field with this key, or nullptr.
[[nodiscard]] constexpr const EntryTextField* entry_text_field(std::string_view key) noexcept {
    for (const auto& f : kEntryTextFields)
        if (f.key == key) return &f;
    return nullptr;
}

// The label as it reads inside a sentence ("practitioner's role").
[[nodiscard]] inline std::string in_sentence(std::string_view label) {
    std::string out(label);
    if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z' && !(out.size() > 1 && out[1] >= 'A' && out[1] <= 'Z'))
        out[0] = static_cast<char>(out[0] - 'A' + 'a');
    return out;
}

}  // namespace imrdesk::domain
