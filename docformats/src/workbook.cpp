#include "workbook.hpp"

#include <algorithm>

#include "imrdesk/docformats/file_kind.hpp"

namespace imrdesk::docformats::detail {
namespace {

struct Relationship {
    std::string id;
    std::string type;
    std::string target;  // resolved to a zip entry name
};

bool ends_with(std::string_view text, std::string_view suffix) noexcept {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string directory_of(std::string_view part) {
    const std::size_t slash = part.rfind('/');
    return slash == std::string_view::npos ? std::string{} : std::string(part.substr(0, slash + 1));
}

// A relationship target, relative to the source part's folder or absolute from the package
// root, as a zip entry name with "." and ".." resolved.
std::string resolve_target(std::string_view source_dir, std::string_view target) {
    std::string path = (!target.empty() && target.front() == '/') ? std::string(target.substr(1))
                                                                   : std::string(source_dir) + std::string(target);
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        const std::string segment = path.substr(start, slash - start);
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        start = slash + 1;
    }
    std::string resolved;
    for (const auto& segment : segments) {
        if (!resolved.empty()) resolved += '/';
        resolved += segment;
    }
    return resolved;
}

std::string rels_part_of(std::string_view part) {
    const std::string dir = directory_of(part);
    return dir + "_rels/" + std::string(part.substr(dir.size())) + ".rels";
}

std::vector<Relationship> read_relationships(ZipArchive& zip, std::string_view source_part, const XlsxLimits& limits) {
    const std::string rels_part = rels_part_of(source_part);
    std::vector<Relationship> relationships;
    const auto xml = zip.read_if_present(rels_part);
    if (!xml) return relationships;
    XmlReader reader(*xml, "part " + rels_part, limits.max_xml_depth);
    const std::string source_dir = directory_of(source_part);
    while (reader.next()) {
        if (!reader.is_start() || reader.local_name() != "Relationship") continue;
        if (reader.attribute("TargetMode").value_or("") == "External") continue;
        Relationship relationship;
        relationship.id = reader.attribute("Id").value_or("");
        relationship.type = reader.attribute("Type").value_or("");
        relationship.target = resolve_target(source_dir, reader.attribute("Target").value_or(""));
        relationships.push_back(std::move(relationship));
    }
    return relationships;
}

bool is_workbook_content_type(std::string_view type) noexcept {
    return ends_with(type, "spreadsheetml.sheet.main+xml") || ends_with(type, "spreadsheetml.template.main+xml") ||
           (type.find("application/vnd.ms-excel.") == 0 && ends_with(type, ".main+xml"));
}

// The workbook part named in [Content_Types].xml, for packages that do not keep it at
// xl/workbook.xml.
std::string find_workbook_part(ZipArchive& zip, const XlsxLimits& limits) {
    if (zip.contains("xl/workbook.xml")) return "xl/workbook.xml";
    const auto xml = zip.read_if_present("[Content_Types].xml");
    if (!xml) return {};
    XmlReader reader(*xml, "part [Content_Types].xml", limits.max_xml_depth);
    while (reader.next()) {
        if (!reader.is_start() || reader.local_name() != "Override") continue;
        if (is_workbook_content_type(reader.attribute("ContentType").value_or(""))) {
            const std::string part = resolve_target({}, reader.attribute("PartName").value_or(""));
            if (!part.empty() && zip.contains(part)) return part;
        }
    }
    return {};
}

void append_utf8(std::string& out, unsigned code_point) {
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Excel writes characters XML cannot hold (a carriage return, control characters) as _xHHHH_,
// and a literal "_x" that would look like one as _x005F_x.
void decode_escapes(std::string& text) {
    if (text.find("_x") == std::string::npos) return;
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' && text[i + 6] == '_') {
            unsigned code_point = 0;
            bool hex = true;
            for (std::size_t k = i + 2; k < i + 6; ++k) {
                const int digit = hex_value(text[k]);
                hex = hex && digit >= 0;
                code_point = code_point * 16 + static_cast<unsigned>(std::max(digit, 0));
            }
            if (hex && (code_point < 0xD800 || code_point > 0xDFFF)) {
                append_utf8(out, code_point);
                i += 6;
                continue;
            }
        }
        out += text[i];
    }
    text = std::move(out);
}

}  // namespace

