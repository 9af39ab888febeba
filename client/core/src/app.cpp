#include "imrdesk/client/app.hpp"

#include <algorithm>

#include "imrdesk/client/demo.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/platform/file_lock.hpp"
#include "imrdesk/platform/sqlite.hpp"

namespace imrdesk::client {
namespace {

// When the disk is full (SQLite's SQLITE_FULL): what the author is told.
std::optional<std::string> disk_full_message(const std::exception& e) {
    constexpr int kSqliteFull = 13;
    const auto* sql = dynamic_cast<const platform::sql::Error*>(&e);
    if (sql == nullptr || (sql->code() & 0xff) != kSqliteFull) return std::nullopt;
    std::string where;
    if (!sql->file().empty()) where = " (" + sql->file().parent_path().string() + ")";
    return "Not saved: the disk is full" + where +
           ". What you typed stays here and is saved as soon as there is room: free some space, or ask IT support.";
}


constexpr double kNoticeSeconds = 6.0;

std::function<double()> steady_clock_seconds() {
    return [] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    };
}

// A message a practitioner understands for what went wrong while opening a profile.
std::string describe_open_error(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const WrongPassphrase& e) {
        if (e.retry_after().count() > 0)
            return "That passphrase is not right. Wait " + std::to_string(e.retry_after().count()) +
                   " seconds before trying again.";
        return "That passphrase is not right. Check Caps Lock and try again.";
    } catch (const UnlockDelayed& e) {
        return "Too many wrong passphrases. Wait " + std::to_string(e.wait().count()) + " seconds before trying again.";
    } catch (const WrongRecoveryKey&) {
        return "This recovery key does not open this profile. Check you have the key for this profile.";
    } catch (const crypto::FormatError& e) {
        return std::string("The recovery key is not right: ") + e.what();
    } catch (const platform::LockedByOtherProcess&) {
        return "This profile is already open in another imrdesk window. Close it there first.";
    } catch (const VaultDamaged& e) {
        return std::string("The profile's file is damaged: ") + e.what() + ".";
    } catch (const VaultTampered& e) {
        return std::string("The profile's file has been altered and cannot be trusted: ") + e.what() +
               ". Contact IT support.";
    } catch (const std::exception& e) {
        return std::string("The profile could not be opened: ") + e.what();
    }
}

}  // namespace

App::App(AppConfig config)
    : config_(std::move(config)), tasks_(config_.wake) {
    if (!config_.now) config_.now = steady_clock_seconds();
    bool ok = false;
    if (config_.persist_settings) settings_ = Settings::load(config_.data_dir / "settings.json", &ok);
    settings_loaded_ = ok;
    last_activity_ = now();
    refresh_profiles();
    if (profiles_.empty()) {
        screen_ = Screen::CreateProfile;
    } else if (profiles_.size() == 1 || std::any_of(profiles_.begin(), profiles_.end(),
                                                    [&](const ProfileInfo& p) { return p.name == settings_.last_profile; })) {
        profile_ = profiles_.size() == 1 ? profiles_.front().name : settings_.last_profile;
        screen_ = Screen::Unlock;
    }
}

App::~App() {
    tasks_.drain();
    if (workspace_) flush();
    crypto::wipe(draft_.text);
    crypto::wipe(recovery_key_);
}

Workspace& App::workspace() {
    if (!workspace_) throw WorkspaceError("the profile is locked");
    return *workspace_;
}

const ImrDocument* App::current_imr() const noexcept {
    if (!workspace_ || !imr_) return nullptr;
    return workspace_->find(*imr_);
}

void App::set_screen_error(std::string message) { screen_error_ = std::move(message); }

void App::notify(std::string text, bool error) {
    notices_.push_back({std::move(text), error, now() + (error ? 2 * kNoticeSeconds : kNoticeSeconds)});
    while (notices_.size() > 4) notices_.pop_front();
}

