#include "xml_reader.hpp"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include <climits>
#include <mutex>

#include "imrdesk/docformats/xlsx.hpp"

namespace imrdesk::docformats::detail {
namespace {

std::string_view view(const xmlChar* text) noexcept {
    return text == nullptr ? std::string_view{} : std::string_view(reinterpret_cast<const char*>(text));
}

void init_libxml_once() {
    // xmlInitParser must run once before readers are used from several threads.
    static std::once_flag once;
    std::call_once(once, [] { xmlInitParser(); });
}

constexpr std::string_view doctype_message =
    "the XML has a DOCTYPE (entity declarations), which a workbook never has: refusing it";

// A DTD can only come in the prolog, before the root element. Refusing it here means libxml2
// never parses entity declarations at all; the reader's own DOCTYPE check stays as a second
// line for prologs this does not follow (e.g. UTF-16 parts).
bool prolog_has_doctype(std::string_view text) noexcept {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    for (;;) {
        const std::size_t start = text.find_first_not_of(" \t\r\n");
        if (start == std::string_view::npos) return false;
        text.remove_prefix(start);
        std::string_view close;
        if (text.substr(0, 2) == "<?") {
            close = "?>";
        } else if (text.substr(0, 4) == "<!--") {
            close = "-->";
        } else {
            return text.substr(0, 9) == "<!DOCTYPE";
        }
        const std::size_t end = text.find(close, 2);
        if (end == std::string_view::npos) return false;
        text.remove_prefix(end + close.size());
    }
}

}  // namespace

static void ignore_generic_error(void*, const char*, ...) {}

XmlReader::ThreadErrorHandlers::ThreadErrorHandlers(XmlReader* reader) noexcept
    : structured_context_(xmlStructuredErrorContext), structured_(xmlStructuredError),
      generic_context_(xmlGenericErrorContext), generic_(xmlGenericError) {
    init_libxml_once();
    xmlSetStructuredErrorFunc(reader, &XmlReader::on_error);
    xmlSetGenericErrorFunc(nullptr, &ignore_generic_error);
}

XmlReader::ThreadErrorHandlers::~ThreadErrorHandlers() {
    xmlSetStructuredErrorFunc(structured_context_, structured_);
    xmlSetGenericErrorFunc(generic_context_, generic_);
}

void XmlReader::Freer::operator()(_xmlTextReader* reader) const noexcept { xmlFreeTextReader(reader); }

void XmlReader::on_error(void* self, xmlError* error) {
    auto* reader = static_cast<XmlReader*>(self);
    if (error == nullptr || error->level == XML_ERR_WARNING || !reader->error_.empty()) return;
    std::string message = error->message != nullptr ? error->message : "unknown XML error";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    reader->error_ = message.empty() ? "unknown XML error" : message;
    reader->error_line_ = error->line;
}

XmlReader::XmlReader(std::string_view text, std::string where, int max_depth)
    : where_(std::move(where)), max_depth_(max_depth) {
    if (text.size() > static_cast<std::size_t>(INT_MAX)) throw XlsxError(where_ + ": too large to parse");
    if (prolog_has_doctype(text)) throw XlsxError(where_ + " line 1: " + std::string(doctype_message));
    // No XML_PARSE_NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR/DTDVALID, no network.
    // XML_PARSE_NOERROR/NOWARNING keep libxml2 from printing; errors still reach on_error.
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    reader_.reset(xmlReaderForMemory(text.data(), static_cast<int>(text.size()), nullptr, nullptr, options));
    if (!reader_) throw XlsxError(where_ + ": cannot start reading its XML");
    xmlTextReaderSetStructuredErrorHandler(reader_.get(), &XmlReader::on_error, this);
}

XmlReader::~XmlReader() = default;

void XmlReader::fail(std::string_view message) const {
    std::string text = where_;
    const int at = line();
    if (at > 0) text += " line " + std::to_string(at);
    text += ": ";
    text += message;
    throw XlsxError(text);
}

bool XmlReader::next() {
    const int rc = xmlTextReaderRead(reader_.get());
    if (!error_.empty()) {
        std::string text = where_;
        if (error_line_ > 0) text += " line " + std::to_string(error_line_);
        throw XlsxError(text + ": not well-formed XML: " + error_);
    }
    if (rc < 0) fail("not well-formed XML");
    if (rc == 0) return false;
    const int type = xmlTextReaderNodeType(reader_.get());
    if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY ||
        type == XML_READER_TYPE_ENTITY_REFERENCE) {
        // Office never writes a DTD; one in a workbook is an entity-expansion attack or junk.
        fail(doctype_message);
    }
    if (depth() > max_depth_) fail("XML nested deeper than " + std::to_string(max_depth_) + " levels (depth limit)");
    return true;
}

