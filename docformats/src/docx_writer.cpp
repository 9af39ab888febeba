// The body of a .docx (word/document.xml), streamed as the caller adds to it.
#include "imrdesk/docformats/docx_writer.hpp"

#include <cmath>
#include <stdexcept>

#include "docx_parts.hpp"
#include "zip_writer.hpp"

namespace imrdesk::docformats {
namespace {

namespace docx = detail::docx;

constexpr std::uint32_t header_shading = 0xD9D9D9;

Markup style_id(ParagraphStyle style) {
    switch (style) {
    case ParagraphStyle::Normal: return "Normal";
    case ParagraphStyle::Title: return "Title";
    case ParagraphStyle::Subtitle: return "Subtitle";
    case ParagraphStyle::Heading1: return "Heading1";
    case ParagraphStyle::Heading2: return "Heading2";
    case ParagraphStyle::Heading3: return "Heading3";
    case ParagraphStyle::Caption: return "Caption";
    case ParagraphStyle::ListBullet: return "ListBullet";
    case ParagraphStyle::Small: return "Small";
    }
    throw std::invalid_argument("unknown ParagraphStyle");
}

void start_paragraph(XmlWriter& xml, Markup style) {
    xml.start("w:p");
    xml.start("w:pPr");
    xml.start("w:pStyle");
    xml.attribute("w:val", style);
    xml.end();
    xml.end();
}

void write_runs(XmlWriter& xml, const std::vector<Run>& runs) {
    for (const Run& run : runs) docx::write_run(xml, xml.filtered(run.text), run.bold, run.italic);
}

bool is_blank_line(std::string_view line) noexcept {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// "RRGGBB" or "#RRGGBB".
std::uint32_t parse_shading(std::string_view hex) {
    if (!hex.empty() && hex.front() == '#') hex.remove_prefix(1);
    std::uint32_t value = 0;
    for (const char c : hex) {
        std::uint32_t digit = 0;
        if (c >= '0' && c <= '9') {
            digit = static_cast<std::uint32_t>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            digit = static_cast<std::uint32_t>(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            digit = static_cast<std::uint32_t>(c - 'A' + 10);
        } else {
            throw std::invalid_argument("table cell shading must be RRGGBB in hex");
        }
        value = value * 16 + digit;
    }
    if (hex.size() != 6) throw std::invalid_argument("table cell shading must be RRGGBB in hex");
    return value;
}

std::vector<long long> column_widths(const Table& table, std::size_t columns, bool landscape) {
    const long long available = docx::text_width(landscape);
    const auto count = static_cast<long long>(columns);
    if (table.column_widths_cm.empty()) return std::vector<long long>(columns, available / count);
    if (table.column_widths_cm.size() != columns) {
        throw std::invalid_argument("table: " + std::to_string(table.column_widths_cm.size()) + " column widths for " +
                                    std::to_string(columns) + " columns");
    }
    double total = 0;
    for (const double cm : table.column_widths_cm) {
        if (!std::isfinite(cm) || cm <= 0) throw std::invalid_argument("table: a column width is not a positive number");
        total += cm * docx::twips_per_cm;
    }
    const double scale = total > static_cast<double>(available) ? static_cast<double>(available) / total : 1.0;
    std::vector<long long> widths;
    widths.reserve(columns);
    for (const double cm : table.column_widths_cm) {
        widths.push_back(std::max(1LL, static_cast<long long>(std::floor(cm * docx::twips_per_cm * scale))));
    }
    return widths;
}

void cell_properties(XmlWriter& xml, long long width, std::optional<std::uint32_t> shading) {
    xml.start("w:tcPr");
    xml.start("w:tcW");
    xml.attribute("w:w", width);
    xml.attribute("w:type", "dxa");
    xml.end();
    if (shading) {
        xml.start("w:shd");
        xml.attribute("w:val", "clear");
        xml.attribute("w:color", "auto");
        xml.hex_attribute("w:fill", *shading, 6);
        xml.end();
    }
    xml.end();
}

void table_properties(XmlWriter& xml, long long width) {
    xml.start("w:tblPr");
    xml.start("w:tblW");
    xml.attribute("w:w", width);
    xml.attribute("w:type", "dxa");
    xml.end();
    xml.start("w:tblBorders");
    for (const Markup side : {Markup("w:top"), Markup("w:left"), Markup("w:bottom"), Markup("w:right"),
                              Markup("w:insideH"), Markup("w:insideV")}) {
        xml.start(side);
        xml.attribute("w:val", "single");
        xml.attribute("w:sz", 4);
        xml.attribute("w:space", 0);
        xml.attribute("w:color", "808080");
        xml.end();
    }
    xml.end();
    xml.start("w:tblLayout");
    xml.attribute("w:type", "fixed");
    xml.end();
    xml.start("w:tblLook");
    xml.attribute("w:val", "04A0");
    xml.attribute("w:firstRow", 1);
    xml.attribute("w:lastRow", 0);
    xml.attribute("w:firstColumn", 0);
    xml.attribute("w:lastColumn", 0);
    xml.attribute("w:noHBand", 1);
    xml.attribute("w:noVBand", 1);
    xml.end();
    xml.end();
}

}  // namespace

DocxWriter::DocxWriter(TextFilter text_filter) : body_(UserTextFilter(std::move(text_filter)), 256 * 1024) {
    body_.declaration();
    body_.start("w:document");
    body_.attribute("xmlns:w", docx::main_namespace);
    body_.attribute("xmlns:r", docx::relationships_namespace);
    body_.start("w:body");
}

void DocxWriter::require_open() const {
    if (finished_) throw std::logic_error("DocxWriter: used after finish()");
}

void DocxWriter::set_properties(DocumentProperties properties) {
    require_open();
    properties_ = std::move(properties);
}

void DocxWriter::set_marking(std::string text) {
    require_open();
    marking_ = std::move(text);
}

void DocxWriter::set_footer_text(std::string text) {
    require_open();
    footer_text_ = std::move(text);
}

// Word joins two tables with nothing between them into one; an empty paragraph keeps them apart.
void DocxWriter::set_first_orientation(bool landscape) {
    require_open();
    if (blocks_ > 0) throw std::logic_error("DocxWriter::set_first_orientation: content was already written");
    landscape_ = landscape;
}

void DocxWriter::before_block() {
    require_open();
    ++blocks_;
    if (last_was_table_) {
        body_.start("w:p");
        body_.end();
    }
    last_was_table_ = false;
}

void DocxWriter::paragraph(ParagraphStyle style, std::vector<Run> runs) {
    before_block();
    start_paragraph(body_, style_id(style));
    write_runs(body_, runs);
    body_.end();
}

void DocxWriter::paragraph(ParagraphStyle style, std::string text) {
    before_block();
    const Markup id = style_id(style);
    const UserText filtered = body_.filtered(text);
    const std::string_view view = filtered.view();
    // Paragraphs are runs of non-blank lines; single line breaks inside one stay line breaks.
    bool any = false;
    std::size_t paragraph_start = std::string_view::npos;
    std::size_t paragraph_end = 0;
    const auto emit = [&] {
        if (paragraph_start == std::string_view::npos) return;
        start_paragraph(body_, id);
        docx::write_run(body_, filtered.substr(paragraph_start, paragraph_end - paragraph_start), false, false);
        body_.end();
        any = true;
        paragraph_start = std::string_view::npos;
    };
    std::size_t line_start = 0;
    while (line_start <= view.size()) {
        std::size_t line_end = view.find('\n', line_start);
        if (line_end == std::string_view::npos) line_end = view.size();
        const std::string_view line = view.substr(line_start, line_end - line_start);
        if (is_blank_line(line)) {
            emit();
        } else {
            if (paragraph_start == std::string_view::npos) paragraph_start = line_start;
            paragraph_end = line.back() == '\r' ? line_end - 1 : line_end;
        }
        line_start = line_end + 1;
    }
    emit();
    if (!any) {
        start_paragraph(body_, id);
        body_.end();
    }
}

void DocxWriter::page_break() {
    before_block();
    body_.start("w:p");
    body_.start("w:r");
    body_.start("w:br");
    body_.attribute("w:type", "page");
    body_.end();
    body_.end();
    body_.end();
}

void DocxWriter::table(const Table& table) {
    require_open();
    std::size_t columns = table.header.size();
    if (columns == 0) columns = table.column_widths_cm.size();
    for (const auto& row : table.rows) {
        if (table.header.empty() && table.column_widths_cm.empty()) columns = std::max(columns, row.size());
    }
    if (columns == 0) throw std::invalid_argument("table: it has no columns");
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        if (table.rows[r].size() > columns) {
            throw std::invalid_argument("table: row " + std::to_string(r + 1) + " has " +
                                        std::to_string(table.rows[r].size()) + " cells for " + std::to_string(columns) +
                                        " columns");
        }
    }
    const std::vector<long long> widths = column_widths(table, columns, landscape_);
    // Check every shading before writing anything, so that a bad one leaves the document as it was.
    std::vector<std::vector<std::optional<std::uint32_t>>> shading(table.rows.size());
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        for (const TableCell& cell : table.rows[r]) {
            shading[r].push_back(cell.shading_hex ? std::optional(parse_shading(*cell.shading_hex)) : std::nullopt);
        }
    }

