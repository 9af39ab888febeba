#pragma once
// Helpers shared by the crypto sources; not part of the public API.
#include <sodium.h>

#include <cstdlib>
#include <string>

#include "imrdesk/crypto/errors.hpp"

namespace imrdesk::crypto::detail {

// Throws CryptoError naming the libsodium call when it did not return 0.
inline void check(int rc, const char* what) {
    if (rc != 0) {
        throw CryptoError(std::string("libsodium: ") + what + " failed");
    }
}

// For noexcept functions whose libsodium call is documented never to fail: a failure means the
// library is broken, and carrying on would hand out a wrong digest.
inline void check_or_abort(int rc) noexcept {
    if (rc != 0) {
        std::abort();
    }
}

}  // namespace imrdesk::crypto::detail
