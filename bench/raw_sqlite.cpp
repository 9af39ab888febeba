#include "raw_sqlite.hpp"

#ifdef IMRDESK_BENCH_SQLCIPHER
#include <sqlcipher/sqlite3.h>
#else
#include <sqlite3.h>
#endif

#include <algorithm>
#include <array>
#include <cstdint>
#include <ctime>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace imrdesk::bench {
namespace {

// The vault's records table and indexes, verbatim (client/core/src/vault_internal.hpp, schema 3).
constexpr const char* kSchema = R"sql(
CREATE TABLE records(
  id         BLOB NOT NULL UNIQUE,
  imr_id     BLOB NOT NULL,
  kind       INTEGER NOT NULL,
  server_rev INTEGER NOT NULL DEFAULT 0,
  dirty      INTEGER NOT NULL DEFAULT 1,
  deleted    INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  local_seq  INTEGER NOT NULL DEFAULT 0,
  body       BLOB,
  base_body  BLOB
);
CREATE INDEX records_by_imr ON records(imr_id);
CREATE INDEX records_to_push ON records(kind <> 1, updated_at) WHERE dirty = 1;
)sql";

// The vault's connection pragmas, verbatim. (SQLCipher 3.4 predates UPSERT, so the reference
// engines use INSERT for the import and UPDATE for autosave; the vault uses its upsert.)
constexpr std::array<const char*, 6> kPragmas{"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                                              "PRAGMA secure_delete=ON", "PRAGMA temp_store=MEMORY",
                                              "PRAGMA cell_size_check=ON", "PRAGMA cache_size=-32768"};

#ifdef IMRDESK_BENCH_SQLCIPHER
// A raw 256-bit key: no PBKDF2 on open. The page size is set to SQLite's 4096 (SQLCipher 3's
// default is 1024), so all three engines share the same page layout.
constexpr const char* kKeyPragma =
    "PRAGMA key = \"x'2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99'\"";
constexpr const char* kPageSizePragma = "PRAGMA cipher_page_size = 4096";
#endif

class Db {
public:
    explicit Db(const std::filesystem::path& file) {
        const int rc = sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                       nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_close(db_);
            throw std::runtime_error("cannot open " + file.string());
        }
#ifdef IMRDESK_BENCH_SQLCIPHER
        exec(kKeyPragma);
        exec(kPageSizePragma);
#endif
        for (const char* pragma : kPragmas) exec(pragma);
    }
    ~Db() { sqlite3_close_v2(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(const char* sql) { check(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql); }
    void check(int rc, std::string_view what) const {
        if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
            throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db_));
    }
    [[nodiscard]] sqlite3* handle() const noexcept { return db_; }

private:
    sqlite3* db_ = nullptr;
};

class Stmt {
public:
    Stmt(Db& db, const char* sql) : db_(db) { db.check(sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr), sql); }
    ~Stmt() { sqlite3_finalize(stmt_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& blob(int index, const void* data, std::size_t size) {
        db_.check(sqlite3_bind_blob(stmt_, index, data, static_cast<int>(size), SQLITE_STATIC), "bind");
        return *this;
    }
    Stmt& blob(int index, const domain::Id& id) { return blob(index, id.bytes.data(), id.bytes.size()); }
    Stmt& blob(int index, const std::string& text) { return blob(index, text.data(), text.size()); }
    Stmt& integer(int index, std::int64_t value) {
        db_.check(sqlite3_bind_int64(stmt_, index, value), "bind");
        return *this;
    }
    bool step() {
        const int rc = sqlite3_step(stmt_);
        db_.check(rc, "step");
        return rc == SQLITE_ROW;
    }
    // Steps a statement that returns no row, checks it changed one row, and resets it.
    void run_one() {
        (void)step();
        if (sqlite3_changes(db_.handle()) != 1) throw std::runtime_error("a write did not change exactly one row");
        sqlite3_reset(stmt_);
    }
    [[nodiscard]] sqlite3_stmt* handle() const noexcept { return stmt_; }

private:
    Db& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

struct RawRecord {
    domain::Id id;
    domain::Id imr_id;
    int kind = 0;
    std::string body;
    bool deleted = false;
    std::int64_t server_revision = 0;
    bool dirty = false;
};

domain::Id id_column(sqlite3_stmt* stmt, int column) {
    domain::Id id;
    if (sqlite3_column_bytes(stmt, column) != static_cast<int>(id.bytes.size()))
        throw std::runtime_error("an id read back is not 16 bytes");
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, column));
    std::copy(data, data + id.bytes.size(), id.bytes.begin());
    return id;
}

void remove_database(const std::filesystem::path& file) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(std::filesystem::path(file).concat(suffix));
}

}  // namespace

struct RawEngine::Connection : Db {
    using Db::Db;
};

RawEngine::RawEngine(const Corpus& corpus, std::filesystem::path file) : corpus_(corpus), file_(std::move(file)) {}

RawEngine::~RawEngine() {
    try {
        reset();
    } catch (...) {  // a destructor does not throw; the directory is removed anyway
    }
}

