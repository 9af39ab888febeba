#include "imrdesk/crypto/check_code.hpp"

namespace imrdesk::crypto::check_code {

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::uint32_t kPrime = 1048573;  // largest prime below 2^20

std::uint32_t mod_prime(std::span<const std::uint8_t> digits) noexcept {
    std::uint64_t r = 0;
    for (const std::uint8_t d : digits) r = (r * 32 + d) % kPrime;
    return static_cast<std::uint32_t>(r);
}

// Value of a typed character as a digit, or -1 when not allowed ('U' is -2).
int digit_value(char typed) noexcept {
    char c = typed;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'I' || c == 'L') return 1;
    if (c == 'O') return 0;
    if (c == 'U') return -2;
    const auto at = kAlphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

bool is_separator(char c) noexcept { return c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

void encode(std::span<const std::uint8_t> bytes, std::span<std::uint8_t> digits) noexcept {
    std::uint32_t acc = 0;
    unsigned bits = 0;
    std::size_t n = 0;
    for (const std::uint8_t b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            digits[n++] = static_cast<std::uint8_t>((acc >> bits) & 31u);
        }
        acc &= (1u << bits) - 1u;
    }
    if (bits > 0) digits[n] = static_cast<std::uint8_t>((acc << (5 - bits)) & 31u);  // zero padding bits
}

Decoded decode(std::span<const std::uint8_t> digits, std::span<std::uint8_t> out) noexcept {
    Decoded d;
    std::uint32_t acc = 0;
    unsigned bits = 0;
    for (const std::uint8_t digit : digits) {
        acc = (acc << 5) | digit;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            if (d.bytes < out.size()) out[d.bytes] = static_cast<std::uint8_t>(acc >> bits);
            ++d.bytes;
            acc &= (1u << bits) - 1u;
        }
    }
    d.leftover_bits = bits;
    d.leftover_zero = acc == 0;
    return d;
}

void set_checksum(std::span<std::uint8_t> digits) noexcept {
    const std::size_t data = digits.size() - kCheckDigits;
    std::uint64_t r = mod_prime(digits.first(data));
    for (std::size_t i = 0; i < kCheckDigits; ++i) r = (r * 32) % kPrime;  // r = N·32^4 mod P
    auto check = static_cast<std::uint32_t>((kPrime - r) % kPrime);
    for (std::size_t i = 0; i < kCheckDigits; ++i) {
        digits[digits.size() - 1 - i] = static_cast<std::uint8_t>(check & 31u);
        check >>= 5;
    }
}

bool checks(std::span<const std::uint8_t> digits) noexcept { return mod_prime(digits) == 0; }

std::string format(std::span<const std::uint8_t> digits) {
    std::string text;
    text.reserve(digits.size() + digits.size() / kGroupSize);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && i % kGroupSize == 0) text.push_back('-');
        text.push_back(kAlphabet[digits[i]]);
    }
    return text;
}

Typed read(std::string_view typed, std::span<std::uint8_t> digits, std::string_view noun) {
    Typed t;
    for (const char c : typed) {
        if (is_separator(c)) continue;
        ++t.count;
        const int value = digit_value(c);
        if (value < 0) {
            const std::string where =
                "position " + std::to_string(t.count) + " (group " + std::to_string((t.count - 1) / kGroupSize + 1) + ")";
            if (value == -2) {
                t.problem = "the " + std::string(noun) + " has a 'U' at " + where + ", but U is never used in " +
                            std::string(noun) + "s: check that character";
            } else {
                const auto u = static_cast<unsigned char>(c);
                const std::string what = (u >= 0x21 && u <= 0x7e) ? std::string("'") + c + "'" : "a character";
                t.problem = "the " + std::string(noun) + " has " + what + " at " + where +
                            " that is not allowed: only digits and the letters A-Z except U are used";
            }
            return t;
        }
        if (t.count <= digits.size()) digits[t.count - 1] = static_cast<std::uint8_t>(value);
    }
    return t;
}

}  // namespace imrdesk::crypto::check_code
