#include "imrdesk/platform/io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

namespace imrdesk::platform {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
    const int error = errno;  // before anything else can change it
    throw std::system_error(error, std::generic_category(), what);
}

struct stat stat_of(int fd) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) throw_errno("fstat");
    return info;
}

}  // namespace

// ---- ReadOnlyFile ------------------------------------------------------------------------------

ReadOnlyFile::ReadOnlyFile(const std::filesystem::path& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY)) {
    if (fd_ < 0) throw_errno(path.string());
}

ReadOnlyFile::~ReadOnlyFile() {
    if (fd_ >= 0) ::close(fd_);
}

bool ReadOnlyFile::is_regular() const { return S_ISREG(stat_of(fd_).st_mode); }

bool ReadOnlyFile::readable_by_others() const { return (stat_of(fd_).st_mode & 0077) != 0; }

std::uint64_t ReadOnlyFile::size() const {
    const auto info = stat_of(fd_);
    return info.st_size < 0 ? 0 : static_cast<std::uint64_t>(info.st_size);
}

std::size_t ReadOnlyFile::read(std::span<char> out) {
    for (;;) {
        const ssize_t n = ::read(fd_, out.data(), out.size());
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) throw_errno("read");
    }
}

// ---- lines -------------------------------------------------------------------------------------

std::size_t read_line(int descriptor, std::span<char> out) {
    std::size_t length = 0;
    while (length < out.size()) {
        const ssize_t n = ::read(descriptor, out.data() + length, 1);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("read");
        }
        if (n == 0 || out[length] == '\n') break;
        ++length;
    }
    return length;
}

// ---- SecretPrompt ------------------------------------------------------------------------------

static_assert(sizeof(termios) <= 128 && alignof(termios) <= 8, "SecretPrompt::saved_mode_ holds a termios");

std::optional<SecretPrompt> SecretPrompt::open() {
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return std::nullopt;
    return SecretPrompt(fd);
}

SecretPrompt::SecretPrompt(SecretPrompt&& other) noexcept : fd_(other.fd_), echo_off_(other.echo_off_) {
    std::memcpy(saved_mode_, other.saved_mode_, sizeof saved_mode_);
    other.fd_ = -1;
    other.echo_off_ = false;
}

SecretPrompt::~SecretPrompt() {
    restore();
    if (fd_ >= 0) ::close(fd_);
}

void SecretPrompt::restore() noexcept {
    if (echo_off_) {
        termios mode{};
        std::memcpy(&mode, saved_mode_, sizeof mode);
        ::tcsetattr(fd_, TCSAFLUSH, &mode);
    }
    echo_off_ = false;
}

void SecretPrompt::say(std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd_, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return;  // a prompt that cannot be shown does not stop the reading
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::size_t SecretPrompt::read_secret_line(std::span<char> out) {
    termios mode{};
    if (::tcgetattr(fd_, &mode) == 0) {
        std::memcpy(saved_mode_, &mode, sizeof mode);
        termios silent = mode;
        silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        silent.c_lflag |= ECHONL;
        echo_off_ = ::tcsetattr(fd_, TCSAFLUSH, &silent) == 0;
    }
    struct Restore {
        SecretPrompt& prompt;
        ~Restore() { prompt.restore(); }
    } restore_after{*this};
    return read_line(fd_, out);
}

// ---- facts -------------------------------------------------------------------------------------

bool standard_error_is_terminal() noexcept { return ::isatty(STDERR_FILENO) == 1; }

std::string host_name() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) return {};
    return host;
}

}  // namespace imrdesk::platform
