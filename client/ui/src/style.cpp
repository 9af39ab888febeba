#include "style.hpp"

#include "imrdesk/client/agency_colours.hpp"

#include <cstdio>
#include <filesystem>

#include <imgui.h>

namespace imrdesk::ui {
namespace {

constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

// Opaque surfaces: nothing behind a modal, a pop-up or a notice shows through its text.
void make_surfaces_opaque(ImGuiStyle& s) {
    for (const ImGuiCol col : {ImGuiCol_WindowBg, ImGuiCol_ChildBg, ImGuiCol_PopupBg, ImGuiCol_MenuBarBg,
                               ImGuiCol_TitleBg, ImGuiCol_TitleBgActive, ImGuiCol_TitleBgCollapsed})
        s.Colors[col].w = 1.0f;
}

void light(ImGuiStyle& s) {
    ImGui::StyleColorsLight(&s);
    auto* c = s.Colors;
    c[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    c[ImGuiCol_PopupBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    c[ImGuiCol_Text] = ImVec4(0.10f, 0.10f, 0.12f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.36f, 0.36f, 0.40f, 1.0f);
    c[ImGuiCol_FrameBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    c[ImGuiCol_Border] = ImVec4(0.60f, 0.60f, 0.62f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.86f, 0.89f, 0.93f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.76f, 0.83f, 0.92f, 1.0f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.66f, 0.77f, 0.92f, 1.0f);  // pressed: the text stays dark
    c[ImGuiCol_Header] = ImVec4(0.80f, 0.87f, 0.96f, 1.0f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.86f, 0.91f, 0.97f, 1.0f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.74f, 0.83f, 0.95f, 1.0f);
    // The active tab is the marked one: a strong fill, the others pale.
    c[ImGuiCol_Tab] = ImVec4(0.90f, 0.91f, 0.93f, 1.0f);
    c[ImGuiCol_TabHovered] = ImVec4(0.80f, 0.87f, 0.96f, 1.0f);
    c[ImGuiCol_TabActive] = ImVec4(0.62f, 0.75f, 0.93f, 1.0f);
    c[ImGuiCol_TabUnfocused] = c[ImGuiCol_Tab];
    c[ImGuiCol_TabUnfocusedActive] = c[ImGuiCol_TabActive];
    c[ImGuiCol_TextSelectedBg] = ImVec4(0.66f, 0.77f, 0.92f, 1.0f);
}

void dark(ImGuiStyle& s) {
    ImGui::StyleColorsDark(&s);
    auto* c = s.Colors;
    c[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.13f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(0.14f, 0.15f, 0.16f, 1.0f);
    c[ImGuiCol_PopupBg] = ImVec4(0.12f, 0.13f, 0.14f, 1.0f);
    c[ImGuiCol_Text] = ImVec4(0.92f, 0.92f, 0.90f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.72f, 0.72f, 0.72f, 1.0f);
    c[ImGuiCol_FrameBg] = ImVec4(0.18f, 0.20f, 0.24f, 1.0f);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.22f, 0.25f, 0.30f, 1.0f);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.24f, 0.28f, 0.34f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.22f, 0.26f, 0.32f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.26f, 0.32f, 0.42f, 1.0f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.20f, 0.34f, 0.52f, 1.0f);
    c[ImGuiCol_Header] = ImVec4(0.16f, 0.26f, 0.40f, 1.0f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.20f, 0.24f, 0.30f, 1.0f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.20f, 0.32f, 0.48f, 1.0f);
    c[ImGuiCol_Tab] = ImVec4(0.17f, 0.19f, 0.22f, 1.0f);
    c[ImGuiCol_TabHovered] = ImVec4(0.24f, 0.30f, 0.40f, 1.0f);
    c[ImGuiCol_TabActive] = ImVec4(0.18f, 0.34f, 0.56f, 1.0f);
    c[ImGuiCol_TabUnfocused] = c[ImGuiCol_Tab];
    c[ImGuiCol_TabUnfocusedActive] = c[ImGuiCol_TabActive];
    c[ImGuiCol_TextSelectedBg] = ImVec4(0.20f, 0.34f, 0.52f, 1.0f);
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.19f, 0.20f, 0.22f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1.0f, 1.0f, 1.0f, 0.04f);
}

void high_contrast(ImGuiStyle& s) {
    ImGui::StyleColorsDark(&s);
    auto* c = s.Colors;
    const ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1), yellow(1.0f, 0.92f, 0.0f, 1.0f);
    // Dark olive fills keep white text above 4.5:1; the yellow is for marks and borders.
    const ImVec4 olive(0.30f, 0.28f, 0.0f, 1), olive_light(0.38f, 0.35f, 0.0f, 1);
    for (int i = 0; i < ImGuiCol_COUNT; ++i) c[i] = black;
    c[ImGuiCol_Text] = white;
    c[ImGuiCol_TextDisabled] = ImVec4(0.85f, 0.85f, 0.85f, 1);
    c[ImGuiCol_Border] = white;
    c[ImGuiCol_FrameBg] = black;
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.2f, 0.2f, 0.2f, 1);
    c[ImGuiCol_FrameBgActive] = olive;
    c[ImGuiCol_Button] = ImVec4(0.15f, 0.15f, 0.15f, 1);
    c[ImGuiCol_ButtonHovered] = olive;
    c[ImGuiCol_ButtonActive] = olive_light;
    c[ImGuiCol_Header] = olive;
    c[ImGuiCol_HeaderHovered] = ImVec4(0.22f, 0.22f, 0.22f, 1);
    c[ImGuiCol_HeaderActive] = olive_light;
    c[ImGuiCol_Tab] = ImVec4(0.15f, 0.15f, 0.15f, 1);
    c[ImGuiCol_TabHovered] = olive;
    c[ImGuiCol_TabActive] = olive_light;
    c[ImGuiCol_TabUnfocused] = c[ImGuiCol_Tab];
    c[ImGuiCol_TabUnfocusedActive] = olive_light;
    c[ImGuiCol_CheckMark] = yellow;
    c[ImGuiCol_SliderGrab] = yellow;
    c[ImGuiCol_TextSelectedBg] = olive_light;
    c[ImGuiCol_NavHighlight] = yellow;
    c[ImGuiCol_ScrollbarGrab] = ImVec4(0.7f, 0.7f, 0.7f, 1);
    c[ImGuiCol_TableBorderStrong] = white;
    c[ImGuiCol_TableBorderLight] = ImVec4(0.6f, 0.6f, 0.6f, 1);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(0.08f, 0.08f, 0.08f, 1);
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.12f, 0.12f, 0.12f, 1);
    c[ImGuiCol_PlotHistogram] = yellow;
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0, 0, 0, 0.7f);
    s.FrameBorderSize = 1.0f;
    s.TabBorderSize = 1.0f;
}

