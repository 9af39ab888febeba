#include "imrdesk/client/vault.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <string>

#include "imrdesk/client/sqlite.hpp"
#include "imrdesk/crypto/aead.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/crypto/recovery_key.hpp"
#include "imrdesk/platform/file_lock.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/shared/codec.hpp"

namespace imrdesk::client {
namespace {

using crypto::Key32;
using domain::Id;
using nlohmann::json;
using ByteVec = std::vector<std::uint8_t>;

constexpr std::string_view kPassphraseSlot = "keyslot.passphrase";
constexpr std::string_view kRecoverySlot = "keyslot.recovery";

void append(ByteVec& out, std::string_view text) { out.insert(out.end(), text.begin(), text.end()); }
void append(ByteVec& out, std::span<const std::uint8_t> bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }
void append_u64(ByteVec& out, std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}
std::uint64_t read_u64(std::span<const std::uint8_t> bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 8; ++i) value = (value << 8) | bytes[i];
    return value;
}
std::span<const std::uint8_t> as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

Id random_id() {
    Id id;
    crypto::random_bytes(id.bytes);
    return id;
}

Id id_from_blob(std::span<const std::uint8_t> blob) {
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

std::string encode_slot(const PassphraseSlot& slot) {
    return json{{"epoch", slot.epoch},
                {"kdf", {{"alg", "argon2id13"}, {"opslimit", slot.kdf.opslimit}, {"memlimit", slot.kdf.memlimit},
                         {"salt", crypto::to_hex(slot.kdf.salt)}}},
                {"verifier", crypto::to_hex(slot.verifier)},
                {"wrapped", crypto::to_hex(slot.wrapped)}}
        .dump();
}

PassphraseSlot decode_slot(std::string_view text) {
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

ByteVec passphrase_slot_ad(const Id& vault_id, std::uint64_t epoch, const crypto::kdf::Params& kdf) {
    ByteVec ad;
    append(ad, "imrdesk-keyslot-v1|passphrase|");
    append(ad, vault_id.bytes);
    append_u64(ad, epoch);
    append_u64(ad, kdf.opslimit);
    append_u64(ad, kdf.memlimit);
    append(ad, kdf.salt);
    return ad;
}

ByteVec recovery_slot_ad(const Id& vault_id) {
    ByteVec ad;
    append(ad, "imrdesk-keyslot-v1|recovery|");
    append(ad, vault_id.bytes);
    return ad;
}

ByteVec verifier_for(const Key32& kek, const Id& vault_id) {
    ByteVec message;
    append(message, "imrdesk-passphrase-verifier-v1|");
    append(message, vault_id.bytes);
    const auto digest = crypto::mac(kek, message);
    return {digest.begin(), digest.end()};
}

ByteVec record_ad(const Id& vault_id, const Id& id, const Id& imr_id, domain::RecordKind kind, std::string_view column) {
    ByteVec ad;
    ad.reserve(64);
    append(ad, "imrdesk-record-v1|");
    append(ad, vault_id.bytes);
    append(ad, id.bytes);
    append(ad, imr_id.bytes);
    ad.push_back(static_cast<std::uint8_t>(kind));
    append(ad, column);
    return ad;
}

ByteVec audit_ad(const Id& vault_id, std::int64_t sequence, std::int64_t epoch) {
    ByteVec ad;
    append(ad, "imrdesk-audit-v1|");
    append(ad, vault_id.bytes);
    append_u64(ad, static_cast<std::uint64_t>(sequence));
    append_u64(ad, static_cast<std::uint64_t>(epoch));
    return ad;
}

ByteVec private_ad(const Id& vault_id, std::string_view name) {
    ByteVec ad;
    append(ad, "imrdesk-private-v1|");
    append(ad, vault_id.bytes);
    append(ad, name);
    return ad;
}

ByteVec identity_ad(const Id& vault_id) {
    ByteVec ad;
    append(ad, "imrdesk-identity-v1|");
    append(ad, vault_id.bytes);
    return ad;
}

const char* const kSchema = R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE records(
  id         BLOB PRIMARY KEY,           -- 16 random bytes
  imr_id     BLOB NOT NULL,              -- the IMR the record belongs to
  kind       INTEGER NOT NULL,
  body       BLOB,                       -- sealed JSON; NULL for a tombstone
  base_body  BLOB,                       -- sealed merge base: the body last agreed with the server
  server_rev INTEGER NOT NULL DEFAULT 0, -- the server revision the body is based on
  dirty      INTEGER NOT NULL DEFAULT 1, -- changed here since the last sync
  deleted    INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  local_seq  INTEGER NOT NULL DEFAULT 0  -- rises with every local change (sync acknowledges a version)
) WITHOUT ROWID;
CREATE INDEX records_by_imr ON records(imr_id);
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

void apply_connection_pragmas(sql::Database& db) {
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    db.exec("PRAGMA secure_delete=ON");
    db.exec("PRAGMA temp_store=MEMORY");
    db.exec("PRAGMA cell_size_check=ON");
}

std::optional<ByteVec> get_meta(sql::Database& db, std::string_view key) {
    auto statement = db.prepare("SELECT value FROM meta WHERE key = ?");
    statement.bind(1, key);
    if (!statement.step()) return std::nullopt;
    return statement.column_blob(0);
}

ByteVec require_meta(sql::Database& db, std::string_view key) {
    auto value = get_meta(db, key);
    if (!value) throw VaultTampered("the vault is missing its '" + std::string(key) + "' entry");
    return *value;
}

void set_meta(sql::Database& db, std::string_view key, std::span<const std::uint8_t> value) {
    auto statement = db.prepare("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    statement.bind(1, key).bind(2, value);
    statement.run();
}

void set_meta_int(sql::Database& db, std::string_view key, std::int64_t value) {
    ByteVec bytes;
    append_u64(bytes, static_cast<std::uint64_t>(value));
    set_meta(db, key, bytes);
}

std::int64_t get_meta_int(sql::Database& db, std::string_view key, std::int64_t fallback) {
    const auto value = get_meta(db, key);
    if (!value || value->size() != 8) return fallback;
    return static_cast<std::int64_t>(read_u64(*value));
}

std::string text_of(const ByteVec& bytes) { return {bytes.begin(), bytes.end()}; }

void migrate(sql::Database& db) {
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
}

}  // namespace

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

    void derive_subkeys() {
        record_key = crypto::derive_subkey(data_key, 1, "records-");
        audit_key = crypto::derive_subkey(data_key, 2, "audit---");
        audit_chain_key = crypto::derive_subkey(data_key, 3, "auditmac");
        slots_mac_key = crypto::derive_subkey(data_key, 4, "keyslots");
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
        const auto epoch = static_cast<std::uint64_t>(get_meta_int(db, "key_epoch", -1));
        const auto expected = slots_mac(epoch, text_of(require_meta(db, kPassphraseSlot)),
                                        text_of(require_meta(db, kRecoverySlot)));
        if (!crypto::equal_constant_time(expected, require_meta(db, "keyslots_mac")))
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
        set_meta_int(db, "key_epoch", static_cast<std::int64_t>(epoch));
        set_meta(db, "keyslots_mac", slots_mac(epoch, encoded, text_of(require_meta(db, kRecoverySlot))));
    }

    // Every audit entry carries the key epoch it was written at. Key slots restored together with
    // their epoch and MAC from an older copy are older than the newest audit entry.
    void check_epoch_against_audit() {
        const auto epoch = get_meta_int(db, "key_epoch", 0);
        auto statement = db.prepare("SELECT epoch FROM audit ORDER BY seq DESC LIMIT 1");
        if (statement.step() && statement.column_int(0) != epoch)
            throw VaultTampered("the vault's key slots (key epoch " + std::to_string(epoch) +
                                ") do not match its audit trail (epoch " + std::to_string(statement.column_int(0)) +
                                "): they were rolled back or altered; refusing to open the vault");
    }

    void load_identity() {
        const ByteVec sealed = require_meta(db, "identity");
        try {
            const auto seed = crypto::aead::open(record_key, sealed, identity_ad(vault_id));
            device_key = crypto::SigningKey::from_seed(seed.bytes());
        } catch (const crypto::AuthenticationError&) {
            throw VaultTampered("the device identity in the vault was altered");
        }
    }

    std::pair<std::int64_t, ByteVec> audit_head() {
        const auto head = get_meta(db, "audit_head");
        if (!head) return {0, ByteVec(32, 0)};
        if (head->size() != 40) throw VaultTampered("the audit trail head is damaged");
        return {static_cast<std::int64_t>(read_u64(*head)), ByteVec(head->begin() + 8, head->end())};
    }

    // Appends one entry; the caller holds a transaction.
    void append_audit(std::string_view event, const json& details) {
        const auto [head_sequence, head_chain] = audit_head();
        const std::int64_t sequence = head_sequence + 1;
        const std::int64_t epoch = get_meta_int(db, "key_epoch", 0);
        const std::string plain = json{{"at", clock()}, {"event", event}, {"details", details}}.dump();
        const ByteVec sealed = crypto::aead::seal(audit_key, as_bytes(plain), audit_ad(vault_id, sequence, epoch));
        crypto::Mac mac(audit_chain_key);
        mac.update(head_chain).update_u64(static_cast<std::uint64_t>(sequence)).update_u64(static_cast<std::uint64_t>(epoch)).update(sealed);
        const auto chain = mac.finish();
        auto insert = db.prepare("INSERT INTO audit(seq, epoch, entry, chain) VALUES(?, ?, ?, ?)");
        insert.bind(1, sequence).bind(2, epoch).bind(3, sealed).bind(4, chain);
        insert.run();
        ByteVec head;
        append_u64(head, static_cast<std::uint64_t>(sequence));
        append(head, chain);
        set_meta(db, "audit_head", head);
    }
};

WrongPassphrase::WrongPassphrase(int failed_attempts, std::chrono::seconds retry_after)
    : VaultError(retry_after.count() > 0
                     ? "wrong passphrase (" + std::to_string(failed_attempts) + " failed attempts); try again in " +
                           std::to_string(retry_after.count()) + " s"
                     : "wrong passphrase"),
      failed_attempts_(failed_attempts),
      retry_after_(retry_after) {}

UnlockDelayed::UnlockDelayed(std::chrono::seconds wait)
    : VaultError("too many wrong passphrases: wait " + std::to_string(wait.count()) + " s before trying again"),
      wait_(wait) {}

VaultDamaged::VaultDamaged(const std::filesystem::path& file, const std::string& what_is_wrong, bool backup)
    : VaultError(backup ? file.string() + " cannot be restored: it is not a whole imrdesk vault (" + what_is_wrong +
                              "). Nothing was changed; choose another backup"
                        : file.string() + " is damaged (" + what_is_wrong +
                              "). Restore a backup (imrdesk-cli profile restore), or move the file aside, create the "
                              "profile again and enrol to get back from the server what this computer had sent"),
      file_(file) {}

bool is_damage(int sqlite_code) noexcept {
    const int primary = sqlite_code & 0xff;
    return primary == 11 /* SQLITE_CORRUPT */ || primary == 26 /* SQLITE_NOTADB */;
}

std::int64_t system_now() noexcept { return static_cast<std::int64_t>(std::time(nullptr)); }

std::chrono::seconds unlock_delay(int failed_attempts) noexcept {
    if (failed_attempts < 3) return std::chrono::seconds(0);
    const int doublings = std::min(failed_attempts - 3, 6);
    return std::chrono::seconds(std::min(300, 5 << doublings));
}

Vault::Vault(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Vault::~Vault() = default;

const Id& Vault::vault_id() const noexcept { return impl_->vault_id; }
const crypto::SigningKey& Vault::device_key() const noexcept { return *impl_->device_key; }
const std::filesystem::path& Vault::file() const noexcept { return impl_->file; }

crypto::kdf::Params Vault::kdf_params() const {
    return decode_slot(text_of(require_meta(impl_->db, kPassphraseSlot))).kdf;
}

Created Vault::create(const std::filesystem::path& file, std::string_view passphrase, const CreateOptions& options) {
    if (passphrase.empty()) throw VaultError("the passphrase is empty");
    if (std::filesystem::exists(file)) throw VaultError("a vault already exists at " + file.string());
    if (file.has_parent_path()) platform::create_private_directory(file.parent_path());
    const crypto::kdf::Params params = options.kdf ? *options.kdf : crypto::kdf::calibrate(options.calibration);

    auto impl = std::make_unique<Impl>(file, true, options.clock);
    apply_connection_pragmas(impl->db);
    try {
        sql::Transaction transaction(impl->db);
        impl->db.exec(kSchema);
        impl->vault_id = random_id();
        impl->data_key = Key32::random();
        impl->derive_subkeys();
        set_meta(impl->db, "vault_id", impl->vault_id.bytes);
        set_meta_int(impl->db, "created_at", impl->clock());

        const auto recovery = crypto::RecoveryKey::generate();
        const std::string recovery_slot =
            json{{"wrapped", crypto::to_hex(crypto::aead::wrap_key(recovery.derive_kek(impl->vault_id.bytes),
                                                                   impl->data_key, recovery_slot_ad(impl->vault_id)))}}
                .dump();
        set_meta(impl->db, kRecoverySlot, as_bytes(recovery_slot));
        impl->write_passphrase_slot(passphrase, params, 1);

        auto identity = crypto::SigningKey::generate();
        set_meta(impl->db, "identity",
                 crypto::aead::seal(impl->record_key, identity.seed(), identity_ad(impl->vault_id)));
        impl->device_key.emplace(std::move(identity));
        impl->append_audit("vault.created", {{"kdf_opslimit", params.opslimit}, {"kdf_memlimit", params.memlimit}});
        impl->db.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
        transaction.commit();
        return Created{std::unique_ptr<Vault>(new Vault(std::move(impl))), recovery.format()};
    } catch (...) {
        impl.reset();
        std::error_code ignored;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            std::filesystem::remove(std::filesystem::path(file).concat(suffix), ignored);
        throw;
    }
}

namespace {

std::unique_ptr<Vault::Impl> open_impl(const std::filesystem::path& file, const Clock& clock) {
    if (!std::filesystem::exists(file)) throw VaultError("there is no vault at " + file.string());
    // A profile's folders (data/profiles/NAME) made under a loose umask are tightened to 0700;
    // a vault opened elsewhere (verify FILE) leaves its folder as it is.
    if (const auto dir = file.parent_path(); dir.parent_path().filename() == "profiles") {
        platform::restrict_to_owner(dir.parent_path());
        platform::restrict_to_owner(dir);
    }
    try {
        auto impl = std::make_unique<Vault::Impl>(file, false, clock);
        migrate(impl->db);  // before any pragma: a file that is not a vault is left exactly as it was
        apply_connection_pragmas(impl->db);
        const ByteVec vault_id = require_meta(impl->db, "vault_id");
        if (vault_id.size() != 16) throw VaultTampered("the vault id is not 16 bytes: the file was altered");
        impl->vault_id = id_from_blob(vault_id);
        return impl;
    } catch (const sql::Error& e) {
        if (is_damage(e.code())) throw VaultDamaged(file, e.what());
        throw;
    }
}

void finish_open(Vault::Impl& impl, json details) {
    impl.derive_subkeys();
    impl.check_slots_mac();
    impl.check_epoch_against_audit();
    impl.load_identity();
    sql::Transaction transaction(impl.db);
    set_meta_int(impl.db, "failed_attempts", 0);
    set_meta_int(impl.db, "retry_after", 0);
    impl.append_audit("vault.unlocked", details);
    transaction.commit();
}

}  // namespace

std::unique_ptr<Vault> Vault::open(const std::filesystem::path& file, std::string_view passphrase, const OpenOptions& options) {
    auto impl = open_impl(file, options.clock);
    const std::int64_t now = impl->clock();
    const std::int64_t retry_after = get_meta_int(impl->db, "retry_after", 0);
    if (now < retry_after) {
        // Never longer than the schedule allows, even when the clock was set back.
        const auto failed = static_cast<int>(get_meta_int(impl->db, "failed_attempts", 0));
        throw UnlockDelayed(std::chrono::seconds(std::min(retry_after - now, unlock_delay(failed).count())));
    }

    const PassphraseSlot slot = decode_slot(text_of(require_meta(impl->db, kPassphraseSlot)));
    const auto epoch = static_cast<std::uint64_t>(get_meta_int(impl->db, "key_epoch", -1));
    if (slot.epoch != epoch)
        throw VaultTampered("the passphrase key slot is from key epoch " + std::to_string(slot.epoch) +
                            " but the vault is at epoch " + std::to_string(epoch) +
                            ": it was rolled back or altered; refusing to open the vault");

    const Key32 kek = crypto::kdf::derive(passphrase, slot.kdf);
    if (!crypto::equal_constant_time(verifier_for(kek, impl->vault_id), slot.verifier)) {
        const int failed = static_cast<int>(get_meta_int(impl->db, "failed_attempts", 0)) + 1;
        const auto delay = unlock_delay(failed);
        sql::Transaction transaction(impl->db);
        set_meta_int(impl->db, "failed_attempts", failed);
        set_meta_int(impl->db, "retry_after", now + delay.count());
        transaction.commit();
        throw WrongPassphrase(failed, delay);
    }
    try {
        impl->data_key = crypto::aead::unwrap_key(kek, slot.wrapped, passphrase_slot_ad(impl->vault_id, epoch, slot.kdf));
    } catch (const crypto::AuthenticationError&) {
        throw VaultTampered("the passphrase key slot was altered or rolled back: refusing to open the vault");
    }
    const auto failed_before = get_meta_int(impl->db, "failed_attempts", 0);
    finish_open(*impl, {{"method", "passphrase"}, {"failed_attempts_before", failed_before}});
    return std::unique_ptr<Vault>(new Vault(std::move(impl)));
}

std::unique_ptr<Vault> Vault::recover(const std::filesystem::path& file, std::string_view recovery_key,
                                      std::string_view new_passphrase, const OpenOptions& options) {
    if (new_passphrase.empty()) throw VaultError("the new passphrase is empty");
    const auto key = crypto::RecoveryKey::parse(recovery_key);  // a typo is a FormatError saying where
    auto impl = open_impl(file, options.clock);
    ByteVec wrapped;
    try {
        const json slot = json::parse(text_of(require_meta(impl->db, kRecoverySlot)));
        wrapped = crypto::from_hex(slot.at("wrapped").get<std::string>());
    } catch (const VaultTampered&) {
        throw;
    } catch (const std::exception&) {
        throw VaultTampered("the recovery key slot is damaged");
    }
    try {
        impl->data_key = crypto::aead::unwrap_key(key.derive_kek(impl->vault_id.bytes), wrapped,
                                                  recovery_slot_ad(impl->vault_id));
    } catch (const crypto::AuthenticationError&) {
        throw WrongRecoveryKey("this recovery key does not open this vault (it may belong to another profile)");
    }
    finish_open(*impl, {{"method", "recovery key"}});
    auto vault = std::unique_ptr<Vault>(new Vault(std::move(impl)));
    vault->change_passphrase(new_passphrase);
    return vault;
}

void Vault::change_passphrase(std::string_view new_passphrase, std::optional<crypto::kdf::Params> kdf) {
    if (new_passphrase.empty()) throw VaultError("the new passphrase is empty");
    crypto::kdf::Params params = kdf ? *kdf : kdf_params();
    if (!kdf) params.salt = crypto::random_array<crypto::kdf::kSaltSize>();
    const auto epoch = static_cast<std::uint64_t>(get_meta_int(impl_->db, "key_epoch", 0)) + 1;
    sql::Transaction transaction(impl_->db);
    impl_->write_passphrase_slot(new_passphrase, params, epoch);
    set_meta_int(impl_->db, "failed_attempts", 0);
    set_meta_int(impl_->db, "retry_after", 0);
    impl_->append_audit("vault.passphrase_changed", {{"key_epoch", epoch}});
    transaction.commit();
}

namespace {

constexpr const char* kRecordColumns = "SELECT id, imr_id, kind, body, deleted, server_rev, dirty, updated_at FROM records";

void read_records(const Vault::Impl& impl, sql::Statement& statement, LoadResult& result);

}  // namespace

LoadResult Vault::load_all() const {
    LoadResult result;
    auto statement = impl_->db.prepare(kRecordColumns);
    read_records(*impl_, statement, result);
    return result;
}

LoadResult Vault::load_imr(const domain::Id& imr_id) const {
    LoadResult result;
    auto statement = impl_->db.prepare(std::string(kRecordColumns) + " WHERE imr_id = ?");
    statement.bind(1, imr_id.bytes);
    read_records(*impl_, statement, result);
    return result;
}

namespace {

void read_records(const Vault::Impl& impl, sql::Statement& statement, LoadResult& result) {
    while (statement.step()) {
        StoredRecord record;
        try {
            record.id = id_from_blob(statement.column_blob_view(0));
            record.imr_id = id_from_blob(statement.column_blob_view(1));
        } catch (const VaultTampered& e) {
            result.problems.push_back({Id{}, e.what()});
            continue;
        }
        const auto kind = domain::record_kind_from_int(static_cast<int>(statement.column_int(2)));
        if (!kind) {
            result.problems.push_back({record.id, "record " + record.id.hex() + " has an unknown kind"});
            continue;
        }
        record.kind = *kind;
        record.deleted = statement.column_int(4) != 0;
        record.server_revision = statement.column_int(5);
        record.dirty = statement.column_int(6) != 0;
        record.updated_at = statement.column_int(7);
        if (record.deleted && !statement.column_is_null(3)) {
            // Tombstones are written without a body: a body here means the flag was set by hand.
            result.problems.push_back({record.id, "record " + record.id.hex() + " (" + std::string(domain::to_string(record.kind)) +
                                                      ") is marked deleted but still has a body: the vault was altered"});
            continue;
        }
        if (!record.deleted) {
            try {
                crypto::aead::open_into(impl.record_key, statement.column_blob_view(3),
                                        record_ad(impl.vault_id, record.id, record.imr_id, record.kind, "body"), record.body);
            } catch (const crypto::AuthenticationError&) {
                result.problems.push_back({record.id, "record " + record.id.hex() + " (" +
                                                          std::string(domain::to_string(record.kind)) +
                                                          ") does not decrypt: it was altered or moved from another row"});
                continue;
            }
        }
        result.records.push_back(std::move(record));
    }
}

}  // namespace

// --- sync --------------------------------------------------------------------------------------

namespace {

constexpr const char* kSyncColumns =
    "SELECT r.id, r.imr_id, r.kind, r.body, r.deleted, r.server_rev, r.local_seq, r.base_body, r.dirty, "
    "c.id IS NOT NULL FROM records r LEFT JOIN conflicts c ON c.id = r.id";

std::string open_column(const Vault::Impl& impl, std::span<const std::uint8_t> sealed, const Id& id, const Id& imr,
                        domain::RecordKind kind, std::string_view column) {
    std::string plain;
    try {
        crypto::aead::open_into(impl.record_key, sealed, record_ad(impl.vault_id, id, imr, kind, column), plain);
    } catch (const crypto::AuthenticationError&) {
        throw VaultTampered("record " + id.hex() + " (" + std::string(domain::to_string(kind)) + "): its " +
                            std::string(column) + " does not decrypt: it was altered or moved");
    }
    return plain;
}

SyncRecord read_sync_record(const Vault::Impl& impl, const sql::Statement& s) {
    SyncRecord r;
    r.id = id_from_blob(s.column_blob_view(0));
    r.imr_id = id_from_blob(s.column_blob_view(1));
    const auto kind = domain::record_kind_from_int(static_cast<int>(s.column_int(2)));
    if (!kind) throw VaultTampered("record " + r.id.hex() + " has an unknown kind");
    r.kind = *kind;
    r.deleted = s.column_int(4) != 0;
    if (!r.deleted) r.body = open_column(impl, s.column_blob_view(3), r.id, r.imr_id, r.kind, "body");
    r.server_revision = s.column_int(5);
    r.local_seq = s.column_int(6);
    if (!s.column_is_null(7)) r.base = open_column(impl, s.column_blob_view(7), r.id, r.imr_id, r.kind, "base");
    r.dirty = s.column_int(8) != 0;
    r.in_conflict = s.column_int(9) != 0;
    return r;
}

}  // namespace

std::vector<SyncRecord> Vault::dirty_records(std::size_t max_records, std::size_t max_bytes,
                                             const std::vector<domain::Id>& held_back) const {
    std::vector<SyncRecord> out;
    std::string held;
    for (std::size_t i = 0; i < held_back.size(); ++i) held += i == 0 ? "?" : ", ?";
    // Headers first: the server learns which case a new IMR belongs to before its other records.
    auto s = impl_->db.prepare(std::string(kSyncColumns) + " WHERE r.dirty = 1 AND c.id IS NULL" +
                               (held.empty() ? std::string() : " AND r.imr_id NOT IN (" + held + ")") +
                               " ORDER BY r.kind = 1 DESC, r.updated_at");
    for (std::size_t i = 0; i < held_back.size(); ++i) s.bind(static_cast<int>(i + 1), held_back[i].bytes);
    std::size_t bytes = 0;
    while (s.step() && out.size() < max_records) {
        const auto size = static_cast<std::size_t>(s.column_blob_view(3).size());
        if (!out.empty() && bytes + size > max_bytes) break;
        out.push_back(read_sync_record(*impl_, s));
        bytes += size;
    }
    return out;
}

std::size_t Vault::dirty_count() const {
    return static_cast<std::size_t>(impl_->db.scalar_int(
        "SELECT COUNT(*) FROM records r WHERE r.dirty = 1 AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.id = r.id)"));
}

std::optional<SyncRecord> Vault::sync_record(const domain::Id& id) const {
    auto s = impl_->db.prepare(std::string(kSyncColumns) + " WHERE r.id = ?");
    s.bind(1, id.bytes);
    if (!s.step()) return std::nullopt;
    return read_sync_record(*impl_, s);
}

std::optional<std::int64_t> Vault::server_revision(const domain::Id& id) const {
    auto s = impl_->db.prepare("SELECT server_rev FROM records WHERE id = ?");
    s.bind(1, id.bytes);
    if (!s.step()) return std::nullopt;
    return s.column_int(0);
}

void Vault::acknowledge(std::span<const Acknowledged> acknowledged) {
    if (acknowledged.empty()) return;
    sql::Transaction transaction(impl_->db);
    auto find = impl_->db.prepare("SELECT imr_id, kind FROM records WHERE id = ?");
    auto update = impl_->db.prepare(
        "UPDATE records SET server_rev = ?, base_body = ?, dirty = CASE WHEN local_seq = ? THEN 0 ELSE 1 END WHERE id = ?");
    for (const auto& a : acknowledged) {
        find.bind(1, a.id.bytes);
        if (!find.step()) {
            find.reset();
            continue;  // deleted locally meanwhile: nothing to mark
        }
        const Id imr = id_from_blob(find.column_blob_view(0));
        const auto kind = static_cast<domain::RecordKind>(find.column_int(1));
        find.reset();
        update.bind(1, a.revision);
        if (a.deleted) {
            update.bind_null(2);
        } else {
            update.bind(2, crypto::aead::seal(impl_->record_key, as_bytes(a.body), record_ad(impl_->vault_id, a.id, imr, kind, "base")));
        }
        update.bind(3, a.local_seq).bind(4, a.id.bytes);
        update.run();
    }
    impl_->append_audit("sync.pushed", {{"count", acknowledged.size()}});
    transaction.commit();
}

void Vault::apply_remote(std::span<const RemoteWrite> writes, std::optional<std::int64_t> cursor, std::string_view audit_event,
                         const json& audit_details) {
    const std::int64_t now = impl_->clock();
    sql::Transaction transaction(impl_->db);
    auto find = impl_->db.prepare("SELECT imr_id, kind FROM records WHERE id = ?");
    auto insert = impl_->db.prepare(
        "INSERT INTO records(id, imr_id, kind, body, base_body, server_rev, dirty, deleted, updated_at, local_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)");
    auto take = impl_->db.prepare(
        "UPDATE records SET body = ?, deleted = ?, base_body = ?, server_rev = ?, dirty = 0, updated_at = ? WHERE id = ?");
    auto keep = impl_->db.prepare(
        "UPDATE records SET body = ?, deleted = ?, base_body = ?, server_rev = ?, dirty = 1, updated_at = ?, "
        "local_seq = local_seq + 1 WHERE id = ?");
    auto rebase = impl_->db.prepare("UPDATE records SET base_body = ?, server_rev = ?, dirty = 1 WHERE id = ?");
    auto conflict = impl_->db.prepare(
        "INSERT INTO conflicts(id, theirs, theirs_rev, detected_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET theirs = excluded.theirs, theirs_rev = excluded.theirs_rev");
    auto clear_conflict = impl_->db.prepare("DELETE FROM conflicts WHERE id = ?");
    const auto seal = [&](const RemoteWrite& w, std::string_view body, std::string_view column) {
        return crypto::aead::seal(impl_->record_key, as_bytes(body), record_ad(impl_->vault_id, w.id, w.imr_id, w.kind, column));
    };
    for (const auto& w : writes) {
        find.bind(1, w.id.bytes);
        const bool exists = find.step();
        if (exists && (id_from_blob(find.column_blob_view(0)) != w.imr_id ||
                       find.column_int(1) != static_cast<std::int64_t>(w.kind))) {
            find.reset();
            throw VaultError("the server sent record " + w.id.hex() + " with another IMR or kind than this vault holds");
        }
        find.reset();
        const auto bind_body = [&](sql::Statement& st, int index, std::string_view body, bool deleted, std::string_view column) {
            if (deleted) {
                st.bind_null(index);
            } else {
                st.bind(index, seal(w, body, column));
            }
        };
        if (!exists) {
            const bool local = w.action == RemoteAction::Keep;
            insert.bind(1, w.id.bytes).bind(2, w.imr_id.bytes).bind(3, static_cast<std::int64_t>(w.kind));
            bind_body(insert, 4, local ? w.local_body : w.remote_body, local ? w.local_deleted : w.remote_deleted, "body");
            bind_body(insert, 5, w.remote_body, w.remote_deleted, "base");
            insert.bind(6, w.revision).bind(7, std::int64_t{local ? 1 : 0});
            insert.bind(8, std::int64_t{(local ? w.local_deleted : w.remote_deleted) ? 1 : 0}).bind(9, now);
            insert.run();
            continue;
        }
        switch (w.action) {
            case RemoteAction::Take:
                bind_body(take, 1, w.remote_body, w.remote_deleted, "body");
                take.bind(2, std::int64_t{w.remote_deleted ? 1 : 0});
                bind_body(take, 3, w.remote_body, w.remote_deleted, "base");
                take.bind(4, w.revision).bind(5, now).bind(6, w.id.bytes);
                take.run();
                clear_conflict.bind(1, w.id.bytes);
                clear_conflict.run();
                break;
            case RemoteAction::Keep:
                bind_body(keep, 1, w.local_body, w.local_deleted, "body");
                keep.bind(2, std::int64_t{w.local_deleted ? 1 : 0});
                bind_body(keep, 3, w.remote_body, w.remote_deleted, "base");
                keep.bind(4, w.revision).bind(5, now).bind(6, w.id.bytes);
                keep.run();
                clear_conflict.bind(1, w.id.bytes);
                clear_conflict.run();
                break;
            case RemoteAction::Conflict:
                bind_body(rebase, 1, w.remote_body, w.remote_deleted, "base");
                rebase.bind(2, w.revision).bind(3, w.id.bytes);
                rebase.run();
                conflict.bind(1, w.id.bytes);
                bind_body(conflict, 2, w.remote_body, w.remote_deleted, "conflict");
                conflict.bind(3, w.revision).bind(4, now);
                conflict.run();
                break;
        }
    }
    if (cursor) set_meta_int(impl_->db, "sync_cursor", *cursor);
    if (!writes.empty()) impl_->append_audit(audit_event, audit_details);
    transaction.commit();
}

std::int64_t Vault::sync_cursor() const { return get_meta_int(impl_->db, "sync_cursor", 0); }

void Vault::reset_sync_cursor() {
    sql::Transaction transaction(impl_->db);
    set_meta_int(impl_->db, "sync_cursor", 0);
    impl_->append_audit("sync.cursor_reset", json::object());
    transaction.commit();
}

std::vector<ConflictRecord> Vault::conflicts() const {
    std::vector<ConflictRecord> out;
    auto s = impl_->db.prepare(
        "SELECT r.id, r.imr_id, r.kind, r.body, r.deleted, c.theirs, c.theirs_rev, c.detected_at "
        "FROM conflicts c JOIN records r ON r.id = c.id ORDER BY c.detected_at, r.id");
    while (s.step()) {
        ConflictRecord c;
        c.id = id_from_blob(s.column_blob_view(0));
        c.imr_id = id_from_blob(s.column_blob_view(1));
        const auto kind = domain::record_kind_from_int(static_cast<int>(s.column_int(2)));
        if (!kind) throw VaultTampered("record " + c.id.hex() + " has an unknown kind");
        c.kind = *kind;
        c.mine_deleted = s.column_int(4) != 0;
        if (!c.mine_deleted) c.mine = open_column(*impl_, s.column_blob_view(3), c.id, c.imr_id, c.kind, "body");
        c.theirs_deleted = s.column_is_null(5);
        if (!c.theirs_deleted) c.theirs = open_column(*impl_, s.column_blob_view(5), c.id, c.imr_id, c.kind, "conflict");
        c.theirs_revision = s.column_int(6);
        c.detected_at = s.column_int(7);
        out.push_back(std::move(c));
    }
    return out;
}

std::size_t Vault::conflict_count() const {
    return static_cast<std::size_t>(impl_->db.scalar_int("SELECT COUNT(*) FROM conflicts"));
}

void Vault::resolve_conflict(const domain::Id& id, const std::optional<std::string>& body) {
    sql::Transaction transaction(impl_->db);
    auto find = impl_->db.prepare("SELECT r.imr_id, r.kind FROM conflicts c JOIN records r ON r.id = c.id WHERE c.id = ?");
    find.bind(1, id.bytes);
    if (!find.step()) throw VaultError("record " + id.hex() + " has no conflict to resolve");
    const Id imr = id_from_blob(find.column_blob_view(0));
    const auto kind = static_cast<domain::RecordKind>(find.column_int(1));
    find.reset();
    auto update = impl_->db.prepare(
        "UPDATE records SET body = ?, deleted = ?, dirty = 1, updated_at = ?, local_seq = local_seq + 1 WHERE id = ?");
    if (body) {
        update.bind(1, crypto::aead::seal(impl_->record_key, as_bytes(*body), record_ad(impl_->vault_id, id, imr, kind, "body")));
    } else {
        update.bind_null(1);
    }
    update.bind(2, std::int64_t{body ? 0 : 1}).bind(3, impl_->clock()).bind(4, id.bytes);
    update.run();
    impl_->db.prepare("DELETE FROM conflicts WHERE id = ?").bind(1, id.bytes).run();
    impl_->append_audit("sync.conflict_resolved", {{"id", id.hex()}, {"kind", domain::to_string(kind)}, {"deleted", !body}});
    transaction.commit();
}

void Vault::write(std::span<const RecordWrite> writes, std::string_view audit_event) {
    if (writes.empty()) return;
    const std::int64_t now = impl_->clock();
    sql::Transaction transaction(impl_->db);
    auto upsert = impl_->db.prepare(
        "INSERT INTO records(id, imr_id, kind, body, deleted, dirty, updated_at, local_seq) VALUES(?, ?, ?, ?, ?, 1, ?, 1) "
        "ON CONFLICT(id) DO UPDATE SET body = excluded.body, deleted = excluded.deleted, dirty = 1, "
        "updated_at = excluded.updated_at, local_seq = records.local_seq + 1 "
        "WHERE records.imr_id = excluded.imr_id AND records.kind = excluded.kind");
    json ids = json::array();
    for (const auto& w : writes) {
        upsert.bind(1, w.id.bytes).bind(2, w.imr_id.bytes).bind(3, static_cast<std::int64_t>(w.kind));
        if (w.deleted) {
            upsert.bind_null(4);
        } else {
            upsert.bind(4, crypto::aead::seal(impl_->record_key, as_bytes(w.body),
                                              record_ad(impl_->vault_id, w.id, w.imr_id, w.kind, "body")));
        }
        upsert.bind(5, std::int64_t{w.deleted ? 1 : 0}).bind(6, now);
        upsert.run();
        if (impl_->db.changes() != 1)
            throw VaultError("record " + w.id.hex() + " already exists with another IMR or kind; nothing was saved");
        if (ids.size() < 100) ids.push_back({{"id", w.id.hex()}, {"kind", domain::to_string(w.kind)}, {"deleted", w.deleted}});
    }
    impl_->append_audit(audit_event, {{"count", writes.size()}, {"records", ids}});
    transaction.commit();
}

void Vault::store_private(std::string_view name, std::string_view bytes) {
    const std::string key = "private." + std::string(name);
    sql::Transaction transaction(impl_->db);
    set_meta(impl_->db, key, crypto::aead::seal(impl_->record_key, as_bytes(bytes), private_ad(impl_->vault_id, name)));
    transaction.commit();
}

std::string Vault::load_private(std::string_view name) const {
    const auto sealed = get_meta(impl_->db, "private." + std::string(name));
    if (!sealed) return {};
    try {
        const auto plain = crypto::aead::open(impl_->record_key, *sealed, private_ad(impl_->vault_id, name));
        return std::string(plain.view());
    } catch (const crypto::AuthenticationError&) {
        throw VaultTampered("the profile's private data '" + std::string(name) + "' was altered");
    }
}

void Vault::audit(std::string_view event, const json& details) {
    sql::Transaction transaction(impl_->db);
    impl_->append_audit(event, details);
    transaction.commit();
}

std::vector<AuditEntry> Vault::audit_entries() const {
    std::vector<AuditEntry> out;
    auto statement = impl_->db.prepare("SELECT seq, entry, epoch FROM audit ORDER BY seq");
    while (statement.step()) {
        AuditEntry entry;
        entry.sequence = statement.column_int(0);
        try {
            std::string plain;
            crypto::aead::open_into(impl_->audit_key, statement.column_blob_view(1),
                                    audit_ad(impl_->vault_id, entry.sequence, statement.column_int(2)), plain);
            const json j = json::parse(plain);
            entry.at = j.at("at").get<std::int64_t>();
            entry.event = j.at("event").get<std::string>();
            entry.details = j.at("details");
        } catch (const std::exception&) {
            entry.event = "(unreadable: altered)";
        }
        out.push_back(std::move(entry));
    }
    return out;
}

VerifyReport Vault::verify() const {
    VerifyReport report;
    {
        auto check = impl_->db.prepare("PRAGMA integrity_check");
        while (check.step()) {
            const std::string line = check.column_text(0);
            if (line != "ok") report.problems.push_back("database integrity: " + line);
        }
    }
    LoadResult loaded = load_all();
    for (auto& problem : loaded.problems) report.problems.push_back(std::move(problem.message));
    for (auto& record : loaded.records) {
        ++report.records_checked;
        if (record.deleted) continue;
        try {
            const json body = domain::parse_body(record.body, record.kind);
            domain::check_body(record.kind, body);
        } catch (const std::exception& e) {
            report.problems.push_back("record " + record.id.hex() + ": " + e.what());
        }
        crypto::wipe(record.body);
    }

    auto statement = impl_->db.prepare("SELECT seq, entry, chain, epoch FROM audit ORDER BY seq");
    std::int64_t expected = 1;
    std::int64_t previous_epoch = 0;
    const std::int64_t current_epoch = get_meta_int(impl_->db, "key_epoch", 0);
    ByteVec chain(32, 0);
    std::string plain;
    while (statement.step()) {
        const std::int64_t sequence = statement.column_int(0);
        const auto sealed = statement.column_blob_view(1);
        const std::int64_t epoch = statement.column_int(3);
        if (epoch < previous_epoch || epoch > current_epoch)
            report.problems.push_back("audit trail: entry " + std::to_string(sequence) + " has key epoch " +
                                      std::to_string(epoch) + ", out of order");
        previous_epoch = epoch;
        if (sequence != expected) {
            report.problems.push_back("audit trail: entries " + std::to_string(expected) + " to " +
                                      std::to_string(sequence - 1) + " were removed");
        }
        crypto::Mac mac(impl_->audit_chain_key);
        mac.update(chain).update_u64(static_cast<std::uint64_t>(sequence)).update_u64(static_cast<std::uint64_t>(epoch)).update(sealed);
        const auto computed = mac.finish();
        if (!crypto::equal_constant_time(computed, statement.column_blob_view(2)))
            report.problems.push_back("audit trail: entry " + std::to_string(sequence) + " was altered or reordered");
        try {
            crypto::aead::open_into(impl_->audit_key, sealed, audit_ad(impl_->vault_id, sequence, epoch), plain);
        } catch (const crypto::AuthenticationError&) {
            report.problems.push_back("audit trail: entry " + std::to_string(sequence) + " does not decrypt (altered)");
        }
        chain = statement.column_blob(2);
        expected = sequence + 1;
        ++report.audit_entries_checked;
    }
    crypto::wipe(plain);
    const auto [head_sequence, head_chain] = impl_->audit_head();
    if (head_sequence != expected - 1)
        report.problems.push_back("audit trail: the trail ends at entry " + std::to_string(expected - 1) +
                                  " but entry " + std::to_string(head_sequence) + " was written: entries were removed");
    else if (!crypto::equal_constant_time(head_chain, chain))
        report.problems.push_back("audit trail: the last entry does not match the recorded head");
    return report;
}

}  // namespace imrdesk::client
