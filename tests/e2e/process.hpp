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

}  // namespace imrdesk::test
