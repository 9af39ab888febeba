#pragma once
// Real processes for sync tests: an imrdesk-server in its own data directory, and devices that
// are imrdesk-cli profiles in theirs.
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "process.hpp"
#include "temp_dir.hpp"

namespace imrdesk::test {

inline std::string last_line(const std::string& text) {
    std::string t = text;
    while (!t.empty() && t.back() == '\n') t.pop_back();
    const auto nl = t.rfind('\n');
    return nl == std::string::npos ? t : t.substr(nl + 1);
}

class ServerProcess {
public:
    // store: --store for every command (empty: the data directory's server.db). Several servers
    // may be given one PostgreSQL store; each keeps its own data directory and log.
    explicit ServerProcess(std::string store = {}) : store_(std::move(store)) { std::filesystem::create_directories(dir_.path()); }

    [[nodiscard]] std::filesystem::path data() const { return dir_ / "srv"; }
    [[nodiscard]] std::filesystem::path log() const { return dir_ / "server.log"; }

    ProcessResult admin(std::vector<std::string> args) {
        auto full = common_args();
        full.insert(full.end(), args.begin(), args.end());
        return run_process(IMRDESK_SERVER, full);
    }
    std::string admin_ok(std::vector<std::string> args) {
        const auto r = admin(std::move(args));
        INFO("server admin stderr: " << r.err);
        REQUIRE(r.exit_code == 0);
        return r.out;
    }

    // Starts serving on `port` (0: any; later restarts reuse the first port) and waits until it
    // has written its address.
    void start(const std::string& log_level = "debug") {
        std::filesystem::remove(data() / "address");
        const std::string listen = "127.0.0.1:" + std::to_string(port_);
        auto args = common_args();
        args.insert(args.end(), {"serve", "--listen", listen, "--log-level", log_level});
        process_ = std::make_unique<BackgroundProcess>(IMRDESK_SERVER, args, log().string());
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!std::filesystem::exists(data() / "address")) {
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "the server did not start: " << read_file(log()));
            REQUIRE_MESSAGE(process_->running(), "the server exited: " << read_file(log()));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        address_ = last_line(read_file(data() / "address"));
        port_ = std::stoi(address_.substr(address_.rfind(':') + 1));
    }
    int stop(int signal = SIGTERM) { return process_ ? process_->stop(signal) : -1; }
    [[nodiscard]] int port() const noexcept { return port_; }
    [[nodiscard]] const std::string& address() const noexcept { return address_; }

    // An enrolment code pointing at `address` (default: the server itself).
    std::string enrol(const std::string& case_ref, const std::string& agency, const std::string& role,
                      const std::string& address = {}) {
        std::vector<std::string> args{"enrol", "--case", case_ref, "--agency", agency, "--role", role};
        if (!address.empty()) {
            args.push_back("--address");
            args.push_back(address);
        }
        return last_line(admin_ok(args));
    }
    // "N record(s), digest HEX" for what the device may read.
    std::string digest(const std::string& device_id) { return last_line(admin_ok({"digest", "--device", device_id})); }

private:
    [[nodiscard]] std::vector<std::string> common_args() const {
        std::vector<std::string> args{"--data-dir", data().string()};
        if (!store_.empty()) args.insert(args.end(), {"--store", store_});
        return args;
    }

    std::string store_;
    TempDir dir_;
    std::unique_ptr<BackgroundProcess> process_;
    int port_ = 0;
    std::string address_;
};

// How many pushes the server has logged so far (at debug level: "...: push of N record(s)").
inline std::size_t count_pushes(ServerProcess& server) {
    const auto log = read_file(server.log());
    std::size_t n = 0;
    for (auto at = log.find(": push of "); at != std::string::npos; at = log.find(": push of ", at + 1)) ++n;
    return n;
}

class Device {
public:
    explicit Device(std::string name) : name_(std::move(name)) {
        write_file(dir_ / "pass", "correct horse battery staple " + name_ + "\n");
        ::chmod((dir_ / "pass").c_str(), 0600);
        const auto r = run({"profile", "create", "--name", name_, "--kdf", "interactive"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
    ProcessResult run(std::vector<std::string> args, const std::string& input = {}) {
        std::vector<std::string> full{"--data-dir", (dir_ / "data").string(), "--passphrase-file", (dir_ / "pass").string()};
        full.insert(full.end(), args.begin(), args.end());
        return run_process(IMRDESK_CLI, full, input);
    }
    std::unique_ptr<BackgroundProcess> run_background(std::vector<std::string> args, const std::string& log) {
        std::vector<std::string> full{"--data-dir", (dir_ / "data").string(), "--passphrase-file", (dir_ / "pass").string()};
        full.insert(full.end(), args.begin(), args.end());
        return std::make_unique<BackgroundProcess>(IMRDESK_CLI, full, log);
    }
    std::string ok(std::vector<std::string> args, const std::string& input = {}) {
        const auto r = run(std::move(args), input);
        INFO(name_ << " stderr: " << r.err << " stdout: " << r.out);
        REQUIRE(r.exit_code == 0);
        return r.out;
    }
    nlohmann::json status() { return nlohmann::json::parse(ok({"sync", "status", "--json"})); }
    nlohmann::json imrs() { return nlohmann::json::parse(ok({"imr", "list", "--json"})); }
    std::string device_id() { return status().at("device").get<std::string>(); }
    // "N record(s), digest HEX", comparable with ServerProcess::digest.
    std::string digest() {
        const auto s = status();
        return std::to_string(s.at("records").get<std::size_t>()) + " record(s), digest " + s.at("digest").get<std::string>();
    }
    std::string section(const std::string& imr, const std::string& key) { return ok({"section", "get", imr, key}); }
    void set_section(const std::string& imr, const std::string& key, const std::string& text) {
        ok({"section", "set", imr, key}, text);
    }
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] std::filesystem::path data() const { return dir_ / "data"; }
    // A copy of the profile's files (as a backup would take), and putting it back.
    void backup_to(const std::filesystem::path& where) {
        std::filesystem::copy(dir_ / "data", where, std::filesystem::copy_options::recursive);
    }
    void restore_from(const std::filesystem::path& where) {
        std::filesystem::remove_all(dir_ / "data");
        std::filesystem::copy(where, dir_ / "data", std::filesystem::copy_options::recursive);
    }

private:
    std::string name_;
    TempDir dir_;
};

}  // namespace imrdesk::test
