#pragma once
// Shell helpers of the e2e tests that check files with real clients (python3-openpyxl,
// python3-docx, LibreOffice, poppler): whether a tool is there, a command's standard output (the
// test fails when it fails), and the path of a checking script in tests/e2e/scripts.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace imrdesk::test {

inline bool have(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()) == 0; }

inline std::string run_capture(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[65536];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    const int status = ::pclose(pipe);
    INFO(command);
    REQUIRE(status == 0);
    return out;
}

inline std::string script(const char* name) { return std::string(IMRDESK_E2E_SCRIPTS) + "/" + name; }

}  // namespace imrdesk::test
