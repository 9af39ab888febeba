#pragma once
// XChaCha20-Poly1305 (IETF) with random 24-byte nonces. A sealed blob is nonce || ciphertext || tag.
// The associated data binds a ciphertext to where it belongs (vault, record, column), so a blob
// moved elsewhere fails to open.
#include <cstdint>
#include <string>
#include <vector>

#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::crypto::aead {

inline constexpr std::size_t kKeySize = 32;
inline constexpr std::size_t kNonceSize = 24;
inline constexpr std::size_t kTagSize = 16;
inline constexpr std::size_t kOverhead = kNonceSize + kTagSize;

// Seals with a fresh random nonce. Returns nonce || ciphertext || tag.
[[nodiscard]] std::vector<std::uint8_t> seal(const Key32& key, Bytes plaintext, Bytes associated_data);

// Seals with a caller-chosen nonce (known-answer tests only; never reuse a nonce).
// Returns ciphertext || tag, without the nonce.
[[nodiscard]] std::vector<std::uint8_t> seal_with_nonce(const Key32& key, Bytes nonce, Bytes plaintext,
                                                        Bytes associated_data);

// Opens nonce || ciphertext || tag. Throws AuthenticationError when the key, the associated data
// or any byte is wrong, and when the blob is shorter than kOverhead.
[[nodiscard]] SecureBuffer open(const Key32& key, Bytes sealed, Bytes associated_data);

// The same, decrypting straight into `out` (resized), for record bodies that go into the
// in-memory model anyway: no guarded allocation per record. On failure `out` is wiped and empty.
void open_into(const Key32& key, Bytes sealed, Bytes associated_data, std::string& out);

// Key wrapping is sealing a key: the same construction, the result kept in secure memory.
[[nodiscard]] std::vector<std::uint8_t> wrap_key(const Key32& kek, const Key32& key, Bytes associated_data);
[[nodiscard]] Key32 unwrap_key(const Key32& kek, Bytes wrapped, Bytes associated_data);

}  // namespace imrdesk::crypto::aead
