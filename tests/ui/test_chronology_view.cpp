// The chronology view, driven headless: add, edit, sort and filter entries as an author would.
#include <doctest/doctest.h>

#include "harness.hpp"

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

void add_entry(UiHarness& h, const char* date, const char* source, const char* event) {
    if (h.has("New entry")) h.click("New entry");  // shown while an existing entry is open
    if (h.has("Clear")) h.click("Clear");
    h.click("Date");
    h.type(date);
    h.click("Source");
    h.type(source);
    h.click("Event / contact details");
    h.type(event);
    h.click("Add entry");
}

float row_y(UiHarness& h, const domain::Id& entry) {
    const auto it = h.ui().items().find("entry:" + entry.hex());
    REQUIRE_MESSAGE(it != h.ui().items().end(), "entry " << entry.hex() << " is not on screen");
    return it->second.cy();
}

}  // namespace

TEST_CASE("ui: chronology entries are added from the panel and shown in date order") {
    UiHarness h;
    const auto imr = open_chronology(h);
    add_entry(h, "14/03/2024", "Alpha record 7", "Seen at home");
    add_entry(h, "02/2024", "Zeta record 2", "Telephone call");
    const auto& entries = h.app().workspace().get(imr).entries;
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].value.date.iso() == "2024-02");
    CHECK(entries[0].value.source == "Zeta record 2");
    CHECK(entries[1].value.event == "Seen at home");
    h.frame(2);
    CHECK(row_y(h, entries[0].id) < row_y(h, entries[1].id));
}

TEST_CASE("ui: a date the panel cannot read is explained and nothing is added") {
    UiHarness h;
    const auto imr = open_chronology(h);
    h.click("Date");
    h.type("31/02/2024");
    h.click("Source");
    h.type("GP record");
    h.click("Event / contact details");
    h.type("Seen");
    h.click("Add entry");
    CHECK(h.app().workspace().get(imr).entries.empty());
}

TEST_CASE("ui: editing an entry in the panel autosaves it") {
    UiHarness h;
    const auto imr = open_chronology(h);
    add_entry(h, "14/03/2024", "GP record", "Seen at home");
    const auto id = h.app().workspace().get(imr).entries.front().id;
    h.frame(2);
    h.click("entry:" + id.hex());
    CHECK(h.app().selected_entry() == id);
    h.click("Event / contact details");
    h.press(269);  // End
    h.type(" with his son.");
    h.advance(1.5);
    h.frame(2);
    CHECK(h.app().workspace().get(imr).entries.front().value.event == "Seen at home with his son.");
    h.scroll_over("Sequence", -10);  // the flags are further down the panel
    h.click("Missed opportunity (M)");
    h.advance(1.5);
    h.frame(2);
    CHECK(h.app().workspace().get(imr).entries.front().value.missed_opportunity);
}

TEST_CASE("ui: clicking a column header sorts the table by it, and the filter narrows it") {
    UiHarness h;
    const auto imr = open_chronology(h);
    add_entry(h, "14/03/2024", "Alpha record", "Seen at home");
    add_entry(h, "02/02/2024", "Zeta record", "Telephone call");
    const auto& entries = h.app().workspace().get(imr).entries;
    const auto february = entries[0].id, march = entries[1].id;
    h.frame(2);
    CHECK(row_y(h, february) < row_y(h, march));
    h.click("column:Source");
    h.frame(2);
    CHECK(row_y(h, march) < row_y(h, february));  // Alpha before Zeta
    h.click("column:Source");
    h.frame(2);
    CHECK(row_y(h, february) < row_y(h, march));  // descending

    h.click("Filter");
    h.type("telephone");
    h.frame(2);
    CHECK(h.has("entry:" + february.hex()));
    CHECK_FALSE(h.has("entry:" + march.hex()));
}

TEST_CASE("ui: the hint under Source stays as the author types, so the boxes below do not move") {
    UiHarness h;
    open_chronology(h);
    if (h.has("New entry")) h.click("New entry");
    REQUIRE(h.has("Source hint"));
    const float event_before = h.ui().items().at("Event / contact details").y0;
    h.click("Source");
    h.type("GP record (SystmOne), consultation 1184");
    CHECK(h.has("Source hint"));
    CHECK(h.ui().items().at("Event / contact details").y0 == event_before);
}

TEST_CASE("ui: the entry panel can be hidden, giving the table the whole width, and shown again") {
    UiHarness h;
    open_chronology(h);
    add_entry(h, "14/03/2024", "GP record 1184", "Seen at home with his son, who answered most of the questions.");
    REQUIRE(h.has("Hide entry panel"));
    REQUIRE(h.has("Source"));  // the panel's fields
    const auto row = [&] { return h.ui().items().at("row 1"); };
    const float narrow = row().x1 - row().x0;
    h.click("Hide entry panel");
    CHECK_FALSE(h.has("Source"));
    CHECK(h.has("Show entry panel"));
    CHECK(row().x1 - row().x0 > narrow * 1.3f);  // the table reads across the whole width
    h.click("Show entry panel");
    CHECK(h.has("Source"));
    CHECK(row().x1 - row().x0 == doctest::Approx(narrow));
}

