// bench_sync: the sync protocol on loopback TLS 1.3 against an in-process imrdesk server, side by
// side with a raw TLS 1.3 transfer of the same bytes, in one run.
//
//   bench_sync [--entries N] [--reps N] [--devices N] [--rounds N] [--records N] [--quick]
//              [--skip-concurrent] [--postgres URI]
//
// Part 1: the initial push of an IMR with --entries chronology entries by an author's profile
// (a real vault), and its pull by a reviewer after the author endorsed and submitted it; each
// next to the same session over an in-memory Replica and a raw TLS transfer of the same record
// bodies. Part 2: one section changed after the initial sync: requests, round trips and bytes.
// Part 3: --devices devices sync at once (one thread each), --rounds times, against one server on
// SQLite; with --postgres URI (bench/run.sh starts a durable throwaway cluster) also against one
// server on PostgreSQL and two servers on one PostgreSQL database, side by side. Every repetition of
// parts 1 and 2 starts from an empty server. Prints medians, ratios and PASS/MISS per goal.
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/vfs.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <latch>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "corpus.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "raw_sqlite.hpp"
#include "imrdesk/shared/codec.hpp"
#include "sync_report.hpp"
#include "sync_support.hpp"
#include "sync_wire.hpp"

#include <libpq-fe.h>

namespace imrdesk::bench {
namespace {

namespace fs = std::filesystem;
using sync::Role;
using sync::server::TokenRequest;

struct Options {
    std::size_t entries = 10000;
    std::size_t reps = 3;
    std::size_t devices = 200;
    std::size_t rounds = 5;
    std::size_t records = 10;  // per device per round
    bool concurrent = true;
    std::string postgres;  // --postgres URI: part 3 also on PostgreSQL, with one server and with two
};

Options parse_options(int argc, char** argv) {
    Options o;
    bool quick = false;
    std::optional<std::size_t> reps, rounds;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--entries" && has_value) o.entries = std::stoul(argv[++i]);
        else if (arg == "--reps" && has_value) reps = std::stoul(argv[++i]);
        else if (arg == "--devices" && has_value) o.devices = std::stoul(argv[++i]);
        else if (arg == "--rounds" && has_value) rounds = std::stoul(argv[++i]);
        else if (arg == "--records" && has_value) o.records = std::stoul(argv[++i]);
        else if (arg == "--quick") quick = true;
        else if (arg == "--skip-concurrent") o.concurrent = false;
        else if (arg == "--postgres" && has_value) o.postgres = argv[++i];
        else throw std::invalid_argument("unknown argument '" + arg + "' (see the comment at the top of bench_sync.cpp)");
    }
    if (quick) {
        o.reps = 1;
        o.rounds = 2;
    }
    if (reps) o.reps = *reps;
    if (rounds) o.rounds = *rounds;
    if (o.entries == 0 || o.reps == 0 || o.records == 0) {
        throw std::invalid_argument("--entries, --reps and --records must be at least 1");
    }
    return o;
}

// A private directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "imrdesk-bench-sync-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a directory in " + pattern);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const noexcept { return path_; }

private:
    fs::path path_;
};

std::string filesystem_of(const fs::path& dir) {
    struct statfs s {};
    if (::statfs(dir.c_str(), &s) != 0) return "an unknown file system";
    std::string name;
    switch (static_cast<unsigned long>(s.f_type)) {
        case 0xEF53: name = "ext4"; break;
        case 0x01021994: name = "tmpfs (fsync costs nothing)"; break;
        case 0x9123683E: name = "btrfs"; break;
        case 0x58465342: name = "xfs"; break;
        case 0x794C7630: name = "overlayfs"; break;
        default: name = "file system type " + std::to_string(static_cast<unsigned long>(s.f_type)); break;
    }
    return name + " (" + dir.parent_path().string() + ")";
}

domain::Id random_id() {
    domain::Id id;
    RAND_bytes(id.bytes.data(), static_cast<int>(id.bytes.size()));
    return id;
}

