#pragma once
// The app's settings: a typed struct with defaults. Loading range-checks every value and falls
// back to the default for anything missing or wrong; a file that is not JSON gives all defaults
// and is never overwritten by a save that did not first load successfully.
#include <filesystem>
#include <string>

namespace imrdesk::client {

enum class Theme { Light, Dark, HighContrast };

struct Settings {
    float font_size = 18.0f;     // in pixels at a content scale of 1; 12 to 40
    Theme theme = Theme::Light;  // light for long writing
    int auto_lock_minutes = 5;   // 1 to 30
    int gap_threshold_days = 60; // default for new IMRs; 7 to 365
    bool guidance_open = true;   // the template guidance above the editor
    bool chronology_wrap = true; // the chronology reads in whole, wrapped rows (false: one line per row, to scan)
    bool text_size_chosen = false;  // the author has answered "is this text easy to read?" once
    std::string protective_marking = "OFFICIAL-SENSITIVE";  // at the top of every exported page; 1 to 80 characters, one line
    std::string last_profile;

    // Reads path; returns defaults (and loaded_ok=false) when it is missing or not JSON.
    [[nodiscard]] static Settings load(const std::filesystem::path& path, bool* loaded_ok = nullptr);
    // Writes atomically. Throws on I/O errors.
    void save(const std::filesystem::path& path) const;
};

[[nodiscard]] const char* to_string(Theme theme) noexcept;

}  // namespace imrdesk::client
