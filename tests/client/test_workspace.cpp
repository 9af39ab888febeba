// The workspace: the decrypted model of a profile, every change written through the vault.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "imrdesk/client/names_scan.hpp"
#include "vault_fixtures.hpp"

using namespace imrdesk;
using client::ValidationError;
using client::Vault;
using client::Workspace;
using client::WorkspaceError;
using domain::Id;
using domain::PartialDate;

namespace {

constexpr std::string_view kPassphrase = "workspace passphrase";

struct Profile {
    test::TempDir tmp;
    std::filesystem::path file = tmp / "vault.db";

    std::unique_ptr<Workspace> create() {
        auto created = Vault::create(file, kPassphrase, test::fast_create());
        return std::make_unique<Workspace>(std::move(created.vault));
    }
    std::unique_ptr<Workspace> reopen() { return std::make_unique<Workspace>(Vault::open(file, kPassphrase)); }
};

domain::SectionContent section(std::string key, std::string text, std::vector<Id> citations = {}) {
    return {std::move(key), std::move(text), false, {}, std::move(citations), false, nlohmann::json::object()};
}

domain::Recommendation recommendation(std::string text, int order = 0) {
    return {order, std::move(text), {"learning.q1"}, "Head of adult services", domain::CivilDate{2026, 9, 30},
            "within existing budgets", "audit of 20 cases", nlohmann::json::object()};
}

domain::Endorsement endorsement() {
    return {"Dr Senior Officer", "Director of Nursing", domain::default_endorsement_declaration(),
            domain::CivilDate{2026, 5, 1}, {}, nlohmann::json::object()};
}

std::vector<std::string> events_of(const client::ImrDocument& doc) {
    std::vector<std::string> out;
    for (const auto& e : doc.entries) out.push_back(e.value.event);
    return out;
}

std::vector<Id> ids_of(const client::ImrDocument& doc) {
    std::vector<Id> out;
    for (const auto& e : doc.entries) out.push_back(e.id);
    return out;
}

std::size_t live_records(Workspace& ws) {
    std::size_t n = 0;
    for (const auto& r : ws.vault().load_all().records)
        if (!r.deleted) ++n;
    return n;
}

const client::StoredRecord* stored(const client::LoadResult& loaded, const Id& id) {
    for (const auto& r : loaded.records)
        if (r.id == id) return &r;
    return nullptr;
}

}  // namespace

