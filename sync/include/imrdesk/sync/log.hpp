#pragma once
// Levelled log lines to stderr: "2026-11-22T08:10:00Z INFO  connection 12: device 3f2a... pushed 4".
// Thread-safe; a line is written whole. Messages never contain record content.
#include <chrono>
#include <cstddef>
#include <map>
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

    // Lines a hostile or broken peer can repeat as fast as it can connect (refusals, limits,
    // failed accepts): the first line of a kind is written, the next ones within `window` are
    // only counted, and the count is written as one summary line ("... 523 more like it in the
    // last 10 s") when the window has passed. `kind` names the sort of line (with the address it
    // is about); at most kMaxRepeatedKinds kinds are tracked at once, the rest share one.
    void repeated(LogLevel level, std::string_view kind, std::string_view message);
    // Writes the summaries of the windows that have passed (the server calls it every few
    // seconds), or of every window (`all`: when the server stops).
    void flush_repeated(bool all = false);
    void set_repeat_window(std::chrono::milliseconds window) noexcept { window_ = window; }
    static constexpr std::size_t kMaxRepeatedKinds = 256;

private:
    struct Repeat {
        std::chrono::steady_clock::time_point since;
        std::size_t suppressed = 0;
        LogLevel level = LogLevel::Info;
    };
    void write_locked(LogLevel level, std::string_view message);
    void summarise_locked(const std::string& kind, Repeat& r);
    LogLevel level_;
    std::mutex mutex_;
    std::chrono::milliseconds window_{10'000};
    std::map<std::string, Repeat, std::less<>> repeats_;
};

}  // namespace imrdesk::sync
