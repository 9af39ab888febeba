#include <doctest/doctest.h>

#include <set>

#include "imrdesk/shared/imr_template.hpp"
#include "imrdesk/shared/model.hpp"

using namespace imrdesk::domain;

namespace {

// Every string a section heading or guidance of the built-in template holds, concatenated.
std::string all_text(const ImrTemplate& t) {
    std::string out;
    for (const auto& p : t.introduction()) out += p + "\n";
    for (const auto& b : t.brief()) out += b.heading + "\n" + b.text + "\n";
    for (const auto& item : t.outline({})) out += item.heading + "\n" + item.guidance + "\n";
    for (const auto& section : t.sections())
        for (const auto& f : section.fields) out += f.label + "\n";
    return out;
}

}  // namespace

TEST_CASE("the built-in template holds every heading, question, principle and theme of the seeds word for word") {
    const auto& t = ImrTemplate::builtin();
    const std::string text = all_text(t);
    // Copied from the board's template and 7-minute brief (../shared/seeds).
    const char* const verbatim[] = {
        "This document is intended to provide an IMR of the decisions, actions taken and services provided to the adult.",
        "The aim of the IMR is to look openly and critically at individual and organisational practice to see whether the case indicates that changes could and should be made and, if so, to identify how those changes will be brought about.",
        "The findings from the IMR report should be endorsed by the senior officer within the organisation who has commissioned the report and who will be responsible for ensuring that recommendations are acted upon.",
        "Name of Agency:", "Name of Adult(s):", "DOB:", "Name, agency and contact details of author", "Date of Completion of IMR:",
        "Provide a brief factual and contextual summary of your agency's involvement with the adult for the time period identified for this safeguarding adult review. Provide reference for the source of factual information.",
        "(To be completed on template provided).",
        "Provide a comprehensive chronology of involvement by your agency and/or professional(s) in contact with the adult(s) over the period of time set out in the review's terms of reference. Please avoid abbreviation.",
        "The report author is expected to analyse the involvement of their agency. Consider the events that occurred, the decisions made, and the actions taken or not. It is important to get an understanding not only of what happened, but why, with the context of practice, the environment, leadership, commissioning models etc. The Terms of Reference should be referred to as headings to analyse practice against.",
        "Were practitioners sensitive to the needs of the adult at risk in their work, knowledgeable about the potential indicators of abuse or neglect, and about what to do if they had a concern about an adult at risk of abuse or neglect?",
        "Did the agency have policies and procedures for safeguarding adults at risk and acting on concerns about abuse or neglect?",
        "What were the key relevant points/opportunities for assessment and decision making in the case in relation to the adult? Do assessments and decisions appear to have been reached in an informed and professional way?",
        "Did action accord with assessments and decisions made? Were appropriate services offered/provided or relevant enquiries made in the light of assessments?",
        "Where relevant were appropriate care plans in place, reviewing processes complied with and how did they involve relevant risk assessment in protecting the adult?",
        "Were more senior managers or other agencies and professionals, involved at points they should have been?",
        "Was the work in this case consistent with agency policy and procedures for safeguarding adults at risk, and wider professional standards?",
        "Was mental capacity adequately assessed and recorded where appropriate?",
        "Was practice sensitive to any protected characteristics and identity of the adult?",
        "Are there any particular features of this case, or issues surrounding the death or injury of the adult(s), that you consider require further comment in respect of your agency's involvement?",
        "Is there good practice to highlight, as well as ways in which practice can be improved?",
        "Are there lessons from this case for the way in which this agency works to safeguard adults?",
        "Are there implications for ways of working?",
        "Are there implications for management and/or supervision?",
        "Are there implications for training (single or multi-agency)?",
        "Recommendations should be few in number, focused and specific, and capable of being implemented. Consideration should be given to the resources required to implementing the recommendations such as cost.",
        "Consider specifically the 6 safeguarding principles and how these were applied in practice:",
        "Empowerment", "Prevention", "Protection", "Partnership", "Accountability", "Proportionate",
        "In exploring potential lessons to be learned the IMR author should consider repeat themes and consider the lack of: -",
        "a clear picture of the person, carers and family members",
        "understanding about when to refer to the Local Authority Safeguarding matters and when to refer Safeguarding matter to the Police and other agencies",
        "understanding of how to conduct a safeguarding enquiry and the associated duties / responsibilities",
        "consistent risk assessment processes",
        "statutory carers assessments",
        "understanding of comorbid mental ill health and substance misuse and causation",
        "capacity assessments required both for personalised provision, identifying who the decision maker should have been and to determine whether abuse / neglect / self-neglect / self-harm had occurred",
        "application of safeguarding principles recognisable in practice",
        "appropriate advocacy",
        "Poor coordination of multi-agency response and lack of recognition about when a multi-agency response is required.",
        "Poor understanding of person / familial compliance and insight",
        "Insufficient information sharing",
        "defensible, evidence led decision making",
        "recognition of domestic abuse, potential coercive and controlling behaviours",
        "understanding about potential legislative frameworks associated with domestic abuse and support pathways",
        "enquiry processes based upon hypothesis, analysis and reflection",
        "The IMR should include context relating to issues such as resourcing/ workload/ supervision/ support and training / experience of staff involved.",
        "Please use the template provided, and if one section does not apply to your agency then identify that this is the case in the appropriate box.",
        "The independent chair and author is also accountable and should learn and develop from this review process to have a more positive influence on future safeguarding and service development and lessons to be learned.",
        "The Reviewer will often ask for a full agency involvement Chronology to go alongside the IMR.",
        "Your IMR will be shared with the Reviewer, the Panel Members of the Review, and referenced in any publications for learning to be shared.",
    };
    for (const char* expected : verbatim) {
        CAPTURE(expected);
        CHECK(text.find(expected) != std::string::npos);
    }
}

