#include "imrdesk/docformats/xlsx_writer.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>

#include "private_temp_dir.hpp"
#include "sheet_names.hpp"
#include "utf8.hpp"

namespace imrdesk::docformats {
namespace {

constexpr std::string_view cut_prefix = "\xE2\x80\xA6 [cut: ";  // U+2026 ellipsis
constexpr std::string_view cut_suffix = " characters more, see the Word export]";
constexpr double max_column_width = 255;

struct WorkbookFreer {
    void operator()(lxw_workbook* workbook) const noexcept { lxw_workbook_free(workbook); }
};

void check(lxw_error error, const std::string& what) {
    if (error != LXW_NO_ERROR) throw DocumentWriteError(what + ": " + lxw_strerror(error));
}

// "B3": for messages (never the cell's text, which may be about a person).
std::string cell_name(std::size_t sheet_row, std::size_t col) {
    std::string letters;
    for (std::size_t n = col + 1; n > 0; n = (n - 1) / 26) letters.insert(letters.begin(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n - 1) % 26]);
    return letters + std::to_string(sheet_row + 1);
}

std::size_t code_points(std::string_view text) noexcept {
    std::size_t count = 0;
    for (const char c : text) {
        if (!detail::is_continuation(static_cast<unsigned char>(c))) ++count;
    }
    return count;
}

// Cuts text to Excel's limit with a visible marker; false when it already fitted.
bool fit_cell(std::string& text) {
    if (detail::utf16_length(text) <= XlsxWriter::max_cell_characters) return false;
    const std::size_t total = code_points(text);
    const std::size_t marker_units = detail::utf16_length(cut_prefix) + std::to_string(total).size() + cut_suffix.size();
    const std::size_t budget = XlsxWriter::max_cell_characters - marker_units;
    std::size_t end = 0;
    std::size_t used_units = 0;
    std::size_t kept = 0;
    while (end < text.size()) {
        const auto length = detail::sequence_length(static_cast<unsigned char>(text[end]));
        const std::size_t unit_count = length == 4 ? 2 : 1;
        if (used_units + unit_count > budget) break;
        used_units += unit_count;
        end += length;
        ++kept;
    }
    text.resize(end);
    text.append(cut_prefix).append(std::to_string(total - kept)).append(cut_suffix);
    return true;
}

// Excel reads "_xHHHH_" in a string as an escaped character; libxlsxwriter 1.1.4 does not
// escape it, so text that looks like one gets its underscore escaped as "_x005F_".
void escape_excel_escapes(std::string& text) {
    const auto is_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
    for (std::size_t at = text.find("_x"); at != std::string::npos; at = text.find("_x", at + 1)) {
        if (at + 7 > text.size() || text[at + 6] != '_') continue;
        if (!is_hex(text[at + 2]) || !is_hex(text[at + 3]) || !is_hex(text[at + 4]) || !is_hex(text[at + 5])) continue;
        text.insert(at + 1, "x005F_");
        at += 6;
    }
}

bool is_valid_date(int year, int month, int day) noexcept {
    if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int in_month = month == 2 && leap ? 29 : days[month - 1];
    return day <= in_month;
}

// At namespace scope, not nested in Impl: clang cannot default-construct a nested class with
// default member initialisers through std::optional while the enclosing class is incomplete.
struct XlsxSheet {
    lxw_worksheet* worksheet = nullptr;
    std::size_t number = 0;          // 1-based, for messages
    std::size_t first_data_row = 0;  // 1 below a heading row
    std::size_t last_row = 0;        // sheet rows and columns used so far
    std::size_t last_col = 0;
    bool has_headings = false;
    std::vector<double> widths;              // each column's width in characters
    std::map<std::uint32_t, int> row_lines;  // sheet row -> lines its tallest wrapped cell needs
};

// How many lines `text` wraps to in a column `width` characters wide (Excel and LibreOffice keep
// the row height the file gives: a row of wrapped text must say how tall it is, or only its
// first line shows). Characters are counted as code points; a line break starts a new line.
int wrapped_lines(std::string_view text, double width) {
    const double per_line = std::max(1.0, width - 1.0);
    int lines = 0;
    std::size_t chars = 0;
    const auto end_paragraph = [&] { lines += std::max(1, static_cast<int>(std::ceil(static_cast<double>(chars) / per_line))); };
    for (const char c : text) {
        if (c == '\n') {
            end_paragraph();
            chars = 0;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++chars;
        }
    }
    end_paragraph();
    return lines;
}

}  // namespace

