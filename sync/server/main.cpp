// imrdesk-server: the central sync server and its admin commands (run against the same store,
// also while servers are serving: SQLite's WAL, or PostgreSQL, lets them share it).
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "imrdesk/platform/clock.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/platform/process.hpp"
#include "imrdesk/shared/partial_date.hpp"
#include "imrdesk/sync/digest.hpp"
#include "imrdesk/sync/enrolment_code.hpp"
#include "imrdesk/sync/log.hpp"
#include "imrdesk/sync/server/server.hpp"
#include "imrdesk/sync/server/store.hpp"
#include "imrdesk/sync/tls.hpp"

namespace {

using namespace imrdesk;
using namespace imrdesk::sync;

constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

// A failure to report on one line and exit with.
struct Failure : std::runtime_error {
    Failure(int exit_code, const std::string& what) : std::runtime_error(what), code(exit_code) {}
    int code;
};

std::string format_time(std::int64_t t) { return platform::format_time(t, "%Y-%m-%d %H:%M UTC", platform::Zone::Utc); }

std::optional<domain::CivilDate> parse_day(const std::string& text, const char* option) {
    if (text.empty()) return std::nullopt;
    try {
        const auto date = domain::parse_date(text);
        if (date.end || date.start.precision != domain::DatePrecision::Day) {
            throw Failure(kExitUsage, std::string(option) + " needs a full date (e.g. 2026-06-30 or 30/06/2026), not '" + text + "'");
        }
        return date.start.first_day();
    } catch (const domain::DateError& e) {
        throw Failure(kExitUsage, std::string(option) + " '" + text + "': " + e.what());
    }
}

// HOST:PORT or [IPv6]:PORT.
std::pair<std::string, std::uint16_t> split_address(const std::string& text, const char* option) {
    std::string host;
    std::string port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            throw Failure(kExitUsage, std::string(option) + " '" + text + "': expected [IPv6]:PORT");
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos || colon == 0) throw Failure(kExitUsage, std::string(option) + " '" + text + "': expected HOST:PORT");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    int value = 0;
    try {
        std::size_t used = 0;
        value = std::stoi(port, &used);
        if (used != port.size()) value = -1;
    } catch (const std::exception&) {
        value = -1;
    }
    if (value < 0 || value > 65535) throw Failure(kExitUsage, std::string(option) + " '" + text + "': the port must be 0 to 65535");
    return {host, static_cast<std::uint16_t>(value)};
}

struct Options {
    std::optional<std::filesystem::path> data_dir;
    std::string store;                // --store: empty for the data directory's server.db
    std::string key_passphrase_file;  // --key-passphrase-file
};

std::filesystem::path data_dir(const Options& o) {
    if (o.data_dir) {
        platform::create_private_directory(*o.data_dir);
        return *o.data_dir;
    }
    const char* xdg = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    std::filesystem::path base = (xdg != nullptr && *xdg != '\0') ? std::filesystem::path(xdg)
                                 : home != nullptr                ? std::filesystem::path(home) / ".local/share"
                                                                  : std::filesystem::path(".");
    const auto dir = base / "imrdesk-server";
    platform::create_private_directory(dir);
    return dir;
}

std::filesystem::path address_file(const Options& o) { return data_dir(o) / "address"; }

server::StoreLocation store_location(const Options& o) {
    if (o.store.empty()) return server::StoreLocation::sqlite(data_dir(o) / "server.db");
    return server::StoreLocation::parse(o.store);
}

// A single-machine SQLite store is brought up to date when opened, as it always was. Several
// servers share a PostgreSQL store: one `migrate` by the operator changes its schema, never a
// server that happens to start first (an empty database is still given its schema).
std::unique_ptr<server::Store> open_store(const Options& o, std::optional<server::StoreOpen> mode = std::nullopt) {
    const auto location = store_location(o);
    server::StoreOptions options;
    options.open = mode.value_or(location.kind == server::StoreLocation::Kind::Postgres ? server::StoreOpen::RequireCurrent
                                                                                          : server::StoreOpen::Migrate);
    return std::make_unique<server::Store>(location, server::system_clock_now, options);
}

