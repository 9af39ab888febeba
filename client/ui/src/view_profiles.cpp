// The screens before a profile is open: create (with the recovery key shown once), choose,
// unlock, recover with the recovery key.
#include "imrdesk/client/passphrase_policy.hpp"
#include "view.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

class ProfilesView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        // A centred column, readable on a 1366x768 laptop and on a 4K screen alike.
        const float width = std::min(em(34), ImGui::GetContentRegionAvail().x);
        ImGui::SetCursorPosX((ImGui::GetWindowWidth() - width) / 2);
        ImGui::BeginChild("profiles", ImVec2(width, 0), false);
        ImGui::Dummy(ImVec2(0, em(1.5f)));
        switch (app.screen()) {
            case client::Screen::CreateProfile: create(f); break;
            case client::Screen::RecoveryKey: recovery_key(f); break;
            case client::Screen::Unlock: unlock(f); break;
            case client::Screen::Recover: recover(f); break;
            default: choose(f); break;
        }
        if (app.busy()) {
            ImGui::Spacing();
            spinner((app.busy_label() + "...").c_str());
        }
        if (!app.screen_error().empty()) {
            ImGui::Spacing();
            error_text(app.screen_error());
        }
        ImGui::EndChild();
    }

    void wipe() noexcept override {
        for (auto* s : {&passphrase_, &passphrase_again_, &recovery_, &name_}) crypto::wipe(*s);
        stored_safely_ = false;
    }

