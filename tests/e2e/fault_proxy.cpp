#include "fault_proxy.hpp"

#include <algorithm>
#include <chrono>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace imrdesk::test {

namespace {

enum Fault { kNone = 0, kCut = 1, kReset = 2, kStall = 3 };

void reset_and_close(int fd) {
    linger l{1, 0};  // close() sends RST
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

int connect_local(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

FaultProxy::FaultProxy(int upstream_port, std::uint64_t seed) : upstream_port_(upstream_port), random_(seed) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 64) != 0) {
        throw std::runtime_error("the fault proxy cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
    stop_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    for (auto& t : relays_) t.join();
}

void FaultProxy::set_plan(const FaultPlan& plan) {
    const std::lock_guard lock(mutex_);
    plan_ = plan;
}

FaultCounts FaultProxy::counts() const {
    const std::lock_guard lock(mutex_);
    return counts_;
}

void FaultProxy::accept_loop() {
    while (!stop_) {
        pollfd p{listener_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        const int client = ::accept(listener_, nullptr, nullptr);
        if (client < 0) continue;
        const int upstream = connect_local(upstream_port_);
        if (upstream < 0) {
            ::close(client);  // the server is down: the device sees a refused/closed connection
            continue;
        }
        int fault = kNone;
        std::uint64_t offset = 0;
        bool up = false;
        int stall = 0;
        {
            const std::lock_guard lock(mutex_);
            ++counts_.connections;
            std::uniform_real_distribution<double> unit(0, 1);
            if (unit(random_) < plan_.fault_probability) {
                fault = 1 + static_cast<int>(random_() % 3);
                offset = random_() % (plan_.max_offset + 1);
                up = (random_() & 1) != 0;
                stall = plan_.min_stall_ms +
                        static_cast<int>(random_() % static_cast<std::uint64_t>(plan_.max_stall_ms - plan_.min_stall_ms + 1));
            }
        }
        relays_.emplace_back([=, this] { relay(client, upstream, fault, offset, up, stall); });
    }
}

// Copies both ways until either side closes; the fault strikes when `offset` bytes have passed in
// its direction (devices -> server when upstream_direction).
void FaultProxy::relay(int client, int upstream, int fault, std::uint64_t offset, bool upstream_direction, int stall_ms) {
    std::uint64_t passed[2] = {0, 0};  // [0] client -> upstream, [1] upstream -> client
    const int dir = upstream_direction ? 0 : 1;
    bool struck = fault == kNone;
    char buffer[16384];
    for (;;) {
        if (stop_) break;
        pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
        const int n = ::poll(fds, 2, 100);
        if (n < 0) break;
        if (n == 0) continue;
        bool closed = false;
        for (int i = 0; i < 2 && !closed; ++i) {
            if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            const int from = i == 0 ? client : upstream;
            const int to = i == 0 ? upstream : client;
            std::size_t want = sizeof buffer;
            if (!struck && i == dir) want = static_cast<std::size_t>(std::min<std::uint64_t>(want, offset - passed[i] + 1));
            const ssize_t got = ::read(from, buffer, want == 0 ? 1 : want);
            if (got <= 0) {
                closed = true;
                break;
            }
            std::size_t len = static_cast<std::size_t>(got);
            if (!struck && i == dir && passed[i] + len > offset) {
                const auto before = static_cast<std::size_t>(offset - passed[i]);
                if (before > 0) (void)!::send(to, buffer, before, MSG_NOSIGNAL);
                passed[i] += before;
                struck = true;
                {
                    const std::lock_guard lock(mutex_);
                    (fault == kCut ? counts_.cuts : fault == kReset ? counts_.resets : counts_.stalls)++;
                }
                if (fault == kCut) {
                    ::close(client);
                    ::close(upstream);
                    return;
                }
                if (fault == kReset) {
                    reset_and_close(client);
                    reset_and_close(upstream);
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(stall_ms));
                (void)!::send(to, buffer + before, len - before, MSG_NOSIGNAL);
                passed[i] += len - before;
                continue;
            }
            std::size_t sent = 0;
            while (sent < len) {
                const ssize_t w = ::send(to, buffer + sent, len - sent, MSG_NOSIGNAL);
                if (w <= 0) {
                    closed = true;
                    break;
                }
                sent += static_cast<std::size_t>(w);
            }
            passed[i] += len;
        }
        if (closed) break;
    }
    ::close(client);
    ::close(upstream);
}

}  // namespace imrdesk::test