struct XlsxWriter::Impl {
    using Sheet = XlsxSheet;
    Impl(TextFilter text_filter, const std::filesystem::path& temp_parent)
        : filter(std::move(text_filter)),
          dir(temp_parent.empty() ? std::filesystem::temp_directory_path() : temp_parent),
          output(dir.path() / "export.xlsx"),
          tmpdir(dir.path().string()) {
        dir.create_private_file(output);
        lxw_workbook_options options{};
        options.constant_memory = LXW_FALSE;
        options.tmpdir = tmpdir.data();
        options.use_zip64 = LXW_FALSE;
        workbook.reset(workbook_new_opt(output.c_str(), &options));
        if (!workbook) throw DocumentWriteError("libxlsxwriter cannot start a workbook (out of memory?)");
        heading = workbook_add_format(workbook.get());
        wrapped = workbook_add_format(workbook.get());
        date = workbook_add_format(workbook.get());
        top = workbook_add_format(workbook.get());
        if (heading == nullptr || wrapped == nullptr || date == nullptr || top == nullptr) {
            throw DocumentWriteError("libxlsxwriter cannot add a cell format (out of memory?)");
        }
        format_set_bold(heading);
        format_set_text_wrap(heading);
        format_set_align(heading, LXW_ALIGN_VERTICAL_TOP);
        format_set_bg_color(heading, 0xD9D9D9);
        format_set_bottom(heading, LXW_BORDER_THIN);
        format_set_text_wrap(wrapped);
        format_set_align(wrapped, LXW_ALIGN_VERTICAL_TOP);
        format_set_num_format(date, "dd/mm/yyyy");
        format_set_align(date, LXW_ALIGN_VERTICAL_TOP);
        format_set_align(top, LXW_ALIGN_VERTICAL_TOP);  // numbers and booleans at the top of a tall row, beside their text
    }

    [[nodiscard]] Sheet& current() {
        if (finished) throw std::logic_error("XlsxWriter: used after finish()");
        if (!sheet) throw std::logic_error("XlsxWriter: write a cell after add_sheet()");
        return *sheet;
    }

    // The sheet row for a data row, checked against Excel's limits.
    [[nodiscard]] lxw_row_t sheet_row(Sheet& s, std::size_t row, std::size_t col) {
        if (row >= max_sheet_rows - s.first_data_row) {
            throw DocumentWriteError("sheet " + std::to_string(s.number) + ": data row " + std::to_string(row + 1) +
                                     " is past Excel's limit of " + std::to_string(max_sheet_rows) + " rows a sheet");
        }
        if (col >= max_sheet_columns) {
            throw DocumentWriteError("sheet " + std::to_string(s.number) + ": column " + std::to_string(col + 1) +
                                     " is past Excel's limit of " + std::to_string(max_sheet_columns) + " columns");
        }
        const std::size_t r = row + s.first_data_row;
        s.last_row = std::max(s.last_row, r);
        s.last_col = std::max(s.last_col, col);
        return static_cast<lxw_row_t>(r);
    }

    [[nodiscard]] std::string where(const Sheet& s, lxw_row_t r, std::size_t col) const {
        return "sheet " + std::to_string(s.number) + " cell " + cell_name(r, col);
    }

    void string_cell(Sheet& s, lxw_row_t r, std::size_t col, std::string_view text, lxw_format* format) {
        std::string value(filter(text).view());
        if (fit_cell(value)) ++truncated;
        escape_excel_escapes(value);
        check(worksheet_write_string(s.worksheet, r, static_cast<lxw_col_t>(col), value.c_str(), format),
              "cannot write " + where(s, r, col));
        if (format != date && col < s.widths.size()) {
            const int lines = wrapped_lines(value, s.widths[col]);
            if (lines > 1) {
                int& row = s.row_lines[r];
                row = std::max(row, lines);
            }
        }
    }

