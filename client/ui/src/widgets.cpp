#include "widgets.hpp"
#include "style.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

#include <imgui_internal.h>

#include "imrdesk/client/soft_wrap.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/platform/clock.hpp"

namespace imrdesk::ui {

void track(const Frame& f, const std::string& label) {
    if (f.items == nullptr || !ImGui::IsItemVisible()) return;  // only what a person could click
    const ImVec2 a = ImGui::GetItemRectMin();
    const ImVec2 b = ImGui::GetItemRectMax();
    (*f.items)[label] = Rect{a.x, a.y, b.x, b.y};
}

bool button(const Frame& f, const char* label, ImVec2 size) {
    const bool clicked = ImGui::Button(label, size);
    track(f, label);
    return clicked;
}

bool view_button(const Frame& f, const char* label, bool current) {
    if (current) {
        const Palette& p = palette();
        ImGui::PushStyleColor(ImGuiCol_Button, p.primary);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, p.primary_hovered);
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, p.primary_hovered);
        ImGui::PushStyleColor(ImGuiCol_Text, p.primary_text);
    }
    const bool clicked = button(f, label);
    if (current) ImGui::PopStyleColor(4);
    return clicked;
}

bool primary_button(const Frame& f, const char* label, ImVec2 size) {
    const Palette& p = palette();
    ImGui::PushStyleColor(ImGuiCol_Button, p.primary);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, p.primary_hovered);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, p.primary_hovered);
    ImGui::PushStyleColor(ImGuiCol_Text, p.primary_text);
    const bool clicked = ImGui::Button(label, size);
    ImGui::PopStyleColor(4);
    track(f, label);
    return clicked;
}

bool danger_button(const Frame& f, const char* label, ImVec2 size) {
    const Palette& p = palette();
    ImGui::PushStyleColor(ImGuiCol_Button, p.danger);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, p.danger_hovered);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, p.danger_hovered);
    ImGui::PushStyleColor(ImGuiCol_Text, p.danger_text);
    const bool clicked = ImGui::Button(label, size);
    ImGui::PopStyleColor(4);
    track(f, label);
    return clicked;
}

bool input_text(const Frame& f, const char* label, std::string& value, ImGuiInputTextFlags flags, const char* hint) {
    const bool changed = hint != nullptr ? ImGui::InputTextWithHint(label, hint, &value, flags)
                                         : ImGui::InputText(label, &value, flags);
    track(f, label);
    return changed;
}

bool input_multiline(const Frame& f, const char* label, std::string& value, ImVec2 size, ImGuiInputTextFlags flags) {
    const bool changed = ImGui::InputTextMultiline(label, &value, size, flags);
    track(f, label);
    return changed;
}

bool checkbox(const Frame& f, const char* label, bool& value) {
    const bool changed = ImGui::Checkbox(label, &value);
    track(f, label);
    return changed;
}

bool selectable(const Frame& f, const char* label, bool selected, ImGuiSelectableFlags flags, ImVec2 size) {
    const bool clicked = ImGui::Selectable(label, selected, flags, size);
    track(f, label);
    return clicked;
}

void heading(const Frame& f, std::string_view text) {
    ImGui::PushFont(f.fonts.heading);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
}

void wrapped(std::string_view text) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
}


std::string fit_to_width(const std::string& text, float width) {
    if (ImGui::CalcTextSize(text.c_str(), text.c_str() + text.size()).x <= width) return text;
    constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
    const float room = width - ImGui::CalcTextSize(kEllipsis.data(), kEllipsis.data() + kEllipsis.size()).x;
    const auto fits = [&](std::size_t n) { return ImGui::CalcTextSize(text.c_str(), text.c_str() + n).x <= room; };
    std::size_t lo = 0, hi = text.size();  // the longest prefix that fits: fits(lo), !fits(hi)
    while (hi - lo > 1) {
        const std::size_t mid = lo + (hi - lo) / 2;
        (fits(mid) ? lo : hi) = mid;
    }
    while (lo > 0 && (static_cast<unsigned char>(text[lo]) & 0xC0) == 0x80) --lo;  // a whole UTF-8 character
    return text.substr(0, lo) + std::string(kEllipsis);
}

std::string uk_date(const domain::CivilDate& d) {
    try {
        return domain::PartialDate::day(d.year, d.month, d.day).display();
    } catch (const domain::DateError&) {  // not a real day: shown as stored rather than not at all
        return d.iso();
    }
}

std::string uk_typed_date(const domain::CivilDate& d) {
    try {
        return domain::PartialDate::day(d.year, d.month, d.day).typed();
    } catch (const domain::DateError&) {
        return d.iso();
    }
}

std::string count_of(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string uk_time_now() { return platform::format_time(platform::unix_now(), "%H:%M", platform::Zone::Local); }

std::string uk_date_time(std::int64_t unix_seconds) {
    const auto day = platform::calendar_day(unix_seconds, platform::Zone::Local);
    return uk_date(domain::CivilDate{day.year, day.month, day.day}) + ", " +
           platform::format_time(unix_seconds, "%H:%M", platform::Zone::Local);
}

void muted(std::string_view text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    wrapped(text);
    ImGui::PopStyleColor();
}

void error_text(std::string_view text) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
    wrapped(text);
    ImGui::PopStyleColor();
}

void label_column(const char* label, float width_em) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    ImGui::SameLine(em(width_em));
}

