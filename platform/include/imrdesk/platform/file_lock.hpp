#pragma once
// One process per profile: an exclusive advisory lock (flock) on a lock file beside the vault.
// The kernel releases it when the process dies, so a crash never leaves a stale lock.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace imrdesk::platform {

class LockedByOtherProcess : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class FileLock {
public:
    // Takes the lock without waiting. Throws LockedByOtherProcess (naming the holder's pid when
    // known) if another process holds it, std::system_error on other failures.
    explicit FileLock(const std::filesystem::path& lock_file);
    ~FileLock();
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace imrdesk::platform
