// The package around the body: content types, relationships, header, footer, properties.
#include <ctime>

#include "docx_parts.hpp"

namespace imrdesk::docformats::detail::docx {
namespace {

void relationship(XmlWriter& xml, Markup id, Markup type, Markup target) {
    xml.start("Relationship");
    xml.attribute("Id", id);
    xml.attribute("Type", type);
    xml.attribute("Target", target);
    xml.end();
}

void override_type(XmlWriter& xml, Markup part, Markup type) {
    xml.start("Override");
    xml.attribute("PartName", part);
    xml.attribute("ContentType", type);
    xml.end();
}

void start_part(XmlWriter& xml, Markup root) {
    xml.declaration();
    xml.start(root);
    xml.attribute("xmlns:w", main_namespace);
    xml.attribute("xmlns:r", relationships_namespace);
}

void paragraph_style(XmlWriter& xml, Markup style) {
    xml.start("w:pStyle");
    xml.attribute("w:val", style);
    xml.end();
}

void field(XmlWriter& xml, Markup instruction) {
    const auto field_char = [&xml](Markup type) {
        xml.start("w:r");
        xml.start("w:fldChar");
        xml.attribute("w:fldCharType", type);
        xml.end();
        xml.end();
    };
    field_char("begin");
    xml.start("w:r");
    xml.start("w:instrText");
    xml.attribute("xml:space", "preserve");
    xml.raw_text(instruction);
    xml.end();
    xml.end();
    field_char("separate");
    xml.start("w:r");
    xml.start("w:t");
    xml.raw_text("1");  // shown until the field is updated, which Word and LibreOffice do on layout
    xml.end();
    xml.end();
    field_char("end");
}

void fixed_run(XmlWriter& xml, Markup text) {
    xml.start("w:r");
    xml.start("w:t");
    xml.attribute("xml:space", "preserve");
    xml.raw_text(text);
    xml.end();
    xml.end();
}

void footer_cell(XmlWriter& xml) {
    xml.start("w:tcPr");
    xml.start("w:tcW");
    xml.attribute("w:w", 2500);  // fiftieths of a percent: half the table
    xml.attribute("w:type", "pct");
    xml.end();
    xml.end();
}

void w3c_date_time(XmlWriter& xml, Markup element, std::time_t now) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    xml.start(element);
    xml.attribute("xsi:type", "dcterms:W3CDTF");
    xml.number_text(utc.tm_year + 1900LL, 4);
    xml.raw_text("-");
    xml.number_text(utc.tm_mon + 1LL, 2);
    xml.raw_text("-");
    xml.number_text(utc.tm_mday, 2);
    xml.raw_text("T");
    xml.number_text(utc.tm_hour, 2);
    xml.raw_text(":");
    xml.number_text(utc.tm_min, 2);
    xml.raw_text(":");
    xml.number_text(utc.tm_sec, 2);
    xml.raw_text("Z");
    xml.end();
}

void user_element(XmlWriter& xml, Markup element, const std::string& text) {
    if (text.empty()) return;
    xml.start(element);
    xml.text(text);
    xml.end();
}

}  // namespace

void write_run(XmlWriter& xml, const UserText& text, bool bold, bool italic) {
    if (text.empty()) return;
    xml.start("w:r");
    if (bold || italic) {
        xml.start("w:rPr");
        if (bold) {
            xml.element("w:b");
            xml.element("w:bCs");
        }
        if (italic) {
            xml.element("w:i");
            xml.element("w:iCs");
        }
        xml.end();
    }
    const std::string_view view = text.view();
    std::size_t begin = 0;
    const auto flush = [&](std::size_t end) {
        if (end > begin) {
            xml.start("w:t");
            xml.attribute("xml:space", "preserve");
            xml.text(text.substr(begin, end - begin));
            xml.end();
        }
    };
    for (std::size_t i = 0; i < view.size(); ++i) {
        const char c = view[i];
        if (c != '\t' && c != '\n' && c != '\r') continue;
        flush(i);
        if (c == '\t') {
            xml.element("w:tab");
        } else if (c == '\n' || i + 1 == view.size() || view[i + 1] != '\n') {
            xml.element("w:br");  // "\r\n" makes one break, at its '\n'
        }
        begin = i + 1;
    }
    flush(view.size());
    xml.end();
}

