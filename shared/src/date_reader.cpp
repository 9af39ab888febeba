// Reading one typed date: the tokenizer, the word tables, the approximate / uncertain markers and
// the reading of a date by its shape (which numbers and month words, separated by what), which is
// only then checked (month 1..12, day in month, year in range, weekday) so that an error says the
// real reason ("31/02/2019: February 2019 has 28 days") rather than "not a date". parse_date()
// (date_parser.cpp) puts these together into single dates and ranges.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "date_detail.hpp"
#include "imrdesk/shared/partial_date.hpp"

namespace imrdesk::domain::detail {
namespace {

constexpr std::array<std::string_view, 7> kWeekdayNames{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                         "Friday", "Saturday", "Sunday"};

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// 0 = Monday .. 6 = Sunday. 1970-01-01 was a Thursday.
int weekday_of(const CivilDate& date) noexcept {
    const std::int64_t days = date.days_since_epoch();
    return static_cast<int>((days % 7 + 7 + 3) % 7);
}

int month_from_word(std::string_view word) noexcept {
    struct Entry {
        std::string_view word;
        int month;
    };
    static constexpr std::array<Entry, 25> kTable{{{"january", 1}, {"jan", 1},   {"february", 2}, {"feb", 2},
                                                   {"march", 3},   {"mar", 3},   {"april", 4},    {"apr", 4},
                                                   {"may", 5},     {"june", 6},  {"jun", 6},      {"july", 7},
                                                   {"jul", 7},     {"august", 8}, {"aug", 8},     {"september", 9},
                                                   {"sep", 9},     {"sept", 9},  {"october", 10}, {"oct", 10},
                                                   {"november", 11}, {"nov", 11}, {"december", 12}, {"dec", 12},
                                                   {"", 0}}};
    for (const Entry& e : kTable) {
        if (!e.word.empty() && e.word == word) {
            return e.month;
        }
    }
    return 0;
}

int weekday_from_word(std::string_view word) noexcept {
    struct Entry {
        std::string_view word;
        int weekday;
    };
    static constexpr std::array<Entry, 18> kTable{{{"monday", 0},   {"mon", 0},      {"tuesday", 1},  {"tue", 1},
                                                   {"tues", 1},     {"wednesday", 2}, {"wed", 2},     {"weds", 2},
                                                   {"thursday", 3}, {"thu", 3},      {"thur", 3},     {"thurs", 3},
                                                   {"friday", 4},   {"fri", 4},      {"saturday", 5}, {"sat", 5},
                                                   {"sunday", 6},   {"sun", 6}}};
    for (const Entry& e : kTable) {
        if (e.word == word) {
            return e.weekday;
        }
    }
    return -1;
}

bool is_approximate_word(std::string_view w) noexcept {
    return w == "c" || w == "ca" || w == "circa" || w == "approx" || w == "approximately" || w == "about" ||
           w == "around";
}
bool is_ordinal_suffix(std::string_view w) noexcept { return w == "st" || w == "nd" || w == "rd" || w == "th"; }
bool is_connective(std::string_view w) noexcept {
    return w == "of" || w == "to" || w == "and" || w == "between" || w == "from";
}
bool is_vague_word(std::string_view w) noexcept {
    return w == "early" || w == "mid" || w == "middle" || w == "late" || w == "beginning" || w == "start" ||
           w == "end" || w == "spring" || w == "summer" || w == "autumn" || w == "fall" || w == "winter" ||
           w == "before" || w == "after" || w == "since" || w == "by" || w == "until" || w == "till" ||
           w == "pre" || w == "post";
}

std::string_view slice(std::string_view text, Tokens tokens) noexcept {
    if (tokens.empty()) {
        return {};
    }
    return text.substr(tokens.front().begin, tokens.back().end - tokens.front().begin);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Tokens

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    bool space = false;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        const auto starts = [&](std::string_view seq) { return s.substr(i, seq.size()) == seq; };
        if (is_space(c)) {
            space = true;
            ++i;
            continue;
        }
        if (starts("\xC2\xA0")) {  // no-break space, as word processors paste it
            space = true;
            i += 2;
            continue;
        }
        Token t;
        t.begin = i;
        t.space_before = space;
        if (starts("\xE2\x80\x93") || starts("\xE2\x80\x94")) {  // en dash, em dash
            t.kind = TokenKind::Dash;
            i += 3;
        } else if (starts("\xE2\x80\x90") || starts("\xE2\x80\x91") || starts("\xE2\x88\x92")) {
            t.kind = TokenKind::Punct;  // hyphen, non-breaking hyphen, minus sign
            t.punct = '-';
            i += 3;
        } else if (is_digit(c)) {
            t.kind = TokenKind::Number;
            while (i < s.size() && is_digit(s[i])) {
                t.text.push_back(s[i]);
                ++i;
            }
            t.digits = static_cast<int>(t.text.size());
            t.value = t.digits <= 9 ? std::stoi(t.text) : -1;
        } else if (is_alpha(c)) {
            t.kind = TokenKind::Word;
            while (i < s.size() && is_alpha(s[i])) {
                t.text.push_back(lower(s[i]));
                ++i;
            }
        } else if (std::string_view("/-.,?~()%").find(c) != std::string_view::npos) {
            t.kind = TokenKind::Punct;
            t.punct = c;
            ++i;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            std::string what;
            if (byte < 0x20 || byte == 0x7F) {
                what = "a control character";
            } else {
                std::size_t length = 1;  // the text is valid UTF-8: take the whole character
                while (i + length < s.size() && (static_cast<unsigned char>(s[i + length]) & 0xC0U) == 0x80U) {
                    ++length;
                }
                what = "'" + std::string(s.substr(i, length)) + "'";
            }
            std::string echo(s);
            for (char& ch : echo) {
                const auto u = static_cast<unsigned char>(ch);
                ch = (u < 0x20 || u == 0x7F) ? '?' : ch;
            }
            fail(echo + ": unexpected character " + what +
                 " (a date is written like 14/03/2019, 14 March 2019 or 2019)");
        }
        t.end = i;
        out.push_back(std::move(t));
        space = false;
    }
    return out;
}

void check_words(std::string_view text, const std::vector<Token>& tokens) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (t.kind != TokenKind::Word) {
            continue;
        }
        const std::string& w = t.text;
        if (month_from_word(w) != 0 || weekday_from_word(w) >= 0 || is_approximate_word(w) || w == "uncertain" ||
            is_connective(w)) {
            continue;
        }
        if (is_ordinal_suffix(w) && i > 0 && tokens[i - 1].kind == TokenKind::Number && !t.space_before) {
            continue;
        }
        if (is_vague_word(w)) {
            fail(std::string(text) + ": '" + w +
                 "' cannot be stored as a date; give the day, month or year the record supports, marked "
                 "approximate if need be (e.g. c. 03/2019), or a range (e.g. 01/2019 - 03/2019)");
        }
        fail(std::string(text) + ": the word '" + w +
             "' is not understood; write the date day first, e.g. 14/03/2019, 14 March 2019, March 2019 or 2019");
    }
}

