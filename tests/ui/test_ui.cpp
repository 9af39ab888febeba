// The kiosk UI as a person uses it, headless: clicks and typing by label.
#include <doctest/doctest.h>

#include <imgui.h>
#include <imgui_internal.h>

#include "harness.hpp"
#include "imrdesk/client/profiles.hpp"
#include "power_cut_vfs.hpp"

using namespace imrdesk;
using test::UiHarness;

TEST_CASE("ui: a first run creates a profile and shows the recovery key once before going on") {
    UiHarness h;
    REQUIRE(h.app().screen() == client::Screen::CreateProfile);
    h.click("Profile name");
    h.type("Jo Example");
    h.click("Passphrase");
    h.type("short");
    CHECK(h.app().screen() == client::Screen::CreateProfile);  // too weak: Create stays disabled
    h.click("Create profile");
    h.settle();
    CHECK(h.app().screen() == client::Screen::CreateProfile);

    h.click("Passphrase");
    h.type(" enough words here");
    h.click("Passphrase again");
    h.type("short enough words here");
    h.click("Create profile");
    h.settle();
    REQUIRE(h.app().screen() == client::Screen::RecoveryKey);
    CHECK(h.app().recovery_key().size() == 44);
    CHECK(h.has("Recovery key"));
    h.click("Continue");  // disabled until the box is ticked
    CHECK(h.app().screen() == client::Screen::RecoveryKey);
    h.click("I have stored it safely");
    h.click("Continue");
    CHECK(h.app().screen() == client::Screen::Home);
    CHECK(h.app().recovery_key().empty());
    CHECK(std::filesystem::exists(client::vault_file(h.data_dir(), "Jo Example")));
}

TEST_CASE("ui: unlock refuses a wrong passphrase with a clear message and opens with the right one") {
    UiHarness* probe = nullptr;
    (void)probe;
    test::TempDir seed;
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    h.app().refresh_profiles();
    h.app().choose_profile("alice");
    h.frame(2);
    REQUIRE(h.app().screen() == client::Screen::Unlock);
    h.click("Passphrase");
    h.type("not the passphrase");
    h.click("Unlock");
    h.settle();
    CHECK(h.app().screen() == client::Screen::Unlock);
    CHECK(h.app().screen_error().find("not right") != std::string::npos);
    h.click("Passphrase");
    h.type(test::kPassphrase);
    h.press(257);  // Enter
    h.settle();
    CHECK(h.app().screen() == client::Screen::Home);
    CHECK(h.app().unlocked());
}

namespace {

void open_first_imr(UiHarness& h) {
    h.unlock_profile();
    REQUIRE(h.app().screen() == client::Screen::Home);
    h.click("open SAR 2026-01");
    REQUIRE(h.app().screen() == client::Screen::Imr);
}

}  // namespace

TEST_CASE("ui: writing a section autosaves it within a second, and it survives reopening") {
    UiHarness h;
    const auto imr = test::make_profile_with_imr(h.data_dir());
    open_first_imr(h);
    h.click("nav:summary");
    h.click("Section text");
    h.type("Adult A lived alone. ");
    h.type("The GP saw him monthly.");
    CHECK(h.app().save_state() == client::SaveState::Unsaved);
    h.advance(1.2);
    h.frame();
    CHECK(h.app().save_state() == client::SaveState::Saved);
    const auto* section = h.app().workspace().get(imr).section("summary");
    REQUIRE(section != nullptr);
    CHECK(section->value.text == "Adult A lived alone. The GP saw him monthly.");

    // What the vault holds, read back through a fresh load.
    h.app().lock();
    h.frame();
    client::Workspace reopened(client::Vault::open(client::vault_file(h.data_dir(), "alice"), test::kPassphrase));
    CHECK(reopened.get(imr).section("summary")->value.text == "Adult A lived alone. The GP saw him monthly.");
}

TEST_CASE("ui: a section is marked not applicable only with a reason") {
    UiHarness h;
    const auto imr = test::make_profile_with_imr(h.data_dir());
    open_first_imr(h);
    CHECK_FALSE(h.has("nav:themes.advocacy"));  // scrolled out of sight in the navigator
    h.click("nav:analysis.q9");
    CHECK(h.app().current_section() == "analysis.q9");
    h.click("Not applicable to my agency");
    REQUIRE(h.has("Not applicable reason"));
    h.click("Mark not applicable");  // disabled: no reason yet
    CHECK(h.app().workspace().get(imr).section("analysis.q9") == nullptr);
    h.click("Not applicable reason");
    h.type("The agency has no advocacy role");
    h.click("Mark not applicable");
    const auto* s = h.app().workspace().get(imr).section("analysis.q9");
    REQUIRE(s != nullptr);
    CHECK(s->value.not_applicable);
    CHECK(s->value.not_applicable_reason == "The agency has no advocacy role");
}

