#pragma once
// The vault's private parts, shared by its sources: vault_keys.cpp (create, open, recover, change
// the passphrase), vault_records.cpp (records and private data), vault_sync.cpp (what sync reads
// and writes) and vault_audit.cpp (the audit trail and verify). Not installed: only client/core
// includes it.
#include "imrdesk/client/vault.hpp"

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <algorithm>
#include <array>
#include <ctime>
#include <string>
#include <tuple>

#include "imrdesk/client/sqlite.hpp"
#include "imrdesk/crypto/aead.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/crypto/recovery_key.hpp"
#include "imrdesk/platform/file_lock.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/shared/codec.hpp"

namespace imrdesk::client::vault_detail {

using crypto::Key32;
using domain::Id;
using nlohmann::json;
using ByteVec = std::vector<std::uint8_t>;

constexpr std::string_view kPassphraseSlot = "keyslot.passphrase";
constexpr std::string_view kRecoverySlot = "keyslot.recovery";

// By resize and memcpy: GCC 12 warns falsely (stringop-overflow) about insert() into an empty
// vector once these are inlined into several sources.
inline void append(ByteVec& out, std::span<const std::uint8_t> bytes) {
    if (bytes.empty()) return;
    const std::size_t at = out.size();
    out.resize(at + bytes.size());
    std::memcpy(out.data() + at, bytes.data(), bytes.size());
}
inline void append(ByteVec& out, std::string_view text) {
    append(out, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}
inline void append_u64(ByteVec& out, std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}
inline std::uint64_t read_u64(std::span<const std::uint8_t> bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 8; ++i) value = (value << 8) | bytes[i];
    return value;
}
inline std::span<const std::uint8_t> as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline Id random_id() {
    Id id;
    crypto::random_bytes(id.bytes);
    return id;
}

inline Id id_from_blob(std::span<const std::uint8_t> blob) {
    if (blob.size() != 16) throw VaultTampered("a record id in the vault is not 16 bytes");
    Id id;
    std::copy(blob.begin(), blob.end(), id.bytes.begin());
    return id;
}

struct PassphraseSlot {
    std::uint64_t epoch = 0;
    crypto::kdf::Params kdf;
    ByteVec verifier;
    ByteVec wrapped;
};

inline std::string encode_slot(const PassphraseSlot& slot) {
    return json{{"epoch", slot.epoch},
                {"kdf", {{"alg", "argon2id13"}, {"opslimit", slot.kdf.opslimit}, {"memlimit", slot.kdf.memlimit},
                         {"salt", crypto::to_hex(slot.kdf.salt)}}},
                {"verifier", crypto::to_hex(slot.verifier)},
                {"wrapped", crypto::to_hex(slot.wrapped)}}
        .dump();
}

inline PassphraseSlot decode_slot(std::string_view text) {
    try {
        const json j = json::parse(text);
        PassphraseSlot slot;
        slot.epoch = j.at("epoch").get<std::uint64_t>();
        const json& k = j.at("kdf");
        if (k.at("alg").get<std::string>() != "argon2id13") throw VaultTampered("the vault uses an unknown key derivation");
        slot.kdf.opslimit = k.at("opslimit").get<std::uint64_t>();
        slot.kdf.memlimit = k.at("memlimit").get<std::uint64_t>();
        const ByteVec salt = crypto::from_hex(k.at("salt").get<std::string>());
        if (salt.size() != slot.kdf.salt.size()) throw VaultTampered("the key derivation salt has the wrong size");
        std::copy(salt.begin(), salt.end(), slot.kdf.salt.begin());
        slot.verifier = crypto::from_hex(j.at("verifier").get<std::string>());
        slot.wrapped = crypto::from_hex(j.at("wrapped").get<std::string>());
        crypto::kdf::validate(slot.kdf);
        return slot;
    } catch (const VaultTampered&) {
        throw;
    } catch (const std::exception& e) {
        throw VaultTampered(std::string("the passphrase key slot is damaged: ") + e.what());
    }
}

inline ByteVec passphrase_slot_ad(const Id& vault_id, std::uint64_t epoch, const crypto::kdf::Params& kdf) {
    ByteVec ad;
    append(ad, "imrdesk-keyslot-v1|passphrase|");
    append(ad, vault_id.bytes);
    append_u64(ad, epoch);
    append_u64(ad, kdf.opslimit);
    append_u64(ad, kdf.memlimit);
    append(ad, kdf.salt);
    return ad;
}

inline ByteVec recovery_slot_ad(const Id& vault_id) {
    ByteVec ad;
    append(ad, "imrdesk-keyslot-v1|recovery|");
    append(ad, vault_id.bytes);
    return ad;
}

inline ByteVec verifier_for(const Key32& kek, const Id& vault_id) {
    ByteVec message;
    append(message, "imrdesk-passphrase-verifier-v1|");
    append(message, vault_id.bytes);
    const auto digest = crypto::mac(kek, message);
    return {digest.begin(), digest.end()};
}

// A record column's associated data, built on the stack (it is made for every record read or written).
class RecordAd {
public:
    RecordAd(const Id& vault_id, const Id& id, const Id& imr_id, domain::RecordKind kind, std::string_view column) {
        put("imrdesk-record-v1|");
        put(vault_id.bytes);
        put(id.bytes);
        put(imr_id.bytes);
        const auto k = static_cast<std::uint8_t>(kind);
        put(std::span<const std::uint8_t>(&k, 1));
        put(column);
    }
    [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept { return {bytes_.data(), size_}; }

private:
    void put(std::string_view text) { put(as_bytes(text)); }
    void put(std::span<const std::uint8_t> part) {
        if (part.size() > bytes_.size() - size_) throw std::logic_error("a record's associated data is too long");
        std::memcpy(bytes_.data() + size_, part.data(), part.size());
        size_ += part.size();
    }
    std::array<std::uint8_t, 128> bytes_{};
    std::size_t size_ = 0;
};

inline ByteVec audit_ad(const Id& vault_id, std::int64_t sequence, std::int64_t epoch) {
    ByteVec ad;
    append(ad, "imrdesk-audit-v1|");
    append(ad, vault_id.bytes);
    append_u64(ad, static_cast<std::uint64_t>(sequence));
    append_u64(ad, static_cast<std::uint64_t>(epoch));
    return ad;
}

inline ByteVec private_ad(const Id& vault_id, std::string_view name) {
    ByteVec ad;
    append(ad, "imrdesk-private-v1|");
    append(ad, vault_id.bytes);
    append(ad, name);
    return ad;
}

inline ByteVec identity_ad(const Id& vault_id) {
    ByteVec ad;
    append(ad, "imrdesk-identity-v1|");
    append(ad, vault_id.bytes);
    return ad;
}

// The records table (schema 3). The small columns come first and the sealed bodies last, in a
// rowid table: a row of a body and its merge base (about 2 KB) stays on its page, where the
// WITHOUT ROWID table of schema 2 put every such row partly on an overflow page of its own, and a
// scan of the small columns never reads the bodies.
inline std::string records_table(std::string_view name) {
    return "CREATE TABLE " + std::string(name) + R"sql((
  id         BLOB NOT NULL UNIQUE,       -- 16 random bytes
  imr_id     BLOB NOT NULL,              -- the IMR the record belongs to
  kind       INTEGER NOT NULL,
  server_rev INTEGER NOT NULL DEFAULT 0, -- the server revision the body is based on
  dirty      INTEGER NOT NULL DEFAULT 1, -- changed here since the last sync
  deleted    INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  local_seq  INTEGER NOT NULL DEFAULT 0, -- rises with every local change (sync acknowledges a version)
  body       BLOB,                       -- sealed JSON; NULL for a tombstone
  base_body  BLOB                        -- sealed merge base: the body last agreed with the server
);)sql";
}

