#pragma once
// A directory only this user can enter (mkdtemp: mode 0700), for libraries that insist on
// writing files. Everything in it is overwritten with zeros before it is unlinked, and the
// directory is removed, when the object goes away (also during stack unwinding).
#include <filesystem>
#include <string>

namespace imrdesk::docformats::detail {

class PrivateTempDir {
public:
    // Throws DocumentWriteError when the directory cannot be made under parent.
    explicit PrivateTempDir(const std::filesystem::path& parent);
    ~PrivateTempDir();
    PrivateTempDir(const PrivateTempDir&) = delete;
    PrivateTempDir& operator=(const PrivateTempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

    // Wipes and removes everything now (the destructor does it otherwise); false if anything
    // is left. The object must not be used for files afterwards.
    bool remove() noexcept;

    // Creates an empty file readable and writable by this user only (0600, whatever the umask:
    // the umask is process-wide, so it is not changed here). Throws DocumentWriteError.
    void create_private_file(const std::filesystem::path& file) const;

private:
    std::filesystem::path path_;
};

// The whole file; throws DocumentWriteError.
[[nodiscard]] std::string read_whole_file(const std::filesystem::path& file);

// Overwrites the file with zeros, flushes it to disk and unlinks it; false if any step failed
// (the unlink is tried regardless).
bool wipe_file(const std::filesystem::path& file) noexcept;

}  // namespace imrdesk::docformats::detail
