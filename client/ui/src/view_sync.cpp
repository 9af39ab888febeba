// The sync panel. Not enrolled: the enrolment form (paste the one-time code from the review team).
// Enrolled: where this computer syncs and as whom, what waits to be sent, conflicts, progress,
// "Sync now", what the server received for each case, and recent activity. Offline is normal
// here: it is said plainly, never as an error.
#include "view_sync.hpp"
#include "style.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>

#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "view_conflicts.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string short_time(std::int64_t unix_seconds) { return uk_date_time(unix_seconds); }

void track_text(const Frame& f, const std::string& label, const std::string& text) {
    if (f.items == nullptr) return;
    track(f, label);
    track(f, label + ": " + text);
}

void next_panel_size(float width_em) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(em(width_em), viewport->WorkSize.x - em(2)), viewport->WorkSize.y - em(2.5f)));
}

namespace {

constexpr const char* kPopup = "Sync with the review team";
constexpr float kLabel = 11;  // em: the label column

using State = sync::EngineStatus::State;
using Enrolment = sync::EngineStatus::Enrolment;

// Error messages from the parser start in lower case ("the enrolment code has ..."): a sentence here.
std::string sentence(std::string text) {
    if (!text.empty() && text.front() >= 'a' && text.front() <= 'z') text.front() = static_cast<char>(text.front() - 'a' + 'A');
    if (!text.empty() && text.back() != '.') text += '.';
    return text;
}

std::string seconds_in_words(double seconds) {
    const auto s = static_cast<long>(seconds + 0.5);
    if (s < 2) return "a moment";
    if (s < 90) return std::to_string(s) + " seconds";
    const long minutes = (s + 30) / 60;
    return minutes == 1 ? "a minute" : std::to_string(minutes) + " minutes";
}

// "3F2A 9C01 ..." in lines of eight groups, as the server's `fingerprint` command prints it (on one
// line): easier to read out and compare.
std::string grouped_hex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 4) {
        if (i > 0) out += (i % 32 == 0) ? '\n' : ' ';
        out += hex.substr(i, 4);
    }
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string membership_text(const sync::Membership& m) {
    return std::string(m.role == sync::Role::Author ? "Author" : "Reviewer") + ", " + m.agency + ", case " + m.case_reference;
}

void bold(const Frame& f, const std::string& text) {
    ImGui::PushFont(f.fonts.bold);
    wrapped(text);
    ImGui::PopFont();
}

