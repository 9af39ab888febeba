#include "imrdesk/ui/screen_scale.hpp"

#include <algorithm>
#include <cmath>

namespace imrdesk::ui {

float screen_scale(float reported_scale, int width_px, int width_mm) noexcept {
    const auto quarter_steps = [](float scale) { return std::clamp(std::round(scale * 4.0f) / 4.0f, 1.0f, 4.0f); };
    if (std::isfinite(reported_scale) && reported_scale > 1.01f) return quarter_steps(reported_scale);
    // Laptop and desktop panels are 20 cm to 1.5 m wide; anything else is a guess by the X server
    // or a projector, where the reported size means nothing.
    if (width_px <= 0 || width_mm < 200 || width_mm > 1500) return 1.0f;
    const float dpi = static_cast<float>(width_px) * 25.4f / static_cast<float>(width_mm);
    const float scale = dpi / 96.0f;
    return scale < 1.2f ? 1.0f : quarter_steps(scale);  // within a fifth of 96 DPI: as designed
}

}  // namespace imrdesk::ui
