#pragma once
// Tells what kind of file the user picked, so that the importer can say "this is a Word
// document" rather than fail on it. Decided by magic bytes and, for zips, by their parts; text
// encodings are not decided here.
#include <string_view>

namespace imrdesk::docformats {

enum class FileKind {
    Text,      // no NUL bytes and few control characters, or a UTF-16 byte-order mark
    Xlsx,      // Office Open XML workbook (.xlsx, .xlsm)
    Xls,       // OLE2 compound file: an old .xls or .doc, or a password-protected .xlsx
    Ods,       // OpenDocument spreadsheet
    Docx,      // Office Open XML word-processing document
    Odt,       // OpenDocument text
    Pdf,
    OtherZip,  // a zip archive (or something that starts like one) of another kind
    Binary,
};

[[nodiscard]] FileKind sniff_file_kind(std::string_view bytes);

// For messages: "an Excel workbook (.xlsx)", "a PDF document", ...
[[nodiscard]] std::string_view describe(FileKind kind);

}  // namespace imrdesk::docformats
