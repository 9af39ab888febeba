#pragma once
// A thin RAII layer over SQLite: the connection and statements own their handles, a transaction
// rolls back unless committed, and check() turns a return code into an exception that keeps
// SQLite's own code and message.
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;
struct sqlite3_value;
struct sqlite3_context;

namespace imrdesk::platform::sql {

class Error : public std::runtime_error {
public:
    Error(int code, const std::string& message, std::filesystem::path file = {})
        : std::runtime_error(message), code_(code), file_(std::move(file)) {}
    [[nodiscard]] int code() const noexcept { return code_; }
    // The database file the error is about (empty when not known).
    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

private:
    int code_;
    std::filesystem::path file_;
};

class Database;

// Copies the database `from` to a new file `to` with SQLite's online backup API: a consistent
// copy even while another process writes to `from` (in WAL mode readers never wait). The copy is
// written beside `to`, flushed, then renamed into place and the folder flushed, so `to` is whole
// or absent; it is 0600. Throws Error when `to` already exists or anything fails (naming it).
void backup_database(const std::filesystem::path& from, const std::filesystem::path& to);

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::span<const std::uint8_t> blob);
    Statement& bind_null(int index);

    // A blob the caller keeps alive and unchanged until the statement is reset (no copy).
    Statement& bind_static(int index, std::span<const std::uint8_t> blob);
    Statement& bind_static(int index, std::string_view blob);

    // Steps once: true when a row is available.
    bool step();
    // Steps to completion (for statements that return no rows).
    void run();
    void reset();

    [[nodiscard]] std::int64_t column_int(int index) const;
    [[nodiscard]] std::string column_text(int index) const;
    [[nodiscard]] std::vector<std::uint8_t> column_blob(int index) const;
    [[nodiscard]] std::span<const std::uint8_t> column_blob_view(int index) const;  // valid until the next step
    [[nodiscard]] bool column_is_null(int index) const;

private:
    Database* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class CachedStatement;

// The arguments of a call to a function defined with Database::define_function.
class FunctionArgs {
public:
    FunctionArgs(int count, sqlite3_value** values) noexcept : count_(count), values_(values) {}
    [[nodiscard]] int size() const noexcept { return count_; }
    [[nodiscard]] bool is_null(int index) const;
    [[nodiscard]] std::int64_t integer(int index) const;
    [[nodiscard]] std::span<const std::uint8_t> blob(int index) const;  // valid during the call

private:
    int count_;
    sqlite3_value** values_;
};

class Database {
public:
    // Opens (creating when allowed) a database file. Throws Error naming the file.
    Database(const std::filesystem::path& file, bool create);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    [[nodiscard]] Statement prepare(std::string_view sql) { return Statement(*this, sql); }
    // The same statement, prepared once for this connection and kept: handed out reset, and reset
    // (bindings cleared, any read finished) when the handle goes. Used again while a handle to it
    // is held (a nested use), a fresh one is prepared for the inner use.
    [[nodiscard]] CachedStatement cached(std::string_view sql);
    // A scalar SQL function of this connection returning a blob (nullopt: NULL). What it throws
    // fails the statement, and the statement's step() throws it again as it was thrown.
    using Function = std::function<std::optional<std::vector<std::uint8_t>>(const FunctionArgs&)>;
    void define_function(std::string_view name, int arguments, Function function);
    [[nodiscard]] std::int64_t scalar_int(std::string_view sql);
    [[nodiscard]] std::int64_t changes() const;
    // A transaction is open on this connection (what it wrote is not yet visible to others).
    [[nodiscard]] bool in_transaction() const;

    // Throws Error with SQLite's message when rc is not OK/ROW/DONE.
    void check(int rc, std::string_view context) const;
    [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

private:
    friend class CachedStatement;
    struct Cached {
        std::unique_ptr<Statement> statement;
        bool in_use = false;
    };
    struct Defined {
        Database* db;
        Function function;
    };
    static void call_function(sqlite3_context* context, int count, sqlite3_value** values);

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, Cached> cache_;
    std::vector<std::unique_ptr<Defined>> functions_;
    mutable std::exception_ptr function_error_;  // what a defined function threw, until check() throws it
};

class CachedStatement {
public:
    CachedStatement(const CachedStatement&) = delete;
    CachedStatement& operator=(const CachedStatement&) = delete;
    CachedStatement(CachedStatement&& other) noexcept
        : statement_(std::exchange(other.statement_, nullptr)), in_use_(std::exchange(other.in_use_, nullptr)),
          own_(std::move(other.own_)) {}
    CachedStatement& operator=(CachedStatement&&) = delete;
    ~CachedStatement();

    Statement& operator*() const noexcept { return *statement_; }
    Statement* operator->() const noexcept { return statement_; }

private:
    friend class Database;
    CachedStatement(Statement* statement, bool* in_use) noexcept : statement_(statement), in_use_(in_use) {}
    explicit CachedStatement(std::unique_ptr<Statement> own) noexcept : statement_(own.get()), own_(std::move(own)) {}

    Statement* statement_;
    bool* in_use_ = nullptr;
    std::unique_ptr<Statement> own_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace imrdesk::platform::sql
