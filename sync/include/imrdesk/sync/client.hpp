#pragma once
// The device side of sync: one session (connect, pin the server's key, authenticate, push what
// is pending, pull what is new, push merges, submit) and the Engine that runs sessions on its own
// thread: soon after a local change (debounced), every minute while online, on demand, and with
// exponential backoff and jitter while offline. Being offline is the normal state.
//
// The engine knows nothing of the vault: it talks to a Replica, which the client implements over
// its vault (client/core). Replica calls come from the engine's thread; an implementation that
// must run on another thread (the UI's) marshals them, and may throw to abort the session (lock).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "imrdesk/sync/enrolment_code.hpp"
#include "imrdesk/sync/messages.hpp"

namespace imrdesk::sync {

// Where this device syncs, stored (sealed) in the vault after enrolment.
struct ServerLink {
    std::string host;
    std::uint16_t port = 0;
    Sha256 fingerprint{};
    domain::Id device_id;
    std::vector<Membership> memberships;
    [[nodiscard]] std::string address() const;
};

class Replica {
public:
    virtual ~Replica() = default;
    [[nodiscard]] virtual PublicKey device_key() = 0;
    [[nodiscard]] virtual Signature sign(std::span<const std::uint8_t> message) = 0;
    [[nodiscard]] virtual std::optional<ServerLink> link() = 0;
    // After enrolment and after every Welcome. When the memberships grew, the implementation
    // restarts its cursor (records of a new case may be older than the cursor).
    virtual void save_link(const ServerLink& link) = 0;
    virtual void apply_case_infos(const std::vector<CaseInfo>& infos) = 0;
    // case_infos_digest() of the case data last applied (nullopt: none; the server then sends it).
    [[nodiscard]] virtual std::optional<Sha256> cases_digest() { return std::nullopt; }
    [[nodiscard]] virtual std::uint64_t cursor() = 0;
    // A round of pushes begins (the session pushes twice: before pulling, and what merging made).
    virtual void push_round_started() {}
    // The next changed records of this round, IMR headers first; none that wait for the author to
    // resolve a conflict. The session asks for the next batch before the one before it is
    // acknowledged (two batches are on the wire at once), so a record handed out in this round and
    // not yet acknowledged is not handed out again until the next round. Empty: the round is over.
    [[nodiscard]] virtual std::vector<PushRecord> pending(std::size_t max_records, std::size_t max_bytes) = 0;
    virtual void acknowledge(std::span<const PushRecord> sent, const PushResult& result) = 0;
    // Applies a page (merging with local changes) and stores next_cursor in the same transaction.
    virtual void apply_pull(const PullResult& result) = 0;
    [[nodiscard]] virtual std::vector<Submit> pending_submissions() = 0;
    virtual void submitted(const SubmitResult& result) = 0;
    virtual void submission_refused(const domain::Id& imr, const std::string& reason) = 0;
    // The session ended well at this Unix time (the status shows "last synced ...").
    virtual void session_succeeded(std::int64_t /*at*/) {}
};

class SyncError : public std::runtime_error {
public:
    enum class Kind : std::uint8_t {
        Offline,      // cannot reach the server, or the connection broke: try again later
        PinMismatch,  // the server's key is not the one the enrolment code pinned
        Refused,      // the server said no (code())
        Protocol,     // the server sent something this client does not understand
        NotEnrolled,
    };
    SyncError(Kind kind, const std::string& what, ErrorCode code = ErrorCode::Unknown)
        : std::runtime_error(what), kind_(kind), code_(code) {}
    [[nodiscard]] Kind kind() const noexcept { return kind_; }
    [[nodiscard]] ErrorCode code() const noexcept { return code_; }

private:
    Kind kind_;
    ErrorCode code_;
};

struct Progress {
    std::string stage;  // "Sending changes", "Receiving changes"
    std::size_t done = 0;
    std::size_t total = 0;  // 0: unknown
};

// Lets another thread end a session at once (Engine::stop on lock or exit).
class SessionAbort {
public:
    void abort() noexcept;
    [[nodiscard]] bool aborted() const noexcept;

private:
    friend class SessionScope;
    mutable std::mutex mutex_;
    void* io_ = nullptr;  // the asio::io_context of the running session
    bool aborted_ = false;
};

struct SessionOptions {
    std::string client_name = "imrdesk";
    std::string client_version = "0.1.0";
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds io_timeout{30'000};
    std::size_t batch_records = 1000;
    std::size_t batch_bytes = std::size_t{4} << 20;
    std::size_t max_frame_bytes = kDefaultMaxFrameBytes;
    std::function<void(const Progress&)> progress;  // called on the session's thread
    std::shared_ptr<SessionAbort> abort;             // optional
};

struct SessionReport {
    std::size_t pushed = 0;
    std::size_t push_conflicts = 0;
    std::size_t pulled = 0;
    std::size_t submitted = 0;
    std::size_t requests = 0;  // round trips after authentication
    std::uint64_t bytes_sent = 0;
    std::uint64_t bytes_received = 0;
    std::vector<std::string> refusals;  // requests the server refused (the session went on)
};

// Runs one whole session on the calling thread. Throws SyncError.
SessionReport sync_once(Replica& replica, const SessionOptions& options = {});
// Redeems an enrolment code: stores the link in the replica, then runs sync_once. Throws
// SyncError (Refused with TokenExpired/TokenUsed/TokenRevoked/TokenUnknown, PinMismatch ...).
SessionReport enrol(Replica& replica, const EnrolmentCode& code, const std::string& device_name,
                    const SessionOptions& options = {});

// --- the engine ----------------------------------------------------------------------------------

struct EngineStatus {
    enum class State : std::uint8_t { NotEnrolled, Waiting, Syncing, Offline, Refused, Stopped };
    State state = State::Stopped;
    std::optional<std::int64_t> last_success;  // Unix seconds
    std::optional<std::int64_t> last_attempt;
    std::string last_error;                    // why the last attempt failed, for people
    std::optional<Progress> progress;          // while syncing
    int failures = 0;                          // consecutive
    double next_attempt_in = 0;                // seconds
    std::deque<std::string> events;            // recent, newest first: "10:42 sent 3 changes, received 1"
    // The last enrolment asked for with Engine::enrol: running, done, or why it failed.
    enum class Enrolment : std::uint8_t { None, Running, Done, Failed };
    Enrolment enrolment = Enrolment::None;
    std::string enrolment_error;
};

struct EngineOptions {
    SessionOptions session;
    std::chrono::milliseconds debounce{2'000};  // after a local change
    std::chrono::milliseconds period{60'000};   // while online
    std::chrono::milliseconds min_backoff{1'000};
    std::chrono::milliseconds max_backoff{300'000};
    std::size_t max_events = 50;
};

// The delay before attempt n+1 after n consecutive failures: min * 2^(n-1), capped at max, then
// "equal jitter": a uniform value between half of it and all of it. unit_random in [0, 1).
[[nodiscard]] std::chrono::milliseconds backoff_delay(int failures, std::chrono::milliseconds min_delay,
                                                      std::chrono::milliseconds max_delay, double unit_random) noexcept;

class Engine {
public:
    // on_change is called (from the engine's thread) whenever status() changed.
    Engine(Replica& replica, EngineOptions options, std::function<void()> on_change = {});
    ~Engine();  // stops
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    void start();
    // Waits for the current session to end; a Replica that throws on the engine's thread (lock)
    // ends it early.
    void stop();
    void request_stop() noexcept;
    void local_change();  // debounced
    void sync_now();
    // Redeems an enrolment code on the engine's thread (then syncs); status().enrolment says how
    // it went.
    void enrol(EnrolmentCode code, std::string device_name);
    [[nodiscard]] EngineStatus status() const;
    // A session is running (cheap: no lock, for a loop that asks often).
    [[nodiscard]] bool busy() const noexcept { return busy_.load(std::memory_order_acquire); }

private:
    void loop();
    void record(std::string event);
    void ask_during_session(std::chrono::steady_clock::time_point when);

    Replica& replica_;
    EngineOptions options_;
    std::function<void()> on_change_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    EngineStatus status_;
    std::shared_ptr<SessionAbort> abort_ = std::make_shared<SessionAbort>();
    std::chrono::steady_clock::time_point due_;
    bool stop_ = false;
    std::atomic<bool> busy_{false};
    std::optional<std::pair<EnrolmentCode, std::string>> enrolment_;
    // When a session is running, the earliest time another was asked for (sync now, a local
    // change, an enrolment): the session's end must not push it back.
    std::optional<std::chrono::steady_clock::time_point> asked_during_session_;
    std::thread thread_;
};

}  // namespace imrdesk::sync