// ---------------------------------------------------------------------------------------------
// Markers

namespace {

// "(approx)", "(c.)", "(uncertain)", "(?)": only markers between the brackets.
bool marker_group(Tokens inner, Marks& m) {
    if (inner.empty()) {
        return false;
    }
    Marks found;
    bool any = false;
    for (const Token& t : inner) {
        if (t.is_punct('.')) {
            continue;
        }
        if (t.is_punct('?') || t.is_word("uncertain")) {
            found.uncertain = true;
        } else if (t.is_punct('~') || (t.kind == TokenKind::Word && is_approximate_word(t.text))) {
            found.approximate = true;
        } else {
            return false;
        }
        any = true;
    }
    if (any) {
        m = m | found;
    }
    return any;
}

}  // namespace

void strip_prefix(Tokens& t, Marks& m) {
    while (!t.empty()) {
        const Token& f = t.front();
        if (f.is_punct('~')) {
            m.approximate = true;
        } else if (f.is_punct('?')) {
            m.uncertain = true;
        } else if (f.kind == TokenKind::Word && is_approximate_word(f.text)) {
            m.approximate = true;
            if (t.size() > 1 && t[1].is_punct('.')) {  // "c.", "ca.", "approx."
                t = t.subspan(1);
            }
        } else if (f.is_word("uncertain")) {
            m.uncertain = true;
        } else if (f.is_punct('(')) {  // "(approx) 2019"
            std::size_t close = 1;
            while (close < t.size() && !t[close].is_punct(')')) {
                ++close;
            }
            if (close == t.size() || !marker_group(t.subspan(1, close - 1), m)) {
                return;
            }
            t = t.subspan(close);
        } else {
            return;
        }
        t = t.subspan(1);
    }
}

