// Home: the profile's IMRs with status, due date and completeness; create and delete. With sync:
// the way to the sync panel, conflicts waiting, which IMRs were submitted, and reviewer copies
// (other agencies' IMRs of the device's cases, read-only).
#include <algorithm>
#include <ctime>
#include <optional>

#include "imrdesk/client/progress.hpp"
#include "imrdesk/client/review.hpp"
#include "style.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "view.hpp"
#include "view_conflicts.hpp"
#include "view_sync.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {


int days_until(const domain::CivilDate& date) {
    const auto day = platform::today();
    const domain::CivilDate today{day.year, day.month, day.day};
    return static_cast<int>(date.days_since_epoch() - today.days_since_epoch());
}

std::string when(std::int64_t unix_seconds) { return unix_seconds <= 0 ? std::string() : uk_date_time(unix_seconds); }

// A date field that shows what it understood as the user types (an exact day, or empty).
bool date_field(const Frame& f, const char* label, std::string& text, std::optional<domain::CivilDate>& out) {
    ImGui::SetNextItemWidth(em(12));
    input_text(f, label, text, 0, "dd/mm/yyyy");
    ImGui::SameLine();
    return understood_exact_date(text, out);
}

class HomeView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        auto& ws = app.workspace();
        if (creating_) {
            create_dialog(f);
            return;
        }
        // The review team's cases first: a reviewer's app opens on them.
        std::vector<std::string> cases;
        bool authors = false;
        if (const auto* service = app.sync()) {
            cases = client::reviewed_cases(service->state());
            if (const auto& link = service->state().link)
                authors = std::any_of(link->memberships.begin(), link->memberships.end(),
                                      [](const auto& m) { return m.role == sync::Role::Author; });
        }
        const auto reviewed = [&cases](const client::ImrDocument& doc) {
            return doc.reviewer_copy && std::find(cases.begin(), cases.end(), doc.header.case_info.reference) != cases.end();
        };
        const bool own_imrs = std::any_of(ws.imrs().begin(), ws.imrs().end(), [&](const auto& d) { return !reviewed(d); });
        if (!cases.empty()) {
            heading(f, "Your cases");
            if (auto* service = app.sync()) sync_line(f, *service);
            ImGui::Spacing();
            cases_table(f, cases);
            if (!own_imrs && !authors) {
                delete_dialog(f);
                return;  // a reviewer only: no IMRs of their own to write
            }
            ImGui::Spacing();
        }
        heading(f, "Your IMRs");
        if (primary_button(f, "New IMR")) {
            wipe_form();
            creating_ = true;
        }
        if (cases.empty())
            if (auto* service = app.sync()) sync_line(f, *service);
        ImGui::Spacing();
        if (auto* service = app.sync()) link_questions(f, *service);
        hide_reviewed_ = !cases.empty();
        reviewed_cases_ = cases;
        if (!own_imrs) {
            wrapped("You have no IMRs yet. Choose New IMR to start one: you need the review's case reference and your agency's name. "
                    "Everything else can be added later.");
        } else {
            table(f);
        }
        delete_dialog(f);
    }

    void wipe() noexcept override {
        wipe_form();
        creating_ = false;
        crypto::wipe(confirm_);
        deleting_.reset();
        reviewed_cases_.clear();
    }

