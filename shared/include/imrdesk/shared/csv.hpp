#pragma once
// RFC 4180 CSV, as spreadsheets and records systems export it: quoted fields with commas,
// quotes ("") and newlines; CRLF or LF line ends; UTF-8 with or without a byte-order mark.
// Input is untrusted: every limit is checked and every error names its line.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imrdesk::csv {

class ParseError : public std::runtime_error {
public:
    ParseError(std::size_t line, const std::string& reason);
    [[nodiscard]] std::size_t line() const noexcept { return line_; }  // 1-based physical line
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

private:
    std::size_t line_;
    std::string reason_;
};

struct Limits {
    std::size_t max_field_bytes = 1u << 20;  // one field: 1 MiB
    std::size_t max_fields = 512;            // per record
    std::size_t max_records = 2'000'000;
};

struct Record {
    std::size_t line = 0;  // 1-based physical line on which the record starts
    std::vector<std::string> fields;
};

// Parses a whole document. Blank lines are skipped. A trailing newline is optional.
// Throws ParseError for: a quote that is never closed (naming the line where it opened), a
// character after a closing quote, invalid UTF-8 (naming the line), a NUL byte, a field or
// record over the limits. An empty document yields no records.
[[nodiscard]] std::vector<Record> parse(std::string_view document, const Limits& limits = {});

// Writes one record, quoting fields that need it, ending with CRLF (RFC 4180).
void write_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace imrdesk::csv
