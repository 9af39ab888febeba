// Arbitrary bytes through what a chronology import does before anything is written: the text
// encoding is detected (or a chosen one applied) and decoded, the separator detected, the table
// parsed, the heading row found and every column planned, every row read. Expected refusals are
// DecodeError, ParseError and ImportError; anything else, or a broken invariant, is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "imrdesk/shared/chronology_csv.hpp"
#include "imrdesk/shared/csv.hpp"
#include "imrdesk/shared/text_encoding.hpp"
#include "imrdesk/shared/utf8.hpp"

namespace {

[[noreturn]] void die(const char* why) {
    std::fprintf(stderr, "fuzz_import: %s\n", why);
    std::abort();
}

void check(std::string_view bytes, std::optional<imrdesk::text::EncodingChoice> forced) {
    using namespace imrdesk;
    text::Decoded decoded;
    try {
        decoded = text::decode(bytes, forced);
    } catch (const text::DecodeError& e) {
        if (e.line() == 0) die("DecodeError with line 0");
        return;
    }
    if (!text::is_valid_utf8(decoded.utf8)) die("decoded text is not UTF-8");
    if (!forced && decoded.encoding == text::Encoding::Utf8 && !decoded.byte_order_mark && decoded.utf8 != bytes)
        die("valid UTF-8 was changed");
    const char delimiter = csv::detect_delimiter(decoded.utf8);
    if (delimiter != ',' && delimiter != ';' && delimiter != '\t') die("a separator that is not , ; or tab");
    domain::ImportPreview preview;
    try {
        domain::ImportChoices choices;
        choices.date_options.current_year = 2026;
        preview = domain::preview_chronology_csv(decoded.utf8, {}, choices, delimiter);
    } catch (const domain::ImportError&) {
        return;
    }
    if (preview.rows.size() + preview.errors.size() > preview.row_count) die("more rows read than the file has");
    if (preview.importable() && preview.rows.size() + preview.errors.size() != preview.row_count)
        die("a row was neither imported nor reported");
    for (const auto& column : preview.columns)
        if (column.target.kind == domain::ColumnTarget::Kind::Extra && column.target.extra_name.empty())
            die("an extra field with no name");
    for (const auto& row : preview.rows) {
        if (row.entry.source.empty() || row.entry.event.empty()) die("an entry without a source or event was accepted");
        for (const auto& extra : row.entry.extra_fields)
            if (extra.value.empty()) die("an empty extra field was kept");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    check(bytes, std::nullopt);
    if (size > 0) {
        // The first byte picks an encoding the user might force, so each decoder meets every input.
        static constexpr imrdesk::text::EncodingChoice kChoices[] = {
            {imrdesk::text::Encoding::Utf8, false}, {imrdesk::text::Encoding::Windows1252, false},
            {imrdesk::text::Encoding::Utf16Le, true}, {imrdesk::text::Encoding::Utf16Be, false}};
        check(bytes.substr(1), kChoices[data[0] % 4]);
    }
    return 0;
}