Palette g_palette = palette_for(client::Theme::Light);
client::Theme g_theme = client::Theme::Light;

}  // namespace

Palette palette_for(client::Theme theme) {
    switch (theme) {
        case client::Theme::Dark:
            return Palette{ImVec4(1.0f, 0.72f, 0.30f, 1), ImVec4(1.0f, 0.55f, 0.50f, 1),  // warning, error
                           ImVec4(0.13f, 0.35f, 0.62f, 1), ImVec4(0.17f, 0.40f, 0.68f, 1), ImVec4(1, 1, 1, 1),
                           ImVec4(0.65f, 0.12f, 0.10f, 1), ImVec4(0.75f, 0.16f, 0.13f, 1), ImVec4(1, 1, 1, 1)};
        case client::Theme::HighContrast:
            return Palette{ImVec4(1.0f, 0.85f, 0.0f, 1), ImVec4(1.0f, 0.62f, 0.62f, 1),
                           ImVec4(1.0f, 0.92f, 0.0f, 1), ImVec4(1.0f, 1.0f, 0.45f, 1), ImVec4(0, 0, 0, 1),
                           ImVec4(0.65f, 0.12f, 0.10f, 1), ImVec4(0.75f, 0.16f, 0.13f, 1), ImVec4(1, 1, 1, 1)};
        case client::Theme::Light: break;
    }
    return Palette{ImVec4(0.52f, 0.28f, 0.0f, 1), ImVec4(0.70f, 0.07f, 0.05f, 1),
                   ImVec4(0.16f, 0.36f, 0.62f, 1), ImVec4(0.12f, 0.30f, 0.55f, 1), ImVec4(1, 1, 1, 1),
                   ImVec4(0.65f, 0.12f, 0.10f, 1), ImVec4(0.75f, 0.16f, 0.13f, 1), ImVec4(1, 1, 1, 1)};
}

