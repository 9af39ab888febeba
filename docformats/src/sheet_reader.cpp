// Streams one worksheet's <sheetData> into rows of text, and the public entry points.
#include <algorithm>
#include <charconv>
#include <optional>

#include "imrdesk/docformats/xlsx.hpp"
#include "number_format.hpp"
#include "workbook.hpp"
#include "xml_reader.hpp"
#include "zip_archive.hpp"

namespace imrdesk::docformats {
namespace {

using detail::is_sml_end;
using detail::is_sml_start;

constexpr std::size_t excel_max_columns = 16384;  // XFD

struct CellRef {
    std::size_t column = 0;  // 0-based
    std::size_t row = 0;     // 1-based
};

// "B3" as column 1, row 3; nullopt unless it is 1-3 letters then 1-7 digits, with a column
// within Excel's XFD.
std::optional<CellRef> parse_cell_ref(std::string_view text) {
    std::size_t i = 0;
    std::size_t column = 0;
    while (i < text.size() && i < 4 && ((text[i] >= 'A' && text[i] <= 'Z') || (text[i] >= 'a' && text[i] <= 'z'))) {
        const char upper = text[i] >= 'a' ? static_cast<char>(text[i] - 'a' + 'A') : text[i];
        column = column * 26 + static_cast<std::size_t>(upper - 'A' + 1);
        ++i;
    }
    if (i == 0 || i > 3 || column > excel_max_columns) return std::nullopt;
    const std::string_view digits = text.substr(i);
    std::size_t row = 0;
    if (digits.empty() || digits.size() > 7 || digits.front() == '0') return std::nullopt;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), row);
    if (result.ec != std::errc{} || result.ptr != digits.data() + digits.size()) return std::nullopt;
    return CellRef{column - 1, row};
}

std::string column_name(std::size_t column) {
    std::string name;
    for (std::size_t n = column + 1; n > 0; n = (n - 1) / 26) {
        name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
    }
    return name;
}

std::string cell_name(std::size_t column, std::size_t row) { return column_name(column) + std::to_string(row); }

class SheetReader {
public:
    SheetReader(const detail::SheetEntry& entry, const std::vector<std::string>* shared_strings,
                const detail::CellStyles& styles, bool date1904, const XlsxLimits& limits)
        : entry_(entry), shared_strings_(shared_strings), styles_(styles), date1904_(date1904), limits_(limits),
          label_("sheet '" + entry.name + "'") {}

    Sheet read(std::string_view xml) {
        Sheet sheet;
        sheet.name = entry_.name;
        sheet.date1904 = date1904_;
        detail::XmlReader reader(xml, label_ + " (" + entry_.part + ")", limits_.max_xml_depth);
        while (reader.next()) {
            if (is_sml_start(reader, "row")) {
                start_row(reader);
                if (reader.is_empty_element()) finish_row(sheet);
            } else if (is_sml_end(reader, "row")) {
                finish_row(sheet);
            } else if (in_row_ && is_sml_start(reader, "c")) {
                read_cell(reader);
            } else if (is_sml_start(reader, "mergeCell")) {
                sheet.merged.push_back(parse_merge(reader));
            }
        }
        return sheet;
    }

private:
    [[noreturn]] void fail_at(std::string_view place, std::string_view message) const {
        throw XlsxError(label_ + " " + std::string(place) + ": " + std::string(message));
    }

    void start_row(detail::XmlReader& reader) {
        in_row_ = true;
        row_ = SheetRow{};
        next_column_ = 0;
        row_number_from_cell_ = false;
        if (const auto r = reader.attribute("r")) {
            std::size_t number = 0;
            const auto result = std::from_chars(r->data(), r->data() + r->size(), number);
            if (result.ec != std::errc{} || result.ptr != r->data() + r->size() || number == 0) {
                reader.fail("row reference '" + *r + "' is not a row number");
            }
            row_.row = number;
        } else {
            row_.row = last_row_ + 1;
            row_number_from_cell_ = true;  // a cell's reference may still say which row this is
        }
        check_row_limit();
    }

