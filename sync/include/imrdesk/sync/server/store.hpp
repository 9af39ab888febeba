#pragma once
// The server's store: cases, one-time enrolment tokens (their hashes only), devices and their
// memberships, IMRs (which case and agency each belongs to, and whether it was submitted), the
// records themselves as opaque bytes with a global revision, refusals, and the server's key. It
// also enforces who may read and write what (access.hpp), since every protocol request passes
// through it; a refusal throws Refused with the protocol error code and a message that says what
// was refused and why, and is written to the refusals table.
//
// Two backends behind one Store (src/server/db.hpp):
// - SQLite: one file (WAL, synchronous=FULL), the default. One connection under one mutex; admin
//   commands (another process) open the same file and SQLite's busy timeout serialises them.
// - PostgreSQL: a pool of libpq connections; several server processes may share one database.
//   Writers take revisions from a counter row locked in their transaction, so revisions commit
//   in order and a pull by cursor never skips one (docs/deploy.md explains the choice).
//
// Thread safety: every public member may be called from any thread.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "imrdesk/shared/model.hpp"
#include "imrdesk/sync/messages.hpp"
#include "imrdesk/sync/tls.hpp"

namespace imrdesk::sync::server {

namespace db {
class Backend;
class Connection;
}  // namespace db

using Clock = std::function<std::int64_t()>;  // Unix seconds
[[nodiscard]] std::int64_t system_clock_now() noexcept;

// A request refused by the rules (not a fault): the code goes to the peer in an Error.
class Refused : public std::runtime_error {
public:
    Refused(ErrorCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
    [[nodiscard]] ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

// An admin command that cannot be done (unknown case, duplicate reference, bad argument).
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CaseRecord {
    std::string reference;
    std::string title;
    std::vector<domain::TorQuestion> terms_of_reference;
    std::optional<domain::CivilDate> period_from;
    std::optional<domain::CivilDate> period_to;
    std::optional<domain::CivilDate> due;
    std::int64_t created_at = 0;
    std::vector<std::string> agencies;  // expected to contribute an IMR
};

struct TokenRequest {
    std::string case_reference;
    std::string agency;
    Role role = Role::Author;
    std::string person;
    int valid_hours = 72;
};

struct IssuedToken {
    Token token{};
    std::string id;  // 8 hex digits of the token's hash: how admins name it (tokens list/revoke)
    std::int64_t expires_at = 0;
};

struct TokenInfo {
    std::string id;
    std::string case_reference;
    std::string agency;
    Role role = Role::Author;
    std::string person;
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
    std::optional<std::int64_t> used_at;
    std::string used_by;  // device id hex
    bool revoked = false;
};

struct MembershipInfo {
    std::string case_reference;
    std::string agency;
    Role role = Role::Author;
    std::string person;
};

struct Device {
    domain::Id id;
    PublicKey key{};
    std::string name;
    std::int64_t enrolled_at = 0;
    std::optional<std::int64_t> revoked_at;
    std::int64_t last_seen = 0;
    std::vector<MembershipInfo> memberships;

    [[nodiscard]] std::vector<Membership> wire_memberships() const;
};

struct ImrStatusRow {
    std::string case_reference;
    std::string agency;
    bool expected = false;             // the case names the agency as expected to contribute
    std::optional<domain::Id> imr_id;  // none: expected or enrolled, nothing pushed yet
    AgencyState state = AgencyState::NotStarted;
    std::uint32_t version = 0;         // the latest submitted version (0: never submitted)
    std::int64_t records = 0;
    std::int64_t last_change = 0;
    std::optional<std::int64_t> submitted_at;  // of `version` (also while amending)
    bool late = false;  // past the case's due date and never submitted
};

struct StoreVerifyReport {
    std::size_t records = 0;
    std::size_t imrs = 0;
    std::vector<std::string> problems;
    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

// A hash of every record the device can see (id, revision, deleted, body), for tests and the
// admin's `verify`: identical sets give identical hashes.
struct RecordSetDigest {
    std::size_t records = 0;
    Sha256 digest{};
};

// Where a store is: a file path or sqlite:PATH, or a libpq URI (postgresql://... or postgres://...).
struct StoreLocation {
    enum class Kind { Sqlite, Postgres };
    Kind kind = Kind::Sqlite;
    std::string target;  // the file path, or the libpq URI as given

    // StoreError when the text names neither (an empty path, another scheme).
    [[nodiscard]] static StoreLocation parse(std::string_view url);
    [[nodiscard]] static StoreLocation sqlite(const std::filesystem::path& file) { return {Kind::Sqlite, file.string()}; }
    // For messages and logs: the path, or the URI without its password.
    [[nodiscard]] std::string display() const;
};

// What opening a store may do to its schema.
enum class StoreOpen {
    Migrate,        // create it when empty, bring an older one up to date
    RequireCurrent, // create it when empty; refuse an older one ("run imrdesk-server migrate")
};

struct StoreOptions {
    StoreOpen open = StoreOpen::Migrate;
    std::size_t pool_size = 8;  // PostgreSQL connections at most (SQLite: always one)
};

class Store {
public:
    explicit Store(const std::filesystem::path& file, Clock clock = system_clock_now);
    Store(const StoreLocation& location, Clock clock = system_clock_now, StoreOptions options = {});
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // --- admin ---
    void create_case(CaseRecord record);  // StoreError: duplicate or invalid
    // Replaces a case's title, terms of reference, period and due date (the reference stays);
    // devices receive the change at their next sync. StoreError: unknown case, invalid period.
    void update_case(const CaseRecord& record);
    // Adds and removes expected agencies of a case. StoreError: unknown case, a name to remove
    // that is not expected, an invalid name.
    void change_agencies(const std::string& reference, const std::vector<std::string>& add,
                         const std::vector<std::string>& remove);
    [[nodiscard]] std::vector<CaseRecord> cases() const;
    [[nodiscard]] std::optional<CaseRecord> find_case(const std::string& reference) const;
    IssuedToken issue_token(const TokenRequest& request);  // StoreError: unknown case, bad hours
    [[nodiscard]] std::vector<TokenInfo> tokens() const;
    void revoke_token(const std::string& id);  // StoreError: unknown or ambiguous id
    [[nodiscard]] std::vector<Device> devices() const;
    // Revokes by full id or an unambiguous prefix (>= 4 hex digits). Returns the device.
    Device revoke_device(const std::string& id_or_prefix);
    [[nodiscard]] std::vector<ImrStatusRow> status(const std::optional<std::string>& case_reference) const;
    [[nodiscard]] StoreVerifyReport verify() const;
    [[nodiscard]] std::vector<std::string> recent_refusals(std::size_t limit) const;

    // --- protocol (each throws Refused) ---
    Device enrol(const Token& token, const PublicKey& key, const std::string& device_name);
    Device authenticate(const PublicKey& key);
    PushResult push(const Device& device, const Push& push);
    // Changes after the cursor that the device may read, oldest first, at most max_records.
    // `skip` holds revisions the device itself wrote in this session (its push results told it):
    // they are not echoed back. Writes from its earlier sessions are sent (a device restored from
    // a backup gets them back); when the feed is read to its end the cursor moves to the newest
    // revision, so they are sent once at most.
    PullResult pull(const Device& device, const Pull& pull, std::size_t max_records,
                    const std::unordered_set<std::uint64_t>& skip = {});
    [[nodiscard]] std::vector<CaseInfo> case_infos(const Device& device) const;
    SubmitResult submit(const Device& device, const Submit& submit);
    // Writes a refusal to the table (the server also logs it).
    void log_refusal(const std::optional<domain::Id>& device, const std::string& what);

    // Digest of every live record and tombstone the device may read (nullopt: all records).
    [[nodiscard]] RecordSetDigest digest(const std::optional<domain::Id>& device) const;
    [[nodiscard]] std::int64_t max_revision() const;

    // Takes one request from the device's allowance (requests_per_minute, refilled
    // continuously): false when it has none left. On PostgreSQL the allowance is kept in the
    // database, so it holds across every server of the store.
    [[nodiscard]] bool allow_request(const domain::Id& device, std::size_t requests_per_minute);

    // --- the server's key ---
    // The TLS identity every server of this store presents (devices pin its fingerprint). Kept
    // in the store, so that servers with different data directories on one database present the
    // same key. Sealed under `passphrase` when one is given (Argon2id, XChaCha20-Poly1305); a
    // key sealed under a passphrase cannot be read without it (StoreError), and one stored
    // without cannot be read with one. When the store holds none: the identity found in
    // `legacy_dir` (server.key and server.crt of earlier versions) is taken over, or a new one
    // is made. `created` tells whether a new one was made.
    [[nodiscard]] tls::ServerIdentity server_identity(const std::optional<std::string>& passphrase,
                                                      const std::optional<std::filesystem::path>& legacy_dir,
                                                      bool* created = nullptr);
    [[nodiscard]] const StoreLocation& location() const noexcept;
    // What opening did to the schema ("created schema version 3", "migrated from version 2 to 3",
    // "schema version 3 is current").
    [[nodiscard]] const std::string& schema_report() const noexcept { return schema_report_; }

private:
    void refuse(db::Connection& c, const std::optional<domain::Id>& device, ErrorCode code, const std::string& what);

    std::unique_ptr<db::Backend> backend_;
    Clock clock_;
    std::string schema_report_;
};

[[nodiscard]] std::string_view to_string(Role role) noexcept;  // "author", "reviewer"
[[nodiscard]] std::optional<Role> role_from_string(std::string_view text) noexcept;

}  // namespace imrdesk::sync::server
