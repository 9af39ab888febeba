// The user-facing half of sync, headless: the status bar, the sync panel (enrolment form and the
// enrolled panel), the conflicts panel (keep mine, keep theirs, merged text), submitting, and
// reviewer copies.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "harness.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/merge.hpp"
#include "imrdesk/sync/enrolment_code.hpp"

using namespace imrdesk;
using test::UiHarness;

namespace {

void unlock(UiHarness& h) {
    h.unlock_profile();
    REQUIRE(h.app().screen() == client::Screen::Home);
    REQUIRE(h.app().sync() != nullptr);
}

// What a widget recorded with track_text showed in the last frame ("" when it is not on screen).
std::string shown(UiHarness& h, const std::string& label) {
    const std::string prefix = label + ": ";
    for (const auto& item : h.ui().items())
        if (item.first.rfind(prefix, 0) == 0) return item.first.substr(prefix.size());
    return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const domain::Id& first_imr(UiHarness& h) { return h.app().workspace().imrs().front().id; }

// Writes `mine` into the summary section, then stores `theirs` from "the server" as a conflict, as
// the replica does when both changed the same lines.
domain::Id make_conflict(UiHarness& h, const std::string& mine, const std::string& theirs) {
    auto& ws = h.app().workspace();
    const auto imr = first_imr(h);
    domain::SectionContent content;
    content.key = "summary";
    content.text = mine;
    ws.save_section(imr, content);
    const auto record = ws.get(imr).section("summary")->id;
    content.text = theirs;
    client::RemoteWrite write;
    write.id = record;
    write.imr_id = imr;
    write.kind = domain::RecordKind::Section;
    write.revision = 7;
    write.remote_body = domain::to_json(content).dump();
    write.action = client::RemoteAction::Conflict;
    ws.vault().apply_remote(std::span(&write, 1), std::nullopt, "test.conflict", nlohmann::json::object());
    h.app().sync()->refresh_counts();
    h.frame(2);
    REQUIRE(ws.vault().conflict_count() == 1);
    return record;
}

std::string summary_text(UiHarness& h) {
    const auto* section = h.app().workspace().get(first_imr(h)).section("summary");
    return section != nullptr ? section->value.text : std::string();
}

// Enrols the profile as the author of the test IMR's agency, with a server nobody answers on:
// the panel then shows an enrolled, offline computer.
void link_to_unreachable_server(UiHarness& h) { h.enrol_offline({{"SAR 2026-01", "Test Agency", sync::Role::Author}}); }

}  // namespace

TEST_CASE("sync ui: not enrolled, the status bar says so and the panel offers the enrolment form") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    unlock(h);
    CHECK(shown(h, "Sync status") == "Sync: not enrolled (this computer works offline)");
    h.click("Sync");
    CHECK(h.has("Enrolment code"));
    CHECK(h.has("Device name"));
    CHECK(h.has("Enrol this computer"));
    CHECK(h.has("Not enrolled"));

    // Garbage: the parser's own words, inline, and nothing starts.
    const std::string garbage = "hello! this is not a code";
    std::string expected;
    try {
        (void)sync::EnrolmentCode::parse(garbage);
    } catch (const sync::EnrolmentCodeError& e) {
        expected = std::string(e.what()).substr(1);  // the panel capitalises the first letter
    }
    REQUIRE_FALSE(expected.empty());
    h.click("Enrolment code");
    h.type(garbage);
    h.click("Enrol this computer");
    CHECK(contains(shown(h, "Enrolment code problem"), expected));
    CHECK(h.app().sync()->view().engine.enrolment == sync::EngineStatus::Enrolment::None);
    CHECK_FALSE(h.app().sync()->view().enrolled);

    // Typing again clears the message; Close leaves the panel.
    h.click("Enrolment code");
    h.type("X");
    CHECK_FALSE(h.has("Enrolment code problem"));
    h.click("Close");
    CHECK_FALSE(h.has("Enrolment code"));
}