private:
    struct Form {
        std::string case_ref, case_title, title, agency, adults, author, role, contact, period_from, period_to, due, tor;
    };

    void wipe_form() noexcept {
        for (auto* s : {&form_.case_ref, &form_.case_title, &form_.title, &form_.agency, &form_.adults, &form_.author,
                        &form_.role, &form_.contact, &form_.period_from, &form_.period_to, &form_.due, &form_.tor})
            crypto::wipe(*s);
    }

    static void sync_line(const Frame& f, client::SyncService& service) {
        ImGui::SameLine(0, em(2));
        if (button(f, "Sync with the review team")) open_sync_panel(f);
        const auto v = service.view();
        if (v.conflicts == 0) return;
        ImGui::SameLine(0, em(1));
        ImGui::AlignTextToFramePadding();
        ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
        ImGui::TextUnformatted((std::to_string(v.conflicts) + (v.conflicts == 1 ? " sync conflict waits" : " sync conflicts wait") +
                                " for you")
                                   .c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine();
        if (button(f, "Review conflicts")) open_conflicts_panel(f);
    }

    // After enrolment: which of this computer's drafts is the enrolled agency's IMR. Asked here,
    // where the drafts are, until the author answers; nothing is made, hidden or sent meanwhile.
    static void link_questions(const Frame& f, client::SyncService& service) {
        auto& app = f.app;
        const auto questions = service.state().link_questions;  // a copy: answering changes the list
        for (const auto& q : questions) {
            ImGui::PushID((q.case_reference + "\x1f" + q.agency).c_str());
            ImGui::PushFont(f.fonts.bold);
            ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
            wrapped("Which of your drafts is the IMR of " + q.agency + " for case " + q.case_reference + "?");
            ImGui::PopStyleColor();
            ImGui::PopFont();
            track(f, "link question " + q.case_reference + " " + q.agency);
            wrapped("This computer is enrolled as the author for " + q.agency + ". Choose the draft that is its IMR: it takes "
                    "that name and is sent to the review team at the next sync. Until you choose, nothing is sent for this "
                    "case and your drafts stay as they are.");
            const auto& tmpl = domain::ImrTemplate::builtin();
            std::optional<domain::Id> chosen;
            bool fresh = false;
            for (const auto& id : service.replica().link_candidates(q)) {
                const auto* doc = app.workspace().find(id);
                if (doc == nullptr) continue;
                ImGui::PushID(id.hex().c_str());
                ImGui::Bullet();
                ImGui::SameLine();
                ImGui::AlignTextToFramePadding();
                ImGui::TextUnformatted((doc->header.agency + ", " + std::to_string(client::progress_of(*doc, tmpl).percent()) +
                                        "% complete, last edited " + when(doc->last_edited))
                                           .c_str());
                ImGui::SameLine();
                if (primary_button(f, "This is the IMR")) chosen = id;
                track(f, "link " + id.hex());
                ImGui::PopID();
            }
            if (button(f, "None of these: start a new IMR")) fresh = true;
            track(f, "link none " + q.case_reference);
            if (chosen || fresh) {
                try {
                    service.replica().answer_link(q, chosen);
                    service.local_change();  // send it soon
                    app.notify(chosen ? "Linked: the draft is now the IMR of " + q.agency + ", sent at the next sync."
                                      : "A new IMR was made for " + q.agency + "; your drafts stay on this computer.");
                } catch (const client::WorkspaceError& e) {
                    app.notify(e.what(), true);
                }
            }
            ImGui::Separator();
            ImGui::PopID();
            if (chosen || fresh) break;  // the list changed
        }
    }

    // The status column: the IMR's own status, or what the server received; reviewer copies say so.
    static void status(const Frame& f, const client::ImrDocument& doc) {
        if (doc.submitted_at) {
            ImGui::TextUnformatted("Submitted");
            track(f, "submitted " + doc.header.case_info.reference + " " + doc.header.agency);
            muted("received " + when(*doc.submitted_at));
        } else {
            ImGui::TextUnformatted(std::string(domain::to_string(doc.header.status)).c_str());
            const auto* service = f.app.sync();
            if (service != nullptr) {
                const auto& queue = service->state().submit_queue;
                if (std::any_of(queue.begin(), queue.end(), [&](const auto& q) { return q.imr == doc.id; }))
                    muted("submission waiting to be sent");
            }
        }
        if (doc.reviewer_copy) {
            muted("Read-only (reviewer)");
            track(f, "reviewer copy " + doc.header.case_info.reference + " " + doc.header.agency);
        } else if (const auto open = doc.open_queries(); open > 0) {
            // The review team's queries wait for the author's answers.
            ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
            ImGui::TextUnformatted(count_of(open, "query to answer", "queries to answer").c_str());
            ImGui::PopStyleColor();
            track(f, "queries " + doc.header.case_info.reference);
        }
    }

    // A reviewer's cases: where each stands, from the case data the last sync brought.
    void cases_table(const Frame& f, const std::vector<std::string>& cases) {
        auto& app = f.app;
        const auto* service = app.sync();
        if (service == nullptr) return;
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
        if (!ImGui::BeginTable("cases", 6, flags)) return;
        ImGui::TableSetupColumn("Case", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("Review", ImGuiTableColumnFlags_WidthStretch, 2.6f);
        ImGui::TableSetupColumn("Due", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("Submitted", ImGuiTableColumnFlags_WidthStretch, 1.3f);
        ImGui::TableSetupColumn("Open queries", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em(6));
        ImGui::TableHeadersRow();
        std::optional<std::string> open;
        for (const auto& reference : cases) {
            ImGui::PushID(reference.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (selectable(f, (reference + "##case").c_str(), false,
                           ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
                open = reference;
            track(f, "case " + reference);
            const auto* info = client::case_data(service->state(), reference);
            ImGui::TableNextColumn();
            if (info == nullptr) {
                muted("Not synced yet");
            } else {
                wrapped(info->title);
                ImGui::TableNextColumn();
                if (info->due) {
                    ImGui::TextUnformatted(uk_date(*info->due).c_str());
                    const int days = days_until(*info->due);
                    if (days < 0) error_text(std::to_string(-days) + " days late");
                    else muted(std::to_string(days) + " days left");
                } else {
                    muted("no due date");
                }
                ImGui::TableNextColumn();
                std::size_t expected = 0, submitted = 0, queries = 0;
                for (const auto& a : info->agencies) {
                    if (!a.expected) continue;
                    ++expected;
                    if (a.version > 0) ++submitted;
                }
                for (const auto& doc : app.workspace().imrs())
                    if (doc.reviewer_copy && doc.header.case_info.reference == reference) queries += doc.open_queries();
                ImGui::TextUnformatted((std::to_string(submitted) + " of " + std::to_string(expected)).c_str());
                track(f, "submitted " + reference);
                ImGui::TableNextColumn();
                if (queries > 0) ImGui::TextUnformatted(std::to_string(queries).c_str());
                else muted("none");
            }
            ImGui::TableSetColumnIndex(5);
            if (button(f, "Open")) open = reference;
            track(f, "Open case " + reference);
            ImGui::PopID();
        }
        ImGui::EndTable();
        if (open) app.open_case(*open);
    }

    void table(const Frame& f) {
        auto& app = f.app;
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_NoBordersInBodyUntilResize;
        if (!ImGui::BeginTable("imrs", 7, flags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Case", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("Agency", ImGuiTableColumnFlags_WidthStretch, 2.0f);
        ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("Due", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("Complete", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("Last edited", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em(9.5f));
        ImGui::TableHeadersRow();
        const auto& tmpl = domain::ImrTemplate::builtin();
        // Every row is three lines high (case and title; status and when; due and days left), and a
        // click anywhere on it opens the IMR.
        const float row_height = 3 * ImGui::GetTextLineHeightWithSpacing();
        std::optional<domain::Id> open;
        for (const auto& doc : app.workspace().imrs()) {
            if (hide_reviewed_ && doc.reviewer_copy &&
                std::find(reviewed_cases_.begin(), reviewed_cases_.end(), doc.header.case_info.reference) != reviewed_cases_.end())
                continue;  // under Your cases
            ImGui::TableNextRow(0, row_height);
            ImGui::PushID(doc.id.hex().c_str());
            ImGui::TableNextColumn();
            const std::string label = doc.header.case_info.reference + "##open";
            if (selectable(f, label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
                           ImVec2(0, row_height - ImGui::GetStyle().CellPadding.y * 2)))
                open = doc.id;
            track(f, "open " + doc.header.case_info.reference);
            // The selectable took the row's height: the title goes on its second line.
            ImGui::SetCursorScreenPos(ImVec2(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y + ImGui::GetTextLineHeightWithSpacing()));
            if (!doc.header.title.empty()) muted(doc.header.title);
            ImGui::TableNextColumn();
            wrapped(doc.header.agency);
            ImGui::TableNextColumn();
            status(f, doc);
            ImGui::TableNextColumn();
            if (doc.header.case_info.due) {
                ImGui::TextUnformatted(uk_date(*doc.header.case_info.due).c_str());
                const int days = days_until(*doc.header.case_info.due);
                if (doc.header.status == domain::ImrStatus::Submitted || doc.submitted_at) muted("submitted");
                else if (days < 0) error_text(std::to_string(-days) + " days late");
                else muted(std::to_string(days) + " days left");
            } else {
                muted("no due date");
            }
            ImGui::TableNextColumn();
            const auto progress = client::progress_of(doc, tmpl);
            ImGui::ProgressBar(static_cast<float>(progress.percent()) / 100.0f, ImVec2(-1, 0),
                               (std::to_string(progress.percent()) + "%").c_str());
            ImGui::TableNextColumn();
            wrapped(when(doc.last_edited));  // the day on one line, the time on the next when narrow
            ImGui::TableNextColumn();
            if (button(f, "Open")) open = doc.id;
            track(f, "Open " + doc.header.case_info.reference);
            // Another agency's IMR, or one the review team has: not this profile's to delete.
            if (!doc.reviewer_copy && !doc.submitted_at) {
                ImGui::SameLine();
                if (button(f, "Delete")) {
                    deleting_ = doc.id;
                    crypto::wipe(confirm_);
                    open_delete_ = true;
                }
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
        if (open) app.open_imr(*open);  // after the loop: opening changes what it walks
    }

    void delete_dialog(const Frame& f) {
        if (!deleting_) return;
        auto& app = f.app;
        const auto* doc = app.workspace().find(*deleting_);
        if (doc == nullptr) {
            deleting_.reset();
            return;
        }
        // Deleting asks for the case reference to be typed: no surprises.
        if (open_delete_) {
            ImGui::OpenPopup("Delete this IMR?");
            open_delete_ = false;
        }
        ImGui::SetNextWindowSize(ImVec2(em(32), 0));
        if (!ImGui::BeginPopupModal("Delete this IMR?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
            deleting_.reset();  // closed with Escape
            return;
        }
        {
            wrapped("This deletes the IMR for " + doc->header.case_info.reference + " (" + doc->header.agency +
                    ") from this profile, with its sections and chronology. It cannot be undone.");
            wrapped("Type the case reference to confirm:");
            ImGui::SetNextItemWidth(-1);
            input_text(f, "##confirm", confirm_);
            track(f, "Confirm case reference");
            ImGui::BeginDisabled(confirm_ != doc->header.case_info.reference);
            if (danger_button(f, "Delete IMR")) {
                const auto id = *deleting_;
                app.apply("Deleting the IMR", [&](client::Workspace& ws) { ws.delete_imr(id); });
                deleting_.reset();
                ImGui::CloseCurrentPopup();
            }
            ImGui::EndDisabled();
            ImGui::SameLine();
            if (button(f, "Keep it")) {
                deleting_.reset();
                ImGui::CloseCurrentPopup();
            }
            ImGui::EndPopup();
        }
    }

    void create_dialog(const Frame& f) {
        auto& app = f.app;
        heading(f, "New IMR");
        muted("Only the case reference, your agency and the adult are needed now; the rest can be filled in later under About this IMR.");
        // The form scrolls; Create and Cancel stay in sight below it, on any screen and text size.
        const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetStyle().ItemSpacing.y;
        ImGui::BeginChild("new_imr_form", ImVec2(0, -footer), false);
        const float label_width = 13;
        label_column("Case reference", label_width);
        ImGui::SetNextItemWidth(em(14));
        input_text(f, "##case_ref", form_.case_ref, 0, "e.g. SAR 2026-03");
        track(f, "Case reference");
        label_column("Review title", label_width);
        ImGui::SetNextItemWidth(-1);
        input_text(f, "##case_title", form_.case_title);
        label_column("Agency", label_width);
        ImGui::SetNextItemWidth(-1);
        input_text(f, "##agency", form_.agency, 0, "Name of Agency");
        track(f, "Agency");
        label_column("Adult(s)", label_width);
        ImGui::SetNextItemWidth(-1);
        input_multiline(f, "##adults", form_.adults, ImVec2(-1, em(3.2f)));
        track(f, "Adults");
        ImGui::SetCursorPosX(em(label_width));
        muted("One per line: name or pseudonym, then the date of birth after a comma (e.g. Adult A, 12/05/1961)");
        label_column("Author", label_width);
        ImGui::SetNextItemWidth(em(14));
        input_text(f, "##author", form_.author, 0, "your name");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em(14));
        input_text(f, "##role", form_.role, 0, "your role");
        label_column("Contact details", label_width);
        ImGui::SetNextItemWidth(-1);
        input_text(f, "##contact", form_.contact, 0, "email and telephone");
        std::optional<domain::CivilDate> from, to, due;
        label_column("Review period from", label_width);
        bool dates_ok = date_field(f, "##from", form_.period_from, from);
        label_column("Review period to", label_width);
        dates_ok = date_field(f, "##to", form_.period_to, to) && dates_ok;
        label_column("Due", label_width);
        dates_ok = date_field(f, "##due", form_.due, due) && dates_ok;
        label_column("Terms of Reference", label_width);
        input_multiline(f, "##tor", form_.tor, ImVec2(-1, em(4.5f)));
        ImGui::SetCursorPosX(em(label_width));
        muted("One question per line. Each becomes a heading under Analysis.");

        domain::ImrHeader header;
        header.title = form_.title;
        header.case_info.reference = form_.case_ref;
        header.case_info.title = form_.case_title;
        header.case_info.period_from = from;
        header.case_info.period_to = to;
        header.case_info.due = due;
        header.agency = form_.agency;
        header.author_agency = form_.agency;
        header.author_name = form_.author;
        header.author_role = form_.role;
        header.author_contact = form_.contact;
        header.gap_threshold_days = app.settings().gap_threshold_days;
        std::string adult_error;
        for_each_line(form_.adults, [&](const std::string& line) {
            const auto comma = line.rfind(',');
            domain::Adult adult{line, std::nullopt};
            if (comma != std::string::npos) {
                std::string dob = line.substr(comma + 1);
                try {
                    adult.date_of_birth = domain::parse_date(dob);
                    adult.name = line.substr(0, comma);
                } catch (const domain::DateError& e) {
                    adult_error = "Date of birth of " + line.substr(0, comma) + ": " + e.what();
                }
            }
            header.adults.push_back(adult);
        });
        int number = 0;
        for_each_line(form_.tor, [&](const std::string& line) { header.case_info.terms_of_reference.push_back({++number, line}); });
        const auto issues = domain::validate(header);
        const bool ok = dates_ok && adult_error.empty() && !domain::has_errors(issues);
        ImGui::EndChild();
        ImGui::Separator();
        // What is still needed, in one line above the buttons.
        std::string needed;
        for (const auto& issue : issues)
            if (issue.severity == domain::Severity::Error) needed += (needed.empty() ? "Needed: " : "; ") + issue.message;
        if (!adult_error.empty()) error_text(adult_error);
        else if (!needed.empty()) muted(needed);
        else ImGui::NewLine();
        track(f, "New IMR needs");
        ImGui::BeginDisabled(!ok);
        if (primary_button(f, "Create IMR")) {
            domain::Id created;
            if (app.apply("Creating the IMR", [&](client::Workspace& ws) { created = ws.create_imr(header); })) {
                creating_ = false;
                wipe_form();
                app.open_imr(created);
            }
        }
        ImGui::EndDisabled();
        ImGui::SameLine();
        const bool typing = ImGui::IsAnyItemActive();  // Escape first leaves the text box
        if (button(f, "Cancel") || (!typing && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))) {
            creating_ = false;
            wipe_form();
        }
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        muted("Cancel (or Escape) goes back to your IMRs.");
    }

    template <typename Fn>
    static void for_each_line(const std::string& text, Fn fn) {
        std::size_t start = 0;
        while (start <= text.size()) {
            auto end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            std::string line = text.substr(start, end - start);
            while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
            while (!line.empty() && line.front() == ' ') line.erase(line.begin());
            if (!line.empty()) fn(line);
            start = end + 1;
        }
    }

    Form form_;
    bool creating_ = false;
    bool hide_reviewed_ = false;              // reviewer copies of the cases listed above
    std::vector<std::string> reviewed_cases_;
    std::optional<domain::Id> deleting_;
    std::string confirm_;
    bool open_delete_ = false;
};

}  // namespace

std::unique_ptr<View> make_home_view() { return std::make_unique<HomeView>(); }

}  // namespace imrdesk::ui
