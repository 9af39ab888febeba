// The .docx writer: its parts, the text filter everywhere, and python-docx reading it back.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "imrdesk/docformats/docx_writer.hpp"
#include "office_tools.hpp"
#include "sample_documents.hpp"
#include "temp_dir.hpp"

using imrdesk::docformats::DocxWriter;
using imrdesk::docformats::ParagraphStyle;
using imrdesk::docformats::Run;
using imrdesk::docformats::Table;
using imrdesk::docformats::TableCell;
using imrdesk::test::TempDir;

namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

// python-docx's view of sample_docx(); prints "ok" or what differs.
constexpr const char* check_docx_py = R"PY(
import sys
import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from lxml import etree

path, specials, welsh, title, author, marking, footer_text = sys.argv[1:8]
d = docx.Document(path)
errors = []
def expect(condition, what):
    if not condition:
        errors.append(what)

paragraphs = [(p.style.name, p.text) for p in d.paragraphs]
for style, text in [('Title', 'Individual Management Review'), ('Subtitle', 'Draft for the panel'),
                    ('Heading 1', '1. Introduction'), ('Heading 2', '1.1 Chronology'),
                    ('Heading 1', '2. Landscape section'), ('Heading 3', '2.1 After the break'),
                    ('List Bullet', 'A bullet point'), ('Caption', 'Table 1: contacts'),
                    ('Small', 'Small print after the table'),
                    ('Normal', 'Line one\nLine two\tTabbed bold part and italic'),
                    ('Normal', specials), ('Normal', welsh),
                    ('Normal', 'First para'), ('Normal', 'Second para\nstill second')]:
    expect((style, text) in paragraphs, 'no paragraph %r in style %r' % (text, style))
mixed = [p for p in d.paragraphs if p.text.startswith('Line one')][0]
expect([(r.text, bool(r.bold), bool(r.italic)) for r in mixed.runs] ==
       [('Line one\nLine two\tTabbed ', False, False), ('bold part', True, False), (' and italic', False, True)],
       'runs: %r' % [(r.text, r.bold, r.italic) for r in mixed.runs])

expect(len(d.tables) == 3, 'tables: %d' % len(d.tables))
t = d.tables[0]
expect(len(t.rows) == 51, 'rows: %d' % len(t.rows))
expect([c.text for c in t.rows[0].cells] == ['Date', 'Agency', 'Event'], 'header %r' % [c.text for c in t.rows[0].cells])
expect([c.text for c in t.rows[1].cells] == ['2019-03-1', 'Agency 1', 'Event in row 1'], 'row 1')
expect(t.rows[50].cells[2].text == 'Last row cell 50\nsecond paragraph', 'last row %r' % t.rows[50].cells[2].text)
tr_pr = t.rows[0]._tr.trPr
expect(tr_pr is not None and tr_pr.find(qn('w:tblHeader')) is not None, 'first row is not a header row')
expect(t.rows[1]._tr.trPr is None, 'second row has row properties')
expect(t.rows[0].cells[0].paragraphs[0].runs[0].bold, 'header not bold')
wide = d.tables[1]
expect(wide.rows[1]._tr.trPr.find(qn('w:cantSplit')) is not None, 'rows_may_split=False without cantSplit')

sections = d.sections
expect(len(sections) == 2, 'sections: %d' % len(sections))
expect(sections[0].orientation == WD_ORIENT.PORTRAIT and sections[0].page_width < sections[0].page_height, 'portrait')
expect(sections[1].orientation == WD_ORIENT.LANDSCAPE and sections[1].page_width > sections[1].page_height, 'landscape')
for i, s in enumerate(sections):
    expect(round(s.left_margin.cm, 1) == 2.0 and round(s.top_margin.cm, 1) == 2.0, 'margins of section %d' % i)
    expect(not s.header.is_linked_to_previous, 'section %d has no header of its own' % i)
    expect([p.text for p in s.header.paragraphs] == [marking], 'header %r' % [p.text for p in s.header.paragraphs])
    footer_xml = etree.tostring(s.footer._element, encoding='unicode')
    expect(' PAGE ' in footer_xml and ' NUMPAGES ' in footer_xml, 'footer fields')
    expect(s.footer.tables[0].rows[0].cells[0].text == footer_text, 'footer text')
    expect(s.footer.tables[0].rows[0].cells[1].text.startswith('Page 1 of 1'), 'footer page')

cp = d.core_properties
expect(cp.title == title, 'title %r' % cp.title)
expect(cp.author == author, 'author %r' % cp.author)
expect(cp.subject == 'Safeguarding Adults Review', 'subject')
expect(cp.keywords == 'IMR; SAR', 'keywords')
expect(cp.comments == 'Draft <1> & more', 'description %r' % cp.comments)
expect(cp.created is not None, 'created')

styles = {s.name: s for s in d.styles}
for name, level in [('Heading 1', 0), ('Heading 2', 1), ('Heading 3', 2)]:
    p_pr = styles[name].element.pPr
    expect(p_pr is not None and p_pr.find(qn('w:outlineLvl')).get(qn('w:val')) == str(level), name + ' outline level')
expect(styles['Normal'].element.find(qn('w:rPr')) is None, 'Normal has its own run properties')
print('\n'.join(errors) or 'ok')
)PY";

}  // namespace

