#pragma once
// Typed errors of the crypto layer. Messages never contain key material.
#include <stdexcept>
#include <string>

namespace imrdesk::crypto {

// Something the crypto layer could not do (libsodium failed, bad parameters, no memory).
class CryptoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A ciphertext, wrapped key or signature did not verify: wrong key, tampered or moved data.
class AuthenticationError : public CryptoError {
public:
    using CryptoError::CryptoError;
};

// Text typed by a person (a recovery key, a hex string) is not well formed; says what and where.
class FormatError : public CryptoError {
public:
    using CryptoError::CryptoError;
};

// Initialises libsodium once; safe to call many times and from many threads.
// Throws CryptoError if libsodium cannot initialise.
void init();

}  // namespace imrdesk::crypto
