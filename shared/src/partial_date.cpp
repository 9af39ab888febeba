// Partial dates: the calendar arithmetic, the EDTF storage form and the parser for typed dates.
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
#include "imrdesk/shared/partial_date.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <span>
#include <vector>

#include "imrdesk/shared/utf8.hpp"

namespace imrdesk::domain {
namespace {

constexpr int kMinYear = 1800;
constexpr int kMaxYear = 2200;
constexpr std::size_t kMaxTypedBytes = 200;
constexpr std::size_t kMaxTimeBytes = 32;

constexpr std::array<std::string_view, 12> kMonthNames{"January", "February", "March",     "April",
                                                       "May",     "June",     "July",      "August",
                                                       "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdayNames{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                         "Friday", "Saturday", "Sunday"};

[[noreturn]] void fail(const std::string& message) { throw DateError(message); }

bool is_leap(int year) noexcept { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

// Zero-padded decimal; a leading '-' for negative values.
std::string padded(long long value, std::size_t width) {
    const bool negative = value < 0;
    std::string digits = std::to_string(negative ? -value : value);
    if (digits.size() < width) {
        digits.insert(0, width - digits.size(), '0');
    }
    return negative ? "-" + digits : digits;
}

std::string month_name(int month) {
    return (month >= 1 && month <= 12) ? std::string(kMonthNames[static_cast<std::size_t>(month - 1)])
                                       : "month " + std::to_string(month);
}

// 0 = Monday .. 6 = Sunday. 1970-01-01 was a Thursday.
int weekday_of(const CivilDate& date) noexcept {
    const std::int64_t days = date.days_since_epoch();
    return static_cast<int>((days % 7 + 7 + 3) % 7);
}

// Text quoted in an error about stored (not typed) data: printable ASCII only, bounded length.
std::string shown(std::string_view text) {
    std::string out;
    for (const char c : text.substr(0, 40)) {
        out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
    }
    if (text.size() > 40) {
        out.append("...");
    }
    return out;
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

// ---------------------------------------------------------------------------------------------
// Tokens

enum class TokenKind : std::uint8_t { Number, Word, Punct, Dash };

struct Token {
    TokenKind kind = TokenKind::Punct;
    char punct = 0;     // Punct: one of / - . , ? ~ ( ) %
    std::string text;   // Number: the digits; Word: lower case
    int value = 0;      // Number: its value (digits <= 9), else -1
    int digits = 0;     // Number: how many digits
    std::size_t begin = 0;  // byte range in the typed text
    std::size_t end = 0;
    bool space_before = false;

    [[nodiscard]] bool is_punct(char c) const noexcept { return kind == TokenKind::Punct && punct == c; }
    [[nodiscard]] bool is_word(std::string_view w) const noexcept { return kind == TokenKind::Word && text == w; }
};

using Tokens = std::span<const Token>;

std::string_view slice(std::string_view text, Tokens tokens) noexcept {
    if (tokens.empty()) {
        return {};
    }
    return text.substr(tokens.front().begin, tokens.back().end - tokens.front().begin);
}

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

struct Marks {
    bool approximate = false;
    bool uncertain = false;
};

Marks operator|(Marks a, Marks b) noexcept { return {a.approximate || b.approximate, a.uncertain || b.uncertain}; }

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

enum class Form : std::uint8_t {
    // complete: they have a year
    Year,
    IsoMonth,       // 2019-03
    NumMonthYear,   // 03/2019
    WordMonthYear,  // March 2019
    IsoDay,         // 2019-03-14
    NumDay,         // 14/03/2019
    WordDay,        // 14 March 2019, March 14, 2019
    // partial: only as the start of a range whose end gives the year ("1 - 14 March 2019")
    PartDay,           // 1
    PartDayMonthNum,   // 14/03
    PartDayMonthWord,  // 14 March
    PartMonth,         // January
    PartMonthDay,      // March 14
};

struct RawPoint {
    Form form = Form::Year;
    int day = 0;
    int month = 0;
    int year = 0;
    int year_digits = 0;
    int weekday = -1;
    bool ordinal_day = false;
    std::string text;  // as typed, for messages

    [[nodiscard]] bool complete() const noexcept { return form <= Form::WordDay; }
    [[nodiscard]] DatePrecision precision() const noexcept {
        switch (form) {
            case Form::Year:
                return DatePrecision::Year;
            case Form::IsoMonth:
            case Form::NumMonthYear:
            case Form::WordMonthYear:
            case Form::PartMonth:
                return DatePrecision::Month;
            default:
                return DatePrecision::Day;
        }
    }
};

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
    try {
        return PartialDate::from_iso(text);
    } catch (const DateError&) {
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
