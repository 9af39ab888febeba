// The review team's side of the store: expected agencies and their state, numbered submissions
// (withdraw, amend, submit again), queries raised on submitted IMRs and answered by their agency,
// review notes the agency never sees, and a version 1 store brought forward.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "imrdesk/platform/sqlite.hpp"
#include "imrdesk/sync/server/store.hpp"
#include "temp_dir.hpp"
#include "store_backend.hpp"

using namespace imrdesk;
using namespace imrdesk::sync;
using namespace imrdesk::sync::server;

namespace {

constexpr const char* kCase = "SAR 2026-07";
const std::string kPolice = "Northshire Police";
const std::string kTrust = "Northshire NHS Trust";
const std::string kCouncil = "Northshire Council";

domain::Id make_id(std::uint8_t a, std::uint8_t b) {
    domain::Id id;
    id.bytes[0] = 0x5E;
    id.bytes[1] = a;
    id.bytes[2] = b;
    return id;
}

Bytes bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

struct Fixture {
    test::TempDir dir;
    std::int64_t now = 1'780'000'000;
    Store store{test::fresh_store(dir), [this] { return now; }};
    Device police, trust, reviewer;
    std::uint8_t key_n = 1;

    Fixture() {
        CaseRecord c;
        c.reference = kCase;
        c.title = "Adult G";
        c.due = domain::CivilDate::from_days(now / 86400 + 10);
        c.agencies = {kPolice, kTrust, kCouncil};
        store.create_case(std::move(c));
        police = enrol(kPolice, Role::Author);
        trust = enrol(kTrust, Role::Author);
        reviewer = enrol("Safeguarding Adults Board", Role::Reviewer);
    }

    Device enrol(const std::string& agency, Role role) {
        PublicKey key{};
        key.fill(key_n++);
        const auto token = store.issue_token(TokenRequest{kCase, agency, role, "A. Person", 72});
        return store.enrol(token.token, key, agency + " device");
    }

    // An IMR with a header, a section and an endorsement; returns the endorsement's revision.
    std::uint64_t draft(const Device& d, const domain::Id& imr, std::uint8_t n) {
        Push push;
        push.records.push_back(PushRecord{imr, imr, domain::RecordKind::Imr, 0, bytes_of("header"), false, kCase});
        push.records.push_back(PushRecord{make_id(n, 1), imr, domain::RecordKind::Section, 0, bytes_of("summary v1"), false, {}});
        push.records.push_back(PushRecord{make_id(n, 2), imr, domain::RecordKind::Endorsement, 0, bytes_of("endorsed"), false, {}});
        const auto result = store.push(d, push);
        return std::get<PushAccepted>(result.outcomes.at(2)).revision;
    }

    std::set<domain::Id> pulled(const Device& d, domain::RecordKind kind) {
        std::set<domain::Id> out;
        std::uint64_t cursor = 0;
        for (int guard = 0; guard < 50; ++guard) {
            const auto page = store.pull(d, Pull{cursor, 500}, 500);
            for (const auto& r : page.records)
                if (r.kind == kind && !r.deleted) out.insert(r.id);
            cursor = page.next_cursor;
            if (!page.more) break;
        }
        return out;
    }

    bool push_ok(const Device& d, PushRecord record) {
        try {
            const auto result = store.push(d, Push{{std::move(record)}});
            return std::holds_alternative<PushAccepted>(result.outcomes.at(0));
        } catch (const Refused&) {
            return false;
        }
    }

    const AgencyProgress* progress(const std::vector<CaseInfo>& infos, const std::string& agency) {
        for (const auto& i : infos)
            for (const auto& a : i.agencies)
                if (a.agency == agency) return &a;
        return nullptr;
    }
};

ImrStatusRow row_of(const std::vector<ImrStatusRow>& rows, const std::string& agency) {
    for (const auto& r : rows)
        if (r.agency == agency) return r;
    FAIL("no status row for " << agency);
    return {};
}

Sha256 hash_of(std::uint8_t n) {
    Sha256 h{};
    h.fill(n);
    return h;
}

}  // namespace

