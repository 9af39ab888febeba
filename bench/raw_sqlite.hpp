#pragma once
// The reference engines: the vault's records table, same pragmas, plaintext JSON bodies, written
// and read through the bare SQLite C API. raw_sqlite.cpp is compiled twice: against the system
// SQLite (into bench_vault) and, with IMRDESK_BENCH_SQLCIPHER, against SQLCipher (into
// bench_sqlcipher_peer). The two libraries export the same symbols, hence two processes.
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "corpus.hpp"
#include "engine.hpp"

namespace imrdesk::bench {

class RawEngine final : public Engine {
public:
    // Steps throw std::runtime_error with SQLite's message, or when a read-back differs.
    RawEngine(const Corpus& corpus, std::filesystem::path file);
    ~RawEngine() override;
    RawEngine(const RawEngine&) = delete;
    RawEngine& operator=(const RawEngine&) = delete;

    double import_all() override;
    double read_all() override;
    double autosave(std::size_t begin, std::size_t count) override;
    void reset() override;

    // "SQLite 3.40.1" or "SQLCipher 3.4.1 (SQLite 3.15.2)"; SQLCipher answers through a database,
    // created (and removed) at scratch_file.
    [[nodiscard]] static std::string version(const std::filesystem::path& scratch_file);

private:
    struct Connection;
    const Corpus& corpus_;
    std::filesystem::path file_;
    std::unique_ptr<Connection> db_;  // open from read_all() until reset()
};

// The floor of a sync's storage work (bench_sync): `bodies` written as new rows into a fresh
// database at `file` with the vault's records table and pragmas (synchronous=FULL), in one
// transaction. Returns the milliseconds from BEGIN to the durable COMMIT; removes the database.
[[nodiscard]] double write_rows_durably(const std::filesystem::path& file, std::span<const std::string_view> bodies);

}  // namespace imrdesk::bench
