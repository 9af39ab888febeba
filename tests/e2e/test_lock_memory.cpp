// Locking leaves nothing behind: the real UI (headless, in a child process built as the programs
// are) is unlocked, typed into and autosaved, then locked; this test reads the child's memory as
// an attacker holding the laptop would and counts the copies of what was typed, of the demo's
// record texts and of the passphrase.
#include <doctest/doctest.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "imrdesk/client/demo.hpp"
#include "imrdesk/client/profiles.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "bulk_entries.hpp"
#include "memory_scan.hpp"
#include "sync_fixture.hpp"
#include "temp_dir.hpp"

using namespace imrdesk;

// Under AddressSanitizer the process's mappings include terabytes of shadow memory, and its
// allocator keeps its own quarantine: the scan runs in the plain build only.
#if defined(__SANITIZE_ADDRESS__)
TEST_CASE("lock: the memory scans run in the plain build, not under AddressSanitizer") { MESSAGE("skipped under ASan"); }
#else

namespace {

std::string random_hex(std::size_t bytes) {
    std::random_device device;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) {
        const auto b = device() & 0xffU;
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0xfU]);
    }
    return out;
}

// The probe, talked to over its standard input and output.
class Probe {
public:
    explicit Probe(const char* mode = nullptr) {
        int in[2], out[2];
        REQUIRE(::pipe(in) == 0);
        REQUIRE(::pipe(out) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
            ::execl(IMRDESK_LOCK_PROBE, IMRDESK_LOCK_PROBE, mode, static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        to_ = in[1];
        from_ = out[0];
    }
    ~Probe() {
        if (to_ >= 0) ::close(to_);
        if (from_ >= 0) ::close(from_);
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

    [[nodiscard]] int pid() const { return pid_; }
    void send(const std::string& text) const {
        REQUIRE(::write(to_, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    }
    // The next line the probe says, or "" if it says nothing within the time (or exits).
    std::string expect_line(int timeout_ms) {
        for (;;) {
            const auto nl = buffered_.find('\n');
            if (nl != std::string::npos) {
                std::string line = buffered_.substr(0, nl);
                buffered_.erase(0, nl + 1);
                return line;
            }
            pollfd p{from_, POLLIN, 0};
            const int ready = ::poll(&p, 1, timeout_ms);
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) return {};
            char chunk[256];
            const ssize_t n = ::read(from_, chunk, sizeof chunk);
            if (n <= 0) return {};
            buffered_.append(chunk, static_cast<std::size_t>(n));
        }
    }

private:
    int pid_ = -1;
    int to_ = -1;
    int from_ = -1;
    std::string buffered_;
};

struct Needles {
    std::vector<std::string> text;
    std::vector<std::string> what;
    void add(std::string needle, std::string label) {
        text.push_back(std::move(needle));
        what.push_back(std::move(label));
    }
};

bool ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 32 && static_cast<unsigned char>(c) < 127; });
}

// The demo's free texts (the first 32 characters of every section and every entry's event), as
// the probe's profile holds them.
void add_demo_texts(Needles& needles, bool review = false) {
    test::TempDir dir;
    client::CreateOptions options;
    options.kdf = crypto::kdf::insecure_fast_for_tests();
    auto created = client::Vault::create(client::vault_file(dir.path(), "demo"), "a passphrase for the demo texts", options);
    client::Workspace ws(std::move(created.vault));
    if (review) client::populate_review_demo(ws);
    else client::populate_demo(ws);
    for (const auto& imr : ws.imrs()) {
        for (const auto& section : imr.sections) {
            const std::string& t = section.value.text;
            if (t.size() >= 32 && ascii(std::string_view(t).substr(0, 32))) needles.add(t.substr(0, 32), "demo section " + section.value.key);
        }
        for (const auto& entry : imr.entries) {
            const std::string& t = entry.value.event;
            if (t.size() >= 32 && ascii(std::string_view(t).substr(0, 32))) needles.add(t.substr(0, 32), "demo entry event");
        }
    }
}

std::string describe(const test::MemoryScan& scan, const Needles& needles, std::size_t i) {
    std::ostringstream out;
    out << needles.what[i] << " \"" << needles.text[i] << "\": " << scan.count(i) << " copies";
    for (const auto& hit : scan.hits) {
        if (hit.needle != i) continue;
        out << "\n    " << (hit.utf16 ? "UTF-16 " : "UTF-8 ") << "in " << hit.region << " at 0x" << std::hex << hit.address
            << std::dec << ": ..." << hit.context << "...";
    }
    return out.str();
}

}  // namespace