// The passphrase the server key is sealed under: the file's first line (a file, so that it is
// not in the process list or the shell history; it should be readable by the server's user only).
std::optional<std::string> key_passphrase(const Options& o) {
    if (o.key_passphrase_file.empty()) return std::nullopt;
    const auto& path = o.key_passphrase_file;
    if (const std::string why = platform::not_a_regular_file(path); !why.empty())
        throw Failure(kExitUsage, "cannot read the key passphrase file " + path + ": " + why);
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line)) throw Failure(kExitError, "cannot read the key passphrase file " + path);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.size() < 12) throw Failure(kExitUsage, "the key passphrase in " + path + " is shorter than 12 characters");
    return line;
}

// The key every server of the store presents. A data directory's server.key and server.crt of
// an earlier version are taken over into the store the first time (devices have pinned them).
tls::ServerIdentity server_identity(const Options& o, server::Store& store, bool* created = nullptr) {
    return store.server_identity(key_passphrase(o), data_dir(o), created);
}

// One terms-of-reference question per non-empty line, numbered from 1.
std::vector<domain::TorQuestion> read_tor_file(const std::string& path) {
    if (const std::string why = platform::not_a_regular_file(path); !why.empty())
        throw Failure(kExitUsage, "cannot read the terms of reference file " + path + ": " + why);
    std::error_code ec;
    if (std::filesystem::file_size(path, ec) > 1024 * 1024)
        throw Failure(kExitUsage, "the terms of reference file " + path + " is over 1 MiB: one question per line is expected");
    std::ifstream in(path);
    if (!in) throw Failure(kExitError, "cannot read the terms of reference file " + path);
    std::vector<domain::TorQuestion> out;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty()) continue;
        out.push_back({++n, line});
    }
    return out;
}

struct ServeLimits {
    std::size_t per_address = server::ServerOptions{}.max_connections_per_address;
    std::size_t unauthenticated = server::ServerOptions{}.max_unauthenticated;
};

int serve(const Options& o, const std::string& listen, const std::string& level, int threads, const ServeLimits& limits) {
    Logger log(log_level_from_string(level).value_or(LogLevel::Info));
    const auto dir = data_dir(o);
    bool created = false;
    const auto store_ptr = open_store(o);
    auto& store = *store_ptr;
    const auto identity = server_identity(o, store, &created);
    server::ServerOptions options;
    std::tie(options.host, options.port) = split_address(listen, "--listen");
    options.threads = threads;
    options.max_connections_per_address = limits.per_address;
    options.max_unauthenticated = limits.unauthenticated;
    server::Server srv(store, identity, options, log);
    srv.listen();
    log.info("store " + store.location().display() + ": " + store.schema_report());
    if (created) log.info("created the server key and certificate in the store");
    log.info("server key fingerprint (SHA-256 of the public key): " + tls::format_fingerprint(identity.fingerprint));
    // Where enrolment codes point by default (an admin can still give --address).
    const std::string advertised = (options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host) +
                                   ":" + std::to_string(srv.port());
    platform::write_file_atomically(dir / "address", advertised + "\n");
    // SIGINT/SIGTERM: finish what is in flight, then stop.
    asio::signal_set signals(srv.io(), SIGINT, SIGTERM);
    signals.async_wait([&](const std::error_code& ec, int signal) {
        if (ec) return;
        log.info(std::string("received ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") + "; stopping");
        srv.stop();
    });
    std::signal(SIGPIPE, SIG_IGN);
    srv.run();
    log.info("stopped cleanly");
    return kExitOk;
}

