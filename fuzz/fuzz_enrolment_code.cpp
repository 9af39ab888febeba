// Feeds arbitrary text to sync::EnrolmentCode::parse, the parser for what people paste or type
// into the client. Checked:
//  - nothing is thrown but EnrolmentCodeError, and its message is not empty;
//  - a code that parses formats (format() accepts everything parse returns), and the formatted
//    text parses to an equal code and formats to the same text again;
//  - the formatted text in lower case, without dashes, parses to the same code;
//  - one character of the formatted text changed to another, or two different neighbours swapped,
//    never parses (the checksum's promise);
//  - parse(text, now) agrees with parse(text) and expired().
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "imrdesk/sync/enrolment_code.hpp"

namespace {

using imrdesk::sync::EnrolmentCode;
using imrdesk::sync::EnrolmentCodeError;

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

[[noreturn]] void die(const char* why) {
    std::fprintf(stderr, "fuzz_enrolment_code: %s\n", why);
    std::abort();
}

// The code the text parses to, nullopt for an EnrolmentCodeError; anything else aborts.
std::optional<EnrolmentCode> try_parse(std::string_view text) {
    try {
        return EnrolmentCode::parse(text);
    } catch (const EnrolmentCodeError& e) {
        if (e.what()[0] == '\0') die("EnrolmentCodeError without a message");
        return std::nullopt;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        die("parse threw something other than EnrolmentCodeError");
    } catch (...) {
        die("parse threw a non-exception");
    }
}

std::string format_or_die(const EnrolmentCode& code) {
    try {
        return code.format();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        die("format() refused a code that parse() returned");
    }
}

std::size_t value_of(char c) { return kAlphabet.find(c); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto code = try_parse(text);

    // The expiry check wraps the same parse.
    const auto now = std::chrono::sys_seconds(std::chrono::seconds(1'780'000'000));
    try {
        const EnrolmentCode checked = EnrolmentCode::parse(text, now);
        if (!code || !(checked == *code) || code->expired(now)) die("parse(text, now) accepted what it should not");
    } catch (const EnrolmentCodeError& e) {
        if (e.code() == EnrolmentCodeError::Code::Expired) {
            if (!code || !code->expired(now)) die("Expired for a code that is not expired");
        } else if (code) {
            die("parse(text, now) refused a code that parse(text) accepts");
        }
    } catch (...) {
        die("parse(text, now) threw something other than EnrolmentCodeError");
    }

    if (!code) return 0;
    const std::string canonical = format_or_die(*code);
    const auto again = try_parse(canonical);
    if (!again) die("the formatted code does not parse");
    if (!(*again == *code)) die("format/parse round trip changed the code");
    if (format_or_die(*again) != canonical) die("formatting is not stable");
    if (code->address().empty()) die("empty address");

    // Loosely typed: lower case, no dashes.
    std::string digits;
    for (const char c : canonical) {
        if (c != '-') digits.push_back(c);
    }
    std::string loose = digits;
    std::transform(loose.begin(), loose.end(), loose.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    const auto loose_code = try_parse(loose);
    if (!loose_code || !(*loose_code == *code)) die("the lower-case undashed form does not parse to the same code");

    // One mistyped character, and one swap of different neighbours, both at a position taken from
    // the input.
    std::size_t seed = size;
    for (std::size_t i = 0; i < size; ++i) seed = seed * 31 + data[i];
    const std::size_t at = seed % digits.size();
    std::string typo = digits;
    const std::size_t shift = 1 + (seed / digits.size()) % (kAlphabet.size() - 1);
    typo[at] = kAlphabet[(value_of(typo[at]) + shift) % kAlphabet.size()];
    if (try_parse(typo)) die("a single mistyped character went unnoticed");
    if (at + 1 < digits.size() && digits[at] != digits[at + 1]) {
        std::string swapped = digits;
        std::swap(swapped[at], swapped[at + 1]);
        if (try_parse(swapped)) die("a swap of two neighbours went unnoticed");
    }
    return 0;
}
