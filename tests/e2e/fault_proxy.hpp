#pragma once
// A TCP relay between devices and the server that misbehaves on purpose: each connection may be
// cut at a random byte offset in either direction, reset (RST) there, or stalled for a while
// before going on. Faults are drawn from a seeded generator, so a failing run can be replayed.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace imrdesk::test {

struct FaultPlan {
    double fault_probability = 0.5;  // of a connection having one fault
    std::uint64_t max_offset = 8000;  // bytes into the stream (either direction) where it strikes
    int min_stall_ms = 200;
    int max_stall_ms = 4000;
};

struct FaultCounts {
    std::size_t connections = 0;
    std::size_t cuts = 0;
    std::size_t resets = 0;
    std::size_t stalls = 0;
};

class FaultProxy {
public:
    FaultProxy(int upstream_port, std::uint64_t seed);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    [[nodiscard]] int port() const noexcept { return port_; }
    void set_plan(const FaultPlan& plan);
    [[nodiscard]] FaultCounts counts() const;

private:
    void accept_loop();
    void relay(int client, int upstream, int fault, std::uint64_t offset, bool upstream_direction, int stall_ms);

    int upstream_port_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::mt19937_64 random_;
    FaultPlan plan_;
    FaultCounts counts_;
    std::thread acceptor_;
    std::vector<std::thread> relays_;
};

}  // namespace imrdesk::test
