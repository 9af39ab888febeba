#pragma once
// The samples bench_sync collects, and the table it prints from them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "imrdesk/sync/client.hpp"
#include "sync_support.hpp"
#include "sync_wire.hpp"

namespace imrdesk::bench {

inline constexpr double kMaxFloorRatio = 1.5;         // sync time / the floor (raw TLS + a durable write each side)
inline constexpr double kMaxByteRatio = 1.2;          // sync bytes / raw TLS bytes
inline constexpr std::size_t kChangeRequests = 2;     // one section changed: push, then pull
inline constexpr std::uint64_t kMaxChangeBytes = 2000;  // up + down, for that session

struct SessionSample {
    double ms = 0;          // sync_once, wall
    double replica_ms = 0;  // of which inside the Replica's callbacks (the vault's work)
    sync::SessionReport report;
    SessionPhases phases;
    [[nodiscard]] wire::Counters tcp() const { return phases.end - phases.start; }
    [[nodiscard]] wire::Counters tcp_push() const { return phases.pull_at - phases.linked_at; }
    [[nodiscard]] wire::Counters tcp_pull() const { return phases.end - phases.pull_at; }
};

// One direction of part 1: the sync session over the vault (as imrdesk-cli runs it), the same
// through the app's SyncService, over the in-memory replica, and the floor: the raw TLS transfer
// of the same bodies plus one durable SQLite write of them on each side.
struct TransferSamples {
    std::size_t records = 0;        // records the vault session moved in that direction
    std::uint64_t body_bytes = 0;   // their bodies
    std::vector<SessionSample> vault;
    std::vector<AppSession> app;
    std::vector<SessionSample> memory;
    std::vector<RawTransfer> raw;
    std::vector<double> write_client_ms;  // the floor's durable write of the bodies, client side
    std::vector<double> write_server_ms;  // and server side
    std::vector<double> reloads;          // Workspace model refreshes of the pulled IMR (pull only)
    [[nodiscard]] std::vector<double> floor_ms() const {
        std::vector<double> out;
        for (std::size_t i = 0; i < raw.size() && i < write_client_ms.size() && i < write_server_ms.size(); ++i)
            out.push_back(raw[i].ms + write_client_ms[i] + write_server_ms[i]);
        return out;
    }
};

struct ChangeSamples {
    std::size_t text_bytes = 0;     // the section's new text
    std::size_t body_bytes = 0;     // the section record's body (JSON)
    std::vector<SessionSample> author;  // the vault profile that made the change: push, pull
    std::vector<SessionSample> other;   // another device of the same author (in memory): pull
};

// In process, no network: what the sessions of part 1 are made of (one per repetition).
struct Diagnostics {
    std::size_t records = 0;         // the records of the initial push
    std::size_t batches = 0;         // Push messages (SessionOptions::batch_records each)
    double encode_push_ms = 0;       // client: encode_message + frame, every Push
    double decode_push_ms = 0;       // server: decode_message of them
    double store_push_ms = 0;        // server: Store::push of every batch (a transaction each)
    double result_codec_ms = 0;      // PushResult: encode + decode
    std::size_t pages = 0;           // pull pages of 500 from cursor 0
    double store_pull_ms = 0;        // server: Store::pull of every page
    double encode_pull_ms = 0;       // server: encode every PullResult
    double decode_pull_ms = 0;       // client: decode them
    double commit_ms = 0;            // one small autocommit on a Store (one fsync of its WAL), median of 10
    double reload_ms = 0;            // reviewer: Workspace::reload_imrs of the pulled IMR, once
    double sync_record_us = 0;       // reviewer: Vault::sync_record, per record
};

struct Wave {
    std::string label;
    double wall_ms = 0;  // the first session started -> the last one ended
    std::size_t sessions = 0;
    std::size_t errors = 0;  // sessions that threw or had a request refused
    std::size_t conflicts = 0;
    std::size_t pushed = 0;
    std::size_t pulled = 0;
    std::vector<double> latency_ms;  // one per session
    wire::Counters tcp;
    double cpu_ms = 0;  // CPU time of the whole process (clients and server) during the wave
};

struct ConcurrentReport {
    std::string store;        // "one server on SQLite", "two servers on one PostgreSQL", ...
    std::size_t servers = 1;  // devices are split between them
    std::size_t devices = 0, cases = 0, agencies = 0, records_per_session = 0;
    int server_threads = 0;
    std::size_t max_connections = 0, max_per_address = 0, requests_per_minute = 0;
    double tokens_ms = 0;  // issuing every device's token (Store::issue_token, one transaction each)
    Wave enrol;
    std::vector<Wave> rounds;
    Wave catch_up;
    std::size_t converged = 0;  // devices holding exactly the server's record set for them
    std::vector<std::string> error_samples;
};

struct SyncReport {
    std::size_t reps = 0;
    std::size_t entries = 0;
    std::size_t sections = 0;
    std::string filesystem;
    std::string openssl;
    std::string cipher;
    bool wire_counted = false;
    TransferSamples push;
    TransferSamples pull;
    std::vector<SessionSample> submit_vault;
    std::vector<SessionSample> submit_memory;
    ChangeSamples change;
    std::vector<Diagnostics> diagnostics;
    std::vector<ConcurrentReport> concurrent;  // one per store setup, side by side
};

void print_report(const SyncReport& report);

}  // namespace imrdesk::bench
