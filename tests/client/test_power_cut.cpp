// A power cut loses nothing acknowledged. The vault runs on PowerCutVfs: at a random write, truncate
// or sync the power goes, what was never synced is thrown away (in some rounds only part of it, as
// a disk reorders its cache), and the vault is opened again. Every round it must open, pass
// verify, and hold exactly what had been acknowledged: the state before the operation that was
// cut, or after it, never a mix. The operations are those the app makes: saving records, the
// autosave rewriting one record again and again, deleting, acknowledging what the server took,
// a pulled page applied with its cursor, conflicts found and resolved.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "imrdesk/client/vault.hpp"
#include "power_cut_vfs.hpp"
#include "vault_fixtures.hpp"

using namespace imrdesk;
using namespace imrdesk::client;

namespace {

constexpr const char* kPass = "power cut passphrase";

#if defined(__SANITIZE_ADDRESS__)
constexpr int kRounds = 60;  // the plain build runs the full count
#else
constexpr int kRounds = 300;
#endif
constexpr int kSteps = 14;

struct RecordState {
    std::string body;
    bool deleted = false;
    std::optional<std::int64_t> revision;  // nullopt: not checked (after a conflict)
    friend bool operator==(const RecordState&, const RecordState&) = default;
};

struct Model {
    std::map<domain::Id, RecordState> records;
    std::int64_t cursor = 0;
    std::set<domain::Id> conflicts;
};

bool same(const Model& expected, const Model& seen) {
    if (expected.cursor != seen.cursor || expected.conflicts != seen.conflicts) return false;
    if (expected.records.size() != seen.records.size()) return false;
    for (const auto& [id, want] : expected.records) {
        const auto it = seen.records.find(id);
        if (it == seen.records.end()) return false;
        const auto& got = it->second;
        if (got.deleted != want.deleted || (!want.deleted && got.body != want.body)) return false;
        if (want.revision && got.revision != want.revision) return false;
    }
    return true;
}

std::string describe(const Model& m) {
    std::ostringstream out;
    out << "cursor " << m.cursor << ", " << m.conflicts.size() << " conflict(s), " << m.records.size() << " record(s):";
    for (const auto& [id, r] : m.records)
        out << "\n  " << id.hex().substr(0, 8) << (r.deleted ? " deleted" : " " + r.body) << " rev "
            << (r.revision ? std::to_string(*r.revision) : "?");
    return out.str();
}

Model observe(const Vault& vault) {
    Model m;
    for (const auto& r : vault.load_all().records)
        m.records[r.id] = RecordState{r.body, r.deleted, r.server_revision};
    m.cursor = vault.sync_cursor();
    for (const auto& c : vault.conflicts()) m.conflicts.insert(c.id);
    return m;
}

// A chronology entry's body, as the workspace writes it.
std::string entry(const std::string& event) {
    return domain::to_json(test::sample_entry(domain::PartialDate::day(2024, 3, 14), event)).dump();
}

domain::Id new_id(std::mt19937& rng) {
    domain::Id id;
    for (auto& b : id.bytes) b = static_cast<std::uint8_t>(rng() & 0xffU);
    return id;
}

// One step of the script on the vault and, when it returns, on the model.
class Script {
public:
    Script(std::uint32_t seed, domain::Id imr) : rng_(seed), imr_(imr) {}

