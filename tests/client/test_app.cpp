#include <doctest/doctest.h>

#include <atomic>

#include "imrdesk/client/app.hpp"
#include "imrdesk/client/settings.hpp"
#include "imrdesk/client/tasks.hpp"
#include "power_cut_vfs.hpp"
#include "temp_dir.hpp"

using namespace imrdesk;

namespace {

struct Fixture {
    test::TempDir dir;
    double t = 100;
    std::unique_ptr<client::App> app;
    domain::Id imr;

    Fixture() {
        client::AppConfig config;
        config.data_dir = dir.path();
        config.kdf_for_new_profiles = crypto::kdf::insecure_fast_for_tests();
        config.now = [this] { return t; };
        config.persist_settings = false;
        app = std::make_unique<client::App>(config);
        app->create_profile("alice", crypto::SecureBuffer::copy_of("correct horse battery staple"));
        app->tasks().drain();
        REQUIRE(app->screen() == client::Screen::RecoveryKey);
        app->confirm_recovery_key_stored();
        domain::ImrHeader h;
        h.case_info.reference = "SAR 1";
        h.agency = "Agency";
        h.adults = {{"Adult A", std::nullopt}};
        app->apply("create", [&](client::Workspace& ws) { imr = ws.create_imr(h); });
        app->open_imr(imr);
    }
};

}  // namespace

TEST_CASE("app: a section draft is saved a second after the last keystroke, not before") {
    Fixture fx;
    auto& app = *fx.app;
    app.select_section("summary");
    app.draft().text = "Draft";
    app.draft_changed();
    fx.t += 0.5;
    app.tick();
    CHECK(app.workspace().get(fx.imr).section("summary") == nullptr);
    CHECK(app.seconds_until_next_timer() == doctest::Approx(0.5));
    fx.t += 0.6;
    app.tick();
    REQUIRE(app.workspace().get(fx.imr).section("summary") != nullptr);
    CHECK(app.workspace().get(fx.imr).section("summary")->value.text == "Draft");
    CHECK(app.save_state() == client::SaveState::Saved);
}

TEST_CASE("app: switching section saves the draft at once") {
    Fixture fx;
    auto& app = *fx.app;
    app.select_section("summary");
    app.draft().text = "Summary text";
    app.draft_changed();
    app.select_section("analysis.q1");
    CHECK(app.workspace().get(fx.imr).section("summary")->value.text == "Summary text");
    CHECK(app.draft().text.empty());
}

TEST_CASE("app: a staged form edit is applied after the delay, replaced by a newer one, and kept visible when invalid") {
    Fixture fx;
    auto& app = *fx.app;
    auto header = app.workspace().get(fx.imr).header;
    header.author_name = "First";
    app.stage("About this IMR", [&, header](client::Workspace& ws) { ws.update_header(fx.imr, header); });
    header.author_name = "Second";
    app.stage("About this IMR", [&, header](client::Workspace& ws) { ws.update_header(fx.imr, header); });
    fx.t += 1.1;
    app.tick();
    CHECK(app.workspace().get(fx.imr).header.author_name == "Second");
    CHECK_FALSE(app.has_staged());

    header.agency = "";  // invalid: the agency is required
    app.stage("About this IMR", [&, header](client::Workspace& ws) { ws.update_header(fx.imr, header); });
    fx.t += 1.1;
    app.tick();
    CHECK(app.save_state() == client::SaveState::Error);
    CHECK(app.save_error().find("agency: the name of the agency is required") != std::string::npos);
    CHECK(app.workspace().get(fx.imr).header.agency == "Agency");
}

