// The server's Store without a network: cases and tokens, enrolment and its refusals, pushes
// (idempotent, conflicting, tombstones), paged pulls, who may read and write what, submission,
// and what the admin sees (refusals, status, verify, digests).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "imrdesk/sync/server/store.hpp"
#include "temp_dir.hpp"
#include "store_backend.hpp"

using namespace imrdesk;
using namespace imrdesk::sync;
using namespace imrdesk::sync::server;
using imrdesk::test::TempDir;

namespace {

constexpr std::int64_t kStart = 1'780'000'000;  // 2026-05-28 20:26 UTC
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

domain::Id make_id(std::uint8_t tag, std::uint8_t n) {
    domain::Id id;
    id.bytes[0] = tag;
    id.bytes[1] = 0x5A;
    id.bytes[15] = n;
    return id;
}

PublicKey key_of(std::uint8_t n) {
    PublicKey key{};
    key.fill(n);
    key[0] = 0xEE;
    return key;
}

Sha256 hash_of(std::uint8_t n) {
    Sha256 h{};
    h.fill(n);
    return h;
}

Bytes bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

PushRecord record(const domain::Id& id, const domain::Id& imr, domain::RecordKind kind, std::uint64_t base,
                  std::string_view body, std::string case_reference = {}) {
    return PushRecord{id, imr, kind, base, bytes_of(body), false, std::move(case_reference)};
}
PushRecord header(const domain::Id& imr, std::uint64_t base, std::string_view body, std::string case_reference = {}) {
    return record(imr, imr, domain::RecordKind::Imr, base, body, std::move(case_reference));
}
PushRecord tombstone(const domain::Id& id, const domain::Id& imr, domain::RecordKind kind, std::uint64_t base) {
    return PushRecord{id, imr, kind, base, {}, true, {}};
}

const PushAccepted& accepted(const PushResult& result, std::size_t n) {
    REQUIRE(n < result.outcomes.size());
    const auto* a = std::get_if<PushAccepted>(&result.outcomes[n]);
    REQUIRE_MESSAGE(a != nullptr, "outcome " << n << " is a conflict");
    return *a;
}

template <typename F>
ErrorCode refusal_of(F&& f) {
    try {
        f();
    } catch (const Refused& r) {
        CHECK(std::string(r.what()).size() > 10);  // says what and why
        return r.code();
    }
    FAIL("not refused");
    return ErrorCode::Unknown;
}

std::set<domain::Id> ids_of(const PullResult& result) {
    std::set<domain::Id> out;
    for (const auto& r : result.records) out.insert(r.id);
    return out;
}

// Everything the device can read, from the beginning, following the pages.
PullResult pull_all(Store& store, const Device& device, std::uint64_t cursor = 0) {
    PullResult all;
    all.next_cursor = cursor;
    for (int guard = 0; guard < 1000; ++guard) {
        const auto page = store.pull(device, Pull{all.next_cursor, 1000}, 1000);
        all.records.insert(all.records.end(), page.records.begin(), page.records.end());
        all.next_cursor = page.next_cursor;
        if (!page.more) return all;
    }
    FAIL("pull does not end");
    return all;
}

struct Fixture {
    TempDir dir;
    std::int64_t now = kStart;
    Store store{test::fresh_store(dir), [this] { return now; }};

    void make_case(const std::string& reference, std::optional<domain::CivilDate> due = std::nullopt) {
        CaseRecord c;
        c.reference = reference;
        c.title = "Review of " + reference;
        c.terms_of_reference = {{1, "What happened?"}, {2, "What was learnt?"}};
        c.period_from = domain::CivilDate{2024, 1, 1};
        c.period_to = domain::CivilDate{2025, 12, 31};
        c.due = due;
        store.create_case(std::move(c));
    }
    IssuedToken token(const std::string& reference, const std::string& agency, Role role = Role::Author, int hours = 72) {
        return store.issue_token(TokenRequest{reference, agency, role, "A. Person", hours});
    }
    Device enrol(const std::string& reference, const std::string& agency, Role role, std::uint8_t key) {
        return store.enrol(token(reference, agency, role).token, key_of(key), "device " + std::to_string(key));
    }
};

}  // namespace

// --- cases and tokens --------------------------------------------------------------------------

