#pragma once
// The SQLCipher engine, seen from bench_vault: a proxy that runs bench_sqlcipher_peer as a child
// process and drives it over pipes (see the protocol in sqlcipher_peer.cpp).
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/types.h>

#include "corpus.hpp"
#include "engine.hpp"

namespace imrdesk::bench {

class PeerEngine final : public Engine {
public:
    // Starts the peer; throws unless it answers "ready" with the same corpus fingerprint.
    PeerEngine(const std::filesystem::path& program, const std::filesystem::path& dir, const Corpus& corpus);
    ~PeerEngine() override;  // closes its input (the peer exits) and waits for it
    PeerEngine(const PeerEngine&) = delete;
    PeerEngine& operator=(const PeerEngine&) = delete;

    double import_all() override;
    double read_all() override;
    double autosave(std::size_t begin, std::size_t count) override;
    void reset() override;

    [[nodiscard]] const std::string& version() const noexcept { return version_; }

private:
    std::string ask(const std::string& command);
    double ask_ms(const std::string& command);

    pid_t pid_ = -1;
    std::FILE* to_peer_ = nullptr;
    std::FILE* from_peer_ = nullptr;
    std::string version_;
};

}  // namespace imrdesk::bench
