#pragma once
// The local vault: one SQLite file per profile, every record body sealed with
// XChaCha20-Poly1305 under a random data key. The data key is wrapped twice: by a key derived
// from the passphrase (Argon2id) and by the recovery key. No plaintext of a record ever reaches
// the file, its WAL or journal, or a temp file.
//
// Key slots carry a key epoch that rises with every passphrase change; the epoch and both slots
// are covered by a MAC under the data key, so a slot put back from an older copy of the vault is
// refused. (A whole vault file restored from a backup is, by nature, indistinguishable from
// that backup; see docs/security.md.)
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/crypto/signing.hpp"
#include "imrdesk/shared/model.hpp"

namespace imrdesk::client {

class VaultError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The passphrase was wrong. Says how many attempts failed and how long until the next is allowed.
class WrongPassphrase : public VaultError {
public:
    WrongPassphrase(int failed_attempts, std::chrono::seconds retry_after);
    [[nodiscard]] int failed_attempts() const noexcept { return failed_attempts_; }
    [[nodiscard]] std::chrono::seconds retry_after() const noexcept { return retry_after_; }

private:
    int failed_attempts_;
    std::chrono::seconds retry_after_;
};

// Too many wrong passphrases: no attempt is made (no key derivation) until the wait is over.
class UnlockDelayed : public VaultError {
public:
    explicit UnlockDelayed(std::chrono::seconds wait);
    [[nodiscard]] std::chrono::seconds wait() const noexcept { return wait_; }

private:
    std::chrono::seconds wait_;
};

// The vault's key material or a record was altered, moved or rolled back.
class VaultTampered : public VaultError {
public:
    using VaultError::VaultError;
};

// The vault file is damaged (cut short, overwritten, not a database) or is not an imrdesk vault.
// what() names the file and says what to do: restore a backup, or get the IMRs back by sync.
class VaultDamaged : public VaultError {
public:
    // `backup`: the file is a backup being restored; the advice is then to choose another.
    VaultDamaged(const std::filesystem::path& file, const std::string& what_is_wrong, bool backup = false);
    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

private:
    std::filesystem::path file_;
};

// Whether a SQLite error means the file itself is damaged (SQLITE_CORRUPT, SQLITE_NOTADB).
[[nodiscard]] bool is_damage(int sqlite_code) noexcept;

class WrongRecoveryKey : public VaultError {
public:
    using VaultError::VaultError;
};

// Unix time in seconds; tests replace it to check the escalating delay.
using Clock = std::function<std::int64_t()>;
[[nodiscard]] std::int64_t system_now() noexcept;

// The delay after n consecutive wrong passphrases: none for the first two, then 5 s doubling up
// to 5 minutes.
[[nodiscard]] std::chrono::seconds unlock_delay(int failed_attempts) noexcept;

struct CreateOptions {
    std::optional<crypto::kdf::Params> kdf;  // empty: calibrate on this machine
    crypto::kdf::CalibrationTarget calibration;
    Clock clock = system_now;
};

struct OpenOptions {
    Clock clock = system_now;
};

struct StoredRecord {
    domain::Id id;
    domain::Id imr_id;
    domain::RecordKind kind = domain::RecordKind::Imr;
    std::string body;  // decrypted JSON; empty for a tombstone
    bool deleted = false;
    std::int64_t server_revision = 0;
    bool dirty = true;
    std::int64_t updated_at = 0;  // unix seconds of the last local change
};

struct RecordProblem {
    domain::Id id;
    std::string message;
};

struct LoadResult {
    std::vector<StoredRecord> records;  // every record that opened
    std::vector<RecordProblem> problems;  // every record that did not, and why
};

struct RecordWrite {
    domain::Id id;
    domain::Id imr_id;
    domain::RecordKind kind = domain::RecordKind::Imr;
    std::string body;  // JSON; ignored for a deletion
    bool deleted = false;
};

// --- sync: what the device's sync engine reads and writes (client/core/sync_replica) ----------

// Where a record stands in the order sync sends records in: IMR headers first, then by the time
// of the change, then in the order written. dirty_records continues after one.
struct PushKey {
    std::int64_t not_header = 0;
    std::int64_t updated_at = 0;
    std::int64_t row = 0;
};

struct SyncRecord {
    domain::Id id;
    domain::Id imr_id;
    domain::RecordKind kind = domain::RecordKind::Imr;
    std::string body;  // decrypted JSON; empty for a tombstone
    bool deleted = false;
    std::int64_t server_revision = 0;  // 0: never reached the server
    std::int64_t local_seq = 0;        // rises with every local change
    std::optional<std::string> base;   // the last version agreed with the server (nullopt: none, or a tombstone)
    bool dirty = false;
    bool in_conflict = false;
    PushKey key;
};

struct SyncState {
    std::int64_t server_revision = 0;
    bool deleted = false;
    bool dirty = false;
    bool in_conflict = false;
};

// The server accepted what was sent: it becomes the merge base at that revision, and the record is
// clean unless it changed again meanwhile (local_seq moved on).
struct Acknowledged {
    domain::Id id;
    std::int64_t local_seq = 0;  // of the version sent
    std::int64_t revision = 0;
    std::string_view body;  // what was sent (the caller's, for the call)
    bool deleted = false;
};

// A server version to store. It always becomes the merge base; what happens to the local version:
enum class RemoteAction : std::uint8_t {
    Take,      // the local version becomes the server's (clean)
    Keep,      // the local version becomes `local_body` (a merge or an edit that beats a delete; to push)
    Conflict,  // the local version stays; the server's is kept beside it until the author resolves
};

struct RemoteWrite {
    domain::Id id;
    domain::Id imr_id;
    domain::RecordKind kind = domain::RecordKind::Imr;
    std::int64_t revision = 0;
    std::string remote_body;  // empty for a tombstone
    bool remote_deleted = false;
    RemoteAction action = RemoteAction::Take;
    std::string local_body;  // Keep
    bool local_deleted = false;  // Keep
};

struct ConflictRecord {
    domain::Id id;
    domain::Id imr_id;
    domain::RecordKind kind = domain::RecordKind::Imr;
    std::string mine;  // empty when deleted here
    bool mine_deleted = false;
    std::string theirs;  // empty when deleted on the server
    bool theirs_deleted = false;
    std::int64_t theirs_revision = 0;
    std::int64_t detected_at = 0;
};

struct AuditEntry {
    std::int64_t sequence = 0;
    std::int64_t at = 0;  // unix seconds
    std::string event;    // "vault.created", "records.saved", ...
    nlohmann::json details;
};

struct VerifyReport {
    std::size_t records_checked = 0;
    std::size_t audit_entries_checked = 0;
    std::vector<std::string> problems;
    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

struct Created;

class Vault {
public:
    static constexpr int kSchemaVersion = 3;