sync::Bytes bytes_of(std::string_view s) { return sync::Bytes(s.begin(), s.end()); }

constexpr const char* kCase = "SAR 2026-03";
constexpr const char* kMemoryCase = "SAR 2026-04";
constexpr const char* kAppCase = "SAR 2026-05";
constexpr const char* kAgency = "Northshire Adult Social Care";
constexpr const char* kMemoryAgency = "Northshire Community Health";
constexpr const char* kAppAgency = "Northshire Ambulance Service";
constexpr const char* kBoard = "Northshire Safeguarding Adults Board";

// What a section says before and after the change (part 2): a realistic paragraph of analysis.
constexpr std::string_view kSectionBefore =
    "Between March and June 2023 the district nursing team visited Adult B eleven times to dress a pressure ulcer "
    "on her left heel. The visits were recorded in SystmOne. This section will set out what the nurses saw, what "
    "they recorded and whom they told, and will be completed once the interviews with the two named nurses and "
    "the caseload holder have taken place.";
constexpr std::string_view kSectionAfter =
    "Between March and June 2023 the district nursing team visited Adult B eleven times to dress a pressure ulcer "
    "on her left heel. Each visit was recorded in SystmOne, but the records show that her weight loss, the "
    "unopened post and the cold house were noted by three different nurses without being brought together, and "
    "no safeguarding concern was raised until the GP's referral on 14 June. The team's lone-working policy asks "
    "nurses to escalate signs of self-neglect to the caseload holder, yet the caseload holder changed twice in "
    "this period and the handover notes did not mention Adult B's refusal of a care package. This review finds "
    "that the information needed to recognise self-neglect was available to the agency from April, and that "
    "earlier escalation would have allowed a multi-agency meeting before her admission to hospital.";
constexpr std::string_view kChangedSection = "analysis.q1";
const std::vector<std::string> kSectionKeys{"summary", "analysis.q1", "analysis.q2", "analysis.q3", "analysis.tor.1"};

sync::server::CaseRecord case_record(const std::string& reference) {
    sync::server::CaseRecord c;
    c.reference = reference;
    c.title = "Safeguarding Adults Review concerning Adult B";
    c.terms_of_reference = {{1, "How well did agencies share information about Adult B's circumstances?"},
                            {2, "Were the risks of self-neglect recognised and assessed?"},
                            {3, "Was Adult B's mental capacity considered at key decisions?"},
                            {4, "How were Adult B's wishes and feelings sought and recorded?"},
                            {5, "Did agencies escalate concerns when they were not resolved?"},
                            {6, "What was the impact of staffing changes on continuity of care?"}};
    c.period_from = domain::CivilDate{2019, 1, 1};
    c.period_to = domain::CivilDate{2024, 12, 31};
    c.due = domain::CivilDate{2026, 9, 30};
    return c;
}

domain::ImrHeader imr_header(const std::string& reference, const std::string& agency) {
    domain::ImrHeader h;
    h.title = "Individual Management Review: " + agency;
    h.case_info.reference = reference;
    h.agency = agency;
    h.author_agency = agency;
    h.adults = {{"Adult B", domain::PartialDate::month(1950, 6)}};
    h.author_name = "A. Author";
    h.author_role = "Named nurse for safeguarding adults";
    h.author_contact = "a.author@example.org";
    h.author_independence = "No involvement in Adult B's care";
    h.records_examined = "SystmOne records, 2019-2024";
    h.staff_interviewed = "Two district nurses and the caseload holder";
    return h;
}

sync::SessionOptions session_options() {
    sync::SessionOptions o;
    o.client_name = "bench_sync";
    return o;
}

struct Observed {
    SessionSample sample;
    std::vector<sync::PushRecord> pushed;
    std::vector<sync::RemoteRecord> pulled;
};

