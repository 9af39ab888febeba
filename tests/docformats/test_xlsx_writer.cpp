// The .xlsx writer: text never becomes a formula, real dates, the cell and sheet limits, the
// text filter everywhere, no temporary file left behind, rows as tall as their wrapped text, and
// openpyxl reading it back.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "imrdesk/docformats/xlsx_writer.hpp"
#include "office_tools.hpp"
#include "sample_documents.hpp"
#include "temp_dir.hpp"

using imrdesk::docformats::DocumentWriteError;
using imrdesk::docformats::XlsxWriter;
using imrdesk::test::TempDir;

namespace {

std::vector<std::filesystem::path> listing(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> entries;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) entries.push_back(entry.path());
    return entries;
}

unsigned mode_of(const std::filesystem::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return 0;
    return static_cast<unsigned>(info.st_mode) & 0777U;
}

constexpr const char* check_xlsx_py = R"PY(
import sys, datetime
import openpyxl

path, welsh, title, author, long_length = sys.argv[1:6]
wb = openpyxl.load_workbook(path)
errors = []
def expect(condition, what):
    if not condition:
        errors.append(what)

expect(wb.sheetnames == ['Chronology', 'Bad_______Name', 'chronology (2)'], 'sheets %r' % wb.sheetnames)
ws = wb['Chronology']
expect([c.value for c in ws[1]] == ['Date', 'Agency', 'Event', 'Count'], 'headings %r' % [c.value for c in ws[1]])
expect(all(c.font.b for c in ws[1]), 'headings not bold')
for ref, value in [('B2', '=SUM(A1:A2)'), ('C2', '+44 20 7946 0000'), ('B3', '-1'),
                   ('C3', '@user said "hi" & left\nsecond line'), ('B4', welsh)]:
    cell = ws[ref]
    expect(cell.data_type == 's' and cell.value == value, '%s: %r (%s)' % (ref, cell.value, cell.data_type))
    expect(cell.alignment.wrap_text, ref + ' not wrapped')
for ref, date in [('A2', datetime.date(2019, 3, 14)), ('A3', datetime.date(2020, 12, 1)), ('A4', datetime.date(2024, 2, 29))]:
    cell = ws[ref]
    expect(cell.is_date and cell.number_format == 'dd/mm/yyyy' and cell.value.date() == date,
           '%s: %r %r' % (ref, cell.value, cell.number_format))
expect(ws['D2'].value == 3 and ws['D3'].value == 2.5 and ws['D2'].data_type == 'n', 'numbers')
expect(ws['D4'].value is True, 'boolean %r' % ws['D4'].value)
cut = ws['C4'].value
marker = '\u2026 [cut: '
expect(len(cut) <= 32767 and marker in cut and cut.endswith(' characters more, see the Word export]'), 'cut marker')
kept = cut[:cut.index(marker)]
more = int(cut[cut.index(marker) + len(marker):].split(' ')[0])
expect(kept == ('0123456789' * 4000)[:len(kept)] and len(kept) + more == int(long_length), 'cut %d + %d' % (len(kept), more))
expect(ws.freeze_panes == 'A2', 'freeze %r' % ws.freeze_panes)
expect(ws.auto_filter.ref == 'A1:D4', 'autofilter %r' % ws.auto_filter.ref)
expect(abs(ws.column_dimensions['C'].width - 60) < 1, 'width %r' % ws.column_dimensions['C'].width)
# Rows of wrapped text say how tall they are (15 points a line, at most 409), or only the first line shows.
expect(ws.row_dimensions[2].height is None, 'row 2 (one line) height %r' % ws.row_dimensions[2].height)
expect(ws.row_dimensions[3].height == 30, 'row 3 (two lines) height %r' % ws.row_dimensions[3].height)
expect(ws.row_dimensions[4].height == 409, 'row 4 (a cut cell) height %r' % ws.row_dimensions[4].height)
plain = wb['chronology (2)']
expect(plain.freeze_panes is None and plain.auto_filter.ref is None, 'a sheet without headings has no heading row')
expect(plain['A1'].value == 'no headings' and plain['A2'].value == '_x0041_ stays', 'plain %r' % plain['A2'].value)
expect(wb.properties.title == title and wb.properties.creator == author,
       'properties %r %r' % (wb.properties.title, wb.properties.creator))
print('\n'.join(errors) or 'ok')
)PY";

}  // namespace

TEST_CASE("openpyxl reads an .xlsx back: text stays text, dates are dates") {
    TempDir dir;
    const auto path = dir / "sample.xlsx";
    imrdesk::test::write_file(path, imrdesk::test::sample_xlsx(dir.path()));
    if (!imrdesk::test::have_python_module("openpyxl")) {
        MESSAGE("/usr/bin/python3 cannot import openpyxl (python3-openpyxl): skipping");
        return;
    }
    using namespace imrdesk::test;
    const CommandResult result = run_python(dir.path(), check_xlsx_py,
                                            {path.string(), kWelsh, kTitle, kAuthor, std::to_string(long_text().size())});
    CHECK(result.exit_code == 0);
    CHECK(result.output == "ok\n");
}