// Records by IMR, and the changed records in the order sync sends them (IMR headers first, so the
// server learns an IMR's case before its other records; then oldest change first).
inline constexpr const char* kRecordIndexes = R"sql(
CREATE INDEX records_by_imr ON records(imr_id);
CREATE INDEX records_to_push ON records(kind <> 1, updated_at) WHERE dirty = 1;
)sql";

inline std::string schema() {
    return R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;
)sql" + records_table("records") + kRecordIndexes + R"sql(
CREATE TABLE conflicts(
  id          BLOB PRIMARY KEY,          -- the record in conflict
  theirs      BLOB,                      -- sealed: the server's version; NULL when the server deleted it
  theirs_rev  INTEGER NOT NULL,
  detected_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE audit(
  seq   INTEGER PRIMARY KEY,
  epoch INTEGER NOT NULL,                -- the key epoch when it was written (bound into entry and chain)
  entry BLOB NOT NULL,                   -- sealed JSON
  chain BLOB NOT NULL                    -- keyed hash over the previous chain value and this entry
);
)sql";
}

inline void apply_connection_pragmas(sql::Database& db) {
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    db.exec("PRAGMA secure_delete=ON");
    db.exec("PRAGMA temp_store=MEMORY");
    db.exec("PRAGMA cell_size_check=ON");
    // Up to 32 MiB of pages (sealed records only) in memory: a large IMR is read from the file
    // once per session, not once per query (SQLite's default keeps 2 MiB).
    db.exec("PRAGMA cache_size=-32768");
}

