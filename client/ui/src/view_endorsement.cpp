// Endorsement: the senior officer who commissioned the IMR endorses its findings. Before: the
// officer, role, declaration and date, with the pre-submission check's result (open problems need an
// explicit acknowledgement). After: what was endorsed, the SHA-256 of the content and whether the
// IMR still matches it; the IMR is read-only until the endorsement is withdrawn. An endorsed IMR of
// an enrolled profile is submitted from here to the review team (after a confirmation), and then
// says when the server received it.
#include <algorithm>
#include <ctime>

#include <imgui_internal.h>

#include "imrdesk/client/quality.hpp"
#include "style.hpp"
#include "imrdesk/client/soft_wrap.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "view.hpp"
#include "view_sync.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

const ImVec4 kGoodColour(0.10f, 0.55f, 0.20f, 1.0f);
constexpr const char* kWithdrawPopup = "Withdraw the endorsement?";
constexpr const char* kSubmitPopup = "Submit to the review team?";

std::string today_typed() { return platform::format_time(platform::unix_now(), "%d/%m/%Y", platform::Zone::Local); }

// "3f2a 9c01 ..." in two lines of eight groups: easier to read out and compare.
std::string grouped_hash(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 4) {
        if (i > 0) out += (i % 32 == 0) ? '\n' : ' ';
        out += hex.substr(i, 4);
    }
    return out;
}

class EndorsementView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        const auto* doc = app.current_imr();
        if (doc == nullptr) return;
        // The check and the hash are worked out when the view opens and after a change, not every frame.
        if (stale_ || imr_ != doc->id || status_ != doc->header.status) refresh(app, *doc);

        heading(f, "Endorsement");
        if (const auto* def = domain::ImrTemplate::builtin().find("endorsement")) muted(def->guidance);
        ImGui::Spacing();
        if (doc->endorsement && doc->read_only()) endorsed(f, *doc);
        else form(f, *doc);
        withdraw_dialog(f, *doc);
        submit_dialog(f, *doc);
    }

    void wipe() noexcept override {
        crypto::wipe(name_);
        crypto::wipe(role_);
        crypto::wipe(declaration_);
        crypto::wipe(date_);
        crypto::wipe(current_hash_);
        declaration_input_.wipe();
        understood_ = false;
        filled_ = false;
        stale_ = true;
    }

    void on_open() override { stale_ = true; }

