#pragma once
// Which cell styles show numbers as dates or times (xl/styles.xml), and how such numbers and
// plain numbers become text.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/docformats/xlsx.hpp"

namespace imrdesk::docformats::detail {

enum class DateKind { None, Date, DateTime, Time, ElapsedTime };

// Classifies a number format code as Excel would display it: "dd/mm/yyyy" is a Date,
// "[h]:mm" an ElapsedTime, "0.00" and "General" None.
[[nodiscard]] DateKind classify_format_code(std::string_view code);
[[nodiscard]] DateKind classify_builtin_format(unsigned id);

class CellStyles {
public:
    // Parses styles.xml (cellXfs and numFmts only); an empty part gives no date styles.
    static CellStyles parse(std::string_view part, std::string_view part_name, const XlsxLimits& limits);
    // The date kind of the cell style with index s; an unknown index is a plain number.
    [[nodiscard]] DateKind date_kind(std::size_t style) const noexcept {
        return style < kinds_.size() ? kinds_[style] : DateKind::None;
    }

private:
    std::vector<DateKind> kinds_;  // indexed by cellXfs position
};

// A serial date as text, or nullopt-like "" when it is not a plausible date (negative, past
// 9999-12-31, or under 1 in the 1900 system without a time format).
[[nodiscard]] std::string format_serial_date(double serial, DateKind kind, bool date1904);

// The cell's <v> number as text: plain decimals as written ("-0012.50" is "-12.5"), other
// forms (exponents) in shortest round-trip form without an exponent when that fits.
[[nodiscard]] std::string format_number(std::string_view written);

// Parses a number as written in <v>; false when it is not one.
[[nodiscard]] bool parse_number(std::string_view written, double& value);

}  // namespace imrdesk::docformats::detail