void spinner(const char* label) {
    const float radius = em(0.45f);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 centre(pos.x + radius, pos.y + ImGui::GetTextLineHeight() / 2);
    auto* draw = ImGui::GetWindowDrawList();
    const float t = static_cast<float>(ImGui::GetTime());
    for (int i = 0; i < 8; ++i) {
        const float a = static_cast<float>(i) * 3.14159265f / 4.0f + t * 4.0f;
        const float alpha = static_cast<float>(i + 1) / 8.0f;
        ImVec4 colour = ImGui::GetStyleColorVec4(ImGuiCol_Text);
        colour.w = alpha;
        draw->AddCircleFilled(ImVec2(centre.x + std::cos(a) * radius * 0.7f, centre.y + std::sin(a) * radius * 0.7f),
                              radius * 0.2f, ImGui::ColorConvertFloat4ToU32(colour));
    }
    ImGui::Dummy(ImVec2(radius * 2, ImGui::GetTextLineHeight()));
    ImGui::SameLine();
    ImGui::TextUnformatted(label);
}

bool understood_exact_date(const std::string& text, std::optional<domain::CivilDate>& out, const char* empty_message) {
    out.reset();
    if (text.find_first_not_of(' ') == std::string::npos) {
        if (empty_message != nullptr) {
            error_text(empty_message);
            return false;
        }
        muted("not set");
        return true;
    }
    try {
        const auto date = domain::parse_date(text);
        if (date.is_range() || date.start.precision != domain::DatePrecision::Day || date.approximate || date.uncertain) {
            error_text("give an exact day");
            return false;
        }
        out = date.first_day();
        muted(date.describe());
        return true;
    } catch (const domain::DateError& e) {
        error_text(e.what());
        return false;
    }
}

float grow_height(const std::string& text, float width, int min_lines, float max_height) {
    const float line = ImGui::GetTextLineHeight();
    const ImVec2 size = ImGui::CalcTextSize(text.c_str(), text.c_str() + text.size(), false, width);
    const float wanted = std::max(size.y + line * 2, line * static_cast<float>(min_lines)) + ImGui::GetStyle().FramePadding.y * 2;
    return std::min(wanted, max_height);
}

namespace {
float measure(std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; }
}  // namespace

struct WrappedInput::Edit {
    WrappedInput* self;
    std::string* text;
    float width;
    bool changed;
};

bool WrappedInput::draw(const Frame& f, const char* id, std::string& text, int min_lines, float max_height, bool read_only,
                        bool allow_newlines) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float wrap = ImGui::GetContentRegionAvail().x - style.FramePadding.x * 2 - style.ScrollbarSize - em(0.5f);
    if (ImGui::GetActiveID() != ImGui::GetID(id) && (text != source_ || wrap != width_)) {
        crypto::wipe(display_);
        display_ = client::soft_wrap(client::canonical_text(text), wrap, measure);
        crypto::wipe(source_);
        source_ = text;
        width_ = wrap;
    }
    const float height =
        allow_newlines ? grow_height(display_, wrap, min_lines, max_height)
                       : std::min(max_height, std::max(ImGui::CalcTextSize(display_.c_str(), nullptr, false, wrap).y,
                                                       ImGui::GetTextLineHeight() * static_cast<float>(min_lines)) +
                                              style.FramePadding.y * 2 + em(0.2f));
    Edit edit{this, &text, wrap, false};
    ImGuiInputTextFlags flags = ImGuiInputTextFlags_CallbackEdit;
    if (read_only) flags |= ImGuiInputTextFlags_ReadOnly;
    if (!allow_newlines) flags |= ImGuiInputTextFlags_CallbackCharFilter;
    ImGui::InputTextMultiline(id, &display_, ImVec2(-1, height), flags, on_edit, &edit);
    const std::string_view name(id);
    track(f, std::string(name.substr(0, 2) == "##" ? name.substr(2) : name));
    return edit.changed;
}

void WrappedInput::wipe() noexcept {
    crypto::wipe(display_);
    crypto::wipe(source_);
}

int WrappedInput::on_edit(ImGuiInputTextCallbackData* data) {
    // Only with allow_newlines false: refuse Enter and pasted line breaks.
    if (data->EventFlag == ImGuiInputTextFlags_CallbackCharFilter)
        return data->EventChar == '\n' || data->EventChar == '\r' ? 1 : 0;
    if (data->EventFlag != ImGuiInputTextFlags_CallbackEdit) return 0;
    auto* edit = static_cast<Edit*>(data->UserData);
    std::string display(data->Buf, static_cast<std::size_t>(data->BufTextLen));
    int cursor = data->CursorPos;
    // Enter pressed after a space: make it a hard break, not a soft one.
    if (cursor > 0 && display[static_cast<std::size_t>(cursor) - 1] == '\n') {
        auto p = static_cast<std::size_t>(cursor) - 1;
        while (p > 0 && display[p - 1] == ' ') {
            display.erase(p - 1, 1);
            --p;
            --cursor;
        }
    }
    const std::size_t canonical_cursor = client::display_to_canonical(display, static_cast<std::size_t>(cursor));
    std::string canonical = client::soft_unwrap(display);
    std::string rewrapped = client::soft_wrap(canonical, edit->width, measure);
    if (rewrapped != std::string_view(data->Buf, static_cast<std::size_t>(data->BufTextLen))) {
        data->DeleteChars(0, data->BufTextLen);
        data->InsertChars(0, rewrapped.c_str(), rewrapped.c_str() + rewrapped.size());
        data->CursorPos = static_cast<int>(client::canonical_to_display(rewrapped, canonical_cursor));
        data->SelectionStart = data->SelectionEnd = data->CursorPos;
    }
    crypto::wipe(*edit->text);
    *edit->text = canonical;
    crypto::wipe(edit->self->source_);
    edit->self->source_ = std::move(canonical);
    edit->changed = true;
    crypto::wipe(rewrapped);
    crypto::wipe(display);
    return 0;
}

}  // namespace imrdesk::ui
