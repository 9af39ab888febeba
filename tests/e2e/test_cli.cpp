// imrdesk-cli as a user and a script would use it: real processes, real files.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "cli_fixture.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

using namespace imrdesk::test;


TEST_CASE("cli: a profile is created, listed, and refuses a wrong passphrase with exit 3") {
    Cli cli;
    cli.create_profile();
    CHECK(cli.ok({"profile", "list"}).find("alice") != std::string::npos);
    cli.write_passphrase("wrong", "not the right passphrase");
    const auto r = cli.run({"imr", "list"}, {}, "wrong");
    CHECK(r.exit_code == 3);
    CHECK(r.err == "imrdesk-cli: wrong passphrase\n");
}

TEST_CASE("cli: passphrases must be strong, private and present") {
    Cli cli;
    cli.write_passphrase("weak", "short");
    auto r = cli.run({"profile", "create", "--name", "x", "--kdf", "interactive"}, {}, "weak");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("too weak") != std::string::npos);

    ::chmod((cli.dir / "pass").c_str(), 0644);
    r = cli.run({"profile", "create", "--name", "x", "--kdf", "interactive"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("can be read by other users") != std::string::npos);
    ::chmod((cli.dir / "pass").c_str(), 0600);

    cli.create_profile();
    r = cli.run({"imr", "list"}, {}, "");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no terminal to ask on: use --passphrase-file PATH or --passphrase-fd N") != std::string::npos);
    r = cli.run({"--profile", "bob", "imr", "list"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("there is no profile 'bob'") != std::string::npos);
}

TEST_CASE("cli: IMRs, sections and chronology entries round-trip") {
    Cli cli;
    cli.create_profile();
    const auto id = cli.create_imr();
    const auto list = nlohmann::json::parse(cli.ok({"imr", "list", "--json"}));
    REQUIRE(list.size() == 1);
    CHECK(list[0]["id"] == id);
    CHECK(list[0]["case_reference"] == "SAR 2026-03");
    CHECK(list[0]["status"] == "draft");

    const std::string text = "Adult A lived alone.\nSources: GP record (SystmOne).\n";
    cli.ok({"section", "set", id.substr(0, 6), "summary"}, text);
    CHECK(cli.ok({"section", "get", id.substr(0, 6), "summary"}) == text);

    auto r = cli.run({"section", "set", id, "no.such.key"}, "x");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("there is no section 'no.such.key'") != std::string::npos);
    r = cli.run({"section", "na", id, "header", "--reason", "x"});
    CHECK(r.exit_code == 2);
    cli.ok({"section", "na", id, "themes.advocacy", "--reason", "No advocacy role in this agency"});
    CHECK(cli.ok({"section", "get", id, "themes.advocacy"}) == "[Not applicable: No advocacy role in this agency]\n");
    CHECK(cli.ok({"section", "list", id}).find("themes.advocacy") != std::string::npos);

    cli.ok({"chronology", "add", id, "--date", "14 Mar 2024", "--time", "9.40am", "--source", "SystmOne 1184", "--event",
            "Attended with son", "--missed-opportunity"});
    r = cli.run({"chronology", "add", id, "--date", "31/02/2024", "--source", "x", "--event", "y"});
    CHECK(r.exit_code == 5);
    CHECK(r.err == "imrdesk-cli: --date '31/02/2024': 31/02/2024: February 2024 has 29 days\n");
    r = cli.run({"chronology", "add", id, "--date", "01/01/2024", "--source", " ", "--event", "y"});
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("source: the source of information is required") != std::string::npos);
    const auto listing = cli.ok({"chronology", "list", id});
    CHECK(listing.find("14/03/2024") != std::string::npos);
    CHECK(listing.find("1 entries") != std::string::npos);
    CHECK(cli.ok({"verify"}).find("no problems found") != std::string::npos);
}

