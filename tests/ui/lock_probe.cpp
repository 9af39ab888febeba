// imrdesk_lock_probe: the real UI, headless, as the subject of the lock-memory test
// (tests/e2e/test_lock_memory.cpp), which reads this process's memory through /proc/PID/mem.
//
// It is built as the programs are (the zeroing heap, ImGui's zeroing allocator, hardening) and
// takes its secrets on standard input, so that no copy of them sits in argv, the environment or
// the binary:  PASSPHRASE \n SECTION_MARKER \n ENTRY_MARKER \n
// Then, speaking on standard output:
//   1. creates a profile with that passphrase holding the demo IMR, unlocks it by typing the
//      passphrase, types the first marker into Summary and the second into the first chronology
//      entry, lets autosave run, and says "typed";
//   2. on "lock", presses Ctrl+L, draws a few frames and says "locked";
//   3. exits at the end of its input.
// With --large, the demo IMR also holds test::kBulkEntries more entries (a vault read in two halves
// and decoded on every core). With --review, the profile is the review team's demo instead: the probe opens the case, reads a
// merged row, types the first marker into the review team's note on it and the second into a
// query it raises, clicks a timeline mark and opens what the police's version 2 changed.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include <unistd.h>

#include "bulk_entries.hpp"
#include "harness.hpp"
#include "imrdesk/client/demo.hpp"
#include "imrdesk/client/profiles.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/platform/process.hpp"
#include "imrdesk/sync/tls.hpp"

namespace {

char input[1024];  // wiped as soon as what it holds has been typed

// Reads until `lines` newlines have arrived in total (or end of input).
std::size_t read_lines(std::size_t used, int lines) {
    auto count = [&] { return static_cast<int>(std::count(input, input + used, '\n')); };
    while (count() < lines && used < sizeof input) {
        const ssize_t n = ::read(0, input + used, sizeof input - used);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        used += static_cast<std::size_t>(n);
    }
    return used;
}

void say(std::string_view what) {
    const std::string line = std::string(what) + "\n";
    if (::write(1, line.data(), line.size()) < 0) std::_Exit(3);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace imrdesk;
    sync::tls::zero_freed_memory();
    platform::harden_process();
    crypto::init();
    try {
        std::size_t used = read_lines(0, 3);
        std::string_view all(input, used);
        const auto first = all.find('\n');
        const auto second = all.find('\n', first + 1);
        const auto third = all.find('\n', second + 1);
        if (third == std::string_view::npos) {
            std::fprintf(stderr, "lock_probe: expected three lines on standard input\n");
            return 2;
        }
        const std::string_view passphrase = all.substr(0, first);
        const std::string_view section_marker = all.substr(first + 1, second - first - 1);
        const std::string_view entry_marker = all.substr(second + 1, third - second - 1);

        const bool review = argc > 1 && std::string_view(argv[1]) == "--review";
        const bool large = argc > 1 && std::string_view(argv[1]) == "--large";
        test::UiHarness h;
        {
            client::CreateOptions options;
            options.kdf = crypto::kdf::insecure_fast_for_tests();
            auto created = client::Vault::create(client::vault_file(h.data_dir(), "probe"), passphrase, options);
            client::Workspace ws(std::move(created.vault));
            if (review) client::populate_review_demo(ws);
            else client::populate_demo(ws);
            if (large) {
                std::vector<domain::ChronologyEntry> bulk;
                for (int i = 0; i < test::kBulkEntries; ++i) {
                    domain::ChronologyEntry e;
                    e.date = domain::PartialDate::day(2026 + i / 400, 1 + i % 12, 1 + i % 28);  // after the demo's own
                    e.source = "Bulk record " + std::to_string(i);
                    e.event = test::bulk_entry_event(i);
                    bulk.push_back(std::move(e));
                }
                (void)ws.add_entries(ws.imrs().front().id, std::move(bulk));
            }
        }
        h.app().refresh_profiles();
        h.app().choose_profile("probe");
        h.frame(2);
        h.click("Passphrase");
        h.type(std::string(passphrase));
        h.click("Unlock");
        h.settle();
        if (!h.app().unlocked()) {
            std::fprintf(stderr, "lock_probe: the profile did not unlock\n");
            return 1;
        }
        if (review) {
            h.frame(2);
            h.click("Open case SAR 2025-07");
            h.click("What changed Northshire Police");
            h.click("Merged chronology");
            h.click("merged row 0");
            h.click("Review note");
            h.type(std::string(section_marker));
            h.click("Save note");
            h.click("Raise a query on this entry");
            h.click("Query text");
            h.type(std::string(entry_marker));
            h.click("Send query");
            h.click("Timeline");
            for (const auto& item : h.ui().items())
                if (item.first.rfind("mark ", 0) == 0) {
                    h.click(item.first);
                    break;
                }
            bool note_saved = false, query_saved = false;
            for (const auto& doc : h.app().workspace().imrs()) {
                for (const auto& n : doc.review_notes) note_saved |= n.value.text.find(section_marker) != std::string::npos;
                for (const auto& q : doc.queries) query_saved |= q.value.text.find(entry_marker) != std::string::npos;
            }
            ::explicit_bzero(input, sizeof input);
            if (!note_saved || !query_saved) {
                std::fprintf(stderr, "lock_probe: the review note or the query was not saved\n");
                return 1;
            }
        } else {
        const auto imr = h.app().workspace().imrs().front().id;
        h.app().open_imr(imr);
        h.frame(2);
        h.click("nav:summary");
        h.click("Section text");
        h.press(269);  // End
        h.type(" " + std::string(section_marker));
        h.advance(1.5);
        h.frame(2);

        h.click("Chronology");
        const auto entry = h.app().workspace().get(imr).entries.front().id;
        h.click("entry:" + entry.hex());
        h.click("Event / contact details");
        h.press(269);
        h.type(" " + std::string(entry_marker));
        h.advance(1.5);
        h.frame(2);
        const auto& saved = h.app().workspace().get(imr);
        const bool section_saved = saved.section("summary")->value.text.find(section_marker) != std::string::npos;
        const bool entry_saved = saved.entry(entry)->value.event.find(entry_marker) != std::string::npos;
        ::explicit_bzero(input, sizeof input);
        if (!section_saved || !entry_saved) {
            std::fprintf(stderr, "lock_probe: autosave did not keep what was typed (%s)\n",
                         section_saved ? "the chronology entry" : "Summary");
            return 1;
        }
        }
        say("typed");

        used = read_lines(0, 1);
        ::explicit_bzero(input, sizeof input);
        h.press_ctrl('L');
        h.frame(3);
        if (h.app().unlocked()) {
            std::fprintf(stderr, "lock_probe: Ctrl+L did not lock\n");
            return 1;
        }
        say("locked");
        while (read_lines(0, 1) > 0) ::explicit_bzero(input, sizeof input);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lock_probe: %s\n", e.what());
        return 1;
    }
}