TEST_CASE("chronology entries are kept in chronological order: date, then time, then sequence") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    using domain::parse_date;
    const domain::DateParseOptions opts{2026};
    // Added in a scrambled order; the names say where each must end up.
    std::vector<domain::ChronologyEntry> entries = {
        test::sample_entry(parse_date("14 March 2019", opts), "10 14 Mar, no time, seq 1", 1),
        test::sample_entry(parse_date("March 2019", opts), "07 March 2019"),
        test::sample_entry(parse_date("2019", opts), "04 2019"),
        test::sample_entry(parse_date("14 March 2019", opts), "09 14 Mar 16:00", 0, domain::TimeOfDay{16, 0}),
        test::sample_entry(parse_date("c. 2018", opts), "01 circa 2018"),
        test::sample_entry(parse_date("01/2019 - 03/2019", opts), "05 January to March 2019"),
        test::sample_entry(parse_date("14 March 2019", opts), "11 14 Mar, no time, seq 2", 2),
        test::sample_entry(parse_date("1 March 2019", opts), "06 1 March 2019"),
        test::sample_entry(parse_date("14 March 2019", opts), "08 14 Mar 09:30", 5, domain::TimeOfDay{9, 30}),
        test::sample_entry(parse_date("January 2019", opts), "03 January 2019"),
        test::sample_entry(parse_date("1 January 2019", opts), "02 1 January 2019"),
        test::sample_entry(parse_date("15 March 2019", opts), "12 15 March 2019"),
    };
    const auto added = ws->add_entries(imr, entries);
    CHECK(added.size() == entries.size());
    const std::vector<std::string> expected = {
        "01 circa 2018",        "02 1 January 2019",          "03 January 2019",   "04 2019",
        "05 January to March 2019", "06 1 March 2019",        "07 March 2019",     "08 14 Mar 09:30",
        "09 14 Mar 16:00",      "10 14 Mar, no time, seq 1",  "11 14 Mar, no time, seq 2", "12 15 March 2019",
    };
    CHECK(events_of(ws->get(imr)) == expected);

    // Same day, no time, the same sequence: the order they were added in.
    const Id later = ws->add_entry(imr, test::sample_entry(parse_date("14 March 2019", opts), "11b 14 Mar, seq 2, added later", 2));
    auto events = events_of(ws->get(imr));
    REQUIRE(events.size() == 13);
    CHECK(events[11] == "11b 14 Mar, seq 2, added later");

    // Moving an entry re-sorts; deleting removes it.
    ws->update_entry(imr, later, test::sample_entry(parse_date("2017", opts), "00 moved to 2017"));
    CHECK(events_of(ws->get(imr)).front() == "00 moved to 2017");
    const Id first_march = ws->get(imr).entries[6].id;
    CHECK(ws->get(imr).entries[6].value.event == "06 1 March 2019");
    ws->delete_entry(imr, first_march);
    CHECK(ws->get(imr).entry(first_march) == nullptr);
    CHECK(ws->get(imr).entries.size() == 12);
    CHECK_THROWS_AS(ws->delete_entry(imr, first_march), WorkspaceError);
    CHECK_THROWS_AS(ws->update_entry(imr, first_march, entries[0]), WorkspaceError);

    const auto order = ids_of(ws->get(imr));
    ws.reset();
    ws = p.reopen();
    CHECK(ws->load_problems().empty());
    CHECK(ids_of(ws->get(imr)) == order);
}

TEST_CASE("entries are validated: source and event required, the whole batch refused on one bad entry") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    auto bad = test::sample_entry(PartialDate::day(2020, 1, 1), "event");
    bad.source = "  ";
    CHECK_THROWS_AS(ws->add_entry(imr, bad), ValidationError);
    std::vector<domain::ChronologyEntry> batch = {test::sample_entry(PartialDate::day(2020, 1, 1), "fine"), bad};
    try {
        ws->add_entries(imr, batch);
        FAIL("an invalid batch was accepted");
    } catch (const ValidationError& e) {
        CHECK(std::string(e.what()).find("entry 2") != std::string::npos);
    }
    CHECK(ws->get(imr).entries.empty());
    CHECK(live_records(*ws) == 1);  // the header only: nothing of the batch was written
    auto unknown_tor = test::sample_entry(PartialDate::day(2020, 1, 1), "event");
    unknown_tor.tor_questions = {9};
    CHECK_THROWS_AS(ws->add_entry(imr, unknown_tor), ValidationError);
    CHECK_THROWS_AS(ws->add_entry(test::make_id(1), test::sample_entry(PartialDate::day(2020, 1, 1), "x")), WorkspaceError);
}

TEST_CASE("recommendations are numbered in order and kept sorted by their order") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    const Id a = ws->save_recommendation(imr, std::nullopt, recommendation("A"));
    const Id b = ws->save_recommendation(imr, std::nullopt, recommendation("B"));
    const Id c = ws->save_recommendation(imr, std::nullopt, recommendation("C"));
    auto texts = [&] {
        std::vector<std::string> out;
        for (const auto& r : ws->get(imr).recommendations) out.push_back(std::to_string(r.value.order) + r.value.text);
        return out;
    };
    CHECK(texts() == std::vector<std::string>{"1A", "2B", "3C"});
    ws->save_recommendation(imr, b, recommendation("B moved last", 10));
    CHECK(texts() == std::vector<std::string>{"1A", "3C", "10B moved last"});
    ws->save_recommendation(imr, std::nullopt, recommendation("D"));
    CHECK(texts() == std::vector<std::string>{"1A", "3C", "10B moved last", "11D"});
    ws->delete_recommendation(imr, c);
    CHECK(texts() == std::vector<std::string>{"1A", "10B moved last", "11D"});
    CHECK_THROWS_AS(ws->save_recommendation(imr, c, recommendation("C again")), WorkspaceError);
    CHECK_THROWS_AS(ws->save_recommendation(imr, std::nullopt, recommendation("")), ValidationError);
    ws.reset();
    ws = p.reopen();
    CHECK(texts() == std::vector<std::string>{"1A", "10B moved last", "11D"});
    CHECK(ws->get(imr).recommendations.front().id == a);
}

