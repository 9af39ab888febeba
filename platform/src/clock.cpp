#include "imrdesk/platform/clock.hpp"

#include <chrono>
#include <ctime>

namespace imrdesk::platform {

namespace {

std::tm broken_down(std::int64_t unix_seconds, Zone zone) noexcept {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    if (zone == Zone::Utc) ::gmtime_r(&t, &tm);
    else ::localtime_r(&t, &tm);
    return tm;
}

}  // namespace

std::int64_t unix_now() noexcept {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string format_time(std::int64_t unix_seconds, const char* format, Zone zone) {
    const std::tm tm = broken_down(unix_seconds, zone);
    char text[64];
    // The callers' formats are literals, checked where they are written (format attribute).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    const std::size_t n = std::strftime(text, sizeof text, format, &tm);
#pragma GCC diagnostic pop
    return std::string(text, n);
}

CalendarDay calendar_day(std::int64_t unix_seconds, Zone zone) noexcept {
    const std::tm tm = broken_down(unix_seconds, zone);
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

}  // namespace imrdesk::platform
