// Chronology import at scale: a 100,000-row CSV and the same rows as an .xlsx workbook, read and
// checked as `chronology import --dry-run` does (decode, separator, parse, heading row, column
// plan, every row's date and validation), each measured in a child process for wall time and peak
// resident memory. Side by side in the same run:
//   - the floor of the work: one pass over the bytes finding line ends (CSV), or inflating the
//     sheet's XML from the zip (xlsx), which any reader must do;
//   - the nearest alternative a support person would reach for: Python's csv module and
//     openpyxl in read-only mode, reading every cell (when /usr/bin/python3 has them).
//   bench_import [--rows N] [--reps N]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "imrdesk/client/chronology_source.hpp"
#include "imrdesk/shared/chronology_import.hpp"
#include "imrdesk/shared/csv.hpp"

using namespace imrdesk;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

const char* const kHeadings[] = {"Date/Time", "Agency", "Type of contact", "Source of information",
                                 "Details of contact/event", "Outcome / Action Taken", "Name and role of professional",
                                 "Comments/Analysis", "Location"};

std::vector<std::string> row_cells(std::size_t i) {
    static const char* const kEvents[] = {
        "Home visit by the district nurse; Mr A seen alone, said he was managing and declined help with meals.",
        "Telephone call from his daughter, worried that he had not been answering the door for three days.",
        "Outpatient appointment not attended (DNA); letter sent offering a new appointment in four weeks.",
        "Safeguarding concern raised by the ambulance crew after a fall at home; found on the floor overnight."};
    const int day = static_cast<int>(1 + i % 28), month = static_cast<int>(1 + (i / 28) % 12),
              year = static_cast<int>(2015 + (i / 336) % 10);
    char date[32];
    std::snprintf(date, sizeof date, "%02d/%02d/%04d %02d:%02d", day, month, year, static_cast<int>(8 + i % 10),
                  static_cast<int>(i % 60));
    return {date,
            i % 3 == 0 ? "Northshire Police" : "Northshire Integrated Care NHS Trust",
            i % 2 == 0 ? "Home visit" : "Telephone",
            "SystmOne consultation " + std::to_string(100000 + i),
            kEvents[i % 4],
            i % 5 == 0 ? "Referred to adult social care, \"urgent\"" : "No further action",
            "District nurse, band 6",
            i % 7 == 0 ? "A missed opportunity to ask about coercive control." : "",
            i % 4 == 0 ? "Flat 2, Mill Lane" : ""};
}

std::string make_csv(std::size_t rows) {
    std::string out;
    out.reserve(rows * 360);
    std::vector<std::string> fields(std::begin(kHeadings), std::end(kHeadings));
    csv::write_record(out, fields);
    for (std::size_t i = 0; i < rows; ++i) csv::write_record(out, row_cells(i));
    return out;
}

void make_xlsx(const fs::path& path, const fs::path& tmp, std::size_t rows) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    const std::string tmpdir = tmp.string();
    options.tmpdir = const_cast<char*>(tmpdir.c_str());
    lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Chronology");
    for (lxw_col_t c = 0; c < 9; ++c) worksheet_write_string(sheet, 0, c, kHeadings[c], nullptr);
    for (std::size_t i = 0; i < rows; ++i) {
        const auto cells = row_cells(i);
        for (lxw_col_t c = 0; c < 9; ++c)
            if (!cells[c].empty()) worksheet_write_string(sheet, static_cast<lxw_row_t>(i + 1), c, cells[c].c_str(), nullptr);
    }
    if (workbook_close(workbook) != LXW_NO_ERROR) throw std::runtime_error("libxlsxwriter could not write the workbook");
}

struct Measured {
    double seconds = 0;
    long peak_kib = 0;
    bool ok = false;
};

// Runs work in a child process (so its peak memory is its own) and returns the best of reps.
Measured measure(std::size_t reps, const std::function<bool()>& work) {
    Measured best;
    for (std::size_t r = 0; r < reps; ++r) {
        std::fflush(nullptr);  // else the child prints what the parent had buffered
        const auto start = Clock::now();
        const pid_t pid = ::fork();
        if (pid == 0) {
            bool ok = false;
            try {
                ok = work();
            } catch (const std::exception& e) {
                std::fprintf(stderr, "bench_import: %s\n", e.what());
            }
            std::fflush(nullptr);
            ::_exit(ok ? 0 : 1);
        }
        int status = 0;
        rusage usage{};
        ::wait4(pid, &status, 0, &usage);
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (!best.ok || seconds < best.seconds) best = {seconds, usage.ru_maxrss, ok};
        best.peak_kib = std::max(best.peak_kib, usage.ru_maxrss);
    }
    return best;
}

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool dry_run(const fs::path& file, std::size_t rows) {
    const auto loaded = client::load_chronology_file(file);
    domain::ImportChoices choices;
    choices.date_options.current_year = 2026;
    const auto preview = domain::preview_chronology(loaded.table, {}, choices);
    return preview.all_valid() && preview.rows.size() == rows;
}

