#include "imrdesk/crypto/kdf.hpp"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "detail.hpp"
#include "imrdesk/crypto/errors.hpp"

namespace imrdesk::crypto::kdf {

static_assert(kSaltSize == crypto_pwhash_argon2id_SALTBYTES);

namespace {

constexpr std::uint64_t kSaneMaxMemlimit = 4ull << 30;  // 4 GiB
constexpr std::uint64_t kSaneMaxOpslimit = 64;

constexpr std::uint64_t kMinOps = crypto_pwhash_argon2id_OPSLIMIT_MIN;
constexpr std::uint64_t kMinMem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
constexpr std::uint64_t kInteractiveOps = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
constexpr std::uint64_t kInteractiveMem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
constexpr std::uint64_t kMaxOps = std::min<std::uint64_t>(crypto_pwhash_argon2id_OPSLIMIT_MAX, kSaneMaxOpslimit);
constexpr std::uint64_t kMaxMem = std::min<std::uint64_t>(crypto_pwhash_argon2id_MEMLIMIT_MAX, kSaneMaxMemlimit);

std::string mib(std::uint64_t bytes) {
    return std::to_string(bytes >> 20) + " MiB";
}

Params with_fresh_salt(std::uint64_t opslimit, std::uint64_t memlimit) {
    Params params;
    params.opslimit = opslimit;
    params.memlimit = memlimit;
    randombytes_buf(params.salt.data(), params.salt.size());
    return params;
}

// One Argon2id run into out; returns libsodium's result (-1 mostly means memory was short).
int run_argon2id(Key32& out, std::string_view passphrase, const Params& params) {
    return crypto_pwhash(out.mutable_data(), Key32::kSize, passphrase.empty() ? "" : passphrase.data(),
                         passphrase.size(), params.salt.data(), params.opslimit,
                         static_cast<std::size_t>(params.memlimit), crypto_pwhash_ALG_ARGON2ID13);
}

using Clock = std::chrono::steady_clock;

// Times one derivation; returns a negative duration when it failed (no memory).
std::chrono::duration<double, std::milli> probe(const Params& params) {
    Key32 scratch;
    const auto start = Clock::now();
    const int rc = run_argon2id(scratch, "imrdesk calibration probe", params);
    const auto elapsed = Clock::now() - start;
    if (rc != 0) {
        return std::chrono::duration<double, std::milli>(-1.0);
    }
    return elapsed;
}

}  // namespace

void validate(const Params& params) {
    if (params.opslimit < kMinOps || params.opslimit > kMaxOps) {
        throw FormatError("Argon2id opslimit " + std::to_string(params.opslimit) + " is out of range (" +
                          std::to_string(kMinOps) + " to " + std::to_string(kMaxOps) +
                          "): the key derivation parameters are corrupt");
    }
    if (params.memlimit < kMinMem || params.memlimit > kMaxMem) {
        throw FormatError("Argon2id memlimit " + std::to_string(params.memlimit) + " bytes is out of range (" +
                          std::to_string(kMinMem) + " bytes to " + mib(kMaxMem) +
                          "): the key derivation parameters are corrupt");
    }
}

Params interactive() { return with_fresh_salt(kInteractiveOps, kInteractiveMem); }

Params insecure_fast_for_tests() { return with_fresh_salt(kMinOps, kMinMem); }

Params calibrate(const CalibrationTarget& target) {
    const double target_ms = std::max(1.0, static_cast<double>(target.duration.count()));
    std::uint64_t memlimit = std::clamp(target.preferred_memlimit, kInteractiveMem, kMaxMem);

    // Probe with one pass; where memory is refused, halve toward the INTERACTIVE memlimit.
    Params params = with_fresh_salt(kMinOps, memlimit);
    double one_pass_ms = probe(params).count();
    while (one_pass_ms < 0.0) {
        if (params.memlimit <= kInteractiveMem) {
            throw CryptoError("not enough memory for Argon2id even at " + mib(kInteractiveMem));
        }
        params.memlimit = std::max(params.memlimit / 2, kInteractiveMem);
        one_pass_ms = probe(params).count();
    }
    one_pass_ms = std::max(one_pass_ms, 0.001);

    // A run costs about fixed + opslimit * per_pass: the fixed part (mapping and first touching
    // fresh memory) is comparable to one pass, so one probe cannot separate the two. When the
    // budget allows (calibration within about 2x the target: the two probes cost about 3 x the
    // first), a two-pass probe measures the slope. Otherwise a one-pass run alone takes over two
    // thirds of the target, and the INTERACTIVE floor of 2 passes is the answer anyway.
    double per_pass_ms = one_pass_ms;
    double fixed_ms = 0.0;
    if (3.0 * one_pass_ms <= 2.0 * target_ms) {
        Params two = params;
        two.opslimit = 2;
        const double two_pass_ms = probe(two).count();
        if (two_pass_ms > 0.0) {
            // Noise on a busy machine can make the difference tiny or negative: bound it.
            per_pass_ms = std::clamp(two_pass_ms - one_pass_ms, one_pass_ms / 4.0, one_pass_ms);
            fixed_ms = one_pass_ms - per_pass_ms;
        }
    }
    // Nearest whole number of passes: "about" the target, above or below by at most half a pass.
    const double passes = std::round((target_ms - fixed_ms) / per_pass_ms);
    const auto opslimit = passes >= static_cast<double>(kMaxOps) ? kMaxOps
                          : passes <= 0.0                      ? kInteractiveOps
                                                               : static_cast<std::uint64_t>(passes);

    Params result = with_fresh_salt(std::clamp(opslimit, kInteractiveOps, kMaxOps), params.memlimit);
    validate(result);
    return result;
}

Key32 derive(std::string_view passphrase, const Params& params) {
    validate(params);
    if (passphrase.size() > crypto_pwhash_argon2id_PASSWD_MAX) {
        throw CryptoError("passphrase too long");
    }
    Key32 key;
    if (run_argon2id(key, passphrase, params) != 0) {
        throw CryptoError("Argon2id failed: not enough memory for " + mib(params.memlimit));
    }
    return key;
}

}  // namespace imrdesk::crypto::kdf
