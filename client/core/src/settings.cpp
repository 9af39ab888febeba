#include "imrdesk/client/settings.hpp"

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "imrdesk/platform/paths.hpp"

namespace imrdesk::client {

const char* to_string(Theme theme) noexcept {
    switch (theme) {
        case Theme::Light: return "light";
        case Theme::Dark: return "dark";
        case Theme::HighContrast: return "high-contrast";
    }
    return "light";
}

Settings Settings::load(const std::filesystem::path& path, bool* loaded_ok) {
    Settings s;
    if (loaded_ok != nullptr) *loaded_ok = false;
    std::ifstream in(path);
    if (!in) {
        if (loaded_ok != nullptr) *loaded_ok = !std::filesystem::exists(path);  // no file yet is fine
        return s;
    }
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return s;
    if (loaded_ok != nullptr) *loaded_ok = true;
    if (const auto it = j.find("font_size"); it != j.end() && it->is_number()) {
        const float v = it->get<float>();
        if (v >= 12.0f && v <= 40.0f) s.font_size = v;
    }
    if (const auto it = j.find("theme"); it != j.end() && it->is_string()) {
        for (const auto theme : {Theme::Light, Theme::Dark, Theme::HighContrast})
            if (it->get<std::string>() == to_string(theme)) s.theme = theme;
    }
    if (const auto it = j.find("auto_lock_minutes"); it != j.end() && it->is_number_integer()) {
        const int v = it->get<int>();
        if (v >= 1 && v <= 30) s.auto_lock_minutes = v;
    }
    if (const auto it = j.find("gap_threshold_days"); it != j.end() && it->is_number_integer()) {
        const int v = it->get<int>();
        if (v >= 7 && v <= 365) s.gap_threshold_days = v;
    }
    if (const auto it = j.find("guidance_open"); it != j.end() && it->is_boolean()) s.guidance_open = it->get<bool>();
    if (const auto it = j.find("chronology_wrap"); it != j.end() && it->is_boolean()) s.chronology_wrap = it->get<bool>();
    if (const auto it = j.find("text_size_chosen"); it != j.end() && it->is_boolean()) s.text_size_chosen = it->get<bool>();
    if (const auto it = j.find("protective_marking"); it != j.end() && it->is_string()) {
        const auto v = it->get<std::string>();
        const bool one_line = v.find_first_of("\r\n\t") == std::string::npos;
        if (!v.empty() && v.size() <= 80 && one_line && v.find_first_not_of(' ') != std::string::npos) s.protective_marking = v;
    }
    if (const auto it = j.find("last_profile"); it != j.end() && it->is_string() && it->get<std::string>().size() <= 64)
        s.last_profile = it->get<std::string>();
    return s;
}

void Settings::save(const std::filesystem::path& path) const {
    const nlohmann::json j = {{"font_size", font_size},
                              {"theme", to_string(theme)},
                              {"auto_lock_minutes", auto_lock_minutes},
                              {"gap_threshold_days", gap_threshold_days},
                              {"guidance_open", guidance_open},
                              {"chronology_wrap", chronology_wrap},
                              {"text_size_chosen", text_size_chosen},
                              {"protective_marking", protective_marking},
                              {"last_profile", last_profile}};
    platform::write_file_atomically(path, j.dump(2) + "\n");
}

}  // namespace imrdesk::client
