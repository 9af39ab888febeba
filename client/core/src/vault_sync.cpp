// What sync reads and writes in the vault: dirty records, acknowledgements, server versions
// (taken, kept or in conflict), the cursor, and conflicts waiting for the author.
#include "vault_internal.hpp"

#include "parallel.hpp"

namespace imrdesk::client {
// --- sync --------------------------------------------------------------------------------------

namespace {

constexpr const char* kSyncColumns =
    "SELECT r.id, r.imr_id, r.kind, r.body, r.deleted, r.server_rev, r.local_seq, r.base_body, r.dirty, "
    "c.id IS NOT NULL, r.kind <> 1, r.updated_at, r.rowid FROM records r LEFT JOIN conflicts c ON c.id = r.id";

std::string open_column(const Vault::Impl& impl, std::span<const std::uint8_t> sealed, const Id& id, const Id& imr,
                        domain::RecordKind kind, std::string_view column) {
    std::string plain;
    try {
        impl.records().open_into(sealed, id, imr, kind, column, plain);
    } catch (const crypto::AuthenticationError&) {
        throw VaultTampered("record " + id.hex() + " (" + std::string(domain::to_string(kind)) + "): its " +
                            std::string(column) + " does not decrypt: it was altered or moved");
    }
    return plain;
}

// A row of kSyncColumns with its sealed columns, and what opens them (apart: a batch opens on
// every core).
struct SealedSync {
    SyncRecord record;
    ByteVec body;
    std::optional<ByteVec> base;
};

SealedSync read_sealed(const sql::Statement& s) {
    SealedSync out;
    SyncRecord& r = out.record;
    r.id = id_from_blob(s.column_blob_view(0));
    r.imr_id = id_from_blob(s.column_blob_view(1));
    const auto kind = domain::record_kind_from_int(static_cast<int>(s.column_int(2)));
    if (!kind) throw VaultTampered("record " + r.id.hex() + " has an unknown kind");
    r.kind = *kind;
    r.deleted = s.column_int(4) != 0;
    if (!r.deleted) {
        const auto body = s.column_blob_view(3);
        out.body.assign(body.begin(), body.end());  // ciphertext
    }
    r.server_revision = s.column_int(5);
    r.local_seq = s.column_int(6);
    if (!s.column_is_null(7)) {
        const auto base = s.column_blob_view(7);
        out.base.emplace(base.begin(), base.end());
    }
    r.dirty = s.column_int(8) != 0;
    r.in_conflict = s.column_int(9) != 0;
    r.key = PushKey{s.column_int(10), s.column_int(11), s.column_int(12)};
    return out;
}

void open_sealed(const Vault::Impl& impl, SealedSync& row) {
    SyncRecord& r = row.record;
    if (!r.deleted) r.body = open_column(impl, row.body, r.id, r.imr_id, r.kind, "body");
    if (row.base) {
        std::string base;
        try {
            impl.records().open_base_into(*row.base, r.id, r.imr_id, r.kind, r.body, base);
        } catch (const crypto::AuthenticationError&) {
            throw VaultTampered("record " + r.id.hex() + " (" + std::string(domain::to_string(r.kind)) +
                                "): its base does not decrypt: it was altered or moved");
        }
        r.base = std::move(base);
    }
}

SyncRecord read_sync_record(const Vault::Impl& impl, const sql::Statement& s) {
    SealedSync row = read_sealed(s);
    open_sealed(impl, row);
    return std::move(row.record);
}

}  // namespace

std::vector<SyncRecord> Vault::dirty_records(std::size_t max_records, std::size_t max_bytes,
                                             const std::vector<domain::Id>& held_back, const std::optional<PushKey>& after) const {
    std::vector<SyncRecord> out;
    std::string held;
    for (std::size_t i = 0; i < held_back.size(); ++i) held += i == 0 ? "?" : ", ?";
    // Headers first: the server learns which case a new IMR belongs to before its other records.
    // (The order of the index records_to_push: read in order, no sort, stopping at the batch.)
    auto s = impl_->db.prepare(std::string(kSyncColumns) + " WHERE r.dirty = 1 AND c.id IS NULL" +
                               (held.empty() ? std::string() : " AND r.imr_id NOT IN (" + held + ")") +
                               (after ? " AND (r.kind <> 1, r.updated_at, r.rowid) > (?, ?, ?)" : "") +
                               " ORDER BY r.kind <> 1, r.updated_at, r.rowid");
    int index = 1;
    for (const auto& id : held_back) s.bind(index++, id.bytes);
    if (after) s.bind(index, after->not_header).bind(index + 1, after->updated_at).bind(index + 2, after->row);
    std::size_t bytes = 0;
    std::vector<SealedSync> rows;
    while (rows.size() < max_records && s.step()) {
        const auto size = static_cast<std::size_t>(s.column_blob_view(3).size());
        if (!rows.empty() && bytes + size > max_bytes) break;
        rows.push_back(read_sealed(s));
        bytes += size;
    }
    parallel::for_each_range(rows.size(), [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i) open_sealed(*impl_, rows[i]);
    });
    out.reserve(rows.size());
    for (auto& row : rows) out.push_back(std::move(row.record));
    return out;
}

