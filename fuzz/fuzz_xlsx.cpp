// Reads arbitrary bytes as an .xlsx workbook, twice: as the file itself (zip handling), and as
// the XML parts of a workbook separated by 0xFF bytes (sheet, shared strings, styles, workbook,
// workbook rels), zipped here so that mutations reach the XML readers past the zip CRCs.
// Any exception other than XlsxError, and any result outside the limits, is a bug.
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/docformats/file_kind.hpp"
#include "imrdesk/docformats/xlsx.hpp"

namespace {

using imrdesk::docformats::XlsxError;
using imrdesk::docformats::XlsxLimits;

[[noreturn]] void die(const char* why) {
    std::fprintf(stderr, "fuzz_xlsx: %s\n", why);
    std::abort();
}

XlsxLimits modest_limits() {
    XlsxLimits limits;
    limits.max_archive_bytes = 1u << 20;
    limits.max_entries = 64;
    limits.max_part_bytes = 4u << 20;
    limits.max_total_bytes = 8u << 20;
    limits.max_rows = 10'000;
    limits.max_columns = 64;
    limits.max_cell_bytes = 4096;
    limits.max_shared_strings = 10'000;
    limits.max_sheet_text_bytes = 8u << 20;
    return limits;
}

void check(std::string_view bytes, const XlsxLimits& limits) {
    (void)imrdesk::docformats::describe(imrdesk::docformats::sniff_file_kind(bytes));
    try {
        const auto names = imrdesk::docformats::xlsx_sheet_names(bytes, limits);
        const auto sheet = imrdesk::docformats::read_xlsx_sheet(bytes, names.empty() ? "" : names.back(), limits);
        for (const auto& row : sheet.rows) {
            if (row.row == 0 || row.row > limits.max_rows) die("row number outside the limits");
            if (row.cells.empty() || row.cells.back().empty()) die("empty row or trailing empty cell kept");
            if (row.cells.size() > limits.max_columns) die("more columns than the limit");
            for (const auto& cell : row.cells) {
                if (cell.size() > limits.max_cell_bytes) die("cell over the limit");
            }
        }
    } catch (const XlsxError& e) {
        if (std::string_view(e.what()).empty()) die("XlsxError without a message");
    }
}

struct SourceFreer {
    void operator()(zip_source_t* source) const noexcept { zip_source_free(source); }
};

// A stored (uncompressed) zip of these parts; empty if libzip fails.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& parts) {
    zip_error_t error;
    zip_error_init(&error);
    std::unique_ptr<zip_source_t, SourceFreer> buffer(zip_source_buffer_create(nullptr, 0, 0, &error));
    zip_error_fini(&error);
    if (!buffer) return {};
    zip_source_keep(buffer.get());
    zip_t* archive = zip_open_from_source(buffer.get(), ZIP_TRUNCATE, nullptr);
    if (archive == nullptr) {
        zip_source_free(buffer.get());
        return {};
    }
    for (const auto& [name, content] : parts) {
        zip_source_t* data = zip_source_buffer(archive, content.data(), content.size(), 0);
        const zip_int64_t index = data == nullptr ? -1 : zip_file_add(archive, name.c_str(), data, ZIP_FL_OVERWRITE);
        if (index < 0) {
            zip_source_free(data);
            zip_discard(archive);
            return {};
        }
        zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }
    if (zip_close(archive) != 0) {
        zip_discard(archive);
        return {};
    }
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_source_stat(buffer.get(), &stat) != 0 || zip_source_open(buffer.get()) != 0) return {};
    std::string bytes(static_cast<std::size_t>(stat.size), '\0');
    const zip_int64_t got = zip_source_read(buffer.get(), bytes.data(), bytes.size());
    zip_source_close(buffer.get());
    return got == static_cast<zip_int64_t>(bytes.size()) ? bytes : std::string{};
}

std::string workbook_from_parts(std::string_view input) {
    const char* names[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml",
                           "xl/_rels/workbook.xml.rels"};
    std::vector<std::pair<std::string, std::string>> parts = {
        {names[0], "<worksheet><sheetData/></worksheet>"},
        {names[1], "<sst/>"},
        {names[2], "<styleSheet/>"},
        {names[3], R"(<workbook xmlns:r="r"><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>)"},
        {names[4], R"(<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/>)"
                   R"(<Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/>)"
                   R"(<Relationship Id="rId3" Type="x/styles" Target="/xl/styles.xml"/></Relationships>)"},
    };
    std::size_t part = 0;
    std::size_t start = 0;
    while (start <= input.size() && part < parts.size()) {
        std::size_t end = input.find('\xff', start);
        if (end == std::string_view::npos) end = input.size();
        parts[part++].second = std::string(input.substr(start, end - start));
        start = end + 1;
    }
    return make_zip(parts);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const XlsxLimits limits = modest_limits();
    check(input, limits);
    if (input.substr(0, 2) != "PK") {
        const std::string zipped = workbook_from_parts(input);
        if (!zipped.empty()) check(zipped, limits);
    }
    return 0;
}
