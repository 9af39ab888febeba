// The Names view, driven headless: the register (add, duplicate pseudonym refused, the header's
// adult proposed and added), the scan (a registered name and an unregistered "Mr Somebody"), Go to,
// Replace here (saved in the vault), a submitted IMR, and a lock that wipes what the view holds.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include "harness.hpp"

using namespace imrdesk;
using test::UiHarness;

namespace {

struct Opened {
    domain::Id imr;
    domain::Id entry;
};

// An IMR whose summary names Mr Quillfeather, with an entry naming him and Mr Somebody, and
// Mrs Okonkwo as the adult of the review.
Opened open_imr(UiHarness& h) {
    const auto imr = test::make_profile_with_imr(h.data_dir());
    h.unlock_profile();
    h.click("open SAR 2026-01");
    auto& ws = h.app().workspace();
    auto header = ws.get(imr).header;
    header.adults = {{"Mrs Okonkwo", std::nullopt}};
    ws.update_header(imr, header);
    domain::SectionContent summary;
    summary.key = "summary";
    summary.text = "Mr Quillfeather lived alone.";
    ws.save_section(imr, summary);
    domain::ChronologyEntry e;
    e.date = domain::parse_date("14/03/2024");
    e.source = "GP record 1184";
    e.event = "Seen at home with Mr Quillfeather's son and Mr Somebody.";
    const auto entry = ws.add_entry(imr, e);
    h.frame(2);
    return {imr, entry};
}

void open_names(UiHarness& h) {
    h.click("Names");
    h.settle();  // the scan runs in the background
    REQUIRE(h.app().imr_view() == client::ImrView::Names);
}

const domain::NameEntry* registered(UiHarness& h, const domain::Id& imr, const std::string& real_name) {
    for (const auto& n : h.app().workspace().get(imr).names)
        if (n.value.real_name == real_name) return &n.value;
    return nullptr;
}

void add_name(UiHarness& h, const std::string& real_name, const std::string& pseudonym = {}) {
    h.click("Real name");
    h.press_ctrl('A');
    h.type(real_name);
    if (!pseudonym.empty()) {
        h.click("Pseudonym");
        h.press_ctrl('A');  // over the proposed pseudonym
        h.type(pseudonym);
    }
    h.click("Add to the register");
    h.settle();
}

}  // namespace

TEST_CASE("ui: Names: register a name, refuse a pseudonym in use, add the header's adult, propose the next pseudonym") {
    UiHarness h;
    const auto [imr, entry] = open_imr(h);
    open_names(h);
    REQUIRE(h.has("Real name"));
    REQUIRE(h.has("Add to the register"));

    add_name(h, "Mr Quillfeather", "Adult B");
    REQUIRE(registered(h, imr, "Mr Quillfeather") != nullptr);
    CHECK(registered(h, imr, "Mr Quillfeather")->pseudonym == "Adult B");
    CHECK(h.has("name:Mr Quillfeather"));
    CHECK(h.has("Edit:Mr Quillfeather"));

    // The header's adult is proposed, with the first pseudonym not in use.
    REQUIRE(h.has("Add proposed:Mrs Okonkwo"));
    h.click("Add proposed:Mrs Okonkwo");
    h.settle();
    REQUIRE(registered(h, imr, "Mrs Okonkwo") != nullptr);
    CHECK(registered(h, imr, "Mrs Okonkwo")->pseudonym == "Adult A");
    CHECK_FALSE(h.has("Add proposed:Mrs Okonkwo"));

    // The form proposes the next free pseudonym.
    add_name(h, "Dr Patel");
    REQUIRE(registered(h, imr, "Dr Patel") != nullptr);
    CHECK(registered(h, imr, "Dr Patel")->pseudonym == "Adult C");

    // A pseudonym another name has is refused, in words; nothing is saved.
    add_name(h, "Ms Jones", "adult b");
    CHECK(registered(h, imr, "Ms Jones") == nullptr);
    CHECK(h.has("Form error"));
    CHECK(h.app().workspace().get(imr).names.size() == 3);

    // Remove asks on the row first.
    h.click("Remove:Dr Patel");
    REQUIRE(h.has("Remove it:Dr Patel"));
    h.click("Remove it:Dr Patel");
    h.settle();
    CHECK(registered(h, imr, "Dr Patel") == nullptr);
}

