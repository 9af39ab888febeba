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
    std::size_t line = 0;  // 1-based physical line on which the record starts (blank lines count)
    std::vector<std::string> fields;
};

// Parses a whole document, in one pass, in time linear in its size.
//  * Line ends are CRLF, LF or a lone CR, in any mix; each ends one physical line. A line end
//    inside a quoted field is kept in the field byte for byte and counted, so Record.line and
//    error lines stay right after multi-line fields.
//  * A UTF-8 byte-order mark at the very start is skipped. Empty lines are skipped (a line of
//    spaces is a record with one field). A trailing newline is optional.
//  * Fields are never trimmed. `""` is one empty field, and a line holding only `""` is a record.
//  * A quote inside an unquoted field (ab"c, 5'11") is kept literally, as spreadsheets write it.
// Throws ParseError (what() is "line N: reason") for: a quote that is never closed (naming the
// line where it opened), any character after a closing quote other than a comma or a line end
// ("a"b), invalid UTF-8 (naming the line), a NUL byte, a field longer than max_field_bytes (after
// unquoting; naming the line where it starts), a record with more than max_fields fields, more
// than max_records records. An empty document yields no records.
// `delimiter` is ',' (RFC 4180), ';' (what Excel writes where the decimal mark is a comma) or
// '\t' (Excel's "Unicode text"); std::invalid_argument for anything else.
[[nodiscard]] std::vector<Record> parse(std::string_view document, const Limits& limits = {}, char delimiter = ',');

// The separator of a delimited text file, judged from its first record (quotes respected): the
// most frequent of comma, semicolon and tab outside quotes; a comma on a tie or when none occurs.
[[nodiscard]] char detect_delimiter(std::string_view document) noexcept;
[[nodiscard]] std::string_view delimiter_name(char delimiter) noexcept;  // "comma", "semicolon", "tab"

// Appends one record, ending with CRLF (RFC 4180). A field is quoted (and its quotes doubled)
// when it contains a comma, a quote, CR or LF, starts or ends with a space or a tab, starts with
// a byte-order mark, or is the only field and empty (so it is not read back as a blank line).
// For any fields that parse() can return, parse(written) gives the same fields back; a record of
// no fields is a blank line, which parse() skips.
// Throws std::invalid_argument, appending nothing, when a field holds invalid UTF-8 or a NUL
// byte (parse() would refuse the result). Guarding against formula injection (=, +, -, @) is the
// exporter's job, not this codec's.
void write_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace imrdesk::csv
