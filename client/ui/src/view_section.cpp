// Sections: the navigator generated from the template, and the selected section with its
// guidance, a soft-wrapped editor that autosaves, not applicable with a reason, and citations.
#include "imrdesk/client/progress.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "style.hpp"
#include "view.hpp"
#include "view_header.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {

namespace {

const char* state_mark(client::SectionState state) {
    switch (state) {
        case client::SectionState::Empty: return "\xE2\x97\x8B";          // ○
        case client::SectionState::InProgress: return "\xE2\x97\x90";     // ◐
        case client::SectionState::Complete: return "\xE2\x97\x8F";       // ●
        case client::SectionState::NotApplicable: return "\xE2\x80\x93";  // –
    }
    return " ";
}

class SectionView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        const auto* doc = app.current_imr();
        if (doc == nullptr) return;
        const auto outline = domain::ImrTemplate::builtin().outline(doc->header.case_info.terms_of_reference);
        ImGui::BeginChild("navigator", ImVec2(em(20), 0), true);
        navigator(f, *doc, outline);
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("section", ImVec2(0, 0), false);
        const domain::OutlineItem* item = nullptr;
        for (const auto& i : outline)
            if (i.key == app.current_section()) item = &i;
        if (item == nullptr) {
            app.select_section("summary");
        } else {
            section(f, *doc, *item, outline);
        }
        ImGui::EndChild();
    }

    void wipe() noexcept override {
        editor_.wipe();
        crypto::wipe(na_reason_);
        crypto::wipe(cite_filter_);
        header_form_.reset();
    }

