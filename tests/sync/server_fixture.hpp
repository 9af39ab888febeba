#pragma once
// What the server tests over the network share: an in-process Server on its own thread over a
// fresh Store, enrolled devices, a raw protocol client for hostile steps, and bounded waits.
// Only for test files (it brings the sync namespaces in).
#include <doctest/doctest.h>


#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <asio.hpp>
#include <asio/ssl.hpp>

#include "imrdesk/sync/client.hpp"
#include "imrdesk/sync/connection.hpp"
#include "imrdesk/sync/log.hpp"
#include "imrdesk/sync/server/server.hpp"
#include "imrdesk/sync/server/store.hpp"
#include "imrdesk/sync/tls.hpp"
#include "memory_replica.hpp"
#include "temp_dir.hpp"
#include "store_backend.hpp"


using namespace imrdesk;
using namespace imrdesk::sync;
using namespace imrdesk::sync::server;
using imrdesk::test::MemoryReplica;
using imrdesk::test::TempDir;
using namespace std::chrono_literals;


namespace {

using asio::ip::tcp;

constexpr std::int64_t kStart = 1'780'000'000;  // 2026-05-28 20:26 UTC
constexpr const char* kCase = "SAR 2026-03";
constexpr auto kClientTimeout = std::chrono::milliseconds(5000);
constexpr auto kRawTimeout = std::chrono::milliseconds(5000);  // one raw client read or write
constexpr auto kWaitLimit = std::chrono::milliseconds(8000);  // for the server to close or go idle

inline const tls::ServerIdentity& identity() {
    static const tls::ServerIdentity id = tls::create_identity();
    return id;
}

inline ServerOptions test_options() {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    o.handshake_timeout = 5000ms;
    o.io_timeout = 5000ms;
    o.idle_timeout = 5000ms;
    return o;
}

inline SessionOptions session_options() {
    SessionOptions o;
    o.client_name = "imrdesk-test";
    o.connect_timeout = kClientTimeout;
    o.io_timeout = kClientTimeout;
    return o;
}

inline LogLevel test_log_level() {
    const char* env = std::getenv("IMRDESK_TEST_LOG");  // e.g. IMRDESK_TEST_LOG=debug
    if (env == nullptr) return LogLevel::Error;
    return log_level_from_string(env).value_or(LogLevel::Error);
}

// A Store in a temporary directory and a Server on a free port, running on its own thread until
// the fixture ends. The store's clock is `now`, which tests move.
struct TestServer {
    TempDir dir;
    std::atomic<std::int64_t> now{kStart};
    Store store{test::fresh_store(dir), [this] { return now.load(); }};
    Logger log{test_log_level()};
    Server server;
    std::thread thread;

    explicit TestServer(ServerOptions options = test_options()) : server(store, identity(), std::move(options), log) {
        CaseRecord c;
        c.reference = kCase;
        c.title = "Review of Adult A";
        c.terms_of_reference = {{1, "What happened?"}};
        store.create_case(c);
        server.listen();
        thread = std::thread([this] { server.run(); });
    }
    ~TestServer() {
        server.stop();
        if (thread.joinable()) thread.join();
    }
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    [[nodiscard]] std::uint16_t port() const { return server.port(); }

    IssuedToken token(const std::string& agency, Role role = Role::Author, int hours = 72) {
        return store.issue_token(TokenRequest{kCase, agency, role, "A. Person", hours});
    }
    [[nodiscard]] EnrolmentCode code(const IssuedToken& t) const {
        EnrolmentCode c;
        c.host = "127.0.0.1";
        c.port = port();
        c.fingerprint = identity().fingerprint;
        c.token = t.token;
        c.expires_at = std::chrono::sys_seconds(std::chrono::seconds(t.expires_at));
        return c;
    }
    // A device enrolled through a real session.
    std::unique_ptr<MemoryReplica> enrolled(const std::string& agency, Role role = Role::Author) {
        auto replica = std::make_unique<MemoryReplica>();
        (void)sync::enrol(*replica, code(token(agency, role)), agency + " laptop", session_options());
        REQUIRE(replica->link());
        return replica;
    }
    [[nodiscard]] ServerLink link_without_enrolment() const {
        return ServerLink{"127.0.0.1", port(), identity().fingerprint, domain::Id{}, {}};
    }

