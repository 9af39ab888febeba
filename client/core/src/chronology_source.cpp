#include "imrdesk/client/chronology_source.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/docformats/file_kind.hpp"
#include "imrdesk/docformats/xlsx.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/shared/chronology_csv.hpp"
#include "imrdesk/shared/csv.hpp"

namespace imrdesk::client {
namespace {

using domain::ImportError;

std::string mebibytes(std::uintmax_t bytes) {
    const auto tenths = bytes * 10 / (1024 * 1024);
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MiB";
}

std::string advice_for(docformats::FileKind kind) {
    using K = docformats::FileKind;
    switch (kind) {
        case K::Xls:
            return "In Excel, use File > Save As > \"Excel Workbook (.xlsx)\" or \"CSV UTF-8\" and import that file. "
                   "(A password-protected workbook looks like this too: remove the password first.)";
        case K::Ods: return "In LibreOffice Calc, use File > Save As > \"Excel 2007-365 (.xlsx)\" or \"Text CSV\".";
        case K::Docx:
        case K::Odt:
            return "A chronology in a Word table: copy the table into Excel or LibreOffice Calc, save it as .xlsx or "
                   "CSV, and import that file.";
        case K::Pdf: return "A PDF cannot be imported: ask for the spreadsheet it was made from, or an .xlsx or CSV export.";
        default: return {};
    }
}

LoadedTable read_workbook(std::string_view bytes, const SourceOptions& options) {
    LoadedTable loaded;
    loaded.spreadsheet = true;
    loaded.table.unit = "row";
    loaded.table.cells_beyond_header_are_errors = false;
    try {
        loaded.sheets = docformats::xlsx_sheet_names(bytes);
        auto sheet = docformats::read_xlsx_sheet(bytes, options.sheet);
        loaded.sheet = sheet.name;
        loaded.table.records.reserve(sheet.rows.size());
        for (auto& row : sheet.rows) loaded.table.records.push_back({row.row, std::move(row.cells)});
        // A heading cell merged across columns names them all: "Action / outcome" over F:G.
        if (!loaded.table.records.empty()) {
            for (const auto& range : sheet.merged) {
                for (auto& record : loaded.table.records) {
                    if (record.line != range.first_row || range.last_row != range.first_row) continue;
                    if (range.first_col >= record.fields.size()) continue;
                    bool others = false;  // a title merged across the whole row is not a heading row
                    for (std::size_t c = 0; c < record.fields.size(); ++c)
                        others = others || ((c < range.first_col || c > range.last_col) && !record.fields[c].empty());
                    if (!others) continue;
                    const std::string heading = record.fields[range.first_col];
                    for (std::size_t c = range.first_col + 1; c <= range.last_col && c < 512; ++c) {
                        if (record.fields.size() <= c) record.fields.resize(c + 1);
                        if (record.fields[c].empty()) record.fields[c] = heading + " (" + std::to_string(c - range.first_col + 1) + ")";
                    }
                }
            }
        }
    } catch (const docformats::XlsxError& e) {
        throw ImportError(std::string("the Excel workbook cannot be read: ") + e.what());
    }
    return loaded;
}

}  // namespace

std::string LoadedTable::describe() const {
    if (spreadsheet) {
        std::string out = "Excel workbook, sheet '" + sheet + "'";
        if (sheets.size() > 1) out += " (of " + std::to_string(sheets.size()) + " sheets)";
        return out;
    }
    std::string out = "CSV, " + encoding_description + ", " + std::string(csv::delimiter_name(delimiter)) + "-separated";
    if (!delimiter_detected) out += " (as chosen)";
    return out;
}

std::string LoadedTable::where(std::size_t line) const {
    return spreadsheet ? "sheet '" + sheet + "' row " + std::to_string(line) : "line " + std::to_string(line);
}

LoadedTable read_chronology_table(std::string_view bytes, const SourceOptions& options) {
    if (bytes.empty()) throw ImportError("the file is empty");
    const auto kind = docformats::sniff_file_kind(bytes);
    using K = docformats::FileKind;
    if (kind == K::Xlsx) return read_workbook(bytes, options);
    if (kind != K::Text)
        throw ImportError("this is " + std::string(docformats::describe(kind)) +
                          ": only CSV files and Excel workbooks (.xlsx) can be imported" +
                          (advice_for(kind).empty() ? std::string() : ". " + advice_for(kind)));
    if (!options.sheet.empty()) throw ImportError("--sheet is for Excel workbooks, and this is a CSV file");

    LoadedTable loaded;
    text::Decoded decoded;
    try {
        decoded = text::decode(bytes, options.encoding);
    } catch (const text::DecodeError& e) {
        throw ImportError(e.what());
    }
    loaded.encoding = decoded.encoding;
    loaded.encoding_detected = decoded.detected;
    loaded.encoding_description = decoded.describe();
    loaded.delimiter_detected = !options.delimiter.has_value();
    loaded.delimiter = options.delimiter.value_or(csv::detect_delimiter(decoded.utf8));
    try {
        loaded.table = domain::read_csv_table(decoded.utf8, loaded.delimiter);
    } catch (...) {
        crypto::wipe(decoded.utf8);
        throw;
    }
    crypto::wipe(decoded.utf8);
    return loaded;
}

std::string read_regular_file(const std::filesystem::path& path, std::size_t max_bytes) {
    const std::string name = path.string();
    if (const std::string why = platform::not_a_regular_file(path); !why.empty()) throw ImportError(why);
    struct stat st {};
    if (::stat(name.c_str(), &st) != 0) throw ImportError(std::string("cannot read it: ") + std::strerror(errno));
    const auto size = static_cast<std::uintmax_t>(st.st_size);
    if (size > max_bytes)
        throw ImportError("it is " + mebibytes(size) + ": files over " + mebibytes(max_bytes) +
                          " are refused. Split it into smaller files, or export fewer columns.");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ImportError("cannot open it: check that you are allowed to read it");
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    bytes.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
    if (in.bad()) {
        crypto::wipe(bytes);
        throw ImportError("cannot read it: the read failed");
    }
    return bytes;
}

LoadedTable load_chronology_file(const std::filesystem::path& path, const SourceOptions& options) {
    std::string bytes = read_regular_file(path, kMaxImportFileBytes);
    try {
        auto loaded = read_chronology_table(bytes, options);
        crypto::wipe(bytes);
        return loaded;
    } catch (...) {
        crypto::wipe(bytes);
        throw;
    }
}

void wipe(domain::ChronologyEntry& entry) noexcept {
    for (auto* s : {&entry.agency, &entry.contact_type, &entry.source, &entry.event, &entry.action, &entry.rationale,
                    &entry.outcome, &entry.practitioner_role, &entry.comment})
        crypto::wipe(*s);
    for (auto& field : entry.extra_fields) {
        crypto::wipe(field.name);
        crypto::wipe(field.value);
    }
    entry.extra_fields.clear();
    entry.tor_questions.clear();
    entry.principles.clear();
    entry.extra = nlohmann::json::object();
}

void wipe(domain::ImportTable& table) noexcept {
    for (auto& record : table.records)
        for (auto& field : record.fields) crypto::wipe(field);
    table.records.clear();
}

void wipe(domain::ImportPreview& preview) noexcept {
    for (auto& row : preview.rows) wipe(row.entry);
    preview.rows.clear();
    for (auto& e : preview.errors) crypto::wipe(e.message);
    preview.errors.clear();
    for (auto& c : preview.columns) {
        crypto::wipe(c.header);
        crypto::wipe(c.sample);
        crypto::wipe(c.target.extra_name);
        crypto::wipe(c.note);
    }
    preview.columns.clear();
    for (auto& t : preview.above_header) crypto::wipe(t);
    preview.above_header.clear();
}

}  // namespace imrdesk::client
