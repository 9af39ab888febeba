// The review team's merged-chronology helpers over hand-built documents: the source prefix,
// cross-agency gaps (partial dates count from their first day, ranges to their last), and the
// days on which several agencies were involved.
#include <doctest/doctest.h>

#include "imrdesk/client/review.hpp"
#include "imrdesk/shared/partial_date.hpp"

using namespace imrdesk;
using namespace imrdesk::client;

namespace {

Stored<domain::ChronologyEntry> entry(const std::string& date, std::uint8_t n) {
    Stored<domain::ChronologyEntry> e;
    e.id.bytes[0] = n;
    e.value.date = domain::parse_date(date);
    e.value.source = "file";
    e.value.event = "event";
    return e;
}

}  // namespace

TEST_CASE("review: sources are prefixed once, gaps are measured across agencies, shared days are found") {
    CHECK(prefixed_source("Police", "STORM 0412") == "Police: STORM 0412");
    CHECK(prefixed_source("Police", "Police: STORM 0412") == "Police: STORM 0412");
    CHECK(prefixed_source("", "GP letter") == "GP letter");

    ImrDocument police, trust;
    police.header.agency = "Police";
    trust.header.agency = "Trust";
    police.entries = {entry("01/02/2025", 1), entry("03/05/2025", 2)};
    trust.entries = {entry("03/2025", 3), entry("03/05/2025", 4), entry("01/09/2025 - 30/09/2025", 5), entry("20/12/2025", 6)};
    std::vector<MergedRow> rows = {
        {&police, &police.entries[0], "Police"}, {&trust, &trust.entries[0], "Trust"}, {&police, &police.entries[1], "Police"},
        {&trust, &trust.entries[1], "Trust"},    {&trust, &trust.entries[2], "Trust"}, {&trust, &trust.entries[3], "Trust"},
    };
    const auto gaps = cross_agency_gaps(rows, 60);
    // 2025-05-03 -> 2025-09-01 (121 days); the September range ends on the 30th -> 2025-12-20 (81 days).
    REQUIRE(gaps.size() == 2);
    CHECK(gaps[0].from == domain::CivilDate{2025, 5, 3});
    CHECK(gaps[0].to == domain::CivilDate{2025, 9, 1});
    CHECK(gaps[0].days == 121);
    CHECK(gaps[1].from == domain::CivilDate{2025, 9, 30});
    CHECK(gaps[1].days == 81);
    CHECK(cross_agency_gaps(rows, 200).empty());

    const auto busy = multi_agency_days(rows);  // the month-only March entry is no day of its own
    REQUIRE(busy.size() == 1);
    CHECK(busy[0].day == domain::CivilDate{2025, 5, 3});
    CHECK(busy[0].agencies == std::vector<std::string>{"Police", "Trust"});
}

TEST_CASE("review: short agency names drop what every agency shares and what is in brackets, never colliding") {
    CHECK(short_agency_names({"Northshire Police", "Northshire Integrated Care NHS Trust (Riverside Surgery)", "Northshire Council"}) ==
          std::vector<std::string>{"Police", "Integrated Care NHS Trust", "Council"});
    CHECK(short_agency_names({"Northshire Police", "Southshire Ambulance"}) ==
          std::vector<std::string>{"Northshire Police", "Southshire Ambulance"});
    CHECK(short_agency_names({"Police"}) == std::vector<std::string>{"Police"});
    // "Northshire" alone would leave nothing: the names stay whole.
    CHECK(short_agency_names({"Northshire", "Northshire Police"}) == std::vector<std::string>{"Northshire", "Northshire Police"});
    // Two that would read the same keep their whole names.
    CHECK(short_agency_names({"Trust (north)", "Trust (south)"}) == std::vector<std::string>{"Trust (north)", "Trust (south)"});
}

TEST_CASE("review: the merged filters let through only rows that match every part set") {
    ImrDocument police, trust;
    police.header.agency = "Police";
    trust.header.agency = "Trust";
    police.entries = {entry("01/02/2025", 1), entry("03/2025", 2)};
    police.entries[0].value.key_practice_episode = true;
    police.entries[0].value.event = "Welfare check by PC Smith";
    police.entries[1].value.missed_opportunity = true;
    police.entries[1].value.tor_questions = {2};
    trust.entries = {entry("20/03/2025", 3)};
    trust.entries[0].value.principles = {domain::Principle::Protection};
    trust.entries[0].value.source = "District nursing notes";
    std::vector<MergedRow> rows = {{&police, &police.entries[0], "Police"}, {&police, &police.entries[1], "Police"},
                                   {&trust, &trust.entries[0], "Trust"}};
    const auto passing = [&](const MergedFilter& f) {
        std::vector<int> out;
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (matches(rows[i], f)) out.push_back(static_cast<int>(i));
        return out;
    };
    MergedFilter f;
    CHECK(f.empty());
    CHECK(passing(f) == std::vector<int>{0, 1, 2});
    f.agencies = {"Trust"};
    CHECK(passing(f) == std::vector<int>{2});
    f = {};
    f.key_practice_episode = true;
    CHECK(passing(f) == std::vector<int>{0});
    f = {};
    f.missed_opportunity = true;
    f.tor_question = 2;
    CHECK(passing(f) == std::vector<int>{1});
    f = {};
    f.principle = domain::Principle::Protection;
    CHECK(passing(f) == std::vector<int>{2});
    f = {};
    f.text = "pc SMITH";  // without regard to case
    CHECK(passing(f) == std::vector<int>{0});
    f.text = "district";  // the source too
    CHECK(passing(f) == std::vector<int>{2});
    f.text = "trust";  // and the agency
    CHECK(passing(f) == std::vector<int>{2});
    // A month-only date reaches into a range that covers any of its days.
    f = {};
    f.from = domain::CivilDate{2025, 3, 15};
    f.to = domain::CivilDate{2025, 3, 31};
    CHECK(passing(f) == std::vector<int>{1, 2});
    f.from = domain::CivilDate{2025, 4, 1};
    f.to.reset();
    CHECK(passing(f).empty());
    f = {};
    f.reviewer_note = true;
    CHECK(passing(f).empty());
    trust.review_notes.push_back({{}, {trust.entries[0].id, "see the GP letter", "reviewer", 1, nlohmann::json::object()}});
    CHECK(passing(f) == std::vector<int>{2});
    f = {};
    f.open_query = true;
    CHECK(passing(f).empty());
    police.queries.push_back({{}, {"entry:" + police.entries[1].id.hex(), "When?", "reviewer", 1, false, "", 0, 0, nlohmann::json::object()}});
    CHECK(passing(f) == std::vector<int>{1});
    police.queries.back().value.closed = true;
    CHECK(passing(f).empty());
}
