#include "imrdesk/client/review.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "imrdesk/client/chronology_source.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "imrdesk/shared/entry_fields.hpp"

namespace imrdesk::client {

namespace {

const sync::CaseInfo& find_case(const SyncProfileState& state, const std::string& reference) {
    for (const auto& c : state.cases)
        if (c.reference == reference) return c;
    throw WorkspaceError("this profile has no data of case '" + reference + "': it is not enrolled in it, or has not synced yet");
}

std::vector<const ImrDocument*> review_copies(const Workspace& workspace, const std::string& reference) {
    std::vector<const ImrDocument*> out;
    for (const auto& doc : workspace.imrs())
        if (doc.reviewer_copy && doc.header.case_info.reference == reference) out.push_back(&doc);
    return out;
}

}  // namespace

std::vector<AgencyStatus> case_status(const SyncProfileState& state, const Workspace& workspace,
                                      const std::string& case_reference, std::int64_t now) {
    const auto& info = find_case(state, case_reference);
    const auto copies = review_copies(workspace, case_reference);
    std::vector<AgencyStatus> out;
    for (const auto& a : info.agencies) {
        AgencyStatus s;
        s.agency = a.agency;
        s.expected = a.expected;
        s.state = a.state;
        s.version = a.version;
        if (a.received_at != 0) s.received_at = static_cast<std::int64_t>(a.received_at);
        if (info.due) {
            const auto today = now / 86400;
            s.days_left = info.due->days_since_epoch() - today;
            s.late = a.version == 0 && *s.days_left < 0;
        }
        for (const auto* doc : copies) {
            if (doc->header.agency != a.agency) continue;
            s.imr = doc->id;
            s.open_queries += doc->open_queries();
        }
        for (const auto& sub : info.submissions)
            if (s.imr && sub.imr_id == *s.imr) s.held_version = sub.version;
        if (s.imr && s.held_version == 0 && a.version > 0) s.held_version = a.version;  // amending: the last one
        out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const AgencyStatus& x, const AgencyStatus& y) {
        if (x.expected != y.expected) return x.expected;
        return x.agency < y.agency;
    });
    return out;
}

bool MergedFilter::empty() const noexcept {
    return agencies.empty() && !key_practice_episode && !missed_opportunity && !good_practice && !reviewer_note && !open_query &&
           !tor_question && !principle && text.empty() && !from && !to;
}

namespace {

// ASCII case folding is enough for what people type to find (names, words, references).
bool contains_folded(std::string_view haystack, std::string_view needle_folded) {
    if (needle_folded.empty()) return true;
    if (haystack.size() < needle_folded.size()) return false;
    const auto fold = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    for (std::size_t i = 0; i + needle_folded.size() <= haystack.size(); ++i) {
        std::size_t k = 0;
        while (k < needle_folded.size() && fold(haystack[i + k]) == needle_folded[k]) ++k;
        if (k == needle_folded.size()) return true;
    }
    return false;
}

}  // namespace

bool matches(const MergedRow& row, const MergedFilter& filter) {
    const auto& e = row.entry->value;
    if (!filter.agencies.empty() && !filter.agencies.contains(row.agency)) return false;
    if (filter.key_practice_episode && !e.key_practice_episode) return false;
    if (filter.missed_opportunity && !e.missed_opportunity) return false;
    if (filter.good_practice && !e.good_practice) return false;
    if (filter.tor_question &&
        std::find(e.tor_questions.begin(), e.tor_questions.end(), *filter.tor_question) == e.tor_questions.end())
        return false;
    if (filter.principle && std::find(e.principles.begin(), e.principles.end(), *filter.principle) == e.principles.end())
        return false;
    if (filter.from || filter.to) {
        if (filter.from && e.date.last_day().days_since_epoch() < filter.from->days_since_epoch()) return false;
        if (filter.to && e.date.first_day().days_since_epoch() > filter.to->days_since_epoch()) return false;
    }
    if (filter.reviewer_note && row.imr->review_note(row.entry->id) == nullptr) return false;
    if (filter.open_query) {
        const std::string on = "entry:" + row.entry->id.hex();
        const bool open = std::any_of(row.imr->queries.begin(), row.imr->queries.end(), [&](const auto& q) {
            return q.value.on == on && row.imr->query_state(q) != domain::QueryState::Closed;
        });
        if (!open) return false;
    }
    if (!filter.text.empty()) {
        std::string needle;
        for (const char c : filter.text) needle += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const bool found = contains_folded(row.agency, needle) ||
                           std::any_of(domain::kEntryTextFields.begin(), domain::kEntryTextFields.end(),
                                       [&](const auto& field) { return contains_folded(e.*(field.member), needle); });
        crypto::wipe(needle);
        if (!found) return false;
    }
    return true;
}

