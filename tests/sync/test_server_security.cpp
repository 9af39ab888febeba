// The server over the network (real TLS 1.3 on 127.0.0.1, an in-process Server on its own
// thread): it refuses what it must (wrong pin, unknown, revoked or replayed logins, used and
// expired tokens, requests before authentication, other protocol versions, too many requests) and
// survives what a hostile or broken peer sends (oversize frames, garbage with and without TLS,
// silence, half a frame), each time serving the next client and closing every connection.
//
// Every wait is bounded: clients use short timeouts, the server short handshake/idle timeouts
// where a test waits for them, and polling loops give up after a few seconds.
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

const tls::ServerIdentity& identity() {
    static const tls::ServerIdentity id = tls::create_identity();
    return id;
}

ServerOptions test_options() {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    o.handshake_timeout = 5000ms;
    o.io_timeout = 5000ms;
    o.idle_timeout = 5000ms;
    return o;
}

SessionOptions session_options() {
    SessionOptions o;
    o.client_name = "imrdesk-test";
    o.connect_timeout = kClientTimeout;
    o.io_timeout = kClientTimeout;
    return o;
}

LogLevel test_log_level() {
    const char* env = std::getenv("IMRDESK_TEST_LOG");  // e.g. IMRDESK_TEST_LOG=debug
    if (env == nullptr) return LogLevel::Error;
    return log_level_from_string(env).value_or(LogLevel::Error);
}