TEST_CASE("cli: CSV import is all or nothing, dry runs write nothing, and an export re-imports identically") {
    Cli cli;
    cli.create_profile();
    const auto id = cli.create_imr();
    write_file(cli.dir / "bad.csv", "Date,Source,Event\n14/03/2024,GP,Seen\n31/02/2024,GP,Impossible\n15/03/2024,,No source\n");
    auto r = cli.run({"chronology", "import", id, (cli.dir / "bad.csv").string()});
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("bad.csv: line 3: Date '31/02/2024'") != std::string::npos);
    CHECK(r.err.find("bad.csv: line 4: ") != std::string::npos);
    CHECK(r.err.find("nothing was imported") != std::string::npos);
    CHECK(cli.ok({"chronology", "list", id}).find("0 entries") != std::string::npos);

    r = cli.run({"chronology", "import", id, (cli.dir / "bad.csv").string(), "--dry-run"});
    CHECK(r.exit_code == 5);
    CHECK(r.out.find("3 rows: 1 valid, 2 invalid; nothing written") != std::string::npos);
    CHECK(cli.ok({"chronology", "list", id}).find("0 entries") != std::string::npos);

    CHECK(cli.ok({"chronology", "import", id, (cli.dir / "bad.csv").string(), "--skip-invalid"})
              .find("1 entries imported") != std::string::npos);

    write_file(cli.dir / "good.csv",
               "\xEF\xBB\xBF" "Date,Time,Source of information,Details,Outcome,Role,Significance\r\n"
               "c. 2023,,Interview,\"Recalled a fall, \"\"years ago\"\"\",,,\r\n"
               "01/2024 - 03/2024,,All records,No contact,,IMR author,A silent gap\r\n"
               "?05/2024,14:10,Lorenzo,\"Two\nlines\",Admitted,Nurse,\r\n");
    CHECK(cli.ok({"chronology", "import", id, (cli.dir / "good.csv").string()}).find("3 entries imported") != std::string::npos);
    const auto exported = cli.ok({"chronology", "export", id});
    write_file(cli.dir / "exported.csv", exported);

    const auto second = cli.create_imr();
    cli.ok({"chronology", "import", second, (cli.dir / "exported.csv").string()});
    CHECK(cli.ok({"chronology", "export", second}) == exported);

    const auto json_export = nlohmann::json::parse(cli.ok({"chronology", "export", id, "--format", "json"}));
    CHECK(json_export.size() == 4);

    cli.ok({"chronology", "export", id, "-o", (cli.dir / "out.csv").string()});
    CHECK(read_file(cli.dir / "out.csv") == exported);

    r = cli.run({"chronology", "import", id, (cli.dir / "missing.csv").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no such file") != std::string::npos);
    write_file(cli.dir / "junk.csv", std::string("\x00\x01\x02garbage", 10));
    r = cli.run({"chronology", "import", id, (cli.dir / "junk.csv").string()});
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("junk.csv: this is a binary file") != std::string::npos);
}

TEST_CASE("cli: passwd and recover change the passphrase, the recovery key survives typos' detection") {
    Cli cli;
    const auto recovery_key = cli.create_profile();
    cli.create_imr();

    cli.write_passphrase("second", "a different long passphrase");
    cli.ok({"profile", "passwd", "--new-passphrase-file", (cli.dir / "second").string()});
    CHECK(cli.run({"imr", "list"}).exit_code == 3);
    CHECK(cli.run({"imr", "list"}, {}, "second").exit_code == 0);

    std::string typo = recovery_key;
    typo[3] = typo[3] == 'A' ? 'B' : 'A';
    auto r = cli.run({"profile", "recover", "--recovery-key", typo, "--new-passphrase-file", (cli.dir / "pass").string()}, {}, "");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("mistyped") != std::string::npos);

    cli.write_passphrase("third", "the third passphrase here");
    r = cli.run({"profile", "recover", "--recovery-key", recovery_key, "--new-passphrase-file", (cli.dir / "third").string()}, {}, "");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(cli.run({"imr", "list"}, {}, "second").exit_code == 3);
    CHECK(cli.run({"imr", "list"}, {}, "third").exit_code == 0);
}

TEST_CASE("cli: the demo profile is created once and reopened") {
    Cli cli;
    auto first = cli.run({"demo"}, {}, "");
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("Created the demo profile") != std::string::npos);
    CHECK(first.out.find("Chronology: 61 entries") != std::string::npos);
    auto again = cli.run({"demo"}, {}, "");
    CHECK(again.out.find("Opened the demo profile") != std::string::npos);
    cli.write_passphrase("demo", "demo passphrase for imrdesk");
    CHECK(cli.run({"--profile", "Demo", "verify"}, {}, "demo").exit_code == 0);
}

