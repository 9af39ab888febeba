// The real imrdesk window under Xvfb: renders the demo's main screens to PNG files under the
// build folder (build/.../tests/e2e/screenshots) and checks each one shows a real screen.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <set>

#include <stb_image.h>

#include "process.hpp"
#include "temp_dir.hpp"

using namespace imrdesk::test;

namespace {

struct ImageStats {
    int width = 0, height = 0;
    std::size_t colours = 0;    // distinct colours (quantised)
    double dark_fraction = 0;   // share of pixels much darker than the background: text
};

ImageStats stats_of(const std::filesystem::path& file) {
    ImageStats s;
    int channels = 0;
    unsigned char* pixels = stbi_load(file.c_str(), &s.width, &s.height, &channels, 3);
    REQUIRE_MESSAGE(pixels != nullptr, "cannot read " << file);
    std::set<int> colours;
    std::size_t dark = 0;
    const std::size_t count = static_cast<std::size_t>(s.width) * static_cast<std::size_t>(s.height);
    for (std::size_t i = 0; i < count; ++i) {
        const int r = pixels[3 * i], g = pixels[3 * i + 1], b = pixels[3 * i + 2];
        colours.insert((r >> 3) << 10 | (g >> 3) << 5 | (b >> 3));
        if (r + g + b < 200) ++dark;
    }
    stbi_image_free(pixels);
    s.colours = colours.size();
    s.dark_fraction = static_cast<double>(dark) / static_cast<double>(count);
    return s;
}

}  // namespace

TEST_CASE("gui: the demo's main screens render under Xvfb, and none is blank") {
    if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) {
        MESSAGE("xvfb-run is not installed (scripts/install-deps.sh installs it): skipped");
        return;
    }
    TempDir data;
    const std::filesystem::path out = std::filesystem::path(IMRDESK_SCREENSHOT_DIR);
    std::filesystem::remove_all(out);
    // Leak checking is off for this child: Mesa and X11 keep allocations until exit by design.
    const auto r = run_process("/usr/bin/env", {"ASAN_OPTIONS=detect_leaks=0", "xvfb-run", "-a", "-s", "-screen 0 1366x768x24",
                                                IMRDESK_GUI, "--windowed", "--data-dir", data.path().string(),
                                                "--screenshots", out.string()});
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    const char* names[] = {"01-home", "02-section-summary", "03-section-analysis", "04-about-this-imr", "05-chronology",
                           "06-quality", "07-recommendations", "08-endorsement", "09-locked", "12-import-preview", "13-export",
                           "16-names", "05b-chronology-reading", "05c-chronology-one-line"};
    for (const char* name : names) {
        const auto file = out / (std::string(name) + ".png");
        CAPTURE(file);
        REQUIRE(std::filesystem::exists(file));
        const auto s = stats_of(file);
        CHECK(s.width >= 1000);
        CHECK(s.height >= 600);
        CHECK(s.colours > 20);          // not a flat fill
        CHECK(s.dark_fraction > 0.001); // there is text on it (a blank render has none)
    }
}

TEST_CASE("gui: the review team's screens render under Xvfb from the review demo, and none is blank") {
    if (std::system("command -v xvfb-run >/dev/null 2>&1") != 0) {
        MESSAGE("xvfb-run is not installed (scripts/install-deps.sh installs it): skipped");
        return;
    }
    TempDir data;
    const std::filesystem::path out = std::filesystem::path(IMRDESK_SCREENSHOT_DIR) / "review";
    std::filesystem::remove_all(out);
    const auto r = run_process("/usr/bin/env", {"ASAN_OPTIONS=detect_leaks=0", "xvfb-run", "-a", "-s", "-screen 0 1366x768x24",
                                                IMRDESK_GUI, "--windowed", "--data-dir", data.path().string(), "--demo-review",
                                                "--screenshots", out.string()});
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("nothing labelled") == std::string::npos);  // every click of the run found its widget
    for (const char* name : {"20-review-dashboard", "21-review-merged", "22-review-timeline", "23-review-home",
                             "24-review-queries", "25-review-locked"}) {
        const auto file = out / (std::string(name) + ".png");
        CAPTURE(file);
        REQUIRE(std::filesystem::exists(file));
        const auto s = stats_of(file);
        CHECK(s.colours > 20);
        CHECK(s.dark_fraction > 0.001);
    }
}