TEST_CASE("reordering the recommendations numbers them 1, 2, 3 in one transaction, or refuses and moves nothing") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    const Id a = ws->save_recommendation(imr, std::nullopt, recommendation("A"));
    const Id b = ws->save_recommendation(imr, std::nullopt, recommendation("B"));
    const Id c = ws->save_recommendation(imr, std::nullopt, recommendation("C"));
    auto texts = [&] {
        std::vector<std::string> out;
        for (const auto& r : ws->get(imr).recommendations) out.push_back(std::to_string(r.value.order) + r.value.text);
        return out;
    };
    const auto audits = [&] { return ws->vault().audit_entries().size(); };
    const auto before = audits();
    ws->reorder_recommendations(imr, {c, a, b});
    CHECK(texts() == std::vector<std::string>{"1C", "2A", "3B"});
    CHECK(audits() == before + 1);  // one transaction, one audit entry for the three records
    CHECK(ws->vault().audit_entries().back().event == "recommendations.reordered");
    CHECK_THROWS_AS(ws->reorder_recommendations(imr, {c, a}), WorkspaceError);        // one left out
    CHECK_THROWS_AS(ws->reorder_recommendations(imr, {c, a, a}), WorkspaceError);     // one twice
    CHECK_THROWS_AS(ws->reorder_recommendations(imr, {c, a, test::make_id(9)}), WorkspaceError);  // not this IMR's
    CHECK(texts() == std::vector<std::string>{"1C", "2A", "3B"});
    ws->reorder_recommendations(imr, {c, a, b});  // nothing to change: nothing written
    CHECK(audits() == before + 1);
    ws.reset();
    ws = p.reopen();
    CHECK(texts() == std::vector<std::string>{"1C", "2A", "3B"});
}

TEST_CASE("the glossary is sorted by abbreviation and refuses a duplicate") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    ws->save_glossary(imr, std::nullopt, {"GP", "General practitioner", {}});
    const Id dna = ws->save_glossary(imr, std::nullopt, {"DNA", "Did not attend", {}});
    ws->save_glossary(imr, std::nullopt, {"CPN", "Community psychiatric nurse", {}});
    std::vector<std::string> abbreviations;
    for (const auto& g : ws->get(imr).glossary) abbreviations.push_back(g.value.abbreviation);
    CHECK(abbreviations == std::vector<std::string>{"CPN", "DNA", "GP"});
    const auto records_before = live_records(*ws);
    try {
        ws->save_glossary(imr, std::nullopt, {"GP", "Something else", {}});
        FAIL("a duplicate abbreviation was accepted");
    } catch (const ValidationError& e) {
        CHECK(std::string(e.what()).find("GP") != std::string::npos);
    }
    CHECK(ws->get(imr).glossary.size() == 3);
    CHECK(live_records(*ws) == records_before);
    // Editing an entry keeping its own abbreviation is fine.
    ws->save_glossary(imr, dna, {"DNA", "Did not attend (appointment)", {}});
    CHECK(ws->get(imr).glossary[1].value.expansion == "Did not attend (appointment)");
    CHECK_THROWS_AS(ws->save_glossary(imr, std::nullopt, {"", "empty", {}}), ValidationError);
    ws->delete_glossary(imr, dna);
    CHECK(ws->get(imr).glossary.size() == 2);
}

