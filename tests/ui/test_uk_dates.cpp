// One UK date style on every screen: "14 March 2024" to read, "14/03/2024" in a box to edit,
// "14 March 2024, 10:42" for a moment; ISO only in files.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>

#include "widgets.hpp"

using namespace imrdesk;

TEST_CASE("dates: the UI writes days the UK way, to read and to edit") {
    CHECK(ui::uk_date(domain::CivilDate{2024, 3, 14}) == "14 March 2024");
    CHECK(ui::uk_date(domain::CivilDate{1961, 5, 12}) == "12 May 1961");
    CHECK(ui::uk_typed_date(domain::CivilDate{2024, 1, 1}) == "01/01/2024");
    // What the edit box shows reads back as the same day.
    const auto typed = domain::parse_date(ui::uk_typed_date(domain::CivilDate{2026, 12, 2}));
    CHECK(typed.first_day() == domain::CivilDate{2026, 12, 2});
    CHECK(ui::uk_date(domain::CivilDate{2024, 2, 30}) == "2024-02-30");  // not a day: shown as stored, not hidden
}

TEST_CASE("dates: a moment is its day and its time on the 24-hour clock") {
    const char* saved = std::getenv("TZ");
    const std::string old = saved != nullptr ? saved : "";
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    CHECK(ui::uk_date_time(1764684120) == "2 December 2025, 14:02");
    CHECK(ui::uk_date_time(0) == "1 January 1970, 00:00");
    if (saved != nullptr) ::setenv("TZ", old.c_str(), 1);
    else ::unsetenv("TZ");
    ::tzset();
}