    void finish_sheet() {
        if (!sheet) return;
        // 15 points a line, as Excel's default row; at most Excel's 409 points.
        for (const auto& [row, lines] : sheet->row_lines)
            check(worksheet_set_row(sheet->worksheet, row, std::min(409.0, 15.0 * lines), nullptr),
                  "cannot set the height of row " + std::to_string(row + 1) + " in sheet " + std::to_string(sheet->number));
        sheet->row_lines.clear();
        if (!sheet->has_headings) return;
        check(worksheet_autofilter(sheet->worksheet, 0, 0, static_cast<lxw_row_t>(sheet->last_row),
                                   static_cast<lxw_col_t>(sheet->last_col)),
              "cannot set the autofilter of sheet " + std::to_string(sheet->number));
    }

    UserTextFilter filter;
    detail::PrivateTempDir dir;  // first: removed after the workbook is freed
    std::filesystem::path output;
    std::string tmpdir;  // libxlsxwriter keeps the pointer
    std::unique_ptr<lxw_workbook, WorkbookFreer> workbook;
    lxw_format* heading = nullptr;  // formats belong to the workbook
    lxw_format* wrapped = nullptr;
    lxw_format* date = nullptr;
    lxw_format* top = nullptr;
    std::map<std::uint32_t, lxw_format*> fills;  // by colour, made once each
    detail::SheetNames names;
    std::optional<Sheet> sheet;
    std::size_t sheet_count = 0;
    // The properties' filtered text, kept until the workbook is closed.
    std::string title, subject, author, keywords, comments;
    bool has_properties = false;
    std::size_t truncated = 0;
    bool finished = false;
};

XlsxWriter::XlsxWriter(TextFilter text_filter, const std::filesystem::path& temp_parent)
    : impl_(std::make_unique<Impl>(std::move(text_filter), temp_parent)) {}

XlsxWriter::~XlsxWriter() = default;
XlsxWriter::XlsxWriter(XlsxWriter&&) noexcept = default;
XlsxWriter& XlsxWriter::operator=(XlsxWriter&&) noexcept = default;

std::string XlsxWriter::add_sheet(std::string name, std::vector<std::string> headings,
                                  std::vector<double> column_widths_chars) {
    Impl& d = *impl_;
    if (d.finished) throw std::logic_error("XlsxWriter: used after finish()");
    if (headings.size() > max_sheet_columns || column_widths_chars.size() > max_sheet_columns) {
        throw DocumentWriteError("a sheet cannot have more than " + std::to_string(max_sheet_columns) + " columns");
    }
    for (const double width : column_widths_chars) {
        if (!std::isfinite(width) || width < 0 || width > max_column_width) {
            throw DocumentWriteError("a column width must be between 0 and 255 characters");
        }
    }
    d.finish_sheet();
    d.sheet.reset();
    std::string sheet_name = d.names.add(d.filter(name).view());
    lxw_worksheet* worksheet = workbook_add_worksheet(d.workbook.get(), sheet_name.c_str());
    const std::size_t number = ++d.sheet_count;
    if (worksheet == nullptr) throw DocumentWriteError("libxlsxwriter cannot add sheet " + std::to_string(number));
    Impl::Sheet& s = d.sheet.emplace();
    s.worksheet = worksheet;
    s.number = number;
    s.widths = column_widths_chars;
    for (std::size_t c = 0; c < column_widths_chars.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        check(worksheet_set_column(worksheet, col, col, column_widths_chars[c], nullptr),
              "cannot set the width of column " + std::to_string(c + 1) + " in sheet " + std::to_string(number));
    }
    if (!headings.empty()) {
        s.has_headings = true;
        s.first_data_row = 1;
        s.last_col = headings.size() - 1;
        for (std::size_t c = 0; c < headings.size(); ++c) d.string_cell(s, 0, c, headings[c], d.heading);
        worksheet_freeze_panes(worksheet, 1, 0);
    }
    return sheet_name;
}

void XlsxWriter::write_text(std::size_t row, std::size_t col, std::string_view text) {
    Impl::Sheet& s = impl_->current();
    const lxw_row_t r = impl_->sheet_row(s, row, col);
    impl_->string_cell(s, r, col, text, impl_->wrapped);
}

