// Exports at scale: an IMR whose chronology has 10,000 entries (the bench corpus: 300-600 bytes
// of prose each), written as the whole IMR in Word and the chronology in Excel, as written and
// anonymised. Beside it in the same run, the floor of the work: the same text compressed once
// with zlib into a zip (what any .docx/.xlsx writer must at least do). Goal: the IMR's .docx in
// under 2 s. LibreOffice is not timed here: it takes minutes to lay out a 10,000-row table
// (tests/docformats measures 1,000 rows).
//   bench_export [--entries N] [--reps N]
#include <zip.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "imrdesk/client/exports.hpp"
#include "imrdesk/shared/codec.hpp"

using namespace imrdesk;

namespace {

client::ImrDocument make_document(const bench::Corpus& corpus) {
    client::ImrDocument doc;
    doc.id = corpus.imr;
    doc.header = domain::imr_from_json(domain::parse_body(corpus.header_body, domain::RecordKind::Imr));
    for (std::size_t i = 0; i < corpus.ids.size(); ++i)
        doc.entries.push_back({corpus.ids[i], domain::entry_from_json(domain::parse_body(corpus.bodies[i], domain::RecordKind::ChronologyEntry))});
    std::stable_sort(doc.entries.begin(), doc.entries.end(),
                     [](const auto& a, const auto& b) { return a.value.date.first_day() < b.value.date.first_day(); });
    doc.names.push_back({domain::Id{}, {"Quillfeather", "Adult B", nlohmann::json::object()}});
    doc.names.push_back({domain::Id{}, {"Dr Patel", "GP1", nlohmann::json::object()}});
    return doc;
}

// The floor: every entry's text once, deflated into one zip entry.
std::size_t zip_floor(const client::ImrDocument& doc) {
    std::string text;
    for (const auto& e : doc.entries) text += e.value.source + e.value.event + e.value.action + e.value.comment;
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_source_keep(out);
    zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    zip_source_t* data = zip_source_buffer(archive, text.data(), text.size(), 0);
    zip_file_add(archive, "text", data, ZIP_FL_OVERWRITE);
    zip_close(archive);
    zip_source_open(out);
    zip_source_seek(out, 0, SEEK_END);
    const auto size = static_cast<std::size_t>(zip_source_tell(out));
    zip_source_close(out);
    zip_source_free(out);
    return size;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t entries = 10'000, reps = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--entries") == 0) entries = std::stoul(argv[i + 1]);
        else if (std::strcmp(argv[i], "--reps") == 0) reps = std::stoul(argv[i + 1]);
    }
    const auto corpus = bench::make_corpus(entries, 0);
    const auto doc = make_document(corpus);
    std::printf("bench_export: an IMR with %zu chronology entries; median of %zu runs\n\n", entries, reps);
    auto time = [&](auto&& work) {
        std::vector<double> ms;
        std::size_t bytes = 0;
        for (std::size_t r = 0; r < reps; ++r) {
            const auto start = bench::Clock::now();
            bytes = work();
            ms.push_back(bench::ms_since(start));
        }
        return std::pair{bench::median(ms), bytes};
    };
    const auto [floor_ms, floor_bytes] = time([&] { return zip_floor(doc); });
    std::printf("  %-52s %9.1f ms %9.1f KiB\n", "floor: the entries' text deflated into a zip", floor_ms,
                static_cast<double>(floor_bytes) / 1024.0);
    struct Case {
        const char* what;
        client::ExportFormat format;
        bool anonymised;
    };
    const Case cases[] = {{"the IMR as Word (.docx)", client::ExportFormat::ImrDocx, false},
                          {"the IMR as Word, anonymised", client::ExportFormat::ImrDocx, true},
                          {"the chronology as Excel (.xlsx)", client::ExportFormat::ChronologyXlsx, false},
                          {"the chronology as a Word table (.docx)", client::ExportFormat::ChronologyDocx, false},
                          {"the chronology as CSV", client::ExportFormat::ChronologyCsv, false}};
    for (const auto& c : cases) {
        client::ExportOptions options;
        options.anonymised = c.anonymised;
        const auto [ms, bytes] = time([&] { return client::export_bytes(doc, domain::ImrTemplate::builtin(), c.format, options).size(); });
        std::printf("  %-52s %9.1f ms %9.1f KiB   %5.1fx the floor%s\n", c.what, ms, static_cast<double>(bytes) / 1024.0,
                    ms / floor_ms, c.format == client::ExportFormat::ImrDocx && !c.anonymised ? (ms < 2000 ? "   (goal < 2 s: met)" : "   (goal < 2 s: NOT met)") : "");
    }
    return 0;
}
