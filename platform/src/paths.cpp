#include "imrdesk/platform/paths.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace imrdesk::platform {
namespace {

[[noreturn]] void throw_errno(const std::string& what, const std::filesystem::path& path) {
    throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

std::filesystem::path default_data_dir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/')
        return std::filesystem::path(xdg) / "imrdesk";
    const char* home = std::getenv("HOME");
    if (home == nullptr || home[0] != '/')
        throw std::runtime_error("cannot find a data directory: HOME is not set (use --data-dir DIR)");
    return std::filesystem::path(home) / ".local" / "share" / "imrdesk";
}

void fsync_path(const std::filesystem::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw_errno("cannot open", path);
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw_errno("cannot flush", path);
}

}  // namespace

void create_private_directory(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::system_error(ec, "cannot create directory " + dir.string());
    if (::chmod(dir.c_str(), 0700) != 0) throw_errno("cannot restrict permissions of", dir);
}

std::string not_a_regular_file(const std::filesystem::path& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) {
        const int error = errno;
        if (error == ENOENT || error == ENOTDIR) return "no such file";
        if (error == EACCES) return "you are not allowed to read it";
        return std::string("cannot read it: ") + std::strerror(error);
    }
    if (S_ISREG(st.st_mode)) return {};
    if (S_ISDIR(st.st_mode)) return "it is a folder: give the path of a file inside it";
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "it is a device, not a file";
    if (S_ISFIFO(st.st_mode)) return "it is a pipe, not a file: save the data to a file first";
    if (S_ISSOCK(st.st_mode)) return "it is a socket, not a file";
    return "it is not a regular file";
}

void restrict_to_owner(const std::filesystem::path& path) {
    struct stat st{};
    if (::lstat(path.c_str(), &st) != 0) return;  // missing: nothing to tighten
    const mode_t wanted = S_ISDIR(st.st_mode) ? 0700 : S_ISREG(st.st_mode) ? 0600 : 0;
    if (wanted == 0 || (st.st_mode & 077) == 0) return;
    if (::chmod(path.c_str(), (st.st_mode & 0700) | (wanted & 0700)) != 0 && errno != EPERM)
        throw_errno("cannot restrict permissions of", path);
}

std::filesystem::path data_dir(const std::optional<std::filesystem::path>& override_dir) {
    std::filesystem::path dir = override_dir ? *override_dir : default_data_dir();
    if (dir.empty()) throw std::runtime_error("the data directory is empty");
    dir = std::filesystem::absolute(dir);
    create_private_directory(dir);
    return dir;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
    std::filesystem::path temp = path;
    temp += ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    // Errors name the file the caller asked for: the temporary name is ours, not the user's.
    if (fd < 0) throw_errno("cannot create", path);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int saved = errno;
            ::close(fd);
            ::unlink(temp.c_str());
            errno = saved;
            throw_errno("cannot write", path);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(temp.c_str());
        throw_errno("cannot write", path);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        ::unlink(temp.c_str());
        throw_errno("cannot replace", path);
    }
    fsync_path(path.has_parent_path() ? path.parent_path() : std::filesystem::path("."), O_RDONLY | O_DIRECTORY);
}

}  // namespace imrdesk::platform
