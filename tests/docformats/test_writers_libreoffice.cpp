// LibreOffice opens what the writers produce: .docx to PDF (read back with poppler), .xlsx to
// CSV. Conversions are grouped, one soffice run per output format, since each costs seconds.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "office_tools.hpp"
#include "sample_documents.hpp"
#include "temp_dir.hpp"

using imrdesk::test::CommandResult;
using imrdesk::test::run_command;
using imrdesk::test::TempDir;

namespace {

int pdf_pages(const std::filesystem::path& pdf) {
    const CommandResult info = run_command("pdfinfo '" + pdf.string() + "'");
    const auto at = info.output.find("Pages:");
    return at == std::string::npos ? 0 : std::stoi(info.output.substr(at + 6));
}

std::string pdf_text(const std::filesystem::path& pdf) {
    return run_command("pdftotext -layout '" + pdf.string() + "' -").output;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("LibreOffice opens the documents the writers make") {
    if (!imrdesk::test::have_soffice() || !imrdesk::test::have_poppler()) {
        MESSAGE("soffice or poppler-utils is not installed: skipping the LibreOffice checks");
        return;
    }
    TempDir dir;
    const auto sample = dir / "sample.docx";
    const auto large = dir / "large.docx";
    const auto workbook = dir / "sample.xlsx";
    double finish_seconds = 0;
    double total_seconds = 0;
    // LibreOffice 7.4 lays out a long table in time that grows faster than linearly: 1,000 rows
    // take about 1 s, 2,000 rows 5 s, 10,000 rows about 8 minutes on a shared 2-core machine. The
    // 10,000-row conversion is therefore opt-in (IMRDESK_SLOW_TESTS=1).
    const bool slow = std::getenv("IMRDESK_SLOW_TESTS") != nullptr;
    const std::size_t rows = slow ? 10'000 : 1'000;
    imrdesk::test::write_file(sample, imrdesk::test::sample_docx());
    imrdesk::test::write_file(large, imrdesk::test::large_docx(rows, finish_seconds, total_seconds));
    imrdesk::test::write_file(workbook, imrdesk::test::sample_xlsx(dir.path()));

    auto started = std::chrono::steady_clock::now();
    const auto pdfs = imrdesk::test::soffice_convert(dir.path(), {sample, large}, "pdf");
    MESSAGE("LibreOffice: the sample and a " << rows << "-row .docx to PDF in " << seconds_since(started) << " s"
                                              << std::string(slow ? "" : " (IMRDESK_SLOW_TESTS=1 for 10,000 rows)"));
    REQUIRE_MESSAGE(!pdfs[0].empty(), "soffice did not convert the sample .docx");
    const std::string text = pdf_text(pdfs[0]);
    for (const char* expected : {"Individual Management Review", "1. Introduction", "1.1 Chronology",
                                 "2. Landscape section", "2.1 After the break", "Page 1 of", "OFFICIAL-SENSITIVE",
                                 "SAR Adult A: IMR of the Trust", "Last row cell 50", "Event in row 49",
                                 "Tom & Jerry <b>\"quoted\" 'single'</b> > end", "Gŵyn ŷ Ŵ Ŷ"}) {
        CHECK_MESSAGE(text.find(expected) != std::string::npos, expected);
    }
    const int pages = pdf_pages(pdfs[0]);
    CHECK(pages >= 3);
    CHECK(text.find("Page " + std::to_string(pages) + " of " + std::to_string(pages)) != std::string::npos);

    REQUIRE_MESSAGE(!pdfs[1].empty(), "soffice did not convert the large .docx");
    const std::string large_text = pdf_text(pdfs[1]);
    CHECK(large_text.find("Row " + std::to_string(rows) + ": home visit") != std::string::npos);
    CHECK(pdf_pages(pdfs[1]) > static_cast<int>(rows / 50));

    started = std::chrono::steady_clock::now();
    const auto csvs = imrdesk::test::soffice_convert(dir.path(), {workbook}, "csv:Text - txt - csv (StarCalc):44,34,76,1");
    MESSAGE("LibreOffice: .xlsx to CSV in " << seconds_since(started) << " s");
    REQUIRE_MESSAGE(!csvs[0].empty(), "soffice did not convert the .xlsx");
    const std::string csv = imrdesk::test::read_file(csvs[0]);
    const std::string cut = imrdesk::test::long_text().substr(0, 32'767 - 51) + "… [cut: 7284 characters more, see the Word export]";
    // LibreOffice quotes text cells, so numbers, dates and booleans show as such.
    const std::string expected = "\"Date\",\"Agency\",\"Event\",\"Count\"\n"
                                 "14/03/2019,\"=SUM(A1:A2)\",\"+44 20 7946 0000\",3\n"
                                 "01/12/2020,\"-1\",\"@user said \"\"hi\"\" & left\nsecond line\",2.5\n"
                                 "29/02/2024,\"" + imrdesk::test::kWelsh + "\",\"" + cut + "\",TRUE\n";
    CHECK(csv.substr(0, 200) == expected.substr(0, 200));
    CHECK(csv == expected);
}
