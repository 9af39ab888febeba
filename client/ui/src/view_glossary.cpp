// Glossary: the IMR's abbreviations and what they stand for. The template asks authors to avoid
// abbreviation; where one is unavoidable it must be explained here. Rows are edited in place and
// autosave when valid; deleting asks first.
#include "view.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

constexpr const char* kDeletePopup = "Delete from the glossary?";

class GlossaryView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        const auto* doc = app.current_imr();
        if (doc == nullptr) return;
        sync_rows(app, *doc);

        heading(f, "Glossary");
        wrapped("Please avoid abbreviation. Where an abbreviation is unavoidable a glossary is required.");
        ImGui::AlignTextToFramePadding();
        muted("The Quality check lists the abbreviations this IMR still uses without explaining them.");
        ImGui::SameLine();
        if (button(f, "Open the quality check")) app.show(client::ImrView::Quality);
        ImGui::Spacing();

        ImGui::BeginDisabled(doc->read_only());
        add_row(f, *doc);
        ImGui::Spacing();
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuterH |
                                      ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
        const float height = std::max(em(6), ImGui::GetContentRegionAvail().y);
        if (ImGui::BeginTable("glossary", 3, flags, ImVec2(0, height))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("Abbreviation", ImGuiTableColumnFlags_WidthFixed, em(10));
            ImGui::TableSetupColumn("Stands for", ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em(5));
            ImGui::TableHeadersRow();
            for (std::size_t i = 0; i < rows_.size(); ++i) row(f, *doc, i);
            if (rows_.empty()) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TableNextColumn();
                muted("The glossary is empty.");
            }
            ImGui::EndTable();
        }
        ImGui::EndDisabled();
        delete_dialog(f, *doc);
    }

    void wipe() noexcept override {
        wipe_rows();
        crypto::wipe(loaded_);
        crypto::wipe(new_abbreviation_);
        crypto::wipe(new_expansion_);
        crypto::wipe(new_error_);
        deleting_.reset();
    }

