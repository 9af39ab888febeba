// The merged chronology: every entry of every submitted IMR of the case, one row each in merged
// order, the agency in its colour and the source prefixed by it. Filters above (agency, flags,
// ToR question, principle, text, date range); the periods no agency was in contact and the days
// several agencies were, beside it; the selected row in full below. One line a row through
// ImGui's list clipper: ten thousand rows cost what the thirty in view cost.
#include <algorithm>
#include <cstdio>

#include "case_panels.hpp"
#include "chronology_rows.hpp"
#include "style.hpp"

namespace imrdesk::ui {
namespace {

// A date a person types in a filter box: "2024", "03/2024", "14/03/2024", "March 2024"; nullopt
// when empty or not understood (error says why).
std::optional<domain::PartialDate> typed_filter_date(const std::string& text, std::string& error) {
    error.clear();
    if (text.find_first_not_of(' ') == std::string::npos) return std::nullopt;
    try {
        return domain::parse_date(text);
    } catch (const domain::DateError& e) {
        error = e.what();
        return std::nullopt;
    }
}

std::string flags_text(const domain::ChronologyEntry& e) {
    std::string out;
    const auto add = [&out](bool on, const char* text) {
        if (on) out += (out.empty() ? "" : " ") + std::string(text);
    };
    add(e.key_practice_episode, "KPE");
    add(e.missed_opportunity, "Missed");
    add(e.good_practice, "Good");
    return out;
}

std::string first_line(const std::string& text) {
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

}  // namespace

void MergedPanel::wipe() noexcept {
    crypto::wipe(text_);
    crypto::wipe(from_);
    crypto::wipe(to_);
}

void MergedPanel::filters(const Frame& f, CaseModel& model) {
    auto& filter = model.filter;
    bool changed = false;
    // Agencies: every one, or those ticked.
    const std::string agencies = filter.agencies.empty() ? "All agencies"
                                                         : std::to_string(filter.agencies.size()) + " of " +
                                                               std::to_string(model.lanes().size()) + " agencies";
    ImGui::SetNextItemWidth(em(11));
    if (ImGui::BeginCombo("##agencies", agencies.c_str())) {
        for (const auto& a : model.lanes()) {
            bool on = filter.agencies.contains(a);
            ImGui::PushStyleColor(ImGuiCol_Text, model.colour(a));
            if (ImGui::Checkbox(a.c_str(), &on)) {
                if (on) filter.agencies.insert(a);
                else filter.agencies.erase(a);
                changed = true;
            }
            ImGui::PopStyleColor();
            track(f, "filter agency " + a);
        }
        ImGui::EndCombo();
    }
    track(f, "Agencies");
    ImGui::SameLine();
    changed |= checkbox(f, "Key practice episodes", filter.key_practice_episode);
    ImGui::SameLine();
    changed |= checkbox(f, "Missed opportunities", filter.missed_opportunity);
    ImGui::SameLine();
    changed |= checkbox(f, "Good practice", filter.good_practice);
    ImGui::SameLine();
    changed |= checkbox(f, "With a note", filter.reviewer_note);
    ImGui::SameLine();
    changed |= checkbox(f, "Open queries", filter.open_query);

    // ToR question and principle.
    const auto* info = model.info();
    const std::string tor = filter.tor_question ? "ToR " + std::to_string(*filter.tor_question) : "Any ToR question";
    ImGui::SetNextItemWidth(em(10));
    if (ImGui::BeginCombo("##tor", tor.c_str())) {
        if (ImGui::Selectable("Any ToR question", !filter.tor_question)) {
            filter.tor_question.reset();
            changed = true;
        }
        if (info != nullptr) {
            for (const auto& q : info->terms_of_reference) {
                std::string label = std::to_string(q.number) + ". " + q.text;
                if (label.size() > 70) label = fit_to_width(label, em(30));
                if (ImGui::Selectable(label.c_str(), filter.tor_question == q.number)) {
                    filter.tor_question = q.number;
                    changed = true;
                }
            }
        }
        ImGui::EndCombo();
    }
    track(f, "ToR question");
    ImGui::SameLine();
    const std::string principle = filter.principle ? std::string(domain::to_string(*filter.principle)) : "Any principle";
    ImGui::SetNextItemWidth(em(9));
    if (ImGui::BeginCombo("##principle", principle.c_str())) {
        if (ImGui::Selectable("Any principle", !filter.principle)) {
            filter.principle.reset();
            changed = true;
        }
        for (const auto p : domain::kAllPrinciples) {
            if (ImGui::Selectable(std::string(domain::to_string(p)).c_str(), filter.principle == p)) {
                filter.principle = p;
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    track(f, "Principle");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em(14));
    if (input_text(f, "##merged filter", text_, 0, "words in any field")) {
        crypto::wipe(filter.text);
        filter.text = text_;
        changed = true;
    }
    track(f, "Merged filter");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("From");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em(7));
    std::string from_error, to_error;
    const bool from_edit = input_text(f, "##from", from_, 0, "dd/mm/yyyy");
    track(f, "Merged from");
    ImGui::SameLine();
    ImGui::TextUnformatted("to");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em(7));
    const bool to_edit = input_text(f, "##to", to_, 0, "dd/mm/yyyy");
    track(f, "Merged to");
    const auto from = typed_filter_date(from_, from_error);
    const auto to = typed_filter_date(to_, to_error);
    if (from_edit || to_edit) {
        filter.from = from ? std::optional(from->first_day()) : std::nullopt;
        filter.to = to ? std::optional(to->last_day()) : std::nullopt;
        changed = true;
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(filter.empty());
    if (button(f, "Clear filters##merged")) {
        crypto::wipe(filter.text);
        filter = {};
        crypto::wipe(text_);
        crypto::wipe(from_);
        crypto::wipe(to_);
        changed = true;
    }
    ImGui::EndDisabled();
    if (changed) model.filter_changed();
    if (!from_error.empty()) error_text("From: " + from_error);
    if (!to_error.empty()) error_text("To: " + to_error);
}

void MergedPanel::side(const Frame& f, CaseModel& model) {
    heading(f, "No contact from any agency");
    muted("Periods longer than " + std::to_string(f.app.settings().gap_threshold_days) + " days between entries");
    std::optional<std::size_t> select;
    if (model.gaps().empty()) muted("None.");
    for (std::size_t i = 0; i < model.gaps().size(); ++i) {
        const auto& g = model.gaps()[i];
        const std::string label = uk_typed_date(g.from) + " to " + uk_typed_date(g.to) + " (" + std::to_string(g.days) +
                                  " days)##gap" + std::to_string(i);
        if (selectable(f, label.c_str(), false)) {
            // The first row after the gap.
            const auto day = static_cast<std::int32_t>(g.to.days_since_epoch());
            for (std::size_t r = 0; r < model.rows().size(); ++r)
                if (model.first_day(r) >= day) {
                    select = r;
                    break;
                }
        }
        track(f, "gap " + std::to_string(i));
    }
    ImGui::Spacing();
    heading(f, "Days several agencies were involved");
    if (model.busy_days().empty()) muted("None.");
    for (std::size_t i = 0; i < model.busy_days().size(); ++i) {
        const auto& b = model.busy_days()[i];
        std::string names;
        for (const auto& a : b.agencies) names += (names.empty() ? "" : ", ") + a;
        const std::string label = uk_typed_date(b.day) + ": " + std::to_string(b.agencies.size()) + " agencies##busy" + std::to_string(i);
        if (selectable(f, label.c_str(), false)) {
            const auto day = static_cast<std::int32_t>(b.day.days_since_epoch());
            for (std::size_t r = 0; r < model.rows().size(); ++r)
                if (model.first_day(r) == day) {
                    select = r;
                    break;
                }
        }
        track(f, "busy " + std::to_string(i));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", names.c_str());
    }
    if (select) {
        model.select(select);
        model.scroll_to_selected = true;
    }
}

void MergedPanel::draw(const Frame& f, CaseModel& model, RowDetail& detail) {
    filters(f, model);
    const auto& shown = model.shown();
    char count[96];
    std::snprintf(count, sizeof count, "Showing %zu of %zu rows", shown.size(), model.rows().size());
    ImGui::AlignTextToFramePadding();
    muted(count);
    track(f, std::string("merged count: ") + count);
    ImGui::SameLine();
    if (button(f, side_open_ ? "Hide gaps and busy days" : "Gaps and busy days")) side_open_ = !side_open_;

    const float side_width = side_open_ ? em(17) : 0.0f;
    const float avail = ImGui::GetContentRegionAvail().y;
    // The selected row's detail takes more room when there is one to read and act on.
    const float table_height = model.selected() ? std::max(em(7), avail * 0.45f) : std::max(em(8), avail * 0.62f);
    ImGui::BeginChild("merged_main", ImVec2(side_open_ ? -side_width - ImGui::GetStyle().ItemSpacing.x : 0, 0), false);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Resizable;
    std::optional<std::size_t> clicked;
    if (ImGui::BeginTable("merged", 5, flags, ImVec2(0, table_height))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Date", ImGuiTableColumnFlags_WidthFixed, em(8.5f));
        ImGui::TableSetupColumn("Agency: source", ImGuiTableColumnFlags_WidthStretch, 2.2f);
        ImGui::TableSetupColumn("Event", ImGuiTableColumnFlags_WidthStretch, 4.0f);
        ImGui::TableSetupColumn("Flags", ImGuiTableColumnFlags_WidthFixed, em(6));
        ImGui::TableSetupColumn("Marks", ImGuiTableColumnFlags_WidthFixed, em(4.5f));
        ImGui::TableHeadersRow();
        const float row_height = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2;
        const auto selected = model.selected();
        if (model.scroll_to_selected && selected) {
            const auto at = std::find(shown.begin(), shown.end(), static_cast<std::uint32_t>(*selected));
            if (at != shown.end()) {
                const float y = static_cast<float>(at - shown.begin()) * row_height;
                ImGui::SetScrollY(std::max(0.0f, y - ImGui::GetWindowHeight() / 3));
            }
            model.scroll_to_selected = false;
        }
        // Keyboard: Up and Down move the selection while the table has the focus.
        if (ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows) && !ImGui::IsAnyItemActive() && !shown.empty()) {
            const bool down = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow));
            const bool up = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow));
            if (down || up) {
                auto at = selected ? std::find(shown.begin(), shown.end(), static_cast<std::uint32_t>(*selected)) : shown.end();
                std::size_t pos = at == shown.end() ? 0 : static_cast<std::size_t>(at - shown.begin());
                if (at != shown.end()) pos = down ? std::min(pos + 1, shown.size() - 1) : (pos == 0 ? 0 : pos - 1);
                clicked = shown[pos];
                model.scroll_to_selected = true;
            }
        }
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(shown.size()), row_height);
        std::string text;
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const std::size_t r = shown[static_cast<std::size_t>(i)];
                const auto& row = model.rows()[r];
                const auto& e = row.entry->value;
                ImGui::TableNextRow(0, row_height);
                ImGui::PushID(static_cast<int>(r));
                ImGui::TableNextColumn();
                text = merged_date(e);
                if (e.time) text += " " + e.time->text();
                const bool is_selected = selected == r;
                if (ImGui::Selectable(text.c_str(), is_selected, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
                    clicked = r;
                if (f.items != nullptr) track(f, "merged row " + std::to_string(i));
                if (ImGui::IsItemHovered()) {
                    ImGui::BeginTooltip();
                    ImGui::PushTextWrapPos(em(32));
                    ImGui::PushStyleColor(ImGuiCol_Text, model.colour(row.agency));
                    ImGui::TextUnformatted(client::prefixed_source(row.agency, e.source).c_str());
                    ImGui::PopStyleColor();
                    ImGui::TextUnformatted(e.event.c_str());
                    ImGui::PopTextWrapPos();
                    ImGui::EndTooltip();
                }
                // The source prefixed by the agency (its short name, in its colour).
                ImGui::TableNextColumn();
                const std::string prefix = model.short_name(model.lane(r)) + ":";
                const float width = ImGui::GetContentRegionAvail().x;
                const std::string shown_prefix = fit_to_width(prefix, width);
                ImGui::PushStyleColor(ImGuiCol_Text, model.colour(row.agency));
                ImGui::TextUnformatted(shown_prefix.c_str());
                ImGui::PopStyleColor();
                const float used = ImGui::CalcTextSize(shown_prefix.c_str()).x + ImGui::CalcTextSize(" ").x;
                if (shown_prefix == prefix && used < width && !e.source.empty()) {
                    ImGui::SameLine(0, ImGui::CalcTextSize(" ").x);
                    ImGui::TextUnformatted(fit_to_width(e.source, width - used).c_str());
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fit_to_width(first_line(e.event), ImGui::GetContentRegionAvail().x).c_str());
                ImGui::TableNextColumn();
                const auto flags_cell = flags_text(e);
                if (!flags_cell.empty()) {
                    ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
                    ImGui::TextUnformatted(flags_cell.c_str());
                    ImGui::PopStyleColor();
                }
                ImGui::TableNextColumn();
                std::string marks;
                if (row.imr->review_note(row.entry->id) != nullptr) marks += "Note";
                const std::string on = "entry:" + row.entry->id.hex();
                if (row.imr->queries_on(on) > 0) marks += (marks.empty() ? "" : " ") + std::string("Q");
                if (!marks.empty()) muted(marks);
                ImGui::PopID();
            }
        }
        ImGui::EndTable();
    }
    track(f, "merged table");
    if (clicked) model.select(clicked);
    if (shown.empty() && !model.rows().empty()) muted("No row passes these filters. Clear filters to see every row.");
    ImGui::BeginChild("merged_detail", ImVec2(0, 0), true);
    detail.draw(f, model);
    ImGui::EndChild();
    ImGui::EndChild();
    if (side_open_) {
        ImGui::SameLine();
        ImGui::BeginChild("merged_side", ImVec2(0, 0), true);
        side(f, model);
        ImGui::EndChild();
    }
}

}  // namespace imrdesk::ui