TEST_CASE("the glossary refuses an edit that makes an abbreviation a duplicate") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    ws->save_glossary(imr, std::nullopt, {"GP", "General practitioner", {}});
    const Id dna = ws->save_glossary(imr, std::nullopt, {"DNA", "Did not attend", {}});
    CHECK_THROWS_AS(ws->save_glossary(imr, dna, {"GP", "Renamed onto GP", {}}), ValidationError);
    std::size_t gps = 0;
    for (const auto& g : ws->get(imr).glossary) gps += g.value.abbreviation == "GP" ? 1u : 0u;
    CHECK(gps == 1);
}

TEST_CASE("endorsement: the IMR becomes read-only, the hash vouches for the content, withdrawal re-opens it") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    const Id entry = ws->add_entry(imr, test::sample_entry(PartialDate::day(2020, 2, 2), "visit"));
    ws->save_section(imr, section("analysis.q1", "analysis text", {entry}));
    const Id rec = ws->save_recommendation(imr, std::nullopt, recommendation("train staff"));
    const Id gloss = ws->save_glossary(imr, std::nullopt, {"GP", "General practitioner", {}});

    const std::string h0 = ws->content_hash(imr);
    CHECK(h0.size() == 64);
    ws->set_status(imr, domain::ImrStatus::ReadyForEndorsement);
    CHECK(ws->content_hash(imr) == h0);  // status is not content
    ws->save_section(imr, section("analysis.q1", "analysis text, revised", {entry}));
    const std::string h1 = ws->content_hash(imr);
    CHECK(h1 != h0);
    ws->update_entry(imr, entry, test::sample_entry(PartialDate::day(2020, 2, 3), "visit"));
    const std::string h2 = ws->content_hash(imr);
    CHECK(h2 != h1);
    ws->save_glossary(imr, gloss, {"GP", "General Practitioner", {}});
    CHECK(ws->content_hash(imr) != h2);

    auto incomplete = endorsement();
    incomplete.officer_name.clear();
    CHECK_THROWS_AS(ws->endorse(imr, incomplete), ValidationError);
    CHECK_FALSE(ws->get(imr).read_only());
    CHECK_THROWS_AS(ws->set_status(imr, domain::ImrStatus::Endorsed), WorkspaceError);

    const std::string hash = ws->content_hash(imr);
    ws->endorse(imr, endorsement());
    const auto& doc = ws->get(imr);
    CHECK(doc.header.status == domain::ImrStatus::Endorsed);
    CHECK(doc.read_only());
    REQUIRE(doc.endorsement.has_value());
    CHECK(doc.endorsement->value.content_hash == hash);
    CHECK(ws->content_hash(imr) == hash);

    const auto records = live_records(*ws);
    const auto audit = ws->vault().audit_entries().size();
    CHECK_THROWS_AS(ws->save_section(imr, section("analysis.q2", "more")), WorkspaceError);
    CHECK_THROWS_AS(ws->add_entry(imr, test::sample_entry(PartialDate::day(2020, 1, 1), "x")), WorkspaceError);
    CHECK_THROWS_AS(ws->update_entry(imr, entry, test::sample_entry(PartialDate::day(2020, 1, 1), "x")), WorkspaceError);
    CHECK_THROWS_AS(ws->delete_entry(imr, entry), WorkspaceError);
    CHECK_THROWS_AS(ws->update_header(imr, test::sample_header("SAR changed")), WorkspaceError);
    CHECK_THROWS_AS(ws->save_recommendation(imr, rec, recommendation("changed")), WorkspaceError);
    CHECK_THROWS_AS(ws->delete_recommendation(imr, rec), WorkspaceError);
    CHECK_THROWS_AS(ws->save_glossary(imr, std::nullopt, {"DNA", "Did not attend", {}}), WorkspaceError);
    CHECK_THROWS_AS(ws->delete_glossary(imr, gloss), WorkspaceError);
    CHECK_THROWS_AS(ws->set_status(imr, domain::ImrStatus::Draft), WorkspaceError);
    CHECK_THROWS_AS(ws->endorse(imr, endorsement()), WorkspaceError);
    CHECK(live_records(*ws) == records);
    CHECK(ws->vault().audit_entries().size() == audit);
    CHECK(ws->get(imr).section("analysis.q2") == nullptr);
    CHECK(ws->content_hash(imr) == hash);

    // Endorsement survives a restart.
    ws.reset();
    ws = p.reopen();
    CHECK(ws->get(imr).read_only());
    REQUIRE(ws->get(imr).endorsement.has_value());
    CHECK(ws->get(imr).endorsement->value.content_hash == hash);
    CHECK(ws->get(imr).endorsement->value.officer_name == "Dr Senior Officer");
    CHECK(ws->content_hash(imr) == hash);
    CHECK_THROWS_AS(ws->add_entry(imr, test::sample_entry(PartialDate::day(2020, 1, 1), "x")), WorkspaceError);

    ws->withdraw_endorsement(imr);
    CHECK(ws->get(imr).header.status == domain::ImrStatus::Draft);
    CHECK_FALSE(ws->get(imr).read_only());
    CHECK_FALSE(ws->get(imr).endorsement.has_value());
    CHECK_THROWS_AS(ws->withdraw_endorsement(imr), WorkspaceError);
    ws->add_entry(imr, test::sample_entry(PartialDate::day(2020, 1, 1), "added after withdrawal"));
    CHECK(ws->content_hash(imr) != hash);
    ws.reset();
    ws = p.reopen();
    CHECK_FALSE(ws->get(imr).endorsement.has_value());
    CHECK(ws->get(imr).header.status == domain::ImrStatus::Draft);
    CHECK(ws->get(imr).entries.size() == 2);
}

