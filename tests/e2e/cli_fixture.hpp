#pragma once
// imrdesk-cli driven as a separate process with its own data directory and passphrase file.
#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "process.hpp"
#include "temp_dir.hpp"

namespace imrdesk::test {

class Cli {
public:
    Cli() {
        write_passphrase("pass", "correct horse battery staple");
    }
    void write_passphrase(const std::string& name, const std::string& value) {
        write_file(dir / name, value + "\n");
        ::chmod((dir / name).c_str(), 0600);
    }
    ProcessResult run(std::vector<std::string> args, const std::string& input = {}, const std::string& pass = "pass") {
        std::vector<std::string> full{"--data-dir", (dir / "data").string()};
        if (!pass.empty()) {
            full.push_back("--passphrase-file");
            full.push_back((dir / pass).string());
        }
        full.insert(full.end(), args.begin(), args.end());
        return run_process(IMRDESK_CLI, full, input);
    }
    // Runs and requires success; returns standard output.
    std::string ok(std::vector<std::string> args, const std::string& input = {}) {
        const auto r = run(std::move(args), input);
        INFO("stderr: " << r.err);
        REQUIRE(r.exit_code == 0);
        return r.out;
    }
    std::string create_profile() {
        const auto out = ok({"profile", "create", "--name", "alice", "--kdf", "interactive"});
        std::smatch m;
        const std::regex key("([0-9A-Z]{4}-){8}[0-9A-Z]{4}");
        REQUIRE(std::regex_search(out, m, key));
        return m.str(0);
    }
    std::string create_imr() {
        std::string id = ok({"imr", "create", "--case-ref", "SAR 2026-03", "--agency", "Northshire NHS Trust", "--adult",
                             "Adult A|12/05/1961", "--period-from", "01/01/2024", "--period-to", "31/12/2025"});
        while (!id.empty() && id.back() == '\n') id.pop_back();
        REQUIRE(id.size() == 32);
        return id;
    }

    TempDir dir;
};


}  // namespace imrdesk::test
