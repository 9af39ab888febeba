#pragma once
// The SQL the server's store speaks, over one of two backends (private to the store):
//
// - SQLite (db_sqlite.cpp): one file, one connection, one mutex; the default, so a board on one
//   machine needs nothing more.
// - PostgreSQL (db_postgres.cpp): libpq, prepared statements, a pool of connections, several
//   server processes on one database.
//
// store.cpp writes its queries once, in the SQL both understand: `?` or `?N` placeholders (the
// PostgreSQL backend rewrites them to `$N`), INTEGER/BIGINT and BLOB/BYTEA columns read as
// integers and bytes, ON CONFLICT instead of INSERT OR IGNORE. What the two do differently
// (schema and migrations, locking the revision counter, integrity checks, the request rate
// buckets) sits behind Backend and Connection.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "imrdesk/sync/server/store.hpp"

namespace imrdesk::sync::server::db {

// One prepared statement of a backend: bound, stepped row by row, reset.
class Cursor {
public:
    virtual ~Cursor() = default;
    virtual void bind_int(int index, std::int64_t value) = 0;
    virtual void bind_text(int index, std::string_view text) = 0;
    virtual void bind_blob(int index, std::span<const std::uint8_t> blob) = 0;
    virtual void bind_null(int index) = 0;
    virtual bool step() = 0;   // true: a row is available
    virtual void reset() = 0;  // forgets the bindings and the rows
    [[nodiscard]] virtual bool is_null(int index) const = 0;
    [[nodiscard]] virtual std::int64_t get_int(int index) const = 0;
    [[nodiscard]] virtual std::string_view get_text(int index) const = 0;
    [[nodiscard]] virtual std::span<const std::uint8_t> get_blob(int index) const = 0;  // until the next step
};

// A statement as store.cpp uses it (the same calls as platform::sql::Statement).
class Statement {
public:
    explicit Statement(std::unique_ptr<Cursor> cursor) : cursor_(std::move(cursor)) {}
    Statement& bind(int index, std::int64_t value) {
        cursor_->bind_int(index, value);
        return *this;
    }
    Statement& bind(int index, std::string_view text) {
        cursor_->bind_text(index, text);
        return *this;
    }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::span<const std::uint8_t> blob) {
        cursor_->bind_blob(index, blob);
        return *this;
    }
    Statement& bind_null(int index) {
        cursor_->bind_null(index);
        return *this;
    }
    bool step() { return cursor_->step(); }
    void run() {
        while (cursor_->step()) {
        }
        cursor_->reset();
    }
    void reset() { cursor_->reset(); }
    [[nodiscard]] std::int64_t column_int(int index) const { return cursor_->get_int(index); }
    [[nodiscard]] std::string column_text(int index) const { return std::string(cursor_->get_text(index)); }
    [[nodiscard]] std::span<const std::uint8_t> column_blob_view(int index) const { return cursor_->get_blob(index); }
    [[nodiscard]] std::vector<std::uint8_t> column_blob(int index) const {
        const auto view = cursor_->get_blob(index);
        return {view.begin(), view.end()};
    }
    [[nodiscard]] bool column_is_null(int index) const { return cursor_->is_null(index); }

private:
    std::unique_ptr<Cursor> cursor_;
};

enum class TransactionKind {
    Write,     // may change rows; takes the write lock (SQLite) or row locks as it goes (PostgreSQL)
    Snapshot,  // reads only, every statement from one snapshot (a pull's rows and its cursor agree)
};

// One session with the database, used by one thread at a time (a Lease holds it).
class Connection {
public:
    virtual ~Connection() = default;
    [[nodiscard]] virtual Statement prepare(std::string_view sql) = 0;
    virtual void exec(std::string_view sql) = 0;  // no parameters, no rows wanted
    [[nodiscard]] virtual std::int64_t changes() const = 0;  // rows the last statement changed
    virtual void begin(TransactionKind kind) = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    // Inside a Write transaction: the newest revision handed out, locked until the transaction
    // ends, so that writers on every server take revisions one after another and commit them in
    // that order (see docs/deploy.md, "Revisions and several servers"). The caller stores the
    // last one it used with set_revisions before committing.
    [[nodiscard]] virtual std::int64_t lock_revisions() = 0;
    void set_revisions(std::int64_t newest) {
        prepare("UPDATE counters SET value = ? WHERE name = 'revision'").bind(1, newest).run();
    }
    [[nodiscard]] std::int64_t scalar_int(std::string_view sql) {
        auto s = prepare(sql);
        return s.step() ? s.column_int(0) : 0;
    }
};

// A transaction that rolls back unless committed.
class Transaction {
public:
    explicit Transaction(Connection& c, TransactionKind kind = TransactionKind::Write) : c_(c) { c_.begin(kind); }
    ~Transaction() {
        if (!done_) c_.rollback();
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        c_.commit();
        done_ = true;
    }

private:
    Connection& c_;
    bool done_ = false;
};

class Backend;

// A connection lent to one caller until the lease ends.
class Lease {
public:
    Lease(Backend& backend, Connection* connection, std::unique_lock<std::mutex> lock = {})
        : backend_(&backend), connection_(connection), lock_(std::move(lock)) {}
    ~Lease();
    Lease(Lease&& other) noexcept
        : backend_(other.backend_), connection_(std::exchange(other.connection_, nullptr)), lock_(std::move(other.lock_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const noexcept { return *connection_; }
    Connection* operator->() const noexcept { return connection_; }

private:
    Backend* backend_;
    Connection* connection_;
    std::unique_lock<std::mutex> lock_;
};

class Backend {
public:
    virtual ~Backend() = default;
    [[nodiscard]] virtual Lease connect() = 0;
    // Creates the schema in an empty store, or migrates an older one (may = Migrate), or refuses
    // (StoreError naming the version and `imrdesk-server migrate`). Returns what it did.
    virtual std::string prepare_schema(StoreOpen mode) = 0;
    // Problems the database itself finds (SQLite's integrity and foreign key checks), on a
    // connection the caller holds.
    [[nodiscard]] virtual std::vector<std::string> integrity_problems(Connection& c) = 0;
    // Takes one request from the device's bucket (requests_per_minute, refilled continuously):
    // false when it is empty. SQLite: in this process. PostgreSQL: in the database, across
    // servers.
    [[nodiscard]] virtual bool allow_request(const domain::Id& device, std::size_t requests_per_minute) = 0;
    [[nodiscard]] virtual const StoreLocation& location() const noexcept = 0;

protected:
    friend class Lease;
    virtual void release(Connection* connection) noexcept = 0;
};

inline Lease::~Lease() {
    if (connection_ != nullptr && backend_ != nullptr) backend_->release(connection_);
}

[[nodiscard]] std::unique_ptr<Backend> open_sqlite(const StoreLocation& location);
[[nodiscard]] std::unique_ptr<Backend> open_postgres(const StoreLocation& location, std::size_t pool_size);

// The current schema version of both backends.
constexpr int kSchemaVersion = 3;

}  // namespace imrdesk::sync::server::db
