// Crash safety: a process writing to the vault is SIGKILLed at random moments, hundreds of times.
// After each kill the vault must verify (SQLite integrity, every record, the audit chain) and every
// write the child saw return (and acknowledged over a pipe) must be there with the right content.
#include <doctest/doctest.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "vault_fixtures.hpp"

using namespace imrdesk;
using client::Vault;
using domain::Id;

namespace {

constexpr std::string_view kPassphrase = "crash test passphrase";
constexpr std::uint32_t kDeleted = 0xffffffffu;
constexpr std::size_t kAckSize = 16 + 4;  // id, then version (little endian; kDeleted for a tombstone)

std::string expansion_for(std::uint32_t version, int round) {
    return "v" + std::to_string(version) + " written in round " + std::to_string(round);
}

bool write_all(int fd, const std::vector<std::uint8_t>& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// The child: opens the vault and writes until killed. Never returns.
// known: the acknowledged live records (inherited from the parent through fork), and their
// versions; the child updates and deletes among them and the records it creates.
[[noreturn]] void child_main(const std::filesystem::path& file, int round, std::uint64_t seed, int ack_fd,
                             std::vector<std::pair<Id, std::uint32_t>> known) {
    try {
        std::mt19937_64 rng(seed);
        auto vault = Vault::open(file, kPassphrase);
        auto& mine = known;
        for (int n = 0; n < 5000; ++n) {
            const std::size_t batch = rng() % 3 == 0 ? 2 + rng() % 7 : 1;
            std::vector<client::RecordWrite> writes;
            std::vector<std::pair<Id, std::uint32_t>> acks;
            std::vector<std::size_t> touched;
            for (std::size_t i = 0; i < batch; ++i) {
                const auto choice = rng() % 10;
                if (choice < (mine.size() < 400 ? 3u : 1u) || mine.empty()) {  // keeps the vault (and each verify) small
                    const Id id = client::new_id();
                    writes.push_back({id, id, domain::RecordKind::GlossaryEntry, test::glossary_body(id.hex(), expansion_for(1, round)), false});
                    acks.emplace_back(id, 1);
                    continue;
                }
                const std::size_t index = rng() % mine.size();
                if (mine[index].second == kDeleted) continue;
                if (std::find(touched.begin(), touched.end(), index) != touched.end()) continue;
                touched.push_back(index);
                const Id id = mine[index].first;
                if (choice < 8) {
                    const std::uint32_t version = mine[index].second + 1;
                    writes.push_back({id, id, domain::RecordKind::GlossaryEntry, test::glossary_body(id.hex(), expansion_for(version, round)), false});
                    acks.emplace_back(id, version);
                } else {
                    writes.push_back({id, id, domain::RecordKind::GlossaryEntry, {}, true});
                    acks.emplace_back(id, kDeleted);
                }
            }
            if (writes.empty()) continue;
            vault->write(writes, "crash.test");
            std::vector<std::uint8_t> message;
            for (const auto& [id, version] : acks) {
                message.insert(message.end(), id.bytes.begin(), id.bytes.end());
                for (int shift = 0; shift < 32; shift += 8) message.push_back(static_cast<std::uint8_t>(version >> shift));
                auto it = std::find_if(mine.begin(), mine.end(), [&](const auto& m) { return m.first == id; });
                if (it == mine.end()) mine.emplace_back(id, version);
                else it->second = version;
            }
            if (!write_all(ack_fd, message)) ::_exit(4);
        }
        for (;;) ::pause();  // wait to be killed
    } catch (const std::exception& e) {
        const std::string text = std::string("child failed: ") + e.what() + "\n";
        [[maybe_unused]] const auto n = ::write(2, text.data(), text.size());
        ::_exit(3);
    } catch (...) {
        ::_exit(5);
    }
}

// Reads what arrives on fd into out until the deadline passes. Returns false on EOF.
bool read_until(int fd, std::vector<std::uint8_t>& out, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return true;
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return true;
        std::uint8_t buffer[4096];
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        out.insert(out.end(), buffer, buffer + n);
    }
}

void drain(int fd, std::vector<std::uint8_t>& out) {
    std::uint8_t buffer[4096];
    for (;;) {
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        out.insert(out.end(), buffer, buffer + n);
    }
}

std::uint64_t crash_seed() {
    if (const char* fixed = std::getenv("IMRDESK_CRASH_SEED")) return std::strtoull(fixed, nullptr, 10);
    return std::random_device{}() ^ (static_cast<std::uint64_t>(std::random_device{}()) << 32);
}

int crash_rounds() {
    if (const char* fixed = std::getenv("IMRDESK_CRASH_ROUNDS")) return std::atoi(fixed);
    return 200;
}

}  // namespace

