#pragma once
// Helpers shared by the partial-date sources; not part of the public API.
//  - partial_date.cpp: the calendar and the PartialDate value (storage and display forms);
//  - date_reader.cpp:  tokens, markers and the reading of one typed date by its shape;
//  - date_parser.cpp:  parse_date() (ranges and the whole text) and parse_time().
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/shared/partial_date.hpp"

namespace imrdesk::domain::detail {

inline constexpr int kMinYear = 1800;
inline constexpr int kMaxYear = 2200;

inline constexpr std::array<std::string_view, 12> kMonthNames{"January", "February", "March",     "April",
                                                              "May",     "June",     "July",      "August",
                                                              "September", "October", "November", "December"};

[[noreturn]] inline void fail(const std::string& message) { throw DateError(message); }

inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
inline char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// Zero-padded decimal; a leading '-' for negative values.
inline std::string padded(long long value, std::size_t width) {
    const bool negative = value < 0;
    std::string digits = std::to_string(negative ? -value : value);
    if (digits.size() < width) {
        digits.insert(0, width - digits.size(), '0');
    }
    return negative ? "-" + digits : digits;
}

inline std::string month_name(int month) {
    return (month >= 1 && month <= 12) ? std::string(kMonthNames[static_cast<std::size_t>(month - 1)])
                                       : "month " + std::to_string(month);
}

// Text quoted in an error about stored (not typed) data: printable ASCII only, bounded length.
inline std::string shown(std::string_view text) {
    std::string out;
    for (const char c : text.substr(0, 40)) {
        out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
    }
    if (text.size() > 40) {
        out.append("...");
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Reading typed dates (date_reader.cpp)

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

// Cuts a text into tokens; throws DateError on a character no date has.
std::vector<Token> tokenize(std::string_view s);
// Throws DateError for a word that is not a month, weekday, marker, connective or ordinal suffix.
void check_words(std::string_view text, const std::vector<Token>& tokens);

struct Marks {
    bool approximate = false;
    bool uncertain = false;
};

inline Marks operator|(Marks a, Marks b) noexcept {
    return {a.approximate || b.approximate, a.uncertain || b.uncertain};
}

// Take approximate / uncertain markers off the start / the end of t into m.
void strip_prefix(Tokens& t, Marks& m);
void strip_suffix(Tokens& t, Marks& m);

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

// The shape of a date without markers, or nullopt when the tokens are not one date.
std::optional<RawPoint> read_point(std::string_view text, Tokens t);
// Why tokens that have no date shape cannot be read.
std::string unreadable(std::string_view text, Tokens t);
// Turns a complete shape into a checked point: month, year, day, then the weekday.
DatePoint finish(const RawPoint& r, int current_year);
// Throws the reason a partial shape (no year) cannot stand on its own.
[[noreturn]] void fail_partial(const RawPoint& r);

}  // namespace imrdesk::domain::detail
