#include "imrdesk/ui/ui.hpp"

#include <algorithm>
#include <cstring>

#include <imgui.h>
#include <imgui_internal.h>

#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/platform/zeroing_heap.hpp"
#include "style.hpp"
#include "view.hpp"
#include "view_conflicts.hpp"
#include "view_export.hpp"
#include "view_sync.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {

struct Ui::State {
    std::unique_ptr<View> profiles = make_profiles_view();
    std::unique_ptr<View> home = make_home_view();
    std::unique_ptr<View> section = make_section_view();
    std::unique_ptr<View> chronology = make_chronology_view();
    std::unique_ptr<View> quality = make_quality_view();
    std::unique_ptr<View> recommendations = make_recommendations_view();
    std::unique_ptr<View> glossary = make_glossary_view();
    std::unique_ptr<View> names = make_names_view();
    std::unique_ptr<View> endorsement = make_endorsement_view();
    std::unique_ptr<View> find = make_find_view();
    std::unique_ptr<View> settings = make_settings_view();
    std::unique_ptr<View> status_bar = make_status_bar();
    std::unique_ptr<View> sync = make_sync_view();
    std::unique_ptr<View> conflicts = make_conflicts_view();
    std::unique_ptr<View> queries = make_queries_view();
    std::unique_ptr<View> case_screen = make_case_view();
    ExportDialog export_dialog;  // opened from the IMR's bar

    // The clipboard: remember a digest of what we copied, so locking clears it only when it still
    // holds our text.
    void (*original_set_clipboard)(void*, const char*) = nullptr;
    const char* (*original_get_clipboard)(void*) = nullptr;
    void* original_clipboard_data = nullptr;
    crypto::Digest32 copied{};
    bool copied_any = false;

    void for_each(const std::function<void(View&)>& fn) {
        for (auto* v : {&profiles, &home, &section, &chronology, &quality, &recommendations, &glossary, &names, &endorsement,
                        &find, &settings, &status_bar, &sync, &conflicts, &queries, &case_screen})
            fn(**v);
    }
};

namespace {

// ImGui hands io.ClipboardUserData to these; we point it at our state and forward to the
// platform's functions with the platform's own user data.
void set_clipboard(void* user_data, const char* text) {
    auto* state = static_cast<Ui::State*>(user_data);
    state->copied = crypto::blake2b({reinterpret_cast<const std::uint8_t*>(text), std::strlen(text)});
    state->copied_any = true;
    if (state->original_set_clipboard != nullptr) state->original_set_clipboard(state->original_clipboard_data, text);
}

const char* get_clipboard(void* user_data) {
    auto* state = static_cast<Ui::State*>(user_data);
    return state->original_get_clipboard != nullptr ? state->original_get_clipboard(state->original_clipboard_data) : "";
}

bool ctrl_pressed(int key) {
    const ImGuiIO& io = ImGui::GetIO();
    return io.KeyCtrl && !io.KeyAlt && ImGui::IsKeyPressed(key, false);
}

const char* view_label(client::ImrView view) {
    switch (view) {
        case client::ImrView::Sections: return "Sections";
        case client::ImrView::Chronology: return "Chronology";
        case client::ImrView::Quality: return "Quality check";
        case client::ImrView::Recommendations: return "Recommendations";
        case client::ImrView::Glossary: return "Glossary";
        case client::ImrView::Names: return "Names";
        case client::ImrView::Endorsement: return "Endorsement";
        case client::ImrView::Queries: return "Queries";
    }
    return "";
}

}  // namespace

Ui::Ui(client::App& app, float content_scale) : app_(app), content_scale_(content_scale), state_(std::make_unique<State>()) {
    ImGuiIO& io = ImGui::GetIO();
    io.ConfigInputTextCursorBlink = false;  // a blinking caret would redraw forever: the idle app must not
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.IniFilename = nullptr;               // no layout file: nothing about the user's work on disk
    io.LogFilename = nullptr;
    state_->original_set_clipboard = io.SetClipboardTextFn;
    state_->original_get_clipboard = io.GetClipboardTextFn;
    state_->original_clipboard_data = io.ClipboardUserData;
    io.SetClipboardTextFn = set_clipboard;
    io.GetClipboardTextFn = get_clipboard;
    io.ClipboardUserData = state_.get();
}

Ui::~Ui() {
    ImGuiIO& io = ImGui::GetIO();
    io.SetClipboardTextFn = state_->original_set_clipboard;
    io.GetClipboardTextFn = state_->original_get_clipboard;
    io.ClipboardUserData = state_->original_clipboard_data;
}

void Ui::set_content_scale(float scale) {
    if (scale > 0 && scale != content_scale_) {
        content_scale_ = scale;
        fonts_dirty_ = true;
    }
}

void Ui::offer_text_size() {
    if (!app_.settings().text_size_chosen) requests_.offer_text_size = true;
}

void Ui::build_fonts() {
    const float size = app_.settings().font_size * content_scale_;
    fonts_ = load_fonts(size);
    apply_style(app_.settings().theme, size);
    built_font_size_ = app_.settings().font_size;
    built_theme_ = app_.settings().theme;
    fonts_dirty_ = false;
}

