#include "imrdesk/sync/enrolment_code.hpp"

#include <algorithm>
#include <vector>

// Checksum (as crypto/src/recovery_key.cpp, ISO 7064 style): read all digits (data + 4 check
// digits) as one base-32 number M; the check digits make M ≡ 0 (mod P), P = 1048573, the largest
// prime below 2^20. One substituted digit changes M by (d' - d)·32^k with 0 < |d' - d| ≤ 31 < P,
// and P does not divide 32^k, so it is always caught; a swap of neighbours changes M by
// (a - b)·31·32^k, also never a multiple of P. Other errors pass with probability ≈ 2^-20, and a
// missing or extra character is caught by the length recorded inside as well.

namespace imrdesk::sync {

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kCheckDigits = 4;
constexpr std::size_t kGroupSize = 4;
constexpr std::uint32_t kPrime = 1048573;
constexpr std::size_t kFixedBytes = 1 + 32 + 16 + 5 + 2 + 1;  // everything but the host
constexpr std::int64_t kMaxExpiry = (std::int64_t{1} << 40) - 1;

using Digits = std::vector<std::uint8_t>;

std::uint32_t mod_prime(const Digits& digits, std::size_t count) noexcept {
    std::uint64_t r = 0;
    for (std::size_t i = 0; i < count; ++i) {
        r = (r * 32 + digits[i]) % kPrime;
    }
    return static_cast<std::uint32_t>(r);
}

int digit_value(char typed) noexcept {
    char c = typed;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'I' || c == 'L') return 1;
    if (c == 'O') return 0;
    if (c == 'U') return -2;
    const auto at = kAlphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

bool is_separator(char c) noexcept { return c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool valid_host(std::string_view host) noexcept {
    if (host.empty() || host.size() > EnrolmentCode::kMaxHostBytes) return false;
    return std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
               c == ':';
    });
}

[[noreturn]] void bad(EnrolmentCodeError::Code code, const std::string& what) { throw EnrolmentCodeError(code, what); }

std::string utc(std::chrono::sys_seconds t) {
    const auto secs = t.time_since_epoch().count();
    auto days = secs / 86400;
    auto rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    const auto hh = rem / 3600;
    const auto mm = (rem % 3600) / 60;
    return domain::CivilDate::from_days(days).iso() + " " + (hh < 10 ? "0" : "") + std::to_string(hh) + ":" +
           (mm < 10 ? "0" : "") + std::to_string(mm) + " UTC";
}

}  // namespace

namespace detail {

std::string format_enrolment_payload(std::span<const std::uint8_t> payload) {
    Digits digits;
    digits.reserve((payload.size() * 8 + 4) / 5 + kCheckDigits);
    std::uint32_t acc = 0;
    unsigned bits = 0;
    for (const std::uint8_t b : payload) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            digits.push_back(static_cast<std::uint8_t>((acc >> bits) & 31u));
        }
        acc &= (1u << bits) - 1u;
    }
    if (bits > 0) {
        digits.push_back(static_cast<std::uint8_t>((acc << (5 - bits)) & 31u));  // zero padding bits
    }
    const std::size_t data = digits.size();
    std::uint64_t r = mod_prime(digits, data);
    for (std::size_t i = 0; i < kCheckDigits; ++i) {
        r = (r * 32) % kPrime;
    }
    auto check = static_cast<std::uint32_t>((kPrime - r) % kPrime);
    digits.resize(data + kCheckDigits);
    for (std::size_t i = 0; i < kCheckDigits; ++i) {
        digits[digits.size() - 1 - i] = static_cast<std::uint8_t>(check & 31u);
        check >>= 5;
    }
    std::string text;
    text.reserve(digits.size() + digits.size() / kGroupSize);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && i % kGroupSize == 0) text.push_back('-');
        text.push_back(kAlphabet[digits[i]]);
    }
    return text;
}

}  // namespace detail

std::string EnrolmentCode::format() const {
    if (!valid_host(host)) {
        throw std::invalid_argument("an enrolment code needs a host name or IP address of 1 to 253 characters "
                                    "(letters, digits, '.', '-', ':')");
    }
    if (port == 0) throw std::invalid_argument("an enrolment code needs a port (1-65535)");
    const std::int64_t expiry = expires_at.time_since_epoch().count();
    if (expiry < 0 || expiry > kMaxExpiry) throw std::invalid_argument("the enrolment code's expiry is out of range");

    Bytes payload;
    payload.reserve(kFixedBytes + host.size());
    payload.push_back(kFormatVersion);
    payload.insert(payload.end(), fingerprint.begin(), fingerprint.end());
    payload.insert(payload.end(), token.begin(), token.end());
    for (int shift = 32; shift >= 0; shift -= 8) {
        payload.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(expiry) >> shift));
    }
    payload.push_back(static_cast<std::uint8_t>(port >> 8));
    payload.push_back(static_cast<std::uint8_t>(port));
    payload.push_back(static_cast<std::uint8_t>(host.size()));
    payload.insert(payload.end(), host.begin(), host.end());
    return detail::format_enrolment_payload(payload);
}

