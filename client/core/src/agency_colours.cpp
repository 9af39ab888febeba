#include "imrdesk/client/agency_colours.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "imrdesk/client/vault.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::client {
namespace {

constexpr std::string_view kPrivateName = "agency_colours";

constexpr std::array<std::string_view, kAgencyColourCount> kNames = {"Blue", "Orange", "Green", "Purple",
                                                                    "Red",  "Teal",   "Magenta", "Olive"};
// One hue each, its lightness set so that the colour reaches 4.6:1 against the theme's window,
// table, header and selected-row colours (style.cpp): dark on the light theme, light on the dark
// ones.
constexpr std::array<Rgb, kAgencyColourCount> kLight = {{{0x19, 0x56, 0xAC}, {0x86, 0x49, 0x13}, {0x0F, 0x67, 0x1D},
                                                         {0x83, 0x1D, 0xCB}, {0xAE, 0x19, 0x25}, {0x0E, 0x62, 0x62},
                                                         {0xA5, 0x18, 0x76}, {0x59, 0x5B, 0x0D}}};
constexpr std::array<Rgb, kAgencyColourCount> kDark = {{{0xA8, 0xC7, 0xF3}, {0xEF, 0xBB, 0x8D}, {0x32, 0xE2, 0x4F},
                                                        {0xDB, 0xB8, 0xF5}, {0xF4, 0xB5, 0xBB}, {0x1F, 0xDB, 0xDB},
                                                        {0xF4, 0xB1, 0xDE}, {0xC7, 0xCD, 0x1D}}};
constexpr std::array<Rgb, kAgencyColourCount> kHighContrast = {{{0xBA, 0xD3, 0xF5}, {0xF2, 0xC8, 0xA4}, {0x67, 0xE9, 0x7D},
                                                                {0xE2, 0xC5, 0xF7}, {0xF7, 0xC5, 0xC9}, {0x48, 0xE5, 0xE5},
                                                                {0xF6, 0xC1, 0xE4}, {0xD2, 0xD8, 0x1F}}};

}  // namespace

std::string_view agency_colour_name(std::size_t index) noexcept { return kNames[index % kAgencyColourCount]; }

Rgb agency_colour(std::size_t index, Theme theme) noexcept {
    index %= kAgencyColourCount;
    switch (theme) {
        case Theme::Light: return kLight[index];
        case Theme::Dark: return kDark[index];
        case Theme::HighContrast: return kHighContrast[index];
    }
    return kLight[index];
}

AgencyColours AgencyColours::load(const Vault& vault) {
    AgencyColours colours;
    std::string bytes = vault.load_private(kPrivateName);
    if (bytes.empty()) return colours;
    const auto j = nlohmann::json::parse(bytes, nullptr, false);
    crypto::wipe(bytes);
    if (!j.is_object()) return colours;
    for (const auto& [agency, index] : j.items()) {
        if (index.is_number_unsigned() && index.get<std::size_t>() < kAgencyColourCount)
            colours.chosen_[agency] = index.get<std::size_t>();
    }
    return colours;
}

void AgencyColours::save(Vault& vault) const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [agency, index] : chosen_) j[agency] = index;
    std::string bytes = j.dump();
    vault.store_private(kPrivateName, bytes);
    crypto::wipe(bytes);
}

std::size_t AgencyColours::index_of(const std::string& agency, const std::vector<std::string>& agencies) const {
    if (const auto it = chosen_.find(agency); it != chosen_.end()) return it->second;
    const auto at = std::find(agencies.begin(), agencies.end(), agency);
    if (at != agencies.end()) return static_cast<std::size_t>(at - agencies.begin()) % kAgencyColourCount;
    // Not one of the listed agencies (none is, outside a case): a colour from its name, the same every run.
    std::size_t h = 0;
    for (const char c : agency) h = h * 31 + static_cast<unsigned char>(c);
    return (agencies.size() + h) % kAgencyColourCount;
}

std::optional<std::size_t> AgencyColours::chosen(const std::string& agency) const {
    const auto it = chosen_.find(agency);
    return it == chosen_.end() ? std::nullopt : std::optional(it->second);
}

void AgencyColours::choose(const std::string& agency, std::optional<std::size_t> index) {
    if (!index) {
        chosen_.erase(agency);
        return;
    }
    if (*index >= kAgencyColourCount) throw std::out_of_range("there are " + std::to_string(kAgencyColourCount) + " agency colours");
    chosen_[agency] = *index;
}

}  // namespace imrdesk::client
