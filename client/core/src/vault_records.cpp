// Records and the profile's private data: read (every record that opens, and why the others do
// not), written in one transaction with one audit entry, each column sealed by RecordCipher.
#include "vault_internal.hpp"

#include <algorithm>
#include <thread>

namespace imrdesk::client {
namespace {

constexpr const char* kRecordColumns = "SELECT id, imr_id, kind, body, deleted, server_rev, dirty, updated_at FROM records";

void read_records(const Vault::Impl& impl, sql::Statement& statement, LoadResult& result);

}  // namespace

LoadResult Vault::load_all() const {
    LoadResult result;
    auto statement = impl_->db.prepare(kRecordColumns);
    read_records(*impl_, statement, result);
    return result;
}

LoadResult Vault::load_imr(const domain::Id& imr_id) const {
    LoadResult result;
    auto statement = impl_->db.prepare(std::string(kRecordColumns) + " WHERE imr_id = ?");
    statement.bind(1, imr_id.bytes);
    read_records(*impl_, statement, result);
    return result;
}

namespace {

void read_records(const Vault::Impl& impl, sql::Statement& statement, LoadResult& result) {
    // Read every row first, then decrypt on every core (a large vault opens in about half the time).
    struct Row {
        StoredRecord record;
        ByteVec sealed;
        bool failed = false;
    };
    std::vector<Row> rows;
    while (statement.step()) {
        StoredRecord record;
        try {
            record.id = id_from_blob(statement.column_blob_view(0));
            record.imr_id = id_from_blob(statement.column_blob_view(1));
        } catch (const VaultTampered& e) {
            result.problems.push_back({Id{}, e.what()});
            continue;
        }
        const auto kind = domain::record_kind_from_int(static_cast<int>(statement.column_int(2)));
        if (!kind) {
            result.problems.push_back({record.id, "record " + record.id.hex() + " has an unknown kind"});
            continue;
        }
        record.kind = *kind;
        record.deleted = statement.column_int(4) != 0;
        record.server_revision = statement.column_int(5);
        record.dirty = statement.column_int(6) != 0;
        record.updated_at = statement.column_int(7);
        if (record.deleted && !statement.column_is_null(3)) {
            // Tombstones are written without a body: a body here means the flag was set by hand.
            result.problems.push_back({record.id, "record " + record.id.hex() + " (" + std::string(domain::to_string(record.kind)) +
                                                      ") is marked deleted but still has a body: the vault was altered"});
            continue;
        }
        Row row{std::move(record), {}, false};
        if (!row.record.deleted) {
            const auto blob = statement.column_blob_view(3);
            row.sealed.assign(blob.begin(), blob.end());  // ciphertext: nothing to wipe
        }
        rows.push_back(std::move(row));
    }
    const auto cipher = impl.records();
    auto open_range = [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i) {
            auto& row = rows[i];
            if (row.record.deleted) continue;
            try {
                cipher.open_into(row.sealed, row.record.id, row.record.imr_id, row.record.kind, "body", row.record.body);
            } catch (const crypto::AuthenticationError&) {
                row.failed = true;
            }
        }
    };
    const std::size_t workers = rows.size() < 2000 ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    {
        std::vector<std::jthread> threads;
        const std::size_t chunk = (rows.size() + workers - 1) / workers;
        for (std::size_t w = 1; w < workers; ++w)
            threads.emplace_back(open_range, std::min(rows.size(), w * chunk), std::min(rows.size(), (w + 1) * chunk));
        open_range(0, std::min(rows.size(), chunk));
    }
    result.records.reserve(rows.size());
    for (auto& row : rows) {
        if (row.failed) {
            result.problems.push_back({row.record.id, "record " + row.record.id.hex() + " (" +
                                                          std::string(domain::to_string(row.record.kind)) +
                                                          ") does not decrypt: it was altered or moved from another row"});
            continue;
        }
        result.records.push_back(std::move(row.record));
    }
}

}  // namespace

void Vault::write(std::span<const RecordWrite> writes, std::string_view audit_event) {
    if (writes.empty()) return;
    const std::int64_t now = impl_->clock();
    sql::Transaction transaction(impl_->db);
    auto upsert = impl_->db.prepare(
        "INSERT INTO records(id, imr_id, kind, body, deleted, dirty, updated_at, local_seq) VALUES(?, ?, ?, ?, ?, 1, ?, 1) "
        "ON CONFLICT(id) DO UPDATE SET body = excluded.body, deleted = excluded.deleted, dirty = 1, "
        "updated_at = excluded.updated_at, local_seq = records.local_seq + 1 "
        "WHERE records.imr_id = excluded.imr_id AND records.kind = excluded.kind");
    json ids = json::array();
    for (const auto& w : writes) {
        upsert.bind(1, w.id.bytes).bind(2, w.imr_id.bytes).bind(3, static_cast<std::int64_t>(w.kind));
        if (w.deleted) {
            upsert.bind_null(4);
        } else {
            upsert.bind(4, impl_->records().seal(w.id, w.imr_id, w.kind, "body", w.body));
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
