#pragma once
// The conflicts panel: records changed here and on another device before they could meet. The
// author sees both versions side by side and keeps one, or writes the merged text of a section.
#include <memory>

#include "view.hpp"

namespace imrdesk::ui {

std::unique_ptr<View> make_conflicts_view();
void open_conflicts_panel(const Frame& f);

}  // namespace imrdesk::ui
