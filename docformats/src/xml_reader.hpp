#pragma once
// A pull reader over one XML part (libxml2's xmlTextReader), hardened for untrusted input: no
// network, no DTD, no entity expansion, bounded depth, and every parse error an XlsxError that
// names the part and line. Nothing is ever printed to stderr.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct _xmlTextReader;
struct _xmlError;

namespace imrdesk::docformats::detail {

class XmlReader {
public:
    // where names the part in messages ("part xl/workbook.xml"); text must outlive the reader.
    XmlReader(std::string_view text, std::string where, int max_depth);
    ~XmlReader();
    XmlReader(const XmlReader&) = delete;
    XmlReader& operator=(const XmlReader&) = delete;

    // Moves to the next node; false at the end of the document.
    [[nodiscard]] bool next();

    [[nodiscard]] bool is_start() const noexcept;       // an element's start tag (or an empty element)
    [[nodiscard]] bool is_end() const noexcept;         // an element's end tag (never for empty elements)
    [[nodiscard]] bool is_empty_element() const noexcept;  // <x/>: no end tag will follow
    [[nodiscard]] bool is_text() const noexcept;        // text, CDATA or whitespace
    [[nodiscard]] int depth() const noexcept;
    [[nodiscard]] std::string_view local_name() const noexcept;
    [[nodiscard]] std::string_view namespace_uri() const noexcept;
    [[nodiscard]] std::string_view value() const noexcept;  // of a text node
    [[nodiscard]] int line() const noexcept;

    // An attribute of the current element by local name: with no namespace, or (namespaced) in
    // any namespace but xmlns, as for r:id whose URI differs between Transitional and Strict.
    [[nodiscard]] std::optional<std::string> attribute(std::string_view local, bool namespaced = false);

    // Appends the text inside the current element (which must be a start tag) and moves to its
    // end; throws when the text passes max_bytes. Child elements' text counts too.
    void read_text(std::string& out, std::size_t max_bytes, std::string_view what);

    [[nodiscard]] const std::string& where() const noexcept { return where_; }
    // Throws XlsxError "<where> line <n>: <message>".
    [[noreturn]] void fail(std::string_view message) const;

private:
    struct Freer {
        void operator()(_xmlTextReader* reader) const noexcept;
    };
    static void on_error(void* self, _xmlError* error);

    // Some libxml2 errors (character encoding conversion) are raised without a parser context
    // and go to the thread's global handlers, which print to stderr; for the reader's lifetime
    // they come to on_error instead.
    class ThreadErrorHandlers {
    public:
        explicit ThreadErrorHandlers(XmlReader* reader) noexcept;
        ~ThreadErrorHandlers();
        ThreadErrorHandlers(const ThreadErrorHandlers&) = delete;
        ThreadErrorHandlers& operator=(const ThreadErrorHandlers&) = delete;

    private:
        void* structured_context_;
        void (*structured_)(void*, _xmlError*);
        void* generic_context_;
        void (*generic_)(void*, const char*, ...);
    };

    ThreadErrorHandlers handlers_{this};  // first: installed before, removed after the reader
    std::unique_ptr<_xmlTextReader, Freer> reader_;
    std::string where_;
    int max_depth_;
    std::string error_;  // the first error libxml2 reported
    int error_line_ = 0;
};

}  // namespace imrdesk::docformats::detail

namespace imrdesk::docformats::detail {

// SpreadsheetML elements, matched by local name in the Transitional or Strict main namespace
// (or none, as some generators write), so that an extension element of the same name is not.
[[nodiscard]] bool is_sml_start(const XmlReader& reader, std::string_view local) noexcept;
[[nodiscard]] bool is_sml_end(const XmlReader& reader, std::string_view local) noexcept;

}  // namespace imrdesk::docformats::detail
