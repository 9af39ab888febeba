#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"

using namespace imrdesk::crypto;

static_assert(!std::is_copy_constructible_v<SecureBuffer>);
static_assert(!std::is_copy_assignable_v<SecureBuffer>);
static_assert(std::is_nothrow_move_constructible_v<SecureBuffer>);
static_assert(std::is_nothrow_move_assignable_v<SecureBuffer>);
static_assert(!std::is_copy_constructible_v<Key32>);
static_assert(std::is_move_constructible_v<Key32>);

TEST_CASE("SecureBuffer: zero-filled, sized") {
    SecureBuffer buffer(100);
    REQUIRE(buffer.size() == 100);
    REQUIRE(buffer.data() != nullptr);
    CHECK(std::all_of(buffer.bytes().begin(), buffer.bytes().end(), [](std::uint8_t b) { return b == 0; }));
    buffer.mutable_bytes()[99] = 7;
    CHECK(buffer.bytes()[99] == 7);

    SecureBuffer none;
    CHECK(none.empty());
    CHECK(none.view().empty());
    SecureBuffer zero(0);
    CHECK(zero.empty());
}

TEST_CASE("SecureBuffer: move leaves the source empty") {
    SecureBuffer a = SecureBuffer::copy_of(std::string_view("secret text"));
    const std::uint8_t* where = a.data();

    SecureBuffer b(std::move(a));
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move): the point of the test
    CHECK(a.data() == nullptr);
    CHECK(a.size() == 0);
    CHECK(b.data() == where);
    CHECK(b.view() == "secret text");

    SecureBuffer c(3);
    c = std::move(b);
    CHECK(b.empty());  // NOLINT(bugprone-use-after-move)
    CHECK(c.view() == "secret text");

    c.reset();
    CHECK(c.empty());
    CHECK(c.data() == nullptr);
}

TEST_CASE("SecureBuffer: copy_of bytes and text") {
    const std::vector<std::uint8_t> bytes{1, 2, 3, 250};
    const SecureBuffer a = SecureBuffer::copy_of(Bytes(bytes));
    REQUIRE(a.size() == bytes.size());
    CHECK(std::equal(bytes.begin(), bytes.end(), a.bytes().begin()));
    CHECK(a.data() != bytes.data());

    const SecureBuffer t = SecureBuffer::copy_of(std::string_view("héllo"));
    CHECK(t.view() == "héllo");

    CHECK(SecureBuffer::copy_of(Bytes{}).empty());
    CHECK(SecureBuffer::copy_of(std::string_view{}).empty());
}

TEST_CASE("SecretKey: random, from_bytes, move") {
    const Key32 a = Key32::random();
    const Key32 b = Key32::random();
    CHECK(!a.empty());
    CHECK(!equal_constant_time(a.bytes(), b.bytes()));

    const Key32 copy = Key32::from_bytes(a.bytes());
    CHECK(equal_constant_time(a.bytes(), copy.bytes()));

    std::array<std::uint8_t, 31> short_key{};
    CHECK_THROWS_AS((void)Key32::from_bytes(short_key), CryptoError);
    std::array<std::uint8_t, 33> long_key{};
    CHECK_THROWS_AS((void)Key32::from_bytes(long_key), CryptoError);

    Key32 moved = Key32::random();
    Key32 target(std::move(moved));
    CHECK(moved.empty());  // NOLINT(bugprone-use-after-move)
    CHECK(!target.empty());
}

TEST_CASE("wipe(std::string) leaves it empty, short or long") {
    std::string small = "abc";
    wipe(small);
    CHECK(small.empty());

    std::string large(1000, 'k');
    const auto before = large.capacity();
    large.resize(10);  // the tail of the allocation still held secret bytes
    wipe(large);
    CHECK(large.empty());
    CHECK(large.capacity() < before);  // the heap block was released

    std::string empty;
    wipe(empty);
    CHECK(empty.empty());
}

TEST_CASE("wipe(void*, size) zeroes") {
    std::array<std::uint8_t, 16> bytes{};
    bytes.fill(0xAB);
    wipe(bytes.data(), bytes.size());
    CHECK(std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; }));
    wipe(nullptr, 0);
}

TEST_CASE("equal_constant_time") {
    const std::vector<std::uint8_t> a{1, 2, 3};
    const std::vector<std::uint8_t> b{1, 2, 3};
    const std::vector<std::uint8_t> c{1, 2, 4};
    const std::vector<std::uint8_t> d{1, 2};
    CHECK(equal_constant_time(a, b));
    CHECK(!equal_constant_time(a, c));
    CHECK(!equal_constant_time(a, d));
    CHECK(equal_constant_time(Bytes{}, Bytes{}));
}

TEST_CASE("random_bytes / random_array") {
    const auto x = random_array<32>();
    const auto y = random_array<32>();
    CHECK(x != y);
    std::vector<std::uint8_t> empty;
    random_bytes(empty);  // no-op, no crash
}
