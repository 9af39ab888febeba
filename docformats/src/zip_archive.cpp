#include "zip_archive.hpp"

#include <zip.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace imrdesk::docformats::detail {
namespace {

constexpr std::string_view password_message =
    "the workbook is password protected: remove the password in Excel (File > Info > Protect Workbook) and save "
    "again";

struct FileCloser {
    void operator()(zip_file_t* file) const noexcept { zip_fclose(file); }
};
struct SourceFreer {
    void operator()(zip_source_t* source) const noexcept { zip_source_free(source); }
};

std::string libzip_message(int code) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    return message;
}

}  // namespace

std::string format_size(std::size_t bytes) {
    constexpr std::size_t kib = 1024;
    constexpr std::size_t mib = kib * 1024;
    if (bytes >= mib && bytes % mib == 0) return std::to_string(bytes / mib) + " MiB";
    if (bytes >= kib && bytes % kib == 0) return std::to_string(bytes / kib) + " KiB";
    return std::to_string(bytes) + " bytes";
}

void ZipArchive::Closer::operator()(zip* archive) const noexcept { zip_discard(archive); }

ZipArchive::ZipArchive(std::string_view bytes, const XlsxLimits& limits) : limits_(limits) {
    if (bytes.empty()) throw XlsxError("the file is empty");
    if (bytes.size() > limits.max_archive_bytes) {
        throw XlsxError("the file is larger than " + format_size(limits.max_archive_bytes) + ": refusing it");
    }
    zip_error_t error;
    zip_error_init(&error);
    std::unique_ptr<zip_source_t, SourceFreer> source(zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error));
    if (!source) {
        zip_error_fini(&error);
        throw XlsxError("cannot read the file as a zip archive");
    }
    zip_t* archive = zip_open_from_source(source.get(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (archive == nullptr) {
        std::string reason = zip_error_strerror(&error);
        zip_error_fini(&error);
        throw XlsxError("the file is not a readable .xlsx (zip) archive, it may be truncated or damaged: " + reason);
    }
    zip_error_fini(&error);
    source.release();  // the archive owns it now
    zip_.reset(archive);

    const zip_int64_t entries = zip_get_num_entries(archive, 0);
    if (entries < 0 || static_cast<std::uint64_t>(entries) > limits.max_entries) {
        throw XlsxError("the archive has more than " + std::to_string(limits.max_entries) + " entries: refusing it");
    }
}

ZipArchive::~ZipArchive() = default;

bool ZipArchive::contains(std::string_view name) const {
    return zip_name_locate(zip_.get(), std::string(name).c_str(), ZIP_FL_NOCASE) >= 0;
}

std::string ZipArchive::read(std::string_view name) {
    auto part = read_if_present(name);
    if (!part) throw XlsxError("part " + std::string(name) + " is missing from the workbook");
    return std::move(*part);
}

std::optional<std::string> ZipArchive::read_if_present(std::string_view name) {
    const std::string part(name);
    const zip_int64_t index = zip_name_locate(zip_.get(), part.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::nullopt;
    const auto entry = static_cast<zip_uint64_t>(index);

    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(zip_.get(), entry, 0, &stat) != 0) {
        throw XlsxError("part " + part + ": cannot read its zip entry: " + zip_strerror(zip_.get()));
    }
    if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && stat.encryption_method != ZIP_EM_NONE) {
        throw XlsxError("part " + part + ": " + std::string(password_message));
    }
    std::unique_ptr<zip_file_t, FileCloser> file(zip_fopen_index(zip_.get(), entry, 0));
    if (!file) {
        const int code = zip_error_code_zip(zip_get_error(zip_.get()));
        if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD) {
            throw XlsxError("part " + part + ": " + std::string(password_message));
        }
        throw XlsxError("part " + part + ": cannot open its zip entry: " + libzip_message(code));
    }

    std::string content;
    // The header's size is only a hint, and a hostile one must not make us reserve much.
    if ((stat.valid & ZIP_STAT_SIZE) != 0) {
        content.reserve(static_cast<std::size_t>(std::min<zip_uint64_t>(stat.size, 1u << 20)));
    }
    std::array<char, 64 * 1024> chunk{};
    for (;;) {
        const zip_int64_t got = zip_fread(file.get(), chunk.data(), chunk.size());
        if (got < 0) {
            throw XlsxError("part " + part + ": the zip entry is damaged: " + zip_file_strerror(file.get()));
        }
        if (got == 0) break;
        const auto n = static_cast<std::size_t>(got);
        if (content.size() + n > limits_.max_part_bytes) {
            throw XlsxError("part " + part + " inflates to more than " + format_size(limits_.max_part_bytes) +
                            ": refusing it (a zip bomb?)");
        }
        if (total_read_ + n > limits_.max_total_bytes) {
            throw XlsxError("part " + part + ": the workbook's parts inflate to more than " +
                            format_size(limits_.max_total_bytes) + " in all: refusing it (a zip bomb?)");
        }
        total_read_ += n;
        content.append(chunk.data(), n);
    }
    return content;
}

}  // namespace imrdesk::docformats::detail
