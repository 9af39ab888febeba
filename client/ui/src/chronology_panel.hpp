#pragma once
// The chronology's entry panel: every field of one entry, autosaved; or a new entry. Also the few
// things the panel shares with the table (view_chronology.cpp) and the gaps (chronology_gaps.cpp).
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "imrdesk/ui/ui.hpp"

namespace imrdesk::ui {

// The flags of an entry: the mark in the table's Flags column and the name in the panel.
struct Flag {
    const char* mark;
    const char* name;
    bool domain::ChronologyEntry::*member;
};
inline constexpr std::array<Flag, 4> kFlags{{
    {"K", "Key practice episode", &domain::ChronologyEntry::key_practice_episode},
    {"M", "Missed opportunity", &domain::ChronologyEntry::missed_opportunity},
    {"G", "Good practice", &domain::ChronologyEntry::good_practice},
    {"N", "No agency contact (a stated period)", &domain::ChronologyEntry::no_contact_period},
}};

// The entry's flags as bits, in the order of kFlags.
[[nodiscard]] int flag_bits(const domain::ChronologyEntry& e);
// The date as read ("14 March 2019"), or "(invalid date)".
[[nodiscard]] std::string date_text(const domain::PartialDate& date);
[[nodiscard]] std::string_view first_line(std::string_view text);
// The width of a button with this label.
[[nodiscard]] float button_width(const char* label);

class EntryPanel {
public:
    EntryPanel();
    ~EntryPanel();
    EntryPanel(const EntryPanel&) = delete;
    EntryPanel& operator=(const EntryPanel&) = delete;

    // The entry shown; none while a new entry is written.
    [[nodiscard]] const std::optional<domain::Id>& entry() const noexcept;
    // Checks the form again against the IMR (what is wrong, what the date was understood as).
    void recheck(const client::ImrDocument& doc);
    // Saves what is staged (a later stage() would replace an edit of another entry) and loads an entry.
    void show(const Frame& f, const client::ImrDocument& doc, const domain::Id& id);
    // Shows the new entry being written.
    void show_new(const Frame& f, const client::ImrDocument& doc);
    // Another view changed the entry shown: show the stored text unless it is being edited.
    void follow_store(const Frame& f, const client::ImrDocument& doc);
    void draw(const Frame& f, const client::ImrDocument& doc);
    // The confirmation of a deletion: drawn at the view's level, where its popup was opened.
    void draw_dialogs(const Frame& f, const client::ImrDocument& doc);
    void wipe() noexcept;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace imrdesk::ui