TEST_CASE("app: auto-lock follows the setting, saves first and comes back to the same place") {
    Fixture fx;
    auto& app = *fx.app;
    app.settings().auto_lock_minutes = 2;
    app.select_section("learning.q2");
    app.draft().text = "Lesson";
    app.draft_changed();
    fx.t += 119;
    app.tick();
    CHECK(app.unlocked());
    fx.t += 2;
    app.tick();
    CHECK_FALSE(app.unlocked());
    CHECK(app.draft().text.empty());
    app.unlock(crypto::SecureBuffer::copy_of("correct horse battery staple"));
    app.tasks().drain();
    REQUIRE(app.unlocked());
    CHECK(app.screen() == client::Screen::Imr);
    CHECK(app.current_section() == "learning.q2");
    CHECK(app.draft().text == "Lesson");
}

TEST_CASE("app: go_to leads to the place of a finding") {
    Fixture fx;
    auto& app = *fx.app;
    domain::Id entry;
    domain::ChronologyEntry e;
    e.date = domain::PartialDate::day(2024, 1, 2);
    e.source = "s";
    e.event = "e";
    app.apply("add", [&](client::Workspace& ws) { entry = ws.add_entry(fx.imr, e); });
    app.go_to({client::Place::Kind::Entry, "chronology", entry, "event"});
    CHECK(app.imr_view() == client::ImrView::Chronology);
    CHECK(app.selected_entry() == entry);
    app.go_to({client::Place::Kind::Section, "analysis.q4", {}, {}});
    CHECK(app.imr_view() == client::ImrView::Sections);
    CHECK(app.current_section() == "analysis.q4");
}

TEST_CASE("tasks: jobs run off the UI thread and their results come back in order on the UI thread") {
    std::atomic<int> woken = 0;
    std::vector<int> results;
    {
    client::TaskRunner runner([&] { ++woken; });
    const auto ui_thread = std::this_thread::get_id();
    for (int i = 0; i < 5; ++i)
        runner.post("job", [i, ui_thread, &results]() -> client::TaskRunner::Continuation {
            CHECK(std::this_thread::get_id() != ui_thread);
            return [i, ui_thread, &results] {
                CHECK(std::this_thread::get_id() == ui_thread);
                results.push_back(i);
            };
        });
    runner.drain();
    CHECK(results == std::vector<int>{0, 1, 2, 3, 4});
    CHECK_FALSE(runner.busy());
    }  // the worker has stopped: every wake call has happened
    CHECK(woken == 5);
}

TEST_CASE("settings: out-of-range values fall back to defaults and a broken file is never overwritten") {
    test::TempDir dir;
    const auto file = dir / "settings.json";
    test::write_file(file, R"({"font_size": 400, "theme": "dark", "auto_lock_minutes": 0, "last_profile": "alice"})");
    bool ok = false;
    auto s = client::Settings::load(file, &ok);
    CHECK(ok);
    CHECK(s.font_size == 18.0f);
    CHECK(s.theme == client::Theme::Dark);
    CHECK(s.auto_lock_minutes == 5);
    CHECK(s.last_profile == "alice");
    CHECK_FALSE(s.text_size_chosen);  // a settings file from before the question: asked once
    s.text_size_chosen = true;
    s.save(file);
    CHECK(client::Settings::load(file).text_size_chosen);
    CHECK(s.chronology_wrap);  // the chronology reads in whole rows unless the author chose one line
    s.chronology_wrap = false;
    s.save(file);
    CHECK_FALSE(client::Settings::load(file).chronology_wrap);
    test::write_file(file, "{not json");
    s = client::Settings::load(file, &ok);
    CHECK_FALSE(ok);
    CHECK(s.theme == client::Theme::Light);
}

namespace {

bool notice_says(const client::App& app, const std::string& words) {
    return std::any_of(app.notices().begin(), app.notices().end(),
                       [&](const client::Notice& n) { return n.text.find(words) != std::string::npos; });
}

const std::string* section_text(client::App& app, const domain::Id& imr, const std::string& key) {
    const auto* s = app.workspace().get(imr).section(key);
    return s == nullptr ? nullptr : &s->value.text;
}

}  // namespace

