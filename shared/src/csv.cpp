// RFC 4180 reader and writer. One forward pass over the document, no recursion, no backtracking:
// every byte is looked at a bounded number of times, so parsing is linear in the input size.
//
// Choices beyond RFC 4180 (documented in csv.hpp):
//  * line ends are CRLF, LF or a lone CR; a line end inside a quoted field is kept verbatim;
//  * a UTF-8 byte-order mark at the very start is skipped;
//  * empty lines are skipped (a line holding only spaces is a record with one field);
//  * a quote inside an unquoted field (ab"c) is kept literally, as spreadsheets write it;
//  * anything but a comma or a line end after a closing quote ("a"b) is an error;
//  * spaces are never trimmed.
#include "imrdesk/shared/csv.hpp"

#include <stdexcept>

#include "imrdesk/shared/utf8.hpp"

namespace imrdesk::csv {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Counts physical lines: CRLF, LF and a lone CR each end one line.
class Parser {
public:
    Parser(std::string_view document, const Limits& limits, char delimiter)
        : doc_(document), limits_(limits), delimiter_(delimiter),
          bad_utf8_(text::first_invalid_utf8(document).value_or(npos)) {}

    std::vector<Record> run() {
        std::vector<Record> records;
        if (doc_.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
            pos_ = kByteOrderMark.size();
        }
        while (pos_ < doc_.size()) {
            if (at_line_end()) {  // a blank line
                consume_line_end();
                continue;
            }
            if (records.size() >= limits_.max_records) {
                throw ParseError(line_, "more than " + std::to_string(limits_.max_records) + " records");
            }
            records.push_back(read_record());
        }
        return records;
    }

private:
    static constexpr std::size_t npos = std::string_view::npos;

    [[nodiscard]] bool at_line_end() const noexcept {
        return pos_ < doc_.size() && (doc_[pos_] == '\n' || doc_[pos_] == '\r');
    }

    // Consumes one line end (CRLF, LF or CR) at pos_, appending it to field when given.
    void consume_line_end(std::string* field = nullptr) {
        const bool crlf = doc_[pos_] == '\r' && pos_ + 1 < doc_.size() && doc_[pos_ + 1] == '\n';
        const std::size_t length = crlf ? 2 : 1;
        if (field != nullptr) {
            field->append(doc_.substr(pos_, length));
        }
        pos_ += length;
        ++line_;
    }

    // Throws for a byte that may never appear anywhere: NUL, or the start of invalid UTF-8.
    void check_forbidden(std::size_t at) const {
        if (at == bad_utf8_) {
            throw ParseError(line_, "invalid UTF-8 (byte " + std::to_string(at + 1) +
                                        " of the file); save the file as UTF-8 and import it again");
        }
        if (doc_[at] == '\0') {
            throw ParseError(line_, "a NUL byte; this is not a text file");
        }
    }

    void check_field_size(std::size_t size, std::size_t field_line) const {
        if (size > limits_.max_field_bytes) {
            throw ParseError(field_line, "a field longer than " + std::to_string(limits_.max_field_bytes) + " bytes");
        }
    }

    Record read_record() {
        Record record;
        record.line = line_;
        for (;;) {
            if (record.fields.size() >= limits_.max_fields) {
                throw ParseError(record.line,
                                 "a record with more than " + std::to_string(limits_.max_fields) + " fields");
            }
            record.fields.push_back(pos_ < doc_.size() && doc_[pos_] == '"' ? read_quoted() : read_unquoted());
            if (pos_ >= doc_.size()) {
                return record;
            }
            if (doc_[pos_] == delimiter_) {
                ++pos_;
                continue;  // another field follows, possibly empty ("a," has two fields)
            }
            consume_line_end();  // read_* stop only at a comma, a line end or the end
            return record;
        }
    }

    std::string read_unquoted() {
        const std::size_t start = pos_;
        while (pos_ < doc_.size()) {
            const char c = doc_[pos_];
            if (c == delimiter_ || c == '\n' || c == '\r') {
                break;
            }
            check_forbidden(pos_);
            ++pos_;
            check_field_size(pos_ - start, line_);
        }
        return std::string(doc_.substr(start, pos_ - start));
    }

