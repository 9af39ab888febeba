// Feeds arbitrary bytes to parse_date, parse_time and PartialDate::from_iso. Only DateError may be
// thrown; whatever parses must round-trip through its storage form (iso -> from_iso), its typed
// form (typed -> parse_date) and its display form (display -> parse_date).
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "imrdesk/shared/partial_date.hpp"

namespace {

using imrdesk::domain::DateError;
using imrdesk::domain::PartialDate;

[[noreturn]] void die(const char* why, std::string_view input) {
    std::fprintf(stderr, "fuzz_date: %s: [%.*s]\n", why, static_cast<int>(input.size()), input.data());
    std::abort();
}

void check_round_trips(const PartialDate& date, const imrdesk::domain::DateParseOptions& options,
                       std::string_view input) {
    const std::string iso = date.iso();
    if (!(PartialDate::from_iso(iso) == date)) {
        die("iso() -> from_iso() changed the date", input);
    }
    if (!(imrdesk::domain::parse_date(iso, options) == date)) {
        die("iso() -> parse_date() changed the date", input);
    }
    if (!(imrdesk::domain::parse_date(date.typed(), options) == date)) {
        die("typed() -> parse_date() changed the date", input);
    }
    if (!(imrdesk::domain::parse_date(date.display(), options) == date)) {
        die("display() -> parse_date() changed the date", input);
    }
    (void)date.describe();
    if (imrdesk::domain::compare_chronologically(date, date) != std::strong_ordering::equal) {
        die("a date does not compare equal to itself", input);
    }
    if (date.is_range() && date.end->first_day() < date.start.first_day()) {
        die("a range that ends before it starts", input);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const imrdesk::domain::DateParseOptions options{2025};
    try {
        check_round_trips(imrdesk::domain::parse_date(text, options), options, text);
    } catch (const DateError&) {
    }
    try {
        const PartialDate stored = PartialDate::from_iso(text);
        if (stored.iso() != text) {
            die("from_iso() accepted a text that iso() does not write", text);
        }
        check_round_trips(stored, options, text);
    } catch (const DateError&) {
    }
    try {
        const auto time = imrdesk::domain::parse_time(text);
        if (time.hour < 0 || time.hour > 23 || time.minute < 0 || time.minute > 59) {
            die("parse_time() returned an impossible time", text);
        }
        if (!(imrdesk::domain::parse_time(time.text()) == time)) {
            die("text() -> parse_time() changed the time", text);
        }
    } catch (const DateError&) {
    }
    return 0;
}
