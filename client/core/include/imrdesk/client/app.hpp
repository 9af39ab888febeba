#pragma once
// The kiosk client's state and commands, with no ImGui: views read this and call its commands,
// so the whole UI can be driven headless in tests. Long work (key derivation, import, opening a
// large vault) runs on a TaskRunner; results come back on the UI thread in tick().
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "imrdesk/client/profiles.hpp"
#include "imrdesk/client/quality.hpp"
#include "imrdesk/client/settings.hpp"
#include "imrdesk/client/sync_service.hpp"
#include "imrdesk/client/tasks.hpp"
#include "imrdesk/client/workspace.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::client {

enum class Screen { Profiles, CreateProfile, RecoveryKey, Unlock, Recover, Home, Imr, Case };
enum class ImrView { Sections, Chronology, Quality, Recommendations, Glossary, Names, Endorsement, Queries };
// The review team's case: who has submitted, the merged chronology, its timeline.
enum class CaseView { Dashboard, Merged, Timeline };

enum class SaveState { Saved, Unsaved, Error };

struct Notice {
    std::string text;
    bool error = false;
    double until = 0;  // seconds on the app clock
};

struct AppConfig {
    std::filesystem::path data_dir;
    std::optional<crypto::kdf::Params> kdf_for_new_profiles;  // empty: calibrate (tests pass fast params)
    std::function<double()> now;   // monotonic seconds; default: steady clock
    std::function<void()> wake;    // wakes an event-driven UI loop when background work finishes
    std::function<void()> on_lock; // the UI wipes its own buffers and the clipboard
    bool persist_settings = true;
    bool sync = true;  // run the sync engine while unlocked (it waits quietly when not enrolled)
    sync::EngineOptions sync_options;
};

// The text of the section being edited. The editor binds its text box to `text`; autosave makes
// it durable within a second of the last keystroke.
struct SectionDraft {
    domain::Id imr;
    std::string key;
    std::string text;
    bool dirty = false;
    double last_edit = 0;
};

class App {
public:
    static constexpr double kAutosaveDelay = 1.0;  // seconds after the last keystroke
    static constexpr double kRetryDelay = 5.0;     // between attempts while the disk is full
    static constexpr double kLockConfirmWindow = 15.0;  // a second Lock within it locks anyway
    // While a sync session runs, a tick answers the engine's calls for up to this long before the
    // frame is drawn: a large sync is not held to one call per frame (and the UI still draws ten
    // times a second, with the progress).
    static constexpr std::chrono::milliseconds kSyncBurst{100};

    explicit App(AppConfig config);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // --- what views read
    [[nodiscard]] Screen screen() const noexcept { return screen_; }
    [[nodiscard]] ImrView imr_view() const noexcept { return imr_view_; }
    [[nodiscard]] const std::vector<ProfileInfo>& profiles() const noexcept { return profiles_; }
    [[nodiscard]] const std::string& profile() const noexcept { return profile_; }
    [[nodiscard]] bool unlocked() const noexcept { return workspace_ != nullptr; }
    [[nodiscard]] Workspace& workspace();  // throws when locked
    [[nodiscard]] const ImrDocument* current_imr() const noexcept;
    [[nodiscard]] const std::string& current_section() const noexcept { return section_key_; }
    [[nodiscard]] const std::optional<domain::Id>& selected_entry() const noexcept { return selected_entry_; }
    [[nodiscard]] const std::optional<domain::Id>& selected_recommendation() const noexcept { return selected_recommendation_; }
    // The review team's case shown (Screen::Case), and whether the IMR shown was opened from it
    // (its back button then leads to the case).
    [[nodiscard]] const std::string& current_case() const noexcept { return case_; }
    [[nodiscard]] CaseView case_view() const noexcept { return case_view_; }
    [[nodiscard]] bool imr_from_case() const noexcept { return imr_from_case_; }
    [[nodiscard]] Settings& settings() noexcept { return settings_; }
    [[nodiscard]] bool busy() const { return tasks_.busy(); }
    [[nodiscard]] std::string busy_label() const { return tasks_.current_label(); }
    [[nodiscard]] const std::string& screen_error() const noexcept { return screen_error_; }
    [[nodiscard]] const std::string& recovery_key() const noexcept { return recovery_key_; }
    [[nodiscard]] SaveState save_state() const noexcept { return save_state_; }
    [[nodiscard]] const std::string& save_error() const noexcept { return save_error_; }
    [[nodiscard]] double last_saved_at() const noexcept { return last_saved_at_; }
    [[nodiscard]] const std::deque<Notice>& notices() const noexcept { return notices_; }
    [[nodiscard]] const std::filesystem::path& data_dir() const noexcept { return config_.data_dir; }
    [[nodiscard]] double now() const { return config_.now(); }
    [[nodiscard]] TaskRunner& tasks() noexcept { return tasks_; }
    // Sync while unlocked (null when locked or disabled in AppConfig).
    [[nodiscard]] SyncService* sync() noexcept { return sync_.get(); }
    // A sync session is running: the window loop draws without waiting for the screen meanwhile.
    [[nodiscard]] bool syncing() const noexcept;