void XlsxWriter::write_text_on_fill(std::size_t row, std::size_t col, std::string_view text, std::uint32_t fill_rgb) {
    Impl& d = *impl_;
    Impl::Sheet& s = d.current();
    const lxw_row_t r = d.sheet_row(s, row, col);
    fill_rgb &= 0xFFFFFFu;
    auto it = d.fills.find(fill_rgb);
    if (it == d.fills.end()) {
        lxw_format* format = workbook_add_format(d.workbook.get());
        if (format == nullptr) throw DocumentWriteError("libxlsxwriter cannot add a cell format (out of memory?)");
        format_set_bold(format);
        format_set_font_color(format, 0xFFFFFF);
        format_set_bg_color(format, fill_rgb);
        format_set_text_wrap(format);
        format_set_align(format, LXW_ALIGN_VERTICAL_TOP);
        it = d.fills.emplace(fill_rgb, format).first;
    }
    d.string_cell(s, r, col, text, it->second);
}

void XlsxWriter::write_date(std::size_t row, std::size_t col, int year, int month, int day) {
    Impl::Sheet& s = impl_->current();
    if (!is_valid_date(year, month, day)) {
        throw DocumentWriteError("sheet " + std::to_string(s.number) + ": " + std::to_string(year) + "-" +
                                 std::to_string(month) + "-" + std::to_string(day) +
                                 " is not a date Excel can hold (1900-01-01 to 9999-12-31)");
    }
    const lxw_row_t r = impl_->sheet_row(s, row, col);
    lxw_datetime value{year, month, day, 0, 0, 0.0};
    check(worksheet_write_datetime(s.worksheet, r, static_cast<lxw_col_t>(col), &value, impl_->date),
          "cannot write " + impl_->where(s, r, col));
}

void XlsxWriter::write_number(std::size_t row, std::size_t col, double value) {
    Impl::Sheet& s = impl_->current();
    if (!std::isfinite(value)) throw DocumentWriteError("sheet " + std::to_string(s.number) + ": Excel cannot hold " + std::to_string(value));
    const lxw_row_t r = impl_->sheet_row(s, row, col);
    check(worksheet_write_number(s.worksheet, r, static_cast<lxw_col_t>(col), value, impl_->top),
          "cannot write " + impl_->where(s, r, col));
}

void XlsxWriter::write_bool(std::size_t row, std::size_t col, bool value) {
    Impl::Sheet& s = impl_->current();
    const lxw_row_t r = impl_->sheet_row(s, row, col);
    check(worksheet_write_boolean(s.worksheet, r, static_cast<lxw_col_t>(col), value ? 1 : 0, impl_->top),
          "cannot write " + impl_->where(s, r, col));
}

void XlsxWriter::set_properties(DocumentProperties properties) {
    Impl& d = *impl_;
    if (d.finished) throw std::logic_error("XlsxWriter: used after finish()");
    d.title = d.filter(properties.title).view();
    d.subject = d.filter(properties.subject).view();
    d.author = d.filter(properties.author).view();
    d.keywords = d.filter(properties.keywords).view();
    d.comments = d.filter(properties.description).view();
    d.has_properties = true;
}

std::size_t XlsxWriter::truncated_cells() const noexcept { return impl_->truncated; }

std::string XlsxWriter::finish() {
    Impl& d = *impl_;
    if (d.finished) throw std::logic_error("XlsxWriter: finish() called twice");
    d.finished = true;
    d.finish_sheet();
    if (d.sheet_count == 0 && workbook_add_worksheet(d.workbook.get(), nullptr) == nullptr) {
        throw DocumentWriteError("libxlsxwriter cannot add a sheet");  // a workbook needs one
    }
    if (d.has_properties) {
        lxw_doc_properties properties{};
        properties.title = d.title.data();
        properties.subject = d.subject.data();
        properties.author = d.author.data();
        properties.keywords = d.keywords.data();
        properties.comments = d.comments.data();
        check(workbook_set_properties(d.workbook.get(), &properties), "cannot set the workbook's properties");
    }
    // workbook_close frees the workbook whether or not it succeeds.
    check(workbook_close(d.workbook.release()), "cannot write the workbook");
    std::string bytes = detail::read_whole_file(d.output);
    if (!detail::wipe_file(d.output) || !d.dir.remove()) {
        throw DocumentWriteError("cannot wipe and remove the temporary workbook file and its directory");
    }
    return bytes;
}

}  // namespace imrdesk::docformats
