#pragma once
// One view, one small class: it draws its content from client::App and issues App commands.
// Views are created in one place (ui.cpp). wipe() forgets any text the view holds (lock).
#include <memory>

#include "imrdesk/ui/ui.hpp"

namespace imrdesk::ui {

class View {
public:
    virtual ~View() = default;
    virtual void draw(const Frame& f) = 0;
    // Called by Ui before the first draw after the view was not shown (another tab, home, lock):
    // the view refreshes what it works out only on opening. Ui scrolls it to the top itself.
    virtual void on_open() {}
    virtual void wipe() noexcept {}
};

// The views of imrdesk, registered in ui.cpp.
std::unique_ptr<View> make_profiles_view();        // create, choose, unlock, recover, recovery key
std::unique_ptr<View> make_home_view();            // the profile's IMRs
std::unique_ptr<View> make_section_view();         // one section: guidance, editor, not applicable
std::unique_ptr<View> make_chronology_view();      // the chronology table, entry panel, gaps, import
std::unique_ptr<View> make_quality_view();         // pre-submission check, abbreviations, spelling
std::unique_ptr<View> make_recommendations_view(); // the action plan
std::unique_ptr<View> make_glossary_view();        // the IMR's glossary of abbreviations
std::unique_ptr<View> make_names_view();           // the names register and where names are written
std::unique_ptr<View> make_endorsement_view();     // endorsement and withdrawal
std::unique_ptr<View> make_find_view();            // Ctrl+F across the IMR
std::unique_ptr<View> make_settings_view();        // font size, theme, auto-lock
std::unique_ptr<View> make_status_bar();           // profile, autosave, sync, Lock
std::unique_ptr<View> make_queries_view();         // an IMR's factual-accuracy queries: answer, or raise and close
std::unique_ptr<View> make_case_view();            // the review team's case: dashboard, merged chronology, timeline

// Opens popups owned by views (called from shortcuts and menus).
void open_find(const Frame& f);
void open_settings(const Frame& f);

}  // namespace imrdesk::ui
