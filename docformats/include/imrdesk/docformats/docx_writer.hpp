#pragma once
// Writes an editable Word document (.docx, WordprocessingML Transitional) in memory: styled
// paragraphs (real Heading 1-3 styles, so Word's navigation pane and a table of contents work),
// tables whose heading row repeats on every page, sections in portrait or landscape (A4, 2 cm
// margins), a protective marking in every page header, and "Page X of Y" in every footer.
// Every piece of user text (including the marking, the footer and the properties) passes the
// text filter. The document body is streamed into one string, so large tables are cheap.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/docformats/document_writing.hpp"
#include "imrdesk/docformats/xml_writer.hpp"

namespace imrdesk::docformats {

// '\n' (or "\r\n") in text is a line break, '\t' a tab.
struct Run {
    std::string text;
    bool bold = false;
    bool italic = false;
};

enum class ParagraphStyle { Normal, Title, Subtitle, Heading1, Heading2, Heading3, Caption, ListBullet, Small };

struct TableCell {
    std::vector<std::vector<Run>> paragraphs;  // none is one empty paragraph
    std::optional<std::string> shading_hex;    // background "RRGGBB"; std::invalid_argument otherwise
};

struct Table {
    std::vector<std::string> header;  // the heading row: bold, shaded, repeated on every page
    std::vector<std::vector<TableCell>> rows;  // a short row is padded with empty cells
    // One width per column, or none for equal columns; scaled down when the total is wider than
    // the section's text (17 cm portrait, 25.7 cm landscape).
    std::vector<double> column_widths_cm;
    bool rows_may_split = true;  // false: a row is never split across pages
};

class DocxWriter {
public:
    explicit DocxWriter(TextFilter text_filter = {});

    void set_properties(DocumentProperties properties);
    // The protective marking ("OFFICIAL-SENSITIVE"), centred and bold in every page header.
    void set_marking(std::string text);
    // Every page footer: this text on the left, "Page X of Y" on the right.
    void set_footer_text(std::string text);

    void paragraph(ParagraphStyle style, std::vector<Run> runs);
    // One run; a blank line in text starts a new paragraph of the same style.
    void paragraph(ParagraphStyle style, std::string text);
    void page_break();
    // std::invalid_argument for a table with no columns, a row with more cells than columns, a
    // width count that differs from the column count, or a bad shading colour.
    void table(const Table& table);
    // Ends the current section; what follows starts on a new page in a section of this orientation.
    void section(bool landscape);
    // The orientation of the first section, before anything is written (std::logic_error after).
    void set_first_orientation(bool landscape);

    // The .docx bytes. The writer cannot be used afterwards (std::logic_error).
    [[nodiscard]] std::string finish();

private:
    void require_open() const;
    void before_block();
    void write_section_properties();

    XmlWriter body_;  // word/document.xml, up to the open <w:body>
    DocumentProperties properties_;
    std::string marking_;
    std::string footer_text_;
    bool landscape_ = false;
    bool last_was_table_ = false;
    std::size_t blocks_ = 0;  // paragraphs, tables and section ends written
    bool finished_ = false;
};

}  // namespace imrdesk::docformats
