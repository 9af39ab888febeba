#pragma once
#include "imrdesk/client/settings.hpp"
#include "imrdesk/ui/ui.hpp"

namespace imrdesk::ui {

// Colours and spacing for a theme; every size is derived from the font size in pixels.
void apply_style(client::Theme theme, float font_px);

// Loads DejaVu Sans (body, bold, heading) and DejaVu Sans Mono at size_px into the atlas,
// with the Latin, punctuation and currency glyphs UK text needs. Falls back to ImGui's built-in
// font (with a warning on stderr) when the TTF files are missing.
Fonts load_fonts(float size_px);

}  // namespace imrdesk::ui
