// The quality, recommendations, glossary and endorsement views, driven headless on the demo IMR.
#include <doctest/doctest.h>

#include <cstdio>
#include <map>

#include "harness.hpp"
#include "imrdesk/client/quality.hpp"
#include "imrdesk/client/spelling.hpp"

using namespace imrdesk;
using test::UiHarness;

namespace {
std::size_t count(const std::string& hay, const std::string& needle) {
    std::size_t n = 0;
    for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
    return n;
}
std::size_t expanded(const client::ImrDocument& doc) {
    std::size_t n = 0;
    for (const auto& s : doc.sections) n += count(s.value.text, "general practitioner (GP)");
    return n;
}
}  // namespace

TEST_CASE("ui: expand here keeps the section editor's draft in step") {
    UiHarness h(true);
    auto& app = h.app();
    app.open_imr(app.workspace().imrs().front().id);
    h.frame(2);
    const auto id = app.current_imr()->id;
    std::map<std::string, std::string> before;
    for (const auto& s : app.current_imr()->sections) before[s.value.key] = s.value.text;
    app.show(client::ImrView::Quality);
    h.frame(2);
    h.click("Abbreviations");
    h.click("abbreviation:GP");
    REQUIRE(h.has("Expand here"));
    const auto n0 = expanded(app.workspace().get(id));
    h.click("Expand here");
    CHECK(expanded(app.workspace().get(id)) == n0 + 1);
    std::string changed;
    for (const auto& s : app.workspace().get(id).sections)
        if (before[s.value.key] != s.value.text) changed = s.value.key;
    REQUIRE(!changed.empty());

    app.select_section(changed);
    h.frame(2);
    app.show(client::ImrView::Quality);
    h.frame(3);
    h.click("Abbreviations");
    h.click("abbreviation:GP");
    h.click("Expand here");
    const auto& doc = app.workspace().get(id);
    CHECK(expanded(doc) == n0 + 2);
    CHECK(app.draft().key == changed);
    CHECK(app.draft().text == doc.section(changed)->value.text);
    app.show(client::ImrView::Sections);
    h.frame(3);
    CHECK(app.draft().text == doc.section(changed)->value.text);
    CHECK(app.save_state() == client::SaveState::Saved);

    // Adding to the glossary removes the token from the list.
    app.show(client::ImrView::Quality);
    h.frame(3);
    h.click("Abbreviations");
    h.click("abbreviation:IMR");
    h.click("Add to this IMR's glossary");
    bool found = false;
    for (const auto& g : app.workspace().get(id).glossary) found |= g.value.abbreviation == "IMR";
    CHECK(found);
    CHECK_FALSE(h.has("abbreviation:IMR"));
}

TEST_CASE("ui: spelling, personal dictionary in the vault") {
    UiHarness h(true);
    auto& app = h.app();
    app.open_imr(app.workspace().imrs().front().id);
    app.show(client::ImrView::Quality);
    h.frame(3);
    h.click("Spelling");
    REQUIRE(h.has("spelling:SystmOne"));
    h.click("spelling:SystmOne");
    h.click("Add to personal dictionary");
    CHECK_FALSE(h.has("spelling:SystmOne"));
    const auto stored = app.workspace().vault().load_private(client::kPersonalDictionaryName);
    CHECK(stored == "SystmOne\n");
    // Replace in a chronology entry field: find one, fix it.
    REQUIRE(h.has("spelling:RiO"));
    h.click("spelling:RiO");
    h.click("Replace");
    CHECK_FALSE(h.has("spelling:RiO"));
    bool rio = false;
    for (const auto& s : app.current_imr()->sections) rio |= s.value.text.find("(Theseus, Rio)") != std::string::npos;
    CHECK(rio);
    CHECK(h.has("Personal dictionary"));
}

