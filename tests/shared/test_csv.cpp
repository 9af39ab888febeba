#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/shared/csv.hpp"

using imrdesk::csv::Limits;
using imrdesk::csv::parse;
using imrdesk::csv::ParseError;
using imrdesk::csv::Record;
using imrdesk::csv::write_record;

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows fields_of(const std::vector<Record>& records) {
    Rows rows;
    for (const Record& r : records) {
        rows.push_back(r.fields);
    }
    return rows;
}

std::vector<std::size_t> lines_of(const std::vector<Record>& records) {
    std::vector<std::size_t> lines;
    for (const Record& r : records) {
        lines.push_back(r.line);
    }
    return lines;
}

struct Failure {
    bool thrown = false;
    std::size_t line = 0;
    std::string reason;
    std::string what;
};

Failure failure(std::string_view document, const Limits& limits = {}) {
    Failure f;
    try {
        (void)parse(document, limits);
    } catch (const ParseError& e) {
        f.thrown = true;
        f.line = e.line();
        f.reason = e.reason();
        f.what = e.what();
    }
    return f;
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string written(const Rows& rows) {
    std::string out;
    for (const auto& row : rows) {
        write_record(out, row);
    }
    return out;
}

}  // namespace

TEST_CASE("simple documents, line ends and blank lines") {
    const Rows abc{{"a", "b", "c"}, {"1", "2", "3"}};
    CHECK(fields_of(parse("a,b,c\n1,2,3\n")) == abc);
    CHECK(fields_of(parse("a,b,c\r\n1,2,3\r\n")) == abc);
    CHECK(fields_of(parse("a,b,c\r1,2,3\r")) == abc);
    CHECK(fields_of(parse("a,b,c\r\n1,2,3")) == abc);  // no final newline
    CHECK(fields_of(parse("a,b,c\n1,2,3")) == abc);
    CHECK(fields_of(parse("a,b,c\r\n\r\n\n\r1,2,3\n\n")) == abc);  // blank lines skipped
    CHECK(lines_of(parse("a,b,c\r\n\r\n\n\r1,2,3\n\n")) == std::vector<std::size_t>{1, 5});
    CHECK(lines_of(parse("a\rb\r\nc\nd")) == std::vector<std::size_t>{1, 2, 3, 4});
}

TEST_CASE("empty document, header only, byte-order mark") {
    CHECK(parse("").empty());
    CHECK(parse("\r\n\n\r").empty());
    CHECK(parse("\xEF\xBB\xBF").empty());
    CHECK(fields_of(parse("date,agency,note")) == Rows{{"date", "agency", "note"}});
    CHECK(fields_of(parse("date,agency,note\r\n")) == Rows{{"date", "agency", "note"}});
    const auto with_bom = parse("\xEF\xBB\xBF" "date,agency\r\n1,2\r\n");
    CHECK(fields_of(with_bom) == Rows{{"date", "agency"}, {"1", "2"}});
    CHECK(lines_of(with_bom) == std::vector<std::size_t>{1, 2});
    // Only a leading mark is skipped; one elsewhere is data.
    CHECK(fields_of(parse("a,\xEF\xBB\xBF" "b")) == Rows{{"a", "\xEF\xBB\xBF" "b"}});
    CHECK(fields_of(parse("\xEF\xBB\xBF\xEF\xBB\xBF" "a")) == Rows{{"\xEF\xBB\xBF" "a"}});
}

TEST_CASE("empty fields") {
    CHECK(fields_of(parse(",,\n")) == Rows{{"", "", ""}});
    CHECK(fields_of(parse("a,")) == Rows{{"a", ""}});
    CHECK(fields_of(parse("a,\r\n")) == Rows{{"a", ""}});
    CHECK(fields_of(parse(",a")) == Rows{{"", "a"}});
    CHECK(fields_of(parse("\"\"\n")) == Rows{{""}});  // one empty field, not a blank line
    CHECK(fields_of(parse("\"\",\"\"")) == Rows{{"", ""}});
    CHECK(fields_of(parse(" \n")) == Rows{{" "}});  // spaces are data, never trimmed
    CHECK(fields_of(parse(" a , b ")) == Rows{{" a ", " b "}});
}

