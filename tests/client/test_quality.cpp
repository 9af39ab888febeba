#include <doctest/doctest.h>

#include "imrdesk/client/quality.hpp"
#include "imrdesk/client/search.hpp"

using namespace imrdesk;
using client::ImrDocument;
using client::Place;

namespace {

ImrDocument make_doc() {
    ImrDocument doc;
    doc.header.case_info.reference = "SAR 1";
    doc.header.case_info.period_from = domain::CivilDate{2024, 1, 1};
    doc.header.case_info.period_to = domain::CivilDate{2024, 12, 31};
    doc.header.agency = "Agency";
    doc.header.adults = {{"Adult A", std::nullopt}};
    doc.header.gap_threshold_days = 60;
    return doc;
}

void add(ImrDocument& doc, const char* date, bool no_contact = false) {
    domain::ChronologyEntry e;
    e.date = domain::parse_date(date, {2026});
    e.source = "GP record";
    e.event = "Seen";
    e.no_contact_period = no_contact;
    domain::Id id;
    id.bytes[0] = static_cast<std::uint8_t>(doc.entries.size() + 1);
    doc.entries.push_back({id, e});
}

}  // namespace

TEST_CASE("gaps longer than the threshold inside the review period are found, and a statement acknowledges them") {
    auto doc = make_doc();
    add(doc, "10/01/2024");
    add(doc, "20/01/2024");
    add(doc, "01/06/2024");  // 132 days after 20 January
    add(doc, "15/12/2024");
    auto gaps = client::find_gaps(doc);
    REQUIRE(gaps.size() == 2);
    CHECK(gaps[0].from == domain::CivilDate{2024, 1, 21});
    CHECK(gaps[0].to == domain::CivilDate{2024, 5, 31});
    CHECK(gaps[0].days == 132);
    CHECK_FALSE(gaps[0].acknowledged);
    CHECK(gaps[1].from == domain::CivilDate{2024, 6, 2});

    const auto statement = client::no_contact_entry(gaps[0], "", "");
    CHECK(statement.no_contact_period);
    CHECK(statement.event == "No agency contact from 21 January 2024 to 31 May 2024.");
    CHECK(statement.date.iso() == "2024-01-21/2024-05-31");
    doc.entries.push_back({domain::Id{}, statement});
    gaps = client::find_gaps(doc);
    REQUIRE(gaps.size() == 2);
    CHECK(gaps[0].acknowledged);
    CHECK_FALSE(gaps[1].acknowledged);
}

TEST_CASE("a year or an approximate date does not count as contact, and the end of the period is checked") {
    auto doc = make_doc();
    add(doc, "2024");
    add(doc, "c. 06/2024");
    add(doc, "05/01/2024");
    const auto gaps = client::find_gaps(doc);
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].from == domain::CivilDate{2024, 1, 6});
    CHECK(gaps[0].to == domain::CivilDate{2024, 12, 31});
}

TEST_CASE("abbreviations are found unless expanded where used or in the glossary") {
    std::vector<client::Stored<domain::GlossaryEntry>> glossary;
    const std::string text = "Adult A did not attend (DNA) twice. A&E then NFA. CMHT declined; the GP saw him. Visit in 2024.";
    auto findings = client::find_abbreviations(text, Place{}, glossary);
    std::vector<std::string> tokens;
    for (const auto& f : findings) tokens.push_back(f.token);
    CHECK(tokens == std::vector<std::string>{"A&E", "NFA", "CMHT", "GP"});
    REQUIRE(findings[1].expansion);
    CHECK(*findings[1].expansion == "no further action");

    glossary.push_back({domain::Id{}, {"GP", "General practitioner", {}}});
    findings = client::find_abbreviations(text, Place{}, glossary);
    CHECK(findings.size() == 3);

    const auto expanded = client::expand_in_place(text, findings[1], "no further action");
    CHECK(expanded.find("then no further action (NFA).") != std::string::npos);
    CHECK(client::find_abbreviations(expanded, Place{}, glossary).size() == 2);  // NFA is now expanded where used
}

