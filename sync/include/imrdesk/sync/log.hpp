#pragma once
// Levelled log lines to stderr: "2026-11-22T08:10:00Z INFO  connection 12: device 3f2a... pushed 4".
// Thread-safe; a line is written whole. Messages never contain record content.
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace imrdesk::sync {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3 };
[[nodiscard]] std::optional<LogLevel> log_level_from_string(std::string_view text) noexcept;

class Logger {
public:
    explicit Logger(LogLevel level = LogLevel::Info) : level_(level) {}
    void set_level(LogLevel level) noexcept { level_ = level; }
    [[nodiscard]] bool enabled(LogLevel level) const noexcept { return level >= level_; }
    void log(LogLevel level, std::string_view message);
    void debug(std::string_view m) { log(LogLevel::Debug, m); }
    void info(std::string_view m) { log(LogLevel::Info, m); }
    void warn(std::string_view m) { log(LogLevel::Warn, m); }
    void error(std::string_view m) { log(LogLevel::Error, m); }

private:
    LogLevel level_;
    std::mutex mutex_;
};

}  // namespace imrdesk::sync
