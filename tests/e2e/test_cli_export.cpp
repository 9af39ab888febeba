// imrdesk-cli exports opened by real clients: python-docx and openpyxl read the Word and Excel
// files, LibreOffice turns the Word document into a PDF whose text pdftotext reads; anonymised
// exports leave no registered name in any part of the file; the names register end to end.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"
#include "shell.hpp"

using namespace imrdesk::test;
using nlohmann::json;

namespace {

// The text every export must carry unchanged: XML specials, a tab, lines, Welsh and an emoji.
const std::string kSummary =
    "Mr Quillfeather's son <said> \"it's fine\" & left.\tTabbed.\nA second line.\n\nA second paragraph: Gw\xC5\xB5yn "
    "\xF0\x9F\x99\x82 =SUM(A1)";

struct Imr {
    Cli cli;
    std::string id;
    Imr() {
        cli.create_profile();
        id = cli.create_imr();
        write_file(cli.dir / "summary.txt", kSummary);
        cli.ok({"section", "set", id, "summary", "--file", (cli.dir / "summary.txt").string()});
        cli.ok({"chronology", "add", id, "--date", "14/03/2024", "--time", "09:40", "--source", "GP record <1184>",
                "--event", "Seen with Mr Quillfeather's son & daughter.\nSecond line.", "--comment", "=1+1",
                "--missed-opportunity"});
        cli.ok({"chronology", "add", id, "--date", "03/2024", "--source", "Police STORM 0412", "--event",
                "QUILLFEATHER not at home; neighbour called", "--action", "Welfare check"});
        cli.ok({"chronology", "add", id, "--date", "c. 2023", "--source", "Interview", "--event", "Recalled a fall"});
    }
};

bool file_has(const std::filesystem::path& path, const std::string& needle) {
    return read_file(path).find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("cli export: the IMR as Word, read back by python-docx and by LibreOffice") {
    if (!have("/usr/bin/python3 -c 'import docx'")) {
        MESSAGE("python3-docx is not installed (scripts/install-deps.sh installs it): skipping");
        return;
    }
    Imr imr;
    auto& cli = imr.cli;
    const auto file = cli.dir / "imr.docx";
    auto r = cli.run({"imr", "export", imr.id, "-o", file.string(), "--marking", "OFFICIAL-SENSITIVE PERSONAL"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("NOT encrypted") != std::string::npos);
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    const auto doc = json::parse(run_capture("/usr/bin/python3 " + script("check_docx.py") + " '" + file.string() + "'"));
    auto paragraph = [&](const std::string& text) -> json {
        for (const auto& p : doc["paragraphs"])
            if (p["text"] == text) return p;
        return nullptr;
    };
    CHECK(paragraph("Individual Management Review")["style"] == "Title");
    CHECK(paragraph("Summary")["style"] == "Heading 1");
    CHECK(paragraph("Analysis of involvement")["style"] == "Heading 1");
    CHECK(paragraph("Empowerment")["style"] == "Heading 2");
    CHECK(paragraph("Chronology of agency involvement")["style"] == "Heading 1");
    // Paragraphs, line breaks and tabs as written; XML specials, Welsh and emoji unchanged.
    CHECK(paragraph("Mr Quillfeather's son <said> \"it's fine\" & left.\tTabbed.\nA second line.") != nullptr);
    CHECK(paragraph("A second paragraph: Gw\xC5\xB5yn \xF0\x9F\x99\x82 =SUM(A1)") != nullptr);
    // Guidance text is left out.
    for (const auto& p : doc["paragraphs"])
        CHECK(p["text"].get<std::string>().find("Provide a brief factual and contextual summary") == std::string::npos);

    // The chronology: every entry, the heading row repeated, in a landscape section.
    const json* chronology = nullptr;
    for (const auto& t : doc["tables"])
        if (t[0]["cells"][0] == "No.") chronology = &t;
    REQUIRE(chronology != nullptr);
    REQUIRE(chronology->size() == 4);
    CHECK((*chronology)[0]["header"] == true);
    CHECK((*chronology)[1]["cells"][0] == "C1");
    CHECK((*chronology)[1]["cells"][1] == "circa 2023");
    bool found_event = false;
    for (const auto& row : *chronology)
        for (const auto& c : row["cells"]) found_event = found_event || c == "Seen with Mr Quillfeather's son & daughter.\nSecond line.";
    CHECK(found_event);
    bool landscape = false;
    for (const auto& s : doc["sections"]) {
        landscape = landscape || s["landscape"] == true;
        CHECK(s["header"] == "OFFICIAL-SENSITIVE PERSONAL");
        CHECK(s["footer_has_page_field"] == true);
        CHECK(s["footer"].get<std::string>().find("SAR 2026-03") != std::string::npos);
    }
    CHECK(landscape);
    CHECK(doc["title"].get<std::string>().find("Northshire NHS Trust") != std::string::npos);

    if (!have("command -v soffice") || !have("command -v pdftotext")) {
        MESSAGE("LibreOffice or poppler-utils is not installed: skipping the PDF check");
        return;
    }
    const std::string lo = "soffice --headless --norestore -env:UserInstallation=file://" + (cli.dir / "lo").string();
    run_capture(lo + " --convert-to pdf --outdir '" + cli.dir.path().string() + "' '" + file.string() + "' 2>&1");
    const auto text = run_capture("pdftotext -layout '" + (cli.dir / "imr.pdf").string() + "' -");
    CHECK(text.find("Individual Management Review") != std::string::npos);
    CHECK(text.find("OFFICIAL-SENSITIVE PERSONAL") != std::string::npos);
    CHECK(text.find("Page 1 of") != std::string::npos);
    CHECK(text.find("Welfare check") != std::string::npos);
    CHECK(text.find("Recommendations for action") != std::string::npos);
}

TEST_CASE("cli export: the chronology as Excel, read back by openpyxl: dates are dates, text is never a formula") {
    if (!have("/usr/bin/python3 -c 'import openpyxl'")) {
        MESSAGE("python3-openpyxl is not installed: skipping");
        return;
    }
    Imr imr;
    const auto file = imr.cli.dir / "chronology.xlsx";
    imr.cli.ok({"chronology", "export", imr.id, "--format", "xlsx", "-o", file.string()});
    const auto book = json::parse(run_capture("/usr/bin/python3 " + script("check_xlsx.py") + " '" + file.string() + "'"));
    CHECK(book["freeze"] == "A2");
    CHECK(book["filter"].get<std::string>().rfind("A1:", 0) == 0);
    const auto& rows = book["rows"];
    REQUIRE(rows.size() == 4);
    CHECK(rows[0][1]["value"] == "Date (sortable)");
    CHECK(rows[0][2]["value"] == "Date as written");
    // Entries in date order: c. 2023, 03/2024, 14/03/2024.
    CHECK(rows[1][1]["is_date"] == true);
    CHECK(rows[1][1]["value"] == "2023-01-01");
    CHECK(rows[1][2]["value"] == "c. 2023");
    CHECK(rows[3][1]["value"] == "2024-03-14");
    CHECK(rows[3][1]["format"] == "dd/mm/yyyy");
    CHECK(rows[3][3]["value"] == "09:40");
    CHECK(rows[3][7]["value"] == "Seen with Mr Quillfeather's son & daughter.\nSecond line.");
    CHECK(rows[3][12]["value"] == "=1+1");  // a comment that looks like a formula stays text
    CHECK(rows[3][12]["type"] == "s");
    CHECK(rows[3][14]["value"] == "Yes");   // missed opportunity

    // The same chronology as a Word table and as CSV.
    const auto docx_file = imr.cli.dir / "chronology.docx";
    imr.cli.ok({"chronology", "export", imr.id, "--format", "docx", "-o", docx_file.string()});
    if (have("/usr/bin/python3 -c 'import docx'")) {
        const auto doc = json::parse(run_capture("/usr/bin/python3 " + script("check_docx.py") + " '" + docx_file.string() + "'"));
        REQUIRE(doc["tables"].size() >= 1);
        CHECK(doc["tables"][0].size() == 4);
        CHECK(doc["sections"][0]["landscape"] == true);
    }
    auto r = imr.cli.run({"chronology", "export", imr.id, "--format", "xlsx"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("-o FILE.xlsx") != std::string::npos);
}

TEST_CASE("cli names and anonymised exports: no registered name is left in any part of any file") {
    Imr imr;
    auto& cli = imr.cli;
    // The scan finds the names before any is registered.
    auto scan = cli.ok({"names", "scan", imr.id});
    CHECK(scan.find("'Mr Quillfeather' is not registered: a title followed by a name") != std::string::npos);
    CHECK(scan.find("proposed: the adult 'Adult A'") == std::string::npos);  // already a pseudonym

    // An anonymised export is refused while likely names are not registered, and says which.
    const auto docx_file = cli.dir / "anon.docx";
    auto r = cli.run({"imr", "export", imr.id, "-o", docx_file.string(), "--anonymised"});
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("'Mr Quillfeather' is not registered") != std::string::npos);
    CHECK(r.err.find("nothing was exported") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(docx_file));

    cli.ok({"names", "add", imr.id, "--name", "Mr Quillfeather", "--pseudonym", "Adult B"});
    cli.ok({"names", "add", imr.id, "--name", "Quillfeather", "--pseudonym", "Adult B"});
    r = cli.run({"names", "add", imr.id, "--name", "Dr Who", "--pseudonym", "Quillfeather"});
    CHECK(r.exit_code == 5);  // a pseudonym that is a registered real name
    const auto list = json::parse(cli.ok({"names", "list", imr.id, "--json"}));
    REQUIRE(list.size() == 2);
    CHECK(list[0]["real_name"] == "Mr Quillfeather");
    CHECK(list[0]["pseudonym"] == "Adult B");
    scan = cli.ok({"names", "scan", imr.id});
    CHECK(scan.find("section summary: 'Mr Quillfeather' -> Adult B") != std::string::npos);
    CHECK(scan.find("chronology") != std::string::npos);
    CHECK(scan.find("'QUILLFEATHER' -> Adult B") != std::string::npos);
    CHECK(scan.find("0 not registered") != std::string::npos);

    const auto xlsx_file = cli.dir / "anon.xlsx";
    const auto chronology_docx = cli.dir / "anon-chronology.docx";
    cli.ok({"imr", "export", imr.id, "-o", docx_file.string(), "--anonymised"});
    cli.ok({"chronology", "export", imr.id, "--format", "xlsx", "-o", xlsx_file.string(), "--anonymised"});
    cli.ok({"chronology", "export", imr.id, "--format", "docx", "-o", chronology_docx.string(), "--anonymised"});
    const auto csv = cli.ok({"chronology", "export", imr.id, "--anonymised"});
    const auto json_text = cli.ok({"chronology", "export", imr.id, "--format", "json", "--anonymised"});
    CHECK(csv.find("Quillfeather") == std::string::npos);
    CHECK(csv.find("Adult B's son") != std::string::npos);
    CHECK(json_text.find("Quillfeather") == std::string::npos);

    // Every part of each zip, unpacked: no registered name, in any case.
    for (const auto& file : {docx_file, xlsx_file, chronology_docx}) {
        CAPTURE(file);
        const auto dir = cli.dir / (file.stem().string() + "-parts");
        std::filesystem::create_directories(dir);
        run_capture("cd '" + dir.string() + "' && /usr/bin/python3 -c 'import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall()' '" +
                    file.string() + "'");
        std::size_t parts = 0;
        for (const auto& part : std::filesystem::recursive_directory_iterator(dir)) {
            if (!part.is_regular_file()) continue;
            ++parts;
            std::string text = read_file(part.path());
            for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            CHECK_MESSAGE(text.find("quillfeather") == std::string::npos, part.path());
        }
        CHECK(parts >= 5);
    }
    CHECK(file_has(cli.dir / "anon-parts" / "word" / "document.xml", "Adult B&apos;s son"));

    // The audit trail says what left, where, and whether anonymised.
    const auto audit = cli.ok({"audit"});
    CHECK(audit.find("imr.exported") != std::string::npos);
    CHECK(audit.find("\"anonymised\":true") != std::string::npos);

    cli.ok({"names", "remove", imr.id, "quillfeather"});
    CHECK(json::parse(cli.ok({"names", "list", imr.id, "--json"})).size() == 1);
    r = cli.run({"names", "remove", imr.id, "Nobody"});
    CHECK(r.exit_code == 5);
}