TEST_CASE("store: cases are created, listed and found, duplicates and inverted periods are refused") {
    Fixture f;
    f.make_case("SAR 2026-03");
    f.make_case("SAR 2026-01", domain::CivilDate{2026, 9, 30});
    const auto cases = f.store.cases();
    REQUIRE(cases.size() == 2);
    CHECK(cases[0].reference == "SAR 2026-01");  // ordered by reference
    CHECK(cases[1].reference == "SAR 2026-03");
    CHECK(cases[0].due == domain::CivilDate{2026, 9, 30});
    CHECK(cases[0].created_at == kStart);
    CHECK(cases[1].terms_of_reference == std::vector<domain::TorQuestion>{{1, "What happened?"}, {2, "What was learnt?"}});
    REQUIRE(f.store.find_case("SAR 2026-03"));
    CHECK(f.store.find_case("SAR 2026-03")->period_to == domain::CivilDate{2025, 12, 31});
    CHECK_FALSE(f.store.find_case("SAR 1999-01"));

    CHECK_THROWS_AS(f.make_case("SAR 2026-03"), StoreError);
    CaseRecord inverted;
    inverted.reference = "SAR 2026-04";
    inverted.title = "Inverted";
    inverted.period_from = domain::CivilDate{2025, 6, 1};
    inverted.period_to = domain::CivilDate{2025, 5, 31};
    CHECK_THROWS_AS(f.store.create_case(inverted), StoreError);
    CaseRecord untitled;
    untitled.reference = "SAR 2026-05";
    CHECK_THROWS_AS(f.store.create_case(untitled), StoreError);
    CHECK(f.store.cases().size() == 2);
}

TEST_CASE("store: a token for an unknown case, or with bad hours, is not issued") {
    Fixture f;
    f.make_case("SAR 2026-03");
    CHECK_THROWS_AS((void)f.token("SAR 1999-01", "Police"), StoreError);
    CHECK_THROWS_AS((void)f.token("SAR 2026-03", "Police", Role::Author, 0), StoreError);
    CHECK_THROWS_AS((void)f.token("SAR 2026-03", "", Role::Author), StoreError);
    CHECK(f.store.tokens().empty());

    const auto issued = f.token("SAR 2026-03", "Police", Role::Author, 2);
    CHECK(issued.expires_at == kStart + 2 * kHour);
    CHECK(issued.id.size() == 8);
    const auto tokens = f.store.tokens();
    REQUIRE(tokens.size() == 1);
    CHECK(tokens[0].id == issued.id);
    CHECK(tokens[0].agency == "Police");
    CHECK_FALSE(tokens[0].used_at);
    CHECK_FALSE(tokens[0].revoked);
}

// --- enrolment and authentication --------------------------------------------------------------

TEST_CASE("store: enrolment refuses an unknown, expired, used or revoked token, each with its code") {
    Fixture f;
    f.make_case("SAR 2026-03");

    SUBCASE("unknown") {
        Token unknown{};
        unknown.fill(0x42);
        CHECK(refusal_of([&] { (void)f.store.enrol(unknown, key_of(1), "laptop"); }) == ErrorCode::TokenUnknown);
    }
    SUBCASE("expired") {
        const auto t = f.token("SAR 2026-03", "Police", Role::Author, 1);
        f.now = t.expires_at;  // expiry is the first second it no longer works
        CHECK(refusal_of([&] { (void)f.store.enrol(t.token, key_of(1), "laptop"); }) == ErrorCode::TokenExpired);
        f.now = kStart;
        CHECK(f.store.enrol(t.token, key_of(1), "laptop").memberships.size() == 1);  // it was only late
    }
    SUBCASE("used by another key") {
        const auto t = f.token("SAR 2026-03", "Police");
        const Device first = f.store.enrol(t.token, key_of(1), "laptop");
        CHECK(refusal_of([&] { (void)f.store.enrol(t.token, key_of(2), "other"); }) == ErrorCode::TokenUsed);
        CHECK(f.store.devices().size() == 1);
        const auto tokens = f.store.tokens();
        REQUIRE(tokens.size() == 1);
        CHECK(tokens[0].used_by == first.id.hex());
        CHECK(tokens[0].used_at == kStart);
    }
    SUBCASE("revoked") {
        const auto t = f.token("SAR 2026-03", "Police");
        f.store.revoke_token(t.id);
        CHECK(refusal_of([&] { (void)f.store.enrol(t.token, key_of(1), "laptop"); }) == ErrorCode::TokenRevoked);
        CHECK(f.store.devices().empty());
        CHECK_THROWS_AS(f.store.revoke_token("00000000"), StoreError);
    }
    SUBCASE("the same key redeeming its own token again succeeds (a retry), even after expiry") {
        const auto t = f.token("SAR 2026-03", "Police", Role::Author, 1);
        const Device first = f.store.enrol(t.token, key_of(1), "laptop");
        f.now = t.expires_at + kDay;
        const Device again = f.store.enrol(t.token, key_of(1), "laptop");
        CHECK(again.id == first.id);
        CHECK(again.memberships.size() == 1);
        CHECK(f.store.devices().size() == 1);
        CHECK(f.store.tokens()[0].used_at == kStart);  // still the first redemption
    }
}

