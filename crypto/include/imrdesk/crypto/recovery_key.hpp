#pragma once
// The recovery key: 160 random bits shown once at vault creation, in groups a person can copy
// onto paper and type back. Crockford base32 (no I, L, O, U; typing them is forgiven as 1, 1, 0),
// 8 groups of 4 characters, then one group of 4 checksum characters that catches any single
// mistyped character and any swap of two neighbours.
//   Example: 7K2M-9QXD-…-ABCD
// It wraps the vault's data key through a key derived from it and the vault id.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::crypto {

class RecoveryKey {
public:
    static constexpr std::size_t kEntropyBytes = 20;

    [[nodiscard]] static RecoveryKey generate();
    // Accepts any case, spaces or dashes between characters. Throws FormatError that says what is
    // wrong: wrong length, a character that is not allowed (and its position), or a checksum
    // mismatch ("a character was mistyped").
    [[nodiscard]] static RecoveryKey parse(std::string_view typed);

    // "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-CCCC"
    [[nodiscard]] std::string format() const;

    // The key-encryption key for one vault: keyed BLAKE2b over a fixed label and the vault id.
    [[nodiscard]] Key32 derive_kek(Bytes vault_id) const;

private:
    explicit RecoveryKey(SecureBuffer entropy) : entropy_(std::move(entropy)) {}
    SecureBuffer entropy_;
};

}  // namespace imrdesk::crypto
