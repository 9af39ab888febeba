// styles.xml, numbering.xml, settings.xml and fontTable.xml: fixed parts, the same in every
// document. Element order follows ECMA-376 Part 1 (CT_Style, CT_PPrBase, CT_RPr, CT_Lvl).
#include "docx_parts.hpp"

namespace imrdesk::docformats::detail::docx {
namespace {

constexpr Markup body_font = "Arial";  // metric-compatible with Liberation Sans where Arial is missing

struct StyleHead {
    Markup type;
    Markup id;
    Markup name;
    int ui_priority = 0;  // 0: not written
    bool custom = false;
    bool is_default = false;
    bool semi_hidden = false;  // also unhideWhenUsed
    bool quick = false;        // qFormat: shown in the style gallery
};

void value(XmlWriter& xml, Markup element, Markup val) {
    xml.start(element);
    xml.attribute("w:val", val);
    xml.end();
}

void value(XmlWriter& xml, Markup element, long long val) {
    xml.start(element);
    xml.attribute("w:val", val);
    xml.end();
}

// Opens <w:style> and writes its children up to (not including) w:pPr.
void start_style(XmlWriter& xml, const StyleHead& head, bool based_on_normal) {
    xml.start("w:style");
    xml.attribute("w:type", head.type);
    if (head.is_default) xml.attribute("w:default", "1");
    if (head.custom) xml.attribute("w:customStyle", "1");
    xml.attribute("w:styleId", head.id);
    value(xml, "w:name", head.name);
    if (based_on_normal) {
        value(xml, "w:basedOn", "Normal");
        value(xml, "w:next", "Normal");
    }
    if (head.ui_priority != 0) value(xml, "w:uiPriority", head.ui_priority);
    if (head.semi_hidden) {
        xml.element("w:semiHidden");
        xml.element("w:unhideWhenUsed");
    }
    if (head.quick) xml.element("w:qFormat");
}

void spacing(XmlWriter& xml, long long before, long long after) {
    xml.start("w:spacing");
    xml.attribute("w:before", before);
    xml.attribute("w:after", after);
    xml.end();
}

void font_size(XmlWriter& xml, long long half_points) {
    value(xml, "w:sz", half_points);
    value(xml, "w:szCs", half_points);
}

void heading(XmlWriter& xml, Markup id, Markup name, long long outline_level, long long before, long long half_points) {
    start_style(xml, {"paragraph", id, name, 9, false, false, false, true}, true);
    xml.start("w:pPr");
    xml.element("w:keepNext");
    xml.element("w:keepLines");
    spacing(xml, before, 120);
    value(xml, "w:outlineLvl", outline_level);
    xml.end();
    xml.start("w:rPr");
    xml.element("w:b");
    xml.element("w:bCs");
    font_size(xml, half_points);
    xml.end();
    xml.end();
}

void borderless_cell_margins(XmlWriter& xml) {
    xml.start("w:tblPr");
    xml.start("w:tblInd");
    xml.attribute("w:w", 0);
    xml.attribute("w:type", "dxa");
    xml.end();
    xml.start("w:tblCellMar");
    const auto margin = [&xml](Markup side, long long width) {
        xml.start(side);
        xml.attribute("w:w", width);
        xml.attribute("w:type", "dxa");
        xml.end();
    };
    margin("w:top", 0);
    margin("w:left", 108);
    margin("w:bottom", 0);
    margin("w:right", 108);
    xml.end();
    xml.end();
}

}  // namespace

std::string styles() {
    XmlWriter xml(UserTextFilter{}, 8192);
    xml.declaration();
    xml.start("w:styles");
    xml.attribute("xmlns:w", main_namespace);

    xml.start("w:docDefaults");
    xml.start("w:rPrDefault");
    xml.start("w:rPr");
    xml.start("w:rFonts");
    xml.attribute("w:ascii", body_font);
    xml.attribute("w:eastAsia", body_font);
    xml.attribute("w:hAnsi", body_font);
    xml.attribute("w:cs", body_font);
    xml.end();
    font_size(xml, 22);
    xml.start("w:lang");
    xml.attribute("w:val", "en-GB");
    xml.attribute("w:eastAsia", "en-US");
    xml.attribute("w:bidi", "ar-SA");
    xml.end();
    xml.end();
    xml.end();
    xml.start("w:pPrDefault");
    xml.start("w:pPr");
    xml.start("w:spacing");
    xml.attribute("w:after", 120);
    xml.attribute("w:line", 264);
    xml.attribute("w:lineRule", "auto");
    xml.end();
    xml.end();
    xml.end();
    xml.end();

    start_style(xml, {"paragraph", "Normal", "Normal", 0, false, true, false, true}, false);
    xml.end();
    start_style(xml, {"character", "DefaultParagraphFont", "Default Paragraph Font", 1, false, true, true, false}, false);
    xml.end();
    start_style(xml, {"table", "TableNormal", "Normal Table", 99, false, true, true, false}, false);
    borderless_cell_margins(xml);
    xml.end();
    start_style(xml, {"numbering", "NoList", "No List", 99, false, true, true, false}, false);
    xml.end();

    start_style(xml, {"paragraph", "Title", "Title", 10, false, false, false, true}, true);
    xml.start("w:pPr");
    spacing(xml, 0, 240);
    xml.end();
    xml.start("w:rPr");
    xml.element("w:b");
    xml.element("w:bCs");
    font_size(xml, 48);
    xml.end();
    xml.end();

    start_style(xml, {"paragraph", "Subtitle", "Subtitle", 11, false, false, false, true}, true);
    xml.start("w:pPr");
    spacing(xml, 0, 240);
    xml.end();
    xml.start("w:rPr");
    value(xml, "w:color", "595959");
    font_size(xml, 32);
    xml.end();
    xml.end();

    heading(xml, "Heading1", "heading 1", 0, 360, 32);
    heading(xml, "Heading2", "heading 2", 1, 240, 28);
    heading(xml, "Heading3", "heading 3", 2, 200, 24);

    start_style(xml, {"paragraph", "Caption", "caption", 35, false, false, true, true}, true);
    xml.start("w:pPr");
    spacing(xml, 60, 200);
    xml.end();
    xml.start("w:rPr");
    xml.element("w:i");
    xml.element("w:iCs");
    font_size(xml, 18);
    xml.end();
    xml.end();

    start_style(xml, {"paragraph", "ListBullet", "List Bullet", 99, false, false, true, false}, true);
    xml.start("w:pPr");
    xml.start("w:numPr");
    value(xml, "w:ilvl", 0);
    value(xml, "w:numId", 1);
    xml.end();
    spacing(xml, 0, 60);
    xml.end();
    xml.end();

    start_style(xml, {"paragraph", "Small", "Small", 0, true, false, false, true}, true);
    xml.start("w:rPr");
    font_size(xml, 18);
    xml.end();
    xml.end();

    start_style(xml, {"paragraph", "TableText", "Table Text", 0, true, false, false, false}, true);
    xml.start("w:pPr");
    spacing(xml, 20, 20);
    xml.end();
    xml.end();

    start_style(xml, {"paragraph", "Header", "header", 99, false, false, true, false}, true);
    xml.start("w:pPr");
    spacing(xml, 0, 0);
    xml.end();
    xml.end();

    start_style(xml, {"paragraph", "Footer", "footer", 99, false, false, true, false}, true);
    xml.start("w:pPr");
    spacing(xml, 0, 0);
    xml.end();
    xml.start("w:rPr");
    font_size(xml, 18);
    xml.end();
    xml.end();

    xml.end();
    return xml.finish();
}

std::string numbering() {
    XmlWriter xml;
    xml.declaration();
    xml.start("w:numbering");
    xml.attribute("xmlns:w", main_namespace);
    xml.start("w:abstractNum");
    xml.attribute("w:abstractNumId", 0);
    value(xml, "w:multiLevelType", "singleLevel");
    xml.start("w:lvl");
    xml.attribute("w:ilvl", 0);
    value(xml, "w:start", 1);
    value(xml, "w:numFmt", "bullet");
    value(xml, "w:pStyle", "ListBullet");
    value(xml, "w:lvlText", "\xE2\x80\xA2");  // U+2022 bullet
    value(xml, "w:lvlJc", "left");
    xml.start("w:pPr");
    xml.start("w:ind");
    xml.attribute("w:left", 360);
    xml.attribute("w:hanging", 360);
    xml.end();
    xml.end();
    xml.start("w:rPr");
    xml.start("w:rFonts");
    xml.attribute("w:ascii", body_font);
    xml.attribute("w:hAnsi", body_font);
    xml.attribute("w:hint", "default");
    xml.end();
    xml.end();
    xml.end();
    xml.end();
    xml.start("w:num");
    xml.attribute("w:numId", 1);
    value(xml, "w:abstractNumId", 0);
    xml.end();
    xml.end();
    return xml.finish();
}

std::string settings() {
    XmlWriter xml;
    xml.declaration();
    xml.start("w:settings");
    xml.attribute("xmlns:w", main_namespace);
    xml.start("w:zoom");
    xml.attribute("w:percent", 100);
    xml.end();
    value(xml, "w:defaultTabStop", 720);
    value(xml, "w:characterSpacingControl", "doNotCompress");
    xml.start("w:compat");
    xml.start("w:compatSetting");
    xml.attribute("w:name", "compatibilityMode");
    xml.attribute("w:uri", "http://schemas.microsoft.com/office/word");
    xml.attribute("w:val", "15");
    xml.end();
    xml.end();
    xml.end();
    return xml.finish();
}

std::string font_table() {
    XmlWriter xml;
    xml.declaration();
    xml.start("w:fonts");
    xml.attribute("xmlns:w", main_namespace);
    xml.start("w:font");
    xml.attribute("w:name", body_font);
    value(xml, "w:panose1", "020B0604020202020204");
    value(xml, "w:charset", "00");
    value(xml, "w:family", "swiss");
    value(xml, "w:pitch", "variable");
    xml.end();
    xml.end();
    return xml.finish();
}

}  // namespace imrdesk::docformats::detail::docx