inline std::optional<ByteVec> get_meta(sql::Database& db, std::string_view key) {
    auto statement = db.cached("SELECT value FROM meta WHERE key = ?");
    statement->bind(1, key);
    if (!statement->step()) return std::nullopt;
    return statement->column_blob(0);
}

inline ByteVec require_meta(sql::Database& db, std::string_view key) {
    auto value = get_meta(db, key);
    if (!value) throw VaultTampered("the vault is missing its '" + std::string(key) + "' entry");
    return *value;
}

inline void set_meta(sql::Database& db, std::string_view key, std::span<const std::uint8_t> value) {
    auto statement = db.cached("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    statement->bind(1, key).bind(2, value);
    statement->run();
}

inline void set_meta_int(sql::Database& db, std::string_view key, std::int64_t value) {
    ByteVec bytes;
    append_u64(bytes, static_cast<std::uint64_t>(value));
    set_meta(db, key, bytes);
}

inline std::int64_t get_meta_int(sql::Database& db, std::string_view key, std::int64_t fallback) {
    const auto value = get_meta(db, key);
    if (!value || value->size() != 8) return fallback;
    return static_cast<std::int64_t>(read_u64(*value));
}

inline std::string text_of(const ByteVec& bytes) { return {bytes.begin(), bytes.end()}; }

inline void migrate(sql::Database& db) {
    const auto version = db.scalar_int("PRAGMA user_version");
    if (version > Vault::kSchemaVersion)
        throw VaultError("this vault was written by a newer version of imrdesk (schema " + std::to_string(version) +
                         "); update imrdesk to open it");
    if (version < 1) throw VaultDamaged(db.file(), "it is not an imrdesk vault (empty, or another kind of file)");
    // Each step in one transaction.
    if (version < 2) {
        // Sync: a per-record local change counter, and the server's side of unresolved conflicts.
        sql::Transaction t(db);
        db.exec("ALTER TABLE records ADD COLUMN local_seq INTEGER NOT NULL DEFAULT 0");
        db.exec("CREATE TABLE conflicts(id BLOB PRIMARY KEY, theirs BLOB, theirs_rev INTEGER NOT NULL, "
                "detected_at INTEGER NOT NULL) WITHOUT ROWID");
        db.exec("PRAGMA user_version=2");
        t.commit();
    }
    if (version < 3) {
        // The records table rebuilt as a rowid table, small columns first, with the index sync
        // sends from. The sealed columns move as they are (their associated data names the
        // record and the column, not a position); the old pages are overwritten as they are freed.
        db.exec("PRAGMA secure_delete=ON");
        sql::Transaction t(db);
        db.exec(records_table("records_v3"));
        db.exec("INSERT INTO records_v3(id, imr_id, kind, server_rev, dirty, deleted, updated_at, local_seq, body, base_body) "
                "SELECT id, imr_id, kind, server_rev, dirty, deleted, updated_at, local_seq, body, base_body FROM records "
                "ORDER BY imr_id, updated_at");
        db.exec("DROP TABLE records");
        db.exec("ALTER TABLE records_v3 RENAME TO records");
        db.exec(kRecordIndexes);
        db.exec("PRAGMA user_version=3");
        t.commit();
    }
}


// The names of the vault's meta rows.
namespace meta_key {
inline constexpr std::string_view kVaultId = "vault_id";
inline constexpr std::string_view kCreatedAt = "created_at";
inline constexpr std::string_view kKeyEpoch = "key_epoch";
inline constexpr std::string_view kKeyslotsMac = "keyslots_mac";
inline constexpr std::string_view kIdentity = "identity";
inline constexpr std::string_view kAuditHead = "audit_head";
inline constexpr std::string_view kFailedAttempts = "failed_attempts";
inline constexpr std::string_view kRetryAfter = "retry_after";
inline constexpr std::string_view kSyncCursor = "sync_cursor";
inline constexpr std::string_view kPrivatePrefix = "private.";  // + the name of the profile's private data
}  // namespace meta_key

// Seals and opens records' columns and the profile's private data with the record key, each bound
// by its associated data to the vault, the record (id, IMR, kind) and the column, or the name.
class RecordCipher {
public:
    RecordCipher(const Key32& key, const Id& vault_id) noexcept : key_(key), vault_id_(vault_id) {}
    [[nodiscard]] ByteVec seal(const Id& id, const Id& imr, domain::RecordKind kind, std::string_view column,
                               std::string_view plain) const {
        return crypto::aead::seal(key_, as_bytes(plain), RecordAd(vault_id_, id, imr, kind, column).bytes());
    }
    // Throws crypto::AuthenticationError when the column was altered or moved.
    void open_into(std::span<const std::uint8_t> sealed, const Id& id, const Id& imr, domain::RecordKind kind,
                   std::string_view column, std::string& out) const {
        crypto::aead::open_into(key_, sealed, RecordAd(vault_id_, id, imr, kind, column).bytes(), out);
    }
    // The merge base of a record the server agrees with is its body: an empty sealing bound to the
    // record says so, and the body is not stored twice. Its size tells it from a sealed base,
    // whose text (JSON) is never empty.
    static constexpr std::size_t kBaseIsBodySize = crypto::aead::kOverhead;
    [[nodiscard]] ByteVec seal_base_is_body(const Id& id, const Id& imr, domain::RecordKind kind) const {
        return seal(id, imr, kind, kBaseIsBody, {});
    }
    // Opens a record's merge base into `out`: its own text, or the body's when it says so.
    void open_base_into(std::span<const std::uint8_t> sealed, const Id& id, const Id& imr, domain::RecordKind kind,
                        std::string_view body, std::string& out) const {
        if (sealed.size() != kBaseIsBodySize) return open_into(sealed, id, imr, kind, "base", out);
        std::string empty;
        open_into(sealed, id, imr, kind, kBaseIsBody, empty);
        out.assign(body);
    }
    [[nodiscard]] ByteVec seal_private(std::string_view name, std::string_view plain) const {
        return crypto::aead::seal(key_, as_bytes(plain), private_ad(vault_id_, name));
    }
    [[nodiscard]] std::string open_private(std::span<const std::uint8_t> sealed, std::string_view name) const {
        const auto plain = crypto::aead::open(key_, sealed, private_ad(vault_id_, name));
        return std::string(plain.view());
    }

private:
    static constexpr std::string_view kBaseIsBody = "base=body";
    const Key32& key_;
    const Id& vault_id_;
};

// SQL that keeps a record's merge base when its body is about to be overwritten here: a base that
// was "the body" becomes a sealed copy of the body being replaced (imrdesk_base_of, defined on
// the vault's connection once it is unlocked). Used in every UPDATE of a local body.
inline const std::string kKeepBase = "base_body = CASE WHEN length(records.base_body) = " +
                                     std::to_string(RecordCipher::kBaseIsBodySize) +
                                     " THEN imrdesk_base_of(records.id, records.imr_id, records.kind, records.body) "
                                     "ELSE records.base_body END";

// The audit trail's chain: each entry's link is one MAC over the link before it, its sequence,
// its key epoch and its sealed text. The same link is computed to write an entry and to verify one.
class AuditChain {
public:
    explicit AuditChain(const Key32& key) noexcept : key_(key) {}
    [[nodiscard]] auto link(std::span<const std::uint8_t> previous, std::int64_t sequence, std::int64_t epoch,
                            std::span<const std::uint8_t> sealed) const {
        crypto::Mac mac(key_);
        mac.update(previous).update_u64(static_cast<std::uint64_t>(sequence)).update_u64(static_cast<std::uint64_t>(epoch)).update(sealed);
        return mac.finish();
    }

private:
    const Key32& key_;
};

}  // namespace imrdesk::client::vault_detail

