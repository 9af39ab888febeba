#pragma once
// imrdesk-cli: the client core without a window, for IT support, scripts and tests.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "imrdesk/client/names_scan.hpp"
#include "imrdesk/client/vault.hpp"
#include "imrdesk/client/workspace.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::cli {

// Exit codes, documented in README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitAccessDenied = 3;  // wrong passphrase or recovery key, unlock delayed
inline constexpr int kExitVerifyFailed = 4;
inline constexpr int kExitInvalidInput = 5;  // the input was refused (invalid rows, fields)
inline constexpr int kExitOffline = 6;       // the server could not be reached (try again later)
inline constexpr int kExitConflicts = 7;     // sync finished, but conflicts wait for the author

// A failure with its exit code; main prints "imrdesk-cli: <message>" on stderr.
class Failure : public std::runtime_error {
public:
    Failure(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    [[nodiscard]] int code() const noexcept { return code_; }

private:
    int code_;
};

struct GlobalOptions {
    std::optional<std::string> data_dir;
    std::optional<std::string> profile;
    std::optional<std::string> passphrase_file;
    std::optional<int> passphrase_fd;
};

// Everything a command needs: where the data is and how to get secrets.
class Context {
public:
    // Refers to the options the parser fills in; they are read when a command runs.
    explicit Context(const GlobalOptions& options) : options_(options) {}

    [[nodiscard]] std::filesystem::path data_dir() const;
    // The profile named by --profile, else the only one; a clear error otherwise.
    [[nodiscard]] std::string profile_name() const;
    [[nodiscard]] std::filesystem::path vault_path() const;

    // The current passphrase: --passphrase-file, --passphrase-fd, or a prompt without echo.
    [[nodiscard]] crypto::SecureBuffer passphrase(const char* prompt) const;
    // A new passphrase: from new_file / new_fd when given, else asked twice on the terminal.
    // Checked against the passphrase policy.
    [[nodiscard]] crypto::SecureBuffer new_passphrase(const std::optional<std::string>& new_file,
                                                      const std::optional<int>& new_fd) const;

    // Unlocks the profile and loads its model.
    [[nodiscard]] std::unique_ptr<client::Workspace> open_workspace() const;

    [[nodiscard]] const GlobalOptions& options() const noexcept { return options_; }

private:
    const GlobalOptions& options_;
};

crypto::SecureBuffer read_secret_from_fd(int fd, const std::string& what);
crypto::SecureBuffer read_secret_from_file(const std::string& path);
crypto::SecureBuffer read_secret_from_terminal(const char* prompt);

// Reads a whole file, or standard input for "-"; refuses more than max_bytes.
std::string read_input(const std::optional<std::string>& path, std::size_t max_bytes, const std::string& what);

void register_profile_commands(CLI::App& app, Context& context);
void register_imr_commands(CLI::App& app, Context& context);
void register_chronology_commands(CLI::App& app, Context& context);
void register_demo_command(CLI::App& app, Context& context);
// enrol, sync, conflicts, imr submit (after register_imr_commands)
void register_sync_commands(CLI::App& app, Context& context);
// imr export, chronology export (after register_imr_commands and register_chronology_commands)
void register_export_commands(CLI::App& app, Context& context);
// case status, query add | list | answer | close | reopen
void register_review_commands(CLI::App& app, Context& context);
// names add | list | remove | scan
void register_names_commands(CLI::App& app, Context& context);
// The en-GB dictionary for name scans, or none (with a warning on stderr).
std::function<bool(std::string_view)> dictionary_or_warn();
// What looks like a name in the IMR and is not registered (for anonymised exports to refuse).
std::vector<client::NameFinding> unregistered_names(const client::ImrDocument& doc);
void print_name_findings(const std::vector<client::NameFinding>& findings, std::FILE* out);

}  // namespace imrdesk::cli
