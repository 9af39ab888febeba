#pragma once
// What bench_sync runs its sessions with: an in-process imrdesk server (Store in a directory,
// Server on 127.0.0.1, port 0, on its own thread), devices over a real vault (VaultReplica), an
// in-memory Replica (the protocol without the vault), a Replica decorator that times the
// replica's share of a session and marks its phases on the wire, and the raw TLS 1.3 transfer
// the sync figures are compared with.
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "imrdesk/client/sync_replica.hpp"
#include "imrdesk/client/sync_service.hpp"
#include "imrdesk/client/workspace.hpp"
#include "imrdesk/crypto/signing.hpp"
#include "imrdesk/sync/client.hpp"
#include "imrdesk/sync/log.hpp"
#include "imrdesk/sync/server/server.hpp"
#include "imrdesk/sync/server/store.hpp"
#include "imrdesk/sync/tls.hpp"
#include "sync_wire.hpp"

namespace imrdesk::bench {

// --- the server ----------------------------------------------------------------------------------

class InProcessServer {
public:
    InProcessServer(const std::filesystem::path& dir, const sync::tls::ServerIdentity& identity,
                    sync::server::ServerOptions options);
    // A server over any store (several may share one PostgreSQL store, as separate processes do).
    InProcessServer(const sync::server::StoreLocation& store, const sync::tls::ServerIdentity& identity,
                    sync::server::ServerOptions options);
    ~InProcessServer();  // stops the server and waits for its thread
    InProcessServer(const InProcessServer&) = delete;
    InProcessServer& operator=(const InProcessServer&) = delete;

    [[nodiscard]] sync::server::Store& store() noexcept { return store_; }
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    // Issues a one-time token (Store::issue_token) and wraps it as the code `enrol` prints.
    [[nodiscard]] sync::EnrolmentCode code(const sync::server::TokenRequest& request);

private:
    sync::tls::ServerIdentity identity_;
    sync::Logger log_{sync::LogLevel::Warn};
    sync::server::Store store_;
    sync::server::Server server_;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

// --- devices -------------------------------------------------------------------------------------

// A profile: a vault created with the insecure-fast KDF params, its Workspace and VaultReplica.
struct VaultDevice {
    explicit VaultDevice(const std::filesystem::path& file);
    ~VaultDevice();
    VaultDevice(const VaultDevice&) = delete;
    VaultDevice& operator=(const VaultDevice&) = delete;

    std::unique_ptr<client::Workspace> workspace;
    std::unique_ptr<client::VaultReplica> replica;
};

// The least a device must do: keep records and their revisions in memory, queue changes, answer
// the server's challenge. Records are kept whole (bodies included), so that the record set can be
// compared with the server's (Store::digest).
class MemoryReplica final : public sync::Replica {
public:
    MemoryReplica();

    // Queues a change; its base revision is the one held for the record (0: new).
    void change(sync::PushRecord record);
    void queue_submit(const sync::Submit& submit) { submits_.push_back(submit); }
    [[nodiscard]] std::size_t held() const noexcept { return held_.size(); }
    [[nodiscard]] std::size_t queued() const noexcept { return queue_.size(); }
    [[nodiscard]] std::size_t conflicts() const noexcept { return conflicts_; }
    [[nodiscard]] std::size_t submissions_refused() const noexcept { return refused_; }
    // Same form as Store::digest for this device.
    [[nodiscard]] sync::Sha256 digest(std::size_t* count = nullptr) const;

