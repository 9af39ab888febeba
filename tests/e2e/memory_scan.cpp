#include "memory_scan.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace imrdesk::test {
namespace {

std::string to_utf16le(const std::string& ascii) {
    std::string out;
    out.reserve(ascii.size() * 2);
    for (const char c : ascii) {  // the needles are ASCII
        out.push_back(c);
        out.push_back('\0');
    }
    return out;
}

struct Pattern {
    std::string bytes;
    std::size_t needle;
    bool utf16;
};

std::uint16_t first_two(const char* p) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(p[0]) | (static_cast<unsigned char>(p[1]) << 8));
}

std::string printable_context(const char* data, std::size_t size, std::size_t at, std::size_t length) {
    const std::size_t from = at > 24 ? at - 24 : 0;
    const std::size_t to = std::min(size, at + length + 24);
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c == 0) continue;
        out.push_back(c >= 32 && c < 127 ? static_cast<char>(c) : '.');
    }
    return out;
}

}  // namespace

std::size_t MemoryScan::count(std::size_t needle) const {
    return static_cast<std::size_t>(std::count_if(hits.begin(), hits.end(), [&](const MemoryHit& h) { return h.needle == needle; }));
}

MemoryScan scan_process_memory(int pid, const std::vector<std::string>& needles) {
    std::vector<Pattern> patterns;
    for (std::size_t i = 0; i < needles.size(); ++i) {
        if (needles[i].size() < 8) throw std::invalid_argument("a needle needs at least 8 bytes: " + needles[i]);
        patterns.push_back({needles[i], i, false});
        patterns.push_back({to_utf16le(needles[i]), i, true});
    }
    std::vector<std::vector<std::size_t>> by_first_two(65536);  // which patterns may start here
    for (std::size_t i = 0; i < patterns.size(); ++i) by_first_two[first_two(patterns[i].bytes.data())].push_back(i);

    const std::string proc = "/proc/" + std::to_string(pid);
    std::ifstream maps(proc + "/maps");
    if (!maps) throw std::runtime_error("cannot read " + proc + "/maps");
    const int mem = ::open((proc + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
    if (mem < 0) throw std::runtime_error("cannot open " + proc + "/mem: " + std::strerror(errno));

    MemoryScan scan;
    std::vector<char> buffer;
    std::string line;
    while (std::getline(maps, line)) {
        std::istringstream fields(line);
        std::string range, perms, offset, device, inode, name;
        fields >> range >> perms >> offset >> device >> inode;
        std::getline(fields >> std::ws, name);
        if (perms.size() < 2 || perms[0] != 'r') continue;
        const bool anonymous = name.empty() || name.front() == '[';
        if (name == "[vvar]" || name == "[vsyscall]" || name == "[vdso]") continue;
        if (perms[1] != 'w' && !anonymous) continue;  // a file's read-only image: code and constants
        const auto dash = range.find('-');
        const std::uint64_t start = std::stoull(range.substr(0, dash), nullptr, 16);
        const std::uint64_t end = std::stoull(range.substr(dash + 1), nullptr, 16);
        buffer.resize(static_cast<std::size_t>(end - start));
        std::size_t got = 0;
        while (got < buffer.size()) {
            const ssize_t n = ::pread(mem, buffer.data() + got, buffer.size() - got, static_cast<off_t>(start + got));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        scan.bytes_read += got;
        const char* data = buffer.data();
        for (std::size_t at = 0; at + 8 <= got; ++at) {
            for (const std::size_t index : by_first_two[first_two(data + at)]) {
                const Pattern& p = patterns[index];
                if (p.bytes.size() <= got - at && std::memcmp(data + at, p.bytes.data(), p.bytes.size()) == 0) {
                    scan.hits.push_back({p.needle, p.utf16, anonymous && name.empty() ? "anonymous" : name, start + at,
                                         printable_context(data, got, at, p.bytes.size())});
                }
            }
        }
    }
    ::close(mem);
    return scan;
}

}  // namespace imrdesk::test
