// Workbooks and documents made by a real office suite (LibreOffice, when installed), and
// sniffing what kind of file the user picked.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "imrdesk/docformats/file_kind.hpp"
#include "imrdesk/docformats/xlsx.hpp"
#include "temp_dir.hpp"
#include "zip_builder.hpp"

using imrdesk::docformats::describe;
using imrdesk::docformats::FileKind;
using imrdesk::docformats::read_xlsx_sheet;
using imrdesk::docformats::Sheet;
using imrdesk::docformats::sniff_file_kind;
using imrdesk::docformats::xlsx_sheet_names;
using imrdesk::test::read_file;
using imrdesk::test::TempDir;
using imrdesk::test::write_file;

namespace {

using Cells = std::vector<std::string>;

bool have_soffice() { return std::system("command -v soffice >/dev/null 2>&1") == 0; }

// Converts input into format in out_dir with a throwaway LibreOffice profile; the path of the
// converted file, or empty on failure.
std::filesystem::path convert(const TempDir& dir, const std::filesystem::path& input, const std::string& format,
                              const std::string& infilter = {}) {
    const std::filesystem::path out_dir = dir / ("out-" + format);
    std::filesystem::create_directories(out_dir);
    std::string command = "soffice --headless --norestore -env:UserInstallation=file://" + (dir / "lo-profile").string() +
                          " --convert-to " + format;
    if (!infilter.empty()) command += " '--infilter=" + infilter + "'";
    command += " --outdir '" + out_dir.string() + "' '" + input.string() + "' >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) return {};
    const std::filesystem::path output = out_dir / (input.stem().string() + "." + format);
    return std::filesystem::exists(output) ? output : std::filesystem::path{};
}

}  // namespace

TEST_CASE("workbooks and documents converted by LibreOffice") {
    if (!have_soffice()) {
        MESSAGE("soffice is not installed: skipping the LibreOffice round trip");
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    TempDir dir;
    const std::filesystem::path csv = dir / "chronology.csv";
    write_file(csv,
               "Date,Time,Agency,Event\n"
               "14/03/2019,14/03/2019 09:40,Café £5,\"Home visit to Gŵyn 🙂\nsecond line\"\n"
               "01/12/2020,,Adult Social Care,Review\n");
    // Comma, double quote, UTF-8, from line 1, default column formats, en-GB (dd/mm dates),
    // quoted fields not forced to text, special numbers (dates) detected.
    const std::filesystem::path xlsx = convert(dir, csv, "xlsx", "CSV:44,34,76,1,,2057,false,true");
    REQUIRE_MESSAGE(!xlsx.empty(), "soffice did not convert the CSV to xlsx");
    const std::string bytes = read_file(xlsx);
    CHECK(sniff_file_kind(bytes) == FileKind::Xlsx);
    CHECK(xlsx_sheet_names(bytes) == std::vector<std::string>{"chronology"});
    const Sheet sheet = read_xlsx_sheet(bytes);
    REQUIRE(sheet.rows.size() == 3);
    CHECK(sheet.rows[0].row == 1);
    CHECK(sheet.rows[0].cells == Cells{"Date", "Time", "Agency", "Event"});
    CHECK(sheet.rows[1].cells == Cells{"2019-03-14", "2019-03-14 09:40", "Café £5", "Home visit to Gŵyn 🙂\nsecond line"});
    CHECK(sheet.rows[2].cells == Cells{"2020-12-01", "", "Adult Social Care", "Review"});

    const std::filesystem::path ods = convert(dir, csv, "ods", "CSV:44,34,76,1,,2057,false,true");
    REQUIRE(!ods.empty());
    CHECK(sniff_file_kind(read_file(ods)) == FileKind::Ods);
    CHECK_THROWS_AS((void)read_xlsx_sheet(read_file(ods)), imrdesk::docformats::XlsxError);

    const std::filesystem::path text = dir / "letter.txt";
    write_file(text, "Dear panel,\nThe chronology follows.\n");
    const std::filesystem::path docx = convert(dir, text, "docx");
    const std::filesystem::path odt = convert(dir, text, "odt");
    REQUIRE(!docx.empty());
    REQUIRE(!odt.empty());
    CHECK(sniff_file_kind(read_file(docx)) == FileKind::Docx);
    CHECK(sniff_file_kind(read_file(odt)) == FileKind::Odt);
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    MESSAGE("LibreOffice conversions took " << seconds << " s");
}

TEST_CASE("sniffing files by their magic bytes and parts") {
    using namespace std::string_literals;
    CHECK(sniff_file_kind(imrdesk::test::TestWorkbook{{{"S", {}, {}}}, {}, {}, {}, false}.build()) == FileKind::Xlsx);
    CHECK(sniff_file_kind("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"s + std::string(504, '\0')) == FileKind::Xls);
    CHECK(sniff_file_kind("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n") == FileKind::Pdf);
    CHECK(sniff_file_kind("\xFF\xFE" "D\0a\0t\0e\0,\0\n\0"s) == FileKind::Text);
    CHECK(sniff_file_kind("\xFE\xFF" "\0D\0a\0t\0e"s) == FileKind::Text);
    CHECK(sniff_file_kind("Date,Event\n14/03/2019,Visit to Café £5 🙂\n") == FileKind::Text);
    CHECK(sniff_file_kind("\xEF\xBB\xBF" "Date\r\n") == FileKind::Text);
    CHECK(sniff_file_kind("Caf\xE9 \xA3" "5\n") == FileKind::Text);  // Windows-1252 is still text
    CHECK(sniff_file_kind("") == FileKind::Text);
    CHECK(sniff_file_kind("abc\0def"s) == FileKind::Binary);
    CHECK(sniff_file_kind("\x7F" "ELF\x02\x01\x01\x03\x04\x05\x06"s) == FileKind::Binary);
    CHECK(sniff_file_kind(imrdesk::test::make_zip({{"word/document.xml", "<w:document/>"}})) == FileKind::Docx);
    CHECK(sniff_file_kind(imrdesk::test::make_zip({{"mimetype", "application/vnd.oasis.opendocument.text"}})) ==
          FileKind::Odt);
    CHECK(sniff_file_kind(imrdesk::test::make_zip({{"photo.jpg", "\xFF\xD8"}})) == FileKind::OtherZip);
    CHECK(sniff_file_kind("PK\x03\x04 truncated"s) == FileKind::OtherZip);
    CHECK(describe(FileKind::Xlsx) == "an Excel workbook (.xlsx)");
    CHECK(describe(FileKind::Xls) == "an old Excel 97-2003 workbook (.xls) or Word document (.doc)");
}
