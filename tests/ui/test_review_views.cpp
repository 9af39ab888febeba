// The review team's app, headless, over the review demo's vault: a reviewer opens on their cases;
// the dashboard shows each agency; the merged chronology's filters; a click on a timeline mark
// leads to its entry; a query raised from a merged row. And the author's side: the count on the
// home list, the mark on the section, and answering in the Queries tab.
#include <doctest/doctest.h>

#include "harness.hpp"
#include "imrdesk/client/demo.hpp"
#include "imrdesk/client/review.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/shared/codec.hpp"

using namespace imrdesk;
using test::UiHarness;

namespace {

// A profile "alice" holding what a reviewer's device holds of case SAR 2025-07 after a sync.
void make_review_profile(const std::filesystem::path& data_dir) {
    client::CreateOptions options;
    options.kdf = crypto::kdf::insecure_fast_for_tests();
    auto created = client::Vault::create(client::vault_file(data_dir, "alice"), test::kPassphrase, options);
    client::Workspace ws(std::move(created.vault));
    client::populate_review_demo(ws);
}

// What a widget recorded as "label: value" showed in the last frame ("" when it is not on screen).
std::string shown(UiHarness& h, const std::string& label) {
    const std::string prefix = label + ": ";
    for (const auto& item : h.ui().items())
        if (item.first.rfind(prefix, 0) == 0) return item.first.substr(prefix.size());
    return {};
}

const client::ImrDocument& imr_of(UiHarness& h, const std::string& agency) {
    for (const auto& doc : h.app().workspace().imrs())
        if (doc.header.agency == agency) return doc;
    FAIL("no IMR of " << agency);
    throw std::logic_error("unreachable");
}

std::string rows_text(std::size_t shown_rows, std::size_t all) {
    return "Showing " + std::to_string(shown_rows) + " of " + std::to_string(all) + " rows";
}

void open_review_case(UiHarness& h) {
    make_review_profile(h.data_dir());
    h.unlock_profile();
    REQUIRE(h.app().screen() == client::Screen::Home);
    h.frame(2);
    REQUIRE(h.has("Open case SAR 2025-07"));
    h.click("Open case SAR 2025-07");
    REQUIRE(h.app().screen() == client::Screen::Case);
    h.frame(2);
}

}  // namespace

TEST_CASE("review ui: a reviewer opens on their cases, and the dashboard shows where each agency is") {
    UiHarness h;
    make_review_profile(h.data_dir());
    h.unlock_profile();
    h.frame(2);
    // The reviewer's app: their cases, no "New IMR", the other agencies' IMRs under the case.
    CHECK(h.has("case SAR 2025-07"));
    CHECK(shown(h, "submitted SAR 2025-07").empty());  // tracked without a value
    CHECK(h.has("submitted SAR 2025-07"));
    CHECK_FALSE(h.has("New IMR"));
    CHECK_FALSE(h.has("open SAR 2025-07"));
    h.click("Open case SAR 2025-07");
    REQUIRE(h.app().screen() == client::Screen::Case);
    CHECK(h.app().case_view() == client::CaseView::Dashboard);
    h.frame(2);
    CHECK(shown(h, "status Northshire Police") == "submitted");
    CHECK(shown(h, "version Northshire Police") == "2");
    CHECK(shown(h, "open queries Northshire Police") == "1");
    CHECK(shown(h, "status Northshire Council Adult Social Care") == "drafting");
    CHECK(shown(h, "status Northshire Homes (housing)") == "not started");
    CHECK(shown(h, "version Northshire Homes (housing)") == "0");
    // What the police's version 2 changed, under the agencies.
    REQUIRE(h.has("What changed Northshire Police"));
    h.click("What changed Northshire Police");
    CHECK(h.has("changed section summary"));
    h.click("Close the changes");
    CHECK_FALSE(h.has("changed section summary"));
    // Closing a query from the dashboard: the agency's count goes down.
    const auto& police = imr_of(h, "Northshire Police");
    domain::Id open_query;
    for (const auto& q : police.queries)
        if (police.query_state(q) != domain::QueryState::Closed) open_query = q.id;
    h.scroll_over("case summary", -30);  // the queries are under the agencies
    REQUIRE(h.has("Close " + open_query.hex()));
    h.click("Close " + open_query.hex());
    CHECK(imr_of(h, "Northshire Police").query_state(*imr_of(h, "Northshire Police").query(open_query)) ==
          domain::QueryState::Closed);
    h.frame(2);
    CHECK(shown(h, "open queries Northshire Police") == "0");
    h.scroll_over("Reopen " + open_query.hex(), 60);  // back to the top
    // Open IMR leads to the agency's IMR, and back returns to the case.
    h.click("Open IMR Northshire Police");
    REQUIRE(h.app().screen() == client::Screen::Imr);
    CHECK(h.app().current_imr()->header.agency == "Northshire Police");
    CHECK_FALSE(h.has("Guidance"));  // the author's guidance is not the reviewer's
    h.click("Back to the case");
    CHECK(h.app().screen() == client::Screen::Case);
}