    void check_row_limit() const {
        if (row_.row > limits_.max_rows) {
            fail_at("row " + std::to_string(row_.row),
                    "past the limit of " + std::to_string(limits_.max_rows) + " rows: refusing the sheet");
        }
    }

    void finish_row(Sheet& sheet) {
        in_row_ = false;
        last_row_ = row_.row;
        while (!row_.cells.empty() && row_.cells.back().empty()) row_.cells.pop_back();
        if (!row_.cells.empty()) sheet.rows.push_back(std::move(row_));
    }

    void read_cell(detail::XmlReader& reader) {
        std::size_t column = next_column_;
        if (const auto r = reader.attribute("r")) {
            const auto ref = parse_cell_ref(*r);
            if (!ref) {
                fail_at("row " + std::to_string(row_.row), "cell reference '" + *r + "' is not a valid cell");
            }
            column = ref->column;
            if (row_number_from_cell_ && ref->row > last_row_) {
                row_.row = ref->row;
                check_row_limit();
            }
            row_number_from_cell_ = false;
        }
        const std::string where = "cell " + cell_name(column, row_.row);
        if (column >= limits_.max_columns) {
            fail_at(where, "column " + column_name(column) + " is past the limit of " +
                               std::to_string(limits_.max_columns) + " columns");
        }
        next_column_ = column + 1;

        const std::string type = reader.attribute("t").value_or("n");
        const std::optional<std::string> style = reader.attribute("s");
        std::string written;  // <v>
        std::string inline_text;
        bool has_inline = false;
        if (!reader.is_empty_element()) {
            const int cell_depth = reader.depth();
            while (reader.next()) {
                if (reader.is_end() && reader.depth() == cell_depth) break;
                if (is_sml_start(reader, "v")) {
                    reader.read_text(written, limits_.max_cell_bytes, where);
                } else if (is_sml_start(reader, "is")) {
                    has_inline = true;
                    detail::read_string_item(reader, inline_text, limits_.max_cell_bytes, where);
                }
            }
        }
        std::string value = cell_value(where, type, style, written, has_inline ? &inline_text : nullptr);
        if (value.empty()) return;
        text_bytes_ += value.size();
        if (text_bytes_ > limits_.max_sheet_text_bytes) {
            fail_at(where, "the sheet holds more than " + detail::format_size(limits_.max_sheet_text_bytes) +
                               " of text: refusing it");
        }
        if (row_.cells.size() <= column) row_.cells.resize(column + 1);
        row_.cells[column] = std::move(value);
    }

    std::string cell_value(const std::string& where, std::string_view type, const std::optional<std::string>& style,
                           std::string& written, std::string* inline_text) const {
        if (type == "s") {
            if (written.empty()) return {};
            std::size_t index = 0;
            const auto result = std::from_chars(written.data(), written.data() + written.size(), index);
            if (result.ec != std::errc{} || result.ptr != written.data() + written.size()) {
                fail_at(where, "shared string index '" + written + "' is not a number");
            }
            if (shared_strings_ == nullptr) {
                fail_at(where, "refers to shared string " + written + " but the workbook has no shared strings part");
            }
            if (index >= shared_strings_->size()) {
                fail_at(where, "shared string index " + written + " is out of range (the workbook has " +
                                   std::to_string(shared_strings_->size()) + ")");
            }
            return (*shared_strings_)[index];
        }
        if (type == "inlineStr") return inline_text != nullptr ? std::move(*inline_text) : std::move(written);
        if (type == "b") {
            if (written == "1") return "TRUE";
            if (written == "0") return "FALSE";
            return std::move(written);
        }
        if (type == "str" || type == "e" || type == "d" || written.empty()) return std::move(written);
        // A number, perhaps shown as a date.
        if (style) {
            std::size_t index = 0;
            const auto result = std::from_chars(style->data(), style->data() + style->size(), index);
            const detail::DateKind kind = result.ec == std::errc{} ? styles_.date_kind(index) : detail::DateKind::None;
            double serial = 0;
            if (kind != detail::DateKind::None && detail::parse_number(written, serial)) {
                std::string date = detail::format_serial_date(serial, kind, date1904_);
                if (!date.empty()) return date;
            }
        }
        return detail::format_number(written);
    }

