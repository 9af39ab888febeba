#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace imrdesk::text {

// The byte offset at which the first ill-formed UTF-8 sequence starts, or nullopt when text is
// valid. Follows the Unicode Standard, table 3-7: overlong forms, surrogates (U+D800..U+DFFF),
// code points above U+10FFFF, stray continuation bytes and sequences cut short (also by the end
// of the text) are invalid. U+0000 is valid UTF-8; callers that refuse NUL check for it.
[[nodiscard]] std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept;
[[nodiscard]] inline bool is_valid_utf8(std::string_view text) noexcept { return !first_invalid_utf8(text); }

// Number of code points in valid UTF-8 (for invalid UTF-8: the number of bytes that are not
// continuation bytes).
[[nodiscard]] std::size_t count_code_points(std::string_view text) noexcept;

}  // namespace imrdesk::text
