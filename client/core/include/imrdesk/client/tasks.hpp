#pragma once
// Background work for the UI: a job runs on a worker thread and returns a continuation that the
// UI thread runs when it drains the queue once per frame (swap the vector under the lock, run it
// unlocked). The wake callback lets an event-driven UI sleep until a result is ready.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace imrdesk::client {

class TaskRunner {
public:
    using Continuation = std::function<void()>;
    using Job = std::function<Continuation()>;

    explicit TaskRunner(std::function<void()> wake = {});
    ~TaskRunner();
    TaskRunner(const TaskRunner&) = delete;
    TaskRunner& operator=(const TaskRunner&) = delete;

    // Queues a job with a label the UI shows while it runs ("Unlocking ...").
    void post(std::string label, Job job);
    // UI thread: runs the continuations of finished jobs. Returns true if any ran.
    bool run_ready();
    [[nodiscard]] bool busy() const;
    [[nodiscard]] std::string current_label() const;
    // Blocks until every queued job has finished and its continuation ran (tests, exit).
    void drain();

private:
    void worker_loop();

    std::function<void()> wake_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::pair<std::string, Job>> jobs_;
    std::vector<Continuation> ready_;
    std::string running_;
    std::size_t pending_ = 0;  // queued + running + finished-not-drained
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace imrdesk::client
