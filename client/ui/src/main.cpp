// imrdesk: the kiosk client. GLFW + OpenGL 3 + Dear ImGui, event driven: it sleeps in
// glfwWaitEventsTimeout until input, a timer (autosave, auto-lock) or a background result, so an
// idle app uses no CPU.
#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include "imrdesk/client/app.hpp"
#include "imrdesk/client/demo.hpp"
#include "imrdesk/client/workspace.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/platform/process.hpp"
#include "imrdesk/sync/tls.hpp"
#include "imrdesk/ui/screen_scale.hpp"
#include "imrdesk/ui/ui.hpp"

namespace {

void glfw_error(int code, const char* description) { std::fprintf(stderr, "imrdesk: GLFW error %d: %s\n", code, description); }

bool save_screenshot(GLFWwindow* window, const std::filesystem::path& file) {
    int width = 0, height = 0;
    glfwGetFramebufferSize(window, &width, &height);
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    stbi_flip_vertically_on_write(1);
    return stbi_write_png(file.c_str(), width, height, 3, pixels.data(), width * 3) != 0;
}

struct Options {
    bool windowed = false;
    bool demo = false;
    bool demo_review = false;
    std::optional<std::string> data_dir;
    std::optional<std::string> screenshots;
};

}  // namespace

int main(int argc, char** argv) {
    using namespace imrdesk;
    sync::tls::zero_freed_memory();  // before anything uses OpenSSL
    try {
        platform::harden_process();
        crypto::init();  // libsodium, before any key is made
    } catch (const std::exception& e) {
        std::fprintf(stderr, "imrdesk: %s\n", e.what());
        return 1;
    }
    Options options;
    CLI::App cli{"imrdesk: Individual Management Reviews, offline and encrypted", "imrdesk"};
    cli.add_flag("--windowed", options.windowed, "Open in a window instead of full screen (development)");
    cli.add_flag("--demo", options.demo, "Open the fictional demo profile, creating it on first use");
    cli.add_flag("--demo-review", options.demo_review,
                 "Open the fictional review team's demo profile (a case, its agencies, the merged chronology), creating it on first use");
    cli.add_option("--data-dir", options.data_dir, "Data directory (default: $XDG_DATA_HOME/imrdesk)");
    cli.add_option("--screenshots", options.screenshots, "Render the main screens of the demo to PNG files in DIR and exit");
    CLI11_PARSE(cli, argc, argv);
    if (options.screenshots && !options.demo_review) options.demo = true;

    std::filesystem::path data_dir;
    try {
        data_dir = platform::data_dir(options.data_dir ? std::optional<std::filesystem::path>(*options.data_dir) : std::nullopt);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "imrdesk: %s\n", e.what());
        return 1;
    }

    glfwSetErrorCallback(glfw_error);
    if (glfwInit() == GLFW_FALSE) {
        std::fprintf(stderr, "imrdesk: cannot open a window (no display?). Use imrdesk-cli on machines without a screen.\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor != nullptr ? glfwGetVideoMode(monitor) : nullptr;
    GLFWwindow* window = nullptr;
    if (!options.windowed && mode != nullptr) {
        window = glfwCreateWindow(mode->width, mode->height, "imrdesk", monitor, nullptr);
    } else {
        int x = 0, y = 0, w = 1280, h = 720;
        if (monitor != nullptr) glfwGetMonitorWorkarea(monitor, &x, &y, &w, &h);
        window = glfwCreateWindow(std::max(640, w * 9 / 10), std::max(480, h * 9 / 10), "imrdesk", nullptr, nullptr);
    }
    if (window == nullptr) {
        std::fprintf(stderr, "imrdesk: cannot create an OpenGL 3.3 window\n");
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    float scale_x = 1, scale_y = 1;
    glfwGetWindowContentScale(window, &scale_x, &scale_y);
    // The content scale when the desktop reports one; otherwise the monitor's own DPI, so a 4K
    // panel that reports nothing does not get 96-DPI text.
    const auto screen_scale = [&](float reported) {
        GLFWmonitor* shown_on = glfwGetWindowMonitor(window);
        if (shown_on == nullptr) shown_on = monitor;
        int width_mm = 0, height_mm = 0;
        if (shown_on != nullptr) glfwGetMonitorPhysicalSize(shown_on, &width_mm, &height_mm);
        const GLFWvidmode* shown_mode = shown_on != nullptr ? glfwGetVideoMode(shown_on) : nullptr;
        return ui::screen_scale(reported, shown_mode != nullptr ? shown_mode->width : 0, width_mm);
    };

    IMGUI_CHECKVERSION();
    ui::use_zeroing_allocator();
    ImGui::CreateContext();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    int exit_code = 0;
    {
        ui::Ui* ui_ptr = nullptr;
        client::AppConfig config;
        config.data_dir = data_dir;
        config.wake = [] { glfwPostEmptyEvent(); };
        config.on_lock = [&ui_ptr] {
            if (ui_ptr != nullptr) ui_ptr->on_lock();
        };
        client::App app(std::move(config));
        ui::Ui ui(app, screen_scale(scale_x));
        ui_ptr = &ui;
        if (options.demo_review) app.open_review_demo();
        else if (options.demo) app.open_demo();

        // A screen to capture: set up through App, then (optionally) reached by clicking labelled
        // widgets as a person would (panels that only the UI opens).
        struct Shot {
            const char* name;
            std::function<void()> setup;
            std::vector<const char*> clicks = {};
            std::string typed = {};  // typed after the clicks, then Enter
        };
        std::vector<Shot> shots;
        if (options.screenshots && options.demo_review) {
            // The review team's screens, from the review demo.
            std::filesystem::create_directories(*options.screenshots);
            shots = {
                {"20-review-dashboard", [&app] { app.show(client::CaseView::Dashboard); }},
                {"20b-review-changes", [] {}, {"What changed Northshire Police"}},
                {"21-review-merged", [&app] { app.show(client::CaseView::Merged); }, {"merged row 6"}},
                {"22-review-timeline", [&app] { app.show(client::CaseView::Timeline); }},
                {"23-review-home", [&app] { app.go_home(); }},
                {"24-review-queries",
                 [&app] {
                     for (const auto& doc : app.workspace().imrs())
                         if (doc.header.agency == "Northshire Police") app.open_imr(doc.id);
                     app.show(client::ImrView::Queries);
                 }},
                {"25-review-locked", [&app] { app.lock(); }},
            };
            ui.track_items(true);
        } else if (options.screenshots) {
            std::filesystem::create_directories(*options.screenshots);
            auto section = [&app](const char* key) { return [&app, key] { app.show(client::ImrView::Sections); app.select_section(key); }; };
            shots = {
                {"01-home", [&app] { app.go_home(); }},
                {"02-section-summary", [&app, section] { if (!app.workspace().imrs().empty()) app.open_imr(app.workspace().imrs().front().id); section("summary")(); }},
                {"03-section-analysis", section("analysis.q1")},
                {"04-about-this-imr", section("header")},
                {"05-chronology", [&app] { app.show(client::ImrView::Chronology); }},
                {"05b-chronology-reading", [] {}, {"Hide entry panel"}},
                {"05c-chronology-one-line", [] {}, {"Show entry panel", "One line per row"}},
                {"06-quality", [&app] {
                     app.settings().chronology_wrap = true;  // back to the reading layout that 05c left
                     app.save_settings();
                     app.show(client::ImrView::Quality);
                 }},
                {"07-recommendations", [&app] { app.show(client::ImrView::Recommendations); }},
                {"08-endorsement", [&app] { app.show(client::ImrView::Endorsement); }},
                // The demo is written with pseudonyms already: give the scan a draft's real names to find.
                {"16-names",
                 [&app] {
                     const auto* doc = app.current_imr();
                     if (doc == nullptr) return;
                     const auto imr = doc->id;
                     app.apply("Names for the screenshot", [imr](client::Workspace& ws) {
                         (void)ws.save_name(imr, {"Daniel Marlow", "Adult B", nlohmann::json::object()});
                         (void)ws.save_name(imr, {"Dr Okafor", "GP1", nlohmann::json::object()});
                         const auto& current = ws.get(imr);
                         if (const auto* s = current.section("analysis.q6")) {
                             auto content = s->value;
                             content.text += " Dr Okafor raised it again with Daniel Marlow in January 2025.";
                             ws.save_section(imr, std::move(content));
                         }
                         for (const auto& e : current.entries)
                             if (e.value.event.rfind("Home visit. House cold", 0) == 0) {
                                 auto value = e.value;
                                 value.comment = "Seen with Daniel Marlow; Mrs Hale, a neighbour, was also present.";
                                 ws.update_entry(imr, e.id, std::move(value));
                                 break;
                             }
                     });
                     app.show(client::ImrView::Names);
                 }},
                {"13-export", [&app] { app.show(client::ImrView::Sections); }, {"Export..."}},
                // A board's template as Excel on Windows saves it: a title row, semicolons, Windows-1252.
                {"12-import-preview",
                 [&app, dir = *options.screenshots] {
                     app.show(client::ImrView::Chronology);
                     std::ofstream(std::filesystem::path(dir) / "board-template.csv", std::ios::binary)
                         << "Chronology of agency involvement: Northshire Police;;;;;;\r\n"
                            "Date/Time;Where recorded;Details of contact/event;Outcome / Action Taken;"
                            "Name and role of professional;Comments/Analysis;Location\r\n"
                            "14/03/2024 09:40;STORM log 0412;Call from a neighbour: Mr A not seen for three days, \xA3" "20 "
                            "owed to a carer;Officers attended, welfare check;PC 1234, response officer;"
                            "Not referred to adult social care;Mill Lane\r\n"
                            "15/03/2024;Niche RMS 88;Follow-up visit;Advice given;PCSO;;\r\n";
                 },
                 {"Import..."},
                 (std::filesystem::path(*options.screenshots) / "board-template.csv").string()},
                // The sync panels, before locking (which comes last).
                {"10-sync-panel", [&app] { app.go_home(); }, {"Sync"}},
                {"11-conflicts", [] {}, {"Resolve conflicts"}},  // from the sync panel, when there are any
                {"09-locked", [&app] { app.lock(); }},
            };
            ui.track_items(true);
        } else {
            ui.offer_text_size();  // once per computer, on the first run
        }
        std::size_t shot = 0;
        int shot_frames = 0;
        constexpr int kFramesPerClick = 4;  // move, press, release, settle
        std::optional<ImVec2> click_at;
        bool click_down = false;

        int frames_to_draw = 2;
        bool waits_for_screen = true;
        while (glfwWindowShouldClose(window) == GLFW_FALSE) {
            // During a sync session each frame first answers the engine for up to App::kSyncBurst;
            // waiting for the screen's refresh on top would only hold the sync up.
            if (app.syncing() == waits_for_screen) {
                waits_for_screen = !waits_for_screen;
                glfwSwapInterval(waits_for_screen ? 1 : 0);
            }
            if (frames_to_draw <= 0 && shots.empty()) {
                const double timeout = ui.animating() ? 0.1 : app.seconds_until_next_timer() + 0.01;
                glfwWaitEventsTimeout(timeout);
                frames_to_draw = 2;  // ImGui settles a click or key over two frames
            } else {
                glfwPollEvents();
            }
            glfwGetWindowContentScale(window, &scale_x, &scale_y);
            ui.set_content_scale(screen_scale(scale_x));
            if (ui.fonts_dirty()) {
                ui.build_fonts();
                ImGui_ImplOpenGL3_DestroyFontsTexture();
                ImGui_ImplOpenGL3_CreateFontsTexture();
            }
            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplGlfw_NewFrame();
            if (click_at) {  // after the backend, which reads the real mouse
                ImGui::GetIO().MousePos = *click_at;
                ImGui::GetIO().MouseDown[0] = click_down;
            } else if (!shots.empty()) {
                // Between clicks the pointer is away: no tooltip of wherever Xvfb left it in a screenshot.
                ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
            }
            ImGui::NewFrame();
            ui.frame();
            ImGui::Render();
            int width = 0, height = 0;
            glfwGetFramebufferSize(window, &width, &height);
            glViewport(0, 0, width, height);
            const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
            glClearColor(bg.x, bg.y, bg.z, 1.0f);
            glClear(GL_COLOR_BUFFER_BIT);
            ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

            if (!shots.empty()) {
                // Wait for the demo to open, then give each screen a few frames to settle.
                if (app.unlocked() || shot == shots.size() - 1) {
                    const auto& clicks = shots[shot].clicks;
                    if (shot_frames == 0) shots[shot].setup();
                    // Clicks from frame 2 on, kFramesPerClick frames each; a label not on screen is skipped.
                    const int step = shot_frames - 2;
                    const auto click = static_cast<std::size_t>(std::max(0, step) / kFramesPerClick);
                    if (step >= 0 && click < clicks.size()) {
                        switch (step % kFramesPerClick) {
                            case 0: {
                                const auto it = ui.items().find(clicks[click]);
                                click_at.reset();
                                if (it != ui.items().end()) click_at = ImVec2(it->second.cx(), it->second.cy());
                                else std::fprintf(stderr, "imrdesk: %s: nothing labelled '%s' to click\n", shots[shot].name, clicks[click]);
                                click_down = false;
                                break;
                            }
                            case 1: click_down = click_at.has_value(); break;
                            default: click_down = false; break;
                        }
                    } else {
                        click_at.reset();
                    }
                    const int typing_at = 2 + kFramesPerClick * static_cast<int>(clicks.size());
                    ImGuiIO& io = ImGui::GetIO();
                    if (!shots[shot].typed.empty() && shot_frames == typing_at) io.AddInputCharactersUTF8(shots[shot].typed.c_str());
                    io.KeysDown[io.KeyMap[ImGuiKey_Enter]] = !shots[shot].typed.empty() && shot_frames == typing_at + 2;
                    const int settle = shots[shot].typed.empty() ? 6 : 14;  // a typed path is checked in the background
                    // Background work (a scan, an export) finishes before the capture, within about 10 s.
                    ++shot_frames;
                    const int due = settle + kFramesPerClick * static_cast<int>(clicks.size());
                    if (shot_frames >= due && (!app.busy() || shot_frames >= due + 600)) {
                        const auto file = std::filesystem::path(*options.screenshots) / (std::string(shots[shot].name) + ".png");
                        if (!save_screenshot(window, file)) {
                            std::fprintf(stderr, "imrdesk: cannot write %s\n", file.c_str());
                            exit_code = 1;
                        }
                        std::printf("%s\n", file.c_str());
                        shot_frames = 0;
                        if (++shot == shots.size()) glfwSetWindowShouldClose(window, GLFW_TRUE);
                    }
                } else if (!app.screen_error().empty()) {
                    std::fprintf(stderr, "imrdesk: %s\n", app.screen_error().c_str());
                    exit_code = 1;
                    glfwSetWindowShouldClose(window, GLFW_TRUE);
                }
            }
            glfwSwapBuffers(window);
            --frames_to_draw;
            if (ui.quit_requested()) glfwSetWindowShouldClose(window, GLFW_TRUE);
        }
        app.flush();
        ui_ptr = nullptr;
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}
