#pragma once
// Codes people type: Crockford base32 digits with a checksum, shown in groups of 4 joined by '-'.
// The recovery key and the enrolment code are both written this way.
//
// Digits: 0-9 and A-Z without I, L, O, U; typing is forgiving (lower case, I and L read as 1,
// O as 0; spaces, tabs, newlines and '-' are ignored). U is refused with its own message.
//
// Checksum (ISO 7064 style, modulus a prime): read all digits (data, then 4 check digits) as one
// base-32 number M. The check digits are chosen so that M ≡ 0 (mod P), P = 1048573, the largest
// prime below 2^20 (so the check value fits the 20 bits of 4 digits).
//  - Changing one digit d -> d' anywhere changes M by (d' - d)·32^k, with 0 < |d' - d| ≤ 31 < P;
//    P is prime and does not divide 32^k: every single substitution is detected.
//  - Swapping neighbours a, b (a ≠ b) changes M by (a - b)·31·32^k; P is a prime above 31, so
//    every adjacent transposition is detected, across the data/checksum boundary too.
//  - Likewise twin errors (aa -> bb: factor 33) and jump transpositions (abc -> cba: factor
//    1023 = 3·11·31). Other random errors pass with probability about 1/P ≈ 2^-20.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace imrdesk::crypto::check_code {

inline constexpr std::size_t kCheckDigits = 4;
inline constexpr std::size_t kGroupSize = 4;

// How many digits hold `bytes` bytes (5 bits each, the last one zero-padded).
[[nodiscard]] constexpr std::size_t digits_for(std::size_t bytes) noexcept { return (bytes * 8 + 4) / 5; }

// bytes -> digits[0 .. digits_for(bytes.size())), most significant bits first.
void encode(std::span<const std::uint8_t> bytes, std::span<std::uint8_t> digits) noexcept;
// digits -> whole bytes, most significant first; returns the bits left over (fewer than 5 for a
// whole number of bytes) and whether they are all zero, so a caller can refuse a wrong length.
struct Decoded {
    std::size_t bytes = 0;
    unsigned leftover_bits = 0;
    bool leftover_zero = true;
};
Decoded decode(std::span<const std::uint8_t> digits, std::span<std::uint8_t> out) noexcept;

// Sets the last kCheckDigits digits so that the whole number checks.
void set_checksum(std::span<std::uint8_t> digits) noexcept;
[[nodiscard]] bool checks(std::span<const std::uint8_t> digits) noexcept;

// The digits as shown: "7K2M-9QXD-...".
[[nodiscard]] std::string format(std::span<const std::uint8_t> digits);

// Reads what was typed into `digits` (at most digits.size(); the rest only counted). `noun` names
// the code in messages ("recovery key", "enrolment code").
struct Typed {
    std::size_t count = 0;               // significant characters typed
    std::optional<std::string> problem;  // a character not allowed, with where it is
};
[[nodiscard]] Typed read(std::string_view typed, std::span<std::uint8_t> digits, std::string_view noun);

}  // namespace imrdesk::crypto::check_code
