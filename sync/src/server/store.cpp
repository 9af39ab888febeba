#include "imrdesk/sync/server/store.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "imrdesk/crypto/aead.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/sync/digest.hpp"
#include "imrdesk/sync/server/access.hpp"
#include "db.hpp"

namespace imrdesk::sync::server {

using nlohmann::json;

namespace {

std::string format_time(std::int64_t unix_seconds) {
    return platform::format_time(unix_seconds, "%Y-%m-%d %H:%M UTC", platform::Zone::Utc);
}

std::array<std::uint8_t, 32> sha256_of(std::span<const std::uint8_t> data) { return crypto::sha256(data); }

std::string hex8(const std::array<std::uint8_t, 32>& hash) { return sync::hex(hash).substr(0, 8); }

std::string hex_of(std::span<const std::uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const auto b : bytes) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 15]);
    }
    return out;
}

std::optional<std::int64_t> day(const std::optional<domain::CivilDate>& date) {
    if (!date) return std::nullopt;
    return date->days_since_epoch();
}

void bind_optional(db::Statement& s, int index, std::optional<std::int64_t> value) {
    if (value) {
        s.bind(index, *value);
    } else {
        s.bind_null(index);
    }
}

std::optional<domain::CivilDate> date_column(const db::Statement& s, int index) {
    if (s.column_is_null(index)) return std::nullopt;
    return domain::CivilDate::from_days(s.column_int(index));
}

domain::Id id_from_blob(std::span<const std::uint8_t> blob) {
    domain::Id id;
    if (blob.size() == id.bytes.size()) std::copy(blob.begin(), blob.end(), id.bytes.begin());
    return id;
}

std::span<const std::uint8_t> blob_of(const domain::Id& id) { return {id.bytes.data(), id.bytes.size()}; }

CaseRecord read_case(const db::Statement& s) {
    CaseRecord c;
    c.reference = s.column_text(0);
    c.title = s.column_text(1);
    for (const auto& q : json::parse(s.column_text(2))) {
        c.terms_of_reference.push_back({q.at("n").get<int>(), q.at("text").get<std::string>()});
    }
    c.period_from = date_column(s, 3);
    c.period_to = date_column(s, 4);
    c.due = date_column(s, 5);
    c.created_at = s.column_int(6);
    return c;
}

std::vector<std::string> expected_agencies(db::Connection& c, const std::string& reference) {
    std::vector<std::string> out;
    auto s = c.prepare("SELECT agency FROM case_agencies WHERE case_ref = ? ORDER BY agency");
    s.bind(1, reference);
    while (s.step()) out.push_back(s.column_text(0));
    return out;
}

constexpr const char* kCaseColumns = "reference, title, tor, period_from, period_to, due, created_at";

// Records r of IMR i the device may read: access::may_read in SQL (?1: the device's id);
// test_access_policy holds the two together. Kinds: 8 query, 9 query answer, 10 review note;
// i.version > 0: submitted at least once.
constexpr const char* kVisible =
    "EXISTS (SELECT 1 FROM memberships m WHERE m.device_id = ?1 AND m.case_ref = i.case_ref AND ("
    "(r.kind = 10 AND m.role = 2 AND i.version > 0) OR "
    "(r.kind != 10 AND ((m.role = 1 AND m.agency = i.agency) OR "
    "(m.role = 2 AND (i.submitted_at IS NOT NULL OR (r.kind IN (8, 9) AND i.version > 0)))))))";
// The IMRs i whose submission the device may know of (its agency's, or every one as a reviewer).
constexpr const char* kImrVisible =
    "EXISTS (SELECT 1 FROM memberships m WHERE m.device_id = ?1 AND m.case_ref = i.case_ref AND "
    "((m.role = 1 AND m.agency = i.agency) OR m.role = 2))";

void check_agency_name(const std::string& agency) {
    if (agency.empty() || agency.size() > 256) throw StoreError("an agency name must be 1 to 256 characters");
    for (const char c : agency)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) throw StoreError("an agency name cannot hold control characters");
}

