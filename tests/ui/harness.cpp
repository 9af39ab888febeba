#include "harness.hpp"

#include <stdexcept>

#include "imrdesk/client/profiles.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/ui/headless.hpp"

namespace imrdesk::test {
namespace {

void set_clipboard(void* user, const char* text) { static_cast<UiHarness*>(user)->clipboard = text; }
const char* get_clipboard(void* user) { return static_cast<UiHarness*>(user)->clipboard.c_str(); }

}  // namespace

domain::Id make_profile_with_imr(const std::filesystem::path& data_dir, const std::string& profile) {
    client::CreateOptions options;
    options.kdf = crypto::kdf::insecure_fast_for_tests();
    auto created = client::Vault::create(client::vault_file(data_dir, profile), kPassphrase, options);
    client::Workspace ws(std::move(created.vault));
    domain::ImrHeader h;
    h.case_info.reference = "SAR 2026-01";
    h.case_info.period_from = domain::CivilDate{2024, 1, 1};
    h.case_info.period_to = domain::CivilDate{2024, 12, 31};
    h.case_info.terms_of_reference = {{1, "Was the risk understood?"}};
    h.agency = "Test Agency";
    h.adults = {{"Adult A", std::nullopt}};
    return ws.create_imr(h);
}

UiHarness::UiHarness(bool demo_profile) {
    ui::use_zeroing_allocator();
    context_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    ui::setup_headless_io(io, 1366, 768);
    io.ClipboardUserData = this;
    io.SetClipboardTextFn = set_clipboard;
    io.GetClipboardTextFn = get_clipboard;

    client::AppConfig config;
    config.data_dir = dir_.path();
    config.kdf_for_new_profiles = crypto::kdf::insecure_fast_for_tests();
    config.now = [this] { return now_; };
    config.on_lock = [this] {
        ++lock_hooks;
        if (ui_) ui_->on_lock();
    };
    config.persist_settings = false;
    if (demo_profile) {
        app_ = std::make_unique<client::App>(config);
        app_->open_demo();
    } else {
        app_ = std::make_unique<client::App>(std::move(config));
    }
    ui_ = std::make_unique<ui::Ui>(*app_, 1.0f);
    ui_->track_items(true);
    if (demo_profile) settle();
    frame(2);
}

UiHarness::~UiHarness() {
    app_->tasks().drain();
    ui_.reset();
    app_.reset();
    ImGui::DestroyContext(context_);
}

void UiHarness::frame(int count) {
    ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < count; ++i) {
        if (ui_->fonts_dirty()) {
            ui_->build_fonts();
            unsigned char* pixels = nullptr;
            int w = 0, h = 0;
            io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        }
        now_ += 1.0 / 60.0;
        ImGui::NewFrame();
        ui_->frame();
        ImGui::Render();
    }
}

void UiHarness::settle() {
    app_->tasks().drain();
    frame(2);
}

void UiHarness::advance(double seconds) { now_ += seconds; }

void UiHarness::unlock_profile(const std::string& profile) {
    app_->refresh_profiles();
    app_->choose_profile(profile);
    frame(2);
    click("Passphrase");
    type(kPassphrase);
    click("Unlock");
    settle();
}

bool UiHarness::has(const std::string& label) const { return ui_->items().count(label) != 0; }

void UiHarness::aim_at(const std::string& label) {
    const auto it = ui_->items().find(label);
    if (it == ui_->items().end()) throw std::runtime_error("no widget labelled '" + label + "' in the last frame");
    ImGui::GetIO().MousePos = ImVec2(it->second.cx(), it->second.cy());
}

void UiHarness::aim_again_at(const std::string& label) {
    // As a person's eye follows a button that moved: background work (a sync retrying, a task
    // finishing) can change the layout between two frames. Once the widget is gone (a press that
    // closed its popup), the pointer stays where it was.
    const auto it = ui_->items().find(label);
    if (it != ui_->items().end()) ImGui::GetIO().MousePos = ImVec2(it->second.cx(), it->second.cy());
}

void UiHarness::click(const std::string& label) {
    ImGuiIO& io = ImGui::GetIO();
    aim_at(label);
    frame();
    aim_again_at(label);
    frame();  // hovered where it is now
    aim_again_at(label);
    io.MouseDown[0] = true;
    frame();
    aim_again_at(label);
    io.MouseDown[0] = false;
    frame(2);
}

void UiHarness::scroll_over(const std::string& label, float wheel) {
    ImGuiIO& io = ImGui::GetIO();
    aim_at(label);
    frame();
    aim_again_at(label);
    io.MouseWheel = wheel;
    frame();
    io.MouseWheel = 0;
    frame(2);
}

void UiHarness::enrol_offline(const std::vector<sync::Membership>& memberships) {
    sync::ServerLink link;
    link.host = "127.0.0.1";
    link.port = 1;
    link.fingerprint.fill(0xAB);
    link.device_id = client::new_id();
    link.memberships = memberships;
    app().sync()->replica().save_link(link);
    app().sync()->refresh_counts();
    frame(2);
}

void UiHarness::type(const std::string& text) {
    ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
    frame(2);
}

void UiHarness::press_ctrl(int key) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = true;
    io.KeysDown[key] = true;
    frame();
    io.KeysDown[key] = false;
    io.KeyCtrl = false;
    frame();
}

void UiHarness::press(int key) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    frame();
    io.KeysDown[key] = false;
    frame();
}

}  // namespace imrdesk::test
