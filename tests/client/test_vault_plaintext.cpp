// No plaintext of a record, a passphrase or the recovery key ever reaches any file beside the
// vault: the database, its WAL and shared-memory files, the lock file, or anything else.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "vault_fixtures.hpp"

using namespace imrdesk;
using client::Vault;
using client::Workspace;

namespace {

constexpr std::string_view kOldPassphrase = "tangible-orchid-paperweight";
constexpr std::string_view kNewPassphrase = "lantern-cobalt-meridian-88";

const std::string kParagraph =
    "On the evening of the visit Mrs Perpetua Oyelaran-Fitzwilliam told the district nurse that her "
    "son-in-law, Bartholomew Quince-Ashdown, had taken her bank card and kept the heating off since the "
    "storm; the nurse recorded the disclosure verbatim but did not raise a safeguarding concern because "
    "the Gloriana-Hemlock duty desk line was engaged, and no one followed it up the next morning.";

// Distinctive strings that are written (and some of them later changed or deleted).
std::vector<std::string> secrets() {
    return {
        "Zanzibar-Quetzal-4471",            // in every chronology entry
        "Perpetua Oyelaran-Fitzwilliam",    // the adult's name (header)
        "Bartholomew Quince-Ashdown",       // a name inside entries and the paragraph
        "SAR-Kestrel-9930",                 // the case reference
        "Gloriana-Hemlock duty desk",       // inside the long paragraph only
        kParagraph,                         // the whole paragraph
        "Obsolete-Tangerine-2207",          // a section text later replaced
        "Deleted-Harpsichord-5512",         // in entries that are later deleted
        "Amended-Vermilion-3318",           // in entries that are later amended
        "Recommend-Marmalade-Vortex",       // a recommendation
        "Glossary-Xylophone-Pelican",       // a glossary expansion
        std::string(kOldPassphrase),
        std::string(kNewPassphrase),
    };
}

void expect_no_plaintext(const std::filesystem::path& dir, const std::vector<std::string>& needles, const char* when) {
    INFO("scanning files " << when);
    const auto files = test::files_under(dir);
    REQUIRE_FALSE(files.empty());
    for (const auto& file : files) {
        const std::string bytes = test::read_file(file);  // each file once, every needle
        for (const auto& needle : needles) {
            INFO("'" << needle.substr(0, 40) << "' found in " << file.filename().string());
            CHECK(bytes.find(needle) == std::string::npos);
        }
    }
}

void run_scenario(std::size_t big_section_bytes) {
    test::TempDir tmp;
    const auto file = tmp / "profiles" / "alice" / "vault.db";
    auto needles = secrets();

    // The scanner itself must find a planted plaintext, or the checks below prove nothing.
    test::write_file(tmp / "control.txt", "xx Zanzibar-Quetzal-4471 xx");
    REQUIRE_FALSE(test::files_containing(tmp.path(), "Zanzibar-Quetzal-4471").empty());
    std::filesystem::remove(tmp / "control.txt");

    std::string recovery_key;
    domain::Id imr;
    {
        auto created = Vault::create(file, kOldPassphrase, test::fast_create());
        recovery_key = created.recovery_key;
        needles.push_back(recovery_key);
        Workspace ws(std::move(created.vault));
        imr = ws.create_imr(test::sample_header("SAR-Kestrel-9930", "Perpetua Oyelaran-Fitzwilliam"));

        ws.save_section(imr, {"analysis.q1", kParagraph, false, {}, {}, false, nlohmann::json::object()});
        ws.save_section(imr, {"analysis.q2", "Obsolete-Tangerine-2207 first draft", false, {}, {}, false,
                              nlohmann::json::object()});
        ws.save_section(imr, {"analysis.q2", "Rewritten without the old words", false, {}, {}, false,
                              nlohmann::json::object()});
        if (big_section_bytes > 0) {
            std::string big;
            const std::string line = "Zanzibar-Quetzal-4471 overflow page line for Bartholomew Quince-Ashdown. ";
            while (big.size() + line.size() <= big_section_bytes) big += line;
            big.append(big_section_bytes - big.size(), '.');
            ws.save_section(imr, {"analysis.q3", big, false, {}, {}, false, nlohmann::json::object()});
        }

        std::vector<domain::ChronologyEntry> entries;
        for (int i = 0; i < 200; ++i) {
            std::string event = "Zanzibar-Quetzal-4471 contact " + std::to_string(i) + " with Bartholomew Quince-Ashdown";
            if (i % 10 == 3) event += " Deleted-Harpsichord-5512";
            if (i % 10 == 5) event += " Amended-Vermilion-3318";
            entries.push_back(test::sample_entry(domain::PartialDate::day(2019, 1 + i % 12, 1 + i % 28), event, i));
        }
        const auto ids = ws.add_entries(imr, std::move(entries));
        REQUIRE(ids.size() == 200);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i % 10 == 3) ws.delete_entry(imr, ids[i]);
            if (i % 10 == 5)
                ws.update_entry(imr, ids[i], test::sample_entry(domain::PartialDate::year(2020), "amended entry", 0));
        }
        ws.save_recommendation(imr, std::nullopt, {0, "Recommend-Marmalade-Vortex for all staff", {}, "Head of service",
                                                   domain::CivilDate{2026, 6, 30}, "none", "audit", {}});
        ws.save_glossary(imr, std::nullopt, {"GX", "Glossary-Xylophone-Pelican", {}});
        ws.vault().change_passphrase(kNewPassphrase);

        // While open: the WAL and shared-memory files exist and are scanned too.
        CHECK(std::filesystem::exists(std::filesystem::path(file).concat("-wal")));
        CHECK(std::filesystem::exists(std::filesystem::path(file).concat(".lock")));
        expect_no_plaintext(tmp.path(), needles, "while the vault is open");
    }
    expect_no_plaintext(tmp.path(), needles, "after the vault is closed");

    // The data really is in there (so the scans above were meaningful).
    auto vault = Vault::open(file, kNewPassphrase);
    const auto loaded = vault->load_all();
    CHECK(loaded.problems.empty());
    std::size_t with_secret = 0;
    std::size_t tombstones = 0;
    std::size_t biggest = 0;
    for (const auto& r : loaded.records) {
        if (r.body.find("Zanzibar-Quetzal-4471") != std::string::npos) ++with_secret;
        if (r.deleted) ++tombstones;
        biggest = std::max(biggest, r.body.size());
    }
    CHECK(with_secret == (big_section_bytes > 0 ? 161u : 160u));  // 200 entries - 20 deleted - 20 amended (+ the big section)
    CHECK(tombstones == 20);
    if (big_section_bytes > 0) CHECK(biggest > big_section_bytes);
    CHECK(vault->verify().ok());
    vault.reset();
    expect_no_plaintext(tmp.path(), needles, "after reopening and verifying");
}

}  // namespace

TEST_CASE("no plaintext reaches any file beside the vault") {
    run_scenario(0);
}

TEST_CASE("no plaintext reaches any file beside the vault, with a 1 MiB section (overflow pages, big WAL frames)") {
    run_scenario(std::size_t{1} << 20);
}
