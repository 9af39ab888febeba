// Settings: font size, theme, auto-lock, the default gap threshold. Saved at once.
#include <algorithm>

#include "view.hpp"
#include "imrdesk/client/exports.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

constexpr const char* kPopup = "Settings";
constexpr const char* kTextSizePopup = "Text size";

// Text size, one step at a time, as Ctrl+ and Ctrl- do.
void smaller(client::Settings& s) { s.font_size = std::max(12.0f, s.font_size - 2.0f); }
void larger(client::Settings& s) { s.font_size = std::min(40.0f, s.font_size + 2.0f); }

class SettingsView final : public View {
public:
    void draw(const Frame& f) override {
        text_size_offer(f);
        auto& app = f.app;
        auto& s = app.settings();
        if (f.requests->open_settings) {
            f.requests->open_settings = false;
            ImGui::OpenPopup(kPopup);
        }
        ImGui::SetNextWindowSize(ImVec2(em(30), 0));
        if (!ImGui::BeginPopupModal(kPopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
        bool changed = false;
        label_column("Text size", 11);
        if (button(f, "Smaller (Ctrl -)")) {
            smaller(s);
            changed = true;
        }
        ImGui::SameLine();
        ImGui::Text("%.0f", static_cast<double>(s.font_size));
        ImGui::SameLine();
        if (button(f, "Larger (Ctrl +)")) {
            larger(s);
            changed = true;
        }
        label_column("Theme", 11);
        for (const auto theme : {client::Theme::Light, client::Theme::Dark, client::Theme::HighContrast}) {
            const char* name = theme == client::Theme::Light ? "Light" : theme == client::Theme::Dark ? "Dark" : "High contrast";
            if (ImGui::RadioButton(name, s.theme == theme)) {
                s.theme = theme;
                changed = true;
            }
            track(f, name);
            ImGui::SameLine();
        }
        ImGui::NewLine();
        label_column("Lock after", 11);
        ImGui::SetNextItemWidth(em(10));
        if (ImGui::SliderInt("##autolock", &s.auto_lock_minutes, 1, 30, "%d minutes idle")) changed = true;
        track(f, "Auto-lock minutes");
        label_column("Gap threshold", 11);
        ImGui::SetNextItemWidth(em(10));
        if (ImGui::SliderInt("##gap", &s.gap_threshold_days, 7, 365, "%d days")) changed = true;
        ImGui::SetCursorPosX(em(11));
        muted("for new IMRs: periods without chronology entries longer than this must be explained");
        label_column("Marking", 11);
        ImGui::SetNextItemWidth(em(16));
        if (input_text(f, "##marking", s.protective_marking, 0, client::kDefaultMarking)) {
            if (s.protective_marking.size() > 80) s.protective_marking.resize(80);
            // Saved once it says something; an empty marking is put back to the default on close.
            changed = s.protective_marking.find_first_not_of(' ') != std::string::npos;
        }
        track(f, "Protective marking");
        ImGui::SetCursorPosX(em(11));
        muted("at the top of every page of exported documents");
        if (changed) app.save_settings();
        ImGui::Spacing();
        if (primary_button(f, "Close") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
            if (s.protective_marking.find_first_not_of(' ') == std::string::npos) {
                s.protective_marking = client::kDefaultMarking;
                app.save_settings();
            }
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }

private:
    // The first time imrdesk runs on a computer: the text at the size the screen suggests, and
    // the way to change it, before anything else is asked.
    static void text_size_offer(const Frame& f) {
        auto& app = f.app;
        auto& s = app.settings();
        if (f.requests->offer_text_size) {
            f.requests->offer_text_size = false;
            if (!s.text_size_chosen) ImGui::OpenPopup(kTextSizePopup);
        }
        ImGui::SetNextWindowSize(ImVec2(std::min(em(34), ImGui::GetMainViewport()->WorkSize.x - em(2)), 0));
        if (!ImGui::BeginPopupModal(kTextSizePopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove)) return;
        heading(f, "Is this text easy to read?");
        wrapped("Choose a size you can read comfortably for a long time. You can change it at any moment: Ctrl and + makes "
                "the text larger, Ctrl and - smaller, and the A- and A+ buttons at the bottom of the screen do the same.");
        ImGui::Spacing();
        if (button(f, "Smaller (Ctrl -)")) smaller(s);
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        const std::string size = "Size " + std::to_string(static_cast<int>(s.font_size));
        ImGui::TextUnformatted(size.c_str());
        track(f, "Offered " + size);
        ImGui::SameLine();
        if (button(f, "Larger (Ctrl +)")) larger(s);
        ImGui::Spacing();
        if (primary_button(f, "This size is right") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
            ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
            s.text_size_chosen = true;
            app.save_settings();
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
};

}  // namespace

std::unique_ptr<View> make_settings_view() { return std::make_unique<SettingsView>(); }

void open_settings(const Frame& f) { f.requests->open_settings = true; }

}  // namespace imrdesk::ui
