#include "imrdesk/client/workspace.hpp"

#include "workspace_internal.hpp"

#include "parallel.hpp"

#include <algorithm>
#include <thread>
#include <variant>

#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/entry_decoder.hpp"
#include "imrdesk/shared/entry_fields.hpp"

namespace imrdesk::client {
using namespace workspace_detail;
namespace {

void wipe_json(json& value) noexcept {
    if (value.is_string()) {
        crypto::wipe(value.get_ref<std::string&>());
    } else if (value.is_structured()) {
        for (auto& child : value) wipe_json(child);
    }
    value = nullptr;
}

void wipe_all(std::initializer_list<std::string*> strings) noexcept {
    for (auto* s : strings) crypto::wipe(*s);
}

void wipe_doc(ImrDocument& doc) noexcept {
    auto& h = doc.header;
    wipe_all({&h.title, &h.case_info.reference, &h.case_info.title, &h.agency, &h.author_name, &h.author_agency,
              &h.author_contact, &h.author_role, &h.author_independence, &h.records_examined, &h.staff_interviewed});
    for (auto& q : h.case_info.terms_of_reference) crypto::wipe(q.text);
    for (auto& a : h.adults) crypto::wipe(a.name);
    wipe_json(h.extra);
    for (auto& s : doc.sections) {
        wipe_all({&s.value.text, &s.value.not_applicable_reason, &s.value.key});
        wipe_json(s.value.extra);
    }
    for (auto& e : doc.entries) {
        auto& v = e.value;
        for (const auto& field : domain::kEntryTextFields) crypto::wipe(v.*field.member);
        wipe_json(v.extra);
    }
    for (auto& r : doc.recommendations) {
        wipe_all({&r.value.text, &r.value.owner_role, &r.value.resources, &r.value.measure});
        wipe_json(r.value.extra);
    }
    for (auto& g : doc.glossary) {
        wipe_all({&g.value.abbreviation, &g.value.expansion});
        wipe_json(g.value.extra);
    }
    for (auto& q : doc.queries) {
        wipe_all({&q.value.text, &q.value.on, &q.value.raised_by, &q.value.closed_by});
        wipe_json(q.value.extra);
    }
    for (auto& a : doc.answers) {
        wipe_all({&a.value.text, &a.value.answered_by});
        wipe_json(a.value.extra);
    }
    for (auto& n : doc.review_notes) {
        wipe_all({&n.value.text, &n.value.written_by});
        wipe_json(n.value.extra);
    }
    for (auto& n : doc.names) {
        wipe_all({&n.value.real_name, &n.value.pseudonym});
        wipe_json(n.value.extra);
    }
    if (doc.endorsement) {
        wipe_all({&doc.endorsement->value.officer_name, &doc.endorsement->value.officer_role,
                  &doc.endorsement->value.declaration});
        wipe_json(doc.endorsement->value.extra);
    }
}

ImrDocument make_doc(const Id& id, domain::ImrHeader header, std::int64_t last_edited) {
    ImrDocument doc;
    doc.id = id;
    doc.header = std::move(header);
    doc.last_edited = last_edited;
    return doc;
}

void sort_entries(ImrDocument& doc) {
    std::stable_sort(doc.entries.begin(), doc.entries.end(),
                     [](const auto& a, const auto& b) { return entry_before(a.value, b.value); });
}

void sort_recommendations(ImrDocument& doc) {
    std::stable_sort(doc.recommendations.begin(), doc.recommendations.end(),
                     [](const auto& a, const auto& b) { return a.value.order < b.value.order; });
}

void sort_glossary(ImrDocument& doc) {
    std::stable_sort(doc.glossary.begin(), doc.glossary.end(),
                     [](const auto& a, const auto& b) { return a.value.abbreviation < b.value.abbreviation; });
}

void sort_names(ImrDocument& doc) {
    std::stable_sort(doc.names.begin(), doc.names.end(),
                     [](const auto& a, const auto& b) { return fold_case(a.value.real_name) < fold_case(b.value.real_name); });
}

}  // namespace

ValidationError::ValidationError(std::vector<domain::Issue> issues)
    : std::runtime_error(domain::join(issues)), issues_(std::move(issues)) {}

void wipe_document(ImrDocument& doc) noexcept { wipe_doc(doc); }

Id new_id() {
    Id id;
    crypto::random_bytes(id.bytes);
    return id;
}

bool entry_before(const domain::ChronologyEntry& a, const domain::ChronologyEntry& b) noexcept {
    const auto by_date = domain::compare_chronologically(a.date, b.date);
    if (by_date != 0) return by_date < 0;
    if (a.time.has_value() != b.time.has_value()) return a.time.has_value();
    if (a.time && *a.time != *b.time) return *a.time < *b.time;
    return a.sequence < b.sequence;
}

const Stored<domain::SectionContent>* ImrDocument::section(std::string_view key) const noexcept {
    for (const auto& s : sections)
        if (s.value.key == key) return &s;
    return nullptr;
}

const Stored<domain::Query>* ImrDocument::query(const Id& wanted) const noexcept {
    for (const auto& q : queries)
        if (q.id == wanted) return &q;
    return nullptr;
}

std::vector<const domain::QueryAnswer*> ImrDocument::answers_to(const Id& wanted) const {
    std::vector<const domain::QueryAnswer*> out;
    for (const auto& a : answers)
        if (a.value.query == wanted) out.push_back(&a.value);
    return out;
}

domain::QueryState ImrDocument::query_state(const Stored<domain::Query>& q) const {
    const auto thread = answers_to(q.id);
    return domain::query_state(q.value, thread);
}

std::size_t ImrDocument::open_queries() const {
    return static_cast<std::size_t>(std::count_if(queries.begin(), queries.end(), [&](const auto& q) {
        return query_state(q) != domain::QueryState::Closed;
    }));
}

std::size_t ImrDocument::queries_on(std::string_view on) const {
    return static_cast<std::size_t>(std::count_if(queries.begin(), queries.end(), [&](const auto& q) {
        return q.value.on == on && query_state(q) != domain::QueryState::Closed;
    }));
}

const Stored<domain::ReviewNote>* ImrDocument::review_note(const Id& wanted) const noexcept {
    for (const auto& n : review_notes)
        if (n.value.entry == wanted) return &n;
    return nullptr;
}

const Stored<domain::ChronologyEntry>* ImrDocument::entry(const Id& wanted) const noexcept {
    for (const auto& e : entries)
        if (e.id == wanted) return &e;
    return nullptr;
}

namespace {

using Decoded = std::variant<std::monostate, domain::ImrHeader, domain::SectionContent, domain::ChronologyEntry,
                             domain::Recommendation, domain::GlossaryEntry, domain::Endorsement, domain::NameEntry,
                             domain::Query, domain::QueryAnswer, domain::ReviewNote>;

// Parses one record body into its typed value; the body is wiped afterwards. Chronology
// entries, nearly every record of a large IMR, are read in one pass when they can be.
Decoded decode(StoredRecord& r, domain::EntryDecoder& entries, std::string& error) {
    Decoded out;
    try {
        if (r.kind == RecordKind::ChronologyEntry) {
            out = domain::entry_from_text(r.body, entries);
            crypto::wipe(r.body);
            return out;
        }
        const json body = domain::parse_body(r.body, r.kind);
        switch (r.kind) {
            case RecordKind::Imr: out = domain::imr_from_json(body); break;
            case RecordKind::Section: out = domain::section_from_json(body); break;
            case RecordKind::ChronologyEntry: out = domain::entry_from_json(body); break;
            case RecordKind::Recommendation: out = domain::recommendation_from_json(body); break;
            case RecordKind::GlossaryEntry: out = domain::glossary_from_json(body); break;
            case RecordKind::Endorsement: out = domain::endorsement_from_json(body); break;
            case RecordKind::Name: out = domain::name_from_json(body); break;
            case RecordKind::Query: out = domain::query_from_json(body); break;
            case RecordKind::QueryAnswer: out = domain::query_answer_from_json(body); break;
            case RecordKind::ReviewNote: out = domain::review_note_from_json(body); break;
        }
    } catch (const std::exception& e) {
        error = "record " + r.id.hex() + ": " + e.what();
    }
    crypto::wipe(r.body);
    return out;
}

}  // namespace

namespace {

// Builds the documents from decrypted records (wiped as they are decoded); problems collects
// records that did not decode or belong to no IMR.
std::vector<ImrDocument> build_documents(std::vector<StoredRecord>& records, std::vector<RecordProblem>& problems) {
    std::erase_if(records, [](const StoredRecord& r) { return r.deleted; });

    // Decoding JSON is most of the cost of opening a large vault: spread it over the cores.
    std::vector<Decoded> decoded(records.size());
    std::vector<std::string> errors(records.size());
    // (Each thread wipes its stack after: the parsers leave pieces of the bodies there.)
    parallel::for_each_range(records.size(), [&](std::size_t first, std::size_t last) {
        domain::EntryDecoder entries;
        for (std::size_t i = first; i < last; ++i) decoded[i] = decode(records[i], entries, errors[i]);
    });

    std::vector<ImrDocument> imrs;
    // Headers first, so every other record finds its IMR.
    for (std::size_t i = 0; i < records.size(); ++i)
        if (auto* header = std::get_if<domain::ImrHeader>(&decoded[i]))
            imrs.push_back(make_doc(records[i].id, std::move(*header), records[i].updated_at));
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[i];
        if (!errors[i].empty()) {
            problems.push_back({r.id, std::move(errors[i])});
            continue;
        }
        if (r.kind == RecordKind::Imr) continue;
        const bool review_record = r.kind == RecordKind::Query || r.kind == RecordKind::QueryAnswer || r.kind == RecordKind::ReviewNote;
        auto doc = std::find_if(imrs.begin(), imrs.end(), [&](const ImrDocument& d) { return d.id == r.imr_id; });
        if (doc == imrs.end()) {
            problems.push_back({r.id, "record " + r.id.hex() + " belongs to an IMR that is not in this vault"});
            continue;
        }
        if (!review_record) doc->last_edited = std::max(doc->last_edited, r.updated_at);
        std::visit(
            [&](auto&& value) {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, domain::SectionContent>) doc->sections.push_back({r.id, std::move(value)});
                else if constexpr (std::is_same_v<T, domain::ChronologyEntry>) doc->entries.push_back({r.id, std::move(value)});
                else if constexpr (std::is_same_v<T, domain::Recommendation>) doc->recommendations.push_back({r.id, std::move(value)});
                else if constexpr (std::is_same_v<T, domain::GlossaryEntry>) doc->glossary.push_back({r.id, std::move(value)});
                else if constexpr (std::is_same_v<T, domain::Endorsement>) doc->endorsement = Stored<domain::Endorsement>{r.id, std::move(value)};
                else if constexpr (std::is_same_v<T, domain::NameEntry>) doc->names.push_back({r.id, std::move(value)});
                else if constexpr (std::is_same_v<T, domain::Query>) doc->queries.push_back({r.id, std::move(value)});
                else if constexpr (std::is_same_v<T, domain::QueryAnswer>) doc->answers.push_back({r.id, std::move(value)});
                else if constexpr (std::is_same_v<T, domain::ReviewNote>) doc->review_notes.push_back({r.id, std::move(value)});
            },
            decoded[i]);
    }
    for (auto& doc : imrs) {
        sort_entries(doc);
        sort_recommendations(doc);
        sort_glossary(doc);
        sort_names(doc);
        sort_queries(doc);
    }
    return imrs;
}

}  // namespace