TEST_CASE("sync ui: enrolled and offline, the panel shows the link, the counts and the submissions") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    unlock(h);
    link_to_unreachable_server(h);
    h.click("Sync");
    CHECK(shown(h, "Server address") == "127.0.0.1:1");
    CHECK(contains(shown(h, "Server key fingerprint"), "ABAB ABAB"));  // grouped for reading out
    CHECK(shown(h, "Memberships") == "Author, Test Agency, case SAR 2026-01");
    CHECK(h.has("Sync now"));
    // The server does not answer: offline, said plainly, with the time of the next try.
    h.click("Sync now");
    using State = sync::EngineStatus::State;
    // Up to 30 s: on a loaded 2-core CI machine the first failed connection can take over 5 s.
    for (int i = 0; i < 3000 && h.app().sync()->view().engine.state != State::Offline; ++i) {
        h.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(h.app().sync()->view().engine.state == State::Offline);
    h.frame();
    CHECK(shown(h, "Sync summary") == "Offline, never synced, 1 change waiting");  // the new IMR
    CHECK(shown(h, "Sync status") == "Offline, never synced, 1 change waiting");
    CHECK(h.has("Server address"));  // the same panel: no dialog, no error notice
    for (const auto& notice : h.app().notices()) CHECK_FALSE(notice.error);
    CHECK(h.has("Changes waiting"));
    CHECK_FALSE(h.has("Enrolment code"));
    CHECK_FALSE(h.has("Resolve conflicts"));  // none
}

TEST_CASE("sync ui: the conflicts panel shows both versions, and Keep theirs takes theirs") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    unlock(h);
    const std::string mine = "Mine: the care plan was agreed with Adult A on 3 May.";
    const std::string theirs = "Theirs: the care plan was never agreed with Adult A.";
    make_conflict(h, mine, theirs);
    CHECK(contains(shown(h, "Sync status"), "1 conflict to resolve"));  // in the warning colour
    h.click("Review conflicts");
    REQUIRE(h.has("Keep theirs"));
    CHECK(shown(h, "Your version text") == mine);
    CHECK(shown(h, "Their version text") == theirs);
    CHECK(shown(h, "Conflict 1") == "Section: Summary, SAR 2026-01, Test Agency");

    h.click("Keep theirs");
    CHECK(summary_text(h) == theirs);
    CHECK(h.app().workspace().vault().conflict_count() == 0);
    CHECK(h.app().sync()->view().conflicts == 0);
    CHECK(h.has("No conflicts"));
    CHECK_FALSE(h.has("Keep theirs"));
}

TEST_CASE("sync ui: Keep mine keeps mine and sends it at the next sync") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    unlock(h);
    const std::string mine = "Mine: the referral was made on 4 June.";
    const std::string theirs = "Theirs: the referral was made on 14 June.";
    const auto record = make_conflict(h, mine, theirs);
    h.click("Review conflicts");
    h.click("Keep mine");
    CHECK(summary_text(h) == mine);
    CHECK(h.app().workspace().vault().conflict_count() == 0);
    const auto stored = h.app().workspace().vault().sync_record(record);
    REQUIRE(stored.has_value());
    CHECK(stored->dirty);  // to push over theirs
    CHECK(h.app().sync()->view().pending >= 1);
}

TEST_CASE("sync ui: the merged text is refused while marker lines remain, and saved once they are gone") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    unlock(h);
    make_conflict(h, "Mine: seen on Monday.", "Theirs: seen on Tuesday.");
    h.click("Review conflicts");
    h.click("Edit merged text");
    REQUIRE(h.has("Merged text"));
    const auto merged = shown(h, "Merged text");
    CHECK(contains(merged, std::string(domain::kMineMarker) + "\nMine: seen on Monday.\n" + std::string(domain::kSeparatorMarker) +
                               "\nTheirs: seen on Tuesday.\n" + std::string(domain::kEndMarker)));

    h.click("Save merged text");
    CHECK(contains(shown(h, "Merge problem"), "3 marker lines"));
    CHECK(h.app().workspace().vault().conflict_count() == 1);

    h.click("Merged text");
    h.press_ctrl('A');
    h.type("Seen on Monday and again on Tuesday.");
    CHECK_FALSE(h.has("Merge problem"));  // editing clears the message
    h.click("Save merged text");
    CHECK(h.app().workspace().vault().conflict_count() == 0);
    CHECK(summary_text(h) == "Seen on Monday and again on Tuesday.");
}