// A Store in a temporary directory and a Server on a free port, running on its own thread until
// the fixture ends. The store's clock is `now`, which tests move.
struct TestServer {
    TempDir dir;
    std::atomic<std::int64_t> now{kStart};
    Store store{dir / "store.db", [this] { return now.load(); }};
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

Bytes bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

domain::Id make_id(std::uint8_t tag, std::uint8_t n) {
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

Authenticate authenticate_message(MemoryReplica& device, const Nonce& nonce, std::span<const std::uint8_t> exporter) {
    const auto key = device.device_key();
    return Authenticate{key, device.sign(auth_transcript(nonce, exporter, key))};
}

// Logs a device in by hand: Hello, Challenge, Authenticate, Welcome and its CaseInfos.
Authenticate raw_login(RawClient& c, MemoryReplica& device) {
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
bool plain_tcp_closed(std::uint16_t port, std::span<const std::uint8_t> bytes, std::chrono::milliseconds limit) {
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

// --- the happy path, for reference -------------------------------------------------------------

TEST_CASE("server: devices enrol, push, pull and submit; a reviewer receives the submitted IMR") {
    TestServer s;
    auto author = s.enrolled("Police");
    auto colleague = s.enrolled("Police");
    auto reviewer = s.enrolled("Board", Role::Reviewer);
    REQUIRE(author->link()->memberships == std::vector<Membership>{{kCase, "Police", Role::Author}});
    REQUIRE(author->case_infos.size() == 1);
    CHECK(author->case_infos[0].title == "Review of Adult A");

    const auto imr = make_id(1, 1);
    author->edit(imr, imr, domain::RecordKind::Imr, "{\"title\":\"Police IMR\"}");
    author->edit(make_id(2, 1), imr, domain::RecordKind::Section, "section one");
    auto report = sync_once(*author, session_options());
    CHECK(report.pushed == 2);
    CHECK(author->dirty_count() == 0);

    report = sync_once(*colleague, session_options());
    CHECK(report.pulled == 2);
    CHECK(colleague->body_of(make_id(2, 1)) == "section one");
    CHECK(s.store.digest(author->link()->device_id).digest == s.store.digest(colleague->link()->device_id).digest);

    report = sync_once(*reviewer, session_options());
    CHECK(report.pulled == 0);

    author->queue_submit(imr, Sha256{1, 2, 3});
    report = sync_once(*author, session_options());
    CHECK(report.submitted == 1);
    REQUIRE(author->submit_results.size() == 1);
    CHECK(author->submit_results[0].received_at == static_cast<std::uint64_t>(kStart));

    report = sync_once(*reviewer, session_options());
    CHECK(report.pulled == 2);
    CHECK(reviewer->body_of(make_id(2, 1)) == "section one");
    REQUIRE(reviewer->case_infos.size() == 1);
    REQUIRE(reviewer->case_infos[0].submissions.size() == 1);
    CHECK(reviewer->case_infos[0].submissions[0].agency == "Police");
    for (const auto& [id, record] : reviewer->records) {
        CHECK(author->records.at(id).body == record.body);
        CHECK(colleague->records.at(id).body == record.body);
    }
    CHECK(s.wait_idle());
}

// --- who may connect -----------------------------------------------------------------------------

TEST_CASE("server: a client pinning another key refuses the server, which stays up") {
    TestServer s;
    auto device = s.enrolled("Police");
    ServerLink wrong = *device->link();
    wrong.fingerprint[7] ^= 0x10;
    device->set_link(wrong);
    const SyncError e = sync_error_of([&] { (void)sync_once(*device, session_options()); });
    CHECK(e.kind() == SyncError::Kind::PinMismatch);
    CHECK(std::string(e.what()).find(tls::format_fingerprint(identity().fingerprint)) != std::string::npos);

    // Enrolling with a code that pins another key does not use the token up.
    const auto t = s.token("Police");
    EnrolmentCode bad = s.code(t);
    bad.fingerprint[0] ^= 1;
    MemoryReplica fresh;
    CHECK(sync_error_of([&] { (void)sync::enrol(fresh, bad, "laptop", session_options()); }).kind() ==
          SyncError::Kind::PinMismatch);
    CHECK_FALSE(fresh.link());
    CHECK_NOTHROW((void)sync::enrol(fresh, s.code(t), "laptop", session_options()));

    CHECK(s.wait_idle());
    s.check_serves();
}

TEST_CASE("server: unknown and revoked devices, expired, used, revoked and unknown tokens are refused") {
    TestServer s;
    const auto refused_code = [](const SyncError& e) {
        CHECK_MESSAGE(e.kind() == SyncError::Kind::Refused, e.what());
        return e.code();
    };

    SUBCASE("a device key that was never enrolled") {
        MemoryReplica stranger;
        stranger.set_link(s.link_without_enrolment());
        CHECK(refused_code(sync_error_of([&] { (void)sync_once(stranger, session_options()); })) ==
              ErrorCode::AuthenticationFailed);
        CHECK(stranger.sessions == 0);
    }
    SUBCASE("a revoked device") {
        auto device = s.enrolled("Police");
        (void)s.store.revoke_device(device->link()->device_id.hex());
        CHECK(refused_code(sync_error_of([&] { (void)sync_once(*device, session_options()); })) == ErrorCode::DeviceRevoked);
    }
    SUBCASE("an expired token") {
        const auto t = s.token("Police", Role::Author, 1);
        s.now = t.expires_at + 1;
        MemoryReplica device;
        CHECK(refused_code(sync_error_of([&] { (void)sync::enrol(device, s.code(t), "laptop", session_options()); })) ==
              ErrorCode::TokenExpired);
        CHECK_FALSE(device.link());
    }
    SUBCASE("a token used by another device") {
        const auto t = s.token("Police");
        MemoryReplica first;
        (void)sync::enrol(first, s.code(t), "first", session_options());
        MemoryReplica second;
        CHECK(refused_code(sync_error_of([&] { (void)sync::enrol(second, s.code(t), "second", session_options()); })) ==
              ErrorCode::TokenUsed);
        // The device that redeemed it may retry (its Welcome was lost, say).
        CHECK_NOTHROW((void)sync::enrol(first, s.code(t), "first", session_options()));
        CHECK(s.store.devices().size() == 1);
    }
    SUBCASE("a revoked token") {
        const auto t = s.token("Police");
        s.store.revoke_token(t.id);
        MemoryReplica device;
        CHECK(refused_code(sync_error_of([&] { (void)sync::enrol(device, s.code(t), "laptop", session_options()); })) ==
              ErrorCode::TokenRevoked);
    }
    SUBCASE("a token this server never issued") {
        IssuedToken t;
        t.token.fill(0x33);
        t.expires_at = kStart + 3600;
        MemoryReplica device;
        CHECK(refused_code(sync_error_of([&] { (void)sync::enrol(device, s.code(t), "laptop", session_options()); })) ==
              ErrorCode::TokenUnknown);
    }
    CHECK_FALSE(s.store.recent_refusals(10).empty());
    CHECK(s.wait_idle());
    s.check_serves();
}

TEST_CASE("server: a login replayed or relayed into another session is refused") {
    TestServer s;
    auto device = s.enrolled("Police");

    RawClient first(s.port(), identity().fingerprint);
    const Authenticate captured = raw_login(first, *device);

    SUBCASE("the same Authenticate message in a second session") {
        RawClient second(s.port(), identity().fingerprint);
        second.handshake();
        (void)second.hello();
        second.write(captured);
        second.expect_error(ErrorCode::AuthenticationFailed);
        second.expect_closed();
    }
    SUBCASE("a signature over the new nonce but the first session's exporter (a relay)") {
        RawClient second(s.port(), identity().fingerprint);
        second.handshake();
        const Nonce nonce = second.hello();
        CHECK(second.exporter != first.exporter);
        second.write(authenticate_message(*device, nonce, first.exporter));
        second.expect_error(ErrorCode::AuthenticationFailed);
        second.expect_closed();
    }
    SUBCASE("a signature by another key") {
        RawClient second(s.port(), identity().fingerprint);
        second.handshake();
        const Nonce nonce = second.hello();
        MemoryReplica other;
        Authenticate forged = authenticate_message(other, nonce, second.exporter);
        forged.device_key = device->device_key();
        second.write(forged);
        second.expect_error(ErrorCode::AuthenticationFailed);
        second.expect_closed();
    }
    SUBCASE("an enrolment replayed into another session") {
        const auto t = s.token("Health");
        MemoryReplica newcomer;
        Enrol enrol;
        {
            RawClient one(s.port(), identity().fingerprint);
            one.handshake();
            const Nonce nonce = one.hello();
            enrol = Enrol{t.token, newcomer.device_key(), "newcomer",
                          newcomer.sign(enrol_transcript(nonce, one.exporter, t.token, newcomer.device_key()))};
            one.write(enrol);
            const Message m = one.read();
            REQUIRE(std::holds_alternative<Welcome>(m));
        }
        RawClient two(s.port(), identity().fingerprint);
        two.handshake();
        (void)two.hello();
        two.write(enrol);
        two.expect_error(ErrorCode::AuthenticationFailed);
        two.expect_closed();
    }

    // The first session is still good.
    first.write(Pull{0, 10});
    const Message m = first.read();
    CHECK(std::holds_alternative<PullResult>(m));
    CHECK(s.store.recent_refusals(10).size() >= 1);
}

TEST_CASE("server: a device revoked while connected is refused at its next request") {
    TestServer s;
    auto device = s.enrolled("Police");
    RawClient c(s.port(), identity().fingerprint);
    (void)raw_login(c, *device);
    c.write(Pull{0, 10});
    REQUIRE(std::holds_alternative<PullResult>(c.read()));

    (void)s.store.revoke_device(device->link()->device_id.hex());  // the admin, from another process
    SUBCASE("pull") { c.write(Pull{0, 10}); }
    SUBCASE("push") {
        const auto imr = make_id(1, 1);
        c.write(Push{{PushRecord{imr, imr, domain::RecordKind::Imr, 0, bytes_of("header"), false, {}}}});
    }
    SUBCASE("submit") { c.write(Submit{make_id(1, 1), Sha256{}}); }
    c.expect_error(ErrorCode::DeviceRevoked);
    c.expect_closed();
    CHECK(s.store.max_revision() == 0);
    CHECK(s.wait_idle());
    s.check_serves();
}

// --- hostile and broken peers --------------------------------------------------------------------

TEST_CASE("server: an oversize frame header is answered or closed without allocating it") {
    TestServer s;
    const std::array<std::uint8_t, 4> one_gib{0x40, 0x00, 0x00, 0x00};

    SUBCASE("right after the TLS handshake") {
        RawClient c(s.port(), identity().fingerprint);
        c.handshake();
        c.write_raw(one_gib);
        c.expect_closed(ErrorCode::TooLarge);
    }
    SUBCASE("after authenticating") {
        auto device = s.enrolled("Police");
        RawClient c(s.port(), identity().fingerprint);
        (void)raw_login(c, *device);
        c.write_raw(one_gib);
        c.expect_error(ErrorCode::TooLarge);
        c.expect_closed();
    }
    CHECK(s.wait_idle());
    s.check_serves();
}

TEST_CASE("server: garbage inside TLS is a bad message, and the session ends") {
    TestServer s;
    RawClient c(s.port(), identity().fingerprint);
    c.handshake();
    SUBCASE("a frame of bytes that are not CBOR") {
        const std::array<std::uint8_t, 12> frame{0, 0, 0, 8, 0xFF, 0xFE, 0xFD, 0x00, 0x13, 0x37, 0xC0, 0xDE};
        c.write_raw(frame);
        c.expect_error(ErrorCode::BadMessage);
        c.expect_closed();
    }
    SUBCASE("text, whose first bytes read as a huge length") {
        const auto text = bytes_of("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        c.write_raw(text);
        c.expect_closed(ErrorCode::TooLarge);
    }
    SUBCASE("a request instead of Hello") {
        c.write(Pull{0, 10});
        c.expect_error(ErrorCode::BadMessage);
        c.expect_closed();
    }
    CHECK(s.wait_idle());
    s.check_serves();
}

TEST_CASE("server: a client that is not TLS is dropped") {
    TestServer s;
    SUBCASE("HTTP") {
        CHECK(plain_tcp_closed(s.port(), bytes_of("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), kWaitLimit));
    }
    SUBCASE("random bytes") {
        std::vector<std::uint8_t> noise(3000);
        std::uint32_t x = 12345;
        for (auto& b : noise) {
            x = x * 1664525u + 1013904223u;
            b = static_cast<std::uint8_t>(x >> 24);
        }
        CHECK(plain_tcp_closed(s.port(), noise, kWaitLimit));
    }
    CHECK(s.wait_idle());
    s.check_serves();
}

TEST_CASE("server: silent and stalled clients are closed by the timeouts") {
    ServerOptions options = test_options();
    options.handshake_timeout = 500ms;
    options.idle_timeout = 600ms;
    TestServer s(options);

    SUBCASE("connects and sends nothing") {
        const auto start = std::chrono::steady_clock::now();
        CHECK(plain_tcp_closed(s.port(), {}, kWaitLimit));
        CHECK(std::chrono::steady_clock::now() - start >= 400ms);  // by the timeout, not at once
    }
    SUBCASE("starts a TLS handshake and stalls in it") {
        const std::array<std::uint8_t, 5> record{0x16, 0x03, 0x01, 0x02, 0x00};  // a ClientHello's record header
        CHECK(plain_tcp_closed(s.port(), record, kWaitLimit));
    }
    SUBCASE("completes TLS, then says nothing") {
        RawClient c(s.port(), identity().fingerprint);
        c.handshake();
        c.expect_closed();
    }
    SUBCASE("sends half a frame and stalls") {
        RawClient c(s.port(), identity().fingerprint);
        c.handshake();
        const std::array<std::uint8_t, 10> half{0, 0, 0, 100, 0xA1, 0x61, 0x74, 0x65, 0x68, 0x65};
        c.write_raw(half);
        c.expect_closed();
    }
    SUBCASE("drips a frame a byte at a time, never logging in") {
        // Each byte comes well within the handshake timeout, so only a deadline for the whole
        // login ends this: without one a peer holds a connection (and a frame buffer) forever.
        RawClient c(s.port(), identity().fingerprint);
        c.handshake();
        const std::array<std::uint8_t, 4> header{0, 0, 0, 200};
        c.write_raw(header);
        const auto start = std::chrono::steady_clock::now();
        const std::array<std::uint8_t, 1> drop{0x61};
        while (std::chrono::steady_clock::now() - start < 3000ms) {  // > 3 x 500 ms
            std::this_thread::sleep_for(150ms);
            if (!c.try_write_raw(drop)) break;  // closed
        }
        CHECK(s.server.connections() == 0);
        c.expect_closed();
    }
    SUBCASE("sends half a request after authenticating and stalls") {
        // A session needs a few round trips within 500 ms each: generous on loopback.
        auto device = s.enrolled("Police");
        RawClient c(s.port(), identity().fingerprint);
        (void)raw_login(c, *device);
        const std::array<std::uint8_t, 6> half{0, 0, 1, 0, 0xA2, 0x61};
        c.write_raw(half);
        c.expect_closed();
    }
    SUBCASE("logs in and then idles") {
        auto device = s.enrolled("Police");
        RawClient c(s.port(), identity().fingerprint);
        (void)raw_login(c, *device);
        c.expect_closed();
    }
    CHECK(s.wait_idle());
    s.check_serves();
}

TEST_CASE("server: requests before authenticating are refused and the session closed") {
    TestServer s;
    auto device = s.enrolled("Police");
    device->edit(make_id(1, 1), make_id(1, 1), domain::RecordKind::Imr, "header");
    REQUIRE(device->pending(10, 1 << 20).size() == 1);
    const Push push{device->pending(10, 1 << 20)};

    RawClient c(s.port(), identity().fingerprint);
    c.handshake();
    (void)c.hello();
    SUBCASE("push") { c.write(push); }
    SUBCASE("pull") { c.write(Pull{0, 10}); }
    SUBCASE("submit") { c.write(Submit{make_id(1, 1), Sha256{}}); }
    SUBCASE("a second hello") { c.write(Hello{kProtocolVersion, "raw", "0", std::nullopt}); }
    c.expect_error(ErrorCode::NotAuthenticated);
    c.expect_closed();
    CHECK(s.store.max_revision() == 0);
    CHECK(s.wait_idle());
    s.check_serves();
}

TEST_CASE("server: a protocol version it does not speak is refused with UnsupportedVersion") {
    TestServer s;
    RawClient c(s.port(), identity().fingerprint);
    c.handshake();
    SUBCASE("newer") { c.write(Hello{kProtocolVersion + 1, "future", "9.0", std::nullopt}); }
    SUBCASE("older") { c.write(Hello{kMinProtocolVersion - 1, "past", "0.0", std::nullopt}); }
    c.expect_error(ErrorCode::UnsupportedVersion);
    c.expect_closed();
    CHECK(s.wait_idle());
    s.check_serves();
}

TEST_CASE("server: a device over its request limit is told RateLimited; others are served") {
    ServerOptions options = test_options();
    options.requests_per_minute = 3;  // a session with nothing to push is one request (a pull)
    TestServer s(options);
    auto device = s.enrolled("Police");  // request 1
    CHECK_NOTHROW((void)sync_once(*device, session_options()));  // 2
    CHECK_NOTHROW((void)sync_once(*device, session_options()));  // 3
    const SyncError e = sync_error_of([&] { (void)sync_once(*device, session_options()); });
    CHECK(e.kind() == SyncError::Kind::Refused);
    CHECK(e.code() == ErrorCode::RateLimited);
    CHECK(s.store.recent_refusals(1).at(0).find("rate_limited") != std::string::npos);

    // Within one connection too: an authenticated raw client gets an Error and may go on.
    {
        RawClient c(s.port(), identity().fingerprint);
        (void)raw_login(c, *device);
        c.write(Pull{0, 10});
        c.expect_error(ErrorCode::RateLimited);
        c.write(Pull{0, 10});
        c.expect_error(ErrorCode::RateLimited);
    }
    CHECK(s.wait_idle());
    s.check_serves();  // another device has its own allowance
}

namespace {

// A TCP connection from `from` (another loopback address: 127.0.0.2) that says nothing.
tcp::socket silent_from(asio::io_context& io, const std::string& from, std::uint16_t port) {
    tcp::socket socket(io);
    socket.open(tcp::v4());
    socket.bind(tcp::endpoint(asio::ip::make_address(from), 0));
    socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
    return socket;
}

// Whether the server closes an open connection within `limit`.
bool closed_within(tcp::socket& socket, std::chrono::milliseconds limit) {
    socket.non_blocking(true);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::array<std::uint8_t, 512> buffer{};
    while (std::chrono::steady_clock::now() < deadline) {
        std::error_code ec;
        socket.read_some(asio::buffer(buffer), ec);
        if (ec && ec != asio::error::would_block && ec != asio::error::try_again) return true;
        std::this_thread::sleep_for(5ms);
    }
    return false;
}

bool wait_connections(TestServer& s, std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
    while (s.server.connections() != n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    return s.server.connections() == n;
}

}  // namespace

TEST_CASE("server: when full, the oldest connection that never logged in makes room; logged-in ones never do") {
    ServerOptions options = test_options();
    options.max_connections = 2;
    TestServer s(options);
    asio::io_context io;
    std::vector<tcp::socket> silent;
    for (int i = 0; i < 2; ++i) silent.push_back(silent_from(io, "127.0.0.2", s.port()));
    REQUIRE(wait_connections(s, 2));

    // A device gets in at once (not after the 5 s handshake timeout): the oldest silent one goes.
    const auto start = std::chrono::steady_clock::now();
    auto device = s.enrolled("Police");
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(closed_within(silent[0], 2s));
    for (auto& socket : silent) socket.close();
    CHECK(s.wait_idle());

    // Two logged-in sessions fill it: a new connection is refused at once, and they go on.
    RawClient a(s.port(), identity().fingerprint);
    (void)raw_login(a, *device);
    auto other = s.enrolled("Housing");
    REQUIRE(wait_connections(s, 1));  // the enrolment's session has ended
    RawClient b(s.port(), identity().fingerprint);
    (void)raw_login(b, *other);
    REQUIRE(wait_connections(s, 2));
    const auto refused_at = std::chrono::steady_clock::now();
    CHECK(plain_tcp_closed(s.port(), {}, kWaitLimit));
    CHECK(std::chrono::steady_clock::now() - refused_at < 2s);
    a.write(Pull{0, 10});
    CHECK(std::holds_alternative<PullResult>(a.read()));
    b.write(Pull{0, 10});
    CHECK(std::holds_alternative<PullResult>(b.read()));
}

TEST_CASE("server: one address holding its limit of silent connections does not keep a device at another address out") {
    ServerOptions options = test_options();
    options.max_connections_per_address = 8;
    TestServer s(options);
    asio::io_context io;
    std::vector<tcp::socket> silent;
    for (int i = 0; i < 8; ++i) silent.push_back(silent_from(io, "127.0.0.2", s.port()));
    REQUIRE(wait_connections(s, 8));
    auto ninth = silent_from(io, "127.0.0.2", s.port());
    CHECK(closed_within(ninth, 2s));  // at once, not by a timeout
    CHECK(s.server.connections() == 8);
    for (int i = 0; i < 3; ++i) CHECK_NOTHROW((void)s.enrolled("Agency " + std::to_string(i)));  // 127.0.0.1
    for (auto& socket : silent) CHECK_FALSE(closed_within(socket, 10ms));  // under no pressure: left alone
    for (auto& socket : silent) socket.close();
    CHECK(s.wait_idle());
}

TEST_CASE("server: stop() closes idle, half-open and logged-in connections and returns") {
    TestServer s;
    auto device = s.enrolled("Police");
    RawClient logged_in(s.port(), identity().fingerprint);
    (void)raw_login(logged_in, *device);
    RawClient handshaken(s.port(), identity().fingerprint);
    handshaken.handshake();
    asio::io_context io;
    tcp::socket silent(io);
    silent.connect(tcp::endpoint(asio::ip::address_v4::loopback(), s.port()));
    const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
    while (s.server.connections() < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    REQUIRE(s.server.connections() == 3);

    const auto start = std::chrono::steady_clock::now();
    s.server.stop();
    REQUIRE(s.wait_idle());  // well before the 5 s timeouts
    s.thread.join();
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    logged_in.expect_closed();
    handshaken.expect_closed();
    // And nothing listens any more.
    tcp::socket late(io);
    std::error_code ec;
    late.connect(tcp::endpoint(asio::ip::address_v4::loopback(), s.port()), ec);
    CHECK(ec);
}
