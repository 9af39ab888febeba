#pragma once
// Work spread over the cores, for the vault's and the model's large batches (opening a vault of
// 10,000 entries, storing a pulled page, an import): the per-record crypto and decoding run beside
// SQLite's single-threaded work instead of after it. Private to client/core.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::client::parallel {

// Threads are worth starting from about this many records; below, everything runs here.
inline constexpr std::size_t kThreadFrom = 256;

// The work handles decrypted text, and the crypto and parsers it calls leave pieces of it on the
// stack (a partial block, a parser's buffer): each thread wipes this much of its stack after.
inline constexpr std::size_t kStackWipeBytes = 64 * 1024;

// Calls fn(first, last) over consecutive ranges covering [0, n), on up to four threads (this one
// included) when n is large enough. What fn throws on another thread is thrown here.
template <typename F>
void for_each_range(std::size_t n, F&& fn) {
    const std::size_t workers = n < 2 * kThreadFrom ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    if (workers == 1) {
        fn(std::size_t{0}, n);
        crypto::wipe_stack(kStackWipeBytes);
        return;
    }
    const std::size_t chunk = (n + workers - 1) / workers;
    std::vector<std::exception_ptr> errors(workers);
    {
        std::vector<std::jthread> threads;
        threads.reserve(workers - 1);
        for (std::size_t w = 1; w < workers; ++w) {
            threads.emplace_back([&, w] {
                try {
                    fn(std::min(n, w * chunk), std::min(n, (w + 1) * chunk));
                } catch (...) {
                    errors[w] = std::current_exception();
                }
                crypto::wipe_stack(kStackWipeBytes);
            });
        }
        try {
            fn(std::size_t{0}, std::min(n, chunk));
        } catch (...) {
            errors[0] = std::current_exception();
        }
        crypto::wipe_stack(kStackWipeBytes);
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

// Computes make(0) ... make(n - 1) in order on another thread, ahead of a consumer on this one
// that takes them with get(i) in the same order: sealing the next records while SQLite stores the
// ones before. Small batches are computed here, at once. What make throws, get throws.
template <typename T>
class Ahead {
public:
    template <typename Make>
    Ahead(std::size_t n, Make make) : results_(n) {
        if (n < kThreadFrom) {
            for (std::size_t i = 0; i < n; ++i) results_[i] = make(i);
            ready_.store(n);
            return;
        }
        thread_ = std::jthread([this, n, make = std::move(make)](const std::stop_token& stop) mutable {
            try {
                for (std::size_t i = 0; i < n && !stop.stop_requested(); ++i) {
                    results_[i] = make(i);
                    ready_.store(i + 1, std::memory_order_release);
                    ready_.notify_one();
                }
            } catch (...) {
                error_ = std::current_exception();
                failed_.store(true, std::memory_order_release);
                ready_.store(n + 1, std::memory_order_release);  // wakes the consumer whatever it waits for
                ready_.notify_one();
            }
            crypto::wipe_stack(kStackWipeBytes);
        });
    }
    ~Ahead() = default;  // the jthread asks the producer to stop, then joins it
    Ahead(const Ahead&) = delete;
    Ahead& operator=(const Ahead&) = delete;

    // The i-th result, once made (the consumer may move it out).
    [[nodiscard]] T& get(std::size_t i) {
        std::size_t seen = ready_.load(std::memory_order_acquire);
        while (seen <= i) {
            ready_.wait(seen, std::memory_order_acquire);
            seen = ready_.load(std::memory_order_acquire);
        }
        if (failed_.load(std::memory_order_acquire)) std::rethrow_exception(error_);
        return results_[i];
    }

private:
    std::vector<T> results_;
    std::atomic<std::size_t> ready_{0};
    std::atomic<bool> failed_{false};
    std::exception_ptr error_;
    std::jthread thread_;  // last: joined before the results it writes go
};

}  // namespace imrdesk::client::parallel