void App::save_settings() {
    if (!config_.persist_settings) return;
    try {
        // Never overwrite a settings file we could not read: it may hold choices worth keeping.
        if (settings_loaded_ || !std::filesystem::exists(config_.data_dir / "settings.json"))
            settings_.save(config_.data_dir / "settings.json");
    } catch (const std::exception& e) {
        notify(std::string("Settings could not be saved: ") + e.what(), true);
    }
}

// ---- profiles and locking --------------------------------------------------------------------

void App::refresh_profiles() { profiles_ = list_profiles(config_.data_dir); }

void App::show_profiles() {
    if (unlocked()) return;
    refresh_profiles();
    screen_error_.clear();
    screen_ = Screen::Profiles;
}

void App::choose_profile(const std::string& name) {
    if (unlocked()) return;
    profile_ = name;
    screen_error_.clear();
    screen_ = Screen::Unlock;
}

void App::show_create_profile() {
    if (unlocked()) return;
    screen_error_.clear();
    screen_ = Screen::CreateProfile;
}

void App::show_recover() {
    if (unlocked() || profile_.empty()) return;
    screen_error_.clear();
    screen_ = Screen::Recover;
}

void App::create_profile(const std::string& name, crypto::SecureBuffer passphrase) {
    if (busy()) return;
    std::filesystem::path file;
    try {
        file = vault_file(config_.data_dir, name);
    } catch (const std::invalid_argument& e) {
        set_screen_error(std::string("Choose another name: ") + e.what() + ".");
        return;
    }
    if (std::filesystem::exists(file)) {
        set_screen_error("A profile called '" + name + "' already exists on this computer.");
        return;
    }
    screen_error_.clear();
    auto secret = std::make_shared<crypto::SecureBuffer>(std::move(passphrase));
    CreateOptions options;
    options.kdf = config_.kdf_for_new_profiles;
    tasks_.post("Creating the profile and measuring this computer", [this, file, secret, options, name]() -> TaskRunner::Continuation {
        try {
            auto created = Vault::create(file, secret->view(), options);
            secret->reset();
            auto workspace = std::make_unique<Workspace>(std::move(created.vault));
            auto key = std::make_shared<std::string>(std::move(created.recovery_key));
            auto ws = std::make_shared<std::unique_ptr<Workspace>>(std::move(workspace));
            return [this, ws, key, name] {
                recovery_key_ = std::move(*key);
                crypto::wipe(*key);
                workspace_ = std::move(*ws);
                profile_ = name;
                refresh_profiles();
                screen_ = Screen::RecoveryKey;
            };
        } catch (...) {
            auto message = describe_open_error(std::current_exception());
            return [this, message] { set_screen_error(message); };
        }
    });
}

void App::confirm_recovery_key_stored() {
    crypto::wipe(recovery_key_);
    if (!workspace_) return;
    settings_.last_profile = profile_;
    save_settings();
    screen_ = Screen::Home;
}

void App::unlock(crypto::SecureBuffer passphrase) {
    if (busy() || profile_.empty()) return;
    const auto file = vault_file(config_.data_dir, profile_);
    auto secret = std::make_shared<crypto::SecureBuffer>(std::move(passphrase));
    screen_error_.clear();
    const std::string profile = profile_;
    tasks_.post("Unlocking", [this, file, secret, profile]() -> TaskRunner::Continuation {
        try {
            auto workspace = std::make_unique<Workspace>(Vault::open(file, secret->view()));
            secret->reset();
            auto ws = std::make_shared<std::unique_ptr<Workspace>>(std::move(workspace));
            return [this, ws, profile] { after_unlock(std::move(*ws), profile); };
        } catch (...) {
            secret->reset();
            auto message = describe_open_error(std::current_exception());
            return [this, message] { set_screen_error(message); };
        }
    });
}