TEST_CASE("a .docx has its parts, in the order and shape Word expects") {
    const auto parts = imrdesk::test::unzip(imrdesk::test::sample_docx());
    for (const char* name : {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
                             "word/styles.xml", "word/numbering.xml", "word/settings.xml", "word/fontTable.xml",
                             "word/header1.xml", "word/footer1.xml", "docProps/core.xml", "docProps/app.xml"}) {
        CHECK_MESSAGE(parts.count(name) == 1, name);
    }
    const std::string& body = parts.at("word/document.xml");
    // Two sections, each with the same header and footer, then page size and margins.
    CHECK(count(body, "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader1\"/>"
                      "<w:footerReference w:type=\"default\" r:id=\"rIdFooter1\"/><w:pgSz ") == 2);
    CHECK(count(body, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>") == 1);
    CHECK(count(body, "<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>") == 1);
    CHECK(count(body, "<w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\"") == 2);
    CHECK(count(body, "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>") == 3);
    CHECK(count(body, "<w:tab/>") == 1);
    CHECK(count(body, "<w:br/>") == 2);  // "Line one\n" and "Second para\r\n"
    // The wide table (2 x 20 cm) is scaled to the landscape text width, 25.7 cm (14,570 twips).
    CHECK(count(body, "<w:tblW w:w=\"14568\" w:type=\"dxa\"/><w:tblBorders>") == 2);
    CHECK(body.find("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"FFF2CC\"/>") != std::string::npos);
    const std::string& styles = parts.at("word/styles.xml");
    CHECK(styles.find("<w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>") != std::string::npos);
    CHECK(styles.find("<w:outlineLvl w:val=\"2\"/>") != std::string::npos);
    CHECK(styles.find("w:ascii=\"Arial\"") != std::string::npos);
    CHECK(parts.at("docProps/core.xml").find("<dc:title>IMR &lt;draft&gt; &amp; &quot;final&quot;</dc:title>") !=
          std::string::npos);
}

TEST_CASE("the text filter reaches every part of a .docx") {
    const auto pseudonymise = [](std::string_view text) {
        std::string out(text);
        for (auto at = out.find("Gwyneth Jones"); at != std::string::npos; at = out.find("Gwyneth Jones")) {
            out.replace(at, 13, "Adult A");
        }
        return out;
    };
    DocxWriter doc(pseudonymise);
    doc.set_properties({"IMR for Gwyneth Jones", "About Gwyneth Jones", "Gwyneth Jones", "Gwyneth Jones",
                        "Gwyneth Jones"});
    doc.set_marking("OFFICIAL-SENSITIVE: Gwyneth Jones");
    doc.set_footer_text("SAR Gwyneth Jones");
    doc.paragraph(ParagraphStyle::Heading1, "Gwyneth Jones");
    doc.paragraph(ParagraphStyle::Normal, std::vector<Run>{{"Visit to Gwyneth Jones", true, false}});
    Table table;
    table.header = {"Gwyneth Jones"};
    table.rows = {{TableCell{{{Run{"Gwyneth Jones\tat home"}}}, std::nullopt}}};
    doc.table(table);
    const auto parts = imrdesk::test::unzip(doc.finish());
    for (const auto& [name, content] : parts) {
        CHECK_MESSAGE(content.find("Gwyneth") == std::string::npos, name);
    }
    CHECK(count(parts.at("word/document.xml"), "Adult A") == 4);
    CHECK(count(parts.at("word/header1.xml"), "Adult A") == 1);
    CHECK(count(parts.at("word/footer1.xml"), "Adult A") == 1);
    CHECK(count(parts.at("docProps/core.xml"), "Adult A") == 6);  // lastModifiedBy is the author
}

TEST_CASE("a .docx refuses tables it cannot write") {
    DocxWriter doc;
    CHECK_THROWS_AS(doc.table(Table{}), std::invalid_argument);
    Table table;
    table.header = {"A", "B"};
    table.rows = {{TableCell{}, TableCell{}, TableCell{}}};
    CHECK_THROWS_AS(doc.table(table), std::invalid_argument);
    table.rows = {{TableCell{{}, "red"}}};
    CHECK_THROWS_AS(doc.table(table), std::invalid_argument);
    table.rows = {{TableCell{{}, "#00ff00"}}};
    table.column_widths_cm = {1};
    CHECK_THROWS_AS(doc.table(table), std::invalid_argument);
    table.column_widths_cm = {1, -2};
    CHECK_THROWS_AS(doc.table(table), std::invalid_argument);
    table.column_widths_cm = {};
    doc.table(table);  // a short row is padded
    (void)doc.finish();
    CHECK_THROWS_AS(doc.paragraph(ParagraphStyle::Normal, "late"), std::logic_error);
    CHECK_THROWS_AS((void)doc.finish(), std::logic_error);
}

TEST_CASE("python-docx reads a .docx back exactly") {
    if (!imrdesk::test::have_python_module("docx")) {
        MESSAGE("/usr/bin/python3 cannot import docx (python3-docx): skipping");
        return;
    }
    TempDir dir;
    const auto path = dir / "sample.docx";
    imrdesk::test::write_file(path, imrdesk::test::sample_docx());
    using namespace imrdesk::test;
    const CommandResult result =
        run_python(dir.path(), check_docx_py, {path.string(), kSpecials, kWelsh, kTitle, kAuthor, kMarking, kFooter});
    CHECK(result.exit_code == 0);
    CHECK(result.output == "ok\n");
}

TEST_CASE("a 10,000-row table is written quickly") {
    double finish_seconds = 0;
    double total_seconds = 0;
    const std::string bytes = imrdesk::test::large_docx(10'000, finish_seconds, total_seconds);
    MESSAGE("10,000-row .docx: table() + finish() " << total_seconds << " s, finish() " << finish_seconds << " s, "
                                                     << bytes.size() / 1024 << " KiB");
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
    CHECK(total_seconds < 2.0);
#endif
    const auto parts = imrdesk::test::unzip(bytes);
    CHECK(count(parts.at("word/document.xml"), "<w:tr>") == 10'001);  // and the heading row
}
