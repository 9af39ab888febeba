#include "peer_engine.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace imrdesk::bench {
namespace {

std::runtime_error failure(const std::string& what) {
    std::string message = "bench_sqlcipher_peer: ";
    message += what;
    return std::runtime_error(message);
}

}  // namespace

PeerEngine::PeerEngine(const std::filesystem::path& program, const std::filesystem::path& dir, const Corpus& corpus) {
    int to_child[2];
    int from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0) throw failure(std::strerror(errno));
    if (::pipe2(from_child, O_CLOEXEC) != 0) {
        ::close(to_child[0]);
        ::close(to_child[1]);
        throw failure(std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);  // dup2 clears O_CLOEXEC
    posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
    std::vector<std::string> args{program.string(), dir.string(), std::to_string(corpus.ids.size()),
                                  std::to_string(corpus.autosave_bodies.size())};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(to_child[0]);
    ::close(from_child[1]);
    if (rc != 0) {
        ::close(to_child[1]);
        ::close(from_child[0]);
        pid_ = -1;
        std::string message = "cannot start ";
        message += program.string();
        message += ": ";
        message += std::strerror(rc);
        throw failure(message);
    }
    to_peer_ = ::fdopen(to_child[1], "w");
    from_peer_ = ::fdopen(from_child[0], "r");

    std::istringstream ready(ask(""));
    std::string word;
    std::string fingerprint;
    ready >> word >> fingerprint;
    std::getline(ready >> std::ws, version_);
    char expected[17];
    std::snprintf(expected, sizeof expected, "%016llx", static_cast<unsigned long long>(corpus.fingerprint));
    if (word != "ready" || fingerprint != expected) throw failure("it built a different corpus");
}

PeerEngine::~PeerEngine() {
    if (to_peer_ != nullptr) std::fclose(to_peer_);  // end of input: the peer removes its files and exits
    if (from_peer_ != nullptr) std::fclose(from_peer_);
    if (pid_ > 0) {
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

// Sends one command (none for the greeting) and returns the answer line.
std::string PeerEngine::ask(const std::string& command) {
    if (to_peer_ == nullptr || from_peer_ == nullptr) throw failure("no pipe to the peer");
    if (!command.empty() && (std::fprintf(to_peer_, "%s\n", command.c_str()) < 0 || std::fflush(to_peer_) != 0))
        throw failure("it stopped (writing '" + command + "')");
    std::string line;
    for (int c = std::fgetc(from_peer_); c != EOF && c != '\n'; c = std::fgetc(from_peer_)) line += static_cast<char>(c);
    if (line.empty()) throw failure("it stopped without an answer to '" + command + "'");
    if (line.rfind("error ", 0) == 0) throw failure(line.substr(6));
    return line;
}

double PeerEngine::ask_ms(const std::string& command) {
    const std::string answer = ask(command);
    try {
        return std::stod(answer);
    } catch (const std::exception&) {
        throw failure("unexpected answer '" + answer + "' to '" + command + "'");
    }
}

double PeerEngine::import_all() { return ask_ms("import"); }
double PeerEngine::read_all() { return ask_ms("read"); }
double PeerEngine::autosave(std::size_t begin, std::size_t count) {
    char command[64];
    std::snprintf(command, sizeof command, "autosave %zu %zu", begin, count);
    return ask_ms(command);
}
void PeerEngine::reset() { (void)ask("reset"); }

}  // namespace imrdesk::bench