void App::recover(const std::string& recovery_key, crypto::SecureBuffer new_passphrase) {
    if (busy() || profile_.empty()) return;
    const auto file = vault_file(config_.data_dir, profile_);
    auto secret = std::make_shared<crypto::SecureBuffer>(std::move(new_passphrase));
    auto key = std::make_shared<crypto::SecureBuffer>(crypto::SecureBuffer::copy_of(recovery_key));
    screen_error_.clear();
    const std::string profile = profile_;
    tasks_.post("Opening with the recovery key", [this, file, secret, key, profile]() -> TaskRunner::Continuation {
        try {
            auto workspace = std::make_unique<Workspace>(Vault::recover(file, key->view(), secret->view()));
            auto ws = std::make_shared<std::unique_ptr<Workspace>>(std::move(workspace));
            return [this, ws, profile] {
                after_unlock(std::move(*ws), profile);
                notify("The new passphrase is set. Your recovery key still works: keep it safe.");
            };
        } catch (...) {
            auto message = describe_open_error(std::current_exception());
            return [this, message] { set_screen_error(message); };
        }
    });
}

void App::open_demo() {
    if (busy() || unlocked()) return;
    tasks_.post("Opening the demo profile", [this]() -> TaskRunner::Continuation {
        try {
            auto ws = std::make_shared<std::unique_ptr<Workspace>>(open_or_create_demo(config_.data_dir));
            return [this, ws] {
                refresh_profiles();
                after_unlock(std::move(*ws), std::string(kDemoProfile));
                if (!workspace_->imrs().empty()) open_imr(workspace_->imrs().front().id);
            };
        } catch (...) {
            auto message = describe_open_error(std::current_exception());
            return [this, message] { set_screen_error(message); };
        }
    });
}

void App::open_review_demo() {
    if (busy() || unlocked()) return;
    tasks_.post("Opening the review team's demo profile", [this]() -> TaskRunner::Continuation {
        try {
            auto ws = std::make_shared<std::unique_ptr<Workspace>>(open_or_create_review_demo(config_.data_dir));
            return [this, ws] {
                refresh_profiles();
                after_unlock(std::move(*ws), std::string(kReviewDemoProfile));
                open_case(workspace_->imrs().empty() ? std::string() : workspace_->imrs().front().header.case_info.reference);
            };
        } catch (...) {
            auto message = describe_open_error(std::current_exception());
            return [this, message] { set_screen_error(message); };
        }
    });
}

void App::after_unlock(std::unique_ptr<Workspace> workspace, const std::string& profile) {
    workspace_ = std::move(workspace);
    if (config_.sync) {
        sync_ = std::make_unique<SyncService>(*workspace_, config_.wake, config_.sync_options);
        sync_->start();
    }
    profile_ = profile;
    screen_error_.clear();
    last_activity_ = now();
    settings_.last_profile = profile_;
    save_settings();
    for (const auto& problem : workspace_->load_problems()) notify(problem.message, true);
    if (resume_screen_ == Screen::Case && !case_.empty()) {
        screen_ = Screen::Case;
    } else if (resume_screen_ && imr_ && workspace_->find(*imr_) != nullptr) {
        screen_ = *resume_screen_;
        load_draft();
    } else {
        imr_.reset();
        screen_ = Screen::Home;
    }
    resume_screen_.reset();
    restore_held_draft();
}

bool App::request_lock() {
    if (!workspace_) return false;
    flush();
    std::string waiting;
    std::size_t count = 0;
    for (const auto& s : staged_) {
        if (s.failed) continue;  // invalid: the author was told, and it is not kept past a lock
        waiting += (count++ == 0 ? "" : ", ") + s.what;
    }
    if (disk_full_ && count > 0 && now() > lock_confirm_until_) {
        lock_confirm_until_ = now() + kLockConfirmWindow;
        notify("Not locked: " + waiting + (count == 1 ? " is" : " are") +
                   " not saved because the disk is full, and locking would lose " + (count == 1 ? "it" : "them") +
                   ". Free some space, or lock again within " + std::to_string(static_cast<int>(kLockConfirmWindow)) +
                   " seconds to lock anyway.",
               true);
        return false;
    }
    lock_confirm_until_ = -1;
    lock();
    return true;
}

