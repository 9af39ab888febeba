#pragma once
// An in-memory sync::Replica for tests that run real sessions against an in-process server: a
// device key, the link, a cursor, the records with the server revision each local version is
// based on, and the submissions waiting to go. Merging is deliberately simple: a pulled record
// replaces a clean local one, and one that changed on both sides (or a push conflict) is kept
// aside in `conflicts` and no longer pushed, so that a session always ends.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "imrdesk/crypto/signing.hpp"
#include "imrdesk/sync/client.hpp"

namespace imrdesk::test {

class MemoryReplica final : public sync::Replica {
public:
    struct Entry {
        domain::Id imr_id;
        domain::RecordKind kind = domain::RecordKind::Imr;
        std::uint64_t base_revision = 0;  // the server revision this version is based on (0: new)
        sync::Bytes body;
        bool deleted = false;
        bool dirty = false;        // changed here, not yet acknowledged
        bool in_conflict = false;  // waits for a person: not pushed
        std::string case_reference;
    };

    MemoryReplica() : key_(crypto::SigningKey::generate()) {}

    // --- test helpers ---
    // Pretends the device was enrolled with this link (a wrong pin, an unenrolled key ...).
    void set_link(sync::ServerLink link) { link_ = std::move(link); }
    void edit(const domain::Id& id, const domain::Id& imr, domain::RecordKind kind, std::string_view body,
              std::string case_reference = {}) {
        auto& e = records[id];
        e.imr_id = imr;
        e.kind = kind;
        e.body.assign(body.begin(), body.end());
        e.deleted = false;
        e.dirty = true;
        e.case_reference = std::move(case_reference);
    }
    void remove(const domain::Id& id) {
        auto& e = records.at(id);
        e.body.clear();
        e.deleted = true;
        e.dirty = true;
    }
    void queue_submit(const domain::Id& imr, const sync::Sha256& hash) { submit_queue.push_back(sync::Submit{imr, hash}); }
    [[nodiscard]] std::string body_of(const domain::Id& id) const {
        const auto& b = records.at(id).body;
        return {b.begin(), b.end()};
    }
    [[nodiscard]] std::size_t dirty_count() const {
        return static_cast<std::size_t>(
            std::count_if(records.begin(), records.end(), [](const auto& r) { return r.second.dirty; }));
    }
    [[nodiscard]] const crypto::SigningKey& signing_key() const noexcept { return key_; }

    // --- sync::Replica ---
    sync::PublicKey device_key() override { return key_.public_key().bytes; }
    sync::Signature sign(std::span<const std::uint8_t> message) override { return key_.sign(message); }
    std::optional<sync::ServerLink> link() override { return link_; }
    void save_link(const sync::ServerLink& link) override {
        bool grew = !link_ || link_->device_id != link.device_id;
        if (link_) {
            for (const auto& m : link.memberships) {
                if (std::find(link_->memberships.begin(), link_->memberships.end(), m) == link_->memberships.end()) grew = true;
            }
        }
        if (grew) cursor_ = 0;
        link_ = link;
    }
    void apply_case_infos(const std::vector<sync::CaseInfo>& infos) override { case_infos = infos; }
    std::uint64_t cursor() override { return cursor_; }
    void push_round_started() override { handed_out_.clear(); }
    std::vector<sync::PushRecord> pending(std::size_t max_records, std::size_t max_bytes) override {
        std::vector<sync::PushRecord> out;
        std::size_t bytes = 0;
        for (const bool headers : {true, false}) {
            for (const auto& [id, e] : records) {
                if (!e.dirty || e.in_conflict || (e.kind == domain::RecordKind::Imr) != headers || handed_out_.contains(id))
                    continue;
                if (out.size() >= max_records || (!out.empty() && bytes + e.body.size() > max_bytes)) return out;
                out.push_back(sync::PushRecord{id, e.imr_id, e.kind, e.base_revision, e.deleted ? sync::Bytes{} : e.body,
                                               e.deleted, e.case_reference});
                handed_out_.insert(id);
                bytes += e.body.size();
            }
        }
        return out;
    }
    void acknowledge(std::span<const sync::PushRecord> sent, const sync::PushResult& result) override {
        for (std::size_t i = 0; i < sent.size() && i < result.outcomes.size(); ++i) {
            handed_out_.erase(sent[i].id);
            auto& e = records.at(sent[i].id);
            if (const auto* a = std::get_if<sync::PushAccepted>(&result.outcomes[i])) {
                e.base_revision = a->revision;
                e.dirty = false;
            } else {
                e.in_conflict = true;
                conflicts.push_back(std::get<sync::PushConflict>(result.outcomes[i]).current);
            }
        }
    }
    void apply_pull(const sync::PullResult& result) override {
        for (const auto& r : result.records) {
            auto& e = records[r.id];
            pulled.push_back(r);
            if (e.dirty && !(e.deleted == r.deleted && e.body == r.body)) {
                e.in_conflict = true;
                conflicts.push_back(r);
                continue;
            }
            e.imr_id = r.imr_id;
            e.kind = r.kind;
            e.base_revision = r.revision;
            e.body = r.body;
            e.deleted = r.deleted;
            e.dirty = false;
        }
        cursor_ = result.next_cursor;
    }
    std::vector<sync::Submit> pending_submissions() override { return submit_queue; }
    void submitted(const sync::SubmitResult& result) override {
        submit_results.push_back(result);
        std::erase_if(submit_queue, [&](const sync::Submit& s) { return s.imr_id == result.imr_id; });
    }
    void submission_refused(const domain::Id& imr, const std::string& reason) override {
        submit_refusals.push_back(reason);
        std::erase_if(submit_queue, [&](const sync::Submit& s) { return s.imr_id == imr; });
    }
    void session_succeeded(std::int64_t /*at*/) override { ++sessions; }

    // What the sessions did, for the tests to look at.
    std::map<domain::Id, Entry> records;
    std::vector<sync::CaseInfo> case_infos;
    std::vector<sync::RemoteRecord> conflicts;
    std::vector<sync::RemoteRecord> pulled;  // every record received, in order
    std::vector<sync::Submit> submit_queue;
    std::vector<sync::SubmitResult> submit_results;
    std::vector<std::string> submit_refusals;
    int sessions = 0;

private:
    crypto::SigningKey key_;
    std::optional<sync::ServerLink> link_;
    std::uint64_t cursor_ = 0;
    std::set<domain::Id> handed_out_;  // in this push round, not yet acknowledged
};

}  // namespace imrdesk::test