TEST_CASE("reopening the vault brings back the same model") {
    Profile p;
    auto ws = p.create();
    auto header = test::sample_header("SAR 2026-07", "Mrs Example");
    header.case_info.period_from = domain::CivilDate{2018, 1, 1};
    header.case_info.period_to = domain::CivilDate{2020, 12, 31};
    header.records_secured_date = domain::CivilDate{2021, 2, 3};
    header.gap_threshold_days = 45;
    const Id imr = ws->create_imr(header);
    const Id other = ws->create_imr(test::sample_header("SAR 2025-99", "Mr Other"));
    auto e = test::sample_entry(domain::parse_date("c. 2019"), "approximate year", 3);
    e.action = "referred";
    e.comment = "analysis kept apart";
    e.missed_opportunity = true;
    e.tor_questions = {1, 2};
    e.principles = {domain::Principle::Protection, domain::Principle::Accountability};
    const Id e1 = ws->add_entry(imr, e);
    const Id e2 = ws->add_entry(imr, test::sample_entry(PartialDate::day(2019, 5, 6), "timed", 0, domain::TimeOfDay{14, 5}));
    ws->save_section(imr, section("analysis.q1", "Text with ünïcödé and a \"quote\"", {e2, e1}));
    domain::SectionContent na = section("analysis.q2", "");
    na.not_applicable = true;
    na.not_applicable_reason = "not our service";
    ws->save_section(imr, na);
    ws->save_recommendation(imr, std::nullopt, recommendation("R1"));
    ws->save_glossary(imr, std::nullopt, {"DNA", "Did not attend", {}});

    ws.reset();
    ws = p.reopen();
    CHECK(ws->load_problems().empty());
    REQUIRE(ws->imrs().size() == 2);
    CHECK(ws->imrs()[0].id == other);  // sorted by case reference
    const auto& doc = ws->get(imr);
    CHECK(doc.header.case_info.reference == "SAR 2026-07");
    CHECK(doc.header.adults == std::vector<domain::Adult>{{"Mrs Example", PartialDate::month(1950, 6)}});
    CHECK(doc.header.case_info.period_from == domain::CivilDate{2018, 1, 1});
    CHECK(doc.header.records_secured_date == domain::CivilDate{2021, 2, 3});
    CHECK(doc.header.gap_threshold_days == 45);
    CHECK(doc.header.case_info.terms_of_reference.size() == 2);
    REQUIRE(doc.entries.size() == 2);
    const auto* back = doc.entry(e1);
    REQUIRE(back != nullptr);
    CHECK(back->value.date == domain::parse_date("c. 2019"));
    CHECK(back->value.sequence == 3);
    CHECK(back->value.action == "referred");
    CHECK(back->value.comment == "analysis kept apart");
    CHECK(back->value.missed_opportunity);
    CHECK_FALSE(back->value.good_practice);
    CHECK(back->value.tor_questions == std::vector<int>{1, 2});
    CHECK(back->value.principles == e.principles);
    CHECK(doc.entry(e2)->value.time == domain::TimeOfDay{14, 5});
    const auto* s1 = doc.section("analysis.q1");
    REQUIRE(s1 != nullptr);
    CHECK(s1->value.text == "Text with ünïcödé and a \"quote\"");
    CHECK(s1->value.citations == std::vector<Id>{e2, e1});
    const auto* s2 = doc.section("analysis.q2");
    REQUIRE(s2 != nullptr);
    CHECK(s2->value.not_applicable);
    CHECK(s2->value.not_applicable_reason == "not our service");
    REQUIRE(doc.recommendations.size() == 1);
    CHECK(doc.recommendations[0].value.target_date == domain::CivilDate{2026, 9, 30});
    CHECK(doc.recommendations[0].value.linked_learning == std::vector<std::string>{"learning.q1"});
    REQUIRE(doc.glossary.size() == 1);
    CHECK(doc.glossary[0].value.expansion == "Did not attend");
    CHECK(ws->resolve(imr.hex().substr(0, 8)).id == imr);

    // Deleting an IMR tombstones all its records.
    ws->delete_imr(other);
    ws.reset();
    ws = p.reopen();
    CHECK(ws->imrs().size() == 1);
    CHECK(ws->find(other) == nullptr);
}

