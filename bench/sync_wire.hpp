#pragma once
// Bytes on the wire for bench_sync: the TCP payload (TLS records, the handshake included; not
// the TCP/IP headers) that this process's client sockets send to and receive from the watched
// ports, counted by interposing send, recv, sendmsg and recvmsg (sync_wire.cpp). Asio is
// header-only and compiled into the executable, so its socket calls bind to those definitions;
// OpenSSL never touches the socket (Asio feeds it memory BIOs).
//
// A socket is counted when its peer is a watched port, i.e. on the client side only: what the
// client sends is what the server receives, and the other way round. The counters are global:
// a figure for one session needs the sessions to run one at a time.
#include <cstdint>

namespace imrdesk::bench::wire {

struct Counters {
    std::uint64_t sent = 0;      // client -> server
    std::uint64_t received = 0;  // server -> client
    // Times a client socket received after having sent (one per round trip seen on the wire; the
    // TCP handshake is not seen). Meaningful for one connection at a time.
    std::uint64_t turns = 0;

    [[nodiscard]] std::uint64_t total() const noexcept { return sent + received; }
};

[[nodiscard]] Counters operator-(const Counters& a, const Counters& b) noexcept;

// Starts or stops counting client sockets whose peer port is `port` (up to 8 ports at once).
void watch(std::uint16_t port);
void unwatch(std::uint16_t port);

[[nodiscard]] Counters now() noexcept;

// Calls of the interposed functions seen so far on any socket (a check that interposition is in
// effect: 0 after a session means the counts are not measured).
[[nodiscard]] std::uint64_t calls_seen() noexcept;

}  // namespace imrdesk::bench::wire