std::size_t Vault::dirty_count() const {
    // Counted in records_to_push (no row read), less the few in conflict: the status bar asks
    // after every round of a sync.
    auto s = impl_->db.cached(
        "SELECT (SELECT COUNT(*) FROM records WHERE dirty = 1) - "
        "(SELECT COUNT(*) FROM conflicts c WHERE EXISTS (SELECT 1 FROM records r WHERE r.id = c.id AND r.dirty = 1))");
    return s->step() ? static_cast<std::size_t>(s->column_int(0)) : 0;
}

std::optional<SyncRecord> Vault::sync_record(const domain::Id& id) const {
    static const std::string kOne = std::string(kSyncColumns) + " WHERE r.id = ?";
    auto s = impl_->db.cached(kOne);
    s->bind(1, id.bytes);
    if (!s->step()) return std::nullopt;
    return read_sync_record(*impl_, *s);
}

std::optional<SyncState> Vault::sync_state(const domain::Id& id) const {
    auto s = impl_->db.cached(
        "SELECT r.server_rev, r.deleted, r.dirty, EXISTS (SELECT 1 FROM conflicts c WHERE c.id = r.id) FROM records r "
        "WHERE r.id = ?");
    s->bind(1, id.bytes);
    if (!s->step()) return std::nullopt;
    return SyncState{s->column_int(0), s->column_int(1) != 0, s->column_int(2) != 0, s->column_int(3) != 0};
}

std::optional<std::int64_t> Vault::server_revision(const domain::Id& id) const {
    auto s = impl_->db.cached("SELECT server_rev FROM records WHERE id = ?");
    s->bind(1, id.bytes);
    if (!s->step()) return std::nullopt;
    return s->column_int(0);
}

void Vault::acknowledge(std::span<const Acknowledged> acknowledged) {
    if (acknowledged.empty()) return;
    sql::Transaction transaction(impl_->db);
    // Unchanged since it was sent (the usual case): clean, and its base is its body.
    auto same = impl_->db.cached(
        "UPDATE records SET server_rev = ?, base_body = imrdesk_base_is_body(id, imr_id, kind), dirty = 0 "
        "WHERE id = ? AND local_seq = ? AND deleted = 0");
    auto find = impl_->db.cached("SELECT imr_id, kind FROM records WHERE id = ?");
    auto update = impl_->db.cached(
        "UPDATE records SET server_rev = ?, base_body = ?, dirty = CASE WHEN local_seq = ? THEN 0 ELSE 1 END WHERE id = ?");
    for (const auto& a : acknowledged) {
        if (!a.deleted) {
            same->bind(1, a.revision).bind(2, a.id.bytes).bind(3, a.local_seq);
            same->run();
            if (impl_->db.changes() == 1) continue;
        }
        // Changed here since, deleted, or gone: the version sent becomes the base as it was sent.
        find->bind(1, a.id.bytes);
        if (!find->step()) {
            find->reset();
            continue;  // deleted locally meanwhile: nothing to mark
        }
        const Id imr = id_from_blob(find->column_blob_view(0));
        const auto kind = static_cast<domain::RecordKind>(find->column_int(1));
        find->reset();
        update->bind(1, a.revision);
        if (a.deleted) {
            update->bind_null(2);
        } else {
            update->bind(2, impl_->records().seal(a.id, imr, kind, "base", a.body));
        }
        update->bind(3, a.local_seq).bind(4, a.id.bytes);
        update->run();
    }
    impl_->append_audit("sync.pushed", {{"count", acknowledged.size()}});
    transaction.commit();
}