Workspace::Workspace(std::unique_ptr<Vault> vault) : vault_(std::move(vault)) {
    LoadResult loaded = vault_->load_all();
    problems_ = std::move(loaded.problems);
    imrs_ = build_documents(loaded.records, problems_);
    sort_imrs();
}

void Workspace::sort_imrs() {
    ++generation_;
    std::sort(imrs_.begin(), imrs_.end(), [](const ImrDocument& a, const ImrDocument& b) {
        return a.header.case_info.reference < b.header.case_info.reference;
    });
    for (auto& doc : imrs_) apply_access(doc);
}

void Workspace::apply_access(ImrDocument& doc) const {
    const auto submitted = access_.submitted.find(doc.id);
    doc.submitted_at = submitted == access_.submitted.end() ? std::nullopt : std::optional(submitted->second);
    doc.reviewer_copy = access_.enrolled && !access_.local_drafts.contains(doc.id) &&
                        std::none_of(access_.author_of.begin(), access_.author_of.end(), [&](const auto& m) {
                            return m.first == doc.header.case_info.reference && m.second == doc.header.agency;
                        });
    // An author who withdrew the endorsement of a submitted IMR is amending it: editable here at
    // once (the server reopens it when the withdrawal reaches it).
    // Re-endorsed since (other content): a new version waiting to be submitted.
    if (!doc.reviewer_copy && doc.submitted_at) {
        const auto hash = access_.submitted_hash.find(doc.id);
        if (!doc.endorsement ||
            (hash != access_.submitted_hash.end() && !hash->second.empty() && hash->second != doc.endorsement->value.content_hash))
            doc.submitted_at.reset();
    }
}

