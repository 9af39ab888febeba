// Factual-accuracy queries and the review team's notes in the workspace: the review team raises,
// closes and reopens queries on a reviewer's copy, the IMR's agency answers them; notes stay with
// the review team.
#include "imrdesk/client/workspace.hpp"

#include "imrdesk/shared/codec.hpp"
#include "workspace_internal.hpp"

namespace imrdesk::client {
using namespace workspace_detail;

ImrDocument& Workspace::review_copy(const Id& imr) {
    auto& doc = doc_ref(imr);
    if (!doc.reviewer_copy)
        throw WorkspaceError("queries are raised and closed by the review team; this is " + doc.header.agency +
                             "'s own IMR here (answer a query instead)");
    return doc;
}

Id Workspace::raise_query(const Id& imr, const domain::QueryTarget& on, std::string text, std::string by) {
    auto& doc = review_copy(imr);
    text = trimmed(std::move(text));
    if (text.empty()) throw ValidationError(std::vector<domain::Issue>{{"text", "the query has no text"}});
    if (on.kind == domain::QueryTarget::Kind::Entry && doc.entry(on.entry) == nullptr)
        throw WorkspaceError("the IMR has no chronology entry " + on.entry.hex());
    if (on.kind == domain::QueryTarget::Kind::Section && doc.section(on.section_key) == nullptr &&
        on.section_key != "summary")
        throw WorkspaceError("the IMR has no section '" + on.section_key + "'");
    domain::Query q;
    q.on = domain::query_target_text(on);
    q.text = std::move(text);
    q.raised_by = std::move(by);
    q.raised_at = system_now();
    const Id id = new_id();
    write({record(id, imr, RecordKind::Query, domain::to_json(q))}, "query.raised");
    doc.queries.push_back({id, std::move(q)});
    sort_queries(doc);
    return id;
}

Id Workspace::answer_query(const Id& imr, const Id& query, std::string text, std::string by) {
    auto& doc = doc_ref(imr);
    if (doc.reviewer_copy)
        throw WorkspaceError("a query is answered by " + doc.header.agency + ", whose IMR it is; the review team closes or reopens it");
    if (doc.query(query) == nullptr) throw WorkspaceError("there is no query " + query.hex() + " on this IMR");
    text = trimmed(std::move(text));
    if (text.empty()) throw ValidationError(std::vector<domain::Issue>{{"text", "the answer has no text"}});
    domain::QueryAnswer a;
    a.query = query;
    a.text = std::move(text);
    a.answered_by = std::move(by);
    a.answered_at = std::max(system_now(), doc.query(query)->value.raised_at);
    const Id id = new_id();
    write({record(id, imr, RecordKind::QueryAnswer, domain::to_json(a))}, "query.answered");
    doc.answers.push_back({id, std::move(a)});
    sort_queries(doc);
    return id;
}

void Workspace::close_query(const Id& imr, const Id& query, std::string by) {
    auto& doc = review_copy(imr);
    auto it = find_stored(doc.queries, query);
    if (it == doc.queries.end()) throw WorkspaceError("there is no query " + query.hex() + " on this IMR");
    if (it->value.closed) throw WorkspaceError("the query is already closed");
    domain::Query q = it->value;
    q.closed = true;
    q.closed_by = std::move(by);
    q.state_changed_at = system_now();
    write({record(query, imr, RecordKind::Query, domain::to_json(q))}, "query.closed");
    it->value = std::move(q);
}

void Workspace::reopen_query(const Id& imr, const Id& query, std::string by) {
    auto& doc = review_copy(imr);
    auto it = find_stored(doc.queries, query);
    if (it == doc.queries.end()) throw WorkspaceError("there is no query " + query.hex() + " on this IMR");
    if (!it->value.closed) throw WorkspaceError("the query is not closed");
    domain::Query q = it->value;
    q.closed = false;
    q.closed_by = std::move(by);
    // Later than any answer already given, so that the thread waits for a new one.
    std::int64_t after = system_now();
    for (const auto* a : doc.answers_to(query)) after = std::max(after, a->answered_at + 1);
    q.state_changed_at = after;
    q.reopened += 1;
    write({record(query, imr, RecordKind::Query, domain::to_json(q))}, "query.reopened");
    it->value = std::move(q);
}

std::pair<const ImrDocument*, const Stored<domain::Query>*> Workspace::resolve_query(std::string_view id_or_prefix) const {
    const std::string prefix = fold_case(id_or_prefix);
    if (prefix.size() < 4) throw WorkspaceError("give at least 4 characters of the query id ('" + prefix + "' is too short)");
    std::pair<const ImrDocument*, const Stored<domain::Query>*> match{nullptr, nullptr};
    for (const auto& doc : imrs_) {
        for (const auto& q : doc.queries) {
            if (q.id.hex().rfind(prefix, 0) != 0) continue;
            if (match.second != nullptr) throw WorkspaceError("'" + prefix + "' matches more than one query: give more of the id");
            match = {&doc, &q};
        }
    }
    if (match.second == nullptr) throw WorkspaceError("no query id starts with '" + prefix + "' in this profile (see 'query list')");
    return match;
}

void Workspace::save_review_note(const Id& imr, const Id& entry, std::string text, std::string by) {
    auto& doc = review_copy(imr);
    if (doc.entry(entry) == nullptr) throw WorkspaceError("the IMR has no chronology entry " + entry.hex());
    text = trimmed(std::move(text));
    auto it = std::find_if(doc.review_notes.begin(), doc.review_notes.end(), [&](const auto& n) { return n.value.entry == entry; });
    if (text.empty()) {
        if (it == doc.review_notes.end()) return;
        write({RecordWrite{it->id, imr, RecordKind::ReviewNote, {}, true}}, "review_note.deleted");
        doc.review_notes.erase(it);
        return;
    }
    domain::ReviewNote n;
    n.entry = entry;
    n.text = std::move(text);
    n.written_by = std::move(by);
    n.written_at = system_now();
    const Id id = it != doc.review_notes.end() ? it->id : new_id();
    write({record(id, imr, RecordKind::ReviewNote, domain::to_json(n))}, "review_note.saved");
    if (it != doc.review_notes.end()) it->value = std::move(n);
    else doc.review_notes.push_back({id, std::move(n)});
}

}  // namespace imrdesk::client