TEST_CASE("a vault killed at random moments keeps every acknowledged write and verifies") {
    const std::uint64_t seed = crash_seed();
    const int rounds = crash_rounds();
    INFO("seed " << seed << " (rerun with IMRDESK_CRASH_SEED=" << seed << ")");
    MESSAGE("crash test seed " << seed << ", " << rounds << " rounds");
    std::mt19937_64 rng(seed);

    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    { auto created = Vault::create(file, kPassphrase, test::fast_create()); }

    std::map<Id, std::uint32_t> acknowledged;  // the newest acknowledged state of every record
    std::size_t total_acks = 0;
    std::size_t unacknowledged_on_disk = 0;  // committed, but killed before the acknowledgement
    const auto started = std::chrono::steady_clock::now();
    for (int round = 0; round < rounds; ++round) {
        CAPTURE(round);
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        const std::uint64_t child_seed = rng();
        std::vector<std::pair<Id, std::uint32_t>> known;
        for (const auto& [id, version] : acknowledged)
            if (version != kDeleted) known.emplace_back(id, version);
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            ::close(fds[0]);
            child_main(file, round, child_seed, fds[1], std::move(known));
        }
        ::close(fds[1]);

        std::vector<std::uint8_t> received;
        const bool by_time = rng() % 2 == 0;
        if (by_time) {
            const auto delay = std::chrono::microseconds(static_cast<std::int64_t>(rng() % 30001));
            (void)read_until(fds[0], received, std::chrono::steady_clock::now() + delay);
        } else {
            const std::size_t want = (rng() % 7) * kAckSize;
            const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (received.size() < want && std::chrono::steady_clock::now() < limit)
                if (!read_until(fds[0], received, std::min(limit, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)))) break;
        }
        ::kill(child, SIGKILL);
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        drain(fds[0], received);
        ::close(fds[0]);
        INFO("child status " << status);
        REQUIRE_MESSAGE((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL),
                        "the child failed on its own instead of being killed (exit code " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << ")");
        REQUIRE(received.size() % kAckSize == 0);
        for (std::size_t at = 0; at < received.size(); at += kAckSize) {
            Id id;
            std::memcpy(id.bytes.data(), received.data() + at, 16);
            std::uint32_t version = 0;
            for (std::size_t b = 0; b < 4; ++b) version |= static_cast<std::uint32_t>(received[at + 16 + b]) << (8 * b);
            acknowledged[id] = version;
            ++total_acks;
        }

        auto vault = Vault::open(file, kPassphrase);  // the dead child's lock is gone
        const auto report = vault->verify();
        INFO("verify: " << test::join_lines(report.problems));
        REQUIRE(report.ok());
        const auto loaded = vault->load_all();
        REQUIRE(loaded.problems.empty());
        std::map<Id, const client::StoredRecord*> by_id;
        for (const auto& r : loaded.records) {
            by_id[r.id] = &r;
            if (r.deleted) continue;
            // Every body on disk, acknowledged or not, is whole and belongs to its record.
            const auto g = domain::glossary_from_json(nlohmann::json::parse(r.body));
            REQUIRE(g.abbreviation == r.id.hex());
        }
        for (const auto& [id, version] : acknowledged) {
            CAPTURE(id.hex());
            CAPTURE(version);
            const auto it = by_id.find(id);
            REQUIRE_MESSAGE(it != by_id.end(), "an acknowledged write is missing");
            const auto& r = *it->second;
            if (version == kDeleted) {
                REQUIRE(r.deleted);
                continue;
            }
            if (r.deleted) continue;  // deleted after the last acknowledgement, before the kill
            const auto g = domain::glossary_from_json(nlohmann::json::parse(r.body));
            const auto stored_version = static_cast<std::uint32_t>(std::stoul(g.expansion.substr(1)));
            REQUIRE(stored_version >= version);
        }
        unacknowledged_on_disk = by_id.size() - acknowledged.size();
    }
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    MESSAGE(rounds << " kills in " << seconds << " s; " << acknowledged.size() << " records, " << total_acks
                   << " acknowledged writes; " << unacknowledged_on_disk << " records committed but never acknowledged");
    CHECK(total_acks > 0);
}
