// The store on SQLite: one file, WAL, synchronous=FULL, one connection under one mutex.
#include <chrono>
#include <map>

#include "db.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/platform/sqlite.hpp"

namespace imrdesk::sync::server::db {

namespace {

namespace sql = platform::sql;

// Version 3's tables; CREATE ... IF NOT EXISTS, so that it also adds the tables an older
// version lacks before its migration fills them.
constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases(
  reference TEXT PRIMARY KEY, title TEXT NOT NULL, tor TEXT NOT NULL,
  period_from INTEGER, period_to INTEGER, due INTEGER, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens(
  hash BLOB PRIMARY KEY, id TEXT NOT NULL, case_ref TEXT NOT NULL REFERENCES cases(reference),
  agency TEXT NOT NULL, role INTEGER NOT NULL, person TEXT NOT NULL,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  used_at INTEGER, used_by TEXT, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS devices(
  id TEXT PRIMARY KEY, public_key BLOB NOT NULL UNIQUE, name TEXT NOT NULL,
  enrolled_at INTEGER NOT NULL, revoked_at INTEGER, last_seen INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS memberships(
  device_id TEXT NOT NULL REFERENCES devices(id), case_ref TEXT NOT NULL REFERENCES cases(reference),
  agency TEXT NOT NULL, role INTEGER NOT NULL, person TEXT NOT NULL,
  PRIMARY KEY(device_id, case_ref, agency, role));
CREATE TABLE IF NOT EXISTS imrs(
  id TEXT PRIMARY KEY, case_ref TEXT NOT NULL REFERENCES cases(reference), agency TEXT NOT NULL,
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL,
  submitted_at INTEGER, submitted_by TEXT, content_hash BLOB, version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS records(
  id BLOB PRIMARY KEY, imr_id TEXT NOT NULL REFERENCES imrs(id), kind INTEGER NOT NULL,
  revision INTEGER NOT NULL UNIQUE, body BLOB NOT NULL, deleted INTEGER NOT NULL,
  updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS records_imr ON records(imr_id);
CREATE TABLE IF NOT EXISTS case_agencies(
  case_ref TEXT NOT NULL REFERENCES cases(reference), agency TEXT NOT NULL, PRIMARY KEY(case_ref, agency));
CREATE TABLE IF NOT EXISTS submissions(
  imr_id TEXT NOT NULL REFERENCES imrs(id), version INTEGER NOT NULL, at INTEGER NOT NULL, by TEXT NOT NULL,
  content_hash BLOB NOT NULL, PRIMARY KEY(imr_id, version));
CREATE TABLE IF NOT EXISTS refusals(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, device TEXT NOT NULL, what TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
)SQL";

class SqliteCursor final : public Cursor {
public:
    SqliteCursor(sql::Database& db, std::string_view text) : s_(db, text) {}
    void bind_int(int index, std::int64_t value) override { s_.bind(index, value); }
    void bind_text(int index, std::string_view text) override { s_.bind(index, text); }
    void bind_blob(int index, std::span<const std::uint8_t> blob) override { s_.bind(index, blob); }
    void bind_null(int index) override { s_.bind_null(index); }
    bool step() override { return s_.step(); }
    void reset() override { s_.reset(); }
    [[nodiscard]] bool is_null(int index) const override { return s_.column_is_null(index); }
    [[nodiscard]] std::int64_t get_int(int index) const override { return s_.column_int(index); }
    [[nodiscard]] std::string_view get_text(int index) const override {
        const auto view = s_.column_blob_view(index);  // the bytes of a TEXT value as stored
        return {reinterpret_cast<const char*>(view.data()), view.size()};
    }
    [[nodiscard]] std::span<const std::uint8_t> get_blob(int index) const override { return s_.column_blob_view(index); }

private:
    sql::Statement s_;
};

class SqliteConnection final : public Connection {
public:
    explicit SqliteConnection(const std::filesystem::path& file) {
        if (file.has_parent_path()) platform::create_private_directory(file.parent_path());
        db_ = std::make_unique<sql::Database>(file, true);
        db_->exec("PRAGMA busy_timeout = 10000");
        db_->exec("PRAGMA journal_mode = WAL");
        db_->exec("PRAGMA synchronous = FULL");
        db_->exec("PRAGMA foreign_keys = ON");
    }
    [[nodiscard]] Statement prepare(std::string_view text) override {
        return Statement(std::make_unique<SqliteCursor>(*db_, text));
    }
    void exec(std::string_view text) override { db_->exec(text); }
    [[nodiscard]] std::int64_t changes() const override { return db_->changes(); }
    void begin(TransactionKind kind) override {
        // A snapshot: a deferred read transaction (writers in other processes wait for none).
        db_->exec(kind == TransactionKind::Write ? "BEGIN IMMEDIATE" : "BEGIN");
    }
    void commit() override { db_->exec("COMMIT"); }
    void rollback() noexcept override {
        try {
            db_->exec("ROLLBACK");
        } catch (...) {  // NOLINT(bugprone-empty-catch): no transaction left to roll back
        }
    }
    // BEGIN IMMEDIATE already holds the file's write lock: no other writer anywhere.
    [[nodiscard]] std::int64_t lock_revisions() override {
        return scalar_int("SELECT value FROM counters WHERE name = 'revision'");
    }
    [[nodiscard]] sql::Database& database() noexcept { return *db_; }

private:
    std::unique_ptr<sql::Database> db_;
};

class SqliteBackend final : public Backend {
public:
    explicit SqliteBackend(StoreLocation location) : location_(std::move(location)), connection_(location_.target) {}

    [[nodiscard]] Lease connect() override { return Lease(*this, &connection_, std::unique_lock(mutex_)); }

    std::string prepare_schema(StoreOpen mode) override {
        const std::lock_guard lock(mutex_);
        auto& db = connection_.database();
        sql::Transaction tx(db);
        std::optional<int> version;
        {
            // A store of version 1 or 2 has the meta table; an empty file has no tables yet.
            const bool has_meta = db.scalar_int("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'") > 0;
            if (has_meta) {
                auto s = db.prepare("SELECT value FROM meta WHERE key = 'schema'");
                if (s.step()) version = std::stoi(s.column_text(0));
            }
        }
        if (version && *version > kSchemaVersion) {
            throw StoreError(location_.display() + ": store schema version " + std::to_string(*version) +
                             " is newer than this server reads (version " + std::to_string(kSchemaVersion) +
                             "); run the newer imrdesk-server");
        }
        if (version && *version < kSchemaVersion && mode == StoreOpen::RequireCurrent) {
            throw StoreError(location_.display() + ": store schema version " + std::to_string(*version) +
                             " is older than this server's (" + std::to_string(kSchemaVersion) +
                             "); run: imrdesk-server migrate --store " + location_.display());
        }
        db.exec(kSchema);
        std::string report;
        if (!version) {
            db.exec("INSERT INTO counters(name, value) VALUES ('revision', 0)");
            db.prepare("INSERT INTO meta(key, value) VALUES ('schema', ?)").bind(1, std::to_string(kSchemaVersion)).run();
            report = "created schema version " + std::to_string(kSchemaVersion);
        } else if (*version == kSchemaVersion) {
            report = "schema version " + std::to_string(kSchemaVersion) + " is current";
        } else {
            const int from = *version;
            if (*version == 1) {
                // Version 2: expected agencies, numbered submissions (each existing one becomes version 1).
                db.exec("ALTER TABLE imrs ADD COLUMN version INTEGER NOT NULL DEFAULT 0");
                db.exec("UPDATE imrs SET version = 1 WHERE submitted_at IS NOT NULL");
                db.exec("INSERT OR IGNORE INTO submissions(imr_id, version, at, by, content_hash) "
                        "SELECT id, 1, submitted_at, COALESCE(submitted_by, ''), COALESCE(content_hash, x'') FROM imrs "
                        "WHERE submitted_at IS NOT NULL");
                version = 2;
            }
            if (*version == 2) {
                // Version 3: revisions come from a counter (its row is the writers' lock on
                // PostgreSQL; here it keeps the two backends alike), and the server's key may
                // live in meta.
                db.exec("INSERT INTO counters(name, value) SELECT 'revision', COALESCE(MAX(revision), 0) FROM records");
                version = 3;
            }
            db.prepare("UPDATE meta SET value = ? WHERE key = 'schema'").bind(1, std::to_string(kSchemaVersion)).run();
            report = "migrated from schema version " + std::to_string(from) + " to " + std::to_string(kSchemaVersion);
        }
        tx.commit();
        return report;
    }

    [[nodiscard]] std::vector<std::string> integrity_problems(Connection& db) override {
        std::vector<std::string> out;
        {
            auto s = db.prepare("PRAGMA integrity_check");
            while (s.step()) {
                const auto line = s.column_text(0);
                if (line != "ok") out.push_back("SQLite integrity: " + line);
            }
        }
        auto s = db.prepare("PRAGMA foreign_key_check");
        while (s.step()) out.push_back("a row of " + s.column_text(0) + " refers to a missing " + s.column_text(2));
        return out;
    }

    // One file is served by one process, so its buckets live here.
    [[nodiscard]] bool allow_request(const domain::Id& device, std::size_t requests_per_minute) override {
        const std::lock_guard lock(rate_mutex_);
        const auto now = std::chrono::steady_clock::now();
        const double capacity = static_cast<double>(requests_per_minute);
        auto [it, fresh] = buckets_.try_emplace(device, Bucket{capacity, now});
        auto& b = it->second;
        if (!fresh) {
            const double seconds = std::chrono::duration<double>(now - b.at).count();
            b.tokens = std::min(capacity, b.tokens + seconds * capacity / 60.0);
            b.at = now;
        }
        if (b.tokens < 1.0) return false;
        b.tokens -= 1.0;
        return true;
    }

    [[nodiscard]] const StoreLocation& location() const noexcept override { return location_; }

protected:
    void release(Connection* /*connection*/) noexcept override {}  // the lease's lock does it

private:
    StoreLocation location_;
    std::mutex mutex_;
    SqliteConnection connection_;
    std::mutex rate_mutex_;
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point at;
    };
    std::map<domain::Id, Bucket> buckets_;
};

}  // namespace

std::unique_ptr<Backend> open_sqlite(const StoreLocation& location) { return std::make_unique<SqliteBackend>(location); }

}  // namespace imrdesk::sync::server::db
