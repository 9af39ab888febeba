// bench_vault: the vault against plain SQLite and SQLCipher, side by side, in one run.
//
//   bench_vault [--entries N] [--autosave N] [--reps N] [--peer PATH] [--skip-calibrated]
//
// Three engines: the vault and plain SQLite in this process, SQLCipher in a child process
// (bench_sqlcipher_peer). Every repetition runs each step for all three before the next step, in
// rotating order; autosaves go in rounds of kAutosaveRound entries per engine, so all three share
// the same moments of a shared disk. Then the unlock timings and a breakdown of the vault's read
// path. Prints medians, ratios and PASS/MISS per goal.
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "corpus.hpp"
#include "imrdesk/crypto/aead.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/entry_decoder.hpp"
#include "peer_engine.hpp"
#include "raw_sqlite.hpp"
#include "report.hpp"
#include "vault_engine.hpp"

namespace imrdesk::bench {
namespace {

namespace fs = std::filesystem;
using domain::RecordKind;

constexpr std::size_t kAutosaveRound = 25;

struct Options {
    std::size_t entries = 10000;
    std::size_t autosave = 500;
    std::size_t reps = 5;
    fs::path peer = IMRDESK_SQLCIPHER_PEER;
    bool calibrated = true;
};

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--entries" && has_value) o.entries = std::stoul(argv[++i]);
        else if (arg == "--autosave" && has_value) o.autosave = std::stoul(argv[++i]);
        else if (arg == "--reps" && has_value) o.reps = std::stoul(argv[++i]);
        else if (arg == "--peer" && has_value) o.peer = argv[++i];
        else if (arg == "--skip-calibrated") o.calibrated = false;
        else throw std::invalid_argument("unknown argument '" + arg + "' (see the comment at the top of bench_vault.cpp)");
    }
    if (o.entries == 0 || o.reps == 0) throw std::invalid_argument("--entries and --reps must be at least 1");
    o.autosave = std::min(o.autosave, o.entries);
    return o;
}

// A private directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "imrdesk-bench-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a directory in " + pattern);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const noexcept { return path_; }

private:
    fs::path path_;
};

void run_repetitions(const Options& o, const fs::path& dir, Report& report) {
    RawEngine plain(report.corpus, dir / "plain.db");
    VaultEngine vault(report.corpus, dir / "vault.db");
    PeerEngine cipher(o.peer, dir, report.corpus);
    report.plain_version = RawEngine::version(dir / "version.db");
    report.cipher_version = cipher.version();

    const auto started = Clock::now();
    const std::array<Engine*, 3> engines{&vault, &plain, &cipher};
    const std::array<EngineSamples*, 3> samples{&report.vault.engine, &report.plain, &report.cipher};
    const auto each = [&](std::size_t shift, auto&& step) {  // all three, in an order rotated by shift
        for (std::size_t k = 0; k < engines.size(); ++k) step((shift + k) % engines.size());
    };
    for (std::size_t r = 0; r < o.reps; ++r) {
        each(r, [&](std::size_t i) { samples[i]->import_ms.push_back(engines[i]->import_all()); });
        each(r + 1, [&](std::size_t i) { samples[i]->read_ms.push_back(engines[i]->read_all()); });
        std::array<double, 3> autosave_ms{};
        for (std::size_t begin = 0, round = 0; begin < o.autosave; begin += kAutosaveRound, ++round) {
            const std::size_t count = std::min(kAutosaveRound, o.autosave - begin);
            each(r + round, [&](std::size_t i) { autosave_ms[i] += engines[i]->autosave(begin, count); });
        }
        if (o.autosave > 0) each(0, [&](std::size_t i) { samples[i]->autosave_ms.push_back(autosave_ms[i]); });

        const UnlockToModel unlock = vault.unlock_to_model();
        report.vault.open_ms.push_back(unlock.open_ms);
        report.vault.model_ms.push_back(unlock.model_ms);
        report.vault.kdf_ms.push_back(unlock.kdf_ms);
        each(0, [&](std::size_t i) { engines[i]->reset(); });
        std::fprintf(stderr, "  repetition %zu of %zu done (%.1f s)\n", r + 1, o.reps, ms_since(started) / 1000.0);
    }
}

void run_calibrated_unlock(const Options& o, const fs::path& dir, UnlockSamples& out) {
    auto start = Clock::now();
    out.params = crypto::kdf::calibrate();
    out.calibrate_ms = ms_since(start);
    const fs::path file = dir / "calibrated.db";
    create_vault(file, out.params).reset();
    for (std::size_t r = 0; r < o.reps; ++r) {
        start = Clock::now();
        (void)client::Vault::open(file, kPassphrase);
        out.open_ms.push_back(ms_since(start));
        start = Clock::now();
        (void)crypto::kdf::derive(kPassphrase, out.params);
        out.kdf_ms.push_back(ms_since(start));
    }
    remove_vault(file);
}