bool have_python(const char* module) {
    const std::string command = std::string("/usr/bin/python3 -c 'import ") + module + "' >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

void row(const char* what, const Measured& m, const Measured& ours) {
    if (!m.ok) {
        std::printf("  %-46s  %s\n", what, "(failed or not available)");
        return;
    }
    std::printf("  %-46s %8.3f s %9.1f MiB   time %5.2fx  memory %5.2fx of ours\n", what, m.seconds,
                static_cast<double>(m.peak_kib) / 1024.0, m.seconds / ours.seconds,
                static_cast<double>(m.peak_kib) / static_cast<double>(ours.peak_kib));
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t rows = 100'000, reps = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--rows") == 0) rows = std::stoul(argv[i + 1]);
        else if (std::strcmp(argv[i], "--reps") == 0) reps = std::stoul(argv[i + 1]);
    }
    char dir_template[] = "/tmp/imrdesk-bench-import-XXXXXX";
    if (::mkdtemp(dir_template) == nullptr) return 1;
    const fs::path dir = dir_template;
    const fs::path csv_path = dir / "chronology.csv", xlsx_path = dir / "chronology.xlsx";
    {
        const std::string csv = make_csv(rows);
        std::ofstream(csv_path, std::ios::binary) << csv;
    }
    make_xlsx(xlsx_path, dir, rows);
    std::printf("bench_import: %zu rows, 9 columns; CSV %.1f MiB, xlsx %.1f MiB; best of %zu, each in a child process\n\n",
                rows, static_cast<double>(fs::file_size(csv_path)) / 1048576.0,
                static_cast<double>(fs::file_size(xlsx_path)) / 1048576.0, reps);

    // CSV
    const auto ours_csv = measure(reps, [&] { return dry_run(csv_path, rows); });
    const auto floor_csv = measure(reps, [&] {
        const std::string bytes = read_all(csv_path);
        std::size_t lines = 0;
        const char* const end = bytes.data() + bytes.size();
        for (const char* p = bytes.data();
             (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr; ++p)
            ++lines;
        return lines > rows;
    });
    const auto parse_csv = measure(reps, [&] {
        const std::string bytes = read_all(csv_path);
        return csv::parse(bytes).size() == rows + 1;
    });
    Measured python_csv;
    if (have_python("csv"))
        python_csv = measure(reps, [&] {
            const std::string command = "/usr/bin/python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1], newline=\"\", encoding=\"utf-8\"))); sys.exit(0 if len(r)==" +
                                        std::to_string(rows + 1) + " else 1)' " + csv_path.string();
            return std::system(command.c_str()) == 0;
        });
    std::printf("CSV, read and checked as chronology import --dry-run does:\n");
    std::printf("  %-46s %8.3f s %9.1f MiB   %.0f rows/s\n", "imrdesk dry run (decode, parse, plan, check)", ours_csv.seconds,
                static_cast<double>(ours_csv.peak_kib) / 1024.0, static_cast<double>(rows) / ours_csv.seconds);
    row("floor: read the bytes, find every line end", floor_csv, ours_csv);
    row("CSV parse alone (csv::parse)", parse_csv, ours_csv);
    row("Python csv module, every row in a list", python_csv, ours_csv);

    // xlsx
    const auto ours_xlsx = measure(reps, [&] { return dry_run(xlsx_path, rows); });
    const auto floor_xlsx = measure(reps, [&] {
        const std::string bytes = read_all(xlsx_path);
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
        if (archive == nullptr) return false;
        std::size_t total = 0;
        for (const char* part : {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"}) {
            zip_file_t* file = zip_fopen(archive, part, 0);
            if (file == nullptr) continue;
            std::vector<char> buffer(1 << 16);
            zip_int64_t n;
            while ((n = zip_fread(file, buffer.data(), buffer.size())) > 0) total += static_cast<std::size_t>(n);
            zip_fclose(file);
        }
        zip_close(archive);
        return total > 0;
    });
    Measured openpyxl;
    if (have_python("openpyxl"))
        openpyxl = measure(reps, [&] {
            const std::string command =
                "/usr/bin/python3 -c 'import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1], read_only=True); n=sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True)); sys.exit(0 if n==" +
                std::to_string(rows + 1) + " else 1)' " + xlsx_path.string();
            return std::system(command.c_str()) == 0;
        });
    std::printf("\nxlsx, the same rows:\n");
    std::printf("  %-46s %8.3f s %9.1f MiB   %.0f rows/s\n", "imrdesk dry run (unzip, XML, plan, check)", ours_xlsx.seconds,
                static_cast<double>(ours_xlsx.peak_kib) / 1024.0, static_cast<double>(rows) / ours_xlsx.seconds);
    row("floor: inflate the sheet and shared strings", floor_xlsx, ours_xlsx);
    row("openpyxl read-only, every row", openpyxl, ours_xlsx);
    fs::remove_all(dir);
    return ours_csv.ok && ours_xlsx.ok ? 0 : 1;
}