    // --- profiles and locking
    void refresh_profiles();
    void show_profiles();
    void choose_profile(const std::string& name);
    void show_create_profile();
    void show_recover();
    void create_profile(const std::string& name, crypto::SecureBuffer passphrase);
    void confirm_recovery_key_stored();
    void unlock(crypto::SecureBuffer passphrase);
    void recover(const std::string& recovery_key, crypto::SecureBuffer new_passphrase);
    void open_demo();
    // The fictional review team's profile: a case with three agencies, two of which submitted,
    // and queries going back and forth (client/demo.hpp).
    void open_review_demo();
    // Saves what is pending, wipes every decrypted thing, and shows the unlock screen. Unlocking
    // returns to the same place.
    void lock();
    // The author's Lock (Ctrl+L, the Lock button). Locks, unless edits wait that the full disk
    // would not take and a lock would lose: then it says which, and a second request within
    // kLockConfirmWindow locks anyway. (The text of the section being edited is never lost: a
    // lock keeps it sealed to this device's key and saves it after unlocking.)
    bool request_lock();
    // The last save failed because the disk is full; edits are kept and tried every kRetryDelay.
    [[nodiscard]] bool disk_full() const noexcept { return disk_full_; }

    // --- navigation
    void go_home();
    void open_imr(const domain::Id& imr);
    void open_case(const std::string& case_reference);
    void show(CaseView view);
    // From the case (a merged row, a timeline mark): the agency's IMR at that entry; back leads
    // to the case.
    void open_case_entry(const domain::Id& imr, const domain::Id& entry);
    void back_to_case();
    void show(ImrView view);
    void select_section(const std::string& key);
    void select_entry(std::optional<domain::Id> entry);
    void select_recommendation(std::optional<domain::Id> recommendation);
    // Leads to where a finding is (quality checks, search).
    void go_to(const Place& place);

    // --- editing
    [[nodiscard]] SectionDraft& draft() noexcept { return draft_; }
    void draft_changed();  // the editor changed draft().text
    // Stages an edit from a form (header, entry panel, recommendation ...): it is applied after
    // kAutosaveDelay without further change, and on flush, lock and navigation. A later stage()
    // replaces an earlier one that has not been applied yet only when `what` is the same.
    void stage(const std::string& what, std::function<void(Workspace&)> change);
    [[nodiscard]] bool has_staged() const noexcept { return !staged_.empty(); }
    // Saves the draft and staged edits now (Ctrl+S, switching section, lock, exit). False when
    // something could not be saved (the reason is in save_error()).
    bool flush();
    // Runs one change against the workspace, reporting errors as a notice. Pending drafts are
    // saved first. Returns whether the change was made.
    bool apply(const std::string& what, const std::function<void(Workspace&)>& change);

    // --- time
    void note_activity();  // any input: postpones auto-lock
    void tick();           // runs background results, autosave and auto-lock when due
    // How long the UI may sleep before tick() has something to do (autosave, auto-lock, notices).
    [[nodiscard]] double seconds_until_next_timer() const;

    void notify(std::string text, bool error = false);
    void save_settings();

private:
    void after_unlock(std::unique_ptr<Workspace> workspace, const std::string& profile);
    void load_draft();
    void set_screen_error(std::string message);

    AppConfig config_;
    TaskRunner tasks_;
    Settings settings_;
    bool settings_loaded_ = false;
    Screen screen_ = Screen::Profiles;
    ImrView imr_view_ = ImrView::Sections;
    std::vector<ProfileInfo> profiles_;
    std::string profile_;
    std::unique_ptr<Workspace> workspace_;
    std::unique_ptr<SyncService> sync_;  // declared after the workspace: destroyed (stopped) before it
    std::optional<domain::Id> imr_;
    std::string section_key_ = "summary";
    std::optional<domain::Id> selected_entry_;
    std::optional<domain::Id> selected_recommendation_;
    std::string case_;
    CaseView case_view_ = CaseView::Dashboard;
    bool imr_from_case_ = false;
    SectionDraft draft_;
    struct Staged {
        std::string what;
        std::function<void(Workspace&)> change;
        double last_edit = 0;
        bool failed = false;  // not retried until the next stage() of the same edit
    };
    std::vector<Staged> staged_;
    std::string screen_error_;
    std::string recovery_key_;
    SaveState save_state_ = SaveState::Saved;
    std::string save_error_;
    bool disk_full_ = false;
    double lock_confirm_until_ = -1;
    // The section text a lock could not save (the disk was full), sealed to the profile's device
    // key: no secret is needed to seal it, and only that profile, unlocked, opens it.
    struct HeldDraft {
        std::string profile;
        std::vector<std::uint8_t> box;
    };
    std::optional<HeldDraft> held_draft_;
    void restore_held_draft();
    double last_saved_at_ = 0;
    double last_activity_ = 0;
    std::deque<Notice> notices_;
    std::optional<Screen> resume_screen_;  // where to go back after unlocking
};

}  // namespace imrdesk::client