namespace imrdesk::client {

using namespace vault_detail;

struct Vault::Impl {
    Impl(const std::filesystem::path& vault_file, bool create, Clock clock_fn)
        : file(vault_file),
          lock(std::filesystem::path(vault_file).concat(".lock")),
          db(vault_file, create),
          clock(std::move(clock_fn)) {}

    std::filesystem::path file;
    platform::FileLock lock;
    sql::Database db;
    Clock clock;
    Id vault_id;
    Key32 data_key;
    Key32 record_key;
    Key32 audit_key;
    Key32 audit_chain_key;
    Key32 slots_mac_key;
    std::optional<crypto::SigningKey> device_key;

    [[nodiscard]] RecordCipher records() const noexcept { return {record_key, vault_id}; }

    // A second connection, read-only, opened on first use: a large read runs half on each.
    sql::Database& reader() {
        if (!reader_db) {
            reader_db = std::make_unique<sql::Database>(file, false);
            reader_db->exec("PRAGMA query_only=ON");
            reader_db->exec("PRAGMA cell_size_check=ON");
            reader_db->exec("PRAGMA cache_size=-32768");
        }
        return *reader_db;
    }
    std::unique_ptr<sql::Database> reader_db;
    [[nodiscard]] AuditChain chain() const noexcept { return AuditChain(audit_chain_key); }