void strip_suffix(Tokens& t, Marks& m) {
    while (!t.empty()) {
        const Token& b = t.back();
        std::size_t drop = 1;
        if (b.is_punct('~')) {
            m.approximate = true;
        } else if (b.is_punct('?')) {
            m.uncertain = true;
        } else if (b.is_punct('%')) {  // EDTF: approximate and uncertain
            m.approximate = true;
            m.uncertain = true;
        } else if (b.is_word("approx") || b.is_word("approximately") || b.is_word("circa")) {
            m.approximate = true;
        } else if (b.is_word("uncertain")) {
            m.uncertain = true;
        } else if (b.is_punct('.') && t.size() >= 2 && t[t.size() - 2].is_word("approx")) {
            m.approximate = true;
            drop = 2;
        } else if (b.is_punct(')')) {
            std::size_t open = t.size() - 1;
            while (open > 0 && !t[open - 1].is_punct('(')) {
                --open;
            }
            if (open == 0 || !marker_group(t.subspan(open, t.size() - 1 - open), m)) {
                return;
            }
            drop = t.size() - open + 1;
        } else {
            return;
        }
        t = t.first(t.size() - drop);
    }
}

// ---------------------------------------------------------------------------------------------
// Reading one date by its shape

namespace {

struct Component {
    bool month_word = false;
    int value = 0;  // the number, or the month 1..12
    int digits = 0;
    bool ordinal = false;
};

bool number(const Component& c, int min_digits, int max_digits) noexcept {
    return !c.month_word && !c.ordinal && c.digits >= min_digits && c.digits <= max_digits;
}
bool day_number(const Component& c) noexcept { return !c.month_word && c.digits >= 1 && c.digits <= 2; }
bool year_number(const Component& c) noexcept { return number(c, 2, 2) || number(c, 4, 4); }
bool one_of(char sep, std::string_view set) noexcept { return set.find(sep) != std::string_view::npos; }

}  // namespace

