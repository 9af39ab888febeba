#pragma once
// The colour of each agency in the review team's merged chronology, timeline and Excel export
// (what boards know from Chronolator). Eight colours a theme, each at least 4.5:1 (WCAG AA, as for
// text) against every surface it is drawn on in that theme, selected rows included, so a colour
// works as text, as a timeline mark and, in the light set, as a fill under white text (the Excel
// export). tests/ui/test_contrast.cpp checks them. The review team may give an agency another of
// the eight; the choice is kept in the profile's vault (agency names stay private).
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/client/settings.hpp"

namespace imrdesk::client {

class Vault;

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    [[nodiscard]] constexpr std::uint32_t hex() const noexcept {
        return (std::uint32_t{r} << 16) | (std::uint32_t{g} << 8) | std::uint32_t{b};
    }
    friend bool operator==(const Rgb&, const Rgb&) = default;
};

inline constexpr std::size_t kAgencyColourCount = 8;
[[nodiscard]] std::string_view agency_colour_name(std::size_t index) noexcept;  // "Blue", "Orange" ...
[[nodiscard]] Rgb agency_colour(std::size_t index, Theme theme) noexcept;        // index modulo the count

class AgencyColours {
public:
    // The review team's choices in this profile (none when nothing was chosen or the data is unreadable).
    [[nodiscard]] static AgencyColours load(const Vault& vault);
    void save(Vault& vault) const;

    // The colour index of `agency`: the chosen one, else its place in `agencies` (the case's
    // agencies in the order the dashboard lists them), else one from its name.
    [[nodiscard]] std::size_t index_of(const std::string& agency, const std::vector<std::string>& agencies) const;
    [[nodiscard]] std::optional<std::size_t> chosen(const std::string& agency) const;
    // nullopt: back to the default. Throws std::out_of_range for an index past the palette.
    void choose(const std::string& agency, std::optional<std::size_t> index);

private:
    std::map<std::string, std::size_t> chosen_;
};

}  // namespace imrdesk::client