    void derive_subkeys() {
        record_key = crypto::derive_subkey(data_key, 1, "records-");
        audit_key = crypto::derive_subkey(data_key, 2, "audit---");
        audit_chain_key = crypto::derive_subkey(data_key, 3, "auditmac");
        slots_mac_key = crypto::derive_subkey(data_key, 4, "keyslots");
        define_functions();
    }

    // The SQL functions the vault's statements use, with the record key of this connection.
    void define_functions() {
        const auto row = [](const sql::FunctionArgs& a) {
            const auto kind = domain::record_kind_from_int(static_cast<int>(a.integer(2)));
            if (!kind) throw VaultTampered("a record in the vault has an unknown kind");
            return std::tuple{id_from_blob(a.blob(0)), id_from_blob(a.blob(1)), *kind};
        };
        // imrdesk_base_of(id, imr_id, kind, body): the body, sealed again as the record's base.
        db.define_function("imrdesk_base_of", 4, [this, row](const sql::FunctionArgs& a) -> std::optional<ByteVec> {
            if (a.is_null(3)) return std::nullopt;  // never written: a tombstone's base is none
            const auto [id, imr, kind] = row(a);
            std::string plain;
            try {
                records().open_into(a.blob(3), id, imr, kind, "body", plain);
            } catch (const crypto::AuthenticationError&) {
                throw VaultTampered("record " + id.hex() + " (" + std::string(domain::to_string(kind)) +
                                    "): its body does not decrypt: it was altered or moved");
            }
            auto sealed = records().seal(id, imr, kind, "base", plain);
            crypto::wipe(plain);
            return sealed;
        });
        // imrdesk_base_is_body(id, imr_id, kind): the base that says "the body".
        db.define_function("imrdesk_base_is_body", 3, [this, row](const sql::FunctionArgs& a) -> std::optional<ByteVec> {
            const auto [id, imr, kind] = row(a);
            return records().seal_base_is_body(id, imr, kind);
        });
    }

    ByteVec slots_mac(std::uint64_t epoch, std::string_view passphrase_slot, std::string_view recovery_slot) const {
        crypto::Mac mac(slots_mac_key);
        mac.update("imrdesk-keyslots-v1|").update(vault_id.bytes).update_u64(epoch);
        mac.update_u64(passphrase_slot.size()).update(passphrase_slot);
        mac.update_u64(recovery_slot.size()).update(recovery_slot);
        const auto digest = mac.finish();
        return {digest.begin(), digest.end()};
    }

