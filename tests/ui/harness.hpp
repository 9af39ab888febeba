#pragma once
// Drives the real imrdesk UI headless: an ImGui context with no window and no GPU, a fake clock,
// input through io fields as ImGui 1.86 has them, and widgets found by label.
#include <memory>
#include <string>

#include <imgui.h>

#include "imrdesk/client/app.hpp"
#include "imrdesk/ui/ui.hpp"
#include "temp_dir.hpp"

namespace imrdesk::test {

class UiHarness {
public:
    explicit UiHarness(bool demo_profile = false);
    ~UiHarness();

    client::App& app() { return *app_; }
    ui::Ui& ui() { return *ui_; }
    const std::filesystem::path& data_dir() const { return dir_.path(); }

    void frame(int count = 1);
    // Runs background work to completion and draws the result.
    void settle();
    void advance(double seconds);  // the fake clock

    [[nodiscard]] bool has(const std::string& label) const;
    // Chooses the profile on the profiles screen, types the test passphrase and unlocks, as a
    // person would; background work is run to completion.
    void unlock_profile(const std::string& profile = "alice");
    void click(const std::string& label);
    void type(const std::string& text);
    // Turns the mouse wheel over a widget (negative: down), as a person scrolls a panel.
    void scroll_over(const std::string& label, float wheel);
    void press_ctrl(int key);
    void press(int key);

    // Enrols the unlocked profile with a server nobody answers on (127.0.0.1:1), with these
    // memberships: an enrolled, offline computer.
    void enrol_offline(const std::vector<sync::Membership>& memberships);

    std::string clipboard;  // what the app copied last (fake platform clipboard)
    int lock_hooks = 0;

private:
    void aim_at(const std::string& label);        // the pointer to the widget's centre, or throws
    void aim_again_at(const std::string& label);  // follows the widget if it moved
    TempDir dir_;
    double now_ = 1000.0;
    ImGuiContext* context_ = nullptr;
    std::unique_ptr<client::App> app_;
    std::unique_ptr<ui::Ui> ui_;
};

// Creates a profile with an IMR in dir (fast key derivation), passphrase "correct horse battery staple".
domain::Id make_profile_with_imr(const std::filesystem::path& data_dir, const std::string& profile = "alice");
inline constexpr const char* kPassphrase = "correct horse battery staple";

}  // namespace imrdesk::test