std::string RawEngine::version([[maybe_unused]] const std::filesystem::path& scratch_file) {
#ifdef IMRDESK_BENCH_SQLCIPHER
    std::string cipher = "?";
    remove_database(scratch_file);
    {
        Db db(scratch_file);
        Stmt version(db, "PRAGMA cipher_version");
        if (version.step()) cipher = reinterpret_cast<const char*>(sqlite3_column_text(version.handle(), 0));
    }
    remove_database(scratch_file);
    return "SQLCipher " + cipher + " (SQLite " + sqlite3_libversion() + ")";
#else
    return std::string("SQLite ") + sqlite3_libversion();
#endif
}

double RawEngine::import_all() {
    reset();
    Db db(file_);
    db.exec(kSchema);
    const std::int64_t now = std::time(nullptr);

    const auto start = Clock::now();
    db.exec("BEGIN IMMEDIATE");
    Stmt insert(db, "INSERT INTO records(id, imr_id, kind, body, deleted, dirty, updated_at) VALUES(?, ?, ?, ?, 0, 1, ?)");
    insert.blob(1, corpus_.imr).blob(2, corpus_.imr).integer(3, kKindImr).blob(4, corpus_.header_body).integer(5, now);
    insert.run_one();
    for (std::size_t i = 0; i < corpus_.ids.size(); ++i) {
        insert.blob(1, corpus_.ids[i]).blob(2, corpus_.imr).integer(3, kKindEntry).blob(4, corpus_.bodies[i]).integer(5, now);
        insert.run_one();
    }
    db.exec("COMMIT");
    return ms_since(start);
}

double RawEngine::read_all() {
    // A fresh connection, as after unlocking; its first query (the key check for SQLCipher) untimed.
    db_.reset();
    db_ = std::make_unique<Connection>(file_);
    db_->exec("SELECT count(*) FROM sqlite_master");

    const auto start = Clock::now();
    std::vector<RawRecord> records;
    {
        Stmt select(*db_, "SELECT id, imr_id, kind, body, deleted, server_rev, dirty FROM records");
        sqlite3_stmt* s = select.handle();
        while (select.step()) {
            RawRecord r;
            r.id = id_column(s, 0);
            r.imr_id = id_column(s, 1);
            r.kind = sqlite3_column_int(s, 2);
            r.body.assign(static_cast<const char*>(sqlite3_column_blob(s, 3)), static_cast<std::size_t>(sqlite3_column_bytes(s, 3)));
            r.deleted = sqlite3_column_int(s, 4) != 0;
            r.server_revision = sqlite3_column_int64(s, 5);
            r.dirty = sqlite3_column_int(s, 6) != 0;
            records.push_back(std::move(r));
        }
    }
    const double elapsed = ms_since(start);

    std::size_t bytes = 0;
    for (const auto& r : records) bytes += r.body.size();
    if (records.size() != corpus_.rows() || bytes != corpus_.body_bytes)
        throw std::runtime_error("the read-back differs from what was written");
    return elapsed;
}

double RawEngine::autosave(std::size_t begin, std::size_t count) {
    if (!db_) throw std::logic_error("autosave before read_all");
    const std::int64_t now = std::time(nullptr);
    const auto start = Clock::now();
    Stmt update(*db_, "UPDATE records SET body = ?, deleted = 0, dirty = 1, updated_at = ? "
                      "WHERE id = ? AND imr_id = ? AND kind = ?");
    for (std::size_t i = begin; i < begin + count; ++i) {
        db_->exec("BEGIN IMMEDIATE");
        update.blob(1, corpus_.autosave_bodies.at(i)).integer(2, now).blob(3, corpus_.ids[i]).blob(4, corpus_.imr).integer(5, kKindEntry);
        update.run_one();
        db_->exec("COMMIT");
    }
    return ms_since(start);
}

void RawEngine::reset() {
    db_.reset();
    remove_database(file_);
}

double write_rows_durably(const std::filesystem::path& file, std::span<const std::string_view> bodies) {
    remove_database(file);
    double elapsed = 0;
    {
        Db db(file);
        db.exec(kSchema);
        const std::int64_t now = std::time(nullptr);
        domain::Id imr;
        imr.bytes.fill(0xEE);
        const auto start = Clock::now();
        db.exec("BEGIN IMMEDIATE");
        Stmt insert(db, "INSERT INTO records(id, imr_id, kind, body, deleted, dirty, updated_at) VALUES(?, ?, ?, ?, 0, 0, ?)");
        for (std::size_t i = 0; i < bodies.size(); ++i) {
            domain::Id id;
            for (std::size_t b = 0; b < 8; ++b) id.bytes[b] = static_cast<std::uint8_t>(i >> (8 * b));
            insert.blob(1, id).blob(2, imr).integer(3, kKindEntry).blob(4, bodies[i].data(), bodies[i].size()).integer(5, now);
            insert.run_one();
        }
        db.exec("COMMIT");
        elapsed = ms_since(start);
    }
    remove_database(file);
    return elapsed;
}

}  // namespace imrdesk::bench
