#include "imrdesk/platform/sqlite.hpp"

#include <cerrno>
#include <utility>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include "imrdesk/platform/paths.hpp"

namespace imrdesk::platform::sql {

Database::Database(const std::filesystem::path& file, bool create) : file_(file) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    const int rc = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(rc, "cannot open " + file.string() + ": " + message, file);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    // A database made under a loose umask, or copied in, is tightened before anything is read
    // or written; SQLite makes its -wal, -shm and -journal files with the database's mode.
    if (const std::string name = file.string(); !name.empty() && name != ":memory:" && name.rfind("file:", 0) != 0)
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
            std::filesystem::path companion = file;
            companion += suffix;
            restrict_to_owner(companion);
        }
}

void backup_database(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::error_code ec;
    if (std::filesystem::exists(to, ec)) throw Error(SQLITE_CANTOPEN, to.string() + " already exists: choose a new name", to);
    std::filesystem::path temp = to;
    temp += ".part-" + std::to_string(::getpid());
    std::filesystem::remove(temp, ec);
    sqlite3* source = nullptr;
    sqlite3* target = nullptr;
    auto close_both = [&] {
        sqlite3_close_v2(source);
        sqlite3_close_v2(target);
        source = target = nullptr;
    };
    auto fail = [&](sqlite3* db, int rc, const std::string& what, const std::filesystem::path& file) {
        const std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        close_both();
        std::filesystem::remove(temp, ec);
        throw Error(rc, what + " " + file.string() + ": " + message, file);
    };
    int rc = sqlite3_open_v2(from.c_str(), &source, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) fail(source, rc, "cannot open", from);
    sqlite3_busy_timeout(source, 5000);
    {
        const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) fail(nullptr, SQLITE_CANTOPEN, "cannot create", to);
        ::close(fd);
    }
    rc = sqlite3_open_v2(temp.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) fail(target, rc, "cannot create", to);
    sqlite3_backup* backup = sqlite3_backup_init(target, "main", source, "main");
    if (backup == nullptr) fail(target, sqlite3_errcode(target), "cannot copy", from);
    do {
        rc = sqlite3_backup_step(backup, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) fail(nullptr, rc, "cannot copy", from);  // the step's own code says why
    // The copy keeps the source's journal mode; make it one file on its own, nothing in a -wal.
    rc = sqlite3_exec(target, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(target, rc, "cannot finish", to);
    close_both();
    const int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        if (fd >= 0) ::close(fd);
        std::filesystem::remove(temp, ec);
        throw Error(SQLITE_IOERR, "cannot flush " + to.string(), to);
    }
    ::close(fd);
    if (std::filesystem::exists(to, ec) || ::rename(temp.c_str(), to.c_str()) != 0) {
        std::filesystem::remove(temp, ec);
        throw Error(SQLITE_CANTOPEN, "cannot put the copy at " + to.string(), to);
    }
    for (const char* suffix : {"-wal", "-shm"}) {
        std::filesystem::path companion = temp;
        companion += suffix;
        std::filesystem::remove(companion, ec);
    }
    const auto dir = to.has_parent_path() ? to.parent_path() : std::filesystem::path(".");
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

Database::~Database() {
    cache_.clear();  // finalized before the connection closes
    sqlite3_close_v2(db_);
}

void Database::check(int rc, std::string_view context) const {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
    if (function_error_) std::rethrow_exception(std::exchange(function_error_, nullptr));
    // A write the file system refused for want of space can come back as a plain I/O error
    // (the WAL, its index): the operating system's own code says the disk is full.
    if ((rc & 0xff) == SQLITE_IOERR && sqlite3_system_errno(db_) == ENOSPC)
        throw Error(SQLITE_FULL, std::string(context) + ": the disk is full (" + file_.filename().string() + ")", file_);
    throw Error(rc, std::string(context) + ": " + sqlite3_errmsg(db_) + " (" + file_.filename().string() + ")", file_);
}

void Database::exec(std::string_view sql) {
    const std::string text(sql);
    check(sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr), "SQL failed");
}

std::int64_t Database::scalar_int(std::string_view sql) {
    Statement statement(*this, sql);
    if (!statement.step()) throw Error(SQLITE_ERROR, "query returned no row: " + std::string(sql));
    return statement.column_int(0);
}

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

