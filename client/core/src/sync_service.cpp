#include "imrdesk/platform/io.hpp"
#include "imrdesk/client/sync_service.hpp"

#include <chrono>

namespace imrdesk::client {

namespace {
std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace

// The replica the engine sees: every call runs on the UI thread through the queue.
class SyncService::Marshal final : public sync::Replica {
public:
    explicit Marshal(SyncService& service) : s_(service) {}

    template <typename F>
    auto call(F f) -> decltype(f()) {
        using R = decltype(f());
        std::packaged_task<R()> task(std::move(f));
        auto future = task.get_future();
        auto shared = std::make_shared<std::packaged_task<R()>>(std::move(task));
        s_.run_on_ui([shared] { (*shared)(); });
        // Waits for the UI thread; gives up as soon as the service stops (lock, quit).
        while (future.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
            if (s_.stopping_.load()) throw sync::SyncError(sync::SyncError::Kind::Offline, "sync stopped (the profile was locked)");
        }
        return future.get();  // rethrows what the call threw
    }

    sync::PublicKey device_key() override { return call([this] { return s_.replica_.device_key(); }); }
    sync::Signature sign(std::span<const std::uint8_t> m) override {
        return call([this, m] { return s_.replica_.sign(m); });
    }
    std::optional<sync::ServerLink> link() override { return call([this] { return s_.replica_.link(); }); }
    void save_link(const sync::ServerLink& l) override { call([this, &l] { s_.replica_.save_link(l); }); }
    void apply_case_infos(const std::vector<sync::CaseInfo>& i) override {
        call([this, &i] { s_.replica_.apply_case_infos(i); });
    }
    std::uint64_t cursor() override { return call([this] { return s_.replica_.cursor(); }); }
    std::optional<sync::Sha256> cases_digest() override { return call([this] { return s_.replica_.cases_digest(); }); }
    void push_round_started() override { call([this] { s_.replica_.push_round_started(); }); }
    std::vector<sync::PushRecord> pending(std::size_t n, std::size_t b) override {
        return call([this, n, b] { return s_.replica_.pending(n, b); });
    }
    void acknowledge(std::span<const sync::PushRecord> sent, const sync::PushResult& r) override {
        call([this, sent, &r] { s_.replica_.acknowledge(sent, r); });
    }
    void apply_pull(const sync::PullResult& r) override { call([this, &r] { s_.replica_.apply_pull(r); }); }
    std::vector<sync::Submit> pending_submissions() override {
        return call([this] { return s_.replica_.pending_submissions(); });
    }
    void submitted(const sync::SubmitResult& r) override { call([this, &r] { s_.replica_.submitted(r); }); }
    void submission_refused(const domain::Id& imr, const std::string& reason) override {
        call([this, &imr, &reason] { s_.replica_.submission_refused(imr, reason); });
    }
    void session_succeeded(std::int64_t at) override { call([this, at] { s_.replica_.session_succeeded(at); }); }

private:
    SyncService& s_;
};

SyncService::SyncService(Workspace& workspace, std::function<void()> wake, sync::EngineOptions options)
    : workspace_(workspace), replica_(workspace), wake_(std::move(wake)), marshal_(std::make_unique<Marshal>(*this)) {
    options.session.client_name = "imrdesk";
    engine_ = std::make_unique<sync::Engine>(*marshal_, std::move(options), [this] {
        queued_.notify_all();  // a pump waiting for the next call learns that the session ended
        if (wake_) wake_();
    });
}

SyncService::~SyncService() { stop(); }

void SyncService::run_on_ui(std::function<void()> call) {
    {
        const std::lock_guard lock(mutex_);
        if (closed_) throw sync::SyncError(sync::SyncError::Kind::Offline, "sync stopped (the profile was locked)");
        queue_.emplace_back(std::move(call));
    }
    queued_.notify_one();
    if (wake_) wake_();
}

bool SyncService::pump(std::chrono::milliseconds budget) {
    const auto until = std::chrono::steady_clock::now() + budget;
    bool ran = false;
    for (;;) {
        std::deque<std::packaged_task<void()>> ready;
        {
            std::unique_lock lock(mutex_);
            if (queue_.empty() && ran && budget.count() > 0) {
                // Within the burst: the engine's next call usually follows within a round trip.
                queued_.wait_until(lock, until, [&] { return !queue_.empty() || closed_ || !engine_->busy(); });
            }
            ready.swap(queue_);
        }
        if (ready.empty()) break;
        for (auto& task : ready) task();
        ran = true;
        if (budget.count() <= 0 || std::chrono::steady_clock::now() >= until || !engine_->busy()) break;
    }
    if (ran) refresh_counts();
    return ran;
}

bool SyncService::session_running() const noexcept { return engine_->busy(); }

bool SyncService::has_queued() const {
    const std::lock_guard lock(mutex_);
    return !queue_.empty();
}

void SyncService::start() {
    {
        const std::lock_guard lock(mutex_);
        closed_ = false;
    }
    stopping_ = false;
    refresh_counts();
    engine_->start();
}

void SyncService::stop() {
    stopping_ = true;
    engine_->request_stop();
    {
        // Waiting calls fail (their promises break) so the engine thread unwinds now.
        const std::lock_guard lock(mutex_);
        closed_ = true;
        queue_.clear();
    }
    queued_.notify_all();
    engine_->stop();
}

void SyncService::refresh_counts() {
    pending_ = replica_.pending_count();
    conflicts_ = replica_.conflict_count();
}

void SyncService::local_change() {
    refresh_counts();
    if (replica_.state().link) engine_->local_change();
}

void SyncService::sync_now() { engine_->sync_now(); }

void SyncService::enrol(const std::string& code_text, const std::string& device_name) {
    auto code = sync::EnrolmentCode::parse(code_text, std::chrono::sys_seconds(std::chrono::seconds(unix_now())));
    std::string name = device_name;
    if (name.empty()) {
        name = platform::host_name();
        if (name.empty()) name = "imrdesk device";
    }
    engine_->enrol(std::move(code), std::move(name));
}

SyncView SyncService::view() const {
    SyncView v;
    v.engine = engine_->status();
    v.enrolled = replica_.state().link.has_value();
    v.pending = pending_;
    v.conflicts = conflicts_;
    using State = sync::EngineStatus::State;
    const auto& last = replica_.state().last_sync;
    const std::string synced = last ? "last synced " + ago(unix_now() - *last) : "never synced";
    const std::string waiting = v.pending == 0 ? "" : ", " + std::to_string(v.pending) + (v.pending == 1 ? " change" : " changes") + " waiting";
    if (!v.enrolled) {
        v.summary = "Sync: not enrolled (this computer works offline)";
    } else if (v.engine.state == State::Syncing) {
        const auto& p = v.engine.progress;
        v.summary = "Syncing" + (p ? ": " + p->stage + (p->done > 0 ? " (" + std::to_string(p->done) + ")" : "") : std::string("..."));
    } else if (v.engine.state == State::Offline) {
        v.summary = "Offline, " + synced + waiting;
    } else if (v.engine.state == State::Refused) {
        v.summary = "Sync refused: " + v.engine.last_error;
        v.summary_is_problem = true;
    } else {
        v.summary = (last && unix_now() - *last < 120 ? std::string("Synced just now") : "Online, " + synced) + waiting;
    }
    if (v.conflicts > 0) {
        v.summary += "; " + std::to_string(v.conflicts) + (v.conflicts == 1 ? " conflict" : " conflicts") + " to resolve";
        v.summary_is_problem = true;
    }
    return v;
}

}  // namespace imrdesk::client
