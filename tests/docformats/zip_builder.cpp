#include "zip_builder.hpp"

#include <zip.h>

#include <memory>
#include <stdexcept>

namespace imrdesk::test {
namespace {

struct SourceFreer {
    void operator()(zip_source_t* source) const noexcept { zip_source_free(source); }
};

}  // namespace

std::string make_zip(const std::vector<ZipEntry>& entries, bool store) {
    zip_error_t error;
    zip_error_init(&error);
    std::unique_ptr<zip_source_t, SourceFreer> buffer(zip_source_buffer_create(nullptr, 0, 0, &error));
    if (!buffer) throw std::runtime_error("zip_source_buffer_create failed");
    zip_source_keep(buffer.get());  // so that it outlives zip_close, which writes into it
    zip_t* archive = zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error);
    if (archive == nullptr) {
        zip_source_free(buffer.get());
        throw std::runtime_error(std::string("zip_open_from_source failed: ") + zip_error_strerror(&error));
    }
    for (const auto& entry : entries) {
        zip_source_t* data = zip_source_buffer(archive, entry.content.data(), entry.content.size(), 0);
        const zip_int64_t index = data == nullptr ? -1 : zip_file_add(archive, entry.name.c_str(), data, ZIP_FL_OVERWRITE);
        if (index < 0) {
            zip_source_free(data);
            zip_discard(archive);
            throw std::runtime_error("zip_file_add failed for " + entry.name);
        }
        if (store) zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }
    if (zip_close(archive) != 0) {
        zip_discard(archive);
        throw std::runtime_error("zip_close failed");
    }
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_source_stat(buffer.get(), &stat) != 0 || zip_source_open(buffer.get()) != 0) {
        throw std::runtime_error("cannot read back the zip");
    }
    std::string bytes(static_cast<std::size_t>(stat.size), '\0');
    const zip_int64_t got = zip_source_read(buffer.get(), bytes.data(), bytes.size());
    zip_source_close(buffer.get());
    if (got < 0 || static_cast<std::size_t>(got) != bytes.size()) throw std::runtime_error("short zip read");
    return bytes;
}

std::vector<ZipEntry> TestWorkbook::entries() const {
    const std::string main_ns =
        strict ? "http://purl.oclc.org/ooxml/spreadsheetml/main" : "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const std::string rel_ns = strict ? "http://purl.oclc.org/ooxml/officeDocument/relationships"
                                      : "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const std::string pkg_rel_ns = "http://schemas.openxmlformats.org/package/2006/relationships";

    std::vector<ZipEntry> out;
    std::string types = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
                        R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
                        R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
                        R"(<Default Extension="xml" ContentType="application/xml"/>)"
                        R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
                        "</Types>";
    out.push_back({"[Content_Types].xml", types});
    out.push_back({"_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" + pkg_rel_ns +
                                      "\"><Relationship Id=\"rId1\" Type=\"" + rel_ns +
                                      "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"});

    std::string workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"" + main_ns + "\" xmlns:r=\"" +
                           rel_ns + "\"><workbookPr " + workbook_pr + "/><sheets>";
    std::string rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" + pkg_rel_ns + "\">";
    for (std::size_t i = 0; i < sheets.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        workbook += "<sheet name=\"" + sheets[i].name + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
        // Alternate relative and absolute targets, as different producers write them.
        const std::string target = i % 2 == 0 ? "worksheets/sheet" + n + ".xml" : "/xl/worksheets/sheet" + n + ".xml";
        rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + rel_ns + "/worksheet\" Target=\"" + target + "\"/>";
        out.push_back({"xl/worksheets/sheet" + n + ".xml",
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" + main_ns + "\"><sheetData>" +
                           sheets[i].sheet_data + "</sheetData>" + sheets[i].after_sheet_data + "</worksheet>"});
    }
    workbook += "</sheets></workbook>";
    if (!shared_strings.empty()) {
        rels += "<Relationship Id=\"rIdS\" Type=\"" + rel_ns + "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
        out.push_back({"xl/sharedStrings.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"" + main_ns +
                                                   "\">" + shared_strings + "</sst>"});
    }
    if (!styles.empty()) {
        rels += "<Relationship Id=\"rIdT\" Type=\"" + rel_ns + "/styles\" Target=\"styles.xml\"/>";
        out.push_back({"xl/styles.xml", styles});
    }
    rels += "</Relationships>";
    out.push_back({"xl/workbook.xml", workbook});
    out.push_back({"xl/_rels/workbook.xml.rels", rels});
    return out;
}

std::string styles_xml(const std::vector<unsigned>& xf_format_ids, const std::vector<std::pair<unsigned, std::string>>& custom) {
    std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)";
    if (!custom.empty()) {
        xml += "<numFmts count=\"" + std::to_string(custom.size()) + "\">";
        for (const auto& [id, code] : custom) {
            xml += "<numFmt numFmtId=\"" + std::to_string(id) + "\" formatCode=\"" + code + "\"/>";
        }
        xml += "</numFmts>";
    }
    // A cellStyleXfs entry with a date format, which must not count as a cell style.
    xml += R"(<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs>)";
    for (const unsigned id : xf_format_ids) xml += "<xf numFmtId=\"" + std::to_string(id) + "\" applyNumberFormat=\"1\"/>";
    xml += "</cellXfs></styleSheet>";
    return xml;
}

}  // namespace imrdesk::test
