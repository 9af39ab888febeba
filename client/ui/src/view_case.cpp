// The review team's case: its bar (back to the cases, the three panels, Export merged...) and the
// dashboard: each expected agency, where it is, when it submitted which version, days left or
// late, its open queries and its colour; then every query of the case with its thread.
#include <functional>

#include "case_panels.hpp"
#include "imrdesk/client/sync_service.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/shared/entry_fields.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "style.hpp"
#include "view.hpp"
#include "view_export.hpp"

namespace imrdesk::ui {
namespace {

std::string uk_typed(const domain::ChronologyEntry& e) {
    return merged_date(e) + (e.source.empty() ? "" : ", " + e.source);
}

std::string days_text(std::int64_t days) {
    if (days < 0) return count_of(static_cast<std::size_t>(-days), "day late", "days late");
    if (days == 0) return "due today";
    return count_of(static_cast<std::size_t>(days), "day left", "days left");
}

// A small square in the agency's colour, the height of the text, before its name.
void colour_chip(const ImVec4& colour) {
    const float size = ImGui::GetTextLineHeight() * 0.8f;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float y = at.y + (ImGui::GetTextLineHeight() - size) / 2;
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(at.x, y), ImVec2(at.x + size, y + size), ImGui::GetColorU32(colour),
                                              size * 0.15f);
    ImGui::Dummy(ImVec2(size, ImGui::GetTextLineHeight()));
    ImGui::SameLine(0, em(0.4f));
}

void status_cell(const Frame& f, const client::AgencyStatus& s) {
    const Palette& p = palette();
    switch (s.state) {
        case sync::AgencyState::NotStarted:
            if (s.late) ImGui::PushStyleColor(ImGuiCol_Text, p.error);
            ImGui::TextUnformatted(s.late ? "Late: not started" : "Not started");
            if (s.late) ImGui::PopStyleColor();
            break;
        case sync::AgencyState::Drafting:
            if (s.late) ImGui::PushStyleColor(ImGuiCol_Text, p.error);
            ImGui::TextUnformatted(s.late ? "Late: drafting" : "Drafting");
            if (s.late) ImGui::PopStyleColor();
            break;
        case sync::AgencyState::Submitted: ImGui::TextUnformatted("Submitted"); break;
        case sync::AgencyState::Amending:
            ImGui::PushStyleColor(ImGuiCol_Text, p.warning);
            ImGui::TextUnformatted("Amending");
            ImGui::PopStyleColor();
            muted("after version " + std::to_string(s.version));
            break;
    }
    track(f, "status " + s.agency);
    if (f.items != nullptr) track(f, "status " + s.agency + ": " + std::string(sync::to_string(s.state)) + (s.late ? ", late" : ""));
    if (!s.expected) muted("(not expected)");
}

}  // namespace

void DashboardPanel::wipe() noexcept {
    if (changes_) client::wipe_changes(*changes_);
    changes_.reset();
    changes_of_.reset();
    crypto::wipe(changes_agency_);
}

