#include "imrdesk/sync/enrolment_code.hpp"

#include <algorithm>
#include <vector>

#include "imrdesk/crypto/check_code.hpp"

// The code is written as imrdesk/crypto/check_code.hpp says (Crockford base32 with a checksum
// that catches every single mistyped character and every swap of neighbours); a missing or extra
// character is caught by the length recorded inside as well.

namespace imrdesk::sync {

namespace {

using crypto::check_code::kCheckDigits;
constexpr std::size_t kFixedBytes = 1 + 32 + 16 + 5 + 2 + 1;  // everything but the host
constexpr std::int64_t kMaxExpiry = (std::int64_t{1} << 40) - 1;

using Digits = std::vector<std::uint8_t>;

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
    Digits digits(crypto::check_code::digits_for(payload.size()) + kCheckDigits);
    crypto::check_code::encode(payload, digits);
    crypto::check_code::set_checksum(digits);
    return crypto::check_code::format(digits);
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
    Digits digits(1024);
    const auto read = crypto::check_code::read(typed, digits, "enrolment code");
    if (read.problem) bad(C::BadCharacter, *read.problem);
    const std::size_t count = read.count;
    digits.resize(std::min(count, digits.size()));
    const std::size_t min_digits = ((kFixedBytes + 1) * 8 + 4) / 5 + kCheckDigits;
    const std::size_t max_digits = ((kFixedBytes + kMaxHostBytes) * 8 + 4) / 5 + kCheckDigits;
    if (count < min_digits || count > max_digits) {
        bad(C::BadLength, "an enrolment code has " + std::to_string(min_digits) + " to " + std::to_string(max_digits) +
                              " characters, but " + std::to_string(count) +
                              " were found: copy the whole code, from its first group to its last");
    }
    if (!crypto::check_code::checks(digits)) {
        bad(C::Checksum, "the enrolment code does not check: a character was mistyped, or part of the code is "
                         "missing or repeated");
    }

    const std::size_t data = digits.size() - kCheckDigits;
    Bytes payload(data * 5 / 8);
    const auto decoded = crypto::check_code::decode(std::span<const std::uint8_t>(digits).first(data), payload);
    // A whole number of bytes leaves fewer than 5 bits over, all zero.
    if (decoded.leftover_bits >= 5 || !decoded.leftover_zero) {
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
