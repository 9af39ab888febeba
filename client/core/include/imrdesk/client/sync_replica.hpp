#pragma once
// The device's side of sync over its vault: what is pending goes up, what arrives is merged with
// local changes (three-way, against the stored base), case data from the server flows into the
// author's IMR, and submissions are queued and recorded. Every call runs on the thread that owns
// the workspace (the CLI's main thread; the UI thread through SyncService).
//
// Merging, per record that changed on both sides:
//  * the same content: taken, nothing to do;
//  * deleted on one side, edited on the other: the edit wins (a delete never silently destroys
//    an edit), and the event is logged;
//  * otherwise merge_bodies(base, mine, theirs): a clean merge is applied and pushed, and logged;
//    an overlap keeps mine in place and theirs beside it, as a conflict for the author.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "imrdesk/client/workspace.hpp"
#include "imrdesk/sync/client.hpp"

namespace imrdesk::client {

// What the sync panel and `sync status` show of this profile's link to the server (kept sealed
// in the vault as private data).
struct SyncProfileState {
    std::optional<sync::ServerLink> link;
    std::vector<sync::CaseInfo> cases;  // as last received, with their submissions
    struct QueuedSubmit {
        domain::Id imr;
        sync::Sha256 content_hash{};
    };
    std::vector<QueuedSubmit> submit_queue;
    std::deque<std::string> log;  // merges, conflicts, refusals: newest first
    std::optional<std::int64_t> last_sync;  // Unix seconds of the last session that ended well
    // An author enrolment for a case with no IMR of that agency here, while drafts of the case
    // made on this computer name another agency (a drafted "Northshire ICB (Riverside Surgery)",
    // enrolled as "Northshire ICB"): which draft is this agency's IMR is the author's to say.
    // Until then nothing is created, nothing is sent, and every draft stays editable.
    struct LinkQuestion {
        std::string case_reference;
        std::string agency;
        friend bool operator==(const LinkQuestion&, const LinkQuestion&) = default;
    };
    std::vector<LinkQuestion> link_questions;
};

// The content of a reviewer's copy as held (its sections and chronology), as CBOR, and the vault's
// private name it is kept under when a newer version of the IMR arrives.
[[nodiscard]] std::string version_snapshot(const ImrDocument& doc, std::uint32_t version);
[[nodiscard]] std::string version_snapshot_name(const domain::Id& imr);

class VaultReplica final : public sync::Replica {
public:
    explicit VaultReplica(Workspace& workspace);

    [[nodiscard]] const SyncProfileState& state() const noexcept { return state_; }
    // Queues an endorsed IMR for submission at the next sync. Throws WorkspaceError when the
    // IMR is not endorsed, its content changed since, it was already submitted, or the profile
    // is not enrolled.
    void queue_submit(const domain::Id& imr);
    [[nodiscard]] std::size_t pending_count() const;
    [[nodiscard]] std::size_t conflict_count() const;
    // The drafts that may be the IMR a link question asks for: this computer's never-sent drafts
    // of the case, of an agency this computer is not enrolled to write for.
    [[nodiscard]] std::vector<domain::Id> link_candidates(const SyncProfileState::LinkQuestion& question) const;
    // The author's answer: `draft` is the agency's IMR (it takes the enrolment's agency name and is
    // sent at the next sync), or nullopt: none is, and a new IMR is made from the case data.
    // Throws WorkspaceError when there is no such question or the draft is not a candidate.
    void answer_link(const SyncProfileState::LinkQuestion& question, std::optional<domain::Id> draft);

    // Resolves a conflict with the chosen body (nullopt: deleted) and refreshes the IMR.
    void resolve(const domain::Id& record, const std::optional<std::string>& body);
    // A digest of every record in the same form as the server's (tests: convergence).
    [[nodiscard]] sync::Sha256 record_digest(std::size_t* count = nullptr) const;

    // sync::Replica
    sync::PublicKey device_key() override;
    sync::Signature sign(std::span<const std::uint8_t> message) override;
    std::optional<sync::ServerLink> link() override;
    void save_link(const sync::ServerLink& link) override;
    void apply_case_infos(const std::vector<sync::CaseInfo>& infos) override;
    std::optional<sync::Sha256> cases_digest() override;
    std::uint64_t cursor() override;
    void push_round_started() override;
    std::vector<sync::PushRecord> pending(std::size_t max_records, std::size_t max_bytes) override;
    void acknowledge(std::span<const sync::PushRecord> sent, const sync::PushResult& result) override;
    void apply_pull(const sync::PullResult& result) override;
    std::vector<sync::Submit> pending_submissions() override;
    void submitted(const sync::SubmitResult& result) override;
    void submission_refused(const domain::Id& imr, const std::string& reason) override;
    void session_succeeded(std::int64_t at) override;

private:
    void keep_version(const ImrDocument& doc, std::uint32_t version);
    void load_state();
    void save_state();
    void note(std::string event);
    void apply_access();
    // Decides what to do with a server version and writes it; returns the affected IMR.
    void merge_remote(const std::vector<sync::RemoteRecord>& records, std::optional<std::int64_t> cursor);
    void ensure_case_imrs();
    void create_case_imr(const std::string& case_reference, const std::string& agency);
    [[nodiscard]] bool writes_for(const ImrDocument& doc) const;  // an author membership names its case and agency
    [[nodiscard]] bool never_sent(const ImrDocument& doc) const;
    void refresh_workspace();

    Workspace& workspace_;
    SyncProfileState state_;
    std::map<domain::Id, std::int64_t> sent_seq_;  // local_seq of what pending() handed out
    std::optional<PushKey> push_after_;             // the last record handed out in this round
    // What this device pushed and has no acknowledgement of (a connection cut after the server
    // committed): record -> BLAKE2b-256 of the bodies sent (the latest few). Kept in the vault
    // across runs, so that when the server later holds exactly that body, it is known for this
    // device's own earlier write, which the local version was written on top of, and not a change
    // from elsewhere. Earlier versions kept SHA-256 (read, checked, never written again).
    std::map<domain::Id, std::vector<sync::Sha256>> in_flight_;
    std::map<domain::Id, std::vector<sync::Sha256>> in_flight_sha256_;
    bool sha256_in_vault_ = false;
    void save_in_flight();
    [[nodiscard]] bool sent_before(const domain::Id& id, std::string_view body) const;
    std::set<domain::Id> changed_imrs_;            // pulled into the vault, not yet into the model
};

// Text for people: "2 h ago", "just now", "3 days ago".
[[nodiscard]] std::string ago(std::int64_t seconds);

}  // namespace imrdesk::client
