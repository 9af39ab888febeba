#pragma once
// What the store's sources (store.cpp: opening and the protocol; store_admin.cpp: the admin
// commands; store_key.cpp: the server key) share: the rows as the domain reads them, and the
// access rules written in SQL. Private to the store.
#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "db.hpp"
#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/sync/digest.hpp"
#include "imrdesk/sync/server/store.hpp"

namespace imrdesk::sync::server::store_detail {

using nlohmann::json;

inline std::string format_time(std::int64_t unix_seconds) {
    return platform::format_time(unix_seconds, "%Y-%m-%d %H:%M UTC", platform::Zone::Utc);
}

inline std::array<std::uint8_t, 32> sha256_of(std::span<const std::uint8_t> data) { return crypto::sha256(data); }

inline std::string hex8(const std::array<std::uint8_t, 32>& hash) { return sync::hex(hash).substr(0, 8); }

inline std::optional<std::int64_t> day(const std::optional<domain::CivilDate>& date) {
    if (!date) return std::nullopt;
    return date->days_since_epoch();
}

inline void bind_optional(db::Statement& s, int index, std::optional<std::int64_t> value) {
    if (value) {
        s.bind(index, *value);
    } else {
        s.bind_null(index);
    }
}

inline std::optional<domain::CivilDate> date_column(const db::Statement& s, int index) {
    if (s.column_is_null(index)) return std::nullopt;
    return domain::CivilDate::from_days(s.column_int(index));
}

inline domain::Id id_from_blob(std::span<const std::uint8_t> blob) {
    domain::Id id;
    if (blob.size() == id.bytes.size()) std::copy(blob.begin(), blob.end(), id.bytes.begin());
    return id;
}

inline std::span<const std::uint8_t> blob_of(const domain::Id& id) { return {id.bytes.data(), id.bytes.size()}; }

inline CaseRecord read_case(const db::Statement& s) {
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

inline std::vector<std::string> expected_agencies(db::Connection& c, const std::string& reference) {
    std::vector<std::string> out;
    auto s = c.prepare("SELECT agency FROM case_agencies WHERE case_ref = ? ORDER BY agency");
    s.bind(1, reference);
    while (s.step()) out.push_back(s.column_text(0));
    return out;
}

inline constexpr const char* kCaseColumns = "reference, title, tor, period_from, period_to, due, created_at";

// Records r of IMR i the device may read: access::may_read in SQL (?1: the device's id);
// test_access_policy holds the two together. Kinds: 8 query, 9 query answer, 10 review note;
// i.version > 0: submitted at least once.
inline constexpr const char* kVisible =
    "EXISTS (SELECT 1 FROM memberships m WHERE m.device_id = ?1 AND m.case_ref = i.case_ref AND ("
    "(r.kind = 10 AND m.role = 2 AND i.version > 0) OR "
    "(r.kind != 10 AND ((m.role = 1 AND m.agency = i.agency) OR "
    "(m.role = 2 AND (i.submitted_at IS NOT NULL OR (r.kind IN (8, 9) AND i.version > 0)))))))";
// The IMRs i whose submission the device may know of (its agency's, or every one as a reviewer).
inline constexpr const char* kImrVisible =
    "EXISTS (SELECT 1 FROM memberships m WHERE m.device_id = ?1 AND m.case_ref = i.case_ref AND "
    "((m.role = 1 AND m.agency = i.agency) OR m.role = 2))";

inline void check_agency_name(const std::string& agency) {
    if (agency.empty() || agency.size() > 256) throw StoreError("an agency name must be 1 to 256 characters");
    for (const char c : agency)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) throw StoreError("an agency name cannot hold control characters");
}

// Where each agency of a case is, from the IMRs the store holds. `only`: just these agencies.
inline std::vector<AgencyProgress> progress_of(db::Connection& c, const std::string& case_ref) {
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
inline std::string printable_name(std::string_view name) {
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
inline std::optional<std::string> revocation(db::Connection& c, const domain::Id& device) {
    auto s = c.prepare("SELECT revoked_at FROM devices WHERE id = ?");
    if (!s.bind(1, device.hex()).step() || s.column_is_null(0)) return std::nullopt;
    return "this device was revoked on " + format_time(s.column_int(0)) + "; ask the review team for a new enrolment";
}

inline Device load_device(db::Connection& c, const domain::Id& id) {
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

}  // namespace imrdesk::sync::server::store_detail