void DashboardPanel::changes(const Frame& f, CaseModel& model, std::function<void()>& action) {
    if (!changes_of_) return;
    auto& app = f.app;
    ImGui::Spacing();
    ImGui::Separator();
    if (button(f, "Close the changes")) action = [this] { wipe(); };
    if (!changes_) {
        heading(f, "What changed in " + changes_agency_ + "'s IMR");
        wrapped("This computer first received this IMR at the version it holds now, so there is no earlier version here to "
                "compare it with.");
    } else {
        heading(f, "What changed in " + changes_agency_ + "'s IMR, version " + std::to_string(changes_->from) + " to " +
                       std::to_string(changes_->to));
        if (changes_->empty()) muted("No section and no chronology entry changed.");
        const auto* doc = app.workspace().find(*changes_of_);
        const auto outline = domain::ImrTemplate::builtin().outline(doc != nullptr ? doc->header.case_info.terms_of_reference
                                                                                   : std::vector<domain::TorQuestion>{});
        for (const auto& c : changes_->sections) {
            std::string title = c.key;
            for (const auto& item : outline)
                if (item.key == c.key) title = item.heading;
            ImGui::PushFont(f.fonts.bold);
            wrapped("Section " + title + ": " + std::string(client::to_string(c.kind)));
            ImGui::PopFont();
            track(f, "changed section " + c.key);
            ImGui::Indent(em(1));
            const auto text_of = [](const domain::SectionContent& s) {
                return s.not_applicable ? "Not applicable: " + s.not_applicable_reason : s.text;
            };
            if (c.kind != client::ChangeKind::Added) {
                muted("Before:");
                ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
                wrapped(text_of(c.before));
                ImGui::PopStyleColor();
            }
            if (c.kind != client::ChangeKind::Removed) {
                muted(c.kind == client::ChangeKind::Added ? "Added:" : "Now:");
                wrapped(text_of(c.after));
            }
            ImGui::Unindent(em(1));
        }
        for (const auto& c : changes_->entries) {
            const auto& e = c.after ? *c.after : *c.before;
            std::string line = uk_typed(e) + ": " + std::string(client::to_string(c.kind));
            if (!c.fields.empty()) {
                line += " (";
                for (std::size_t i = 0; i < c.fields.size(); ++i) line += (i > 0 ? ", " : "") + c.fields[i];
                line += ")";
            }
            ImGui::PushID(c.id.hex().c_str());
            ImGui::PushFont(f.fonts.bold);
            wrapped("Entry of " + line);
            ImGui::PopFont();
            track(f, "changed entry " + c.id.hex());
            ImGui::Indent(em(1));
            if (c.kind == client::ChangeKind::Changed && c.before && c.after) {
                // Each text field that changed: what it said, and what it says now.
                for (const auto& field : domain::kEntryTextFields) {
                    const auto& was = (*c.before).*(field.member);
                    const auto& now = (*c.after).*(field.member);
                    if (was == now) continue;
                    muted(std::string(field.label) + ", before:");
                    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
                    wrapped(was.empty() ? "(empty)" : was);
                    ImGui::PopStyleColor();
                    muted("now:");
                    wrapped(now.empty() ? "(empty)" : now);
                }
            } else {
                wrapped(e.event);
            }
            if (c.after && doc != nullptr && doc->entry(c.id) != nullptr) {
                if (button(f, "Show the entry")) action = [&app, imr = *changes_of_, id = c.id] { app.open_case_entry(imr, id); };
            }
            ImGui::Unindent(em(1));
            ImGui::PopID();
        }
    }
    (void)model;
}

