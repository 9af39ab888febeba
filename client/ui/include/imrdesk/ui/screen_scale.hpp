#pragma once
// How much larger than on a 96-DPI screen the UI draws on a monitor.

namespace imrdesk::ui {

// The desktop's content scale when it reports one (above 1); otherwise worked out from the
// monitor's width in pixels and in millimetres (glfwGetMonitorPhysicalSize), so a 4K panel that
// reports nothing still gets text a person can read; 1 when neither is believable (a projector,
// a virtual screen saying 0 mm). Quarter steps, from 1 to 4.
[[nodiscard]] float screen_scale(float reported_scale, int width_px, int width_mm) noexcept;

}  // namespace imrdesk::ui