// One sync_once through a TapReplica. Throws when the server refused anything.
Observed observe(sync::Replica& replica, const sync::SessionOptions& options, bool keep_bodies, bool detail,
                 const char* what) {
    TapReplica tap(replica, options, keep_bodies, detail);
    tap.begin();
    const auto start = Clock::now();
    auto report = sync::sync_once(tap, options);
    const double ms = ms_since(start);
    tap.end();
    if (!report.refusals.empty()) throw std::runtime_error(std::string(what) + ": the server refused: " + report.refusals.front());
    Observed o;
    o.sample = SessionSample{ms, tap.replica_ms(), std::move(report), tap.phases()};
    o.pushed = std::move(tap.pushed());
    o.pulled = std::move(tap.pulled());
    return o;
}

void enrol(sync::Replica& replica, InProcessServer& server, const TokenRequest& request, const std::string& name) {
    const auto report = sync::enrol(replica, server.code(request), name, session_options());
    if (!report.refusals.empty()) throw std::runtime_error("enrolling " + name + ": " + report.refusals.front());
}

RawTransfer raw(const sync::tls::ServerIdentity& identity, const std::vector<sync::Bytes>& bodies, Direction direction) {
    return raw_tls_transfer(identity, frame_bodies(bodies), bodies.size(), direction);
}

// The floor's storage work: the bodies written durably once on each side (client, then server).
void floor_writes(const std::vector<sync::Bytes>& bodies, const fs::path& dir, TransferSamples& t) {
    std::vector<std::string_view> views;
    views.reserve(bodies.size());
    for (const auto& b : bodies) views.emplace_back(reinterpret_cast<const char*>(b.data()), b.size());
    t.write_client_ms.push_back(write_rows_durably(dir / "floor-client.db", views));
    t.write_server_ms.push_back(write_rows_durably(dir / "floor-server.db", views));
}

// The IMR's content after enrolment, in one transaction as an import: the corpus's entries and
// the sections of part 2.
void fill_imr(client::Workspace& ws, const domain::Id& imr, const Corpus& corpus) {
    std::vector<domain::ChronologyEntry> entries;
    entries.reserve(corpus.bodies.size());
    for (const auto& body : corpus.bodies) entries.push_back(domain::entry_from_json(nlohmann::json::parse(body)));
    (void)ws.add_entries(imr, std::move(entries));
    for (const auto& key : kSectionKeys) {
        domain::SectionContent section;
        section.key = key;
        section.text = std::string(kSectionBefore);
        ws.save_section(imr, std::move(section));
    }
}

// Runs the app's session on a profile enrolled through its own VaultReplica (dropped first: the
// SyncService keeps one of its own, read from the vault).
AppSession app_session(VaultDevice& device, const char* what) {
    device.replica.reset();
    try {
        return run_app_session(*device.workspace, session_options());
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string(what) + ": " + e.what());
    }
}

