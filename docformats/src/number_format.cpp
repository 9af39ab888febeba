#include "number_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>

#include "xml_reader.hpp"

namespace imrdesk::docformats::detail {
namespace {

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view text, std::string_view prefix) noexcept {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (lower(text[i]) != prefix[i]) return false;
    }
    return true;
}

bool all_same_letter(std::string_view text, char letter) noexcept {
    if (text.empty()) return false;
    for (const char c : text) {
        if (lower(c) != letter) return false;
    }
    return true;
}

// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian).
void civil_from_days(std::int64_t z, std::int64_t& year, unsigned& month, unsigned& day) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

std::string format_date(std::int64_t year, unsigned month, unsigned day) {
    char text[32];
    std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(year), month, day);
    return text;
}

std::string format_time(std::int64_t hours, std::int64_t minutes, std::int64_t seconds) {
    char text[48];
    if (seconds != 0) {
        std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld", static_cast<long long>(hours),
                      static_cast<long long>(minutes), static_cast<long long>(seconds));
    } else {
        std::snprintf(text, sizeof text, "%02lld:%02lld", static_cast<long long>(hours),
                      static_cast<long long>(minutes));
    }
    return text;
}

bool is_plain_decimal(std::string_view text) noexcept {
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    const std::size_t digits_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == digits_start) return false;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    }
    return i == text.size();
}

std::string normalise_plain_decimal(std::string_view text) {
    const bool negative = text.front() == '-';
    if (text.front() == '-' || text.front() == '+') text.remove_prefix(1);
    std::string_view whole = text.substr(0, text.find('.'));
    std::string_view fraction = whole.size() < text.size() ? text.substr(whole.size() + 1) : std::string_view{};
    while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
    std::string out;
    if (negative && !(whole == "0" && fraction.empty())) out += '-';
    out += whole;
    if (!fraction.empty()) {
        out += '.';
        out += fraction;
    }
    return out;
}

}  // namespace

DateKind classify_builtin_format(unsigned id) {
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) || (id >= 50 && id <= 58)) {
        return DateKind::Date;
    }
    if ((id >= 18 && id <= 21) || id == 32 || id == 33 || id == 45 || id == 47) return DateKind::Time;
    if (id == 22) return DateKind::DateTime;
    if (id == 46) return DateKind::ElapsedTime;
    return DateKind::None;
}

DateKind classify_format_code(std::string_view code) {
    std::string tokens;  // one letter per run of d, m, y, h or s, in order
    bool time = false;
    bool elapsed = false;
    std::size_t i = 0;
    while (i < code.size()) {
        const char c = code[i];
        if (c == ';') break;  // the first section is the one positive numbers (dates) use
        if (c == '"') {
            const std::size_t close = code.find('"', i + 1);
            i = close == std::string_view::npos ? code.size() : close + 1;
        } else if (c == '\\' || c == '_' || c == '*') {
            i += 2;  // an escaped literal, a space as wide as a character, or a fill character
        } else if (c == '[') {
            const std::size_t close = code.find(']', i + 1);
            const std::string_view inner =
                code.substr(i + 1, (close == std::string_view::npos ? code.size() : close) - i - 1);
            for (const char letter : {'h', 'm', 's'}) {
                if (all_same_letter(inner, letter)) {
                    elapsed = true;
                    tokens += letter;
                }
            }
            i = close == std::string_view::npos ? code.size() : close + 1;
        } else if (starts_with_nocase(code.substr(i), "am/pm")) {
            time = true;
            i += 5;
        } else if (starts_with_nocase(code.substr(i), "a/p")) {
            time = true;
            i += 3;
        } else {
            const char letter = lower(c);
            if (letter == 'd' || letter == 'm' || letter == 'y' || letter == 'h' || letter == 's') {
                tokens += letter;
                while (i < code.size() && lower(code[i]) == letter) ++i;
            } else {
                ++i;
            }
        }
    }
    bool date = false;
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        switch (tokens[t]) {
        case 'd':
        case 'y': date = true; break;
        case 'h':
        case 's': time = true; break;
        default: {  // 'm': minutes right after hours or right before seconds, else months
            const bool minutes = (t > 0 && tokens[t - 1] == 'h') || (t + 1 < tokens.size() && tokens[t + 1] == 's');
            (minutes ? time : date) = true;
        }
        }
    }
    if (date && time) return DateKind::DateTime;
    if (date) return DateKind::Date;
    if (time) return elapsed ? DateKind::ElapsedTime : DateKind::Time;
    return DateKind::None;
}