TEST_CASE("review ui: the merged chronology's filters narrow the rows to those that match") {
    UiHarness h;
    open_review_case(h);
    h.click("Merged chronology");
    REQUIRE(h.app().case_view() == client::CaseView::Merged);
    h.frame(2);
    const auto rows = client::merged_chronology(h.app().workspace(), "SAR 2025-07");
    const auto count = [&](auto pred) {
        std::size_t n = 0;
        for (const auto& r : rows) n += pred(r) ? 1u : 0u;
        return n;
    };
    CHECK(shown(h, "merged count") == rows_text(rows.size(), rows.size()));
    h.click("Missed opportunities");
    CHECK(shown(h, "merged count") ==
          rows_text(count([](const client::MergedRow& r) { return r.entry->value.missed_opportunity; }), rows.size()));
    h.click("Missed opportunities");
    CHECK(shown(h, "merged count") == rows_text(rows.size(), rows.size()));
    // Text: "STORM" is in the police's sources only.
    h.click("Merged filter");
    h.type("storm");
    const auto storm = count([](const client::MergedRow& r) { return r.entry->value.source.find("STORM") != std::string::npos; });
    REQUIRE(storm > 0);
    CHECK(shown(h, "merged count") == rows_text(storm, rows.size()));
    h.click("Clear filters##merged");
    CHECK(shown(h, "merged count") == rows_text(rows.size(), rows.size()));
    // One agency, from the agencies list.
    h.click("Agencies");
    REQUIRE(h.has("filter agency Northshire Police"));
    h.click("filter agency Northshire Police");
    h.press(ImGui::GetKeyIndex(ImGuiKey_Escape));
    CHECK(shown(h, "merged count") ==
          rows_text(count([](const client::MergedRow& r) { return r.agency == "Northshire Police"; }), rows.size()));
    // A date range: 2025 only.
    h.click("Clear filters##merged");
    h.click("Merged from");
    h.type("01/01/2025");
    const auto in_2025 = count([](const client::MergedRow& r) { return r.entry->value.date.last_day().year >= 2025; });
    CHECK(shown(h, "merged count") == rows_text(in_2025, rows.size()));
}

