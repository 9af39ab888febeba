#pragma once
// Helpers shared by the vault and workspace tests: fast vault creation, sample domain values,
// direct access to the SQLite file (to tamper with it the way an attacker with the file would)
// and byte scans of every file beside the vault.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "imrdesk/client/vault.hpp"
#include "imrdesk/client/workspace.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/model.hpp"
#include "temp_dir.hpp"

namespace imrdesk::test {

using Blob = std::vector<std::uint8_t>;

inline client::CreateOptions fast_create(client::Clock clock = client::system_now) {
    client::CreateOptions options;
    options.kdf = crypto::kdf::insecure_fast_for_tests();
    options.clock = std::move(clock);
    return options;
}

inline client::OpenOptions with_clock(client::Clock clock) {
    client::OpenOptions options;
    options.clock = std::move(clock);
    return options;
}

inline domain::ImrHeader sample_header(std::string reference, std::string adult = "Adult A") {
    domain::ImrHeader h;
    h.title = "Individual Management Review";
    h.case_info.reference = std::move(reference);
    h.case_info.title = "Review concerning " + adult;
    h.case_info.terms_of_reference = {{1, "How did agencies share information?"}, {2, "Was the risk assessed?"}};
    h.agency = "Northshire Community Health";
    h.adults = {{std::move(adult), domain::PartialDate::month(1950, 6)}};
    h.author_name = "Sam Author";
    h.author_agency = "Northshire Community Health";
    h.author_contact = "sam@example.org";
    h.author_role = "Named nurse";
    h.author_independence = "No involvement in the case";
    h.records_examined = "Clinical notes";
    h.staff_interviewed = "Two district nurses";
    return h;
}

inline domain::ChronologyEntry sample_entry(domain::PartialDate date, std::string event, int sequence = 0,
                                            std::optional<domain::TimeOfDay> time = std::nullopt) {
    domain::ChronologyEntry e;
    e.date = date;
    e.time = time;
    e.sequence = sequence;
    e.source = "SystmOne ref 1";
    e.event = std::move(event);
    return e;
}

inline domain::Id make_id(std::uint8_t seed) {
    domain::Id id;
    for (std::size_t i = 0; i < id.bytes.size(); ++i) id.bytes[i] = static_cast<std::uint8_t>(seed + i * 7);
    return id;
}

inline std::string glossary_body(std::string abbreviation, std::string expansion) {
    return domain::to_json(domain::GlossaryEntry{std::move(abbreviation), std::move(expansion), nlohmann::json::object()})
        .dump();
}

inline bool has_problem_for(const client::LoadResult& loaded, const domain::Id& id) {
    return std::any_of(loaded.problems.begin(), loaded.problems.end(), [&](const client::RecordProblem& p) {
        return p.id == id && p.message.find(id.hex()) != std::string::npos;
    });
}

inline bool mentions(const std::vector<std::string>& lines, std::string_view needle) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& line) { return line.find(needle) != std::string::npos; });
}

inline bool mentions(const std::vector<client::RecordProblem>& problems, const domain::Id& id) {
    return std::any_of(problems.begin(), problems.end(), [&](const client::RecordProblem& p) {
        return p.id == id || p.message.find(id.hex()) != std::string::npos;
    });
}

inline std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

// Every regular file under dir, recursively.
inline std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) out.push_back(entry.path());
    return out;
}

// The files under dir whose bytes contain needle.
inline std::vector<std::string> files_containing(const std::filesystem::path& dir, std::string_view needle) {
    std::vector<std::string> hits;
    for (const auto& file : files_under(dir)) {
        const std::string bytes = read_file(file);
        if (bytes.find(needle) != std::string::npos) hits.push_back(file.filename().string());
    }
    return hits;
}

// A direct SQLite connection to a vault file, independent of the code under test.
class RawDb {
public:
    explicit RawDb(const std::filesystem::path& file) {
        if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw std::runtime_error("cannot open " + file.string() + ": " + message);
        }
    }
    ~RawDb() { sqlite3_close(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    void exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            const std::string message = error != nullptr ? error : "?";
            sqlite3_free(error);
            throw std::runtime_error(sql + ": " + message);
        }
    }

    class Stmt {
    public:
        Stmt(sqlite3* db, const std::string& sql) : db_(db) {
            if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
                throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
        }
        ~Stmt() { sqlite3_finalize(stmt_); }
        Stmt(const Stmt&) = delete;
        Stmt& operator=(const Stmt&) = delete;

        Stmt& bind(int i, std::span<const std::uint8_t> blob) {
            if (blob.empty())
                sqlite3_bind_zeroblob(stmt_, i, 0);  // an empty blob, not NULL
            else
                sqlite3_bind_blob64(stmt_, i, blob.data(), blob.size(), SQLITE_TRANSIENT);
            return *this;
        }
        Stmt& bind(int i, const domain::Id& id) { return bind(i, std::span<const std::uint8_t>(id.bytes)); }
        Stmt& bind_text(int i, std::string_view text) {
            sqlite3_bind_text64(stmt_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            return *this;
        }
        Stmt& bind_int(int i, std::int64_t value) {
            sqlite3_bind_int64(stmt_, i, value);
            return *this;
        }
        bool step() {
            const int rc = sqlite3_step(stmt_);
            if (rc == SQLITE_ROW) return true;
            if (rc == SQLITE_DONE) return false;
            throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(db_));
        }
        Blob blob(int i) const {
            const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, i));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i));
            return data == nullptr ? Blob() : Blob(data, data + size);
        }
        std::int64_t integer(int i) const { return sqlite3_column_int64(stmt_, i); }

    private:
        sqlite3* db_;
        sqlite3_stmt* stmt_ = nullptr;
    };

    Stmt prepare(const std::string& sql) { return Stmt(db_, sql); }

    Blob body(const domain::Id& id) {
        auto s = prepare("SELECT body FROM records WHERE id = ?");
        s.bind(1, id);
        if (!s.step()) throw std::runtime_error("no record " + id.hex());
        return s.blob(0);
    }
    void set_body(const domain::Id& id, std::span<const std::uint8_t> body) {
        auto s = prepare("UPDATE records SET body = ? WHERE id = ?");
        s.bind(1, body).bind(2, id);
        (void)s.step();
        require_one_change();
    }
    std::optional<Blob> meta(std::string_view key) {
        auto s = prepare("SELECT value FROM meta WHERE key = ?");
        s.bind_text(1, key);
        if (!s.step()) return std::nullopt;
        return s.blob(0);
    }
    void set_meta(std::string_view key, std::span<const std::uint8_t> value) {
        auto s = prepare("UPDATE meta SET value = ? WHERE key = ?");
        s.bind(1, value).bind_text(2, key);
        (void)s.step();
        require_one_change();
    }
    void set_meta_text(std::string_view key, std::string_view value) {
        set_meta(key, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
    }
    std::int64_t scalar(const std::string& sql) {
        auto s = prepare(sql);
        if (!s.step()) throw std::runtime_error("no row: " + sql);
        return s.integer(0);
    }
    void require_one_change() {
        if (sqlite3_changes(db_) != 1) throw std::runtime_error("expected exactly one row to change");
    }

private:
    sqlite3* db_ = nullptr;
};

}  // namespace imrdesk::test