// The pieces of part 1's sessions, timed on their own: the messages' encoding, the Store's work,
// the vault's refresh after a page.
Diagnostics run_diagnostics(const std::vector<sync::PushRecord>& records, const fs::path& dir, client::Workspace& reviewer,
                            const domain::Id& imr, const std::vector<domain::Id>& pulled_ids) {
    const auto options = session_options();
    Diagnostics d;
    d.records = records.size();
    std::vector<sync::Push> batches;
    for (std::size_t i = 0; i < records.size(); i += options.batch_records) {
        const auto end = records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), i + options.batch_records));
        batches.push_back(sync::Push{std::vector<sync::PushRecord>(records.begin() + static_cast<std::ptrdiff_t>(i), end)});
    }
    d.batches = batches.size();
    const auto payload = [](const sync::Bytes& frame) {
        return std::span<const std::uint8_t>(frame).subspan(sync::kFrameHeaderBytes);
    };

    auto start = Clock::now();
    std::vector<sync::Bytes> frames;
    for (const auto& b : batches) frames.push_back(sync::encode_frame(sync::encode_message(b)));
    d.encode_push_ms = ms_since(start);
    start = Clock::now();
    std::vector<sync::Push> decoded;
    for (const auto& f : frames) decoded.push_back(std::get<sync::Push>(sync::decode_message(payload(f))));
    d.decode_push_ms = ms_since(start);

    fs::create_directories(dir);
    sync::server::Store store(dir / "store.db");
    store.create_case(case_record(kCase));
    const auto token = store.issue_token({kCase, kAgency, Role::Author, "D. Diagnostics", 72});
    sync::PublicKey key{};
    key[0] = 1;
    const auto device = store.enrol(token.token, key, "diagnostics");
    start = Clock::now();
    std::vector<sync::PushResult> results;
    for (const auto& p : decoded) results.push_back(store.push(device, p));
    d.store_push_ms = ms_since(start);
    start = Clock::now();
    for (const auto& result : results) {
        const auto frame = sync::encode_frame(sync::encode_message(result));
        (void)sync::decode_message(payload(frame));
    }
    d.result_codec_ms = ms_since(start);

    start = Clock::now();
    std::vector<sync::PullResult> pages;
    for (std::uint64_t cursor = 0;;) {
        auto page = store.pull(device, sync::Pull{cursor, static_cast<std::uint32_t>(options.batch_records)}, 1000);
        cursor = page.next_cursor;
        const bool more = page.more;
        pages.push_back(std::move(page));
        if (!more) break;
    }
    d.store_pull_ms = ms_since(start);
    d.pages = pages.size();
    start = Clock::now();
    frames.clear();
    for (const auto& p : pages) frames.push_back(sync::encode_frame(sync::encode_message(p)));
    d.encode_pull_ms = ms_since(start);
    start = Clock::now();
    for (const auto& f : frames) (void)sync::decode_message(payload(f));
    d.decode_pull_ms = ms_since(start);

    std::vector<double> commits;
    for (int i = 0; i < 10; ++i) {
        start = Clock::now();
        store.log_refusal(std::nullopt, "bench_sync: a commit, timed");
        commits.push_back(ms_since(start));
    }
    d.commit_ms = median(commits);

    start = Clock::now();
    reviewer.reload_imrs({imr});
    d.reload_ms = ms_since(start);
    const std::size_t n = std::min<std::size_t>(pulled_ids.size(), 2000);
    start = Clock::now();
    for (std::size_t i = 0; i < n; ++i) (void)reviewer.vault().sync_record(pulled_ids[i]);
    d.sync_record_us = n > 0 ? ms_since(start) * 1000.0 / static_cast<double>(n) : 0;
    return d;
}