TEST_CASE("ui: Names scan: a registered name and Mr Somebody, Go to leads to the place, Replace here saves the pseudonym") {
    UiHarness h;
    const auto [imr, entry] = open_imr(h);
    (void)h.app().workspace().save_name(imr, {"Mr Quillfeather", "Adult B", nlohmann::json::object()});
    open_names(h);
    REQUIRE(h.has("finding:Mr Quillfeather#1"));  // the summary
    REQUIRE(h.has("finding:Mr Quillfeather#2"));  // the chronology entry
    REQUIRE(h.has("finding:Mr Somebody#1"));
    CHECK(h.has("Replace here:Mr Quillfeather#1"));
    CHECK(h.has("Register:Mr Somebody#1"));
    CHECK_FALSE(h.has("Replace here:Mr Somebody#1"));  // not registered: nothing to replace it with

    h.click("Go to:Mr Quillfeather#1");
    CHECK(h.app().imr_view() == client::ImrView::Sections);
    CHECK(h.app().current_section() == "summary");

    open_names(h);
    h.click("Go to:Mr Somebody#1");
    CHECK(h.app().imr_view() == client::ImrView::Chronology);
    CHECK(h.app().selected_entry() == entry);

    open_names(h);
    h.click("Replace here:Mr Quillfeather#1");
    h.settle();
    CHECK(h.app().workspace().get(imr).section("summary")->value.text == "Adult B lived alone.");
    CHECK(h.app().workspace().get(imr).entry(entry)->value.event == "Seen at home with Mr Quillfeather's son and Mr Somebody.");
    // Scanned again: the entry is now the first place of the name; replacing keeps the possessive.
    CHECK_FALSE(h.has("finding:Mr Quillfeather#2"));
    h.click("Replace here:Mr Quillfeather#1");
    h.settle();
    CHECK(h.app().workspace().get(imr).entry(entry)->value.event == "Seen at home with Adult B's son and Mr Somebody.");
    CHECK_FALSE(h.has("finding:Mr Quillfeather#1"));

    // Register... fills in the form with the name found and the next free pseudonym.
    h.click("Register:Mr Somebody#1");
    h.click("Add to the register");
    h.settle();
    REQUIRE(registered(h, imr, "Mr Somebody") != nullptr);
    CHECK(registered(h, imr, "Mr Somebody")->pseudonym == "Adult A");
    CHECK(h.has("Replace here:Mr Somebody#1"));

    // Saved in the vault: the text is the same after locking and unlocking.
    h.app().lock();
    h.frame(2);
    h.unlock_profile();
    CHECK(h.app().workspace().get(imr).section("summary")->value.text == "Adult B lived alone.");
}

TEST_CASE("ui: Names on a submitted IMR: findings lead to their place, but there is no Replace here and the register is closed") {
    UiHarness h;
    const auto [imr, entry] = open_imr(h);
    auto& ws = h.app().workspace();
    const auto id = ws.save_name(imr, {"Mr Quillfeather", "Adult B", nlohmann::json::object()});
    ws.set_status(imr, domain::ImrStatus::Submitted);
    h.frame(2);
    open_names(h);
    REQUIRE(h.has("finding:Mr Quillfeather#1"));
    CHECK(h.has("Go to:Mr Quillfeather#1"));
    CHECK_FALSE(h.has("Replace here:Mr Quillfeather#1"));
    CHECK_FALSE(h.has("Register:Mr Somebody#1"));
    CHECK(h.has("Replace here read-only"));
    CHECK(h.has("Names register read-only"));
    CHECK_THROWS_AS((void)ws.save_name(imr, {"Mr Somebody", "Adult C", nlohmann::json::object()}), client::WorkspaceError);
    CHECK_THROWS_AS(ws.delete_name(imr, id), client::WorkspaceError);
}

TEST_CASE("ui: locking wipes the Names view: after unlocking, nothing found before is shown until the scan runs again") {
    UiHarness h;
    const auto [imr, entry] = open_imr(h);
    (void)h.app().workspace().save_name(imr, {"Mr Quillfeather", "Adult B", nlohmann::json::object()});
    open_names(h);
    REQUIRE(h.has("finding:Mr Quillfeather#1"));

    h.app().lock();
    h.frame(2);
    CHECK_FALSE(h.has("finding:Mr Quillfeather#1"));
    h.click("Passphrase");
    h.type(test::kPassphrase);
    h.click("Unlock");
    // Hold the worker after the unlock, so the new scan waits and the first frames show what the
    // view kept through the lock: nothing.
    std::promise<void> release;
    auto held = release.get_future().share();
    h.app().tasks().post("held", [held]() -> client::TaskRunner::Continuation {
        held.wait();
        return [] {};
    });
    for (int i = 0; i < 5000 && !h.app().unlocked(); ++i) {
        h.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    REQUIRE(h.app().unlocked());
    h.frame(2);
    REQUIRE(h.app().imr_view() == client::ImrView::Names);
    CHECK(h.has("Looking for names"));
    CHECK_FALSE(h.has("finding:Mr Quillfeather#1"));
    release.set_value();
    h.settle();
    CHECK(h.has("finding:Mr Quillfeather#1"));
}