    sync::PublicKey device_key() override;
    sync::Signature sign(std::span<const std::uint8_t> message) override;
    std::optional<sync::ServerLink> link() override { return link_; }
    void save_link(const sync::ServerLink& link) override;
    void apply_case_infos(const std::vector<sync::CaseInfo>& infos) override { cases_ = infos; }
    std::optional<sync::Sha256> cases_digest() override;
    std::uint64_t cursor() override { return cursor_; }
    void push_round_started() override { handed_out_ = 0; }
    std::vector<sync::PushRecord> pending(std::size_t max_records, std::size_t max_bytes) override;
    void acknowledge(std::span<const sync::PushRecord> sent, const sync::PushResult& result) override;
    void apply_pull(const sync::PullResult& result) override;
    std::vector<sync::Submit> pending_submissions() override { return submits_; }
    void submitted(const sync::SubmitResult& result) override;
    void submission_refused(const domain::Id& imr, const std::string& reason) override;

private:
    struct Held {
        std::uint64_t revision = 0;
        bool deleted = false;
        sync::Bytes body;
    };
    crypto::SigningKey key_;
    std::optional<sync::ServerLink> link_;
    std::vector<sync::CaseInfo> cases_;
    std::uint64_t cursor_ = 0;
    std::deque<sync::PushRecord> queue_;
    std::size_t handed_out_ = 0;  // the first queue_ entries, on the wire in this round
    std::vector<sync::Submit> submits_;
    std::map<domain::Id, Held> held_;
    std::size_t conflicts_ = 0;
    std::size_t refused_ = 0;
};

// --- observing a session -------------------------------------------------------------------------

// The Replica's callbacks, grouped, for the time spent in each.
enum class Callback : std::uint8_t {
    Identity,     // device_key, sign, link
    Link,         // save_link, apply_case_infos
    Pending,      // pending: the changed records to push (the vault: decrypt, order)
    Acknowledge,  // acknowledge: the server's revisions (the vault: one transaction)
    ApplyPull,    // apply_pull: merge and store a page (the vault: then reload the IMR's model)
    Other,        // cursor, submissions, session_succeeded
};
inline constexpr std::size_t kCallbacks = 6;

// Plaintext frame bytes (4-byte header + encoded message), reconstructed from what the replica
// sees: exact for every message of a session (Hello, Challenge, Authenticate, Welcome, CaseInfo,
// Push, PushResult, Pull, PullResult, Submit, SubmitResult).
struct FrameBytes {
    std::uint64_t up = 0;
    std::uint64_t down = 0;
};

struct SessionPhases {
    // Wire counters at the phase boundaries the replica can see:
    //   start -> sign():      TLS handshake, Hello -> Challenge (the TCP connect is not seen)
    //   sign() -> save_link:  Authenticate -> Welcome + one CaseInfo per case
    //   save_link -> first cursor(): the push rounds
    //   first cursor() -> end: the pull rounds (and any merge push, submit, second pull)
    wire::Counters start, signed_at, linked_at, pull_at, end;
    bool saw_sign = false, saw_link = false, saw_pull = false;
    // Plaintext frames of the same phases (detail mode only).
    FrameBytes hello, auth, push, pull;
    std::size_t push_requests = 0;
    std::size_t pull_requests = 0;
    std::size_t submit_requests = 0;
    std::size_t pushed_records = 0;
    std::size_t pulled_records = 0;
    std::size_t pages_with_records = 0;  // apply_pull calls that brought at least one record
    std::array<double, kCallbacks> callback_ms{};
};

// Forwards every call to the replica it wraps; adds up the time spent in it (the vault's share of
// a session), marks the phases on the wire and, when asked, keeps the bodies that went up and
// came down (for the raw TLS baseline) and reconstructs the plaintext frame sizes.
class TapReplica final : public sync::Replica {
public:
    TapReplica(sync::Replica& inner, const sync::SessionOptions& options, bool keep_bodies, bool detail);

    void begin();  // call just before the session
    void end();    // and just after
    [[nodiscard]] double replica_ms() const noexcept;
    [[nodiscard]] const SessionPhases& phases() const noexcept { return phases_; }
    [[nodiscard]] std::vector<sync::PushRecord>& pushed() noexcept { return pushed_; }
    [[nodiscard]] std::vector<sync::RemoteRecord>& pulled() noexcept { return pulled_; }

