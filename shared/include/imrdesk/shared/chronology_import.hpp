#pragma once
// Chronology import from what agencies really have: their records systems' exports and their
// board's own templates, whatever the headings say. Each column of the file is understood by the
// words of its heading ("Date/Time", "Details of contact/event", "Outcome / Action Taken",
// "Name and role of professional"), and no column with text is ever dropped silently: it maps to
// a field, or is kept on each entry as an extra named field, or the user says to leave it out.
//
// Import is all-or-nothing by default: the preview lists every invalid row with its place and
// reason, and nothing is written until every row is valid (or the caller chose to skip the
// invalid ones). Pure: the table comes from the CSV reader or the .xlsx reader.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "imrdesk/shared/csv.hpp"
#include "imrdesk/shared/model.hpp"

namespace imrdesk::domain {

// The file cannot be imported at all (not a table, no heading row).
class ImportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A field of the model that a column can fill. DateTime fills both the date and the time; EndDate
// (Chronolator's "End Date") makes the date a range from the Date column's.
enum class ChronologyColumn {
    Date, Time, DateTime, EndDate, Sequence, Agency, ContactType, Source, Event, Action, Rationale, Outcome, Role, Comment,
    KeyPracticeEpisode, MissedOpportunity, GoodPractice, NoContact, Flags, TermsOfReference, Principles,
};
inline constexpr std::size_t kChronologyColumnCount = 21;
[[nodiscard]] const std::vector<ChronologyColumn>& all_chronology_columns();

[[nodiscard]] std::string_view to_string(ChronologyColumn column) noexcept;  // "Date", "Source of information" ...
[[nodiscard]] std::string_view key_of(ChronologyColumn column) noexcept;     // "date", "source", "contact_type" ...
// A key ("source"), a label ("Source of information") or any heading recognise_heading() knows.
[[nodiscard]] std::optional<ChronologyColumn> column_from_text(std::string_view text);

// What a heading means, judged by its words: case, punctuation, bracketed hints such as
// "(dd/mm/yyyy)" and little words ("of", "and", "the") do not matter; "X of Y" means X ("Source
// of information"), a compound means its last word ("Agency comment"); a heading naming two
// fields goes where users expect (Date/Time -> DateTime, Action/Outcome -> Action,
// Comments/Analysis -> Comment). nullopt when the heading names no field ("Location", "DOB").
[[nodiscard]] std::optional<ChronologyColumn> recognise_heading(std::string_view heading);

// Where one column of the file goes.
struct ColumnTarget {
    enum class Kind { Field, Extra, Ignore };
    Kind kind = Kind::Extra;
    ChronologyColumn field = ChronologyColumn::Date;  // when kind == Field
    std::string extra_name;                           // when kind == Extra: the field's name on the entry

    [[nodiscard]] static ColumnTarget to_field(ChronologyColumn column) { return {Kind::Field, column, {}}; }
    [[nodiscard]] static ColumnTarget to_extra(std::string name) { return {Kind::Extra, ChronologyColumn::Date, std::move(name)}; }
    [[nodiscard]] static ColumnTarget ignore() { return {Kind::Ignore, ChronologyColumn::Date, {}}; }
    [[nodiscard]] std::string describe() const;  // "Source of information", "kept as 'Location'", "not imported"
    friend bool operator==(const ColumnTarget&, const ColumnTarget&) = default;
};

struct ColumnPlan {
    std::size_t index = 0;   // 0-based column of the file
    std::string header;      // as written ("" for a column with no heading)
    std::string letter;      // "A", "B" ... "AA", for messages and the preview
    ColumnTarget target;
    bool recognised = false;  // the heading was understood as target.field
    bool chosen = false;      // the user chose this target
    std::size_t filled = 0;   // data rows with text in this column
    std::string sample;       // the first text found in the column, cut to 80 bytes
    std::string note;         // why it went where it did, when that is not obvious
};

// What the user decided, by heading (the CLI's --map / --ignore) or by column (the preview's
// drop-downs). By-column choices win over by-heading ones. Headings compare case-insensitively,
// ignoring surrounding spaces.
struct ImportChoices {
    std::vector<std::pair<std::string, ColumnTarget>> by_heading;
    std::vector<std::pair<std::size_t, ColumnTarget>> by_index;
    DateParseOptions date_options;
};

// Parses a --map value "Heading=field": field is a key, a label or a heading this importer knows,
// "extra" (keep as its own field under the heading's name) or "ignore". Throws ImportError.
[[nodiscard]] std::pair<std::string, ColumnTarget> parse_mapping(std::string_view text);

struct RowError {
    std::size_t line = 0;  // 1-based line (CSV) or row (sheet) where the row starts
    std::string message;   // "Date '31/02/2019': February 2019 has 28 days"
};

struct ImportedRow {
    std::size_t line = 0;
    ChronologyEntry entry;
};

// A table read from a file: records with their line (CSV) or row (sheet) numbers.
struct ImportTable {
    std::vector<csv::Record> records;
    std::string unit = "line";  // what Record::line counts: "line" or "row"
    // CSV: a row with more cells than the heading row is an error (an unquoted comma). A sheet has
    // no quoting, so its cells beyond the headings are columns of their own ("Column K").
    bool cells_beyond_header_are_errors = true;
};

struct ImportPreview {
    std::vector<ColumnPlan> columns;           // every column of the file, in file order
    std::size_t header_line = 0;               // where the heading row is
    std::vector<std::string> above_header;     // rows above the heading row (titles), not imported
    std::vector<ChronologyColumn> missing;     // required fields that no column fills
    std::size_t row_count = 0;                 // data rows with any text
    std::vector<ImportedRow> rows;             // rows that are valid
    std::vector<RowError> errors;              // every invalid row, in file order
    std::string unit = "line";
    [[nodiscard]] bool all_valid() const noexcept { return errors.empty() && missing.empty(); }
    [[nodiscard]] bool importable() const noexcept { return missing.empty(); }
    // "column 'Date/Time' (A) -> Date and time" ... one line a column, for the CLI's dry run.
    [[nodiscard]] std::vector<std::string> describe_columns() const;
    // "the file has no column for Date, Source of information; map one with --map ..."
    [[nodiscard]] std::string describe_missing() const;
};

// Finds the heading row (the first of the first 30 rows in which at least two headings are
// recognised, one of them a date; else the first row), plans every column, then reads and checks
// every data row. Rows whose cells are all empty are skipped. Throws ImportError only when the
// table has no rows at all; a table whose columns leave a required field unfilled returns a
// preview with `missing` set and no rows read, so the caller can show the mapping and let the
// user choose.
[[nodiscard]] ImportPreview preview_chronology(const ImportTable& table, const CaseInfo& case_info,
                                               const ImportChoices& choices = {});

// Reads a time as spreadsheets write it: parse_time() plus "09:40:00", "0940hrs", "14:05 hrs".
[[nodiscard]] TimeOfDay parse_time_cell(std::string_view text);

}  // namespace imrdesk::domain
