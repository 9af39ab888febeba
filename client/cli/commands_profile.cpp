// profile create | list | passwd | recover, verify, audit
#include <cstdio>
#include <ctime>

#include "cli.hpp"
#include "imrdesk/client/backup.hpp"
#include "imrdesk/client/profiles.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/platform/paths.hpp"

namespace imrdesk::cli {
namespace {

struct NewPassphraseArgs {
    std::optional<std::string> file;
    std::optional<int> fd;
    void add_to(CLI::App* command) {
        command->add_option("--new-passphrase-file", file, "Read the new passphrase from a file (mode 600)");
        command->add_option("--new-passphrase-fd", fd, "Read the new passphrase from an open file descriptor");
    }
};

std::string format_time(std::int64_t unix_seconds) {
    return platform::format_time(unix_seconds, "%Y-%m-%d %H:%M:%SZ", platform::Zone::Utc);
}

}  // namespace

void register_profile_commands(CLI::App& app, Context& context) {
    auto* profile = app.add_subcommand("profile", "Create, list and look after profiles (one encrypted vault each)");
    profile->require_subcommand(1);

    struct CreateArgs {
        std::string name;
        std::string kdf = "calibrated";
        int kdf_ms = 700;
    };
    auto create_args = std::make_shared<CreateArgs>();
    auto* create = profile->add_subcommand("create", "Create a profile and print its recovery key, once");
    create->add_option("--name", create_args->name, "Profile name (letters, digits, spaces, - _ .)")->required();
    create->add_option("--kdf", create_args->kdf,
                       "Key derivation cost: 'calibrated' (about --kdf-ms on this machine, 256 MiB where possible) or "
                       "'interactive' (libsodium's interactive limits: for slow machines and tests)")
        ->check(CLI::IsMember({"calibrated", "interactive"}));
    create->add_option("--kdf-ms", create_args->kdf_ms, "Target unlock time in milliseconds for 'calibrated'")
        ->check(CLI::Range(100, 10000));
    create->callback([&context, create_args] {
        const auto data_dir = context.data_dir();
        std::filesystem::path file;
        try {
            file = client::vault_file(data_dir, create_args->name);
        } catch (const std::invalid_argument& e) {
            throw Failure(kExitUsage, "--name: " + std::string(e.what()));
        }
        if (std::filesystem::exists(file))
            throw Failure(kExitUsage, "a profile named '" + create_args->name + "' already exists in " + data_dir.string());
        const auto passphrase = context.new_passphrase(context.options().passphrase_file, context.options().passphrase_fd);
        client::CreateOptions options;
        if (create_args->kdf == "interactive") options.kdf = crypto::kdf::interactive();
        options.calibration.duration = std::chrono::milliseconds(create_args->kdf_ms);
        std::fprintf(stderr, "Creating profile '%s' (measuring this machine for the key derivation)...\n",
                     create_args->name.c_str());
        auto created = client::Vault::create(file, passphrase.view(), options);
        const auto params = created.vault->kdf_params();
        std::printf("Profile '%s' created in %s\n", create_args->name.c_str(), file.parent_path().c_str());
        std::printf("Key derivation: Argon2id, %llu MiB, %llu passes\n",
                    static_cast<unsigned long long>(params.memlimit >> 20),
                    static_cast<unsigned long long>(params.opslimit));
        std::printf("\nRecovery key (shown once: write it down and keep it apart from this laptop;\n"
                    "it opens the profile if the passphrase is forgotten):\n\n    %s\n",
                    created.recovery_key.c_str());
        crypto::wipe(created.recovery_key);
    });

    auto* list = profile->add_subcommand("list", "List the profiles in the data directory");
    list->callback([&context] {
        const auto data_dir = context.data_dir();
        const auto profiles = client::list_profiles(data_dir);
        if (profiles.empty()) {
            std::printf("No profiles in %s\n", data_dir.c_str());
            return;
        }
        for (const auto& p : profiles)
            std::printf("%-24s %8.1f MiB  %s\n", p.name.c_str(), static_cast<double>(p.size_bytes) / (1024.0 * 1024.0),
                        p.vault_file.c_str());
    });

    auto passwd_args = std::make_shared<NewPassphraseArgs>();
    auto* passwd = profile->add_subcommand("passwd", "Change the passphrase (the records are not re-encrypted)");
    passwd_args->add_to(passwd);
    passwd->callback([&context, passwd_args] {
        const auto path = context.vault_path();
        if (!std::filesystem::exists(path)) throw Failure(kExitUsage, "there is no profile '" + context.profile_name() + "'");
        const auto current = context.passphrase("Current passphrase: ");
        auto vault = client::Vault::open(path, current.view());
        const auto chosen = context.new_passphrase(passwd_args->file, passwd_args->fd);
        vault->change_passphrase(chosen.view());
        std::printf("Passphrase changed for profile '%s'\n", context.profile_name().c_str());
    });

    struct RecoverArgs {
        std::string recovery_key;
        NewPassphraseArgs new_passphrase;
    };
    auto recover_args = std::make_shared<RecoverArgs>();
    auto* recover = profile->add_subcommand("recover", "Open with the recovery key and set a new passphrase");
    recover->add_option("--recovery-key", recover_args->recovery_key, "The recovery key shown when the profile was created")
        ->required();
    recover_args->new_passphrase.add_to(recover);
    recover->callback([&context, recover_args] {
        const auto path = context.vault_path();
        if (!std::filesystem::exists(path)) throw Failure(kExitUsage, "there is no profile '" + context.profile_name() + "'");
        auto file = recover_args->new_passphrase.file ? recover_args->new_passphrase.file : context.options().passphrase_file;
        auto fd = recover_args->new_passphrase.fd ? recover_args->new_passphrase.fd : context.options().passphrase_fd;
        const auto chosen = context.new_passphrase(file, fd);
        auto vault = client::Vault::recover(path, recover_args->recovery_key, chosen.view());
        crypto::wipe(recover_args->recovery_key);
        std::printf("Profile '%s' recovered: the new passphrase is set. The recovery key stays valid.\n",
                    context.profile_name().c_str());
    });

    auto backup_to = std::make_shared<std::string>();
    auto* backup = profile->add_subcommand(
        "backup", "Copy the profile's vault (still encrypted) to a file: consistent even while imrdesk has it open");
    backup->add_option("--to", *backup_to, "The backup file to write (must not exist)")->required();
    backup->callback([&context, backup_to] {
        const auto path = context.vault_path();
        if (!std::filesystem::exists(path)) throw Failure(kExitUsage, "there is no profile '" + context.profile_name() + "'");
        if (std::filesystem::exists(*backup_to))
            throw Failure(kExitUsage, "--to: " + *backup_to + " already exists: choose a new name (a backup never overwrites)");
        const auto info = client::backup_profile(path, *backup_to);
        std::printf("Backup of profile '%s' written to %s (%.1f MiB).\n"
                    "It is the encrypted vault: it opens with the passphrase or recovery key the profile has now.\n"
                    "Put it back with: imrdesk-cli --profile '%s' profile restore %s\n",
                    context.profile_name().c_str(), info.file.c_str(), static_cast<double>(info.bytes) / (1024.0 * 1024.0),
                    context.profile_name().c_str(), info.file.c_str());
    });

    auto restore_from = std::make_shared<std::string>();
    auto* restore = profile->add_subcommand(
        "restore", "Put a backup back in place of the profile's vault (kept beside it); the profile must be closed");
    restore->add_option("FROM", *restore_from, "The backup file")->required();
    restore->callback([&context, restore_from] {
        // The profile may not exist yet (a new laptop): --profile names it, else the only one.
        const auto path = context.vault_path();
        const auto replaced = client::restore_profile(*restore_from, path);
        std::printf("Restored %s as %s.\n", restore_from->c_str(), path.c_str());
        if (!replaced.empty()) std::printf("The vault it replaced is kept as %s.\n", replaced.c_str());
        std::printf("It opens with the passphrase the profile had when the backup was taken. The next sync sends\n"
                    "what it holds and gets back from the server what was sent after the backup.\n");
    });

    auto* verify = app.add_subcommand("verify", "Check the vault: SQLite integrity, every record, the audit trail");
    verify->callback([&context] {
        const auto path = context.vault_path();
        if (!std::filesystem::exists(path)) throw Failure(kExitUsage, "there is no profile '" + context.profile_name() + "'");
        const auto secret = context.passphrase("Passphrase: ");
        auto vault = client::Vault::open(path, secret.view());
        const auto report = vault->verify();
        for (const auto& problem : report.problems) std::printf("PROBLEM: %s\n", problem.c_str());
        std::printf("%zu records and %zu audit entries checked: %s\n", report.records_checked,
                    report.audit_entries_checked, report.ok() ? "no problems found" : "PROBLEMS FOUND");
        if (!report.ok())
            throw Failure(kExitVerifyFailed, std::to_string(report.problems.size()) + " problem(s) found in " + path.string());
    });

    auto* audit = app.add_subcommand("audit", "Show the profile's audit trail");
    audit->callback([&context] {
        const auto secret = context.passphrase("Passphrase: ");
        auto vault = client::Vault::open(context.vault_path(), secret.view());
        for (const auto& entry : vault->audit_entries())
            std::printf("%6lld  %s  %-28s %s\n", static_cast<long long>(entry.sequence), format_time(entry.at).c_str(),
                        entry.event.c_str(), entry.details.is_null() ? "" : entry.details.dump().substr(0, 160).c_str());
    });
}

}  // namespace imrdesk::cli
