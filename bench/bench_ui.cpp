// The kiosk UI's own costs, headless (an ImGui context with no window):
//  - CPU time of one frame of the chronology view with 10,000 entries, in the reading layout
//    (whole rows, wrapped: first frame, still, scrolling, resizing) and one line per row: sorted by date (the
//    default), filtered by text, and sorted by another column; goal: median at most 2 ms;
//  - keystroke-to-durable autosave latency: the 1 s debounce plus the time to make the section
//    durable (one SQLite transaction with synchronous=FULL), median and 99th percentile.
// The idle CPU of the real window is measured by bench/idle_cpu.sh.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <imgui.h>

#include "corpus.hpp"
#include "imrdesk/client/app.hpp"
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
        const double worst = std::max({sorted.median, filtered.median, percentile(scrolling, 0.5), compact.median});
        std::printf("\nGoal: median frame at most 2 ms in either layout, scrolling included: %s\n\n",
                    worst <= 2.0 ? "PASS" : "MISS");
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
