#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <system_error>

#include "cli.hpp"
#include "imrdesk/client/sync_replica.hpp"
#include "imrdesk/client/passphrase_policy.hpp"
#include "imrdesk/client/profiles.hpp"
#include "imrdesk/platform/io.hpp"
#include "imrdesk/platform/paths.hpp"

namespace imrdesk::cli {
namespace {

constexpr std::size_t kMaxSecret = 4096;

crypto::SecureBuffer trim_line(const crypto::SecureBuffer& raw, std::size_t length) {
    while (length > 0 && (raw.data()[length - 1] == '\n' || raw.data()[length - 1] == '\r')) --length;
    crypto::SecureBuffer out(length);
    std::memcpy(out.data(), raw.data(), length);
    return out;
}

}  // namespace

namespace {

// The line read into `buffer` (length bytes), as the secret: checked and without its line end.
crypto::SecureBuffer finish_secret(const crypto::SecureBuffer& buffer, std::size_t length, const std::string& what) {
    if (length == kMaxSecret) throw Failure(kExitUsage, "the passphrase from " + what + " is longer than 4096 bytes");
    auto secret = trim_line(buffer, length);
    if (secret.empty()) throw Failure(kExitUsage, "the passphrase from " + what + " is empty");
    return secret;
}

std::span<char> chars_of(crypto::SecureBuffer& buffer) { return {reinterpret_cast<char*>(buffer.data()), buffer.size()}; }

}  // namespace

crypto::SecureBuffer read_secret_from_fd(int fd, const std::string& what) {
    crypto::SecureBuffer buffer(kMaxSecret);
    std::size_t length = 0;
    try {
        length = platform::read_line(fd, chars_of(buffer));
    } catch (const std::system_error& e) {
        throw Failure(kExitError, "cannot read the passphrase from " + what + ": " + e.code().message());
    }
    return finish_secret(buffer, length, what);
}

crypto::SecureBuffer read_secret_from_file(const std::string& path) {
    // Checked before opening: opening a FIFO with no writer would wait for ever.
    if (std::string why = platform::not_a_regular_file(path); !why.empty()) {
        if (why.rfind("it is a pipe", 0) == 0) why = "it is a pipe: pass a passphrase through a pipe with --passphrase-fd N";
        throw Failure(kExitUsage, "cannot use passphrase file " + path + ": " + why);
    }
    std::optional<platform::ReadOnlyFile> file;
    try {
        file.emplace(path);
    } catch (const std::system_error& e) {
        throw Failure(kExitUsage, "cannot open passphrase file " + path + ": " + e.code().message());
    }
    bool others = false;
    try {
        others = file->readable_by_others();
    } catch (const std::system_error&) {
    }
    if (others) throw Failure(kExitUsage, "passphrase file " + path + " can be read by other users: run 'chmod 600 " + path + "'");
    return read_secret_from_fd(file->descriptor(), "file " + path);
}

crypto::SecureBuffer read_secret_from_terminal(const char* prompt) {
    auto tty = platform::SecretPrompt::open();
    if (!tty)
        throw Failure(kExitUsage, "no passphrase given and no terminal to ask on: use --passphrase-file PATH or --passphrase-fd N");
    tty->say(prompt);
    crypto::SecureBuffer buffer(kMaxSecret);
    std::size_t length = 0;
    try {
        length = tty->read_secret_line(chars_of(buffer));
    } catch (const std::system_error& e) {
        throw Failure(kExitError, "cannot read the passphrase from the terminal: " + e.code().message());
    }
    return finish_secret(buffer, length, "the terminal");
}

std::string read_input(const std::optional<std::string>& path, std::size_t max_bytes, const std::string& what) {
    std::string data;
    if (!path || *path == "-") {
        char buffer[65536];
        std::size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
            data.append(buffer, n);
            if (data.size() > max_bytes) throw Failure(kExitInvalidInput, what + " from standard input is too large");
        }
        return data;
    }
    std::error_code ec;
    if (const std::string why = platform::not_a_regular_file(*path); !why.empty())
        throw Failure(kExitUsage, "cannot read " + *path + ": " + why);
    const auto size = std::filesystem::file_size(*path, ec);
    if (!ec && size > max_bytes)
        throw Failure(kExitInvalidInput, *path + " is " + std::to_string(size / (1024 * 1024)) + " MiB: larger than " + what + " can be (" +
                                             std::to_string(max_bytes / (1024 * 1024)) + " MiB)");
    std::ifstream in(*path, std::ios::binary);
    if (!in) throw Failure(kExitUsage, "cannot read " + *path);
    data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return data;
}

