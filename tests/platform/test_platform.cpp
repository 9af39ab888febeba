#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "imrdesk/platform/clock.hpp"
#include "imrdesk/platform/file_lock.hpp"
#include "imrdesk/platform/paths.hpp"
#include "temp_dir.hpp"

using namespace imrdesk;

TEST_CASE("data_dir creates the override directory with owner-only permissions") {
    test::TempDir tmp;
    const auto dir = platform::data_dir(tmp / "nested" / "data");
    CHECK(std::filesystem::is_directory(dir));
    struct stat st{};
    REQUIRE(::stat(dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("write_file_atomically replaces the whole file and leaves no temp file") {
    test::TempDir tmp;
    const auto file = tmp / "settings.json";
    platform::write_file_atomically(file, "first version, longer");
    platform::write_file_atomically(file, "second");
    CHECK(test::read_file(file) == "second");
    int entries = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(tmp.path())) ++entries;
    CHECK(entries == 1);
}

TEST_CASE("a second process cannot take a profile lock, and a dead holder frees it") {
    test::TempDir tmp;
    const auto lock_path = tmp / "vault.lock";
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        platform::FileLock held(lock_path);
        const char c = 'x';
        [[maybe_unused]] auto n = ::write(ready[1], &c, 1);
        ::pause();
        ::_exit(0);
    }
    char c = 0;
    REQUIRE(::read(ready[0], &c, 1) == 1);
    try {
        platform::FileLock second(lock_path);
        FAIL("the second lock must be refused");
    } catch (const platform::LockedByOtherProcess& e) {
        CHECK(std::string(e.what()).find("pid " + std::to_string(child)) != std::string::npos);
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    CHECK_NOTHROW(platform::FileLock third(lock_path));
    ::close(ready[0]);
    ::close(ready[1]);
}

TEST_CASE("clock: Unix seconds as text and as a calendar day, in UTC and local time") {
    using namespace imrdesk::platform;
    CHECK(format_time(0, "%Y-%m-%d %H:%M:%S", Zone::Utc) == "1970-01-01 00:00:00");
    CHECK(format_time(1'780'000'000, "%Y-%m-%d %H:%M UTC", Zone::Utc) == "2026-05-28 20:26 UTC");
    const auto day = calendar_day(1'780'000'000, Zone::Utc);
    CHECK(day.year == 2026);
    CHECK(day.month == 5);
    CHECK(day.day == 28);
    const auto now = unix_now();
    CHECK(now > 1'780'000'000);
    const auto local = calendar_day(now, Zone::Local);
    CHECK(format_time(now, "%d/%m/%Y", Zone::Local) ==
          (local.day < 10 ? "0" : "") + std::to_string(local.day) + "/" + (local.month < 10 ? "0" : "") +
              std::to_string(local.month) + "/" + std::to_string(local.year));
}
