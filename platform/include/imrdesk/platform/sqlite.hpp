#pragma once
// A thin RAII layer over SQLite: the connection and statements own their handles, a transaction
// rolls back unless committed, and check() turns a return code into an exception that keeps
// SQLite's own code and message.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

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

class Database {
public:
    // Opens (creating when allowed) a database file. Throws Error naming the file.
    Database(const std::filesystem::path& file, bool create);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    [[nodiscard]] Statement prepare(std::string_view sql) { return Statement(*this, sql); }
    [[nodiscard]] std::int64_t scalar_int(std::string_view sql);
    [[nodiscard]] std::int64_t changes() const;

    // Throws Error with SQLite's message when rc is not OK/ROW/DONE.
    void check(int rc, std::string_view context) const;
    [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

private:
    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
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
