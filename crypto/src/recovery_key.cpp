#include "imrdesk/crypto/recovery_key.hpp"

#include <sodium.h>

#include <string>

#include "detail.hpp"
#include "imrdesk/crypto/check_code.hpp"
#include "imrdesk/crypto/errors.hpp"

// Layout: 20 bytes of entropy = 160 bits = 32 Crockford base32 digits, then 4 checksum digits,
// shown in 9 groups of 4 joined by '-' (imrdesk/crypto/check_code.hpp says why the checksum
// catches every single mistyped character and every swap of neighbours).

namespace imrdesk::crypto {

namespace {

constexpr std::size_t kDataDigits = 32;
constexpr std::size_t kDigits = kDataDigits + check_code::kCheckDigits;
constexpr std::string_view kKekLabel = "imrdesk recovery key v1";

static_assert(check_code::digits_for(RecoveryKey::kEntropyBytes) == kDataDigits);
static_assert(RecoveryKey::kEntropyBytes * 8 == kDataDigits * 5);

using Digits = std::array<std::uint8_t, kDigits>;

// Zeroes a digit array on scope exit (the digits are the key).
struct DigitsGuard {
    Digits& digits;
    ~DigitsGuard() { sodium_memzero(digits.data(), digits.size()); }
};

}  // namespace

RecoveryKey RecoveryKey::generate() {
    SecureBuffer entropy(kEntropyBytes);
    random_bytes(entropy.mutable_bytes());
    return RecoveryKey(std::move(entropy));
}

RecoveryKey RecoveryKey::parse(std::string_view typed) {
    Digits digits{};
    DigitsGuard guard{digits};
    const auto read = check_code::read(typed, digits, "recovery key");
    if (read.problem) throw FormatError(*read.problem);
    if (read.count != kDigits) {
        throw FormatError("a recovery key has " + std::to_string(kDigits) + " characters (" +
                          std::to_string(kDigits / check_code::kGroupSize) + " groups of " +
                          std::to_string(check_code::kGroupSize) + "), but " + std::to_string(read.count) + " were found");
    }
    if (!check_code::checks(digits)) throw FormatError("the recovery key does not check: a character was mistyped");
    SecureBuffer entropy(kEntropyBytes);
    (void)check_code::decode(std::span<const std::uint8_t>(digits).first(kDataDigits), entropy.mutable_bytes());
    return RecoveryKey(std::move(entropy));
}

std::string RecoveryKey::format() const {
    if (entropy_.size() != kEntropyBytes) throw CryptoError("the recovery key is empty (moved from)");
    Digits digits{};
    DigitsGuard guard{digits};
    check_code::encode(entropy_.bytes(), digits);
    check_code::set_checksum(digits);
    return check_code::format(digits);
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
