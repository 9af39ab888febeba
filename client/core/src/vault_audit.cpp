// The audit trail: entries appended and read back, and verify() over the database, every record
// and the chain of audit links (AuditChain).
#include "vault_internal.hpp"

namespace imrdesk::client {
void Vault::audit(std::string_view event, const json& details) {
    sql::Transaction transaction(impl_->db);
    impl_->append_audit(event, details);
    transaction.commit();
}

std::vector<AuditEntry> Vault::audit_entries() const {
    std::vector<AuditEntry> out;
    auto statement = impl_->db.prepare("SELECT seq, entry, epoch FROM audit ORDER BY seq");
    while (statement.step()) {
        AuditEntry entry;
        entry.sequence = statement.column_int(0);
        try {
            std::string plain;
            crypto::aead::open_into(impl_->audit_key, statement.column_blob_view(1),
                                    audit_ad(impl_->vault_id, entry.sequence, statement.column_int(2)), plain);
            const json j = json::parse(plain);
            entry.at = j.at("at").get<std::int64_t>();
            entry.event = j.at("event").get<std::string>();
            entry.details = j.at("details");
        } catch (const std::exception&) {
            entry.event = "(unreadable: altered)";
        }
        out.push_back(std::move(entry));
    }
    return out;
}

VerifyReport Vault::verify() const {
    VerifyReport report;
    {
        auto check = impl_->db.prepare("PRAGMA integrity_check");
        while (check.step()) {
            const std::string line = check.column_text(0);
            if (line != "ok") report.problems.push_back("database integrity: " + line);
        }
    }
    LoadResult loaded = load_all();
    for (auto& problem : loaded.problems) report.problems.push_back(std::move(problem.message));
    for (auto& record : loaded.records) {
        ++report.records_checked;
        if (record.deleted) continue;
        try {
            const json body = domain::parse_body(record.body, record.kind);
            domain::check_body(record.kind, body);
        } catch (const std::exception& e) {
            report.problems.push_back("record " + record.id.hex() + ": " + e.what());
        }
        crypto::wipe(record.body);
    }

    auto statement = impl_->db.prepare("SELECT seq, entry, chain, epoch FROM audit ORDER BY seq");
    std::int64_t expected = 1;
    std::int64_t previous_epoch = 0;
    const std::int64_t current_epoch = get_meta_int(impl_->db, meta_key::kKeyEpoch, 0);
    ByteVec chain(32, 0);
    std::string plain;
    while (statement.step()) {
        const std::int64_t sequence = statement.column_int(0);
        const auto sealed = statement.column_blob_view(1);
        const std::int64_t epoch = statement.column_int(3);
        if (epoch < previous_epoch || epoch > current_epoch)
            report.problems.push_back("audit trail: entry " + std::to_string(sequence) + " has key epoch " +
                                      std::to_string(epoch) + ", out of order");
        previous_epoch = epoch;
        if (sequence != expected) {
            report.problems.push_back("audit trail: entries " + std::to_string(expected) + " to " +
                                      std::to_string(sequence - 1) + " were removed");
        }
        const auto computed = impl_->chain().link(chain, sequence, epoch, sealed);
        if (!crypto::equal_constant_time(computed, statement.column_blob_view(2)))
            report.problems.push_back("audit trail: entry " + std::to_string(sequence) + " was altered or reordered");
        try {
            crypto::aead::open_into(impl_->audit_key, sealed, audit_ad(impl_->vault_id, sequence, epoch), plain);
        } catch (const crypto::AuthenticationError&) {
            report.problems.push_back("audit trail: entry " + std::to_string(sequence) + " does not decrypt (altered)");
        }
        chain = statement.column_blob(2);
        expected = sequence + 1;
        ++report.audit_entries_checked;
    }
    crypto::wipe(plain);
    const auto [head_sequence, head_chain] = impl_->audit_head();
    if (head_sequence != expected - 1)
        report.problems.push_back("audit trail: the trail ends at entry " + std::to_string(expected - 1) +
                                  " but entry " + std::to_string(head_sequence) + " was written: entries were removed");
    else if (!crypto::equal_constant_time(head_chain, chain))
        report.problems.push_back("audit trail: the last entry does not match the recorded head");
    return report;
}

}  // namespace imrdesk::client
