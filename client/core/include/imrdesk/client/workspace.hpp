#pragma once
// The unlocked profile: the decrypted model of every IMR in memory, so views and commands never
// wait on disk, with every change written through the vault (durable before the model changes).
// Destroying or wiping the workspace wipes every decrypted string it held.
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/client/vault.hpp"
#include "imrdesk/shared/model.hpp"
#include "imrdesk/shared/validation.hpp"

namespace imrdesk::client {

// A change refused because the data is not valid; issues name each field and reason.
class ValidationError : public std::runtime_error {
public:
    explicit ValidationError(std::vector<domain::Issue> issues);
    [[nodiscard]] const std::vector<domain::Issue>& issues() const noexcept { return issues_; }

private:
    std::vector<domain::Issue> issues_;
};

// A change refused by the state of the IMR (endorsed, unknown id ...).
class WorkspaceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

template <typename T>
struct Stored {
    domain::Id id;
    T value;
};

struct ImrDocument {
    domain::Id id;
    domain::ImrHeader header;
    std::vector<Stored<domain::SectionContent>> sections;  // one per key
    std::vector<Stored<domain::ChronologyEntry>> entries;  // chronological order
    std::vector<Stored<domain::Recommendation>> recommendations;  // by order
    std::vector<Stored<domain::GlossaryEntry>> glossary;  // by abbreviation
    std::vector<Stored<domain::NameEntry>> names;         // the names register, by real name
    std::optional<Stored<domain::Endorsement>> endorsement;
    std::vector<Stored<domain::Query>> queries;         // the review team's, oldest first
    std::vector<Stored<domain::QueryAnswer>> answers;   // the agency's, oldest first
    std::vector<Stored<domain::ReviewNote>> review_notes;  // the review team's own notes on entries
    std::int64_t last_edited = 0;  // unix seconds
    std::optional<std::int64_t> submitted_at;  // the server received it as submitted (unix seconds)
    bool reviewer_copy = false;  // another agency's IMR, seen as a reviewer: never edited here

    [[nodiscard]] const Stored<domain::SectionContent>* section(std::string_view key) const noexcept;
    [[nodiscard]] const Stored<domain::ChronologyEntry>* entry(const domain::Id& id) const noexcept;
    [[nodiscard]] const Stored<domain::Query>* query(const domain::Id& id) const noexcept;
    [[nodiscard]] std::vector<const domain::QueryAnswer*> answers_to(const domain::Id& query) const;
    [[nodiscard]] domain::QueryState query_state(const Stored<domain::Query>& query) const;
    // Queries not yet closed (what the agency's home list counts and the review team waits on).
    [[nodiscard]] std::size_t open_queries() const;
    // Queries on one place: a section key, "entry:<id>" or "imr".
    [[nodiscard]] std::size_t queries_on(std::string_view on) const;
    [[nodiscard]] const Stored<domain::ReviewNote>* review_note(const domain::Id& entry) const noexcept;
    [[nodiscard]] bool read_only() const noexcept {
        return header.status == domain::ImrStatus::Endorsed || header.status == domain::ImrStatus::Submitted ||
               submitted_at.has_value() || reviewer_copy;
    }
    // The names register stays open while the IMR is endorsed (pseudonyms change no content) and
    // closes once it is submitted, or when it is another agency's IMR seen as a reviewer.
    [[nodiscard]] bool names_read_only() const noexcept {
        return header.status == domain::ImrStatus::Submitted || submitted_at.has_value() || reviewer_copy;
    }
};

// Wipes every decrypted string a document holds (one built outside a Workspace, e.g. a merge).
void wipe_document(ImrDocument& doc) noexcept;

// Orders chronology entries: date, then time (entries without a time after those with one on the
// same day), then same-day sequence.
[[nodiscard]] bool entry_before(const domain::ChronologyEntry& a, const domain::ChronologyEntry& b) noexcept;

// What sync knows about this device's rights: the (case, agency) pairs it writes for, and the
// IMRs the server received as submitted. An enrolled device's other IMRs are reviewer copies.
struct SyncAccess {
    bool enrolled = false;
    std::vector<std::pair<std::string, std::string>> author_of;  // (case reference, agency)
    std::map<domain::Id, std::int64_t> submitted;                // IMR -> received at
    std::map<domain::Id, std::string> submitted_hash;            // IMR -> content hash (hex) of that version
    // Drafts made on this computer that never reached the server: the author's own work, editable
    // whatever agency they name, until the author says which one is their enrolled agency's IMR.
    std::set<domain::Id> local_drafts;
};

class Workspace {
public:
    explicit Workspace(std::unique_ptr<Vault> vault);
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    [[nodiscard]] Vault& vault() noexcept { return *vault_; }
    [[nodiscard]] const Vault& vault() const noexcept { return *vault_; }
    [[nodiscard]] const std::vector<RecordProblem>& load_problems() const noexcept { return problems_; }

    [[nodiscard]] const std::vector<ImrDocument>& imrs() const noexcept { return imrs_; }
    [[nodiscard]] const ImrDocument* find(const domain::Id& imr) const noexcept;
    // Throws WorkspaceError when there is no such IMR.
    [[nodiscard]] const ImrDocument& get(const domain::Id& imr) const;
    // An IMR by its full id or an unambiguous prefix of at least 4 hex digits (for the CLI).
    [[nodiscard]] const ImrDocument& resolve(std::string_view id_or_prefix) const;

