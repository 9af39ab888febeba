#include "report.hpp"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

namespace imrdesk::bench {
namespace {

// 1234567.8 -> "1,234,568". (Built by appending: GCC 12 gives false -Wrestrict warnings on
// string::insert and on "literal" + std::string&& at -O2/-O3.)
std::string grouped(double value) {
    const long long rounded = std::llround(value);
    const std::string digits = std::to_string(rounded < 0 ? -rounded : rounded);
    std::string out = rounded < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

// "12.3-14.5": the lowest and highest sample.
std::string spread(const std::vector<double>& samples) {
    if (samples.empty()) return "-";
    const auto [lo, hi] = std::minmax_element(samples.begin(), samples.end());
    std::string text = fixed(*lo, 1);
    text += '-';
    text += fixed(*hi, 1);
    return text;
}

std::string in_parens(const std::string& text) {
    std::string out = "(";
    out += text;
    out += ')';
    return out;
}

std::string verdict(bool met) { return met ? "PASS" : "MISS"; }

void row(std::string_view label, const std::string& vault, const std::string& plain, const std::string& cipher,
         const std::string& to_plain = "", const std::string& to_cipher = "") {
    std::printf("  %-34.*s %13s %13s %13s %12s %16s\n", static_cast<int>(label.size()), label.data(), vault.c_str(),
                plain.c_str(), cipher.c_str(), to_plain.c_str(), to_cipher.c_str());
}

struct Goal {
    std::string what;
    std::string measured;
    bool met;
};

// One block of the throughput table; returns its two goals.
std::vector<Goal> throughput_block(std::string_view title, std::string_view goal_name, double min_ratio, double rows,
                                   double bytes, const std::vector<double>& vault, const std::vector<double>& plain,
                                   const std::vector<double>& cipher) {
    std::printf("%.*s\n", static_cast<int>(title.size()), title.data());
    if (vault.empty() || plain.empty() || cipher.empty()) {
        std::printf("  (not measured)\n");
        return {};
    }
    const double v = median(vault), p = median(plain), c = median(cipher);
    const double to_plain = p / v, to_cipher = c / v;  // throughput ratios: time is inverse
    row("time, ms (median)", fixed(v, 1), fixed(p, 1), fixed(c, 1));
    row("time, ms (min-max)", spread(vault), spread(plain), spread(cipher));
    row("records/s", grouped(rows * 1000.0 / v), grouped(rows * 1000.0 / p), grouped(rows * 1000.0 / c),
        fixed(to_plain, 2), fixed(to_cipher, 2));
    row("MB/s (plaintext JSON)", fixed(bytes / 1000.0 / v, 2), fixed(bytes / 1000.0 / p, 2), fixed(bytes / 1000.0 / c, 2));
    const std::string name(goal_name);
    return {{name + ": vault >= " + fixed(min_ratio, 2) + " x plain SQLite throughput", fixed(to_plain, 2) + " x",
             to_plain >= min_ratio},
            {name + ": vault ahead of SQLCipher", fixed(to_cipher, 2) + " x", to_cipher > 1.0}};
}

void line(std::string_view label, const std::string& value, const std::string& extra = "") {
    std::printf("  %-62.*s %11s  %s\n", static_cast<int>(label.size()), label.data(), value.c_str(), extra.c_str());
}

}  // namespace

void print_report(const Report& r) {
    const Corpus& c = r.corpus;
    const auto rows = static_cast<double>(c.rows());
    std::size_t autosave_bytes = 0;
    for (const auto& body : c.autosave_bodies) autosave_bytes += body.size();
    const auto entries = grouped(static_cast<double>(c.ids.size()));

    std::printf("\nimrdesk vault benchmark: %s chronology entries + 1 IMR header record; median of %zu runs\n",
                entries.c_str(), r.reps);
    std::printf("  bodies     domain::to_json(ChronologyEntry) with 300-600 B of prose: %.2f MB, %zu B on average\n",
                static_cast<double>(c.body_bytes) / 1e6, c.body_bytes / c.rows());
    std::printf("  vault      %s, each body sealed with XChaCha20-Poly1305 (libsodium %s), one audit entry per write()\n",
                r.plain_version.c_str(), sodium_version_string());
    std::printf("  plain      %s, plaintext bodies\n", r.plain_version.c_str());
    std::printf("  SQLCipher  %s, raw key, cipher_page_size=4096 (as SQLite's page size)\n", r.cipher_version.c_str());
    std::printf("  all three  the vault's records table and index; journal_mode=WAL synchronous=FULL secure_delete=ON\n"
                "             temp_store=MEMORY cell_size_check=ON; reads on a fresh connection (OS cache warm)\n"
                "  order      each step runs for all three engines in rotating order; autosaves interleave in rounds\n\n");

    std::printf("%-36s %13s %13s %13s %12s %16s\n", "Write and read back", "vault", "plain SQLite", "SQLCipher",
                "vault/plain", "vault/SQLCipher");
    std::vector<Goal> goals;
    for (auto& g : throughput_block("Import: one transaction, " + grouped(rows) + " records (Vault::write of all)",
                                    "Import", kMinImportToPlain, rows, static_cast<double>(c.body_bytes), r.vault.engine.import_ms,
                                    r.plain.import_ms, r.cipher.import_ms))
        goals.push_back(std::move(g));
    const auto saves = static_cast<double>(c.autosave_bodies.size());
    for (auto& g : throughput_block("Autosave: one transaction per entry, " + grouped(saves) + " updates (fsync-bound)",
                                    "Autosave", kMinAutosaveToPlain, saves, static_cast<double>(autosave_bytes), r.vault.engine.autosave_ms,
                                    r.plain.autosave_ms, r.cipher.autosave_ms))
        goals.push_back(std::move(g));
    for (auto& g : throughput_block("Read back: every record (vault: load_all(), decrypting; others: SELECT *)",
                                    "Read back", kMinReadToPlain, rows, static_cast<double>(c.body_bytes), r.vault.engine.read_ms,
                                    r.plain.read_ms, r.cipher.read_ms))
        goals.push_back(std::move(g));
    std::printf("  (ratios are throughput ratios: above 1 means the vault is faster)\n\n");

    std::printf("%-64s %11s  %s\n", "Unlock", "median", "(min-max)");
    const auto& v = r.vault;
    std::vector<double> beyond_kdf;
    for (std::size_t i = 0; i < v.open_ms.size(); ++i) beyond_kdf.push_back(v.open_ms[i] + v.model_ms[i] - v.kdf_ms[i]);
    if (r.unlock) {
        const auto& u = *r.unlock;
        char chosen[96];
        std::snprintf(chosen, sizeof chosen, "-> opslimit %llu, memlimit %llu MiB",
                      static_cast<unsigned long long>(u.params.opslimit),
                      static_cast<unsigned long long>(u.params.memlimit >> 20));
        line("calibrate() with the default target (one run)", fixed(u.calibrate_ms, 1) + " ms", chosen);
        line("kdf::derive at the calibrated params", fixed(median(u.kdf_ms), 1) + " ms", in_parens(spread(u.kdf_ms)));
        line("Vault::open at the calibrated params (small vault)", fixed(median(u.open_ms), 1) + " ms",
             in_parens(spread(u.open_ms)));
        line("  of which beyond the KDF", fixed(median(u.open_ms) - median(u.kdf_ms), 1) + " ms");
    }
    line("Unlock-to-model, " + entries + "-entry vault (fast KDF params):", "");
    line("  Vault::open", fixed(median(v.open_ms), 1) + " ms", in_parens(spread(v.open_ms)));
    line("  Workspace construction (load_all, JSON decode, sort)", fixed(median(v.model_ms), 1) + " ms",
         in_parens(spread(v.model_ms)));
    line("  kdf::derive at those params", fixed(median(v.kdf_ms), 2) + " ms");
    line("  unlock-to-model beyond the KDF", fixed(median(beyond_kdf), 1) + " ms", in_parens(spread(beyond_kdf)));
    if (r.unlock)
        line("  projected at the calibrated KDF (calibrated open + model)",
             fixed(median(r.unlock->open_ms) + median(v.model_ms), 1) + " ms");
    goals.push_back({"Unlock-to-model, " + entries + " entries: <= " + fixed(kMaxModelBeyondKdfMs, 0) + " ms beyond the KDF",
                     fixed(median(beyond_kdf), 1) + " ms", median(beyond_kdf) <= kMaxModelBeyondKdfMs});

    const auto& rp = r.per_record;
    std::printf("\n%-64s %11s\n", "Vault per-record costs (diagnostic: in memory, no SQLite)", "median");
    line("write: aead::seal (random nonce, encrypt into a new vector)", fixed(median(rp.seal_us), 2) + " us");
    line("read: aead::open into a fresh sodium_malloc buffer, then copy", fixed(median(rp.secure_buffer_us), 2) + " us");
    line("  of which sodium_malloc + sodium_free of that size alone", fixed(median(rp.sodium_malloc_us), 2) + " us");
    line("read: the same decryption straight into a std::string", fixed(median(rp.direct_us), 2) + " us");
    line("model: one pass over the body into the entry (Workspace: EntryDecoder)", fixed(median(rp.one_pass_us), 2) + " us");
    line("  the full reader instead: nlohmann::json parse of the body", fixed(median(rp.parse_us), 2) + " us");
    line("  then entry_from_json on the parsed body", fixed(median(rp.from_json_us), 2) + " us");

    std::printf("\n%-64s %11s  %s\n", "Goals", "measured", "verdict");
    std::size_t met = 0;
    for (const auto& g : goals) {
        line(g.what, g.measured, verdict(g.met));
        met += g.met ? 1 : 0;
    }
    std::printf("  %zu of %zu goals met\n", met, goals.size());
}

}  // namespace imrdesk::bench
