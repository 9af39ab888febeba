#pragma once
// The chronology's gaps: periods with no entry, and the statements of no agency contact
// (chronology_gaps.cpp). Shown over the table when the Gaps button is on.
#include <optional>
#include <string>
#include <vector>

#include "imrdesk/ui/ui.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {

class GapList {
public:
    void draw(const Frame& f, const client::ImrDocument& doc, const std::vector<client::Gap>& gaps);
    void wipe() noexcept;

private:
    void start_statement(const client::Gap& gap);
    void statement_form(const Frame& f, const client::ImrDocument& doc);

    std::optional<client::Gap> stating_;  // the gap whose statement is being written
    std::string statement_;
    std::string statement_source_;
    WrappedInput statement_ed_;
    bool focus_statement_ = false;
};

}  // namespace imrdesk::ui