// Parts 1 and 2, once, on a new server.
void run_repetition(const Corpus& corpus, const fs::path& dir, const sync::tls::ServerIdentity& identity, SyncReport& r) {
    fs::create_directories(dir);
    sync::server::ServerOptions server_options;
    server_options.port = 0;
    InProcessServer server(dir / "server", identity, server_options);
    server.store().create_case(case_record(kCase));
    server.store().create_case(case_record(kMemoryCase));
    server.store().create_case(case_record(kAppCase));
    const auto options = session_options();

    // The author's profile, enrolled while its IMR holds only the header; then the IMR's content
    // (one transaction, as an import), which the measured session pushes.
    VaultDevice author(dir / "author.vault");
    auto& ws = *author.workspace;
    const domain::Id imr = ws.create_imr(imr_header(kCase, kAgency));
    enrol(*author.replica, server, {kCase, kAgency, Role::Author, "A. Author", 72}, "author's laptop");
    fill_imr(ws, imr, corpus);
    // The same, for the app's session (another agency in another case, so that it pushes as much).
    VaultDevice app_author(dir / "app-author.vault");
    const domain::Id app_imr = app_author.workspace->create_imr(imr_header(kAppCase, kAppAgency));
    enrol(*app_author.replica, server, {kAppCase, kAppAgency, Role::Author, "P. Author", 72}, "app author's laptop");
    fill_imr(*app_author.workspace, app_imr, corpus);
    // The reviewer's profiles (the Board): see the IMR once it is submitted; one pulls it as
    // imrdesk-cli does, the other through the app's SyncService.
    VaultDevice reviewer(dir / "reviewer.vault");
    enrol(*reviewer.replica, server, {kCase, kBoard, Role::Reviewer, "R. Reviewer", 72}, "reviewer's laptop");
    VaultDevice app_reviewer(dir / "app-reviewer.vault");
    enrol(*app_reviewer.replica, server, {kCase, kBoard, Role::Reviewer, "Q. Reviewer", 72}, "app reviewer's laptop");
    // Their in-memory twins, in the other case; the author's header goes up at enrolment, as above.
    MemoryReplica memory_author;
    const domain::Id memory_imr = random_id();
    memory_author.change(sync::PushRecord{memory_imr, memory_imr, domain::RecordKind::Imr, 0,
                                          bytes_of(corpus.header_body), false, kMemoryCase});
    enrol(memory_author, server, {kMemoryCase, kMemoryAgency, Role::Author, "M. Author", 72}, "memory author");
    MemoryReplica memory_reviewer;
    enrol(memory_reviewer, server, {kMemoryCase, kBoard, Role::Reviewer, "M. Reviewer", 72}, "memory reviewer");

    // --- 1a. the initial push: vault, memory, raw
    auto push = observe(*author.replica, options, true, false, "the initial push");
    std::vector<sync::Bytes> pushed_bodies;
    pushed_bodies.reserve(push.pushed.size());
    r.push.records = push.pushed.size();
    r.push.body_bytes = 0;
    for (auto& p : push.pushed) {
        r.push.body_bytes += p.body.size();
        sync::PushRecord twin = p;
        twin.id = p.kind == domain::RecordKind::Imr ? memory_imr : random_id();
        twin.imr_id = memory_imr;
        twin.case_reference = p.kind == domain::RecordKind::Imr ? kMemoryCase : "";
        memory_author.change(std::move(twin));
        pushed_bodies.push_back(p.body);
    }
    r.push.vault.push_back(std::move(push.sample));
    r.push.app.push_back(app_session(app_author, "the app's push"));
    r.push.memory.push_back(observe(memory_author, options, false, false, "the in-memory push").sample);
    r.push.raw.push_back(raw(identity, pushed_bodies, Direction::Up));
    floor_writes(pushed_bodies, dir, r.push);
    r.cipher = r.push.raw.back().cipher;
    pushed_bodies.clear();

    // --- 2. one section changed: the author's profile sends it, the author's other device gets it
    MemoryReplica desk;
    enrol(desk, server, {kCase, kAgency, Role::Author, "A. Author", 72}, "author's desktop");
    {
        domain::SectionContent section;
        section.key = std::string(kChangedSection);
        section.text = std::string(kSectionAfter);
        ws.save_section(imr, section);
        r.change.text_bytes = kSectionAfter.size();
        r.change.body_bytes = domain::to_json(section).dump().size();
    }
    r.change.author.push_back(observe(*author.replica, options, false, true, "the changed section").sample);
    r.change.other.push_back(observe(desk, options, false, true, "the other device's pull").sample);

    // --- the author endorses and submits (the reviewer can read the IMR from then on)
    {
        domain::Endorsement endorsement;
        endorsement.officer_name = "S. Senior";
        endorsement.officer_role = "Head of Adult Safeguarding";
        endorsement.declaration = domain::default_endorsement_declaration();
        endorsement.date = domain::CivilDate{2026, 5, 1};
        ws.endorse(imr, std::move(endorsement));
        author.replica->queue_submit(imr);
        auto submit = observe(*author.replica, options, false, false, "the submission");
        if (submit.sample.report.submitted != 1) throw std::runtime_error("the IMR was not submitted");
        r.submit_vault.push_back(std::move(submit.sample));
        memory_author.queue_submit(sync::Submit{memory_imr, sync::Sha256{}});
        auto memory_submit = observe(memory_author, options, false, false, "the in-memory submission");
        if (memory_submit.sample.report.submitted != 1) throw std::runtime_error("the in-memory IMR was not submitted");
        r.submit_memory.push_back(std::move(memory_submit.sample));
    }

    // --- 1b. the reviewer's pull: vault, app, memory, raw
    const std::uint64_t generation_before = reviewer.workspace->reloads();
    auto pull = observe(*reviewer.replica, options, true, false, "the reviewer's pull");
    r.pull.reloads.push_back(static_cast<double>(reviewer.workspace->reloads() - generation_before));
    std::vector<sync::Bytes> pulled_bodies;
    std::vector<domain::Id> pulled_ids;
    pulled_bodies.reserve(pull.pulled.size());
    r.pull.records = pull.pulled.size();
    r.pull.body_bytes = 0;
    for (auto& p : pull.pulled) {
        r.pull.body_bytes += p.body.size();
        pulled_bodies.push_back(std::move(p.body));
        pulled_ids.push_back(p.id);
    }
    r.pull.vault.push_back(std::move(pull.sample));
    r.pull.app.push_back(app_session(app_reviewer, "the app's pull"));
    if (app_reviewer.workspace->find(imr) == nullptr ||
        app_reviewer.workspace->find(imr)->entries.size() != corpus.bodies.size())
        throw std::runtime_error("the app's pull did not bring every entry into the model");
    r.pull.memory.push_back(observe(memory_reviewer, options, false, false, "the in-memory pull").sample);
    r.pull.raw.push_back(raw(identity, pulled_bodies, Direction::Down));
    floor_writes(pulled_bodies, dir, r.pull);

    r.diagnostics.push_back(run_diagnostics(push.pushed, dir / "diagnostics", *reviewer.workspace, imr, pulled_ids));
}

