#include "imrdesk/client/review.hpp"

#include <algorithm>
#include <map>
#include <set>

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
