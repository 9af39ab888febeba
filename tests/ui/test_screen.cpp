// Text a person can read on any screen: the scale worked out from the monitor when the desktop
// reports none, the text size offered on the first run, and the size buttons always in reach.
#include <doctest/doctest.h>

#include "harness.hpp"
#include "imrdesk/ui/screen_scale.hpp"

using namespace imrdesk;
using test::UiHarness;

TEST_CASE("screen: the scale comes from the desktop when it says, else from the monitor's size") {
    CHECK(ui::screen_scale(2.0f, 3840, 600) == 2.0f);     // reported: trusted
    CHECK(ui::screen_scale(1.3f, 1920, 300) == 1.25f);    // quarter steps
    CHECK(ui::screen_scale(1.0f, 3840, 597) == 1.75f);    // 27" 4K, nothing reported: 163 DPI
    CHECK(ui::screen_scale(1.0f, 3840, 344) == 3.0f);     // 15.6" 4K laptop: 283 DPI
    CHECK(ui::screen_scale(1.0f, 1366, 344) == 1.0f);     // 15.6" 1366x768: 101 DPI, as designed
    CHECK(ui::screen_scale(1.0f, 3840, 975) == 1.0f);     // Xvfb's 100 DPI
    CHECK(ui::screen_scale(1.0f, 3840, 0) == 1.0f);       // no size: nothing to go on
    CHECK(ui::screen_scale(1.0f, 1920, 1600) == 1.0f);    // a projector's "size"
    CHECK(ui::screen_scale(1.0f, 7680, 210) == 4.0f);     // at most 4
    CHECK(ui::screen_scale(0.5f, 1366, 344) == 1.0f);     // never smaller than designed
}

TEST_CASE("screen: the first run asks whether the text is easy to read, once") {
    UiHarness h;
    REQUIRE_FALSE(h.app().settings().text_size_chosen);
    h.ui().offer_text_size();
    h.frame(2);
    REQUIRE(h.has("This size is right"));
    const float before = h.app().settings().font_size;
    CHECK(h.has("Offered Size " + std::to_string(static_cast<int>(before))));
    h.click("Larger (Ctrl +)");
    h.click("Larger (Ctrl +)");
    CHECK(h.app().settings().font_size == before + 4);
    h.click("Smaller (Ctrl -)");
    CHECK(h.app().settings().font_size == before + 2);
    h.click("This size is right");
    CHECK_FALSE(h.has("This size is right"));
    CHECK(h.app().settings().text_size_chosen);
    // Kept in the settings (the harness does not write them to disk): asking again does nothing.
    h.ui().offer_text_size();
    h.frame(2);
    CHECK_FALSE(h.has("This size is right"));
}

TEST_CASE("screen: the status bar's A- and A+ change the text size on every screen") {
    UiHarness h;
    const float before = h.app().settings().font_size;
    REQUIRE(h.has("A+"));
    h.click("A+");
    CHECK(h.app().settings().font_size == before + 2);
    h.click("A-");
    h.click("A-");
    CHECK(h.app().settings().font_size == before - 2);
}