void App::lock() {
    if (!workspace_) return;
    flush();
    const bool was_full = disk_full_;
    std::string lost;  // edits the full disk would not take, and a lock cannot keep
    for (const auto& s : staged_)
        if (!s.failed) lost += (lost.empty() ? "" : ", ") + s.what;
    staged_.clear();  // what could not be saved (invalid) is not kept in memory past a lock
    bool held = false;
    if (draft_.dirty && workspace_->find(draft_.imr) != nullptr) {
        // The full disk would not take the section text: it is kept sealed to this device's key,
        // which no one can open without unlocking the profile, and saved after unlocking.
        std::string packed = draft_.imr.hex() + "\n" + draft_.key + "\n" + draft_.text;
        held_draft_ = HeldDraft{profile_, workspace_->vault().device_key().public_key().seal(
                                              {reinterpret_cast<const std::uint8_t*>(packed.data()), packed.size()})};
        crypto::wipe(packed);
        held = true;
    }
    resume_screen_ = screen_ == Screen::Imr || screen_ == Screen::Case ? screen_ : Screen::Home;
    crypto::wipe(draft_.text);
    draft_.dirty = false;
    draft_.key.clear();
    crypto::wipe(recovery_key_);
    if (config_.on_lock) config_.on_lock();  // the UI wipes its buffers and the clipboard
    sync_.reset();       // stops the engine first: it must not wait on a workspace that is going
    workspace_.reset();  // the workspace wipes every decrypted string it held
    screen_error_.clear();
    notices_.clear();
    screen_ = Screen::Unlock;
    disk_full_ = false;
    if (held || !lost.empty()) {
        screen_error_ = was_full ? "Locked while the disk was full." : "Locked while the last changes could not be saved.";
        if (held) screen_error_ += " The section text you were writing is kept, sealed, and saved when you unlock.";
        if (!lost.empty()) screen_error_ += " Not kept: " + lost + ".";
    }
}

void App::restore_held_draft() {
    if (!held_draft_ || held_draft_->profile != profile_ || !workspace_) return;
    const auto box = std::move(held_draft_->box);
    held_draft_.reset();
    std::string packed;
    try {
        const auto opened = workspace_->vault().device_key().open_sealed(box);
        packed.assign(reinterpret_cast<const char*>(opened.data()), opened.size());
    } catch (const std::exception& e) {
        notify(std::string("The text kept at the lock could not be opened: ") + e.what(), true);
        return;
    }
    const auto first = packed.find('\n');
    const auto second = first == std::string::npos ? std::string::npos : packed.find('\n', first + 1);
    std::optional<domain::Id> imr;
    if (second != std::string::npos) {
        try {
            imr = domain::Id::from_hex(packed.substr(0, first));
        } catch (const std::exception&) {
        }
    }
    if (!imr || workspace_->find(*imr) == nullptr) {
        crypto::wipe(packed);
        notify("The text kept at the lock belongs to an IMR that is no longer here; it was not restored.", true);
        return;
    }
    imr_ = *imr;
    section_key_ = packed.substr(first + 1, second - first - 1);
    imr_view_ = ImrView::Sections;
    screen_ = Screen::Imr;
    crypto::wipe(draft_.text);
    draft_.imr = *imr;
    draft_.key = section_key_;
    draft_.text = packed.substr(second + 1);
    crypto::wipe(packed);
    draft_.dirty = true;
    draft_.last_edit = now() - kAutosaveDelay;  // saved at the next tick
    save_state_ = SaveState::Unsaved;
    notify("Restored the section text typed while the disk was full; saving it now.");
}

// ---- navigation ------------------------------------------------------------------------------

void App::go_home() {
    if (!workspace_) return;
    flush();
    imr_.reset();
    imr_from_case_ = false;
    screen_ = Screen::Home;
}

