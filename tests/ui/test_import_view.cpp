// The import dialog, driven headless as an author would: a board template whose headings are not
// all understood, each column's field chosen in its drop-down, one left out, then the import.
#include <doctest/doctest.h>

#include <imgui.h>

#include "harness.hpp"
#include "temp_dir.hpp"

using namespace imrdesk;
using test::UiHarness;

namespace {

domain::Id open_chronology(UiHarness& h) {
    const auto imr = test::make_profile_with_imr(h.data_dir());
    h.unlock_profile();
    h.click("open SAR 2026-01");
    h.click("Chronology");
    REQUIRE(h.app().imr_view() == client::ImrView::Chronology);
    return imr;
}

void choose(UiHarness& h, const std::string& column, const std::string& field) {
    h.click("map " + column);
    h.frame();
    h.click("field " + field);
    h.settle();  // the preview is made again in the background
}

}  // namespace

TEST_CASE("ui: the import preview shows every column with its field, the author changes one, leaves one out, imports") {
    UiHarness h;
    const auto imr = open_chronology(h);
    const auto file = h.data_dir() / "board template.csv";
    // Windows-1252, semicolons, a title row, a heading nobody recognises and one the author does not want.
    test::write_file(file,
                     "Chronology of agency involvement;;;;;\n"
                     "Date/Time;Logged on;Details of contact/event;Outcome / Action Taken;Internal;Location\n"
                     "14/03/2024 09:40;GP record 1184;Seen at home, \xA3" "5 left;Referred;x1;Mill Lane\n"
                     "15/03/2024;GP record 1190;Telephone call;None;x2;\n");

    h.click("Import...");
    h.frame(2);
    h.click("Import path");
    h.type(file.string());
    h.click("Check file");
    h.settle();
    // "Logged on" means nothing to the importer: no Source yet, so nothing can be imported.
    REQUIRE(h.has("map Logged on"));
    REQUIRE(h.has("map Internal"));
    CHECK(h.has("Import entries"));
    h.click("Import entries");  // disabled: does nothing
    h.settle();
    CHECK(h.app().workspace().get(imr).entries.empty());

    choose(h, "Logged on", "Source of information");
    choose(h, "Internal", "Don't import");
    h.click("Import entries");
    h.settle();

    const auto& entries = h.app().workspace().get(imr).entries;
    REQUIRE(entries.size() == 2);
    const auto& e = entries[0].value;
    CHECK(e.date.iso() == "2024-03-14");
    CHECK(e.time->text() == "09:40");
    CHECK(e.source == "GP record 1184");
    CHECK(e.event == "Seen at home, \xC2\xA3" "5 left");  // converted from Windows-1252
    CHECK(e.action == "Referred");
    CHECK(e.extra_fields == std::vector<domain::ExtraField>{{"Location", "Mill Lane"}});  // kept, not dropped
    CHECK(entries[1].value.extra_fields.empty());          // "Internal" was left out by choice
    CHECK_FALSE(h.has("map Internal"));                    // the dialog closed

    // The kept field is in the entry's panel, and an edit there keeps the imported fields.
    h.click("entry:" + entries[0].id.hex());
    h.frame(2);
    CHECK(h.has("Agency"));
    CHECK(h.has("Type of contact"));
    h.click("Type of contact");
    h.type("Home visit");
    // A tall screen shows the whole panel: the imported field is there, under its heading.
    ImGui::GetIO().DisplaySize = ImVec2(1366, 1800);
    h.frame(3);
    h.click("Practitioner's role");
    h.type("GP");
    h.frame(2);
    CHECK(h.has("extra Location"));
    REQUIRE(h.app().flush());
    const auto& edited = h.app().workspace().get(imr).entries[0].value;
    CHECK(edited.practitioner_role == "GP");
    CHECK(edited.contact_type == "Home visit");
    CHECK(edited.extra_fields == std::vector<domain::ExtraField>{{"Location", "Mill Lane"}});
}

TEST_CASE("ui: a file of the wrong kind is explained in the dialog") {
    UiHarness h;
    (void)open_chronology(h);
    const auto file = h.data_dir() / "old.xls";
    test::write_file(file, std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
    h.click("Import...");
    h.frame(2);
    h.click("Import path");
    h.type(file.string());
    h.click("Check file");
    h.settle();
    CHECK(h.has("import error"));
    CHECK_FALSE(h.has("map Date"));
    h.click("Cancel");
    h.frame(2);
    CHECK_FALSE(h.has("Import entries"));
}
