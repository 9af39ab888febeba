#pragma once
// What the review team's case screens share: the case's status, its merged chronology with the
// filters applied, each agency's colour and lane, the gaps and busy days, and the row selected
// (in the table or on the timeline). Worked out again only when the workspace changes
// (Workspace::generation), the case changes or the filters change, so that ten thousand merged
// rows cost nothing per frame. Holds pointers into the workspace, never copies of its text.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "imrdesk/client/review.hpp"
#include "imrdesk/ui/ui.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {

class CaseModel {
public:
    // Brings the model up to date with the workspace and the app's current case. False when the
    // case has no data here (not synced yet): reason() says so.
    bool refresh(const Frame& f);
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

    [[nodiscard]] const std::string& reference() const noexcept { return reference_; }
    [[nodiscard]] const sync::CaseInfo* info() const noexcept { return info_; }
    [[nodiscard]] const std::vector<client::AgencyStatus>& status() const noexcept { return status_; }
    [[nodiscard]] const std::vector<client::MergedRow>& rows() const noexcept { return rows_; }
    // Indices into rows() that pass the filter, in merged order.
    [[nodiscard]] const std::vector<std::uint32_t>& shown() const noexcept { return shown_; }
    // Each row's first day (days since 1970-01-01) and last day, and its lane (agency) on the timeline.
    [[nodiscard]] std::int32_t first_day(std::size_t row) const { return first_day_[row]; }
    [[nodiscard]] std::int32_t last_day(std::size_t row) const { return last_day_[row]; }
    [[nodiscard]] std::size_t lane(std::size_t row) const { return lane_[row]; }
    // The agencies with lanes, in the dashboard's order.
    [[nodiscard]] const std::vector<std::string>& lanes() const noexcept { return lanes_; }
    [[nodiscard]] ImVec4 colour(const std::string& agency) const;
    // The lane's short name ("Police" for "Northshire Police"), for the table and the timeline.
    [[nodiscard]] const std::string& short_name(std::size_t lane) const { return short_[lane]; }
    [[nodiscard]] std::size_t colour_index(const std::string& agency) const;
    [[nodiscard]] const client::AgencyColours& colours() const noexcept { return colours_; }
    void choose_colour(const Frame& f, const std::string& agency, std::optional<std::size_t> index);

    [[nodiscard]] const std::vector<client::DateSpan>& gaps() const noexcept { return gaps_; }
    [[nodiscard]] const std::vector<client::BusyDay>& busy_days() const noexcept { return busy_; }

    client::MergedFilter filter;
    void filter_changed() noexcept { filter_dirty_ = true; }

    // The selected row (an index into rows()), kept across refreshes by its entry.
    [[nodiscard]] std::optional<std::size_t> selected() const noexcept { return selected_; }
    void select(std::optional<std::size_t> row);
    // Scroll the table to the selection at the next frame (a timeline click, a gap).
    bool scroll_to_selected = false;
    // The timeline: the span of days shown (zoom and pan), kept while the case is shown.
    double view_from = 0, view_days = 0;

    void wipe() noexcept;

private:
    void rebuild(const Frame& f);
    void apply_filter();

    std::string reference_;
    std::string reason_;
    std::uint64_t generation_ = 0;
    const sync::CaseInfo* info_ = nullptr;
    std::vector<client::AgencyStatus> status_;
    std::vector<client::MergedRow> rows_;
    std::vector<std::uint32_t> shown_;
    std::vector<std::int32_t> first_day_, last_day_;
    std::vector<std::size_t> lane_;
    std::vector<std::string> lanes_;
    std::vector<std::string> short_;
    std::vector<std::size_t> lane_colour_;
    client::AgencyColours colours_;
    std::vector<client::DateSpan> gaps_;
    std::vector<client::BusyDay> busy_;
    bool filter_dirty_ = true;
    std::optional<std::size_t> selected_;
    std::optional<std::pair<domain::Id, domain::Id>> selected_entry_;  // (IMR, entry)
};

// The selected merged row in full, under the table and the timeline: every field, its flags,
// the queries on it, the review team's note (editable), "Raise a query" and "Open in its IMR".
class RowDetail {
public:
    void draw(const Frame& f, CaseModel& model);
    void wipe() noexcept;

private:
    std::optional<std::pair<domain::Id, domain::Id>> editing_;  // the entry the note box holds
    std::string note_;
    WrappedInput note_ed_;
    std::string query_;
    WrappedInput query_ed_;
    bool raising_ = false;
};

// Where a query is, in words: "the whole IMR", "section: Summary", "entry of 14/03/2024: Call from a ...".
[[nodiscard]] std::string query_place(const client::ImrDocument& doc, const std::string& on);

// The date column's text for a merged row: "14/03/2024", "05/2024 (month)", "c. 2018".
[[nodiscard]] std::string merged_date(const domain::ChronologyEntry& e);

}  // namespace imrdesk::ui
