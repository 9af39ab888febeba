// platform/io: the files, descriptors and facts the programs read through the operating system.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <string>
#include <system_error>

#include "imrdesk/platform/io.hpp"
#include "temp_dir.hpp"

using namespace imrdesk;

TEST_CASE("io: a read-only file says what it is, reads to its end, and a missing one is a system error") {
    test::TempDir dir;
    const auto path = dir / "key.pem";
    std::ofstream(path) << "-----BEGIN-----\nabc\n";
    ::chmod(path.c_str(), 0600);
    platform::ReadOnlyFile file(path);
    CHECK(file.is_regular());
    CHECK_FALSE(file.readable_by_others());
    CHECK(file.size() == 20);
    std::array<char, 8> buffer{};
    std::string all;
    for (std::size_t n; (n = file.read(buffer)) > 0;) all.append(buffer.data(), n);
    CHECK(all == "-----BEGIN-----\nabc\n");
    ::chmod(path.c_str(), 0644);
    CHECK(platform::ReadOnlyFile(path).readable_by_others());
    CHECK_FALSE(platform::ReadOnlyFile(dir.path()).is_regular());  // a directory opens, and says so
    try {
        platform::ReadOnlyFile missing(dir / "missing");
        FAIL("opened a file that is not there");
    } catch (const std::system_error& e) {
        CHECK(e.code() == std::errc::no_such_file_or_directory);
    }
}

TEST_CASE("io: read_line takes one line and leaves the rest, and says when a line does not fit") {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    const std::string input = "first secret\nsecond\nthe rest is long";
    REQUIRE(::write(p[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    ::close(p[1]);
    std::array<char, 16> line{};
    CHECK(std::string(line.data(), platform::read_line(p[0], line)) == "first secret");
    CHECK(std::string(line.data(), platform::read_line(p[0], line)) == "second");
    std::array<char, 4> small{};
    CHECK(platform::read_line(p[0], small) == small.size());  // full: the caller says it is too long
    CHECK(std::string(line.data(), platform::read_line(p[0], line)) == "rest is long");  // up to the end
    CHECK(platform::read_line(p[0], line) == 0);
    ::close(p[0]);
    CHECK_THROWS_AS(platform::read_line(-1, line), std::system_error);
}

TEST_CASE("io: the computer has a name, and a test's standard error is no terminal the prompt would use") {
    CHECK_FALSE(platform::host_name().empty());
    // Under ctest standard error is a pipe or a file; either way the call answers without failing.
    (void)platform::standard_error_is_terminal();
}