    CellRange parse_merge(detail::XmlReader& reader) const {
        const std::string ref = reader.attribute("ref").value_or("");
        const std::size_t colon = ref.find(':');
        const auto first = parse_cell_ref(std::string_view(ref).substr(0, colon));
        const auto last = colon == std::string::npos ? first : parse_cell_ref(std::string_view(ref).substr(colon + 1));
        if (!first || !last) reader.fail("merged range '" + ref + "' is not a valid range");
        return CellRange{std::min(first->row, last->row), std::min(first->column, last->column),
                         std::max(first->row, last->row), std::max(first->column, last->column)};
    }

    const detail::SheetEntry& entry_;
    const std::vector<std::string>* shared_strings_;
    const detail::CellStyles& styles_;
    bool date1904_;
    const XlsxLimits& limits_;
    std::string label_;

    bool in_row_ = false;
    SheetRow row_;
    bool row_number_from_cell_ = false;
    std::size_t last_row_ = 0;
    std::size_t next_column_ = 0;
    std::size_t text_bytes_ = 0;
};

std::string list_of_names(const std::vector<detail::SheetEntry>& sheets) {
    std::string list;
    for (const auto& sheet : sheets) {
        if (!list.empty()) list += ", ";
        list += "'" + sheet.name + "'";
    }
    return list;
}

}  // namespace

std::vector<std::string> xlsx_sheet_names(std::string_view bytes, const XlsxLimits& limits) {
    detail::check_looks_like_zip(bytes);
    detail::ZipArchive zip(bytes, limits);
    const detail::WorkbookInfo info = detail::read_workbook_info(zip, bytes, limits);
    std::vector<std::string> names;
    names.reserve(info.sheets.size());
    for (const auto& sheet : info.sheets) names.push_back(sheet.name);
    return names;
}

Sheet read_xlsx_sheet(std::string_view bytes, std::string_view sheet_name, const XlsxLimits& limits) {
    detail::check_looks_like_zip(bytes);
    detail::ZipArchive zip(bytes, limits);
    const detail::WorkbookInfo info = detail::read_workbook_info(zip, bytes, limits);
    if (info.sheets.empty()) throw XlsxError("part " + info.part + ": the workbook has no worksheets");
    const auto entry = sheet_name.empty() ? info.sheets.begin()
                                          : std::find_if(info.sheets.begin(), info.sheets.end(),
                                                         [&](const detail::SheetEntry& s) { return s.name == sheet_name; });
    if (entry == info.sheets.end()) {
        throw XlsxError("the workbook has no sheet named '" + std::string(sheet_name) +
                        "'; its sheets are: " + list_of_names(info.sheets));
    }

    std::optional<std::vector<std::string>> shared_strings;
    if (!info.shared_strings_part.empty()) {
        if (const auto part = zip.read_if_present(info.shared_strings_part)) {
            shared_strings = detail::read_shared_strings(*part, info.shared_strings_part, limits);
        }
    }
    detail::CellStyles styles;
    if (!info.styles_part.empty()) {
        if (const auto part = zip.read_if_present(info.styles_part)) {
            styles = detail::CellStyles::parse(*part, info.styles_part, limits);
        }
    }
    const std::string xml = zip.read(entry->part);
    SheetReader reader(*entry, shared_strings ? &*shared_strings : nullptr, styles, info.date1904, limits);
    return reader.read(xml);
}

}  // namespace imrdesk::docformats
