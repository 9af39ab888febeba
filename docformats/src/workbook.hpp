#pragma once
// The workbook's structure: where its parts are (package relationships), its sheets in order,
// its date system and its shared strings.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/docformats/xlsx.hpp"
#include "xml_reader.hpp"
#include "zip_archive.hpp"

namespace imrdesk::docformats::detail {

struct SheetEntry {
    std::string name;
    std::string part;  // zip entry name, e.g. "xl/worksheets/sheet1.xml"
};

struct WorkbookInfo {
    std::string part;                 // the workbook part, normally "xl/workbook.xml"
    std::vector<SheetEntry> sheets;   // worksheets only, in workbook order
    std::string shared_strings_part;  // empty when there is none
    std::string styles_part;          // empty when there is none
    bool date1904 = false;
};

// Refuses, with a message that says what the file is, anything that is not a zip: an old .xls,
// a password-protected workbook (an OLE2 file), a PDF, text...
void check_looks_like_zip(std::string_view bytes);

// Throws when the archive has no workbook part, saying what kind of file it is instead.
[[nodiscard]] WorkbookInfo read_workbook_info(ZipArchive& zip, std::string_view bytes, const XlsxLimits& limits);

[[nodiscard]] std::vector<std::string> read_shared_strings(std::string_view part, std::string_view part_name,
                                                           const XlsxLimits& limits);

// The text of a string item (<si> or <is>, the reader on its start tag): plain <t> or rich
// text runs <r><t>, phonetic guides <rPh> left out, OOXML _xHHHH_ escapes decoded. Leaves the
// reader on the item's end.
void read_string_item(XmlReader& reader, std::string& out, std::size_t max_bytes, std::string_view what);

}  // namespace imrdesk::docformats::detail