// --- part 3 -----------------------------------------------------------------------------------------

struct FleetDevice {
    MemoryReplica replica;
    std::size_t agency = 0;
    std::vector<domain::Id> records;  // the records this device edits
};

// CPU time of the process, every thread.
double cpu_ms() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// Runs `session` for every device at once, one thread each, all released together.
Wave run_wave(std::string label, std::vector<std::unique_ptr<FleetDevice>>& fleet,
              const std::function<sync::SessionReport(FleetDevice&, std::size_t)>& session,
              std::vector<std::string>& error_samples) {
    const std::size_t n = fleet.size();
    std::vector<double> latency(n, 0.0);
    std::vector<std::string> errors(n);
    std::vector<sync::SessionReport> reports(n);
    std::latch go(1);
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        threads.emplace_back([&, i] {
            go.wait();
            const auto start = Clock::now();
            try {
                reports[i] = session(*fleet[i], i);
                if (!reports[i].refusals.empty()) errors[i] = "refused: " + reports[i].refusals.front();
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
            latency[i] = ms_since(start);
        });
    }
    Wave w;
    w.label = std::move(label);
    const auto before = wire::now();
    const double cpu_before = cpu_ms();
    const auto start = Clock::now();
    go.count_down();
    for (auto& t : threads) t.join();
    w.wall_ms = ms_since(start);
    w.cpu_ms = cpu_ms() - cpu_before;
    w.tcp = wire::now() - before;
    w.sessions = n;
    w.latency_ms = std::move(latency);
    std::set<std::string> distinct;
    for (std::size_t i = 0; i < n; ++i) {
        if (!errors[i].empty()) {
            ++w.errors;
            if (distinct.insert(errors[i]).second && error_samples.size() < 5) error_samples.push_back(w.label + ": " + errors[i]);
        }
        w.conflicts += reports[i].push_conflicts;
        w.pushed += reports[i].pushed;
        w.pulled += reports[i].pulled;
    }
    return w;
}

