#include "imrdesk/client/sync_replica.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/merge.hpp"
#include "imrdesk/sync/digest.hpp"
#include "parallel.hpp"

namespace imrdesk::client {

namespace {

using domain::Id;
using nlohmann::json;

constexpr std::string_view kStateName = "sync.state";
constexpr std::string_view kInFlightName = "sync.in_flight.blake2b";  // record id (16) || BLAKE2b-256 (32), repeated
constexpr std::string_view kInFlightSha256Name = "sync.in_flight";    // the same with SHA-256 (before schema 3)
constexpr std::size_t kInFlightPerRecord = 8;

// BLAKE2b: three times SHA-256's speed here, and every body of a push is hashed.
sync::Sha256 body_hash(std::string_view body) {
    return crypto::blake2b(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
}

std::map<Id, std::vector<sync::Sha256>> read_hashes(std::string_view stored) {
    std::map<Id, std::vector<sync::Sha256>> out;
    for (std::size_t at = 0; at + 48 <= stored.size(); at += 48) {
        Id id;
        sync::Sha256 hash{};
        std::memcpy(id.bytes.data(), stored.data() + at, 16);
        std::memcpy(hash.data(), stored.data() + at + 16, 32);
        out[id].push_back(hash);
    }
    return out;
}

std::string write_hashes(const std::map<Id, std::vector<sync::Sha256>>& hashes) {
    std::string out;
    out.reserve(hashes.size() * 48);
    for (const auto& [id, list] : hashes) {
        for (const auto& hash : list) {
            out.append(reinterpret_cast<const char*>(id.bytes.data()), 16);
            out.append(reinterpret_cast<const char*>(hash.data()), 32);
        }
    }
    return out;
}
constexpr std::size_t kMaxLog = 200;

std::span<const std::uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

json bin(std::span<const std::uint8_t> b) { return json::binary(std::vector<std::uint8_t>(b.begin(), b.end())); }

template <std::size_t N>
std::array<std::uint8_t, N> fixed(const json& j) {
    std::array<std::uint8_t, N> out{};
    const auto& b = j.get_binary();
    if (b.size() != N) throw std::runtime_error("a stored key has the wrong size");
    std::copy(b.begin(), b.end(), out.begin());
    return out;
}

std::string kind_name(domain::RecordKind kind) { return std::string(domain::to_string(kind)); }

}  // namespace

std::string ago(std::int64_t seconds) {
    if (seconds < 60) return "just now";
    if (seconds < 3600) return std::to_string(seconds / 60) + " min ago";
    if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + " h ago";
    return std::to_string(seconds / 86400) + " days ago";
}

VaultReplica::VaultReplica(Workspace& workspace) : workspace_(workspace) {
    load_state();
    in_flight_ = read_hashes(workspace_.vault().load_private(kInFlightName));
    in_flight_sha256_ = read_hashes(workspace_.vault().load_private(kInFlightSha256Name));
    sha256_in_vault_ = !in_flight_sha256_.empty();
    apply_access();
}

bool VaultReplica::sent_before(const Id& id, std::string_view body) const {
    const auto in = [&](const auto& map, const sync::Sha256& hash) {
        const auto found = map.find(id);
        return found != map.end() && std::find(found->second.begin(), found->second.end(), hash) != found->second.end();
    };
    return in(in_flight_, body_hash(body)) ||
           (in_flight_sha256_.contains(id) &&
            in(in_flight_sha256_, crypto::sha256(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(body.data()),
                                                                               body.size()))));
}

void VaultReplica::save_in_flight() {
    workspace_.vault().store_private(kInFlightName, write_hashes(in_flight_));
    // The SHA-256 entries of an earlier version stay in memory until acknowledged, and are kept in
    // the vault as long as any is left.
    if (sha256_in_vault_) {
        workspace_.vault().store_private(kInFlightSha256Name, write_hashes(in_flight_sha256_));
        sha256_in_vault_ = !in_flight_sha256_.empty();
    }
}

void VaultReplica::load_state() {
    const std::string stored = workspace_.vault().load_private(kStateName);
    if (stored.empty()) return;
    const json j = json::from_cbor(bytes_of(stored));
    if (j.contains("link")) {
        const json& l = j.at("link");
        sync::ServerLink link;
        link.host = l.at("host").get<std::string>();
        link.port = l.at("port").get<std::uint16_t>();
        link.fingerprint = fixed<32>(l.at("fingerprint"));
        link.device_id = Id{fixed<16>(l.at("device"))};
        for (const auto& m : l.at("members")) {
            link.memberships.push_back(sync::Membership{m.at("case").get<std::string>(), m.at("agency").get<std::string>(),
                                                        static_cast<sync::Role>(m.at("role").get<int>())});
        }
        state_.link = std::move(link);
    }
    for (const auto& c : j.value("cases", json::array())) {
        const auto& b = c.get_binary();
        const auto message = sync::decode_message(std::span<const std::uint8_t>(b.data(), b.size()));
        if (const auto* info = std::get_if<sync::CaseInfo>(&message)) state_.cases.push_back(*info);
    }
    for (const auto& q : j.value("submit", json::array())) {
        state_.submit_queue.push_back({Id{fixed<16>(q.at("imr"))}, fixed<32>(q.at("hash"))});
    }
    for (const auto& e : j.value("log", json::array())) state_.log.push_back(e.get<std::string>());
    if (j.contains("last_sync")) state_.last_sync = j.at("last_sync").get<std::int64_t>();
    for (const auto& q : j.value("link_questions", json::array()))
        state_.link_questions.push_back({q.at("case").get<std::string>(), q.at("agency").get<std::string>()});
}

void VaultReplica::save_state() {
    json j = json::object();
    if (state_.link) {
        const auto& l = *state_.link;
        json members = json::array();
        for (const auto& m : l.memberships) {
            members.push_back({{"case", m.case_reference}, {"agency", m.agency}, {"role", static_cast<int>(m.role)}});
        }
        j["link"] = {{"host", l.host}, {"port", l.port}, {"fingerprint", bin(l.fingerprint)},
                     {"device", bin(l.device_id.bytes)}, {"members", members}};
    }
    json cases = json::array();
    for (const auto& c : state_.cases) cases.push_back(bin(sync::encode_message(c)));
    j["cases"] = std::move(cases);
    json queue = json::array();
    for (const auto& q : state_.submit_queue) queue.push_back({{"imr", bin(q.imr.bytes)}, {"hash", bin(q.content_hash)}});
    j["submit"] = std::move(queue);
    j["log"] = state_.log;
    if (state_.last_sync) j["last_sync"] = *state_.last_sync;
    json questions = json::array();
    for (const auto& q : state_.link_questions) questions.push_back({{"case", q.case_reference}, {"agency", q.agency}});
    j["link_questions"] = std::move(questions);
    const auto bytes = json::to_cbor(j);
    workspace_.vault().store_private(kStateName, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void VaultReplica::note(std::string event) {
    state_.log.push_front(platform::format_time(system_now(), "%d/%m %H:%M", platform::Zone::Local) + "  " + std::move(event));
    while (state_.log.size() > kMaxLog) state_.log.pop_back();
}

void VaultReplica::apply_access() {
    SyncAccess access;
    access.enrolled = state_.link.has_value();
    if (state_.link) {
        for (const auto& m : state_.link->memberships) {
            if (m.role == sync::Role::Author) access.author_of.emplace_back(m.case_reference, m.agency);
        }
    }
    for (const auto& c : state_.cases) {
        for (const auto& s : c.submissions) {
            access.submitted[s.imr_id] = static_cast<std::int64_t>(s.received_at);
            if (s.content_hash != sync::Sha256{}) access.submitted_hash[s.imr_id] = crypto::to_hex(s.content_hash);
        }
    }
    for (const auto& doc : workspace_.imrs())
        if (never_sent(doc)) access.local_drafts.insert(doc.id);
    workspace_.set_access(std::move(access));
}

bool VaultReplica::never_sent(const ImrDocument& doc) const {
    const auto revision = workspace_.vault().server_revision(doc.id);  // the IMR's header record
    return !revision || *revision == 0;
}

bool VaultReplica::writes_for(const ImrDocument& doc) const {
    if (!state_.link) return false;
    return std::any_of(state_.link->memberships.begin(), state_.link->memberships.end(), [&](const sync::Membership& m) {
        return m.role == sync::Role::Author && m.case_reference == doc.header.case_info.reference && m.agency == doc.header.agency;
    });
}

std::vector<Id> VaultReplica::link_candidates(const SyncProfileState::LinkQuestion& question) const {
    std::vector<Id> out;
    for (const auto& doc : workspace_.imrs()) {
        if (doc.header.case_info.reference != question.case_reference || doc.read_only() || writes_for(doc)) continue;
        if (never_sent(doc)) out.push_back(doc.id);
    }
    return out;
}

void VaultReplica::answer_link(const SyncProfileState::LinkQuestion& question, std::optional<Id> draft) {
    const auto asked = std::find(state_.link_questions.begin(), state_.link_questions.end(), question);
    if (asked == state_.link_questions.end())
        throw WorkspaceError("nothing asks which draft is the IMR of " + question.agency + " in case " + question.case_reference);
    if (draft) {
        const auto candidates = link_candidates(question);
        if (std::find(candidates.begin(), candidates.end(), *draft) == candidates.end())
            throw WorkspaceError("that IMR cannot become the IMR of " + question.agency + ": only a draft of case " +
                                 question.case_reference + " made on this computer and never sent can");
        const auto* doc = workspace_.find(*draft);
        auto header = doc->header;
        const std::string was = header.agency;
        if (header.author_agency.empty() || header.author_agency == was) header.author_agency = question.agency;
        header.agency = question.agency;  // the agency's name follows the enrolment
        workspace_.update_header(*draft, std::move(header));
        workspace_.vault().audit("sync.draft_linked", {{"imr", draft->hex()}, {"case", question.case_reference},
                                                       {"agency", question.agency}, {"was", was}});
        note("the draft for " + was + " is now the IMR of " + question.agency + " in case " + question.case_reference +
             ": it is sent at the next sync");
    } else {
        create_case_imr(question.case_reference, question.agency);
        workspace_.vault().audit("sync.draft_not_linked", {{"case", question.case_reference}, {"agency", question.agency}});
    }
    state_.link_questions.erase(std::find(state_.link_questions.begin(), state_.link_questions.end(), question));
    save_state();
    apply_access();
}

std::size_t VaultReplica::pending_count() const { return workspace_.vault().dirty_count() + state_.submit_queue.size(); }

std::size_t VaultReplica::conflict_count() const { return workspace_.vault().conflict_count(); }

void VaultReplica::queue_submit(const Id& imr) {
    if (!state_.link) throw WorkspaceError("this profile is not enrolled with a server: enrol it first (imrdesk-cli enrol CODE)");
    const auto& doc = workspace_.get(imr);
    if (doc.submitted_at) throw WorkspaceError("this IMR was already submitted");
    if (doc.reviewer_copy) throw WorkspaceError("this IMR belongs to another agency; only its authors can submit it");
    if (doc.header.status != domain::ImrStatus::Endorsed || !doc.endorsement) {
        throw WorkspaceError("only an endorsed IMR can be submitted; it is " + std::string(domain::to_string(doc.header.status)));
    }
    const auto hash_hex = workspace_.content_hash(imr);
    if (hash_hex != doc.endorsement->value.content_hash) {
        throw WorkspaceError("the IMR changed after it was endorsed; withdraw and renew the endorsement");
    }
    const auto hash = crypto::from_hex(hash_hex);
    sync::Sha256 digest{};
    std::copy_n(hash.begin(), std::min(hash.size(), digest.size()), digest.begin());
    std::erase_if(state_.submit_queue, [&](const auto& q) { return q.imr == imr; });
    state_.submit_queue.push_back({imr, digest});
    note("IMR " + doc.header.case_info.reference + " (" + doc.header.agency + ") queued for submission");
    save_state();
}

void VaultReplica::resolve(const Id& record, const std::optional<std::string>& body) {
    const auto r = workspace_.vault().sync_record(record);
    if (!r) throw WorkspaceError("there is no record " + record.hex());
    workspace_.vault().resolve_conflict(record, body);
    note("conflict on a " + kind_name(r->kind) + " resolved");
    save_state();
    workspace_.reload_imrs({r->imr_id});
}

sync::Sha256 VaultReplica::record_digest(std::size_t* count) const {
    auto loaded = workspace_.vault().load_all();
    std::vector<const StoredRecord*> sorted;
    for (const auto& r : loaded.records) sorted.push_back(&r);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
    sync::RecordSetHasher hasher;
    for (const auto* r : sorted) {
        hasher.add(r->id, r->deleted, bytes_of(r->body));
    }
    for (auto& r : loaded.records) crypto::wipe(r.body);
    if (count != nullptr) *count = hasher.count();
    return hasher.finish();
}

// --- Replica -----------------------------------------------------------------------------------

sync::PublicKey VaultReplica::device_key() { return workspace_.vault().device_key().public_key().bytes; }

sync::Signature VaultReplica::sign(std::span<const std::uint8_t> message) {
    return workspace_.vault().device_key().sign(message);
}

std::optional<sync::ServerLink> VaultReplica::link() { return state_.link; }

void VaultReplica::save_link(const sync::ServerLink& link) {
    bool grew = !state_.link || state_.link->device_id != link.device_id;
    if (state_.link && !grew) {
        for (const auto& m : link.memberships) {
            if (std::find(state_.link->memberships.begin(), state_.link->memberships.end(), m) == state_.link->memberships.end()) {
                grew = true;
            }
        }
    }
    const bool first = !state_.link;
    const bool changed = !state_.link || state_.link->memberships != link.memberships || state_.link->host != link.host ||
                         state_.link->port != link.port;
    if (!changed) return;
    state_.link = link;
    if (first) {
        note("enrolled with " + link.address() + " as device " + link.device_id.hex().substr(0, 8));
        workspace_.vault().audit("sync.enrolled", {{"server", link.address()}, {"device", link.device_id.hex()}});
    }
    for (const auto& m : link.memberships) {
        if (grew) note(std::string(m.role == sync::Role::Author ? "author" : "reviewer") + " for " + m.agency + " in case " + m.case_reference);
    }
    // Records of a case newly joined may be older than the cursor: read the feed from the start
    // (what is already here is recognised and skipped).
    if (grew && workspace_.vault().sync_cursor() != 0) workspace_.vault().reset_sync_cursor();
    save_state();
    apply_access();
}

void VaultReplica::apply_case_infos(const std::vector<sync::CaseInfo>& infos) {
    std::set<Id> newly_submitted;
    for (const auto& info : infos) {
        for (const auto& s : info.submissions) newly_submitted.insert(s.imr_id);
    }
    for (const auto& old : state_.cases) {
        for (const auto& s : old.submissions) newly_submitted.erase(s.imr_id);
    }
    if (infos != state_.cases) {
        // A reviewer's copy about to be replaced by a newer version: what it holds now is kept,
        // sealed, so the review team sees what changed (client/review.hpp, changes_since_previous).
        // The version held is the one last received: its submission, or, while its agency amends
        // (no submission is listed then), the version the agency's progress still names.
        for (const auto& info : infos) {
            for (const auto& s : info.submissions) {
                const auto* doc = workspace_.find(s.imr_id);
                if (doc == nullptr || !doc->reviewer_copy) continue;
                std::uint32_t held = 0;
                for (const auto& old : state_.cases) {
                    if (old.reference != info.reference) continue;
                    for (const auto& before : old.submissions)
                        if (before.imr_id == s.imr_id) held = before.version;
                    if (held == 0)
                        for (const auto& a : old.agencies)
                            if (a.agency == doc->header.agency) held = a.version;
                }
                if (held > 0 && held < s.version) keep_version(*doc, held);
            }
        }
        state_.cases = infos;
        for (const auto& id : newly_submitted) {
            if (const auto* doc = workspace_.find(id)) {
                note("IMR " + doc->header.case_info.reference + " (" + doc->header.agency + ") was received by the review team");
            }
        }
        save_state();
        apply_access();
    }
    // The Board's case data flows into this device's IMRs of the case.
    if (!state_.link) return;
    for (const auto& info : infos) {
        const auto domain_info = info.to_domain();
        for (const auto& doc : workspace_.imrs()) {
            if (doc.reviewer_copy || doc.read_only() || doc.header.case_info.reference != info.reference) continue;
            const auto& current = doc.header.case_info;
            if (current.title == domain_info.title && current.terms_of_reference == domain_info.terms_of_reference &&
                current.period_from == domain_info.period_from && current.period_to == domain_info.period_to &&
                current.due == domain_info.due) {
                continue;
            }
            auto header = doc.header;
            header.case_info = domain_info;
            workspace_.update_header(doc.id, std::move(header));
            note("case " + info.reference + ": terms of reference, review period and due date updated from the server");
            save_state();
        }
    }
}

void VaultReplica::keep_version(const ImrDocument& doc, std::uint32_t version) {
    workspace_.vault().store_private(version_snapshot_name(doc.id), version_snapshot(doc, version));
    workspace_.vault().audit("review.version_kept", {{"imr", doc.id.hex()}, {"version", version}});
}

std::optional<sync::Sha256> VaultReplica::cases_digest() {
    if (!state_.link || state_.cases.empty()) return std::nullopt;
    return sync::case_infos_digest(state_.cases);
}

void VaultReplica::ensure_case_imrs() {
    if (!state_.link) return;
    bool changed = false;
    for (const auto& m : state_.link->memberships) {
        if (m.role != sync::Role::Author) continue;
        const SyncProfileState::LinkQuestion question{m.case_reference, m.agency};
        const bool exists = std::any_of(workspace_.imrs().begin(), workspace_.imrs().end(), [&](const ImrDocument& d) {
            return d.header.case_info.reference == m.case_reference && d.header.agency == m.agency;
        });
        const auto asked = std::find(state_.link_questions.begin(), state_.link_questions.end(), question);
        if (exists) {
            if (asked != state_.link_questions.end()) {  // answered another way (a device of the agency sent it)
                state_.link_questions.erase(asked);
                changed = true;
            }
            continue;
        }
        if (asked != state_.link_questions.end()) continue;  // the author has yet to say
        // A draft of the case made here under another agency name may be this agency's IMR: never
        // make a second, empty one beside it. The author is asked.
        if (!link_candidates(question).empty()) {
            state_.link_questions.push_back(question);
            note("which draft of case " + m.case_reference + " is the IMR of " + m.agency + "? Waiting for your answer");
            changed = true;
            continue;
        }
        create_case_imr(m.case_reference, m.agency);
    }
    if (changed) {
        save_state();
        apply_access();
    }
}

void VaultReplica::create_case_imr(const std::string& case_reference, const std::string& agency) {
    const auto info = std::find_if(state_.cases.begin(), state_.cases.end(),
                                   [&](const sync::CaseInfo& c) { return c.reference == case_reference; });
    domain::ImrHeader header;
    header.case_info = info != state_.cases.end() ? info->to_domain() : domain::CaseInfo{case_reference, "", {}, {}, {}, {}};
    header.title = "Individual Management Review: " + agency;
    header.agency = agency;
    header.author_agency = agency;
    header.adults.push_back(domain::Adult{"Adult (name or pseudonym as in the case)", std::nullopt});
    workspace_.create_imr(std::move(header));
    note("created the IMR for " + agency + " in case " + case_reference + " from the server's case data");
    save_state();
    apply_access();
}

std::uint64_t VaultReplica::cursor() { return static_cast<std::uint64_t>(workspace_.vault().sync_cursor()); }

void VaultReplica::push_round_started() { push_after_.reset(); }

std::vector<sync::PushRecord> VaultReplica::pending(std::size_t max_records, std::size_t max_bytes) {
    std::vector<sync::PushRecord> out;
    // Only what this computer writes for goes up: a draft of another agency's name (waiting for the
    // author to say it is theirs) or of a case it is not enrolled in stays here, editable.
    std::vector<Id> held_back;
    if (state_.link)
        for (const auto& doc : workspace_.imrs())
            // (A reviewer's copy goes up: only the review team's own records there are ever changed.)
            if (!writes_for(doc) && !doc.reviewer_copy) held_back.push_back(doc.id);
    auto dirty = workspace_.vault().dirty_records(max_records, max_bytes, held_back, push_after_);
    if (!dirty.empty()) push_after_ = dirty.back().key;
    // Every body sent since the last acknowledgement may be the one the server holds.
    std::vector<sync::Sha256> hashes(dirty.size());
    parallel::for_each_range(dirty.size(), [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i)
            if (!dirty[i].deleted) hashes[i] = body_hash(dirty[i].body);
    });
    for (std::size_t i = 0; i < dirty.size(); ++i) {
        auto& r = dirty[i];
        sync::PushRecord p;
        p.id = r.id;
        p.imr_id = r.imr_id;
        p.kind = r.kind;
        p.base_revision = static_cast<std::uint64_t>(r.server_revision);
        p.deleted = r.deleted;
        if (!r.deleted) p.body.assign(r.body.begin(), r.body.end());
        if (r.kind == domain::RecordKind::Imr) {
            if (const auto* doc = workspace_.find(r.imr_id)) p.case_reference = doc->header.case_info.reference;
        }
        crypto::wipe(r.body);
        if (r.base) crypto::wipe(*r.base);
        sent_seq_[r.id] = r.local_seq;
        if (!p.deleted) {
            auto& sent = in_flight_[p.id];
            if (sent.size() == kInFlightPerRecord) sent.erase(sent.begin());
            sent.push_back(hashes[i]);
        }
        out.push_back(std::move(p));
    }
    // Durable before the push leaves: its acknowledgement may never come back. (Entries
    // acknowledged meanwhile were dropped in memory and go with this write.)
    if (!out.empty()) save_in_flight();
    return out;
}

void VaultReplica::acknowledge(std::span<const sync::PushRecord> sent, const sync::PushResult& result) {
    std::vector<Acknowledged> acks;
    std::vector<sync::RemoteRecord> conflicts;
    for (std::size_t i = 0; i < sent.size() && i < result.outcomes.size(); ++i) {
        const auto& p = sent[i];
        if (const auto* a = std::get_if<sync::PushAccepted>(&result.outcomes[i])) {
            const auto seq = sent_seq_.find(p.id);
            acks.push_back(Acknowledged{p.id, seq == sent_seq_.end() ? -1 : seq->second, static_cast<std::int64_t>(a->revision),
                                        std::string_view(reinterpret_cast<const char*>(p.body.data()), p.body.size()),
                                        p.deleted});
            // Dropped in memory only: a stale entry that stays in the vault still names a body this
            // device wrote, which every later local version descends from.
            in_flight_.erase(p.id);
            in_flight_sha256_.erase(p.id);
        } else {
            conflicts.push_back(std::get<sync::PushConflict>(result.outcomes[i]).current);
        }
        sent_seq_.erase(p.id);
    }
    workspace_.vault().acknowledge(acks);
    if (!conflicts.empty()) merge_remote(conflicts, std::nullopt);
}

void VaultReplica::apply_pull(const sync::PullResult& result) {
    merge_remote(result.records, static_cast<std::int64_t>(result.next_cursor));
    if (!result.more) {
        refresh_workspace();
        ensure_case_imrs();
    }
}

void VaultReplica::refresh_workspace() {
    if (changed_imrs_.empty()) return;
    workspace_.reload_imrs(std::vector<Id>(changed_imrs_.begin(), changed_imrs_.end()));
    changed_imrs_.clear();
}

void VaultReplica::merge_remote(const std::vector<sync::RemoteRecord>& records, std::optional<std::int64_t> cursor) {
    std::vector<RemoteWrite> writes;
    std::set<Id> imrs;
    json merged = json::array();
    json conflicted = json::array();
    for (const auto& r : records) {
        RemoteWrite w;
        w.id = r.id;
        w.imr_id = r.imr_id;
        w.kind = r.kind;
        w.revision = static_cast<std::int64_t>(r.revision);
        w.remote_body.assign(r.body.begin(), r.body.end());
        w.remote_deleted = r.deleted;
        // Most records did not change here (or are new): taken without decrypting anything.
        const auto state = workspace_.vault().sync_state(r.id);
        if (state && state->server_revision >= w.revision) {
            continue;  // already have this version or a later one (a page seen before, a conflict noted)
        }
        if (!state || (!state->dirty && !state->in_conflict)) {
            w.action = RemoteAction::Take;
            imrs.insert(r.imr_id);
            writes.push_back(std::move(w));
            continue;
        }
        auto local = workspace_.vault().sync_record(r.id);
        const std::string what = "a " + kind_name(r.kind);
        if (local && local->in_conflict) {
            // Still waiting for the author: the newer server version replaces the one kept beside
            // mine (never merged against a base the author has not seen).
            w.action = local->deleted == r.deleted && local->body == w.remote_body ? RemoteAction::Take : RemoteAction::Conflict;
            if (w.action == RemoteAction::Conflict) conflicted.push_back(r.id.hex());
        } else if (!local || !local->dirty) {
            w.action = RemoteAction::Take;
        } else if (local->deleted == r.deleted && local->body == w.remote_body) {
            w.action = RemoteAction::Take;  // both made the same change
        } else if (!r.deleted && !local->deleted && sent_before(r.id, w.remote_body)) {
            // The server holds what this device pushed earlier without hearing back: the local
            // version was written on top of it, so it stays and goes up on that base.
            w.action = RemoteAction::Keep;
            w.local_body = local->body;
            in_flight_.erase(r.id);
            in_flight_sha256_.erase(r.id);
        } else if (r.deleted) {
            // Deleted there, edited here: the edit wins and goes back up.
            w.action = RemoteAction::Keep;
            w.local_body = local->body;
            note(what + " deleted on another device was edited here: the edit was kept");
            merged.push_back(r.id.hex());
        } else if (local->deleted) {
            w.action = RemoteAction::Take;  // deleted here, edited there: the edit wins
            note(what + " deleted here was edited on another device: the edit was kept");
            merged.push_back(r.id.hex());
        } else {
            try {
                const json base = local->base ? json::parse(*local->base) : json(nullptr);
                const auto result = domain::merge_bodies(base, json::parse(local->body), json::parse(w.remote_body));
                if (result.clean()) {
                    w.local_body = result.merged.dump();
                    w.action = w.local_body == w.remote_body ? RemoteAction::Take : RemoteAction::Keep;
                    note(what + " changed here and on another device was merged");
                    merged.push_back(r.id.hex());
                } else {
                    w.action = RemoteAction::Conflict;
                }
            } catch (const std::exception&) {
                w.action = RemoteAction::Conflict;  // cannot read one side: keep both for the author
            }
            if (w.action == RemoteAction::Conflict) {
                note(what + " was changed here and on another device in the same place: both versions kept, see Conflicts");
                conflicted.push_back(r.id.hex());
            }
        }
        if (local) {
            crypto::wipe(local->body);  // the decrypted local version and its base: not kept
            if (local->base) crypto::wipe(*local->base);
        }
        imrs.insert(r.imr_id);
        writes.push_back(std::move(w));
    }
    workspace_.vault().apply_remote(writes, cursor, "sync.pulled",
                                    {{"count", writes.size()}, {"merged", merged}, {"conflicts", conflicted}});
    for (auto& w : writes) {
        crypto::wipe(w.remote_body);
        crypto::wipe(w.local_body);
    }
    if (!merged.empty() || !conflicted.empty()) save_state();
    // IMRs the author may be editing are refreshed at once, so no edit is ever made on a stale
    // model. IMRs arriving for the first time, and another agency's IMRs seen as a reviewer
    // (never edited here), are refreshed once at the end of the pull: reloading a large IMR after
    // every page would cost far more than the pages themselves.
    std::vector<Id> now;
    for (const auto& id : imrs) {
        const auto* doc = workspace_.find(id);
        if ((doc != nullptr && !doc->reviewer_copy) || !cursor) {
            now.push_back(id);
        } else {
            changed_imrs_.insert(id);
        }
    }
    if (!now.empty()) workspace_.reload_imrs(now);
}

std::vector<sync::Submit> VaultReplica::pending_submissions() {
    std::vector<sync::Submit> out;
    for (const auto& q : state_.submit_queue) out.push_back(sync::Submit{q.imr, q.content_hash});
    return out;
}

void VaultReplica::submitted(const sync::SubmitResult& result) {
    sync::Sha256 hash{};
    for (const auto& q : state_.submit_queue)
        if (q.imr == result.imr_id) hash = q.content_hash;
    std::erase_if(state_.submit_queue, [&](const auto& q) { return q.imr == result.imr_id; });
    std::string agency;
    std::string reference;
    if (const auto* doc = workspace_.find(result.imr_id)) {
        agency = doc->header.agency;
        reference = doc->header.case_info.reference;
    }
    for (auto& c : state_.cases) {
        if (c.reference != reference) continue;
        std::uint32_t version = 1;
        for (const auto& a : c.agencies)
            if (a.agency == agency) version = a.version + (a.state == sync::AgencyState::Submitted ? 0 : 1);
        std::erase_if(c.submissions, [&](const sync::Submission& s) { return s.imr_id == result.imr_id; });
        c.submissions.push_back(sync::Submission{result.imr_id, agency, result.received_at, std::max<std::uint32_t>(version, 1), hash});
    }
    note("IMR " + reference + " (" + agency + ") submitted; the server received it");
    workspace_.vault().audit("sync.submitted", {{"imr", result.imr_id.hex()}, {"received_at", result.received_at}});
    save_state();
    apply_access();
}

void VaultReplica::session_succeeded(std::int64_t at) {
    state_.last_sync = at;
    save_state();
}

void VaultReplica::submission_refused(const Id& imr, const std::string& reason) {
    std::erase_if(state_.submit_queue, [&](const auto& q) { return q.imr == imr; });
    note("submission refused: " + reason);
    save_state();
}

}  // namespace imrdesk::client
