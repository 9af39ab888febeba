#pragma once
// imrdesk-server's network side: a TLS 1.3 listener whose sessions authenticate devices, then
// answer push, pull and submit requests against the Store. One coroutine per connection on a
// strand; the io_context runs on a few threads. Store calls are short SQLite transactions and
// run between two awaits, so stopping the server never interrupts a commit: stop() closes the
// listener and every connection waiting for its next request, lets those in the middle of a
// request answer it, and run() returns when the last session has ended.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <asio.hpp>
#include <asio/ssl.hpp>

#include "imrdesk/sync/log.hpp"
#include "imrdesk/sync/messages.hpp"
#include "imrdesk/sync/server/store.hpp"
#include "imrdesk/sync/tls.hpp"

namespace imrdesk::sync::server {

inline constexpr std::uint16_t kDefaultPort = 7543;
inline constexpr const char* kServerVersion = "imrdesk-server 0.1.0";

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = kDefaultPort;  // 0: any free port (tests); port() tells which
    int threads = 2;
    std::size_t max_connections = 512;
    // One address cannot take every connection: past this many from one address, its new
    // connections are closed at once (a device at another address still gets in).
    std::size_t max_connections_per_address = 32;
    // Connections that have not logged in yet (TLS, Hello, Authenticate). When they, or all
    // connections, reach their limit, the oldest of them is closed to make room for the new one
    // (a real device logs in within a second; a silent peer never does).
    std::size_t max_unauthenticated = 128;
    std::chrono::milliseconds handshake_timeout{10'000};  // TLS handshake, Hello, Authenticate
    std::chrono::milliseconds io_timeout{30'000};         // each read or write inside a request
    std::chrono::milliseconds idle_timeout{120'000};      // waiting for the next request
    std::size_t requests_per_minute = 600;  // per device, across its connections (and servers, on PostgreSQL)
    std::size_t max_frame_bytes = kDefaultMaxFrameBytes;
    Limits limits;
};

class Server {
public:
    Server(Store& store, const tls::ServerIdentity& identity, ServerOptions options, Logger& log);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listener (throws std::system_error naming the address when it cannot).
    void listen();
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    // Serves until stop(); runs the io_context on options.threads threads (this one included).
    void run();
    // Thread- and signal-safe (posts to the io_context).
    void stop();
    [[nodiscard]] asio::io_context& io() noexcept { return io_; }
    [[nodiscard]] std::size_t connections() const noexcept { return connections_.load(); }

private:
    struct Session;
    asio::awaitable<void> accept_loop();
    asio::awaitable<void> serve(std::shared_ptr<Session> session);
    void forget(const std::shared_ptr<Session>& session);
    // Under sessions_mutex_: whether a connection from `address` may be taken now, closing the
    // oldest connection not yet logged in when that makes room.
    bool admit_locked(const std::string& address);
    void logged_in(Session& session);
    asio::awaitable<void> summary_loop();

    Store& store_;
    ServerOptions options_;
    Logger& log_;
    asio::io_context io_;
    asio::ssl::context tls_;
    asio::ip::tcp::acceptor acceptor_;
    asio::steady_timer summary_timer_;  // writes the log's summaries of repeated lines
    std::uint16_t port_ = 0;
    std::atomic<std::size_t> connections_{0};
    std::atomic<bool> stopping_{false};
    std::mutex sessions_mutex_;
    std::map<std::uint64_t, std::weak_ptr<Session>> sessions_;
    std::map<std::string, std::size_t> per_address_;  // open connections by peer address
    std::size_t unauthenticated_ = 0;
    std::uint64_t next_session_ = 1;
};

}  // namespace imrdesk::sync::server