TEST_CASE("ui: recommendations add, autosave, move, delete") {
    UiHarness h(true);
    auto& app = h.app();
    app.open_imr(app.workspace().imrs().front().id);
    const auto id = app.current_imr()->id;
    app.show(client::ImrView::Recommendations);
    h.frame(3);
    h.click("Add recommendation");
    h.frame(2);
    h.type("Managers will audit closures.");
    auto& recs = app.workspace().get(id).recommendations;
    REQUIRE(recs.size() == 3);
    CHECK(recs[2].value.text == "Managers will audit closures.");
    CHECK(recs[2].value.order == 3);
    CHECK(app.selected_recommendation() == recs[2].id);
    h.type(" Quarterly.");
    h.advance(2);
    h.frame(2);
    CHECK(recs[2].value.text == "Managers will audit closures. Quarterly.");
    const auto added = recs[2].id;
    h.frame(3);
    h.click("Move up");
    CHECK(recs[1].id == added);
    CHECK(recs[1].value.order == 2);
    CHECK(recs[2].value.order == 3);
    h.click("Target date");
    h.type("31/12/2026");
    h.advance(2);
    h.frame(2);
    CHECK(recs[1].value.target_date == domain::CivilDate{2026, 12, 31});
    h.click("learning.q3");
    h.advance(2);
    h.frame(2);
    CHECK(recs[1].value.linked_learning == std::vector<std::string>{"learning.q3"});
    h.click("Delete");
    REQUIRE(h.has("Delete recommendation"));
    h.click("Delete recommendation");
    REQUIRE(recs.size() == 2);
    CHECK(recs[0].value.order == 1);
    CHECK(recs[1].value.order == 2);
    CHECK_FALSE(app.selected_recommendation().has_value());
}

TEST_CASE("ui: glossary add with Enter, delete with confirmation") {
    UiHarness h(true);
    auto& app = h.app();
    app.open_imr(app.workspace().imrs().front().id);
    const auto id = app.current_imr()->id;
    app.show(client::ImrView::Glossary);
    h.frame(3);
    h.click("New abbreviation");
    h.type("CMHT");
    h.press(257);
    h.type("Community Mental Health Team");
    h.press(257);
    const auto& g = app.workspace().get(id).glossary;
    REQUIRE(g.size() == 3);
    CHECK(g[0].value.abbreviation == "CMHT");
    h.frame(2);
    h.click("glossary expansion:CMHT");
    h.type("!");
    h.advance(2);
    h.frame(2);
    CHECK(g[0].value.expansion == "Community Mental Health Team!");
    h.click("Delete");
    h.click("Delete from glossary");
    CHECK(g.size() == 2);
}

TEST_CASE("ui: endorse and withdraw") {
    UiHarness h(true);
    auto& app = h.app();
    app.open_imr(app.workspace().imrs().front().id);
    const auto id = app.current_imr()->id;
    app.show(client::ImrView::Endorsement);
    h.frame(3);
    h.click("Officer name");
    h.type("Jane Doe");
    h.click("Officer role");
    h.type("Director of Nursing");
    h.click("Record endorsement");
    CHECK(app.workspace().get(id).header.status == domain::ImrStatus::Draft);  // problems not acknowledged
    h.click("I understand");
    h.click("Record endorsement");
    REQUIRE(app.workspace().get(id).header.status == domain::ImrStatus::Endorsed);
    CHECK(app.workspace().get(id).endorsement->value.content_hash == app.workspace().content_hash(id));
    h.frame(2);
    CHECK(h.has("Content hash"));
    h.click("Withdraw endorsement");
    h.click("Withdraw the endorsement");
    CHECK(app.workspace().get(id).header.status == domain::ImrStatus::Draft);
    CHECK(h.has("Officer name"));
}


TEST_CASE("ui: a finding of the pre-submission check leads to its place") {
    UiHarness h(true);
    auto& app = h.app();
    app.open_imr(app.workspace().imrs().front().id);
    app.show(client::ImrView::Quality);
    h.frame(3);
    REQUIRE(h.has("Check summary"));
    const auto findings = client::presubmission_check(*app.current_imr(), domain::ImrTemplate::builtin());
    REQUIRE(!findings.empty());
    REQUIRE(h.has(findings.front().message));  // each finding is drawn with its message
    h.click(findings.front().message);
    const auto& place = findings.front().place;
    switch (place.kind) {
        case client::Place::Kind::Section:
        case client::Place::Kind::Header:
            CHECK(app.imr_view() == client::ImrView::Sections);
            CHECK(app.current_section() == place.section_key);
            break;
        case client::Place::Kind::Entry:
            CHECK(app.imr_view() == client::ImrView::Chronology);
            CHECK(app.selected_entry() == place.id);
            break;
        case client::Place::Kind::Chronology: CHECK(app.imr_view() == client::ImrView::Chronology); break;
        default: CHECK(app.imr_view() != client::ImrView::Quality); break;
    }
}