private:
    void navigator(const Frame& f, const client::ImrDocument& doc, const std::vector<domain::OutlineItem>& outline) {
        auto& app = f.app;
        for (const auto& item : outline) {
            ImGui::Indent(em(0.9f) * static_cast<float>(item.depth) + 0.001f);
            if (!item.is_fillable()) {
                ImGui::PushFont(f.fonts.bold);
                wrapped(item.heading);
                ImGui::PopFont();
            } else {
                const auto state = client::section_state(doc, item);
                std::string label = std::string(state_mark(state)) + " " + item.heading;
                if (label.size() > 60) label = label.substr(0, 57) + "...";
                // A query of the review team on the section: marked, with the count.
                const std::size_t queries = doc.queries_on(item.key);
                if (queries > 0) label += "  [? " + std::to_string(queries) + "]";
                label += "##" + item.key;
                if (queries > 0) ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
                if (selectable(f, label.c_str(), app.current_section() == item.key && app.imr_view() == client::ImrView::Sections))
                    app.select_section(item.key);
                if (queries > 0) ImGui::PopStyleColor();
                track(f, "nav:" + item.key);
                if (ImGui::IsItemHovered()) {
                    ImGui::BeginTooltip();
                    ImGui::PushTextWrapPos(em(24));
                    ImGui::TextUnformatted(item.heading.c_str());
                    ImGui::TextDisabled("%s", std::string(client::to_string(state)).c_str());
                    ImGui::PopTextWrapPos();
                    ImGui::EndTooltip();
                }
            }
            ImGui::Unindent(em(0.9f) * static_cast<float>(item.depth) + 0.001f);
        }
    }

    void guidance(const Frame& f, const domain::OutlineItem& item, const std::vector<domain::OutlineItem>& outline) {
        auto& settings = f.app.settings();
        const std::string text = domain::guidance_for(item, outline);
        if (text.empty()) return;
        ImGui::SetNextItemOpen(settings.guidance_open);
        const bool open = ImGui::CollapsingHeader("Guidance from the template");
        track(f, "Guidance");
        if (open != settings.guidance_open) {
            settings.guidance_open = open;
            f.app.save_settings();
        }
        if (open) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
            ImGui::Indent(em(0.5f));
            wrapped(text);
            ImGui::Unindent(em(0.5f));
            ImGui::PopStyleColor();
        }
    }

    void section(const Frame& f, const client::ImrDocument& doc, const domain::OutlineItem& item,
                 const std::vector<domain::OutlineItem>& outline) {
        auto& app = f.app;
        heading(f, item.heading);
        // The author's guidance is for writing: a reviewer reads the section as submitted.
        if (!doc.reviewer_copy) guidance(f, item, outline);
        if (const std::size_t queries = doc.queries_on(item.key); queries > 0) {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
            wrapped(count_of(queries, "query", "queries") + " from the review team on this section.");
            ImGui::PopStyleColor();
            ImGui::SameLine();
            if (button(f, "Read the queries")) app.show(client::ImrView::Queries);
            track(f, "section queries");
        }
        ImGui::Spacing();
        switch (item.kind) {
            case domain::SectionKind::Header: draw_header_form(f, doc, header_form_); return;
            case domain::SectionKind::Chronology:
                wrapped(std::to_string(doc.entries.size()) + " entries in the chronology.");
                if (button(f, "Open the chronology")) app.show(client::ImrView::Chronology);
                complete_and_na(f, doc, item);
                return;
            case domain::SectionKind::Recommendations:
                wrapped(std::to_string(doc.recommendations.size()) + " recommendations.");
                if (button(f, "Open the recommendations")) app.show(client::ImrView::Recommendations);
                complete_and_na(f, doc, item);
                return;
            case domain::SectionKind::Endorsement:
                if (button(f, "Open the endorsement")) app.show(client::ImrView::Endorsement);
                return;
            default: break;
        }
        const auto* stored = doc.section(item.key);
        const bool na = stored != nullptr && stored->value.not_applicable;
        complete_and_na(f, doc, item);
        if (na) return;
        editor(f, doc);
        if (item.cites_chronology) citations(f, doc, item);
    }

    void complete_and_na(const Frame& f, const client::ImrDocument& doc, const domain::OutlineItem& item) {
        auto& app = f.app;
        const auto* stored = doc.section(item.key);
        domain::SectionContent content = stored != nullptr ? stored->value : domain::SectionContent{};
        content.key = item.key;
        ImGui::BeginDisabled(doc.read_only());
        bool complete = content.complete;
        if (!content.not_applicable && checkbox(f, "This section is complete", complete)) {
            const auto imr = doc.id;
            app.apply("Marking the section", [imr, key = item.key, complete](client::Workspace& ws) {
                const auto* d = ws.find(imr);
                domain::SectionContent c = d != nullptr && d->section(key) ? d->section(key)->value : domain::SectionContent{};
                c.key = key;
                c.complete = complete;
                ws.save_section(imr, c);
            });
        }
        if (item.not_applicable_allowed) {
            if (!content.not_applicable) ImGui::SameLine(0, em(2));
            bool na = content.not_applicable || na_pending_ == item.key;
            if (checkbox(f, "Not applicable to my agency", na)) {
                if (na) {
                    na_pending_ = item.key;
                    crypto::wipe(na_reason_);
                } else {
                    na_pending_.clear();
                    if (content.not_applicable) {
                        content.not_applicable = false;
                        content.not_applicable_reason.clear();
                        app.apply("Marking the section", [imr = doc.id, content](client::Workspace& ws) { ws.save_section(imr, content); });
                    }
                }
            }
            if (content.not_applicable) {
                muted("Reason: " + content.not_applicable_reason);
            } else if (na_pending_ == item.key) {
                wrapped("Say why this section does not apply to your agency:");
                ImGui::SetNextItemWidth(-1);
                input_text(f, "##na_reason", na_reason_);
                track(f, "Not applicable reason");
                ImGui::BeginDisabled(na_reason_.find_first_not_of(" \t") == std::string::npos);
                if (button(f, "Mark not applicable")) {
                    content.not_applicable = true;
                    content.not_applicable_reason = na_reason_;
                    if (app.apply("Marking the section", [imr = doc.id, content](client::Workspace& ws) { ws.save_section(imr, content); })) {
                        na_pending_.clear();
                        crypto::wipe(na_reason_);
                    }
                }
                ImGui::EndDisabled();
            }
        }
        ImGui::EndDisabled();
    }

    void editor(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        const float max_height = std::max(em(8), ImGui::GetContentRegionAvail().y - em(doc.read_only() ? 2 : 6));
        if (editor_.draw(f, "##Section text", app.draft().text, 10, max_height, doc.read_only())) app.draft_changed();
        muted(std::to_string(client::word_count(app.draft().text)) + " words");
    }

    void citations(const Frame& f, const client::ImrDocument& doc, const domain::OutlineItem& item) {
        auto& app = f.app;
        const auto* stored = doc.section(item.key);
        const std::vector<domain::Id> cited = stored != nullptr ? stored->value.citations : std::vector<domain::Id>{};
        ImGui::Spacing();
        ImGui::PushFont(f.fonts.bold);
        ImGui::TextUnformatted("Evidence from the chronology");
        ImGui::PopFont();
        for (const auto& id : cited) {
            const auto* entry = doc.entry(id);
            ImGui::PushID(id.hex().c_str());
            if (entry == nullptr) {
                error_text("A cited entry was deleted.");
            } else {
                // Cut to the room left of the Remove button, never under it; the whole text on hover.
                const ImGuiStyle& style = ImGui::GetStyle();
                const float remove_width = doc.read_only() ? 0.0f : ImGui::CalcTextSize("Remove").x + style.FramePadding.x * 2 + style.ItemSpacing.x;
                const float width = std::max(em(8), ImGui::GetContentRegionAvail().x - remove_width);
                const std::string full = entry->value.date.display() + ": " + entry->value.event;
                std::string label = fit_to_width(full, width - style.FramePadding.x) + "##cited";
                if (selectable(f, label.c_str(), false, 0, ImVec2(width, 0))) app.go_to({client::Place::Kind::Entry, "chronology", id, {}});
                track(f, "cited " + entry->value.date.display());
                if (ImGui::IsItemHovered() && label.size() - 7 < full.size()) {
                    ImGui::PushTextWrapPos(em(36));
                    ImGui::SetTooltip("%s", full.c_str());
                    ImGui::PopTextWrapPos();
                }
                crypto::wipe(label);
            }
            if (!doc.read_only()) {
                ImGui::SameLine();
                if (button(f, "Remove")) {
                    auto content = stored->value;
                    std::erase(content.citations, id);
                    app.apply("Removing the citation", [imr = doc.id, content](client::Workspace& ws) { ws.save_section(imr, content); });
                }
            }
            ImGui::PopID();
        }
        if (cited.empty()) muted("No entries cited yet. Cite the entries that are the evidence for what you write here.");
        if (doc.read_only() || doc.entries.empty()) return;
        if (button(f, "Cite a chronology entry")) {
            crypto::wipe(cite_filter_);
            ImGui::OpenPopup("Cite an entry");
        }
        ImGui::SetNextWindowSize(ImVec2(em(44), em(26)));
        if (ImGui::BeginPopup("Cite an entry")) {
            ImGui::SetNextItemWidth(-1);
            if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
            input_text(f, "##cite_filter", cite_filter_, 0, "Filter by date, source or words");
            track(f, "Cite filter");
            ImGui::BeginChild("entries");
            for (const auto& e : doc.entries) {
                if (std::find(cited.begin(), cited.end(), e.id) != cited.end()) continue;
                std::string label = e.value.date.display() + "  " + e.value.event;
                if (!cite_filter_.empty()) {
                    std::string haystack = label + " " + e.value.source;
                    std::string needle = cite_filter_;
                    for (auto* s : {&haystack, &needle})
                        for (auto& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    if (haystack.find(needle) == std::string::npos) continue;
                }
                if (label.size() > 120) label = label.substr(0, 117) + "...";
                ImGui::PushID(e.id.hex().c_str());
                if (selectable(f, label.c_str(), false)) {
                    domain::SectionContent content = stored != nullptr ? stored->value : domain::SectionContent{};
                    content.key = item.key;
                    content.citations.push_back(e.id);
                    app.apply("Citing the entry", [imr = doc.id, content](client::Workspace& ws) { ws.save_section(imr, content); });
                    ImGui::CloseCurrentPopup();
                }
                ImGui::PopID();
            }
            ImGui::EndChild();
            ImGui::EndPopup();
        }
    }

    WrappedInput editor_;  // the section's text, soft-wrapped
    std::string na_pending_;      // the section whose not-applicable reason is being typed
    std::string na_reason_;
    std::string cite_filter_;
    HeaderFormPtr header_form_;
};

}  // namespace

std::unique_ptr<View> make_section_view() { return std::make_unique<SectionView>(); }

}  // namespace imrdesk::ui