void DashboardPanel::draw(const Frame& f, CaseModel& model) {
    auto& app = f.app;
    const auto* info = model.info();
    std::function<void()> action;
    if (info != nullptr) {
        std::string line;
        if (info->due) {
            line = "Due " + uk_date(*info->due);
            const auto today = platform::unix_now() / 86400;
            line += " (" + days_text(info->due->days_since_epoch() - today) + ")";
        } else {
            line = "No due date set";
        }
        if (info->period_from && info->period_to)
            line += ".  Review period " + uk_date(*info->period_from) + " to " + uk_date(*info->period_to);
        wrapped(line + ".");
    }
    std::size_t submitted = 0, expected = 0;
    for (const auto& s : model.status()) {
        if (s.expected) ++expected;
        if (s.expected && s.version > 0) ++submitted;
    }
    muted(std::to_string(submitted) + " of " + std::to_string(expected) + " expected agencies have submitted; " +
          count_of(model.rows().size(), "entry", "entries") + " in the merged chronology.");
    track(f, "case summary");
    ImGui::Spacing();

    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("agencies", 7, flags)) {
        ImGui::TableSetupColumn("Agency", ImGuiTableColumnFlags_WidthStretch, 3.0f);
        ImGui::TableSetupColumn("Where it is", ImGuiTableColumnFlags_WidthStretch, 1.4f);
        ImGui::TableSetupColumn("Received", ImGuiTableColumnFlags_WidthStretch, 1.6f);
        ImGui::TableSetupColumn("Version", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("Due", ImGuiTableColumnFlags_WidthStretch, 1.1f);
        ImGui::TableSetupColumn("Open queries", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em(9));
        ImGui::TableHeadersRow();
        for (const auto& s : model.status()) {
            ImGui::PushID(s.agency.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            colour_chip(model.colour(s.agency));
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(s.agency.c_str());
            ImGui::PopTextWrapPos();
            track(f, "agency " + s.agency);
            ImGui::TableNextColumn();
            status_cell(f, s);
            ImGui::TableNextColumn();
            if (s.received_at) wrapped(uk_date_time(*s.received_at));
            else muted("not yet");
            ImGui::TableNextColumn();
            if (s.version > 0) {
                ImGui::TextUnformatted(("Version " + std::to_string(s.version)).c_str());
                if (s.held_version > 0 && s.held_version != s.version) muted("you hold " + std::to_string(s.held_version));
                if (s.imr && s.held_version > 1) {
                    if (button(f, "What changed")) {
                        action = [this, &app, imr = *s.imr, agency = s.agency] {
                            wipe();
                            changes_of_ = imr;
                            changes_agency_ = agency;
                            if (const auto* service = app.sync())
                                changes_ = client::changes_since_previous(app.workspace(), service->state(), imr);
                        };
                    }
                    track(f, "What changed " + s.agency);
                }
            } else {
                muted("none");
            }
            track(f, "version " + s.agency + ": " + std::to_string(s.version));
            ImGui::TableNextColumn();
            if (s.version > 0 && s.state == sync::AgencyState::Submitted) muted("submitted");
            else if (s.days_left) {
                if (*s.days_left < 0) error_text(days_text(*s.days_left));
                else ImGui::TextUnformatted(days_text(*s.days_left).c_str());
            } else {
                muted("no due date");
            }
            ImGui::TableNextColumn();
            if (s.open_queries > 0) {
                ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
                ImGui::TextUnformatted(std::to_string(s.open_queries).c_str());
                ImGui::PopStyleColor();
            } else {
                muted("none");
            }
            track(f, "open queries " + s.agency + ": " + std::to_string(s.open_queries));
            ImGui::TableNextColumn();
            if (s.imr) {
                if (button(f, "Open IMR")) action = [&app, imr = *s.imr] { app.open_imr(imr); };
                track(f, "Open IMR " + s.agency);
            }
            // The agency's colour, one of the palette's (each readable in every theme).
            const std::size_t current = model.colour_index(s.agency);
            ImGui::SetNextItemWidth(em(8.5f));
            if (ImGui::BeginCombo("##colour", std::string(client::agency_colour_name(current)).c_str())) {
                for (std::size_t i = 0; i < client::kAgencyColourCount; ++i) {
                    colour_chip(agency_colour(i));
                    if (ImGui::Selectable(std::string(client::agency_colour_name(i)).c_str(), i == current))
                        model.choose_colour(f, s.agency, i);
                }
                if (model.colours().chosen(s.agency) && ImGui::Selectable("Default"))
                    model.choose_colour(f, s.agency, std::nullopt);
                ImGui::EndCombo();
            }
            track(f, "colour " + s.agency);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }

    changes(f, model, action);

    // Every query of the case, newest first, with what the agency answered.
    ImGui::Spacing();
    heading(f, "Factual-accuracy queries");
    std::size_t queries = 0;
    for (const auto& doc : app.workspace().imrs()) {
        if (!doc.reviewer_copy || doc.header.case_info.reference != model.reference()) continue;
        for (auto q = doc.queries.rbegin(); q != doc.queries.rend(); ++q) {
            ++queries;
            const auto state = doc.query_state(*q);
            ImGui::PushID(q->id.hex().c_str());
            ImGui::PushFont(f.fonts.bold);
            colour_chip(model.colour(doc.header.agency));
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted((doc.header.agency + ", " + query_place(doc, q->value.on)).c_str());
            ImGui::PopTextWrapPos();
            ImGui::PopFont();
            const std::string state_text(domain::to_string(state));
            if (state == domain::QueryState::Closed) muted("Closed");
            else {
                ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
                ImGui::TextUnformatted((std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(state_text[0])))) +
                                        state_text.substr(1))
                                           .c_str());
                ImGui::PopStyleColor();
            }
            track(f, "query state " + q->id.hex());
            ImGui::Indent(em(1));
            wrapped(q->value.raised_by + ", " + uk_date_time(q->value.raised_at) + ": " + q->value.text);
            for (const auto* a : doc.answers_to(q->id)) wrapped(a->answered_by + ", " + uk_date_time(a->answered_at) + ": " + a->text);
            const auto imr = doc.id, id = q->id;
            if (state == domain::QueryState::Closed) {
                if (button(f, "Reopen")) action = [&app, imr, id] {
                    app.apply("Reopening the query", [&](client::Workspace& ws) { ws.reopen_query(imr, id, app.profile()); });
                };
                track(f, "Reopen " + id.hex());
            } else {
                if (button(f, "Close the query")) action = [&app, imr, id] {
                    app.apply("Closing the query", [&](client::Workspace& ws) { ws.close_query(imr, id, app.profile()); });
                };
                track(f, "Close " + id.hex());
            }
            if (const auto target = domain::parse_query_target(q->value.on);
                target && target->kind == domain::QueryTarget::Kind::Entry && doc.entry(target->entry) != nullptr) {
                ImGui::SameLine();
                if (button(f, "Show the entry")) action = [&app, imr, entry = target->entry] { app.open_case_entry(imr, entry); };
            }
            ImGui::Unindent(em(1));
            ImGui::Separator();
            ImGui::PopID();
        }
    }
    if (queries == 0)
        muted("No queries yet. Raise one from a row of the merged chronology, or from an IMR's Queries tab.");
    if (action) {
        action();
        if (auto* service = app.sync()) service->local_change();
    }
}

