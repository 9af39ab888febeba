// WCAG AA for every theme: each text colour against each surface it is drawn on, translucent
// fills blended over what lies beneath them, at least 4.5:1; windows, pop-ups, modals and the
// notices are opaque, so nothing behind them shows through their text.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>
#include <imgui_internal.h>

#include "harness.hpp"
#include "imrdesk/client/agency_colours.hpp"
#include "style.hpp"

using namespace imrdesk;

namespace {

double linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

double luminance(const ImVec4& c) { return 0.2126 * linear(c.x) + 0.7152 * linear(c.y) + 0.0722 * linear(c.z); }

double contrast(const ImVec4& a, const ImVec4& b) {
    double la = luminance(a), lb = luminance(b);
    if (la < lb) std::swap(la, lb);
    return (la + 0.05) / (lb + 0.05);
}

// `top` painted over the opaque `below`, as ImGui's alpha blending does.
ImVec4 over(const ImVec4& top, const ImVec4& below) {
    const float a = top.w;
    return ImVec4(top.x * a + below.x * (1 - a), top.y * a + below.y * (1 - a), top.z * a + below.z * (1 - a), 1.0f);
}

struct Named {
    std::string name;
    ImVec4 colour;
};

const char* theme_name(client::Theme t) {
    switch (t) {
        case client::Theme::Light: return "light";
        case client::Theme::Dark: return "dark";
        case client::Theme::HighContrast: return "high contrast";
    }
    return "?";
}

constexpr client::Theme kThemes[] = {client::Theme::Light, client::Theme::Dark, client::Theme::HighContrast};

struct StyleContext {
    ImGuiContext* context = ImGui::CreateContext();
    ~StyleContext() { ImGui::DestroyContext(context); }
};

}  // namespace

TEST_CASE("contrast: every text colour of every theme is at least 4.5:1 on every surface it is drawn on") {
    StyleContext scope;
    int pairs = 0;
    for (const auto theme : kThemes) {
        ui::apply_style(theme, 18.0f);
        const ImGuiStyle& style = ImGui::GetStyle();
        const ui::Palette p = ui::palette_for(theme);
        CHECK(ui::palette().warning.x == p.warning.x);  // apply_style switched the palette too
        auto col = [&](ImGuiCol c) { return style.Colors[c]; };
        const std::vector<Named> bases = {{"WindowBg", col(ImGuiCol_WindowBg)},
                                          {"ChildBg", col(ImGuiCol_ChildBg)},
                                          {"PopupBg", col(ImGuiCol_PopupBg)}};
        // Every fill the normal text is drawn on: fields, buttons, selected and hovered rows, tabs,
        // table headings and stripes, title bars, selected text.
        const std::vector<std::pair<const char*, ImGuiCol>> text_fills = {
            {"FrameBg", ImGuiCol_FrameBg},         {"FrameBgHovered", ImGuiCol_FrameBgHovered},
            {"FrameBgActive", ImGuiCol_FrameBgActive}, {"Button", ImGuiCol_Button},
            {"ButtonHovered", ImGuiCol_ButtonHovered}, {"ButtonActive", ImGuiCol_ButtonActive},
            {"Header (selected row)", ImGuiCol_Header}, {"HeaderHovered", ImGuiCol_HeaderHovered},
            {"HeaderActive", ImGuiCol_HeaderActive}, {"Tab", ImGuiCol_Tab},
            {"TabHovered", ImGuiCol_TabHovered},   {"TabActive", ImGuiCol_TabActive},
            {"TabUnfocused", ImGuiCol_TabUnfocused}, {"TabUnfocusedActive", ImGuiCol_TabUnfocusedActive},
            {"TableHeaderBg", ImGuiCol_TableHeaderBg}, {"TableRowBgAlt", ImGuiCol_TableRowBgAlt},
            {"TitleBg", ImGuiCol_TitleBg},         {"TitleBgActive", ImGuiCol_TitleBgActive},
            {"MenuBarBg", ImGuiCol_MenuBarBg},     {"TextSelectedBg", ImGuiCol_TextSelectedBg}};
        // Muted, warning and error text sits on the surfaces, in fields and table rows, and on a
        // selected row.
        const std::vector<std::pair<const char*, ImGuiCol>> note_fills = {
            {"FrameBg", ImGuiCol_FrameBg},         {"TableHeaderBg", ImGuiCol_TableHeaderBg},
            {"TableRowBgAlt", ImGuiCol_TableRowBgAlt}, {"Header (selected row)", ImGuiCol_Header},
            {"HeaderHovered", ImGuiCol_HeaderHovered}};

        auto check = [&](const Named& fg, const std::string& bg_name, const ImVec4& bg) {
            const double ratio = contrast(fg.colour, bg);
            ++pairs;
            char figure[32];
            std::snprintf(figure, sizeof figure, "%.2f:1", ratio);
            INFO(std::string(theme_name(theme)), " theme: ", fg.name, " on ", bg_name, " is ", figure);
            CHECK(ratio >= 4.5);
        };
        const Named text{"Text", col(ImGuiCol_Text)};
        const std::vector<Named> notes = {{"TextDisabled (muted)", col(ImGuiCol_TextDisabled)},
                                          {"warning", p.warning},
                                          {"error", p.error}};
        for (const auto& base : bases) {
            check(text, base.name, base.colour);
            for (const auto& n : notes) check(n, base.name, base.colour);
            for (const auto& [name, c] : text_fills) check(text, std::string(name) + " over " + base.name, over(col(c), base.colour));
            for (const auto& [name, c] : note_fills)
                for (const auto& n : notes) check(n, std::string(name) + " over " + base.name, over(col(c), base.colour));
        }
        check({"primary_text", p.primary_text}, "primary", p.primary);
        check({"primary_text", p.primary_text}, "primary_hovered", p.primary_hovered);
        check({"danger_text", p.danger_text}, "danger", p.danger);
        check({"danger_text", p.danger_text}, "danger_hovered", p.danger_hovered);
        CHECK(p.primary.w == 1.0f);
        CHECK(p.danger.w == 1.0f);

        // Nothing behind a window, a pop-up, a modal or a title shows through.
        for (const ImGuiCol c : {ImGuiCol_WindowBg, ImGuiCol_ChildBg, ImGuiCol_PopupBg, ImGuiCol_TitleBg, ImGuiCol_TitleBgActive,
                                 ImGuiCol_MenuBarBg}) {
            INFO(std::string(theme_name(theme)), " theme: ", ImGui::GetStyleColorName(c), " alpha ", col(c).w);
            CHECK(col(c).w == 1.0f);
        }
    }
    CHECK(pairs > 300);
}