    before_block();
    body_.reserve((table.rows.size() + 1) * columns * 200);
    long long total_width = 0;
    for (const long long width : widths) total_width += width;
    body_.start("w:tbl");
    table_properties(body_, total_width);
    body_.start("w:tblGrid");
    for (const long long width : widths) {
        body_.start("w:gridCol");
        body_.attribute("w:w", width);
        body_.end();
    }
    body_.end();

    if (!table.header.empty()) {
        body_.start("w:tr");
        body_.start("w:trPr");
        body_.element("w:cantSplit");
        body_.element("w:tblHeader");
        body_.end();
        for (std::size_t c = 0; c < columns; ++c) {
            body_.start("w:tc");
            cell_properties(body_, widths[c], header_shading);
            start_paragraph(body_, "TableText");
            docx::write_run(body_, body_.filtered(table.header[c]), true, false);
            body_.end();
            body_.end();
        }
        body_.end();
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        body_.start("w:tr");
        if (!table.rows_may_split) {
            body_.start("w:trPr");
            body_.element("w:cantSplit");
            body_.end();
        }
        for (std::size_t c = 0; c < columns; ++c) {
            body_.start("w:tc");
            cell_properties(body_, widths[c], c < row.size() ? shading[r][c] : std::nullopt);
            const bool has_paragraphs = c < row.size() && !row[c].paragraphs.empty();
            if (has_paragraphs) {
                for (const auto& runs : row[c].paragraphs) {
                    start_paragraph(body_, "TableText");
                    write_runs(body_, runs);
                    body_.end();
                }
            } else {
                start_paragraph(body_, "TableText");  // a cell must hold a paragraph
                body_.end();
            }
            body_.end();
        }
        body_.end();
    }
    body_.end();
    last_was_table_ = true;
}

void DocxWriter::write_section_properties() {
    body_.start("w:sectPr");
    body_.start("w:headerReference");
    body_.attribute("w:type", "default");
    body_.attribute("r:id", docx::header_relationship_id);
    body_.end();
    body_.start("w:footerReference");
    body_.attribute("w:type", "default");
    body_.attribute("r:id", docx::footer_relationship_id);
    body_.end();
    body_.start("w:pgSz");
    body_.attribute("w:w", landscape_ ? docx::a4_long_side : docx::a4_short_side);
    body_.attribute("w:h", landscape_ ? docx::a4_short_side : docx::a4_long_side);
    if (landscape_) body_.attribute("w:orient", "landscape");
    body_.end();
    body_.start("w:pgMar");
    body_.attribute("w:top", docx::page_margin);
    body_.attribute("w:right", docx::page_margin);
    body_.attribute("w:bottom", docx::page_margin);
    body_.attribute("w:left", docx::page_margin);
    body_.attribute("w:header", docx::header_footer_distance);
    body_.attribute("w:footer", docx::header_footer_distance);
    body_.attribute("w:gutter", 0);
    body_.end();
    body_.start("w:cols");
    body_.attribute("w:space", 708);
    body_.end();
    body_.start("w:docGrid");
    body_.attribute("w:linePitch", 360);
    body_.end();
    body_.end();
}

void DocxWriter::section(bool landscape) {
    before_block();
    body_.start("w:p");
    body_.start("w:pPr");
    write_section_properties();
    body_.end();
    body_.end();
    landscape_ = landscape;
}

std::string DocxWriter::finish() {
    before_block();  // the body ends with a paragraph, as Word writes it
    write_section_properties();
    body_.end();  // w:body
    body_.end();  // w:document
    finished_ = true;

    const UserTextFilter& filter = body_.filter();
    detail::ZipWriter zip;
    zip.add("[Content_Types].xml", docx::content_types());
    zip.add("_rels/.rels", docx::package_relationships());
    zip.add("word/document.xml", body_.finish());
    zip.add("word/_rels/document.xml.rels", docx::document_relationships());
    zip.add("word/styles.xml", docx::styles());
    zip.add("word/numbering.xml", docx::numbering());
    zip.add("word/settings.xml", docx::settings());
    zip.add("word/fontTable.xml", docx::font_table());
    zip.add("word/header1.xml", docx::header(filter, marking_));
    zip.add("word/footer1.xml", docx::footer(filter, footer_text_));
    zip.add("docProps/core.xml", docx::core_properties(filter, properties_));
    zip.add("docProps/app.xml", docx::app_properties());
    return zip.finish();
}

}  // namespace imrdesk::docformats
