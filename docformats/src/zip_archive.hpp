#pragma once
// Read-only access to a zip archive held in memory, with every size counted while inflating:
// the sizes in zip headers are the attacker's to choose.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "imrdesk/docformats/xlsx.hpp"

struct zip;

namespace imrdesk::docformats::detail {

// "256 MiB", "1 KiB" or "1000 bytes", for messages about limits.
[[nodiscard]] std::string format_size(std::size_t bytes);

class ZipArchive {
public:
    // Throws XlsxError when the bytes are not a readable zip or break a limit.
    ZipArchive(std::string_view bytes, const XlsxLimits& limits);
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    // Part names compare without case, as OPC part names do.
    [[nodiscard]] bool contains(std::string_view name) const;
    // The whole part, inflated; nullopt when there is no such entry.
    [[nodiscard]] std::optional<std::string> read_if_present(std::string_view name);
    // As read_if_present, but a missing part is an XlsxError.
    [[nodiscard]] std::string read(std::string_view name);

private:
    struct Closer {
        void operator()(zip* archive) const noexcept;
    };
    std::unique_ptr<zip, Closer> zip_;
    const XlsxLimits& limits_;
    std::size_t total_read_ = 0;
};

}  // namespace imrdesk::docformats::detail