EnrolmentCode EnrolmentCode::parse(std::string_view typed) {
    using C = EnrolmentCodeError::Code;
    Digits digits;
    std::size_t count = 0;
    for (const char c : typed) {
        if (is_separator(c)) continue;
        ++count;
        const int value = digit_value(c);
        if (value < 0) {
            const std::string where = "position " + std::to_string(count) + " (group " +
                                      std::to_string((count - 1) / kGroupSize + 1) + ")";
            if (value == -2) {
                bad(C::BadCharacter, "the enrolment code has a 'U' at " + where +
                                         ", but U is never used in enrolment codes: check that character");
            }
            const auto u = static_cast<unsigned char>(c);
            const std::string what = (u >= 0x21 && u <= 0x7e) ? std::string("'") + c + "'" : "a character";
            bad(C::BadCharacter, "the enrolment code has " + what + " at " + where +
                                     " that is not allowed: only digits and the letters A-Z except U are used");
        }
        if (digits.size() < 1024) digits.push_back(static_cast<std::uint8_t>(value));
    }
    const std::size_t min_digits = ((kFixedBytes + 1) * 8 + 4) / 5 + kCheckDigits;
    const std::size_t max_digits = ((kFixedBytes + kMaxHostBytes) * 8 + 4) / 5 + kCheckDigits;
    if (count < min_digits || count > max_digits) {
        bad(C::BadLength, "an enrolment code has " + std::to_string(min_digits) + " to " + std::to_string(max_digits) +
                              " characters, but " + std::to_string(count) +
                              " were found: copy the whole code, from its first group to its last");
    }
    if (mod_prime(digits, digits.size()) != 0) {
        bad(C::Checksum, "the enrolment code does not check: a character was mistyped, or part of the code is "
                         "missing or repeated");
    }

    const std::size_t data = digits.size() - kCheckDigits;
    Bytes payload;
    std::uint32_t acc = 0;
    unsigned bits = 0;
    for (std::size_t i = 0; i < data; ++i) {
        acc = (acc << 5) | digits[i];
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            payload.push_back(static_cast<std::uint8_t>(acc >> bits));
            acc &= (1u << bits) - 1u;
        }
    }
    // A whole number of bytes leaves fewer than 5 bits over, all zero.
    if (bits >= 5 || acc != 0) {
        bad(C::BadLength, "the enrolment code's length does not match its contents: part of it is missing or repeated");
    }
    if (payload[0] != kFormatVersion) {
        bad(C::UnsupportedVersion, "this enrolment code has format version " + std::to_string(payload[0]) +
                                       ", but this version of imrdesk reads version " +
                                       std::to_string(kFormatVersion) + ": update imrdesk, or ask for a new code");
    }
    if (payload.size() < kFixedBytes || payload[kFixedBytes - 1] != payload.size() - kFixedBytes) {
        bad(C::BadLength, "the enrolment code's length does not match its contents: part of it is missing or repeated");
    }

    EnrolmentCode code;
    auto at = payload.begin() + 1;
    std::copy_n(at, code.fingerprint.size(), code.fingerprint.begin());
    at += static_cast<std::ptrdiff_t>(code.fingerprint.size());
    std::copy_n(at, code.token.size(), code.token.begin());
    at += static_cast<std::ptrdiff_t>(code.token.size());
    std::uint64_t expiry = 0;
    for (int i = 0; i < 5; ++i) expiry = (expiry << 8) | *at++;
    code.expires_at = std::chrono::sys_seconds(std::chrono::seconds(static_cast<std::int64_t>(expiry)));
    code.port = static_cast<std::uint16_t>((*at << 8) | *(at + 1));
    at += 3;  // port and host length
    code.host.assign(at, payload.end());
    if (code.port == 0) bad(C::BadContent, "the enrolment code has port 0: ask for a new code");
    if (!valid_host(code.host)) bad(C::BadContent, "the enrolment code's server address is not valid: ask for a new code");
    return code;
}

EnrolmentCode EnrolmentCode::parse(std::string_view typed, std::chrono::sys_seconds now) {
    EnrolmentCode code = parse(typed);
    if (code.expired(now)) {
        throw EnrolmentCodeError(EnrolmentCodeError::Code::Expired,
                                 "the enrolment code expired at " + utc(code.expires_at) + ": ask for a new one");
    }
    return code;
}

std::string EnrolmentCode::address() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace imrdesk::sync
