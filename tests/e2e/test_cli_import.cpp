// Chronology import through imrdesk-cli with files real programs wrote: LibreOffice's Windows-1252,
// UTF-16 and .xlsx output of one board template, semicolons and tabs, extra columns kept, the
// author's --map and --ignore, and files of the wrong kind refused with what to do instead.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "cli_fixture.hpp"

using namespace imrdesk::test;
using nlohmann::json;

namespace {

// A board template's headings, with text that every encoding must carry: £, é, quotes, a newline.
const std::string kTemplateCsv =
    "Date (dd/mm/yyyy),Time (24hr),Agency,Type of contact,Source of information,Information,"
    "Action taken / outcome,Comments/Analysis,Location\n"
    "14/03/2024,09:40,Northshire Police,Telephone,STORM 0412,\"Caf\xC3\xA9 \xC2\xA3\"\"5\"\" call\nsecond line\","
    "Attended,Missed,Mill Lane\n"
    "15/03/2024,,Adult Social Care,Home visit,Mosaic 88,Visit,None,,\n";

bool have_soffice() { return std::system("command -v soffice >/dev/null 2>&1") == 0; }

// LibreOffice converts `input` with a throwaway profile; the converted file's path.
std::filesystem::path soffice(const TempDir& dir, const std::filesystem::path& input, const std::string& filter,
                              const std::string& out_name) {
    const auto out_dir = dir / ("lo-" + out_name);
    std::filesystem::create_directories(out_dir);
    // Every column read as text (format 2), UTF-8 (76), comma and quote, en-GB (2057).
    const std::string command = "soffice --headless --norestore -env:UserInstallation=file://" + (dir / "lo-profile").string() +
                                " '--infilter=CSV:44,34,76,1,1/2/2/2/3/2/4/2/5/2/6/2/7/2/8/2/9/2,2057' --convert-to '" +
                                filter + "' --outdir '" + out_dir.string() + "' '" + input.string() + "' >/dev/null 2>&1";
    REQUIRE_MESSAGE(std::system(command.c_str()) == 0, command);
    for (const auto& entry : std::filesystem::directory_iterator(out_dir)) return entry.path();
    FAIL("LibreOffice wrote nothing: " << command);
    return {};
}

json entries_of(Cli& cli, const std::string& imr) { return json::parse(cli.ok({"chronology", "export", imr, "--format", "json"})); }

void check_template_entries(const json& entries, bool full_unicode) {
    REQUIRE(entries.size() == 2);
    const auto& a = entries[0];
    CHECK(a["date"] == "2024-03-14");
    CHECK(a["time"] == "09:40");
    CHECK(a["agency"] == "Northshire Police");
    CHECK(a["contact_type"] == "Telephone");
    CHECK(a["source"] == "STORM 0412");
    CHECK(a["event"].get<std::string>().starts_with("Caf\xC3\xA9 \xC2\xA3\"5\" call"));
    CHECK(a["event"].get<std::string>().find("\nsecond line") != std::string::npos);
    CHECK(a["action"] == "Attended");
    CHECK(a["comment"] == "Missed");
    CHECK(a["extra_fields"] == json::parse(R"([{"name":"Location","value":"Mill Lane"}])"));
    CHECK(entries[1]["agency"] == "Adult Social Care");
    CHECK_FALSE(entries[1].contains("extra_fields"));
    (void)full_unicode;
}

}  // namespace

TEST_CASE("cli import: a board template saved by LibreOffice as Windows-1252, UTF-16 and .xlsx gives the same entries") {
    if (!have_soffice()) {
        MESSAGE("soffice is not installed (scripts/install-deps.sh installs it): skipping");
        return;
    }
    Cli cli;
    cli.create_profile();
    write_file(cli.dir / "template.csv", kTemplateCsv);

    struct Case {
        std::string filter, name, expect_read_as;
    };
    const Case cases[] = {
        {"csv:Text - txt - csv (StarCalc):59,34,1", "windows-1252", "CSV, Windows-1252 (not valid UTF-8), converted to UTF-8, semicolon-separated"},
        {"csv:Text - txt - csv (StarCalc):9,34,65535", "utf-16", "CSV, UTF-16 LE with a byte-order mark, converted to UTF-8, tab-separated"},
        {"xlsx", "xlsx", "Excel workbook, sheet 'template'"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        const auto file = soffice(cli.dir, cli.dir / "template.csv", c.filter, c.name);
        const auto imr = cli.create_imr();
        auto r = cli.run({"chronology", "import", imr, file.string(), "--dry-run"});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.err.find(c.expect_read_as) != std::string::npos);
        CHECK(r.err.find("column I 'Location' -> kept as its own field 'Location'") != std::string::npos);
        CHECK(r.err.find("column A 'Date (dd/mm/yyyy)' -> Date") != std::string::npos);
        CHECK(entries_of(cli, imr).empty());  // a dry run writes nothing
        CHECK(cli.ok({"chronology", "import", imr, file.string()}).find("2 entries imported") != std::string::npos);
        check_template_entries(entries_of(cli, imr), c.name != "windows-1252");
    }
}

