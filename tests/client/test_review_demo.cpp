// The review team's profile over a real vault: the demo a newcomer opens (the case status, the
// merged chronology, queries) and the agencies' colours, chosen, saved sealed and read back.
#include <doctest/doctest.h>

#include "imrdesk/client/demo.hpp"
#include "imrdesk/client/review.hpp"
#include "imrdesk/client/sync_replica.hpp"
#include "vault_fixtures.hpp"

#include <map>
#include <set>

using namespace imrdesk;
using namespace imrdesk::client;

namespace {

std::unique_ptr<Workspace> fresh_workspace(const test::TempDir& dir) {
    auto created = Vault::create(dir / "profile.imrvault", "correct horse battery staple", test::fast_create());
    return std::make_unique<Workspace>(std::move(created.vault));
}

}  // namespace

TEST_CASE("review demo: a reviewer's device after a sync, with the case status, the merged chronology and queries") {
    test::TempDir dir;
    auto ws = fresh_workspace(dir);
    populate_review_demo(*ws);
    VaultReplica replica(*ws);
    const auto& state = replica.state();
    CHECK(reviewed_cases(state) == std::vector<std::string>{"SAR 2025-07"});
    REQUIRE(case_data(state, "SAR 2025-07") != nullptr);
    CHECK(replica.pending_count() == 0);  // everything reads as received from the server

    const auto status = case_status(state, *ws, "SAR 2025-07", 0);
    REQUIRE(status.size() == 4);
    std::map<std::string, AgencyStatus> by_agency;
    for (const auto& s : status) by_agency[s.agency] = s;
    CHECK(by_agency.at("Northshire Police").state == sync::AgencyState::Submitted);
    CHECK(by_agency.at("Northshire Police").version == 2);
    CHECK(by_agency.at("Northshire Police").open_queries == 1);  // one answered, one closed
    CHECK(by_agency.at("Northshire Council Adult Social Care").state == sync::AgencyState::Drafting);
    CHECK(by_agency.at("Northshire Homes (housing)").state == sync::AgencyState::NotStarted);

    for (const auto& doc : ws->imrs()) {
        CHECK(doc.reviewer_copy);
        CHECK(doc.submitted_at.has_value());
    }
    const auto rows = merged_chronology(*ws, "SAR 2025-07");
    std::size_t entries = 0;
    for (const auto& doc : ws->imrs()) entries += doc.entries.size();
    CHECK(rows.size() == entries);
    for (std::size_t i = 1; i < rows.size(); ++i)
        CHECK(domain::compare_chronologically(rows[i - 1].entry->value.date, rows[i].entry->value.date) <= 0);

    // The police resubmitted after a query: what changed from version 1, per section and entry.
    domain::Id police;
    for (const auto& doc : ws->imrs())
        if (doc.header.agency == "Northshire Police") police = doc.id;
    auto changes = changes_since_previous(*ws, state, police);
    REQUIRE(changes.has_value());
    CHECK(changes->from == 1);
    CHECK(changes->to == 2);
    REQUIRE(changes->sections.size() == 1);
    CHECK(changes->sections[0].key == "summary");
    CHECK(changes->sections[0].kind == ChangeKind::Added);
    REQUIRE(changes->entries.size() == 2);
    std::map<ChangeKind, const EntryChange*> by_kind;
    for (const auto& c : changes->entries) by_kind[c.kind] = &c;
    REQUIRE(by_kind.contains(ChangeKind::Added));
    CHECK(by_kind[ChangeKind::Added]->after->source == "Niche RMS occurrence 24-8001");
    REQUIRE(by_kind.contains(ChangeKind::Changed));
    CHECK(by_kind[ChangeKind::Changed]->fields == std::vector<std::string>{"Comment (analysis)"});
    wipe_changes(*changes);
    CHECK(changes->empty());
    // The Trust's IMR was received once, at version 1: nothing to compare it with.
    for (const auto& doc : ws->imrs())
        if (doc.header.agency != "Northshire Police") CHECK_FALSE(changes_since_previous(*ws, state, doc.id).has_value());

    // Reopened with the same data: nothing is created twice.
    ws.reset();
    auto again = std::make_unique<Workspace>(Vault::open(dir / "profile.imrvault", "correct horse battery staple"));
    CHECK(again->imrs().size() == 2);
}

TEST_CASE("agency colours: eight, in the case's order unless chosen, kept sealed in the vault, and in Excel fills") {
    test::TempDir dir;
    auto ws = fresh_workspace(dir);
    const std::vector<std::string> agencies = {"Police", "Trust", "Council"};
    auto colours = AgencyColours::load(ws->vault());
    CHECK(colours.index_of("Police", agencies) == 0);
    CHECK(colours.index_of("Council", agencies) == 2);
    CHECK(colours.index_of("Elsewhere", agencies) == colours.index_of("Elsewhere", agencies));  // stable
    colours.choose("Council", 5);
    CHECK_THROWS_AS(colours.choose("Police", kAgencyColourCount), std::out_of_range);
    colours.save(ws->vault());
    const auto loaded = AgencyColours::load(ws->vault());
    CHECK(loaded.index_of("Council", agencies) == 5);
    CHECK(loaded.chosen("Police") == std::nullopt);
    // The file holds no agency name in the clear.
    CHECK(test::files_containing(dir.path(), "Council").empty());
    auto back = loaded;
    back.choose("Council", std::nullopt);
    CHECK(back.index_of("Council", agencies) == 2);
    // Every theme gives eight different colours.
    for (const auto theme : {Theme::Light, Theme::Dark, Theme::HighContrast}) {
        std::set<std::uint32_t> seen;
        for (std::size_t i = 0; i < kAgencyColourCount; ++i) seen.insert(agency_colour(i, theme).hex());
        CHECK(seen.size() == kAgencyColourCount);
    }

    populate_review_demo(*ws);
    VaultReplica replica(*ws);
    const auto fills = agency_fills(replica.state(), *ws, "SAR 2025-07");
    CHECK(fills.size() == 4);
    CHECK(fills.at("Northshire Police") != fills.at("Northshire Homes (housing)"));
}