TEST_CASE("ui: idle auto-lock saves, wipes what was decrypted and returns to the same place") {
    UiHarness h;
    const auto imr = test::make_profile_with_imr(h.data_dir());
    open_first_imr(h);
    h.click("nav:analysis.q2");
    h.click("Section text");
    h.type("Typed just before walking away");
    h.advance(5 * 60 + 1);  // default auto-lock: 5 minutes
    h.frame();
    CHECK_FALSE(h.app().unlocked());
    CHECK(h.app().screen() == client::Screen::Unlock);
    CHECK(h.lock_hooks == 1);
    CHECK(h.app().draft().text.empty());
    CHECK(h.app().current_imr() == nullptr);

    h.click("Passphrase");
    h.type(test::kPassphrase);
    h.click("Unlock");
    h.settle();
    CHECK(h.app().screen() == client::Screen::Imr);
    CHECK(h.app().current_section() == "analysis.q2");
    CHECK(h.app().workspace().get(imr).section("analysis.q2")->value.text == "Typed just before walking away");
    CHECK(h.app().draft().text == "Typed just before walking away");
}

TEST_CASE("ui: Ctrl+L locks at once and clears the clipboard when it holds our text") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    open_first_imr(h);
    ImGui::SetClipboardText("Adult A's address");
    CHECK(h.clipboard == "Adult A's address");
    h.press_ctrl('L');
    CHECK_FALSE(h.app().unlocked());
    CHECK(h.clipboard.empty());
}

TEST_CASE("ui: the clipboard is left alone when it holds someone else's text") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    open_first_imr(h);
    ImGui::SetClipboardText("ours");
    h.clipboard = "copied from another program";
    h.press_ctrl('L');
    CHECK(h.clipboard == "copied from another program");
}

TEST_CASE("ui: a new IMR is created from the home screen and deleting it needs the case reference typed") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    open_first_imr(h);
    h.click("< All IMRs");
    h.click("New IMR");
    h.click("Case reference");
    h.type("SAR 2026-09");
    h.click("Agency");
    h.type("Northshire Police");
    h.click("Adults");
    h.type("Adult B, 03/04/1950");
    h.click("Create IMR");
    REQUIRE(h.app().screen() == client::Screen::Imr);
    const auto* doc = h.app().current_imr();
    REQUIRE(doc != nullptr);
    CHECK(doc->header.case_info.reference == "SAR 2026-09");
    REQUIRE(doc->header.adults.size() == 1);
    CHECK(doc->header.adults[0].name == "Adult B");
    CHECK(doc->header.adults[0].date_of_birth->iso() == "1950-04-03");
    CHECK(h.app().workspace().imrs().size() == 2);
}

TEST_CASE("ui: Ctrl+F finds text across the IMR and a result leads to its section") {
    UiHarness h;
    const auto imr = test::make_profile_with_imr(h.data_dir());
    open_first_imr(h);
    h.app().apply("test", [&](client::Workspace& ws) {
        ws.save_section(imr, {"learning.q3", "Supervision notes were never recorded.", false, "", {}, false, {}});
    });
    h.press_ctrl('F');
    REQUIRE(h.has("Find"));
    h.click("Find");
    h.type("supervision");
    REQUIRE(h.has("Are there implications for ways of working?"));
    h.click("Are there implications for ways of working?");
    CHECK(h.app().current_section() == "learning.q3");
    CHECK(h.app().imr_view() == client::ImrView::Sections);
}

TEST_CASE("ui: the font size follows Ctrl+ and Ctrl- within limits") {
    UiHarness h;
    const float start = h.app().settings().font_size;
    h.press_ctrl('=');
    CHECK(h.app().settings().font_size == start + 2);
    for (int i = 0; i < 30; ++i) h.press_ctrl('-');
    CHECK(h.app().settings().font_size == 12);
}