TEST_CASE("app: on a full disk the editor keeps the text, says so, tries again every few seconds and saves once there is room") {
    test::PowerCutVfs disk;  // before the app: every connection goes through it
    Fixture fx;
    auto& app = *fx.app;
    app.select_section("summary");
    disk.set_disk_full(true);
    app.draft().text = "Typed with a full disk";
    app.draft_changed();
    fx.t += 1.1;
    app.tick();
    CHECK(app.save_state() == client::SaveState::Error);
    CHECK(app.disk_full());
    CHECK(app.save_error().find("the disk is full") != std::string::npos);
    CHECK(app.save_error().find(fx.dir.path().string()) != std::string::npos);  // where
    CHECK(app.draft().text == "Typed with a full disk");
    CHECK(app.draft().dirty);
    // No busy retrying: the next attempt is a few seconds away.
    CHECK(app.seconds_until_next_timer() == doctest::Approx(client::App::kRetryDelay));
    fx.t += 2;
    app.tick();
    CHECK(app.save_state() == client::SaveState::Error);

    disk.set_disk_full(false);
    fx.t += client::App::kRetryDelay;
    app.tick();
    CHECK(app.save_state() == client::SaveState::Saved);
    CHECK_FALSE(app.disk_full());
    REQUIRE(section_text(app, fx.imr, "summary") != nullptr);
    CHECK(*section_text(app, fx.imr, "summary") == "Typed with a full disk");
}

TEST_CASE("app: a staged edit waits out a full disk, Lock asks before losing it, and the section text survives the lock sealed") {
    test::PowerCutVfs disk;
    Fixture fx;
    auto& app = *fx.app;
    app.select_section("summary");
    disk.set_disk_full(true);
    app.stage("Glossary: GP", [imr = fx.imr](client::Workspace& ws) {
        (void)ws.save_glossary(imr, std::nullopt, domain::GlossaryEntry{"GP", "General Practitioner", nlohmann::json::object()});
    });
    app.draft().text = "Kept across the lock";
    app.draft_changed();
    fx.t += 1.1;
    app.tick();
    CHECK(app.disk_full());

    // The first Lock says what would be lost; the second, soon after, locks.
    CHECK_FALSE(app.request_lock());
    CHECK(app.unlocked());
    CHECK(notice_says(app, "Glossary: GP is not saved because the disk is full"));
    fx.t += 3;
    CHECK(app.request_lock());
    CHECK_FALSE(app.unlocked());
    CHECK(app.draft().text.empty());
    CHECK(app.screen_error().find("kept, sealed") != std::string::npos);
    CHECK(app.screen_error().find("Not kept: Glossary: GP") != std::string::npos);

    disk.set_disk_full(false);
    app.unlock(crypto::SecureBuffer::copy_of("correct horse battery staple"));
    app.tasks().drain();
    REQUIRE(app.unlocked());
    CHECK(app.screen() == client::Screen::Imr);
    CHECK(app.current_section() == "summary");
    CHECK(app.draft().text == "Kept across the lock");
    CHECK(notice_says(app, "Restored the section text"));
    app.tick();
    CHECK(app.save_state() == client::SaveState::Saved);
    REQUIRE(section_text(app, fx.imr, "summary") != nullptr);
    CHECK(*section_text(app, fx.imr, "summary") == "Kept across the lock");
}

TEST_CASE("app: with room on the disk a single Lock locks at once") {
    test::PowerCutVfs disk;
    Fixture fx;
    auto& app = *fx.app;
    app.stage("Glossary: GP", [imr = fx.imr](client::Workspace& ws) {
        (void)ws.save_glossary(imr, std::nullopt, domain::GlossaryEntry{"GP", "General Practitioner", nlohmann::json::object()});
    });
    CHECK(app.request_lock());
    CHECK_FALSE(app.unlocked());
    CHECK(app.screen_error().empty());
}
