// Always visible: profile, autosave state, sync state, Lock.
#include "view.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

class StatusBar final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
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
                    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.80f, 0.10f, 0.08f, 1.0f));
                    ImGui::TextUnformatted(app.save_error().c_str());
                    ImGui::PopStyleColor();
                    break;
            }
            track(f, "Save state");
            ImGui::SameLine(0, em(2));
            muted("Sync: not enrolled (this computer works offline)");
        }
        if (app.busy()) {
            ImGui::SameLine(0, em(2));
            spinner(app.busy_label().c_str());
        }
        const float right = em(app.unlocked() ? 17.0f : 10.0f);
        ImGui::SameLine(std::max(ImGui::GetCursorPosX() + em(1), ImGui::GetWindowContentRegionMax().x - right));
        if (button(f, "Settings")) open_settings(f);
        if (app.unlocked()) {
            ImGui::SameLine();
            if (button(f, "Lock (Ctrl+L)")) app.lock();
        }
        ImGui::SameLine();
        if (button(f, "Quit")) {
            app.flush();
            f.requests->quit = true;
        }
    }
};

}  // namespace

std::unique_ptr<View> make_status_bar() { return std::make_unique<StatusBar>(); }

}  // namespace imrdesk::ui