// Where each agency of a case is, from the IMRs the store holds. `only`: just these agencies.
std::vector<AgencyProgress> progress_of(db::Connection& c, const std::string& case_ref) {
    std::map<std::string, AgencyProgress> by_agency;
    {
        auto s = c.prepare("SELECT agency FROM case_agencies WHERE case_ref = ?");
        s.bind(1, case_ref);
        while (s.step()) {
            auto& a = by_agency[s.column_text(0)];
            a.agency = s.column_text(0);
            a.expected = true;
        }
    }
    {
        auto s = c.prepare("SELECT DISTINCT agency FROM memberships WHERE case_ref = ? AND role = 1");
        s.bind(1, case_ref);
        while (s.step()) by_agency[s.column_text(0)].agency = s.column_text(0);
    }
    auto s = c.prepare(
        "SELECT i.agency, i.submitted_at, i.version, (SELECT MAX(at) FROM submissions x WHERE x.imr_id = i.id), "
        "(SELECT MAX(updated_at) FROM records r WHERE r.imr_id = i.id) FROM imrs i WHERE i.case_ref = ?");
    s.bind(1, case_ref);
    while (s.step()) {
        auto& a = by_agency[s.column_text(0)];
        a.agency = s.column_text(0);
        const auto version = static_cast<std::uint32_t>(s.column_int(2));
        const auto changed = s.column_is_null(4) ? 0 : static_cast<std::uint64_t>(s.column_int(4));
        a.last_change = std::max(a.last_change, changed);
        AgencyState state = AgencyState::Drafting;
        std::uint64_t at = 0;
        if (!s.column_is_null(1)) {
            state = AgencyState::Submitted;
            at = static_cast<std::uint64_t>(s.column_int(1));
        } else if (version > 0) {
            state = AgencyState::Amending;
            at = s.column_is_null(3) ? 0 : static_cast<std::uint64_t>(s.column_int(3));
        }
        // Several IMRs of one agency (rare): the most advanced one speaks for it.
        auto rank = [](AgencyState x) {
            return x == AgencyState::Submitted ? 3 : x == AgencyState::Amending ? 2 : x == AgencyState::Drafting ? 1 : 0;
        };
        if (rank(state) > rank(a.state) || (rank(state) == rank(a.state) && version > a.version)) {
            a.state = state;
            a.version = version;
            a.received_at = at;
        }
    }
    std::vector<AgencyProgress> out;
    for (auto& [name, a] : by_agency) out.push_back(std::move(a));
    return out;
}

// A name as a peer sent it, safe to store, log and list: C0 and C1 control characters and DEL
// (line breaks that forge log lines, terminal escape sequences) become '?'.
std::string printable_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (c == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(name[i + 1]) <= 0x9F) {
            out.push_back('?');  // U+0080..U+009F
            ++i;
        } else {
            out.push_back(c < 0x20 || c == 0x7F ? '?' : name[i]);
        }
    }
    return out;
}

// Why the device may no longer sync (nullopt: it may). A session holds the Device it logged in
// as, so every request looks again: a device revoked while connected is refused at once.
std::optional<std::string> revocation(db::Connection& c, const domain::Id& device) {
    auto s = c.prepare("SELECT revoked_at FROM devices WHERE id = ?");
    if (!s.bind(1, device.hex()).step() || s.column_is_null(0)) return std::nullopt;
    return "this device was revoked on " + format_time(s.column_int(0)) + "; ask the review team for a new enrolment";
}

Device load_device(db::Connection& c, const domain::Id& id) {
    auto s = c.prepare("SELECT public_key, name, enrolled_at, revoked_at, last_seen FROM devices WHERE id = ?");
    if (!s.bind(1, id.hex()).step()) throw StoreError("there is no device " + id.hex());
    Device d;
    d.id = id;
    const auto key = s.column_blob_view(0);
    if (key.size() == d.key.size()) std::copy(key.begin(), key.end(), d.key.begin());
    d.name = s.column_text(1);
    d.enrolled_at = s.column_int(2);
    if (!s.column_is_null(3)) d.revoked_at = s.column_int(3);
    d.last_seen = s.column_int(4);
    auto m = c.prepare("SELECT case_ref, agency, role, person FROM memberships WHERE device_id = ? "
                          "ORDER BY case_ref, role, agency");
    m.bind(1, id.hex());
    while (m.step()) {
        d.memberships.push_back(MembershipInfo{m.column_text(0), m.column_text(1),
                                               m.column_int(2) == 2 ? Role::Reviewer : Role::Author, m.column_text(3)});
    }
    return d;
}

}  // namespace