private:
    static void strength_meter(const std::string& passphrase) {
        if (passphrase.empty()) return;
        const auto strength = client::assess_passphrase(passphrase);
        static constexpr const char* kWords[] = {"Too weak", "Weak", "Fair", "Good", "Strong"};
        const ImVec4 colours[] = {ImVec4(0.80f, 0.10f, 0.08f, 1), ImVec4(0.85f, 0.40f, 0.05f, 1),
                                  ImVec4(0.70f, 0.60f, 0.00f, 1), ImVec4(0.20f, 0.55f, 0.20f, 1),
                                  ImVec4(0.10f, 0.50f, 0.15f, 1)};
        const int score = std::clamp(strength.score, 0, 4);
        ImGui::PushStyleColor(ImGuiCol_PlotHistogram, colours[score]);
        ImGui::ProgressBar(static_cast<float>(score + 1) / 5.0f, ImVec2(em(10), em(0.6f)), "");
        ImGui::PopStyleColor();
        ImGui::SameLine();
        ImGui::TextUnformatted(kWords[score]);
        muted(strength.advice);
    }

    static bool passphrase_ok(const std::string& a, const std::string& b) {
        return client::assess_passphrase(a).acceptable && a == b;
    }

    void new_passphrase_fields(const Frame& f) {
        ImGui::TextUnformatted("Passphrase (at least 12 characters, or three or more words)");
        ImGui::SetNextItemWidth(-1);
        input_text(f, "##passphrase", passphrase_, ImGuiInputTextFlags_Password);
        track(f, "Passphrase");
        strength_meter(passphrase_);
        ImGui::TextUnformatted("Type it again");
        ImGui::SetNextItemWidth(-1);
        input_text(f, "##again", passphrase_again_, ImGuiInputTextFlags_Password);
        track(f, "Passphrase again");
        if (!passphrase_again_.empty() && passphrase_again_ != passphrase_) error_text("The two passphrases differ.");
    }

    void create(const Frame& f) {
        auto& app = f.app;
        heading(f, "Create your profile");
        wrapped("Your profile keeps your IMRs on this computer, encrypted. Only your passphrase, or the recovery key "
                "shown next, can open it. There is no other way in: nobody, not even IT support, can open it without one of them.");
        ImGui::Spacing();
        ImGui::TextUnformatted("Your name (shown on this computer only)");
        ImGui::SetNextItemWidth(-1);
        input_text(f, "##name", name_);
        track(f, "Profile name");
        new_passphrase_fields(f);
        ImGui::Spacing();
        ImGui::BeginDisabled(app.busy() || name_.empty() || !passphrase_ok(passphrase_, passphrase_again_));
        if (primary_button(f, "Create profile", ImVec2(em(10), 0))) {
            app.create_profile(name_, crypto::SecureBuffer::copy_of(passphrase_));
            crypto::wipe(passphrase_);
            crypto::wipe(passphrase_again_);
        }
        ImGui::EndDisabled();
        if (!app.profiles().empty()) {
            ImGui::SameLine();
            if (button(f, "Back")) app.show_profiles();
        }
    }

    void recovery_key(const Frame& f) {
        auto& app = f.app;
        heading(f, "Your recovery key");
        wrapped("Write this key down now, on paper, and keep it apart from this computer (many agencies keep it in the IT "
                "support safe). It opens your profile if you forget your passphrase. It is shown only this once.");
        ImGui::Spacing();
        ImGui::PushFont(f.fonts.mono);
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(app.recovery_key().c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopFont();
        track(f, "Recovery key");
        ImGui::Spacing();
        checkbox(f, "I have stored it safely", stored_safely_);
        ImGui::BeginDisabled(!stored_safely_);
        if (primary_button(f, "Continue", ImVec2(em(10), 0))) {
            stored_safely_ = false;
            app.confirm_recovery_key_stored();
        }
        ImGui::EndDisabled();
    }

    void choose(const Frame& f) {
        auto& app = f.app;
        heading(f, "Choose your profile");
        for (const auto& profile : app.profiles()) {
            if (selectable(f, profile.name.c_str(), profile.name == app.profile(), 0, ImVec2(0, em(1.8f))))
                app.choose_profile(profile.name);
        }
        ImGui::Spacing();
        if (button(f, "Create a new profile")) app.show_create_profile();
    }

    void unlock(const Frame& f) {
        auto& app = f.app;
        heading(f, "Unlock " + app.profile());
        ImGui::TextUnformatted("Passphrase");
        ImGui::SetNextItemWidth(-1);
        if (ImGui::IsWindowAppearing() || focus_passphrase_) {
            ImGui::SetKeyboardFocusHere();
            focus_passphrase_ = false;
        }
        const bool entered = input_text(f, "##unlock", passphrase_, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
        track(f, "Passphrase");
        ImGui::Spacing();
        ImGui::BeginDisabled(app.busy() || passphrase_.empty());
        if ((primary_button(f, "Unlock", ImVec2(em(8), 0)) || entered) && !passphrase_.empty() && !app.busy()) {
            app.unlock(crypto::SecureBuffer::copy_of(passphrase_));
            crypto::wipe(passphrase_);
            focus_passphrase_ = true;
        }
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (button(f, "Forgot passphrase")) app.show_recover();
        if (app.profiles().size() > 1 || app.profiles().empty()) {
            ImGui::SameLine();
            if (button(f, "Other profile")) app.show_profiles();
        }
    }

    void recover(const Frame& f) {
        auto& app = f.app;
        heading(f, "Forgotten passphrase: " + app.profile());
        wrapped("Type the recovery key you were shown when the profile was created (capitals or not, with or without "
                "dashes), then choose a new passphrase.");
        ImGui::TextUnformatted("Recovery key");
        ImGui::SetNextItemWidth(-1);
        ImGui::PushFont(f.fonts.mono);
        input_text(f, "##recovery", recovery_, 0, "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX");
        ImGui::PopFont();
        track(f, "Recovery key");
        new_passphrase_fields(f);
        ImGui::Spacing();
        ImGui::BeginDisabled(app.busy() || recovery_.empty() || !passphrase_ok(passphrase_, passphrase_again_));
        if (primary_button(f, "Set new passphrase", ImVec2(em(12), 0))) {
            app.recover(recovery_, crypto::SecureBuffer::copy_of(passphrase_));
            crypto::wipe(recovery_);
            crypto::wipe(passphrase_);
            crypto::wipe(passphrase_again_);
        }
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (button(f, "Back")) app.choose_profile(app.profile());
    }

    std::string name_;
    std::string passphrase_;
    std::string passphrase_again_;
    std::string recovery_;
    bool stored_safely_ = false;
    bool focus_passphrase_ = false;
};

}  // namespace

std::unique_ptr<View> make_profiles_view() { return std::make_unique<ProfilesView>(); }

}  // namespace imrdesk::ui
