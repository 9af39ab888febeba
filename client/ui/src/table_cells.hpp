#pragma once
// What the chronology tables (an IMR's and the review team's merged one) draw in their cells, and
// how they match and order text: one line cut to its column with the whole text on hover, the
// reading layout's wrapped cell, items that flow onto the next line, and ASCII case-insensitive
// search and comparison fast enough to filter ten thousand entries on every keystroke.
#include <string_view>

#include <imgui.h>

namespace imrdesk::ui {

// ASCII case folding (what contains_ci expects its needle in).
[[nodiscard]] inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// Whether haystack contains needle, ignoring ASCII case; needle is already in lower case.
[[nodiscard]] bool contains_ci(std::string_view haystack, std::string_view needle);
// <0, 0, >0 as a is before, the same as or after b, ignoring ASCII case.
[[nodiscard]] int compare_ci(std::string_view a, std::string_view b);

// A cell cut to its width shows its whole text, wrapped, while the pointer rests on it.
void full_text_on_hover(std::string_view text, const ImVec2& min, const ImVec2& max);
// One line of a table cell: the first line of the text, cut with an ellipsis when it does not
// fit (an ellipsis after it when more lines follow). Returns whether the text was cut.
bool cell_text(std::string_view text);
// A reading-layout cell: the whole text, wrapped to the column.
void wrapped_text(std::string_view text);
// Puts the next item on the same line, `spacing` after the last, when `width` still fits there;
// else on a new line.
void flow(float width, float spacing = -1.0f);

}  // namespace imrdesk::ui