void App::open_case(const std::string& case_reference) {
    if (!workspace_) return;
    flush();
    if (case_ != case_reference) case_view_ = CaseView::Dashboard;
    case_ = case_reference;
    imr_.reset();
    imr_from_case_ = false;
    screen_ = Screen::Case;
}

void App::show(CaseView view) {
    if (screen_ != Screen::Case) return;
    case_view_ = view;
}

void App::open_case_entry(const domain::Id& imr, const domain::Id& entry) {
    const auto* doc = workspace_ ? workspace_->find(imr) : nullptr;
    if (doc == nullptr || doc->entry(entry) == nullptr) return;
    open_imr(imr);
    imr_from_case_ = true;
    show(ImrView::Chronology);
    selected_entry_ = entry;
}

void App::back_to_case() {
    if (case_.empty()) {
        go_home();
        return;
    }
    open_case(case_);
}

void App::open_imr(const domain::Id& imr) {
    if (!workspace_ || workspace_->find(imr) == nullptr) return;
    flush();
    if (!imr_ || *imr_ != imr) {
        section_key_ = "summary";
        selected_entry_.reset();
        selected_recommendation_.reset();
        imr_view_ = ImrView::Sections;
    }
    imr_ = imr;
    imr_from_case_ = false;
    screen_ = Screen::Imr;
    load_draft();
}

void App::show(ImrView view) {
    flush();
    imr_view_ = view;
}

void App::select_section(const std::string& key) {
    if (key == section_key_ && imr_view_ == ImrView::Sections) return;
    flush();
    section_key_ = key;
    imr_view_ = ImrView::Sections;
    load_draft();
}

void App::select_entry(std::optional<domain::Id> entry) { selected_entry_ = entry; }

void App::select_recommendation(std::optional<domain::Id> recommendation) { selected_recommendation_ = recommendation; }

void App::go_to(const Place& place) {
    switch (place.kind) {
        case Place::Kind::Header: select_section("header"); break;
        case Place::Kind::Section: select_section(place.section_key); break;
        case Place::Kind::Entry:
            show(ImrView::Chronology);
            selected_entry_ = place.id;
            break;
        case Place::Kind::Chronology: show(ImrView::Chronology); break;
        case Place::Kind::Recommendation:
            show(ImrView::Recommendations);
            selected_recommendation_ = place.id;
            break;
        case Place::Kind::Glossary: show(ImrView::Glossary); break;
        case Place::Kind::Endorsement: show(ImrView::Endorsement); break;
    }
}

// ---- editing ---------------------------------------------------------------------------------

void App::load_draft() {
    crypto::wipe(draft_.text);
    draft_.dirty = false;
    draft_.key = section_key_;
    const auto* doc = current_imr();
    if (doc == nullptr) return;
    draft_.imr = doc->id;
    if (const auto* stored = doc->section(section_key_)) draft_.text = stored->value.text;
}

void App::draft_changed() {
    draft_.dirty = true;
    draft_.last_edit = now();
    save_state_ = SaveState::Unsaved;
    note_activity();
}

void App::stage(const std::string& what, std::function<void(Workspace&)> change) {
    for (auto& s : staged_)
        if (s.what == what) {
            s.change = std::move(change);
            s.last_edit = now();
            s.failed = false;
            save_state_ = SaveState::Unsaved;
            note_activity();
            return;
        }
    staged_.push_back({what, std::move(change), now(), false});
    save_state_ = SaveState::Unsaved;
    note_activity();
}

