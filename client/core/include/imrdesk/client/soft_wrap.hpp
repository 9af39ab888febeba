#pragma once
// Soft wrapping for a text editor that cannot wrap (Dear ImGui 1.86's multiline input).
// The stored ("canonical") text has newlines only where the author pressed Enter. For display,
// a long line is broken after a space by inserting '\n', so a soft break is always " \n"; a hard
// break is a '\n' not preceded by a space (the canonical form never has a space before '\n').
// unwrap() removes soft breaks; cursor positions map between the two forms.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace imrdesk::client {

// Width of a run of text in the editor's units (pixels in the UI, characters in tests).
using MeasureText = std::function<float(std::string_view)>;

// Removes trailing spaces before hard newlines, so that " \n" always means a soft break.
[[nodiscard]] std::string canonical_text(std::string_view text);

// Breaks every line longer than width after a space. A single word wider than width is left
// whole on its own line.
[[nodiscard]] std::string soft_wrap(std::string_view canonical, float width, const MeasureText& measure);

// Removes soft breaks.
[[nodiscard]] std::string soft_unwrap(std::string_view display);

// Byte position in the canonical text for a position in the display text, and back.
[[nodiscard]] std::size_t display_to_canonical(std::string_view display, std::size_t position);
[[nodiscard]] std::size_t canonical_to_display(std::string_view display, std::size_t canonical_position);

}  // namespace imrdesk::client
