#pragma once
// What to call a place of the IMR, and a change of the text there from a view: the use case
// (client/place_text.hpp) through App::apply, the author told when the text changed since, the
// section editor's draft kept in step. Shared by the views whose findings lead to their place and
// change it there (Quality check, Names).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/client/app.hpp"
#include "imrdesk/client/place_text.hpp"
#include "imrdesk/client/quality.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "imrdesk/ui/ui.hpp"

namespace imrdesk::ui {

using client::entry_field;
using client::recommendation_field;
using client::text_at;

// "event", "action taken", "practitioner's role" ...
[[nodiscard]] std::string field_label(std::string_view field);

// Where a place is, in words: the section's heading, "Chronology entry 3 (14 March 2024), event",
// "Recommendation 2".
[[nodiscard]] std::string place_label(const client::ImrDocument& doc, const client::Place& place,
                                      const std::vector<domain::OutlineItem>& outline);

enum class TextChange {
    Changed,       // saved through the workspace (audited, synced), the section editor's draft updated
    ChangedSince,  // the text is no longer what the finding saw: nothing saved, the author is told
    Failed,        // refused (read-only, invalid): App::apply told the author why
};

// Changes the text at a place (client::edit_text_at) as one of the author's actions. `edit`
// returns false when the text is no longer what the finding saw (edited since).
TextChange change_text_at(client::App& app, const domain::Id& imr, const std::string& what, const client::Place& place,
                          const std::function<bool(std::string&)>& edit);

}  // namespace imrdesk::ui