    // Waits (bounded) until the server has no connection open.
    bool wait_idle() {
        const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
        while (server.connections() != 0) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(5ms);
        }
        return true;
    }

    // The server is up and well: a fresh device enrols and syncs, and every connection closes.
    void check_serves() {
        auto probe = enrolled("Probe agency");
        const auto report = sync_once(*probe, session_options());
        CHECK(report.requests >= 1);
        CHECK(probe->sessions == 2);
        CHECK(wait_idle());
        CHECK(server.connections() == 0);
    }
};

template <typename F>
SyncError sync_error_of(F&& f) {
    try {
        f();
    } catch (const SyncError& e) {
        return e;
    }
    FAIL("no SyncError thrown");
    return SyncError(SyncError::Kind::Protocol, "");
}

inline Bytes bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

inline domain::Id make_id(std::uint8_t tag, std::uint8_t n) {
    domain::Id id;
    id.bytes[0] = tag;
    id.bytes[1] = 0xA5;
    id.bytes[15] = n;
    return id;
}

// A client that speaks the protocol by hand over the pinned TLS context, one step at a time,
// each step bounded by its own timeout.
class RawClient {
public:
    RawClient(std::uint16_t port, const Sha256& pin) {
        tls::configure_client(tls_, pin, pin_);
        TlsStream stream(io_, tls_);
        stream.lowest_layer().connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
        connection_ = std::make_shared<Connection>(std::move(stream), Limits{});
    }
    ~RawClient() {
        connection_->close();
        io_.restart();
        io_.run_for(1s);  // let cancelled handlers run
    }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    void handshake() {
        (void)run(do_handshake());
        exporter = tls::export_keying_material(connection_->stream().native_handle());
    }
    Message read() { return run(do_read()); }
    void write(Message m) { (void)run(do_write(std::move(m))); }
    // Bytes straight into the TLS stream, not framed.
    void write_raw(std::span<const std::uint8_t> bytes) {
        std::error_code ec;
        asio::write(connection_->stream(), asio::buffer(bytes.data(), bytes.size()), ec);
        CHECK_MESSAGE(!ec, ec.message());
    }
    // The same, false when the connection is gone.
    bool try_write_raw(std::span<const std::uint8_t> bytes) {
        std::error_code ec;
        asio::write(connection_->stream(), asio::buffer(bytes.data(), bytes.size()), ec);
        return !ec;
    }
    // Hello (of a protocol version), then the server's Challenge: its nonce.
    Nonce hello(std::uint32_t version = kProtocolVersion) {
        write(Hello{version, "raw", "0", std::nullopt});
        const Message m = read();
        const auto* challenge = std::get_if<Challenge>(&m);
        REQUIRE_MESSAGE(challenge != nullptr, "expected a challenge, got " << to_string(type_of(m)));
        return challenge->nonce;
    }
    // The server's next message must be an Error with this code (then it closes).
    void expect_error(ErrorCode code) {
        const Message m = read();
        const auto* e = std::get_if<Error>(&m);
        REQUIRE_MESSAGE(e != nullptr, "expected an error, got " << to_string(type_of(m)));
        CHECK_MESSAGE(e->code == code, "got " << to_string(e->code) << ": " << e->message);
        CHECK_FALSE(e->message.empty());
    }
    // The server closes the connection (possibly after an Error with the given code).
    void expect_closed(std::optional<ErrorCode> or_error = std::nullopt) {
        for (int i = 0; i < 2; ++i) {
            try {
                const Message m = read();
                const auto* e = std::get_if<Error>(&m);
                REQUIRE_MESSAGE(e != nullptr, "expected the end, got " << to_string(type_of(m)));
                REQUIRE_MESSAGE(or_error, "an error: " << e->message);
                CHECK_MESSAGE(e->code == *or_error, "got " << to_string(e->code) << ": " << e->message);
            } catch (const ConnectionError& c) {
                CHECK_MESSAGE(c.kind() != ConnectionError::Kind::Timeout, c.what());
                return;
            }
        }
        FAIL("the server did not close the connection");
    }

