// The server over the network (real TLS 1.3 on 127.0.0.1, an in-process Server on its own
// thread): it refuses what it must (wrong pin, unknown, revoked or replayed logins, used and
// expired tokens, requests before authentication, other protocol versions) and
// survives what a hostile or broken peer sends (oversize frames, garbage with and without TLS,
// silence, half a frame), each time serving the next client and closing every connection.
//
// Every wait is bounded: clients use short timeouts, the server short handshake/idle timeouts
// where a test waits for them, and polling loops give up after a few seconds.
#include "server_fixture.hpp"

// --- the happy path, for reference -------------------------------------------------------------

TEST_CASE("server: devices enrol, push, pull and submit, a reviewer receives the submitted IMR") {
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
    const Push push{device->pending(10, 1 << 20)};
    REQUIRE(push.records.size() == 1);

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