TEST_CASE("review: each expected agency is not started, drafting, submitted or late, and the review team sees them all") {
    Fixture f;
    const auto imr = make_id(1, 0);
    (void)f.draft(f.police, imr, 1);

    auto infos = f.store.case_infos(f.reviewer);
    REQUIRE(infos.size() == 1);
    CHECK(infos[0].agencies.size() == 3);
    CHECK(f.progress(infos, kPolice)->state == AgencyState::Drafting);
    CHECK(f.progress(infos, kTrust)->state == AgencyState::NotStarted);  // enrolled, nothing pushed
    CHECK(f.progress(infos, kCouncil)->state == AgencyState::NotStarted);
    CHECK(f.progress(infos, kCouncil)->expected);

    // An author sees only its own agency.
    const auto own = f.store.case_infos(f.trust);
    REQUIRE(own.size() == 1);
    REQUIRE(own[0].agencies.size() == 1);
    CHECK(own[0].agencies[0].agency == kTrust);

    (void)f.store.submit(f.police, Submit{imr, hash_of(1)});
    infos = f.store.case_infos(f.reviewer);
    const auto* police = f.progress(infos, kPolice);
    CHECK(police->state == AgencyState::Submitted);
    CHECK(police->version == 1);
    CHECK(police->received_at == static_cast<std::uint64_t>(f.now));
    REQUIRE(infos[0].submissions.size() == 1);
    CHECK(infos[0].submissions[0].version == 1);
    CHECK(infos[0].submissions[0].content_hash == hash_of(1));

    // Past the due date: the ones that never submitted are late.
    f.now += 12 * 86400;
    const auto rows = f.store.status(kCase);
    std::set<std::string> late;
    for (const auto& r : rows)
        if (r.late) late.insert(r.agency);
    CHECK(late == std::set<std::string>{kTrust, kCouncil});

    // Agencies are added and removed; a wrong name says so.
    f.store.change_agencies(kCase, {"Northshire Housing"}, {kCouncil});
    CHECK(f.store.find_case(kCase)->agencies == std::vector<std::string>{"Northshire Housing", kTrust, kPolice});
    CHECK_THROWS_WITH_AS(f.store.change_agencies(kCase, {}, {"Nobody"}), doctest::Contains("not an expected agency"), StoreError);
    CHECK_THROWS_AS(f.store.change_agencies("SAR 1999-01", {"X"}, {}), StoreError);
}

TEST_CASE("review: a withdrawn endorsement reopens a submitted IMR, the review team keeps what it holds, and the next submission is version 2") {
    Fixture f;
    const auto imr = make_id(2, 0);
    const auto endorsement_rev = f.draft(f.police, imr, 2);
    (void)f.store.submit(f.police, Submit{imr, hash_of(1)});
    CHECK(f.pulled(f.reviewer, domain::RecordKind::Section).size() == 1);

    // Read-only while submitted, and the refusal says how to amend.
    CHECK_THROWS_WITH_AS((void)f.store.push(f.police, Push{{PushRecord{make_id(2, 1), imr, domain::RecordKind::Section, 99,
                                                                     bytes_of("edit"), false, {}}}}),
                         doctest::Contains("withdraw the endorsement"), Refused);

    // A stale removal (wrong base) does not reopen it.
    CHECK_FALSE(f.push_ok(f.police, PushRecord{make_id(2, 2), imr, domain::RecordKind::Endorsement, endorsement_rev + 100, {}, true, {}}));
    CHECK(row_of(f.store.status(kCase), kPolice).state == AgencyState::Submitted);

    // The withdrawal and the amendment in one push, in either order.
    Push amend;
    amend.records.push_back(PushRecord{make_id(2, 1), imr, domain::RecordKind::Section, 0, bytes_of("summary v2"), false, {}});
    amend.records.push_back(PushRecord{make_id(2, 2), imr, domain::RecordKind::Endorsement, 0, {}, true, {}});
    // base revisions: what the author last had (after the submission's restamp)
    std::uint64_t cursor = 0;
    for (int guard = 0; guard < 10; ++guard) {
        const auto page = f.store.pull(f.police, Pull{cursor, 500}, 500);
        for (const auto& r : page.records) {
            if (r.id == make_id(2, 1)) amend.records[0].base_revision = r.revision;
            if (r.id == make_id(2, 2)) amend.records[1].base_revision = r.revision;
        }
        cursor = page.next_cursor;
        if (!page.more) break;
    }
    const auto result = f.store.push(f.police, amend);
    for (const auto& o : result.outcomes) CHECK(std::holds_alternative<PushAccepted>(o));

    // Amending: the reviewer sees no draft content, knows it is being amended after version 1.
    auto infos = f.store.case_infos(f.reviewer);
    CHECK(f.progress(infos, kPolice)->state == AgencyState::Amending);
    CHECK(f.progress(infos, kPolice)->version == 1);
    CHECK(infos[0].submissions.empty());
    {
        const auto page = f.store.pull(f.reviewer, Pull{0, 500}, 500);
        for (const auto& r : page.records) CHECK(r.kind != domain::RecordKind::Section);  // nothing of the draft
    }

    // Re-endorsed and submitted again: version 2, with its own hash; both versions are kept.
    CHECK(f.push_ok(f.police, PushRecord{make_id(2, 3), imr, domain::RecordKind::Endorsement, 0, bytes_of("endorsed again"), false, {}}));
    f.now += 3600;
    const auto second = f.store.submit(f.police, Submit{imr, hash_of(2)});
    CHECK(second.received_at == static_cast<std::uint64_t>(f.now));
    infos = f.store.case_infos(f.reviewer);
    REQUIRE(infos[0].submissions.size() == 1);
    CHECK(infos[0].submissions[0].version == 2);
    CHECK(infos[0].submissions[0].content_hash == hash_of(2));
    const auto row = row_of(f.store.status(kCase), kPolice);
    CHECK(row.state == AgencyState::Submitted);
    CHECK(row.version == 2);
    // A retry of the same submission changes nothing; other content is refused.
    CHECK(f.store.submit(f.police, Submit{imr, hash_of(2)}).received_at == second.received_at);
    CHECK_THROWS_AS((void)f.store.submit(f.police, Submit{imr, hash_of(3)}), Refused);
    CHECK(f.store.verify().ok());
}