// A fresh schema in the cluster's database for one setup.
sync::server::StoreLocation postgres_schema(const std::string& uri, const std::string& name) {
    PGconn* conn = PQconnectdb(uri.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string why = PQerrorMessage(conn);
        PQfinish(conn);
        throw std::runtime_error("--postgres " + uri + ": " + why);
    }
    PGresult* r = PQexec(conn, ("DROP SCHEMA IF EXISTS " + name + " CASCADE; CREATE SCHEMA " + name).c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    const std::string why = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(conn);
    if (!ok) throw std::runtime_error("--postgres: " + why);
    return {sync::server::StoreLocation::Kind::Postgres,
            uri + (uri.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name};
}

struct StoreSetup {
    std::string label;
    sync::server::StoreLocation store;
    std::size_t servers = 1;
};

ConcurrentReport run_concurrent(const Options& o, const Corpus& corpus, const StoreSetup& setup,
                                const sync::tls::ServerIdentity& identity) {
    sync::server::ServerOptions server_options;  // the defaults, but for the port and the per-address limits
    server_options.port = 0;
    // Every device here connects from 127.0.0.1, as a whole board behind one NAT would: the guards
    // against one hostile address (32 connections, 128 before login) would refuse most of a fleet
    // that starts at the same instant. They are tested in tests/e2e/test_sync_faults.cpp.
    server_options.max_connections_per_address = server_options.max_connections;
    server_options.max_unauthenticated = server_options.max_connections;
    ConcurrentReport c;
    c.store = setup.label;
    c.servers = setup.servers;
    c.devices = o.devices;
    c.cases = 5;
    c.agencies = 20;
    c.records_per_session = o.records;
    c.server_threads = server_options.threads;
    c.max_connections = server_options.max_connections;
    c.max_per_address = server_options.max_connections_per_address;
    c.requests_per_minute = server_options.requests_per_minute;
    if (o.devices > server_options.max_connections) {
        std::fprintf(stderr, "  note: %zu devices exceed max_connections %zu: some will be refused\n", o.devices,
                     server_options.max_connections);
    }
    std::vector<std::unique_ptr<InProcessServer>> servers;
    for (std::size_t n = 0; n < setup.servers; ++n)
        servers.push_back(std::make_unique<InProcessServer>(setup.store, identity, server_options));
    auto& server = *servers.front();
    std::vector<std::string> cases, agencies;
    std::vector<domain::Id> imrs;
    for (std::size_t k = 0; k < c.cases; ++k) {
        cases.push_back("SAR 2026-1" + std::to_string(k));
        server.store().create_case(case_record(cases.back()));
    }
    for (std::size_t a = 0; a < c.agencies; ++a) {
        agencies.push_back("Agency " + std::to_string(a + 1));
        imrs.push_back(random_id());
    }
    const auto case_of = [&](std::size_t agency) { return cases[agency * c.cases / c.agencies]; };

    std::vector<std::unique_ptr<FleetDevice>> fleet;
    std::vector<sync::EnrolmentCode> codes;
    const auto tokens_start = Clock::now();
    for (std::size_t d = 0; d < o.devices; ++d) {
        auto device = std::make_unique<FleetDevice>();
        device->agency = d % c.agencies;
        for (std::size_t k = 0; k < o.records; ++k) device->records.push_back(random_id());
        if (d < c.agencies) {  // the agency's first device brings the IMR header
            device->replica.change(sync::PushRecord{imrs[device->agency], imrs[device->agency], domain::RecordKind::Imr, 0,
                                                    bytes_of(corpus.header_body), false, case_of(device->agency)});
        }
        // Devices alternate between the servers (as a load balancer would spread them).
        codes.push_back(servers[d % servers.size()]->code({case_of(device->agency), agencies[device->agency], Role::Author,
                                                           "Author " + std::to_string(d + 1), 72}));
        fleet.push_back(std::move(device));
    }
    c.tokens_ms = ms_since(tokens_start);
    const auto options = session_options();

    std::fprintf(stderr, "  part 3: enrolling %zu devices at once\n", o.devices);
    c.enrol = run_wave("enrolment (+ first sync)", fleet,
                       [&](FleetDevice& d, std::size_t i) {
                           return sync::enrol(d.replica, codes[i], "device " + std::to_string(i + 1), options);
                       },
                       c.error_samples);
    for (std::size_t round = 0; round < o.rounds; ++round) {
        for (std::size_t d = 0; d < fleet.size(); ++d) {
            auto& device = *fleet[d];
            for (std::size_t k = 0; k < device.records.size(); ++k) {
                const auto& body = corpus.bodies[(d * 31 + k * 7 + round * 101) % corpus.bodies.size()];
                device.replica.change(sync::PushRecord{device.records[k], imrs[device.agency],
                                                       domain::RecordKind::ChronologyEntry, 0, bytes_of(body), false, ""});
            }
        }
        std::fprintf(stderr, "  part 3: round %zu of %zu\n", round + 1, o.rounds);
        c.rounds.push_back(run_wave("round " + std::to_string(round + 1) + " (" + std::to_string(o.records) + " changes each)",
                                    fleet, [&](FleetDevice& d, std::size_t) { return sync::sync_once(d.replica, options); },
                                    c.error_samples));
    }
    c.catch_up = run_wave("catch-up (no changes)", fleet,
                          [&](FleetDevice& d, std::size_t) { return sync::sync_once(d.replica, options); }, c.error_samples);
    for (const auto& device : fleet) {
        const auto link = device->replica.link();
        if (!link || device->replica.queued() != 0) continue;
        if (device->replica.digest() == server.store().digest(link->device_id).digest) ++c.converged;
    }
    return c;
}

int run(int argc, char** argv) {
    const Options o = parse_options(argc, argv);
    crypto::init();
    ::signal(SIGPIPE, SIG_IGN);
    const TempDir dir;
    std::fprintf(stderr, "bench_sync: %zu entries, %zu repetitions, %zu devices x %zu rounds in %s\n", o.entries, o.reps,
                 o.concurrent ? o.devices : 0, o.rounds, dir.path().c_str());
    const auto started = Clock::now();

    SyncReport report;
    report.reps = o.reps;
    report.entries = o.entries;
    report.sections = kSectionKeys.size();
    report.filesystem = filesystem_of(dir.path());
    report.openssl = OpenSSL_version(OPENSSL_VERSION);
    const auto corpus = make_corpus(o.entries, 0);
    const auto identity = sync::tls::create_identity();

    for (std::size_t rep = 0; rep < o.reps; ++rep) {
        run_repetition(corpus, dir.path() / ("rep" + std::to_string(rep)), identity, report);
        std::error_code ignored;
        fs::remove_all(dir.path() / ("rep" + std::to_string(rep)), ignored);
        std::fprintf(stderr, "  repetition %zu of %zu done (%.1f s)\n", rep + 1, o.reps, ms_since(started) / 1000.0);
    }
    report.wire_counted = wire::calls_seen() > 0 && report.push.vault.front().tcp().total() > 0;
    if (o.concurrent) {
        std::vector<StoreSetup> setups{{"one server on SQLite", sync::server::StoreLocation::sqlite(dir.path() / "fleet" / "store.db"), 1}};
        if (!o.postgres.empty()) {
            setups.push_back({"one server on PostgreSQL", postgres_schema(o.postgres, "bench_one"), 1});
            setups.push_back({"two servers on one PostgreSQL", postgres_schema(o.postgres, "bench_two"), 2});
        }
        for (const auto& setup : setups) {
            std::fprintf(stderr, "  part 3: %s\n", setup.label.c_str());
            report.concurrent.push_back(run_concurrent(o, corpus, setup, identity));
        }
    }
    print_report(report);
    std::fprintf(stderr, "bench_sync: done in %.1f s\n", ms_since(started) / 1000.0);
    return 0;
}

}  // namespace
}  // namespace imrdesk::bench

int main(int argc, char** argv) {
    try {
        return imrdesk::bench::run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_sync: %s\n", e.what());
        return 1;
    }
}