TEST_CASE("cli: usage errors are one clear line with exit 2") {
    Cli cli;
    auto r = cli.run({"imr"}, {}, "");
    CHECK(r.exit_code == 2);
    r = cli.run({"frobnicate"}, {}, "");
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("imrdesk-cli: ", 0) == 0);
    r = cli.run({"profile", "create", "--name", "evil/../escape"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot contain '/'") != std::string::npos);
}

TEST_CASE("cli: a damaged vault exits 4 with one line naming the file and what to do, backup and restore bring it back") {
    Cli cli;
    cli.create_profile();
    const std::string imr = cli.create_imr();
    cli.ok({"section", "set", imr, "summary"}, "Adult A was seen at home.");
    const auto vault = cli.dir / "data" / "profiles" / "alice" / "vault.db";
    const auto backup = cli.dir / "alice-backup.imrdesk";
    const auto out = cli.ok({"profile", "backup", "--to", backup.string()});
    CHECK(out.find("profile restore") != std::string::npos);
    CHECK(cli.run({"profile", "backup", "--to", backup.string()}).exit_code == 2);  // never overwrites
    const std::string good = read_file(vault);

    struct Damage {
        const char* name;
        std::string bytes;
    };
    std::string random(65536, '\0');
    for (std::size_t i = 0; i < random.size(); ++i) random[i] = static_cast<char>((i * 2654435761u) >> 13);
    const Damage damages[] = {{"cut short", good.substr(0, 5000)}, {"random bytes", random}, {"empty", ""}};
    for (const auto& d : damages) {
        CAPTURE(d.name);
        write_file(vault, d.bytes);
        for (const auto& command : {std::vector<std::string>{"verify"}, std::vector<std::string>{"imr", "list"}}) {
            const auto r = cli.run(command);
            CHECK(r.exit_code == 4);
            CHECK(r.err.find(vault.string()) != std::string::npos);  // names the file
            CHECK(r.err.find("Restore a backup") != std::string::npos);  // and what to do
            CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);    // on one line
        }
    }

    // A bad backup changes nothing; the good one brings the section back.
    write_file(cli.dir / "junk", std::string(9000, 'j'));
    const auto bad = cli.run({"profile", "restore", (cli.dir / "junk").string()});
    CHECK(bad.exit_code == 4);
    CHECK(bad.err.find("Nothing was changed") != std::string::npos);
    const auto fifo = cli.dir / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto piped = cli.run({"profile", "restore", fifo.string()});
    CHECK(piped.exit_code != 0);
    CHECK(piped.err.find("not a regular file") != std::string::npos);
    const auto restored = cli.ok({"profile", "restore", backup.string()});
    CHECK(restored.find("kept as") != std::string::npos);
    CHECK(cli.ok({"section", "get", imr, "summary"}).find("Adult A was seen at home.") != std::string::npos);
    CHECK(cli.ok({"verify"}).find("no problems found") != std::string::npos);
}

TEST_CASE("cli: devices and pipes are refused with the right reason wherever a file is named, and never hang") {
    Cli cli;
    cli.create_profile();
    const std::string imr = cli.create_imr();
    const auto fifo = cli.dir / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto passphrase_fifo = cli.run({"imr", "list"}, {}, "pipe");
    CHECK(passphrase_fifo.exit_code == 2);
    CHECK(passphrase_fifo.err.find("--passphrase-fd") != std::string::npos);
    const auto passphrase_device = cli.run({"--passphrase-file", "/dev/zero", "imr", "list"}, {}, "");
    CHECK(passphrase_device.exit_code == 2);
    CHECK(passphrase_device.err.find("it is a device, not a file") != std::string::npos);
    const auto section_pipe = cli.run({"section", "set", imr, "summary", "--file", fifo.string()});
    CHECK(section_pipe.exit_code == 2);
    CHECK(section_pipe.err.find("it is a pipe, not a file") != std::string::npos);
}

TEST_CASE("cli: on a full disk a save says so and where, nothing is half written, and it works once there is room") {
    Cli cli;
    const auto data = cli.dir / "data";
    std::filesystem::create_directories(data);
    if (std::system(("mount -t tmpfs -o size=4m,mode=0700 tmpfs '" + data.string() + "' 2>/dev/null").c_str()) != 0) {
        MESSAGE("skipped: a small tmpfs cannot be mounted here (it needs root); the app's full-disk tests use PowerCutVfs");
        return;
    }
    struct Unmount {
        std::filesystem::path at;
        ~Unmount() {
            if (std::system(("umount -l '" + at.string() + "'").c_str()) != 0) MESSAGE("could not unmount " << at.string());
        }
    } unmount{data};
    cli.create_profile();
    const auto imr = cli.create_imr();
    cli.ok({"section", "set", imr, "summary"}, "Saved before the disk filled.\n");
    {
        std::ofstream ballast(data / "ballast", std::ios::binary);
        const std::string chunk(64 * 1024, 'x');
        while (ballast.write(chunk.data(), static_cast<std::streamsize>(chunk.size())) && ballast.flush()) {
        }
    }
    std::string big;
    for (int i = 0; i < 6000; ++i) big += "A long paragraph the full disk will not take.\n";
    const auto refused = cli.run({"section", "set", imr, "summary"}, big);
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("the disk is full") != std::string::npos);
    CHECK(refused.err.find((data / "profiles").string()) != std::string::npos);
    CHECK(refused.err.find("Free some space") != std::string::npos);
    CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);

    std::filesystem::remove(data / "ballast");
    const auto verify = cli.run({"verify"});
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
    CHECK(cli.ok({"section", "get", imr, "summary"}) == "Saved before the disk filled.\n");
    cli.ok({"section", "set", imr, "summary"}, big);
    CHECK(cli.ok({"section", "get", imr, "summary"}) == big);
}
