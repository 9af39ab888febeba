#pragma once
// Reads one worksheet of an Excel .xlsx workbook (Office Open XML, Transitional or Strict) into
// rows of text, for the chronology importer. The file is untrusted: every size is bounded, XML
// is streamed with DTDs refused, and any problem is an XlsxError naming the part, sheet and cell.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imrdesk::docformats {

struct XlsxLimits {
    std::size_t max_archive_bytes = 64u << 20;  // the .xlsx file itself
    std::size_t max_entries = 10'000;           // zip entries
    std::size_t max_part_bytes = 256u << 20;    // one part, uncompressed, counted while inflating
    std::size_t max_total_bytes = 512u << 20;   // all parts read, uncompressed
    int max_xml_depth = 64;
    std::size_t max_rows = 2'000'000;           // highest sheet row number
    std::size_t max_columns = 512;              // a cell past this column is an error
    std::size_t max_cell_bytes = 1u << 20;      // text of one cell or shared string
    std::size_t max_shared_strings = 4'000'000;
    // All cell text returned, together: a small part can reference one large shared string
    // millions of times, so the input limits alone do not bound the result.
    std::size_t max_sheet_text_bytes = 512u << 20;
};

// what() says what went wrong and where: "sheet 'Chronology' cell C14: ...",
// "part xl/workbook.xml line 3: ...".
class XlsxError : public std::runtime_error {
public:
    explicit XlsxError(const std::string& message) : std::runtime_error(message) {}
};

struct SheetRow {
    std::size_t row = 0;             // 1-based sheet row number
    std::vector<std::string> cells;  // index = column (A = 0); gaps are ""; trailing "" trimmed
};

// A merged block as written in <mergeCell ref="A1:H1">: rows are 1-based sheet row numbers
// (like SheetRow::row), columns 0-based (like the index into SheetRow::cells).
struct CellRange {
    std::size_t first_row = 0;
    std::size_t first_col = 0;
    std::size_t last_row = 0;
    std::size_t last_col = 0;
    friend bool operator==(const CellRange&, const CellRange&) = default;
};

// Cell values as text: shared, inline and rich strings flattened; booleans TRUE/FALSE; errors
// as shown (#N/A); numbers in shortest form ("12", "3.5"); numbers under a date or time format
// as "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" or "HH:MM[:SS]". Formulas give their cached value.
struct Sheet {
    std::string name;
    std::vector<SheetRow> rows;  // in sheet order; rows with no non-empty cell are left out
    std::vector<CellRange> merged;
    bool date1904 = false;  // the workbook uses the 1904 date system (dates are already converted)
};

// The worksheets' names in workbook order (chartsheets are left out).
[[nodiscard]] std::vector<std::string> xlsx_sheet_names(std::string_view bytes, const XlsxLimits& limits = {});

// The named worksheet, or the first worksheet in workbook order when sheet_name is empty.
// An unknown name is an XlsxError that lists the sheets there are.
[[nodiscard]] Sheet read_xlsx_sheet(std::string_view bytes, std::string_view sheet_name = {},
                                    const XlsxLimits& limits = {});

}  // namespace imrdesk::docformats