TEST_CASE("store: a device enrolled twice holds both memberships, an unknown or revoked key cannot log in") {
    Fixture f;
    f.make_case("SAR 2026-03");
    f.make_case("SAR 2026-04");
    const Device d = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    CHECK(f.store.enrol(f.token("SAR 2026-04", "Police", Role::Reviewer).token, key_of(1), "laptop").id == d.id);
    const Device logged_in = f.store.authenticate(key_of(1));
    CHECK(logged_in.id == d.id);
    REQUIRE(logged_in.memberships.size() == 2);
    CHECK(logged_in.wire_memberships()[1] == Membership{"SAR 2026-04", "Police", Role::Reviewer});

    CHECK(refusal_of([&] { (void)f.store.authenticate(key_of(9)); }) == ErrorCode::AuthenticationFailed);

    f.now += kHour;
    const Device revoked = f.store.revoke_device(d.id.hex().substr(0, 6));
    CHECK(revoked.revoked_at == kStart + kHour);
    CHECK(refusal_of([&] { (void)f.store.authenticate(key_of(1)); }) == ErrorCode::DeviceRevoked);
    // Nor can it come back through a fresh token.
    const auto fresh = f.token("SAR 2026-03", "Police");
    CHECK(refusal_of([&] { (void)f.store.enrol(fresh.token, key_of(1), "laptop"); }) == ErrorCode::DeviceRevoked);
    CHECK_FALSE(f.store.tokens().back().used_at);
}

TEST_CASE("store: a device revoked after logging in can no longer push, pull or submit") {
    Fixture f;
    f.make_case("SAR 2026-03");
    const Device d = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    (void)f.store.push(d, Push{{header(make_id(1, 1), 0, "header")}});
    CHECK_NOTHROW((void)f.store.pull(d, Pull{0, 10}, 10));
    (void)f.store.revoke_device(d.id.hex());  // `d` is what the session holds: not revoked
    CHECK(refusal_of([&] { (void)f.store.pull(d, Pull{0, 10}, 10); }) == ErrorCode::DeviceRevoked);
    CHECK(refusal_of([&] { (void)f.store.push(d, Push{{header(make_id(1, 2), 0, "another")}}); }) == ErrorCode::DeviceRevoked);
    CHECK(refusal_of([&] { (void)f.store.submit(d, Submit{make_id(1, 1), hash_of(1)}); }) == ErrorCode::DeviceRevoked);
    CHECK(f.store.max_revision() == 1);
    CHECK(f.store.recent_refusals(1).at(0).find("device_revoked") != std::string::npos);
}

TEST_CASE("store: a device name cannot carry control characters into logs and listings") {
    Fixture f;
    f.make_case("SAR 2026-03");
    // A forged log line and a terminal escape sequence (ESC [ 2 J clears the admin's screen), a
    // C1 control (U+0085, NEL) and a tab.
    const std::string name = "laptop\n2026-01-01T00:00:00Z INFO  forged\x1b[2J\t\xc2\x85 \xc3\xa9t\xc3\xa9";
    const Device d = f.store.enrol(f.token("SAR 2026-03", "Police").token, key_of(1), name);
    for (const auto& shown : {d.name, f.store.devices().at(0).name}) {
        CHECK(shown.find_first_of("\n\r\t\x1b\x7f") == std::string::npos);
        CHECK(shown.find("\xc2\x85") == std::string::npos);
        CHECK(shown.starts_with("laptop"));
        CHECK(shown.ends_with(" \xc3\xa9t\xc3\xa9"));  // other text is kept as it is
    }
}

// --- push and pull -----------------------------------------------------------------------------

