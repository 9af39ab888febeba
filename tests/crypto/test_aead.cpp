#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "imrdesk/crypto/aead.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/hash.hpp"

using namespace imrdesk::crypto;

namespace {

Bytes bytes_of(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// draft-irtf-cfrg-xchacha-03, appendix A.3.1 (AEAD_XChaCha20_Poly1305 test vector).
constexpr std::string_view kDraftPlaintext =
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
    "sunscreen would be it.";
constexpr const char* kDraftAad = "50515253c0c1c2c3c4c5c6c7";
constexpr const char* kDraftKey = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
constexpr const char* kDraftNonce = "404142434445464748494a4b4c4d4e4f5051525354555657";
constexpr const char* kDraftCiphertext =
    "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
    "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
    "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
    "21f9664c97637da9768812f615c68b13b52e";
constexpr const char* kDraftTag = "c0875924c1c7987947deafd8780acf49";

const std::vector<std::uint8_t> kAd{'v', 'a', 'u', 'l', 't', ':', '1'};

}  // namespace

TEST_CASE("XChaCha20-Poly1305: draft-irtf-cfrg-xchacha A.3.1 known answer") {
    const Key32 key = Key32::from_bytes(from_hex(kDraftKey));
    const auto nonce = from_hex(kDraftNonce);
    const auto aad = from_hex(kDraftAad);

    const auto sealed = aead::seal_with_nonce(key, nonce, bytes_of(kDraftPlaintext), aad);
    CHECK(to_hex(sealed) == std::string(kDraftCiphertext) + kDraftTag);

    std::vector<std::uint8_t> blob = nonce;
    blob.insert(blob.end(), sealed.begin(), sealed.end());
    const SecureBuffer opened = aead::open(key, blob, aad);
    CHECK(opened.view() == kDraftPlaintext);
}

TEST_CASE("AEAD: seal/open round trip, fresh nonces") {
    const Key32 key = Key32::random();
    const auto a = aead::seal(key, bytes_of("chronology entry"), kAd);
    const auto b = aead::seal(key, bytes_of("chronology entry"), kAd);
    CHECK(a.size() == std::string_view("chronology entry").size() + aead::kOverhead);
    CHECK(a != b);  // a random nonce each time
    CHECK(aead::open(key, a, kAd).view() == "chronology entry");
    CHECK(aead::open(key, b, kAd).view() == "chronology entry");

    const auto empty = aead::seal(key, Bytes{}, Bytes{});
    CHECK(empty.size() == aead::kOverhead);
    CHECK(aead::open(key, empty, Bytes{}).empty());

    std::vector<std::uint8_t> large(100000);
    random_bytes(large);
    const auto sealed_large = aead::seal(key, large, kAd);
    const SecureBuffer opened = aead::open(key, sealed_large, kAd);
    CHECK(equal_constant_time(opened.bytes(), large));
}

TEST_CASE("AEAD: every flipped bit of a small sealed blob fails to open") {
    const Key32 key = Key32::random();
    const auto sealed = aead::seal(key, bytes_of("hello"), kAd);
    REQUIRE(sealed.size() == 5 + aead::kOverhead);
    int refused = 0;
    for (std::size_t i = 0; i < sealed.size(); ++i) {
        for (int bit = 0; bit < 8; ++bit) {
            auto tampered = sealed;
            tampered[i] ^= static_cast<std::uint8_t>(1u << bit);
            CHECK_THROWS_AS((void)aead::open(key, tampered, kAd), AuthenticationError);
            ++refused;
        }
        auto whole_byte = sealed;
        whole_byte[i] ^= 0xff;
        CHECK_THROWS_AS((void)aead::open(key, whole_byte, kAd), AuthenticationError);
    }
    CHECK(refused == static_cast<int>(sealed.size() * 8));
    CHECK(aead::open(key, sealed, kAd).view() == "hello");  // the original still opens
}

TEST_CASE("AEAD: wrong associated data, key, truncated, extended, empty") {
    const Key32 key = Key32::random();
    const auto sealed = aead::seal(key, bytes_of("hello"), kAd);

    CHECK_THROWS_AS((void)aead::open(key, sealed, bytes_of("vault:2")), AuthenticationError);
    CHECK_THROWS_AS((void)aead::open(key, sealed, Bytes{}), AuthenticationError);
    auto longer_ad = kAd;
    longer_ad.push_back(0);
    CHECK_THROWS_AS((void)aead::open(key, sealed, longer_ad), AuthenticationError);

    CHECK_THROWS_AS((void)aead::open(Key32::random(), sealed, kAd), AuthenticationError);

    for (std::size_t n = 0; n < sealed.size(); ++n) {
        CAPTURE(n);
        CHECK_THROWS_AS((void)aead::open(key, Bytes(sealed).first(n), kAd), AuthenticationError);
    }
    auto extended = sealed;
    extended.push_back(0);
    CHECK_THROWS_AS((void)aead::open(key, extended, kAd), AuthenticationError);
    CHECK_THROWS_AS((void)aead::open(key, Bytes{}, kAd), AuthenticationError);

    // An all-zero blob of plausible size is refused, not crashed on.
    const std::vector<std::uint8_t> zeros(64, 0);
    CHECK_THROWS_AS((void)aead::open(key, zeros, kAd), AuthenticationError);
}

TEST_CASE("AEAD: key wrapping") {
    const Key32 kek = Key32::random();
    const Key32 data_key = Key32::random();
    const auto wrapped = aead::wrap_key(kek, data_key, kAd);
    CHECK(wrapped.size() == Key32::kSize + aead::kOverhead);

    const Key32 unwrapped = aead::unwrap_key(kek, wrapped, kAd);
    CHECK(equal_constant_time(unwrapped.bytes(), data_key.bytes()));

    CHECK_THROWS_AS((void)aead::unwrap_key(Key32::random(), wrapped, kAd), AuthenticationError);
    CHECK_THROWS_AS((void)aead::unwrap_key(kek, wrapped, bytes_of("other vault")), AuthenticationError);
    for (std::size_t i = 0; i < wrapped.size(); ++i) {
        auto tampered = wrapped;
        tampered[i] ^= 0x80;
        CHECK_THROWS_AS((void)aead::unwrap_key(kek, tampered, kAd), AuthenticationError);
    }
    CHECK_THROWS_AS((void)aead::unwrap_key(kek, Bytes(wrapped).first(wrapped.size() - 1), kAd),
                    AuthenticationError);
    CHECK_THROWS_AS((void)aead::unwrap_key(kek, Bytes{}, kAd), AuthenticationError);

    // A sealed blob that is not a 32-byte key is not a wrapped key.
    const auto not_a_key = aead::seal(kek, bytes_of("short"), kAd);
    CHECK_THROWS_AS((void)aead::unwrap_key(kek, not_a_key, kAd), AuthenticationError);
}

TEST_CASE("AEAD: misuse is an error, not a crash") {
    const Key32 key = Key32::random();
    const std::vector<std::uint8_t> short_nonce(23);
    CHECK_THROWS_AS((void)aead::seal_with_nonce(key, short_nonce, Bytes{}, Bytes{}), CryptoError);

    Key32 moved = Key32::random();
    const Key32 target(std::move(moved));
    CHECK_THROWS_AS((void)aead::seal(moved, Bytes{}, Bytes{}), CryptoError);  // NOLINT(bugprone-use-after-move)
    const auto sealed = aead::seal(target, bytes_of("x"), Bytes{});
    CHECK_THROWS_AS((void)aead::open(moved, sealed, Bytes{}), CryptoError);  // NOLINT(bugprone-use-after-move)
}