// The shape of a date without markers, or nullopt when the tokens are not one date.
std::optional<RawPoint> read_point(std::string_view text, Tokens t) {
    if (t.empty()) {
        return std::nullopt;
    }
    RawPoint r;
    r.text = std::string(slice(text, t));
    std::size_t i = 0;
    const std::size_t n = t.size();
    if (t[0].kind == TokenKind::Word && weekday_from_word(t[0].text) >= 0) {
        r.weekday = weekday_from_word(t[0].text);
        i = 1;
        if (i < n && t[i].is_punct('.')) {  // "Thu."
            ++i;
        }
        if (i < n && t[i].is_punct(',')) {  // "Thursday, 14 March 2019"
            ++i;
        }
    }
    std::array<Component, 3> comps{};
    std::array<char, 2> seps{};
    std::size_t k = 0;
    for (;;) {
        if (i >= n) {
            break;
        }
        Component c;
        const Token& tok = t[i];
        if (tok.kind == TokenKind::Number) {
            c.value = tok.value;
            c.digits = tok.digits;
            ++i;
            if (i < n && t[i].kind == TokenKind::Word && is_ordinal_suffix(t[i].text) && !t[i].space_before) {
                c.ordinal = true;
                ++i;
            }
        } else if (tok.kind == TokenKind::Word && month_from_word(tok.text) != 0) {
            c.month_word = true;
            c.value = month_from_word(tok.text);
            ++i;
        } else {
            return std::nullopt;
        }
        if (k == comps.size()) {
            return std::nullopt;
        }
        comps[k++] = c;
        if (i >= n) {
            break;
        }
        char sep = ' ';
        const Token& s = t[i];
        if (s.is_word("of")) {
            sep = 'o';
            ++i;
        } else if (s.kind == TokenKind::Punct && one_of(s.punct, "/-.,")) {
            sep = s.punct;
            ++i;
        } else if (s.kind != TokenKind::Number && !(s.kind == TokenKind::Word && month_from_word(s.text) != 0)) {
            return std::nullopt;
        }
        if (i >= n) {
            if (sep == '.' && c.month_word) {  // "14 Mar." as the start of a range
                break;
            }
            return std::nullopt;
        }
        if (k > seps.size()) {
            return std::nullopt;
        }
        seps[k - 1] = sep;
    }
    if (k == 0) {
        return std::nullopt;
    }
    const Component& c0 = comps[0];
    const Component& c1 = comps[1];
    const Component& c2 = comps[2];
    const char s0 = seps[0];
    const char s1 = seps[1];
    const auto set = [&r](Form form, int day, int month, const Component* year) {
        r.form = form;
        r.day = day;
        r.month = month;
        if (year != nullptr) {
            r.year = year->value;
            r.year_digits = year->digits;
        }
        return std::optional<RawPoint>(r);
    };
    if (k == 1) {
        if (number(c0, 4, 4)) {
            return set(Form::Year, 0, 0, &c0);
        }
        if (day_number(c0)) {
            r.ordinal_day = c0.ordinal;
            return set(Form::PartDay, c0.value, 0, nullptr);
        }
        if (c0.month_word) {
            return set(Form::PartMonth, 0, c0.value, nullptr);
        }
        return std::nullopt;
    }
    if (k == 2) {
        if (number(c0, 4, 4) && s0 == '-' && number(c1, 1, 2)) {
            return set(Form::IsoMonth, 0, c1.value, &c0);
        }
        if (number(c0, 1, 2) && one_of(s0, "/-.") && number(c1, 4, 4)) {
            return set(Form::NumMonthYear, 0, c0.value, &c1);
        }
        if (number(c0, 1, 2) && one_of(s0, "/-.") && number(c1, 1, 2)) {
            return set(Form::PartDayMonthNum, c0.value, c1.value, nullptr);
        }
        if (day_number(c0) && one_of(s0, " o-/.") && c1.month_word) {
            return set(Form::PartDayMonthWord, c0.value, c1.value, nullptr);
        }
        if (c0.month_word && one_of(s0, " -/.,o") && number(c1, 4, 4)) {  // also "March of 2019"
            return set(Form::WordMonthYear, 0, c0.value, &c1);
        }
        if (c0.month_word && one_of(s0, " .") && day_number(c1)) {
            r.ordinal_day = c1.ordinal;
            return set(Form::PartMonthDay, c1.value, c0.value, nullptr);
        }
        return std::nullopt;
    }
    if (number(c0, 4, 4) && s0 == s1 && one_of(s0, "-/.") && number(c1, 1, 2) && number(c2, 1, 2)) {
        return set(Form::IsoDay, c2.value, c1.value, &c0);
    }
    if (number(c0, 1, 2) && s0 == s1 && one_of(s0, "/-.") && number(c1, 1, 2) && year_number(c2)) {
        return set(Form::NumDay, c0.value, c1.value, &c2);
    }
    if (day_number(c0) && one_of(s0, " o-/.") && c1.month_word && one_of(s1, " -/.,") && year_number(c2)) {
        return set(Form::WordDay, c0.value, c1.value, &c2);
    }
    if (c0.month_word && one_of(s0, " .") && day_number(c1) && one_of(s1, " ,") && number(c2, 4, 4)) {
        return set(Form::WordDay, c1.value, c0.value, &c2);
    }
    return std::nullopt;
}

