#pragma once
// Hashes and MACs, and hex for people and files.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::crypto {

using Digest32 = std::array<std::uint8_t, 32>;

[[nodiscard]] Digest32 sha256(Bytes data) noexcept;
[[nodiscard]] Digest32 sha256(std::string_view data) noexcept;

// BLAKE2b-256, keyed (a MAC) when key is given.
[[nodiscard]] Digest32 blake2b(Bytes data) noexcept;
[[nodiscard]] Digest32 mac(const Key32& key, Bytes data) noexcept;

// Incremental keyed BLAKE2b-256, for MACs over several fields without concatenating them.
// The state holds key-derived material: it is wiped by finish() and by the destructor.
// finish() may be called once; update() or finish() after it throws CryptoError.
class Mac {
public:
    explicit Mac(const Key32& key);
    ~Mac();
    Mac(const Mac&) = default;
    Mac& operator=(const Mac&) = default;
    Mac& update(Bytes data);
    Mac& update(std::string_view text);
    Mac& update_u64(std::uint64_t value);  // big-endian, fixed width
    [[nodiscard]] Digest32 finish();

private:
    alignas(64) std::array<std::uint8_t, 384> state_{};  // crypto_generichash_state (static_assert'ed)
    bool finished_ = false;
};

// Incremental SHA-256 (sync's record-set digests). finish() may be called once.
class Sha256Stream {
public:
    Sha256Stream();
    Sha256Stream& update(Bytes data);
    [[nodiscard]] Digest32 finish();

private:
    alignas(16) std::array<std::uint8_t, 128> state_{};  // crypto_hash_sha256_state (static_assert'ed)
    bool finished_ = false;
};

// Derives an independent 32-byte subkey for one purpose (crypto_kdf, BLAKE2b).
// context is exactly 8 characters, e.g. "audit---".
[[nodiscard]] Key32 derive_subkey(const Key32& master, std::uint64_t subkey_id, std::string_view context);

[[nodiscard]] std::string to_hex(Bytes data);
// Throws FormatError naming the offending position for odd length or a non-hex character.
[[nodiscard]] std::vector<std::uint8_t> from_hex(std::string_view hex);

}  // namespace imrdesk::crypto
