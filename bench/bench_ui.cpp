// The kiosk UI's own costs, headless (an ImGui context with no window):
//  - CPU time of one frame of the chronology view with 10,000 entries, in the reading layout
//    (whole rows, wrapped: first frame, still, scrolling, resizing) and one line per row: sorted by date (the
//    default), filtered by text, and sorted by another column; goal: median at most 2 ms;
//  - keystroke-to-durable autosave latency: the 1 s debounce plus the time to make the section
//    durable (one SQLite transaction with synchronous=FULL), median and 99th percentile.
// The idle CPU of the real window is measured by bench/idle_cpu.sh.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <vector>

#include <imgui.h>

#include "corpus.hpp"
#include "imrdesk/client/app.hpp"
#include "imrdesk/client/demo.hpp"
#include "imrdesk/client/profiles.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/ui/headless.hpp"
#include "imrdesk/ui/ui.hpp"

using namespace imrdesk;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(index, v.size() - 1)];
}

struct Headless {
    std::filesystem::path dir;
    double now = 0;
    std::unique_ptr<client::App> app;
    std::unique_ptr<ui::Ui> ui;

    explicit Headless(const std::filesystem::path& data_dir) : dir(data_dir) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        ui::setup_headless_io(io, 1366, 768);
        client::AppConfig config;
        config.data_dir = dir;
        config.now = [this] { return now; };
        config.persist_settings = false;
        app = std::make_unique<client::App>(config);
        ui = std::make_unique<ui::Ui>(*app, 1.0f);
        ui->track_items(true);
    }
    ~Headless() {
        app->tasks().drain();
        ui.reset();
        app.reset();
        ImGui::DestroyContext();
    }
    double frame() {
        if (ui->fonts_dirty()) {
            ui->build_fonts();
            unsigned char* pixels = nullptr;
            int w = 0, h = 0;
            ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        }
        now += 1.0 / 60.0;
        const auto start = Clock::now();
        ImGui::NewFrame();
        ui->frame();
        ImGui::Render();
        return ms_since(start);
    }
    void click(const std::string& label) {
        const auto it = ui->items().find(label);
        if (it == ui->items().end()) {
            std::fprintf(stderr, "bench_ui: no widget '%s' on screen\n", label.c_str());
            std::exit(1);
        }
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(it->second.cx(), it->second.cy());
        frame();
        io.MouseDown[0] = true;
        frame();
        io.MouseDown[0] = false;
        frame();
    }
};

struct FrameStats {
    double median = 0, p99 = 0;
};

FrameStats measure_frames(Headless& h, int count) {
    std::vector<double> times;
    for (int i = 0; i < 20; ++i) h.frame();  // settle (caches, first sort)
    for (int i = 0; i < count; ++i) {
        // Move the mouse a little, as a person would: hover changes, nothing else.
        ImGui::GetIO().MousePos = ImVec2(400.0f + static_cast<float>(i % 50), 400.0f);
        times.push_back(h.frame());
    }
    return {percentile(times, 0.5), percentile(times, 0.99)};
}

}  // namespace

