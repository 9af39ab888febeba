// Always visible: profile, autosave state, sync state with the Sync button, Settings, Lock, Quit.
// Being offline is the normal state of a sync client: it is said here in plain words, never as an
// error or a dialog. Conflicts and refusals show in the warning colour.
#include <algorithm>

#include "view.hpp"
#include "style.hpp"
#include "view_sync.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {


float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

class StatusBar final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        const ImGuiStyle& style = ImGui::GetStyle();
        auto* service = app.unlocked() ? app.sync() : nullptr;
        float right = button_width("A-") + button_width("A+") + button_width("Settings") + button_width("Quit") +
                      3 * style.ItemSpacing.x;
        if (app.unlocked()) right += button_width("Lock (Ctrl+L)") + style.ItemSpacing.x;
        if (service != nullptr) right += button_width("Sync") + style.ItemSpacing.x;

        ImGui::Separator();
        ImGui::AlignTextToFramePadding();
        if (app.profile().empty()) {
            ImGui::TextUnformatted("imrdesk");
        } else {
            ImGui::Text("Profile: %s", app.profile().c_str());
        }
        ImGui::SameLine(0, em(2));
        if (!app.unlocked()) {
            muted(app.profile().empty() ? "No profile open" : "Locked");
        } else {
            switch (app.save_state()) {
                case client::SaveState::Saved: ImGui::TextUnformatted("All changes saved"); break;
                case client::SaveState::Unsaved: ImGui::TextUnformatted("Saving..."); break;
                case client::SaveState::Error:
                    ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
                    // The whole explanation is long for the bar: its gist here, all of it on hover.
                    ImGui::TextUnformatted(app.disk_full() ? "Not saved: the disk is full. Your text is kept; trying again"
                                                           : app.save_error().c_str());
                    ImGui::PopStyleColor();
                    if (app.disk_full() && ImGui::IsItemHovered()) {
                        ImGui::BeginTooltip();
                        ImGui::PushTextWrapPos(em(30));
                        ImGui::TextUnformatted(app.save_error().c_str());
                        ImGui::PopTextWrapPos();
                        ImGui::EndTooltip();
                    }
                    break;
            }
            track(f, "Save state");
        }
        if (app.busy()) {
            ImGui::SameLine(0, em(2));
            spinner(app.busy_label().c_str());
        }
        if (service != nullptr) sync_state(f, *service, right);

        ImGui::SameLine(std::max(ImGui::GetCursorPosX() + em(1), ImGui::GetWindowContentRegionMax().x - right));
        if (service != nullptr) {
            if (button(f, "Sync")) open_sync_panel(f);
            ImGui::SameLine();
        }
        // The text size, always in reach: the same steps as Ctrl- and Ctrl+.
        auto& settings = app.settings();
        if (button(f, "A-")) {
            settings.font_size = std::max(12.0f, settings.font_size - 2.0f);
            app.save_settings();
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Smaller text (Ctrl -)");
        ImGui::SameLine();
        if (button(f, "A+")) {
            settings.font_size = std::min(40.0f, settings.font_size + 2.0f);
            app.save_settings();
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Larger text (Ctrl +)");
        ImGui::SameLine();
        if (button(f, "Settings")) open_settings(f);
        if (app.unlocked()) {
            ImGui::SameLine();
            if (button(f, "Lock (Ctrl+L)")) app.request_lock();
        }
        ImGui::SameLine();
        if (button(f, "Quit")) {
            app.flush();
            f.requests->quit = true;
        }
    }

private:
    static void sync_state(const Frame& f, client::SyncService& service, float right) {
        using State = sync::EngineStatus::State;
        const client::SyncView v = service.view();
        ImGui::SameLine(0, em(2));
        if (v.engine.state == State::Syncing || v.engine.enrolment == sync::EngineStatus::Enrolment::Running) {
            spinner("");
            ImGui::SameLine(0, 0);
        }
        const float room = ImGui::GetWindowContentRegionMax().x - right - em(1) - ImGui::GetCursorPosX();
        const std::string shown = fit_to_width(v.summary, std::max(room, em(6)));
        ImGui::PushStyleColor(ImGuiCol_Text, v.summary_is_problem ? palette().warning : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextUnformatted(shown.c_str());
        ImGui::PopStyleColor();
        if (shown != v.summary && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", v.summary.c_str());
        track_text(f, "Sync status", v.summary);
    }
};

}  // namespace

std::unique_ptr<View> make_status_bar() { return std::make_unique<StatusBar>(); }

}  // namespace imrdesk::ui