TEST_CASE("quoted fields: commas, doubled quotes, newlines") {
    const auto records = parse(
        "date,agency,note\r\n"
        "14/03/2019,Police,\"Visited, no answer\"\r\n"
        "15/03/2019,School,\"Said \"\"fine\"\"\"\r\n"
        "16/03/2019,GP,\"Line one\r\nLine two\nLine three\rLine four\"\r\n"
        "17/03/2019,\"\",\"\"\"\"\r\n"
        "18/03/2019,Health,last\r\n");
    CHECK(fields_of(records) == Rows{{"date", "agency", "note"},
                                     {"14/03/2019", "Police", "Visited, no answer"},
                                     {"15/03/2019", "School", "Said \"fine\""},
                                     {"16/03/2019", "GP", "Line one\r\nLine two\nLine three\rLine four"},
                                     {"17/03/2019", "", "\""},
                                     {"18/03/2019", "Health", "last"}});
    // The record after a field with three embedded line ends starts four lines after it.
    CHECK(lines_of(records) == std::vector<std::size_t>{1, 2, 3, 4, 8, 9});
}

TEST_CASE("line numbers count newlines inside quoted fields") {
    const auto lf = parse("h1,h2\n\"a\nb\nc\",x\n\ny,z\n\"\n\"\nlast\n");
    CHECK(fields_of(lf) == Rows{{"h1", "h2"}, {"a\nb\nc", "x"}, {"y", "z"}, {"\n"}, {"last"}});
    CHECK(lines_of(lf) == std::vector<std::size_t>{1, 2, 6, 7, 9});
    const auto crlf = parse("h1,h2\r\n\"a\r\nb\r\nc\",x\r\n\r\ny,z\r\n\"\r\n\"\r\nlast\r\n");
    CHECK(lines_of(crlf) == std::vector<std::size_t>{1, 2, 6, 7, 9});
    const auto cr = parse("h1,h2\r\"a\rb\rc\",x\r\ry,z\r\"\r\"\rlast\r");
    CHECK(lines_of(cr) == std::vector<std::size_t>{1, 2, 6, 7, 9});
    // An error after a multi-line field names the right line.
    CHECK(failure("a\n\"b\nc\nd\"\ne,\"f\"g\n").line == 5);
}

TEST_CASE("a bare quote inside an unquoted field is kept literally") {
    CHECK(fields_of(parse("ab\"c,d\n")) == Rows{{"ab\"c", "d"}});
    CHECK(fields_of(parse("5'11\",x")) == Rows{{"5'11\"", "x"}});
    CHECK(fields_of(parse("a\"\"b")) == Rows{{"a\"\"b"}});
    CHECK(fields_of(parse(" \"a\",b")) == Rows{{" \"a\"", "b"}});  // the field starts with a space
    CHECK(fields_of(parse("x,a\"")) == Rows{{"x", "a\""}});
}

TEST_CASE("malformed documents name the line") {
    {
        const Failure f = failure("a,b\n\"a\"b,c\n");
        CHECK(f.thrown);
        CHECK(f.line == 2);
        CHECK(contains(f.reason, "text after the closing quote"));
        CHECK(f.what == "line 2: " + f.reason);
    }
    {
        const Failure f = failure("a,b\n\"a\" ,c\n");  // even a space
        CHECK(f.line == 2);
        CHECK(contains(f.reason, "text after the closing quote"));
    }
    {  // an unclosed quote names the line where it opened, not the end of the file
        const Failure f = failure("a,b\nc,\"unclosed\nd,e\nf,g\n");
        CHECK(f.thrown);
        CHECK(f.line == 2);
        CHECK(contains(f.reason, "never closed"));
    }
    {
        const Failure f = failure("\"");
        CHECK(f.line == 1);
        CHECK(contains(f.reason, "never closed"));
    }
    {
        const Failure f = failure("a\n\"x\"\"");
        CHECK(f.line == 2);
        CHECK(contains(f.reason, "never closed"));
    }
    {
        const Failure f = failure(std::string_view("a,b\r\nc,d\0e\r\n", 12));
        CHECK(f.line == 2);
        CHECK(contains(f.reason, "NUL"));
    }
    {
        const Failure f = failure(std::string_view("a\n\"b\0\"", 6));
        CHECK(f.line == 2);
        CHECK(contains(f.reason, "NUL"));
    }
}

