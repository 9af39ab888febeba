#pragma once
// Writes an Excel workbook (.xlsx) through libxlsxwriter. No formulas, ever: every text cell is
// a string cell, so "=SUM(A1)", "+44 ..." or "@user" stay text in Excel and LibreOffice.
//
// libxlsxwriter 1.1.4 can only write to a file and keeps its own temporary files: both go in a
// private directory (mode 0700, the workbook file 0600) under temp_parent, and every file there
// is overwritten with zeros before it is unlinked and the directory removed, whether finish()
// succeeds, fails, or is never called. (Its own temporary files are unlinked as soon as they are
// made, so their data lives only in unnamed files until they are closed.)
//
// Text longer than Excel's cell limit (32,767 UTF-16 characters) is cut to fit, ending with the
// visible marker "… [cut: N characters more, see the Word export]" (N counts the characters cut,
// as Unicode code points); truncated_cells() says how many cells were cut, so the caller can
// warn. Nothing is ever dropped silently.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/docformats/document_writing.hpp"
#include "imrdesk/docformats/xml_writer.hpp"

namespace imrdesk::docformats {

class XlsxWriter {
public:
    static constexpr std::size_t max_cell_characters = 32'767;  // UTF-16 code units, as Excel counts
    static constexpr std::size_t max_sheet_rows = 1'048'576;    // including the heading row
    static constexpr std::size_t max_sheet_columns = 16'384;

    // temp_parent: where the private directory goes; empty for temp_directory_path().
    // Throws DocumentWriteError.
    explicit XlsxWriter(TextFilter text_filter = {}, const std::filesystem::path& temp_parent = {});
    ~XlsxWriter();
    XlsxWriter(const XlsxWriter&) = delete;
    XlsxWriter& operator=(const XlsxWriter&) = delete;
    XlsxWriter(XlsxWriter&&) noexcept;
    XlsxWriter& operator=(XlsxWriter&&) noexcept;

    // Starts a sheet; the cells written next go in it. The name is filtered, then made valid
    // (at most 31 characters, none of []:*?/\, unique without regard to case): the name used is
    // returned. With headings, sheet row 1 holds them (bold, shaded), the panes are frozen below
    // it and an autofilter covers the used range; data row 0 is then sheet row 2.
    std::string add_sheet(std::string name, std::vector<std::string> headings, std::vector<double> column_widths_chars);

    // row and col are 0-based; row counts data rows, below the heading row if there is one.
    // Past Excel's limits (max_sheet_rows, max_sheet_columns) they are a DocumentWriteError.
    void write_text(std::size_t row, std::size_t col, std::string_view text);  // always a string cell, wrapped
    // A string cell in bold white on a fill (0xRRGGBB), for a label with a colour of its own (an
    // agency in a merged chronology). The caller picks fills that keep white text readable.
    void write_text_on_fill(std::size_t row, std::size_t col, std::string_view text, std::uint32_t fill_rgb);
    void write_date(std::size_t row, std::size_t col, int year, int month, int day);  // a date cell, dd/mm/yyyy
    void write_number(std::size_t row, std::size_t col, double value);  // finite only
    void write_bool(std::size_t row, std::size_t col, bool value);

    void set_properties(DocumentProperties properties);  // filtered

    [[nodiscard]] std::size_t truncated_cells() const noexcept;

    // The .xlsx bytes; the writer cannot be used afterwards (std::logic_error).
    [[nodiscard]] std::string finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace imrdesk::docformats
