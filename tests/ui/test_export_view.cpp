// The Export dialog, driven headless: the chronology as Excel to a typed path, written with mode
// 0600 and audited; an anonymised export refused while a name is not registered, then allowed.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"
#include "temp_dir.hpp"

using namespace imrdesk;
using test::UiHarness;

namespace {

domain::Id open_imr(UiHarness& h) {
    const auto imr = test::make_profile_with_imr(h.data_dir());
    h.unlock_profile();
    h.click("open SAR 2026-01");
    auto& ws = h.app().workspace();
    domain::SectionContent summary;
    summary.key = "summary";
    summary.text = "Mr Quillfeather lived alone.";
    ws.save_section(imr, summary);
    domain::ChronologyEntry e;
    e.date = domain::parse_date("14/03/2024");
    e.source = "GP record 1184";
    e.event = "Seen at home with Mr Quillfeather's son.";
    (void)ws.add_entry(imr, e);
    h.frame(2);
    return imr;
}

bool audited(UiHarness& h, const std::string& event, bool anonymised) {
    for (const auto& a : h.app().workspace().vault().audit_entries())
        if (a.event == event && a.details.value("anonymised", !anonymised) == anonymised) return true;
    return false;
}

void export_to(UiHarness& h, const std::filesystem::path& file) {
    h.click("Export path");
    h.press_ctrl('A');  // select the suggested path, to type over it
    h.type(file.string());
    h.click("Export now");
    h.settle();
    h.frame(2);
}

}  // namespace

TEST_CASE("ui: export the chronology as Excel, and the IMR anonymised once every name is registered") {
    UiHarness h;
    const auto imr = open_imr(h);
    h.click("Export...");
    h.frame(2);
    h.click("export xlsx");
    const auto xlsx = h.data_dir() / "chronology.xlsx";
    export_to(h, xlsx);
    REQUIRE(std::filesystem::exists(xlsx));
    struct stat st {};
    REQUIRE(::stat(xlsx.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(test::read_file(xlsx).substr(0, 2) == "PK");
    CHECK(audited(h, "chronology.exported", false));
    CHECK_FALSE(h.has("Export now"));  // the dialog closed

    // Anonymised: refused while 'Mr Quillfeather' is not registered; nothing is written.
    h.frame(2);  // the notice of the first export, over the bar, lets clicks through
    h.click("Export...");
    h.frame(2);
    REQUIRE(h.has("Export now"));
    h.click("export docx");
    h.click("Anonymised: every registered name replaced by its pseudonym");
    const auto docx = h.data_dir() / "imr-anonymised.docx";
    export_to(h, docx);
    CHECK(h.has("export error"));
    CHECK_FALSE(std::filesystem::exists(docx));

    (void)h.app().workspace().save_name(imr, {"Mr Quillfeather", "Adult B", nlohmann::json::object()});
    h.click("Export now");
    h.settle();
    h.frame(2);
    REQUIRE(std::filesystem::exists(docx));
    CHECK(audited(h, "imr.exported", true));
    CHECK(test::read_file(docx).find("Quillfeather") == std::string::npos);  // compressed, but never stored plain
}

TEST_CASE("ui: a lock while the Export dialog is open wipes it, and it does not come back") {
    UiHarness h;
    (void)open_imr(h);
    h.click("Export...");
    h.frame(2);
    REQUIRE(h.has("Export now"));
    h.app().lock();
    h.frame(2);
    CHECK_FALSE(h.has("Export now"));
}

TEST_CASE("ui: an export to a folder that does not exist says so in words, and the message goes once the path is fixed") {
    UiHarness h;
    open_imr(h);
    h.click("Export...");
    h.frame(2);
    h.click("export csv");
    const auto missing = h.data_dir() / "no such folder";
    export_to(h, missing / "chronology.csv");
    REQUIRE(h.has("export error"));
    const auto& items = h.ui().items();
    bool said = false;
    for (const auto& [label, rect] : items) {
        CHECK(label.find(".tmp-") == std::string::npos);  // never our temporary file's name
        said |= label.find("does not exist") != std::string::npos;
    }
    CHECK(said);
    CHECK_FALSE(std::filesystem::exists(missing));
    // Editing the path clears the message; the export then succeeds.
    h.click("Export path");
    h.press_ctrl('A');
    h.type((h.data_dir() / "chronology.csv").string());
    CHECK_FALSE(h.has("export error"));
    h.click("Export now");
    h.settle();
    h.frame(2);
    CHECK(std::filesystem::exists(h.data_dir() / "chronology.csv"));
    CHECK_FALSE(h.has("export error"));
}

TEST_CASE("ui: a write that fails names the file the author chose, not a temporary one") {
    UiHarness h;
    open_imr(h);
    h.click("Export...");
    h.frame(2);
    h.click("export csv");
    // A folder in the way of the temporary file the export writes first: the write itself fails.
    const auto target = h.data_dir() / "taken.csv";
    std::filesystem::create_directories(h.data_dir() / ("taken.csv.tmp-" + std::to_string(::getpid())));
    export_to(h, target);
    REQUIRE(h.has("export error"));
    bool named = false;
    for (const auto& [label, rect] : h.ui().items()) {
        CHECK(label.find(".tmp-") == std::string::npos);
        named |= label.rfind("export error: ", 0) == 0 && label.find(target.string()) != std::string::npos;
    }
    CHECK(named);
    CHECK_FALSE(std::filesystem::exists(target));
}
