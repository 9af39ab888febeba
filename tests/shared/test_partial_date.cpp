#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/shared/partial_date.hpp"

using namespace imrdesk::domain;

namespace {

const DateParseOptions kIn2025{2025};

// The message of the DateError that parse_date throws, or "" when it does not throw.
std::string date_error(std::string_view typed, const DateParseOptions& options = kIn2025) {
    try {
        (void)parse_date(typed, options);
    } catch (const DateError& e) {
        return e.what();
    }
    return "";
}

std::string time_error(std::string_view typed) {
    try {
        (void)parse_time(typed);
    } catch (const DateError& e) {
        return e.what();
    }
    return "";
}

std::string iso_error(std::string_view stored) {
    try {
        (void)PartialDate::from_iso(stored);
    } catch (const DateError& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

DatePoint random_point(std::mt19937& rng) {
    std::uniform_int_distribution<int> precision(0, 2);
    std::uniform_int_distribution<int> year(1800, 2200);
    std::uniform_int_distribution<int> month(1, 12);
    DatePoint p;
    p.year = year(rng);
    switch (precision(rng)) {
        case 0: {
            p.precision = DatePrecision::Day;
            p.month = month(rng);
            p.day = std::uniform_int_distribution<int>(1, days_in_month(p.year, p.month))(rng);
            break;
        }
        case 1:
            p.precision = DatePrecision::Month;
            p.month = month(rng);
            break;
        default:
            p.precision = DatePrecision::Year;
            break;
    }
    return p;
}

// A random valid PartialDate: any precision, often a range, sometimes approximate or uncertain.
PartialDate random_date(std::mt19937& rng) {
    std::bernoulli_distribution coin(0.5);
    std::bernoulli_distribution rarely(0.25);
    PartialDate d;
    d.start = random_point(rng);
    if (coin(rng)) {
        DatePoint end = random_point(rng);
        // Keep ranges short sometimes, so that same-year and same-month ranges are common.
        if (coin(rng)) {
            end.year = std::min(2200, d.start.year + std::uniform_int_distribution<int>(0, 1)(rng));
            if (end.precision == DatePrecision::Day) {
                end.day = std::min(end.day, days_in_month(end.year, end.month));
            }
        }
        if (end.first_day() < d.start.first_day()) {
            std::swap(end, d.start);
        }
        if (end.first_day() >= d.start.first_day()) {
            d.end = end;
        }
    }
    d.approximate = rarely(rng);
    d.uncertain = rarely(rng);
    return d;
}

}  // namespace

TEST_CASE("parse_date accepts every documented form") {
    struct Case {
        std::string_view typed;
        std::string_view iso;
    };
    const Case cases[] = {
        // exact days
        {"2019-03-14", "2019-03-14"},
        {"2019-3-4", "2019-03-04"},
        {"2019/03/14", "2019-03-14"},
        {"14/03/2019", "2019-03-14"},
        {"14-03-2019", "2019-03-14"},
        {"14.03.2019", "2019-03-14"},
        {"14.3.19", "2019-03-14"},
        {"1/2/2019", "2019-02-01"},
        {"01/01/00", "2000-01-01"},
        {"14 / 03 / 2019", "2019-03-14"},
        {"14 - 03 - 2019", "2019-03-14"},
        {"  14/03/2019  ", "2019-03-14"},
        {"14 Mar 2019", "2019-03-14"},
        {"14 Mar. 2019", "2019-03-14"},
        {"14 March 2019", "2019-03-14"},
        {"14  MARCH   2019", "2019-03-14"},
        {"14-Mar-2019", "2019-03-14"},
        {"14 Mar 19", "2019-03-14"},
        {"14th March 2019", "2019-03-14"},
        {"1st March 2019", "2019-03-01"},
        {"22nd March 2019", "2019-03-22"},
        {"3rd March 2019", "2019-03-03"},
        {"14th of March 2019", "2019-03-14"},
        {"Thursday 14 March 2019", "2019-03-14"},
        {"Thursday, 14th of March, 2019", "2019-03-14"},
        {"Thu 14/03/2019", "2019-03-14"},
        {"thurs. 14 march 2019", "2019-03-14"},
        {"March 14, 2019", "2019-03-14"},
        {"March 14 2019", "2019-03-14"},
        {"march 14th, 2019", "2019-03-14"},
        {"29/02/2020", "2020-02-29"},
        {"29/02/2000", "2000-02-29"},
        {"1 Jan 1800", "1800-01-01"},
        {"31 Dec 2200", "2200-12-31"},
        {"14\xC2\xA0March\xC2\xA0" "2019", "2019-03-14"},  // no-break spaces from a word processor
        // months
        {"March 2019", "2019-03"},
        {"Mar 2019", "2019-03"},
        {"Mar. 2019", "2019-03"},
        {"Sept 2019", "2019-09"},
        {"Sep 2019", "2019-09"},
        {"September, 2019", "2019-09"},
        {"Mar-2019", "2019-03"},
        {"March of 2019", "2019-03"},
        {"03/2019", "2019-03"},
        {"3/2019", "2019-03"},
        {"3-2019", "2019-03"},
        {"2019-03", "2019-03"},
        // years
        {"2019", "2019"},
        {"1800", "1800"},
        {"2200", "2200"},
        // approximate, before the date
        {"c. 2018", "2018~"},
        {"c 2018", "2018~"},
        {"c.2018", "2018~"},
        {"c2018", "2018~"},
        {"C. 2018", "2018~"},
        {"ca. 2018", "2018~"},
        {"ca 2018", "2018~"},
        {"circa 2018", "2018~"},
        {"Circa 2018", "2018~"},
        {"approx 2018", "2018~"},
        {"approx. March 2019", "2019-03~"},
        {"approximately 14/03/2019", "2019-03-14~"},
        {"about 2018", "2018~"},
        {"around 2018", "2018~"},
        {"~2018", "2018~"},
        {"~ 2018", "2018~"},
        {"(approx) 2018", "2018~"},
        // approximate, after the date
        {"2018~", "2018~"},
        {"2018 ~", "2018~"},
        {"2018 (approx)", "2018~"},
        {"2018 (approx.)", "2018~"},
        {"2018 (c.)", "2018~"},
        {"2018 approx", "2018~"},
        {"2018 approx.", "2018~"},
        // uncertain
        {"?03/2019", "2019-03?"},
        {"? 2019", "2019?"},
        {"03/2019?", "2019-03?"},
        {"March 2019 ?", "2019-03?"},
        {"uncertain 2019", "2019?"},
        {"2019 uncertain", "2019?"},
        {"2019 (uncertain)", "2019?"},
        {"2019 (?)", "2019?"},
        {"(?) 03/2019", "2019-03?"},
        // both
        {"c. ?03/2019", "2019-03%"},
        {"c. 03/2019?", "2019-03%"},
        {"circa March 2019 (uncertain)", "2019-03%"},
        {"2019-03%", "2019-03%"},
        {"2019-03~?", "2019-03%"},
        // ranges of full dates
        {"01/2019 - 03/2019", "2019-01/2019-03"},
        {"01/2019 – 03/2019", "2019-01/2019-03"},  // en dash
        {"01/2019 — 03/2019", "2019-01/2019-03"},  // em dash
        {"01/2019–03/2019", "2019-01/2019-03"},
        {"2019-01 to 2019-03", "2019-01/2019-03"},
        {"2019-01/2019-03", "2019-01/2019-03"},
        {"2019-03-14/2019-03-20", "2019-03-14/2019-03-20"},
        {"14/03/2019-20/03/2019", "2019-03-14/2019-03-20"},
        {"2018-03/2019", "2018-03/2019"},  // a storage form means what it says
        {"2019-12/2123", "2019-12/2123"},
        {"2062-12-21/2123", "2062-12-21/2123"},
        {"1 - March 2019", "2019-03-01"},  // a hyphen between the parts of one date
        {"1 - 2019", "2019-01"},
        {"14/03/2019 - 20/03/2019", "2019-03-14/2019-03-20"},
        {"14 March 2019 to 20 March 2019", "2019-03-14/2019-03-20"},
        {"2018-2019", "2018/2019"},
        {"2018 - 2019", "2018/2019"},
        {"2018–2019", "2018/2019"},
        {"2019/2020", "2019/2020"},
        {"2018 to 2019", "2018/2019"},
        {"Sep 2019 - Sept 2020", "2019-09/2020-09"},
        {"March 2019 - 14 March 2019", "2019-03/2019-03-14"},
        {"2019 - 2019", "2019/2019"},
        {"between 2018 and 2019", "2018/2019"},
        {"Between 14/03/2019 and 20/03/2019", "2019-03-14/2019-03-20"},
        {"from 2018 to 2019", "2018/2019"},
        {"from 01/2019 - 03/2019", "2019-01/2019-03"},
        // abbreviated ranges: the end gives what the start leaves out
        {"1-14 March 2019", "2019-03-01/2019-03-14"},
        {"1 - 14 March 2019", "2019-03-01/2019-03-14"},
        {"1–14 March 2019", "2019-03-01/2019-03-14"},
        {"1st-14th March 2019", "2019-03-01/2019-03-14"},
        {"1 to 14 March 2019", "2019-03-01/2019-03-14"},
        {"between 1 and 14 March 2019", "2019-03-01/2019-03-14"},
        {"from 1 to 14 March 2019", "2019-03-01/2019-03-14"},
        {"1-14/03/2019", "2019-03-01/2019-03-14"},
        {"1 Jan - 14 Mar 2019", "2019-01-01/2019-03-14"},
        {"14/03 - 20/04/2019", "2019-03-14/2019-04-20"},
        {"Fri 1 - Thu 14 March 2019", "2019-03-01/2019-03-14"},
        {"January - March 2019", "2019-01/2019-03"},
        {"Jan-Mar 2019", "2019-01/2019-03"},
        {"January to March 2019", "2019-01/2019-03"},
        {"1.3 - 14.3.19", "2019-03-01/2019-03-14"},
        // markers on ranges
        {"c. 2018 - 2019", "2018~/2019~"},
        {"c. 2018 - c. 2019", "2018~/2019~"},
        {"c. between 2018 and 2019", "2018~/2019~"},
        {"between c. 2018 and 2019", "2018~/2019~"},
        {"2018 - 2019 (approx)", "2018~/2019~"},
        {"2018~ - 2019~", "2018~/2019~"},
        {"2019-01~/2019-03~", "2019-01~/2019-03~"},
        {"2018 to 2019?", "2018?/2019?"},
        {"?2018 - ?2019", "2018?/2019?"},
        {"2018? - 2019?", "2018?/2019?"},
        {"c. 1-14 March 2019", "2019-03-01~/2019-03-14~"},
        {"2019-01%/2019-03%", "2019-01%/2019-03%"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.typed);
        std::string iso;
        CHECK_NOTHROW(iso = parse_date(c.typed, kIn2025).iso());
        CHECK(iso == c.iso);
    }
}

TEST_CASE("parse_date refuses, saying why") {
    struct Case {
        std::string_view typed;
        std::string_view reason;  // must appear in the message
    };
    const Case cases[] = {
        {"", "no date given"},
        {"   ", "no date given"},
        {"\t\n", "no date given"},
        // impossible days and months
        {"31/02/2019", "31/02/2019: February 2019 has 28 days"},
        {"29/02/2019", "February 2019 has 28 days"},
        {"29 Feb 1900", "February 1900 has 28 days"},
        {"31/04/2019", "April 2019 has 30 days"},
        {"32 March 2019", "March 2019 has 31 days"},
        {"2019-02-30", "February 2019 has 28 days"},
        {"0/3/2019", "there is no day 0"},
        {"00/03/2019", "there is no day 0"},
        {"13/13/2019", "there is no month 13"},
        {"14/13/2019", "there is no month 13"},
        {"14/0/2019", "there is no month 0"},
        {"2019-13", "there is no month 13"},
        {"13/2019", "there is no month 13"},
        {"2019-00-10", "there is no month 0"},
        // month first
        {"03/14/2019", "03/14/2019: there is no month 14; dates are day first (DD/MM/YYYY)"},
        {"12/25/2019", "dates are day first"},
        // two-digit years
        {"14.3.85", "ambiguous two-digit year 85: write it in full, e.g. 1985"},
        {"14.3.26", "ambiguous two-digit year 26"},
        {"14 Mar 99", "ambiguous two-digit year 99"},
        // years out of range, or not four digits
        {"1750", "outside"},
        {"14/03/1799", "1799"},
        {"2201", "2201"},
        {"0219", "outside"},
        {"14/03/219", "'219' is not a day, a month or a four-digit year"},
        {"20190314", "write the date with separators"},
        // ranges
        {"2019-03/2019-01", "the range ends before it starts"},
        {"2019 - 2018", "the range ends before it starts"},
        {"Jan 2019 – Dec 2018", "the range ends before it starts"},
        {"14 March 2019 - March 2019", "the range ends before it starts"},
        {"December - January 2019", "write the year on both ends"},
        {"14 - 1 March 2019", "ends before it starts"},
        {"01/2019 - 31/02/2019", "February 2019 has 28 days"},
        {"– 2019", "the range has no start"},
        {"2019 -", "the range has no end"},
        {"2019 to", "the range has no end"},
        {"to 2019", "the range has no start"},
        {"1 - 14 Mar.", "the end of a range needs its year"},
        {"January - 14 March 2019", "same detail as the end"},
        {"1 to March 2019", "same detail as the end"},
        {"2018 - 2019 - 2020", "more than one range separator"},
        {"2018 to 2019 to 2020", "more than one range separator"},
        {"2018~ - 2019", "only one end of the range is marked approximate"},
        {"2018 - c. 2019", "only one end of the range is marked approximate"},
        {"2018 - ?2019", "only one end of the range is marked uncertain"},
        {"2019-01~/2019-03", "only one end"},
        {"between 2018", "between 1 and 14 March 2019"},
        {"between 1 and 2 and 3 March 2019", "between 1 and 14 March 2019"},
        {"from 2018", "'from' needs 'to'"},
        {"2018 and 2019", "'and' is only understood"},
        {"2018 from 2019", "go at the start"},
        // incomplete dates
        {"14", "a day needs its month and year"},
        {"March", "no year given"},
        {"14 March", "no year given"},
        {"14/03", "no year given"},
        {"03/19", "MM/YYYY"},
        {"Mar 19", "is 19 a day or a two-digit year?"},
        {"March 14th", "no year given"},
        // unknown words and trailing garbage
        {"foo 2019", "the word 'foo' is not understood"},
        {"14/03/2019 abc", "the word 'abc' is not understood"},
        {"the 14th of March 2019", "the word 'the'"},
        {"Marhc 2019", "the word 'marhc'"},
        {"early 2019", "'early' cannot be stored"},
        {"summer 2019", "'summer' cannot be stored"},
        {"before 2019", "'before' cannot be stored"},
        {"14 th March 2019", "the word 'th'"},
        {"14/03/2019 12", "unexpected '12' after the date"},
        {"2019 2020", "unexpected '2020' after the date"},
        {"14/03/2019/", "unexpected '/' after the date"},
        {"2019 c", "unexpected 'c' after the date"},
        {"Thursday", "not a date this can read"},
        {"14th/03/2019", "not a date this can read"},
        {"14 03 2019", "not a date this can read"},
        {"1-2-3-2019", "not a date this can read"},
        {"((2019))", "not a date this can read"},
        {"%2019", "not a date this can read"},
        // weekdays
        {"Friday 14 March 2019", "14 March 2019 was a Thursday, not a Friday"},
        {"Mon 1 - Thu 14 March 2019", "1 March 2019 was a Friday, not a Monday"},
        {"Thursday March 2019", "a weekday needs a full date"},
        // characters and markers
        {"14:00", "unexpected character ':'"},
        {"14/03/2019;", "unexpected character ';'"},
        {"\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x99", "unexpected character"},  // full-width digits
        {std::string_view("14/03\x00/2019", 11), "a control character"},
        {"14/03/2019\xFF", "invalid UTF-8"},
        {"\xC0\xAF", "invalid UTF-8"},
        {"c.", "a marker but no date"},
        {"?", "a marker but no date"},
        {"~", "a marker but no date"},
        {"(approx)", "a marker but no date"},
        {"2018-19", "for a range of years write both in full"},
        {"c. 2018-03/2019", "more than one range"},  // not a storage form: 2018-03 to 2019, or 2018 to 03/2019?
        {"2019-13/2020", "there is no month 13"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.typed);
        const std::string message = date_error(c.typed);
        CAPTURE(message);
        CHECK(contains(message, c.reason));
    }
}

TEST_CASE("hostile sizes are refused quickly") {
    const auto started = std::chrono::steady_clock::now();
    const std::string huge(100'000, '1');
    CHECK(contains(date_error(huge), "too long to be a date"));
    std::string slashes;
    for (int i = 0; i < 50'000; ++i) {
        slashes += "1/";
    }
    CHECK(contains(date_error(slashes), "too long"));
    // At the length limit, the worst shapes for the range search still finish at once.
    std::string dashes;
    while (dashes.size() < 198) {
        dashes += "1-";
    }
    CHECK(!date_error(dashes).empty());
    std::string mixed;
    while (mixed.size() < 196) {
        mixed += "1/2-";
    }
    CHECK(!date_error(mixed).empty());
    CHECK(!date_error(std::string(200, '?')).empty());
    CHECK(!date_error(std::string(199, '(') + ")").empty());
    CHECK(contains(time_error(std::string(100'000, '1')), "too long to be a time"));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("two-digit years are this century up to the current year, otherwise refused") {
    CHECK(parse_date("14.3.19", DateParseOptions{2019}).iso() == "2019-03-14");
    CHECK(contains(date_error("14.3.20", DateParseOptions{2019}), "ambiguous two-digit year 20"));
    CHECK(parse_date("1/1/00", DateParseOptions{2000}).iso() == "2000-01-01");
    CHECK(contains(date_error("1/1/00", DateParseOptions{1999}), "ambiguous two-digit year 00: write it in full, e.g. 1900"));
    CHECK(contains(date_error("14.3.85", DateParseOptions{2025}), "e.g. 1985"));
    // 0 means the system clock's year: 00 is then always 2000, and 99 is (until 2099) refused.
    CHECK(parse_date("1/1/00").iso() == "2000-01-01");
    CHECK(contains(date_error("1/1/99", DateParseOptions{}), "ambiguous two-digit year 99"));
}

TEST_CASE("display, describe and typed") {
    struct Case {
        std::string_view iso;
        std::string_view display;
        std::string_view describe;
        std::string_view typed;
    };
    const Case cases[] = {
        {"2019-03-14", "14 March 2019", "14 March 2019, exact day", "14/03/2019"},
        {"2019-03-01", "1 March 2019", "1 March 2019, exact day", "01/03/2019"},
        {"2019-03", "March 2019", "March 2019, month", "03/2019"},
        {"2019", "2019", "2019, year", "2019"},
        {"2018~", "circa 2018", "circa 2018, approximate year", "c. 2018"},
        {"2019-03?", "March 2019 (uncertain)", "March 2019 (uncertain), uncertain month", "?03/2019"},
        {"2019-03-14~", "circa 14 March 2019", "circa 14 March 2019, approximate day", "c. 14/03/2019"},
        {"2019-03%", "circa March 2019 (uncertain)", "circa March 2019 (uncertain), approximate, uncertain month",
         "c. ?03/2019"},
        {"2019-01/2019-03", "January 2019 to March 2019", "January 2019 to March 2019, range", "01/2019 - 03/2019"},
        {"2019-01~/2019-03~", "circa January 2019 to March 2019",
         "circa January 2019 to March 2019, approximate range", "c. 01/2019 - 03/2019"},
        {"2018/2019-03-14", "2018 to 14 March 2019", "2018 to 14 March 2019, range", "2018 - 14/03/2019"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.iso);
        const PartialDate d = PartialDate::from_iso(c.iso);
        CHECK(d.iso() == c.iso);
        CHECK(d.display() == c.display);
        CHECK(d.describe() == c.describe);
        CHECK(d.typed() == c.typed);
        CHECK(parse_date(d.typed(), kIn2025) == d);
        CHECK(parse_date(d.display(), kIn2025) == d);
    }
}

TEST_CASE("factories and invalid values") {
    CHECK(PartialDate::day(2019, 3, 14).iso() == "2019-03-14");
    CHECK(PartialDate::month(2019, 3).iso() == "2019-03");
    CHECK(PartialDate::year(2019).iso() == "2019");
    CHECK_THROWS_AS((void)PartialDate::day(2019, 2, 29), DateError);
    CHECK_THROWS_AS((void)PartialDate::day(2019, 13, 1), DateError);
    CHECK_THROWS_AS((void)PartialDate::day(2019, 1, 0), DateError);
    CHECK_THROWS_AS((void)PartialDate::month(2019, 0), DateError);
    CHECK_THROWS_AS((void)PartialDate::year(1799), DateError);
    CHECK_THROWS_AS((void)PartialDate::year(2201), DateError);

    // Values put together by hand are checked before they are written or shown.
    PartialDate bad = PartialDate::year(2019);
    bad.start.month = 3;  // a year with a month
    CHECK_THROWS_AS((void)bad.iso(), DateError);
    CHECK_THROWS_AS((void)bad.typed(), DateError);
    CHECK_THROWS_AS((void)bad.display(), DateError);
    PartialDate backwards = PartialDate::year(2019);
    backwards.end = DatePoint{2018, 0, 0, DatePrecision::Year};
    CHECK_THROWS_AS((void)backwards.iso(), DateError);
    PartialDate odd_precision = PartialDate::year(2019);
    odd_precision.start.precision = static_cast<DatePrecision>(7);
    CHECK_THROWS_AS((void)odd_precision.iso(), DateError);
}

TEST_CASE("from_iso reads only what iso writes") {
    for (const std::string_view ok :
         {"2019", "2019-03", "2019-03-14", "2018~", "2019-03?", "2019-03-14%", "2019-01/2019-03", "2019-01~/2019-03~",
          "2019-01?/2019-03?", "2019-01%/2019-03%", "1800-01-01", "2200-12-31", "2019/2019", "2019-03/2019-03-14"}) {
        CAPTURE(ok);
        CHECK(PartialDate::from_iso(ok).iso() == ok);
    }
    for (const std::string_view bad :
         {"", " 2019", "2019 ", "19", "02019", "2019-3", "2019-03-4", "2019-3-14", "2019-13", "2019-00", "2019-02-29",
          "2019-03-00", "2019-03-32", "1799", "2201", "2019~~", "2019~?", "2019-01~/2019-03", "2019-01/2019-03~",
          "2019-01~/2019-03?", "2019-03/2019-01", "2019/", "/2019", "2019//2020", "2019/2020/2021", "14/03/2019",
          "March 2019", "c. 2018", "+2019", "-2019", "2019-03-14T00:00", "2019-03-14Z", "2019-W11", "2019-03-14\n"}) {
        CAPTURE(bad);
        CHECK(contains(iso_error(bad), "is not a stored date"));
    }
    CHECK(contains(iso_error("2019-02-29"), "February 2019 has 28 days"));
    CHECK(contains(iso_error(std::string_view("2019\x00", 5)), "'2019?' is not a stored date"));  // shown safely
}

TEST_CASE("property: typed(), iso() and display() read back to the same value") {
    std::mt19937 rng(20190314);
    for (int i = 0; i < 20'000; ++i) {
        const PartialDate d = random_date(rng);
        const std::string iso = d.iso();
        const std::string typed = d.typed();
        const std::string display = d.display();
        CAPTURE(iso);
        CAPTURE(typed);
        CAPTURE(display);
        REQUIRE(PartialDate::from_iso(iso) == d);
        REQUIRE(parse_date(typed, kIn2025) == d);
        REQUIRE(parse_date(display, kIn2025) == d);
        REQUIRE(parse_date(iso, kIn2025) == d);
    }
}

TEST_CASE("compare_chronologically") {
    const auto less = [](std::string_view a, std::string_view b) {
        return compare_chronologically(PartialDate::from_iso(a), PartialDate::from_iso(b)) < 0;
    };
    CHECK(less("2019-03-14", "2019-03-15"));
    CHECK(less("2018", "2019-01-01"));
    // Same first day: the more precise first.
    CHECK(less("2019-01-01", "2019-01"));
    CHECK(less("2019-01", "2019"));
    CHECK(less("2019", "2019-01/2019-02"));
    CHECK(less("2019-01-01", "2019-01-01/2019-01-02"));
    // Same first day and precision: by last day.
    CHECK(less("2019-01/2019-02", "2019-01/2019-03"));
    CHECK(less("2019-03-01/2019-03-14", "2019-03/2019-12"));
    // Ties between different values are broken, never equal.
    CHECK(less("2019", "2019?"));
    CHECK(less("2019?", "2019~"));
    CHECK(less("2019~", "2019%"));
    CHECK(compare_chronologically(PartialDate::from_iso("2019-03"), PartialDate::from_iso("2019-03")) ==
          std::strong_ordering::equal);

    // Property: a strict weak (here total) order that agrees with ==.
    std::mt19937 rng(42);
    std::vector<PartialDate> dates;
    for (int i = 0; i < 400; ++i) {
        dates.push_back(random_date(rng));
    }
    dates.push_back(dates.front());
    for (const auto& a : dates) {
        for (const auto& b : dates) {
            const auto ab = compare_chronologically(a, b);
            const auto ba = compare_chronologically(b, a);
            REQUIRE((ab == 0) == (a == b));
            REQUIRE((ab < 0) == (ba > 0));
            if (a.first_day() < b.first_day()) {
                REQUIRE(ab < 0);
            }
        }
    }
    std::sort(dates.begin(), dates.end(),
              [](const PartialDate& a, const PartialDate& b) { return compare_chronologically(a, b) < 0; });
    for (std::size_t i = 1; i < dates.size(); ++i) {
        REQUIRE(dates[i - 1].first_day() <= dates[i].first_day());
    }
}

TEST_CASE("civil calendar") {
    CHECK(CivilDate{1970, 1, 1}.days_since_epoch() == 0);
    CHECK(CivilDate{1970, 1, 2}.days_since_epoch() == 1);
    CHECK(CivilDate{1969, 12, 31}.days_since_epoch() == -1);
    CHECK(CivilDate{2000, 3, 1}.days_since_epoch() == 11017);
    CHECK(CivilDate{2019, 3, 14}.days_since_epoch() == 17969);
    CHECK(CivilDate{1800, 1, 1}.days_since_epoch() == -62091);
    CHECK(CivilDate{2200, 12, 31}.days_since_epoch() == 84370);
    CHECK(CivilDate{0, 3, 1}.days_since_epoch() == -719468);
    CHECK(CivilDate::from_days(17969) == CivilDate{2019, 3, 14});
    CHECK(CivilDate::from_days(-719468) == CivilDate{0, 3, 1});
    CHECK(CivilDate{2019, 3, 14}.iso() == "2019-03-14");
    CHECK(CivilDate{800, 1, 2}.iso() == "0800-01-02");

    // Every day from 1800 to 2200 round-trips and follows the previous one.
    std::int64_t days = CivilDate{1800, 1, 1}.days_since_epoch();
    for (int year = 1800; year <= 2200; ++year) {
        for (int month = 1; month <= 12; ++month) {
            for (int day = 1; day <= days_in_month(year, month); ++day) {
                const CivilDate date{year, month, day};
                REQUIRE(date.days_since_epoch() == days);
                REQUIRE(CivilDate::from_days(days) == date);
                ++days;
            }
        }
    }
    // Extreme inputs neither overflow nor crash.
    (void)CivilDate::from_days(std::numeric_limits<std::int64_t>::max());
    (void)CivilDate::from_days(std::numeric_limits<std::int64_t>::min());
    (void)CivilDate{std::numeric_limits<int>::max(), 12, 31}.days_since_epoch();
    (void)CivilDate{std::numeric_limits<int>::min(), 1, 1}.days_since_epoch();

    CHECK(days_in_month(2019, 2) == 28);
    CHECK(days_in_month(2020, 2) == 29);
    CHECK(days_in_month(1900, 2) == 28);
    CHECK(days_in_month(2000, 2) == 29);
    CHECK(days_in_month(2019, 4) == 30);
    CHECK(days_in_month(2019, 13) == 0);
    CHECK(is_valid_civil(2020, 2, 29));
    CHECK_FALSE(is_valid_civil(2019, 2, 29));
    CHECK_FALSE(is_valid_civil(2019, 0, 1));
    CHECK_FALSE(is_valid_civil(2019, 1, 0));

    const DatePoint march{2019, 3, 0, DatePrecision::Month};
    CHECK(march.first_day() == CivilDate{2019, 3, 1});
    CHECK(march.last_day() == CivilDate{2019, 3, 31});
    const DatePoint feb{2020, 2, 0, DatePrecision::Month};
    CHECK(feb.last_day() == CivilDate{2020, 2, 29});
    const DatePoint year{2019, 0, 0, DatePrecision::Year};
    CHECK(year.first_day() == CivilDate{2019, 1, 1});
    CHECK(year.last_day() == CivilDate{2019, 12, 31});
    const PartialDate range = PartialDate::from_iso("2019-01/2019-03");
    CHECK(range.first_day() == CivilDate{2019, 1, 1});
    CHECK(range.last_day() == CivilDate{2019, 3, 31});
}

TEST_CASE("parse_time") {
    struct Case {
        std::string_view typed;
        std::string_view text;
    };
    const Case cases[] = {
        {"14:05", "14:05"}, {"14.05", "14:05"},   {"1405", "14:05"},    {"2pm", "14:00"},   {"2 pm", "14:00"},
        {"2PM", "14:00"},   {"2.05pm", "14:05"},  {"2.05 pm", "14:05"}, {"2:05 p.m.", "14:05"}, {"12:00 am", "00:00"},
        {"12am", "00:00"},  {"12pm", "12:00"},    {"12:30pm", "12:30"}, {"11:59 pm", "23:59"}, {"9am", "09:00"},
        {"9:30", "09:30"},  {"09:30", "09:30"},   {"00:00", "00:00"},   {"23:59", "23:59"}, {"0000", "00:00"},
        {" 14:05 ", "14:05"}, {"1 a.m.", "01:00"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.typed);
        std::string text;
        CHECK_NOTHROW(text = parse_time(c.typed).text());
        CHECK(text == c.text);
    }
    struct Bad {
        std::string_view typed;
        std::string_view reason;
    };
    const Bad bad[] = {
        {"", "no time given"},
        {"24:00", "24:00 is not a time of day"},
        {"2400", "24:00 is not a time of day"},
        {"25:00", "there is no hour 25"},
        {"14:60", "there is no minute 60"},
        {"1460", "there is no minute 60"},
        {"13pm", "with am or pm the hour is 1 to 12"},
        {"0am", "with am or pm the hour is 1 to 12"},
        {"1405pm", "leave out am/pm"},
        {"14", "give the minutes"},
        {"14:5", "the minutes need two digits"},
        {"930", "write it like 14:05"},
        {"noon", "is not a time"},
        {"14:05:30", "unexpected ':30'"},
        {"2 pmx", "unexpected 'x'"},
        {"14:05\xFF", "unexpected '?'"},
        {"abc", "is not a time"},
    };
    for (const Bad& b : bad) {
        CAPTURE(b.typed);
        const std::string message = time_error(b.typed);
        CAPTURE(message);
        CHECK(contains(message, b.reason));
    }
    // Every minute of the day round-trips through text().
    for (int h = 0; h < 24; ++h) {
        for (int m = 0; m < 60; ++m) {
            const TimeOfDay t{h, m};
            REQUIRE(parse_time(t.text()) == t);
        }
    }
}
