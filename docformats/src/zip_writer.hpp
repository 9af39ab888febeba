#pragma once
// Builds a zip archive in memory (for the parts of a .docx).
#include <deque>
#include <memory>
#include <string>
#include <string_view>

struct zip;
struct zip_source;

namespace imrdesk::docformats::detail {

class ZipWriter {
public:
    ZipWriter();  // throws DocumentWriteError
    ~ZipWriter();
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    // Adds a deflated entry; the writer keeps the content until finish().
    void add(std::string_view name, std::string content);
    // The archive's bytes; the writer cannot be used afterwards.
    [[nodiscard]] std::string finish();

private:
    struct Discarder {
        void operator()(zip* archive) const noexcept;
    };
    struct SourceFreer {
        void operator()(zip_source* source) const noexcept;
    };
    std::unique_ptr<zip_source, SourceFreer> buffer_;  // first: outlives the archive writing into it
    std::unique_ptr<zip, Discarder> archive_;
    std::deque<std::string> contents_;  // a deque: adding never moves the bytes libzip points at
};

}  // namespace imrdesk::docformats::detail
