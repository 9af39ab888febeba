#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "imrdesk/shared/utf8.hpp"

using imrdesk::text::count_code_points;
using imrdesk::text::first_invalid_utf8;
using imrdesk::text::is_valid_utf8;

namespace {

// A reference decoder written differently from the implementation: decode by bit patterns, then
// reject overlongs, surrogates and values above U+10FFFF by looking at the code point.
std::optional<std::size_t> reference_first_invalid(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        std::size_t length = 0;
        std::uint32_t cp = 0;
        std::uint32_t min = 0;
        if (b0 < 0x80) {
            ++i;
            continue;
        }
        if ((b0 & 0xE0U) == 0xC0U) {
            length = 2;
            cp = b0 & 0x1FU;
            min = 0x80;
        } else if ((b0 & 0xF0U) == 0xE0U) {
            length = 3;
            cp = b0 & 0x0FU;
            min = 0x800;
        } else if ((b0 & 0xF8U) == 0xF0U) {
            length = 4;
            cp = b0 & 0x07U;
            min = 0x10000;
        } else {
            return i;
        }
        if (i + length > s.size()) {
            return i;
        }
        for (std::size_t k = 1; k < length; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0U) != 0x80U) {
                return i;
            }
            cp = (cp << 6U) | (b & 0x3FU);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return i;
        }
        i += length;
    }
    return std::nullopt;
}

std::string bytes(std::initializer_list<unsigned> values) {
    std::string s;
    for (const unsigned v : values) {
        s.push_back(static_cast<char>(v));
    }
    return s;
}

}  // namespace

TEST_CASE("valid UTF-8, including every boundary") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ASCII, with punctuation!"));
    CHECK(is_valid_utf8(std::string_view("\0", 1)));  // U+0000 is a valid code point
    CHECK(is_valid_utf8(bytes({0x7F})));
    CHECK(is_valid_utf8(bytes({0xC2, 0x80})));              // U+0080
    CHECK(is_valid_utf8(bytes({0xDF, 0xBF})));              // U+07FF
    CHECK(is_valid_utf8(bytes({0xE0, 0xA0, 0x80})));        // U+0800
    CHECK(is_valid_utf8(bytes({0xED, 0x9F, 0xBF})));        // U+D7FF, just below the surrogates
    CHECK(is_valid_utf8(bytes({0xEE, 0x80, 0x80})));        // U+E000, just above
    CHECK(is_valid_utf8(bytes({0xEF, 0xBF, 0xBF})));        // U+FFFF
    CHECK(is_valid_utf8(bytes({0xF0, 0x90, 0x80, 0x80})));  // U+10000
    CHECK(is_valid_utf8(bytes({0xF4, 0x8F, 0xBF, 0xBF})));  // U+10FFFF
    CHECK(is_valid_utf8("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 \xEF\xBB\xBF"));
}

TEST_CASE("invalid UTF-8 and where it starts") {
    struct Case {
        std::string text;
        std::size_t offset;
    };
    const Case cases[] = {
        {bytes({0x80}), 0},                          // a continuation byte on its own
        {bytes({0xBF}), 0},
        {bytes({0xC0, 0x80}), 0},                    // overlong U+0000
        {bytes({0xC1, 0xBF}), 0},                    // overlong U+007F
        {bytes({0xE0, 0x80, 0x80}), 0},              // overlong U+0000
        {bytes({0xE0, 0x9F, 0xBF}), 0},              // overlong U+07FF
        {bytes({0xF0, 0x80, 0x80, 0x80}), 0},        // overlong
        {bytes({0xF0, 0x8F, 0xBF, 0xBF}), 0},        // overlong U+FFFF
        {bytes({0xED, 0xA0, 0x80}), 0},              // U+D800
        {bytes({0xED, 0xBF, 0xBF}), 0},              // U+DFFF
        {bytes({0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}), 0},  // a CESU-8 surrogate pair
        {bytes({0xF4, 0x90, 0x80, 0x80}), 0},        // U+110000
        {bytes({0xF5, 0x80, 0x80, 0x80}), 0},
        {bytes({0xF8, 0x88, 0x80, 0x80, 0x80}), 0},  // five-byte form
        {bytes({0xFE}), 0},
        {bytes({0xFF}), 0},
        {bytes({0xC3}), 0},                          // truncated at the end
        {bytes({0xE2, 0x82}), 0},
        {bytes({0xF0, 0x9F, 0x98}), 0},
        {"ab" + bytes({0xE2, 0x82}) + "c", 2},      // truncated by an ASCII byte
        {"ab" + bytes({0xC3, 0xC3, 0xA9}), 2},      // a lead where a continuation should be
        {"caf" + bytes({0xE9}), 3},                 // Latin-1
        {std::string(20, 'a') + bytes({0x80}), 20},  // after the eight-byte fast path
        {std::string(16, 'a') + bytes({0xC3, 0xA9}) + std::string(13, 'b') + bytes({0xFF}) + "tail", 31},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        const auto at = first_invalid_utf8(c.text);
        REQUIRE(at.has_value());
        CHECK(*at == c.offset);
        CHECK_FALSE(is_valid_utf8(c.text));
    }
}