    std::string read_quoted() {
        const std::size_t open_line = line_;
        ++pos_;  // the opening quote
        std::string field;
        for (;;) {
            // Copy the run of ordinary bytes in one go.
            const std::size_t run = pos_;
            while (pos_ < doc_.size()) {
                const char c = doc_[pos_];
                if (c == '"' || c == '\n' || c == '\r') {
                    break;
                }
                check_forbidden(pos_);
                ++pos_;
                check_field_size(field.size() + (pos_ - run), open_line);
            }
            field.append(doc_.substr(run, pos_ - run));
            if (pos_ >= doc_.size()) {
                throw ParseError(open_line, "a quoted field that is never closed (its opening quote is on this line)");
            }
            if (doc_[pos_] == '"') {
                if (pos_ + 1 < doc_.size() && doc_[pos_ + 1] == '"') {  // "" is one quote
                    field.push_back('"');
                    pos_ += 2;
                    check_field_size(field.size(), open_line);
                    continue;
                }
                ++pos_;  // the closing quote
                break;
            }
            consume_line_end(&field);  // a line end inside the quotes belongs to the field
            check_field_size(field.size(), open_line);
        }
        if (pos_ < doc_.size() && doc_[pos_] != delimiter_ && doc_[pos_] != '\n' && doc_[pos_] != '\r') {
            check_forbidden(pos_);
            throw ParseError(line_, "text after the closing quote of a field; a quote inside a quoted field "
                                    "must be doubled (\"\")");
        }
        return field;
    }

    std::string_view doc_;
    const Limits& limits_;
    char delimiter_;
    std::size_t bad_utf8_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

bool needs_quotes(const std::string& field, bool only_field) {
    if (field.empty()) {
        return only_field;  // a lone empty field would be a blank line, which parse() skips
    }
    if (field.find_first_of(",\"\r\n") != std::string::npos) {
        return true;
    }
    const char first = field.front();
    const char last = field.back();
    if (first == ' ' || first == '\t' || last == ' ' || last == '\t') {
        return true;  // spreadsheets trim unquoted spaces
    }
    // A field starting with a byte-order mark would lose it when it starts the document.
    return field.starts_with(kByteOrderMark);
}

}  // namespace

ParseError::ParseError(std::size_t line, const std::string& reason)
    : std::runtime_error("line " + std::to_string(line) + ": " + reason), line_(line), reason_(reason) {}

std::vector<Record> parse(std::string_view document, const Limits& limits, char delimiter) {
    if (delimiter != ',' && delimiter != ';' && delimiter != '\t')
        throw std::invalid_argument("csv::parse: the delimiter must be a comma, a semicolon or a tab");
    return Parser(document, limits, delimiter).run();
}

char detect_delimiter(std::string_view document) noexcept {
    if (document.substr(0, kByteOrderMark.size()) == kByteOrderMark) document.remove_prefix(kByteOrderMark.size());
    // Count each candidate outside quotes on the first non-blank record (which may span lines).
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false, started = false;
    for (const char c : document) {
        if (!started && (c == '\n' || c == '\r')) continue;
        started = true;
        if (c == '"') quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r')) break;
        else if (!quoted && c == ',') ++commas;
        else if (!quoted && c == ';') ++semicolons;
        else if (!quoted && c == '\t') ++tabs;
    }
    if (tabs > commas && tabs >= semicolons) return '\t';
    if (semicolons > commas) return ';';
    return ',';
}

std::string_view delimiter_name(char delimiter) noexcept {
    switch (delimiter) {
        case ',': return "comma";
        case ';': return "semicolon";
        case '\t': return "tab";
        default: return "other";
    }
}

void write_record(std::string& out, const std::vector<std::string>& fields) {
    for (const std::string& field : fields) {
        if (const auto bad = text::first_invalid_utf8(field)) {
            throw std::invalid_argument("csv::write_record: field has invalid UTF-8 at byte " +
                                        std::to_string(*bad + 1));
        }
        if (field.find('\0') != std::string::npos) {
            throw std::invalid_argument("csv::write_record: field contains a NUL byte");
        }
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        const std::string& field = fields[i];
        if (!needs_quotes(field, fields.size() == 1)) {
            out.append(field);
            continue;
        }
        out.push_back('"');
        for (const char c : field) {
            if (c == '"') {
                out.push_back('"');
            }
            out.push_back(c);
        }
        out.push_back('"');
    }
    out.append("\r\n");
}

}  // namespace imrdesk::csv