TEST_CASE("review: queries are raised by the review team on submitted IMRs only, answered by the agency, and seen by nobody else") {
    Fixture f;
    const auto police_imr = make_id(3, 0);
    const auto trust_imr = make_id(4, 0);
    (void)f.draft(f.police, police_imr, 3);
    (void)f.draft(f.trust, trust_imr, 4);
    (void)f.store.submit(f.police, Submit{police_imr, hash_of(1)});

    const auto query = make_id(3, 9);
    // On the Trust's draft: refused, and the refusal is logged.
    const auto refusals = f.store.recent_refusals(1000).size();
    CHECK_FALSE(f.push_ok(f.reviewer, PushRecord{make_id(4, 9), trust_imr, domain::RecordKind::Query, 0, bytes_of("q"), false, {}}));
    CHECK(f.store.recent_refusals(1000).size() == refusals + 1);
    CHECK(f.store.recent_refusals(1).front().find("never submitted") != std::string::npos);
    // On an IMR the server never saw: refused.
    CHECK_FALSE(f.push_ok(f.reviewer, PushRecord{make_id(9, 9), make_id(9, 0), domain::RecordKind::Query, 0, bytes_of("q"), false, {}}));
    // On the submitted one: accepted.
    CHECK(f.push_ok(f.reviewer, PushRecord{query, police_imr, domain::RecordKind::Query, 0, bytes_of("Was the call on 3 May logged?"), false, {}}));
    // Authors cannot raise queries or write the review team's notes; the reviewer cannot answer.
    CHECK_FALSE(f.push_ok(f.police, PushRecord{make_id(3, 10), police_imr, domain::RecordKind::Query, 0, bytes_of("q"), false, {}}));
    CHECK_FALSE(f.push_ok(f.police, PushRecord{make_id(3, 11), police_imr, domain::RecordKind::ReviewNote, 0, bytes_of("n"), false, {}}));
    CHECK_FALSE(f.push_ok(f.reviewer, PushRecord{make_id(3, 12), police_imr, domain::RecordKind::QueryAnswer, 0, bytes_of("a"), false, {}}));
    // The police answer while the IMR is submitted (read-only otherwise).
    CHECK(f.push_ok(f.police, PushRecord{make_id(3, 13), police_imr, domain::RecordKind::QueryAnswer, 0, bytes_of("Yes, STORM 0412."), false, {}}));
    CHECK(f.push_ok(f.reviewer, PushRecord{make_id(3, 14), police_imr, domain::RecordKind::ReviewNote, 0, bytes_of("cf. GP letter"), false, {}}));

    CHECK(f.pulled(f.police, domain::RecordKind::Query) == std::set<domain::Id>{query});
    CHECK(f.pulled(f.reviewer, domain::RecordKind::QueryAnswer).size() == 1);
    CHECK(f.pulled(f.trust, domain::RecordKind::Query).empty());       // another agency never sees it
    CHECK(f.pulled(f.trust, domain::RecordKind::QueryAnswer).empty());
    CHECK(f.pulled(f.police, domain::RecordKind::ReviewNote).empty());  // the review team's own notes
    CHECK(f.pulled(f.reviewer, domain::RecordKind::ReviewNote).size() == 1);
    // The digest a device checks holds the same rule as the pull.
    CHECK(f.store.digest(f.trust.id).records == 3);  // the Trust's own draft only
}

TEST_CASE("review: a version 1 store opens as version 2, its submissions numbered 1") {
    test::TempDir dir;
    const auto file = dir / "store.db";
    {
        platform::sql::Database db(file, true);
        db.exec(R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema', '1');
CREATE TABLE cases(reference TEXT PRIMARY KEY, title TEXT NOT NULL, tor TEXT NOT NULL,
  period_from INTEGER, period_to INTEGER, due INTEGER, created_at INTEGER NOT NULL);
INSERT INTO cases VALUES ('SAR 2025-01', 'Adult Z', '[]', NULL, NULL, NULL, 1700000000);
CREATE TABLE imrs(id TEXT PRIMARY KEY, case_ref TEXT NOT NULL REFERENCES cases(reference), agency TEXT NOT NULL,
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL, submitted_at INTEGER, submitted_by TEXT, content_hash BLOB);
INSERT INTO imrs VALUES ('5e000000000000000000000000000001', 'SAR 2025-01', 'Police', 'dev', 1700000000, 1700100000, 'dev', x'00');
INSERT INTO imrs VALUES ('5e000000000000000000000000000002', 'SAR 2025-01', 'Trust', 'dev', 1700000000, NULL, NULL, NULL);
)SQL");
    }
    Store store(file);
    const auto rows = store.status("SAR 2025-01");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].agency == "Police");
    CHECK(rows[0].state == AgencyState::Submitted);
    CHECK(rows[0].version == 1);
    CHECK(rows[1].state == AgencyState::Drafting);
    CHECK(store.verify().ok());
}
