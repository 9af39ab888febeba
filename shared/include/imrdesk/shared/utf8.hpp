#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace imrdesk::text {

// The byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and code points
// above U+10FFFF are invalid), or nullopt when text is valid.
[[nodiscard]] std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept;
[[nodiscard]] inline bool is_valid_utf8(std::string_view text) noexcept { return !first_invalid_utf8(text); }

// Number of code points in valid UTF-8.
[[nodiscard]] std::size_t count_code_points(std::string_view text) noexcept;

}  // namespace imrdesk::text
