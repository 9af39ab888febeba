// Interposes send, recv, sendmsg and recvmsg for the whole executable (see sync_wire.hpp). The
// real calls are made with syscall(2), as glibc makes them (send is sendto without an address,
// recv is recvfrom without one). _FORTIFY_SOURCE is turned off here: its inline recv wrapper in
// <sys/socket.h> would clash with the definition below.
#undef _FORTIFY_SOURCE
#include "sync_wire.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>

namespace imrdesk::bench::wire {
namespace {

constexpr std::size_t kMaxPorts = 8;
std::array<std::atomic<std::uint16_t>, kMaxPorts> g_ports{};
std::atomic<int> g_watching{0};
std::atomic<std::uint64_t> g_sent{0};
std::atomic<std::uint64_t> g_received{0};
std::atomic<std::uint64_t> g_turns{0};
std::atomic<std::uint64_t> g_calls{0};
std::atomic<int> g_last{0};  // 1: the last counted call sent, 2: it received

std::uint16_t port_of(const sockaddr_storage& address) noexcept {
    const unsigned char* p = nullptr;
    if (address.ss_family == AF_INET) {
        p = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
    } else if (address.ss_family == AF_INET6) {
        p = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
    } else {
        return 0;
    }
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);  // network byte order
}

bool watched(int fd) noexcept {
    if (g_watching.load(std::memory_order_relaxed) == 0) return false;
    const int saved = errno;
    sockaddr_storage peer{};
    socklen_t size = sizeof peer;
    const bool got = ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) == 0;
    errno = saved;
    if (!got) return false;
    const std::uint16_t port = port_of(peer);
    if (port == 0) return false;
    for (const auto& p : g_ports)
        if (p.load(std::memory_order_relaxed) == port) return true;
    return false;
}

void count_sent(int fd, long n) noexcept {
    g_calls.fetch_add(1, std::memory_order_relaxed);
    if (n <= 0 || !watched(fd)) return;
    g_sent.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
    g_last.store(1, std::memory_order_relaxed);
}

void count_received(int fd, long n) noexcept {
    g_calls.fetch_add(1, std::memory_order_relaxed);
    if (n <= 0 || !watched(fd)) return;
    g_received.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
    if (g_last.exchange(2, std::memory_order_relaxed) == 1) g_turns.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

Counters operator-(const Counters& a, const Counters& b) noexcept {
    return {a.sent - b.sent, a.received - b.received, a.turns - b.turns};
}

void watch(std::uint16_t port) {
    for (auto& p : g_ports) {
        std::uint16_t expected = 0;
        if (p.compare_exchange_strong(expected, port)) {
            g_watching.fetch_add(1);
            g_last.store(0);
            return;
        }
    }
}

void unwatch(std::uint16_t port) {
    for (auto& p : g_ports) {
        std::uint16_t expected = port;
        if (p.compare_exchange_strong(expected, 0)) {
            g_watching.fetch_sub(1);
            return;
        }
    }
}

Counters now() noexcept { return {g_sent.load(), g_received.load(), g_turns.load()}; }

std::uint64_t calls_seen() noexcept { return g_calls.load(); }

}  // namespace imrdesk::bench::wire

extern "C" {

ssize_t send(int fd, const void* buffer, size_t size, int flags) {
    const long n = ::syscall(SYS_sendto, fd, buffer, size, flags, nullptr, 0);
    imrdesk::bench::wire::count_sent(fd, n);
    return static_cast<ssize_t>(n);
}

ssize_t recv(int fd, void* buffer, size_t size, int flags) {
    const long n = ::syscall(SYS_recvfrom, fd, buffer, size, flags, nullptr, nullptr);
    imrdesk::bench::wire::count_received(fd, n);
    return static_cast<ssize_t>(n);
}

ssize_t sendmsg(int fd, const struct msghdr* message, int flags) {
    const long n = ::syscall(SYS_sendmsg, fd, message, flags);
    imrdesk::bench::wire::count_sent(fd, n);
    return static_cast<ssize_t>(n);
}

ssize_t recvmsg(int fd, struct msghdr* message, int flags) {
    const long n = ::syscall(SYS_recvmsg, fd, message, flags);
    imrdesk::bench::wire::count_received(fd, n);
    return static_cast<ssize_t>(n);
}

}  // extern "C"