std::filesystem::path Context::data_dir() const {
    std::optional<std::filesystem::path> override_dir;
    if (options_.data_dir) override_dir = *options_.data_dir;
    return platform::data_dir(override_dir);
}

std::string Context::profile_name() const {
    if (options_.profile) {
        try {
            client::check_profile_name(*options_.profile);
        } catch (const std::invalid_argument& e) {
            throw Failure(kExitUsage, "--profile: " + std::string(e.what()));
        }
        return *options_.profile;
    }
    const auto profiles = client::list_profiles(data_dir());
    if (profiles.size() == 1) return profiles.front().name;
    if (profiles.empty())
        throw Failure(kExitUsage, "there is no profile in " + data_dir().string() +
                                      ": create one with 'imrdesk-cli profile create --name NAME'");
    std::string names;
    for (const auto& p : profiles) names += (names.empty() ? "" : ", ") + p.name;
    throw Failure(kExitUsage, "several profiles exist (" + names + "): choose one with --profile NAME");
}

std::filesystem::path Context::vault_path() const { return client::vault_file(data_dir(), profile_name()); }

crypto::SecureBuffer Context::passphrase(const char* prompt) const {
    if (options_.passphrase_file) return read_secret_from_file(*options_.passphrase_file);
    if (options_.passphrase_fd) return read_secret_from_fd(*options_.passphrase_fd, "descriptor " + std::to_string(*options_.passphrase_fd));
    return read_secret_from_terminal(prompt);
}

crypto::SecureBuffer Context::new_passphrase(const std::optional<std::string>& new_file, const std::optional<int>& new_fd) const {
    crypto::SecureBuffer chosen;
    if (new_file) {
        chosen = read_secret_from_file(*new_file);
    } else if (new_fd) {
        chosen = read_secret_from_fd(*new_fd, "descriptor " + std::to_string(*new_fd));
    } else {
        chosen = read_secret_from_terminal("New passphrase: ");
        const auto again = read_secret_from_terminal("New passphrase again: ");
        if (!crypto::equal_constant_time(chosen.bytes(), again.bytes()))
            throw Failure(kExitUsage, "the two passphrases differ; nothing was changed");
    }
    const auto strength = client::assess_passphrase(chosen.view());
    if (!strength.acceptable) throw Failure(kExitUsage, "the new passphrase is too weak: " + strength.advice);
    return chosen;
}

std::unique_ptr<client::Workspace> Context::open_workspace() const {
    const auto path = vault_path();
    if (!std::filesystem::exists(path))
        throw Failure(kExitUsage, "there is no profile '" + profile_name() + "' in " + data_dir().string());
    const auto secret = passphrase("Passphrase: ");
    auto workspace = std::make_unique<client::Workspace>(client::Vault::open(path, secret.view()));
    for (const auto& problem : workspace->load_problems())
        std::fprintf(stderr, "imrdesk-cli: warning: %s (run 'imrdesk-cli verify')\n", problem.message.c_str());
    // Sync's view of access (submitted IMRs, reviewer copies) applies to every command.
    { const client::VaultReplica replica(*workspace); }
    return workspace;
}

}  // namespace imrdesk::cli
