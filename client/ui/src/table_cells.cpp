#include "table_cells.hpp"

#include <algorithm>

#include <imgui_internal.h>

#include "chronology_panel.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {

// Whether haystack contains needle, ignoring ASCII case; needle is already in lower case.
bool contains_ci(std::string_view haystack, std::string_view needle) {
    if (needle.empty()) return true;
    if (haystack.size() < needle.size()) return false;
    const std::size_t last = haystack.size() - needle.size();
    for (std::size_t i = 0; i <= last; ++i) {
        if (ascii_lower(haystack[i]) != needle[0]) continue;
        std::size_t k = 1;
        while (k < needle.size() && ascii_lower(haystack[i + k]) == needle[k]) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

int compare_ci(std::string_view a, std::string_view b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(ascii_lower(a[i]));
        const auto y = static_cast<unsigned char>(ascii_lower(b[i]));
        if (x != y) return x < y ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// One line of a table cell: the first line of the text, cut with an ellipsis when it does not fit.
// A cell cut to its width shows its whole text, wrapped, while the pointer rests on it.
void full_text_on_hover(std::string_view text, const ImVec2& min, const ImVec2& max) {
    if (!ImGui::IsWindowHovered() || !ImGui::IsMouseHoveringRect(min, max)) return;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(em(32));
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

// Returns whether the text was cut.
bool cell_text(std::string_view text) {
    const std::string_view line = first_line(text);
    const float width = ImGui::GetContentRegionAvail().x;
    const ImVec2 size = ImGui::CalcTextSize(line.data(), line.data() + line.size());
    if (size.x <= width) {
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        ImGui::TextUnformatted(line.data(), line.data() + line.size());
        if (line.size() < text.size()) {
            ImGui::SameLine(0, 0);
            ImGui::TextDisabled(" \xE2\x80\xA6");  // more lines follow
            full_text_on_hover(text, pos, ImVec2(pos.x + width, pos.y + ImGui::GetTextLineHeight()));
        }
        return false;
    }
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 max(pos.x + width, pos.y + ImGui::GetTextLineHeight());
    ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), pos, max, max.x, max.x, line.data(), line.data() + line.size(), &size);
    ImGui::Dummy(ImVec2(width, ImGui::GetTextLineHeight()));
    full_text_on_hover(text, pos, max);
    return true;
}

// A reading-layout cell: the whole text, wrapped to the column.
void wrapped_text(std::string_view text) {
    if (text.empty()) return;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
}

// Puts the next item on the same line, `spacing` after the last, when `width` still fits there;
// else on a new line.
void flow(float width, float spacing) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    const float gap = spacing >= 0 ? spacing : ImGui::GetStyle().ItemSpacing.x;
    if (ImGui::GetItemRectMax().x + gap + width <= right) ImGui::SameLine(0, gap);
}

}  // namespace imrdesk::ui
