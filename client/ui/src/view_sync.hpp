#pragma once
// The sync panel (enrolment, the link to the server, what waits, what arrived) and what the
// sync and conflicts panels share. Both are popups over the current screen, opened through
// Frame::requests so any view can lead to them.
#include <cstdint>
#include <memory>
#include <string>

#include "view.hpp"

namespace imrdesk::ui {

std::unique_ptr<View> make_sync_view();
void open_sync_panel(const Frame& f);

// Unix seconds now, and "22/11 10:42" in local time.
[[nodiscard]] std::int64_t unix_now();
[[nodiscard]] std::string short_time(std::int64_t unix_seconds);

// Records the last item under `label`, and under "label: text" so that headless tests see what it
// showed (only while tests track items).
void track_text(const Frame& f, const std::string& label, const std::string& text);

// Sizes and centres the next popup as a panel: at most width_em wide, most of the screen high.
void next_panel_size(float width_em);

}  // namespace imrdesk::ui
