#include "imrdesk/shared/text_encoding.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "imrdesk/shared/utf8.hpp"

namespace imrdesk::text {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Windows-1252 0x80..0x9F; 0 where the code page defines no character.
constexpr std::array<char32_t, 32> kWindows1252High{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::size_t line_at(std::string_view text, std::size_t offset) {
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::string hex_byte(unsigned char b) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    return {kDigits[b >> 4], kDigits[b & 0xF]};
}

std::string decode_windows1252(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    std::size_t line = 1;
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (b == '\n') ++line;
        if (b < 0x80) {
            out += c;
        } else if (b < 0xA0) {
            const char32_t cp = kWindows1252High[b - 0x80];
            if (cp == 0)
                throw DecodeError(line, "byte 0x" + hex_byte(b) +
                                            " is neither UTF-8 nor a Windows-1252 character: the file is in another "
                                            "encoding; save it as \"CSV UTF-8\" and import it again");
            append_utf8(out, cp);
        } else {
            append_utf8(out, b);  // Latin-1 and Windows-1252 agree from 0xA0
        }
    }
    return out;
}

std::string decode_utf16(std::string_view bytes, bool little_endian) {
    std::string out;
    out.reserve(bytes.size());
    std::size_t line = 1;
    if (bytes.size() % 2 != 0)
        throw DecodeError(1, "the file has an odd number of bytes, so it is not UTF-16 (cut short?)");
    auto unit = [&](std::size_t i) -> char32_t {
        const auto a = static_cast<unsigned char>(bytes[i]);
        const auto b = static_cast<unsigned char>(bytes[i + 1]);
        return little_endian ? static_cast<char32_t>(a | (b << 8)) : static_cast<char32_t>((a << 8) | b);
    };
    for (std::size_t i = 0; i < bytes.size(); i += 2) {
        char32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            const char32_t low = i + 2 < bytes.size() ? unit(i + 2) : 0;
            if (low < 0xDC00 || low > 0xDFFF) throw DecodeError(line, "a lone UTF-16 high surrogate: the file is damaged");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 2;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            throw DecodeError(line, "a lone UTF-16 low surrogate: the file is damaged");
        }
        if (cp == '\n') ++line;
        append_utf8(out, cp);
    }
    return out;
}

// UTF-16 without a byte-order mark: mostly-ASCII text has NUL in every other byte.
std::optional<bool> looks_like_utf16(std::string_view bytes) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 4096) & ~std::size_t{1};
    if (n < 4) return std::nullopt;
    std::size_t even_nul = 0, odd_nul = 0;
    for (std::size_t i = 0; i < n; i += 2) {
        even_nul += bytes[i] == '\0' ? 1u : 0u;
        odd_nul += bytes[i + 1] == '\0' ? 1u : 0u;
    }
    const std::size_t pairs = n / 2;
    if (odd_nul * 10 >= pairs * 4 && even_nul * 10 < pairs) return true;   // LE: "D\0a\0"
    if (even_nul * 10 >= pairs * 4 && odd_nul * 10 < pairs) return false;  // BE: "\0D\0a"
    return std::nullopt;
}

}  // namespace

DecodeError::DecodeError(std::size_t line, const std::string& reason)
    : std::runtime_error("line " + std::to_string(line) + ": " + reason), line_(line) {}

std::string_view name(Encoding encoding) noexcept {
    switch (encoding) {
        case Encoding::Utf8: return "UTF-8";
        case Encoding::Utf16Le: return "UTF-16 LE";
        case Encoding::Utf16Be: return "UTF-16 BE";
        case Encoding::Windows1252: return "Windows-1252";
    }
    return "";
}

std::optional<EncodingChoice> encoding_from_name(std::string_view text) noexcept {
    std::string key;
    for (const char c : text)
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == "utf8") return EncodingChoice{Encoding::Utf8, false};
    if (key == "utf16") return EncodingChoice{Encoding::Utf16Le, true};
    if (key == "utf16le") return EncodingChoice{Encoding::Utf16Le, false};
    if (key == "utf16be") return EncodingChoice{Encoding::Utf16Be, false};
    if (key == "windows1252" || key == "cp1252") return EncodingChoice{Encoding::Windows1252, false};
    return std::nullopt;
}

std::string Decoded::describe() const {
    std::string out(name(encoding));
    if (byte_order_mark) out += " with a byte-order mark";
    if (encoding == Encoding::Windows1252 && detected) out += " (not valid UTF-8)";
    if (encoding != Encoding::Utf8) out += ", converted to UTF-8";
    if (!detected) out += " (as chosen)";
    return out;
}

Decoded decode(std::string_view bytes, std::optional<EncodingChoice> forced) {
    Decoded result;
    const bool utf8_bom = bytes.starts_with(kUtf8Bom);
    const bool le_bom = bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE';
    const bool be_bom = bytes.size() >= 2 && bytes[0] == '\xFE' && bytes[1] == '\xFF';

    Encoding encoding = Encoding::Utf8;
    if (forced) {
        result.detected = false;
        encoding = forced->encoding;
        if (forced->utf16_by_bom && be_bom) encoding = Encoding::Utf16Be;
    } else if (utf8_bom) {
        encoding = Encoding::Utf8;
    } else if (le_bom) {
        encoding = Encoding::Utf16Le;
    } else if (be_bom) {
        encoding = Encoding::Utf16Be;
    } else if (is_valid_utf8(bytes)) {
        encoding = Encoding::Utf8;
    } else if (const auto le = looks_like_utf16(bytes)) {
        encoding = *le ? Encoding::Utf16Le : Encoding::Utf16Be;
    } else {
        encoding = Encoding::Windows1252;
    }
    result.encoding = encoding;

    switch (encoding) {
        case Encoding::Utf8: {
            if (utf8_bom) {
                bytes.remove_prefix(kUtf8Bom.size());
                result.byte_order_mark = true;
            }
            if (const auto bad = first_invalid_utf8(bytes))
                throw DecodeError(line_at(bytes, *bad), "not valid UTF-8 (byte " + std::to_string(*bad + 1) +
                                                            " of the file); if Excel saved it, try the encoding "
                                                            "Windows-1252");
            result.utf8.assign(bytes);
            break;
        }
        case Encoding::Utf16Le:
        case Encoding::Utf16Be: {
            const bool le = encoding == Encoding::Utf16Le;
            if ((le && le_bom) || (!le && be_bom)) {
                bytes.remove_prefix(2);
                result.byte_order_mark = true;
            }
            result.utf8 = decode_utf16(bytes, le);
            break;
        }
        case Encoding::Windows1252:
            result.utf8 = decode_windows1252(bytes);
            break;
    }
    return result;
}

}  // namespace imrdesk::text
