#include "zip_writer.hpp"

#include <zip.h>

#include "imrdesk/docformats/document_writing.hpp"

namespace imrdesk::docformats::detail {

void ZipWriter::Discarder::operator()(zip* archive) const noexcept { zip_discard(archive); }
void ZipWriter::SourceFreer::operator()(zip_source* source) const noexcept { zip_source_free(source); }

ZipWriter::ZipWriter() {
    zip_error_t error;
    zip_error_init(&error);
    buffer_.reset(zip_source_buffer_create(nullptr, 0, 0, &error));
    if (!buffer_) {
        zip_error_fini(&error);
        throw DocumentWriteError("cannot create a zip buffer in memory");
    }
    zip_source_keep(buffer_.get());  // the archive's reference; ours stays for reading back
    zip_t* archive = zip_open_from_source(buffer_.get(), ZIP_TRUNCATE, &error);
    if (archive == nullptr) {
        zip_source_free(buffer_.get());  // drop the archive's reference
        std::string reason = zip_error_strerror(&error);
        zip_error_fini(&error);
        throw DocumentWriteError("cannot start a zip archive: " + reason);
    }
    zip_error_fini(&error);
    archive_.reset(archive);
}

ZipWriter::~ZipWriter() = default;

void ZipWriter::add(std::string_view name, std::string content) {
    if (!archive_) throw std::logic_error("ZipWriter::add after finish");
    const std::string& stored = contents_.emplace_back(std::move(content));
    const std::string entry(name);
    zip_source_t* data = zip_source_buffer(archive_.get(), stored.data(), stored.size(), 0);
    if (data == nullptr) throw DocumentWriteError("zip entry " + entry + ": " + zip_strerror(archive_.get()));
    if (zip_file_add(archive_.get(), entry.c_str(), data, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(data);
        throw DocumentWriteError("zip entry " + entry + ": " + zip_strerror(archive_.get()));
    }
}

std::string ZipWriter::finish() {
    if (!archive_) throw std::logic_error("ZipWriter::finish called twice");
    if (zip_close(archive_.get()) != 0) {
        throw DocumentWriteError(std::string("cannot write the zip archive: ") + zip_strerror(archive_.get()));
    }
    (void)archive_.release();  // zip_close freed it
    contents_.clear();

    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_source_stat(buffer_.get(), &stat) != 0 || zip_source_open(buffer_.get()) != 0) {
        throw DocumentWriteError("cannot read back the zip archive");
    }
    std::string bytes(static_cast<std::size_t>(stat.size), '\0');
    const zip_int64_t got = zip_source_read(buffer_.get(), bytes.data(), bytes.size());
    zip_source_close(buffer_.get());
    if (got < 0 || static_cast<std::size_t>(got) != bytes.size()) {
        throw DocumentWriteError("cannot read back the zip archive: short read");
    }
    return bytes;
}

}  // namespace imrdesk::docformats::detail