private:
    struct Row {
        domain::Id id;
        std::string stored;  // the abbreviation when the row was loaded: names the staged edit
        domain::GlossaryEntry entry;
        std::string error;
    };

    void wipe_rows() noexcept {
        for (auto& r : rows_) {
            crypto::wipe(r.stored);
            crypto::wipe(r.entry.abbreviation);
            crypto::wipe(r.entry.expansion);
        }
        rows_.clear();
    }

    // Reloads the rows from the IMR when it changed and nothing is being typed or waiting to save.
    void sync_rows(client::App& app, const client::ImrDocument& doc) {
        std::string body;
        for (const auto& g : doc.glossary) body += g.id.hex() + "\x1f" + g.value.abbreviation + "\x1f" + g.value.expansion + "\x1e";
        if (imr_ != doc.id || (!app.has_staged() && !ImGui::IsAnyItemActive() && body != loaded_)) {
            imr_ = doc.id;
            wipe_rows();
            for (const auto& g : doc.glossary) rows_.push_back({g.id, g.value.abbreviation, g.value, {}});
            crypto::wipe(loaded_);
            loaded_ = std::move(body);
        }
        crypto::wipe(body);
    }

    // What is wrong with an entry, or empty.
    [[nodiscard]] std::string problem(const domain::GlossaryEntry& entry, const domain::Id* self) const {
        const auto issues = domain::validate(entry);
        if (domain::has_errors(issues)) return issues.front().message;
        for (const auto& r : rows_)
            if ((self == nullptr || r.id != *self) && r.entry.abbreviation == entry.abbreviation)
                return entry.abbreviation + " is already in the glossary";
        return {};
    }

    void row(const Frame& f, const client::ImrDocument& doc, std::size_t i) {
        auto& app = f.app;
        auto& r = rows_[i];
        ImGui::TableNextRow();
        ImGui::PushID(r.id.hex().c_str());
        bool changed = false;
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-1);
        changed |= input_text(f, "##abbreviation", r.entry.abbreviation);
        track(f, "glossary:" + r.stored);
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-1);
        changed |= input_text(f, "##expansion", r.entry.expansion);
        track(f, "glossary expansion:" + r.stored);
        if (!r.error.empty()) error_text("Not saved yet: " + r.error);
        ImGui::TableNextColumn();
        if (button(f, "Delete")) {
            deleting_ = r.id;
            open_delete_ = true;
        }
        ImGui::PopID();
        if (!changed) return;
        crypto::wipe(r.error);
        r.error = problem(r.entry, &r.id);
        if (!r.error.empty()) return;
        app.stage("Glossary: " + r.stored, [imr = doc.id, id = r.id, entry = r.entry](client::Workspace& ws) {
            ws.save_glossary(imr, id, entry);
        });
    }

    void add_row(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Add");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em(9));
        if (focus_ == Focus::Abbreviation) ImGui::SetKeyboardFocusHere();
        // Enter in the abbreviation moves on to its meaning; Enter there adds the entry.
        if (input_text(f, "##new_abbreviation", new_abbreviation_, ImGuiInputTextFlags_EnterReturnsTrue, "e.g. DNA"))
            focus_ = Focus::Expansion;
        else if (focus_ == Focus::Abbreviation)
            focus_ = Focus::None;
        track(f, "New abbreviation");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(std::max(em(10), ImGui::GetContentRegionAvail().x - em(9)));
        if (focus_ == Focus::Expansion) {
            ImGui::SetKeyboardFocusHere();
            focus_ = Focus::None;
        }
        const bool enter = input_text(f, "##new_expansion", new_expansion_, ImGuiInputTextFlags_EnterReturnsTrue,
                                      "what it stands for, in full");
        track(f, "New expansion");
        ImGui::SameLine();
        const domain::GlossaryEntry entry{new_abbreviation_, new_expansion_, nlohmann::json::object()};
        const bool ready = problem(entry, nullptr).empty();
        ImGui::BeginDisabled(!ready);
        const bool add = primary_button(f, "Add to glossary");
        ImGui::EndDisabled();
        if (!new_error_.empty()) error_text(new_error_);
        if (!add && !enter) return;
        crypto::wipe(new_error_);
        if (!ready) {
            new_error_ = problem(entry, nullptr);
            return;
        }
        if (app.apply("Adding to the glossary", [imr = doc.id, &entry](client::Workspace& ws) { ws.save_glossary(imr, std::nullopt, entry); })) {
            crypto::wipe(new_abbreviation_);
            crypto::wipe(new_expansion_);
            focus_ = Focus::Abbreviation;  // ready for the next one
        }
    }

    void delete_dialog(const Frame& f, const client::ImrDocument& doc) {
        if (!deleting_) return;
        auto& app = f.app;
        const auto it = std::find_if(doc.glossary.begin(), doc.glossary.end(), [&](const auto& g) { return g.id == *deleting_; });
        if (it == doc.glossary.end()) {
            deleting_.reset();
            return;
        }
        if (open_delete_) {
            ImGui::OpenPopup(kDeletePopup);
            open_delete_ = false;
        }
        ImGui::SetNextWindowSize(ImVec2(em(30), 0));
        if (!ImGui::BeginPopupModal(kDeletePopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
            deleting_.reset();
            return;
        }
        wrapped(it->value.abbreviation + ": " + it->value.expansion);
        ImGui::Spacing();
        wrapped("Where this IMR still uses " + it->value.abbreviation + ", the Quality check will ask for it to be explained again.");
        ImGui::Spacing();
        if (danger_button(f, "Delete from glossary")) {
            app.apply("Deleting from the glossary", [imr = doc.id, id = *deleting_](client::Workspace& ws) { ws.delete_glossary(imr, id); });
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

    domain::Id imr_;
    std::string loaded_;  // the glossary the rows were filled from
    std::vector<Row> rows_;
    std::string new_abbreviation_;
    std::string new_expansion_;
    std::string new_error_;
    enum class Focus { None, Abbreviation, Expansion };
    Focus focus_ = Focus::None;
    std::optional<domain::Id> deleting_;
    bool open_delete_ = false;
};

}  // namespace

std::unique_ptr<View> make_glossary_view() { return std::make_unique<GlossaryView>(); }

}  // namespace imrdesk::ui