namespace {

const char* case_view_label(client::CaseView v) {
    switch (v) {
        case client::CaseView::Dashboard: return "Dashboard";
        case client::CaseView::Merged: return "Merged chronology";
        case client::CaseView::Timeline: return "Timeline";
    }
    return "";
}

class CaseScreen final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        if (button(f, "< All cases")) {
            app.go_home();
            return;
        }
        ImGui::SameLine();
        const bool has_data = model_.refresh(f);
        ImGui::PushFont(f.fonts.bold);
        ImGui::AlignTextToFramePadding();
        std::string title = "Case " + model_.reference();
        if (model_.info() != nullptr && !model_.info()->title.empty()) title += ": " + model_.info()->title;
        ImGui::TextUnformatted(title.c_str());
        ImGui::PopFont();
        if (!has_data) {
            ImGui::Separator();
            wrapped(model_.reason());
            return;
        }
        for (const auto v : {client::CaseView::Dashboard, client::CaseView::Merged, client::CaseView::Timeline}) {
            if (v != client::CaseView::Dashboard) ImGui::SameLine();
            if (view_button(f, case_view_label(v), app.case_view() == v)) app.show(v);
        }
        ImGui::SameLine();
        ImGui::BeginDisabled(model_.rows().empty());
        if (button(f, "Export merged...")) open_export(f);
        ImGui::EndDisabled();
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("Every agency's chronology in one: Excel (in the agencies' colours), Word or CSV");
        if (merged_doc_) {
            export_.draw(f, *merged_doc_);
            if (!ImGui::IsPopupOpen("Export") && !app.busy() && !export_open()) close_export();
        }
        ImGui::Separator();
        ImGui::BeginChild("case_view", ImVec2(0, 0), false);
        if (app.case_view() != shown_) {
            ImGui::SetScrollY(0);
            shown_ = app.case_view();
        }
        switch (app.case_view()) {
            case client::CaseView::Dashboard: dashboard_.draw(f, model_); break;
            case client::CaseView::Merged: merged_.draw(f, model_, detail_); break;
            case client::CaseView::Timeline: timeline_.draw(f, model_, detail_); break;
        }
        ImGui::EndChild();
    }

    void wipe() noexcept override {
        model_.wipe();
        dashboard_.wipe();
        detail_.wipe();
        merged_.wipe();
        timeline_.wipe();
        close_export();
    }

private:
    void open_export(const Frame& f) {
        close_export();
        auto& ws = f.app.workspace();
        try {
            merged_doc_ = std::make_unique<client::ImrDocument>(client::merged_document(ws, model_.reference()));
        } catch (const client::WorkspaceError& e) {
            f.app.notify(e.what(), true);
            return;
        }
        static const client::SyncProfileState kNoSync;
        const auto* service = f.app.sync();
        export_.open_merged(*merged_doc_, client::agency_fills(service != nullptr ? service->state() : kNoSync, ws,
                                                               model_.reference()));
        export_frames_ = 0;
    }
    // The dialog closes itself; the merged copy goes with it (it is decrypted text).
    bool export_open() { return ++export_frames_ < 3; }
    void close_export() noexcept {
        export_.wipe();
        if (merged_doc_) {
            client::wipe_document(*merged_doc_);
            merged_doc_.reset();
        }
    }

    CaseModel model_;
    DashboardPanel dashboard_;
    RowDetail detail_;
    MergedPanel merged_;
    TimelinePanel timeline_;
    ExportDialog export_;
    std::unique_ptr<client::ImrDocument> merged_doc_;
    int export_frames_ = 0;
    client::CaseView shown_ = client::CaseView::Dashboard;
};

}  // namespace

std::unique_ptr<View> make_case_view() { return std::make_unique<CaseScreen>(); }

}  // namespace imrdesk::ui
