// The server under load from one address: its connection limits (per address, not yet logged
// in, in all) make room by closing a silent connection, never a logged-in one, and a device's
// request limit answers RateLimited. Real TLS 1.3 on loopback, as test_server_security.cpp.
#include "server_fixture.hpp"

TEST_CASE("server: a device over its request limit is told RateLimited, others are served") {
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

TEST_CASE("server: when full, the oldest connection that never logged in makes room, logged-in ones never do") {
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