void Vault::apply_remote(std::span<const RemoteWrite> writes, std::optional<std::int64_t> cursor, std::string_view audit_event,
                         const json& audit_details) {
    const std::int64_t now = impl_->clock();
    sql::Transaction transaction(impl_->db);
    auto find = impl_->db.cached("SELECT imr_id, kind FROM records WHERE id = ?");
    auto insert = impl_->db.cached(
        "INSERT INTO records(id, imr_id, kind, body, base_body, server_rev, dirty, deleted, updated_at, local_seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)");
    auto take = impl_->db.cached(
        "UPDATE records SET body = ?, deleted = ?, base_body = ?, server_rev = ?, dirty = 0, updated_at = ? WHERE id = ?");
    auto keep = impl_->db.cached(
        "UPDATE records SET body = ?, deleted = ?, base_body = ?, server_rev = ?, dirty = 1, updated_at = ?, "
        "local_seq = local_seq + 1 WHERE id = ?");
    auto rebase = impl_->db.cached("UPDATE records SET base_body = ?, server_rev = ?, dirty = 1 WHERE id = ?");
    auto conflict = impl_->db.cached(
        "INSERT INTO conflicts(id, theirs, theirs_rev, detected_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET theirs = excluded.theirs, theirs_rev = excluded.theirs_rev");
    auto clear_conflict = impl_->db.cached("DELETE FROM conflicts WHERE id = ?");
    // What each write stores, sealed on another thread while SQLite stores the ones before. The
    // server's version is always the base: "the body" when the body becomes the server's too.
    struct Sealed {
        ByteVec body, base;  // NULL when empty (a tombstone, or no body to change)
    };
    const auto cipher = impl_->records();
    parallel::Ahead<Sealed> sealed(writes.size(), [&writes, cipher](std::size_t i) {
        const auto& w = writes[i];
        const auto seal = [&](std::string_view text, bool deleted, std::string_view column) {
            return deleted ? ByteVec{} : cipher.seal(w.id, w.imr_id, w.kind, column, text);
        };
        Sealed out;
        switch (w.action) {
            case RemoteAction::Take:
                out.body = seal(w.remote_body, w.remote_deleted, "body");
                if (!w.remote_deleted) out.base = cipher.seal_base_is_body(w.id, w.imr_id, w.kind);
                break;
            case RemoteAction::Keep:
                out.body = seal(w.local_body, w.local_deleted, "body");
                out.base = seal(w.remote_body, w.remote_deleted, "base");
                break;
            case RemoteAction::Conflict:
                out.body = seal(w.remote_body, w.remote_deleted, "conflict");  // kept beside the local version
                out.base = seal(w.remote_body, w.remote_deleted, "base");
                break;
        }
        return out;
    });
    const auto bind = [](sql::Statement& st, int index, const ByteVec& blob) {
        if (blob.empty()) {
            st.bind_null(index);
        } else {
            st.bind_static(index, blob);
        }
    };
    for (std::size_t i = 0; i < writes.size(); ++i) {
        const auto& w = writes[i];
        const Sealed& v = sealed.get(i);
        find->bind(1, w.id.bytes);
        const bool exists = find->step();
        if (exists && (id_from_blob(find->column_blob_view(0)) != w.imr_id ||
                       find->column_int(1) != static_cast<std::int64_t>(w.kind))) {
            find->reset();
            throw VaultError("the server sent record " + w.id.hex() + " with another IMR or kind than this vault holds");
        }
        find->reset();
        const bool local = w.action == RemoteAction::Keep;
        if (!exists) {
            insert->bind(1, w.id.bytes).bind(2, w.imr_id.bytes).bind(3, static_cast<std::int64_t>(w.kind));
            bind(*insert, 4, v.body);
            bind(*insert, 5, v.base);
            insert->bind(6, w.revision).bind(7, std::int64_t{local ? 1 : 0});
            insert->bind(8, std::int64_t{(local ? w.local_deleted : w.remote_deleted) ? 1 : 0}).bind(9, now);
            insert->run();
            continue;
        }
        switch (w.action) {
            case RemoteAction::Take:
            case RemoteAction::Keep: {
                auto& st = local ? *keep : *take;
                bind(st, 1, v.body);
                st.bind(2, std::int64_t{(local ? w.local_deleted : w.remote_deleted) ? 1 : 0});
                bind(st, 3, v.base);
                st.bind(4, w.revision).bind(5, now).bind(6, w.id.bytes);
                st.run();
                clear_conflict->bind(1, w.id.bytes);
                clear_conflict->run();
                break;
            }
            case RemoteAction::Conflict:
                bind(*rebase, 1, v.base);
                rebase->bind(2, w.revision).bind(3, w.id.bytes);
                rebase->run();
                conflict->bind(1, w.id.bytes);
                bind(*conflict, 2, v.body);
                conflict->bind(3, w.revision).bind(4, now);
                conflict->run();
                break;
        }
    }
    if (cursor) set_meta_int(impl_->db, meta_key::kSyncCursor, *cursor);
    if (!writes.empty()) impl_->append_audit(audit_event, audit_details);
    transaction.commit();
}