std::vector<std::string> reviewed_cases(const SyncProfileState& state) {
    std::vector<std::string> out;
    if (!state.link) return out;
    for (const auto& m : state.link->memberships)
        if (m.role == sync::Role::Reviewer && std::find(out.begin(), out.end(), m.case_reference) == out.end())
            out.push_back(m.case_reference);
    std::sort(out.begin(), out.end());
    return out;
}

const sync::CaseInfo* case_data(const SyncProfileState& state, const std::string& case_reference) {
    for (const auto& c : state.cases)
        if (c.reference == case_reference) return &c;
    return nullptr;
}

std::vector<std::string> short_agency_names(const std::vector<std::string>& agencies) {
    std::vector<std::string> out;
    for (const auto& a : agencies) {
        std::string s = a.substr(0, a.find(" ("));
        while (!s.empty() && s.back() == ' ') s.pop_back();
        out.push_back(s.empty() ? a : s);
    }
    if (out.size() >= 2) {
        const auto first_word = [](const std::string& s) { return s.substr(0, s.find(' ')); };
        const std::string shared = first_word(out.front());
        const bool all = std::all_of(out.begin(), out.end(), [&](const std::string& s) {
            return s.size() > shared.size() + 1 && first_word(s) == shared;
        });
        if (all)
            for (auto& s : out) s.erase(0, shared.size() + 1);
    }
    // Agencies that would read the same keep their whole names.
    std::vector<bool> clash(out.size(), false);
    for (std::size_t i = 0; i < out.size(); ++i)
        for (std::size_t j = i + 1; j < out.size(); ++j)
            if (out[i] == out[j]) clash[i] = clash[j] = true;
    for (std::size_t i = 0; i < out.size(); ++i)
        if (clash[i]) out[i] = agencies[i];
    return out;
}

std::vector<std::string> case_agencies(const SyncProfileState& state, const Workspace& workspace,
                                       const std::string& case_reference) {
    std::vector<std::string> out;
    if (case_data(state, case_reference) != nullptr)
        for (const auto& s : case_status(state, workspace, case_reference, 0)) out.push_back(s.agency);
    std::vector<std::string> held;
    for (const auto* doc : review_copies(workspace, case_reference))
        if (std::find(out.begin(), out.end(), doc->header.agency) == out.end()) held.push_back(doc->header.agency);
    std::sort(held.begin(), held.end());
    held.erase(std::unique(held.begin(), held.end()), held.end());
    out.insert(out.end(), held.begin(), held.end());
    return out;
}

std::map<std::string, std::uint32_t> agency_fills(const SyncProfileState& state, const Workspace& workspace,
                                                   const std::string& case_reference) {
    const auto agencies = case_agencies(state, workspace, case_reference);
    const auto colours = AgencyColours::load(workspace.vault());
    std::map<std::string, std::uint32_t> out;
    for (const auto& a : agencies) out[a] = agency_colour(colours.index_of(a, agencies), Theme::Light).hex();
    return out;
}

// ---- versions ----------------------------------------------------------------------------------

std::string version_snapshot_name(const domain::Id& imr) { return "version_held_before:" + imr.hex(); }

