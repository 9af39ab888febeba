#pragma once
// What the document writers (DocxWriter, XlsxWriter) have in common.
#include <stdexcept>
#include <string>

namespace imrdesk::docformats {

// A document could not be written; what() names what failed.
class DocumentWriteError : public std::runtime_error {
public:
    explicit DocumentWriteError(const std::string& message) : std::runtime_error(message) {}
};

// The file's properties (File > Info in Word and Excel). All of them are user text: they pass
// the writer's text filter.
struct DocumentProperties {
    std::string title;
    std::string subject;
    std::string author;
    std::string keywords;
    std::string description;
};

}  // namespace imrdesk::docformats