std::string content_types() {
    XmlWriter xml;
    xml.declaration();
    xml.start("Types");
    xml.attribute("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
    xml.start("Default");
    xml.attribute("Extension", "rels");
    xml.attribute("ContentType", "application/vnd.openxmlformats-package.relationships+xml");
    xml.end();
    xml.start("Default");
    xml.attribute("Extension", "xml");
    xml.attribute("ContentType", "application/xml");
    xml.end();
    override_type(xml, "/word/document.xml",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");
    override_type(xml, "/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml");
    override_type(xml, "/word/numbering.xml",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml");
    override_type(xml, "/word/settings.xml",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml");
    override_type(xml, "/word/fontTable.xml",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml");
    override_type(xml, "/word/header1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml");
    override_type(xml, "/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml");
    override_type(xml, "/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
    override_type(xml, "/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml");
    xml.end();
    return xml.finish();
}

std::string package_relationships() {
    XmlWriter xml;
    xml.declaration();
    xml.start("Relationships");
    xml.attribute("xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
    relationship(xml, "rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                 "word/document.xml");
    relationship(xml, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                 "docProps/core.xml");
    relationship(xml, "rId3", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
                 "docProps/app.xml");
    xml.end();
    return xml.finish();
}

std::string document_relationships() {
    XmlWriter xml;
    xml.declaration();
    xml.start("Relationships");
    xml.attribute("xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
    relationship(xml, "rIdStyles", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
                 "styles.xml");
    relationship(xml, "rIdNumbering", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering",
                 "numbering.xml");
    relationship(xml, "rIdSettings", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings",
                 "settings.xml");
    relationship(xml, "rIdFontTable", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable",
                 "fontTable.xml");
    relationship(xml, header_relationship_id,
                 "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header", "header1.xml");
    relationship(xml, footer_relationship_id,
                 "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer", "footer1.xml");
    xml.end();
    return xml.finish();
}

std::string header(const UserTextFilter& filter, const std::string& marking) {
    XmlWriter xml(filter);
    start_part(xml, "w:hdr");
    xml.start("w:p");
    xml.start("w:pPr");
    paragraph_style(xml, "Header");
    xml.start("w:jc");
    xml.attribute("w:val", "center");
    xml.end();
    xml.end();
    write_run(xml, xml.filtered(marking), true, false);
    xml.end();
    xml.end();
    return xml.finish();
}

// A borderless table as wide as the text (in percent, so it fits portrait and landscape
// sections alike): the text in the left cell, "Page X of Y" right-aligned in the right one.
std::string footer(const UserTextFilter& filter, const std::string& text) {
    XmlWriter xml(filter);
    start_part(xml, "w:ftr");
    xml.start("w:tbl");
    xml.start("w:tblPr");
    xml.start("w:tblW");
    xml.attribute("w:w", 5000);
    xml.attribute("w:type", "pct");
    xml.end();
    xml.start("w:tblCellMar");
    xml.start("w:left");
    xml.attribute("w:w", 0);
    xml.attribute("w:type", "dxa");
    xml.end();
    xml.start("w:right");
    xml.attribute("w:w", 0);
    xml.attribute("w:type", "dxa");
    xml.end();
    xml.end();
    xml.end();
    xml.start("w:tblGrid");
    for (int i = 0; i < 2; ++i) {
        xml.start("w:gridCol");
        xml.attribute("w:w", text_width(false) / 2);
        xml.end();
    }
    xml.end();
    xml.start("w:tr");
    xml.start("w:tc");
    footer_cell(xml);
    xml.start("w:p");
    xml.start("w:pPr");
    paragraph_style(xml, "Footer");
    xml.end();
    write_run(xml, xml.filtered(text), false, false);
    xml.end();
    xml.end();
    xml.start("w:tc");
    footer_cell(xml);
    xml.start("w:p");
    xml.start("w:pPr");
    paragraph_style(xml, "Footer");
    xml.start("w:jc");
    xml.attribute("w:val", "right");
    xml.end();
    xml.end();
    fixed_run(xml, "Page ");
    field(xml, " PAGE ");
    fixed_run(xml, " of ");
    field(xml, " NUMPAGES ");
    xml.end();
    xml.end();
    xml.end();  // w:tr
    xml.end();  // w:tbl
    // Word wants a header or footer to end with a paragraph.
    xml.start("w:p");
    xml.start("w:pPr");
    paragraph_style(xml, "Footer");
    xml.start("w:spacing");
    xml.attribute("w:after", 0);
    xml.attribute("w:line", 120);
    xml.attribute("w:lineRule", "exact");
    xml.end();
    xml.end();
    xml.end();
    xml.end();
    return xml.finish();
}

std::string core_properties(const UserTextFilter& filter, const DocumentProperties& properties) {
    XmlWriter xml(filter);
    xml.declaration();
    xml.start("cp:coreProperties");
    xml.attribute("xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
    xml.attribute("xmlns:dc", "http://purl.org/dc/elements/1.1/");
    xml.attribute("xmlns:dcterms", "http://purl.org/dc/terms/");
    xml.attribute("xmlns:dcmitype", "http://purl.org/dc/dcmitype/");
    xml.attribute("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    user_element(xml, "dc:title", properties.title);
    user_element(xml, "dc:subject", properties.subject);
    user_element(xml, "dc:creator", properties.author);
    user_element(xml, "cp:keywords", properties.keywords);
    user_element(xml, "dc:description", properties.description);
    user_element(xml, "cp:lastModifiedBy", properties.author);
    const std::time_t now = std::time(nullptr);
    w3c_date_time(xml, "dcterms:created", now);
    w3c_date_time(xml, "dcterms:modified", now);
    xml.end();
    return xml.finish();
}

std::string app_properties() {
    XmlWriter xml;
    xml.declaration();
    xml.start("Properties");
    xml.attribute("xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
    xml.attribute("xmlns:vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes");
    xml.start("Application");
    xml.raw_text("imrdesk");
    xml.end();
    xml.start("DocSecurity");
    xml.raw_text("0");
    xml.end();
    xml.end();
    return xml.finish();
}

}  // namespace imrdesk::docformats::detail::docx
