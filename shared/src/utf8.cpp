// UTF-8 validation following the Unicode Standard, chapter 3, table 3-7 ("Well-Formed UTF-8
// Byte Sequences"). The second byte's range depends on the lead byte, which is what rejects
// overlong forms (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF
// (F4 90..BF, F5..FF); C0, C1 and stray continuation bytes are never valid leads.
#include "imrdesk/shared/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace imrdesk::text {
namespace {

// Length of the well-formed sequence starting at text[i], or 0 when it is not well formed
// (including a sequence cut short by the end of the text).
std::size_t sequence_length(const unsigned char* p, std::size_t n, std::size_t i) noexcept {
    const unsigned char lead = p[i];
    if (lead < 0x80) {
        return 1;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead == 0xE0) {
        length = 3;
        low = 0xA0;  // below is an overlong form of U+0000..U+07FF
    } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
        length = 3;
    } else if (lead == 0xED) {
        length = 3;
        high = 0x9F;  // above are the surrogates U+D800..U+DFFF
    } else if (lead == 0xF0) {
        length = 4;
        low = 0x90;  // below is an overlong form of U+0000..U+FFFF
    } else if (lead >= 0xF1 && lead <= 0xF3) {
        length = 4;
    } else if (lead == 0xF4) {
        length = 4;
        high = 0x8F;  // above is beyond U+10FFFF
    } else {
        return 0;  // 80..C1 (continuation or overlong lead) and F5..FF
    }
    if (n - i < length) {
        return 0;
    }
    if (p[i + 1] < low || p[i + 1] > high) {
        return 0;
    }
    for (std::size_t k = 2; k < length; ++k) {
        if ((p[i + k] & 0xC0U) != 0x80U) {
            return 0;
        }
    }
    return length;
}

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        // Fast path: eight ASCII bytes at a time.
        if (n - i >= 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, p + i, sizeof word);
            if ((word & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        const std::size_t length = sequence_length(p, n, i);
        if (length == 0) {
            return i;
        }
        i += length;
    }
    return std::nullopt;
}

std::size_t count_code_points(std::string_view text) noexcept {
    std::size_t count = 0;
    for (const char c : text) {
        // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
            ++count;
        }
    }
    return count;
}

}  // namespace imrdesk::text
