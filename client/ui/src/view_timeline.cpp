// The timeline: one lane per agency, each entry a mark in its agency's colour at its date (a
// range or a partial date also as a bar over the days it may cover); key practice episodes and
// missed opportunities stand out by shape and size, not by colour alone. The periods no agency
// was in contact are shaded. The wheel zooms about the pointer, dragging pans, + and - and the
// arrow keys do the same from the keyboard; a click on a mark selects its entry, shown in full
// below (and in the merged table). The marks follow the merged chronology's filters. Drawn with
// ImGui's draw list: marks that would fall on the same pixel of a lane are drawn once.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "case_panels.hpp"
#include "style.hpp"

namespace imrdesk::ui {
namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

ImU32 with_alpha(ImVec4 c, float a) {
    c.w = a;
    return ImGui::GetColorU32(c);
}

}  // namespace

void TimelinePanel::draw(const Frame& f, CaseModel& model, RowDetail& detail) {
    const auto& rows = model.rows();
    const auto& shown = model.shown();
    const auto& lanes = model.lanes();
    // The whole span: every entry, and the review period when the case gives one.
    std::int32_t first = 0, last = 0;
    bool any = false;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (!any || model.first_day(r) < first) first = model.first_day(r);
        if (!any || model.last_day(r) > last) last = model.last_day(r);
        any = true;
    }
    if (const auto* info = model.info()) {
        if (info->period_from) {
            const auto d = static_cast<std::int32_t>(info->period_from->days_since_epoch());
            first = any ? std::min(first, d) : d;
            any = true;
        }
        if (info->period_to) {
            const auto d = static_cast<std::int32_t>(info->period_to->days_since_epoch());
            last = any ? std::max(last, d) : d;
            any = true;
        }
    }
    if (!any) {
        muted("No entries yet: the timeline fills as agencies submit their IMRs.");
        return;
    }
    const double whole_from = first - 15.0, whole_days = std::max(60.0, static_cast<double>(last - first) + 31.0);
    if (model.view_days <= 0) {
        model.view_from = whole_from;
        model.view_days = whole_days;
    }
    const auto zoom_about = [&model](double day, double factor) {
        const double days = std::clamp(model.view_days * factor, 14.0, 365.0 * 60);
        model.view_from = day - (day - model.view_from) * (days / model.view_days);
        model.view_days = days;
    };

    // Controls.
    if (button(f, "Zoom in (+)")) zoom_about(model.view_from + model.view_days / 2, 1 / 1.5);
    ImGui::SameLine();
    if (button(f, "Zoom out (-)")) zoom_about(model.view_from + model.view_days / 2, 1.5);
    ImGui::SameLine();
    if (button(f, "Whole period")) {
        model.view_from = whole_from;
        model.view_days = whole_days;
    }
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    muted("Wheel: zoom.  Drag or Left/Right: move.  Click a mark to read its entry.");

    const float label_width = em(11);
    const float lane_height = em(2.2f);
    const float axis_height = ImGui::GetTextLineHeightWithSpacing() * 1.6f;
    const float width = ImGui::GetContentRegionAvail().x;
    const float height = lane_height * static_cast<float>(std::max<std::size_t>(lanes.size(), 1)) + axis_height;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("timeline", ImVec2(width, height));
    track(f, "timeline");
    const bool hovered = ImGui::IsItemHovered();
    const bool active = ImGui::IsItemActive();
    const float x0 = origin.x + label_width, x1 = origin.x + width;
    const double px_per_day = static_cast<double>(x1 - x0) / model.view_days;
    const auto x_of = [&](double day) { return x0 + static_cast<float>((day - model.view_from) * px_per_day); };
    const auto day_of = [&](float x) { return model.view_from + static_cast<double>(x - x0) / px_per_day; };

    ImGuiIO& io = ImGui::GetIO();
    if (hovered && io.MouseWheel != 0 && io.MousePos.x >= x0)
        zoom_about(day_of(io.MousePos.x), io.MouseWheel > 0 ? 1 / 1.25 : 1.25);
    if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, em(0.3f))) {
        model.view_from -= static_cast<double>(io.MouseDelta.x) / px_per_day;
    }
    if ((hovered || ImGui::IsItemFocused()) && !ImGui::IsAnyItemActive()) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) model.view_from -= model.view_days / 8;
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) model.view_from += model.view_days / 8;
        for (const unsigned c : io.InputQueueCharacters) {
            if (c == '+' || c == '=') zoom_about(model.view_from + model.view_days / 2, 1 / 1.5);
            if (c == '-') zoom_about(model.view_from + model.view_days / 2, 1.5);
        }
    }

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec4 text = ImGui::GetStyleColorVec4(ImGuiCol_Text);
    const ImVec4 faint = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    const float lanes_bottom = origin.y + lane_height * static_cast<float>(lanes.size());
    draw->PushClipRect(origin, ImVec2(x1, origin.y + height), true);
    // Lanes: alternate shading, the agency's name in its colour.
    for (std::size_t l = 0; l < lanes.size(); ++l) {
        const float y = origin.y + lane_height * static_cast<float>(l);
        if (l % 2 == 1)
            draw->AddRectFilled(ImVec2(origin.x, y), ImVec2(x1, y + lane_height),
                                ImGui::GetColorU32(ImGuiCol_TableRowBgAlt));
        const std::string name = fit_to_width(model.short_name(l), label_width - em(0.6f));
        draw->AddText(ImVec2(origin.x + em(0.2f), y + (lane_height - ImGui::GetTextLineHeight()) / 2),
                      ImGui::GetColorU32(model.colour(lanes[l])), name.c_str());
    }
    draw->PopClipRect();
    // The lane's whole agency name, over its (perhaps shortened) label.
    if (hovered && io.MousePos.x < x0 && io.MousePos.y < lanes_bottom && !lanes.empty()) {
        const auto l = static_cast<std::size_t>(std::max(0.0f, (io.MousePos.y - origin.y) / lane_height));
        if (l < lanes.size()) ImGui::SetTooltip("%s", lanes[l].c_str());
    }
    draw->PushClipRect(ImVec2(x0, origin.y), ImVec2(x1, origin.y + height), true);
    // Periods no agency was in contact: shaded across every lane.
    for (const auto& g : model.gaps()) {
        const float gx0 = x_of(static_cast<double>(g.from.days_since_epoch())), gx1 = x_of(static_cast<double>(g.to.days_since_epoch()));
        if (gx1 < x0 || gx0 > x1) continue;
        draw->AddRectFilled(ImVec2(gx0, origin.y), ImVec2(gx1, lanes_bottom), with_alpha(palette().warning, 0.10f));
    }
    // The axis: months, or years when months would crowd.
    {
        const double month_px = px_per_day * 30.4;
        const double label_px = static_cast<double>(em(3.5f));
        const bool months = month_px >= static_cast<double>(em(3.2f));
        const int year_step = px_per_day * 365 >= label_px ? 1 : px_per_day * 365 * 5 >= label_px ? 5 : 10;
        const auto start = domain::CivilDate::from_days(static_cast<std::int64_t>(std::floor(model.view_from)));
        int y = start.year, m = months ? start.month : 1;
        float last_label_end = -1e9f;
        if (!months) y -= y % year_step;
        for (int guard = 0; guard < 2000; ++guard) {
            const domain::CivilDate d{y, m, 1};
            const double day = static_cast<double>(d.days_since_epoch());
            if (day > model.view_from + model.view_days) break;
            const float x = x_of(day);
            const bool year_tick = m == 1;
            draw->AddLine(ImVec2(x, origin.y), ImVec2(x, lanes_bottom + em(0.3f)),
                          with_alpha(faint, year_tick ? 0.55f : 0.25f), year_tick ? 1.5f : 1.0f);
            char label[16];
            if (months) std::snprintf(label, sizeof label, m == 1 ? "%s %d" : "%s", kMonths[m - 1], y);
            else std::snprintf(label, sizeof label, "%d", y);
            if (months && m != 1) std::snprintf(label, sizeof label, "%s", kMonths[m - 1]);
            // A label cut by the edge, or running into the one before, would mislead: left out.
            const float label_end = x + em(0.2f) + ImGui::CalcTextSize(label).x;
            if (label_end <= x1 && x + em(0.2f) >= last_label_end + em(0.4f)) {
                draw->AddText(ImVec2(x + em(0.2f), lanes_bottom + em(0.3f)), ImGui::GetColorU32(faint), label);
                last_label_end = label_end;
            }
            if (months) {
                if (++m > 12) {
                    m = 1;
                    ++y;
                }
            } else {
                y += year_step;
            }
        }
    }
    // The marks.
    const float r_mark = em(0.3f), r_key = em(0.45f);
    // Per lane and shape (entry, key practice episode, missed opportunity, both; and range bars):
    // the pixel last drawn. Marks that would land on it again are drawn once.
    std::vector<std::array<float, 5>> last_x(lanes.size(), {-1e9f, -1e9f, -1e9f, -1e9f, -1e9f});
    std::vector<float> last_bar_end(lanes.size(), -1e9f);
    std::optional<std::size_t> hover_row;
    float hover_distance = em(0.7f);
    const auto selected = model.selected();
    std::size_t tracked = 0;
    const double view_to = model.view_from + model.view_days;
    for (const auto r32 : shown) {
        const std::size_t r = r32;
        if (model.last_day(r) < model.view_from || model.first_day(r) > view_to) continue;
        const auto& e = rows[r].entry->value;
        const std::size_t l = model.lane(r);
        const float cy = origin.y + lane_height * (static_cast<float>(l) + 0.5f);
        const float x = x_of(model.first_day(r) + 0.5);
        const ImVec4 c = model.colour(rows[r].agency);
        const bool key = e.key_practice_episode, missed = e.missed_opportunity;
        if (model.last_day(r) > model.first_day(r)) {  // a range or a partial date: the days it may cover
            const float xe = x_of(model.last_day(r) + 1.0);
            if (xe - x > 2 && !(x >= last_x[l][4] - 1.0f && xe <= last_bar_end[l] + 1.0f)) {  // not within the last bar
                draw->AddRectFilled(ImVec2(x, cy - r_mark * 0.35f), ImVec2(xe, cy + r_mark * 0.35f), with_alpha(c, 0.35f));
                last_x[l][4] = x;
                last_bar_end[l] = xe;
            }
        }
        const std::size_t shape = (key ? 1u : 0u) + (missed ? 2u : 0u);
        const bool same_pixel = std::abs(x - last_x[l][shape]) < 1.0f;
        if (same_pixel && selected != r) continue;  // drawn already
        last_x[l][shape] = x;
        if (!key && !missed) {
            draw->AddCircleFilled(ImVec2(x, cy), r_mark, ImGui::GetColorU32(c), 12);
        } else if (key) {
            // A key practice episode: a large diamond outlined in the text colour.
            const ImVec2 pts[4] = {{x, cy - r_key}, {x + r_key, cy}, {x, cy + r_key}, {x - r_key, cy}};
            draw->AddConvexPolyFilled(pts, 4, ImGui::GetColorU32(c));
            draw->AddPolyline(pts, 4, ImGui::GetColorU32(text), ImDrawFlags_Closed, 1.5f);
            if (missed) draw->AddLine(ImVec2(x - r_key * 0.5f, cy), ImVec2(x + r_key * 0.5f, cy), ImGui::GetColorU32(text), 2.0f);
        } else {
            // A missed opportunity: a large triangle pointing down, outlined.
            const ImVec2 a(x - r_key, cy - r_key * 0.8f), b(x + r_key, cy - r_key * 0.8f), d(x, cy + r_key);
            draw->AddTriangleFilled(a, b, d, ImGui::GetColorU32(c));
            draw->AddTriangle(a, b, d, ImGui::GetColorU32(text), 1.5f);
        }
        if (selected == r) draw->AddCircle(ImVec2(x, cy), r_key + em(0.2f), ImGui::GetColorU32(text), 20, 2.0f);
        if (f.items != nullptr && tracked < 200) {
            (*f.items)["mark " + rows[r].entry->id.hex()] = Rect{x - r_mark, cy - r_mark, x + r_mark, cy + r_mark};
            ++tracked;
        }
        if (hovered) {
            const float d = std::hypot(io.MousePos.x - x, io.MousePos.y - cy);
            if (d < hover_distance) {
                hover_distance = d;
                hover_row = r;
            }
        }
    }
    draw->PopClipRect();
    if (hover_row) {
        const auto& row = rows[*hover_row];
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(em(30));
        ImGui::PushStyleColor(ImGuiCol_Text, model.colour(row.agency));
        ImGui::TextUnformatted(row.agency.c_str());
        ImGui::PopStyleColor();
        ImGui::TextUnformatted(row.entry->value.date.display().c_str());
        ImGui::TextUnformatted(fit_to_width(row.entry->value.event, em(60)).c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
        // A click, not the end of a drag.
        if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[0] < em(0.3f) * em(0.3f)) {
            model.select(hover_row);
            model.scroll_to_selected = true;
        }
    }
    // The legend.
    muted("Circle: an entry.  Diamond: key practice episode.  Triangle: missed opportunity.  Shaded: no agency in contact.");
    std::size_t in_view = 0;
    for (const auto r : shown)
        if (model.last_day(r) >= model.view_from && model.first_day(r) <= view_to) ++in_view;
    ImGui::SameLine();
    muted("(" + count_of(in_view, "entry", "entries") + " in view)");
    track(f, "timeline count");
    ImGui::BeginChild("timeline_detail", ImVec2(0, 0), true);
    detail.draw(f, model);
    ImGui::EndChild();
}

}  // namespace imrdesk::ui
