// The store: opening it, and the protocol requests (each checked by access.hpp).
#include "imrdesk/sync/server/store.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/sync/server/access.hpp"
#include "store_internal.hpp"

namespace imrdesk::sync::server {

using namespace store_detail;

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
        auto insert_new = c.prepare(
            "INSERT INTO records(id, imr_id, kind, revision, body, deleted, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO NOTHING");
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
        // What each IMR of the batch is, read once (a batch is usually one IMR's records).
        struct KnownImr {
            std::string case_ref, agency;
            bool submitted = false, ever_submitted = false;
            std::int64_t submitted_at = 0;
            [[nodiscard]] access::ImrFacts facts() const { return {case_ref, agency, submitted, ever_submitted}; }
        };
        std::map<domain::Id, KnownImr> known;
        const std::string device_hex = device.id.hex();
        for (std::size_t n = 0; n < push.records.size() && !refusal; ++n) {
            const auto& r = push.records[n];
            const auto imr_hex = r.imr_id.hex();
            const auto where = [&] { return "record " + r.id.hex().substr(0, 8) + " of IMR " + imr_hex.substr(0, 8); };
            auto imr = known.find(r.imr_id);
            if (imr == known.end()) {
                find_imr.reset();
                find_imr.bind(1, imr_hex);
                if (find_imr.step()) {
                    KnownImr k{find_imr.column_text(0), find_imr.column_text(1), !find_imr.column_is_null(2),
                               find_imr.column_int(3) > 0, find_imr.column_is_null(2) ? 0 : find_imr.column_int(2)};
                    imr = known.emplace(r.imr_id, std::move(k)).first;
                }
            }
            if (imr != known.end()) {
                const auto facts = imr->second.facts();
                if (auto why = access::write_refusal(device.memberships, facts, r.kind)) {
                    refusal = where() + ": " + *why;
                    if (facts.submitted && access::authors(device.memberships, facts) && !domain::review_team_kind(r.kind))
                        refusal = where() + ": the IMR was submitted on " + format_time(imr->second.submitted_at) +
                                  " and is read-only (withdraw the endorsement to amend it)";
                    break;
                }
            } else {
                if (domain::review_team_kind(r.kind)) {
                    refusal = where() + ": the IMR has not reached the server; a query can be raised only on a submitted IMR";
                    break;
                }
                const auto made = access::new_imr(device.memberships, r.case_reference);
                if (made.refusal) {
                    refusal = where() + ": " + *made.refusal;
                    break;
                }
                c.prepare("INSERT INTO imrs(id, case_ref, agency, created_by, created_at) VALUES (?, ?, ?, ?, ?)")
                    .bind(1, imr_hex)
                    .bind(2, made.membership->case_reference)
                    .bind(3, made.membership->agency)
                    .bind(4, device_hex)
                    .bind(5, now)
                    .run();
                known.emplace(r.imr_id, KnownImr{made.membership->case_reference, made.membership->agency, false, false, 0});
            }
            const Bytes empty;
            const Bytes& body = r.deleted ? empty : r.body;
            if (r.base_revision == 0) {
                // A record new to the server (nearly every one of a first push): stored unless it
                // is there already, which the full check below then looks at.
                insert_new.reset();
                insert_new.bind(1, blob_of(r.id)).bind(2, imr_hex).bind(3, static_cast<std::int64_t>(r.kind)).bind(4, next);
                insert_new.bind(5, std::span<const std::uint8_t>(body)).bind(6, std::int64_t{r.deleted ? 1 : 0});
                insert_new.bind(7, device_hex).bind(8, now);
                insert_new.run();
                if (c.changes() == 1) {
                    result.outcomes.emplace_back(PushAccepted{r.id, static_cast<std::uint64_t>(next)});
                    ++next;
                    continue;
                }
            }
            find_record.reset();
            find_record.bind(1, blob_of(r.id));
            if (find_record.step()) {
                if (find_record.column_text(0) != imr_hex || find_record.column_int(1) != static_cast<std::int64_t>(r.kind)) {
                    refusal = where() + ": the record already exists with another IMR or kind";
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
            upsert.bind(7, device_hex).bind(8, now);
            upsert.run();
            result.outcomes.emplace_back(PushAccepted{r.id, static_cast<std::uint64_t>(next)});
            ++next;
        }
        if (!refusal) {
            find_imr.reset();
            find_record.reset();
            upsert.reset();
            insert_new.reset();
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


}  // namespace imrdesk::sync::server
