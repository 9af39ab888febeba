#pragma once
// The one place that reads the wall clock and turns Unix seconds into text or a calendar day,
// in local time (what the author sees: "14:05", "03/12/2026") or UTC (logs, file names, the
// server's messages). Formats are strftime's.
#include <cstdint>
#include <string>

namespace imrdesk::platform {

enum class Zone { Local, Utc };

[[nodiscard]] std::int64_t unix_now() noexcept;  // the system clock, whole seconds

// strftime(format) of the moment; at most 63 characters.
[[nodiscard]] std::string format_time(std::int64_t unix_seconds, const char* format, Zone zone)
    __attribute__((format(strftime, 2, 0)));

struct CalendarDay {
    int year = 1970;
    int month = 1;  // 1-12
    int day = 1;
};
[[nodiscard]] CalendarDay calendar_day(std::int64_t unix_seconds, Zone zone) noexcept;
[[nodiscard]] inline CalendarDay today() noexcept { return calendar_day(unix_now(), Zone::Local); }

}  // namespace imrdesk::platform