TEST_CASE("cli import: extra fields are exported and re-imported, --map and --ignore decide, the dry run shows it") {
    Cli cli;
    cli.create_profile();
    const auto imr = cli.create_imr();
    write_file(cli.dir / "notes.csv",
               "When;Where from;What;Notes;Internal code\n"
               "14/03/2024;GP record;Seen;Chased;X-1\n"
               "15/03/2024;GP record;Phoned;;X-2\n");
    auto r = cli.run({"chronology", "import", imr, (cli.dir / "notes.csv").string()});
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("no column is the Source of information or the Event / contact details") != std::string::npos);
    CHECK(r.err.find("--map 'Heading=source'") != std::string::npos);

    r = cli.run({"chronology", "import", imr, (cli.dir / "notes.csv").string(), "--map", "Where from=source", "--map",
                 "What=event", "--ignore", "internal code", "--dry-run"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("column B 'Where from' -> Source of information (2 rows with text) [chosen]") != std::string::npos);
    CHECK(r.err.find("column E 'Internal code' -> not imported [chosen]") != std::string::npos);
    CHECK(r.err.find("semicolon-separated") != std::string::npos);
    CHECK(r.out.find("2 rows: 2 valid, 0 invalid; nothing written") != std::string::npos);

    cli.ok({"chronology", "import", imr, (cli.dir / "notes.csv").string(), "--map", "Where from=source", "--map", "What=event",
            "--map", "Notes=extra"});
    const auto entries = entries_of(cli, imr);
    REQUIRE(entries.size() == 2);
    CHECK(entries[0]["extra_fields"] == json::parse(R"([{"name":"Notes","value":"Chased"},{"name":"Internal code","value":"X-1"}])"));
    CHECK(entries[1]["extra_fields"] == json::parse(R"([{"name":"Internal code","value":"X-2"}])"));

    // The export carries them as columns of their own, and a re-import gives them back.
    const auto exported = cli.ok({"chronology", "export", imr});
    CHECK(exported.find("Notes,Internal code\r\n") != std::string::npos);
    write_file(cli.dir / "exported.csv", exported);
    const auto second = cli.create_imr();
    cli.ok({"chronology", "import", second, (cli.dir / "exported.csv").string()});
    CHECK(cli.ok({"chronology", "export", second}) == exported);

    // A forced separator or encoding is used as given.
    r = cli.run({"chronology", "import", imr, (cli.dir / "notes.csv").string(), "--delimiter", ",", "--dry-run"});
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("comma-separated (as chosen)") != std::string::npos);
    r = cli.run({"chronology", "import", imr, (cli.dir / "notes.csv").string(), "--encoding", "latin9"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("use utf-8, windows-1252 or utf-16") != std::string::npos);
    r = cli.run({"chronology", "import", imr, (cli.dir / "notes.csv").string(), "--map", "Where from"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("write it as 'Heading=field'") != std::string::npos);
}

TEST_CASE("cli import: files that are not a chronology say what they are and what to do") {
    Cli cli;
    cli.create_profile();
    const auto imr = cli.create_imr();
    auto refused = [&](const std::filesystem::path& path, const std::string& expected, int code = 5) {
        CAPTURE(path);
        const auto r = cli.run({"chronology", "import", imr, path.string()});
        CHECK(r.exit_code == code);
        CHECK_MESSAGE(r.err.find(expected) != std::string::npos, r.err);
    };
    write_file(cli.dir / "old.xls", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
    refused(cli.dir / "old.xls", "Excel 97-2003 workbook (.xls)");
    refused(cli.dir / "old.xls", "Save As > \"Excel Workbook (.xlsx)\"");
    write_file(cli.dir / "report.pdf", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
    refused(cli.dir / "report.pdf", "a PDF document: only CSV files and Excel workbooks (.xlsx) can be imported");
    refused("/dev/zero", "/dev/zero: it is a device, not a file");
    refused(cli.dir.path(), "it is a folder");
    refused(cli.dir / "nothing-here.csv", "no such file", 2);
    const auto fifo = cli.dir / "pipe.csv";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    refused(fifo, "it is a pipe, not a file");
    write_file(cli.dir / "bad-1252.csv", "Date,Source,Event\n14/03/2024,GP,\x81odd\n");
    refused(cli.dir / "bad-1252.csv", "line 2: byte 0x81 is neither UTF-8 nor a Windows-1252 character");
    write_file(cli.dir / "truncated.xlsx", std::string("PK\x03\x04\x14\x00\x00\x00", 8) + "garbage");
    refused(cli.dir / "truncated.xlsx", "truncated.xlsx: this is");
    if (have_soffice()) {
        write_file(cli.dir / "template.csv", kTemplateCsv);
        refused(soffice(cli.dir, cli.dir / "template.csv", "ods", "ods"), "OpenDocument spreadsheet (.ods)");
        const auto xlsx = soffice(cli.dir, cli.dir / "template.csv", "xlsx", "xlsx");
        const auto r = cli.run({"chronology", "import", imr, xlsx.string(), "--sheet", "Missing"});
        CHECK(r.exit_code == 5);
        CHECK(r.err.find("Missing") != std::string::npos);
        CHECK(r.err.find("template") != std::string::npos);  // the sheets there are
    }
}
