#pragma once
// Chronology import from the spreadsheets agencies export from their records systems, and export
// back to CSV. Import is all-or-nothing by default: a preview lists every invalid row with its
// line number and reason, and nothing is written until every row is valid (or the caller chose
// to skip the invalid ones). An export re-imports to the same entries.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/shared/model.hpp"

namespace imrdesk::domain {

// The file cannot be imported at all (not CSV, no header, no Date/Source/Event column).
class ImportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class ChronologyColumn {
    Date, Time, Sequence, Source, Event, Action, Rationale, Outcome, Role, Comment,
    KeyPracticeEpisode, MissedOpportunity, GoodPractice, NoContact, Flags, TermsOfReference, Principles,
};

[[nodiscard]] std::string_view to_string(ChronologyColumn column) noexcept;  // "Date", "Source of information" ...

struct ColumnMatch {
    std::size_t index = 0;  // 0-based column in the file
    std::string header;     // as written in the file
    ChronologyColumn column = ChronologyColumn::Date;
};

struct RowError {
    std::size_t line = 0;  // 1-based line of the file where the row starts
    std::string message;   // "Date '31/02/2019': February 2019 has 28 days"
};

struct ImportedRow {
    std::size_t line = 0;
    ChronologyEntry entry;
};

struct ImportPreview {
    std::vector<ColumnMatch> columns;          // how the file's headers were understood
    std::vector<std::string> ignored_headers;  // headers that matched nothing (their data is not imported)
    std::size_t row_count = 0;                 // data rows in the file
    std::vector<ImportedRow> rows;             // rows that are valid
    std::vector<RowError> errors;              // every invalid row, in file order
    [[nodiscard]] bool all_valid() const noexcept { return errors.empty(); }
};

// Reads and checks a whole CSV file. Throws ImportError for a file that cannot be imported at all
// (with the line for CSV syntax errors); returns row-level problems in the preview.
[[nodiscard]] ImportPreview preview_chronology_csv(std::string_view csv_text, const CaseInfo& case_info,
                                                   const DateParseOptions& date_options = {});

// CSV with a header row and every field of the model. Cells that a spreadsheet would run as a
// formula (starting with = + - @) are prefixed with an apostrophe, which import removes again.
[[nodiscard]] std::string export_chronology_csv(const std::vector<ChronologyEntry>& entries);

}  // namespace imrdesk::domain
