#pragma once
// Setting up ImGui without a window, for headless tests and benchmarks: the display size, a frame
// time, and the key map the GLFW backend would install (GLFW key codes), so views that use
// keys behave as in the real window.
struct ImGuiIO;

namespace imrdesk::ui {

void setup_headless_io(ImGuiIO& io, float width, float height);

}  // namespace imrdesk::ui
