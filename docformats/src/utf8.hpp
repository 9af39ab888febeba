#pragma once
// Small UTF-8 helpers for text that make_xml_safe has already made valid.
#include <cstddef>
#include <string>
#include <string_view>

namespace imrdesk::docformats::detail {

// Length in bytes of the UTF-8 sequence that starts with lead (1 for anything else).
[[nodiscard]] constexpr std::size_t sequence_length(unsigned char lead) noexcept {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

[[nodiscard]] constexpr bool is_continuation(unsigned char byte) noexcept { return (byte & 0xC0U) == 0x80U; }

// The code point at text[pos] (valid UTF-8), advancing pos past it.
[[nodiscard]] char32_t next_code_point(std::string_view text, std::size_t& pos) noexcept;

void append_utf8(std::string& out, char32_t code_point);

// How many UTF-16 code units the text takes (what Excel counts as characters).
[[nodiscard]] std::size_t utf16_length(std::string_view text) noexcept;

}  // namespace imrdesk::docformats::detail