std::int64_t Vault::sync_cursor() const { return get_meta_int(impl_->db, meta_key::kSyncCursor, 0); }

void Vault::reset_sync_cursor() {
    sql::Transaction transaction(impl_->db);
    set_meta_int(impl_->db, meta_key::kSyncCursor, 0);
    impl_->append_audit("sync.cursor_reset", json::object());
    transaction.commit();
}

std::vector<ConflictRecord> Vault::conflicts() const {
    std::vector<ConflictRecord> out;
    auto s = impl_->db.prepare(
        "SELECT r.id, r.imr_id, r.kind, r.body, r.deleted, c.theirs, c.theirs_rev, c.detected_at "
        "FROM conflicts c JOIN records r ON r.id = c.id ORDER BY c.detected_at, r.id");
    while (s.step()) {
        ConflictRecord c;
        c.id = id_from_blob(s.column_blob_view(0));
        c.imr_id = id_from_blob(s.column_blob_view(1));
        const auto kind = domain::record_kind_from_int(static_cast<int>(s.column_int(2)));
        if (!kind) throw VaultTampered("record " + c.id.hex() + " has an unknown kind");
        c.kind = *kind;
        c.mine_deleted = s.column_int(4) != 0;
        if (!c.mine_deleted) c.mine = open_column(*impl_, s.column_blob_view(3), c.id, c.imr_id, c.kind, "body");
        c.theirs_deleted = s.column_is_null(5);
        if (!c.theirs_deleted) c.theirs = open_column(*impl_, s.column_blob_view(5), c.id, c.imr_id, c.kind, "conflict");
        c.theirs_revision = s.column_int(6);
        c.detected_at = s.column_int(7);
        out.push_back(std::move(c));
    }
    return out;
}

std::size_t Vault::conflict_count() const {
    return static_cast<std::size_t>(impl_->db.scalar_int("SELECT COUNT(*) FROM conflicts"));
}

void Vault::resolve_conflict(const domain::Id& id, const std::optional<std::string>& body) {
    sql::Transaction transaction(impl_->db);
    auto find = impl_->db.prepare("SELECT r.imr_id, r.kind FROM conflicts c JOIN records r ON r.id = c.id WHERE c.id = ?");
    find.bind(1, id.bytes);
    if (!find.step()) throw VaultError("record " + id.hex() + " has no conflict to resolve");
    const Id imr = id_from_blob(find.column_blob_view(0));
    const auto kind = static_cast<domain::RecordKind>(find.column_int(1));
    find.reset();
    auto update = impl_->db.prepare("UPDATE records SET " + kKeepBase +
                                    ", body = ?, deleted = ?, dirty = 1, updated_at = ?, local_seq = local_seq + 1 WHERE id = ?");
    if (body) {
        update.bind(1, impl_->records().seal(id, imr, kind, "body", *body));
    } else {
        update.bind_null(1);
    }
    update.bind(2, std::int64_t{body ? 0 : 1}).bind(3, impl_->clock()).bind(4, id.bytes);
    update.run();
    impl_->db.prepare("DELETE FROM conflicts WHERE id = ?").bind(1, id.bytes).run();
    impl_->append_audit("sync.conflict_resolved", {{"id", id.hex()}, {"kind", domain::to_string(kind)}, {"deleted", !body}});
    transaction.commit();
}

}  // namespace imrdesk::client