TEST_CASE("store: pushes get increasing revisions, a retry changes nothing, a stale base is a conflict") {
    Fixture f;
    f.make_case("SAR 2026-03");
    const Device d = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    const Device reader = f.enrol("SAR 2026-03", "Police", Role::Author, 2);  // another device of the agency
    const auto imr = make_id(1, 1);
    const auto section = make_id(2, 1);

    const Push first{{header(imr, 0, "{\"title\":\"IMR\"}"), record(section, imr, domain::RecordKind::Section, 0, "s1")}};
    const auto r1 = f.store.push(d, first);
    REQUIRE(r1.outcomes.size() == 2);
    CHECK(accepted(r1, 0) == PushAccepted{imr, 1});
    CHECK(accepted(r1, 1) == PushAccepted{section, 2});
    CHECK(f.store.max_revision() == 2);

    // A retry after a lost acknowledgement: the same revisions, none new.
    CHECK(f.store.push(d, first) == r1);
    CHECK(f.store.max_revision() == 2);

    // An edit on the current base.
    const auto r2 = f.store.push(d, Push{{record(section, imr, domain::RecordKind::Section, 2, "s2")}});
    CHECK(accepted(r2, 0).revision == 3);

    // An edit on the old base: the server's current version comes back, nothing is written.
    const auto r3 = f.store.push(d, Push{{record(section, imr, domain::RecordKind::Section, 2, "s3 from elsewhere")}});
    REQUIRE(r3.outcomes.size() == 1);
    const auto* conflict = std::get_if<PushConflict>(&r3.outcomes[0]);
    REQUIRE(conflict != nullptr);
    CHECK(conflict->current == RemoteRecord{section, imr, domain::RecordKind::Section, 3, bytes_of("s2"), false});
    CHECK(f.store.max_revision() == 3);

    // The same record under another IMR or kind is refused.
    CHECK(refusal_of([&] {
              (void)f.store.push(d, Push{{record(section, imr, domain::RecordKind::Recommendation, 3, "x")}});
          }) == ErrorCode::Forbidden);
    CHECK(f.store.max_revision() == 3);

    // A tombstone: accepted on the current base, pulled with an empty body.
    const auto r4 = f.store.push(d, Push{{tombstone(section, imr, domain::RecordKind::Section, 3)}});
    CHECK(accepted(r4, 0).revision == 4);
    CHECK(f.store.push(d, Push{{tombstone(section, imr, domain::RecordKind::Section, 3)}}) == r4);  // retry
    const auto all = pull_all(f.store, reader);
    REQUIRE(all.records.size() == 2);
    CHECK(all.records[1] == RemoteRecord{section, imr, domain::RecordKind::Section, 4, {}, true});
    // Brought back to life on the tombstone's revision.
    CHECK(accepted(f.store.push(d, Push{{record(section, imr, domain::RecordKind::Section, 4, "back")}}), 0).revision == 5);
    CHECK(f.store.verify().ok());
}

TEST_CASE("store: a push that is partly refused writes nothing") {
    Fixture f;
    f.make_case("SAR 2026-03");
    const Device police = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    const Device health = f.enrol("SAR 2026-03", "Health", Role::Author, 2);
    const auto theirs = make_id(1, 2);
    (void)f.store.push(health, Push{{header(theirs, 0, "health's IMR")}});
    const auto mine = make_id(1, 1);
    CHECK(refusal_of([&] {
              (void)f.store.push(police, Push{{header(mine, 0, "police IMR"),
                                               record(make_id(2, 9), theirs, domain::RecordKind::Section, 0, "intrusion")}});
          }) == ErrorCode::Forbidden);
    CHECK(f.store.max_revision() == 1);
    CHECK(f.store.digest(std::nullopt).records == 1);
    CHECK(f.store.verify().imrs == 1);  // not even the new IMR
}

