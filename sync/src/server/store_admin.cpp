// The store's admin commands: cases and their expected agencies, enrolment codes, devices,
// status, verification and refusals.
#include <algorithm>
#include <cctype>

#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/sync/server/store.hpp"
#include "store_internal.hpp"

namespace imrdesk::sync::server {

using namespace store_detail;

// --- admin -------------------------------------------------------------------------------------

namespace {

// What create and update require of a case's title and period; its terms of reference as stored.
std::string checked_case(const CaseRecord& record) {
    if (record.title.empty()) throw StoreError("the case needs a title");
    if (record.period_from && record.period_to && *record.period_to < *record.period_from) {
        throw StoreError("the review period ends (" + record.period_to->iso() + ") before it starts (" +
                         record.period_from->iso() + ")");
    }
    json tor = json::array();
    for (const auto& q : record.terms_of_reference) tor.push_back({{"n", q.number}, {"text", q.text}});
    return tor.dump();
}

}  // namespace

void Store::create_case(CaseRecord record) {
    auto lease = backend_->connect();
    auto& c = *lease;
    if (record.reference.empty() || record.reference.size() > 256) {
        throw StoreError("the case reference must be 1 to 256 characters");
    }
    const std::string tor = checked_case(record);
    db::Transaction tx(c);
    {
        auto exists = c.prepare("SELECT 1 FROM cases WHERE reference = ?");
        if (exists.bind(1, record.reference).step()) {
            throw StoreError("a case with the reference '" + record.reference + "' already exists");
        }
    }
    auto s = c.prepare("INSERT INTO cases(reference, title, tor, period_from, period_to, due, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, record.reference).bind(2, record.title).bind(3, tor);
    bind_optional(s, 4, day(record.period_from));
    bind_optional(s, 5, day(record.period_to));
    bind_optional(s, 6, day(record.due));
    s.bind(7, clock_());
    s.run();
    for (const auto& agency : record.agencies) {
        check_agency_name(agency);
        c.prepare("INSERT INTO case_agencies(case_ref, agency) VALUES (?, ?) ON CONFLICT DO NOTHING").bind(1, record.reference).bind(2, agency).run();
    }
    tx.commit();
}

void Store::change_agencies(const std::string& reference, const std::vector<std::string>& add,
                            const std::vector<std::string>& remove) {
    auto lease = backend_->connect();
    auto& c = *lease;
    db::Transaction tx(c);
    {
        auto exists = c.prepare("SELECT 1 FROM cases WHERE reference = ?");
        if (!exists.bind(1, reference).step()) throw StoreError("there is no case '" + reference + "' (see: case list)");
    }
    for (const auto& agency : add) {
        check_agency_name(agency);
        c.prepare("INSERT INTO case_agencies(case_ref, agency) VALUES (?, ?) ON CONFLICT DO NOTHING").bind(1, reference).bind(2, agency).run();
    }
    for (const auto& agency : remove) {
        c.prepare("DELETE FROM case_agencies WHERE case_ref = ? AND agency = ?").bind(1, reference).bind(2, agency).run();
        if (c.changes() == 0)
            throw StoreError("'" + agency + "' is not an expected agency of case '" + reference + "' (see: case list)");
    }
    tx.commit();
}

void Store::update_case(const CaseRecord& record) {
    auto lease = backend_->connect();
    auto& c = *lease;
    const std::string tor = checked_case(record);
    db::Transaction tx(c);
    auto s = c.prepare("UPDATE cases SET title = ?, tor = ?, period_from = ?, period_to = ?, due = ? WHERE reference = ?");
    s.bind(1, record.title).bind(2, tor);
    bind_optional(s, 3, day(record.period_from));
    bind_optional(s, 4, day(record.period_to));
    bind_optional(s, 5, day(record.due));
    s.bind(6, record.reference);
    s.run();
    if (c.changes() == 0) throw StoreError("there is no case '" + record.reference + "' (see: case list)");
    tx.commit();
}

std::vector<CaseRecord> Store::cases() const {
    auto lease = backend_->connect();
    auto& c = *lease;
    std::vector<CaseRecord> out;
    auto s = c.prepare(std::string("SELECT ") + kCaseColumns + " FROM cases ORDER BY reference");
    while (s.step()) out.push_back(read_case(s));
    for (auto& found : out) found.agencies = expected_agencies(c, found.reference);
    return out;
}

std::optional<CaseRecord> Store::find_case(const std::string& reference) const {
    auto lease = backend_->connect();
    auto& c = *lease;
    auto s = c.prepare(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE reference = ?");
    if (!s.bind(1, reference).step()) return std::nullopt;
    auto found = read_case(s);
    found.agencies = expected_agencies(c, found.reference);
    return found;
}

IssuedToken Store::issue_token(const TokenRequest& request) {
    auto lease = backend_->connect();
    auto& c = *lease;
    if (request.valid_hours < 1 || request.valid_hours > 24 * 30) {
        throw StoreError("--valid-hours must be between 1 and 720 (30 days), not " + std::to_string(request.valid_hours));
    }
    if (request.agency.empty() || request.agency.size() > 256) throw StoreError("the agency must be 1 to 256 characters");
    db::Transaction tx(c);
    {
        auto s = c.prepare("SELECT 1 FROM cases WHERE reference = ?");
        if (!s.bind(1, request.case_reference).step()) {
            throw StoreError("there is no case '" + request.case_reference + "' (see: imrdesk-server case list)");
        }
    }
    IssuedToken out;
    crypto::random_bytes(out.token);
    const auto hash = sha256_of(out.token);
    out.id = hex8(hash);
    const auto now = clock_();
    out.expires_at = now + std::int64_t{request.valid_hours} * 3600;
    auto s = c.prepare("INSERT INTO tokens(hash, id, case_ref, agency, role, person, created_at, expires_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, hash).bind(2, out.id).bind(3, request.case_reference).bind(4, request.agency);
    s.bind(5, static_cast<std::int64_t>(request.role)).bind(6, request.person).bind(7, now).bind(8, out.expires_at);
    s.run();
    tx.commit();
    return out;
}

std::vector<TokenInfo> Store::tokens() const {
    auto lease = backend_->connect();
    auto& c = *lease;
    std::vector<TokenInfo> out;
    auto s = c.prepare("SELECT id, case_ref, agency, role, person, created_at, expires_at, used_at, used_by, revoked "
                          "FROM tokens ORDER BY created_at, id");
    while (s.step()) {
        TokenInfo t;
        t.id = s.column_text(0);
        t.case_reference = s.column_text(1);
        t.agency = s.column_text(2);
        t.role = s.column_int(3) == 2 ? Role::Reviewer : Role::Author;
        t.person = s.column_text(4);
        t.created_at = s.column_int(5);
        t.expires_at = s.column_int(6);
        if (!s.column_is_null(7)) t.used_at = s.column_int(7);
        t.used_by = s.column_text(8);
        t.revoked = s.column_int(9) != 0;
        out.push_back(std::move(t));
    }
    return out;
}

void Store::revoke_token(const std::string& id) {
    auto lease = backend_->connect();
    auto& c = *lease;
    db::Transaction tx(c);
    auto s = c.prepare("UPDATE tokens SET revoked = 1 WHERE id = ?");
    s.bind(1, id).run();
    if (c.changes() == 0) throw StoreError("there is no enrolment code with the id '" + id + "' (see: tokens list)");
    tx.commit();
}

std::vector<Device> Store::devices() const {
    auto lease = backend_->connect();
    auto& c = *lease;
    std::vector<Device> out;
    std::vector<std::string> ids;
    auto s = c.prepare("SELECT id FROM devices ORDER BY enrolled_at, id");
    while (s.step()) ids.push_back(s.column_text(0));
    for (const auto& id : ids) out.push_back(load_device(c, domain::Id::from_hex(id)));
    return out;
}

Device Store::revoke_device(const std::string& id_or_prefix) {
    auto lease = backend_->connect();
    auto& c = *lease;
    std::string prefix;
    for (const char ch : id_or_prefix) prefix.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    if (prefix.size() < 4 || prefix.find_first_not_of("0123456789abcdef") != std::string::npos) {
        throw StoreError("give the device id or at least its first 4 hex digits (see: devices list)");
    }
    std::vector<std::string> matches;
    auto s = c.prepare("SELECT id FROM devices WHERE id LIKE ?");  // hex digits only: no LIKE wildcards
    s.bind(1, prefix + "%");
    while (s.step()) matches.push_back(s.column_text(0));
    if (matches.empty()) throw StoreError("there is no device '" + id_or_prefix + "' (see: devices list)");
    if (matches.size() > 1) throw StoreError("'" + id_or_prefix + "' matches " + std::to_string(matches.size()) + " devices; give more digits");
    db::Transaction tx(c);
    c.prepare("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bind(1, clock_())
        .bind(2, matches.front())
        .run();
    tx.commit();
    return load_device(c, domain::Id::from_hex(matches.front()));
}

std::vector<ImrStatusRow> Store::status(const std::optional<std::string>& case_reference) const {
    auto lease = backend_->connect();
    auto& c = *lease;
    if (case_reference) {
        auto s = c.prepare("SELECT 1 FROM cases WHERE reference = ?");
        if (!s.bind(1, *case_reference).step()) throw StoreError("there is no case '" + *case_reference + "'");
    }
    const auto today = clock_() / 86400;
    std::vector<std::pair<std::string, std::optional<std::int64_t>>> cases;
    {
        auto s = case_reference ? c.prepare("SELECT reference, due FROM cases WHERE reference = ?")
                                : c.prepare("SELECT reference, due FROM cases ORDER BY reference");
        if (case_reference) s.bind(1, *case_reference);
        while (s.step()) cases.emplace_back(s.column_text(0), s.column_is_null(1) ? std::nullopt : std::optional(s.column_int(1)));
    }
    std::vector<ImrStatusRow> out;
    for (const auto& [ref, due] : cases) {
        // Late: past the due day (days since 1970) and never submitted. No due date: never late.
        const bool past_due = due && today > *due;
        // Every expected agency, every agency with an author enrolled, every agency with an IMR.
        for (const auto& progress : progress_of(c, ref)) {
            auto i = c.prepare(
                "SELECT i.id, i.submitted_at, COUNT(r.id), COALESCE(MAX(r.updated_at), i.created_at), i.version, "
                "(SELECT MAX(at) FROM submissions x WHERE x.imr_id = i.id) "
                "FROM imrs i LEFT JOIN records r ON r.imr_id = i.id AND r.deleted = 0 "
                "WHERE i.case_ref = ? AND i.agency = ? GROUP BY i.id ORDER BY i.created_at");
            i.bind(1, ref).bind(2, progress.agency);
            bool any = false;
            while (i.step()) {
                any = true;
                ImrStatusRow row;
                row.case_reference = ref;
                row.agency = progress.agency;
                row.expected = progress.expected;
                row.imr_id = domain::Id::from_hex(i.column_text(0));
                row.records = i.column_int(2);
                row.last_change = i.column_int(3);
                row.version = static_cast<std::uint32_t>(i.column_int(4));
                if (!i.column_is_null(1)) {
                    row.submitted_at = i.column_int(1);
                    row.state = AgencyState::Submitted;
                } else if (row.version > 0) {
                    row.state = AgencyState::Amending;
                    if (!i.column_is_null(5)) row.submitted_at = i.column_int(5);
                } else {
                    row.state = AgencyState::Drafting;
                }
                row.late = row.version == 0 && past_due;
                out.push_back(std::move(row));
            }
            if (!any) {
                ImrStatusRow row;
                row.case_reference = ref;
                row.agency = progress.agency;
                row.expected = progress.expected;
                row.late = past_due;
                out.push_back(std::move(row));
            }
        }
    }
    return out;
}

StoreVerifyReport Store::verify() const {
    auto lease = backend_->connect();
    auto& c = *lease;
    StoreVerifyReport report;
    report.problems = backend_->integrity_problems(c);
    report.records = static_cast<std::size_t>(c.scalar_int("SELECT COUNT(*) FROM records"));
    report.imrs = static_cast<std::size_t>(c.scalar_int("SELECT COUNT(*) FROM imrs"));
    auto s = c.prepare("SELECT id, kind, length(body), deleted, length(id) FROM records "
                          "WHERE length(id) != 16 OR (deleted != 0 AND length(body) != 0) OR kind NOT BETWEEN 1 AND " + std::to_string(domain::kLastRecordKind));
    while (s.step()) report.problems.push_back("record " + crypto::to_hex(s.column_blob_view(0)) + " is malformed (kind, id or tombstone body)");
    const auto bad_revisions = c.scalar_int("SELECT COUNT(*) FROM records WHERE revision < 1");
    if (bad_revisions > 0) report.problems.push_back(std::to_string(bad_revisions) + " record(s) with a revision below 1");
    const auto next = c.scalar_int("SELECT COALESCE(MAX(revision), 0) FROM records");
    const auto count = c.scalar_int("SELECT COUNT(*) FROM records");
    if (next < count) report.problems.push_back("revisions are not unique");
    const auto counter = c.scalar_int("SELECT value FROM counters WHERE name = 'revision'");
    if (counter < next)
        report.problems.push_back("the revision counter (" + std::to_string(counter) + ") is behind the newest revision (" +
                                  std::to_string(next) + "): new writes would reuse revisions");
    return report;
}

std::vector<std::string> Store::recent_refusals(std::size_t limit) const {
    auto lease = backend_->connect();
    auto& c = *lease;
    std::vector<std::string> out;
    auto s = c.prepare("SELECT at, device, what FROM refusals ORDER BY seq DESC LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(limit));
    while (s.step()) {
        out.push_back(format_time(s.column_int(0)) + "  " + (s.column_text(1).empty() ? "-" : s.column_text(1).substr(0, 8)) +
                      "  " + s.column_text(2));
    }
    return out;
}


}  // namespace imrdesk::sync::server
