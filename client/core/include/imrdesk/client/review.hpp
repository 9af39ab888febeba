#pragma once
// The review team's use cases, once for the GUI and the CLI: where each expected agency of a case
// is (from the case data sync brings), the merged chronology of every submitted IMR of the case
// with each row's agency (its source prefixed, "Police: STORM log 0412"), the periods no agency
// was in contact and the days several were, and the merged chronology as a document to export.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "imrdesk/client/agency_colours.hpp"
#include "imrdesk/client/sync_replica.hpp"
#include "imrdesk/client/workspace.hpp"

namespace imrdesk::client {

struct AgencyStatus {
    std::string agency;
    bool expected = false;
    sync::AgencyState state = sync::AgencyState::NotStarted;
    std::uint32_t version = 0;                  // latest submitted (0: none)
    std::optional<std::int64_t> received_at;    // of that version
    std::optional<std::int64_t> days_left;      // to the due date (negative: days late); none without one
    bool late = false;                          // past due and never submitted
    std::size_t open_queries = 0;               // raised on its IMR here and not closed
    std::optional<domain::Id> imr;              // the copy this device holds
    std::uint32_t held_version = 0;             // the version of that copy (0: none held)
};

// Throws WorkspaceError when this profile has no data of the case (not enrolled in it).
[[nodiscard]] std::vector<AgencyStatus> case_status(const SyncProfileState& state, const Workspace& workspace,
                                                    const std::string& case_reference, std::int64_t now);

struct MergedRow {
    const ImrDocument* imr = nullptr;
    const Stored<domain::ChronologyEntry>* entry = nullptr;
    std::string agency;  // the IMR's agency (an entry naming another agency keeps it in its own field)
};

// Every entry of every IMR of the case this profile holds as a reviewer's copy, in merged order:
// by date (a month-only date at the start of its month, before the days of that month), time,
// sequence, then agency. Throws WorkspaceError when there is none.
[[nodiscard]] std::vector<MergedRow> merged_chronology(const Workspace& workspace, const std::string& case_reference);

// "Police: STORM log 0412" (no doubled prefix when the source already starts with the agency).
[[nodiscard]] std::string prefixed_source(const std::string& agency, const std::string& source);

struct DateSpan {
    domain::CivilDate from;
    domain::CivilDate to;
    std::int64_t days = 0;
};
// Periods longer than min_days between consecutive entries of any agency (partial dates count
// from their first day), and days on which entries of two or more agencies fall.
[[nodiscard]] std::vector<DateSpan> cross_agency_gaps(const std::vector<MergedRow>& rows, std::int64_t min_days);
struct BusyDay {
    domain::CivilDate day;
    std::vector<std::string> agencies;
};
[[nodiscard]] std::vector<BusyDay> multi_agency_days(const std::vector<MergedRow>& rows);

// The filters of the merged chronology. Empty or unset parts let every row through; set ones
// must all hold. Text is matched without regard to case in the event, action, outcome, rationale,
// comment, source (with its agency prefix), practitioner's role and type of contact.
struct MergedFilter {
    std::set<std::string> agencies;  // empty: every agency
    bool key_practice_episode = false;
    bool missed_opportunity = false;
    bool good_practice = false;
    bool reviewer_note = false;      // rows the review team wrote a note on
    bool open_query = false;         // rows with a query not yet closed
    std::optional<int> tor_question;
    std::optional<domain::Principle> principle;
    std::string text;
    std::optional<domain::CivilDate> from;  // rows whose date reaches into [from, to]
    std::optional<domain::CivilDate> to;
    [[nodiscard]] bool empty() const noexcept;
};
[[nodiscard]] bool matches(const MergedRow& row, const MergedFilter& filter);

// The cases this profile reviews (its reviewer memberships), in reference order.
[[nodiscard]] std::vector<std::string> reviewed_cases(const SyncProfileState& state);
// The case data sync brought for one case (nullptr: none yet).
[[nodiscard]] const sync::CaseInfo* case_data(const SyncProfileState& state, const std::string& case_reference);

// Short names for a case's agencies, for narrow columns and timeline lanes: the name without what
// follows " (" and without a first word every agency shares ("Northshire Police" and "Northshire
// Council" become "Police" and "Council"). One per agency, in the same order; a name that would
// become empty or collide with another's stays whole.
[[nodiscard]] std::vector<std::string> short_agency_names(const std::vector<std::string>& agencies);

// The case's agencies in the dashboard's order (case_status), or, without case data, those of the
// IMRs held: what AgencyColours::index_of counts places in.
[[nodiscard]] std::vector<std::string> case_agencies(const SyncProfileState& state, const Workspace& workspace,
                                                     const std::string& case_reference);
// Each agency's colour as an Excel fill (light theme): ExportOptions::agency_fills.
[[nodiscard]] std::map<std::string, std::uint32_t> agency_fills(const SyncProfileState& state, const Workspace& workspace,
                                                                 const std::string& case_reference);

// What changed in an agency's IMR between the version this computer held before and the one it
// holds now, per section and per chronology entry (the review team's view of a resubmission).
enum class ChangeKind : std::uint8_t { Added, Removed, Changed };
[[nodiscard]] std::string_view to_string(ChangeKind kind) noexcept;  // "added", "removed", "changed"
struct SectionChange {
    std::string key;
    ChangeKind kind = ChangeKind::Changed;
    domain::SectionContent before, after;  // empty when added / removed
};
struct EntryChange {
    domain::Id id;
    ChangeKind kind = ChangeKind::Changed;
    std::optional<domain::ChronologyEntry> before, after;
    std::vector<std::string> fields;  // labels of the fields that changed ("Event", "Date", "Flags" ...)
};
struct VersionChanges {
    std::uint32_t from = 0;  // the version held before
    std::uint32_t to = 0;    // the version held now
    std::vector<SectionChange> sections;  // in the template's order
    std::vector<EntryChange> entries;     // in chronological order (removed ones where they were)
    [[nodiscard]] bool empty() const noexcept { return sections.empty() && entries.empty(); }
};
// nullopt when no earlier version of the IMR was held here (this computer first received it at
// its current version). The caller wipes the result (wipe_changes) when done.
[[nodiscard]] std::optional<VersionChanges> changes_since_previous(const Workspace& workspace, const SyncProfileState& state,
                                                                   const domain::Id& imr);
void wipe_changes(VersionChanges& changes) noexcept;

// The merged chronology as one document the exporters take: its entries are the merged rows in
// order, each with the agency set and the source prefixed; its names register holds every IMR's
// (for anonymised exports). The caller wipes it (wipe_document) when done.
[[nodiscard]] ImrDocument merged_document(const Workspace& workspace, const std::string& case_reference);

}  // namespace imrdesk::client