void Workspace::set_access(SyncAccess access) {
    access_ = std::move(access);
    ++generation_;
    for (auto& doc : imrs_) apply_access(doc);
}

void Workspace::reload_imrs(const std::vector<domain::Id>& imr_ids) {
    ++reloads_;
    for (const auto& id : imr_ids) {
        const auto old = std::find_if(imrs_.begin(), imrs_.end(), [&](const ImrDocument& d) { return d.id == id; });
        if (old != imrs_.end()) {
            wipe_doc(*old);
            imrs_.erase(old);
        }
        std::erase_if(problems_, [&](const RecordProblem& p) { return p.id == id; });
        LoadResult loaded = vault_->load_imr(id);
        for (auto& p : loaded.problems) problems_.push_back(std::move(p));
        for (auto& doc : build_documents(loaded.records, problems_)) imrs_.push_back(std::move(doc));
    }
    sort_imrs();
}

Workspace::~Workspace() { wipe(); }

void Workspace::wipe() noexcept {
    ++generation_;
    for (auto& doc : imrs_) wipe_doc(doc);
    imrs_.clear();
    imrs_.shrink_to_fit();
}

const ImrDocument* Workspace::find(const Id& imr) const noexcept {
    for (const auto& doc : imrs_)
        if (doc.id == imr) return &doc;
    return nullptr;
}

