#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/recovery_key.hpp"

using namespace imrdesk::crypto;

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::string_view kChecksumMessage = "the recovery key does not check: a character was mistyped";

// Index in the formatted text of the n-th significant character (0-based).
std::size_t text_index(std::size_t n) { return n + n / 4; }

std::string parse_error(std::string_view typed) {
    try {
        (void)RecoveryKey::parse(typed);
    } catch (const FormatError& e) {
        return e.what();
    }
    return "(parsed without error)";
}

bool same_key(const RecoveryKey& a, const RecoveryKey& b) {
    const std::vector<std::uint8_t> vault{1, 2, 3};
    return equal_constant_time(a.derive_kek(vault).bytes(), b.derive_kek(vault).bytes());
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("RecoveryKey: format shape") {
    for (int i = 0; i < 20; ++i) {
        const std::string text = RecoveryKey::generate().format();
        REQUIRE(text.size() == 44);
        for (std::size_t j = 0; j < text.size(); ++j) {
            if (j % 5 == 4) {
                CHECK(text[j] == '-');
            } else {
                CHECK(kAlphabet.find(text[j]) != std::string_view::npos);
            }
        }
    }
    CHECK(RecoveryKey::generate().format() != RecoveryKey::generate().format());
}

TEST_CASE("RecoveryKey: parse(format()) round trip") {
    for (int i = 0; i < 50; ++i) {
        const RecoveryKey key = RecoveryKey::generate();
        const std::string text = key.format();
        const RecoveryKey back = RecoveryKey::parse(text);
        CHECK(back.format() == text);
        CHECK(same_key(key, back));
    }
}

TEST_CASE("RecoveryKey: every single-character substitution is detected") {
    for (int k = 0; k < 6; ++k) {
        const std::string text = RecoveryKey::generate().format();
        CAPTURE(text);
        int detected = 0;
        for (std::size_t n = 0; n < 36; ++n) {
            for (const char replacement : kAlphabet) {
                std::string typo = text;
                char& c = typo[text_index(n)];
                if (c == replacement) {
                    continue;
                }
                c = replacement;
                CAPTURE(typo);
                CHECK(parse_error(typo) == kChecksumMessage);
                ++detected;
            }
        }
        CHECK(detected == 36 * 31);
    }
}

TEST_CASE("RecoveryKey: every adjacent transposition is detected") {
    int swaps = 0;
    for (int k = 0; k < 50; ++k) {
        const std::string text = RecoveryKey::generate().format();
        for (std::size_t n = 0; n + 1 < 36; ++n) {  // neighbours among significant characters,
            std::string typo = text;                // across dashes and into the checksum group
            std::swap(typo[text_index(n)], typo[text_index(n + 1)]);
            if (typo == text) {
                continue;  // equal neighbours: nothing changed
            }
            CAPTURE(text);
            CAPTURE(typo);
            CHECK(parse_error(typo) == kChecksumMessage);
            ++swaps;
        }
    }
    CHECK(swaps > 50 * 30);
}

TEST_CASE("RecoveryKey: forgiving input: case, spaces, dashes, I/L/O") {
    const RecoveryKey key = RecoveryKey::generate();
    const std::string text = key.format();

    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    CHECK(same_key(key, RecoveryKey::parse(lower)));

    std::string spaced = text;
    std::replace(spaced.begin(), spaced.end(), '-', ' ');
    CHECK(same_key(key, RecoveryKey::parse("  " + spaced + " \n")));

    std::string bare = text;
    bare.erase(std::remove(bare.begin(), bare.end(), '-'), bare.end());
    CHECK(same_key(key, RecoveryKey::parse(bare)));

    std::string messy = bare;
    messy.insert(7, " - ");
    messy.insert(1, "--");
    CHECK(same_key(key, RecoveryKey::parse(messy)));
}

TEST_CASE("RecoveryKey: I and L read as 1, O as 0") {
    // Find keys that show a 1 and a 0, then type them as letters.
    int tried = 0;
    int checked_one = 0;
    int checked_zero = 0;
    while ((checked_one < 3 || checked_zero < 3) && tried < 1000) {
        ++tried;
        const RecoveryKey key = RecoveryKey::generate();
        const std::string text = key.format();
        for (const auto& [digit, letters] : {std::pair<char, std::string_view>{'1', "ILil"}, {'0', "Oo"}}) {
            const auto at = text.find(digit);
            if (at == std::string::npos) {
                continue;
            }
            for (const char letter : letters) {
                std::string typed = text;
                typed[at] = letter;
                CAPTURE(typed);
                CHECK(same_key(key, RecoveryKey::parse(typed)));
            }
            (digit == '1' ? checked_one : checked_zero) += 1;
        }
    }
    CHECK(checked_one >= 3);
    CHECK(checked_zero >= 3);
}

TEST_CASE("RecoveryKey: U and other characters are refused with their position") {
    const std::string text = RecoveryKey::generate().format();

    std::string with_u = text;
    with_u[text_index(6)] = 'U';  // 7th significant character, group 2
    const std::string u_error = parse_error(with_u);
    CHECK(contains(u_error, "position 7"));
    CHECK(contains(u_error, "group 2"));
    CHECK(contains(u_error, "U"));

    std::string lower_u = text;
    lower_u[text_index(35)] = 'u';  // last checksum character, group 9
    const std::string lu_error = parse_error(lower_u);
    CHECK(contains(lu_error, "position 36"));
    CHECK(contains(lu_error, "group 9"));

    std::string with_star = text;
    with_star[text_index(12)] = '*';
    const std::string star_error = parse_error(with_star);
    CHECK(contains(star_error, "position 13"));
    CHECK(contains(star_error, "group 4"));
    CHECK(contains(star_error, "'*'"));

    std::string with_utf8 = text;
    with_utf8.replace(text_index(0), 1, "\xc3\xa9");  // é
    const std::string utf8_error = parse_error(with_utf8);
    CHECK(contains(utf8_error, "position 1 "));
    CHECK(contains(utf8_error, "group 1"));

    // Positions count significant characters only, whatever the separators.
    std::string spaced = text;
    std::replace(spaced.begin(), spaced.end(), '-', ' ');
    spaced[text_index(6)] = 'U';
    CHECK(contains(parse_error("   " + spaced), "position 7"));
}

TEST_CASE("RecoveryKey: wrong length says expected and found") {
    const std::string text = RecoveryKey::generate().format();

    const std::string short_error = parse_error(text.substr(0, text.size() - 1));
    CHECK(contains(short_error, "36"));
    CHECK(contains(short_error, "35"));

    const std::string long_error = parse_error(text + "7");
    CHECK(contains(long_error, "36"));
    CHECK(contains(long_error, "37"));

    const std::string group_missing = parse_error(text.substr(5));
    CHECK(contains(group_missing, "32"));

    CHECK(contains(parse_error(""), "0 were found"));
    CHECK(contains(parse_error(" - - "), "0 were found"));
}

TEST_CASE("RecoveryKey: derive_kek depends on key and vault") {
    const RecoveryKey a = RecoveryKey::generate();
    const RecoveryKey b = RecoveryKey::generate();
    const std::vector<std::uint8_t> vault1{0x11, 0x22};
    const std::vector<std::uint8_t> vault2{0x11, 0x23};
    const Key32 a1 = a.derive_kek(vault1);
    CHECK(equal_constant_time(a1.bytes(), a.derive_kek(vault1).bytes()));
    CHECK(!equal_constant_time(a1.bytes(), a.derive_kek(vault2).bytes()));
    CHECK(!equal_constant_time(a1.bytes(), a.derive_kek(Bytes{}).bytes()));
    CHECK(!equal_constant_time(a1.bytes(), b.derive_kek(vault1).bytes()));
    CHECK(equal_constant_time(a1.bytes(), RecoveryKey::parse(a.format()).derive_kek(vault1).bytes()));
}

TEST_CASE("RecoveryKey: a moved-from key refuses to be used") {
    RecoveryKey key = RecoveryKey::generate();
    const RecoveryKey other(std::move(key));
    CHECK_THROWS_AS((void)key.format(), CryptoError);                 // NOLINT(bugprone-use-after-move)
    CHECK_THROWS_AS((void)key.derive_kek(Bytes{}), CryptoError);      // NOLINT(bugprone-use-after-move)
    CHECK(other.format().size() == 44);
}
