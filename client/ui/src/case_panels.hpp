#pragma once
// The review team's three panels of a case (drawn by the case screen, view_case.cpp): the
// dashboard, the merged chronology and the timeline. They share one CaseModel and one RowDetail.
#include <string>

#include "case_model.hpp"

namespace imrdesk::ui {

void draw_dashboard(const Frame& f, CaseModel& model);

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