    std::vector<std::uint8_t> exporter;  // of this session, after handshake()

private:
    asio::awaitable<int> do_handshake() {
        co_await connection_->handshake(asio::ssl::stream_base::client, kRawTimeout);
        co_return 0;
    }
    asio::awaitable<Message> do_read() { co_return co_await connection_->read(kRawTimeout); }
    asio::awaitable<int> do_write(Message m) {
        co_await connection_->write(std::move(m), kRawTimeout);
        co_return 0;
    }

    // Runs one step to its end (the connection's own timeouts bound it; run_for is a backstop).
    template <typename T>
    T run(asio::awaitable<T> step) {
        std::exception_ptr error;
        std::optional<T> value;
        bool done = false;
        asio::co_spawn(io_, std::move(step), [&](std::exception_ptr e, T v) {
            error = e;
            if (!e) value = std::move(v);
            done = true;
        });
        io_.restart();
        io_.run_for(kRawTimeout + 2s);
        if (!done) {
            connection_->close();
            io_.restart();
            io_.run_for(1s);
            FAIL("a raw client step did not end");
        }
        if (error) std::rethrow_exception(error);
        return std::move(*value);
    }

    asio::io_context io_;
    asio::ssl::context tls_{asio::ssl::context::tls_client};
    std::shared_ptr<tls::PinCheck> pin_ = std::make_shared<tls::PinCheck>();
    std::shared_ptr<Connection> connection_;
};

inline Authenticate authenticate_message(MemoryReplica& device, const Nonce& nonce, std::span<const std::uint8_t> exporter) {
    const auto key = device.device_key();
    return Authenticate{key, device.sign(auth_transcript(nonce, exporter, key))};
}

// Logs a device in by hand: Hello, Challenge, Authenticate, Welcome and its CaseInfos.
inline Authenticate raw_login(RawClient& c, MemoryReplica& device) {
    c.handshake();
    const Nonce nonce = c.hello();
    const Authenticate auth = authenticate_message(device, nonce, c.exporter);
    c.write(auth);
    const Message m = c.read();
    const auto* welcome = std::get_if<Welcome>(&m);
    REQUIRE_MESSAGE(welcome != nullptr, "expected welcome, got " << to_string(type_of(m)));
    for (std::size_t i = 0; i < welcome->memberships.size(); ++i) {
        const Message info = c.read();
        REQUIRE(std::holds_alternative<CaseInfo>(info));
    }
    return auth;
}

// A plain TCP client (no TLS): sends bytes, then waits (bounded) for the server to close.
// Returns whether it closed within the limit.
inline bool plain_tcp_closed(std::uint16_t port, std::span<const std::uint8_t> bytes, std::chrono::milliseconds limit) {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
    if (!bytes.empty()) {
        std::error_code ignored;  // the server may have hung up already
        asio::write(socket, asio::buffer(bytes.data(), bytes.size()), ignored);
    }
    bool closed = false;
    std::array<std::uint8_t, 4096> buffer{};
    std::function<void()> next = [&] {
        socket.async_read_some(asio::buffer(buffer), [&](const std::error_code& ec, std::size_t) {
            if (ec) {
                closed = true;
                return;
            }
            next();  // a TLS alert, perhaps: read on until the end
        });
    };
    next();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!closed && std::chrono::steady_clock::now() < deadline) io.run_one_until(deadline);
    const bool result = closed;
    std::error_code ignored;
    socket.close(ignored);
    io.restart();
    io.run_for(1s);
    return result;
}

}  // namespace
