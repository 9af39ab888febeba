// The parser for typed dates and times; one date is read by date_reader.cpp.
//
// How parse_date() reads a text:
//  1. it is trimmed, limited to kMaxTypedBytes, checked to be UTF-8 and cut into tokens (numbers,
//     words, punctuation; en and em dashes are range dashes, a no-break space is a space);
//  2. approximate / uncertain markers are taken off the start and the end of the whole text;
//  3. "between X and Y" and "from X to Y" are ranges; otherwise the text is first read as one
//     date; failing that it is split at its one strong range separator (a dash, "to", a hyphen with
//     a space beside it); failing that at an unspaced '-' or '/', accepted only when exactly one
//     such split gives two readable dates (a '/' split needs a year on both sides);
//  4. a date is read by its shape (which numbers and month words, separated by what) and only then
//     checked (month 1..12, day in month, year in range, weekday), so the error says the real
//     reason ("31/02/2019: February 2019 has 28 days") rather than "not a date".
// Nothing is guessed: month-first dates, two-digit years in the future, words that are not
// understood, and markers that could belong to one end of a range only are all refused.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <algorithm>
#include "date_detail.hpp"
#include "imrdesk/shared/partial_date.hpp"
#include "imrdesk/shared/utf8.hpp"

namespace imrdesk::domain {

using detail::check_words;
using detail::fail;
using detail::fail_partial;
using detail::finish;
using detail::Form;
using detail::is_digit;
using detail::is_space;
using detail::lower;
using detail::Marks;
using detail::padded;
using detail::RawPoint;
using detail::read_point;
using detail::shown;
using detail::strip_prefix;
using detail::strip_suffix;
using detail::Token;
using detail::TokenKind;
using detail::Tokens;
using detail::tokenize;
using detail::unreadable;

namespace {

constexpr std::size_t kMaxTypedBytes = 200;
constexpr std::size_t kMaxTimeBytes = 32;

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

// ---------------------------------------------------------------------------------------------
// Ranges

struct Side {
    Tokens tokens;  // without its markers
    Marks prefix;
    Marks suffix;
    std::optional<RawPoint> point;
};

Side read_side(std::string_view text, Tokens t) {
    Side s;
    strip_prefix(t, s.prefix);
    strip_suffix(t, s.suffix);
    s.tokens = t;
    s.point = read_point(text, t);
    return s;
}

bool abbreviation_fits(Form start, DatePrecision end) noexcept {
    switch (start) {
        case Form::PartDay:
        case Form::PartDayMonthNum:
        case Form::PartDayMonthWord:
        case Form::PartMonthDay:
            return end == DatePrecision::Day;
        case Form::PartMonth:
            return end == DatePrecision::Month;
        default:
            return false;
    }
}

enum class Fit : std::uint8_t { Ok, NoStart, NoEnd, StartUnreadable, EndUnreadable, EndIncomplete, Mismatch };

Fit fit(const Side& start, const Side& end, bool allow_abbreviation) noexcept {
    if (start.tokens.empty()) {
        return Fit::NoStart;
    }
    if (end.tokens.empty()) {
        return Fit::NoEnd;
    }
    if (!start.point) {
        return Fit::StartUnreadable;
    }
    if (!end.point) {
        return Fit::EndUnreadable;
    }
    if (!end.point->complete()) {
        return Fit::EndIncomplete;
    }
    if (!start.point->complete() &&
        !(allow_abbreviation && abbreviation_fits(start.point->form, end.point->precision()))) {
        return Fit::Mismatch;
    }
    return Fit::Ok;
}

[[noreturn]] void fail_fit(Fit f, std::string_view text, const Side& start, const Side& end) {
    switch (f) {
        case Fit::NoStart:
            fail(std::string(text) + ": the range has no start");
        case Fit::NoEnd:
            fail(std::string(text) + ": the range has no end");
        case Fit::StartUnreadable:
            fail(unreadable(text, start.tokens));
        case Fit::EndUnreadable:
            fail(unreadable(text, end.tokens));
        case Fit::EndIncomplete:
            fail(end.point->text + ": the end of a range needs its year, e.g. 1 - 14 March 2019");
        default:
            fail(start.point->text +
                 ": a range start without a year must give the same detail as the end, e.g. 1 - 14 March 2019 "
                 "or January - March 2019");
    }
}

struct Context {
    std::string_view text;
    int current_year = 0;
    Marks whole_prefix;
    Marks whole_suffix;
};

PartialDate build_range(const Context& ctx, const Side& start, const Side& end) {
    const bool abbreviated = !start.point->complete();
    DatePoint first;
    DatePoint last;
    if (abbreviated) {
        last = finish(*end.point, ctx.current_year);
        RawPoint s = *start.point;  // the start takes what it lacks from the end
        switch (s.form) {
            case Form::PartDay:
                s.month = last.month;
                s.form = Form::WordDay;
                break;
            case Form::PartDayMonthNum:
                s.form = Form::NumDay;
                break;
            case Form::PartMonth:
                s.form = Form::WordMonthYear;
                break;
            default:
                s.form = Form::WordDay;
                break;
        }
        s.year = last.year;
        s.year_digits = 4;
        first = finish(s, ctx.current_year);
    } else {
        first = finish(*start.point, ctx.current_year);
        last = finish(*end.point, ctx.current_year);
    }
    // A marker at the start of the text or the end of the text qualifies the whole range; one
    // directly on an inner end ("2018~ - 2019", "2018 - c. 2019") is only accepted when the other
    // end carries it too, because the range cannot be approximate at one end only.
    const Marks lead = ctx.whole_prefix | start.prefix;
    const Marks tail = ctx.whole_suffix | end.suffix;
    Marks marks = lead | tail;
    const auto check_inner = [&](bool lead_has, bool tail_has, bool start_inner, bool end_inner, bool& out,
                                 const char* what, const char* example) {
        if (lead_has || tail_has) {
            out = true;
            return;
        }
        if (start_inner != end_inner) {
            fail(std::string(ctx.text) + ": only one end of the range is marked " + what +
                 "; a range is " + what + " as a whole, e.g. " + example);
        }
        out = start_inner;
    };
    check_inner(lead.approximate, tail.approximate, start.suffix.approximate, end.prefix.approximate,
                marks.approximate, "approximate", "c. 2018 - 2019");
    check_inner(lead.uncertain, tail.uncertain, start.suffix.uncertain, end.prefix.uncertain, marks.uncertain,
                "uncertain", "?2018 - 2019");
    if (last.first_day() < first.first_day()) {
        fail(std::string(ctx.text) + ": the range ends before it starts" +
             (abbreviated ? " (if it runs into another year, write the year on both ends)" : ""));
    }
    PartialDate d;
    d.start = first;
    d.end = last;
    d.approximate = marks.approximate;
    d.uncertain = marks.uncertain;
    return d;
}

PartialDate strict_range(const Context& ctx, Tokens start_tokens, Tokens end_tokens) {
    const Side start = read_side(ctx.text, start_tokens);
    const Side end = read_side(ctx.text, end_tokens);
    const Fit f = fit(start, end, true);
    if (f != Fit::Ok) {
        fail_fit(f, ctx.text, start, end);
    }
    return build_range(ctx, start, end);
}

int system_year() {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return CivilDate::from_days(static_cast<std::int64_t>(today.time_since_epoch().count())).year;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parsing typed dates

PartialDate parse_date(std::string_view typed, const DateParseOptions& options) {
    const std::string_view text = trim(typed);
    if (text.empty()) {
        fail("no date given");
    }
    if (text.size() > kMaxTypedBytes) {
        fail("too long to be a date (" + std::to_string(text.size()) + " characters; a date has at most " +
             std::to_string(kMaxTypedBytes) + ")");
    }
    if (!text::is_valid_utf8(text)) {
        fail("the date contains bytes that are not text (invalid UTF-8)");
    }
    // A text that is exactly a storage form means what it says ("2018-03/2019" is March 2018 to
    // 2019, as in ISO 8601, though "2018 - 03/2019" would be 2018 to March 2019).
    // Every storage form starts with a four-digit year; other texts skip the attempt (and its
    // exception, which would cost more than the rest of the parse on an import of 100,000 rows).
    const bool may_be_iso = text.size() >= 4 && std::all_of(text.begin(), text.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
    if (may_be_iso) {
        try {
            return PartialDate::from_iso(text);
        } catch (const DateError&) {
        }
    }
    // Messages quote the text: tabs and line breaks become spaces (same length, so the tokens'
    // offsets still hold); any other control character is refused by the tokenizer.
    std::string clean(text);
    for (char& c : clean) {
        c = is_space(c) ? ' ' : c;
    }
    const std::string_view text_for_messages = clean;
    const std::vector<Token> tokens = tokenize(text_for_messages);
    if (tokens.empty()) {
        fail("no date given");
    }
    check_words(text_for_messages, tokens);

    Context ctx;
    ctx.text = text_for_messages;
    ctx.current_year = options.current_year != 0 ? options.current_year : system_year();
    Tokens all(tokens);
    strip_prefix(all, ctx.whole_prefix);
    strip_suffix(all, ctx.whole_suffix);
    if (all.empty()) {
        fail(std::string(text_for_messages) + ": a marker but no date; give the date too, e.g. c. 2018 or ?03/2019");
    }

    const auto find_word = [&all](std::string_view word) {
        std::vector<std::size_t> at;
        for (std::size_t i = 0; i < all.size(); ++i) {
            if (all[i].is_word(word)) {
                at.push_back(i);
            }
        }
        return at;
    };

    if (all.front().is_word("between")) {
        all = all.subspan(1);
        const auto ands = find_word("and");
        if (ands.size() != 1 || !find_word("between").empty() || !find_word("to").empty()) {
            fail(std::string(text_for_messages) + ": write a range as 'between 1 and 14 March 2019'");
        }
        return strict_range(ctx, all.first(ands[0]), all.subspan(ands[0] + 1));
    }
    const bool from = all.front().is_word("from");
    if (from) {
        all = all.subspan(1);
    }
    if (!find_word("and").empty()) {
        fail(std::string(text_for_messages) + ": 'and' is only understood in 'between 1 and 14 March 2019'");
    }
    if (!find_word("between").empty() || !find_word("from").empty()) {
        fail(std::string(text_for_messages) + ": 'between' and 'from' go at the start, e.g. from 1 to 14 March 2019");
    }

    if (!from) {
        if (const auto point = read_point(text_for_messages, all)) {
            if (!point->complete()) {
                fail_partial(*point);
            }
            PartialDate d;
            d.start = finish(*point, ctx.current_year);
            d.approximate = ctx.whole_prefix.approximate || ctx.whole_suffix.approximate;
            d.uncertain = ctx.whole_prefix.uncertain || ctx.whole_suffix.uncertain;
            return d;
        }
    }

    // Strong range separators: a dash, "to", or a hyphen with a space beside it.
    std::vector<std::size_t> strong;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Token& t = all[i];
        const bool spaced_hyphen =
            t.is_punct('-') && (t.space_before || (i + 1 < all.size() && all[i + 1].space_before));
        if (t.kind == TokenKind::Dash || t.is_word("to") || spaced_hyphen) {
            strong.push_back(i);
        }
    }
    if (strong.size() > 1) {
        fail(std::string(text_for_messages) + ": more than one range separator; a range is written like 01/2019 - 03/2019");
    }
    if (strong.size() == 1) {
        return strict_range(ctx, all.first(strong[0]), all.subspan(strong[0] + 1));
    }
    if (from) {
        fail(std::string(text_for_messages) + ": 'from' needs 'to', e.g. from 1 to 14 March 2019");
    }

    // Weak separators: an unspaced '-' (also "1-14 March 2019") or a '/' between two dates with
    // a year ("2019-01/2019-03"). A split whose dates are impossible ("2019 - 13/2019") is not a
    // reading; the text is accepted only when exactly one split gives a valid range.
    std::optional<PartialDate> found;
    std::optional<std::string> first_error;
    std::size_t readings = 0;
    std::optional<std::pair<Side, Side>> near_miss;
    Fit near_fit = Fit::Ok;
    std::size_t near_misses = 0;
    for (std::size_t i = 1; i + 1 < all.size(); ++i) {
        const bool hyphen = all[i].is_punct('-');
        if (!hyphen && !all[i].is_punct('/')) {
            continue;
        }
        Side start = read_side(text_for_messages, all.first(i));
        Side end = read_side(text_for_messages, all.subspan(i + 1));
        // "1-14 March 2019" and "1-14/03/2019" abbreviate the start; "1-2-3-2019" does not.
        bool abbreviation = hyphen;
        for (const Token& t : end.tokens) {
            abbreviation = abbreviation && !t.is_punct('-');
        }
        const Fit f = fit(start, end, abbreviation);
        if (f == Fit::Ok) {
            try {
                found = build_range(ctx, start, end);
                ++readings;
            } catch (const DateError& e) {
                if (!first_error) {
                    first_error = e.what();
                }
            }
        } else if (abbreviation && (f == Fit::EndIncomplete || f == Fit::Mismatch)) {
            ++near_misses;
            near_fit = f;
            near_miss.emplace(std::move(start), std::move(end));
        }
    }
    if (readings > 1) {
        fail(std::string(text_for_messages) +
             ": this could be read as more than one range; write it with spaces, like 01/2019 - 03/2019");
    }
    if (readings == 1) {
        return *found;
    }
    if (first_error) {
        fail(*first_error);
    }
    if (near_misses == 1) {
        fail_fit(near_fit, text_for_messages, near_miss->first, near_miss->second);
    }
    fail(unreadable(text_for_messages, all));
}

// ---------------------------------------------------------------------------------------------
// Times of day

std::string TimeOfDay::text() const { return padded(hour, 2) + ":" + padded(minute, 2); }

TimeOfDay parse_time(std::string_view typed) {
    const std::string_view text = trim(typed);
    if (text.empty()) {
        fail("no time given");
    }
    if (text.size() > kMaxTimeBytes) {
        fail("too long to be a time (" + std::to_string(text.size()) + " characters)");
    }
    const std::string quoted = "'" + shown(text) + "'";
    std::string s;
    for (const char c : text) {
        s.push_back(lower(c));
    }
    std::size_t i = 0;
    const auto digits = [&]() {
        const std::size_t from = i;
        while (i < s.size() && is_digit(s[i])) {
            ++i;
        }
        return s.substr(from, i - from);
    };
    const std::string hour_digits = digits();
    if (hour_digits.empty()) {
        fail(quoted + " is not a time; write it like 14:05 or 2pm");
    }
    int hour = 0;
    int minute = 0;
    bool has_minutes = false;
    bool compact = false;
    if (hour_digits.size() == 4) {  // 1405
        hour = std::stoi(hour_digits.substr(0, 2));
        minute = std::stoi(hour_digits.substr(2, 2));
        has_minutes = true;
        compact = true;
    } else if (hour_digits.size() > 2) {
        fail(quoted + " is not a time; write it like 14:05 or 09:30");
    } else {
        hour = std::stoi(hour_digits);
        if (i < s.size() && (s[i] == ':' || s[i] == '.')) {
            ++i;
            const std::string minute_digits = digits();
            if (minute_digits.size() != 2) {
                fail(quoted + ": the minutes need two digits, e.g. 14:05");
            }
            minute = std::stoi(minute_digits);
            has_minutes = true;
        }
    }
    while (i < s.size() && is_space(s[i])) {
        ++i;
    }
    int meridiem = 0;  // 1 am, 2 pm
    for (const std::string_view form : {"a.m.", "a.m", "am", "p.m.", "p.m", "pm"}) {
        if (std::string_view(s).substr(i, form.size()) == form) {
            meridiem = form.front() == 'a' ? 1 : 2;
            i += form.size();
            break;
        }
    }
    while (i < s.size() && is_space(s[i])) {
        ++i;
    }
    if (i != s.size()) {
        fail(quoted + ": unexpected '" + shown(text.substr(i)) + "'; write the time like 14:05 or 2pm");
    }
    if (minute > 59) {
        fail(quoted + ": there is no minute " + std::to_string(minute));
    }
    if (meridiem != 0) {
        if (compact) {
            fail(quoted + ": a four-digit time is already on the 24-hour clock; leave out am/pm");
        }
        if (hour < 1 || hour > 12) {
            fail(quoted + ": with am or pm the hour is 1 to 12 (13:00 is 1pm)");
        }
        hour = hour % 12 + (meridiem == 2 ? 12 : 0);
        return TimeOfDay{hour, minute};
    }
    if (!has_minutes) {
        fail(quoted + ": give the minutes (e.g. " + padded(hour, 2) + ":00) or am/pm (e.g. 2pm)");
    }
    if (hour == 24) {
        fail(quoted + ": 24:00 is not a time of day; write 00:00 on the next day");
    }
    if (hour > 23) {
        fail(quoted + ": there is no hour " + std::to_string(hour));
    }
    return TimeOfDay{hour, minute};
}

}  // namespace imrdesk::domain
