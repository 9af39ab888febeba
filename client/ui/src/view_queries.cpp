// An IMR's factual-accuracy queries. The agency's author reads each query where it points (the
// whole IMR, a section, a chronology entry), its thread, and answers it, also while the IMR is
// submitted; amending means withdrawing the endorsement (Endorsement). The review team, in a
// reviewer's copy, raises queries on the IMR or one of its sections, and closes or reopens them.
#include <functional>

#include "case_model.hpp"
#include "imrdesk/client/sync_service.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "style.hpp"
#include "view.hpp"

namespace imrdesk::ui {
namespace {

std::string capitalised(std::string_view s) {
    std::string out(s);
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

class QueriesView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        const auto* doc = app.current_imr();
        if (doc == nullptr) return;
        std::function<void()> action;  // after drawing: it changes the document drawn
        if (doc->reviewer_copy) {
            heading(f, "Queries to " + doc->header.agency);
            raise_form(f, *doc, action);
        } else {
            heading(f, "Queries from the review team");
            wrapped("The review team checks each IMR for factual accuracy. Answer each query here; the answer goes to the review "
                    "team at the next sync. If the IMR itself needs to change, withdraw the endorsement (Endorsement), amend it, "
                    "and endorse and submit it again: the review team then receives the next version.");
        }
        ImGui::Spacing();
        if (doc->queries.empty()) {
            muted(doc->reviewer_copy ? "No queries on this IMR yet." : "No queries on this IMR.");
            track(f, "no queries");
        }
        for (auto q = doc->queries.rbegin(); q != doc->queries.rend(); ++q) query(f, *doc, *q, action);
        if (action) {
            action();
            if (auto* service = app.sync()) service->local_change();
        }
    }

    void wipe() noexcept override {
        crypto::wipe(answer_);
        answer_ed_.wipe();
        answering_.reset();
        crypto::wipe(text_);
        text_ed_.wipe();
        on_ = "imr";
    }

private:
    void query(const Frame& f, const client::ImrDocument& doc, const client::Stored<domain::Query>& q, std::function<void()>& action) {
        auto& app = f.app;
        const auto state = doc.query_state(q);
        ImGui::PushID(q.id.hex().c_str());
        ImGui::PushFont(f.fonts.bold);
        ImGui::PushStyleColor(ImGuiCol_Text, state == domain::QueryState::Closed ? ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled)
                                                                                 : palette().warning);
        wrapped(capitalised(domain::to_string(state)) + ": on " + query_place(doc, q.value.on));
        ImGui::PopStyleColor();
        ImGui::PopFont();
        track(f, "query " + q.id.hex());
        ImGui::Indent(em(1));
        wrapped(q.value.raised_by + ", " + uk_date_time(q.value.raised_at) + ":");
        ImGui::Indent(em(1));
        wrapped(q.value.text);
        ImGui::Unindent(em(1));
        for (const auto* a : doc.answers_to(q.id)) {
            wrapped(a->answered_by + ", " + uk_date_time(a->answered_at) + ":");
            ImGui::Indent(em(1));
            wrapped(a->text);
            ImGui::Unindent(em(1));
        }
        const auto imr = doc.id, id = q.id;
        const auto target = domain::parse_query_target(q.value.on);
        if (target && target->kind != domain::QueryTarget::Kind::Imr) {
            if (button(f, "Go there")) {
                client::Place place;
                if (target->kind == domain::QueryTarget::Kind::Entry) {
                    place.kind = client::Place::Kind::Entry;
                    place.section_key = "chronology";
                    place.id = target->entry;
                } else {
                    place.kind = target->section_key == "header" ? client::Place::Kind::Header : client::Place::Kind::Section;
                    place.section_key = target->section_key;
                }
                action = [&app, place] { app.go_to(place); };
            }
            track(f, "Go there " + id.hex());
            ImGui::SameLine();
        }
        if (doc.reviewer_copy) {
            if (state == domain::QueryState::Closed) {
                if (button(f, "Reopen")) action = [&app, imr, id] {
                    app.apply("Reopening the query", [&](client::Workspace& ws) { ws.reopen_query(imr, id, app.profile()); });
                };
            } else if (button(f, "Close the query")) {
                action = [&app, imr, id] {
                    app.apply("Closing the query", [&](client::Workspace& ws) { ws.close_query(imr, id, app.profile()); });
                };
            }
        } else if (state != domain::QueryState::Closed) {
            if (answering_ != id) {
                if (primary_button(f, "Answer")) {
                    answering_ = id;
                    crypto::wipe(answer_);
                    answer_ed_.wipe();
                }
                track(f, "Answer " + id.hex());
            } else {
                ImGui::NewLine();
                answer_ed_.draw(f, "##answer", answer_, 3, em(10));
                track(f, "Answer text");
                ImGui::BeginDisabled(answer_.find_first_not_of(" \n\t") == std::string::npos);
                if (primary_button(f, "Send answer")) {
                    action = [this, &app, imr, id, text = answer_] {
                        if (app.apply("Answering the query",
                                      [&](client::Workspace& ws) { (void)ws.answer_query(imr, id, text, app.profile()); }))
                            app.notify("Answer saved; it goes to the review team at the next sync.");
                        answering_.reset();
                        crypto::wipe(answer_);
                        answer_ed_.wipe();
                    };
                }
                ImGui::EndDisabled();
                track(f, "Send answer");
                ImGui::SameLine();
                if (button(f, "Cancel##answer")) {
                    answering_.reset();
                    crypto::wipe(answer_);
                    answer_ed_.wipe();
                }
            }
        } else {
            ImGui::NewLine();
        }
        ImGui::Unindent(em(1));
        ImGui::Separator();
        ImGui::PopID();
    }

