#pragma once
// Runs a program as a real process: arguments, standard input, captured output and exit code.
// The child gets a new session, so it has no controlling terminal (as in CI).
#include <string>
#include <vector>

namespace imrdesk::test {

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args, const std::string& input = {});

// A program left running (a server): its standard error goes to a file. The destructor kills it.
class BackgroundProcess {
public:
    BackgroundProcess(const std::string& program, const std::vector<std::string>& args, const std::string& log_file);
    ~BackgroundProcess();
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;

    [[nodiscard]] int pid() const noexcept { return pid_; }
    // Sends the signal and waits (up to timeout_ms) for the exit; returns the exit code (128+signal
    // when killed), or -1 if it did not exit in time (it is then killed).
    int stop(int signal, int timeout_ms = 10000);
    [[nodiscard]] bool running();
    // Waits for the exit (up to timeout_ms); its exit code, or -1 if still running.
    int wait(int timeout_ms);

private:
    int pid_ = -1;
    int exit_code_ = -1;
};

}  // namespace imrdesk::test