CellStyles CellStyles::parse(std::string_view part, std::string_view part_name, const XlsxLimits& limits) {
    CellStyles styles;
    if (part.empty()) return styles;
    XmlReader reader(part, "part " + std::string(part_name), limits.max_xml_depth);
    std::map<unsigned, std::string> codes;
    std::vector<unsigned> format_ids;
    bool in_num_fmts = false;
    bool in_cell_xfs = false;
    while (reader.next()) {
        if (is_sml_start(reader, "numFmts")) {
            in_num_fmts = !reader.is_empty_element();
        } else if (is_sml_end(reader, "numFmts")) {
            in_num_fmts = false;
        } else if (is_sml_start(reader, "cellXfs")) {
            in_cell_xfs = !reader.is_empty_element();
        } else if (is_sml_end(reader, "cellXfs")) {
            in_cell_xfs = false;
        } else if (in_num_fmts && is_sml_start(reader, "numFmt")) {
            unsigned id = 0;
            const std::string text = reader.attribute("numFmtId").value_or("");
            if (std::from_chars(text.data(), text.data() + text.size(), id).ec == std::errc{}) {
                codes[id] = reader.attribute("formatCode").value_or("");
            }
        } else if (in_cell_xfs && is_sml_start(reader, "xf")) {
            unsigned id = 0;
            const std::string text = reader.attribute("numFmtId").value_or("0");
            if (std::from_chars(text.data(), text.data() + text.size(), id).ec != std::errc{}) id = 0;
            format_ids.push_back(id);
        }
    }
    styles.kinds_.reserve(format_ids.size());
    for (const unsigned id : format_ids) {
        const auto code = codes.find(id);
        styles.kinds_.push_back(code != codes.end() ? classify_format_code(code->second) : classify_builtin_format(id));
    }
    return styles;
}

std::string format_serial_date(double serial, DateKind kind, bool date1904) {
    constexpr std::int64_t max_serial = 2958465;  // 9999-12-31
    if (kind == DateKind::None || !(serial >= 0.0) || serial >= static_cast<double>(max_serial + 1)) return {};
    const auto total = static_cast<std::int64_t>(std::llround(serial * 86400.0));
    const std::int64_t days = total / 86400;
    const std::int64_t seconds = total % 86400;
    if (days > max_serial) return {};
    const std::string time = format_time(seconds / 3600, seconds / 60 % 60, seconds % 60);
    if (kind == DateKind::ElapsedTime) return format_time(total / 3600, total / 60 % 60, total % 60);
    if (kind == DateKind::Time) return time;

    std::string date;
    if (date1904) {
        std::int64_t year = 0;
        unsigned month = 0, day = 0;
        civil_from_days(-24107 + days, year, month, day);  // 1904-01-01 is serial 0
        date = format_date(year, month, day);
    } else if (days == 0) {
        // Excel shows serial 0 as "1900-01-00"; under a date-time format it is a bare time.
        return kind == DateKind::DateTime ? time : std::string{};
    } else if (days == 60) {
        date = "1900-02-29";  // Lotus 1-2-3's leap-year bug, which Excel keeps
    } else {
        std::int64_t year = 0;
        unsigned month = 0, day = 0;
        civil_from_days((days < 60 ? -25568 : -25569) + days, year, month, day);
        date = format_date(year, month, day);
    }
    if (kind == DateKind::DateTime && seconds != 0) date += ' ' + time;
    return date;
}

bool parse_number(std::string_view written, double& value) {
    if (!written.empty() && written.front() == '+') written.remove_prefix(1);
    const char* end = written.data() + written.size();
    const auto result = std::from_chars(written.data(), end, value);
    return result.ec == std::errc{} && result.ptr == end && std::isfinite(value);
}

std::string format_number(std::string_view written) {
    if (is_plain_decimal(written)) return normalise_plain_decimal(written);
    double value = 0;
    if (!parse_number(written, value)) return std::string(written);
    if (value == 0.0) return "0";
    char text[128];
    const double magnitude = std::fabs(value);
    const auto format = (magnitude >= 1e-6 && magnitude < 1e15) ? std::chars_format::fixed : std::chars_format::general;
    const auto result = std::to_chars(text, text + sizeof text, value, format);
    if (result.ec != std::errc{}) return std::string(written);
    return std::string(text, result.ptr);
}

}  // namespace imrdesk::docformats::detail
