#pragma once
// Ed25519 device identity (sync uses it to answer server challenges).
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::crypto {

using Signature = std::array<std::uint8_t, 64>;

struct PublicKey {
    std::array<std::uint8_t, 32> bytes{};
    // True only for a valid signature of message by this key.
    [[nodiscard]] bool verify(Bytes message, const Signature& signature) const noexcept;
    // A sealed box (X25519 from this Ed25519 key, an ephemeral sender key, XSalsa20-Poly1305)
    // that only the matching SigningKey opens: for text that must outlive a lock that wipes
    // every secret key, such as a draft the full disk would not take.
    [[nodiscard]] std::vector<std::uint8_t> seal(Bytes plaintext) const;
    friend bool operator==(const PublicKey&, const PublicKey&) = default;
};

class SigningKey {
public:
    [[nodiscard]] static SigningKey generate();
    // From a 32-byte seed (known-answer tests, and restoring from the vault).
    [[nodiscard]] static SigningKey from_seed(Bytes seed);

    [[nodiscard]] const PublicKey& public_key() const noexcept { return public_; }
    [[nodiscard]] Signature sign(Bytes message) const;
    // The 32-byte seed, to store sealed in the vault.
    [[nodiscard]] Bytes seed() const noexcept { return seed_.bytes(); }
    // Opens a box PublicKey::seal made for this key. Throws AuthenticationError when it was made
    // for another key or changed since, FormatError when too short.
    [[nodiscard]] SecureBuffer open_sealed(Bytes box) const;

private:
    SigningKey(SecureBuffer seed, SecureBuffer secret, PublicKey pub)
        : seed_(std::move(seed)), secret_(std::move(secret)), public_(pub) {}
    SecureBuffer seed_;
    SecureBuffer secret_;  // the 64-byte libsodium secret key
    PublicKey public_;
};

}  // namespace imrdesk::crypto