bool App::flush() {
    if (!workspace_) return true;
    bool ok = true;
    for (auto it = staged_.begin(); it != staged_.end();) {
        try {
            it->change(*workspace_);
            it = staged_.erase(it);
            last_saved_at_ = now();
            if (sync_) sync_->local_change();
        } catch (const std::exception& e) {
            if (auto full = disk_full_message(e)) {
                // Kept as it is and tried again later: nothing about the edit is wrong.
                disk_full_ = true;
                save_error_ = *full;
                it->last_edit = now() + kRetryDelay - kAutosaveDelay;
            } else {
                it->failed = true;
                save_error_ = "Not saved: " + it->what + ": " + e.what();
            }
            ok = false;
            ++it;
        }
    }
    if (!ok) save_state_ = SaveState::Error;
    else if (!draft_.dirty) {
        save_state_ = SaveState::Saved;
        save_error_.clear();
        disk_full_ = false;
    }
    if (!draft_.dirty) return ok;
    const auto* doc = workspace_->find(draft_.imr);
    if (doc == nullptr) {
        draft_.dirty = false;
        return ok;
    }
    domain::SectionContent content;
    if (const auto* stored = doc->section(draft_.key)) content = stored->value;
    content.key = draft_.key;
    content.text = draft_.text;
    try {
        workspace_->save_section(draft_.imr, std::move(content));
        draft_.dirty = false;
        if (sync_) sync_->local_change();
        if (ok) {
            save_state_ = SaveState::Saved;
            save_error_.clear();
            disk_full_ = false;
        }
        last_saved_at_ = now();
        return ok;
    } catch (const std::exception& e) {
        save_state_ = SaveState::Error;
        // Keep the draft dirty: the text stays in the editor and is tried again.
        if (auto full = disk_full_message(e)) {
            disk_full_ = true;
            save_error_ = *full;
            draft_.last_edit = now() + kRetryDelay - kAutosaveDelay;
        } else {
            save_error_ = std::string("Not saved: ") + e.what();
            draft_.last_edit = now();
        }
        return false;
    }
}

bool App::apply(const std::string& what, const std::function<void(Workspace&)>& change) {
    if (!workspace_) return false;
    flush();
    try {
        change(*workspace_);
        last_saved_at_ = now();
        if (save_state_ != SaveState::Error) save_state_ = SaveState::Saved;
        if (sync_) sync_->local_change();
        return true;
    } catch (const ValidationError& e) {
        notify(what + ": " + e.what(), true);
    } catch (const std::exception& e) {
        if (auto full = disk_full_message(e)) {
            disk_full_ = true;
            notify(what + ": the disk is full, nothing was changed. Free some space and try again.", true);
        } else {
            notify(what + " failed: " + e.what(), true);
        }
    }
    return false;
}

// ---- time ------------------------------------------------------------------------------------

void App::note_activity() { last_activity_ = now(); }

bool App::syncing() const noexcept { return sync_ && sync_->session_running(); }

void App::tick() {
    tasks_.run_ready();
    if (sync_ && sync_->has_queued()) {
        // What the author typed goes into the vault before anything from the server lands, so a
        // change on both sides merges instead of the draft overwriting it later.
        flush();
        if (sync_->pump(kSyncBurst) && !draft_.dirty && workspace_ && draft_.imr == (imr_ ? *imr_ : domain::Id{})) load_draft();
    }
    const double t = now();
    const bool staged_due = std::any_of(staged_.begin(), staged_.end(), [&](const Staged& s) {
        return !s.failed && t - s.last_edit >= kAutosaveDelay;
    });
    if ((draft_.dirty && t - draft_.last_edit >= kAutosaveDelay) || staged_due) flush();
    if (workspace_ && !busy() && t - last_activity_ >= settings_.auto_lock_minutes * 60.0) lock();
    while (!notices_.empty() && notices_.front().until <= t) notices_.pop_front();
}

double App::seconds_until_next_timer() const {
    const double t = now();
    double next = 3600.0;
    if (draft_.dirty) next = std::min(next, draft_.last_edit + kAutosaveDelay - t);
    for (const auto& staged : staged_)
        if (!staged.failed) next = std::min(next, staged.last_edit + kAutosaveDelay - t);
    if (workspace_) next = std::min(next, last_activity_ + settings_.auto_lock_minutes * 60.0 - t);
    for (const auto& n : notices_) next = std::min(next, n.until - t);
    return std::max(0.0, next);
}

}  // namespace imrdesk::client