// Why tokens that have no date shape cannot be read.
std::string unreadable(std::string_view text, Tokens t) {
    const std::string whole(slice(text, t));
    for (const Token& tok : t) {
        if (tok.kind == TokenKind::Number && tok.digits >= 5) {
            return whole + ": '" + tok.text +
                   "' is too long for a day, month or year; write the date with separators, e.g. 14/03/2019";
        }
        if (tok.kind == TokenKind::Number && tok.digits == 3) {
            return whole + ": '" + tok.text + "' is not a day, a month or a four-digit year";
        }
    }
    for (std::size_t m = t.size(); m-- > 1;) {
        const auto head = read_point(text, t.first(m));
        if (head && head->complete()) {
            return whole + ": unexpected '" + std::string(slice(text, t.subspan(m))) + "' after the date";
        }
    }
    return whole + ": not a date this can read; write it day first, e.g. 14/03/2019, 14 March 2019, 03/2019 or 2019";
}

// Turns a complete shape into a checked point: month, year, day, then the weekday.
DatePoint finish(const RawPoint& r, int current_year) {
    DatePoint p;
    p.precision = r.precision();
    if (p.precision != DatePrecision::Year) {
        if (r.month < 1 || r.month > 12) {
            if (r.form == Form::NumDay && r.day >= 1 && r.day <= 12 && r.month <= 31) {
                fail(r.text + ": there is no month " + std::to_string(r.month) +
                     "; dates are day first (DD/MM/YYYY)");
            }
            if (r.form == Form::IsoMonth && r.month > 12 && r.month > r.year % 100) {  // 2018-19
                fail(r.text + ": there is no month " + std::to_string(r.month) +
                     " (for a range of years write both in full, e.g. 2018 - 2019)");
            }
            fail(r.text + ": there is no month " + std::to_string(r.month));
        }
        p.month = r.month;
    }
    if (r.year_digits == 2) {
        const int year = 2000 + r.year;
        if (year > current_year) {
            fail(r.text + ": ambiguous two-digit year " + padded(r.year, 2) + ": write it in full, e.g. 19" +
                 padded(r.year, 2));
        }
        p.year = year;
    } else if (r.year_digits == 4) {
        p.year = r.year;
    } else {
        fail(r.text + ": write the year with four digits");
    }
    if (p.year < kMinYear || p.year > kMaxYear) {
        fail(r.text + ": the year " + std::to_string(p.year) + " is outside the years a chronology can hold (" +
             std::to_string(kMinYear) + " to " + std::to_string(kMaxYear) + ")");
    }
    if (p.precision == DatePrecision::Day) {
        if (r.day < 1) {
            fail(r.text + ": there is no day 0");
        }
        const int days = days_in_month(p.year, p.month);
        if (r.day > days) {
            fail(r.text + ": " + month_name(p.month) + " " + std::to_string(p.year) + " has " +
                 std::to_string(days) + " days");
        }
        p.day = r.day;
        if (r.weekday >= 0) {
            const int actual = weekday_of(CivilDate{p.year, p.month, p.day});
            if (actual != r.weekday) {
                fail(r.text + ": " + std::to_string(p.day) + " " + month_name(p.month) + " " + std::to_string(p.year) +
                     " was a " + std::string(kWeekdayNames[static_cast<std::size_t>(actual)]) + ", not a " +
                     std::string(kWeekdayNames[static_cast<std::size_t>(r.weekday)]));
            }
        }
    } else if (r.weekday >= 0) {
        fail(r.text + ": a weekday needs a full date (day, month and year)");
    }
    return p;
}

[[noreturn]] void fail_partial(const RawPoint& r) {
    switch (r.form) {
        case Form::PartDay:
            fail(r.text + ": a day needs its month and year too, e.g. 14/03/2019");
        case Form::PartDayMonthNum:
            if (r.month > 12) {
                fail(r.text + ": write a month and year as MM/YYYY (e.g. 03/2019), or give the day too "
                              "(e.g. 14/03/2019)");
            }
            fail(r.text + ": no year given; write it in full, e.g. 14/03/2019");
        case Form::PartMonthDay:
            if (!r.ordinal_day) {
                fail(r.text + ": is " + std::to_string(r.day) +
                     " a day or a two-digit year? write the day, month and year (e.g. 14 March 2019) or the "
                     "month and the year in full (e.g. March 2019)");
            }
            fail(r.text + ": no year given; write it in full, e.g. 14 March 2019");
        default:
            fail(r.text + ": no year given; write it in full, e.g. 14 March 2019 or March 2019");
    }
}

}  // namespace imrdesk::domain::detail
