#include "private_temp_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "imrdesk/docformats/document_writing.hpp"

namespace imrdesk::docformats::detail {
namespace {

class UniqueFd {
public:
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    ~UniqueFd() {
        if (fd_ >= 0) ::close(fd_);
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    [[nodiscard]] int get() const noexcept { return fd_; }
    [[nodiscard]] explicit operator bool() const noexcept { return fd_ >= 0; }
    // Closes now, reporting a failure (close can report a write error).
    [[nodiscard]] bool close() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return ::close(fd) == 0;
    }

private:
    int fd_;
};

[[noreturn]] void fail(const std::string& what, int error) {
    throw DocumentWriteError(what + ": " + std::generic_category().message(error));
}

}  // namespace

PrivateTempDir::PrivateTempDir(const std::filesystem::path& parent) {
    std::string pattern = (parent / "imrdesk-export-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fail("cannot create a private temporary directory in " + parent.string(), errno);
    path_ = pattern;
}

PrivateTempDir::~PrivateTempDir() { (void)remove(); }

bool PrivateTempDir::remove() noexcept {
    if (path_.empty()) return true;
    bool wiped = true;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(path_, error)) {
        std::error_code ignored;
        if (entry.is_regular_file(ignored) && !entry.is_symlink(ignored)) {
            wiped = wipe_file(entry.path()) && wiped;
        } else {
            std::filesystem::remove_all(entry.path(), ignored);
        }
    }
    const bool removed = std::filesystem::remove(path_, error);
    if (removed) path_.clear();
    return removed && wiped;
}

void PrivateTempDir::create_private_file(const std::filesystem::path& file) const {
    UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, S_IRUSR | S_IWUSR));
    if (!fd) fail("cannot create the temporary file " + file.string(), errno);
    if (!fd.close()) fail("cannot create the temporary file " + file.string(), errno);
}

std::string read_whole_file(const std::filesystem::path& file) {
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) fail("cannot open " + file.string(), errno);
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) fail("cannot read " + file.string(), errno);
    std::string bytes;
    bytes.reserve(static_cast<std::size_t>(info.st_size));
    std::array<char, 64 * 1024> chunk{};
    for (;;) {
        const ssize_t got = ::read(fd.get(), chunk.data(), chunk.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) fail("cannot read " + file.string(), errno);
        if (got == 0) break;
        bytes.append(chunk.data(), static_cast<std::size_t>(got));
    }
    return bytes;
}

bool wipe_file(const std::filesystem::path& file) noexcept {
    bool ok = false;
    {
        UniqueFd fd(::open(file.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC));
        struct stat info {};
        if (fd && ::fstat(fd.get(), &info) == 0) {
            static constexpr std::array<char, 64 * 1024> zeros{};
            auto left = static_cast<std::size_t>(info.st_size);
            ok = true;
            while (left > 0) {
                const ssize_t put = ::write(fd.get(), zeros.data(), std::min(left, zeros.size()));
                if (put < 0 && errno == EINTR) continue;
                if (put <= 0) {
                    ok = false;
                    break;
                }
                left -= static_cast<std::size_t>(put);
            }
            ok = ::fdatasync(fd.get()) == 0 && ok;
            ok = fd.close() && ok;
        }
    }
    return ::unlink(file.c_str()) == 0 && ok;
}

}  // namespace imrdesk::docformats::detail
