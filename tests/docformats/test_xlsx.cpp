#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "imrdesk/docformats/xlsx.hpp"
#include "zip_builder.hpp"

using imrdesk::docformats::CellRange;
using imrdesk::docformats::read_xlsx_sheet;
using imrdesk::docformats::Sheet;
using imrdesk::docformats::xlsx_sheet_names;
using imrdesk::docformats::XlsxError;
using imrdesk::test::styles_xml;
using imrdesk::test::TestWorkbook;

namespace {

using Cells = std::vector<std::string>;

TestWorkbook one_sheet(std::string sheet_data) {
    TestWorkbook book;
    book.sheets.push_back({"Chronology", std::move(sheet_data), {}});
    return book;
}

Cells cells_of_row(const Sheet& sheet, std::size_t row) {
    for (const auto& r : sheet.rows) {
        if (r.row == row) return r.cells;
    }
    return {};
}

// The cell value given a style whose number format is this built-in id or custom code.
std::string shown_as(const std::string& value, unsigned format_id, const std::string& custom_code = {},
                     const std::string& workbook_pr = {}) {
    TestWorkbook book = one_sheet("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>" + value + "</v></c></row>");
    if (custom_code.empty()) {
        book.styles = styles_xml({0, format_id});
    } else {
        book.styles = styles_xml({0, format_id}, {{format_id, custom_code}});
    }
    book.workbook_pr = workbook_pr;
    const Sheet sheet = read_xlsx_sheet(book.build());
    return sheet.rows.empty() ? std::string{} : sheet.rows[0].cells.at(0);
}

}  // namespace

TEST_CASE("shared strings, inline strings and rich text runs") {
    TestWorkbook book = one_sheet(
        R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>)"
        R"(<row r="2"><c r="A2" t="inlineStr"><is><t>inline</t></is></c>)"
        R"(<c r="B2" t="inlineStr"><is><r><rPr><b/></rPr><t>bold </t></r><r><t xml:space="preserve">and plain </t></r></is></c></row>)");
    book.shared_strings = R"(<si><t>Date</t></si>)"
                          R"(<si><r><t>Rich </t></r><r><rPr><i/></rPr><t>text</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>)"
                          R"(<si><t>Line one_x000D_&#10;line &amp; two &lt;3 £ ŵ 🙂 _x005F_x0041_</t></si>)";
    const Sheet sheet = read_xlsx_sheet(book.build());
    CHECK(sheet.name == "Chronology");
    REQUIRE(sheet.rows.size() == 2);
    CHECK(sheet.rows[0].row == 1);
    CHECK(sheet.rows[0].cells == Cells{"Date", "Rich text", "Line one\r\nline & two <3 £ ŵ 🙂 _x0041_"});
    CHECK(sheet.rows[1].cells == Cells{"inline", "bold and plain "});
}

TEST_CASE("missing r attributes mean the next row and the next column, gaps are empty") {
    const Sheet sheet = read_xlsx_sheet(one_sheet(R"(<row><c><v>1</v></c><c><v>2</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row>)"
                                                  R"(<row><c r="B2"><v>b</v></c></row>)"
                                                  R"(<row r="7"><c><v>x</v></c></row><row><c r="C8"><v>y</v></c></row>)")
                                            .build());
    REQUIRE(sheet.rows.size() == 4);
    CHECK(sheet.rows[0].row == 1);
    CHECK(sheet.rows[0].cells == Cells{"1", "2", "", "", "5", "6"});
    CHECK(sheet.rows[1].row == 2);
    CHECK(sheet.rows[1].cells == Cells{"", "b"});
    CHECK(sheet.rows[2].row == 7);
    CHECK(sheet.rows[3].row == 8);
    CHECK(sheet.rows[3].cells == Cells{"", "", "y"});
}

TEST_CASE("empty rows and empty cells are skipped and trailing empties trimmed") {
    const Sheet sheet = read_xlsx_sheet(
        one_sheet(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" s="0"/><c r="C1"><v></v></c></row>)"
                  R"(<row r="2"/><row r="3"><c r="A3" t="inlineStr"><is><t></t></is></c></row><row r="4" spans="1:3"></row>)"
                  R"(<row r="5"><c r="C5" t="str"><f>A1</f><v>a</v></c></row>)")
            .build());
    REQUIRE(sheet.rows.size() == 2);
    CHECK(sheet.rows[0].cells == Cells{"a"});
    CHECK(sheet.rows[1].row == 5);
    CHECK(sheet.rows[1].cells == Cells{"", "", "a"});
}

