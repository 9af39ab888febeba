#include <doctest/doctest.h>

#include <sodium.h>

#include <chrono>
#include <cstring>
#include <string>

#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/crypto/kdf.hpp"

using namespace imrdesk::crypto;

namespace {

kdf::Params params_of(std::uint64_t opslimit, std::uint64_t memlimit, std::string_view salt_hex) {
    kdf::Params p;
    p.opslimit = opslimit;
    p.memlimit = memlimit;
    const auto salt = from_hex(salt_hex);
    REQUIRE(salt.size() == kdf::kSaltSize);
    std::memcpy(p.salt.data(), salt.data(), salt.size());
    return p;
}

bool same(const Key32& a, const Key32& b) { return equal_constant_time(a.bytes(), b.bytes()); }

std::string message_of(const std::exception& e) { return e.what(); }

}  // namespace

TEST_CASE("Argon2id: known answers") {
    SUBCASE("libsodium test/default/pwhash_argon2id.c tv3 (strings that verify)") {
        // "$argon2id$v=19$m=4882,t=2,p=1$bA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE"
        // with the empty password; salt and hash are that string's base64 fields, in hex.
        const auto p = params_of(2, 4882ull * 1024, "6c0f356abb225f2b1ddd66d34739843b");
        CHECK(to_hex(kdf::derive("", p).bytes()) ==
              "366f1004cfbb447d435e8f6bbe9e5cc0a10e38e7c3da0e89bb19578a1a0d7291");

        // "$argon2id$v=19$m=4096,t=19,p=1$PkEgMTYtYnl0ZXMgc2FsdA$ltB/ue1kPtBMBGfsysMpPigE6hiNEKZ9vs8vLNVDQGA"
        // (salt ">A 16-bytes salt").
        const auto q = params_of(19, 4096ull * 1024, "3e412031362d62797465732073616c74");
        CHECK(to_hex(kdf::derive("^T5H$JYt39n%K*j:W]!1s?vg!:jGi]Ax?..l7[p0v:1jHTpla9;]bUN;?bWyCbtqg ", q).bytes()) ==
              "96d07fb9ed643ed04c0467eccac3293e2804ea188d10a67dbecf2f2cd5434060");
    }
    SUBCASE("reference argon2 CLI (as quoted in iov-one/iov-core libsodium.spec.ts)") {
        // echo -n "123" | ./argon2 ABCDEFGHIJKLMNOP -id -v 13 -k 1024 -t 5
        const auto salt_hex = to_hex(std::vector<std::uint8_t>{'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J',
                                                               'K', 'L', 'M', 'N', 'O', 'P'});
        CHECK(to_hex(kdf::derive("123", params_of(5, 1024ull * 1024, salt_hex)).bytes()) ==
              "3c5d010180ba0cf5b6b858cba23b318e42d33088983c404598599c3b029ecac6");
        // echo -n "123" | ./argon2 ABCDEFGHIJKLMNOP -id -v 13 -k 8192 -t 2
        CHECK(to_hex(kdf::derive("123", params_of(2, 8192ull * 1024, salt_hex)).bytes()) ==
              "3ee950488d26ce691657b1d753f562139857b61a58f234d6cb0ce84c4cc27328");
    }
}

TEST_CASE("Argon2id: deterministic, and every input matters") {
    const kdf::Params base = kdf::insecure_fast_for_tests();
    const Key32 k = kdf::derive("correct horse", base);
    CHECK(same(k, kdf::derive("correct horse", base)));

    CHECK(!same(k, kdf::derive("correct horse!", base)));
    CHECK(!same(k, kdf::derive("Correct horse", base)));
    CHECK(!same(k, kdf::derive("", base)));

    kdf::Params salt = base;
    salt.salt[0] ^= 1;
    CHECK(!same(k, kdf::derive("correct horse", salt)));

    kdf::Params ops = base;
    ops.opslimit += 1;
    CHECK(!same(k, kdf::derive("correct horse", ops)));

    kdf::Params mem = base;
    mem.memlimit *= 2;
    CHECK(!same(k, kdf::derive("correct horse", mem)));
}

