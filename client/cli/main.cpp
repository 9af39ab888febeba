// imrdesk-cli: the imrdesk client core without a window.
#include <cstdio>

#include <sqlite3.h>

#include "cli.hpp"
#include "imrdesk/client/sqlite.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/platform/file_lock.hpp"
#include "imrdesk/platform/process.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/sync/tls.hpp"

int main(int argc, char** argv) {
    using namespace imrdesk;
    sync::tls::zero_freed_memory();  // before anything uses OpenSSL
    try {
        platform::harden_process();
        crypto::init();  // libsodium, before any key is made
    } catch (const std::exception& e) {
        std::fprintf(stderr, "imrdesk-cli: %s\n", e.what());
        return cli::kExitError;
    }

    CLI::App app{"imrdesk-cli: Individual Management Reviews, offline and encrypted (no window)", "imrdesk-cli"};
    app.set_version_flag("--version", "imrdesk-cli 0.1.0");
    app.require_subcommand(1);
    cli::GlobalOptions options;
    app.add_option("--data-dir", options.data_dir, "Data directory (default: $XDG_DATA_HOME/imrdesk)");
    app.add_option("--profile", options.profile, "Profile name (default: the only profile)");
    auto* file_opt = app.add_option("--passphrase-file", options.passphrase_file, "Read the passphrase from a file (mode 600)");
    auto* fd_opt = app.add_option("--passphrase-fd", options.passphrase_fd, "Read the passphrase from an open file descriptor");
    file_opt->excludes(fd_opt);

    cli::Context context(options);
    cli::register_profile_commands(app, context);
    cli::register_imr_commands(app, context);
    cli::register_chronology_commands(app, context);
    cli::register_demo_command(app, context);
    cli::register_sync_commands(app, context);
    cli::register_names_commands(app, context);
    cli::register_review_commands(app, context);
    cli::register_export_commands(app, context);

    try {
        app.parse(argc, argv);
        return cli::kExitOk;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "imrdesk-cli: %s (see 'imrdesk-cli --help')\n", e.what());
        return cli::kExitUsage;
    } catch (const cli::Failure& e) {
        std::fprintf(stderr, "imrdesk-cli: %s\n", e.what());
        return e.code();
    } catch (const client::WrongPassphrase& e) {
        std::fprintf(stderr, "imrdesk-cli: %s\n", e.what());
        return cli::kExitAccessDenied;
    } catch (const client::UnlockDelayed& e) {
        std::fprintf(stderr, "imrdesk-cli: %s\n", e.what());
        return cli::kExitAccessDenied;
    } catch (const client::WrongRecoveryKey& e) {
        std::fprintf(stderr, "imrdesk-cli: %s\n", e.what());
        return cli::kExitAccessDenied;
    } catch (const crypto::FormatError& e) {
        std::fprintf(stderr, "imrdesk-cli: %s\n", e.what());
        return cli::kExitUsage;
    } catch (const client::ValidationError& e) {
        std::fprintf(stderr, "imrdesk-cli: refused: %s\n", e.what());
        return cli::kExitInvalidInput;
    } catch (const client::VaultDamaged& e) {
        std::fprintf(stderr, "imrdesk-cli: %s\n", e.what());
        return cli::kExitVerifyFailed;
    } catch (const client::VaultTampered& e) {
        std::fprintf(stderr, "imrdesk-cli: %s. Restore a backup (imrdesk-cli profile restore) or contact IT support\n",
                     e.what());
        return cli::kExitVerifyFailed;
    } catch (const platform::sql::Error& e) {
        if (client::is_damage(e.code())) {  // found after opening, in a page read later
            std::fprintf(stderr, "imrdesk-cli: %s\n", client::VaultDamaged(e.file(), e.what()).what());
            return cli::kExitVerifyFailed;
        }
        if ((e.code() & 0xff) == SQLITE_FULL) {
            std::fprintf(stderr, "imrdesk-cli: the disk is full%s: nothing was saved. Free some space and run the command again.\n",
                         e.file().empty() ? "" : (" (" + e.file().parent_path().string() + ")").c_str());
            return cli::kExitError;
        }
        std::fprintf(stderr, "imrdesk-cli: %s\n", e.what());
        return cli::kExitError;
    } catch (const platform::LockedByOtherProcess& e) {
        std::fprintf(stderr, "imrdesk-cli: %s\n", e.what());
        return cli::kExitError;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "imrdesk-cli: %s\n", e.what());
        return cli::kExitError;
    }
}
