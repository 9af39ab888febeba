// Recommendations: the action plan (order, text, owner, target date, resources or cost, measure,
// linked learning) as a table, with a panel below to add and edit one. Edits autosave when valid;
// reordering swaps places and numbers the plan 1, 2, 3 ... again.
#include <map>

#include <imgui_internal.h>

#include "imrdesk/client/soft_wrap.hpp"
#include "style.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "view.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

constexpr const char* kDeletePopup = "Delete this recommendation?";

struct LearningQuestion {
    std::string key;       // "learning.q2"
    std::string question;  // the template's question
};

std::vector<LearningQuestion> learning_questions() {
    std::vector<LearningQuestion> out;
    if (const auto* learning = domain::ImrTemplate::builtin().find("learning"))
        for (const auto& child : learning->children) out.push_back({child.key, child.heading});
    return out;
}

// "learning.q2" -> "Q2"
std::string learning_label(const std::string& key) {
    const auto dot = key.rfind('.');
    std::string tail = dot == std::string::npos ? key : key.substr(dot + 1);
    for (auto& c : tail) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return tail;
}

class RecommendationsView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        const auto* doc = app.current_imr();
        if (doc == nullptr) return;
        sync_form(app, *doc);

        heading(f, "Recommendations for action");
        if (const auto* def = domain::ImrTemplate::builtin().find("recommendations")) muted(def->guidance);
        if (const auto* section = doc->section("recommendations"); section != nullptr && section->value.not_applicable)
            muted("This section is marked not applicable: " + section->value.not_applicable_reason);
        const auto count = doc->recommendations.size();
        if (count > 5) {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
            wrapped("\xE2\x96\xB2 There are " + std::to_string(count) +
                    " recommendations. Recommendations should be few in number, focused and specific.");
            ImGui::PopStyleColor();
        }
        ImGui::BeginDisabled(doc->read_only());
        if (primary_button(f, "Add recommendation")) start_new(app, *doc);
        ImGui::EndDisabled();
        if (doc->read_only()) {
            ImGui::SameLine();
            ImGui::AlignTextToFramePadding();
            muted("This IMR is " + std::string(domain::to_string(doc->header.status)) + " and read-only.");
        }
        ImGui::Spacing();

        if (count > 0) table(f, *doc);
        else if (!form_) muted("No recommendations yet. Recommendations should follow from the learning: add one when you are ready.");
        ImGui::Spacing();
        if (form_) {
            ImGui::Separator();
            editor(f, *doc);
            // Bring the editor into view when a recommendation was chosen or added (for two frames:
            // the table may grow by a row after the editor was drawn).
            ImGui::Dummy(ImVec2(1, 1));
            if (scroll_to_editor_ > 0 && !ImGui::IsItemVisible()) ImGui::SetScrollHereY(1.0f);
            scroll_to_editor_ = std::max(0, scroll_to_editor_ - 1);
        } else if (count > 0) {
            muted("Choose a recommendation to edit it.");
        }
        delete_dialog(f, *doc);
    }

    void wipe() noexcept override {
        if (form_) wipe_form();
        form_.reset();
        text_input_.wipe();
        row_heights_.clear();
        deleting_.reset();
    }

