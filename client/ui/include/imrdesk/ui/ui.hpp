#pragma once
// The kiosk UI: every view reads client::App and issues its commands. Only client/ui includes
// ImGui. The same code runs in the real window (client/ui/src/main.cpp) and headless in tests.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "imrdesk/client/app.hpp"

struct ImFont;

namespace imrdesk::ui {

struct Rect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    [[nodiscard]] float cx() const noexcept { return (x0 + x1) / 2; }
    [[nodiscard]] float cy() const noexcept { return (y0 + y1) / 2; }
};

// Fonts the views use, rebuilt when the size setting or the monitor scale changes.
struct Fonts {
    ImFont* body = nullptr;
    ImFont* bold = nullptr;
    ImFont* heading = nullptr;
    ImFont* mono = nullptr;
};

// Requests between views during a frame (a shortcut asks the find view to open ...).
struct Requests {
    bool open_find = false;
    bool open_settings = false;
    bool open_sync = false;       // the sync panel (status bar, Home)
    bool open_conflicts = false;  // the conflicts panel (sync panel, Home)
    bool offer_text_size = false; // "Is this text easy to read?", the first time imrdesk runs
    bool quit = false;  // the person asked to close imrdesk
};

// What the views share during one frame. `items` records where each labelled widget was drawn,
// so headless tests can click and type by label.
struct Frame {
    client::App& app;
    const Fonts& fonts;
    std::map<std::string, Rect>* items = nullptr;
    Requests* requests = nullptr;
};

// Dear ImGui allocates and frees through platform's zeroing heap, so that its edit buffers, undo
// text and window names leave nothing behind when freed. Call before ImGui::CreateContext.
void use_zeroing_allocator();

// Wipes what Dear ImGui holds of typed and shown text: the active edit (its UTF-16 and UTF-8
// buffers, the text at focus and the undo stack), queued input characters, the formatting buffer
// and the default clipboard. The active widget loses focus. Ui::on_lock calls it.
void wipe_imgui_text_state();

class Ui {
public:
    // content_scale: the monitor's content scale (1 on a plain 96 dpi screen).
    explicit Ui(client::App& app, float content_scale = 1.0f);
    ~Ui();
    Ui(const Ui&) = delete;
    Ui& operator=(const Ui&) = delete;

    // Loads the fonts and style for the current settings into ImGui's atlas. Call before the
    // first frame and whenever fonts_dirty() is true (then re-upload the font texture).
    void build_fonts();
    [[nodiscard]] bool fonts_dirty() const noexcept { return fonts_dirty_; }
    void set_content_scale(float scale);
    [[nodiscard]] float content_scale() const noexcept { return content_scale_; }
    // Asks once, on the first run of this computer, whether the text is easy to read, with the
    // text size to change on the spot. The window calls it; headless tests choose to.
    void offer_text_size();

    // Draws one frame between ImGui::NewFrame() and ImGui::Render(): handles shortcuts, runs
    // App::tick(), draws the current screen.
    void frame();

    // Where labelled widgets were drawn in the last frame (tests).
    void track_items(bool on) { tracking_ = on; }
    [[nodiscard]] const std::map<std::string, Rect>& items() const noexcept { return items_; }

    // True once the person chose Quit; the window closes after saving.
    [[nodiscard]] bool quit_requested() const noexcept { return requests_.quit; }

    // True while something animates (a spinner), so the loop keeps drawing.
    [[nodiscard]] bool animating() const;

    // Lock hook: wipes the UI's own buffers and the clipboard when it holds our text.
    void on_lock();

    struct State;

private:
    client::App& app_;
    float content_scale_ = 1.0f;
    float built_font_size_ = 0;
    client::Theme built_theme_ = client::Theme::Light;
    bool fonts_dirty_ = true;
    bool tracking_ = false;
    Fonts fonts_;
    std::map<std::string, Rect> items_;
    Requests requests_;
    const class View* shown_view_ = nullptr;  // the IMR tab drawn last frame (null when none was)
    std::unique_ptr<State> state_;
};

}  // namespace imrdesk::ui