TEST_CASE("invalid UTF-8 is refused with its line") {
    struct Case {
        std::string_view document;
        std::size_t line;
    };
    const Case cases[] = {
        {"a,b\n\xFF,c\n", 2},
        {"a,b\nc,d\ne,caf\xE9\n", 3},               // Latin-1
        {"\xC0\xAF", 1},                           // overlong '/'
        {"a\n\"x\ny\xED\xA0\x80\"\n", 3},          // surrogate inside a quoted field, after a newline
        {"a\n\xF4\x90\x80\x80", 2},                // above U+10FFFF
        {"a\n\xE2\x82", 2},                        // cut short by the end
        {"a\n\xE2\x82,b", 2},                      // cut short by a comma
        {"\xEF\xBB", 1},                           // half a byte-order mark
        {"a,\"b\"\xC3\xA9\n", 1},                  // after a closing quote
    };
    for (const Case& c : cases) {
        CAPTURE(c.document);
        const Failure f = failure(c.document);
        CHECK(f.thrown);
        CHECK(f.line == c.line);
        CHECK((contains(f.reason, "invalid UTF-8") || contains(f.reason, "after the closing quote")));
    }
    CHECK(contains(failure("a\n\xFF").reason, "invalid UTF-8"));
    CHECK(fields_of(parse("caf\xC3\xA9,\xE2\x80\x94,\xF0\x9F\x98\x80")) ==
          Rows{{"caf\xC3\xA9", "\xE2\x80\x94", "\xF0\x9F\x98\x80"}});
}

