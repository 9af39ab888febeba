#pragma once
// Where an imported chronology comes from: a file as agencies have it. CSV in UTF-8 (with or
// without a byte-order mark), UTF-16 (Excel's "Unicode text") or Windows-1252 (Excel's "CSV
// (Comma delimited)" on Windows), separated by commas, semicolons or tabs; or an Excel workbook
// (.xlsx). What was detected is reported, never guessed silently, and can be overridden. Files
// of other kinds (.xls, .ods, .docx, PDF) get a line saying what to save them as.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/shared/chronology_import.hpp"
#include "imrdesk/shared/text_encoding.hpp"

namespace imrdesk::client {

inline constexpr std::size_t kMaxImportFileBytes = 64u << 20;

struct SourceOptions {
    std::optional<text::EncodingChoice> encoding;  // CSV only; else detected
    std::optional<char> delimiter;                 // CSV only: ',', ';' or '\t'; else detected
    std::string sheet;                             // .xlsx only; else the first worksheet
};

struct LoadedTable {
    domain::ImportTable table;
    bool spreadsheet = false;         // an .xlsx workbook (else delimited text)
    // CSV
    text::Encoding encoding = text::Encoding::Utf8;
    bool encoding_detected = true;
    std::string encoding_description;  // "Windows-1252 (not valid UTF-8), converted to UTF-8"
    char delimiter = ',';
    bool delimiter_detected = true;
    // .xlsx
    std::string sheet;
    std::vector<std::string> sheets;   // every worksheet, in workbook order

    // "CSV, UTF-8, comma-separated" / "Excel workbook, sheet 'Chronology' (1 of 2)".
    [[nodiscard]] std::string describe() const;
    // "line 14" for CSV, "sheet 'Chronology' row 14" for a workbook.
    [[nodiscard]] std::string where(std::size_t line) const;
};

// Reads a table from the bytes of a file. Throws domain::ImportError with what and where.
[[nodiscard]] LoadedTable read_chronology_table(std::string_view bytes, const SourceOptions& options = {});

// Reads the file (a regular file of at most kMaxImportFileBytes: a folder, a device or a pipe
// is refused by name), then read_chronology_table. Throws domain::ImportError.
[[nodiscard]] LoadedTable load_chronology_file(const std::filesystem::path& path, const SourceOptions& options = {});

// Reads at most max_bytes of a regular file, refusing what is not one with a message that names
// it ("... is a folder", "... is a device, not a file", "... is a pipe"). Throws domain::ImportError.
[[nodiscard]] std::string read_regular_file(const std::filesystem::path& path, std::size_t max_bytes);

// Overwrites every cell, for a lock or when the preview closes.
void wipe(domain::ImportTable& table) noexcept;
void wipe(domain::ImportPreview& preview) noexcept;
void wipe(domain::ChronologyEntry& entry) noexcept;

}  // namespace imrdesk::client
