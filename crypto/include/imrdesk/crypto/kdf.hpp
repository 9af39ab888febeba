#pragma once
// Passphrase -> key with Argon2id (crypto_pwhash). Parameters and salt are stored beside the
// wrapped key; they are calibrated once when a vault is created.
#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::crypto::kdf {

inline constexpr std::size_t kSaltSize = 16;  // crypto_pwhash_SALTBYTES

struct Params {
    std::uint64_t opslimit = 0;
    std::uint64_t memlimit = 0;  // bytes
    std::array<std::uint8_t, kSaltSize> salt{};

    friend bool operator==(const Params&, const Params&) = default;
};

struct CalibrationTarget {
    std::chrono::milliseconds duration{700};
    std::uint64_t preferred_memlimit = 256ull << 20;  // 256 MiB where the machine allows
};

// Chooses opslimit/memlimit so one derivation takes about target.duration on this machine,
// with at least preferred_memlimit where memory allows and never below the INTERACTIVE limits.
// The salt is fresh and random.
[[nodiscard]] Params calibrate(const CalibrationTarget& target = {});

// The INTERACTIVE limits with a fresh salt.
[[nodiscard]] Params interactive();

// The smallest parameters libsodium accepts (opslimit 1, 8 KiB). For tests and benchmarks that
// create hundreds of vaults only; never offered to a user.
[[nodiscard]] Params insecure_fast_for_tests();

// Throws FormatError unless the parameters are within what libsodium accepts and what a sane
// vault can hold (memlimit at most 4 GiB, opslimit at most 64): guards against a corrupt file
// asking for terabytes.
void validate(const Params& params);

// Derives a 32-byte key. Throws CryptoError when memory is short, FormatError on bad params.
[[nodiscard]] Key32 derive(std::string_view passphrase, const Params& params);

}  // namespace imrdesk::crypto::kdf
