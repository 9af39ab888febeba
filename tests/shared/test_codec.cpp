#include <doctest/doctest.h>

#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/validation.hpp"

using namespace imrdesk::domain;
using nlohmann::json;

namespace {

ChronologyEntry sample_entry() {
    ChronologyEntry e;
    e.date = parse_date("c. March 2019", {2026});
    e.time = parse_time("14:30");
    e.sequence = 2;
    e.source = "SystmOne, consultation 1184";
    e.event = "Attended with son.\nDisclosed drinking.";
    e.action = "Referred";
    e.rationale = "Risk";
    e.outcome = "Accepted";
    e.practitioner_role = "GP";
    e.comment = "Not seen alone";
    e.key_practice_episode = true;
    e.missed_opportunity = true;
    e.tor_questions = {1, 3};
    e.principles = {Principle::Protection, Principle::Proportionality};
    return e;
}

}  // namespace

TEST_CASE("a chronology entry survives a round trip through its versioned body") {
    const auto e = sample_entry();
    const json body = to_json(e);
    CHECK(body["v"] == kBodyVersion);
    CHECK(body["date"] == "2019-03~");
    const auto back = entry_from_json(json::parse(body.dump()));
    CHECK(back.date == e.date);
    CHECK(back.time == e.time);
    CHECK(back.sequence == 2);
    CHECK(back.event == e.event);
    CHECK(back.comment == e.comment);
    CHECK(back.key_practice_episode);
    CHECK(back.missed_opportunity);
    CHECK_FALSE(back.good_practice);
    CHECK(back.tor_questions == e.tor_questions);
    CHECK(back.principles == e.principles);
}

TEST_CASE("fields written by a newer version are kept on a round trip") {
    json body = to_json(sample_entry());
    body["safeguarding_category"] = "financial";
    body["attachments"] = json::array({"a", "b"});
    const auto entry = entry_from_json(body);
    const json again = to_json(entry);
    CHECK(again["safeguarding_category"] == "financial");
    CHECK(again["attachments"] == json::array({"a", "b"}));

    json section = to_json(SectionContent{"summary", "text", false, "", {}, false, json::object()});
    section["reviewer_note"] = "kept";
    CHECK(to_json(section_from_json(section))["reviewer_note"] == "kept");
}

TEST_CASE("a malformed body is refused with the record kind and the field") {
    json body = to_json(sample_entry());
    body["date"] = "31/02/2019";
    CHECK_THROWS_WITH_AS(entry_from_json(body), doctest::Contains("chronology entry: field 'date'"), CodecError);
    body = to_json(sample_entry());
    body["source"] = 42;
    CHECK_THROWS_WITH_AS(entry_from_json(body), "chronology entry: field 'source': must be text", CodecError);
    body = to_json(sample_entry());
    body["principles"] = json::array({"Kindness"});
    CHECK_THROWS_WITH_AS(entry_from_json(body), doctest::Contains("not one of the six safeguarding principles"), CodecError);
    body = to_json(sample_entry());
    body["v"] = 7;
    CHECK_THROWS_WITH_AS(entry_from_json(body), doctest::Contains("newer imrdesk"), CodecError);
    body.erase("v");
    CHECK_THROWS_WITH_AS(entry_from_json(body), doctest::Contains("schema version is missing"), CodecError);
    CHECK_THROWS_AS(entry_from_json(json::array()), CodecError);
    CHECK_THROWS_WITH_AS(parse_body("{not json", RecordKind::Section), doctest::Contains("section"), CodecError);
}

TEST_CASE("IMR header, recommendation, glossary and endorsement round-trip") {
    ImrHeader h;
    h.title = "IMR";
    h.case_info = {"SAR 1", "Review", {{1, "Q1"}, {4, "Q4"}}, CivilDate{2024, 1, 1}, CivilDate{2025, 12, 31}, CivilDate{2026, 3, 1}};
    h.agency = "Agency";
    h.adults = {{"Adult A", PartialDate::year(1961)}, {"Adult B", std::nullopt}};
    h.status = ImrStatus::ReadyForEndorsement;
    h.records_secured_date = CivilDate{2025, 11, 12};
    const auto back = imr_from_json(to_json(h));
    CHECK(back.case_info.terms_of_reference == h.case_info.terms_of_reference);
    CHECK(back.case_info.period_to == h.case_info.period_to);
    CHECK(back.adults == h.adults);
    CHECK(back.status == ImrStatus::ReadyForEndorsement);
    CHECK(back.records_secured_date == h.records_secured_date);

    Recommendation r{3, "Do better", {"learning.q2"}, "Director", CivilDate{2026, 6, 30}, "£2,000", "Audit", json::object()};
    const auto r2 = recommendation_from_json(to_json(r));
    CHECK(r2.order == 3);
    CHECK(r2.linked_learning == r.linked_learning);
    CHECK(r2.target_date == r.target_date);
    CHECK(glossary_from_json(to_json(GlossaryEntry{"DNA", "Did not attend", json::object()})).expansion == "Did not attend");
    Endorsement e{"Sam Senior", "Director", "I endorse", CivilDate{2026, 1, 2}, "ab", json::object()};
    CHECK(endorsement_from_json(to_json(e)).content_hash == "ab");
}

TEST_CASE("validation names the field and the reason") {
    CaseInfo case_info;
    case_info.period_from = CivilDate{2024, 1, 1};
    case_info.period_to = CivilDate{2024, 12, 31};
    case_info.terms_of_reference = {{1, "Q"}};
    ChronologyEntry e = sample_entry();
    e.source = "  ";
    e.tor_questions = {1, 2};
    const auto issues = validate(e, case_info);
    CHECK(has_errors(issues));
    const std::string joined = join(issues);
    CHECK(joined.find("source: the source of information is required") != std::string::npos);
    CHECK(joined.find("Terms of Reference question 2 does not exist") != std::string::npos);
    CHECK(joined.find("before the review period") != std::string::npos);  // a warning, 2019 < 2024

    SectionContent na{"themes.advocacy", "", true, "", {}, false, json::object()};
    CHECK(join(validate(na)) == "not_applicable_reason: say why this section does not apply to your agency");
    ImrHeader h;
    CHECK(join(validate(h)).find("agency: the name of the agency is required") != std::string::npos);
    Recommendation r;
    r.text = "x";
    CHECK_FALSE(has_errors(validate(r)));
    CHECK(validate(r).size() == 4);  // owner, date, resources, measure: warnings
}
