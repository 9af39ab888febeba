#pragma once
// Sync for the kiosk client: the Engine on its own thread, and the vault-backed replica on the UI
// thread. The engine's calls to the replica are queued and run by the UI thread in pump() (once
// per frame, from App::tick), so the workspace is only ever touched by the UI thread; the engine
// thread waits for each answer. Stopping (lock, quit) fails every waiting call at once, so the
// engine never holds the UI up, and nothing decrypted stays with it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>

#include "imrdesk/client/sync_replica.hpp"
#include "imrdesk/sync/client.hpp"

namespace imrdesk::client {

struct SyncView {
    sync::EngineStatus engine;
    bool enrolled = false;
    std::size_t pending = 0;    // changes waiting to be sent
    std::size_t conflicts = 0;  // waiting for the author
    // "Offline, last synced 2 h ago, 14 changes waiting" / "Synced just now" / "Syncing: sending changes 40%"
    std::string summary;
    bool summary_is_problem = false;  // refused, conflicts: shown in the warning colour
};

class SyncService {
public:
    // wake: wakes the UI loop so that pump() runs (from the engine's thread).
    SyncService(Workspace& workspace, std::function<void()> wake, sync::EngineOptions options = {});
    ~SyncService();  // stop()
    SyncService(const SyncService&) = delete;
    SyncService& operator=(const SyncService&) = delete;

    // --- UI thread
    // Runs the engine's queued replica calls. Returns true when any ran (the model may have changed).
    // With a budget, while a session runs, it also waits for the engine's next calls and runs them
    // as they come, until the budget is spent or the session ends: a large sync is then not held
    // to one call per frame drawn (kSyncBurst from App::tick).
    bool pump(std::chrono::milliseconds budget = std::chrono::milliseconds(0));
    [[nodiscard]] bool has_queued() const;
    // A session is running (the UI draws less often meanwhile, so that it answers the engine sooner).
    [[nodiscard]] bool session_running() const noexcept;
    void start();
    void stop();
    void local_change();
    void sync_now();
    // Parses and redeems an enrolment code. Throws sync::EnrolmentCodeError for a bad code (what and
    // where); the rest of the outcome shows in view().engine.enrolment.
    void enrol(const std::string& code_text, const std::string& device_name);
    [[nodiscard]] SyncView view() const;
    // Re-reads the pending and conflict counts (after a save or a resolution; pump() does it).
    void refresh_counts();
    [[nodiscard]] VaultReplica& replica() noexcept { return replica_; }
    [[nodiscard]] const SyncProfileState& state() const noexcept { return replica_.state(); }

private:
    class Marshal;
    void run_on_ui(std::function<void()> call);

    Workspace& workspace_;
    VaultReplica replica_;
    std::function<void()> wake_;
    std::unique_ptr<Marshal> marshal_;
    std::unique_ptr<sync::Engine> engine_;
    mutable std::mutex mutex_;
    std::condition_variable queued_;  // a call was queued, or the service closed
    std::deque<std::packaged_task<void()>> queue_;
    bool closed_ = false;
    std::atomic<bool> stopping_{false};
    std::size_t pending_ = 0;
    std::size_t conflicts_ = 0;
};

}  // namespace imrdesk::client