TEST_CASE("the pre-submission check lists what is missing and where it is") {
    auto doc = make_doc();
    add(doc, "10/01/2024");
    doc.entries.back().value.source = "";
    doc.sections.push_back({domain::Id{}, {"summary", "The GP saw Adult A.", false, "", {}, true, {}}});
    doc.sections.push_back({domain::Id{}, {"themes.advocacy", "", true, " ", {}, false, {}}});
    for (int i = 0; i < 6; ++i) doc.recommendations.push_back({domain::Id{}, {i + 1, "Do it", {}, "", std::nullopt, "", "", {}}});
    const auto findings = client::presubmission_check(doc, domain::ImrTemplate::builtin());
    auto has = [&](const std::string& text, Place::Kind kind) {
        return std::any_of(findings.begin(), findings.end(), [&](const client::CheckFinding& f) {
            return f.message.find(text) != std::string::npos && f.place.kind == kind;
        });
    };
    CHECK(has("source: the source of information is required", Place::Kind::Entry));
    CHECK(has("marked not applicable without a reason", Place::Kind::Section));
    CHECK(has("Empowerment: empty", Place::Kind::Section));
    CHECK(has("no entry from 11 January 2024 to 31 December 2024", Place::Kind::Chronology));
    CHECK(has("'GP' is an abbreviation", Place::Kind::Section));
    CHECK(has("6 recommendations. They should be few in number", Place::Kind::Section));
    CHECK(has("Recommendation 1: name the role that owns this recommendation", Place::Kind::Recommendation));
    CHECK_FALSE(has("Summary: empty", Place::Kind::Section));  // complete
    CHECK_FALSE(has("Summary: in progress", Place::Kind::Section));
    CHECK(has("Summary: 'GP' is an abbreviation", Place::Kind::Section));
    // Errors come first.
    const auto first_warning = std::find_if(findings.begin(), findings.end(),
                                            [](const auto& f) { return f.severity == domain::Severity::Warning; });
    CHECK(std::all_of(first_warning, findings.end(), [](const auto& f) { return f.severity == domain::Severity::Warning; }));
}

TEST_CASE("search finds text in sections and the chronology, case-insensitively, with a snippet") {
    auto doc = make_doc();
    add(doc, "10/01/2024");
    doc.entries.back().value.event = "Son answered for his FATHER at the door.";
    doc.sections.push_back({domain::Id{}, {"summary", "His father lived alone.", false, "", {}, false, {}}});
    const auto hits = client::search(doc, domain::ImrTemplate::builtin(), "father");
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].place.section_key == "summary");
    CHECK(hits[1].place.kind == Place::Kind::Entry);
    CHECK(hits[1].label == "Chronology, 10 January 2024");
    CHECK(hits[1].snippet.find("FATHER") != std::string::npos);
    CHECK(client::search(doc, domain::ImrTemplate::builtin(), "").empty());
}

TEST_CASE("search matches whole words unless asked for parts of words, and says where the match is") {
    auto doc = make_doc();
    doc.sections.push_back({domain::Id{}, {"summary", "The person and her son met Sonia. The son's view was recorded; Zoé's son too.", false, "", {}, false, {}}});
    const auto& tmpl = domain::ImrTemplate::builtin();
    const auto hits = client::search(doc, tmpl, "son");
    REQUIRE(hits.size() == 3);  // "son", "son's", "son": never "person" or "Sonia"
    for (const auto& h : hits) {
        CHECK(h.length == 3);
        CHECK(h.snippet.substr(h.snippet_offset, h.length) == "son");
    }
    CHECK(client::search(doc, tmpl, "son", 200, client::MatchWords::Parts).size() == 5);
    CHECK(client::search(doc, tmpl, "Zo").empty());  // inside "Zoé"
    CHECK(client::search(doc, tmpl, "Zoé").size() == 1);
    CHECK(client::search(doc, tmpl, "her son").size() == 1);  // a phrase
    // A long text: the snippet is cut around the match, which it still points at.
    doc.sections.back().value.text = std::string(200, 'x') + " father " + std::string(200, 'y');
    const auto far = client::search(doc, tmpl, "father");
    REQUIRE(far.size() == 1);
    CHECK(far[0].offset == 201);
    CHECK(far[0].snippet.rfind("...", 0) == 0);
    CHECK(far[0].snippet.substr(far[0].snippet_offset, 6) == "father");
}