const ImrDocument& Workspace::get(const Id& imr) const {
    if (const auto* doc = find(imr)) return *doc;
    throw WorkspaceError("there is no IMR " + imr.hex() + " in this profile");
}

const ImrDocument& Workspace::resolve(std::string_view id_or_prefix) const {
    std::string prefix;
    for (const char c : id_or_prefix) prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (prefix.size() < 4) throw WorkspaceError("give at least 4 characters of the IMR id ('" + prefix + "' is too short)");
    const ImrDocument* match = nullptr;
    for (const auto& doc : imrs_) {
        if (doc.id.hex().rfind(prefix, 0) == 0) {
            if (match != nullptr) throw WorkspaceError("'" + prefix + "' matches more than one IMR: give more of the id");
            match = &doc;
        }
    }
    if (match == nullptr) throw WorkspaceError("no IMR id starts with '" + prefix + "' in this profile (see 'imr list')");
    return *match;
}

ImrDocument& Workspace::mutable_doc(const Id& imr, bool allow_read_only) {
    for (auto& doc : imrs_) {
        if (doc.id != imr) continue;
        if (doc.reviewer_copy)
            throw WorkspaceError("this IMR belongs to " + doc.header.agency + " and is shown to you as a reviewer: read-only");
        if (doc.submitted_at)
            throw WorkspaceError("this IMR was submitted to the review team and is read-only");
        if (!allow_read_only && doc.read_only())
            throw WorkspaceError("this IMR is " + std::string(domain::to_string(doc.header.status)) +
                                 " and read-only: withdraw the endorsement to edit it");
        return doc;
    }
    throw WorkspaceError("there is no IMR " + imr.hex() + " in this profile");
}

