// The vault's keys: create, open (with the unlock delay after wrong passphrases), recover with
// the recovery key, change the passphrase; the key slots, their MAC and the device identity.
#include "vault_internal.hpp"

namespace imrdesk::client {

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
        impl->db.exec(schema());
        impl->vault_id = random_id();
        impl->data_key = Key32::random();
        impl->derive_subkeys();
        set_meta(impl->db, meta_key::kVaultId, impl->vault_id.bytes);
        set_meta_int(impl->db, meta_key::kCreatedAt, impl->clock());

        const auto recovery = crypto::RecoveryKey::generate();
        const std::string recovery_slot =
            json{{"wrapped", crypto::to_hex(crypto::aead::wrap_key(recovery.derive_kek(impl->vault_id.bytes),
                                                                   impl->data_key, recovery_slot_ad(impl->vault_id)))}}
                .dump();
        set_meta(impl->db, kRecoverySlot, as_bytes(recovery_slot));
        impl->write_passphrase_slot(passphrase, params, 1);

        auto identity = crypto::SigningKey::generate();
        set_meta(impl->db, meta_key::kIdentity,
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
        const ByteVec vault_id = require_meta(impl->db, meta_key::kVaultId);
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
    set_meta_int(impl.db, meta_key::kFailedAttempts, 0);
    set_meta_int(impl.db, meta_key::kRetryAfter, 0);
    impl.append_audit("vault.unlocked", details);
    transaction.commit();
}

}  // namespace

std::unique_ptr<Vault> Vault::open(const std::filesystem::path& file, std::string_view passphrase, const OpenOptions& options) {
    auto impl = open_impl(file, options.clock);
    const std::int64_t now = impl->clock();
    const std::int64_t retry_after = get_meta_int(impl->db, meta_key::kRetryAfter, 0);
    if (now < retry_after) {
        // Never longer than the schedule allows, even when the clock was set back.
        const auto failed = static_cast<int>(get_meta_int(impl->db, meta_key::kFailedAttempts, 0));
        throw UnlockDelayed(std::chrono::seconds(std::min(retry_after - now, unlock_delay(failed).count())));
    }

    const PassphraseSlot slot = decode_slot(text_of(require_meta(impl->db, kPassphraseSlot)));
    const auto epoch = static_cast<std::uint64_t>(get_meta_int(impl->db, meta_key::kKeyEpoch, -1));
    if (slot.epoch != epoch)
        throw VaultTampered("the passphrase key slot is from key epoch " + std::to_string(slot.epoch) +
                            " but the vault is at epoch " + std::to_string(epoch) +
                            ": it was rolled back or altered; refusing to open the vault");

    const Key32 kek = crypto::kdf::derive(passphrase, slot.kdf);
    if (!crypto::equal_constant_time(verifier_for(kek, impl->vault_id), slot.verifier)) {
        const int failed = static_cast<int>(get_meta_int(impl->db, meta_key::kFailedAttempts, 0)) + 1;
        const auto delay = unlock_delay(failed);
        sql::Transaction transaction(impl->db);
        set_meta_int(impl->db, meta_key::kFailedAttempts, failed);
        set_meta_int(impl->db, meta_key::kRetryAfter, now + delay.count());
        transaction.commit();
        throw WrongPassphrase(failed, delay);
    }
    try {
        impl->data_key = crypto::aead::unwrap_key(kek, slot.wrapped, passphrase_slot_ad(impl->vault_id, epoch, slot.kdf));
    } catch (const crypto::AuthenticationError&) {
        throw VaultTampered("the passphrase key slot was altered or rolled back: refusing to open the vault");
    }
    const auto failed_before = get_meta_int(impl->db, meta_key::kFailedAttempts, 0);
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
    const auto epoch = static_cast<std::uint64_t>(get_meta_int(impl_->db, meta_key::kKeyEpoch, 0)) + 1;
    sql::Transaction transaction(impl_->db);
    impl_->write_passphrase_slot(new_passphrase, params, epoch);
    set_meta_int(impl_->db, meta_key::kFailedAttempts, 0);
    set_meta_int(impl_->db, meta_key::kRetryAfter, 0);
    impl_->append_audit("vault.passphrase_changed", {{"key_epoch", epoch}});
    transaction.commit();
}

}  // namespace imrdesk::client
