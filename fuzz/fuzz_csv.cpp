// Parses arbitrary bytes as CSV. When they parse, every record is written back and re-parsed;
// the fields must come back unchanged. Any other exception than ParseError is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/shared/csv.hpp"
#include "imrdesk/shared/utf8.hpp"

namespace {

[[noreturn]] void die(const char* why) {
    std::fprintf(stderr, "fuzz_csv: %s\n", why);
    std::abort();
}

void check(std::string_view document, const imrdesk::csv::Limits& limits) {
    std::vector<imrdesk::csv::Record> records;
    try {
        records = imrdesk::csv::parse(document, limits);
    } catch (const imrdesk::csv::ParseError& e) {
        if (e.line() == 0) {
            die("ParseError with line 0");
        }
        return;
    }
    if (!imrdesk::text::is_valid_utf8(document)) {
        die("accepted a document that is not UTF-8");
    }
    std::size_t previous_line = 0;
    std::string written;
    for (const auto& record : records) {
        if (record.fields.empty() || record.fields.size() > limits.max_fields) {
            die("record with no fields or too many fields");
        }
        if (record.line <= previous_line) {
            die("record lines do not increase");
        }
        previous_line = record.line;
        for (const auto& field : record.fields) {
            if (field.size() > limits.max_field_bytes) {
                die("field over the limit");
            }
        }
        imrdesk::csv::write_record(written, record.fields);
    }
    std::vector<imrdesk::csv::Record> again;
    try {
        again = imrdesk::csv::parse(written, limits);
    } catch (const imrdesk::csv::ParseError&) {
        die("could not re-parse what write_record wrote");
    }
    if (again.size() != records.size()) {
        die("round trip changed the number of records");
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (again[i].fields != records[i].fields) {
            die("round trip changed a record");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view document(reinterpret_cast<const char*>(data), size);
    check(document, imrdesk::csv::Limits{});
    // Small limits, so that the limit checks are reached too.
    check(document, imrdesk::csv::Limits{64, 8, 16});
    return 0;
}