TEST_CASE("a section cannot cite an entry that is not in the IMR") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    CHECK_THROWS_AS(ws->save_section(imr, section("analysis.q1", "text", {test::make_id(3)})), ValidationError);
    CHECK(ws->get(imr).section("analysis.q1") == nullptr);
}

TEST_CASE("wipe() forgets the whole model") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    ws->add_entry(imr, test::sample_entry(PartialDate::day(2020, 1, 1), "secret"));
    ws->wipe();
    CHECK(ws->imrs().empty());
    CHECK(ws->find(imr) == nullptr);
    CHECK_THROWS_AS((void)ws->get(imr), WorkspaceError);
    // The vault still has it all.
    ws.reset();
    ws = p.reopen();
    CHECK(ws->get(imr).entries.size() == 1);
}

TEST_CASE("fields written by a newer version survive a load and save through the workspace") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    const Id entry = ws->add_entry(imr, test::sample_entry(PartialDate::day(2020, 1, 1), "first"));
    const Id section_id = test::make_id(0x51);
    const nlohmann::json future = {{"nested", {1, 2, 3}}, {"note", "from imrdesk 9"}};
    {
        auto section_body = domain::to_json(section("analysis.q1", "old text"));
        section_body["future_field"] = future;
        auto entry_body = domain::to_json(ws->get(imr).entry(entry)->value);
        entry_body["future_entry_field"] = "kept";
        const std::vector<client::RecordWrite> writes = {
            {section_id, imr, domain::RecordKind::Section, section_body.dump(), false},
            {entry, imr, domain::RecordKind::ChronologyEntry, entry_body.dump(), false},
        };
        ws->vault().write(writes, "test.future_fields");
    }
    ws.reset();
    ws = p.reopen();
    CHECK(ws->load_problems().empty());
    REQUIRE(ws->get(imr).section("analysis.q1") != nullptr);
    CHECK(ws->get(imr).section("analysis.q1")->value.extra.value("future_field", nlohmann::json()) == future);
    ws->save_section(imr, section("analysis.q1", "new text"));  // a fresh value, as an editor would save it
    ws->update_entry(imr, entry, test::sample_entry(PartialDate::day(2020, 1, 2), "second"));

    const auto loaded = ws->vault().load_all();
    const auto* s = stored(loaded, section_id);
    REQUIRE(s != nullptr);
    const auto body = nlohmann::json::parse(s->body);
    CHECK(body.at("text") == "new text");
    CHECK(body.at("future_field") == future);
    const auto* e = stored(loaded, entry);
    REQUIRE(e != nullptr);
    const auto entry_body = nlohmann::json::parse(e->body);
    CHECK(entry_body.at("event") == "second");
    CHECK(entry_body.at("future_entry_field") == "kept");

    ws.reset();
    ws = p.reopen();
    CHECK(ws->get(imr).section("analysis.q1")->value.text == "new text");
    CHECK(ws->get(imr).section("analysis.q1")->value.extra.at("future_field") == future);
}

