#pragma once
// Dates with honest precision, as chronologies need them: an exact day, a month, a year, each
// possibly approximate ("c. 2018") or uncertain ("?03/2019"), or a range of two such points.
// Stored as an ISO 8601 / EDTF string ("2019-03-14", "2019-03", "2018~", "2019-03?",
// "2019-01/2019-03"); typed day-first as in the UK. Nothing ambiguous is ever guessed.
#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace imrdesk::domain {

// Why a typed or stored date was refused, in words a practitioner understands.
class DateError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

enum class DatePrecision : std::uint8_t { Day, Month, Year };

// A proleptic Gregorian calendar day.
struct CivilDate {
    int year = 0;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
    // Howard Hinnant's days_from_civil / civil_from_days. days_since_epoch() is exact for every
    // int year; from_days() clamps |days| to 7.84e11 (about +-2.1e9 years) so the year fits an int.
    [[nodiscard]] std::int64_t days_since_epoch() const noexcept;  // 1970-01-01 is 0
    [[nodiscard]] static CivilDate from_days(std::int64_t days) noexcept;
    [[nodiscard]] std::string iso() const;  // "2019-03-14"
    friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

[[nodiscard]] bool is_valid_civil(int year, int month, int day) noexcept;
[[nodiscard]] int days_in_month(int year, int month) noexcept;

// One point of a partial date. month/day are 0 when the precision does not include them.
struct DatePoint {
    int year = 0;
    int month = 0;
    int day = 0;
    DatePrecision precision = DatePrecision::Year;

    [[nodiscard]] CivilDate first_day() const noexcept;  // 2019-03 -> 2019-03-01
    [[nodiscard]] CivilDate last_day() const noexcept;   // 2019-03 -> 2019-03-31
    friend bool operator==(const DatePoint&, const DatePoint&) = default;
};

// A valid value has years 1800..2200, month/day consistent with each point's precision, and an
// end (if any) whose first day is not before the start's. The flags qualify the whole value (a
// range cannot be approximate at one end only). iso(), typed(), display() and describe() throw
// DateError for a value that is not valid (one put together by hand with month 13, say).
struct PartialDate {
    DatePoint start;
    std::optional<DatePoint> end;  // set for a range; end.first_day() >= start.first_day()
    bool approximate = false;      // "c.", "circa", "approx", "about"
    bool uncertain = false;        // "?"

    [[nodiscard]] static PartialDate day(int year, int month, int day);  // throws DateError
    [[nodiscard]] static PartialDate month(int year, int month);
    [[nodiscard]] static PartialDate year(int year);

    [[nodiscard]] bool is_range() const noexcept { return end.has_value(); }
    [[nodiscard]] CivilDate first_day() const noexcept { return start.first_day(); }
    [[nodiscard]] CivilDate last_day() const noexcept { return (end ? *end : start).last_day(); }

    // Storage form (EDTF level 1): "2019-03-14", "2019-03", "2019", "2018~", "2019-03?",
    // "2019-03%" (approximate and uncertain), "2019-01/2019-03", "2019-01~/2019-03~" (the
    // qualifier is written on both ends of a range).
    [[nodiscard]] std::string iso() const;
    // Throws DateError when text is not a storage form this class writes: from_iso(t).iso() == t
    // for every text it accepts (no spaces, two-digit months and days, same qualifier on both ends).
    [[nodiscard]] static PartialDate from_iso(std::string_view text);

    // What a person reads: "14 March 2019", "March 2019", "2019", "circa 2018",
    // "March 2019 (uncertain)", "circa March 2019 (uncertain)", "January 2019 to March 2019".
    // parse_date() reads it back to an equal value too.
    [[nodiscard]] std::string display() const;
    // What the date field shows it understood: "March 2019, month", "14 March 2019, exact day",
    // "circa 2018, approximate year", "January 2019 to March 2019, range",
    // "March 2019 (uncertain), uncertain month", "circa 2018 (uncertain), approximate, uncertain year".
    [[nodiscard]] std::string describe() const;
    // A form a person would type, that parse_date() reads back to an equal value:
    // "14/03/2019", "03/2019", "2019", "c. 2018", "?03/2019", "c. ?03/2019", "01/2019 - 03/2019".
    [[nodiscard]] std::string typed() const;

    friend bool operator==(const PartialDate&, const PartialDate&) = default;
};

// Chronological order: by first day, then the more precise first (day, month, year, then any
// range), then by last day. Remaining ties put certain before uncertain before approximate, then
// compare the fields, so only equal values compare equal.
[[nodiscard]] std::strong_ordering compare_chronologically(const PartialDate& a, const PartialDate& b) noexcept;

struct DateParseOptions {
    // Two-digit years ("14.3.19") mean 20YY when 20YY <= this year; otherwise they are refused
    // as ambiguous. 0 means the current year from the system clock.
    int current_year = 0;
};

// Parses what people type, day first, case-insensitive, with flexible spaces. Accepts, among others:
//   2019-03-14, 14/03/2019, 14-03-2019, 14.3.19, 14 Mar 2019, 14th March 2019, Thursday 14 March 2019,
//   March 14, 2019, March 2019, Mar 2019, Sept 2019, 03/2019, 2019-03, 2019,
//   approximate: c. 2018, c.2018, ca. 2018, circa 2018, approx. 2018, about 2018, around 2018, ~2018,
//                2018~, 2018 (approx);
//   uncertain:   ?03/2019, ? 2019, 03/2019?, uncertain 2019, 2019 (uncertain);
//   ranges:      01/2019 - 03/2019, 2018–2019, 2019-01 to 2019-03, 2019-01/2019-03,
//                between 1 and 14 March 2019, from 1 to 14 March 2019;
//   abbreviated: 1-14 March 2019, 1 Jan - 14 Mar 2019, January - March 2019 (the start takes the
//                month and year it leaves out from the end, and must have the end's precision);
//   every storage form (iso()), which means what it says ("2018-03/2019" is March 2018 to 2019).
// A weekday, if given, must be right. Markers at the start or end of the text qualify a whole
// range; one on an inner end only ("2018~ - 2019") is refused. '/' separates a range only
// between two dates that each have a year; an unspaced '-' or '/' is accepted as a range only
// when exactly one reading is a valid date.
// Throws DateError, with the text and the reason, for anything impossible (31/02/2019, month 13,
// day 0, years outside 1800..2200, a range that ends before it starts), ambiguous (03/14/2019 is
// month-first; a two-digit year in the future; "Mar 19"; a text with two range readings) or
// unreadable (unknown words, trailing text, over 200 bytes, invalid UTF-8). Leading and trailing
// spaces are ignored; an empty text is an error ("no date given").
[[nodiscard]] PartialDate parse_date(std::string_view typed, const DateParseOptions& options = {});

struct TimeOfDay {
    int hour = 0;    // 0..23
    int minute = 0;  // 0..59
    [[nodiscard]] std::string text() const;  // "14:05"
    friend auto operator<=>(const TimeOfDay&, const TimeOfDay&) = default;
};

// Parses "14:05", "14.05", "1405", "2pm", "2 pm", "2.05 pm", "2:05 p.m.", "12:00 am" (00:00),
// "12pm" (12:00). Throws DateError with the reason for 24:00, hour 25, minute 60, "13pm", "14"
// (no minutes), "14:5" (one-digit minutes) and anything else.
[[nodiscard]] TimeOfDay parse_time(std::string_view typed);

}  // namespace imrdesk::domain