TEST_CASE("booleans, errors, formula strings, ISO dates and numbers") {
    const Sheet sheet = read_xlsx_sheet(
        one_sheet(R"(<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" t="e"><v>#N/A</v></c>)"
                  R"(<c r="D1" t="str"><f>CONCAT("a","b")</f><v>ab</v></c><c r="E1" t="d"><v>2019-03-14T09:40:00</v></c>)"
                  R"(<c r="F1"><f>1+1</f><v>2</v></c></row>)"
                  R"(<row r="2"><c><v>12</v></c><c><v>12.0</v></c><c><v>3.50</v></c><c t="n"><v>1234567</v></c>)"
                  R"(<c><v>-0.25</v></c><c><v>1E-3</v></c><c><v>1.5E+20</v></c><c><v>0.30000000000000004</v></c>)"
                  R"(<c><v>-0</v></c><c><v>4.3538402777777781E4</v></c></row>)")
            .build());
    REQUIRE(sheet.rows.size() == 2);
    CHECK(sheet.rows[0].cells == Cells{"TRUE", "FALSE", "#N/A", "ab", "2019-03-14T09:40:00", "2"});
    CHECK(sheet.rows[1].cells ==
          Cells{"12", "12", "3.5", "1234567", "-0.25", "0.001", "1.5e+20", "0.30000000000000004", "0", "43538.40277777778"});
}

TEST_CASE("serial dates under built-in and custom formats") {
    CHECK(shown_as("43538", 14) == "2019-03-14");
    CHECK(shown_as("43538", 164, "dd/mm/yyyy") == "2019-03-14");
    CHECK(shown_as("43538", 164, "[$-809]dd mmmm yyyy;@") == "2019-03-14");
    CHECK(shown_as("43538", 164, "d\\-mmm\\-yy") == "2019-03-14");
    CHECK(shown_as("43538.40277777778", 22) == "2019-03-14 09:40");
    CHECK(shown_as("43538.402789351854", 164, "dd/mm/yyyy hh:mm:ss") == "2019-03-14 09:40:01");
    CHECK(shown_as("43538", 22) == "2019-03-14");  // a date-time at midnight has no time part
    CHECK(shown_as("43538.4", 14) == "2019-03-14");  // a date format hides the time
    CHECK(shown_as("0.40277777777777779", 20) == "09:40");
    CHECK(shown_as("0.5", 164, "h:mm AM/PM") == "12:00");
    CHECK(shown_as("1.5", 164, "[h]:mm") == "36:00");
    CHECK(shown_as("0.0034722222", 45) == "00:05");  // mm:ss: minutes before seconds
    CHECK(shown_as("0.99999999", 22) == "1900-01-01");  // rounds to the next whole second (a new day)
    // Excel's 1900 leap-year bug.
    CHECK(shown_as("1", 14) == "1900-01-01");
    CHECK(shown_as("59", 14) == "1900-02-28");
    CHECK(shown_as("60", 14) == "1900-02-29");
    CHECK(shown_as("61", 14) == "1900-03-01");
    CHECK(shown_as("2958465", 14) == "9999-12-31");
    // Not dates: kept as numbers.
    CHECK(shown_as("-1", 14) == "-1");
    CHECK(shown_as("2958466", 14) == "2958466");
    CHECK(shown_as("0", 14) == "0");
    CHECK(shown_as("43538", 164, "0.00") == "43538");
    CHECK(shown_as("43538", 164, "&quot;days&quot; 0") == "43538");     // quoted letters are not a date
    CHECK(shown_as("43538", 164, "[Red]#,##0") == "43538");     // nor are brackets
    CHECK(shown_as("43538", 164, "General") == "43538");
    CHECK(shown_as("43538", 2) == "43538");
}

TEST_CASE("the 1904 date system") {
    CHECK(shown_as("0", 14, {}, R"(date1904="1")") == "1904-01-01");
    CHECK(shown_as("42076", 14, {}, R"(date1904="true")") == "2019-03-14");
    CHECK(shown_as("42076.5", 22, {}, R"(date1904="1")") == "2019-03-14 12:00");
    TestWorkbook book = one_sheet(R"(<row r="1"><c r="A1"><v>1</v></c></row>)");
    book.workbook_pr = R"(date1904="1")";
    CHECK(read_xlsx_sheet(book.build()).date1904);
    CHECK_FALSE(read_xlsx_sheet(one_sheet(R"(<row r="1"><c r="A1"><v>1</v></c></row>)").build()).date1904);
}

TEST_CASE("merged header cells are reported, not filled") {
    TestWorkbook book = one_sheet(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Agency chronology</t></is></c></row>)"
                                  R"(<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row>)");
    book.sheets[0].after_sheet_data = R"(<mergeCells count="2"><mergeCell ref="A1:H1"/><mergeCell ref="B3:C5"/></mergeCells>)";
    const Sheet sheet = read_xlsx_sheet(book.build());
    REQUIRE(sheet.rows.size() == 2);
    CHECK(sheet.rows[0].cells == Cells{"Agency chronology"});
    CHECK(sheet.merged == std::vector<CellRange>{{1, 0, 1, 7}, {3, 1, 5, 2}});
}

