#pragma once
// The operating system's files, descriptors and terminal, for what the programs read themselves
// (a passphrase from a file, a descriptor or the terminal with echo off; a TLS key file) and
// small facts (is standard error a terminal, the computer's name). POSIX here (io.cpp); a Windows
// build needs only another source behind this header. Errors are std::system_error with the
// operating system's reason; callers add what and where.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace imrdesk::platform {

// A file opened for reading only (never a terminal that would become the controlling one),
// closed when destroyed.
class ReadOnlyFile {
public:
    explicit ReadOnlyFile(const std::filesystem::path& path);  // throws std::system_error
    ~ReadOnlyFile();
    ReadOnlyFile(const ReadOnlyFile&) = delete;
    ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;

    // What the open file is (not what the path names now): no race with a rename.
    [[nodiscard]] bool is_regular() const;
    [[nodiscard]] bool readable_by_others() const;  // any group or other permission bit
    [[nodiscard]] std::uint64_t size() const;
    // Up to out.size() bytes; 0 at the end of the file. Retries when interrupted.
    std::size_t read(std::span<char> out);
    [[nodiscard]] int descriptor() const noexcept { return fd_; }

private:
    int fd_ = -1;
};

// Reads one byte at a time from an open descriptor (standard input, --passphrase-fd N, a file)
// until a newline or the end, so that nothing past the line is consumed. Returns the bytes before
// the newline; out.size() when the line did not fit. Retries when interrupted.
std::size_t read_line(int descriptor, std::span<char> out);

// The controlling terminal, opened to ask for a secret: what is typed is not echoed while a
// line is read, and the terminal's mode is restored when this is destroyed.
class SecretPrompt {
public:
    // nullopt when the process has no controlling terminal.
    [[nodiscard]] static std::optional<SecretPrompt> open();
    ~SecretPrompt();
    SecretPrompt(SecretPrompt&& other) noexcept;
    SecretPrompt& operator=(SecretPrompt&&) = delete;
    SecretPrompt(const SecretPrompt&) = delete;
    SecretPrompt& operator=(const SecretPrompt&) = delete;

    void say(std::string_view text);
    // One line, not echoed (the newline is echoed, so the next output starts on a line of its own).
    std::size_t read_secret_line(std::span<char> out);

private:
    explicit SecretPrompt(int fd) noexcept : fd_(fd) {}
    void restore() noexcept;
    int fd_ = -1;
    bool echo_off_ = false;
    alignas(8) unsigned char saved_mode_[128] = {};  // the terminal's mode before (termios, opaque here)
};

[[nodiscard]] bool standard_error_is_terminal() noexcept;
// The computer's name as the operating system gives it ("" when it gives none).
[[nodiscard]] std::string host_name();

}  // namespace imrdesk::platform