TEST_CASE("records the workspace cannot place are listed as load problems") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    const Id orphan = test::make_id(0x61);
    const Id newer = test::make_id(0x62);
    const Id junk = test::make_id(0x63);
    auto newer_body = domain::to_json(section("analysis.q9", "from the future"));
    newer_body["v"] = 99;
    const std::vector<client::RecordWrite> writes = {
        {orphan, test::make_id(0x70), domain::RecordKind::GlossaryEntry, test::glossary_body("X", "orphan"), false},
        {newer, imr, domain::RecordKind::Section, newer_body.dump(), false},
        {junk, imr, domain::RecordKind::ChronologyEntry, "this is not json", false},
    };
    ws->vault().write(writes, "test.problems");
    ws.reset();
    ws = p.reopen();
    CHECK(test::mentions(ws->load_problems(), orphan));
    CHECK(test::mentions(ws->load_problems(), newer));
    CHECK(test::mentions(ws->load_problems(), junk));
    CHECK(ws->load_problems().size() == 3);
    CHECK(ws->get(imr).sections.empty());
    CHECK(ws->get(imr).entries.empty());
    // verify() reports what cannot be decoded too.
    const auto report = ws->vault().verify();
    CHECK(test::mentions(report.problems, newer.hex()));
    CHECK(test::mentions(report.problems, junk.hex()));
}

TEST_CASE("the names register: open while endorsed, closed once submitted, the next free pseudonym") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    CHECK(client::next_free_pseudonym(ws->get(imr)) == "Adult A");
    const Id a = ws->save_name(imr, {"Mr Quillfeather", "Adult A", nlohmann::json::object()});
    (void)ws->save_name(imr, {"Dr Patel", "adult b", nlohmann::json::object()});  // case does not matter
    CHECK(client::next_free_pseudonym(ws->get(imr)) == "Adult C");
    CHECK_FALSE(ws->get(imr).names_read_only());

    ws->set_status(imr, domain::ImrStatus::Submitted);
    CHECK(ws->get(imr).names_read_only());
    try {
        (void)ws->save_name(imr, {"Mrs Okonkwo", "Adult C", nlohmann::json::object()});
        FAIL("a submitted IMR's register changed");
    } catch (const WorkspaceError& e) {
        CHECK(std::string(e.what()).find("submitted") != std::string::npos);
    }
    CHECK_THROWS_AS(ws->delete_name(imr, a), WorkspaceError);
    CHECK(ws->get(imr).names.size() == 2);
}

TEST_CASE("the names scan shows the words around a name, cut between words, on one line") {
    Profile p;
    auto ws = p.create();
    const Id imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    (void)ws->save_name(imr, {"Mr Quillfeather", "Adult B", nlohmann::json::object()});
    ws->save_section(imr, section("summary", "The district nurse visited on a cold morning and found\nMr Quillfeather at home "
                                             "with his son, who said the heating had been off for a week or more."));
    const auto findings = client::scan_names(ws->get(imr), domain::ImrTemplate::builtin(), {});
    REQUIRE_FALSE(findings.empty());
    const auto& f = findings.front();
    CHECK(f.registered);
    CHECK(f.text == "Mr Quillfeather");
    CHECK(f.pseudonym == "Adult B");
    CHECK(f.context == "...visited on a cold morning and found Mr Quillfeather at home with his son, who said the...");
}
