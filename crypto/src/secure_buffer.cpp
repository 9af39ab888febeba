#include "imrdesk/crypto/secure_buffer.hpp"

#include <sodium.h>

#include <cstring>
#include <string>
#include <utility>

#include "imrdesk/crypto/errors.hpp"

namespace imrdesk::crypto {

SecureBuffer::SecureBuffer(std::size_t size) {
    if (size == 0) {
        return;
    }
    init();  // sodium_malloc needs the page size that sodium_init() reads
    void* memory = sodium_malloc(size);
    if (memory == nullptr) {
        throw CryptoError("out of secure memory (" + std::to_string(size) + " bytes)");
    }
    data_ = static_cast<std::uint8_t*>(memory);
    size_ = size;
    sodium_memzero(data_, size_);
}

SecureBuffer SecureBuffer::copy_of(Bytes bytes) {
    SecureBuffer buffer(bytes.size());
    if (!bytes.empty()) {
        std::memcpy(buffer.data_, bytes.data(), bytes.size());
    }
    return buffer;
}

SecureBuffer SecureBuffer::copy_of(std::string_view text) {
    SecureBuffer buffer(text.size());
    if (!text.empty()) {
        std::memcpy(buffer.data_, text.data(), text.size());
    }
    return buffer;
}

SecureBuffer::~SecureBuffer() { reset(); }

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
    if (this != &other) {
        reset();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

std::string_view SecureBuffer::view() const noexcept {
    if (data_ == nullptr) {
        return {};
    }
    return {reinterpret_cast<const char*>(data_), size_};
}

void SecureBuffer::reset() noexcept {
    if (data_ != nullptr) {
        sodium_free(data_);  // wipes (sodium_memzero) before releasing
    }
    data_ = nullptr;
    size_ = 0;
}

void wipe(void* data, std::size_t size) noexcept {
    if (data != nullptr && size != 0) {
        sodium_memzero(data, size);
    }
}

void wipe_stack(std::size_t bytes) noexcept { sodium_stackzero(bytes); }

void wipe(std::string& text) noexcept {
    // Cover the whole allocation, not only the current size: an earlier, longer value may still
    // be in the tail. resize() within capacity does not reallocate.
    text.resize(text.capacity());
    if (!text.empty()) {
        sodium_memzero(text.data(), text.size());
    }
    text.clear();
    text.shrink_to_fit();
}

bool equal_constant_time(Bytes a, Bytes b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    if (a.empty()) {
        return true;
    }
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void random_bytes(std::span<std::uint8_t> out) noexcept {
    if (!out.empty()) {
        randombytes_buf(out.data(), out.size());
    }
}

}  // namespace imrdesk::crypto