void check_looks_like_zip(std::string_view bytes) {
    if (bytes.empty()) throw XlsxError("the file is empty");
    const FileKind kind = sniff_file_kind(bytes);
    if (kind == FileKind::Xls) {
        // An encrypted .xlsx is an OLE2 compound file holding EncryptionInfo and EncryptedPackage.
        static constexpr char utf16_name[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0";
        if (bytes.find(std::string_view(utf16_name, sizeof utf16_name - 1)) != std::string_view::npos) {
            throw XlsxError(
                "the workbook is password protected: remove the password in Excel (File > Info > Protect "
                "Workbook) and save again");
        }
        throw XlsxError("the file is " + std::string(describe(kind)) +
                        ", not an .xlsx workbook: open it in Excel and save it as an Excel Workbook (.xlsx)");
    }
    if (bytes.size() < 4 || bytes.substr(0, 2) != "PK") {
        throw XlsxError("the file is not an .xlsx workbook: it looks like " + std::string(describe(kind)));
    }
}

WorkbookInfo read_workbook_info(ZipArchive& zip, std::string_view bytes, const XlsxLimits& limits) {
    WorkbookInfo info;
    info.part = find_workbook_part(zip, limits);
    if (info.part.empty()) {
        throw XlsxError("the file has no Excel workbook part (xl/workbook.xml): it looks like " +
                        std::string(describe(sniff_file_kind(bytes))));
    }
    const std::vector<Relationship> relationships = read_relationships(zip, info.part, limits);
    for (const auto& relationship : relationships) {
        if (ends_with(relationship.type, "/sharedStrings")) info.shared_strings_part = relationship.target;
        if (ends_with(relationship.type, "/styles")) info.styles_part = relationship.target;
    }

    const std::string xml = zip.read(info.part);
    XmlReader reader(xml, "part " + info.part, limits.max_xml_depth);
    while (reader.next()) {
        if (is_sml_start(reader, "workbookPr")) {
            const std::string date1904 = reader.attribute("date1904").value_or("");
            info.date1904 = date1904 == "1" || date1904 == "true";
        } else if (is_sml_start(reader, "sheet")) {
            const std::string name = reader.attribute("name").value_or("");
            const std::string id = reader.attribute("id", true).value_or("");
            const auto relationship = std::find_if(relationships.begin(), relationships.end(),
                                                   [&](const Relationship& r) { return r.id == id; });
            if (relationship == relationships.end()) {
                reader.fail("sheet '" + name + "' refers to relationship '" + id + "', which " +
                            rels_part_of(info.part) + " does not have");
            }
            // Chartsheets, dialog sheets and macro sheets hold no cells to import.
            if (ends_with(relationship->type, "/worksheet")) info.sheets.push_back({name, relationship->target});
        }
    }
    return info;
}

void read_string_item(XmlReader& reader, std::string& out, std::size_t max_bytes, std::string_view what) {
    if (reader.is_empty_element()) return;
    const int item_depth = reader.depth();
    int skip_depth = -1;  // inside a phonetic guide (<rPh>) while >= 0
    bool in_text = false;
    while (reader.next()) {
        if (reader.is_end() && reader.depth() == item_depth) {
            decode_escapes(out);
            return;
        }
        if (skip_depth >= 0) {
            if (reader.is_end() && reader.depth() == skip_depth) skip_depth = -1;
        } else if (is_sml_start(reader, "rPh")) {
            if (!reader.is_empty_element()) skip_depth = reader.depth();
        } else if (is_sml_start(reader, "t")) {
            in_text = !reader.is_empty_element();
        } else if (is_sml_end(reader, "t")) {
            in_text = false;
        } else if (in_text && reader.is_text()) {
            const std::string_view text = reader.value();
            if (out.size() + text.size() > max_bytes) {
                reader.fail(std::string(what) + " has more than " + format_size(max_bytes) + " of text");
            }
            out += text;
        }
    }
    reader.fail("the document ends inside " + std::string(what));
}

std::vector<std::string> read_shared_strings(std::string_view part, std::string_view part_name,
                                             const XlsxLimits& limits) {
    std::vector<std::string> strings;
    XmlReader reader(part, "part " + std::string(part_name), limits.max_xml_depth);
    while (reader.next()) {
        if (!is_sml_start(reader, "si")) continue;
        if (strings.size() >= limits.max_shared_strings) {
            reader.fail("more than " + std::to_string(limits.max_shared_strings) + " shared strings: refusing them");
        }
        std::string text;
        read_string_item(reader, text, limits.max_cell_bytes,
                         "shared string " + std::to_string(strings.size()));
        strings.push_back(std::move(text));
    }
    return strings;
}

}  // namespace imrdesk::docformats::detail