private:
    struct Form {
        std::optional<domain::Id> id;  // empty: a new recommendation, saved once it has text
        std::string loaded;            // the stored body the form was filled from
        domain::Recommendation value;
        std::string target;            // the target date as typed
    };

    void wipe_form() noexcept {
        crypto::wipe(form_->loaded);
        crypto::wipe(form_->value.text);
        crypto::wipe(form_->value.owner_role);
        crypto::wipe(form_->value.resources);
        crypto::wipe(form_->value.measure);
        crypto::wipe(form_->target);
    }

    // Keeps the form on the selected recommendation, and up to date when nothing is being typed.
    void sync_form(client::App& app, const client::ImrDocument& doc) {
        const auto& selected = app.selected_recommendation();
        if (!selected) {
            if (form_ && form_->id) {  // a saved one was deselected; a new one stays
                wipe_form();
                form_.reset();
            }
            return;
        }
        const auto it = std::find_if(doc.recommendations.begin(), doc.recommendations.end(),
                                     [&](const auto& r) { return r.id == *selected; });
        if (it == doc.recommendations.end()) {
            app.select_recommendation(std::nullopt);
            if (form_) wipe_form();
            form_.reset();
            return;
        }
        std::string body = domain::to_json(it->value).dump();
        const bool chosen = !form_ || form_->id != selected;
        if (chosen || (!app.has_staged() && !ImGui::IsAnyItemActive() && form_->loaded != body)) {
            if (chosen) scroll_to_editor_ = 2;
            if (form_) wipe_form();
            form_ = Form{};
            form_->id = it->id;
            form_->loaded = std::move(body);
            form_->value = it->value;
            if (const auto& d = it->value.target_date) form_->target = domain::PartialDate::day(d->year, d->month, d->day).typed();
        }
        crypto::wipe(body);
    }

    void start_new(client::App& app, const client::ImrDocument& doc) {
        app.select_recommendation(std::nullopt);
        if (form_) wipe_form();
        form_ = Form{};
        form_->value.order = doc.recommendations.empty() ? 1 : doc.recommendations.back().value.order + 1;
        focus_text_ = true;
        scroll_to_editor_ = 2;
    }

    void table(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuterH |
                                      ImGuiTableFlags_SizingStretchProp;
        if (ImGui::BeginTable("recommendations", 7, flags)) {
            ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, em(2.6f));
            ImGui::TableSetupColumn("Recommendation", ImGuiTableColumnFlags_WidthStretch, 3.2f);
            ImGui::TableSetupColumn("Owner (role)", ImGuiTableColumnFlags_WidthStretch, 1.3f);
            ImGui::TableSetupColumn("Target date", ImGuiTableColumnFlags_WidthStretch, 1.0f);
            ImGui::TableSetupColumn("Resources / cost", ImGuiTableColumnFlags_WidthStretch, 1.6f);
            ImGui::TableSetupColumn("Measure", ImGuiTableColumnFlags_WidthStretch, 1.6f);
            ImGui::TableSetupColumn("Learning", ImGuiTableColumnFlags_WidthFixed, em(4.2f));
            ImGui::TableHeadersRow();
            for (const auto& r : doc.recommendations) {
                float& row_height = row_heights_[r.id];
                const auto& v = r.value;
                ImGui::TableNextRow();
                ImGui::PushID(r.id.hex().c_str());
                ImGui::TableNextColumn();
                const float top = ImGui::GetCursorScreenPos().y;
                float bottom = top;
                const auto grow = [&bottom] { bottom = std::max(bottom, ImGui::GetItemRectMax().y); };
                const bool selected = app.selected_recommendation() == r.id;
                const std::string number = std::to_string(v.order);
                // The whole row is the click target: as tall as the row was last frame.
                if (selectable(f, number.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
                               ImVec2(0, row_height)))
                    app.select_recommendation(r.id);
                track(f, "recommendation " + number);
                const auto issues = domain::validate(v);
                if (!issues.empty()) {
                    ImGui::SameLine(0, em(0.3f));
                    ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
                    ImGui::TextUnformatted("\xE2\x96\xB2");
                    ImGui::PopStyleColor();
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", domain::join(issues).c_str());
                }
                const auto cell = [&grow](const std::string& text) {
                    ImGui::TableNextColumn();
                    wrapped(text.empty() ? "-" : text);
                    grow();
                };
                cell(v.text);
                cell(v.owner_role);
                cell(v.target_date ? uk_date(*v.target_date) : std::string());
                cell(v.resources);
                cell(v.measure);
                std::string learning;
                for (const auto& key : v.linked_learning) learning += (learning.empty() ? "" : ", ") + learning_label(key);
                cell(learning);
                row_height = bottom - top;
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
    }

    void editor(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        auto& form = *form_;
        auto& v = form.value;
        const float label = 10;
        ImGui::PushFont(f.fonts.bold);
        ImGui::TextUnformatted(form.id ? ("Recommendation " + std::to_string(v.order)).c_str() : "New recommendation");
        ImGui::PopFont();
        if (!form.id) {
            ImGui::SameLine();
            muted("(saved once it has text)");
        }
        bool changed = false;
        ImGui::BeginDisabled(doc.read_only());
        label_column("Recommendation", label);
        if (focus_text_) {
            ImGui::SetKeyboardFocusHere();
            focus_text_ = false;
        }
        changed |= text_input_.draw(f, "##text", v.text, 3, em(9));
        track(f, "Recommendation text");

        label_column("Owner (role)", label);
        ImGui::SetNextItemWidth(em(18));
        changed |= input_text(f, "##owner", v.owner_role, 0, "e.g. Head of Adult Safeguarding");
        track(f, "Owner (role)");
        ImGui::SameLine(0, em(1.5f));
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Target date");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em(9));
        changed |= input_text(f, "##target", form.target, 0, "dd/mm/yyyy");
        track(f, "Target date");
        ImGui::SameLine();
        const bool date_ok = understood_exact_date(form.target, v.target_date);

        label_column("Resources / cost", label);
        ImGui::SetNextItemWidth(-1);
        changed |= input_text(f, "##resources", v.resources, 0, "what implementing it needs: staff time, money, systems");
        track(f, "Resources / cost");
        label_column("Measure", label);
        ImGui::SetNextItemWidth(-1);
        changed |= input_text(f, "##measure", v.measure, 0, "how you will know it has been done");
        track(f, "Measure");

        label_column("Linked learning", label);
        ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, em(0.15f)));
        for (const auto& q : learning_questions()) {
            ImGui::SetCursorPosX(em(label));  // the first stays on the label's line
            bool linked = std::find(v.linked_learning.begin(), v.linked_learning.end(), q.key) != v.linked_learning.end();
            const std::string text = learning_label(q.key) + ". " + q.question + "##" + q.key;
            if (checkbox(f, text.c_str(), linked)) {
                std::erase(v.linked_learning, q.key);
                if (linked) v.linked_learning.push_back(q.key);
                std::sort(v.linked_learning.begin(), v.linked_learning.end());
                changed = true;
            }
            track(f, q.key);
        }
        ImGui::PopStyleVar();
        ImGui::EndDisabled();

        const auto issues = domain::validate(v);
        const bool valid = date_ok && !domain::has_errors(issues);
        if (changed && valid) save(app, doc);
        const bool blank_new = !form.id && v.text.empty();
        for (const auto& issue : blank_new ? std::vector<domain::Issue>{} : issues) {
            if (issue.severity == domain::Severity::Error) error_text("Not saved yet: " + issue.message);
            else {
                ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
                wrapped("\xE2\x96\xB2 " + issue.message);
                ImGui::PopStyleColor();
            }
        }

        ImGui::Spacing();
        ImGui::BeginDisabled(doc.read_only() || !form.id);
        const auto index = position(doc);
        ImGui::BeginDisabled(index == 0);
        if (button(f, "Move up")) move(app, doc, index, index - 1);
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::BeginDisabled(index + 1 >= doc.recommendations.size());
        if (button(f, "Move down")) move(app, doc, index, index + 1);
        ImGui::EndDisabled();
        ImGui::SameLine(0, em(2));
        if (danger_button(f, "Delete")) {
            deleting_ = form.id;
            open_delete_ = true;
        }
        ImGui::EndDisabled();
        if (!form.id) {
            ImGui::SameLine(0, em(2));
            if (button(f, "Cancel")) {
                wipe_form();
                form_.reset();
            }
        }
    }


    // Saves the form: a new recommendation at once (so it gets its id), later edits after a pause.
    void save(client::App& app, const client::ImrDocument& doc) {
        auto& form = *form_;
        const auto imr = doc.id;
        if (!form.id) {
            domain::Id created;
            if (app.apply("Adding the recommendation",
                          [&](client::Workspace& ws) { created = ws.save_recommendation(imr, std::nullopt, form.value); })) {
                form.id = created;
                for (const auto& r : app.workspace().get(imr).recommendations)
                    if (r.id == created) form.loaded = domain::to_json(r.value).dump();
                app.select_recommendation(created);
                scroll_to_editor_ = 2;  // the table grew by a row
            }
            return;
        }
        form.loaded = domain::to_json(form.value).dump();
        app.stage("Recommendation " + std::to_string(form.value.order),
                  [imr, id = *form.id, value = form.value](client::Workspace& ws) mutable {
                      // Keep the place it has now: it may have moved since the edit was staged.
                      for (const auto& r : ws.get(imr).recommendations)
                          if (r.id == id) value.order = r.value.order;
                      ws.save_recommendation(imr, id, std::move(value));
                  });
    }

    [[nodiscard]] std::size_t position(const client::ImrDocument& doc) const {
        for (std::size_t i = 0; i < doc.recommendations.size(); ++i)
            if (form_->id && doc.recommendations[i].id == *form_->id) return i;
        return 0;
    }

    static void move(client::App& app, const client::ImrDocument& doc, std::size_t from, std::size_t to) {
        std::vector<domain::Id> ids;
        for (const auto& r : doc.recommendations) ids.push_back(r.id);
        std::swap(ids[from], ids[to]);
        app.apply("Moving the recommendation", [imr = doc.id, &ids](client::Workspace& ws) { ws.reorder_recommendations(imr, ids); });
    }

    void delete_dialog(const Frame& f, const client::ImrDocument& doc) {
        if (!deleting_) return;
        auto& app = f.app;
        const auto it = std::find_if(doc.recommendations.begin(), doc.recommendations.end(),
                                     [&](const auto& r) { return r.id == *deleting_; });
        if (it == doc.recommendations.end()) {
            deleting_.reset();
            return;
        }
        if (open_delete_) {
            ImGui::OpenPopup(kDeletePopup);
            open_delete_ = false;
        }
        ImGui::SetNextWindowSize(ImVec2(em(34), 0));
        if (!ImGui::BeginPopupModal(kDeletePopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
            deleting_.reset();  // closed with Escape
            return;
        }
        wrapped("Recommendation " + std::to_string(it->value.order) + ":");
        muted(it->value.text);
        ImGui::Spacing();
        wrapped("It is deleted from this IMR and the others are numbered again. This cannot be undone.");
        ImGui::Spacing();
        if (danger_button(f, "Delete recommendation")) {
            const auto id = *deleting_;
            std::vector<domain::Id> rest;
            for (const auto& r : doc.recommendations)
                if (r.id != id) rest.push_back(r.id);
            if (app.apply("Deleting the recommendation", [imr = doc.id, id, &rest](client::Workspace& ws) {
                    ws.delete_recommendation(imr, id);
                    ws.reorder_recommendations(imr, rest);
                })) {
                app.select_recommendation(std::nullopt);
                if (form_) wipe_form();
                form_.reset();
            }
            deleting_.reset();
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        const bool keep = button(f, "Keep it");
        ImGui::SetItemDefaultFocus();  // the safe choice has the keyboard focus
        if (keep || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
            deleting_.reset();
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }

    std::optional<Form> form_;
    bool focus_text_ = false;
    WrappedInput text_input_;
    int scroll_to_editor_ = 0;  // frames left to keep the editor in view
    std::map<domain::Id, float> row_heights_;  // measured each frame, so a whole row can be clicked
    std::optional<domain::Id> deleting_;
    bool open_delete_ = false;
};

}  // namespace

std::unique_ptr<View> make_recommendations_view() { return std::make_unique<RecommendationsView>(); }

}  // namespace imrdesk::ui
