#include "imrdesk/crypto/signing.hpp"

#include <sodium.h>

#include <string>

#include "detail.hpp"
#include "imrdesk/crypto/errors.hpp"

namespace imrdesk::crypto {

static_assert(sizeof(Signature) == crypto_sign_BYTES);
static_assert(sizeof(PublicKey::bytes) == crypto_sign_PUBLICKEYBYTES);

bool PublicKey::verify(Bytes message, const Signature& signature) const noexcept {
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), bytes.data()) == 0;
}

SigningKey SigningKey::generate() {
    SecureBuffer seed(crypto_sign_SEEDBYTES);
    random_bytes(seed.mutable_bytes());
    return from_seed(seed.bytes());
}

SigningKey SigningKey::from_seed(Bytes seed) {
    if (seed.size() != crypto_sign_SEEDBYTES) {
        throw CryptoError("an Ed25519 seed must have " + std::to_string(crypto_sign_SEEDBYTES) + " bytes, not " +
                          std::to_string(seed.size()));
    }
    SecureBuffer seed_copy = SecureBuffer::copy_of(seed);
    SecureBuffer secret(crypto_sign_SECRETKEYBYTES);
    PublicKey pub;
    detail::check(crypto_sign_seed_keypair(pub.bytes.data(), secret.data(), seed_copy.data()),
                  "crypto_sign_seed_keypair");
    return SigningKey(std::move(seed_copy), std::move(secret), pub);
}

std::vector<std::uint8_t> PublicKey::seal(Bytes plaintext) const {
    std::array<std::uint8_t, crypto_box_PUBLICKEYBYTES> x25519{};
    detail::check(crypto_sign_ed25519_pk_to_curve25519(x25519.data(), bytes.data()), "crypto_sign_ed25519_pk_to_curve25519");
    std::vector<std::uint8_t> box(plaintext.size() + crypto_box_SEALBYTES);
    detail::check(crypto_box_seal(box.data(), plaintext.data(), plaintext.size(), x25519.data()), "crypto_box_seal");
    return box;
}

SecureBuffer SigningKey::open_sealed(Bytes box) const {
    if (secret_.size() != crypto_sign_SECRETKEYBYTES) throw CryptoError("the signing key is empty (moved from)");
    if (box.size() < crypto_box_SEALBYTES)
        throw FormatError("a sealed box has at least " + std::to_string(crypto_box_SEALBYTES) + " bytes, not " +
                          std::to_string(box.size()));
    SecureBuffer x25519_secret(crypto_box_SECRETKEYBYTES);
    detail::check(crypto_sign_ed25519_sk_to_curve25519(x25519_secret.data(), secret_.data()),
                  "crypto_sign_ed25519_sk_to_curve25519");
    std::array<std::uint8_t, crypto_box_PUBLICKEYBYTES> x25519_public{};
    detail::check(crypto_sign_ed25519_pk_to_curve25519(x25519_public.data(), public_.bytes.data()),
                  "crypto_sign_ed25519_pk_to_curve25519");
    SecureBuffer plaintext(box.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(plaintext.data(), box.data(), box.size(), x25519_public.data(), x25519_secret.data()) != 0)
        throw AuthenticationError("the sealed box was made for another key, or changed since");
    return plaintext;
}

Signature SigningKey::sign(Bytes message) const {
    if (secret_.size() != crypto_sign_SECRETKEYBYTES) {
        throw CryptoError("the signing key is empty (moved from)");
    }
    Signature signature{};
    unsigned long long length = 0;
    detail::check(crypto_sign_detached(signature.data(), &length, message.data(), message.size(), secret_.data()),
                  "crypto_sign_detached");
    if (length != signature.size()) {
        throw CryptoError("Ed25519: unexpected signature length");
    }
    return signature;
}

}  // namespace imrdesk::crypto
