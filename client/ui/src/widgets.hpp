#pragma once
// Small helpers every view uses: sizes in font units, labelled widgets that record where they
// were drawn (for headless tests), wrapped text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "imrdesk/shared/partial_date.hpp"
#include "imrdesk/ui/ui.hpp"

namespace imrdesk::ui {

// n times the current font size: every size in the UI is in these units, never pixels.
[[nodiscard]] inline float em(float n) { return n * ImGui::GetFontSize(); }

// Records the last item's rectangle under its label (when tests track items).
void track(const Frame& f, const std::string& label);

bool button(const Frame& f, const char* label, ImVec2 size = ImVec2(0, 0));
bool primary_button(const Frame& f, const char* label, ImVec2 size = ImVec2(0, 0));
bool danger_button(const Frame& f, const char* label, ImVec2 size = ImVec2(0, 0));
// One of a row of buttons that switch views: the view shown is marked in the primary colours.
bool view_button(const Frame& f, const char* label, bool current);
bool input_text(const Frame& f, const char* label, std::string& value, ImGuiInputTextFlags flags = 0,
                const char* hint = nullptr);
bool input_multiline(const Frame& f, const char* label, std::string& value, ImVec2 size, ImGuiInputTextFlags flags = 0);
bool checkbox(const Frame& f, const char* label, bool& value);
bool selectable(const Frame& f, const char* label, bool selected, ImGuiSelectableFlags flags = 0, ImVec2 size = ImVec2(0, 0));

// Dates as the UI shows them, one UK style everywhere (ISO is for files only):
// "14 March 2024" to read, "14/03/2024" in a box to edit, "14 March 2024, 10:42" for a moment.
[[nodiscard]] std::string uk_date(const domain::CivilDate& d);
[[nodiscard]] std::string uk_typed_date(const domain::CivilDate& d);
[[nodiscard]] std::string uk_date_time(std::int64_t unix_seconds);
[[nodiscard]] std::string uk_time_now();  // "16:39", when a check or a scan last ran

// "1 place", "27 places".
[[nodiscard]] std::string count_of(std::size_t n, const char* one, const char* many);

// The text cut to fit `width` on one line, with an ellipsis, never inside a UTF-8 character.
[[nodiscard]] std::string fit_to_width(const std::string& text, float width);

void heading(const Frame& f, std::string_view text);
void wrapped(std::string_view text);
void muted(std::string_view text);
void error_text(std::string_view text);
void label_column(const char* label, float width_em);
// A spinner for long work, with its label.
void spinner(const char* label);

// Shows under a date field what the typed text was understood as ("14 March 2026, exact day") or
// why it was refused. True when the text is an exact day (put in `out`), or empty and
// `empty_message` is null ("not set" is shown); an empty field with a message shows it as an error.
bool understood_exact_date(const std::string& text, std::optional<domain::CivilDate>& out,
                           const char* empty_message = nullptr);

// Height for a multiline editor that grows with its text: at least min_lines, at most max_height.
[[nodiscard]] float grow_height(const std::string& text, float width, int min_lines, float max_height);

// A multiline box that wraps long lines for display (Dear ImGui 1.86 cannot), while the text keeps
// newlines only where the author pressed Enter (see client/soft_wrap.hpp). One per text field.
class WrappedInput {
public:
    // Draws the box for `text`; true when the person changed it (text is then updated).
    // allow_newlines false: one paragraph (Enter and pasted line breaks are refused), and the box
    // is as tall as its text rather than leaving room for more lines.
    bool draw(const Frame& f, const char* id, std::string& text, int min_lines, float max_height, bool read_only = false,
              bool allow_newlines = true);
    void wipe() noexcept;

private:
    struct Edit;
    static int on_edit(ImGuiInputTextCallbackData* data);

    std::string display_;  // the text with soft breaks
    std::string source_;   // the text display_ was made from
    float width_ = 0;
};

}  // namespace imrdesk::ui
