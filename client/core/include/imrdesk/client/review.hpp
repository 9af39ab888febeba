#pragma once
// The review team's use cases, once for the GUI and the CLI: where each expected agency of a case
// is (from the case data sync brings), the merged chronology of every submitted IMR of the case
// with each row's agency (its source prefixed, "Police: STORM log 0412"), the periods no agency
// was in contact and the days several were, and the merged chronology as a document to export.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

// The merged chronology as one document the exporters take: its entries are the merged rows in
// order, each with the agency set and the source prefixed; its names register holds every IMR's
// (for anonymised exports). The caller wipes it (wipe_document) when done.
[[nodiscard]] ImrDocument merged_document(const Workspace& workspace, const std::string& case_reference);

}  // namespace imrdesk::client