TEST_CASE("sync ui: resolving the conflict of the open section updates its editor") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    unlock(h);
    link_to_unreachable_server(h);
    // The engine would retry the unreachable server on its own clock, changing the panel's status
    // lines between frames: stopped, the panel holds still for the clicks this test makes.
    h.app().sync()->stop();
    h.click("open SAR 2026-01");
    REQUIRE(h.app().screen() == client::Screen::Imr);
    make_conflict(h, "Mine: in the editor.", "Theirs: from the other laptop.");
    h.app().select_section("analysis.q1");  // the editor shows the draft of its section: reload it
    h.app().select_section("summary");
    h.frame(2);
    CHECK(h.app().draft().text == "Mine: in the editor.");
    // From the status bar: the sync panel, then its way to the conflicts.
    h.click("Sync");
    REQUIRE(h.has("Resolve conflicts"));
    h.click("Resolve conflicts");
    h.click("Keep theirs");
    CHECK(h.app().draft().text == "Theirs: from the other laptop.");
    h.click("Close");
    CHECK_FALSE(h.has("Keep theirs"));
}

TEST_CASE("sync ui: a reviewer copy is listed as read-only and its sections cannot be edited") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    unlock(h);
    client::SyncAccess access;
    access.enrolled = true;  // and author of nothing: every IMR here belongs to another agency
    h.app().workspace().set_access(access);
    h.frame(2);
    CHECK(h.app().workspace().imrs().front().reviewer_copy);
    CHECK(h.has("reviewer copy SAR 2026-01 Test Agency"));  // "Read-only (reviewer)" in the status column
    CHECK_FALSE(h.has("Delete"));

    h.click("open SAR 2026-01");
    REQUIRE(h.app().screen() == client::Screen::Imr);
    CHECK(h.app().current_imr()->read_only());
    REQUIRE(h.has("Section text"));
    h.click("Section text");
    h.type("an edit that must not land");
    h.advance(2);
    h.frame(2);
    CHECK(h.app().draft().text.empty());
    CHECK(summary_text(h).empty());
    CHECK(h.app().save_state() == client::SaveState::Saved);
    // Edits by other ways are refused by the workspace with a clear notice.
    domain::SectionContent content;
    content.key = "summary";
    content.text = "x";
    CHECK_FALSE(h.app().apply("Saving the section", [&](client::Workspace& ws) { ws.save_section(first_imr(h), content); }));
    REQUIRE_FALSE(h.app().notices().empty());
    CHECK(h.app().notices().back().text.find("reviewer") != std::string::npos);
}

TEST_CASE("sync ui: an endorsed IMR is submitted after a confirmation, then says when the server received it") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    unlock(h);
    link_to_unreachable_server(h);
    domain::Endorsement endorsement;
    endorsement.officer_name = "Sam Senior";
    endorsement.officer_role = "Director of Adult Services";
    endorsement.declaration = domain::default_endorsement_declaration();
    endorsement.date = domain::CivilDate{2026, 3, 1};
    h.app().workspace().endorse(first_imr(h), endorsement);
    h.click("open SAR 2026-01");
    h.app().show(client::ImrView::Endorsement);
    h.frame(2);
    REQUIRE(h.has("Submit to the review team"));
    h.click("Submit to the review team");
    REQUIRE(h.has("Not yet"));
    h.click("Not yet");  // nothing happens without the confirmation
    CHECK(h.app().sync()->state().submit_queue.empty());
    h.click("Submit to the review team");
    h.click("Submit");
    CHECK(h.app().sync()->state().submit_queue.size() == 1);
    CHECK(h.has("Submission waiting"));
    CHECK_FALSE(h.has("Submit to the review team"));

    // The server received it (as a sync would record): the IMR says so, and Home lists it as submitted.
    auto access = h.app().workspace().access();
    access.submitted[first_imr(h)] = 1'790'000'000;
    h.app().workspace().set_access(access);
    h.frame(2);
    CHECK(contains(shown(h, "Submitted"), "Submitted, received by the server on "));
    CHECK_FALSE(h.has("Withdraw endorsement"));
    h.app().go_home();
    h.frame(2);
    CHECK(h.has("submitted SAR 2026-01 Test Agency"));
    CHECK_FALSE(h.has("Delete"));
}

