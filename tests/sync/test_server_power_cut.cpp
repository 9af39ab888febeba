// A power cut loses nothing the server acknowledged. The Store runs on PowerCutVfs: pushes of new
// records, updates and tombstones, with the power going at a random write, truncate or sync and
// what was never synced thrown away (in some rounds only part of it). Reopened, the store passes
// verify and a device pulls exactly what had been acknowledged: the state before the push that
// was cut or after it, never part of a push, never a revision handed out twice.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "imrdesk/sync/server/store.hpp"
#include "power_cut_vfs.hpp"
#include "temp_dir.hpp"

using namespace imrdesk;
using namespace imrdesk::sync;
using namespace imrdesk::sync::server;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr int kRounds = 40;  // the plain build runs the full count
#else
constexpr int kRounds = 200;
#endif
constexpr int kPushes = 10;
constexpr std::int64_t kNow = 1'780'000'000;

struct Held {
    std::string body;
    std::uint64_t revision = 0;
    bool deleted = false;
    friend bool operator==(const Held&, const Held&) = default;
};
using Model = std::map<domain::Id, Held>;

std::string describe(const Model& m) {
    std::ostringstream out;
    out << m.size() << " record(s):";
    for (const auto& [id, h] : m) out << "\n  " << id.hex().substr(0, 8) << " rev " << h.revision << (h.deleted ? " deleted" : " " + h.body);
    return out.str();
}

Model observe(Store& store, const Device& device) {
    Model m;
    std::uint64_t cursor = 0;
    for (int guard = 0; guard < 1000; ++guard) {
        const auto page = store.pull(device, Pull{cursor, 500}, 500);
        for (const auto& r : page.records) m[r.id] = Held{std::string(r.body.begin(), r.body.end()), r.revision, r.deleted};
        cursor = page.next_cursor;
        if (!page.more) break;
    }
    return m;
}

domain::Id new_id(std::mt19937& rng) {
    domain::Id id;
    for (auto& b : id.bytes) b = static_cast<std::uint8_t>(rng() & 0xffU);
    return id;
}

Bytes bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

struct Round {
    std::uint64_t operations = 0;
    bool cut = false;
};

Round run_round(test::PowerCutVfs& vfs, std::uint32_t seed, std::uint64_t cut_at, bool reorder) {
    test::TempDir dir;
    const auto file = dir / "server.db";
    std::mt19937 rng(seed);
    const domain::Id imr = new_id(rng);
    Model before, after;
    Device device;
    PublicKey key{};
    key.fill(0x42);
    std::uint64_t start = 0;
    {
        Store store(file, [] { return kNow; });
        CaseRecord c;
        c.reference = "SAR 2026-05";
        c.title = "Adult C";
        c.terms_of_reference = {{1, "What happened?"}};
        store.create_case(std::move(c));
        device = store.enrol(store.issue_token(TokenRequest{"SAR 2026-05", "Police", Role::Author, "A. Person", 72}).token, key, "laptop");
        const auto r = store.push(device, Push{{PushRecord{imr, imr, domain::RecordKind::Imr, 0, bytes_of("header"), false, "SAR 2026-05"}}});
        REQUIRE(std::holds_alternative<PushAccepted>(r.outcomes.at(0)));
        before = after = observe(store, device);

        start = vfs.operations();
        if (cut_at > 0) vfs.cut_after(cut_at);
        try {
            for (int n = 0; n < kPushes; ++n) {
                Push push;
                std::vector<domain::Id> live;
                for (const auto& [id, h] : after)
                    if (id != imr && !h.deleted) live.push_back(id);
                const int count = 1 + static_cast<int>(rng() % 3);
                for (int i = 0; i < count; ++i) {
                    const unsigned what = live.empty() ? 0 : rng() % 4;
                    const std::string body = "entry " + std::to_string(n) + "." + std::to_string(i) + " " + std::to_string(rng());
                    if (what <= 1) {
                        push.records.push_back(PushRecord{new_id(rng), imr, domain::RecordKind::ChronologyEntry, 0, bytes_of(body), false, {}});
                    } else {
                        const auto id = live[rng() % live.size()];
                        std::erase(live, id);  // once per push
                        push.records.push_back(PushRecord{id, imr, domain::RecordKind::ChronologyEntry, after.at(id).revision,
                                                          what == 2 ? bytes_of(body) : Bytes{}, what == 3, {}});
                    }
                }
                const auto result = store.push(device, push);
                Model next = after;
                for (std::size_t i = 0; i < push.records.size(); ++i) {
                    const auto* a = std::get_if<PushAccepted>(&result.outcomes.at(i));
                    REQUIRE_MESSAGE(a != nullptr, "a push with the right base conflicted");
                    const auto& p = push.records[i];
                    next[p.id] = Held{p.deleted ? std::string() : std::string(p.body.begin(), p.body.end()), a->revision, p.deleted};
                }
                after = next;
                before = after;  // acknowledged
            }
        } catch (const std::exception& e) {
            REQUIRE_MESSAGE(vfs.power_is_off(), "an error with the power on: " << std::string(e.what()));
        }
        // The push in flight, as the server would have stored it had the power held: the model
        // "after" is only known for pushes that returned, so a cut push may also leave `before`.
    }
    Round round{vfs.operations() - start, vfs.power_is_off()};
    vfs.never_cut();
    if (!round.cut) return round;
    REQUIRE(vfs.open_files() == 0);
    std::mt19937 disk(seed * 104729U + 3U);
    vfs.restore_power(reorder ? &disk : nullptr);

    Store store(file, [] { return kNow; });
    const auto report = store.verify();
    std::string problems;
    for (const auto& p : report.problems) problems += "\n  " + p;
    INFO("seed " << seed << ", power cut at operation " << cut_at << std::string(reorder ? " (reordered)" : "") << problems);
    CHECK(report.ok());
    const Device again = store.authenticate(key);
    CHECK(again.id == device.id);
    const Model seen = observe(store, again);
    // Only the acknowledged state is known exactly; a push cut before it returned may have
    // landed whole (then every record of it is at a new revision above all acknowledged ones).
    bool ok = seen == before;
    if (!ok) {
        std::uint64_t top = 0;
        for (const auto& [id, h] : before) top = std::max(top, h.revision);
        ok = true;
        for (const auto& [id, h] : before) {
            const auto it = seen.find(id);
            if (it == seen.end()) ok = false;
            else if (!(it->second == h) && it->second.revision <= top) ok = false;
        }
        for (const auto& [id, h] : seen)
            if (before.count(id) == 0 && h.revision <= top) ok = false;
    }
    INFO("seen: " << describe(seen) << "\nacknowledged: " << describe(before));
    CHECK(ok);
    return round;
}

}  // namespace

TEST_CASE("power cut: the server store keeps every acknowledged push, whole, at any write or sync, reordered or not") {
    test::PowerCutVfs vfs;
    const auto whole = run_round(vfs, 1, 0, false);
    REQUIRE(whole.operations > 10);
    std::mt19937 rng(20261204);
    int cuts = 0;
    for (int round = 0; round < kRounds; ++round) {
        const std::uint64_t at = 1 + rng() % (whole.operations + 5);
        const auto r = run_round(vfs, static_cast<std::uint32_t>(round + 2), at, round % 2 == 1);
        cuts += r.cut ? 1 : 0;
    }
    MESSAGE(kRounds << " rounds, " << cuts << " power cuts, " << whole.operations << " I/O operations in a whole script");
    CHECK(cuts > kRounds * 3 / 4);
}
