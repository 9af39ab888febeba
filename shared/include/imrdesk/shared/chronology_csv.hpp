#pragma once
// Chronology export to CSV, and import from CSV text that is already UTF-8 (the client's
// chronology source decodes files and reads .xlsx; see chronology_import.hpp for the mapping).
// An export re-imports to the same entries, extra fields included.
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/shared/chronology_import.hpp"

namespace imrdesk::domain {

// Parses UTF-8 CSV text (comma, semicolon or tab: detected from the heading row unless given)
// and previews it. Throws ImportError for CSV syntax errors, with the line.
[[nodiscard]] ImportPreview preview_chronology_csv(std::string_view csv_text, const CaseInfo& case_info,
                                                   const DateParseOptions& date_options = {});
[[nodiscard]] ImportPreview preview_chronology_csv(std::string_view csv_text, const CaseInfo& case_info,
                                                   const ImportChoices& choices, char delimiter);

// Reads CSV text into an import table. Throws ImportError ("line N: reason").
[[nodiscard]] ImportTable read_csv_table(std::string_view csv_text, char delimiter);

// CSV with a heading row and every field of the model, then one column per extra field name (in
// the order first met). Cells that a spreadsheet would run as a formula (starting with = + - @)
// are prefixed with an apostrophe, which import removes again.
[[nodiscard]] std::string export_chronology_csv(const std::vector<ChronologyEntry>& entries);

// The names of the extra fields used by any of the entries, in the order first met.
[[nodiscard]] std::vector<std::string> extra_field_names(const std::vector<ChronologyEntry>& entries);

}  // namespace imrdesk::domain
