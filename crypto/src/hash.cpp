#include "imrdesk/crypto/hash.hpp"

#include <sodium.h>

#include <new>
#include <string>

#include "detail.hpp"
#include "imrdesk/crypto/errors.hpp"

namespace imrdesk::crypto {

static_assert(sizeof(Digest32) == crypto_hash_sha256_BYTES);
static_assert(sizeof(Digest32) >= crypto_generichash_BYTES_MIN &&
              sizeof(Digest32) <= crypto_generichash_BYTES_MAX);
static_assert(Key32::kSize >= crypto_generichash_KEYBYTES_MIN && Key32::kSize <= crypto_generichash_KEYBYTES_MAX);
static_assert(Key32::kSize == crypto_kdf_KEYBYTES);

namespace {

const std::uint8_t* bytes_of(std::string_view text) noexcept {
    return reinterpret_cast<const std::uint8_t*>(text.data());
}

void require_key(const Key32& key, const char* what) {
    if (key.empty()) {
        throw CryptoError(std::string(what) + ": the key is empty (moved from)");
    }
}

}  // namespace

Digest32 sha256(Bytes data) noexcept {
    Digest32 out{};
    detail::check_or_abort(crypto_hash_sha256(out.data(), data.data(), data.size()));
    return out;
}

Digest32 sha256(std::string_view data) noexcept { return sha256(Bytes(bytes_of(data), data.size())); }

Digest32 blake2b(Bytes data) noexcept {
    Digest32 out{};
    detail::check_or_abort(crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0));
    return out;
}

Digest32 mac(const Key32& key, Bytes data) noexcept {
    // A moved-from key here is a programming error; abort rather than MAC with no key.
    if (key.empty()) {
        std::abort();
    }
    Digest32 out{};
    detail::check_or_abort(crypto_generichash(out.data(), out.size(), data.data(), data.size(),
                                              key.bytes().data(), Key32::kSize));
    return out;
}

namespace {

crypto_generichash_state* state_at(std::uint8_t* storage) noexcept {
    return std::launder(static_cast<crypto_generichash_state*>(static_cast<void*>(storage)));
}

}  // namespace

Sha256Stream::Sha256Stream() {
    static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(state_), "Sha256Stream::state_ is too small");
    static_assert(alignof(crypto_hash_sha256_state) <= 16, "Sha256Stream::state_ is not aligned enough");
    auto* state = ::new (static_cast<void*>(state_.data())) crypto_hash_sha256_state;
    detail::check(crypto_hash_sha256_init(state), "crypto_hash_sha256_init");
}

Sha256Stream& Sha256Stream::update(Bytes data) {
    if (finished_) throw CryptoError("Sha256Stream::update after finish");
    detail::check(crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_.data()), data.data(), data.size()),
                  "crypto_hash_sha256_update");
    return *this;
}

Digest32 Sha256Stream::finish() {
    if (finished_) throw CryptoError("Sha256Stream::finish called twice");
    finished_ = true;
    Digest32 out{};
    detail::check(crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_.data()), out.data()),
                  "crypto_hash_sha256_final");
    return out;
}

Mac::Mac(const Key32& key) {
    static_assert(sizeof(crypto_generichash_state) <= sizeof(state_),
                  "Mac::state_ is too small for crypto_generichash_state");
    static_assert(alignof(crypto_generichash_state) <= 64, "Mac::state_ is not aligned enough");
    require_key(key, "Mac");
    auto* state = ::new (static_cast<void*>(state_.data())) crypto_generichash_state;
    detail::check(crypto_generichash_init(state, key.bytes().data(), Key32::kSize, crypto_generichash_BYTES),
                  "crypto_generichash_init");
}

Mac::~Mac() { sodium_memzero(state_.data(), state_.size()); }

Mac& Mac::update(Bytes data) {
    if (finished_) {
        throw CryptoError("Mac::update after finish");
    }
    detail::check(crypto_generichash_update(state_at(state_.data()), data.data(), data.size()),
                  "crypto_generichash_update");
    return *this;
}

Mac& Mac::update(std::string_view text) { return update(Bytes(bytes_of(text), text.size())); }

Mac& Mac::update_u64(std::uint64_t value) {
    std::array<std::uint8_t, 8> be{};
    for (std::size_t i = 0; i < be.size(); ++i) {
        be[i] = static_cast<std::uint8_t>(value >> (8 * (be.size() - 1 - i)));
    }
    return update(Bytes(be));
}

Digest32 Mac::finish() {
    if (finished_) {
        throw CryptoError("Mac::finish called twice");
    }
    Digest32 out{};
    const int rc = crypto_generichash_final(state_at(state_.data()), out.data(), out.size());
    finished_ = true;
    sodium_memzero(state_.data(), state_.size());
    detail::check(rc, "crypto_generichash_final");
    return out;
}

Key32 derive_subkey(const Key32& master, std::uint64_t subkey_id, std::string_view context) {
    require_key(master, "derive_subkey");
    if (context.size() != crypto_kdf_CONTEXTBYTES) {
        throw CryptoError("derive_subkey: the context must have exactly " + std::to_string(crypto_kdf_CONTEXTBYTES) +
                          " characters, not " + std::to_string(context.size()));
    }
    Key32 subkey;
    detail::check(crypto_kdf_derive_from_key(subkey.mutable_data(), Key32::kSize, subkey_id, context.data(),
                                             master.bytes().data()),
                  "crypto_kdf_derive_from_key");
    return subkey;
}

std::string to_hex(Bytes data) {
    std::string hex(data.size() * 2 + 1, '\0');
    // sodium_bin2hex runs in constant time: hex of secrets leaks nothing through timing.
    if (sodium_bin2hex(hex.data(), hex.size(), data.data(), data.size()) == nullptr) {
        throw CryptoError("libsodium: sodium_bin2hex failed");
    }
    hex.pop_back();  // the terminating NUL
    return hex;
}

std::vector<std::uint8_t> from_hex(std::string_view hex) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < hex.size(); ++i) {
        if (nibble(hex[i]) < 0) {
            const auto c = static_cast<unsigned char>(hex[i]);
            std::string what = (c >= 0x21 && c <= 0x7e) ? std::string("'") + hex[i] + "'" : "a character";
            throw FormatError("hex: " + what + " at position " + std::to_string(i + 1) +
                              " is not a hexadecimal digit");
        }
    }
    if (hex.size() % 2 != 0) {
        throw FormatError("hex: odd length " + std::to_string(hex.size()) +
                          ": the last digit at position " + std::to_string(hex.size()) + " has no pair");
    }
    std::vector<std::uint8_t> out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<std::uint8_t>((nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]));
    }
    return out;
}

}  // namespace imrdesk::crypto
