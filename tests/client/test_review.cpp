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
