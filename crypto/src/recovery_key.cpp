#include "imrdesk/crypto/recovery_key.hpp"

#include <sodium.h>

#include <string>

#include "detail.hpp"
#include "imrdesk/crypto/errors.hpp"

// Layout: 20 bytes of entropy = 160 bits = 32 Crockford base32 digits (5 bits each, most
// significant first), then 4 checksum digits, shown in 9 groups of 4 joined by '-'.
//
// Checksum (ISO 7064 style, modulus a prime): read all 36 digits as one base-32 number M. The
// 4 checksum digits are chosen so that M ≡ 0 (mod P), P = 1048573, the largest prime below 2^20
// (so the check value fits the 20 bits of 4 digits).
//  - Changing one digit d -> d' anywhere (data or checksum) changes M by (d' - d)·32^k, with
//    0 < |d' - d| ≤ 31 < P; P is prime and does not divide 32^k, so P does not divide the change:
//    every single substitution is detected.
//  - Swapping neighbours a, b (a ≠ b) at positions k+1, k changes M by (a - b)·31·32^k; P is a
//    prime above 31, so again P does not divide it: every adjacent transposition is detected,
//    including those across the data/checksum boundary and inside the checksum.
//  - Likewise twin errors (aa -> bb: factor 33) and jump transpositions (abc -> cba: factor
//    1023 = 3·11·31). Other random errors pass with probability about 1/P ≈ 2^-20.

namespace imrdesk::crypto {

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kDataDigits = 32;
constexpr std::size_t kCheckDigits = 4;
constexpr std::size_t kDigits = kDataDigits + kCheckDigits;
constexpr std::size_t kGroupSize = 4;
constexpr std::uint32_t kPrime = 1048573;  // largest prime below 2^20
constexpr std::string_view kKekLabel = "imrdesk recovery key v1";

static_assert(RecoveryKey::kEntropyBytes * 8 == kDataDigits * 5);

using Digits = std::array<std::uint8_t, kDigits>;

// Zeroes a digit array on scope exit (the digits are the key).
struct DigitsGuard {
    Digits& digits;
    ~DigitsGuard() { sodium_memzero(digits.data(), digits.size()); }
};

std::uint32_t mod_prime(const std::uint8_t* digits, std::size_t count) noexcept {
    std::uint64_t r = 0;
    for (std::size_t i = 0; i < count; ++i) {
        r = (r * 32 + digits[i]) % kPrime;
    }
    return static_cast<std::uint32_t>(r);
}

// Fills digits[32..35] so that the whole 36-digit number is divisible by kPrime.
void set_checksum(Digits& digits) noexcept {
    std::uint64_t r = mod_prime(digits.data(), kDataDigits);
    for (std::size_t i = 0; i < kCheckDigits; ++i) {
        r = (r * 32) % kPrime;  // r = N·32^4 mod P
    }
    auto check = static_cast<std::uint32_t>((kPrime - r) % kPrime);
    for (std::size_t i = 0; i < kCheckDigits; ++i) {
        digits[kDigits - 1 - i] = static_cast<std::uint8_t>(check & 31u);
        check >>= 5;
    }
}

// Value of a typed character as a digit, or -1 when not allowed ('U' is -2).
int digit_value(char typed) noexcept {
    char c = typed;
    if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
    }
    if (c == 'I' || c == 'L') return 1;
    if (c == 'O') return 0;
    if (c == 'U') return -2;
    const auto at = kAlphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

bool is_separator(char c) noexcept {
    return c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

RecoveryKey RecoveryKey::generate() {
    SecureBuffer entropy(kEntropyBytes);
    random_bytes(entropy.mutable_bytes());
    return RecoveryKey(std::move(entropy));
}

RecoveryKey RecoveryKey::parse(std::string_view typed) {
    Digits digits{};
    DigitsGuard guard{digits};
    std::size_t count = 0;  // significant characters seen
    for (const char c : typed) {
        if (is_separator(c)) {
            continue;
        }
        ++count;
        const int value = digit_value(c);
        if (value < 0) {
            const std::string where = "position " + std::to_string(count) + " (group " +
                                      std::to_string((count - 1) / kGroupSize + 1) + ")";
            if (value == -2) {
                throw FormatError("the recovery key has a 'U' at " + where +
                                  ", but U is never used in recovery keys: check that character");
            }
            const auto u = static_cast<unsigned char>(c);
            const std::string what = (u >= 0x21 && u <= 0x7e) ? std::string("'") + c + "'" : "a character";
            throw FormatError("the recovery key has " + what + " at " + where +
                              " that is not allowed: only digits and the letters A-Z except U are used");
        }
        if (count <= kDigits) {
            digits[count - 1] = static_cast<std::uint8_t>(value);
        }
    }
    if (count != kDigits) {
        throw FormatError("a recovery key has " + std::to_string(kDigits) + " characters (" +
                          std::to_string(kDigits / kGroupSize) + " groups of " + std::to_string(kGroupSize) +
                          "), but " + std::to_string(count) + " were found");
    }
    if (mod_prime(digits.data(), kDigits) != 0) {
        throw FormatError("the recovery key does not check: a character was mistyped");
    }

    SecureBuffer entropy(kEntropyBytes);
    std::uint8_t* out = entropy.data();
    std::uint32_t acc = 0;
    unsigned bits = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < kDataDigits; ++i) {
        acc = (acc << 5) | digits[i];
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = static_cast<std::uint8_t>(acc >> bits);
            acc &= (1u << bits) - 1u;
        }
    }
    return RecoveryKey(std::move(entropy));
}

std::string RecoveryKey::format() const {
    if (entropy_.size() != kEntropyBytes) {
        throw CryptoError("the recovery key is empty (moved from)");
    }
    Digits digits{};
    DigitsGuard guard{digits};
    const std::uint8_t* in = entropy_.data();
    std::uint32_t acc = 0;
    unsigned bits = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < kEntropyBytes; ++i) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            digits[n++] = static_cast<std::uint8_t>((acc >> bits) & 31u);
        }
        acc &= (1u << bits) - 1u;
    }
    set_checksum(digits);

    std::string text;
    text.reserve(kDigits + kDigits / kGroupSize - 1);
    for (std::size_t i = 0; i < kDigits; ++i) {
        if (i != 0 && i % kGroupSize == 0) {
            text.push_back('-');
        }
        text.push_back(kAlphabet[digits[i]]);
    }
    return text;
}

Key32 RecoveryKey::derive_kek(Bytes vault_id) const {
    if (entropy_.size() != kEntropyBytes) {
        throw CryptoError("the recovery key is empty (moved from)");
    }
    static_assert(kEntropyBytes >= crypto_generichash_KEYBYTES_MIN);
    crypto_generichash_state state;
    Key32 kek;
    detail::check(crypto_generichash_init(&state, entropy_.data(), entropy_.size(), Key32::kSize),
                  "crypto_generichash_init");
    const int rc1 = crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kKekLabel.data()),
                                              kKekLabel.size());
    const int rc2 = crypto_generichash_update(&state, vault_id.data(), vault_id.size());
    const int rc3 = crypto_generichash_final(&state, kek.mutable_data(), Key32::kSize);
    sodium_memzero(&state, sizeof state);
    detail::check(rc1, "crypto_generichash_update");
    detail::check(rc2, "crypto_generichash_update");
    detail::check(rc3, "crypto_generichash_final");
    return kek;
}

}  // namespace imrdesk::crypto