TEST_CASE("section keys are stable and unique, and the required kinds are present") {
    const auto& t = ImrTemplate::builtin();
    std::set<std::string> keys;
    for (const auto& item : t.outline({{1, "q one"}, {2, "q two"}})) CHECK(keys.insert(item.key).second);
    for (const char* key : {"header", "summary", "chronology", "analysis", "analysis.q1", "analysis.q10", "analysis.tor.1",
                            "analysis.tor.2", "principles.empowerment", "principles.proportionality", "themes.advocacy",
                            "themes.hypothesis_led_enquiry", "other_factors", "learning.q1", "learning.q5",
                            "recommendations", "endorsement"})
        CHECK_MESSAGE(keys.count(key) == 1, key);
    // header, summary, chronology, analysis + 2 ToR + 10 questions, principles + 6, themes + 16,
    // other factors, learning + 5, recommendations, endorsement
    CHECK(keys.size() == 3 + (1 + 2 + 10) + (1 + 6) + (1 + 16) + 1 + (1 + 5) + 2);
}

TEST_CASE("Terms of Reference questions of the case become headings under Analysis, in order") {
    const auto outline = ImrTemplate::builtin().outline({{1, "Was the risk understood?"}, {3, "Was information shared?"}});
    std::vector<std::string> tor;
    for (const auto& item : outline)
        if (tor_question_number(item.key) > 0) {
            tor.push_back(item.heading);
            CHECK(item.parent_key == "analysis");
            CHECK(item.kind == SectionKind::Text);
        }
    REQUIRE(tor.size() == 2);
    CHECK(tor[0] == "Terms of Reference 1: Was the risk understood?");
    CHECK(tor[1] == "Terms of Reference 3: Was information shared?");
    CHECK(ImrTemplate::builtin().find("analysis.tor.3") != nullptr);
    CHECK(tor_question_number("analysis.tor.x") == 0);
    CHECK(tor_question_number("analysis.tor.0") == 0);
    CHECK(tor_question_number("analysis.q1") == 0);
}

TEST_CASE("every section may be marked not applicable except the header and the endorsement") {
    for (const auto& item : ImrTemplate::builtin().outline({})) {
        CAPTURE(item.key);
        CHECK(item.not_applicable_allowed == (item.key != "header" && item.key != "endorsement"));
    }
}

TEST_CASE("a board's amended template loads from JSON, and a broken one says where it is broken") {
    const auto custom = ImrTemplate::from_json(R"({"title":"T","version":2,"sections":[
        {"key":"header","kind":"header","heading":"H"},
        {"key":"chronology","kind":"chronology","heading":"C"},
        {"key":"extra","kind":"text","heading":"A question only this board asks"},
        {"key":"endorsement","kind":"endorsement","heading":"E"}]})");
    CHECK(custom.version() == 2);
    REQUIRE(custom.find("extra") != nullptr);
    CHECK(custom.find("extra")->heading == "A question only this board asks");

    CHECK_THROWS_WITH_AS(ImrTemplate::from_json("{"), doctest::Contains("not valid JSON"), TemplateError);
    CHECK_THROWS_WITH_AS(ImrTemplate::from_json(R"({"title":"T","version":1,"sections":[{"key":"a","kind":"poem","heading":"x"}]})"),
                         doctest::Contains("template.sections[0].kind: unknown section kind 'poem'"), TemplateError);
    CHECK_THROWS_WITH_AS(ImrTemplate::from_json(R"({"title":"T","version":1,"sections":[
        {"key":"a","kind":"text","heading":"x"},{"key":"a","kind":"text","heading":"y"}]})"),
                         doctest::Contains("'a' is used twice"), TemplateError);
    CHECK_THROWS_WITH_AS(ImrTemplate::from_json(R"({"title":"T","version":1,"sections":[{"key":"a","kind":"text","heading":"x"}]})"),
                         doctest::Contains("header, chronology and endorsement"), TemplateError);
}

TEST_CASE("guidance: no 'Consider specifically:' left dangling, and nothing is said twice") {
    const auto& tmpl = ImrTemplate::builtin();
    const auto outline = tmpl.outline({TorQuestion{1, "Was the risk of self-neglect recognised?"}});
    const auto item = [&](const std::string& key) {
        for (const auto& i : outline)
            if (i.key == key) return i;
        FAIL("no section " << key);
        return OutlineItem{};
    };
    const auto count = [](const std::string& text, const std::string& part) {
        std::size_t n = 0;
        for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
        return n;
    };
    const std::string analyse = "The Terms of Reference should be referred to as headings to analyse practice against.";
    for (const auto* key : {"analysis.q3", "analysis.tor.1"}) {
        const auto text = guidance_for(item(key), outline);
        INFO(key << ": " << text);
        CHECK(text.rfind("The report author is expected to analyse the involvement of their agency.", 0) == 0);
        CHECK(text.find("Consider specifically:") == std::string::npos);
        CHECK(text.back() != ':');
        CHECK(count(text, analyse) == 1);
    }
    // A group whose introduction names its list in a sentence keeps it ("...applied in practice:"
    // then the six principles).
    const auto principle = guidance_for(item("principles.empowerment"), outline);
    CHECK(principle.find("1. Empowerment") != std::string::npos);
    // A top-level section: its own guidance only.
    CHECK(guidance_for(item("summary"), outline) == item("summary").guidance);
    std::vector<OutlineItem> bare = {{"g", SectionKind::Group, "G", "First paragraph.\n\nConsider specifically:", 0, true, false, ""},
                                     {"g.t", SectionKind::Text, "T", "Own words.", 1, true, false, "g"}};
    CHECK(guidance_for(bare[1], bare) == "First paragraph.\n\nOwn words.");
}