const Palette& palette() { return g_palette; }

client::Theme current_theme() { return g_theme; }

ImVec4 agency_colour(std::size_t index) {
    const auto c = client::agency_colour(index, g_theme);
    return ImVec4(static_cast<float>(c.r) / 255.0f, static_cast<float>(c.g) / 255.0f, static_cast<float>(c.b) / 255.0f, 1.0f);
}

void apply_style(client::Theme theme, float font_px) {
    ImGuiStyle style;
    switch (theme) {
        case client::Theme::Light: light(style); break;
        case client::Theme::Dark: dark(style); break;
        case client::Theme::HighContrast: high_contrast(style); break;
    }
    make_surfaces_opaque(style);
    g_palette = palette_for(theme);
    g_theme = theme;
    // Every size in font units: u is one em at the current font size (which already includes the
    // monitor's content scale), so the layout grows with the font setting and the screen.
    const float u = font_px;
    style.WindowPadding = ImVec2(0.65f * u, 0.65f * u);
    style.FramePadding = ImVec2(0.45f * u, 0.28f * u);
    style.ItemSpacing = ImVec2(0.55f * u, 0.45f * u);
    style.ItemInnerSpacing = ImVec2(0.45f * u, 0.35f * u);
    style.CellPadding = ImVec2(0.35f * u, 0.22f * u);
    style.IndentSpacing = 1.2f * u;
    style.ScrollbarSize = 1.0f * u;
    style.GrabMinSize = 0.8f * u;
    style.FrameRounding = 0.22f * u;
    style.ChildRounding = 0.22f * u;
    style.PopupRounding = 0.22f * u;
    style.TabRounding = 0.22f * u;
    style.WindowRounding = 0;
    style.WindowBorderSize = theme == client::Theme::HighContrast ? 1.0f : 0.0f;
    style.FrameBorderSize = 1.0f;  // text boxes and check boxes must be visible on any background
    style.PopupBorderSize = 1.0f;
    ImGui::GetStyle() = style;
}

Fonts load_fonts(float size_px) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    static ImVector<ImWchar> ranges;  // must outlive the atlas build; rebuilt identically each time
    if (ranges.empty()) {
        ImFontGlyphRangesBuilder builder;
        builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
        static const ImWchar extra[] = {0x0100, 0x017F,  // Latin Extended-A (names)
                                        0x2010, 0x2027,  // dashes, quotes, bullet, ellipsis
                                        0x20AC, 0x20AC,  // euro
                                        0x2190, 0x2193,  // arrows
                                        0x25A0, 0x25FF,  // geometric shapes: section state marks
                                        0x2713, 0x2717,  // check and cross marks
                                        0};
        builder.AddRanges(extra);
        builder.BuildRanges(&ranges);
    }
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    auto load = [&](const char* file, float size) -> ImFont* {
        const std::string path = std::string(kFontDir) + file;
        if (!std::filesystem::exists(path)) return nullptr;
        return io.Fonts->AddFontFromFileTTF(path.c_str(), size, &config, ranges.Data);
    };
    Fonts fonts;
    fonts.body = load("DejaVuSans.ttf", size_px);
    fonts.bold = load("DejaVuSans-Bold.ttf", size_px);
    fonts.heading = load("DejaVuSans-Bold.ttf", size_px * 1.25f);
    fonts.mono = load("DejaVuSansMono.ttf", size_px);
    if (fonts.body == nullptr) {
        std::fprintf(stderr, "imrdesk: DejaVu fonts not found in %s (install fonts-dejavu-core); using the built-in font\n", kFontDir);
        ImFontConfig fallback;
        fallback.SizePixels = size_px;
        fonts.body = io.Fonts->AddFontDefault(&fallback);
    }
    if (fonts.bold == nullptr) fonts.bold = fonts.body;
    if (fonts.heading == nullptr) fonts.heading = fonts.bold;
    if (fonts.mono == nullptr) fonts.mono = fonts.body;
    io.FontDefault = fonts.body;
    io.Fonts->Build();
    return fonts;
}

}  // namespace imrdesk::ui