TEST_CASE("an .xlsx is made in a private directory that is gone afterwards") {
    TempDir parent;
    {
        XlsxWriter book({}, parent.path());
        const auto entries = listing(parent.path());
        REQUIRE(entries.size() == 1);
        CHECK(std::filesystem::is_directory(entries[0]));
        CHECK(mode_of(entries[0]) == 0700);
        CHECK(mode_of(entries[0] / "export.xlsx") == 0600);
        (void)book.add_sheet("S", {"A"}, {10});
        book.write_text(0, 0, "x");
        const std::string bytes = book.finish();
        CHECK(bytes.substr(0, 2) == "PK");
        CHECK(listing(parent.path()).empty());
    }
    CHECK(listing(parent.path()).empty());
    {
        XlsxWriter abandoned({}, parent.path());  // never finished
        (void)abandoned.add_sheet("S", {}, {});
        abandoned.write_text(0, 0, "not written");
    }
    CHECK(listing(parent.path()).empty());
    try {
        XlsxWriter failing({}, parent.path());
        (void)failing.add_sheet("S", {"A"}, {});
        failing.write_text(XlsxWriter::max_sheet_rows, 0, "past the end");  // throws
    } catch (const DocumentWriteError&) {
    }
    CHECK(listing(parent.path()).empty());
    CHECK_THROWS_AS(XlsxWriter({}, parent.path() / "missing"), DocumentWriteError);
}

TEST_CASE("an .xlsx refuses what Excel cannot hold, with a clear error") {
    TempDir parent;
    XlsxWriter book({}, parent.path());
    CHECK_THROWS_AS(book.write_text(0, 0, "before any sheet"), std::logic_error);
    (void)book.add_sheet("S", {"Heading"}, {});
    book.write_text(XlsxWriter::max_sheet_rows - 2, 0, "the last row there is");
    try {
        book.write_text(XlsxWriter::max_sheet_rows - 1, 0, "one too many");
        FAIL("no error past the last row");
    } catch (const DocumentWriteError& error) {
        CHECK(std::string(error.what()) == "sheet 1: data row 1048576 is past Excel's limit of 1048576 rows a sheet");
    }
    CHECK_THROWS_AS(book.write_number(0, XlsxWriter::max_sheet_columns, 1), DocumentWriteError);
    CHECK_THROWS_AS(book.write_date(0, 0, 2023, 2, 29), DocumentWriteError);
    CHECK_THROWS_AS(book.write_date(0, 0, 1899, 12, 31), DocumentWriteError);
    CHECK_THROWS_AS(book.write_number(0, 0, std::nan("")), DocumentWriteError);
    CHECK_THROWS_AS((void)book.add_sheet("T", {}, {300}), DocumentWriteError);
    CHECK(book.truncated_cells() == 0);
    book.write_text(0, 1, imrdesk::test::long_text());
    CHECK(book.truncated_cells() == 1);
    (void)book.finish();
    CHECK_THROWS_AS((void)book.finish(), std::logic_error);
}

TEST_CASE("sheet names are filtered, made valid and unique") {
    TempDir parent;
    XlsxWriter book([](std::string_view text) { return text == "Gwyneth Jones" ? std::string("Adult A") : std::string(text); },
                    parent.path());
    CHECK(book.add_sheet("Gwyneth Jones", {}, {}) == "Adult A");
    CHECK(book.add_sheet("adult a", {}, {}) == "adult a (2)");
    CHECK(book.add_sheet("a/b\\c?d*e:f[g]h", {}, {}) == "a_b_c_d_e_f_g_h");
    CHECK(book.add_sheet("'quoted'", {}, {}) == "quoted");
    CHECK(book.add_sheet("  ", {}, {}) == "Sheet");
    CHECK(book.add_sheet("", {}, {}) == "Sheet (2)");
    CHECK(book.add_sheet("History", {}, {}) == "History (2)");  // reserved by Excel
    CHECK(book.add_sheet("A name that is far longer than Excel allows", {}, {}) == "A name that is far longer than");
    CHECK(book.add_sheet("A name that is far longer than Excel allows too", {}, {}) ==
          "A name that is far longer t (2)");
    CHECK(book.add_sheet("ŴYN", {}, {}) == "ŴYN");
    CHECK(book.add_sheet("ŵyn", {}, {}) == "ŵyn (2)");  // unique without regard to case, beyond ASCII too
    CHECK(book.add_sheet("🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂", {}, {}) == "🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂");
    CHECK(book.add_sheet("tab\tnew\nline\x01", {}, {}) == "tab new line");
    (void)book.finish();
}

TEST_CASE("the text filter reaches every part of an .xlsx") {
    TempDir parent;
    const auto pseudonymise = [](std::string_view text) {
        std::string out(text);
        for (auto at = out.find("Gwyneth Jones"); at != std::string::npos; at = out.find("Gwyneth Jones")) {
            out.replace(at, 13, "Adult A");
        }
        return out;
    };
    XlsxWriter book(pseudonymise, parent.path());
    book.set_properties({"Gwyneth Jones", "Gwyneth Jones", "Gwyneth Jones", "Gwyneth Jones", "Gwyneth Jones"});
    (void)book.add_sheet("Gwyneth Jones", {"About Gwyneth Jones"}, {});
    book.write_text(0, 0, "Visit to Gwyneth Jones");
    book.write_text(1, 0, "_x0041_ is not an 'A'");
    const auto parts = imrdesk::test::unzip(book.finish());
    bool found = false;
    for (const auto& [name, content] : parts) {
        CHECK_MESSAGE(content.find("Gwyneth") == std::string::npos, name);
        found = found || content.find("Adult A") != std::string::npos;
    }
    CHECK(found);
    CHECK(parts.at("xl/workbook.xml").find("name=\"Adult A\"") != std::string::npos);
    CHECK(parts.at("docProps/core.xml").find("<dc:title>Adult A</dc:title>") != std::string::npos);
    // Excel's own escape, "_xHHHH_", is escaped in turn so that the text comes back as written.
    CHECK(parts.at("xl/sharedStrings.xml").find("_x005F_x0041_ is not") != std::string::npos);
}