void Workspace::write(std::vector<RecordWrite> writes, std::string_view audit_event) {
    try {
        vault_->write(writes, audit_event);
    } catch (...) {
        for (auto& w : writes) crypto::wipe(w.body);
        throw;
    }
    for (auto& w : writes) crypto::wipe(w.body);
    ++generation_;
    if (!writes.empty())
        for (auto& doc : imrs_)
            if (doc.id == writes.front().imr_id) doc.last_edited = system_now();
}

Id Workspace::create_imr(domain::ImrHeader header) {
    throw_if_invalid(domain::validate(header));
    header.status = domain::ImrStatus::Draft;
    const Id id = new_id();
    write({record(id, id, RecordKind::Imr, domain::to_json(header))}, "imr.created");
    imrs_.push_back(make_doc(id, std::move(header), system_now()));
    apply_access(imrs_.back());
    return id;
}

void Workspace::update_header(const Id& imr, domain::ImrHeader header) {
    auto& doc = mutable_doc(imr);
    throw_if_invalid(domain::validate(header));
    header.status = doc.header.status;
    write({record(imr, imr, RecordKind::Imr, domain::to_json(header))}, "imr.updated");
    doc.header = std::move(header);
}

void Workspace::delete_imr(const Id& imr) {
    auto& doc = mutable_doc(imr, true);
    std::vector<RecordWrite> writes;
    auto tombstone = [&](const Id& id, RecordKind kind) { writes.push_back(RecordWrite{id, imr, kind, {}, true}); };
    for (const auto& s : doc.sections) tombstone(s.id, RecordKind::Section);
    for (const auto& e : doc.entries) tombstone(e.id, RecordKind::ChronologyEntry);
    for (const auto& r : doc.recommendations) tombstone(r.id, RecordKind::Recommendation);
    for (const auto& g : doc.glossary) tombstone(g.id, RecordKind::GlossaryEntry);
    for (const auto& n : doc.names) tombstone(n.id, RecordKind::Name);
    if (doc.endorsement) tombstone(doc.endorsement->id, RecordKind::Endorsement);
    tombstone(imr, RecordKind::Imr);
    write(std::move(writes), "imr.deleted");
    wipe_doc(doc);
    std::erase_if(imrs_, [&](const ImrDocument& d) { return d.id == imr; });
}

void Workspace::save_section(const Id& imr, domain::SectionContent content) {
    auto& doc = mutable_doc(imr);
    throw_if_invalid(domain::validate(content));
    for (const auto& cited : content.citations)
        if (doc.entry(cited) == nullptr)
            throw ValidationError({{"citations", "cites chronology entry " + cited.hex() + ", which is not in this IMR"}});
    auto existing = std::find_if(doc.sections.begin(), doc.sections.end(),
                                 [&](const auto& s) { return s.value.key == content.key; });
    const Id id = existing != doc.sections.end() ? existing->id : new_id();
    if (existing != doc.sections.end()) content.extra = existing->value.extra;
    write({record(id, imr, RecordKind::Section, domain::to_json(content))}, "section.saved");
    if (existing != doc.sections.end()) {
        crypto::wipe(existing->value.text);
        existing->value = std::move(content);
    } else {
        doc.sections.push_back({id, std::move(content)});
    }
}

Id Workspace::add_entry(const Id& imr, domain::ChronologyEntry entry) {
    return add_entries(imr, {std::move(entry)}, "chronology.added").front();
}

