// Partial dates: the calendar arithmetic and the PartialDate value, with its EDTF storage form
// and the forms a person reads and types. What people type is parsed by parse_date() and
// parse_time() in date_parser.cpp.
#include "imrdesk/shared/partial_date.hpp"

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "date_detail.hpp"

namespace imrdesk::domain {

using detail::fail;
using detail::is_digit;
using detail::kMaxYear;
using detail::kMinYear;
using detail::month_name;
using detail::padded;
using detail::shown;

namespace {

bool is_leap(int year) noexcept { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

// ---------------------------------------------------------------------------------------------
// Values

void check_point(const DatePoint& p) {
    const std::string where = std::to_string(p.year) + "-" + std::to_string(p.month) + "-" + std::to_string(p.day);
    if (p.year < kMinYear || p.year > kMaxYear) {
        fail(where + ": the year " + std::to_string(p.year) + " is outside " + std::to_string(kMinYear) + " to " +
             std::to_string(kMaxYear));
    }
    switch (p.precision) {
        case DatePrecision::Year:
            if (p.month != 0 || p.day != 0) {
                fail(where + ": a year on its own has month and day 0");
            }
            return;
        case DatePrecision::Month:
            if (p.month < 1 || p.month > 12) {
                fail(where + ": there is no month " + std::to_string(p.month));
            }
            if (p.day != 0) {
                fail(where + ": a month on its own has day 0");
            }
            return;
        case DatePrecision::Day:
            if (p.month < 1 || p.month > 12) {
                fail(where + ": there is no month " + std::to_string(p.month));
            }
            if (p.day < 1 || p.day > days_in_month(p.year, p.month)) {
                fail(where + ": " + month_name(p.month) + " " + std::to_string(p.year) + " has " +
                     std::to_string(days_in_month(p.year, p.month)) + " days");
            }
            return;
    }
    fail(where + ": unknown precision");
}

void check_value(const PartialDate& d) {
    check_point(d.start);
    if (d.end) {
        check_point(*d.end);
        if (d.end->first_day() < d.start.first_day()) {
            fail(d.start.first_day().iso() + " to " + d.end->first_day().iso() + ": the range ends before it starts");
        }
    }
}

std::string point_iso(const DatePoint& p) {
    std::string s = padded(p.year, 4);
    if (p.precision != DatePrecision::Year) {
        s += "-" + padded(p.month, 2);
    }
    if (p.precision == DatePrecision::Day) {
        s += "-" + padded(p.day, 2);
    }
    return s;
}

std::string point_display(const DatePoint& p) {
    switch (p.precision) {
        case DatePrecision::Day:
            return std::to_string(p.day) + " " + month_name(p.month) + " " + std::to_string(p.year);
        case DatePrecision::Month:
            return month_name(p.month) + " " + std::to_string(p.year);
        default:
            return std::to_string(p.year);
    }
}

std::string point_typed(const DatePoint& p) {
    switch (p.precision) {
        case DatePrecision::Day:
            return padded(p.day, 2) + "/" + padded(p.month, 2) + "/" + padded(p.year, 4);
        case DatePrecision::Month:
            return padded(p.month, 2) + "/" + padded(p.year, 4);
        default:
            return padded(p.year, 4);
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Calendar

bool is_valid_civil(int year, int month, int day) noexcept {
    return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

int days_in_month(int year, int month) noexcept {
    static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) {
        return 0;
    }
    if (month == 2 && is_leap(year)) {
        return 29;
    }
    return kDays[static_cast<std::size_t>(month - 1)];
}

// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil. Computed in
// 64-bit signed arithmetic throughout so that no int value of the fields can overflow.
std::int64_t CivilDate::days_since_epoch() const noexcept {
    const std::int64_t m = month;
    const std::int64_t d = day;
    const std::int64_t y = static_cast<std::int64_t>(year) - (m <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;                                  // [0, 399]
    const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
    return era * 146097 + doe - 719468;
}

// Howard Hinnant's civil_from_days. Days beyond about +-7.8e11 (years beyond int) are clamped.
CivilDate CivilDate::from_days(std::int64_t days) noexcept {
    constexpr std::int64_t kLimit = 784'000'000'000;
    std::int64_t z = days < -kLimit ? -kLimit : (days > kLimit ? kLimit : days);
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;                                   // [0, 146096]
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
    const std::int64_t y = yoe + era * 400;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
    const std::int64_t mp = (5 * doy + 2) / 153;                        // [0, 11]
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;                // [1, 31]
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;                   // [1, 12]
    return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

std::string CivilDate::iso() const { return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2); }

CivilDate DatePoint::first_day() const noexcept {
    switch (precision) {
        case DatePrecision::Day:
            return CivilDate{year, month, day};
        case DatePrecision::Month:
            return CivilDate{year, month, 1};
        default:
            return CivilDate{year, 1, 1};
    }
}

CivilDate DatePoint::last_day() const noexcept {
    switch (precision) {
        case DatePrecision::Day:
            return CivilDate{year, month, day};
        case DatePrecision::Month:
            return CivilDate{year, month, days_in_month(year, month)};
        default:
            return CivilDate{year, 12, 31};
    }
}

// ---------------------------------------------------------------------------------------------
// PartialDate

PartialDate PartialDate::day(int year, int month, int day) {
    PartialDate d;
    d.start = DatePoint{year, month, day, DatePrecision::Day};
    check_value(d);
    return d;
}

PartialDate PartialDate::month(int year, int month) {
    PartialDate d;
    d.start = DatePoint{year, month, 0, DatePrecision::Month};
    check_value(d);
    return d;
}

PartialDate PartialDate::year(int year) {
    PartialDate d;
    d.start = DatePoint{year, 0, 0, DatePrecision::Year};
    check_value(d);
    return d;
}

std::string PartialDate::iso() const {
    check_value(*this);
    const char* qualifier = approximate && uncertain ? "%" : approximate ? "~" : uncertain ? "?" : "";
    std::string s = point_iso(start) + qualifier;
    if (end) {
        s += "/" + point_iso(*end) + qualifier;
    }
    return s;
}

PartialDate PartialDate::from_iso(std::string_view text) {
    const auto refuse = [&](const std::string& why) {
        fail("'" + shown(text) + "' is not a stored date: " + why);
    };
    std::size_t i = 0;
    const auto read_digits = [&](std::size_t count, int& out) {
        if (text.size() - i < count) {
            return false;
        }
        int value = 0;
        for (std::size_t k = 0; k < count; ++k) {
            if (!is_digit(text[i + k])) {
                return false;
            }
            value = value * 10 + (text[i + k] - '0');
        }
        i += count;
        out = value;
        return true;
    };
    const auto read_point_iso = [&](DatePoint& p) {
        p = DatePoint{};
        if (!read_digits(4, p.year)) {
            return false;
        }
        if (i < text.size() && text[i] == '-') {
            ++i;
            if (!read_digits(2, p.month)) {
                return false;
            }
            p.precision = DatePrecision::Month;
            if (i < text.size() && text[i] == '-') {
                ++i;
                if (!read_digits(2, p.day)) {
                    return false;
                }
                p.precision = DatePrecision::Day;
            }
        }
        return true;
    };
    const auto read_qualifier = [&]() -> char {
        if (i < text.size() && (text[i] == '~' || text[i] == '?' || text[i] == '%')) {
            return text[i++];
        }
        return 0;
    };
    PartialDate d;
    if (!read_point_iso(d.start)) {
        refuse("expected YYYY, YYYY-MM or YYYY-MM-DD");
    }
    const char first_qualifier = read_qualifier();
    char last_qualifier = first_qualifier;
    if (i < text.size() && text[i] == '/') {
        ++i;
        DatePoint e;
        if (!read_point_iso(e)) {
            refuse("expected YYYY, YYYY-MM or YYYY-MM-DD after '/'");
        }
        d.end = e;
        last_qualifier = read_qualifier();
    }
    if (i != text.size()) {
        refuse("unexpected text after the date");
    }
    if (first_qualifier != last_qualifier) {
        refuse("both ends of a range carry the same qualifier");
    }
    d.approximate = first_qualifier == '~' || first_qualifier == '%';
    d.uncertain = first_qualifier == '?' || first_qualifier == '%';
    try {
        check_value(d);
    } catch (const DateError& e) {
        refuse(e.what());
    }
    return d;
}

std::string PartialDate::display() const {
    check_value(*this);
    std::string s = point_display(start);
    if (end) {
        s += " to " + point_display(*end);
    }
    if (approximate) {
        s = "circa " + s;
    }
    if (uncertain) {
        s += " (uncertain)";
    }
    return s;
}

std::string PartialDate::describe() const {
    std::string kind;
    if (end) {
        kind = "range";
    } else if (start.precision == DatePrecision::Day) {
        kind = "day";
    } else if (start.precision == DatePrecision::Month) {
        kind = "month";
    } else {
        kind = "year";
    }
    std::string qualifier;
    if (approximate && uncertain) {
        qualifier = "approximate, uncertain ";
    } else if (approximate) {
        qualifier = "approximate ";
    } else if (uncertain) {
        qualifier = "uncertain ";
    } else if (kind == "day") {
        qualifier = "exact ";
    }
    return display() + ", " + qualifier + kind;
}

std::string PartialDate::typed() const {
    check_value(*this);
    std::string s = point_typed(start);
    if (end) {
        s += " - " + point_typed(*end);
    }
    if (uncertain) {
        s = "?" + s;
    }
    if (approximate) {
        s = "c. " + s;
    }
    return s;
}

std::strong_ordering compare_chronologically(const PartialDate& a, const PartialDate& b) noexcept {
    // A range is less precise than any single point.
    const auto detail = [](const PartialDate& d) { return d.end ? 3 : static_cast<int>(d.start.precision); };
    if (const auto c = a.first_day() <=> b.first_day(); c != 0) {
        return c;
    }
    if (const auto c = detail(a) <=> detail(b); c != 0) {
        return c;
    }
    if (const auto c = a.last_day() <=> b.last_day(); c != 0) {
        return c;
    }
    // Ties between different values: certain before approximate / uncertain, then field by field,
    // so that only equal values compare equal.
    if (const auto c = a.approximate <=> b.approximate; c != 0) {
        return c;
    }
    if (const auto c = a.uncertain <=> b.uncertain; c != 0) {
        return c;
    }
    const auto point_key = [](const DatePoint& p) {
        return std::array<int, 4>{p.year, p.month, p.day, static_cast<int>(p.precision)};
    };
    if (const auto c = point_key(a.start) <=> point_key(b.start); c != 0) {
        return c;
    }
    if (a.end && b.end) {
        return point_key(*a.end) <=> point_key(*b.end);
    }
    return a.end.has_value() <=> b.end.has_value();
}

}  // namespace imrdesk::domain
