#include "sync_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>

#include "corpus.hpp"

namespace imrdesk::bench {
namespace {

// 1234567.8 -> "1,234,568" (appending only: see report.cpp on GCC 12's -Wrestrict).
std::string grouped(double value) {
    const long long rounded = std::llround(value);
    const std::string digits = std::to_string(rounded < 0 ? -rounded : rounded);
    std::string out = rounded < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string spread(const std::vector<double>& samples) {
    if (samples.empty()) return "-";
    const auto [lo, hi] = std::minmax_element(samples.begin(), samples.end());
    std::string text = fixed(*lo, 1);
    text += '-';
    text += fixed(*hi, 1);
    return text;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(index, v.size() - 1)];
}

template <typename T, typename F>
std::vector<double> each(const std::vector<T>& samples, F&& f) {
    std::vector<double> out;
    out.reserve(samples.size());
    for (const auto& s : samples) out.push_back(static_cast<double>(f(s)));
    return out;
}

template <typename T, typename F>
double med(const std::vector<T>& samples, F&& f) {
    return median(each(samples, std::forward<F>(f)));
}

std::string ratio(double a, double b) { return b > 0 ? fixed(a / b, 2) : "-"; }

void row(std::string_view label, const std::string& a, const std::string& b, const std::string& c,
         const std::string& d = "", const std::string& e = "") {
    std::printf("  %-46.*s %13s %13s %13s %10s %11s\n", static_cast<int>(label.size()), label.data(), a.c_str(), b.c_str(),
                c.c_str(), d.c_str(), e.c_str());
}

void row2(std::string_view label, const std::string& a, const std::string& b) {
    std::printf("  %-52.*s %26s %26s\n", static_cast<int>(label.size()), label.data(), a.c_str(), b.c_str());
}

void line(std::string_view label, const std::string& value, const std::string& extra = "") {
    std::printf("  %-72.*s %13s  %s\n", static_cast<int>(label.size()), label.data(), value.c_str(), extra.c_str());
}

struct Goal {
    std::string what;
    std::string measured;
    bool met;
};

// Part 1, one direction. Returns its two goals (vault against raw).
std::vector<Goal> transfer_block(std::string_view title, std::string_view name, const TransferSamples& t) {
    std::printf("%.*s\n", static_cast<int>(title.size()), title.data());
    if (t.vault.empty() || t.memory.empty() || t.raw.empty()) {
        std::printf("  (not measured)\n");
        return {};
    }
    const auto ms = [](const SessionSample& s) { return s.ms; };
    const double v = med(t.vault, ms), m = med(t.memory, ms), r = med(t.raw, [](const RawTransfer& x) { return x.ms; });
    row("time, ms (median)", fixed(v, 1), fixed(m, 1), fixed(r, 1), ratio(v, r), ratio(m, r));
    row("time, ms (min-max)", spread(each(t.vault, ms)), spread(each(t.memory, ms)),
        spread(each(t.raw, [](const RawTransfer& x) { return x.ms; })));
    // The floor: what any sync of these bodies must do, measured in the same run.
    const double wc = median(t.write_client_ms), ws = median(t.write_server_ms);
    const double floor = median(t.floor_ms());
    const auto app_ms = [](const AppSession& a) { return a.ms; };
    const double a = t.app.empty() ? 0 : med(t.app, app_ms);
    std::printf("  floor: raw TLS %s ms + a durable SQLite write of the bodies on the client %s ms and on the\n"
                "         server %s ms (one transaction each, synchronous=FULL, the vault's table) = %s ms\n",
                fixed(r, 1).c_str(), fixed(wc, 1).c_str(), fixed(ws, 1).c_str(), fixed(floor, 1).c_str());
    std::printf("  sync as imrdesk-cli runs it (VaultReplica + Workspace)       %9s ms  %6s x the floor\n",
                fixed(v, 1).c_str(), ratio(v, floor).c_str());
    if (!t.app.empty()) {
        std::printf("  sync through the app (SyncService, UI thread at 60 Hz)      %9s ms  %6s x the floor"
                    "  (%s; %s wakes, %s frames)\n",
                    fixed(a, 1).c_str(), ratio(a, floor).c_str(), spread(each(t.app, app_ms)).c_str(),
                    grouped(med(t.app, [](const AppSession& x) { return x.wakes; })).c_str(),
                    grouped(med(t.app, [](const AppSession& x) { return x.frames; })).c_str());
    }
    row("  of which inside the Replica (vault work), ms", fixed(med(t.vault, [](const SessionSample& s) { return s.replica_ms; }), 1),
        fixed(med(t.memory, [](const SessionSample& s) { return s.replica_ms; }), 1), "-");
    const auto callback = [](Callback kind) {
        return [kind](const SessionSample& s) { return s.phases.callback_ms[static_cast<std::size_t>(kind)]; };
    };
    row("    pending(): changed records to push", fixed(med(t.vault, callback(Callback::Pending)), 1),
        fixed(med(t.memory, callback(Callback::Pending)), 1), "-");
    row("    acknowledge(): the server's revisions", fixed(med(t.vault, callback(Callback::Acknowledge)), 1),
        fixed(med(t.memory, callback(Callback::Acknowledge)), 1), "-");
    row("    apply_pull(): merge, store, refresh the model", fixed(med(t.vault, callback(Callback::ApplyPull)), 1),
        fixed(med(t.memory, callback(Callback::ApplyPull)), 1), "-");
    row("  of which network + protocol + server, ms",
        fixed(med(t.vault, [](const SessionSample& s) { return s.ms - s.replica_ms; }), 1),
        fixed(med(t.memory, [](const SessionSample& s) { return s.ms - s.replica_ms; }), 1), fixed(r, 1));
    row("requests after authentication",
        grouped(med(t.vault, [](const SessionSample& s) { return s.report.requests; })),
        grouped(med(t.memory, [](const SessionSample& s) { return s.report.requests; })), "1");
    row("  push / pull requests",
        grouped(med(t.vault, [](const SessionSample& s) { return s.phases.push_requests; })) + " / " +
            grouped(med(t.vault, [](const SessionSample& s) { return s.phases.pull_requests; })),
        grouped(med(t.memory, [](const SessionSample& s) { return s.phases.push_requests; })) + " / " +
            grouped(med(t.memory, [](const SessionSample& s) { return s.phases.pull_requests; })),
        "-");
    row("records pushed / pulled",
        grouped(med(t.vault, [](const SessionSample& s) { return s.report.pushed; })) + " / " +
            grouped(med(t.vault, [](const SessionSample& s) { return s.report.pulled; })),
        grouped(med(t.memory, [](const SessionSample& s) { return s.report.pushed; })) + " / " +
            grouped(med(t.memory, [](const SessionSample& s) { return s.report.pulled; })),
        grouped(static_cast<double>(t.raw.front().records)));
    const auto up_frames = [](const SessionSample& s) { return s.report.bytes_sent; };
    const auto down_frames = [](const SessionSample& s) { return s.report.bytes_received; };
    const bool up = name == "Initial push";
    const double raw_payload = med(t.raw, [](const RawTransfer& x) { return x.payload; });
    row("frames up, bytes (SessionReport; raw: payload)", grouped(med(t.vault, up_frames)), grouped(med(t.memory, up_frames)),
        up ? grouped(raw_payload) : "0");
    row("frames down, bytes", grouped(med(t.vault, down_frames)), grouped(med(t.memory, down_frames)),
        up ? "0" : grouped(raw_payload));
    const double fv = med(t.vault, [](const SessionSample& s) { return s.report.bytes_sent + s.report.bytes_received; });
    const double fm = med(t.memory, [](const SessionSample& s) { return s.report.bytes_sent + s.report.bytes_received; });
    row("frames up + down, bytes", grouped(fv), grouped(fm), grouped(raw_payload), ratio(fv, raw_payload),
        ratio(fm, raw_payload));
    row("TCP up, bytes (client socket)", grouped(med(t.vault, [](const SessionSample& s) { return s.tcp().sent; })),
        grouped(med(t.memory, [](const SessionSample& s) { return s.tcp().sent; })),
        grouped(med(t.raw, [](const RawTransfer& x) { return x.tcp.sent; })));
    row("TCP down, bytes", grouped(med(t.vault, [](const SessionSample& s) { return s.tcp().received; })),
        grouped(med(t.memory, [](const SessionSample& s) { return s.tcp().received; })),
        grouped(med(t.raw, [](const RawTransfer& x) { return x.tcp.received; })));
    const double tv = med(t.vault, [](const SessionSample& s) { return s.tcp().total(); });
    const double tm = med(t.memory, [](const SessionSample& s) { return s.tcp().total(); });
    const double tr = med(t.raw, [](const RawTransfer& x) { return x.tcp.total(); });
    row("TCP up + down, bytes", grouped(tv), grouped(tm), grouped(tr), ratio(tv, tr), ratio(tm, tr));
    row("  of which TLS handshake + Hello + Authenticate",
        grouped(med(t.vault, [](const SessionSample& s) { return (s.phases.linked_at - s.phases.start).total(); })),
        grouped(med(t.memory, [](const SessionSample& s) { return (s.phases.linked_at - s.phases.start).total(); })), "-");
    const double pv = med(t.vault, [](const SessionSample& s) { return s.tcp_push().total(); });
    const double pm = med(t.memory, [](const SessionSample& s) { return s.tcp_push().total(); });
    row("  of which the push rounds", grouped(pv), grouped(pm), "-", up ? ratio(pv, tr) : "", up ? ratio(pm, tr) : "");
    row("  of which the pull rounds", grouped(med(t.vault, [](const SessionSample& s) { return s.tcp_pull().total(); })),
        grouped(med(t.memory, [](const SessionSample& s) { return s.tcp_pull().total(); })), "-");
    const auto bodies_mb = static_cast<double>(t.body_bytes) / 1e6;
    row("MB/s of record bodies", fixed(bodies_mb * 1000.0 / v, 2), fixed(bodies_mb * 1000.0 / m, 2),
        fixed(bodies_mb * 1000.0 / r, 2));
    const std::string n(name);
    std::vector<Goal> goals{
        {n + ": as imrdesk-cli, <= " + fixed(kMaxFloorRatio, 1) + " x the floor", fixed(v / floor, 2) + " x",
         v / floor <= kMaxFloorRatio}};
    if (!t.app.empty())
        goals.push_back({n + ": through the app, <= " + fixed(kMaxFloorRatio, 1) + " x the floor", fixed(a / floor, 2) + " x",
                         a / floor <= kMaxFloorRatio});
    goals.push_back({n + ": sync TCP bytes <= " + fixed(kMaxByteRatio, 1) + " x raw TLS", fixed(tv / tr, 2) + " x",
                     tv / tr <= kMaxByteRatio});
    if (!t.reloads.empty()) {
        const double reloads = *std::max_element(t.reloads.begin(), t.reloads.end());
        goals.push_back({n + ": the model refreshed once per sync (most in a run)", grouped(reloads), reloads <= 1.0});
    }
    return goals;
}

std::string up_down(double up, double down) { return grouped(up) + " / " + grouped(down); }

void change_block(const ChangeSamples& c, std::vector<Goal>& goals) {
    std::printf("One changed section after the initial sync (%zu B of text, a %zu B record body)\n", c.text_bytes, c.body_bytes);
    if (c.author.empty()) {
        std::printf("  (not measured)\n");
        return;
    }
    std::printf("  %-52s %26s %26s\n", "", "author (vault)", "other device (memory)");
    const auto& a = c.author;
    const auto& o = c.other;
    const auto ms = [](const SessionSample& s) { return s.ms; };
    row2("time, ms (median)", fixed(med(a, ms), 1), fixed(med(o, ms), 1));
    row2("  of which inside the Replica, ms", fixed(med(a, [](const SessionSample& s) { return s.replica_ms; }), 1),
         fixed(med(o, [](const SessionSample& s) { return s.replica_ms; }), 1));
    const auto requests = [](const std::vector<SessionSample>& v) {
        return grouped(med(v, [](const SessionSample& s) { return s.report.requests; })) + " (push " +
               grouped(med(v, [](const SessionSample& s) { return s.phases.push_requests; })) + ", pull " +
               grouped(med(v, [](const SessionSample& s) { return s.phases.pull_requests; })) + ")";
    };
    row2("requests after authentication", requests(a), requests(o));
    row2("records pushed / pulled",
         up_down(med(a, [](const SessionSample& s) { return s.report.pushed; }), med(a, [](const SessionSample& s) { return s.report.pulled; })),
         up_down(med(o, [](const SessionSample& s) { return s.report.pushed; }), med(o, [](const SessionSample& s) { return s.report.pulled; })));
    row2("round trips on the socket, + 1 for the TCP connect",
         grouped(med(a, [](const SessionSample& s) { return s.tcp().turns; })) + " + 1",
         grouped(med(o, [](const SessionSample& s) { return s.tcp().turns; })) + " + 1");
    row2("frames up / down, bytes (SessionReport)",
         up_down(med(a, [](const SessionSample& s) { return s.report.bytes_sent; }),
                 med(a, [](const SessionSample& s) { return s.report.bytes_received; })),
         up_down(med(o, [](const SessionSample& s) { return s.report.bytes_sent; }),
                 med(o, [](const SessionSample& s) { return s.report.bytes_received; })));
    row2("TCP up / down, bytes (client socket)",
         up_down(med(a, [](const SessionSample& s) { return s.tcp().sent; }), med(a, [](const SessionSample& s) { return s.tcp().received; })),
         up_down(med(o, [](const SessionSample& s) { return s.tcp().sent; }), med(o, [](const SessionSample& s) { return s.tcp().received; })));
    std::printf("  where the bytes go, TCP up / down (of which frames up / down):\n");
    struct Phase {
        const char* name;
        wire::Counters (*tcp)(const SessionSample&);
        FrameBytes (*frames)(const SessionSample&);
    };
    const Phase phases[] = {
        {"TLS handshake; Hello -> Challenge",
         [](const SessionSample& s) { return s.phases.signed_at - s.phases.start; },
         [](const SessionSample& s) { return s.phases.hello; }},
        {"Authenticate -> Welcome + CaseInfo",
         [](const SessionSample& s) { return s.phases.linked_at - s.phases.signed_at; },
         [](const SessionSample& s) { return s.phases.auth; }},
        {"push round(s)", [](const SessionSample& s) { return s.tcp_push(); }, [](const SessionSample& s) { return s.phases.push; }},
        {"pull round(s)", [](const SessionSample& s) { return s.tcp_pull(); }, [](const SessionSample& s) { return s.phases.pull; }},
    };
    for (const auto& p : phases) {
        const auto cell = [&](const std::vector<SessionSample>& v) {
            return up_down(med(v, [&](const SessionSample& s) { return p.tcp(s).sent; }),
                           med(v, [&](const SessionSample& s) { return p.tcp(s).received; })) +
                   " (" +
                   up_down(med(v, [&](const SessionSample& s) { return p.frames(s).up; }),
                           med(v, [&](const SessionSample& s) { return p.frames(s).down; })) +
                   ")";
        };
        std::printf("    %-50s %26s %26s\n", p.name, cell(a).c_str(), cell(o).c_str());
    }
    const double req = med(a, [](const SessionSample& s) { return s.report.requests; });
    const double tcp = med(a, [](const SessionSample& s) { return s.tcp().total(); });
    const double frames = med(a, [](const SessionSample& s) { return s.report.bytes_sent + s.report.bytes_received; });
    goals.push_back({"One changed section: " + std::to_string(kChangeRequests) + " requests after authentication (push, pull)",
                     grouped(req), static_cast<std::size_t>(req) == kChangeRequests});
    goals.push_back({"One changed section: up + down < " + grouped(static_cast<double>(kMaxChangeBytes)) + " B (TCP)",
                     grouped(tcp) + " B", tcp < static_cast<double>(kMaxChangeBytes)});
    goals.push_back({"One changed section: up + down < " + grouped(static_cast<double>(kMaxChangeBytes)) + " B (frames only)",
                     grouped(frames) + " B", frames < static_cast<double>(kMaxChangeBytes)});
}

void diagnostics_block(const std::vector<Diagnostics>& d, const TransferSamples& push, const TransferSamples& pull,
                       const std::string& filesystem) {
    if (d.empty()) return;
    const Diagnostics& first = d.front();
    std::printf("Where the time goes: the same work in process, no network (median of %zu), %s records in %zu batches\n",
                d.size(), grouped(static_cast<double>(first.records)).c_str(), first.batches);
    const auto m = [&](double Diagnostics::*field) { return med(d, [field](const Diagnostics& x) { return x.*field; }); };
    const double encode = m(&Diagnostics::encode_push_ms), decode = m(&Diagnostics::decode_push_ms),
                 store_push = m(&Diagnostics::store_push_ms), results = m(&Diagnostics::result_codec_ms),
                 store_pull = m(&Diagnostics::store_pull_ms), encode_pull = m(&Diagnostics::encode_pull_ms),
                 decode_pull = m(&Diagnostics::decode_pull_ms);
    line("client: encode_message + frame of every Push", fixed(encode, 1) + " ms");
    line("server: decode_message of every Push", fixed(decode, 1) + " ms");
    line("server: Store::push of every batch (one transaction, one fsync each)", fixed(store_push, 1) + " ms");
    line("both:   PushResult encode + decode", fixed(results, 1) + " ms");
    line("server: Store::pull of every page from the cursor (" + std::to_string(first.pages) + " pages)", fixed(store_pull, 1) + " ms");
    line("server: encode every PullResult", fixed(encode_pull, 1) + " ms");
    line("client: decode every PullResult", fixed(decode_pull, 1) + " ms");
    const double sum = encode + decode + store_push + results + store_pull + encode_pull + decode_pull;
    const double session = push.memory.empty() ? 0 : med(push.memory, [](const SessionSample& s) { return s.ms; });
    line("sum: the in-memory push session without the network", fixed(sum, 1) + " ms",
         "(measured session: " + fixed(session, 1) + " ms)");
    line("one small commit on a Store (an fsync of the WAL) on " + filesystem, fixed(m(&Diagnostics::commit_ms), 2) + " ms");
    const double pages = pull.vault.empty() ? 0 : med(pull.vault, [](const SessionSample& s) { return s.phases.pages_with_records; });
    line("vault: Workspace::reload_imrs of the pulled IMR, once", fixed(m(&Diagnostics::reload_ms), 1) + " ms",
         "(the pull brought " + grouped(pages) + " pages; the model is refreshed " +
             (pull.reloads.empty() ? std::string("?") : grouped(median(pull.reloads))) + " time(s))");
    line("vault: Vault::sync_record (merge_remote's lookup), per record", fixed(m(&Diagnostics::sync_record_us), 1) + " us",
         "x " + grouped(static_cast<double>(pull.records)) + " records = " +
             fixed(m(&Diagnostics::sync_record_us) * static_cast<double>(pull.records) / 1000.0, 0) + " ms");
}

void wave_row(const Wave& w) {
    const double s = w.wall_ms / 1000.0;
    std::printf("  %-26s %7.2f %11.1f %13s %13s %8.1f %8.1f %8.1f %6.0f%% %7zu %9zu\n", w.label.c_str(), s,
                static_cast<double>(w.sessions) / s, grouped(static_cast<double>(w.pushed) / s).c_str(),
                grouped(static_cast<double>(w.pulled) / s).c_str(), percentile(w.latency_ms, 0.5),
                percentile(w.latency_ms, 0.99), percentile(w.latency_ms, 1.0), 100.0 * w.cpu_ms / w.wall_ms, w.errors,
                w.conflicts);
}

void concurrent_block(const ConcurrentReport& c, std::vector<Goal>& goals) {
    std::printf("%zu devices syncing at once, %s: %zu agencies in %zu cases, %zu devices each\n", c.devices,
                c.store.c_str(), c.agencies, c.cases, c.devices / std::max<std::size_t>(1, c.agencies));
    std::printf("  devices    in-memory replicas, one thread and one sync_once each; every round each pushes %zu changed\n"
                "             records of its agency's IMR and pulls what the agency's other devices pushed\n",
                c.records_per_session);
    std::printf("  server     ServerOptions defaults: %d io threads, max_connections %zu, %zu requests/min per device;\n"
                "             per address and before login: %zu (every device is at 127.0.0.1, as a board behind one NAT)\n",
                c.server_threads, c.max_connections, c.requests_per_minute, c.max_per_address);
    std::printf("  tokens     %zu issued in %.0f ms before the enrolment wave\n\n", c.devices, c.tokens_ms);
    std::printf("  %-26s %7s %11s %13s %13s %8s %8s %8s %7s %7s %9s\n", "wave", "wall s", "sessions/s", "pushed rec/s",
                "pulled rec/s", "p50 ms", "p99 ms", "max ms", "CPU", "errors", "conflicts");
    wave_row(c.enrol);
    Wave all;
    all.label = "all " + std::to_string(c.rounds.size()) + " rounds";
    for (const auto& r : c.rounds) {
        wave_row(r);
        all.wall_ms += r.wall_ms;
        all.sessions += r.sessions;
        all.errors += r.errors;
        all.conflicts += r.conflicts;
        all.pushed += r.pushed;
        all.pulled += r.pulled;
        all.latency_ms.insert(all.latency_ms.end(), r.latency_ms.begin(), r.latency_ms.end());
        all.tcp.sent += r.tcp.sent;
        all.tcp.received += r.tcp.received;
        all.cpu_ms += r.cpu_ms;
    }
    wave_row(c.catch_up);
    if (!c.rounds.empty()) {
        wave_row(all);
        std::printf("  TCP per round session, on average: %s B up, %s B down\n",
                    grouped(static_cast<double>(all.tcp.sent) / static_cast<double>(all.sessions)).c_str(),
                    grouped(static_cast<double>(all.tcp.received) / static_cast<double>(all.sessions)).c_str());
    }
    std::printf("  CPU: of the whole process (%zu client threads and the server), %% of one core; this machine has %u\n",
                c.devices, std::thread::hardware_concurrency());
    std::printf("  convergence: %zu of %zu devices hold exactly the server's record set for them (Store::digest)\n",
                c.converged, c.devices);
    for (const auto& e : c.error_samples) std::printf("  error: %s\n", e.c_str());
    const std::size_t errors = c.enrol.errors + all.errors + c.catch_up.errors;
    goals.push_back({std::to_string(c.devices) + " devices, " + c.store + ": zero errors",
                     grouped(static_cast<double>(errors)), errors == 0});
    goals.push_back({std::to_string(c.devices) + " devices, " + c.store + ": every device converged",
                     grouped(static_cast<double>(c.converged)) + " of " + grouped(static_cast<double>(c.devices)),
                     c.converged == c.devices});
}

}  // namespace

void print_report(const SyncReport& r) {
    std::printf("\nimrdesk sync benchmark: loopback TLS 1.3 (%s, %s), in-process server; median of %zu runs\n",
                r.openssl.c_str(), r.cipher.c_str(), r.reps);
    std::printf("  IMR        1 header + %s chronology entries + %zu sections; entry bodies as bench_vault's corpus\n",
                grouped(static_cast<double>(r.entries)).c_str(), r.sections);
    std::printf("  server     Store (SQLite, WAL, synchronous=FULL) on %s; Server on 127.0.0.1, port 0, own thread\n",
                r.filesystem.c_str());
    std::printf("  sync       sync::sync_once over VaultReplica (real vault, fast KDF, as imrdesk-cli), the same\n"
                "             through the app's SyncService (UI thread drawing at 60 Hz), and over an in-memory Replica\n");
    std::printf("  raw TLS    the same bodies, 4-byte length each, one connection one way: Asio + OpenSSL with\n"
                "             tls::configure_server / configure_client (the pinned key), received with FrameDecoder\n");
    std::printf("  times      wall, connect to last byte; sync includes Hello, Authenticate, Welcome and CaseInfo\n");
    std::printf("  bytes      frames: SessionReport (4-byte header + CBOR message, plaintext);\n"
                "             TCP: payload on the client socket (TLS records, handshake included; no TCP/IP headers)%s\n\n",
                r.wire_counted ? "" : "  [NOT MEASURED: interposition inactive]");

    std::vector<Goal> goals;
    std::printf("%-48s %13s %13s %13s %10s %11s\n", "Part 1", "sync/vault", "sync/memory", "raw TLS", "vault/raw",
                "memory/raw");
    for (auto& g : transfer_block("Initial push by the author (then the session's pull brings the records back)",
                                  "Initial push", r.push))
        goals.push_back(std::move(g));
    std::printf("\n");
    for (auto& g : transfer_block("Pull by the reviewer after submission", "Reviewer pull", r.pull)) goals.push_back(std::move(g));
    if (!r.submit_vault.empty()) {
        const auto ms = [](const SessionSample& s) { return s.ms; };
        std::printf("  (between the two, not a goal: the author's submit session, %s ms vault / %s ms memory,\n"
                    "   %s requests, pulled %s records: Submit gives every record of the IMR a new revision)\n",
                    fixed(med(r.submit_vault, ms), 1).c_str(), fixed(med(r.submit_memory, ms), 1).c_str(),
                    grouped(med(r.submit_vault, [](const SessionSample& s) { return s.report.requests; })).c_str(),
                    grouped(med(r.submit_vault, [](const SessionSample& s) { return s.report.pulled; })).c_str());
    }
    std::printf("\n");
    diagnostics_block(r.diagnostics, r.push, r.pull, r.filesystem);
    std::printf("\nPart 2\n");
    change_block(r.change, goals);
    if (!r.concurrent.empty()) {
        std::printf("\nPart 3\n");
        for (const auto& c : r.concurrent) {
            concurrent_block(c, goals);
            std::printf("\n");
        }
        if (r.concurrent.size() > 1) {
            // Side by side: the rounds of each setup against the first (one server on SQLite).
            std::printf("  side by side, all rounds: %-34s %11s %8s %8s\n", "store", "sessions/s", "p99 ms", "ratio");
            const auto rate = [](const ConcurrentReport& c) {
                double ms = 0;
                std::size_t sessions = 0;
                for (const auto& w : c.rounds) {
                    ms += w.wall_ms;
                    sessions += w.sessions;
                }
                return ms > 0 ? static_cast<double>(sessions) * 1000.0 / ms : 0.0;
            };
            const auto p99 = [](const ConcurrentReport& c) {
                std::vector<double> all;
                for (const auto& w : c.rounds) all.insert(all.end(), w.latency_ms.begin(), w.latency_ms.end());
                return percentile(all, 0.99);
            };
            const double base = rate(r.concurrent.front());
            for (const auto& c : r.concurrent) {
                std::printf("  %-51s %11.1f %8.1f %7.2fx\n", c.store.c_str(), rate(c), p99(c), base > 0 ? rate(c) / base : 0.0);
            }
        }
    }

    std::printf("\n%-72s %13s  %s\n", "Goals", "measured", "verdict");
    std::size_t met = 0;
    for (const auto& g : goals) {
        line(g.what, g.measured, g.met ? "PASS" : "MISS");
        met += g.met ? 1 : 0;
    }
    std::printf("  %zu of %zu goals met\n", met, goals.size());
}

}  // namespace imrdesk::bench