TEST_CASE("review ui: a click on a timeline mark selects its entry, which opens in its agency's IMR") {
    UiHarness h;
    open_review_case(h);
    h.click("Timeline");
    REQUIRE(h.app().case_view() == client::CaseView::Timeline);
    h.frame(2);
    const auto& police = imr_of(h, "Northshire Police");
    const auto police_id = police.id;
    // The December 2024 call: a key practice episode, drawn as a diamond.
    domain::Id entry;
    for (const auto& e : police.entries)
        if (e.value.source == "STORM log 2231") entry = e.id;
    REQUIRE(h.has("mark " + entry.hex()));
    CHECK_FALSE(h.has("detail agency"));
    h.click("mark " + entry.hex());
    REQUIRE(h.has("detail agency"));
    REQUIRE(h.has("Open in its IMR"));
    h.click("Open in its IMR");
    REQUIRE(h.app().screen() == client::Screen::Imr);
    CHECK(h.app().current_imr()->id == police_id);
    CHECK(h.app().imr_view() == client::ImrView::Chronology);
    CHECK(h.app().selected_entry() == entry);
    CHECK(h.app().imr_from_case());
    // Zooming in keeps the selection and the marks in view follow.
    h.click("Back to the case");
    h.click("Zoom in (+)");
    CHECK(h.app().case_view() == client::CaseView::Timeline);
}

TEST_CASE("review ui: a query raised on a merged row reaches the agency's IMR, and the note stays with the team") {
    UiHarness h;
    open_review_case(h);
    h.click("Merged chronology");
    h.frame(2);
    h.click("merged row 0");
    REQUIRE(h.has("detail agency"));
    const auto rows = client::merged_chronology(h.app().workspace(), "SAR 2025-07");
    const auto imr = rows[0].imr->id;
    const auto entry = rows[0].entry->id;
    const auto before = rows[0].imr->queries.size();
    h.click("Raise a query on this entry");
    h.click("Query text");
    h.type("Who else lived at the address?");
    h.click("Send query");
    const auto& doc = h.app().workspace().get(imr);
    REQUIRE(doc.queries.size() == before + 1);
    CHECK(doc.queries.back().value.on == "entry:" + entry.hex());
    CHECK(doc.queries.back().value.text == "Who else lived at the address?");
    h.click("Review note");
    h.type("Compare with the police call the same week");
    h.click("Save note");
    REQUIRE(h.app().workspace().get(imr).review_note(entry) != nullptr);
    CHECK(h.app().workspace().get(imr).review_note(entry)->value.text == "Compare with the police call the same week");
}

TEST_CASE("review ui: the author sees the query's count, its mark on the section, and answers it") {
    UiHarness h;
    const auto imr = test::make_profile_with_imr(h.data_dir());
    h.unlock_profile();
    h.enrol_offline({{"SAR 2026-01", "Test Agency", sync::Role::Author}});
    // The review team's query on the summary, as a pull brings it.
    domain::Query query{"summary", "Please give the date of the first referral.", "Chris (review team)", 1'700'000'000, false, "",
                        0, 0, nlohmann::json::object()};
    client::RemoteWrite write;
    write.id = client::new_id();
    write.imr_id = imr;
    write.kind = domain::RecordKind::Query;
    write.revision = 9;
    write.remote_body = domain::to_json(query).dump();
    write.action = client::RemoteAction::Take;
    auto& ws = h.app().workspace();
    ws.vault().apply_remote(std::span(&write, 1), std::nullopt, "test.pull", nlohmann::json::object());
    ws.reload_imrs({imr});
    h.frame(2);
    CHECK(h.has("queries SAR 2026-01"));  // "1 query to answer" on the home list
    h.click("open SAR 2026-01");
    REQUIRE(h.app().screen() == client::Screen::Imr);
    CHECK(h.has("section queries"));  // under the summary's heading
    REQUIRE(h.has("Queries tab"));
    h.click("Queries tab");
    REQUIRE(h.app().imr_view() == client::ImrView::Queries);
    REQUIRE(h.has("Answer " + write.id.hex()));
    h.click("Answer " + write.id.hex());
    h.click("Answer text");
    h.type("The first referral was on 3 March 2024.");
    h.click("Send answer");
    const auto& doc = h.app().workspace().get(imr);
    REQUIRE(doc.answers.size() == 1);
    CHECK(doc.answers.front().value.text == "The first referral was on 3 March 2024.");
    CHECK(doc.query_state(doc.queries.front()) == domain::QueryState::Answered);
    CHECK(h.app().sync()->replica().pending_count() >= 1);  // sent at the next sync
}