    domain::Id create_imr(domain::ImrHeader header);
    void update_header(const domain::Id& imr, domain::ImrHeader header);
    void delete_imr(const domain::Id& imr);

    void save_section(const domain::Id& imr, domain::SectionContent content);

    domain::Id add_entry(const domain::Id& imr, domain::ChronologyEntry entry);
    // All or nothing, one transaction. Throws ValidationError naming the first invalid entry.
    std::vector<domain::Id> add_entries(const domain::Id& imr, std::vector<domain::ChronologyEntry> entries,
                                        std::string_view audit_event = "chronology.imported");
    void update_entry(const domain::Id& imr, const domain::Id& entry, domain::ChronologyEntry value);
    void delete_entry(const domain::Id& imr, const domain::Id& entry);

    domain::Id save_recommendation(const domain::Id& imr, std::optional<domain::Id> id, domain::Recommendation value);
    void delete_recommendation(const domain::Id& imr, const domain::Id& id);
    // Numbers the recommendations 1, 2, 3 ... in the order of `ids`, which names each of the IMR's
    // recommendations once (WorkspaceError otherwise): one transaction, one audit entry.
    void reorder_recommendations(const domain::Id& imr, const std::vector<domain::Id>& ids);

    domain::Id save_glossary(const domain::Id& imr, std::optional<domain::Id> id, domain::GlossaryEntry value);
    void delete_glossary(const domain::Id& imr, const domain::Id& id);
    // The names register. Open while the IMR is endorsed (pseudonyms change no content), closed once
    // it is submitted (ImrDocument::names_read_only: WorkspaceError). A real name is registered once
    // (case-insensitive): saving it again updates it.
    domain::Id save_name(const domain::Id& imr, domain::NameEntry value);
    void delete_name(const domain::Id& imr, const domain::Id& id);

    void set_status(const domain::Id& imr, domain::ImrStatus status);
    // Records the endorsement with the SHA-256 of the IMR's content; the IMR becomes read-only.
    void endorse(const domain::Id& imr, domain::Endorsement endorsement);
    void withdraw_endorsement(const domain::Id& imr);

    // Factual-accuracy queries. The review team (a reviewer's copy of a submitted IMR) raises,
    // closes and reopens them; the IMR's agency answers them, also while the IMR is submitted and
    // read-only. `by` names the person for the thread. WorkspaceError when the side is wrong, the
    // target does not exist in the IMR or the query is unknown; ValidationError for empty text.
    domain::Id raise_query(const domain::Id& imr, const domain::QueryTarget& on, std::string text, std::string by);
    domain::Id answer_query(const domain::Id& imr, const domain::Id& query, std::string text, std::string by);
    void close_query(const domain::Id& imr, const domain::Id& query, std::string by);
    void reopen_query(const domain::Id& imr, const domain::Id& query, std::string by);
    // The IMR holding a query (for the CLI's `query answer ID`): by full id or a prefix of >= 4.
    [[nodiscard]] std::pair<const ImrDocument*, const Stored<domain::Query>*> resolve_query(std::string_view id_or_prefix) const;
    // The review team's own note on a chronology entry of a reviewer's copy (empty text: removed).
    void save_review_note(const domain::Id& imr, const domain::Id& entry, std::string text, std::string by);

    // SHA-256 (hex) over a canonical form of the IMR's content (header without status, sections,
    // chronology, recommendations, glossary): what an endorsement vouches for.
    [[nodiscard]] std::string content_hash(const domain::Id& imr) const;

    // Sync: re-reads these IMRs from the vault (after records arrived), and sets access rights.
    void reload_imrs(const std::vector<domain::Id>& imr_ids);
    void set_access(SyncAccess access);
    [[nodiscard]] const SyncAccess& access() const noexcept { return access_; }

    // Wipes every decrypted string and forgets the model (used by lock).
    void wipe() noexcept;

    // Rises with every change to the model (a write, a reload, new access rights, a wipe): views
    // that work something out from many IMRs (the merged chronology) do it again only then.
    // Pointers into imrs() stay valid while it does not change.
    [[nodiscard]] std::uint64_t generation() const noexcept { return generation_; }
    // How many times reload_imrs rebuilt part of the model (sync refreshes it once per pull).
    [[nodiscard]] std::uint64_t reloads() const noexcept { return reloads_; }

private:
    ImrDocument& mutable_doc(const domain::Id& imr, bool allow_read_only = false);
    ImrDocument& names_register_of(const domain::Id& imr);  // refuses once names_read_only()
    ImrDocument& review_copy(const domain::Id& imr);        // refuses unless a reviewer's copy
    ImrDocument& doc_ref(const domain::Id& imr);
    void write(std::vector<RecordWrite> writes, std::string_view audit_event);
    void sort_imrs();
    void apply_access(ImrDocument& doc) const;

    std::unique_ptr<Vault> vault_;
    std::vector<ImrDocument> imrs_;
    std::vector<RecordProblem> problems_;
    SyncAccess access_;
    std::uint64_t generation_ = 1;
    std::uint64_t reloads_ = 0;
};

// Random 128-bit id for a new record.
[[nodiscard]] domain::Id new_id();

}  // namespace imrdesk::client
