#include "imrdesk/client/tasks.hpp"

namespace imrdesk::client {

TaskRunner::TaskRunner(std::function<void()> wake) : wake_(std::move(wake)), worker_([this] { worker_loop(); }) {}

TaskRunner::~TaskRunner() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    worker_.join();
}

void TaskRunner::post(std::string label, Job job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.emplace_back(std::move(label), std::move(job));
        ++pending_;
    }
    cv_.notify_all();
}

void TaskRunner::worker_loop() {
    for (;;) {
        std::pair<std::string, Job> job;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (stopping_) return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
            running_ = job.first;
        }
        Continuation continuation;
        try {
            continuation = job.second();
        } catch (...) {
            // A job reports its own errors through its continuation; anything else is a bug, but
            // must not take the app down with unsaved work in it.
            continuation = [] {};
        }
        {
            std::lock_guard lock(mutex_);
            ready_.push_back(std::move(continuation));
            running_.clear();
        }
        cv_.notify_all();
        if (wake_) wake_();
    }
}

bool TaskRunner::run_ready() {
    std::vector<Continuation> ready;
    {
        std::lock_guard lock(mutex_);
        ready.swap(ready_);
    }
    for (auto& continuation : ready) {
        if (continuation) continuation();
        std::lock_guard lock(mutex_);
        --pending_;
    }
    if (!ready.empty()) cv_.notify_all();
    return !ready.empty();
}

bool TaskRunner::busy() const {
    std::lock_guard lock(mutex_);
    return pending_ > 0;
}

std::string TaskRunner::current_label() const {
    std::lock_guard lock(mutex_);
    if (!running_.empty()) return running_;
    return jobs_.empty() ? std::string() : jobs_.front().first;
}

void TaskRunner::drain() {
    for (;;) {
        run_ready();
        std::unique_lock lock(mutex_);
        if (pending_ == 0) return;
        cv_.wait(lock, [this] { return !ready_.empty() || pending_ == 0; });
    }
}

}  // namespace imrdesk::client
