#pragma once
// The one-time enrolment code printed by `imrdesk-server enrol` and pasted (or typed) into the
// client: the server's address, the SHA-256 fingerprint of its public key (SPKI) that the client
// pins, a 16-byte one-time token and an expiry.
//
// Text form: Crockford base32 (as the recovery key: no I, L, O, U; typing I/L/O is forgiven as
// 1/1/0; any case), in groups of 4 joined by '-', the last 4 characters a checksum that catches
// every single mistyped character and every swap of two neighbours. A code for a 16-character
// host name is 121 characters (31 groups). Binary layout inside, all big-endian:
//   format version (1) | fingerprint (32) | token (16) | expiry, Unix seconds (5) | port (2) |
//   host length (1) | host (ASCII)
#include <chrono>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "imrdesk/sync/messages.hpp"

namespace imrdesk::sync {

class EnrolmentCodeError : public std::runtime_error {
public:
    enum class Code : std::uint8_t {
        BadCharacter,        // a character that is not in the alphabet (the message gives its position)
        BadLength,           // too short, or the length does not match the contents
        Checksum,            // a mistyped character
        UnsupportedVersion,  // made by a newer server
        BadContent,          // checks, but the address inside is not valid
        Expired,
    };
    EnrolmentCodeError(Code code, const std::string& what) : std::runtime_error(what), code_(code) {}
    [[nodiscard]] Code code() const noexcept { return code_; }

private:
    Code code_;
};

struct EnrolmentCode {
    static constexpr std::uint8_t kFormatVersion = 1;
    static constexpr std::size_t kMaxHostBytes = 253;

    std::string host;  // DNS name, IPv4 or IPv6 literal (without brackets)
    std::uint16_t port = 0;
    Sha256 fingerprint{};  // SHA-256 of the server's SubjectPublicKeyInfo (DER)
    Token token{};
    std::chrono::sys_seconds expires_at{};

    // Throws std::invalid_argument for an empty, overlong or invalid host, port 0, or an expiry
    // before 1970 or after 2^40 s.
    [[nodiscard]] std::string format() const;
    // Accepts any case, spaces, tabs, newlines and dashes anywhere. Throws EnrolmentCodeError
    // saying what is wrong. Does not look at the expiry.
    [[nodiscard]] static EnrolmentCode parse(std::string_view typed);
    // The same, and refuses a code that has expired at now (EnrolmentCodeError::Expired).
    [[nodiscard]] static EnrolmentCode parse(std::string_view typed, std::chrono::sys_seconds now);

    [[nodiscard]] bool expired(std::chrono::sys_seconds now) const noexcept { return now >= expires_at; }
    // "host:port", "[::1]:port" for IPv6.
    [[nodiscard]] std::string address() const;

    friend bool operator==(const EnrolmentCode&, const EnrolmentCode&) = default;
};

namespace detail {
// The text form of arbitrary payload bytes with a valid checksum (tests build codes with other
// versions or inconsistent contents with it).
[[nodiscard]] std::string format_enrolment_payload(std::span<const std::uint8_t> payload);
}  // namespace detail

}  // namespace imrdesk::sync
