#include <doctest/doctest.h>

#include <algorithm>

#include "imrdesk/sync/enrolment_code.hpp"

using namespace imrdesk::sync;
using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

EnrolmentCode sample() {
    EnrolmentCode c;
    c.host = "sync.example.org";
    c.port = 7443;
    for (std::size_t i = 0; i < c.fingerprint.size(); ++i) c.fingerprint[i] = static_cast<std::uint8_t>(i * 7 + 1);
    for (std::size_t i = 0; i < c.token.size(); ++i) c.token[i] = static_cast<std::uint8_t>(0xF0 - i);
    c.expires_at = sys_seconds(seconds(1767268800));  // 2026-01-01 12:00 UTC
    return c;
}

EnrolmentCodeError parse_error(std::string_view text) {
    try {
        (void)EnrolmentCode::parse(text);
    } catch (const EnrolmentCodeError& e) {
        return e;
    }
    FAIL("parsed without an error: " << text);
    return EnrolmentCodeError(EnrolmentCodeError::Code::BadContent, "");
}

Bytes payload_of(const EnrolmentCode& c) {
    Bytes p{EnrolmentCode::kFormatVersion};
    p.insert(p.end(), c.fingerprint.begin(), c.fingerprint.end());
    p.insert(p.end(), c.token.begin(), c.token.end());
    const auto t = static_cast<std::uint64_t>(c.expires_at.time_since_epoch().count());
    for (int shift = 32; shift >= 0; shift -= 8) p.push_back(static_cast<std::uint8_t>(t >> shift));
    p.push_back(static_cast<std::uint8_t>(c.port >> 8));
    p.push_back(static_cast<std::uint8_t>(c.port));
    p.push_back(static_cast<std::uint8_t>(c.host.size()));
    p.insert(p.end(), c.host.begin(), c.host.end());
    return p;
}

}  // namespace

TEST_CASE("an enrolment code round-trips and is grouped for typing") {
    const EnrolmentCode c = sample();
    const std::string text = c.format();
    CHECK(text.size() == 121 + 30);  // 121 characters in groups of 4
    CHECK(text == detail::format_enrolment_payload(payload_of(c)));
    CHECK(EnrolmentCode::parse(text) == c);
    CHECK(c.address() == "sync.example.org:7443");

    // Lower case, spaces and newlines instead of dashes, I/L/O for 1/1/0.
    std::string loose;
    for (const char ch : text) {
        if (ch == '-') loose += ' ';
        else if (ch == '1') loose += 'l';
        else if (ch == '0') loose += 'o';
        else loose += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    loose.insert(40, "\n");
    CHECK(EnrolmentCode::parse(loose) == c);
}

TEST_CASE("IPv6 and short hosts round-trip") {
    EnrolmentCode c = sample();
    c.host = "::1";
    CHECK(EnrolmentCode::parse(c.format()) == c);
    CHECK(c.address() == "[::1]:7443");
    c.host = "a";
    c.port = 1;
    CHECK(EnrolmentCode::parse(c.format()) == c);
    c.host = std::string(253, 'h');
    c.port = 65535;
    CHECK(EnrolmentCode::parse(c.format()) == c);
}

TEST_CASE("format refuses what it cannot encode") {
    EnrolmentCode c = sample();
    c.host = "";
    CHECK_THROWS_AS((void)c.format(), std::invalid_argument);
    c.host = std::string(254, 'h');
    CHECK_THROWS_AS((void)c.format(), std::invalid_argument);
    c.host = "bad host";
    CHECK_THROWS_AS((void)c.format(), std::invalid_argument);
    c = sample();
    c.port = 0;
    CHECK_THROWS_AS((void)c.format(), std::invalid_argument);
    c = sample();
    c.expires_at = sys_seconds(seconds(-1));
    CHECK_THROWS_AS((void)c.format(), std::invalid_argument);
}

TEST_CASE("every single mistyped character is caught") {
    const std::string text = sample().format();
    std::size_t tried = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '-') continue;
        for (const char other : kAlphabet) {
            if (other == text[i]) continue;
            std::string typo = text;
            typo[i] = other;
            CAPTURE(typo);
            CHECK(parse_error(typo).code() == EnrolmentCodeError::Code::Checksum);
            ++tried;
        }
    }
    CHECK(tried == 121 * 31);
}

