#include <sodium.h>

#include <atomic>

#include "imrdesk/crypto/errors.hpp"

namespace imrdesk::crypto {

void init() {
    // sodium_init() is itself thread-safe and idempotent (0 first time, 1 afterwards, -1 on
    // failure); the flag only saves the call on the hot path.
    static std::atomic<bool> ready{false};
    if (ready.load(std::memory_order_acquire)) {
        return;
    }
    if (sodium_init() < 0) {
        throw CryptoError("libsodium could not initialise");
    }
    ready.store(true, std::memory_order_release);
}

}  // namespace imrdesk::crypto