TEST_CASE("Strict OOXML namespaces") {
    TestWorkbook book = one_sheet(R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>43538</v></c></row>)");
    book.strict = true;
    book.shared_strings = "<si><t>strict</t></si>";
    book.styles = styles_xml({0, 14});
    // styles_xml writes the Transitional namespace; make it Strict too.
    book.styles.replace(book.styles.find("http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
                        std::string_view("http://schemas.openxmlformats.org/spreadsheetml/2006/main").size(),
                        "http://purl.oclc.org/ooxml/spreadsheetml/main");
    CHECK(xlsx_sheet_names(book.build()) == std::vector<std::string>{"Chronology"});
    const Sheet sheet = read_xlsx_sheet(book.build());
    REQUIRE(sheet.rows.size() == 1);
    CHECK(sheet.rows[0].cells == Cells{"strict", "2019-03-14"});
}

TEST_CASE("two sheets: names in order, the first by default, another by name") {
    TestWorkbook book;
    book.sheets.push_back({"Notes", R"(<row r="1"><c r="A1" t="inlineStr"><is><t>notes</t></is></c></row>)", {}});
    book.sheets.push_back({"Chronology", R"(<row r="3"><c r="B3" t="inlineStr"><is><t>entry</t></is></c></row>)", {}});
    const std::string bytes = book.build();
    CHECK(xlsx_sheet_names(bytes) == std::vector<std::string>{"Notes", "Chronology"});
    CHECK(read_xlsx_sheet(bytes).name == "Notes");
    const Sheet chronology = read_xlsx_sheet(bytes, "Chronology");
    CHECK(chronology.name == "Chronology");
    CHECK(cells_of_row(chronology, 3) == Cells{"", "entry"});

    try {
        (void)read_xlsx_sheet(bytes, "Timeline");
        FAIL("expected XlsxError");
    } catch (const XlsxError& e) {
        const std::string what = e.what();
        CHECK(what.find("'Timeline'") != std::string::npos);
        CHECK(what.find("'Notes', 'Chronology'") != std::string::npos);
    }
}

TEST_CASE("chartsheets are not worksheets, the workbook part can be found through [Content_Types].xml") {
    using imrdesk::test::ZipEntry;
    std::vector<ZipEntry> entries = one_sheet(R"(<row r="1"><c r="A1"><v>7</v></c></row>)").entries();
    for (auto& entry : entries) {
        if (entry.name == "[Content_Types].xml") {
            const auto at = entry.content.find("/xl/workbook.xml");
            entry.content.replace(at, 16, "/book/main.xml");
        } else if (entry.name == "xl/workbook.xml") {
            entry.name = "book/main.xml";
            const auto at = entry.content.find("</sheets>");
            entry.content.insert(at, R"(<sheet name="Chart" sheetId="9" r:id="rIdC"/>)");
        } else if (entry.name == "xl/_rels/workbook.xml.rels") {
            entry.name = "book/_rels/main.xml.rels";
            const auto at = entry.content.find("</Relationships>");
            entry.content.insert(
                at, R"(<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/>)");
            // Targets relative to book/ now: point them back at xl/.
            for (std::size_t p = entry.content.find("Target=\"worksheets/"); p != std::string::npos;
                 p = entry.content.find("Target=\"worksheets/", p + 1)) {
                entry.content.replace(p, 19, "Target=\"../xl/worksheets/");
            }
        }
    }
    const std::string bytes = imrdesk::test::make_zip(entries);
    CHECK(xlsx_sheet_names(bytes) == std::vector<std::string>{"Chronology"});
    CHECK(read_xlsx_sheet(bytes).rows.at(0).cells == Cells{"7"});
}

TEST_CASE("a 100,000-row sheet streams") {
    std::string rows;
    rows.reserve(100'000 * 120);
    for (int r = 1; r <= 100'000; ++r) {
        const std::string n = std::to_string(r);
        rows += "<row r=\"" + n + "\"><c r=\"A" + n + "\" s=\"1\"><v>43538</v></c><c r=\"B" + n + "\" t=\"s\"><v>0</v></c><c r=\"C" +
                n + "\"><v>" + n + "</v></c></row>";
    }
    TestWorkbook book = one_sheet(std::move(rows));
    book.shared_strings = "<si><t>Home visit</t></si>";
    book.styles = styles_xml({0, 14});
    const Sheet sheet = read_xlsx_sheet(book.build());
    REQUIRE(sheet.rows.size() == 100'000);
    CHECK(sheet.rows.back().row == 100'000);
    CHECK(sheet.rows.back().cells == Cells{"2019-03-14", "Home visit", "100000"});
}
