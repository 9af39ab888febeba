#pragma once
// Memory for secrets: sodium_malloc (guard pages, mlock'd, never swapped), wiped on release,
// move-only so a key is never silently copied.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "imrdesk/crypto/errors.hpp"

namespace imrdesk::crypto {

using Bytes = std::span<const std::uint8_t>;

class SecureBuffer {
public:
    SecureBuffer() noexcept = default;
    explicit SecureBuffer(std::size_t size);  // zero-filled; throws CryptoError when out of memory
    static SecureBuffer copy_of(Bytes bytes);
    static SecureBuffer copy_of(std::string_view text);

    ~SecureBuffer();
    SecureBuffer(SecureBuffer&& other) noexcept;
    SecureBuffer& operator=(SecureBuffer&& other) noexcept;
    SecureBuffer(const SecureBuffer&) = delete;
    SecureBuffer& operator=(const SecureBuffer&) = delete;

    [[nodiscard]] std::uint8_t* data() noexcept { return data_; }
    [[nodiscard]] const std::uint8_t* data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] Bytes bytes() const noexcept { return {data_, size_}; }
    [[nodiscard]] std::span<std::uint8_t> mutable_bytes() noexcept { return {data_, size_}; }
    // The contents as text (for decrypted UTF-8 bodies). Valid while the buffer lives.
    [[nodiscard]] std::string_view view() const noexcept;

    // Wipes and releases now (the destructor does the same).
    void reset() noexcept;

private:
    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

// A fixed-size secret key in secure memory. Move-only; a moved-from key is empty (using it throws
// CryptoError where the API can throw).
template <std::size_t N>
class SecretKey {
public:
    static constexpr std::size_t kSize = N;

    SecretKey() : buffer_(N) {}
    static SecretKey random();
    static SecretKey from_bytes(Bytes bytes);  // throws CryptoError unless bytes.size() == N

    [[nodiscard]] std::span<const std::uint8_t, N> bytes() const noexcept {
        return std::span<const std::uint8_t, N>(buffer_.data(), N);
    }
    [[nodiscard]] std::uint8_t* mutable_data() noexcept { return buffer_.data(); }
    [[nodiscard]] bool empty() const noexcept { return buffer_.empty(); }

private:
    SecureBuffer buffer_;
};

using Key32 = SecretKey<32>;

// Wipes memory that held a secret or decrypted text (sodium_memzero: never optimised away).
void wipe(void* data, std::size_t size) noexcept;
// Wipes a std::string's whole allocation (not only its size) and leaves it empty.
void wipe(std::string& text) noexcept;
// Wipes `bytes` of this thread's stack below the caller's frame (sodium_stackzero): what the
// functions it called left there (a parser's buffers of decrypted text) is gone when they return.
void wipe_stack(std::size_t bytes) noexcept;

// Compares in constant time; false when sizes differ.
[[nodiscard]] bool equal_constant_time(Bytes a, Bytes b) noexcept;

// Fills with cryptographically secure random bytes.
void random_bytes(std::span<std::uint8_t> out) noexcept;
template <std::size_t N>
[[nodiscard]] std::array<std::uint8_t, N> random_array() noexcept {
    std::array<std::uint8_t, N> out{};
    random_bytes(out);
    return out;
}

template <std::size_t N>
SecretKey<N> SecretKey<N>::random() {
    SecretKey key;
    random_bytes(key.buffer_.mutable_bytes());
    return key;
}

template <std::size_t N>
SecretKey<N> SecretKey<N>::from_bytes(Bytes bytes) {
    if (bytes.size() != N) {
        throw CryptoError("a secret key must have " + std::to_string(N) + " bytes, not " +
                          std::to_string(bytes.size()));
    }
    SecretKey key;
    std::memcpy(key.buffer_.data(), bytes.data(), N);
    return key;
}

}  // namespace imrdesk::crypto