std::string version_snapshot(const ImrDocument& doc, std::uint32_t version) {
    nlohmann::json j{{"version", version}, {"sections", nlohmann::json::array()}, {"entries", nlohmann::json::array()}};
    for (const auto& s : doc.sections) j["sections"].push_back(domain::to_json(s.value));
    for (const auto& e : doc.entries) j["entries"].push_back({{"id", e.id.hex()}, {"entry", domain::to_json(e.value)}});
    const auto bytes = nlohmann::json::to_cbor(j);
    std::string out(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return out;
}

std::string_view to_string(ChangeKind kind) noexcept {
    switch (kind) {
        case ChangeKind::Added: return "added";
        case ChangeKind::Removed: return "removed";
        case ChangeKind::Changed: return "changed";
    }
    return "changed";
}

namespace {

bool same_section(const domain::SectionContent& a, const domain::SectionContent& b) {
    return a.text == b.text && a.not_applicable == b.not_applicable && a.not_applicable_reason == b.not_applicable_reason;
}

std::vector<std::string> changed_fields(const domain::ChronologyEntry& a, const domain::ChronologyEntry& b) {
    std::vector<std::string> out;
    if (!(a.date == b.date)) out.emplace_back("Date");
    if (a.time != b.time) out.emplace_back("Time");
    for (const auto& f : domain::kEntryTextFields)
        if (a.*(f.member) != b.*(f.member)) out.emplace_back(f.label);
    if (a.key_practice_episode != b.key_practice_episode || a.missed_opportunity != b.missed_opportunity ||
        a.good_practice != b.good_practice || a.no_contact_period != b.no_contact_period)
        out.emplace_back("Flags");
    if (a.tor_questions != b.tor_questions) out.emplace_back("Terms of Reference");
    if (a.principles != b.principles) out.emplace_back("Principles");
    if (a.extra_fields != b.extra_fields) out.emplace_back("Other columns");
    return out;
}

}  // namespace

std::optional<VersionChanges> changes_since_previous(const Workspace& workspace, const SyncProfileState& state,
                                                     const domain::Id& imr) {
    const auto* doc = workspace.find(imr);
    if (doc == nullptr) return std::nullopt;
    std::string bytes = workspace.vault().load_private(version_snapshot_name(imr));
    if (bytes.empty()) return std::nullopt;
    auto j = nlohmann::json::from_cbor(bytes, true, false);
    crypto::wipe(bytes);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    VersionChanges out;
    out.from = j.value("version", 0u);
    for (const auto& c : state.cases)
        for (const auto& s : c.submissions)
            if (s.imr_id == imr) out.to = s.version;
    std::map<std::string, domain::SectionContent> before_sections;
    std::map<domain::Id, domain::ChronologyEntry> before_entries;
    try {
        for (const auto& s : j.at("sections")) {
            auto content = domain::section_from_json(s);
            before_sections[content.key] = std::move(content);
        }
        for (const auto& e : j.at("entries"))
            before_entries[domain::Id::from_hex(e.at("id").get<std::string>())] = domain::entry_from_json(e.at("entry"));
    } catch (const std::exception&) {
        return std::nullopt;  // an unreadable snapshot: no changes to show rather than wrong ones
    }
    j.clear();
    // Sections in the template's order; a section that exists on one side only counts as added or removed
    // when it has text (an empty record is no change a reader sees).
    std::set<std::string> keys;
    for (const auto& [key, content] : before_sections) keys.insert(key);
    for (const auto& s : doc->sections) keys.insert(s.value.key);
    const auto outline = domain::ImrTemplate::builtin().outline(doc->header.case_info.terms_of_reference);
    std::vector<std::string> ordered;
    for (const auto& item : outline)
        if (keys.erase(item.key) > 0) ordered.push_back(item.key);
    ordered.insert(ordered.end(), keys.begin(), keys.end());
    const auto blank = [](const domain::SectionContent& c) { return c.text.empty() && !c.not_applicable; };
    for (const auto& key : ordered) {
        const auto* now = doc->section(key);
        const auto was = before_sections.find(key);
        SectionChange change;
        change.key = key;
        if (was == before_sections.end() || blank(was->second)) {
            if (now == nullptr || blank(now->value)) continue;
            change.kind = ChangeKind::Added;
            change.after = now->value;
        } else if (now == nullptr || blank(now->value)) {
            change.kind = ChangeKind::Removed;
            change.before = was->second;
        } else if (!same_section(was->second, now->value)) {
            change.before = was->second;
            change.after = now->value;
        } else {
            continue;
        }
        out.sections.push_back(std::move(change));
    }
    for (const auto& e : doc->entries) {
        const auto was = before_entries.find(e.id);
        if (was == before_entries.end()) {
            out.entries.push_back({e.id, ChangeKind::Added, std::nullopt, e.value, {}});
            continue;
        }
        auto fields = changed_fields(was->second, e.value);
        if (!fields.empty()) out.entries.push_back({e.id, ChangeKind::Changed, was->second, e.value, std::move(fields)});
        before_entries.erase(was);
    }
    for (auto& [id, entry] : before_entries) out.entries.push_back({id, ChangeKind::Removed, std::move(entry), std::nullopt, {}});
    std::stable_sort(out.entries.begin(), out.entries.end(), [](const EntryChange& a, const EntryChange& b) {
        const auto& x = a.after ? *a.after : *a.before;
        const auto& y = b.after ? *b.after : *b.before;
        return entry_before(x, y);
    });
    for (auto& [key, content] : before_sections) {
        crypto::wipe(content.text);
        crypto::wipe(content.not_applicable_reason);
    }
    return out;
}

void wipe_changes(VersionChanges& changes) noexcept {
    for (auto& s : changes.sections)
        for (auto* c : {&s.before, &s.after}) {
            crypto::wipe(c->text);
            crypto::wipe(c->not_applicable_reason);
        }
    for (auto& e : changes.entries) {
        if (e.before) wipe(*e.before);
        if (e.after) wipe(*e.after);
    }
    changes.sections.clear();
    changes.entries.clear();
}

std::string prefixed_source(const std::string& agency, const std::string& source) {
    if (agency.empty()) return source;
    if (source.rfind(agency + ":", 0) == 0) return source;
    return source.empty() ? agency + ":" : agency + ": " + source;
}

std::vector<MergedRow> merged_chronology(const Workspace& workspace, const std::string& case_reference) {
    const auto copies = review_copies(workspace, case_reference);
    if (copies.empty())
        throw WorkspaceError("no submitted IMR of case '" + case_reference + "' is here yet (sync, or see 'case status')");
    std::vector<MergedRow> rows;
    for (const auto* doc : copies)
        for (const auto& e : doc->entries) rows.push_back(MergedRow{doc, &e, doc->header.agency});
    std::stable_sort(rows.begin(), rows.end(), [](const MergedRow& a, const MergedRow& b) {
        const auto& x = a.entry->value;
        const auto& y = b.entry->value;
        if (const auto c = domain::compare_chronologically(x.date, y.date); c != 0) return c < 0;
        if (x.time.has_value() != y.time.has_value()) return x.time.has_value();
        if (x.time && *x.time != *y.time) return *x.time < *y.time;
        if (x.sequence != y.sequence) return x.sequence < y.sequence;
        return a.agency < b.agency;
    });
    return rows;
}

std::vector<DateSpan> cross_agency_gaps(const std::vector<MergedRow>& rows, std::int64_t min_days) {
    std::vector<DateSpan> out;
    std::optional<domain::CivilDate> last;
    for (const auto& r : rows) {
        const auto first = r.entry->value.date.first_day();
        const auto end = r.entry->value.date.last_day();
        if (last) {
            const auto days = first.days_since_epoch() - last->days_since_epoch();
            if (days > min_days) out.push_back(DateSpan{*last, first, days});
        }
        if (!last || end > *last) last = end;
    }
    return out;
}

std::vector<BusyDay> multi_agency_days(const std::vector<MergedRow>& rows) {
    std::map<std::int64_t, std::set<std::string>> by_day;
    for (const auto& r : rows) {
        const auto& d = r.entry->value.date;
        if (d.is_range() || d.start.precision != domain::DatePrecision::Day) continue;  // a day, not a month
        by_day[d.first_day().days_since_epoch()].insert(r.agency);
    }
    std::vector<BusyDay> out;
    for (const auto& [day, agencies] : by_day)
        if (agencies.size() > 1) out.push_back(BusyDay{domain::CivilDate::from_days(day), {agencies.begin(), agencies.end()}});
    return out;
}

ImrDocument merged_document(const Workspace& workspace, const std::string& case_reference) {
    const auto rows = merged_chronology(workspace, case_reference);
    ImrDocument out;
    const auto* first = rows.front().imr;
    out.header.case_info = first->header.case_info;
    out.header.title = "Merged chronology";
    out.header.agency = "All agencies";
    out.header.adults = first->header.adults;
    out.reviewer_copy = true;
    std::set<const ImrDocument*> seen;
    for (const auto& r : rows) {
        auto entry = *r.entry;
        entry.value.source = prefixed_source(r.agency, entry.value.source);
        if (entry.value.agency.empty()) entry.value.agency = r.agency;
        out.entries.push_back(std::move(entry));
        if (seen.insert(r.imr).second) {
            for (const auto& n : r.imr->names) out.names.push_back(n);
            for (const auto& g : r.imr->glossary) out.glossary.push_back(g);
        }
    }
    return out;
}

}  // namespace imrdesk::client
