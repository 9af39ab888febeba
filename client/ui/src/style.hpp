#pragma once
#include <cstddef>

#include <imgui.h>

#include "imrdesk/client/settings.hpp"
#include "imrdesk/ui/ui.hpp"

namespace imrdesk::ui {

// The colours a theme gives meanings to, beyond ImGui's own style colours. Every text colour here
// meets WCAG AA (4.5:1) on every surface it is drawn on; tests/ui/test_contrast.cpp checks it.
struct Palette {
    ImVec4 warning;          // text: "needs attention"
    ImVec4 error;            // text: "cannot go on"
    ImVec4 primary;          // the one button that does the screen's main action
    ImVec4 primary_hovered;
    ImVec4 primary_text;
    ImVec4 danger;           // buttons that delete or discard
    ImVec4 danger_hovered;
    ImVec4 danger_text;
};

[[nodiscard]] Palette palette_for(client::Theme theme);
// The palette of the theme apply_style last applied.
[[nodiscard]] const Palette& palette();

// The theme apply_style last applied, and an agency's colour in it (client/agency_colours.hpp).
[[nodiscard]] client::Theme current_theme();
[[nodiscard]] ImVec4 agency_colour(std::size_t index);

// Colours and spacing for a theme; every size is derived from the font size in pixels.
void apply_style(client::Theme theme, float font_px);

// Loads DejaVu Sans (body, bold, heading) and DejaVu Sans Mono at size_px into the atlas,
// with the Latin, punctuation and currency glyphs UK text needs. Falls back to ImGui's built-in
// font (with a warning on stderr) when the TTF files are missing.
Fonts load_fonts(float size_px);

}  // namespace imrdesk::ui
