// Two imrdesk-server processes on one PostgreSQL store (a cluster of scripts/pg-cluster.sh), the
// real CLI as devices split between them: they push at the same time, one server is SIGKILLed in
// the middle of a push and restarted, and afterwards every device and the store hold the same
// records, nothing lost and nothing twice. Also: both present the one key of the store, a device
// revoked through one is refused by the other, and an enrolment code works once across both.
#include <doctest/doctest.h>

#include <csignal>
#include <random>
#include <thread>

#include "postgres_cluster.hpp"
#include "sync_fixture.hpp"

using namespace imrdesk::test;

namespace {

constexpr const char* kCase = "SAR 2026-11";
constexpr const char* kAgency = "Northshire Police";

std::size_t entries_of(Device& d) { return d.imrs()[0].at("chronology_entries").get<std::size_t>(); }

void import_entries(Device& d, const std::string& imr, const std::string& tag, int count) {
    std::string csv = "Date,Source,Event\n";
    for (int n = 0; n < count; ++n) {
        csv += std::to_string(1 + n % 28) + "/0" + std::to_string(1 + n % 9) + "/2024,PNC " + tag + "-" + std::to_string(n) +
               ",\"Contact " + std::to_string(n) + " logged by " + d.name() + "\"\n";
    }
    TempDir tmp;
    write_file(tmp / "entries.csv", csv);
    d.ok({"chronology", "import", imr, (tmp / "entries.csv").string()});
}

}  // namespace

TEST_CASE("two servers on one PostgreSQL: devices split between them converge through pushes at once and a SIGKILL mid-push") {
    const PostgresCluster cluster;
    const auto store = postgres_fresh_schema(cluster.uri());
    ServerProcess a(store), b(store);
    CHECK(a.admin_ok({"migrate"}).find("created schema version 3") != std::string::npos);
    a.admin_ok({"case", "create", "--ref", kCase, "--title", "Adult C", "--agency", kAgency});
    a.start();
    b.start();
    // One key for the store, whichever data directory a server has.
    CHECK(a.admin_ok({"fingerprint"}) == b.admin_ok({"fingerprint"}));

    std::vector<std::unique_ptr<Device>> devices;
    for (int i = 0; i < 4; ++i) {
        devices.push_back(std::make_unique<Device>("d" + std::to_string(i)));
        ServerProcess& via = i % 2 == 0 ? a : b;  // codes from either server, each pointing at itself
        devices.back()->ok({"enrol", via.enrol(kCase, kAgency, "author")});
    }
    const std::string imr = devices[0]->imrs()[0].at("id").get<std::string>();
    for (auto& d : devices) REQUIRE(d->imrs()[0].at("id").get<std::string>() == imr);

    // Every device imports its own entries and all four push at the same time, two to each server.
    std::size_t expected = 0;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        import_entries(*devices[i], imr, "first-" + std::to_string(i), 400);
        expected += 400;
    }
    {
        TempDir logs;
        std::vector<std::unique_ptr<BackgroundProcess>> syncing;
        for (std::size_t i = 0; i < devices.size(); ++i)
            syncing.push_back(devices[i]->run_background({"sync", "--once"}, (logs / ("sync" + std::to_string(i))).string()));
        for (std::size_t i = 0; i < syncing.size(); ++i) {
            INFO(read_file(logs / ("sync" + std::to_string(i))));
            CHECK(syncing[i]->wait(60000) == 0);
        }
    }

    // Server a is killed at a random moment of d0's push while d1 pushes through server b.
    std::mt19937_64 random(std::random_device{}());
    for (int attempt = 0; attempt < 2; ++attempt) {
        CAPTURE(attempt);
        import_entries(*devices[0], imr, "killed-" + std::to_string(attempt), 1500);
        import_entries(*devices[1], imr, "during-" + std::to_string(attempt), 300);
        expected += 1800;
        TempDir logs;
        const auto pushes_before = count_pushes(a);
        const auto pushing = devices[0]->run_background({"sync", "--once", "--timeout", "5"}, (logs / "d0").string());
        const auto other = devices[1]->run_background({"sync", "--once"}, (logs / "d1").string());
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (count_pushes(a) == pushes_before && std::chrono::steady_clock::now() < deadline && pushing->running())
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::this_thread::sleep_for(std::chrono::milliseconds(random() % 100));
        CHECK(a.stop(SIGKILL) != 0);
        const int code = pushing->wait(60000);
        INFO(read_file(logs / "d0"));
        MESSAGE("attempt " << attempt << ": the push cut by the kill exited " << code << ": " << last_line(read_file(logs / "d0")));
        CHECK((code == 0 || code == 6));  // done before the kill, or offline: never an error
        CHECK(other->wait(60000) == 0);  // the other server served on
        a.start();
    }

    // Every device syncs twice (through its own server); then all agree with the store.
    for (int pass = 0; pass < 2; ++pass)
        for (auto& d : devices) d->ok({"sync", "--once"});
    const auto in_store = a.digest(devices[0]->device_id());
    CHECK(in_store == b.digest(devices[0]->device_id()));
    for (auto& d : devices) {
        CAPTURE(d->name());
        CHECK(entries_of(*d) == expected);  // nothing lost, nothing twice
        CHECK(d->digest() == in_store);
    }
    CHECK(a.admin_ok({"verify"}).find("ok") != std::string::npos);
    CHECK(b.admin_ok({"verify"}).find("ok") != std::string::npos);

    // Revoked through one server's admin, refused by the other at its next connection.
    const auto id = devices[3]->device_id();
    a.admin_ok({"devices", "revoke", id.substr(0, 12)});
    const auto refused = devices[3]->run({"sync", "--once"});
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find("revoked") != std::string::npos);

    // An enrolment code works once, whichever server a second device takes it to.
    const auto code = a.enrol(kCase, kAgency, "author");
    Device first("first"), second("second");
    first.ok({"enrol", code});
    const auto again = second.run({"enrol", code});
    CHECK(again.exit_code != 0);
    CHECK(again.err.find("already used") != std::string::npos);
    a.stop();
    b.stop();
}

TEST_CASE("two servers on one PostgreSQL: a server key sealed under a passphrase is the same on both, and needs the passphrase") {
    const PostgresCluster cluster;
    const auto store = postgres_fresh_schema(cluster.uri());
    TempDir dir;
    write_file(dir / "passphrase", "a long enough server passphrase\n");
    ServerProcess a(store), b(store);
    const auto fp = a.admin_ok({"--key-passphrase-file", (dir / "passphrase").string(), "fingerprint"});
    CHECK(b.admin_ok({"--key-passphrase-file", (dir / "passphrase").string(), "fingerprint"}) == fp);
    const auto without = b.admin({"fingerprint"});
    CHECK(without.exit_code != 0);
    CHECK(without.err.find("--key-passphrase-file") != std::string::npos);
    write_file(dir / "wrong", "not the passphrase at all\n");
    const auto wrong = b.admin({"--key-passphrase-file", (dir / "wrong").string(), "fingerprint"});
    CHECK(wrong.exit_code != 0);
    CHECK(wrong.err.find("passphrase is wrong") != std::string::npos);
    write_file(dir / "short", "short\n");
    CHECK(b.admin({"--key-passphrase-file", (dir / "short").string(), "fingerprint"}).exit_code == 2);
}
