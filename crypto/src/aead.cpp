#include "imrdesk/crypto/aead.hpp"

#include <sodium.h>

#include <string>

#include "detail.hpp"
#include "imrdesk/crypto/errors.hpp"

namespace imrdesk::crypto::aead {

static_assert(kKeySize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kNonceSize == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kTagSize == crypto_aead_xchacha20poly1305_ietf_ABYTES);

namespace {

void require_key(const Key32& key, const char* which) {
    if (key.empty()) {
        throw CryptoError(std::string("AEAD: the ") + which + " is empty (moved from)");
    }
}

// Encrypts into out (room for plaintext.size() + kTagSize bytes).
void encrypt_into(std::uint8_t* out, const Key32& key, const std::uint8_t* nonce, Bytes plaintext,
                  Bytes associated_data) {
    if (plaintext.size() > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX) {
        throw CryptoError("AEAD: plaintext too long");
    }
    unsigned long long written = 0;
    detail::check(crypto_aead_xchacha20poly1305_ietf_encrypt(
                      out, &written, plaintext.data(), plaintext.size(), associated_data.data(),
                      associated_data.size(), nullptr, nonce, key.bytes().data()),
                  "crypto_aead_xchacha20poly1305_ietf_encrypt");
    if (written != plaintext.size() + kTagSize) {
        throw CryptoError("AEAD: unexpected ciphertext length");
    }
}

}  // namespace

std::vector<std::uint8_t> seal(const Key32& key, Bytes plaintext, Bytes associated_data) {
    require_key(key, "key");
    std::vector<std::uint8_t> sealed(kNonceSize + plaintext.size() + kTagSize);
    randombytes_buf(sealed.data(), kNonceSize);
    encrypt_into(sealed.data() + kNonceSize, key, sealed.data(), plaintext, associated_data);
    return sealed;
}

std::vector<std::uint8_t> seal_with_nonce(const Key32& key, Bytes nonce, Bytes plaintext,
                                          Bytes associated_data) {
    require_key(key, "key");
    if (nonce.size() != kNonceSize) {
        throw CryptoError("AEAD: a nonce must have " + std::to_string(kNonceSize) + " bytes, not " +
                          std::to_string(nonce.size()));
    }
    std::vector<std::uint8_t> sealed(plaintext.size() + kTagSize);
    encrypt_into(sealed.data(), key, nonce.data(), plaintext, associated_data);
    return sealed;
}

void open_into(const Key32& key, Bytes sealed, Bytes associated_data, std::string& out) {
    require_key(key, "key");
    wipe(out);
    if (sealed.size() < kOverhead) {
        throw AuthenticationError("the encrypted data is too short (" + std::to_string(sealed.size()) +
                                  " bytes, at least " + std::to_string(kOverhead) + " expected)");
    }
    const Bytes nonce = sealed.first(kNonceSize);
    const Bytes ciphertext = sealed.subspan(kNonceSize);
    out.resize(ciphertext.size() - kTagSize);
    unsigned long long written = 0;
    const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
        reinterpret_cast<unsigned char*>(out.data()), &written, nullptr, ciphertext.data(), ciphertext.size(),
        associated_data.data(), associated_data.size(), nonce.data(), key.bytes().data());
    if (rc != 0 || written != out.size()) {
        wipe(out);
        throw AuthenticationError(
            "the encrypted data does not authenticate: wrong key, or tampered or misplaced data");
    }
}

SecureBuffer open(const Key32& key, Bytes sealed, Bytes associated_data) {
    require_key(key, "key");
    if (sealed.size() < kOverhead) {
        throw AuthenticationError("the encrypted data is too short (" + std::to_string(sealed.size()) +
                                  " bytes, at least " + std::to_string(kOverhead) + " expected)");
    }
    const Bytes nonce = sealed.first(kNonceSize);
    const Bytes ciphertext = sealed.subspan(kNonceSize);
    SecureBuffer plaintext(ciphertext.size() - kTagSize);
    unsigned long long written = 0;
    // With an empty plaintext the buffer's data() is null; libsodium then only checks the tag.
    const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
        plaintext.data(), &written, nullptr, ciphertext.data(), ciphertext.size(), associated_data.data(),
        associated_data.size(), nonce.data(), key.bytes().data());
    if (rc != 0) {
        throw AuthenticationError(
            "the encrypted data does not authenticate: wrong key, or tampered or misplaced data");
    }
    if (written != plaintext.size()) {
        throw CryptoError("AEAD: unexpected plaintext length");
    }
    return plaintext;
}

std::vector<std::uint8_t> wrap_key(const Key32& kek, const Key32& key, Bytes associated_data) {
    require_key(kek, "key-encryption key");
    require_key(key, "key to wrap");
    return seal(kek, key.bytes(), associated_data);
}

Key32 unwrap_key(const Key32& kek, Bytes wrapped, Bytes associated_data) {
    require_key(kek, "key-encryption key");
    if (wrapped.size() != kOverhead + Key32::kSize) {
        // Checked after a failed open would be the same answer; say it plainly instead.
        throw AuthenticationError("a wrapped key must have " + std::to_string(kOverhead + Key32::kSize) +
                                  " bytes, not " + std::to_string(wrapped.size()));
    }
    const SecureBuffer plain = open(kek, wrapped, associated_data);
    return Key32::from_bytes(plain.bytes());
}

}  // namespace imrdesk::crypto::aead
