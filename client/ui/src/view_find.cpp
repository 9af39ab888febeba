// Find (Ctrl+F): one box, results across sections, chronology and recommendations; a result
// leads to its place.
#include <algorithm>
#include <string>
#include <string_view>

#include "imrdesk/client/search.hpp"
#include "view.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

constexpr const char* kPopup = "Find in this IMR";

class FindView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        const auto* doc = app.current_imr();
        const ImGuiViewport* viewport = ImGui::GetMainViewport();
        ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x / 2, viewport->WorkPos.y + em(3)),
                                ImGuiCond_Appearing, ImVec2(0.5f, 0));
        // Always this size: the pop-up must not change width as the author types.
        ImGui::SetNextWindowSize(ImVec2(std::min(em(48), viewport->WorkSize.x - em(2)), std::min(em(28), viewport->WorkSize.y - em(4))),
                                 ImGuiCond_Always);
        if (f.requests->open_find) {
            f.requests->open_find = false;
            dirty_ = true;
            ImGui::OpenPopup(kPopup);
        }
        if (!ImGui::BeginPopup(kPopup)) return;
        if (doc == nullptr) {
            ImGui::CloseCurrentPopup();
            ImGui::EndPopup();
            return;
        }
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        ImGui::SetNextItemWidth(-1);
        if (input_text(f, "##query", query_, 0, "Find words in sections, chronology and recommendations")) dirty_ = true;
        track(f, "Find");
        if (ImGui::Checkbox("Match parts of words", &parts_)) dirty_ = true;
        track(f, "Match parts of words");
        if (dirty_) {
            wipe_hits();
            hits_ = client::search(*doc, domain::ImrTemplate::builtin(), query_, kMaxHits,
                                   parts_ ? client::MatchWords::Parts : client::MatchWords::Whole);
            dirty_ = false;
        }
        if (!query_.empty()) {
            ImGui::SameLine(0, em(1.5f));
            const std::string count = hits_.size() >= kMaxHits ? "more than " + std::to_string(kMaxHits) + " matches"
                                      : hits_.size() == 1      ? std::string("1 match")
                                                               : std::to_string(hits_.size()) + " matches";
            muted(count);
            track(f, "Matches: " + count);
        }
        ImGui::BeginChild("hits");
        const float line = ImGui::GetTextLineHeightWithSpacing();
        for (std::size_t i = 0; i < hits_.size(); ++i) {
            const auto& hit = hits_[i];
            ImGui::PushID(static_cast<int>(i));
            // The whole result, heading and text, is one row to choose.
            const ImVec2 start = ImGui::GetCursorPos();
            const bool chosen = ImGui::Selectable("##hit", false, ImGuiSelectableFlags_AllowItemOverlap,
                                                  ImVec2(0, line + ImGui::GetTextLineHeight()));
            track(f, hit.label);
            track(f, "result " + std::to_string(i + 1));
            const ImVec2 end = ImGui::GetCursorPos();
            ImGui::SetCursorPos(start);
            ImGui::PushFont(f.fonts.bold);
            ImGui::TextUnformatted(hit.label.c_str());
            ImGui::PopFont();
            highlighted(f, hit);
            ImGui::SetCursorPos(end);
            if (chosen) {
                app.go_to(hit.place);
                ImGui::CloseCurrentPopup();
            }
            ImGui::PopID();
            if (chosen) break;
        }
        ImGui::EndChild();
        ImGui::EndPopup();
    }

    void wipe() noexcept override {
        crypto::wipe(query_);
        wipe_hits();
    }

private:
    static constexpr std::size_t kMaxHits = 200;

    void wipe_hits() noexcept {
        for (auto& hit : hits_) {
            crypto::wipe(hit.snippet);
            crypto::wipe(hit.label);
        }
        hits_.clear();
    }

    // The snippet on one line, the match marked with the selection colour behind it.
    static void highlighted(const Frame& f, const client::SearchHit& hit) {
        const std::string_view text = hit.snippet;
        const std::size_t at = std::min(hit.snippet_offset, text.size());
        const std::size_t length = std::min(hit.length, text.size() - at);
        const char* base = text.data();
        ImGui::TextUnformatted(base, base + at);
        ImGui::SameLine(0, 0);
        ImGui::PushFont(f.fonts.bold);
        const ImVec2 min = ImGui::GetCursorScreenPos();
        const ImVec2 size = ImGui::CalcTextSize(base + at, base + at + length);
        ImGui::GetWindowDrawList()->AddRectFilled(min, ImVec2(min.x + size.x, min.y + ImGui::GetTextLineHeight()),
                                                  ImGui::GetColorU32(ImGuiCol_TextSelectedBg));
        ImGui::TextUnformatted(base + at, base + at + length);
        ImGui::PopFont();
        if (f.items != nullptr) track(f, "match " + std::string(base + at, length));
        ImGui::SameLine(0, 0);
        ImGui::TextUnformatted(base + at + length, base + text.size());
    }

    std::string query_;
    std::vector<client::SearchHit> hits_;
    bool dirty_ = true;
    bool parts_ = false;  // "Match parts of words"
};

}  // namespace

std::unique_ptr<View> make_find_view() { return std::make_unique<FindView>(); }

void open_find(const Frame& f) { f.requests->open_find = true; }

}  // namespace imrdesk::ui