    // Creates a new vault file (which must not exist). Returns it open, with the recovery key to
    // show once.
    [[nodiscard]] static Created create(const std::filesystem::path& file, std::string_view passphrase,
                                        const CreateOptions& options = {});
    // Opens an existing vault. Throws WrongPassphrase, UnlockDelayed, VaultTampered,
    // platform::LockedByOtherProcess (another process has it open) or VaultError.
    [[nodiscard]] static std::unique_ptr<Vault> open(const std::filesystem::path& file, std::string_view passphrase,
                                                     const OpenOptions& options = {});
    // Opens with the recovery key and sets a new passphrase. Throws WrongRecoveryKey,
    // crypto::FormatError (a typo, with where), VaultTampered.
    [[nodiscard]] static std::unique_ptr<Vault> recover(const std::filesystem::path& file, std::string_view recovery_key,
                                                        std::string_view new_passphrase,
                                                        const OpenOptions& options = {});

    ~Vault();
    Vault(const Vault&) = delete;
    Vault& operator=(const Vault&) = delete;

    // Rewraps the data key under a new passphrase (new salt); records are untouched.
    void change_passphrase(std::string_view new_passphrase, std::optional<crypto::kdf::Params> kdf = std::nullopt);

    [[nodiscard]] const domain::Id& vault_id() const noexcept;
    [[nodiscard]] const crypto::SigningKey& device_key() const noexcept;
    [[nodiscard]] const std::filesystem::path& file() const noexcept;
    [[nodiscard]] crypto::kdf::Params kdf_params() const;

    // Every record, decrypted. Records that fail to open are reported, not fatal.
    [[nodiscard]] LoadResult load_all() const;
    // Writes all in one transaction with one audit entry; durable when this returns.
    void write(std::span<const RecordWrite> writes, std::string_view audit_event);
    // Small profile-wide private data (the personal spelling dictionary, the last place the author
    // was working): sealed like records, bound to the vault and the name. Empty when not stored.
    void store_private(std::string_view name, std::string_view bytes);
    [[nodiscard]] std::string load_private(std::string_view name) const;

    // --- sync
    // Changed records to push, not in conflict, IMR headers first, within the limits (at least one).
    // What waits to be sent, headers first; records of the IMRs in `held_back` stay here (a draft
    // whose agency the author has not yet said is the one they enrolled for).
    // After `after` when given (the key of the last record of the batch before).
    [[nodiscard]] std::vector<SyncRecord> dirty_records(std::size_t max_records, std::size_t max_bytes,
                                                        const std::vector<domain::Id>& held_back = {},
                                                        const std::optional<PushKey>& after = std::nullopt) const;
    [[nodiscard]] std::size_t dirty_count() const;  // not counting records in conflict
    [[nodiscard]] std::optional<SyncRecord> sync_record(const domain::Id& id) const;
    // The same without the bodies, nothing decrypted: enough to take a server version of a record
    // that did not change here.
    [[nodiscard]] std::optional<SyncState> sync_state(const domain::Id& id) const;
    // The server revision a record is based on (0: it never reached the server), nullopt when
    // there is no such record; nothing is decrypted.
    [[nodiscard]] std::optional<std::int64_t> server_revision(const domain::Id& id) const;
    void acknowledge(std::span<const Acknowledged> acknowledged);
    // One transaction: the writes, the new cursor (when given) and one audit entry.
    void apply_remote(std::span<const RemoteWrite> writes, std::optional<std::int64_t> cursor, std::string_view audit_event,
                      const nlohmann::json& audit_details);
    [[nodiscard]] std::int64_t sync_cursor() const;
    void reset_sync_cursor();
    [[nodiscard]] std::vector<ConflictRecord> conflicts() const;
    [[nodiscard]] std::size_t conflict_count() const;
    // The author's decision: body (nullopt: deleted) becomes the local version, to push on top of
    // the server's; the conflict is gone. Throws VaultError when there is no such conflict.
    void resolve_conflict(const domain::Id& id, const std::optional<std::string>& body);
    // Every record of one IMR (a workspace refresh after sync).
    [[nodiscard]] LoadResult load_imr(const domain::Id& imr_id) const;

    // Appends one audit entry on its own.
    void audit(std::string_view event, const nlohmann::json& details = nlohmann::json::object());
    [[nodiscard]] std::vector<AuditEntry> audit_entries() const;

    // Checks SQLite integrity, opens every record and walks the audit chain.
    [[nodiscard]] VerifyReport verify() const;

    struct Impl;

private:
    explicit Vault(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

struct Created {
    std::unique_ptr<Vault> vault;
    std::string recovery_key;  // formatted for people; shown once, never stored
};

}  // namespace imrdesk::client