private:
    void refresh(client::App& app, const client::ImrDocument& doc) {
        stale_ = false;
        imr_ = doc.id;
        status_ = doc.header.status;
        std::size_t errors = 0;
        warnings_ = 0;
        for (const auto& finding : client::presubmission_check(doc, domain::ImrTemplate::builtin()))
            (finding.severity == domain::Severity::Error ? errors : warnings_) += 1;
        if (errors != errors_) understood_ = false;  // the officer acknowledges what there is now
        errors_ = errors;
        crypto::wipe(current_hash_);
        current_hash_ = app.workspace().content_hash(doc.id);
        if (!filled_) {
            filled_ = true;
            declaration_ = domain::default_endorsement_declaration();
            date_ = today_typed();
        }
    }

    void form(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        if (doc.reviewer_copy) {
            wrapped("This IMR belongs to " + doc.header.agency +
                    ". You see it as a reviewer: it is read-only here, and its own agency endorses it.");
            return;
        }
        if (doc.read_only()) {
            wrapped("This IMR is " + std::string(domain::to_string(doc.header.status)) + " and read-only: it cannot be endorsed here.");
            return;
        }
        check_summary(f);
        ImGui::Spacing();
        ImGui::PushFont(f.fonts.bold);
        ImGui::TextUnformatted("The senior officer who commissioned this IMR");
        ImGui::PopFont();
        const float label = 9;
        label_column("Name", label);
        ImGui::SetNextItemWidth(em(22));
        input_text(f, "##officer_name", name_);
        track(f, "Officer name");
        label_column("Role", label);
        ImGui::SetNextItemWidth(em(22));
        input_text(f, "##officer_role", role_, 0, "e.g. Director of Nursing");
        track(f, "Officer role");
        label_column("Declaration", label);
        declaration_input_.draw(f, "##declaration", declaration_, 2, em(8));
        track(f, "Declaration");
        label_column("Date", label);
        ImGui::SetNextItemWidth(em(9));
        input_text(f, "##date", date_, 0, "dd/mm/yyyy");
        track(f, "Endorsement date");
        ImGui::SameLine();
        std::optional<domain::CivilDate> date;
        const bool date_ok = understood_exact_date(date_, date, "the date of endorsement is needed");

        bool acknowledged = true;
        if (errors_ > 0) {
            ImGui::SetCursorPosX(em(label));
            const std::string text = "I understand there " + std::string(errors_ == 1 ? "is " : "are ") +
                                     count_of(errors_, "unresolved problem", "unresolved problems");
            checkbox(f, text.c_str(), understood_);
            track(f, "I understand");
            acknowledged = understood_;
        }
        const auto blank = [](const std::string& s) { return s.find_first_not_of(" \t\n") == std::string::npos; };
        const bool ready = !blank(name_) && !blank(role_) && !blank(declaration_) && date && date_ok && acknowledged;
        ImGui::Spacing();
        ImGui::SetCursorPosX(em(label));
        ImGui::BeginDisabled(!ready);
        if (primary_button(f, "Record endorsement")) {
            domain::Endorsement e;
            e.officer_name = name_;
            e.officer_role = role_;
            e.declaration = declaration_;
            e.date = date;
            if (app.apply("Recording the endorsement", [imr = doc.id, &e](client::Workspace& ws) { ws.endorse(imr, e); })) {
                app.notify("Endorsement recorded. The IMR is now read-only.");
                wipe();
            }
        }
        ImGui::EndDisabled();
        if (!ready) {
            ImGui::SameLine();
            ImGui::AlignTextToFramePadding();
            muted(errors_ > 0 && !understood_ ? "Fill in every field and tick the box above." : "Fill in every field.");
        }
        ImGui::SetCursorPosX(em(label));
        muted("Recording the endorsement makes the IMR read-only. It keeps a SHA-256 fingerprint of the content as endorsed.");
    }

    void check_summary(const Frame& f) {
        auto& app = f.app;
        ImGui::AlignTextToFramePadding();
        if (errors_ > 0) {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
            ImGui::PushFont(f.fonts.bold);
            ImGui::TextUnformatted(("\xE2\x9C\x96 The pre-submission check finds " + count_of(errors_, "problem", "problems") +
                                    " to fix" + (warnings_ > 0 ? " and " + count_of(warnings_, "warning", "warnings") : std::string()) + ".")
                                       .c_str());
            ImGui::PopFont();
            ImGui::PopStyleColor();
        } else if (warnings_ > 0) {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
            ImGui::TextUnformatted(("\xE2\x96\xB2 The pre-submission check finds no problems, and " +
                                    count_of(warnings_, "warning", "warnings") + " to review.")
                                       .c_str());
            ImGui::PopStyleColor();
        } else {
            ImGui::PushStyleColor(ImGuiCol_Text, kGoodColour);
            ImGui::TextUnformatted("\xE2\x9C\x94 The pre-submission check finds nothing to fix.");
            ImGui::PopStyleColor();
        }
        track(f, "Endorsement check summary");
        ImGui::SameLine();
        if (button(f, "Open the quality check")) app.show(client::ImrView::Quality);
        if (errors_ > 0)
            wrapped("An IMR should go for endorsement complete. You can still record the endorsement, but the senior officer "
                    "must confirm that they know about the open problems.");
    }

    void endorsed(const Frame& f, const client::ImrDocument& doc) {
        const auto& e = doc.endorsement->value;
        ImGui::PushStyleColor(ImGuiCol_Text, kGoodColour);
        ImGui::PushFont(f.fonts.bold);
        const bool submitted = doc.header.status == domain::ImrStatus::Submitted || doc.submitted_at.has_value();
        ImGui::TextUnformatted(submitted ? "\xE2\x9C\x94 Endorsed and submitted" : "\xE2\x9C\x94 Endorsed");
        ImGui::PopFont();
        ImGui::PopStyleColor();
        track(f, "Endorsed");
        const float label = 11;
        label_column("Senior officer", label);
        ImGui::TextUnformatted(e.officer_name.c_str());
        label_column("Role", label);
        ImGui::TextUnformatted(e.officer_role.c_str());
        label_column("Date", label);
        ImGui::TextUnformatted(e.date ? uk_date(*e.date).c_str() : "-");
        label_column("Declaration", label);
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(e.declaration.c_str());
        ImGui::PopTextWrapPos();
        label_column("Content SHA-256", label);
        ImGui::PushFont(f.fonts.mono);
        const std::string hash = grouped_hash(e.content_hash);
        ImGui::TextUnformatted(hash.c_str());
        ImGui::PopFont();
        track(f, "Content hash");
        ImGui::Spacing();
        ImGui::SetCursorPosX(em(label));
        if (current_hash_ == e.content_hash) {
            ImGui::PushStyleColor(ImGuiCol_Text, kGoodColour);
            wrapped("\xE2\x9C\x94 The IMR's content still matches what was endorsed.");
            ImGui::PopStyleColor();
        } else {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
            wrapped("\xE2\x9C\x96 The IMR's content no longer matches what was endorsed. It should be endorsed again.");
            ImGui::PopStyleColor();
        }
        track(f, "Hash match");
        ImGui::Spacing();
        ImGui::Separator();
        if (doc.submitted_at) {
            ImGui::PushStyleColor(ImGuiCol_Text, kGoodColour);
            const std::string received = "\xE2\x9C\x94 Submitted, received by the server on " + uk_date_time(*doc.submitted_at) + ".";
            wrapped(received);
            ImGui::PopStyleColor();
            track_text(f, "Submitted", received);
            wrapped(doc.reviewer_copy ? "You see this IMR as a reviewer. It is read-only."
                                      : "The review team has it. It is read-only.");
            return;
        }
        if (doc.reviewer_copy) {
            wrapped("This IMR belongs to " + doc.header.agency + ". You see it as a reviewer: it is read-only.");
            return;
        }
        if (doc.header.status == domain::ImrStatus::Submitted) {
            wrapped("This IMR has been submitted. It is read-only.");
            return;
        }
        submission(f, doc);
        ImGui::Spacing();
        ImGui::Separator();
        wrapped("This IMR is now read-only. To change anything, the endorsement must be withdrawn; the IMR then goes back to "
                "draft and needs endorsing again.");
        if (danger_button(f, "Withdraw endorsement")) open_withdraw_ = true;
    }

    // Submitting: for an endorsed IMR of an enrolled profile that still matches its endorsement.
    void submission(const Frame& f, const client::ImrDocument& doc) {
        auto* service = f.app.sync();
        ImGui::PushFont(f.fonts.bold);
        ImGui::TextUnformatted("Submitting to the review team");
        ImGui::PopFont();
        if (service == nullptr || !service->state().link) {
            wrapped("To submit this IMR, enrol this computer with the review team's server first. Until then, your work stays on "
                    "this computer.");
            if (button(f, "Open the sync panel")) open_sync_panel(f);
            return;
        }
        const auto& queue = service->state().submit_queue;
        if (std::any_of(queue.begin(), queue.end(), [&](const auto& q) { return q.imr == doc.id; })) {
            wrapped("Waiting to be sent: the IMR goes to the review team at the next sync (" + service->view().summary + ").");
            track(f, "Submission waiting");
            if (button(f, "Open the sync panel")) open_sync_panel(f);
            return;
        }
        if (current_hash_ != doc.endorsement->value.content_hash) {
            wrapped("It cannot be submitted while its content differs from what was endorsed.");
            return;
        }
        wrapped("Submitting sends the endorsed IMR to the review team. After that it cannot be changed here.");
        if (primary_button(f, "Submit to the review team")) open_submit_ = true;
    }

    void submit_dialog(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        if (open_submit_) {
            ImGui::OpenPopup(kSubmitPopup);
            open_submit_ = false;
        }
        ImGui::SetNextWindowSize(ImVec2(em(32), 0));
        if (!ImGui::BeginPopupModal(kSubmitPopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
        wrapped("The IMR of " + doc.header.agency + " for " + doc.header.case_info.reference +
                ", as endorsed by " + (doc.endorsement ? doc.endorsement->value.officer_name : std::string("the senior officer")) +
                ", goes to the review team.");
        wrapped("It is sent at once when the server can be reached, otherwise at the next sync. After that it cannot be "
                "changed or withdrawn here.");
        ImGui::Spacing();
        if (primary_button(f, "Submit")) {
            auto* service = app.sync();
            try {
                if (service == nullptr) throw client::WorkspaceError("this profile is locked");
                service->replica().queue_submit(doc.id);
                service->refresh_counts();
                service->sync_now();
                app.notify("The IMR is queued for submission: it goes to the review team at the next sync.");
            } catch (const client::WorkspaceError& e) {
                app.notify(std::string("Not submitted: ") + e.what(), true);
            }
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        const bool cancel = button(f, "Not yet");
        ImGui::SetItemDefaultFocus();
        if (cancel || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }

    void withdraw_dialog(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        if (open_withdraw_) {
            ImGui::OpenPopup(kWithdrawPopup);
            open_withdraw_ = false;
        }
        ImGui::SetNextWindowSize(ImVec2(em(32), 0));
        if (!ImGui::BeginPopupModal(kWithdrawPopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
        wrapped("Editing this IMR needs the endorsement to be withdrawn.");
        wrapped("The IMR goes back to draft, the endorsement by " +
                (doc.endorsement ? doc.endorsement->value.officer_name : std::string("the senior officer")) +
                " is removed, and the senior officer will need to endorse it again before it is submitted.");
        ImGui::Spacing();
        if (danger_button(f, "Withdraw the endorsement")) {
            if (app.apply("Withdrawing the endorsement", [imr = doc.id](client::Workspace& ws) { ws.withdraw_endorsement(imr); }))
                app.notify("Endorsement withdrawn. The IMR is a draft again.");
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        const bool keep = button(f, "Keep the endorsement");
        ImGui::SetItemDefaultFocus();  // the safe choice has the keyboard focus
        if (keep || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }


    domain::Id imr_;
    domain::ImrStatus status_ = domain::ImrStatus::Draft;
    bool stale_ = true;
    std::size_t errors_ = 0;
    std::size_t warnings_ = 0;
    std::string current_hash_;
    bool filled_ = false;  // the declaration and date were prefilled
    std::string name_;
    std::string role_;
    std::string declaration_;
    WrappedInput declaration_input_;
    std::string date_;
    bool understood_ = false;
    bool open_withdraw_ = false;
    bool open_submit_ = false;
};

}  // namespace

std::unique_ptr<View> make_endorsement_view() { return std::make_unique<EndorsementView>(); }

}  // namespace imrdesk::ui
