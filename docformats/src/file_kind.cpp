#include "imrdesk/docformats/file_kind.hpp"

#include <algorithm>
#include <optional>

#include "xml_reader.hpp"
#include "zip_archive.hpp"

namespace imrdesk::docformats {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) noexcept {
    return text.substr(0, prefix.size()) == prefix;
}

std::optional<FileKind> kind_from_content_types(detail::ZipArchive& zip, const XlsxLimits& limits) {
    const auto xml = zip.read_if_present("[Content_Types].xml");
    if (!xml) return std::nullopt;
    detail::XmlReader reader(*xml, "part [Content_Types].xml", limits.max_xml_depth);
    while (reader.next()) {
        if (!reader.is_start() || reader.local_name() != "Override") continue;
        const std::string type = reader.attribute("ContentType").value_or("");
        if (type.find("spreadsheetml.sheet.main+xml") != std::string::npos ||
            type.find("spreadsheetml.template.main+xml") != std::string::npos ||
            starts_with(type, "application/vnd.ms-excel.")) {
            return FileKind::Xlsx;
        }
        if (type.find("wordprocessingml.document.main+xml") != std::string::npos ||
            type.find("wordprocessingml.template.main+xml") != std::string::npos) {
            return FileKind::Docx;
        }
    }
    return std::nullopt;
}

FileKind sniff_zip(std::string_view bytes) {
    XlsxLimits limits;
    limits.max_part_bytes = 4u << 20;
    limits.max_total_bytes = 8u << 20;
    try {
        detail::ZipArchive zip(bytes, limits);
        if (zip.contains("xl/workbook.xml")) return FileKind::Xlsx;
        if (zip.contains("word/document.xml")) return FileKind::Docx;
        if (const auto mimetype = zip.read_if_present("mimetype")) {
            if (starts_with(*mimetype, "application/vnd.oasis.opendocument.spreadsheet")) return FileKind::Ods;
            if (starts_with(*mimetype, "application/vnd.oasis.opendocument.text")) return FileKind::Odt;
        }
        return kind_from_content_types(zip, limits).value_or(FileKind::OtherZip);
    } catch (const XlsxError&) {
        return FileKind::OtherZip;  // damaged, truncated or encrypted: still not something to read as text
    }
}

// Text never has NUL bytes (UTF-16 is recognised by its byte-order mark before this) and
// rarely control characters other than tab, line ends, form feed, escape and DOS's end of file.
bool looks_binary(std::string_view bytes) noexcept {
    const std::string_view sample = bytes.substr(0, 64 * 1024);
    std::size_t controls = 0;
    for (const char c : sample) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == 0) return true;
        if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r' && byte != '\f' && byte != '\v' &&
            byte != 0x1A && byte != 0x1B) {
            ++controls;
        }
    }
    return controls * 20 > sample.size();  // more than 5%
}

}  // namespace

FileKind sniff_file_kind(std::string_view bytes) {
    using namespace std::string_view_literals;
    if (starts_with(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv)) return FileKind::Xls;
    if (starts_with(bytes, "%PDF-"sv)) return FileKind::Pdf;
    if (starts_with(bytes, "PK\x03\x04"sv) || starts_with(bytes, "PK\x05\x06"sv)) return sniff_zip(bytes);
    if (starts_with(bytes, "\xFF\xFE"sv) || starts_with(bytes, "\xFE\xFF"sv) || starts_with(bytes, "\xEF\xBB\xBF"sv)) {
        return FileKind::Text;
    }
    return looks_binary(bytes) ? FileKind::Binary : FileKind::Text;
}

std::string_view describe(FileKind kind) {
    switch (kind) {
    case FileKind::Text: return "a text file";
    case FileKind::Xlsx: return "an Excel workbook (.xlsx)";
    case FileKind::Xls: return "an old Excel 97-2003 workbook (.xls) or Word document (.doc)";
    case FileKind::Ods: return "an OpenDocument spreadsheet (.ods)";
    case FileKind::Docx: return "a Word document (.docx)";
    case FileKind::Odt: return "an OpenDocument text document (.odt)";
    case FileKind::Pdf: return "a PDF document";
    case FileKind::OtherZip: return "a zip archive that is not a workbook";
    case FileKind::Binary: return "a binary file, not text";
    }
    return "a file of unknown kind";
}

}  // namespace imrdesk::docformats