std::vector<Id> Workspace::add_entries(const Id& imr, std::vector<domain::ChronologyEntry> entries,
                                       std::string_view audit_event) {
    auto& doc = mutable_doc(imr);
    std::vector<RecordWrite> writes;
    std::vector<Id> ids;
    writes.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        auto issues = domain::validate(entries[i], doc.header.case_info);
        if (domain::has_errors(issues)) {
            if (entries.size() > 1)
                for (auto& issue : issues) issue.message = "entry " + std::to_string(i + 1) + ": " + issue.message;
            throw_if_invalid(std::move(issues));
        }
        ids.push_back(new_id());
        writes.push_back(record(ids.back(), imr, RecordKind::ChronologyEntry, domain::to_json(entries[i])));
    }
    write(std::move(writes), audit_event);
    for (std::size_t i = 0; i < entries.size(); ++i) doc.entries.push_back({ids[i], std::move(entries[i])});
    sort_entries(doc);
    return ids;
}

void Workspace::update_entry(const Id& imr, const Id& entry, domain::ChronologyEntry value) {
    auto& doc = mutable_doc(imr);
    auto it = find_stored(doc.entries, entry);
    if (it == doc.entries.end()) throw WorkspaceError("there is no chronology entry " + entry.hex() + " in this IMR");
    throw_if_invalid(domain::validate(value, doc.header.case_info));
    if (value.extra.empty()) value.extra = it->value.extra;
    write({record(entry, imr, RecordKind::ChronologyEntry, domain::to_json(value))}, "chronology.updated");
    it->value = std::move(value);
    sort_entries(doc);
}

void Workspace::delete_entry(const Id& imr, const Id& entry) {
    auto& doc = mutable_doc(imr);
    auto it = find_stored(doc.entries, entry);
    if (it == doc.entries.end()) throw WorkspaceError("there is no chronology entry " + entry.hex() + " in this IMR");
    write({RecordWrite{entry, imr, RecordKind::ChronologyEntry, {}, true}}, "chronology.deleted");
    doc.entries.erase(it);
}

Id Workspace::save_recommendation(const Id& imr, std::optional<Id> id, domain::Recommendation value) {
    auto& doc = mutable_doc(imr);
    throw_if_invalid(domain::validate(value));
    auto it = id ? find_stored(doc.recommendations, *id) : doc.recommendations.end();
    if (id && it == doc.recommendations.end()) throw WorkspaceError("there is no recommendation " + id->hex() + " in this IMR");
    if (!id && value.order == 0)
        value.order = doc.recommendations.empty() ? 1 : doc.recommendations.back().value.order + 1;
    const Id record_id = id ? *id : new_id();
    write({record(record_id, imr, RecordKind::Recommendation, domain::to_json(value))}, "recommendation.saved");
    if (it != doc.recommendations.end()) it->value = std::move(value);
    else doc.recommendations.push_back({record_id, std::move(value)});
    sort_recommendations(doc);
    return record_id;
}

void Workspace::reorder_recommendations(const Id& imr, const std::vector<Id>& ids) {
    auto& doc = mutable_doc(imr);
    std::set<Id> named(ids.begin(), ids.end());
    std::set<Id> held;
    for (const auto& r : doc.recommendations) held.insert(r.id);
    if (named.size() != ids.size() || named != held)
        throw WorkspaceError("the new order must name each of the IMR's " + std::to_string(held.size()) +
                             " recommendations once; nothing was moved");
    std::vector<RecordWrite> writes;
    std::vector<std::pair<Id, int>> orders;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto it = find_stored(doc.recommendations, ids[i]);
        const int order = static_cast<int>(i + 1);
        if (it->value.order == order) continue;
        auto value = it->value;
        value.order = order;
        writes.push_back(record(ids[i], imr, RecordKind::Recommendation, domain::to_json(value)));
        orders.emplace_back(ids[i], order);
    }
    if (writes.empty()) return;
    write(std::move(writes), "recommendations.reordered");
    for (const auto& [id, order] : orders) find_stored(doc.recommendations, id)->value.order = order;
    sort_recommendations(doc);
}

void Workspace::delete_recommendation(const Id& imr, const Id& id) {
    auto& doc = mutable_doc(imr);
    auto it = find_stored(doc.recommendations, id);
    if (it == doc.recommendations.end()) throw WorkspaceError("there is no recommendation " + id.hex() + " in this IMR");
    write({RecordWrite{id, imr, RecordKind::Recommendation, {}, true}}, "recommendation.deleted");
    doc.recommendations.erase(it);
}

