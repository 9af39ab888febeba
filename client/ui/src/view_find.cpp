// Find (Ctrl+F): one box, results across sections, chronology and recommendations; a result
// leads to its place.
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
        ImGui::SetNextWindowSize(ImVec2(std::min(em(48), viewport->WorkSize.x - em(2)), em(28)), ImGuiCond_Appearing);
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
        if (dirty_) {
            hits_ = client::search(*doc, domain::ImrTemplate::builtin(), query_);
            dirty_ = false;
        }
        if (!query_.empty()) muted(std::to_string(hits_.size()) + (hits_.size() == 200 ? "+ matches" : " matches"));
        ImGui::BeginChild("hits");
        for (std::size_t i = 0; i < hits_.size(); ++i) {
            ImGui::PushID(static_cast<int>(i));
            ImGui::PushFont(f.fonts.bold);
            const bool chosen = selectable(f, hits_[i].label.c_str(), false);
            ImGui::PopFont();
            muted(hits_[i].snippet);
            if (chosen) {
                app.go_to(hits_[i].place);
                ImGui::CloseCurrentPopup();
            }
            ImGui::PopID();
        }
        ImGui::EndChild();
        ImGui::EndPopup();
    }

    void wipe() noexcept override {
        crypto::wipe(query_);
        for (auto& hit : hits_) crypto::wipe(hit.snippet);
        hits_.clear();
    }

private:
    std::string query_;
    std::vector<client::SearchHit> hits_;
    bool dirty_ = true;
};

}  // namespace

std::unique_ptr<View> make_find_view() { return std::make_unique<FindView>(); }

void open_find(const Frame& f) { f.requests->open_find = true; }

}  // namespace imrdesk::ui
