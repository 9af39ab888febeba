// Records and the profile's private data: read (every record that opens, and why the others do
// not), written in one transaction with one audit entry, each column sealed by RecordCipher.
#include "vault_internal.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <thread>

#include "parallel.hpp"

namespace imrdesk::client {
namespace {

constexpr const char* kRecordColumns = "SELECT id, imr_id, kind, body, deleted, server_rev, dirty, updated_at FROM records";

// Reads the rows `statement` selects, decrypting each body straight from SQLite's copy of the row
// into the record. What does not open (altered, moved, an unknown kind) goes to `problems`.
void read_rows(const RecordCipher& cipher, sql::Statement& statement, std::vector<StoredRecord>& records,
               std::vector<RecordProblem>& problems) {
    while (statement.step()) {
        StoredRecord record;
        try {
            record.id = id_from_blob(statement.column_blob_view(0));
            record.imr_id = id_from_blob(statement.column_blob_view(1));
        } catch (const VaultTampered& e) {
            problems.push_back({Id{}, e.what()});
            continue;
        }
        const auto kind = domain::record_kind_from_int(static_cast<int>(statement.column_int(2)));
        if (!kind) {
            problems.push_back({record.id, "record " + record.id.hex() + " has an unknown kind"});
            continue;
        }
        record.kind = *kind;
        record.deleted = statement.column_int(4) != 0;
        record.server_revision = statement.column_int(5);
        record.dirty = statement.column_int(6) != 0;
        record.updated_at = statement.column_int(7);
        if (record.deleted && !statement.column_is_null(3)) {
            // Tombstones are written without a body: a body here means the flag was set by hand.
            problems.push_back({record.id, "record " + record.id.hex() + " (" + std::string(domain::to_string(record.kind)) +
                                               ") is marked deleted but still has a body: the vault was altered"});
            continue;
        }
        if (!record.deleted) {
            try {
                cipher.open_into(statement.column_blob_view(3), record.id, record.imr_id, record.kind, "body", record.body);
            } catch (const crypto::AuthenticationError&) {
                problems.push_back({record.id, "record " + record.id.hex() + " (" + std::string(domain::to_string(record.kind)) +
                                                   ") does not decrypt: it was altered or moved from another row"});
                continue;
            }
        }
        records.push_back(std::move(record));
    }
}

// Every record `where` selects (with `bind` binding its parameters), in rowid order. A large read
// is split in two halves by rowid, each read and decrypted on its own connection and thread:
// SQLite's reading and the decryption then both run on two cores.
template <typename Bind>
LoadResult read_records(Vault::Impl& impl, const std::string& where, Bind bind) {
    LoadResult result;
    const auto cipher = impl.records();
    std::int64_t split = 0;
    std::int64_t rows = 0;
    if (!impl.db.in_transaction()) {  // another connection would not see this one's uncommitted writes
        auto count = impl.db.cached("SELECT count(*) FROM records" + where);
        bind(*count);
        rows = count->step() ? count->column_int(0) : 0;
        result.records.reserve(static_cast<std::size_t>(rows));
        if (rows >= static_cast<std::int64_t>(2 * parallel::kThreadFrom)) {
            // The middle row: by the rowids' range for the whole table, through the IMR's index
            // for one IMR (never a scan of the table's own pages).
            auto middle = where.empty() ? impl.db.cached("SELECT (min(rowid) + max(rowid) + 1) / 2 FROM records")
                                        : impl.db.cached("SELECT rowid FROM records" + where + " ORDER BY rowid LIMIT 1 OFFSET ?");
            bind(*middle);
            if (!where.empty()) middle->bind(2, rows / 2);
            if (middle->step()) split = middle->column_int(0);
        }
    }
    const std::string and_or_where = where.empty() ? " WHERE " : where + " AND ";
    if (split == 0) {
        auto statement = impl.db.cached(kRecordColumns + where);
        bind(*statement);
        read_rows(cipher, *statement, result.records, result.problems);
        return result;
    }
    LoadResult upper;
    upper.records.reserve(static_cast<std::size_t>(rows / 2 + 1));
    std::exception_ptr upper_failed;
    {
        std::jthread other([&] {
            try {
                auto statement = impl.reader().cached(kRecordColumns + and_or_where + "rowid >= ?");
                bind(*statement);
                statement->bind(where.empty() ? 1 : 2, split);
                read_rows(cipher, *statement, upper.records, upper.problems);
            } catch (...) {
                upper_failed = std::current_exception();
            }
            crypto::wipe_stack(parallel::kStackWipeBytes);
        });
        auto statement = impl.db.cached(kRecordColumns + and_or_where + "rowid < ?");
        bind(*statement);
        statement->bind(where.empty() ? 1 : 2, split);
        read_rows(cipher, *statement, result.records, result.problems);
    }
    if (upper_failed) std::rethrow_exception(upper_failed);
    result.records.reserve(result.records.size() + upper.records.size());
    std::move(upper.records.begin(), upper.records.end(), std::back_inserter(result.records));
    std::move(upper.problems.begin(), upper.problems.end(), std::back_inserter(result.problems));
    return result;
}

}  // namespace

LoadResult Vault::load_all() const {
    return read_records(*impl_, "", [](sql::Statement&) {});
}

LoadResult Vault::load_imr(const domain::Id& imr_id) const {
    return read_records(*impl_, " WHERE imr_id = ?", [&](sql::Statement& s) { s.bind(1, imr_id.bytes); });
}

void Vault::write(std::span<const RecordWrite> writes, std::string_view audit_event) {
    if (writes.empty()) return;
    const std::int64_t now = impl_->clock();
    sql::Transaction transaction(impl_->db);
    static const std::string kUpsert =
        "INSERT INTO records(id, imr_id, kind, body, deleted, dirty, updated_at, local_seq) VALUES(?, ?, ?, ?, ?, 1, ?, 1) "
        "ON CONFLICT(id) DO UPDATE SET " + kKeepBase + ", body = excluded.body, deleted = excluded.deleted, dirty = 1, "
        "updated_at = excluded.updated_at, local_seq = records.local_seq + 1 "
        "WHERE records.imr_id = excluded.imr_id AND records.kind = excluded.kind";
    auto cached = impl_->db.cached(kUpsert);
    auto& upsert = *cached;
    json ids = json::array();
    // A large batch (an import) is sealed on another thread while SQLite stores it.
    const auto cipher = impl_->records();
    parallel::Ahead<ByteVec> sealed(writes.size(), [&writes, cipher](std::size_t i) {
        const auto& w = writes[i];
        return w.deleted ? ByteVec{} : cipher.seal(w.id, w.imr_id, w.kind, "body", w.body);
    });
    for (std::size_t i = 0; i < writes.size(); ++i) {
        const auto& w = writes[i];
        upsert.bind_static(1, w.id.bytes).bind_static(2, w.imr_id.bytes).bind(3, static_cast<std::int64_t>(w.kind));
        if (w.deleted) {
            upsert.bind_null(4);
        } else {
            upsert.bind_static(4, sealed.get(i));
        }
        upsert.bind(5, std::int64_t{w.deleted ? 1 : 0}).bind(6, now);
        upsert.run();
        if (impl_->db.changes() != 1)
            throw VaultError("record " + w.id.hex() + " already exists with another IMR or kind; nothing was saved");
        if (ids.size() < 100) ids.push_back({{"id", w.id.hex()}, {"kind", domain::to_string(w.kind)}, {"deleted", w.deleted}});
    }
    impl_->append_audit(audit_event, {{"count", writes.size()}, {"records", ids}});
    transaction.commit();
}

void Vault::store_private(std::string_view name, std::string_view bytes) {
    const std::string key = std::string(meta_key::kPrivatePrefix) + std::string(name);
    sql::Transaction transaction(impl_->db);
    set_meta(impl_->db, key, impl_->records().seal_private(name, bytes));
    transaction.commit();
}

std::string Vault::load_private(std::string_view name) const {
    const auto sealed = get_meta(impl_->db, std::string(meta_key::kPrivatePrefix) + std::string(name));
    if (!sealed) return {};
    try {
        return impl_->records().open_private(*sealed, name);
    } catch (const crypto::AuthenticationError&) {
        throw VaultTampered("the profile's private data '" + std::string(name) + "' was altered");
    }
}

}  // namespace imrdesk::client