Id Workspace::save_glossary(const Id& imr, std::optional<Id> id, domain::GlossaryEntry value) {
    auto& doc = mutable_doc(imr);
    throw_if_invalid(domain::validate(value));
    auto it = id ? find_stored(doc.glossary, *id) : doc.glossary.end();
    if (id && it == doc.glossary.end()) throw WorkspaceError("there is no glossary entry " + id->hex() + " in this IMR");
    for (const auto& g : doc.glossary)
        if (g.value.abbreviation == value.abbreviation && (!id || g.id != *id))
            throw ValidationError({{"abbreviation", value.abbreviation + " is already in the glossary"}});
    const Id record_id = id ? *id : new_id();
    write({record(record_id, imr, RecordKind::GlossaryEntry, domain::to_json(value))}, "glossary.saved");
    if (it != doc.glossary.end()) it->value = std::move(value);
    else doc.glossary.push_back({record_id, std::move(value)});
    sort_glossary(doc);
    return record_id;
}

ImrDocument& Workspace::names_register_of(const Id& imr) {
    auto& doc = mutable_doc(imr, true);  // pseudonyms change no content: open while endorsed
    if (doc.names_read_only())
        throw WorkspaceError("this IMR has been submitted: its names register can no longer change");
    return doc;
}

Id Workspace::save_name(const Id& imr, domain::NameEntry value) {
    auto& doc = names_register_of(imr);
    auto trim = [](std::string& s) {
        const auto b = s.find_first_not_of(" \t\r\n");
        const auto e = s.find_last_not_of(" \t\r\n");
        s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    trim(value.real_name);
    trim(value.pseudonym);
    throw_if_invalid(domain::validate(value));
    auto it = std::find_if(doc.names.begin(), doc.names.end(),
                           [&](const auto& n) { return fold_case(n.value.real_name) == fold_case(value.real_name); });
    for (const auto& n : doc.names)
        if (fold_case(n.value.real_name) == fold_case(value.pseudonym))
            throw ValidationError({{"pseudonym", "'" + value.pseudonym + "' is a registered real name"}});
    const Id record_id = it != doc.names.end() ? it->id : new_id();
    if (it != doc.names.end() && value.extra.empty()) value.extra = it->value.extra;
    write({record(record_id, imr, RecordKind::Name, domain::to_json(value))}, "name.saved");
    if (it != doc.names.end()) it->value = std::move(value);
    else doc.names.push_back({record_id, std::move(value)});
    sort_names(doc);
    return record_id;
}

void Workspace::delete_name(const Id& imr, const Id& id) {
    auto& doc = names_register_of(imr);
    auto it = find_stored(doc.names, id);
    if (it == doc.names.end()) throw WorkspaceError("there is no name " + id.hex() + " in this IMR's names register");
    write({RecordWrite{id, imr, RecordKind::Name, {}, true}}, "name.deleted");
    doc.names.erase(it);
}

void Workspace::delete_glossary(const Id& imr, const Id& id) {
    auto& doc = mutable_doc(imr);
    auto it = find_stored(doc.glossary, id);
    if (it == doc.glossary.end()) throw WorkspaceError("there is no glossary entry " + id.hex() + " in this IMR");
    write({RecordWrite{id, imr, RecordKind::GlossaryEntry, {}, true}}, "glossary.deleted");
    doc.glossary.erase(it);
}

void Workspace::set_status(const Id& imr, domain::ImrStatus status) {
    auto& doc = mutable_doc(imr, true);
    if (status == domain::ImrStatus::Endorsed || doc.header.status == domain::ImrStatus::Endorsed)
        throw WorkspaceError("endorsement is recorded with endorse and withdrawn with withdraw_endorsement");
    if (doc.header.status == domain::ImrStatus::Submitted)
        throw WorkspaceError("this IMR has been submitted; its status can no longer change here");
    domain::ImrHeader header = doc.header;
    header.status = status;
    write({record(imr, imr, RecordKind::Imr, domain::to_json(header))}, "imr.status_changed");
    doc.header.status = status;
}

void Workspace::endorse(const Id& imr, domain::Endorsement endorsement) {
    auto& doc = mutable_doc(imr);
    std::vector<domain::Issue> issues;
    if (endorsement.officer_name.empty()) issues.push_back({"officer_name", "the senior officer's name is required"});
    if (endorsement.officer_role.empty()) issues.push_back({"officer_role", "the senior officer's role is required"});
    if (endorsement.declaration.empty()) issues.push_back({"declaration", "the declaration is required"});
    if (!endorsement.date) issues.push_back({"date", "the date of endorsement is required"});
    throw_if_invalid(std::move(issues));
    endorsement.content_hash = content_hash(imr);
    domain::ImrHeader header = doc.header;
    header.status = domain::ImrStatus::Endorsed;
    const Id id = doc.endorsement ? doc.endorsement->id : new_id();
    write({record(id, imr, RecordKind::Endorsement, domain::to_json(endorsement)),
           record(imr, imr, RecordKind::Imr, domain::to_json(header))},
          "imr.endorsed");
    doc.endorsement = Stored<domain::Endorsement>{id, std::move(endorsement)};
    doc.header.status = domain::ImrStatus::Endorsed;
}

void Workspace::withdraw_endorsement(const Id& imr) {
    // Also after submission: the agency withdraws to amend (after a query, say) and submits a
    // new version; the server reopens the IMR when the endorsement's removal reaches it.
    auto& doc = doc_ref(imr);
    if (doc.reviewer_copy)
        throw WorkspaceError("this IMR belongs to " + doc.header.agency + " and is shown to you as a reviewer: read-only");
    if (doc.header.status != domain::ImrStatus::Endorsed || !doc.endorsement)
        throw WorkspaceError("this IMR is not endorsed");
    domain::ImrHeader header = doc.header;
    header.status = domain::ImrStatus::Draft;
    write({RecordWrite{doc.endorsement->id, imr, RecordKind::Endorsement, {}, true},
           record(imr, imr, RecordKind::Imr, domain::to_json(header))},
          "imr.endorsement_withdrawn");
    doc.endorsement.reset();
    doc.header.status = domain::ImrStatus::Draft;
}

ImrDocument& Workspace::doc_ref(const Id& imr) {
    for (auto& doc : imrs_)
        if (doc.id == imr) return doc;
    throw WorkspaceError("there is no IMR " + imr.hex() + " in this profile");
}

std::string Workspace::content_hash(const Id& imr) const {
    const auto& doc = get(imr);
    // Canonical: nlohmann::json objects are sorted by key; records in a fixed order by id/key.
    json header = domain::to_json(doc.header);
    header.erase("status");
    json canonical = {{"imr", doc.id.hex()}, {"header", header}};
    std::vector<const Stored<domain::SectionContent>*> sections;
    for (const auto& s : doc.sections) sections.push_back(&s);
    std::sort(sections.begin(), sections.end(), [](auto* a, auto* b) { return a->value.key < b->value.key; });
    json js = json::array();
    for (const auto* s : sections) js.push_back(domain::to_json(s->value));
    canonical["sections"] = js;
    auto by_id = [](const auto& items) {
        std::vector<std::pair<std::string, json>> sorted;
        for (const auto& item : items) sorted.emplace_back(item.id.hex(), domain::to_json(item.value));
        std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        json out = json::array();
        for (auto& [id, body] : sorted) out.push_back({{"id", id}, {"body", std::move(body)}});
        return out;
    };
    canonical["chronology"] = by_id(doc.entries);
    canonical["recommendations"] = by_id(doc.recommendations);
    canonical["glossary"] = by_id(doc.glossary);
    std::string text = canonical.dump();
    const auto digest = crypto::sha256(text);
    crypto::wipe(text);
    return crypto::to_hex(digest);
}

}  // namespace imrdesk::client