class SyncView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        if (f.requests->open_sync) {
            f.requests->open_sync = false;
            if (app.sync() != nullptr) ImGui::OpenPopup(kPopup);
        }
        next_panel_size(48);
        if (!ImGui::BeginPopupModal(kPopup, nullptr, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove))
            return;
        auto* service = app.sync();
        if (service == nullptr) {  // locked meanwhile
            ImGui::CloseCurrentPopup();
            ImGui::EndPopup();
            return;
        }
        const bool typing = ImGui::IsAnyItemActive();  // Escape then leaves the text box, not the panel
        const bool appearing = ImGui::IsWindowAppearing();
        if (appearing) status_height_ = 0;
        const client::SyncView v = service->view();
        const float footer = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
        ImGui::BeginChild("sync_body", ImVec2(0, -footer));
        if (v.enrolled) {
            if (v.engine.enrolment == Enrolment::Done && !code_.empty()) wipe_form();
            enrolled(f, *service, v);
        } else {
            enrol_form(f, *service, v, appearing);
        }
        ImGui::EndChild();
        ImGui::Separator();
        if (v.enrolled) {
            ImGui::BeginDisabled(v.engine.state == State::Syncing);
            if (primary_button(f, "Sync now")) service->sync_now();
            ImGui::EndDisabled();
            ImGui::SameLine();
        }
        if (button(f, "Close") || (!typing && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }

    void wipe() noexcept override { wipe_form(); }

private:
    void wipe_form() noexcept {
        crypto::wipe(code_);
        crypto::wipe(device_name_);
        crypto::wipe(code_error_);
    }

    void enrol_form(const Frame& f, client::SyncService& service, const client::SyncView& v, bool appearing) {
        heading(f, "This computer is not enrolled");
        track(f, "Not enrolled");
        wrapped("Your work stays on this computer, and everything works offline. Enrolling this computer with the review "
                "team's server sends your IMR to the review team when it is submitted, keeps your other computers up to date, "
                "and brings in the case details the Safeguarding Adults Board sets.");
        ImGui::Spacing();
        wrapped("The review team's administrator gives you a one-time enrolment code. Paste it here: the dashes, spaces "
                "and line breaks in it do not matter.");
        if (appearing) ImGui::SetKeyboardFocusHere();  // keyboard first: paste at once
        if (input_multiline(f, "##enrolment_code", code_, ImVec2(-1, em(4.5f)))) crypto::wipe(code_error_);
        track(f, "Enrolment code");
        if (!code_error_.empty()) {
            error_text(code_error_);
            track_text(f, "Enrolment code problem", code_error_);
        }
        ImGui::Spacing();
        label_column("Device name", kLabel);
        ImGui::SetNextItemWidth(em(22));
        input_text(f, "##device_name", device_name_);
        track(f, "Device name");
        ImGui::SetCursorPosX(em(kLabel));
        muted("Optional: how the server lists this computer, e.g. \"Adult Social Care laptop 4\". Left empty, its network name "
              "is used.");
        ImGui::Spacing();

        const bool running = v.engine.enrolment == Enrolment::Running;
        const bool blank = code_.find_first_not_of(" \t\r\n-") == std::string::npos;
        ImGui::BeginDisabled(running || blank);
        if (primary_button(f, "Enrol this computer")) {
            try {
                service.enrol(code_, device_name_);
                crypto::wipe(code_error_);
            } catch (const sync::EnrolmentCodeError& e) {
                code_error_ = "This code cannot be used. " + sentence(e.what());
            } catch (const std::exception& e) {
                code_error_ = "Enrolling did not start: " + sentence(e.what());
            }
        }
        ImGui::EndDisabled();
        switch (v.engine.enrolment) {
            case Enrolment::Running: spinner("Enrolling: contacting the server..."); break;
            case Enrolment::Failed:
                error_text("Enrolment failed: " + sentence(v.engine.enrolment_error) +
                           " Check the code and that this computer can reach the server, then try again.");
                track_text(f, "Enrolment failed", v.engine.enrolment_error);
                break;
            case Enrolment::Done:  // the link is stored: the next frame shows the enrolled panel
            case Enrolment::None: break;
        }
    }

    void enrolled(const Frame& f, client::SyncService& service, const client::SyncView& v) {
        const auto& state = service.state();
        const auto& link = *state.link;
        // The explanation under the status comes and goes as the engine retries (Offline has a
        // paragraph, Syncing none). The area keeps the tallest height it has had since the panel
        // opened, so the rows and buttons below never jump under the author's pointer.
        const float top = ImGui::GetCursorPosY();
        status(f, v);
        const float height = ImGui::GetCursorPosY() - top;
        if (height < status_height_)
            ImGui::Dummy(ImVec2(0, std::max(0.0f, status_height_ - height - ImGui::GetStyle().ItemSpacing.y)));
        status_height_ = std::max(status_height_, height);
        ImGui::Spacing();

        label_column("Server", kLabel);
        ImGui::TextUnformatted(link.address().c_str());
        track_text(f, "Server address", link.address());
        label_column("Server key", kLabel);
        ImGui::PushFont(f.fonts.mono);
        const std::string fingerprint = grouped_hex(crypto::to_hex(link.fingerprint));
        ImGui::TextUnformatted(fingerprint.c_str());
        ImGui::PopFont();
        track_text(f, "Server key fingerprint", fingerprint);
        ImGui::SetCursorPosX(em(kLabel));
        muted("The server's fingerprint, pinned when this computer was enrolled. The review team can read theirs out to compare.");
        label_column("This computer", kLabel);
        ImGui::PushFont(f.fonts.mono);
        ImGui::TextUnformatted(link.device_id.hex().c_str());
        ImGui::PopFont();
        track(f, "Device id");
        label_column("Enrolled as", kLabel);
        ImGui::BeginGroup();
        std::string memberships;
        for (const auto& m : link.memberships) {
            wrapped(membership_text(m));
            memberships += (memberships.empty() ? "" : "\n") + membership_text(m);
        }
        if (link.memberships.empty()) muted("no case yet");
        ImGui::EndGroup();
        track_text(f, "Memberships", memberships);

        label_column("Last synced", kLabel);
        if (state.last_sync) {
            wrapped(short_time(*state.last_sync) + ", " + client::ago(unix_now() - *state.last_sync));
        } else {
            muted("not yet");
        }
        label_column("Waiting to send", kLabel);
        const std::string pending = v.pending == 0 ? std::string("nothing") : std::to_string(v.pending) + (v.pending == 1 ? " change" : " changes");
        wrapped(pending);
        track_text(f, "Changes waiting", pending);
        label_column("Conflicts", kLabel);
        if (v.conflicts == 0) {
            ImGui::TextUnformatted("none");
        } else {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
            ImGui::TextUnformatted((std::to_string(v.conflicts) + " to resolve").c_str());
            ImGui::PopStyleColor();
            ImGui::SameLine();
            if (button(f, "Resolve conflicts")) {
                open_conflicts_panel(f);
                ImGui::CloseCurrentPopup();
            }
        }
        track(f, "Conflicts count");
        if (v.engine.progress) {
            const auto& p = *v.engine.progress;
            label_column("Now", kLabel);
            if (p.total > 0) {
                const float done = static_cast<float>(p.done) / static_cast<float>(p.total);
                const std::string text = p.stage + ": " + std::to_string(p.done) + " of " + std::to_string(p.total);
                ImGui::ProgressBar(std::min(1.0f, done), ImVec2(-1, 0), text.c_str());
            } else {
                wrapped(p.stage + (p.done > 0 ? ": " + std::to_string(p.done) + " so far" : std::string("...")));
            }
            track(f, "Sync progress");
        }
        cases(f, state);
        activity(f, state, v);
    }

    static void status(const Frame& f, const client::SyncView& v) {
        ImGui::PushFont(f.fonts.bold);
        if (v.summary_is_problem) ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
        if (v.engine.state == State::Syncing) spinner(v.summary.c_str());
        else wrapped(v.summary);
        if (v.summary_is_problem) ImGui::PopStyleColor();
        ImGui::PopFont();
        track_text(f, "Sync summary", v.summary);
        switch (v.engine.state) {
            case State::Offline:
                muted("The server cannot be reached just now (" + v.engine.last_error +
                      "). That is normal away from the office network: your work is kept on this computer and sent when the "
                      "server can be reached. Next try in " + seconds_in_words(v.engine.next_attempt_in) + ".");
                break;
            case State::Refused:
                error_text("The server refused this computer: " + sentence(v.engine.last_error) +
                           " Ask the review team's administrator.");
                break;
            case State::Waiting:
                muted("Syncs every minute while the server can be reached, and soon after each change. Next sync in " +
                      seconds_in_words(v.engine.next_attempt_in) + ".");
                break;
            case State::Syncing:
            case State::NotEnrolled:
            case State::Stopped: break;
        }
    }

    static void cases(const Frame& f, const client::SyncProfileState& state) {
        if (state.cases.empty()) return;
        ImGui::Spacing();
        ImGui::Separator();
        heading(f, "What the review team has received");
        for (const auto& c : state.cases) {
            ImGui::PushID(c.reference.c_str());
            ImGui::Spacing();
            bold(f, c.reference + (c.title.empty() ? std::string() : ": " + c.title));
            if (c.due) muted("IMRs are due by " + uk_date(*c.due) + ".");
            if (c.submissions.empty()) {
                muted("No IMR has been submitted for this case yet.");
            } else {
                const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
                if (ImGui::BeginTable("submissions", 2, flags)) {
                    ImGui::TableSetupColumn("Agency", ImGuiTableColumnFlags_WidthStretch, 2.0f);
                    ImGui::TableSetupColumn("Received by the server", ImGuiTableColumnFlags_WidthStretch, 1.0f);
                    ImGui::TableHeadersRow();
                    for (const auto& s : c.submissions) {
                        ImGui::TableNextRow();
                        ImGui::TableNextColumn();
                        wrapped(s.agency);
                        track(f, "Submission received: " + c.reference + ", " + s.agency);
                        ImGui::TableNextColumn();
                        const auto at = static_cast<std::int64_t>(s.received_at);
                        wrapped(short_time(at) + ", " + client::ago(unix_now() - at));
                    }
                    ImGui::EndTable();
                }
            }
            ImGui::PopID();
        }
    }

    static void activity(const Frame& f, const client::SyncProfileState& state, const client::SyncView& v) {
        constexpr std::size_t kShown = 20;
        ImGui::Spacing();
        ImGui::Separator();
        heading(f, "Recent activity");
        if (v.engine.events.empty() && state.log.empty()) {
            muted("Nothing yet.");
            return;
        }
        if (!v.engine.events.empty()) {
            muted("Since this profile was unlocked:");
            ImGui::Indent(em(1));
            for (std::size_t i = 0; i < std::min(kShown, v.engine.events.size()); ++i) wrapped(v.engine.events[i]);
            ImGui::Unindent(em(1));
        }
        if (!state.log.empty()) {
            muted("Merges, conflicts and submissions:");
            ImGui::Indent(em(1));
            for (std::size_t i = 0; i < std::min(kShown, state.log.size()); ++i) wrapped(state.log[i]);
            ImGui::Unindent(em(1));
        }
        track(f, "Recent activity");
    }

    std::string code_;  // a one-time secret until it is redeemed: wiped on lock and once enrolled
    std::string device_name_;
    std::string code_error_;
    float status_height_ = 0;  // the status area's tallest height since the panel opened
};

}  // namespace

std::unique_ptr<View> make_sync_view() { return std::make_unique<SyncView>(); }

void open_sync_panel(const Frame& f) { f.requests->open_sync = true; }

}  // namespace imrdesk::ui