    // Verifies the key slots against their MAC: catches a slot or epoch rolled back or swapped.
    void check_slots_mac() {
        const auto epoch = static_cast<std::uint64_t>(get_meta_int(db, meta_key::kKeyEpoch, -1));
        const auto expected = slots_mac(epoch, text_of(require_meta(db, kPassphraseSlot)),
                                        text_of(require_meta(db, kRecoverySlot)));
        if (!crypto::equal_constant_time(expected, require_meta(db, meta_key::kKeyslotsMac)))
            throw VaultTampered("the vault's key slots were altered or rolled back: refusing to open it");
    }

    // Writes a new passphrase slot at the next epoch, and the MAC over both slots.
    void write_passphrase_slot(std::string_view passphrase, const crypto::kdf::Params& params, std::uint64_t epoch) {
        PassphraseSlot slot;
        slot.epoch = epoch;
        slot.kdf = params;
        const Key32 kek = crypto::kdf::derive(passphrase, params);
        slot.verifier = verifier_for(kek, vault_id);
        slot.wrapped = crypto::aead::wrap_key(kek, data_key, passphrase_slot_ad(vault_id, epoch, params));
        const std::string encoded = encode_slot(slot);
        set_meta(db, kPassphraseSlot, as_bytes(encoded));
        set_meta_int(db, meta_key::kKeyEpoch, static_cast<std::int64_t>(epoch));
        set_meta(db, meta_key::kKeyslotsMac, slots_mac(epoch, encoded, text_of(require_meta(db, kRecoverySlot))));
    }

    // Every audit entry carries the key epoch it was written at. Key slots restored together with
    // their epoch and MAC from an older copy are older than the newest audit entry.
    void check_epoch_against_audit() {
        const auto epoch = get_meta_int(db, meta_key::kKeyEpoch, 0);
        auto statement = db.prepare("SELECT epoch FROM audit ORDER BY seq DESC LIMIT 1");
        if (statement.step() && statement.column_int(0) != epoch)
            throw VaultTampered("the vault's key slots (key epoch " + std::to_string(epoch) +
                                ") do not match its audit trail (epoch " + std::to_string(statement.column_int(0)) +
                                "): they were rolled back or altered; refusing to open the vault");
    }

    void load_identity() {
        const ByteVec sealed = require_meta(db, meta_key::kIdentity);
        try {
            const auto seed = crypto::aead::open(record_key, sealed, identity_ad(vault_id));
            device_key = crypto::SigningKey::from_seed(seed.bytes());
        } catch (const crypto::AuthenticationError&) {
            throw VaultTampered("the device identity in the vault was altered");
        }
    }

    std::pair<std::int64_t, ByteVec> audit_head() {
        const auto head = get_meta(db, meta_key::kAuditHead);
        if (!head) return {0, ByteVec(32, 0)};
        if (head->size() != 40) throw VaultTampered("the audit trail head is damaged");
        return {static_cast<std::int64_t>(read_u64(*head)), ByteVec(head->begin() + 8, head->end())};
    }

    // Appends one entry; the caller holds a transaction.
    void append_audit(std::string_view event, const json& details) {
        const auto [head_sequence, head_chain] = audit_head();
        const std::int64_t sequence = head_sequence + 1;
        const std::int64_t epoch = get_meta_int(db, meta_key::kKeyEpoch, 0);
        const std::string plain = json{{"at", clock()}, {"event", event}, {"details", details}}.dump();
        const ByteVec sealed = crypto::aead::seal(audit_key, as_bytes(plain), audit_ad(vault_id, sequence, epoch));
        const auto link = chain().link(head_chain, sequence, epoch, sealed);
        auto insert = db.cached("INSERT INTO audit(seq, epoch, entry, chain) VALUES(?, ?, ?, ?)");
        insert->bind(1, sequence).bind(2, epoch).bind(3, sealed).bind(4, link);
        insert->run();
        ByteVec head;
        append_u64(head, static_cast<std::uint64_t>(sequence));
        append(head, link);
        set_meta(db, meta_key::kAuditHead, head);
    }
};

}  // namespace imrdesk::client