TEST_CASE("kdf: preset parameters") {
    const kdf::Params fast = kdf::insecure_fast_for_tests();
    CHECK(fast.opslimit == crypto_pwhash_OPSLIMIT_MIN);
    CHECK(fast.memlimit == crypto_pwhash_MEMLIMIT_MIN);
    const kdf::Params inter = kdf::interactive();
    CHECK(inter.opslimit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
    CHECK(inter.memlimit == crypto_pwhash_MEMLIMIT_INTERACTIVE);
    CHECK(fast.salt != kdf::insecure_fast_for_tests().salt);  // fresh salts
    CHECK(inter.salt != kdf::interactive().salt);
    CHECK_NOTHROW(kdf::validate(fast));
    CHECK_NOTHROW(kdf::validate(inter));
}

TEST_CASE("kdf: validate refuses absurd parameters") {
    kdf::Params p = kdf::interactive();

    p.memlimit = 1ull << 40;  // 1 TiB
    try {
        kdf::validate(p);
        FAIL("expected FormatError");
    } catch (const FormatError& e) {
        CHECK(message_of(e).find("memlimit") != std::string::npos);
    }
    CHECK_THROWS_AS((void)kdf::derive("x", p), FormatError);

    p = kdf::interactive();
    p.opslimit = 0;
    try {
        kdf::validate(p);
        FAIL("expected FormatError");
    } catch (const FormatError& e) {
        CHECK(message_of(e).find("opslimit") != std::string::npos);
    }
    CHECK_THROWS_AS((void)kdf::derive("x", p), FormatError);

    p = kdf::interactive();
    p.opslimit = 65;
    CHECK_THROWS_AS(kdf::validate(p), FormatError);
    p.opslimit = 64;
    CHECK_NOTHROW(kdf::validate(p));

    p = kdf::interactive();
    p.memlimit = (4ull << 30) + 1;
    CHECK_THROWS_AS(kdf::validate(p), FormatError);
    p.memlimit = 4ull << 30;
    CHECK_NOTHROW(kdf::validate(p));
    p.memlimit = crypto_pwhash_MEMLIMIT_MIN - 1;
    CHECK_THROWS_AS(kdf::validate(p), FormatError);
    p.memlimit = 0;
    CHECK_THROWS_AS(kdf::validate(p), FormatError);
    p.opslimit = ~0ull;
    CHECK_THROWS_AS(kdf::validate(p), FormatError);
}

TEST_CASE("kdf: calibrate to a small target") {
    using std::chrono::milliseconds;
    using Clock = std::chrono::steady_clock;
    const kdf::CalibrationTarget target{milliseconds(100), 64ull << 20};

    const auto t0 = Clock::now();
    const kdf::Params p = kdf::calibrate(target);
    const auto calibration = std::chrono::duration_cast<milliseconds>(Clock::now() - t0);

    CHECK(p.opslimit >= crypto_pwhash_OPSLIMIT_INTERACTIVE);
    CHECK(p.memlimit >= crypto_pwhash_MEMLIMIT_INTERACTIVE);
    CHECK(p.memlimit == (64ull << 20));
    CHECK_NOTHROW(kdf::validate(p));
    CHECK(p.salt != kdf::calibrate(target).salt);

    const auto t1 = Clock::now();
    (void)kdf::derive("passphrase", p);
    const auto derivation = std::chrono::duration_cast<milliseconds>(Clock::now() - t1);
    MESSAGE("calibrated opslimit " << p.opslimit << ", memlimit " << (p.memlimit >> 20) << " MiB; calibration took "
                                   << calibration.count() << " ms, one derivation " << derivation.count() << " ms");
    // Lenient: the machine may be busy. The floor (INTERACTIVE) may exceed a 100 ms target.
    CHECK(derivation < milliseconds(3000));
    CHECK(calibration < milliseconds(3000));
}

TEST_CASE("kdf: calibrate never goes below the INTERACTIVE limits") {
    const kdf::Params p = kdf::calibrate({std::chrono::milliseconds(1), 1ull << 20});
    CHECK(p.opslimit == crypto_pwhash_OPSLIMIT_INTERACTIVE);
    CHECK(p.memlimit == crypto_pwhash_MEMLIMIT_INTERACTIVE);
}