TEST_CASE("ui: the Date column is as wide as its widest date, also after one is added") {
    UiHarness h;
    open_chronology(h);
    add_entry(h, "14/03/2024", "GP record 1184", "Seen at home.");
    CHECK(h.has("date: 14/03/2024"));
    add_entry(h, "c. 07/2024 - 09/2024", "GP record 1190", "A range of months, approximate.");
    h.frame(3);
    std::string shown;
    for (const auto& [label, rect] : h.ui().items())
        if (label.rfind("date", 0) == 0 && label.find("2024 - ") != std::string::npos) shown = label;
    INFO(shown);
    CHECK(shown.rfind("date: ", 0) == 0);  // drawn whole, never cut to "c. 07/2024 - 0..."
    CHECK(h.has("date: 14/03/2024"));
}

TEST_CASE("ui: the reading layout shows each entry's whole text wrapped, one line per row is a click away") {
    UiHarness h;
    open_chronology(h);
    const std::string long_event =
        "Adult A attended the surgery for a review of chronic obstructive pulmonary disease. He said he was drinking "
        "a bottle of vodka most days since the death of his wife, that his son now collected his pension, and that "
        "he had fallen twice in the kitchen. Weight 58 kg, down 6 kg in a year. Bruising to both forearms noted.";
    add_entry(h, "14/03/2024", "GP record 1184", long_event.c_str());
    add_entry(h, "15/03/2024", "GP record 1190", "Telephone call.");
    h.frame(3);
    REQUIRE(h.app().settings().chronology_wrap);  // the default
    const auto height = [&](const char* row) {
        const auto& r = h.ui().items().at(row);
        return r.y1 - r.y0;
    };
    // The long entry's row is as tall as its event wrapped to the column: several lines.
    CHECK(height("row 1") > 3.0f * height("row 2"));
    CHECK(h.ui().items().at("row 2").y0 >= h.ui().items().at("row 1").y1 - 1.0f);  // rows never overlap

    h.click("One line per row");
    h.frame(2);
    CHECK_FALSE(h.app().settings().chronology_wrap);
    CHECK(h.has("Wrap rows"));
    CHECK(height("row 1") == doctest::Approx(height("row 2")));  // the event cut to one line, whole on hover

    h.click("Wrap rows");
    h.frame(2);
    CHECK(h.app().settings().chronology_wrap);
    CHECK(height("row 1") > 3.0f * height("row 2"));
}

TEST_CASE("ui: in the reading layout, the Event column gets the most width and a selected entry far down is scrolled to") {
    UiHarness h;
    const auto imr = open_chronology(h);
    // Three hundred entries of differing lengths, added as an import would.
    std::vector<domain::ChronologyEntry> list;
    for (int i = 0; i < 300; ++i) {
        domain::ChronologyEntry e;
        e.date = domain::PartialDate::day(2020, 1, 1);
        e.sequence = i;
        e.source = "GP record " + std::to_string(1000 + i);
        e.event = "Visit " + std::to_string(i) + ": " + std::string(static_cast<std::size_t>(20 + (i * 37) % 300), 'x');
        for (std::size_t k = 12; k < e.event.size(); k += 9) e.event[k] = ' ';  // words of eight letters
        e.practitioner_role = "GP";
        list.push_back(std::move(e));
    }
    REQUIRE(h.app().workspace().add_entries(imr, std::move(list)).size() == 300);
    h.frame(4);
    const auto width = [&](const char* column) {
        const auto& r = h.ui().items().at(std::string("column:") + column);
        return r.x1 - r.x0;
    };
    INFO("Event " << width("Event") << " Role " << width("Role") << " Source " << width("Source") << " Action " << width("Action / outcome") << " Comment " << width("Comment"));
    CHECK(width("Event") > 2.0f * width("Role"));
    CHECK(width("Event") > width("Source"));

    const auto& doc = *h.app().current_imr();
    const domain::Id far = doc.entries[280].id;
    h.app().select_entry(far);
    h.frame(4);
    const auto it = h.ui().items().find("entry:" + far.hex());
    REQUIRE_MESSAGE(it != h.ui().items().end(), "the selected entry was not scrolled into view");
    const auto& table = h.ui().items().at("column:Date");
    CHECK(it->second.y0 > table.y1);                      // below the header ...
    CHECK(it->second.y1 < table.y1 + 768.0f);             // ... and on the screen
    CHECK(h.has("row 281"));
}