bool Ui::animating() const {
    // The spinners of a running sync turn only while the loop keeps drawing.
    auto* service = app_.sync();
    return app_.busy() || (service != nullptr && service->view().engine.state == sync::EngineStatus::State::Syncing);
}

namespace {

template <class T>
void wipe_vector(ImVector<T>& v) {
    if (v.Data != nullptr) std::memset(static_cast<void*>(v.Data), 0, static_cast<std::size_t>(v.Capacity) * sizeof(T));
    v.clear();  // frees it (zeroed again by the allocator)
}

}  // namespace

void use_zeroing_allocator() {
    ImGui::SetAllocatorFunctions([](std::size_t size, void*) { return platform::zeroing_malloc(size); },
                                 [](void* block, void*) { platform::zeroing_free(block); });
}

void wipe_imgui_text_state() {
    if (ImGui::GetCurrentContext() == nullptr) return;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGui::ClearActiveID();
    ImGuiInputTextState& edit = g.InputTextState;
    wipe_vector(edit.TextW);
    wipe_vector(edit.TextA);
    wipe_vector(edit.InitialTextA);
    std::memset(static_cast<void*>(&edit.Stb), 0, sizeof edit.Stb);  // the undo stack is held in place
    edit.ID = 0;
    edit.CurLenW = edit.CurLenA = 0;
    edit.TextAIsValid = false;
    wipe_vector(g.IO.InputQueueCharacters);
    std::memset(g.TempBuffer, 0, sizeof g.TempBuffer);
    wipe_vector(g.ClipboardHandlerData);
}

void Ui::on_lock() {
    wipe_imgui_text_state();
    state_->for_each([](View& v) { v.wipe(); });
    state_->export_dialog.wipe();
    if (state_->copied_any && state_->original_get_clipboard != nullptr) {
        const char* current = state_->original_get_clipboard(state_->original_clipboard_data);
        if (current != nullptr) {
            const auto digest = crypto::blake2b({reinterpret_cast<const std::uint8_t*>(current), std::strlen(current)});
            if (crypto::equal_constant_time(digest, state_->copied) && state_->original_set_clipboard != nullptr) {
                // The platform frees its copy with plain free() when it is replaced: zero it first.
                // (GLFW returns its own malloc'd string while this process owns the selection.)
                ::explicit_bzero(const_cast<char*>(current), std::strlen(current));
                state_->original_set_clipboard(state_->original_clipboard_data, "");
            }
        }
        state_->copied_any = false;
    }
}