bool XmlReader::is_start() const noexcept { return xmlTextReaderNodeType(reader_.get()) == XML_READER_TYPE_ELEMENT; }

bool XmlReader::is_end() const noexcept {
    return xmlTextReaderNodeType(reader_.get()) == XML_READER_TYPE_END_ELEMENT;
}

bool XmlReader::is_empty_element() const noexcept { return xmlTextReaderIsEmptyElement(reader_.get()) == 1; }

bool XmlReader::is_text() const noexcept {
    switch (xmlTextReaderNodeType(reader_.get())) {
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: return true;
    default: return false;
    }
}

int XmlReader::depth() const noexcept { return xmlTextReaderDepth(reader_.get()); }

std::string_view XmlReader::local_name() const noexcept { return view(xmlTextReaderConstLocalName(reader_.get())); }

std::string_view XmlReader::namespace_uri() const noexcept {
    return view(xmlTextReaderConstNamespaceUri(reader_.get()));
}

std::string_view XmlReader::value() const noexcept { return view(xmlTextReaderConstValue(reader_.get())); }

int XmlReader::line() const noexcept { return xmlTextReaderGetParserLineNumber(reader_.get()); }

std::optional<std::string> XmlReader::attribute(std::string_view local, bool namespaced) {
    std::optional<std::string> found;
    if (xmlTextReaderMoveToFirstAttribute(reader_.get()) != 1) return found;
    do {
        if (local_name() != local) continue;
        const std::string_view uri = namespace_uri();
        const bool is_xmlns = uri == "http://www.w3.org/2000/xmlns/";
        if (namespaced ? (!uri.empty() && !is_xmlns) : uri.empty()) {
            found = std::string(value());
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(reader_.get()) == 1);
    xmlTextReaderMoveToElement(reader_.get());
    return found;
}

void XmlReader::read_text(std::string& out, std::size_t max_bytes, std::string_view what) {
    if (is_empty_element()) return;
    const int start = depth();
    while (next()) {
        if (is_end() && depth() == start) return;
        if (is_text()) {
            const std::string_view text = value();
            if (out.size() + text.size() > max_bytes) {
                fail(std::string(what) + " has more than " + std::to_string(max_bytes) + " bytes of text");
            }
            out += text;
        }
    }
    fail("the document ends inside an element");
}

}  // namespace imrdesk::docformats::detail

namespace imrdesk::docformats::detail {
namespace {

bool in_sml_namespace(const XmlReader& reader) noexcept {
    const std::string_view uri = reader.namespace_uri();
    return uri.empty() || uri == "http://schemas.openxmlformats.org/spreadsheetml/2006/main" ||
           uri == "http://purl.oclc.org/ooxml/spreadsheetml/main";
}

}  // namespace

bool is_sml_start(const XmlReader& reader, std::string_view local) noexcept {
    return reader.is_start() && reader.local_name() == local && in_sml_namespace(reader);
}

bool is_sml_end(const XmlReader& reader, std::string_view local) noexcept {
    return reader.is_end() && reader.local_name() == local && in_sml_namespace(reader);
}

}  // namespace imrdesk::docformats::detail