TEST_CASE("limits are enforced without crashing") {
    SUBCASE("a 10 MB field") {
        const std::string big(10u << 20, 'x');
        const Failure unquoted = failure("a,b\n" + big + "\n");
        CHECK(unquoted.line == 2);
        CHECK(contains(unquoted.reason, "longer than 1048576 bytes"));
        const Failure quoted = failure("a,b\n\"" + big + "\"\n");
        CHECK(quoted.line == 2);
        CHECK(contains(quoted.reason, "longer than"));
        std::string quotes = "\"";
        for (int i = 0; i < (1 << 20); ++i) {
            quotes += "\"\"";  // each pair is one byte of content
        }
        quotes += "x\"";
        CHECK(contains(failure(quotes).reason, "longer than"));
        std::string newlines = "h\n\"";
        newlines += std::string(2u << 20, '\n');
        newlines += "\"";
        const Failure lines = failure(newlines);
        CHECK(lines.line == 2);  // where the field opened
        CHECK(contains(lines.reason, "longer than"));
    }
    SUBCASE("exactly at the field limit is fine") {
        Limits limits;
        limits.max_field_bytes = 4;
        CHECK(fields_of(parse("abcd,\"ab\"\"c\"", limits)) == Rows{{"abcd", "ab\"c"}});
        CHECK(contains(failure("abcde", limits).reason, "longer than 4 bytes"));
        CHECK(contains(failure("\"ab\"\"cd\"", limits).reason, "longer than 4 bytes"));
        CHECK(contains(failure("\"ab\r\ncd\"", limits).reason, "longer than 4 bytes"));
    }
    SUBCASE("fields per record") {
        Limits limits;
        limits.max_fields = 3;
        CHECK(parse("a,b,c\n1,2,3", limits).size() == 2);
        const Failure f = failure("a,b,c\n1,2,3,4\n", limits);
        CHECK(f.line == 2);
        CHECK(contains(f.reason, "more than 3 fields"));
        CHECK(failure("a,b,c,", limits).thrown);  // a trailing comma starts a fourth field
        std::string wide(100'000, ',');
        CHECK(contains(failure(wide).reason, "more than 512 fields"));
    }
    SUBCASE("records") {
        Limits limits;
        limits.max_records = 2;
        CHECK(parse("a\nb\n\n\n", limits).size() == 2);
        const Failure f = failure("a\nb\n\nc\n", limits);
        CHECK(f.line == 4);
        CHECK(contains(f.reason, "more than 2 records"));
    }
}

TEST_CASE("parsing is linear: large documents are quick") {
    std::string document = "date,agency,note\r\n";
    for (int i = 0; i < 100'000; ++i) {
        document += "14/03/2019,Police,\"Visited, \"\"no\"\" answer\r\nsecond line\"\r\n";
    }
    const auto started = std::chrono::steady_clock::now();
    const auto records = parse(document);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(records.size() == 100'001);
    CHECK(records.back().line == 200'000);
    CHECK(elapsed < std::chrono::seconds(5));
    // Pathological shapes: many quotes, many blank lines.
    CHECK(parse(std::string(4'000'000, '\n')).empty());
    const std::string many_quotes = "\"" + std::string(1'000'000, '"') + "\"";
    CHECK(parse(many_quotes).size() == 1);
}

TEST_CASE("write_record") {
    const auto one = [](const std::vector<std::string>& fields) {
        std::string out;
        write_record(out, fields);
        return out;
    };
    CHECK(one({"a", "b", "c"}) == "a,b,c\r\n");
    CHECK(one({"Visited, no answer"}) == "\"Visited, no answer\"\r\n");
    CHECK(one({"Said \"fine\""}) == "\"Said \"\"fine\"\"\"\r\n");
    CHECK(one({"two\nlines"}) == "\"two\nlines\"\r\n");
    CHECK(one({"cr\r"}) == "\"cr\r\"\r\n");
    CHECK(one({" leading", "trailing ", "\tx", "in side"}) == "\" leading\",\"trailing \",\"\tx\",in side\r\n");
    CHECK(one({"", "", ""}) == ",,\r\n");
    CHECK(one({""}) == "\"\"\r\n");  // a lone empty field is not a blank line
    CHECK(one({}) == "\r\n");        // no fields: a blank line, which parse() skips
    CHECK(one({"\xEF\xBB\xBF" "x"}) == "\"\xEF\xBB\xBF" "x\"\r\n");
    CHECK(one({"=SUM(A1)", "caf\xC3\xA9"}) == "=SUM(A1),caf\xC3\xA9\r\n");  // injection is the exporter's job
    std::string appended = "x\r\n";
    write_record(appended, {"y"});
    CHECK(appended == "x\r\ny\r\n");
    std::string untouched;
    CHECK_THROWS_AS(write_record(untouched, {"ok", "caf\xE9"}), std::invalid_argument);
    CHECK_THROWS_AS(write_record(untouched, {std::string("a\0b", 3)}), std::invalid_argument);
    CHECK(untouched.empty());
}

TEST_CASE("write then parse gives the same fields") {
    const Rows awkward{
        {"plain", "with, comma", "with \"quotes\"", "\"", "\"\"", "\"leading quote", "trailing quote\""},
        {"new\nline", "crlf\r\ninside", "lone\rcr", "\n", "\r\n", "\r", ""},
        {" ", "  padded  ", "\t", "trailing\t"},
        {""},
        {"", ""},
        {"\xEF\xBB\xBF"},
        {"\xEF\xBB\xBF" "bom first", "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80"},
        {"=HYPERLINK(\"x\")", "+1", "-1", "@SUM"},
    };
    const std::string document = written(awkward);
    CHECK(fields_of(parse(document)) == awkward);
    // The first record starting with a byte-order mark must survive being first in the file.
    const Rows bom_first{{"\xEF\xBB\xBF" "x", "y"}, {"z"}};
    CHECK(fields_of(parse(written(bom_first))) == bom_first);

    // Property: random fields from an alphabet rich in the characters that matter.
    const std::vector<std::string> alphabet{"a", "b", " ", ",", "\"", "\r", "\n", "\t", "\xC3\xA9", "\xE2\x80\x94",
                                            "\xF0\x9F\x98\x80", "\xEF\xBB\xBF", "'", "="};
    std::mt19937 rng(4180);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::uniform_int_distribution<int> field_length(0, 6);
    std::uniform_int_distribution<int> field_count(1, 6);
    std::uniform_int_distribution<int> record_count(1, 8);
    for (int round = 0; round < 3'000; ++round) {
        Rows rows(static_cast<std::size_t>(record_count(rng)));
        for (auto& row : rows) {
            row.resize(static_cast<std::size_t>(field_count(rng)));
            for (auto& field : row) {
                for (int i = field_length(rng); i > 0; --i) {
                    field += alphabet[pick(rng)];
                }
            }
        }
        const std::string doc = written(rows);
        CAPTURE(doc);
        const auto records = parse(doc);
        REQUIRE(fields_of(records) == rows);
        // Lines: each record starts after the line ends of the ones before it.
        std::size_t line = 1;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            REQUIRE(records[i].line == line);
            const std::string one_record = written({rows[i]});
            for (std::size_t k = 0; k < one_record.size(); ++k) {
                if (one_record[k] == '\n' || (one_record[k] == '\r' && (k + 1 == one_record.size() ||
                                                                          one_record[k + 1] != '\n'))) {
                    ++line;
                }
            }
        }
    }
}