std::int64_t system_clock_now() noexcept {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string_view to_string(Role role) noexcept { return role == Role::Reviewer ? "reviewer" : "author"; }

std::optional<Role> role_from_string(std::string_view text) noexcept {
    if (text == "author") return Role::Author;
    if (text == "reviewer") return Role::Reviewer;
    return std::nullopt;
}

std::vector<Membership> Device::wire_memberships() const {
    std::vector<Membership> out;
    for (const auto& m : memberships) out.push_back(Membership{m.case_reference, m.agency, m.role});
    return out;
}

Store::Store(const std::filesystem::path& file, Clock clock) : Store(StoreLocation::sqlite(file), std::move(clock)) {}

Store::Store(const StoreLocation& location, Clock clock, StoreOptions options) : clock_(std::move(clock)) {
    backend_ = location.kind == StoreLocation::Kind::Postgres ? db::open_postgres(location, options.pool_size)
                                                              : db::open_sqlite(location);
    schema_report_ = backend_->prepare_schema(options.open);
}

const StoreLocation& Store::location() const noexcept { return backend_->location(); }

bool Store::allow_request(const domain::Id& device, std::size_t requests_per_minute) {
    return backend_->allow_request(device, requests_per_minute);
}

StoreLocation StoreLocation::parse(std::string_view url) {
    const auto starts = [&](std::string_view prefix) { return url.substr(0, prefix.size()) == prefix; };
    if (starts("postgresql://") || starts("postgres://")) return {Kind::Postgres, std::string(url)};
    std::string_view path = url;
    if (starts("sqlite://")) {
        path = url.substr(9);
    } else if (starts("sqlite:")) {
        path = url.substr(7);
    } else if (url.find("://") != std::string_view::npos) {
        throw StoreError("--store '" + std::string(url.substr(0, url.find("://") + 3)) +
                         "...': give a file path, sqlite:PATH or postgresql://...");
    }
    if (path.empty()) throw StoreError("--store needs a file path, sqlite:PATH or postgresql://...");
    return {Kind::Sqlite, std::string(path)};
}

std::string StoreLocation::display() const {
    if (kind == Kind::Sqlite) return target;
    // postgresql://user:password@host/db?password=... : every password hidden.
    std::string out = target;
    const auto scheme = out.find("://");
    const auto at = out.find('@', scheme + 3);
    if (scheme != std::string::npos && at != std::string::npos) {
        const auto colon = out.find(':', scheme + 3);
        if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    for (auto p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
        const auto end = out.find('&', p);
        out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
    }
    return out;
}

Store::~Store() = default;

// --- admin -------------------------------------------------------------------------------------

void Store::create_case(CaseRecord record) {
    auto lease = backend_->connect();
    auto& c = *lease;
    if (record.reference.empty() || record.reference.size() > 256) {
        throw StoreError("the case reference must be 1 to 256 characters");
    }
    if (record.title.empty()) throw StoreError("the case needs a title");
    if (record.period_from && record.period_to && *record.period_to < *record.period_from) {
        throw StoreError("the review period ends (" + record.period_to->iso() + ") before it starts (" +
                         record.period_from->iso() + ")");
    }
    json tor = json::array();
    for (const auto& q : record.terms_of_reference) tor.push_back({{"n", q.number}, {"text", q.text}});
    db::Transaction tx(c);
    {
        auto exists = c.prepare("SELECT 1 FROM cases WHERE reference = ?");
        if (exists.bind(1, record.reference).step()) {
            throw StoreError("a case with the reference '" + record.reference + "' already exists");
        }
    }
    auto s = c.prepare("INSERT INTO cases(reference, title, tor, period_from, period_to, due, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, record.reference).bind(2, record.title).bind(3, tor.dump());
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
    if (record.title.empty()) throw StoreError("the case needs a title");
    if (record.period_from && record.period_to && *record.period_to < *record.period_from) {
        throw StoreError("the review period ends (" + record.period_to->iso() + ") before it starts (" +
                         record.period_from->iso() + ")");
    }
    json tor = json::array();
    for (const auto& q : record.terms_of_reference) tor.push_back({{"n", q.number}, {"text", q.text}});
    db::Transaction tx(c);
    auto s = c.prepare("UPDATE cases SET title = ?, tor = ?, period_from = ?, period_to = ?, due = ? WHERE reference = ?");
    s.bind(1, record.title).bind(2, tor.dump());
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
    while (s.step()) report.problems.push_back("record " + hex_of(s.column_blob_view(0)) + " is malformed (kind, id or tombstone body)");
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

void Store::log_refusal(const std::optional<domain::Id>& device, const std::string& what) {
    auto lease = backend_->connect();
    auto& c = *lease;
    c.prepare("INSERT INTO refusals(at, device, what) VALUES (?, ?, ?)")
        .bind(1, clock_())
        .bind(2, device ? device->hex() : std::string())
        .bind(3, what)
        .run();
}

void Store::refuse(db::Connection& c, const std::optional<domain::Id>& device, ErrorCode code, const std::string& what) {
    // Called outside any transaction (the caller's has rolled back, or there was none).
    c.prepare("INSERT INTO refusals(at, device, what) VALUES (?, ?, ?)")
        .bind(1, clock_())
        .bind(2, device ? device->hex() : std::string())
        .bind(3, std::string(sync::to_string(code)) + ": " + what)
        .run();
    throw Refused(code, what);
}

// --- protocol ----------------------------------------------------------------------------------

Device Store::enrol(const Token& token, const PublicKey& key, const std::string& device_name) {
    auto lease = backend_->connect();
    auto& c = *lease;
    const auto hash = sha256_of(token);
    std::optional<std::pair<ErrorCode, std::string>> refusal;
    std::optional<domain::Id> device_id;
    {
        db::Transaction tx(c);
        auto t = c.prepare("SELECT id, case_ref, agency, role, person, expires_at, used_at, used_by, revoked "
                              "FROM tokens WHERE hash = ?");
        std::optional<std::string> existing_device;
        {
            auto d = c.prepare("SELECT id, revoked_at FROM devices WHERE public_key = ?");
            if (d.bind(1, key).step()) {
                existing_device = d.column_text(0);
                if (!d.column_is_null(1)) {
                    refusal = {ErrorCode::DeviceRevoked, "this device was revoked on " + format_time(d.column_int(1)) +
                                                             "; ask the review team for a new enrolment"};
                }
            }
        }
        if (!refusal && !t.bind(1, hash).step()) {
            refusal = {ErrorCode::TokenUnknown,
                       "the enrolment code is not known to this server (it may belong to another server, or be mistyped)"};
        }
        if (!refusal) {
            const auto token_id = t.column_text(0);
            const auto case_ref = t.column_text(1);
            const auto agency = t.column_text(2);
            const auto role = t.column_int(3);
            const auto person = t.column_text(4);
            const auto expires_at = t.column_int(5);
            const bool used = !t.column_is_null(6);
            const auto used_by = t.column_text(7);
            const bool revoked = t.column_int(8) != 0;
            const auto now = clock_();
            if (revoked) {
                refusal = {ErrorCode::TokenRevoked, "the enrolment code " + token_id +
                                                        " was withdrawn by the server's administrator; ask for a new one"};
            } else if (used && !(existing_device && used_by == *existing_device)) {
                refusal = {ErrorCode::TokenUsed, "the enrolment code " + token_id + " was already used on " +
                                                     format_time(*std::optional(t.column_int(6))) +
                                                     " by another device; each code works once, ask for a new one"};
            } else if (!used && now >= expires_at) {
                refusal = {ErrorCode::TokenExpired,
                           "the enrolment code " + token_id + " expired on " + format_time(expires_at) + "; ask for a new one"};
            } else {
                // A retry by the device that already redeemed it (its Welcome was lost) succeeds again.
                if (!existing_device) {
                    domain::Id id;
                    crypto::random_bytes(id.bytes);
                    c.prepare("INSERT INTO devices(id, public_key, name, enrolled_at, last_seen) VALUES (?, ?, ?, ?, ?)")
                        .bind(1, id.hex())
                        .bind(2, key)
                        .bind(3, printable_name(device_name))
                        .bind(4, now)
                        .bind(5, now)
                        .run();
                    existing_device = id.hex();
                }
                c.prepare("INSERT INTO memberships(device_id, case_ref, agency, role, person) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .bind(1, *existing_device)
                    .bind(2, case_ref)
                    .bind(3, agency)
                    .bind(4, role)
                    .bind(5, person)
                    .run();
                bool taken = true;
                if (!used) {
                    // Only while still unused: another server may redeem the same code at once.
                    c.prepare("UPDATE tokens SET used_at = ?, used_by = ? WHERE hash = ? AND used_at IS NULL")
                        .bind(1, now)
                        .bind(2, *existing_device)
                        .bind(3, hash)
                        .run();
                    taken = c.changes() == 1;
                }
                t.reset();
                if (taken) {
                    tx.commit();
                    device_id = domain::Id::from_hex(*existing_device);
                } else {
                    refusal = {ErrorCode::TokenUsed, "the enrolment code " + token_id +
                                                         " was used by another device a moment ago; each code works once, ask for a new one"};
                }
            }
        }
    }
    if (refusal) refuse(c, std::nullopt, refusal->first, refusal->second);
    return load_device(c, *device_id);
}

Device Store::authenticate(const PublicKey& key) {
    auto lease = backend_->connect();
    auto& c = *lease;
    std::string id;
    {
        auto d = c.prepare("SELECT id, revoked_at FROM devices WHERE public_key = ?");
        if (!d.bind(1, key).step()) {
            d.reset();
            refuse(c, std::nullopt, ErrorCode::AuthenticationFailed,
                   "this device is not enrolled with this server; enrol it with a code from the review team");
        }
        id = d.column_text(0);
        if (!d.column_is_null(1)) {
            const auto when = d.column_int(1);
            d.reset();
            refuse(c, domain::Id::from_hex(id), ErrorCode::DeviceRevoked,
                   "this device was revoked on " + format_time(when) + "; ask the review team for a new enrolment");
        }
    }
    // last_seen is for the admin's devices list: a minute's precision saves a commit per session.
    c.prepare("UPDATE devices SET last_seen = ?1 WHERE id = ?2 AND last_seen < ?1 - 60").bind(1, clock_()).bind(2, id).run();
    return load_device(c, domain::Id::from_hex(id));
}

PushResult Store::push(const Device& device, const Push& push) {
    auto lease = backend_->connect();
    auto& c = *lease;
    if (const auto why = revocation(c, device.id)) refuse(c, device.id, ErrorCode::DeviceRevoked, *why);
    std::optional<std::string> refusal;
    PushResult result;
    {
        db::Transaction tx(c);
        // First: every other writer of the store waits from here until this one commits, and
        // everything read below is what the last of them left.
        std::int64_t next = c.lock_revisions() + 1;
        const auto now = clock_();
        auto find_imr = c.prepare("SELECT case_ref, agency, submitted_at, version FROM imrs WHERE id = ?");
        auto find_record = c.prepare("SELECT imr_id, kind, revision, body, deleted FROM records WHERE id = ?");
        auto upsert = c.prepare(
            "INSERT INTO records(id, imr_id, kind, revision, body, deleted, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET revision = excluded.revision, body = excluded.body, deleted = excluded.deleted, "
            "updated_by = excluded.updated_by, updated_at = excluded.updated_at");
        // The agency withdraws a submitted IMR's endorsement to amend it: the IMR reopens (the
        // review team keeps what it holds and sees nothing more until the next version). Only a
        // removal made on the endorsement the server holds counts (not a stale retry).
        for (const auto& r : push.records) {
            if (r.kind != domain::RecordKind::Endorsement || !r.deleted) continue;
            find_imr.reset();
            find_imr.bind(1, r.imr_id.hex());
            if (!find_imr.step() || find_imr.column_is_null(2)) continue;
            const std::string case_ref = find_imr.column_text(0), agency = find_imr.column_text(1);
            const access::ImrFacts facts{case_ref, agency, true, true};
            if (!access::authors(device.memberships, facts)) continue;
            find_record.reset();
            find_record.bind(1, blob_of(r.id));
            if (!find_record.step() || find_record.column_int(4) != 0 ||
                static_cast<std::uint64_t>(find_record.column_int(2)) != r.base_revision ||
                find_record.column_int(1) != static_cast<std::int64_t>(domain::RecordKind::Endorsement))
                continue;
            c.prepare("UPDATE imrs SET submitted_at = NULL, submitted_by = NULL WHERE id = ?").bind(1, r.imr_id.hex()).run();
        }
        for (std::size_t n = 0; n < push.records.size() && !refusal; ++n) {
            const auto& r = push.records[n];
            const auto imr_hex = r.imr_id.hex();
            const std::string where = "record " + r.id.hex().substr(0, 8) + " of IMR " + imr_hex.substr(0, 8);
            find_imr.reset();
            find_imr.bind(1, imr_hex);
            if (find_imr.step()) {
                const auto case_ref = find_imr.column_text(0);
                const auto agency = find_imr.column_text(1);
                const bool submitted = !find_imr.column_is_null(2);
                const access::ImrFacts facts{case_ref, agency, submitted, find_imr.column_int(3) > 0};
                if (auto why = access::write_refusal(device.memberships, facts, r.kind)) {
                    refusal = where + ": " + *why;
                    if (submitted && access::authors(device.memberships, facts) && !domain::review_team_kind(r.kind))
                        refusal = where + ": the IMR was submitted on " + format_time(find_imr.column_int(2)) +
                                  " and is read-only (withdraw the endorsement to amend it)";
                    break;
                }
            } else {
                if (domain::review_team_kind(r.kind)) {
                    refusal = where + ": the IMR has not reached the server; a query can be raised only on a submitted IMR";
                    break;
                }
                const auto made = access::new_imr(device.memberships, r.case_reference);
                if (made.refusal) {
                    refusal = where + ": " + *made.refusal;
                    break;
                }
                c.prepare("INSERT INTO imrs(id, case_ref, agency, created_by, created_at) VALUES (?, ?, ?, ?, ?)")
                    .bind(1, imr_hex)
                    .bind(2, made.membership->case_reference)
                    .bind(3, made.membership->agency)
                    .bind(4, device.id.hex())
                    .bind(5, now)
                    .run();
            }
            find_record.reset();
            find_record.bind(1, blob_of(r.id));
            const Bytes empty;
            const Bytes& body = r.deleted ? empty : r.body;
            if (find_record.step()) {
                if (find_record.column_text(0) != imr_hex || find_record.column_int(1) != static_cast<std::int64_t>(r.kind)) {
                    refusal = where + ": the record already exists with another IMR or kind";
                    break;
                }
                const auto revision = static_cast<std::uint64_t>(find_record.column_int(2));
                const auto stored = find_record.column_blob_view(3);
                const bool stored_deleted = find_record.column_int(4) != 0;
                const bool same = stored_deleted == r.deleted && std::equal(stored.begin(), stored.end(), body.begin(), body.end());
                if (same) {
                    // A retry after a lost acknowledgement, or the same change from two devices.
                    result.outcomes.emplace_back(PushAccepted{r.id, revision});
                    continue;
                }
                if (revision != r.base_revision) {
                    RemoteRecord current{r.id, r.imr_id, r.kind, revision, Bytes(stored.begin(), stored.end()), stored_deleted};
                    result.outcomes.emplace_back(PushConflict{std::move(current)});
                    continue;
                }
            }
            upsert.reset();
            upsert.bind(1, blob_of(r.id)).bind(2, imr_hex).bind(3, static_cast<std::int64_t>(r.kind)).bind(4, next);
            upsert.bind(5, std::span<const std::uint8_t>(body)).bind(6, std::int64_t{r.deleted ? 1 : 0});
            upsert.bind(7, device.id.hex()).bind(8, now);
            upsert.run();
            result.outcomes.emplace_back(PushAccepted{r.id, static_cast<std::uint64_t>(next)});
            ++next;
        }
        if (!refusal) {
            find_imr.reset();
            find_record.reset();
            upsert.reset();
            c.set_revisions(next - 1);
            tx.commit();
        }
    }
    if (refusal) refuse(c, device.id, ErrorCode::Forbidden, *refusal);
    return result;
}

PullResult Store::pull(const Device& device, const Pull& pull, std::size_t max_records,
                       const std::unordered_set<std::uint64_t>& skip) {
    auto lease = backend_->connect();
    auto& c = *lease;
    if (const auto why = revocation(c, device.id)) refuse(c, device.id, ErrorCode::DeviceRevoked, *why);
    const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(pull.limit, max_records));
    // The rows and the newest revision from one snapshot: a write that commits meanwhile (on
    // another server) is in neither, so the cursor never moves past it.
    db::Transaction snapshot(c, db::TransactionKind::Snapshot);
    auto s = c.prepare(std::string("SELECT r.id, r.imr_id, r.kind, r.revision, r.body, r.deleted FROM records r "
                                   "JOIN imrs i ON i.id = r.imr_id WHERE r.revision > ?2 AND ") +
                       kVisible + " ORDER BY r.revision LIMIT ?3");
    s.bind(1, device.id.hex());
    s.bind(2, static_cast<std::int64_t>(std::min<std::uint64_t>(pull.cursor, std::numeric_limits<std::int64_t>::max())));
    // At most skip.size() rows are passed over, so this many tell whether there is more.
    s.bind(3, static_cast<std::int64_t>(limit + skip.size() + 1));
    PullResult out;
    out.next_cursor = pull.cursor;
    while (s.step()) {
        const auto revision = static_cast<std::uint64_t>(s.column_int(3));
        if (skip.contains(revision)) {
            out.next_cursor = revision;  // the device's own write of this session: it has it
            continue;
        }
        if (out.records.size() == limit) {
            out.more = true;
            break;
        }
        RemoteRecord r;
        r.id = id_from_blob(s.column_blob_view(0));
        r.imr_id = domain::Id::from_hex(s.column_text(1));
        r.kind = domain::record_kind_from_int(static_cast<int>(s.column_int(2))).value_or(domain::RecordKind::Imr);
        r.revision = revision;
        r.body = s.column_blob(4);
        r.deleted = s.column_int(5) != 0;
        out.next_cursor = revision;
        out.records.push_back(std::move(r));
    }
    if (!out.more) {
        // The feed is read to its end: nothing at or below the newest revision is left for this
        // device (what it cannot see now becomes visible only with a new revision, as on submit).
        const auto newest = static_cast<std::uint64_t>(c.scalar_int("SELECT value FROM counters WHERE name = 'revision'"));
        out.next_cursor = std::max(out.next_cursor, newest);
    }
    s.reset();
    snapshot.commit();
    return out;
}

std::vector<CaseInfo> Store::case_infos(const Device& device) const {
    auto lease = backend_->connect();
    auto& c = *lease;
    std::set<std::string> refs;
    for (const auto& m : device.memberships) refs.insert(m.case_reference);
    std::vector<CaseInfo> out;
    for (const auto& ref : refs) {
        auto s = c.prepare(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE reference = ?");
        if (!s.bind(1, ref).step()) continue;
        const auto found = read_case(s);
        CaseInfo info{found.reference, found.title, found.terms_of_reference, found.period_from, found.period_to, found.due, {}, {}};
        auto subs = c.prepare(std::string("SELECT i.id, i.agency, i.submitted_at, i.version, i.content_hash FROM imrs i "
                                             "WHERE i.case_ref = ?2 AND i.submitted_at IS NOT NULL AND ") +
                                 kImrVisible + " ORDER BY i.submitted_at");
        subs.bind(1, device.id.hex()).bind(2, ref);
        while (subs.step()) {
            Submission sub{domain::Id::from_hex(subs.column_text(0)), subs.column_text(1),
                           static_cast<std::uint64_t>(subs.column_int(2)), static_cast<std::uint32_t>(subs.column_int(3)), {}};
            const auto hash = subs.column_blob_view(4);
            if (hash.size() == sub.content_hash.size()) std::copy(hash.begin(), hash.end(), sub.content_hash.begin());
            info.submissions.push_back(std::move(sub));
        }
        // The review team sees where every agency is; an author only its own agency.
        const bool reviewer = std::any_of(device.memberships.begin(), device.memberships.end(), [&](const MembershipInfo& m) {
            return m.role == Role::Reviewer && m.case_reference == ref;
        });
        for (auto& p : progress_of(c, ref)) {
            const bool own = std::any_of(device.memberships.begin(), device.memberships.end(), [&](const MembershipInfo& m) {
                return m.role == Role::Author && m.case_reference == ref && m.agency == p.agency;
            });
            if (reviewer || own) info.agencies.push_back(std::move(p));
        }
        out.push_back(std::move(info));
    }
    return out;
}

SubmitResult Store::submit(const Device& device, const Submit& submit) {
    auto lease = backend_->connect();
    auto& c = *lease;
    if (const auto why = revocation(c, device.id)) refuse(c, device.id, ErrorCode::DeviceRevoked, *why);
    std::optional<std::string> refusal;
    SubmitResult result{submit.imr_id, 0};
    {
        db::Transaction tx(c);
        const std::int64_t newest = c.lock_revisions();  // first, as in push
        const auto imr_hex = submit.imr_id.hex();
        auto i = c.prepare("SELECT case_ref, agency, submitted_at, content_hash FROM imrs WHERE id = ?");
        if (!i.bind(1, imr_hex).step()) {
            refusal = "IMR " + imr_hex.substr(0, 8) + " has not reached the server; sync it before submitting";
        } else {
            const auto case_ref = i.column_text(0);
            const auto agency = i.column_text(1);
            if (!access::authors(device.memberships, {case_ref, agency, !i.column_is_null(2)})) {
                refusal = "IMR " + imr_hex.substr(0, 8) + " belongs to " + agency + " in case " + case_ref +
                          ", which this device does not write for";
            } else if (!i.column_is_null(2)) {
                const auto stored = i.column_blob(3);
                if (std::equal(stored.begin(), stored.end(), submit.content_hash.begin(), submit.content_hash.end())) {
                    result.received_at = static_cast<std::uint64_t>(i.column_int(2));  // a retry
                } else {
                    refusal = "IMR " + imr_hex.substr(0, 8) + " was already submitted on " + format_time(i.column_int(2)) +
                              " with other content";
                }
            } else {
                auto header = c.prepare("SELECT 1 FROM records WHERE id = ? AND kind = 1 AND deleted = 0");
                if (!header.bind(1, blob_of(submit.imr_id)).step()) {
                    refusal = "IMR " + imr_hex.substr(0, 8) + " has no header on the server; sync it before submitting";
                } else {
                    const auto now = clock_();
                    // Each submission is a numbered version (a resubmission after amending is the next).
                    c.prepare("UPDATE imrs SET submitted_at = ?, submitted_by = ?, content_hash = ?, version = version + 1 WHERE id = ?")
                        .bind(1, now)
                        .bind(2, device.id.hex())
                        .bind(3, submit.content_hash)
                        .bind(4, imr_hex)
                        .run();
                    c.prepare("INSERT INTO submissions(imr_id, version, at, \"by\", content_hash) "
                                 "SELECT id, version, ?, ?, ? FROM imrs WHERE id = ?")
                        .bind(1, now)
                        .bind(2, device.id.hex())
                        .bind(3, submit.content_hash)
                        .bind(4, imr_hex)
                        .run();
                    // Give the IMR's records new revisions, so that reviewers (who could not see
                    // them before) find them after their cursor.
                    std::int64_t next = newest + 1;
                    std::vector<std::vector<std::uint8_t>> ids;
                    auto r = c.prepare("SELECT id FROM records WHERE imr_id = ? ORDER BY revision");
                    r.bind(1, imr_hex);
                    while (r.step()) ids.push_back(r.column_blob(0));
                    auto restamp = c.prepare("UPDATE records SET revision = ? WHERE id = ?");
                    for (const auto& id : ids) {
                        restamp.reset();
                        restamp.bind(1, next++).bind(2, std::span<const std::uint8_t>(id)).run();
                    }
                    c.set_revisions(next - 1);
                    result.received_at = static_cast<std::uint64_t>(now);
                }
            }
        }
        if (!refusal) {
            i.reset();
            tx.commit();
        }
    }
    if (refusal) refuse(c, device.id, ErrorCode::Forbidden, *refusal);
    return result;
}

RecordSetDigest Store::digest(const std::optional<domain::Id>& device) const {
    auto lease = backend_->connect();
    auto& c = *lease;
    RecordSetHasher hasher;
    auto s = device ? c.prepare(std::string("SELECT r.id, r.revision, r.deleted, r.body FROM records r JOIN imrs i ON "
                                               "i.id = r.imr_id WHERE ") +
                                   kVisible + " ORDER BY r.id")
                    : c.prepare("SELECT id, revision, deleted, body FROM records ORDER BY id");
    if (device) s.bind(1, device->hex());
    while (s.step()) {
        hasher.add(id_from_blob(s.column_blob_view(0)), s.column_int(2) != 0, s.column_blob_view(3));
    }
    RecordSetDigest out;
    out.records = hasher.count();
    out.digest = hasher.finish();
    return out;
}

std::int64_t Store::max_revision() const {
    auto lease = backend_->connect();
    auto& c = *lease;
    return c.scalar_int("SELECT COALESCE(MAX(revision), 0) FROM records");
}


// --- the server's key --------------------------------------------------------------------------

namespace {

constexpr const char* kCertificateKey = "server_certificate";  // PEM
constexpr const char* kKeyPlain = "server_key";                // PEM, when no passphrase was given
constexpr const char* kKeySealed = "server_key_sealed";        // JSON: Argon2id parameters, sealed PEM
constexpr std::string_view kKeyAad = "imrdesk-server key v1";

std::optional<std::string> meta_value(db::Connection& c, const char* key) {
    auto s = c.prepare("SELECT value FROM meta WHERE key = ?");
    if (!s.bind(1, key).step()) return std::nullopt;
    return s.column_text(0);
}

std::span<const std::uint8_t> bytes_of(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::vector<std::uint8_t> from_hex(const std::string& text) {
    std::vector<std::uint8_t> out;
    const auto digit = [](char ch) -> int {
        if (ch >= '0' && ch <= '9') return ch - '0';
        if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
        return -1;
    };
    if (text.size() % 2 != 0) throw StoreError("the sealed server key in the store is damaged (odd hex)");
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = digit(text[i]), lo = digit(text[i + 1]);
        if (hi < 0 || lo < 0) throw StoreError("the sealed server key in the store is damaged (not hex)");
        out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    return out;
}

std::string seal_key(const std::string& pem, const std::string& passphrase) {
    const auto params = crypto::kdf::interactive();
    const auto kek = crypto::kdf::derive(passphrase, params);
    const auto sealed = crypto::aead::seal(kek, bytes_of(pem), bytes_of(kKeyAad));
    return json{{"opslimit", params.opslimit},
                {"memlimit", params.memlimit},
                {"salt", hex_of(params.salt)},
                {"sealed", hex_of(sealed)}}
        .dump();
}

std::string open_key(const std::string& stored, const std::string& passphrase) {
    crypto::kdf::Params params;
    std::vector<std::uint8_t> sealed;
    try {
        const auto j = json::parse(stored);
        params.opslimit = j.at("opslimit").get<std::uint64_t>();
        params.memlimit = j.at("memlimit").get<std::uint64_t>();
        const auto salt = from_hex(j.at("salt").get<std::string>());
        if (salt.size() != params.salt.size()) throw StoreError("the sealed server key in the store is damaged (salt)");
        std::copy(salt.begin(), salt.end(), params.salt.begin());
        sealed = from_hex(j.at("sealed").get<std::string>());
        crypto::kdf::validate(params);
    } catch (const json::exception& e) {
        throw StoreError(std::string("the sealed server key in the store is damaged: ") + e.what());
    } catch (const crypto::FormatError& e) {
        throw StoreError(std::string("the sealed server key in the store is damaged: ") + e.what());
    }
    const auto kek = crypto::kdf::derive(passphrase, params);
    try {
        const auto pem = crypto::aead::open(kek, sealed, bytes_of(kKeyAad));
        return std::string(reinterpret_cast<const char*>(pem.data()), pem.size());
    } catch (const crypto::AuthenticationError&) {
        throw StoreError("the server key passphrase is wrong (or the sealed key in the store was altered)");
    }
}

}  // namespace

tls::ServerIdentity Store::server_identity(const std::optional<std::string>& passphrase,
                                           const std::optional<std::filesystem::path>& legacy_dir, bool* created) {
    if (created != nullptr) *created = false;
    auto lease = backend_->connect();
    auto& c = *lease;
    const auto read_stored = [&]() -> std::optional<tls::ServerIdentity> {
        const auto certificate = meta_value(c, kCertificateKey);
        if (!certificate) return std::nullopt;
        const auto plain = meta_value(c, kKeyPlain);
        const auto sealed = meta_value(c, kKeySealed);
        std::string pem;
        if (sealed) {
            if (!passphrase) {
                throw StoreError("the server key in " + location().display() +
                                 " is sealed under a passphrase: give --key-passphrase-file");
            }
            pem = open_key(*sealed, *passphrase);
        } else if (plain) {
            if (passphrase) {
                throw StoreError("the server key in " + location().display() +
                                 " is not sealed under a passphrase, but --key-passphrase-file was given");
            }
            pem = *plain;
        } else {
            throw StoreError("the store " + location().display() + " holds the server's certificate but not its key");
        }
        return tls::identity_from_pem(std::move(pem), *certificate, "the server key in the store",
                                      "the server certificate in the store");
    };
    if (auto stored = read_stored()) return *stored;

    // None yet: take over the data directory's files (devices have pinned that key), or make one.
    std::optional<tls::ServerIdentity> identity;
    if (legacy_dir) identity = tls::load_identity_if_present(*legacy_dir);
    const bool fresh = !identity;
    if (fresh) identity = tls::create_identity();
    {
        db::Transaction tx(c);
        // Another server may store one at the same moment: the first one stored wins.
        c.prepare("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .bind(1, kCertificateKey)
            .bind(2, identity->certificate_pem)
            .run();
        if (c.changes() == 1) {
            if (passphrase) {
                c.prepare("INSERT INTO meta(key, value) VALUES (?, ?)").bind(1, kKeySealed).bind(2, seal_key(identity->private_key_pem, *passphrase)).run();
            } else {
                c.prepare("INSERT INTO meta(key, value) VALUES (?, ?)").bind(1, kKeyPlain).bind(2, identity->private_key_pem).run();
            }
            tx.commit();
            if (created != nullptr) *created = fresh;
            return *identity;
        }
    }
    return *read_stored();
}

}  // namespace imrdesk::sync::server