void Ui::frame() {
    ImGuiIO& io = ImGui::GetIO();
    items_.clear();
    const Frame f{app_, fonts_, tracking_ ? &items_ : nullptr, &requests_};

    const bool input = io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.MouseClicked[0] || io.MouseClicked[1] ||
                       io.MouseWheel != 0 || !io.InputQueueCharacters.empty() ||
                       std::any_of(std::begin(io.KeysDown), std::end(io.KeysDown), [](bool down) { return down; });
    if (input) app_.note_activity();

    // Shortcuts, keyboard first: they work wherever the focus is.
    if (app_.unlocked()) {
        if (ctrl_pressed('L')) app_.request_lock();
        if (ctrl_pressed('S')) {
            if (app_.flush()) app_.notify("Saved");
        }
        if (ctrl_pressed('F') && app_.current_imr() != nullptr) open_find(f);
    }
    if (ctrl_pressed('=') || ctrl_pressed(334 /* keypad + */)) {
        app_.settings().font_size = std::min(40.0f, app_.settings().font_size + 2.0f);
        app_.save_settings();
    }
    if (ctrl_pressed('-') || ctrl_pressed(333 /* keypad - */)) {
        app_.settings().font_size = std::max(12.0f, app_.settings().font_size - 2.0f);
        app_.save_settings();
    }
    if (ctrl_pressed(',')) open_settings(f);

    app_.tick();
    if (app_.settings().font_size != built_font_size_ || app_.settings().theme != built_theme_) fonts_dirty_ = true;

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("imrdesk", nullptr, flags);
    const float status_height = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y;
    ImGui::BeginChild("main", ImVec2(0, -status_height), false);
    if (app_.screen() != client::Screen::Imr) shown_view_ = nullptr;
    switch (app_.screen()) {
        case client::Screen::Profiles:
        case client::Screen::CreateProfile:
        case client::Screen::RecoveryKey:
        case client::Screen::Unlock:
        case client::Screen::Recover:
            state_->profiles->draw(f);
            break;
        case client::Screen::Home:
            state_->home->draw(f);
            break;
        case client::Screen::Case:
            state_->case_screen->draw(f);
            break;
        case client::Screen::Imr: {
            const auto* doc = app_.current_imr();
            if (doc == nullptr) {
                shown_view_ = nullptr;
                app_.go_home();
                break;
            }
            // A reviewer's copy belongs to its case: back leads there.
            if (doc->reviewer_copy || app_.imr_from_case()) {
                const std::string back = "< Case " + doc->header.case_info.reference + "###back";
                if (button(f, back.c_str())) app_.open_case(doc->header.case_info.reference);
                track(f, "Back to the case");
            } else if (button(f, "< All IMRs")) {
                app_.go_home();
            }
            ImGui::SameLine();
            ImGui::PushFont(fonts_.bold);
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted((doc->header.case_info.reference + "  " + doc->header.agency).c_str());
            ImGui::PopFont();
            if (doc->read_only()) {
                ImGui::SameLine();
                // Why it cannot be edited, in the words of the situation.
                const std::string why = doc->reviewer_copy  ? "Submitted to the review team: read-only (reviewer)"
                                        : doc->submitted_at ? "Submitted: read-only"
                                                            : std::string(domain::to_string(doc->header.status)) + ": read-only";
                muted("(" + why + ")");
            }
            // The view buttons flow onto a second line when large text leaves no room on one.
            bool first_button = true;
            const auto place_button = [&first_button](const char* label) {
                const float width = ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
                if (!first_button) {
                    ImGui::SameLine();
                    if (ImGui::GetCursorPosX() + width > ImGui::GetContentRegionMax().x) ImGui::NewLine();
                }
                first_button = false;
            };
            // Queries: shown when there are any, and always to the review team (who raise them).
            const std::size_t open_queries = doc->open_queries();
            const std::string queries_label = open_queries > 0 ? "Queries (" + std::to_string(open_queries) + ")###Queries"
                                                               : std::string("Queries###Queries");
            for (const auto view : {client::ImrView::Sections, client::ImrView::Chronology, client::ImrView::Quality,
                                    client::ImrView::Recommendations, client::ImrView::Glossary, client::ImrView::Names,
                                    client::ImrView::Endorsement, client::ImrView::Queries}) {
                if (view == client::ImrView::Queries && doc->queries.empty() && !doc->reviewer_copy) continue;
                const char* label = view == client::ImrView::Queries ? queries_label.c_str() : view_label(view);
                place_button(label);
                // The view shown is the marked one, in the primary colours.
                const bool current = app_.imr_view() == view;
                if (view == client::ImrView::Queries && open_queries > 0 && !current)
                    ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
                if (view_button(f, label, current)) app_.show(view);
                if (view == client::ImrView::Queries) track(f, "Queries tab");
                if (view == client::ImrView::Queries && open_queries > 0 && !current) ImGui::PopStyleColor();
            }
            place_button("Find (Ctrl+F)");
            if (button(f, "Find (Ctrl+F)")) open_find(f);
            place_button("Export...");
            if (button(f, "Export...")) state_->export_dialog.open(*doc, client::ExportFormat::ImrDocx);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("The IMR as a Word document, or the chronology as Excel, Word or CSV");
            state_->export_dialog.draw(f, *doc);
            ImGui::Separator();
            View* view = nullptr;
            switch (app_.imr_view()) {
                case client::ImrView::Sections: view = state_->section.get(); break;
                case client::ImrView::Chronology: view = state_->chronology.get(); break;
                case client::ImrView::Quality: view = state_->quality.get(); break;
                case client::ImrView::Recommendations: view = state_->recommendations.get(); break;
                case client::ImrView::Glossary: view = state_->glossary.get(); break;
                case client::ImrView::Names: view = state_->names.get(); break;
                case client::ImrView::Endorsement: view = state_->endorsement.get(); break;
                case client::ImrView::Queries: view = state_->queries.get(); break;
            }
            // The view scrolls in a window of its own: going to a recommendation or a finding far
            // down never takes the IMR bar and the view buttons off the screen.
            ImGui::BeginChild("imr_view", ImVec2(0, 0), false);
            // A view that was not shown last frame opens at its top, with fresh results.
            if (view != shown_view_) {
                ImGui::SetScrollY(0);
                view->on_open();
            }
            view->draw(f);
            ImGui::EndChild();
            shown_view_ = view;
            break;
        }
    }
    ImGui::EndChild();
    state_->status_bar->draw(f);
    state_->find->draw(f);
    state_->settings->draw(f);
    state_->sync->draw(f);
    state_->conflicts->draw(f);
    ImGui::End();

    // Notices, top right, newest last.
    const auto& notices = app_.notices();
    if (!notices.empty()) {
        ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x - em(1), viewport->WorkPos.y + em(1)),
                                ImGuiCond_Always, ImVec2(1, 0));
        // Opaque, with a border: the table under a notice never shows through its text.
        ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyleColorVec4(ImGuiCol_PopupBg));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.0f);
        ImGui::Begin("##notices", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                               ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav |
                                               ImGuiWindowFlags_NoInputs |  // never in the way of a click
                                               ImGuiWindowFlags_NoSavedSettings);
        ImGui::PushTextWrapPos(em(28));
        for (const auto& notice : notices) {
            if (notice.error) error_text(notice.text);
            else ImGui::TextUnformatted(notice.text.c_str());
        }
        ImGui::PopTextWrapPos();
        ImGui::End();
        ImGui::PopStyleVar();
        ImGui::PopStyleColor();
    }
}

}  // namespace imrdesk::ui