TEST_CASE("store: pull is paged and its cursor moves on") {
    Fixture f;
    f.make_case("SAR 2026-03");
    const Device d = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    const Device reader = f.enrol("SAR 2026-03", "Police", Role::Author, 2);  // another device of the agency
    const auto imr = make_id(1, 1);
    Push push{{header(imr, 0, "imr")}};
    for (std::uint8_t n = 1; n <= 6; ++n) push.records.push_back(record(make_id(3, n), imr, domain::RecordKind::ChronologyEntry, 0, "entry"));
    (void)f.store.push(d, push);
    (void)f.store.push(d, Push{{tombstone(make_id(3, 2), imr, domain::RecordKind::ChronologyEntry, 3)}});  // revision 8

    auto page = f.store.pull(reader, Pull{0, 3}, 1000);
    REQUIRE(page.records.size() == 3);
    CHECK(page.more);
    CHECK(page.records[0].revision == 1);
    CHECK(page.records[2].revision == 4);  // entry 2 moved to revision 8
    CHECK(page.next_cursor == 4);
    page = f.store.pull(reader, Pull{page.next_cursor, 3}, 1000);
    REQUIRE(page.records.size() == 3);
    CHECK(page.more);
    CHECK(page.next_cursor == 7);
    page = f.store.pull(reader, Pull{page.next_cursor, 3}, 1000);
    REQUIRE(page.records.size() == 1);
    CHECK_FALSE(page.more);
    CHECK(page.next_cursor == 8);
    CHECK(page.records[0].deleted);
    CHECK(page.records[0].body.empty());
    CHECK(page.records[0].id == make_id(3, 2));
    // Nothing new: the cursor stays.
    page = f.store.pull(reader, Pull{8, 3}, 1000);
    CHECK(page.records.empty());
    CHECK_FALSE(page.more);
    CHECK(page.next_cursor == 8);
    // The server's maximum caps the client's limit.
    page = f.store.pull(reader, Pull{0, 500}, 2);
    CHECK(page.records.size() == 2);
    CHECK(page.more);
}

// --- access --------------------------------------------------------------------------------------

TEST_CASE("store: an author neither writes nor reads another agency's IMR") {
    Fixture f;
    f.make_case("SAR 2026-03");
    const Device police = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    const Device health = f.enrol("SAR 2026-03", "Health", Role::Author, 2);
    // Other devices of each agency read (a device may not get its own writes back).
    const Device police_reader = f.enrol("SAR 2026-03", "Police", Role::Author, 3);
    const Device health_reader = f.enrol("SAR 2026-03", "Health", Role::Author, 4);
    const auto police_imr = make_id(1, 1);
    const auto health_imr = make_id(1, 2);
    (void)f.store.push(police, Push{{header(police_imr, 0, "police"), record(make_id(2, 1), police_imr, domain::RecordKind::Section, 0, "p")}});
    (void)f.store.push(health, Push{{header(health_imr, 0, "health")}});

    CHECK(refusal_of([&] {
              (void)f.store.push(health, Push{{record(make_id(2, 2), police_imr, domain::RecordKind::Section, 0, "x")}});
          }) == ErrorCode::Forbidden);
    CHECK(refusal_of([&] {
              (void)f.store.push(health, Push{{record(make_id(2, 1), police_imr, domain::RecordKind::Section, 2, "edit")}});
          }) == ErrorCode::Forbidden);
    CHECK(ids_of(pull_all(f.store, health_reader)) == std::set<domain::Id>{health_imr});
    CHECK(ids_of(pull_all(f.store, police_reader)) == std::set<domain::Id>{police_imr, make_id(2, 1)});
    CHECK(f.store.digest(health.id).records == 1);
    CHECK(f.store.digest(police.id).records == 2);
    // Nor submit it.
    CHECK(refusal_of([&] { (void)f.store.submit(health, Submit{police_imr, hash_of(1)}); }) == ErrorCode::Forbidden);
}