namespace {

enum class Probed { Demo, Large, Review };

void run_lock_probe(Probed what) {
    const bool review = what == Probed::Review;
    const std::string passphrase = "probe passphrase " + random_hex(12);
    const std::string section_marker = (review ? "NOTEMARK" : "SECTIONMARK") + random_hex(12);
    const std::string entry_marker = (review ? "QUERYMARK" : "ENTRYMARK") + random_hex(12);
    Needles needles;
    needles.add(passphrase, "the passphrase");
    needles.add(section_marker, review ? "typed into the review team's note" : "typed into Summary");
    needles.add(entry_marker, review ? "typed into a query" : "typed into a chronology entry");
    add_demo_texts(needles, review);
    if (what == Probed::Large)
        for (int i = 0; i < test::kBulkEntries; i += 40) needles.add(test::bulk_entry_event(i).substr(0, 40), "a bulk entry's event");
    REQUIRE(needles.text.size() > 20);

    Probe probe(what == Probed::Review ? "--review" : what == Probed::Large ? "--large" : nullptr);
    probe.send(passphrase + "\n" + section_marker + "\n" + entry_marker + "\n");
    REQUIRE(probe.expect_line(60000) == "typed");

    // Unlocked, the scan finds what is open: it sees what a lock must remove.
    const auto before = test::scan_process_memory(probe.pid(), needles.text);
    INFO("read " << before.bytes_read / (1024 * 1024) << " MiB of the probe's memory");
    for (std::size_t i = 1; i < needles.text.size(); ++i) {
        INFO(describe(before, needles, i));
        CHECK(before.count(i) >= 1);
    }

    probe.send("lock\n");
    REQUIRE(probe.expect_line(60000) == "locked");
    const auto after = test::scan_process_memory(probe.pid(), needles.text);
    std::size_t copies = 0;
    for (std::size_t i = 0; i < needles.text.size(); ++i) {
        if (after.count(i) == 0) continue;
        copies += after.count(i);
        FAIL_CHECK(describe(after, needles, i));
    }
    MESSAGE("after the lock: " << copies << " copies of " << needles.text.size() << " secrets in "
                               << after.bytes_read / (1024 * 1024) << " MiB");
    CHECK(copies == 0);
}

}  // namespace

TEST_CASE("lock: after Ctrl+L the process holds no copy of what was typed, of the records or of the passphrase") {
    run_lock_probe(Probed::Demo);
}

TEST_CASE("lock: after Ctrl+L a large IMR (read in two halves, decoded on every core) leaves no copy either") {
    run_lock_probe(Probed::Large);
}

TEST_CASE("lock: after Ctrl+L the review team's screens leave no copy of the merged chronology, notes, queries or changes") {
    run_lock_probe(Probed::Review);
}

TEST_CASE("lock: a CLI process in the middle of syncing holds no passphrase and no serialised copy of what it sent") {
    test::ServerProcess server;
    {
        test::TempDir tmp;
        test::write_file(tmp / "tor.txt", "How did agencies share information?\n");
        server.admin_ok({"case", "create", "--ref", "SAR 2026-04", "--title", "Adult B", "--tor-file", (tmp / "tor.txt").string()});
    }
    server.start();
    test::Device laptop("laptop");
    laptop.ok({"enrol", server.enrol("SAR 2026-04", "Northshire Housing", "author")});
    const std::string imr = laptop.imrs()[0].at("id").get<std::string>();
    const std::string device = laptop.device_id();
    const std::string section_marker = "SYNCSECTION" + random_hex(12);
    const std::string entry_marker = "SYNCENTRY" + random_hex(12);
    laptop.set_section(imr, "summary", "Sent while the test reads the memory: " + section_marker + "\n");
    laptop.ok({"chronology", "add", imr, "--date", "02/02/2025", "--source", "Housing file 12", "--event", "Visit " + entry_marker});
    const std::string before = server.digest(device);

    test::TempDir logs;
    auto syncing = laptop.run_background({"sync"}, (logs / "sync.log").string());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (server.digest(device) == before) {
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "nothing arrived: " << test::read_file(logs / "sync.log"));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the session ends; the loop waits for the next
    REQUIRE(syncing->running());

    Needles needles;
    needles.add("correct horse battery staple laptop", "the passphrase");
    needles.add(section_marker, "a section sent");
    needles.add(entry_marker, "an entry sent");
    const auto scan = test::scan_process_memory(syncing->pid(), needles.text);
    INFO(describe(scan, needles, 0) << "\n" << describe(scan, needles, 1) << "\n" << describe(scan, needles, 2));
    CHECK(scan.count(0) == 0);
    // The open profile's model holds each text once; the JSON it was sealed from, the CBOR it
    // was sent in and OpenSSL's record buffers hold none.
    CHECK(scan.count(1) <= 1);
    CHECK(scan.count(2) <= 1);
}

#endif  // !__SANITIZE_ADDRESS__
