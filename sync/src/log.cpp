#include "imrdesk/sync/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "imrdesk/platform/clock.hpp"

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
    const std::lock_guard lock(mutex_);
    write_locked(level, message);
}

void Logger::write_locked(LogLevel level, std::string_view message) {
    static constexpr const char* kNames[] = {"DEBUG", "INFO ", "WARN ", "ERROR"};
    const std::string stamp = platform::format_time(platform::unix_now(), "%Y-%m-%dT%H:%M:%SZ", platform::Zone::Utc);
    std::fprintf(stderr, "%s %s %.*s\n", stamp.c_str(), kNames[static_cast<int>(level)], static_cast<int>(message.size()),
                 message.data());
    std::fflush(stderr);
}

void Logger::summarise_locked(const std::string& kind, Repeat& r) {
    if (r.suppressed == 0) return;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - r.since).count();
    write_locked(r.level, "... " + std::to_string(r.suppressed) + " more like it in the last " + std::to_string(seconds) +
                              " s (" + kind + ")");
    r.suppressed = 0;
}

void Logger::repeated(LogLevel level, std::string_view kind, std::string_view message) {
    if (!enabled(level)) return;
    const auto now = std::chrono::steady_clock::now();
    const std::lock_guard lock(mutex_);
    auto it = repeats_.find(kind);
    if (it == repeats_.end()) {
        if (repeats_.size() >= kMaxRepeatedKinds) {
            // Many addresses at once: past the bound they share one count.
            it = repeats_.try_emplace("other peers", Repeat{now, 0, level}).first;
            if (it->second.suppressed > 0 || now - it->second.since < window_) {
                ++it->second.suppressed;
                return;
            }
        } else {
            repeats_.emplace(std::string(kind), Repeat{now, 0, level});
            write_locked(level, message);
            return;
        }
    }
    Repeat& r = it->second;
    if (now - r.since < window_) {
        ++r.suppressed;
        return;
    }
    summarise_locked(it->first, r);
    r.since = now;
    r.level = level;
    write_locked(level, message);
}

void Logger::flush_repeated(bool all) {
    const auto now = std::chrono::steady_clock::now();
    const std::lock_guard lock(mutex_);
    for (auto it = repeats_.begin(); it != repeats_.end();) {
        if (!all && now - it->second.since < window_) {
            ++it;
            continue;
        }
        summarise_locked(it->first, it->second);
        it = repeats_.erase(it);  // quiet for a whole window: forgotten, so the map stays small
    }
}

}  // namespace imrdesk::sync
