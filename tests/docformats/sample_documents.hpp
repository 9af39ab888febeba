#pragma once
// The documents the writers' tests build, shared by the python-docx/openpyxl and LibreOffice checks.
#include <cstddef>
#include <filesystem>
#include <string>

namespace imrdesk::test {

inline const std::string kSpecials = R"(Tom & Jerry <b>"quoted" 'single'</b> > end)";
inline const std::string kWelsh = "Gŵyn ŷ Ŵ Ŷ 🙂 👩🏽‍⚕️";
inline const std::string kTitle = R"(IMR <draft> & "final")";
inline const std::string kAuthor = "Sam O'Neil & Co";
inline const std::string kMarking = "OFFICIAL-SENSITIVE";
inline const std::string kFooter = "SAR Adult A: IMR of the Trust";

// Title, headings 1-3, runs with "\n", "\t", bold and italic, a 3 x 50 table with a heading
// row, a landscape section, a page break, the marking, the footer and the properties above.
[[nodiscard]] std::string sample_docx();

// A document with one table of rows x 3 columns; seconds_to_finish gets finish()'s time and
// seconds_total the time to add the table and finish.
[[nodiscard]] std::string large_docx(std::size_t rows, double& seconds_to_finish, double& seconds_total);

// A long text for the cell limit (40,000 characters).
[[nodiscard]] std::string long_text();

// Sheets "Chronology" (headings, formula-like text, dates, numbers, the long text) and two with
// names that need sanitising: "Bad[]:*?/\\Name" and "chronology".
[[nodiscard]] std::string sample_xlsx(const std::filesystem::path& temp_parent);

}  // namespace imrdesk::test
