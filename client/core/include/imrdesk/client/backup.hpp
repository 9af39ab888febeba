#pragma once
// Backups of a profile: its vault file as it is, still encrypted, copied with SQLite's online
// backup API so the copy is consistent even while the app has the profile open; and putting one
// back. A backup opens with the passphrase (or recovery key) the profile had when it was taken.
#include <cstdint>
#include <filesystem>
#include <string>

namespace imrdesk::client {

struct BackupInfo {
    std::filesystem::path file;
    std::uintmax_t bytes = 0;
    std::string vault_id;  // hex: which profile it is a copy of
};

// Copies the vault to `to`, which must not exist (0600, flushed, whole or absent). Throws
// VaultError naming the file when `vault` is missing, sql::Error when the copy fails.
BackupInfo backup_profile(const std::filesystem::path& vault, const std::filesystem::path& to);

// Puts the backup `from` in place of `vault` (the profile need not exist yet). The backup is
// copied beside the vault and checked first (SQLite integrity, an imrdesk vault of a schema this
// version reads): a damaged file throws VaultDamaged and nothing changes. Refused while the
// profile is open (platform::LockedByOtherProcess). The vault it replaces is kept beside it as
// vault.db.replaced-YYYYMMDD-HHMMSS, whose path is returned (empty when there was none).
std::filesystem::path restore_profile(const std::filesystem::path& from, const std::filesystem::path& vault);

}  // namespace imrdesk::client
