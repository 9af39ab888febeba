#include "imrdesk/sync/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace imrdesk::sync {

std::optional<LogLevel> log_level_from_string(std::string_view text) noexcept {
    if (text == "debug") return LogLevel::Debug;
    if (text == "info") return LogLevel::Info;
    if (text == "warn" || text == "warning") return LogLevel::Warn;
    if (text == "error") return LogLevel::Error;
    return std::nullopt;
}

void Logger::log(LogLevel level, std::string_view message) {
    if (!enabled(level)) return;
    static constexpr const char* kNames[] = {"DEBUG", "INFO ", "WARN ", "ERROR"};
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const std::lock_guard lock(mutex_);
    std::fprintf(stderr, "%s %s %.*s\n", stamp, kNames[static_cast<int>(level)], static_cast<int>(message.size()),
                 message.data());
    std::fflush(stderr);
}

}  // namespace imrdesk::sync
