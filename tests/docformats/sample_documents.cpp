#include "sample_documents.hpp"

#include <chrono>

#include "imrdesk/docformats/docx_writer.hpp"
#include "imrdesk/docformats/xlsx_writer.hpp"

namespace imrdesk::test {

using docformats::DocxWriter;
using docformats::ParagraphStyle;
using docformats::Run;
using docformats::Table;
using docformats::TableCell;

namespace {

TableCell cell(std::string text) { return TableCell{{{Run{std::move(text)}}}, std::nullopt}; }

}  // namespace

std::string sample_docx() {
    DocxWriter doc;
    doc.set_properties({kTitle, "Safeguarding Adults Review", kAuthor, "IMR; SAR", "Draft <1> & more"});
    doc.set_marking(kMarking);
    doc.set_footer_text(kFooter);
    doc.paragraph(ParagraphStyle::Title, "Individual Management Review");
    doc.paragraph(ParagraphStyle::Subtitle, "Draft for the panel");
    doc.paragraph(ParagraphStyle::Heading1, "1. Introduction");
    doc.paragraph(ParagraphStyle::Normal, std::vector<Run>{{"Line one\nLine two\tTabbed ", false, false},
                                                           {"bold part", true, false},
                                                           {" and italic", false, true}});
    doc.paragraph(ParagraphStyle::Normal, kSpecials);
    doc.paragraph(ParagraphStyle::Normal, kWelsh);
    doc.paragraph(ParagraphStyle::Normal, "First para\n\n  \nSecond para\r\nstill second");
    doc.paragraph(ParagraphStyle::Heading2, "1.1 Chronology");
    doc.paragraph(ParagraphStyle::ListBullet, "A bullet point");
    doc.paragraph(ParagraphStyle::Caption, "Table 1: contacts");
    Table table;
    table.header = {"Date", "Agency", "Event"};
    table.column_widths_cm = {3, 4, 10};
    for (int r = 1; r <= 50; ++r) {
        const std::string n = std::to_string(r);
        table.rows.push_back({cell("2019-03-" + n), cell("Agency " + n), cell("Event in row " + n)});
    }
    table.rows.back()[2] = TableCell{{{Run{"Last row cell 50"}}, {Run{"second paragraph", true}}}, "FFF2CC"};
    doc.table(table);
    doc.paragraph(ParagraphStyle::Small, "Small print after the table");
    doc.section(true);
    doc.paragraph(ParagraphStyle::Heading1, "2. Landscape section");
    Table wide;
    wide.header = {"One", "Two"};
    wide.column_widths_cm = {20, 20};  // wider than the page: scaled to fit
    wide.rows_may_split = false;
    wide.rows.push_back({cell("wide left"), cell("wide right")});
    doc.table(wide);
    doc.table(wide);  // two tables in a row stay two tables
    doc.page_break();
    doc.paragraph(ParagraphStyle::Heading3, "2.1 After the break");
    return doc.finish();
}

std::string large_docx(std::size_t rows, double& seconds_to_finish, double& seconds_total) {
    Table table;
    table.header = {"Date", "Agency", "Event"};
    table.rows.reserve(rows);
    for (std::size_t r = 1; r <= rows; ++r) {
        const std::string n = std::to_string(r);
        table.rows.push_back({cell("14/03/2019"), cell("Adult Social Care"),
                              cell("Row " + n + ": home visit & review <notes> with \"quotes\"")});
    }
    const auto started = std::chrono::steady_clock::now();
    DocxWriter doc;
    doc.set_marking(kMarking);
    doc.set_footer_text(kFooter);
    doc.paragraph(ParagraphStyle::Heading1, "Chronology");
    doc.table(table);
    const auto finishing = std::chrono::steady_clock::now();
    std::string bytes = doc.finish();
    const auto done = std::chrono::steady_clock::now();
    seconds_to_finish = std::chrono::duration<double>(done - finishing).count();
    seconds_total = std::chrono::duration<double>(done - started).count();
    return bytes;
}

std::string long_text() {
    std::string text;
    while (text.size() < 40'000) text += "0123456789";
    return text;
}

std::string sample_xlsx(const std::filesystem::path& temp_parent) {
    docformats::XlsxWriter book({}, temp_parent);
    book.set_properties({kTitle, "Chronology", kAuthor, "IMR", "Exported & checked"});
    (void)book.add_sheet("Chronology", {"Date", "Agency", "Event", "Count"}, {12, 20, 60, 8});
    book.write_date(0, 0, 2019, 3, 14);
    book.write_text(0, 1, "=SUM(A1:A2)");
    book.write_text(0, 2, "+44 20 7946 0000");
    book.write_number(0, 3, 3);
    book.write_date(1, 0, 2020, 12, 1);
    book.write_text(1, 1, "-1");
    book.write_text(1, 2, "@user said \"hi\" & left\nsecond line");
    book.write_number(1, 3, 2.5);
    book.write_date(2, 0, 2024, 2, 29);
    book.write_text(2, 1, kWelsh);
    book.write_text(2, 2, long_text());
    book.write_bool(2, 3, true);
    (void)book.add_sheet("Bad[]:*?/\\Name", {"A"}, {});
    book.write_text(0, 0, "x");
    (void)book.add_sheet("chronology", {}, {});
    book.write_text(0, 0, "no headings");
    book.write_text(1, 0, "_x0041_ stays");  // not Excel's escape for 'A'
    return book.finish();
}

}  // namespace imrdesk::test
