#pragma once
// The review team's three panels of a case (drawn by the case screen, view_case.cpp): the
// dashboard, the merged chronology and the timeline. They share one CaseModel and one RowDetail.
#include <functional>
#include <optional>
#include <string>

#include "case_model.hpp"

namespace imrdesk::ui {

class DashboardPanel {
public:
    void draw(const Frame& f, CaseModel& model);
    void wipe() noexcept;

private:
    void changes(const Frame& f, CaseModel& model, std::function<void()>& action);
    // What a resubmission changed, for one agency's IMR, worked out when asked.
    std::optional<domain::Id> changes_of_;
    std::string changes_agency_;
    std::optional<client::VersionChanges> changes_;
};

class MergedPanel {
public:
    void draw(const Frame& f, CaseModel& model, RowDetail& detail);
    void wipe() noexcept;

private:
    void filters(const Frame& f, CaseModel& model);
    void side(const Frame& f, CaseModel& model);
    std::string text_;
    std::string from_, to_;
    bool side_open_ = true;
};

class TimelinePanel {
public:
    void draw(const Frame& f, CaseModel& model, RowDetail& detail);
    void wipe() noexcept {}
};

}  // namespace imrdesk::ui