TEST_CASE("sync ui: a chronology entry in conflict shows the fields that differ, and a deletion in words") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    unlock(h);
    auto& ws = h.app().workspace();
    const auto imr = first_imr(h);
    domain::ChronologyEntry entry;
    entry.date = domain::PartialDate::day(2024, 3, 14);
    entry.source = "GP record";
    entry.event = "Home visit by the district nurse.";
    const auto id = ws.add_entry(imr, entry);
    entry.event = "Home visit by the district nurse; Adult A declined the falls assessment.";
    entry.outcome = "Referred back to the GP.";

    // Theirs edited the event and the outcome.
    client::RemoteWrite write;
    write.id = id;
    write.imr_id = imr;
    write.kind = domain::RecordKind::ChronologyEntry;
    write.revision = 3;
    write.remote_body = domain::to_json(entry).dump();
    write.action = client::RemoteAction::Conflict;
    ws.vault().apply_remote(std::span(&write, 1), std::nullopt, "test.conflict", nlohmann::json::object());
    h.app().sync()->refresh_counts();
    h.frame(2);
    h.click("Review conflicts");
    CHECK(contains(shown(h, "Conflict 1"), "Chronology entry of "));
    CHECK(contains(shown(h, "Conflict 1"), "Home visit by the district nurse."));
    CHECK(shown(h, "Your version fields") == "Event: Home visit by the district nurse.\nOutcome: (empty)");
    CHECK(shown(h, "Their version fields") ==
          "Event: Home visit by the district nurse; Adult A declined the falls assessment.\nOutcome: Referred back to the GP.");
    CHECK_FALSE(h.has("Edit merged text"));  // sections only

    // The other device deleted it meanwhile: said in words, and Keep theirs deletes it here.
    write.revision = 4;
    write.remote_body.clear();
    write.remote_deleted = true;
    ws.vault().apply_remote(std::span(&write, 1), std::nullopt, "test.conflict", nlohmann::json::object());
    h.app().sync()->refresh_counts();
    h.click("Close");
    h.click("Review conflicts");
    CHECK(shown(h, "Their version text") == "(deleted on the other device)");
    h.click("Keep theirs");
    CHECK(h.app().workspace().vault().conflict_count() == 0);
    CHECK(h.app().workspace().get(imr).entry(id) == nullptr);
}

TEST_CASE("sync ui: Home asks which draft is the enrolled agency's IMR, and the answer links it") {
    UiHarness h;
    test::make_profile_with_imr(h.data_dir());
    unlock(h);
    const auto draft = first_imr(h);
    // Enrolled for the agency under a shorter name than the draft's; the first sync's feed ends.
    sync::ServerLink link;
    link.host = "127.0.0.1";
    link.port = 1;
    link.fingerprint.fill(0xAB);
    link.device_id = client::new_id();
    link.memberships = {{"SAR 2026-01", "Test", sync::Role::Author}};
    auto& replica = h.app().sync()->replica();
    h.app().sync()->stop();  // no retries against the unreachable server while the test clicks
    replica.save_link(link);
    replica.apply_pull(sync::PullResult{{}, 0, false});
    h.frame(2);
    REQUIRE(h.has("link question SAR 2026-01 Test"));
    CHECK(h.app().workspace().imrs().size() == 1);               // nothing made beside the draft
    CHECK_FALSE(h.app().workspace().imrs().front().reviewer_copy);  // nor made read-only
    h.click("link " + draft.hex());
    CHECK_FALSE(h.has("link question SAR 2026-01 Test"));
    REQUIRE(h.app().workspace().imrs().size() == 1);
    CHECK(h.app().workspace().imrs().front().header.agency == "Test");
    CHECK_FALSE(h.app().workspace().imrs().front().reviewer_copy);
    CHECK(replica.state().link_questions.empty());
}
