#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/crypto/signing.hpp"

using namespace imrdesk::crypto;

namespace {

struct Rfc8032Vector {
    const char* name;
    const char* secret_seed;
    const char* public_key;
    const char* message;
    const char* signature;
};

// RFC 8032, section 7.1 (Test Vectors for Ed25519), TEST 1 and TEST 2.
constexpr Rfc8032Vector kRfc8032[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
};

}  // namespace

TEST_CASE("Ed25519: RFC 8032 section 7.1 known answers") {
    for (const auto& v : kRfc8032) {
        CAPTURE(v.name);
        const auto seed = from_hex(v.secret_seed);
        const auto message = from_hex(v.message);
        const SigningKey key = SigningKey::from_seed(seed);
        CHECK(to_hex(key.public_key().bytes) == v.public_key);
        const Signature signature = key.sign(message);
        CHECK(to_hex(signature) == v.signature);
        CHECK(key.public_key().verify(message, signature));
        CHECK(to_hex(key.seed()) == v.secret_seed);
    }
}

TEST_CASE("Ed25519: verify refuses any change") {
    const SigningKey key = SigningKey::generate();
    const std::vector<std::uint8_t> message{'c', 'h', 'a', 'l', 'l', 'e', 'n', 'g', 'e'};
    const Signature signature = key.sign(message);
    REQUIRE(key.public_key().verify(message, signature));

    for (std::size_t i = 0; i < message.size(); ++i) {
        auto changed = message;
        changed[i] ^= 0x01;
        CHECK(!key.public_key().verify(changed, signature));
    }
    for (std::size_t i = 0; i < signature.size(); ++i) {
        for (int bit = 0; bit < 8; ++bit) {
            Signature changed = signature;
            changed[i] ^= static_cast<std::uint8_t>(1u << bit);
            CHECK(!key.public_key().verify(message, changed));
        }
    }
    const SigningKey other = SigningKey::generate();
    CHECK(!other.public_key().verify(message, signature));
    CHECK(!(other.public_key() == key.public_key()));
    CHECK(!key.public_key().verify(Bytes{}, signature));
    CHECK(!PublicKey{}.verify(message, signature));  // all-zero key: refused, no crash
}

TEST_CASE("Ed25519: seed round trip and errors") {
    const SigningKey key = SigningKey::generate();
    const SigningKey restored = SigningKey::from_seed(key.seed());
    CHECK(restored.public_key() == key.public_key());

    std::vector<std::uint8_t> short_seed(31);
    CHECK_THROWS_AS((void)SigningKey::from_seed(short_seed), CryptoError);
    std::vector<std::uint8_t> long_seed(64);
    CHECK_THROWS_AS((void)SigningKey::from_seed(long_seed), CryptoError);

    SigningKey moved = SigningKey::generate();
    const SigningKey target(std::move(moved));
    CHECK_THROWS_AS((void)moved.sign(Bytes{}), CryptoError);  // NOLINT(bugprone-use-after-move)
    CHECK(target.public_key().verify(Bytes{}, target.sign(Bytes{})));
}

TEST_CASE("sealed box: only the key it was sealed to opens it, and any change is refused") {
    const auto key = SigningKey::generate();
    const auto other = SigningKey::generate();
    const std::string text = "{\"section\":\"summary\",\"text\":\"typed while the disk was full\"}";
    const Bytes plain{reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
    auto box = key.public_key().seal(plain);
    CHECK(box.size() == text.size() + 48);  // ephemeral public key and tag
    CHECK(std::search(box.begin(), box.end(), text.begin() + 10, text.begin() + 30) == box.end());  // not in clear
    const auto opened = key.open_sealed(box);
    CHECK(std::string(reinterpret_cast<const char*>(opened.data()), opened.size()) == text);
    CHECK(key.public_key().seal(plain) != box);  // a fresh sender key each time

    CHECK_THROWS_AS((void)other.open_sealed(box), AuthenticationError);
    for (std::size_t i = 0; i < box.size(); i += 7) {
        auto changed = box;
        changed[i] ^= 0x01;
        CHECK_THROWS_AS((void)key.open_sealed(changed), AuthenticationError);
    }
    CHECK_THROWS_AS((void)key.open_sealed(Bytes{box.data(), 47}), FormatError);
}