TEST_CASE("ui: Find matches whole words, marks the match, keeps its width, and any part of a result leads to it") {
    UiHarness h;
    const auto imr = test::make_profile_with_imr(h.data_dir());
    open_first_imr(h);
    h.app().apply("test", [&](client::Workspace& ws) {
        ws.save_section(imr, {"learning.q3", "The person said her son visited on Sundays; Sonia did not.", false, "", {}, false, {}});
    });
    h.press_ctrl('F');
    h.click("Find");
    REQUIRE(GImGui->OpenPopupStack.Size > 0);
    const ImGuiWindow* popup = GImGui->OpenPopupStack.back().Window;  // the Find pop-up
    REQUIRE(popup != nullptr);
    const float width = popup->Size.x;
    h.type("son");
    CHECK(h.has("Matches: 1 match"));  // not "person", not "Sonia"
    CHECK(h.has("match son"));         // the match is marked in the snippet
    CHECK(popup->Size.x == width);     // typing does not change the pop-up's width
    h.click("Match parts of words");
    CHECK(h.has("Matches: 3 matches"));
    h.click("Match parts of words");
    CHECK(h.has("Matches: 1 match"));
    h.click("Find");  // back in the box, after "son"
    h.type(" visited on Sundays; and a long tail of words that do not occur anywhere at all");
    CHECK(popup->Size.x == width);
    CHECK(h.has("Matches: 0 matches"));
    h.press_ctrl('A');
    h.type("son");
    REQUIRE(h.has("result 1"));
    // The row's second line, the snippet, is part of what can be clicked.
    const auto rect = h.ui().items().at("result 1");
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(rect.cx(), rect.y1 - ImGui::GetTextLineHeight() / 2);
    h.frame();
    io.MouseDown[0] = true;
    h.frame();
    io.MouseDown[0] = false;
    h.frame(2);
    CHECK(h.app().current_section() == "learning.q3");
    CHECK(h.app().imr_view() == client::ImrView::Sections);
}

TEST_CASE("ui: Home opens an IMR from anywhere on its row or from its Open button") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    h.unlock_profile();
    REQUIRE(h.app().screen() == client::Screen::Home);
    // A single click on the row's last line, away from the case reference, opens it.
    const auto row = h.ui().items().at("open SAR 2026-01");
    CHECK(row.y1 - row.y0 >= 2.5f * ImGui::GetTextLineHeight());  // the whole row, not its first line
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(row.x0 + (row.x1 - row.x0) * 0.4f, row.y1 - ImGui::GetTextLineHeight() / 2);
    h.frame();
    io.MouseDown[0] = true;
    h.frame();
    io.MouseDown[0] = false;
    h.frame(2);
    CHECK(h.app().screen() == client::Screen::Imr);
    h.app().go_home();
    h.frame(2);
    REQUIRE(h.has("Open SAR 2026-01"));
    h.click("Open SAR 2026-01");
    CHECK(h.app().screen() == client::Screen::Imr);
}

TEST_CASE("ui: New IMR keeps Create and Cancel in sight at the largest text, and Escape goes back") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    h.unlock_profile();
    h.app().settings().font_size = 40;
    h.frame(3);
    h.click("New IMR");
    REQUIRE(h.has("Case reference"));
    CHECK(h.has("Create IMR"));  // drawn on screen, below a form that scrolls
    CHECK(h.has("Cancel"));
    CHECK(h.has("New IMR needs"));
    h.press(256);  // Escape
    CHECK_FALSE(h.has("Case reference"));
    CHECK(h.has("New IMR"));
}

TEST_CASE("ui: on a full disk the status bar says so, every button stays on the screen, and the text is saved once there is room") {
    test::PowerCutVfs disk;  // before the harness: the vault opens through it
    UiHarness h;
    const auto imr = test::make_profile_with_imr(h.data_dir());
    open_first_imr(h);
    h.click("nav:summary");
    h.click("Section text");
    disk.set_disk_full(true);
    h.type("Typed while the disk is full, and a long way from any save.");
    h.advance(1.2);
    h.frame(2);
    CHECK(h.app().disk_full());
    REQUIRE(h.has("Save state"));
    REQUIRE(h.has("Lock (Ctrl+L)"));
    REQUIRE(h.has("Quit"));
    const auto& items = h.ui().items();
    const float width = ImGui::GetIO().DisplaySize.x;
    CHECK(items.at("Quit").x1 <= width);
    CHECK(items.at("Save state").x1 <= items.at("Lock (Ctrl+L)").x0);
    CHECK(items.at("Save state").x1 <= items.at("Settings").x0);

    disk.set_disk_full(false);
    h.advance(client::App::kRetryDelay);
    h.frame(2);
    CHECK(h.app().save_state() == client::SaveState::Saved);
    CHECK(h.app().workspace().get(imr).section("summary")->value.text == "Typed while the disk is full, and a long way from any save.");
}