TEST_CASE("store: a reviewer reads nothing of a draft, and every record of every submitted IMR") {
    Fixture f;
    f.make_case("SAR 2026-03");
    const Device police = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    const Device health = f.enrol("SAR 2026-03", "Health", Role::Author, 2);
    const Device reviewer = f.enrol("SAR 2026-03", "Board", Role::Reviewer, 3);
    const auto police_imr = make_id(1, 1);
    const auto health_imr = make_id(1, 2);
    (void)f.store.push(police, Push{{header(police_imr, 0, "police"), record(make_id(2, 1), police_imr, domain::RecordKind::Section, 0, "p1"),
                                     record(make_id(2, 2), police_imr, domain::RecordKind::Section, 0, "p2")}});
    (void)f.store.push(health, Push{{header(health_imr, 0, "health"), record(make_id(2, 3), health_imr, domain::RecordKind::Section, 0, "h1")}});
    (void)f.store.push(police, Push{{tombstone(make_id(2, 2), police_imr, domain::RecordKind::Section, 3)}});

    // Drafts: nothing, and the cursor it holds is the latest there is.
    const auto before = f.store.pull(reviewer, Pull{0, 500}, 1000);
    CHECK(before.records.empty());
    const std::uint64_t reviewer_cursor = static_cast<std::uint64_t>(f.store.max_revision());
    CHECK(f.store.digest(reviewer.id).records == 0);
    CHECK(refusal_of([&] { (void)f.store.push(reviewer, Push{{record(make_id(2, 1), police_imr, domain::RecordKind::Section, 2, "r")}}); }) ==
          ErrorCode::Forbidden);
    CHECK(refusal_of([&] { (void)f.store.push(reviewer, Push{{header(make_id(1, 3), 0, "reviewer's own IMR")}}); }) ==
          ErrorCode::Forbidden);
    CHECK(refusal_of([&] { (void)f.store.submit(reviewer, Submit{police_imr, hash_of(1)}); }) == ErrorCode::Forbidden);

    // Police submits: all of its records, the tombstone too, come after the reviewer's cursor.
    f.now += kHour;
    const auto submitted = f.store.submit(police, Submit{police_imr, hash_of(1)});
    CHECK(submitted.received_at == static_cast<std::uint64_t>(f.now));
    auto after = pull_all(f.store, reviewer, reviewer_cursor);
    CHECK(ids_of(after) == std::set<domain::Id>{police_imr, make_id(2, 1), make_id(2, 2)});
    for (const auto& r : after.records) CHECK(r.revision > reviewer_cursor);
    CHECK(std::any_of(after.records.begin(), after.records.end(), [](const RemoteRecord& r) { return r.deleted; }));
    CHECK(after.next_cursor == static_cast<std::uint64_t>(f.store.max_revision()));

    // Health submits later: the reviewer gets it from where it stopped.
    const auto cursor = after.next_cursor;
    (void)f.store.submit(health, Submit{health_imr, hash_of(2)});
    after = pull_all(f.store, reviewer, cursor);
    CHECK(ids_of(after) == std::set<domain::Id>{health_imr, make_id(2, 3)});
    CHECK(ids_of(pull_all(f.store, reviewer)).size() == 5);
    CHECK(f.store.verify().ok());

    // The submitted IMR is read-only now.
    CHECK(refusal_of([&] {
              (void)f.store.push(police, Push{{record(make_id(2, 9), police_imr, domain::RecordKind::Section, 0, "late")}});
          }) == ErrorCode::Forbidden);
}

TEST_CASE("store: nothing crosses cases") {
    Fixture f;
    f.make_case("SAR 2026-03");
    f.make_case("SAR 2026-04");
    const Device one = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    const Device two = f.enrol("SAR 2026-04", "Police", Role::Author, 2);  // the same agency name
    const Device reviewer_two = f.enrol("SAR 2026-04", "Board", Role::Reviewer, 3);
    const auto imr1 = make_id(1, 1);
    (void)f.store.push(one, Push{{header(imr1, 0, "case 1"), record(make_id(2, 1), imr1, domain::RecordKind::Section, 0, "s")}});
    (void)f.store.submit(one, Submit{imr1, hash_of(1)});

    CHECK(pull_all(f.store, two).records.empty());
    CHECK(pull_all(f.store, reviewer_two).records.empty());
    CHECK(refusal_of([&] {
              (void)f.store.push(two, Push{{record(make_id(2, 2), imr1, domain::RecordKind::Section, 0, "x")}});
          }) == ErrorCode::Forbidden);
    CHECK(refusal_of([&] { (void)f.store.submit(two, Submit{imr1, hash_of(1)}); }) == ErrorCode::Forbidden);
    // A new IMR naming a case the device is not in.
    CHECK(refusal_of([&] { (void)f.store.push(two, Push{{header(make_id(1, 5), 0, "x", "SAR 2026-03")}}); }) ==
          ErrorCode::Forbidden);
    const auto infos = f.store.case_infos(reviewer_two);
    REQUIRE(infos.size() == 1);
    CHECK(infos[0].reference == "SAR 2026-04");
    CHECK(infos[0].submissions.empty());
    CHECK(f.store.digest(two.id).records == 0);
}

TEST_CASE("store: a device in two cases must name the case of a new IMR") {
    Fixture f;
    f.make_case("SAR 2026-03");
    f.make_case("SAR 2026-04");
    const Device d = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    (void)f.store.enrol(f.token("SAR 2026-04", "Police").token, key_of(1), "laptop");
    const Device both = f.store.authenticate(key_of(1));
    CHECK(refusal_of([&] { (void)f.store.push(both, Push{{header(make_id(1, 1), 0, "which case?")}}); }) == ErrorCode::Forbidden);
    CHECK(accepted(f.store.push(both, Push{{header(make_id(1, 1), 0, "case 4", "SAR 2026-04")}}), 0).revision == 1);
    const auto rows = f.store.status("SAR 2026-04");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].imr_id == make_id(1, 1));
    CHECK(d.id == both.id);
}

