#pragma once
// Reads another process's memory (/proc/PID/maps and /proc/PID/mem, as an attacker holding the
// laptop would) and finds every copy of some secrets in it, as UTF-8 and as UTF-16LE.
#include <cstdint>
#include <string>
#include <vector>

namespace imrdesk::test {

struct MemoryHit {
    std::size_t needle = 0;  // index into the needles
    bool utf16 = false;
    std::string region;  // the mapping's name ("[heap]", "[stack]", "anonymous", a file)
    std::uint64_t address = 0;
    std::string context;  // the printable text around the hit
};

struct MemoryScan {
    std::vector<MemoryHit> hits;
    std::uint64_t bytes_read = 0;
    [[nodiscard]] std::size_t count(std::size_t needle) const;
};

// Every writable or anonymous mapping of the process is read; the images of the program and its
// libraries (read-only, from files) are not: they hold code and constants, not what was typed.
// Throws with the reason when the memory cannot be read (not root, or ptrace not allowed).
MemoryScan scan_process_memory(int pid, const std::vector<std::string>& needles);

}  // namespace imrdesk::test
