// Backups: a consistent copy of a profile's vault while the profile is open and being written,
// and restoring one in place of a damaged vault.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include <sys/stat.h>

#include "imrdesk/client/backup.hpp"
#include "imrdesk/platform/file_lock.hpp"
#include "vault_fixtures.hpp"

using namespace imrdesk;
using client::Workspace;

namespace {

constexpr std::string_view kPass = "correct horse battery staple";

std::unique_ptr<Workspace> create(const std::filesystem::path& file) {
    return std::make_unique<Workspace>(client::Vault::create(file, kPass, test::fast_create()).vault);
}

std::size_t entries_in(const std::filesystem::path& file) {
    Workspace ws(client::Vault::open(file, kPass));
    std::size_t n = 0;
    for (const auto& imr : ws.imrs()) n += ws.get(imr.id).entries.size();
    return n;
}

}  // namespace

TEST_CASE("backup: a copy taken while the profile is open and being written is whole, opens, and holds what was acknowledged") {
    test::TempDir dir;
    const auto vault = dir / "profiles" / "alice" / "vault.db";
    auto ws = create(vault);
    const auto imr = ws->create_imr(test::sample_header("SAR 2026-01"));
    for (int i = 0; i < 50; ++i) ws->add_entry(imr, test::sample_entry(domain::PartialDate::day(2024, 1, 1), "before " + std::to_string(i), i));

    // Another writer keeps adding entries while the copies are taken.
    std::atomic<bool> stop{false};
    std::atomic<int> added{0};
    std::thread writer([&] {
        for (int i = 0; !stop && i < 2000; ++i) {
            ws->add_entry(imr, test::sample_entry(domain::PartialDate::day(2024, 2, 1), "during " + std::to_string(i), i));
            ++added;
        }
    });
    std::vector<std::filesystem::path> copies;
    for (int k = 0; k < 5; ++k) {
        const auto copy = dir / ("backup-" + std::to_string(k) + ".imrdesk");
        const auto info = client::backup_profile(vault, copy);
        CHECK(info.bytes > 0);
        CHECK(info.vault_id.size() == 32);
        copies.push_back(copy);
    }
    stop = true;
    writer.join();
    ws.reset();  // the profile is closed: its lock is free for opening the copies

    std::size_t last = 0;
    for (const auto& copy : copies) {
        CAPTURE(copy);
        struct stat st{};
        REQUIRE(::stat(copy.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        CHECK_FALSE(std::filesystem::exists(std::filesystem::path(copy).concat("-wal")));
        // Each copy opens and verifies clean; later copies hold at least as much.
        {
            auto v = client::Vault::open(copy, kPass);
            CHECK(v->verify().ok());
        }
        const auto n = entries_in(copy);
        CHECK(n >= 50);
        CHECK(n >= last);
        last = n;
    }
    // A backup never overwrites.
    CHECK_THROWS(client::backup_profile(vault, copies.front()));
}

TEST_CASE("backup: restore puts a backup in place of a damaged vault and keeps the damaged one, and a bad backup changes nothing") {
    test::TempDir dir;
    const auto vault = dir / "profiles" / "alice" / "vault.db";
    {
        auto ws = create(vault);
        const auto imr = ws->create_imr(test::sample_header("SAR 2026-01"));
        ws->add_entry(imr, test::sample_entry(domain::PartialDate::day(2024, 1, 1), "Seen at home", 0));
    }
    const auto backup = dir / "alice.backup";
    client::backup_profile(vault, backup);

    // The vault is cut short (a disk fault): opening it says it is damaged.
    std::filesystem::resize_file(vault, 4096);
    CHECK_THROWS_AS(client::Vault::open(vault, kPass), client::VaultDamaged);

    // A bad backup is refused and nothing changes.
    test::write_file(dir / "junk", std::string(9000, 'x'));
    CHECK_THROWS_AS(client::restore_profile(dir / "junk", vault), client::VaultDamaged);
    CHECK_THROWS_AS(client::restore_profile(dir / "missing", vault), client::VaultError);
    CHECK(std::filesystem::file_size(vault) == 4096);

    // Refused while the profile is open elsewhere.
    {
        platform::FileLock held(std::filesystem::path(vault).concat(".lock"));
        CHECK_THROWS_AS(client::restore_profile(backup, vault), platform::LockedByOtherProcess);
    }

    const auto replaced = client::restore_profile(backup, vault);
    CHECK(entries_in(vault) == 1);
    REQUIRE_FALSE(replaced.empty());
    CHECK(std::filesystem::file_size(replaced) == 4096);  // kept for IT support, as it was

    // Restoring into a profile that does not exist yet (a new laptop).
    const auto fresh = dir / "other" / "profiles" / "alice" / "vault.db";
    CHECK(client::restore_profile(backup, fresh).empty());
    CHECK(entries_in(fresh) == 1);
}