int main(int argc, char** argv) {
    crypto::init();
    int entries = 10'000;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string_view(argv[i]) == "--entries") entries = std::atoi(argv[i + 1]);
    const auto dir = std::filesystem::temp_directory_path() / ("imrdesk-bench-ui-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);

    // A profile with one IMR holding `entries` chronology entries (the benchmark corpus).
    domain::Id imr;
    {
        client::CreateOptions options;
        options.kdf = crypto::kdf::insecure_fast_for_tests();
        auto created = client::Vault::create(client::vault_file(dir, "bench"), "bench passphrase here", options);
        client::Workspace ws(std::move(created.vault));
        domain::ImrHeader h;
        h.case_info.reference = "SAR BENCH";
        h.agency = "Bench Agency";
        h.adults = {{"Adult A", std::nullopt}};
        for (int q = 1; q <= 6; ++q) h.case_info.terms_of_reference.push_back({q, "Question " + std::to_string(q)});
        imr = ws.create_imr(h);
        const auto corpus = bench::make_corpus(static_cast<std::size_t>(entries), 0);
        std::vector<domain::ChronologyEntry> list;
        for (const auto& body : corpus.bodies) list.push_back(domain::entry_from_json(nlohmann::json::parse(body)));
        (void)ws.add_entries(imr, std::move(list));
    }

    std::printf("imrdesk UI benchmark (headless ImGui, 1366x768, font 18 px)\n\n");
    double compact_median = 0;  // the one-IMR chronology, one line per row: the nearest alternative
    {
        Headless h(dir);
        h.app->choose_profile("bench");
        h.app->unlock(crypto::SecureBuffer::copy_of("bench passphrase here"));
        h.app->tasks().drain();
        h.frame();
        h.app->open_imr(imr);
        h.app->settings().chronology_wrap = true;
        h.frame();
        h.app->show(client::ImrView::Chronology);
        const double first = h.frame();  // measures every row's height
        const auto sorted = measure_frames(h, 300);
        std::printf("Chronology view, %d entries                      median     p99\n", entries);
        std::printf("Reading layout (whole rows, wrapped)\n");
        std::printf("  first frame: every row measured               %6.3f ms\n", first);
        std::printf("  sorted by date (default)                     %6.3f ms %6.3f ms\n", sorted.median, sorted.p99);
        // Scrolling: the wheel turned over the table every frame.
        std::vector<double> scrolling;
        for (int i = 0; i < 300; ++i) {
            ImGui::GetIO().MousePos = ImVec2(400.0f, 400.0f);
            ImGui::GetIO().MouseWheel = -3.0f;
            scrolling.push_back(h.frame());
        }
        std::printf("  scrolling (wheel every frame)                %6.3f ms %6.3f ms\n", percentile(scrolling, 0.5),
                    percentile(scrolling, 0.99));
        // Resizing the window: every frame the columns change width and the rows are measured again.
        std::vector<double> resizing;
        for (int i = 0; i < 60; ++i) {
            ImGui::GetIO().DisplaySize = ImVec2(1366.0f - static_cast<float>(i % 30) * 8.0f, 768.0f);
            resizing.push_back(h.frame());
        }
        ImGui::GetIO().DisplaySize = ImVec2(1366.0f, 768.0f);
        std::printf("  resizing the window (rows measured again)    %6.3f ms %6.3f ms\n", percentile(resizing, 0.5),
                    percentile(resizing, 0.99));
        h.click(IMRDESK_BENCH_FILTER_LABEL);
        ImGui::GetIO().AddInputCharactersUTF8("son");
        h.frame();
        const auto filtered = measure_frames(h, 300);
        std::printf("  filtered by text ('son')                     %6.3f ms %6.3f ms\n", filtered.median, filtered.p99);

        // The nearest alternative: one line per row, through ImGui's list clipper.
        h.app->settings().chronology_wrap = false;
        const auto compact_filtered = measure_frames(h, 300);
        h.click("Clear filters");
        const auto compact = measure_frames(h, 300);
        std::printf("One line per row (ImGui's list clipper)\n");
        std::printf("  sorted by date                               %6.3f ms %6.3f ms\n", compact.median, compact.p99);
        std::printf("  filtered by text ('son')                     %6.3f ms %6.3f ms\n", compact_filtered.median,
                    compact_filtered.p99);
        std::printf("Reading layout / one line per row, sorted: %.2fx\n", sorted.median / compact.median);
        compact_median = compact.median;
        const double worst = std::max({sorted.median, filtered.median, percentile(scrolling, 0.5), compact.median});
        std::printf("\nGoal: median frame at most 2 ms in either layout, scrolling included: %s\n\n",
                    worst <= 2.0 ? "PASS" : "MISS");
    }

    {
        // The review team's merged chronology and timeline: five agencies' IMRs of one case, as a
        // reviewer's device holds them after a sync, `entries` rows in all.
        {
            client::CreateOptions options;
            options.kdf = crypto::kdf::insecure_fast_for_tests();
            auto created = client::Vault::create(client::vault_file(dir, "review"), "bench passphrase here", options);
            client::Workspace ws(std::move(created.vault));
            const std::array<const char*, 5> agencies = {"Northshire Police", "Northshire NHS Trust", "Northshire Council",
                                                         "Northshire Ambulance Service", "Northshire Homes"};
            const auto per_agency = static_cast<std::size_t>(entries) / agencies.size();
            for (std::size_t a = 0; a < agencies.size(); ++a) {
                domain::ImrHeader h;
                h.case_info.reference = "SAR MERGED";
                h.agency = agencies[a];
                h.adults = {{"Adult A", std::nullopt}};
                for (int q = 1; q <= 6; ++q) h.case_info.terms_of_reference.push_back({q, "Question " + std::to_string(q)});
                const auto id = ws.create_imr(h);
                const auto corpus = bench::make_corpus(per_agency, 0);
                std::vector<domain::ChronologyEntry> list;
                for (const auto& body : corpus.bodies) list.push_back(domain::entry_from_json(nlohmann::json::parse(body)));
                (void)ws.add_entries(id, std::move(list));
            }
            sync::CaseInfo info;
            info.reference = "SAR MERGED";
            info.title = "Benchmark case";
            for (const auto* a : agencies) info.agencies.push_back({a, true, sync::AgencyState::Submitted, 1, 1, 1});
            client::receive_as_reviewer(ws, std::move(info));
        }
        Headless h(dir);
        h.app->choose_profile("review");
        h.app->unlock(crypto::SecureBuffer::copy_of("bench passphrase here"));
        h.app->tasks().drain();
        h.frame();
        h.app->open_case("SAR MERGED");
        const double first = h.frame();  // the dashboard: the merged order, the lanes and the gaps worked out
        h.app->show(client::CaseView::Merged);
        h.frame();
        const auto merged = measure_frames(h, 300);
        h.click("merged row 3");
        const auto selected = measure_frames(h, 300);
        std::vector<double> scrolling;
        for (int i = 0; i < 300; ++i) {
            ImGui::GetIO().MousePos = ImVec2(400.0f, 300.0f);
            ImGui::GetIO().MouseWheel = -3.0f;
            scrolling.push_back(h.frame());
        }
        ImGui::GetIO().MouseWheel = 0;
        h.click("Merged filter");
        ImGui::GetIO().AddInputCharactersUTF8("son");
        const double refilter = h.frame() + h.frame();  // typed, then every row matched again
        const auto filtered = measure_frames(h, 300);
        h.click("Clear filters##merged");
        h.app->show(client::CaseView::Timeline);
        h.frame();
        const auto timeline = measure_frames(h, 300);
        h.click("Zoom in (+)");
        h.click("Zoom in (+)");
        h.click("Zoom in (+)");
        const auto zoomed = measure_frames(h, 300);
        std::vector<double> panning;
        for (int i = 0; i < 300; ++i) {
            ImGui::GetIO().MousePos = ImVec2(700.0f, 160.0f);
            ImGui::GetIO().MouseWheel = i % 2 == 0 ? 1.0f : -1.0f;  // zoom in and out about the pointer
            panning.push_back(h.frame());
        }
        ImGui::GetIO().MouseWheel = 0;
        std::printf("Review team, %d merged rows of 5 agencies           median     p99\n", entries);
        std::printf("  opening the case: merged order, lanes, gaps   %6.3f ms\n", first);
        std::printf("  merged chronology, still                     %6.3f ms %6.3f ms\n", merged.median, merged.p99);
        std::printf("  merged chronology, scrolling                 %6.3f ms %6.3f ms\n", percentile(scrolling, 0.5),
                    percentile(scrolling, 0.99));
        std::printf("  merged chronology, a row selected (detail)   %6.3f ms %6.3f ms\n", selected.median, selected.p99);
        std::printf("  typing a text filter (every row matched)     %6.3f ms\n", refilter);
        std::printf("  merged chronology, filtered by text ('son')  %6.3f ms %6.3f ms\n", filtered.median, filtered.p99);
        std::printf("  timeline, the whole period                   %6.3f ms %6.3f ms\n", timeline.median, timeline.p99);
        std::printf("  timeline, zoomed in 3 times                  %6.3f ms %6.3f ms\n", zoomed.median, zoomed.p99);
        std::printf("  timeline, zooming with the wheel every frame %6.3f ms %6.3f ms\n", percentile(panning, 0.5),
                    percentile(panning, 0.99));
        const double worst = std::max({merged.median, percentile(scrolling, 0.5), selected.median, filtered.median,
                                       timeline.median, zoomed.median, percentile(panning, 0.5)});
        std::printf("  beside the one-IMR chronology above (one line per row, sorted): %.2fx\n", merged.median / compact_median);
        std::printf("\nGoal: median frame of both views at most 2 ms: %s\n\n", worst <= 2.0 ? "PASS" : "MISS");
    }

    {
        // Keystroke to durable: the debounce, then one flush (a SQLite transaction, fsync'd).
        Headless h(dir);
        h.app->choose_profile("bench");
        h.app->unlock(crypto::SecureBuffer::copy_of("bench passphrase here"));
        h.app->tasks().drain();
        h.app->open_imr(imr);
        h.app->select_section("summary");
        std::vector<double> flush_ms;
        for (int i = 0; i < 200; ++i) {
            h.app->draft().text += "word ";
            h.app->draft_changed();
            h.now += client::App::kAutosaveDelay;
            const auto start = Clock::now();
            h.app->tick();  // the autosave is due: it runs here
            flush_ms.push_back(ms_since(start));
        }
        const double debounce = client::App::kAutosaveDelay * 1000.0;
        std::printf("Autosave, 200 keystrokes each followed by the pause that triggers it\n");
        std::printf("  write to durable (one transaction)   median %7.2f ms   p99 %7.2f ms\n", percentile(flush_ms, 0.5),
                    percentile(flush_ms, 0.99));
        std::printf("  keystroke to durable (1 s debounce)  median %7.0f ms   p99 %7.0f ms\n",
                    debounce + percentile(flush_ms, 0.5), debounce + percentile(flush_ms, 0.99));
    }
    std::filesystem::remove_all(dir);
    return 0;
}
