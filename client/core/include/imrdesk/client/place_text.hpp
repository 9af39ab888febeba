#pragma once
// The text at a place of an IMR (a section or its reason for not applying, a chronology entry's
// field, a recommendation's field), and changing it there through the workspace: the use case
// behind every finding that leads to its place and fixes it (an abbreviation expanded, a word
// respelt, a name replaced by its pseudonym), for the app and any other front end.
#include <functional>
#include <string>
#include <string_view>

#include "imrdesk/client/quality.hpp"
#include "imrdesk/client/workspace.hpp"

namespace imrdesk::client {

// The text field of an entry by its name (const or not), or nullptr.
template <typename Entry>
auto entry_field(Entry& e, std::string_view field) -> decltype(&e.event) {
    if (field == "event") return &e.event;
    if (field == "action") return &e.action;
    if (field == "rationale") return &e.rationale;
    if (field == "outcome") return &e.outcome;
    if (field == "practitioner_role") return &e.practitioner_role;
    if (field == "comment") return &e.comment;
    if (field == "agency") return &e.agency;
    if (field == "contact_type") return &e.contact_type;
    if (field == "source") return &e.source;
    return nullptr;
}

// The text field of a recommendation by its name ("text" when none is named), or nullptr.
template <typename Recommendation>
auto recommendation_field(Recommendation& r, std::string_view field) -> decltype(&r.text) {
    if (field.empty() || field == "text") return &r.text;
    if (field == "owner_role") return &r.owner_role;
    if (field == "resources") return &r.resources;
    if (field == "measure") return &r.measure;
    return nullptr;
}

// The text at a place of the IMR, or nullptr (the header, the glossary, a deleted record).
[[nodiscard]] const std::string* text_at(const ImrDocument& doc, const Place& place);

// Changes the text at a place of IMR `imr` in one save (audited, synced like any edit): `edit`
// gets a copy of the current text and returns false when it is no longer what the finding saw.
// Returns false, saving nothing, when it did or when the place holds no text any more (deleted
// since). Throws what the workspace throws (a read-only IMR, an invalid entry).
bool edit_text_at(Workspace& workspace, const domain::Id& imr, const Place& place,
                  const std::function<bool(std::string&)>& edit);

}  // namespace imrdesk::client
