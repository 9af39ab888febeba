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
    // A word the dictionary does not know (SystmOne is in the demo's glossary, so not one).
    const std::string word = "Brackenholme";
    app.apply("test", [&](client::Workspace& ws) {
        auto summary = ws.get(app.current_imr()->id).section("summary")->value;
        summary.text += " Seen at the Brackenholme clinic.";
        ws.save_section(app.current_imr()->id, summary);
    });
    h.frame(2);
    h.click("Spelling");
    h.click("Check again");
    h.frame(2);
    REQUIRE(h.has("spelling:" + word));
    h.click("spelling:" + word);
    h.click("Add to personal dictionary");
    CHECK_FALSE(h.has("spelling:" + word));
    const auto stored = app.workspace().vault().load_private(client::kPersonalDictionaryName);
    CHECK(stored == word + "\n");
    // Replace in a chronology entry field: find one, choose the suggestion, fix it.
    REQUIRE(h.has("spelling:RiO"));
    h.click("spelling:RiO");
    REQUIRE(h.has("Rio"));
    h.click("Rio");
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

TEST_CASE("ui: a finding repeated in many places is one row with a count, and lists its places on demand") {
    UiHarness h(true);
    auto& app = h.app();
    app.open_imr(app.workspace().imrs().front().id);
    app.show(client::ImrView::Quality);
    h.frame(3);
    const auto findings = client::presubmission_check(*app.current_imr(), domain::ImrTemplate::builtin());
    const std::string group = "'GP' is an abbreviation. Expand it, or add it to the glossary";
    std::vector<client::CheckFinding> places;
    for (const auto& x : findings)
        if (x.group == group) places.push_back(x);
    REQUIRE(places.size() >= 3);  // the demo says "GP" all over
    const std::string row = group + " (" + std::to_string(places.size()) + " places)";
    REQUIRE(h.has(row));
    for (const auto& p : places) CHECK_FALSE(h.has(p.message));  // not one row per place
    CHECK_FALSE(h.has(places.front().location));

    h.click(row);  // open: each place is listed by where it is
    const auto lone = std::find_if(places.begin(), places.end(), [&](const client::CheckFinding& p) {
        return std::count_if(places.begin(), places.end(), [&](const client::CheckFinding& q) { return q.location == p.location; }) == 1;
    });
    REQUIRE(lone != places.end());
    REQUIRE(h.has(lone->location));
    h.click(lone->location);
    CHECK(app.imr_view() != client::ImrView::Quality);  // it led to the place
    if (lone->place.kind == client::Place::Kind::Section) CHECK(app.current_section() == lone->place.section_key);
    if (lone->place.kind == client::Place::Kind::Entry) CHECK(app.selected_entry() == lone->place.id);

    app.show(client::ImrView::Quality);  // still open on return; a second choice closes it
    h.frame(3);
    REQUIRE(h.has(lone->location));
    h.click(row);
    CHECK_FALSE(h.has(lone->location));
    CHECK(h.has(row));
}

TEST_CASE("ui: spelling leaves glossary terms alone and never fills in a replacement") {
    UiHarness h(true);
    auto& app = h.app();
    const auto id = app.workspace().imrs().front().id;
    app.open_imr(id);
    bool in_glossary = false;
    for (const auto& g : app.current_imr()->glossary) in_glossary |= g.value.abbreviation == "SystmOne";
    REQUIRE(in_glossary);  // the demo explains SystmOne in its glossary
    app.show(client::ImrView::Quality);
    h.frame(3);
    h.click("Spelling");
    CHECK_FALSE(h.has("spelling:SystmOne"));
    REQUIRE(h.has("spelling:RiO"));
    h.click("spelling:RiO");
    CHECK(h.has("Replacement: "));  // the box is empty
    const auto before = app.workspace().get(id).sections;
    h.click("Replace");  // disabled while nothing is chosen: nothing changes
    const auto& after = app.workspace().get(id).sections;
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) CHECK(after[i].value.text == before[i].value.text);
    CHECK(h.has("spelling:RiO"));
}

TEST_CASE("ui: going to a recommendation far down keeps the IMR bar and the view buttons on screen") {
    UiHarness h(true);
    auto& app = h.app();
    const auto id = app.workspace().imrs().front().id;
    app.open_imr(id);
    domain::Id last;
    app.apply("test", [&](client::Workspace& ws) {
        for (int i = 0; i < 14; ++i) {
            domain::Recommendation r;
            r.order = 100 + i;
            r.text = "Recommendation number " + std::to_string(i) + " about supervision and the sharing of concerns.";
            last = ws.save_recommendation(id, std::nullopt, r);
        }
    });
    h.frame(2);
    app.go_to({client::Place::Kind::Recommendation, "recommendations", last, "text"});
    h.frame(4);
    REQUIRE(app.imr_view() == client::ImrView::Recommendations);
    CHECK(h.has("< All IMRs"));
    CHECK(h.has("Recommendations"));
    CHECK(h.has("Export..."));
    const auto bar = h.ui().items().at("< All IMRs");
    CHECK(bar.y0 >= 0.0f);
    CHECK(bar.y0 < 3 * ImGui::GetTextLineHeightWithSpacing());  // still at the top of the window
}
