// Hostile and damaged workbooks: each must give an XlsxError that says where, never a crash,
// a hang or a memory blow-up.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "imrdesk/docformats/xlsx.hpp"
#include "zip_builder.hpp"

using imrdesk::docformats::read_xlsx_sheet;
using imrdesk::docformats::xlsx_sheet_names;
using imrdesk::docformats::XlsxError;
using imrdesk::docformats::XlsxLimits;
using imrdesk::test::make_zip;
using imrdesk::test::TestWorkbook;
using imrdesk::test::ZipEntry;

namespace {

// The message of the XlsxError that reading the workbook throws ("" if it does not throw).
std::string error_of(const std::string& bytes, const XlsxLimits& limits = {}) {
    try {
        (void)read_xlsx_sheet(bytes, {}, limits);
    } catch (const XlsxError& e) {
        return e.what();
    }
    return {};
}

std::string names_error_of(const std::string& bytes, const XlsxLimits& limits = {}) {
    try {
        (void)xlsx_sheet_names(bytes, limits);
    } catch (const XlsxError& e) {
        return e.what();
    }
    return {};
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TestWorkbook one_sheet(std::string sheet_data) {
    TestWorkbook book;
    book.sheets.push_back({"Chronology", std::move(sheet_data), {}});
    return book;
}

// The workbook's entries with one part's content replaced.
std::string with_part(TestWorkbook book, const std::string& name, const std::string& content) {
    std::vector<ZipEntry> entries = book.entries();
    for (auto& entry : entries) {
        if (entry.name == name) entry.content = content;
    }
    return make_zip(entries);
}

}  // namespace

TEST_CASE("a zip bomb is refused while inflating, whatever the header says") {
    XlsxLimits limits;
    limits.max_part_bytes = 1u << 20;
    const std::string zeros(20u << 20, '\0');
    const std::string bytes = with_part(one_sheet({}), "xl/worksheets/sheet1.xml", zeros);
    CHECK(bytes.size() < 200'000);
    const std::string message = error_of(bytes, limits);
    CHECK(contains(message, "part xl/worksheets/sheet1.xml inflates to more than 1 MiB"));
    CHECK(contains(message, "zip bomb"));

    XlsxLimits total;
    total.max_total_bytes = 1u << 20;
    CHECK(contains(error_of(bytes, total), "in all"));
}

TEST_CASE("too many zip entries and too large a file") {
    std::vector<ZipEntry> entries = one_sheet({}).entries();
    for (int i = 0; i < 20; ++i) entries.push_back({"junk/" + std::to_string(i), "x"});
    XlsxLimits limits;
    limits.max_entries = 10;
    CHECK(contains(error_of(make_zip(entries), limits), "more than 10 entries"));

    XlsxLimits small;
    small.max_archive_bytes = 100;
    CHECK(contains(error_of(one_sheet({}).build(), small), "larger than 100 bytes"));
}

TEST_CASE("deeply nested XML") {
    std::string deep;
    for (int i = 0; i < 10'000; ++i) deep += "<a>";
    for (int i = 0; i < 10'000; ++i) deep += "</a>";
    const std::string message = error_of(one_sheet(deep).build());
    CHECK(contains(message, "sheet 'Chronology' (xl/worksheets/sheet1.xml) line 1"));
    CHECK(contains(message, "depth"));
}

TEST_CASE("a DOCTYPE with entity expansion (billion laughs) is refused") {
    std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY lol "lol">)";
    laughs += R"(<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">)";
    for (int i = 2; i <= 9; ++i) {
        const std::string prev = "&lol" + std::to_string(i - 1) + ";";
        std::string body;
        for (int k = 0; k < 10; ++k) body += prev;
        laughs += "<!ENTITY lol" + std::to_string(i) + " \"" + body + "\">";
    }
    laughs += R"(]><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="&lol9;"/></sheets></workbook>)";
    const std::string bytes = with_part(one_sheet({}), "xl/workbook.xml", laughs);
    const std::string message = names_error_of(bytes);
    CHECK(contains(message, "part xl/workbook.xml"));
    CHECK_MESSAGE(contains(message, "DOCTYPE"), message);

    // The same in a worksheet, and an external entity, which must never be fetched.
    const std::string external = R"(<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>)"
                                 R"(<worksheet><sheetData><row><c t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>)";
    const std::string sheet_message = error_of(with_part(one_sheet({}), "xl/worksheets/sheet1.xml", external));
    CHECK(contains(sheet_message, "sheet 'Chronology'"));
    CHECK(contains(sheet_message, "DOCTYPE"));
}

TEST_CASE("shared string cells with no shared strings part, or an index out of range") {
    const std::string missing = error_of(one_sheet(R"(<row r="14"><c r="C14" t="s"><v>0</v></c></row>)").build());
    CHECK(contains(missing, "sheet 'Chronology' cell C14"));
    CHECK(contains(missing, "no shared strings part"));

    TestWorkbook book = one_sheet(R"(<row r="2"><c r="B2" t="s"><v>5</v></c></row>)");
    book.shared_strings = "<si><t>only one</t></si>";
    const std::string out_of_range = error_of(book.build());
    CHECK(contains(out_of_range, "sheet 'Chronology' cell B2"));
    CHECK(contains(out_of_range, "out of range"));

    TestWorkbook garbage = one_sheet(R"(<row r="2"><c r="B2" t="s"><v>-1x</v></c></row>)");
    garbage.shared_strings = "<si><t>only one</t></si>";
    CHECK(contains(error_of(garbage.build()), "cell B2"));
}

TEST_CASE("truncated, random, empty and non-zip files") {
    const std::string good = one_sheet(R"(<row r="1"><c r="A1"><v>1</v></c></row>)").build();
    for (const std::size_t keep : {good.size() / 2, good.size() - 10, std::size_t{30}, std::size_t{4}}) {
        const std::string message = error_of(good.substr(0, keep));
        CHECK_MESSAGE(!message.empty(), "kept " << keep << " bytes");
    }
    CHECK(contains(error_of(good.substr(0, good.size() / 2)), "truncated or damaged"));

    std::mt19937 random(1234);
    for (int run = 0; run < 50; ++run) {
        std::string noise(static_cast<std::size_t>(random() % 4000), '\0');
        for (auto& c : noise) c = static_cast<char>(random());
        if (run % 2 == 0 && noise.size() > 4) noise.replace(0, 4, "PK\x03\x04");
        CHECK_FALSE(error_of(noise).empty());
    }
    CHECK(contains(error_of({}), "the file is empty"));
    CHECK(contains(error_of("Date,Event\n14/03/2019,Visit\n"), "not an .xlsx workbook: it looks like a text file"));
    CHECK(contains(error_of(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0')),
                   "Excel 97-2003"));

    // A damaged entry: flip bytes inside the deflated sheet data; CRC or inflate must catch it.
    std::string damaged = good;
    const auto at = damaged.find("xl/worksheets/sheet1.xml");
    REQUIRE(at != std::string::npos);
    for (std::size_t i = at + 30; i < at + 60 && i < damaged.size(); ++i) damaged[i] = static_cast<char>(~damaged[i]);
    CHECK_FALSE(error_of(damaged).empty());
}

TEST_CASE("a password-protected workbook (OLE2 with EncryptionInfo) gets a clear message") {
    std::string ole(2048, '\0');
    ole.replace(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    const std::string name("E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0", 28);
    ole.replace(1024, name.size(), name);
    const std::string message = error_of(ole);
    CHECK(contains(message, "password protected"));
    CHECK(contains(message, "File > Info > Protect Workbook"));
}

TEST_CASE("malformed XML names the part and line") {
    const std::string sheet_message =
        error_of(with_part(one_sheet({}), "xl/worksheets/sheet1.xml", "<worksheet><sheetData>\n<row><c></row>"));
    CHECK(contains(sheet_message, "sheet 'Chronology' (xl/worksheets/sheet1.xml) line 2"));
    CHECK(contains(sheet_message, "not well-formed"));

    TestWorkbook book = one_sheet({});
    book.shared_strings = "<si><t>unclosed</si>";
    CHECK(contains(error_of(book.build()), "part xl/sharedStrings.xml line 1"));
    CHECK(contains(names_error_of(with_part(one_sheet({}), "xl/workbook.xml", "<workbook><sheets>")), "part xl/workbook.xml"));
    CHECK(contains(error_of(with_part(one_sheet({}), "xl/worksheets/sheet1.xml", "")), "xl/worksheets/sheet1.xml"));
    CHECK(contains(error_of(with_part(one_sheet({}), "xl/worksheets/sheet1.xml", "<a>&undefined;</a>")),
                   "xl/worksheets/sheet1.xml"));
    // Bytes that are not in the declared encoding: libxml2 reports these outside the parser.
    for (const char* encoding : {"UTF-16", "Shift_JIS", "UTF-8", "EBCDIC-US", "no-such-encoding"}) {
        const std::string xml = std::string("<?xml version=\"1.0\" encoding=\"") + encoding +
                                "\"?><worksheet><sheetData><row><c t=\"inlineStr\"><is><t>\x82\xff\xfe\x80\x14\x00</t></is></c></row></sheetData></worksheet>";
        const std::string message = error_of(with_part(one_sheet({}), "xl/worksheets/sheet1.xml", xml));
        CHECK_MESSAGE(contains(message, "xl/worksheets/sheet1.xml"), encoding << ": " << message);
    }
}

TEST_CASE("bad cell references and limits name the cell or row") {
    CHECK(contains(error_of(one_sheet(R"(<row r="1"><c r="XFD1"><v>1</v></c></row>)").build()),
                   "sheet 'Chronology' cell XFD1: column XFD is past the limit of 512 columns"));
    for (const char* ref : {"1A", "A0", "AAAA1", "XFE1", "B", "", "A1:B2", "A99999999"}) {
        const std::string message = error_of(one_sheet("<row r=\"3\"><c r=\"" + std::string(ref) + "\"><v>1</v></c></row>").build());
        CHECK_MESSAGE(contains(message, "sheet 'Chronology' row 3: cell reference"), ref << ": " << message);
    }
    CHECK(contains(error_of(one_sheet(R"(<row r="x"><c><v>1</v></c></row>)").build()), "row reference 'x'"));

    XlsxLimits limits;
    limits.max_rows = 10;
    CHECK(contains(error_of(one_sheet(R"(<row r="11"><c><v>1</v></c></row>)").build(), limits),
                   "sheet 'Chronology' row 11: past the limit of 10 rows"));
    limits = {};
    limits.max_cell_bytes = 8;
    CHECK(contains(error_of(one_sheet(R"(<row r="4"><c r="D4" t="str"><v>123456789</v></c></row>)").build(), limits),
                   "cell D4 has more than 8 bytes"));
    CHECK(contains(error_of(one_sheet(R"(<row r="4"><c r="D4" t="inlineStr"><is><t>123456789</t></is></c></row>)").build(), limits),
                   "cell D4 has more than 8 bytes"));
    limits = {};
    limits.max_shared_strings = 2;
    TestWorkbook book = one_sheet({});
    book.shared_strings = "<si><t>a</t></si><si><t>b</t></si><si><t>c</t></si>";
    CHECK(contains(error_of(book.build(), limits), "more than 2 shared strings"));

    // One big shared string referenced many times: bounded by the sheet's total text.
    limits = {};
    limits.max_sheet_text_bytes = 1u << 20;
    TestWorkbook amplified;
    amplified.shared_strings = "<si><t>" + std::string(100'000, 'x') + "</t></si>";
    std::string rows;
    for (int r = 1; r <= 20; ++r) rows += "<row><c t=\"s\"><v>0</v></c></row>";
    amplified.sheets.push_back({"Chronology", rows, {}});
    CHECK(contains(error_of(amplified.build(), limits), "more than 1 MiB of text"));

    TestWorkbook merged = one_sheet({});
    merged.sheets[0].after_sheet_data = R"(<mergeCells><mergeCell ref="A1:"/></mergeCells>)";
    CHECK(contains(error_of(merged.build()), "merged range 'A1:'"));
}

TEST_CASE("a workbook with no workbook part, or a sheet relationship that is missing") {
    const std::string not_workbook = make_zip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", "<x/>"}});
    CHECK(contains(error_of(not_workbook), "OpenDocument spreadsheet"));
    CHECK(contains(names_error_of(make_zip({{"readme.txt", "hello"}})), "no Excel workbook part"));

    TestWorkbook book = one_sheet({});
    std::vector<ZipEntry> entries = book.entries();
    for (auto& entry : entries) {
        if (entry.name == "xl/_rels/workbook.xml.rels") entry.content = "<Relationships/>";
    }
    CHECK(contains(names_error_of(make_zip(entries)), "sheet 'Chronology' refers to relationship 'rId1'"));
    CHECK(contains(error_of(with_part(one_sheet({}), "xl/workbook.xml", "<workbook><sheets/></workbook>")),
                   "no worksheets"));
}
