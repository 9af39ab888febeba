#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/hash.hpp"

using namespace imrdesk::crypto;

namespace {

Bytes bytes_of(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

TEST_CASE("SHA-256 known answers (FIPS 180-2 'abc', the empty string)") {
    CHECK(to_hex(sha256(std::string_view("abc"))) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(to_hex(sha256(std::string_view(""))) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256(bytes_of("abc")) == sha256(std::string_view("abc")));
    CHECK(sha256(Bytes{}) == sha256(std::string_view("")));
}

TEST_CASE("BLAKE2b-256 known answer (empty input)") {
    CHECK(to_hex(blake2b(Bytes{})) == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    CHECK(blake2b(bytes_of("a")) != blake2b(bytes_of("b")));
}

TEST_CASE("mac: keyed, depends on key and data") {
    const Key32 k1 = Key32::random();
    const Key32 k2 = Key32::random();
    const auto data = bytes_of("record 42");
    CHECK(mac(k1, data) == mac(k1, data));
    CHECK(mac(k1, data) != mac(k2, data));
    CHECK(mac(k1, data) != mac(k1, bytes_of("record 43")));
    CHECK(mac(k1, data) != blake2b(data));
}

TEST_CASE("Mac: streaming equals one-shot over the concatenation") {
    const Key32 key = Key32::random();
    const std::vector<std::uint8_t> all{'v', 'a', 'u', 'l', 't', 0, 0, 0, 0, 0, 0, 0x01, 0x02, 'x', 'y'};

    Mac stream(key);
    stream.update(std::string_view("vault")).update_u64(0x0102).update(bytes_of("xy"));
    CHECK(stream.finish() == mac(key, all));

    Mac empty(key);
    CHECK(empty.finish() == mac(key, Bytes{}));

    // Field boundaries do not matter to the digest: callers frame fields themselves.
    Mac split(key);
    split.update(Bytes(all).first(3)).update(Bytes(all).subspan(3));
    CHECK(split.finish() == mac(key, all));
}

TEST_CASE("Mac: update_u64 is big-endian, fixed width") {
    const Key32 key = Key32::random();
    Mac a(key);
    a.update_u64(0x0102030405060708ull);
    const std::vector<std::uint8_t> be{1, 2, 3, 4, 5, 6, 7, 8};
    CHECK(a.finish() == mac(key, be));

    Mac zero(key);
    zero.update_u64(0);
    CHECK(zero.finish() == mac(key, std::vector<std::uint8_t>(8, 0)));
}

TEST_CASE("Mac: finish once") {
    Mac m(Key32::random());
    (void)m.finish();
    CHECK_THROWS_AS((void)m.finish(), CryptoError);
    CHECK_THROWS_AS(m.update(std::string_view("late")), CryptoError);
}

TEST_CASE("derive_subkey: libsodium known answer (test/default/kdf.exp)") {
    // libsodium's kdf test: master key 00 01 .. 1f, context "KDF test"; the line for a 32-byte
    // subkey is printed with subkey_id 32.
    std::vector<std::uint8_t> master_bytes(32);
    for (std::size_t i = 0; i < master_bytes.size(); ++i) {
        master_bytes[i] = static_cast<std::uint8_t>(i);
    }
    const Key32 master = Key32::from_bytes(master_bytes);
    CHECK(to_hex(derive_subkey(master, 32, "KDF test").bytes()) ==
          "154b291f11196737f8b7f491e4ca11764e0227d34f94295408a869f007aa8618");
}

TEST_CASE("derive_subkey: independent subkeys, context of exactly 8 characters") {
    const Key32 master = Key32::random();
    const Key32 a = derive_subkey(master, 1, "audit---");
    const Key32 b = derive_subkey(master, 2, "audit---");
    const Key32 c = derive_subkey(master, 1, "search--");
    const Key32 a_again = derive_subkey(master, 1, "audit---");
    CHECK(!equal_constant_time(a.bytes(), b.bytes()));
    CHECK(!equal_constant_time(a.bytes(), c.bytes()));
    CHECK(equal_constant_time(a.bytes(), a_again.bytes()));
    CHECK(!equal_constant_time(a.bytes(), master.bytes()));

    CHECK_THROWS_AS((void)derive_subkey(master, 1, "audit"), CryptoError);
    CHECK_THROWS_AS((void)derive_subkey(master, 1, "audit----"), CryptoError);
    CHECK_THROWS_AS((void)derive_subkey(master, 1, ""), CryptoError);
}

TEST_CASE("hex: round trip, case, errors with position") {
    const std::vector<std::uint8_t> bytes{0x00, 0x01, 0xab, 0xff, 0x7f};
    CHECK(to_hex(bytes) == "0001abff7f");
    CHECK(from_hex("0001abff7f") == bytes);
    CHECK(from_hex("0001ABFF7F") == bytes);
    CHECK(to_hex(Bytes{}).empty());
    CHECK(from_hex("").empty());

    try {
        (void)from_hex("00g1");
        FAIL("expected FormatError");
    } catch (const FormatError& e) {
        CHECK(std::string(e.what()).find("position 3") != std::string::npos);
        CHECK(std::string(e.what()).find("'g'") != std::string::npos);
    }
    try {
        (void)from_hex("abc");
        FAIL("expected FormatError");
    } catch (const FormatError& e) {
        CHECK(std::string(e.what()).find("odd length") != std::string::npos);
    }
    CHECK_THROWS_AS((void)from_hex("0x00"), FormatError);
    CHECK_THROWS_AS((void)from_hex("00 11"), FormatError);
}

TEST_CASE("SHA-256 streamed: FIPS 180-2 known answers, in pieces as whole, and finish only once") {
    const std::string abc = "abc";
    const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    Sha256Stream one;
    one.update(Bytes(reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()));
    CHECK(to_hex(one.finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Sha256Stream pieces;
    for (std::size_t at = 0; at < two_blocks.size(); at += 7) {
        const auto n = std::min<std::size_t>(7, two_blocks.size() - at);
        pieces.update(Bytes(reinterpret_cast<const std::uint8_t*>(two_blocks.data() + at), n));
    }
    const auto digest = pieces.finish();
    CHECK(to_hex(digest) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(digest == sha256(two_blocks));
    CHECK_THROWS_AS((void)pieces.finish(), CryptoError);
    CHECK_THROWS_AS(pieces.update(Bytes{}), CryptoError);
}