std::string read_address(const Options& o) {
    std::ifstream in(address_file(o));
    std::string line;
    if (in && std::getline(in, line) && !line.empty()) return line;
    return "127.0.0.1:" + std::to_string(server::kDefaultPort);
}

}  // namespace

int main(int argc, char** argv) {
    tls::zero_freed_memory();  // before anything uses OpenSSL
    try {
        platform::harden_process();
        crypto::init();  // libsodium, before any key is made
    } catch (const std::exception& e) {
        std::fprintf(stderr, "imrdesk-server: %s\n", e.what());
        return kExitError;
    }
    CLI::App app{"imrdesk-server: the central server for imrdesk (cases, device enrolment, sync)", "imrdesk-server"};
    app.set_version_flag("--version", server::kServerVersion);
    app.require_subcommand(1);
    Options o;
    app.add_option("--data-dir", o.data_dir, "Data directory (default: $XDG_DATA_HOME/imrdesk-server)");
    app.add_option("--store", o.store,
                   "The store: a file path or sqlite:PATH (default: the data directory's server.db), "
                   "or postgresql://USER@HOST/DATABASE");
    app.add_option("--key-passphrase-file", o.key_passphrase_file,
                   "A file whose first line is the passphrase the server key is sealed under in the store");

    // serve
    auto* serve_cmd = app.add_subcommand("serve", "Serve devices over TLS 1.3 until SIGINT/SIGTERM");
    std::string listen = "127.0.0.1:" + std::to_string(server::kDefaultPort);
    std::string level = "info";
    int threads = 2;
    serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
    serve_cmd->add_option("--log-level", level, "debug, info, warn or error")
        ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
        ->capture_default_str();
    serve_cmd->add_option("--threads", threads, "Network threads")->check(CLI::Range(1, 64))->capture_default_str();
    ServeLimits limits;
    serve_cmd->add_option("--max-connections-per-address", limits.per_address,
                          "Connections one address may hold (raise it for a board whose laptops share one NAT address, "
                          "or when the server sits behind a load balancer)")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    serve_cmd->add_option("--max-unauthenticated", limits.unauthenticated,
                          "Connections that have not logged in yet; past it the oldest of them is closed")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();

    // migrate
    auto* migrate_cmd = app.add_subcommand("migrate", "Create the store's schema or bring it up to this version");

    // fingerprint
    auto* fp_cmd = app.add_subcommand("fingerprint", "Print the server key's fingerprint (creates the key if none)");

    // case
    auto* case_cmd = app.add_subcommand("case", "Review cases");
    case_cmd->require_subcommand(1);
    auto* case_create = case_cmd->add_subcommand("create", "Create a case");
    std::string ref, title, tor_file, from, to, due;
    case_create->add_option("--ref", ref, "Case reference, e.g. 'SAR 2026-03'")->required();
    case_create->add_option("--title", title, "Title")->required();
    case_create->add_option("--tor-file", tor_file, "Terms of reference: one question per line");
    case_create->add_option("--period-from", from, "Review period start");
    case_create->add_option("--period-to", to, "Review period end");
    case_create->add_option("--due", due, "IMR due date");
    std::vector<std::string> create_agencies;
    case_create->add_option("--agency", create_agencies, "An agency expected to contribute an IMR (repeat for each)");
    auto* case_list = case_cmd->add_subcommand("list", "List cases");
    auto* case_update = case_cmd->add_subcommand("update", "Change a case: devices receive it at their next sync");
    std::string up_ref, up_title, up_tor, up_from, up_to, up_due;
    case_update->add_option("--ref", up_ref, "Case reference")->required();
    case_update->add_option("--title", up_title, "New title");
    case_update->add_option("--tor-file", up_tor, "New terms of reference: one question per line (replaces them all)");
    case_update->add_option("--period-from", up_from, "New review period start");
    case_update->add_option("--period-to", up_to, "New review period end");
    case_update->add_option("--due", up_due, "New IMR due date");
    std::vector<std::string> add_agencies, remove_agencies;
    case_update->add_option("--add-agency", add_agencies, "Expect an IMR from this agency too (repeatable)");
    case_update->add_option("--remove-agency", remove_agencies, "No longer expect an IMR from this agency (repeatable)");

    // enrol
    auto* enrol_cmd = app.add_subcommand("enrol", "Issue a one-time enrolment code for one device");
    std::string enrol_case, agency, role_text = "author", person, address;
    int hours = 72;
    enrol_cmd->add_option("--case", enrol_case, "Case reference")->required();
    enrol_cmd->add_option("--agency", agency, "Agency, e.g. 'County Council Adult Social Care'")->required();
    enrol_cmd->add_option("--role", role_text, "author or reviewer")->check(CLI::IsMember({"author", "reviewer"}))->capture_default_str();
    enrol_cmd->add_option("--person", person, "Who the code is for");
    enrol_cmd->add_option("--valid-hours", hours, "Hours until the code expires")->capture_default_str();
    enrol_cmd->add_option("--address", address, "HOST:PORT devices connect to (default: where the server last listened)");

    // tokens
    auto* tokens_cmd = app.add_subcommand("tokens", "Enrolment codes issued");
    tokens_cmd->require_subcommand(1);
    auto* tokens_list = tokens_cmd->add_subcommand("list", "List enrolment codes and their state");
    auto* tokens_revoke = tokens_cmd->add_subcommand("revoke", "Withdraw an unused enrolment code");
    std::string token_id;
    tokens_revoke->add_option("ID", token_id, "The code's id (tokens list)")->required();

    // devices
    auto* devices_cmd = app.add_subcommand("devices", "Enrolled devices");
    devices_cmd->require_subcommand(1);
    auto* devices_list = devices_cmd->add_subcommand("list", "List devices and what they are enrolled for");
    auto* devices_revoke = devices_cmd->add_subcommand("revoke", "Revoke a device: it is refused from its next connection");
    std::string device_id;
    devices_revoke->add_option("ID", device_id, "Device id or its first digits")->required();

    // status, verify, refusals
    auto* status_cmd = app.add_subcommand("status", "Per case: which agency has submitted, which is late");
    std::string status_case;
    status_cmd->add_option("--case", status_case, "Only this case");
    auto* verify_cmd = app.add_subcommand("verify", "Check the store's integrity and the server key");
    auto* digest_cmd = app.add_subcommand("digest", "A content hash of the records (all, or what one device may read)");
    std::string digest_device;
    digest_cmd->add_option("--device", digest_device, "Only what this device may read (its full id)");
    auto* refusals_cmd = app.add_subcommand("refusals", "The most recent refused requests");
    std::size_t refusal_count = 20;
    refusals_cmd->add_option("-n", refusal_count, "How many")->capture_default_str();

    try {
        app.parse(argc, argv);
        if (*serve_cmd) return serve(o, listen, level, threads, limits);
        if (*migrate_cmd) {
            const auto migrated = open_store(o, server::StoreOpen::Migrate);
            std::printf("%s: %s\n", migrated->location().display().c_str(), migrated->schema_report().c_str());
            return kExitOk;
        }
        const auto store_ptr = open_store(o);
        auto& store = *store_ptr;
        if (*fp_cmd) {
            const auto identity = server_identity(o, store);
            std::printf("%s\n", tls::format_fingerprint(identity.fingerprint).c_str());
            return kExitOk;
        }
        if (*case_create) {
            server::CaseRecord c;
            c.reference = ref;
            c.title = title;
            if (!tor_file.empty()) c.terms_of_reference = read_tor_file(tor_file);
            c.period_from = parse_day(from, "--period-from");
            c.period_to = parse_day(to, "--period-to");
            c.due = parse_day(due, "--due");
            c.agencies = create_agencies;
            store.create_case(c);
            std::printf("created case %s with %zu terms of reference question(s) and %zu expected agenc%s\n", ref.c_str(),
                        c.terms_of_reference.size(), c.agencies.size(), c.agencies.size() == 1 ? "y" : "ies");
            return kExitOk;
        }
        if (*case_update) {
            auto current = store.find_case(up_ref);
            if (!current) throw Failure(kExitError, "there is no case '" + up_ref + "' (see: case list)");
            if (!up_title.empty()) current->title = up_title;
            if (!up_tor.empty()) current->terms_of_reference = read_tor_file(up_tor);
            if (!up_from.empty()) current->period_from = parse_day(up_from, "--period-from");
            if (!up_to.empty()) current->period_to = parse_day(up_to, "--period-to");
            if (!up_due.empty()) current->due = parse_day(up_due, "--due");
            store.update_case(*current);
            if (!add_agencies.empty() || !remove_agencies.empty()) store.change_agencies(up_ref, add_agencies, remove_agencies);
            std::printf("updated case %s; devices receive it at their next sync\n", up_ref.c_str());
            return kExitOk;
        }
        if (*case_list) {
            for (const auto& c : store.cases()) {
                std::printf("%s\t%s\tToR %zu\tperiod %s to %s\tdue %s\n", c.reference.c_str(), c.title.c_str(),
                            c.terms_of_reference.size(), c.period_from ? c.period_from->iso().c_str() : "-",
                            c.period_to ? c.period_to->iso().c_str() : "-", c.due ? c.due->iso().c_str() : "-");
                for (const auto& a : c.agencies) std::printf("\texpects %s\n", a.c_str());
            }
            return kExitOk;
        }
        if (*enrol_cmd) {
            const auto identity = server_identity(o, store);
            const auto [host, port] = split_address(address.empty() ? read_address(o) : address, "--address");
            if (port == 0) throw Failure(kExitUsage, "--address needs the port devices connect to");
            if (host == "0.0.0.0" || host == "::") {
                throw Failure(kExitUsage, "the server listens on all addresses; give --address with the name devices use");
            }
            server::TokenRequest request{enrol_case, agency, *server::role_from_string(role_text), person, hours};
            const auto issued = store.issue_token(request);
            EnrolmentCode code;
            code.host = host;
            code.port = port;
            code.fingerprint = identity.fingerprint;
            code.token = issued.token;
            code.expires_at = std::chrono::sys_seconds(std::chrono::seconds(issued.expires_at));
            std::printf("enrolment code %s for %s (%s) in case %s%s\n", issued.id.c_str(), agency.c_str(), role_text.c_str(),
                        enrol_case.c_str(), person.empty() ? "" : (", for " + person).c_str());
            std::printf("server %s, key fingerprint %s\n", code.address().c_str(),
                        tls::format_fingerprint(identity.fingerprint).c_str());
            std::printf("works once, until %s\n", format_time(issued.expires_at).c_str());
            std::printf("%s\n", code.format().c_str());
            return kExitOk;
        }
        if (*tokens_list) {
            const auto now = server::system_clock_now();
            for (const auto& t : store.tokens()) {
                const std::string state = t.revoked ? "revoked"
                                          : t.used_at ? "used " + format_time(*t.used_at) + " by " + t.used_by.substr(0, 8)
                                          : now >= t.expires_at ? "expired " + format_time(t.expires_at)
                                                                : "valid until " + format_time(t.expires_at);
                std::printf("%s\t%s\t%s\t%s\t%s\t%s\n", t.id.c_str(), t.case_reference.c_str(), t.agency.c_str(),
                            std::string(server::to_string(t.role)).c_str(), t.person.empty() ? "-" : t.person.c_str(),
                            state.c_str());
            }
            return kExitOk;
        }
        if (*tokens_revoke) {
            store.revoke_token(token_id);
            std::printf("enrolment code %s withdrawn\n", token_id.c_str());
            return kExitOk;
        }
        if (*devices_list) {
            for (const auto& d : store.devices()) {
                std::printf("%s\t%s\tenrolled %s\tlast seen %s\t%s\n", d.id.hex().c_str(), d.name.c_str(),
                            format_time(d.enrolled_at).c_str(), format_time(d.last_seen).c_str(),
                            d.revoked_at ? ("REVOKED " + format_time(*d.revoked_at)).c_str() : "active");
                for (const auto& m : d.memberships) {
                    std::printf("\t%s\t%s\t%s%s\n", m.case_reference.c_str(), m.agency.c_str(),
                                std::string(server::to_string(m.role)).c_str(), m.person.empty() ? "" : ("\t" + m.person).c_str());
                }
            }
            return kExitOk;
        }
        if (*devices_revoke) {
            const auto d = store.revoke_device(device_id);
            std::printf("device %s (%s) revoked; it is refused from its next connection\n", d.id.hex().c_str(), d.name.c_str());
            return kExitOk;
        }
        if (*status_cmd) {
            std::optional<std::string> only;
            if (!status_case.empty()) only = status_case;
            const auto cases = store.cases();
            std::string current;
            for (const auto& row : store.status(only)) {
                if (row.case_reference != current) {
                    current = row.case_reference;
                    const auto c = store.find_case(current);
                    std::printf("%s  %s  (due %s)\n", current.c_str(), c ? c->title.c_str() : "",
                                c && c->due ? c->due->iso().c_str() : "not set");
                }
                std::string state;
                switch (row.state) {
                    case sync::AgencyState::NotStarted: state = "not started: nothing received yet"; break;
                    case sync::AgencyState::Drafting:
                        state = "drafting, " + std::to_string(row.records) + " record(s), last change " + format_time(row.last_change);
                        break;
                    case sync::AgencyState::Submitted:
                        state = "submitted version " + std::to_string(row.version) + ", " + format_time(row.submitted_at.value_or(0));
                        break;
                    case sync::AgencyState::Amending:
                        state = "amending after version " + std::to_string(row.version) + " (submitted " +
                                format_time(row.submitted_at.value_or(0)) + ")";
                        break;
                }
                std::printf("  %-40s %s%s%s\n", row.agency.c_str(), state.c_str(), row.expected ? "" : "  (not expected)",
                            row.late ? "  LATE" : "");
            }
            return kExitOk;
        }
        if (*verify_cmd) {
            const auto identity = server_identity(o, store);
            const auto report = store.verify();
            std::printf("server key %s\n%zu IMR(s), %zu record(s) checked\n",
                        tls::format_fingerprint(identity.fingerprint).c_str(), report.imrs, report.records);
            for (const auto& p : report.problems) std::printf("PROBLEM: %s\n", p.c_str());
            if (!report.ok()) return kExitError;
            std::printf("ok\n");
            return kExitOk;
        }
        if (*digest_cmd) {
            std::optional<domain::Id> device;
            if (!digest_device.empty()) {
                try {
                    device = domain::Id::from_hex(digest_device);
                } catch (const std::exception&) {
                    throw Failure(kExitUsage, "--device needs the device's full id (32 hex digits, see devices list)");
                }
            }
            const auto d = store.digest(device);
            std::printf("%zu record(s), digest %s\n", d.records, sync::hex(d.digest).c_str());
            return kExitOk;
        }
        if (*refusals_cmd) {
            for (const auto& line : store.recent_refusals(refusal_count)) std::printf("%s\n", line.c_str());
            return kExitOk;
        }
        return kExitUsage;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "imrdesk-server: %s (see 'imrdesk-server --help')\n", e.what());
        return kExitUsage;
    } catch (const Failure& e) {
        std::fprintf(stderr, "imrdesk-server: %s\n", e.what());
        return e.code;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "imrdesk-server: %s\n", e.what());
        return kExitError;
    }
}