    void step(Vault& vault, Model& model, int n) {
        std::vector<domain::Id> live;
        for (const auto& [id, r] : model.records)
            if (!r.deleted && id != imr_ && model.conflicts.count(id) == 0) live.push_back(id);
        const auto pick = [&]() -> const domain::Id& { return live[rng_() % live.size()]; };
        const std::string text = "step " + std::to_string(n) + " " + std::to_string(rng_());
        const std::string body = entry(text);
        const unsigned what = live.empty() ? 0 : rng_() % 8;
        switch (what) {
        case 0:
        case 1: {  // a new record, saved
            const auto id = new_id(rng_);
            const RecordWrite w{id, imr_, domain::RecordKind::ChronologyEntry, body, false};
            vault.write({&w, 1}, "records.saved");
            model.records[id] = RecordState{body, false, 0};
            break;
        }
        case 2: {  // autosave: the same record again and again
            const auto id = pick();
            for (int i = 0; i < 3; ++i) {
                const std::string again = entry(text + " v" + std::to_string(i));
                const RecordWrite w{id, imr_, domain::RecordKind::ChronologyEntry, again, false};
                vault.write({&w, 1}, "records.saved");
                model.records[id].body = again;
            }
            break;
        }
        case 3: {  // deleted
            const auto id = pick();
            const RecordWrite w{id, imr_, domain::RecordKind::ChronologyEntry, {}, true};
            vault.write({&w, 1}, "records.deleted");
            model.records[id].deleted = true;
            model.records[id].body.clear();
            break;
        }
        case 4: {  // the server took what was sent
            const auto id = pick();
            const auto rec = vault.sync_record(id);
            REQUIRE(rec.has_value());
            const std::int64_t revision = ++revision_;
            const Acknowledged a{id, rec->local_seq, revision, rec->body, rec->deleted};
            vault.acknowledge({&a, 1});
            model.records[id].revision = revision;
            break;
        }
        case 5: {  // a pulled page and its cursor, in one transaction
            std::vector<RemoteWrite> page;
            for (int i = 0; i < 3; ++i) {
                RemoteWrite w;
                w.id = new_id(rng_);
                w.imr_id = imr_;
                w.kind = domain::RecordKind::ChronologyEntry;
                w.revision = ++revision_;
                w.remote_body = entry("pulled " + std::to_string(w.revision));
                page.push_back(w);
            }
            const std::int64_t cursor = revision_;
            vault.apply_remote(page, cursor, "sync.pulled", nlohmann::json::object());
            for (const auto& w : page) model.records[w.id] = RecordState{w.remote_body, false, w.revision};
            model.cursor = cursor;
            break;
        }
        case 6: {  // a conflict: the server's version kept beside the local one
            const auto id = pick();
            RemoteWrite w;
            w.id = id;
            w.imr_id = imr_;
            w.kind = domain::RecordKind::ChronologyEntry;
            w.revision = ++revision_;
            w.remote_body = entry("theirs " + std::to_string(w.revision));
            w.action = RemoteAction::Conflict;
            vault.apply_remote({&w, 1}, std::nullopt, "sync.conflict", nlohmann::json::object());
            model.conflicts.insert(id);
            model.records[id].revision.reset();
            break;
        }
        default: {  // the author resolves a conflict (or, with none, saves again)
            if (model.conflicts.empty()) {
                const auto id = pick();
                const RecordWrite w{id, imr_, domain::RecordKind::ChronologyEntry, body, false};
                vault.write({&w, 1}, "records.saved");
                model.records[id].body = body;
                break;
            }
            const auto id = *model.conflicts.begin();
            vault.resolve_conflict(id, body);
            model.conflicts.erase(id);
            model.records[id].body = body;
            model.records[id].deleted = false;
            break;
        }
        }
    }

private:
    std::mt19937 rng_;
    domain::Id imr_;
    std::int64_t revision_ = 0;
};

struct RoundResult {
    std::uint64_t operations = 0;  // writes, truncates and syncs the script made
    bool cut = false;
};

// Runs the script with the power going at operation `cut_at` (0: never), then checks the vault.
RoundResult run_round(test::PowerCutVfs& vfs, std::uint32_t seed, std::uint64_t cut_at, bool reorder) {
    test::TempDir dir;
    const auto file = dir / "vault.db";
    const auto imr = [&] {
        auto created = Vault::create(file, kPass, test::fast_create());
        return created.vault->vault_id();  // any id will do as the IMR the records belong to
    }();
    Model before, after;
    {
        auto vault = Vault::open(file, kPass);
        before = after = observe(*vault);
        const std::uint64_t start = vfs.operations();
        if (cut_at > 0) vfs.cut_after(cut_at);
        Script script(seed, imr);
        try {
            for (int n = 0; n < kSteps; ++n) {
                script.step(*vault, after, n);
                before = after;  // acknowledged
            }
        } catch (const std::exception& e) {
            REQUIRE_MESSAGE(vfs.power_is_off(), "an error with the power on: " << std::string(e.what()));
        }
        RoundResult result{vfs.operations() - start, vfs.power_is_off()};
        vfs.never_cut();
        if (!result.cut) {
            vault.reset();
            return result;
        }
        try {
            vault.reset();  // the process is gone; closing with the power off writes nothing
        } catch (...) {
        }
        REQUIRE(vfs.open_files() == 0);
        std::mt19937 disk(seed * 7919U + 1U);
        vfs.restore_power(reorder ? &disk : nullptr);

        auto reopened = Vault::open(file, kPass);
        const auto report = reopened->verify();
        std::string problems;
        for (const auto& p : report.problems) problems += "\n  " + p;
        INFO("seed " << seed << ", power cut at operation " << cut_at << std::string(reorder ? " (reordered)" : "")
                     << problems);
        CHECK(report.ok());
        const Model seen = observe(*reopened);
        const bool ok = same(before, seen) || same(after, seen);
        INFO("seen: " << describe(seen) << "\nacknowledged: " << describe(before) << "\nor with the cut operation: " << describe(after));
        CHECK(ok);
        return result;
    }
}

}  // namespace

TEST_CASE("power cut: the vault keeps everything acknowledged, whole, at any write or sync, reordered or not") {
    test::PowerCutVfs vfs;
    // How many I/O operations a whole script makes: the cuts fall anywhere in it.
    const auto whole = run_round(vfs, 1, 0, false);
    REQUIRE(whole.operations > 20);
    std::mt19937 rng(20261203);
    int cuts = 0, reordered = 0;
    for (int round = 0; round < kRounds; ++round) {
        const std::uint64_t at = 1 + rng() % (whole.operations + 10);
        const bool reorder = round % 2 == 1;
        const auto r = run_round(vfs, static_cast<std::uint32_t>(round + 2), at, reorder);
        cuts += r.cut ? 1 : 0;
        reordered += r.cut && reorder ? 1 : 0;
    }
    MESSAGE(kRounds << " rounds, " << cuts << " power cuts (" << reordered << " with the disk reordering), "
                    << whole.operations << " I/O operations in a whole script");
    CHECK(cuts > kRounds * 3 / 4);
}