// --- submission ----------------------------------------------------------------------------------

TEST_CASE("store: submit is for the IMR's agency, idempotent with the same hash, refused with another") {
    Fixture f;
    f.make_case("SAR 2026-03");
    const Device police = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    const Device police2 = f.enrol("SAR 2026-03", "Police", Role::Author, 2);
    const auto imr = make_id(1, 1);

    CHECK(refusal_of([&] { (void)f.store.submit(police, Submit{imr, hash_of(1)}); }) == ErrorCode::Forbidden);  // not pushed
    (void)f.store.push(police, Push{{record(make_id(2, 1), imr, domain::RecordKind::Section, 0, "no header yet")}});
    CHECK(refusal_of([&] { (void)f.store.submit(police, Submit{imr, hash_of(1)}); }) == ErrorCode::Forbidden);  // no header
    (void)f.store.push(police, Push{{header(imr, 0, "header")}});

    f.now += kHour;
    const auto first = f.store.submit(police, Submit{imr, hash_of(1)});
    CHECK(first == SubmitResult{imr, static_cast<std::uint64_t>(kStart + kHour)});
    const auto revisions = f.store.max_revision();
    f.now += kHour;
    // A retry, from another device of the agency too: the first receipt, no new revisions.
    CHECK(f.store.submit(police, Submit{imr, hash_of(1)}) == first);
    CHECK(f.store.submit(police2, Submit{imr, hash_of(1)}) == first);
    CHECK(f.store.max_revision() == revisions);
    CHECK(refusal_of([&] { (void)f.store.submit(police, Submit{imr, hash_of(2)}); }) == ErrorCode::Forbidden);
}

TEST_CASE("store: case_infos lists the submissions the device may know of") {
    Fixture f;
    f.make_case("SAR 2026-03", domain::CivilDate{2026, 7, 1});
    const Device police = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    const Device health = f.enrol("SAR 2026-03", "Health", Role::Author, 2);
    const Device reviewer = f.enrol("SAR 2026-03", "Board", Role::Reviewer, 3);
    (void)f.store.push(police, Push{{header(make_id(1, 1), 0, "p")}});
    (void)f.store.push(health, Push{{header(make_id(1, 2), 0, "h")}});
    (void)f.store.submit(police, Submit{make_id(1, 1), hash_of(1)});
    f.now += 10;
    (void)f.store.submit(health, Submit{make_id(1, 2), hash_of(2)});

    const auto mine = f.store.case_infos(police);
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].title == "Review of SAR 2026-03");
    CHECK(mine[0].due == domain::CivilDate{2026, 7, 1});
    CHECK(mine[0].terms_of_reference.size() == 2);
    CHECK(mine[0].submissions == std::vector<Submission>{{make_id(1, 1), "Police", static_cast<std::uint64_t>(kStart), 1, hash_of(1)}});
    const auto all = f.store.case_infos(reviewer);
    REQUIRE(all.size() == 1);
    CHECK(all[0].submissions == std::vector<Submission>{{make_id(1, 1), "Police", static_cast<std::uint64_t>(kStart), 1, hash_of(1)},
                                                        {make_id(1, 2), "Health", static_cast<std::uint64_t>(kStart + 10), 1, hash_of(2)}});
}

// --- admin views ---------------------------------------------------------------------------------

TEST_CASE("store: every refusal is written to the refusals table") {
    Fixture f;
    f.make_case("SAR 2026-03");
    const Device reviewer = f.enrol("SAR 2026-03", "Board", Role::Reviewer, 3);
    CHECK(f.store.recent_refusals(10).empty());
    Token unknown{};
    (void)refusal_of([&] { (void)f.store.enrol(unknown, key_of(1), "x"); });
    (void)refusal_of([&] { (void)f.store.authenticate(key_of(2)); });
    (void)refusal_of([&] { (void)f.store.push(reviewer, Push{{header(make_id(1, 1), 0, "x")}}); });
    (void)refusal_of([&] { (void)f.store.submit(reviewer, Submit{make_id(1, 1), hash_of(1)}); });
    f.store.log_refusal(reviewer.id, "rate_limited");
    const auto refusals = f.store.recent_refusals(10);
    REQUIRE(refusals.size() == 5);
    CHECK(refusals[0].find("rate_limited") != std::string::npos);  // newest first
    CHECK(refusals[0].find(reviewer.id.hex().substr(0, 8)) != std::string::npos);
    CHECK(refusals[1].find("forbidden") != std::string::npos);
    CHECK(refusals[2].find("forbidden") != std::string::npos);
    CHECK(refusals[3].find("authentication_failed") != std::string::npos);
    CHECK(refusals[4].find("token_unknown") != std::string::npos);
    CHECK(f.store.recent_refusals(2).size() == 2);
}