    sync::PublicKey device_key() override;
    sync::Signature sign(std::span<const std::uint8_t> message) override;
    std::optional<sync::ServerLink> link() override;
    void save_link(const sync::ServerLink& link) override;
    void apply_case_infos(const std::vector<sync::CaseInfo>& infos) override;
    std::optional<sync::Sha256> cases_digest() override;
    std::uint64_t cursor() override;
    void push_round_started() override;
    std::vector<sync::PushRecord> pending(std::size_t max_records, std::size_t max_bytes) override;
    void acknowledge(std::span<const sync::PushRecord> sent, const sync::PushResult& result) override;
    void apply_pull(const sync::PullResult& result) override;
    std::vector<sync::Submit> pending_submissions() override;
    void submitted(const sync::SubmitResult& result) override;
    void submission_refused(const domain::Id& imr, const std::string& reason) override;
    void session_succeeded(std::int64_t at) override;

private:
    std::optional<sync::Sha256> last_cases_digest_;  // what the last Hello carried
    class Timer;
    FrameBytes& current_phase();

    sync::Replica& inner_;
    const sync::SessionOptions& options_;
    bool keep_bodies_;
    bool detail_;
    std::array<std::int64_t, kCallbacks> ns_{};
    SessionPhases phases_;
    std::vector<sync::PushRecord> pushed_;
    std::vector<sync::RemoteRecord> pulled_;
    std::uint64_t last_cursor_ = 0;
    std::size_t submits_in_flight_ = 0;
};

// --- the app's path ------------------------------------------------------------------------------

// One session as the kiosk app runs it: a SyncService over the workspace (its engine on its own
// thread, every replica call queued for the UI thread), and a UI thread as client/ui/src/main.cpp
// runs it: it sleeps until woken, then draws two frames, each ticking first (App::tick's share
// of sync: SyncService::pump with App::kSyncBurst), drawing for kFrameDrawMs, then waiting for
// the next vertical blank of a 60 Hz screen unless a session runs (glfwSwapInterval). The
// profile must be enrolled. Throws when the session failed.
inline constexpr double kFrameDrawMs = 1.0;
inline constexpr double kVblankMs = 1000.0 / 60.0;

struct AppSession {
    double ms = 0;             // start() -> the engine reports the session over
    std::size_t wakes = 0;     // times the UI thread was woken
    std::size_t frames = 0;    // frames drawn meanwhile
    std::string events;        // the engine's newest event ("sent 10,005 change(s), received 0")
};
[[nodiscard]] AppSession run_app_session(client::Workspace& workspace, const sync::SessionOptions& options);

// --- the raw baseline ----------------------------------------------------------------------------

enum class Direction : std::uint8_t { Up, Down };  // client -> server, server -> client

struct RawTransfer {
    double ms = 0;                // connect, TLS handshake, transfer, the receiver has every record
    std::uint64_t payload = 0;    // the framed bytes (4-byte length + body, per record)
    std::size_t records = 0;
    wire::Counters tcp;           // on the client socket
    std::string cipher;           // the TLS 1.3 suite negotiated
};

// Each body with a 4-byte big-endian length before it (sync::append_frame), concatenated.
[[nodiscard]] sync::Bytes frame_bodies(const std::vector<sync::Bytes>& bodies);

// One TLS 1.3 connection over loopback (Asio + OpenSSL, the contexts set up with
// tls::configure_server / tls::configure_client and the pinned fingerprint, TCP_NODELAY as the
// sync connection): the sender writes `framed` in one asio::write, the receiver decodes it with
// sync::FrameDecoder (a copy per record, as the sync client does). Up: the server acknowledges
// with one byte when it has every record, and the client's clock stops there; Down: the client
// asks with one byte and its clock stops when it has every record. Throws on any failure.
[[nodiscard]] RawTransfer raw_tls_transfer(const sync::tls::ServerIdentity& identity, const sync::Bytes& framed,
                                           std::size_t records, Direction direction);

}  // namespace imrdesk::bench
