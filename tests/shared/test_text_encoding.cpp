// What Excel and records systems write: UTF-8 with and without a byte-order mark, UTF-16 with
// one ("Unicode text"), and Windows-1252 ("CSV (Comma delimited)" on Windows).
#include <doctest/doctest.h>

#include <string>

#include "imrdesk/shared/csv.hpp"
#include "imrdesk/shared/text_encoding.hpp"

using namespace imrdesk::text;

namespace {

std::string utf16(std::u16string_view text, bool little_endian, bool bom) {
    std::string out;
    auto put = [&](char16_t u) {
        const auto lo = static_cast<char>(u & 0xFF);
        const auto hi = static_cast<char>(u >> 8);
        if (little_endian) {
            out += lo;
            out += hi;
        } else {
            out += hi;
            out += lo;
        }
    };
    if (bom) put(0xFEFF);
    for (const char16_t u : text) put(u);
    return out;
}

}  // namespace

TEST_CASE("UTF-8 with and without a byte-order mark is read as it is") {
    const auto plain = decode("Date,Event\n14/03/2019,Caf\xC3\xA9 \xC2\xA3" "5\n");
    CHECK(plain.encoding == Encoding::Utf8);
    CHECK_FALSE(plain.byte_order_mark);
    CHECK(plain.detected);
    CHECK(plain.describe() == "UTF-8");
    const auto bom = decode("\xEF\xBB\xBF" "Date\n");
    CHECK(bom.utf8 == "Date\n");
    CHECK(bom.byte_order_mark);
    CHECK(bom.describe() == "UTF-8 with a byte-order mark");
}

TEST_CASE("Windows-1252 from Excel on Windows is converted, and said so") {
    // "£5 café – “quoted” €" as Excel writes it on Windows.
    const auto d = decode("Event\n\xA3" "5 caf\xE9 \x96 \x93quoted\x94 \x80\n");
    CHECK(d.encoding == Encoding::Windows1252);
    CHECK(d.detected);
    CHECK(d.utf8 == "Event\n\xC2\xA3" "5 caf\xC3\xA9 \xE2\x80\x93 \xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC\n");
    CHECK(d.describe() == "Windows-1252 (not valid UTF-8), converted to UTF-8");
    // The five bytes the code page leaves undefined mean some other encoding: said, with the line.
    CHECK_THROWS_WITH_AS((void)decode("a\nb\n\x81\n"), doctest::Contains("line 3: byte 0x81 is neither UTF-8 nor"), DecodeError);
}

TEST_CASE("UTF-16 LE and BE with a byte-order mark, and LE without one") {
    const std::u16string text = u"Date\tEvent\r\n14/03/2019\tCaf\u00E9 \U0001F600 \u0175\r\n";
    const std::string expected = "Date\tEvent\r\n14/03/2019\tCaf\xC3\xA9 \xF0\x9F\x98\x80 \xC5\xB5\r\n";
    const auto le = decode(utf16(text, true, true));
    CHECK(le.encoding == Encoding::Utf16Le);
    CHECK(le.byte_order_mark);
    CHECK(le.utf8 == expected);
    CHECK(le.describe() == "UTF-16 LE with a byte-order mark, converted to UTF-8");
    const auto be = decode(utf16(text, false, true));
    CHECK(be.encoding == Encoding::Utf16Be);
    CHECK(be.utf8 == expected);
    const auto bare = decode(utf16(text, true, false));
    CHECK(bare.encoding == Encoding::Utf16Le);
    CHECK(bare.utf8 == expected);
    CHECK_THROWS_WITH_AS((void)decode(utf16(text, true, true) + "x"), doctest::Contains("odd number of bytes"), DecodeError);
    CHECK_THROWS_WITH_AS((void)decode(utf16(u"ab\n", true, true) + std::string("\x00\xD8" "a\x00", 4)),
                         doctest::Contains("line 2: a lone UTF-16 high surrogate"), DecodeError);
}

TEST_CASE("a chosen encoding overrides detection, and says when it does not fit") {
    const auto forced = decode("caf\xC3\xA9", EncodingChoice{Encoding::Windows1252, false});
    CHECK(forced.utf8 == "caf\xC3\x83\xC2\xA9");  // what the author sees, and can change back
    CHECK_FALSE(forced.detected);
    CHECK(forced.describe() == "Windows-1252, converted to UTF-8 (as chosen)");
    CHECK_THROWS_WITH_AS((void)decode("ok\n\xE9\n", EncodingChoice{Encoding::Utf8, false}),
                         doctest::Contains("line 2: not valid UTF-8"), DecodeError);
    const auto by_bom = decode(utf16(u"x", false, true), encoding_from_name("UTF-16"));
    CHECK(by_bom.encoding == Encoding::Utf16Be);
    CHECK(by_bom.utf8 == "x");
}

TEST_CASE("encoding names as people type them") {
    CHECK(encoding_from_name("utf-8")->encoding == Encoding::Utf8);
    CHECK(encoding_from_name("UTF8")->encoding == Encoding::Utf8);
    CHECK(encoding_from_name("windows-1252")->encoding == Encoding::Windows1252);
    CHECK(encoding_from_name("cp1252")->encoding == Encoding::Windows1252);
    CHECK(encoding_from_name("utf-16")->utf16_by_bom);
    CHECK(encoding_from_name("utf-16be")->encoding == Encoding::Utf16Be);
    CHECK_FALSE(encoding_from_name("latin9"));
}

TEST_CASE("the separator is judged from the heading row, quotes respected") {
    using imrdesk::csv::detect_delimiter;
    CHECK(detect_delimiter("Date,Source,Event\n1;2;3;4;5\n") == ',');
    CHECK(detect_delimiter("Date;Source;Event\n") == ';');
    CHECK(detect_delimiter("\xEF\xBB\xBF\"Date, time\";Source;Event\n") == ';');
    CHECK(detect_delimiter("Date\tSource\tEvent\r\n") == '\t');
    CHECK(detect_delimiter("\n\nDate;Source\n") == ';');
    CHECK(detect_delimiter("Date") == ',');
    CHECK(detect_delimiter("") == ',');
    CHECK(imrdesk::csv::parse("a;\"b;c\";d\n", {}, ';').at(0).fields == std::vector<std::string>{"a", "b;c", "d"});
    CHECK_THROWS_AS((void)imrdesk::csv::parse("a|b", {}, '|'), std::invalid_argument);
}