    // The review team's new query: on the whole IMR or one of its sections (entries: from the
    // merged chronology or the chronology tab).
    void raise_form(const Frame& f, const client::ImrDocument& doc, std::function<void()>& action) {
        auto& app = f.app;
        const auto outline = domain::ImrTemplate::builtin().outline(doc.header.case_info.terms_of_reference);
        std::string current = "The whole IMR";
        for (const auto& item : outline)
            if (item.key == on_) current = item.heading;
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("New query on");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em(28));
        if (ImGui::BeginCombo("##query on", current.c_str())) {
            if (ImGui::Selectable("The whole IMR", on_ == "imr")) on_ = "imr";
            for (const auto& item : outline) {
                if (!item.is_fillable()) continue;
                if (ImGui::Selectable((item.heading + "##" + item.key).c_str(), on_ == item.key)) on_ = item.key;
            }
            ImGui::EndCombo();
        }
        track(f, "Query on");
        text_ed_.draw(f, "##new query", text_, 2, em(8));
        track(f, "New query text");
        ImGui::BeginDisabled(text_.find_first_not_of(" \n\t") == std::string::npos);
        if (primary_button(f, "Send query")) {
            const auto target = domain::parse_query_target(on_);
            action = [this, &app, imr = doc.id, target, agency = doc.header.agency, text = text_] {
                if (!target) return;
                if (app.apply("Raising the query", [&](client::Workspace& ws) { (void)ws.raise_query(imr, *target, text, app.profile()); })) {
                    app.notify("Query raised with " + agency + "; it is sent at the next sync.");
                    crypto::wipe(text_);
                    text_ed_.wipe();
                }
            };
        }
        ImGui::EndDisabled();
        track(f, "Send new query");
    }

    std::optional<domain::Id> answering_;
    std::string answer_;
    WrappedInput answer_ed_;
    std::string on_ = "imr";
    std::string text_;
    WrappedInput text_ed_;
};

}  // namespace

std::unique_ptr<View> make_queries_view() { return std::make_unique<QueriesView>(); }

}  // namespace imrdesk::ui