TEST_CASE("agrees with a reference decoder on every short sequence") {
    // Every one-, two- and three-byte string, each alone and between ASCII.
    for (unsigned a = 0; a < 256; ++a) {
        const std::string one = bytes({a});
        REQUIRE(first_invalid_utf8(one) == reference_first_invalid(one));
        for (unsigned b = 0; b < 256; ++b) {
            const std::string two = bytes({a, b});
            REQUIRE(first_invalid_utf8(two) == reference_first_invalid(two));
            if (a < 0xE0 || a > 0xF4) {
                continue;  // three-byte strings matter only after three- and four-byte leads
            }
            for (unsigned c = 0; c < 256; ++c) {
                const std::string three = bytes({a, b, c});
                REQUIRE(first_invalid_utf8(three) == reference_first_invalid(three));
            }
        }
    }
    // Random four-byte sequences after four-byte leads, and random mixes of longer strings.
    std::mt19937 rng(3629);
    std::uniform_int_distribution<unsigned> any(0, 255);
    std::uniform_int_distribution<unsigned> lead(0xF0, 0xF4);
    std::uniform_int_distribution<unsigned> tail(0x70, 0xC0);
    for (int i = 0; i < 200'000; ++i) {
        const std::string four = bytes({lead(rng), tail(rng), tail(rng), tail(rng)});
        REQUIRE(first_invalid_utf8(four) == reference_first_invalid(four));
    }
    const std::string pieces[] = {"a", "bcdefghij", "\xC3\xA9", "\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xED\xA0\x80",
                                  "\x80", "\xC3", "\xF4\x90\x80\x80"};
    std::uniform_int_distribution<std::size_t> piece(0, std::size(pieces) - 1);
    std::uniform_int_distribution<int> count(0, 40);
    for (int i = 0; i < 20'000; ++i) {
        std::string s;
        for (int k = count(rng); k > 0; --k) {
            s += pieces[piece(rng)];
        }
        REQUIRE(first_invalid_utf8(s) == reference_first_invalid(s));
    }
    for (int i = 0; i < 20'000; ++i) {
        std::string s;
        for (int k = count(rng); k > 0; --k) {
            s.push_back(static_cast<char>(any(rng)));
        }
        REQUIRE(first_invalid_utf8(s) == reference_first_invalid(s));
    }
}

TEST_CASE("count_code_points") {
    CHECK(count_code_points("") == 0);
    CHECK(count_code_points("abc") == 3);
    CHECK(count_code_points("caf\xC3\xA9") == 4);
    CHECK(count_code_points("\xE2\x80\x94") == 1);
    CHECK(count_code_points("\xF0\x9F\x98\x80!") == 2);
    CHECK(count_code_points("\xEF\xBB\xBF" "a") == 2);
    CHECK(count_code_points(std::string_view("\0\0", 2)) == 2);
    CHECK(count_code_points(std::string(1'000'000, 'x')) == 1'000'000);
}