// The vault's per-record costs, in memory: aead::seal as write() does it; aead::open as load_all()
// does it (plaintext in a fresh sodium_malloc SecureBuffer, then copied into a std::string)
// against the same decryption straight into a std::string and against sodium_malloc +
// sodium_free alone; then the decoding Workspace adds (one pass with EntryDecoder; the full reader:
// JSON parse, then entry_from_json).
void run_per_record(const Corpus& corpus, std::size_t reps, PerRecordSamples& out) {
    const auto key = crypto::Key32::random();
    const std::vector<std::uint8_t> ad(71, 0x5A);  // the size of the vault's record AD
    const auto per_record_us = [&](Clock::time_point start) {
        return ms_since(start) * 1000.0 / static_cast<double>(corpus.bodies.size());
    };
    std::vector<std::vector<std::uint8_t>> sealed(corpus.bodies.size());

    for (std::size_t r = 0; r < reps; ++r) {
        auto start = Clock::now();
        for (std::size_t i = 0; i < sealed.size(); ++i) {
            const auto& body = corpus.bodies[i];
            sealed[i] = crypto::aead::seal(key, {reinterpret_cast<const std::uint8_t*>(body.data()), body.size()}, ad);
        }
        out.seal_us.push_back(per_record_us(start));

        start = Clock::now();
        for (const auto& blob : sealed) {
            const auto plain = crypto::aead::open(key, blob, ad);
            std::string body(plain.view());
            crypto::wipe(body);
        }
        out.secure_buffer_us.push_back(per_record_us(start));

        start = Clock::now();
        for (const auto& blob : sealed) {
            std::string body(blob.size() - crypto::aead::kOverhead, '\0');
            unsigned long long written = 0;
            if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(body.data()), &written, nullptr,
                                                           blob.data() + crypto::aead::kNonceSize,
                                                           blob.size() - crypto::aead::kNonceSize, ad.data(), ad.size(),
                                                           blob.data(), key.bytes().data()) != 0)
                throw std::runtime_error("decryption failed");
            crypto::wipe(body);
        }
        out.direct_us.push_back(per_record_us(start));

        start = Clock::now();
        for (const auto& blob : sealed) {
            void* memory = sodium_malloc(blob.size() - crypto::aead::kOverhead);
            if (memory == nullptr) throw std::runtime_error("sodium_malloc failed");
            sodium_free(memory);
        }
        out.sodium_malloc_us.push_back(per_record_us(start));

        std::vector<nlohmann::json> parsed;
        parsed.reserve(corpus.bodies.size());
        start = Clock::now();
        for (const auto& body : corpus.bodies) parsed.push_back(domain::parse_body(body, RecordKind::ChronologyEntry));
        out.parse_us.push_back(per_record_us(start));

        start = Clock::now();
        for (const auto& json : parsed) (void)domain::entry_from_json(json);
        out.from_json_us.push_back(per_record_us(start));

        domain::EntryDecoder decoder;
        start = Clock::now();
        for (const auto& body : corpus.bodies)
            if (!decoder.read(body)) throw std::runtime_error("the one-pass reader declined a body imrdesk wrote");
        out.one_pass_us.push_back(per_record_us(start));
    }
}

int run(int argc, char** argv) {
    const Options o = parse_options(argc, argv);
    if (sodium_init() < 0) throw std::runtime_error("libsodium did not initialise");
    ::signal(SIGPIPE, SIG_IGN);  // a peer that died is reported by the failed read, not by a signal
    const TempDir dir;
    std::fprintf(stderr, "bench_vault: %zu entries, %zu autosaves, %zu repetitions in %s\n", o.entries, o.autosave,
                 o.reps, dir.path().c_str());

    const auto started = Clock::now();
    Report report;
    report.corpus = make_corpus(o.entries, o.autosave);
    report.reps = o.reps;
    run_repetitions(o, dir.path(), report);
    if (o.calibrated) {
        std::fprintf(stderr, "  calibrating the KDF and timing unlocks at the calibrated setting\n");
        report.unlock.emplace();
        run_calibrated_unlock(o, dir.path(), *report.unlock);
    }
    run_per_record(report.corpus, o.reps, report.per_record);
    print_report(report);
    std::fprintf(stderr, "bench_vault: done in %.1f s\n", ms_since(started) / 1000.0);
    return 0;
}

}  // namespace
}  // namespace imrdesk::bench

int main(int argc, char** argv) {
    try {
        return imrdesk::bench::run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_vault: %s\n", e.what());
        return 1;
    }
}