CachedStatement Database::cached(std::string_view sql) {
    auto [it, added] = cache_.try_emplace(std::string(sql));
    Cached& entry = it->second;
    if (added) {
        try {
            entry.statement = std::make_unique<Statement>(*this, sql);
        } catch (...) {
            cache_.erase(it);
            throw;
        }
    }
    if (entry.in_use) return CachedStatement(std::make_unique<Statement>(*this, sql));
    entry.in_use = true;
    return CachedStatement(entry.statement.get(), &entry.in_use);
}

bool FunctionArgs::is_null(int index) const { return sqlite3_value_type(values_[index]) == SQLITE_NULL; }

std::int64_t FunctionArgs::integer(int index) const { return sqlite3_value_int64(values_[index]); }

std::span<const std::uint8_t> FunctionArgs::blob(int index) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_value_blob(values_[index]));
    const auto size = static_cast<std::size_t>(sqlite3_value_bytes(values_[index]));
    return data == nullptr ? std::span<const std::uint8_t>() : std::span<const std::uint8_t>(data, size);
}

void Database::call_function(sqlite3_context* context, int count, sqlite3_value** values) {
    auto* defined = static_cast<Defined*>(sqlite3_user_data(context));
    try {
        const auto result = defined->function(FunctionArgs(count, values));
        if (!result) {
            sqlite3_result_null(context);
        } else {
            static const std::uint8_t empty = 0;
            sqlite3_result_blob64(context, result->empty() ? &empty : result->data(), result->size(), SQLITE_TRANSIENT);
        }
    } catch (...) {
        defined->db->function_error_ = std::current_exception();
        sqlite3_result_error(context, "a function of imrdesk failed", -1);
    }
}

void Database::define_function(std::string_view name, int arguments, Function function) {
    auto defined = std::make_unique<Defined>(Defined{this, std::move(function)});
    const std::string text(name);
    check(sqlite3_create_function_v2(db_, text.c_str(), arguments, SQLITE_UTF8 | SQLITE_DIRECTONLY, defined.get(),
                                     &Database::call_function, nullptr, nullptr, nullptr),
          "cannot define " + text);
    functions_.push_back(std::move(defined));
}

CachedStatement::~CachedStatement() {
    if (statement_ == nullptr) return;
    statement_->reset();
    if (in_use_ != nullptr) *in_use_ = false;
}

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
    db.check(sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt_, nullptr),
             "cannot prepare statement");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::bind(int index, std::int64_t value) {
    db_->check(sqlite3_bind_int64(stmt_, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    db_->check(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8), "bind");
    return *this;
}

Statement& Statement::bind(int index, std::span<const std::uint8_t> blob) {
    // A zero-length blob must still be a blob, not NULL.
    static const std::uint8_t empty = 0;
    db_->check(sqlite3_bind_blob64(stmt_, index, blob.empty() ? &empty : blob.data(), blob.size(), SQLITE_TRANSIENT),
               "bind");
    return *this;
}

Statement& Statement::bind_static(int index, std::span<const std::uint8_t> blob) {
    static const std::uint8_t empty = 0;
    db_->check(sqlite3_bind_blob64(stmt_, index, blob.empty() ? &empty : blob.data(), blob.size(), SQLITE_STATIC), "bind");
    return *this;
}

Statement& Statement::bind_static(int index, std::string_view blob) {
    return bind_static(index, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(blob.data()), blob.size()));
}

Statement& Statement::bind_null(int index) {
    db_->check(sqlite3_bind_null(stmt_, index), "bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_);
    db_->check(rc, "SQL step failed");
    return false;
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::column_text(int index) const {
    const auto* text = sqlite3_column_text(stmt_, index);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text),
                                                          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)));
}

std::span<const std::uint8_t> Statement::column_blob_view(int index) const {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, index));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index));
    return data == nullptr ? std::span<const std::uint8_t>() : std::span<const std::uint8_t>(data, size);
}

std::vector<std::uint8_t> Statement::column_blob(int index) const {
    const auto view = column_blob_view(index);
    return {view.begin(), view.end()};
}

bool Statement::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);  // never throws
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace imrdesk::platform::sql
