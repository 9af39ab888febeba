#pragma once
// Running the real clients (python-docx, openpyxl, LibreOffice, poppler) from the writers' tests.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace imrdesk::test {

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

[[nodiscard]] CommandResult run_command(const std::string& command);

// /usr/bin/python3 (not whatever python3 is first on PATH) can import module.
[[nodiscard]] bool have_python_module(const std::string& module);
[[nodiscard]] bool have_soffice();
[[nodiscard]] bool have_poppler();

// Runs a Python script (its source) with /usr/bin/python3 and these arguments.
[[nodiscard]] CommandResult run_python(const std::filesystem::path& dir, const std::string& source,
                                       const std::vector<std::string>& arguments);

// Converts every input to format in one LibreOffice run, with a throwaway profile under dir;
// returns the converted files' paths (empty for one that was not made).
[[nodiscard]] std::vector<std::filesystem::path> soffice_convert(const std::filesystem::path& dir,
                                                                 const std::vector<std::filesystem::path>& inputs,
                                                                 const std::string& format);

// Every entry of a zip archive held in memory.
[[nodiscard]] std::map<std::string, std::string> unzip(const std::string& bytes);

}  // namespace imrdesk::test