TEST_CASE("store: status shows who submitted and who is late") {
    Fixture f;
    f.make_case("SAR 2026-03", domain::CivilDate{2026, 6, 30});
    f.make_case("SAR 2026-04");
    const Device police = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    const Device health = f.enrol("SAR 2026-03", "Health", Role::Author, 2);
    (void)f.enrol("SAR 2026-03", "Housing", Role::Author, 3);  // enrolled, nothing pushed
    (void)f.enrol("SAR 2026-03", "Board", Role::Reviewer, 4);  // reviewers have no row
    (void)f.store.push(police, Push{{header(make_id(1, 1), 0, "p"), record(make_id(2, 1), make_id(1, 1), domain::RecordKind::Section, 0, "s")}});
    (void)f.store.push(health, Push{{header(make_id(1, 2), 0, "h")}});
    (void)f.store.submit(police, Submit{make_id(1, 1), hash_of(1)});

    auto rows = f.store.status("SAR 2026-03");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].agency == "Health");
    CHECK(rows[1].agency == "Housing");
    CHECK(rows[2].agency == "Police");
    CHECK_FALSE(rows[1].imr_id);
    CHECK(rows[2].records == 2);
    CHECK(rows[2].submitted_at == kStart);
    for (const auto& r : rows) CHECK_FALSE(r.late);

    f.now = domain::CivilDate{2026, 7, 1}.days_since_epoch() * kDay + 9 * kHour;  // the day after the due date
    rows = f.store.status(std::nullopt);
    REQUIRE(rows.size() == 3);  // case 4 has nobody
    CHECK(rows[0].late);        // Health: pushed, not submitted
    CHECK(rows[1].late);        // Housing: nothing at all
    CHECK_FALSE(rows[2].late);  // Police: submitted
    CHECK_THROWS_AS((void)f.store.status("SAR 1999-01"), StoreError);
}

TEST_CASE("store: verify is ok and two devices of one agency see the same records") {
    Fixture f;
    f.make_case("SAR 2026-03");
    const Device police = f.enrol("SAR 2026-03", "Police", Role::Author, 1);
    const Device police2 = f.enrol("SAR 2026-03", "Police", Role::Author, 2);
    const Device health = f.enrol("SAR 2026-03", "Health", Role::Author, 3);
    (void)f.store.push(police, Push{{header(make_id(1, 1), 0, "p"), record(make_id(2, 1), make_id(1, 1), domain::RecordKind::Section, 0, "s")}});
    (void)f.store.push(police2, Push{{tombstone(make_id(2, 1), make_id(1, 1), domain::RecordKind::Section, 2)}});
    (void)f.store.push(health, Push{{header(make_id(1, 2), 0, "h")}});

    const auto report = f.store.verify();
    CHECK(report.ok());
    CHECK(report.records == 3);
    CHECK(report.imrs == 2);
    const auto a = f.store.digest(police.id);
    const auto b = f.store.digest(police2.id);
    CHECK(a.records == 2);
    CHECK(a.digest == b.digest);
    CHECK(f.store.digest(health.id).digest != a.digest);
    CHECK(f.store.digest(std::nullopt).records == 3);
}

TEST_CASE("store: the file keeps everything across a reopen") {
    const TempDir dir;
    std::int64_t now = kStart;
    Device d;
    const auto where = test::fresh_store(dir);
    {
        Store store(where, [&] { return now; });
        CaseRecord c;
        c.reference = "SAR 2026-03";
        c.title = "Title";
        store.create_case(c);
        d = store.enrol(store.issue_token(TokenRequest{"SAR 2026-03", "Police", Role::Author, "P", 72}).token, key_of(1), "x");
        (void)store.push(d, Push{{header(make_id(1, 1), 0, "p")}});
    }
    Store store(where, [&] { return now; });
    CHECK(store.authenticate(key_of(1)).id == d.id);
    CHECK(store.max_revision() == 1);
    CHECK(store.verify().ok());
}