TEST_CASE("swapped neighbours, a missing and a repeated character are caught") {
    std::string digits = sample().format();
    digits.erase(std::remove(digits.begin(), digits.end(), '-'), digits.end());
    for (std::size_t i = 0; i + 1 < digits.size(); ++i) {
        if (digits[i] == digits[i + 1]) continue;
        std::string swapped = digits;
        std::swap(swapped[i], swapped[i + 1]);
        CHECK_THROWS_AS((void)EnrolmentCode::parse(swapped), EnrolmentCodeError);
    }
    for (std::size_t i = 0; i < digits.size(); ++i) {
        std::string missing = digits;
        missing.erase(i, 1);
        CHECK_THROWS_AS((void)EnrolmentCode::parse(missing), EnrolmentCodeError);
        std::string repeated = digits;
        repeated.insert(i, 1, digits[i]);
        CHECK_THROWS_AS((void)EnrolmentCode::parse(repeated), EnrolmentCodeError);
    }
}

TEST_CASE("parse errors say what is wrong") {
    const std::string text = sample().format();
    std::string u = text;
    u[5] = 'U';
    auto e = parse_error(u);
    CHECK(e.code() == EnrolmentCodeError::Code::BadCharacter);
    CHECK(std::string(e.what()).find("position 5 (group 2)") != std::string::npos);
    std::string star = text;
    star[0] = '*';
    CHECK(std::string(parse_error(star).what()).find("'*' at position 1 (group 1)") != std::string::npos);
    e = parse_error(text.substr(0, 60));
    CHECK(e.code() == EnrolmentCodeError::Code::BadLength);
    CHECK(std::string(e.what()).find("but 48 were found") != std::string::npos);
    CHECK(parse_error("").code() == EnrolmentCodeError::Code::BadLength);
    CHECK(parse_error(std::string(2000, '0')).code() == EnrolmentCodeError::Code::BadLength);
}

TEST_CASE("a code from a newer server format is refused by version") {
    Bytes p = payload_of(sample());
    p[0] = 2;
    const auto e = parse_error(detail::format_enrolment_payload(p));
    CHECK(e.code() == EnrolmentCodeError::Code::UnsupportedVersion);
    CHECK(std::string(e.what()).find("format version 2") != std::string::npos);
}

TEST_CASE("checked codes with inconsistent contents are refused") {
    Bytes p = payload_of(sample());
    p.push_back('x');  // host longer than its length byte says
    CHECK(parse_error(detail::format_enrolment_payload(p)).code() == EnrolmentCodeError::Code::BadLength);
    p = payload_of(sample());
    p[55] = 0;  // port 0
    p[54] = 0;
    CHECK(parse_error(detail::format_enrolment_payload(p)).code() == EnrolmentCodeError::Code::BadContent);
    p = payload_of(sample());
    p.back() = ' ';
    CHECK(parse_error(detail::format_enrolment_payload(p)).code() == EnrolmentCodeError::Code::BadContent);
}

TEST_CASE("expiry") {
    const EnrolmentCode c = sample();
    const std::string text = c.format();
    const sys_seconds before = c.expires_at - seconds(1);
    CHECK(EnrolmentCode::parse(text, before) == c);
    CHECK_FALSE(c.expired(before));
    CHECK(c.expired(c.expires_at));
    try {
        (void)EnrolmentCode::parse(text, c.expires_at);
        FAIL("accepted an expired code");
    } catch (const EnrolmentCodeError& e) {
        CHECK(e.code() == EnrolmentCodeError::Code::Expired);
        CHECK(std::string(e.what()) == "the enrolment code expired at 2026-01-01 12:00 UTC: ask for a new one");
    }
}
