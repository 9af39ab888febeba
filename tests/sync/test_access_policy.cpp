// Who may read and write what, over every combination: agency × role × case × draft/submitted ×
// record kind. First the pure policy (access.hpp) against the rules as the review team states
// them; then the Store (its SQL pull, push, submit) against the policy, with real records of every
// kind in eight IMRs seen by six devices.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "imrdesk/sync/server/access.hpp"
#include "imrdesk/sync/server/store.hpp"
#include "temp_dir.hpp"
#include "store_backend.hpp"

using namespace imrdesk;
using namespace imrdesk::sync;
using namespace imrdesk::sync::server;

namespace {

const std::vector<std::string> kCases = {"SAR 2026-01", "SAR 2026-02"};
const std::vector<std::string> kAgencies = {"Northshire Police", "Northshire NHS Trust"};
constexpr domain::RecordKind kKinds[] = {domain::RecordKind::Section,       domain::RecordKind::ChronologyEntry,
                                         domain::RecordKind::Recommendation, domain::RecordKind::GlossaryEntry,
                                         domain::RecordKind::Endorsement,    domain::RecordKind::Name};

// The rules as the review team states them, one line each.
bool rule_read(Role role, bool same_case, bool same_agency, bool submitted) {
    if (!same_case) return false;                     // nothing crosses cases
    if (role == Role::Author) return same_agency;     // an author reads its agency's IMRs, draft or submitted
    return submitted;                                 // the review team reads what was submitted
}
bool rule_write(Role role, bool same_case, bool same_agency, bool submitted) {
    return role == Role::Author && same_case && same_agency && !submitted;  // a submitted IMR is read-only
}
// The same with the record kind and an IMR submitted before (being amended, `ever` without `now`).
bool is_query(domain::RecordKind k) { return k == domain::RecordKind::Query || k == domain::RecordKind::QueryAnswer; }
bool rule_read_kind(Role role, bool same_case, bool same_agency, bool now, bool ever, domain::RecordKind kind) {
    if (!same_case) return false;
    if (kind == domain::RecordKind::ReviewNote) return role == Role::Reviewer && ever;  // the review team's alone
    if (role == Role::Author) return same_agency;
    return now || (is_query(kind) && ever);  // queries stay in sight while the agency amends
}
bool rule_write_kind(Role role, bool same_case, bool same_agency, bool now, bool ever, domain::RecordKind kind) {
    if (!same_case) return false;
    if (kind == domain::RecordKind::Query || kind == domain::RecordKind::ReviewNote) return role == Role::Reviewer && ever;
    if (role != Role::Author || !same_agency) return false;
    return kind == domain::RecordKind::QueryAnswer || !now;  // answers also while submitted
}

domain::Id id_of(std::uint8_t a, std::uint8_t b, std::uint8_t c) {
    domain::Id id;
    id.bytes[0] = 0xAC;
    id.bytes[1] = a;
    id.bytes[2] = b;
    id.bytes[3] = c;
    return id;
}

Bytes bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("access: the policy follows the review team's rules for every agency, role, case and state") {
    int combinations = 0;
    for (const Role role : {Role::Author, Role::Reviewer})
        for (const auto& device_case : kCases)
            for (const auto& device_agency : kAgencies)
                for (const auto& imr_case : kCases)
                    for (const auto& imr_agency : kAgencies)
                        for (const bool submitted : {false, true}) {
                            const std::vector<MembershipInfo> m{{device_case, device_agency, role, "A. Person"}};
                            const access::ImrFacts imr{imr_case, imr_agency, submitted};
                            const bool same_case = device_case == imr_case, same_agency = device_agency == imr_agency;
                            INFO(std::string(role == Role::Author ? "author" : "reviewer") << " of " << device_agency << " in " << device_case
                                 << "; IMR of " << imr_agency << " in " << imr_case << std::string(submitted ? ", submitted" : ", draft"));
                            CHECK(access::may_read(m, imr) == rule_read(role, same_case, same_agency, submitted));
                            CHECK(!access::write_refusal(m, imr).has_value() == rule_write(role, same_case, same_agency, submitted));
                            CHECK(access::authors(m, imr) == (role == Role::Author && same_case && same_agency));
                            ++combinations;
                        }
    CHECK(combinations == 64);
    // No memberships: nothing. Several: any one that allows it.
    CHECK_FALSE(access::may_read({}, {kCases[0], kAgencies[0], true}));
    const std::vector<MembershipInfo> both{{kCases[0], kAgencies[0], Role::Reviewer, "R"}, {kCases[1], kAgencies[1], Role::Author, "A"}};
    CHECK(access::may_read(both, {kCases[0], kAgencies[1], true}));
    CHECK(access::may_read(both, {kCases[1], kAgencies[1], false}));
    CHECK_FALSE(access::may_read(both, {kCases[0], kAgencies[1], false}));
    CHECK_FALSE(access::write_refusal(both, {kCases[1], kAgencies[1], false}).has_value());
    CHECK(access::write_refusal(both, {kCases[0], kAgencies[1], true}).has_value());
    // A new IMR goes to the one author membership of its case.
    CHECK(access::new_imr(both, "").membership == &both[1]);
    CHECK(access::new_imr(both, kCases[0]).refusal.has_value());
    CHECK(access::new_imr({}, "").refusal.has_value());
}

TEST_CASE("access: queries, answers and review notes follow their own rules for every role, case, agency and state") {
    int combinations = 0;
    for (int k = 1; k <= domain::kLastRecordKind; ++k) {
        const auto kind = *domain::record_kind_from_int(k);
        for (const Role role : {Role::Author, Role::Reviewer})
            for (const bool same_case : {false, true})
                for (const bool same_agency : {false, true})
                    for (const int state : {0, 1, 2}) {  // draft, submitted, amending after a submission
                        const bool now = state == 1, ever = state != 0;
                        const std::vector<MembershipInfo> m{{kCases[0], kAgencies[0], role, "A. Person"}};
                        const access::ImrFacts imr{same_case ? kCases[0] : kCases[1], same_agency ? kAgencies[0] : kAgencies[1], now, ever};
                        INFO(std::string(role == Role::Author ? "author" : "reviewer") << std::string(same_case ? ", same case" : ", other case")
                             << std::string(same_agency ? ", same agency" : ", other agency") << ", state " << state << ", "
                             << std::string(domain::to_string(kind)));
                        CHECK(access::may_read(m, imr, kind) == rule_read_kind(role, same_case, same_agency, now, ever, kind));
                        CHECK(!access::write_refusal(m, imr, kind).has_value() ==
                              rule_write_kind(role, same_case, same_agency, now, ever, kind));
                        ++combinations;
                    }
    }
    CHECK(combinations == domain::kLastRecordKind * 24);
    // A refusal says why, in words the review team understands.
    const std::vector<MembershipInfo> reviewer{{kCases[0], "Safeguarding Adults Board", Role::Reviewer, "R"}};
    const auto on_draft = access::write_refusal(reviewer, {kCases[0], kAgencies[0], false, false}, domain::RecordKind::Query);
    REQUIRE(on_draft.has_value());
    CHECK(on_draft->find("never submitted") != std::string::npos);
}

TEST_CASE("access: the store lets every device read and write exactly what the policy says, for every record kind") {
    test::TempDir dir;
    std::int64_t now = 1'780'000'000;
    Store store(test::fresh_store(dir), [&] { return now; });
    for (const auto& reference : kCases) {
        CaseRecord c;
        c.reference = reference;
        c.title = "Review " + reference;
        c.terms_of_reference = {{1, "What happened?"}};
        store.create_case(std::move(c));
    }
    struct Seat {
        Device device;
        Role role;
        std::string case_reference, agency;
    };
    std::vector<Seat> seats;
    std::uint8_t key_n = 1;
    auto enrol = [&](const std::string& reference, const std::string& agency, Role role) {
        PublicKey key{};
        key.fill(key_n++);
        const auto token = store.issue_token(TokenRequest{reference, agency, role, "A. Person", 72});
        seats.push_back({store.enrol(token.token, key, agency + " device"), role, reference, agency});
    };
    for (const auto& reference : kCases) {
        for (const auto& agency : kAgencies) enrol(reference, agency, Role::Author);
        enrol(reference, "Safeguarding Adults Board", Role::Reviewer);
    }

    // Each author makes two IMRs with a record of every kind, and submits the second.
    struct Imr {
        domain::Id id;
        std::string case_reference, agency;
        bool submitted;
    };
    std::vector<Imr> imrs;
    std::uint8_t n = 0;
    for (const auto& seat : seats) {
        if (seat.role != Role::Author) continue;
        for (const bool submit : {false, true}) {
            const domain::Id imr = id_of(++n, 0, 0);
            Push push;
            push.records.push_back(PushRecord{imr, imr, domain::RecordKind::Imr, 0, bytes_of("header"), false, seat.case_reference});
            std::uint8_t k = 0;
            for (const auto kind : kKinds) push.records.push_back(PushRecord{id_of(n, ++k, 0), imr, kind, 0, bytes_of("body"), false, {}});
            const auto result = store.push(seat.device, push);
            for (const auto& o : result.outcomes) REQUIRE(std::holds_alternative<PushAccepted>(o));
            if (submit) (void)store.submit(seat.device, Submit{imr, Sha256{}});
            imrs.push_back({imr, seat.case_reference, seat.agency, submit});
        }
    }
    REQUIRE(imrs.size() == 8);

    int checked = 0;
    std::uint8_t fresh = 0;
    for (const auto& seat : seats) {
        std::map<domain::Id, std::set<domain::RecordKind>> seen;
        std::uint64_t cursor = 0;
        for (int guard = 0; guard < 100; ++guard) {
            const auto page = store.pull(seat.device, Pull{cursor, 500}, 500);
            for (const auto& r : page.records) seen[r.imr_id].insert(r.kind);
            cursor = page.next_cursor;
            if (!page.more) break;
        }
        for (const auto& imr : imrs) {
            const bool same_case = seat.case_reference == imr.case_reference, same_agency = seat.agency == imr.agency;
            const access::ImrFacts facts{imr.case_reference, imr.agency, imr.submitted};
            INFO(std::string(seat.role == Role::Author ? "author" : "reviewer") << " of " << seat.agency << " in " << seat.case_reference
                 << "; IMR of " << imr.agency << " in " << imr.case_reference << std::string(imr.submitted ? ", submitted" : ", draft"));
            const bool readable = access::may_read(seat.device.memberships, facts);
            CHECK(readable == rule_read(seat.role, same_case, same_agency, imr.submitted));
            if (readable) {
                REQUIRE(seen.count(imr.id) == 1);
                CHECK(seen[imr.id].size() == std::size(kKinds) + 1);  // every kind, and the header
            } else {
                CHECK(seen.count(imr.id) == 0);
            }
            // Writing: a new record of each kind, accepted only where the policy allows.
            const bool writable = !access::write_refusal(seat.device.memberships, facts).has_value();
            for (const auto kind : kKinds) {
                Push push{{PushRecord{id_of(200, ++fresh, static_cast<std::uint8_t>(kind)), imr.id, kind, 0, bytes_of("new"), false, {}}}};
                bool accepted = false;
                try {
                    const auto result = store.push(seat.device, push);
                    accepted = std::holds_alternative<PushAccepted>(result.outcomes.at(0));
                } catch (const Refused& r) {
                    CHECK(r.code() == ErrorCode::Forbidden);
                }
                CHECK(accepted == writable);
            }
            // Submitting: only the IMR's own agency (its drafts stay drafts here, for the devices
            // checked after it; a second submission of the same content is a retry).
            if (!access::authors(seat.device.memberships, facts) || imr.submitted) {
                bool submitted_ok = false;
                try {
                    (void)store.submit(seat.device, Submit{imr.id, Sha256{}});
                    submitted_ok = true;
                } catch (const Refused& r) {
                    CHECK(r.code() == ErrorCode::Forbidden);
                }
                CHECK(submitted_ok == access::authors(seat.device.memberships, facts));
            }
            ++checked;
        }
    }
    CHECK(checked == 48);
    // Every refusal was logged for the admin.
    CHECK(store.recent_refusals(1000).size() >= 48);
}
