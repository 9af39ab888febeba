#pragma once
// The text at a place of the IMR (a section, a chronology entry's field, a recommendation), what
// to call that place, and one change of it through the workspace: shared by the views whose
// findings lead to their place and change it there (Quality check, Names).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/client/app.hpp"
#include "imrdesk/client/quality.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "imrdesk/ui/ui.hpp"

namespace imrdesk::ui {

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

// "event", "action taken", "practitioner's role" ...
[[nodiscard]] std::string field_label(std::string_view field);

// The text at a place of the IMR, or nullptr (the header, the glossary, a deleted record).
[[nodiscard]] const std::string* text_at(const client::ImrDocument& doc, const client::Place& place);

// Where a place is, in words: the section's heading, "Chronology entry 3 (14 March 2024), event",
// "Recommendation 2".
[[nodiscard]] std::string place_label(const client::ImrDocument& doc, const client::Place& place,
                                      const std::vector<domain::OutlineItem>& outline);

enum class TextChange {
    Changed,       // saved through the workspace (audited, synced), the section editor's draft updated
    ChangedSince,  // the text is no longer what the finding saw: nothing saved, the author is told
    Failed,        // refused (read-only, invalid): App::apply told the author why
};

// Changes the text at a place through the workspace. `edit` returns false when the text is no
// longer what the finding saw (edited since).
TextChange change_text_at(client::App& app, const domain::Id& imr, const std::string& what, const client::Place& place,
                          const std::function<bool(std::string&)>& edit);

}  // namespace imrdesk::ui
