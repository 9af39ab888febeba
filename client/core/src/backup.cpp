#include "imrdesk/client/backup.hpp"

#include <ctime>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "imrdesk/client/sqlite.hpp"
#include "imrdesk/client/vault.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/platform/file_lock.hpp"
#include "imrdesk/platform/paths.hpp"

namespace imrdesk::client {
namespace {

// Checks `copy` is a whole imrdesk vault this version can open; returns its id in hex. Reports
// problems against `named` (the file the user gave).
std::string check_vault_file(const std::filesystem::path& copy, const std::filesystem::path& named, bool backup) {
    try {
        sql::Database db(copy, false);
        const auto version = db.scalar_int("PRAGMA user_version");
        if (version < 1) throw VaultDamaged(named, "empty, or another kind of file", backup);
        if (version > Vault::kSchemaVersion)
            throw VaultError(named.string() + " was written by a newer version of imrdesk (schema " + std::to_string(version) +
                             "); update imrdesk to restore it");
        {
            sql::Statement check(db, "PRAGMA integrity_check");
            if (!check.step() || check.column_text(0) != "ok")
                throw VaultDamaged(named, "SQLite's integrity check failed", backup);
        }
        sql::Statement id(db, "SELECT value FROM meta WHERE key = 'vault_id'");
        if (!id.step()) throw VaultDamaged(named, "it has no vault id", backup);
        const auto bytes = id.column_blob(0);
        if (bytes.size() != 16) throw VaultDamaged(named, "its vault id is not 16 bytes", backup);
        static const char* digits = "0123456789abcdef";
        std::string hex;
        for (const auto b : bytes) {
            hex += digits[b >> 4];
            hex += digits[b & 15];
        }
        return hex;
    } catch (const sql::Error& e) {
        if (is_damage(e.code())) throw VaultDamaged(named, e.what(), backup);
        throw;
    }
}

void flush_directory(const std::filesystem::path& dir) {
    if (const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::string utc_stamp() { return platform::format_time(platform::unix_now(), "%Y%m%d-%H%M%S", platform::Zone::Utc); }

}  // namespace

BackupInfo backup_profile(const std::filesystem::path& vault, const std::filesystem::path& to) {
    if (!std::filesystem::is_regular_file(vault)) throw VaultError("there is no vault at " + vault.string());
    if (std::filesystem::is_directory(to)) throw VaultError(to.string() + " is a folder: give the backup file's name");
    sql::backup_database(vault, to);
    BackupInfo info;
    info.file = to;
    info.vault_id = check_vault_file(to, to, false);
    std::error_code ec;
    info.bytes = std::filesystem::file_size(to, ec);
    return info;
}

std::filesystem::path restore_profile(const std::filesystem::path& from, const std::filesystem::path& vault) {
    std::error_code ec;
    if (!std::filesystem::exists(from, ec)) throw VaultError("there is no backup at " + from.string());
    if (!std::filesystem::is_regular_file(from, ec))
        throw VaultError(from.string() + " is not a regular file: give the backup file itself");
    platform::create_private_directory(vault.parent_path());
    platform::FileLock lock(std::filesystem::path(vault).concat(".lock"));  // refused while the profile is open

    std::filesystem::path incoming = vault;
    incoming += ".restoring";
    std::filesystem::remove(incoming, ec);
    try {
        sql::backup_database(from, incoming);
        (void)check_vault_file(incoming, from, true);
    } catch (const sql::Error& e) {
        std::filesystem::remove(incoming, ec);
        if (is_damage(e.code())) throw VaultDamaged(from, e.what(), true);
        throw;
    } catch (...) {
        std::filesystem::remove(incoming, ec);
        throw;
    }

    std::filesystem::path replaced;
    if (std::filesystem::exists(vault, ec)) {
        bool whole = true;
        try {
            // Everything of the current vault in its main file, so its -wal is not left to be
            // applied to the restored one.
            sql::Database current(vault, false);
            current.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (const sql::Error&) {
            whole = false;  // damaged, most likely why it is being restored: kept as it is
        }
        replaced = vault;
        replaced += ".replaced-" + utc_stamp();
        std::filesystem::rename(vault, replaced);
        if (!whole)
            for (const char* suffix : {"-wal", "-journal"}) {
                std::filesystem::path companion = vault, kept = replaced;
                companion += suffix;
                kept += suffix;
                if (std::filesystem::exists(companion, ec)) std::filesystem::rename(companion, kept, ec);
            }
    }
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        std::filesystem::path companion = vault;
        companion += suffix;
        std::filesystem::remove(companion, ec);
    }
    std::filesystem::rename(incoming, vault);
    flush_directory(vault.parent_path());
    return replaced;
}

}  // namespace imrdesk::client
