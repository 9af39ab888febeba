#pragma once
// Hand-built zips and workbooks for the .xlsx reader's tests.
#include <string>
#include <utility>
#include <vector>

namespace imrdesk::test {

struct ZipEntry {
    std::string name;
    std::string content;
};

// A zip archive in memory; stored (not deflated) when store is true.
[[nodiscard]] std::string make_zip(const std::vector<ZipEntry>& entries, bool store = false);

// The parts of a minimal workbook. Each sheet is given as the inner XML of <sheetData>; the rest
// of the worksheet (e.g. <mergeCells>) goes in after_sheet_data.
struct TestWorkbook {
    struct SheetXml {
        std::string name;
        std::string sheet_data;
        std::string after_sheet_data;
    };
    std::vector<SheetXml> sheets;
    std::string shared_strings;  // the <si> items; no sharedStrings part when empty
    std::string styles;          // the whole styles.xml; none when empty
    std::string workbook_pr;     // attributes of <workbookPr>, e.g. date1904="1"
    bool strict = false;         // Strict OOXML namespaces

    [[nodiscard]] std::vector<ZipEntry> entries() const;
    [[nodiscard]] std::string build() const { return make_zip(entries()); }
};

// styles.xml with these cellXfs number formats (by id) and custom formats {id, code}.
[[nodiscard]] std::string styles_xml(const std::vector<unsigned>& xf_format_ids,
                                     const std::vector<std::pair<unsigned, std::string>>& custom = {});

}  // namespace imrdesk::test