TEST_CASE("contrast: each agency colour reads at 4.5:1 wherever the review team's screens draw it, in every theme") {
    StyleContext scope;
    for (const auto theme : kThemes) {
        ui::apply_style(theme, 18.0f);
        const ImGuiStyle& style = ImGui::GetStyle();
        auto col = [&](ImGuiCol c) { return style.Colors[c]; };
        // As text (agency names, the source prefix) and as timeline marks: on the surfaces, table
        // stripes and headings, a selected or hovered row, and a field.
        std::vector<std::pair<std::string, ImVec4>> surfaces;
        for (const ImGuiCol base : {ImGuiCol_WindowBg, ImGuiCol_ChildBg, ImGuiCol_PopupBg}) {
            surfaces.emplace_back(ImGui::GetStyleColorName(base), col(base));
            for (const ImGuiCol fill : {ImGuiCol_TableRowBgAlt, ImGuiCol_TableHeaderBg, ImGuiCol_Header, ImGuiCol_HeaderHovered,
                                        ImGuiCol_FrameBg})
                surfaces.emplace_back(std::string(ImGui::GetStyleColorName(fill)) + " over " + ImGui::GetStyleColorName(base),
                                      over(col(fill), col(base)));
        }
        for (std::size_t i = 0; i < client::kAgencyColourCount; ++i) {
            const ImVec4 c = ui::agency_colour(i);
            for (const auto& [name, bg] : surfaces) {
                const double ratio = contrast(c, bg);
                INFO(theme_name(theme), " theme: ", std::string(client::agency_colour_name(i)), " on ", name, " is ", ratio);
                CHECK(ratio >= 4.5);
            }
        }
    }
    // The Excel export fills the Agency cell with the light colour under white bold text.
    for (std::size_t i = 0; i < client::kAgencyColourCount; ++i) {
        const auto rgb = client::agency_colour(i, client::Theme::Light);
        const ImVec4 fill(rgb.r / 255.0f, rgb.g / 255.0f, rgb.b / 255.0f, 1.0f);
        INFO(std::string(client::agency_colour_name(i)), " under white text");
        CHECK(contrast(ImVec4(1, 1, 1, 1), fill) >= 4.5);
    }
}

TEST_CASE("contrast: a notice is drawn opaque over the screen beneath it, in every theme") {
    test::UiHarness h;
    for (const auto theme : kThemes) {
        ui::apply_style(theme, 18.0f);
        h.app().notify("Exported to /home/alice/chronology.xlsx");
        h.frame(2);
        ImGuiWindow* notices = ImGui::FindWindowByName("##notices");
        REQUIRE(notices != nullptr);
        REQUIRE(notices->Active);
        REQUIRE(notices->DrawList->VtxBuffer.Size > 0);
        // The window's background is the first thing it draws.
        const ImU32 background = notices->DrawList->VtxBuffer[0].col;
        INFO(std::string(theme_name(theme)), " theme: background alpha ", (background >> IM_COL32_A_SHIFT) & 0xFF);
        CHECK(((background >> IM_COL32_A_SHIFT) & 0xFF) == 0xFF);
    }
}
