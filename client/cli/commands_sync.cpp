// enrol CODE, sync [--once], sync status, conflicts list | resolve, imr submit IMR
#include <csignal>
#include <cstdio>
#include <ctime>
#include <thread>


#include "imrdesk/platform/io.hpp"
#include "cli.hpp"
#include "imrdesk/client/progress.hpp"
#include "imrdesk/client/sync_replica.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/sync/client.hpp"
#include "imrdesk/sync/digest.hpp"
#include "imrdesk/sync/tls.hpp"

namespace imrdesk::cli {
namespace {

using nlohmann::json;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string time_text(std::int64_t t) { return platform::format_time(t, "%d/%m/%Y %H:%M", platform::Zone::Local); }

// Turns a sync failure into the CLI's exit codes and one clear line.
[[noreturn]] void fail(const sync::SyncError& e) {
    switch (e.kind()) {
        case sync::SyncError::Kind::Offline:
            throw Failure(kExitOffline, std::string("offline: ") + e.what() + "; your changes are kept and will be sent later");
        case sync::SyncError::Kind::NotEnrolled:
            throw Failure(kExitUsage, std::string(e.what()) + "; enrol it with 'imrdesk-cli enrol CODE'");
        case sync::SyncError::Kind::PinMismatch:
        case sync::SyncError::Kind::Refused:
            throw Failure(kExitAccessDenied, e.what());
        case sync::SyncError::Kind::Protocol:
            break;
    }
    throw Failure(kExitError, e.what());
}

sync::SessionOptions session_options(bool quiet, int timeout_seconds = 30) {
    sync::SessionOptions o;
    o.client_name = "imrdesk-cli";
    o.io_timeout = std::chrono::seconds(timeout_seconds);
    o.connect_timeout = std::chrono::seconds(std::min(timeout_seconds, 10));
    if (!quiet && platform::standard_error_is_terminal()) {
        o.progress = [](const sync::Progress& p) {
            std::fprintf(stderr, "\r%s... %zu", p.stage.c_str(), p.done);
            std::fflush(stderr);
        };
    }
    return o;
}

void print_report(const sync::SessionReport& r, std::size_t conflicts) {
    if (platform::standard_error_is_terminal()) std::fprintf(stderr, "\r\033[K");
    std::printf("sent %zu change(s), received %zu%s%s; %zu request(s), %llu bytes up, %llu bytes down\n", r.pushed,
                r.pulled, r.submitted > 0 ? (", submitted " + std::to_string(r.submitted) + " IMR(s)").c_str() : "",
                conflicts > 0 ? (", " + std::to_string(conflicts) + " conflict(s) to resolve: see 'imrdesk-cli conflicts list'").c_str()
                              : "",
                r.requests, static_cast<unsigned long long>(r.bytes_sent), static_cast<unsigned long long>(r.bytes_received));
    for (const auto& refusal : r.refusals) std::printf("refused by the server: %s\n", refusal.c_str());
}

// What waits for the author after an enrolment or a sync: which draft is an agency's IMR.
void print_link_questions(const client::VaultReplica& replica, const client::Workspace& ws, std::FILE* out) {
    for (const auto& q : replica.state().link_questions) {
        std::fprintf(out, "question: which draft is the IMR of %s in case %s? Nothing is sent for it until you say.\n",
                     q.agency.c_str(), q.case_reference.c_str());
        for (const auto& id : replica.link_candidates(q)) {
            const auto* doc = ws.find(id);
            if (doc == nullptr) continue;
            std::fprintf(out, "  %s  %s, %d%% complete\n", id.hex().c_str(), doc->header.agency.c_str(),
                         client::progress_of(*doc, domain::ImrTemplate::builtin()).percent());
        }
        std::fprintf(out, "  answer: imrdesk-cli sync link --case '%s' --agency '%s' --draft IMR   (or --new for a new, empty IMR)\n",
                     q.case_reference.c_str(), q.agency.c_str());
    }
}

std::string describe_record(const client::Workspace& ws, const domain::Id& imr, domain::RecordKind kind, const std::string& body) {
    std::string where;
    if (const auto* doc = ws.find(imr)) where = doc->header.case_info.reference + " / " + doc->header.agency + ": ";
    try {
        const auto j = json::parse(body);
        switch (kind) {
            case domain::RecordKind::Section: return where + "section " + j.value("key", std::string("?"));
            case domain::RecordKind::ChronologyEntry:
                return where + "chronology entry of " + j.value("date", std::string("?"));
            case domain::RecordKind::Recommendation: return where + "recommendation " + std::to_string(j.value("order", 0));
            case domain::RecordKind::GlossaryEntry: return where + "glossary " + j.value("abbreviation", std::string("?"));
            case domain::RecordKind::Name: return where + "names register: " + j.value("pseudonym", std::string("?"));
            case domain::RecordKind::Query: return where + "query on " + j.value("on", std::string("?"));
            default: break;
        }
    } catch (const std::exception&) {
    }
    return where + std::string(domain::to_string(kind));
}

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

}  // namespace

void register_sync_commands(CLI::App& app, Context& context) {
    // --- enrol
    auto code_text = std::make_shared<std::string>();
    auto device_name = std::make_shared<std::string>();
    auto* enrol = app.add_subcommand("enrol", "Enrol this profile with the server, with a one-time code from the review team");
    enrol->add_option("CODE", *code_text, "The enrolment code ('-' reads it from standard input)")->required();
    enrol->add_option("--device-name", *device_name, "How the server lists this device (default: the host name)");
    enrol->callback([&context, code_text, device_name] {
        std::string typed = *code_text;
        if (typed == "-") typed = read_input(std::string("-"), 4096, "the enrolment code");
        sync::EnrolmentCode code;
        try {
            code = sync::EnrolmentCode::parse(typed, std::chrono::sys_seconds(std::chrono::seconds(unix_now())));
        } catch (const sync::EnrolmentCodeError& e) {
            throw Failure(kExitUsage, std::string("the enrolment code: ") + e.what());
        }
        auto ws = context.open_workspace();
        client::VaultReplica replica(*ws);
        if (replica.state().link && replica.state().link->address() != code.address()) {
            throw Failure(kExitUsage, "this profile is already enrolled with " + replica.state().link->address() +
                                          "; a profile syncs with one server");
        }
        std::string name = *device_name;
        if (name.empty()) {
            name = platform::host_name();
            if (name.empty()) name = "imrdesk device";
        }
        std::printf("connecting to %s, expecting the server key %s\n", code.address().c_str(),
                    sync::tls::format_fingerprint(code.fingerprint).c_str());
        try {
            const auto report = sync::enrol(replica, code, name, session_options(false));
            const auto& link = *replica.state().link;
            std::printf("enrolled as device %s\n", link.device_id.hex().c_str());
            for (const auto& m : link.memberships) {
                std::printf("  %s for %s in case %s\n", m.role == sync::Role::Author ? "author" : "reviewer", m.agency.c_str(),
                            m.case_reference.c_str());
            }
            print_report(report, replica.conflict_count());
            print_link_questions(replica, *ws, stdout);
        } catch (const sync::SyncError& e) {
            fail(e);
        }
    });

    // --- sync
    auto* sync_cmd = app.add_subcommand("sync", "Send and receive changes with the server");
    auto once = std::make_shared<bool>(false);
    auto timeout = std::make_shared<int>(30);
    sync_cmd->add_flag("--once", *once, "One sync, then exit (otherwise: keep syncing until Ctrl+C)");
    sync_cmd->add_option("--timeout", *timeout, "Seconds to wait for the server at each step (slow links: raise it)")
        ->check(CLI::Range(1, 600))
        ->capture_default_str();
    sync_cmd->callback([&context, once, timeout, sync_cmd] {
        if (!sync_cmd->get_subcommands().empty()) return;  // 'sync status'
        auto ws = context.open_workspace();
        client::VaultReplica replica(*ws);
        if (!replica.state().link) throw Failure(kExitUsage, "this profile is not enrolled with a server; enrol it with 'imrdesk-cli enrol CODE'");
        if (*once) {
            try {
                const auto report = sync::sync_once(replica, session_options(false, *timeout));
                const auto conflicts = replica.conflict_count();
                print_report(report, conflicts);
                print_link_questions(replica, *ws, stdout);
                if (conflicts > 0) throw Failure(kExitConflicts, std::to_string(conflicts) + " conflict(s) wait for you: see 'imrdesk-cli conflicts list'");
            } catch (const sync::SyncError& e) {
                fail(e);
            }
            return;
        }
        // Continuous: the engine's schedule (every minute, backoff while offline) until a signal.
        std::signal(SIGINT, on_signal);
        std::signal(SIGTERM, on_signal);
        sync::EngineOptions options;
        options.session = session_options(true, *timeout);
        std::mutex printed_mutex;
        std::size_t printed = 0;
        sync::Engine* engine_ptr = nullptr;
        sync::Engine engine(replica, options, [&] {
            if (engine_ptr == nullptr) return;
            const auto status = engine_ptr->status();
            const std::lock_guard lock(printed_mutex);
            // Print events once, oldest first.
            std::vector<std::string> fresh;
            for (const auto& e : status.events) fresh.push_back(e);
            if (fresh.size() > printed) {
                for (std::size_t i = fresh.size() - printed; i-- > 0;) std::printf("%s\n", fresh[i].c_str());
                std::fflush(stdout);
                printed = fresh.size();
            }
        });
        engine_ptr = &engine;
        std::printf("syncing with %s every minute; Ctrl+C stops\n", replica.state().link->address().c_str());
        std::fflush(stdout);
        engine.start();
        while (g_stop == 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
        engine.stop();
        std::printf("stopped\n");
    });

    auto* status_cmd = sync_cmd->add_subcommand("status", "Where this profile syncs, what waits to be sent, recent events");
    auto status_json = std::make_shared<bool>(false);
    status_cmd->add_flag("--json", *status_json, "Machine-readable output (includes the record-set digest)");
    status_cmd->callback([&context, status_json] {
        auto ws = context.open_workspace();
        client::VaultReplica replica(*ws);
        const auto& state = replica.state();
        std::size_t records = 0;
        const auto digest = replica.record_digest(&records);
        if (*status_json) {
            json j{{"enrolled", state.link.has_value()},
                   {"pending", replica.pending_count()},
                   {"conflicts", replica.conflict_count()},
                   {"records", records},
                   {"digest", sync::hex(digest)},
                   {"cursor", ws->vault().sync_cursor()},
                   {"events", state.log}};
            if (state.link) {
                j["server"] = state.link->address();
                j["device"] = state.link->device_id.hex();
                j["fingerprint"] = sync::tls::format_fingerprint(state.link->fingerprint);
                json members = json::array();
                for (const auto& m : state.link->memberships) {
                    members.push_back({{"case", m.case_reference}, {"agency", m.agency},
                                       {"role", m.role == sync::Role::Author ? "author" : "reviewer"}});
                }
                j["memberships"] = members;
            }
            if (state.last_sync) j["last_sync"] = *state.last_sync;
            json questions = json::array();
            for (const auto& q : state.link_questions) questions.push_back({{"case", q.case_reference}, {"agency", q.agency}});
            j["link_questions"] = questions;
            std::printf("%s\n", j.dump(2).c_str());
            return;
        }
        if (!state.link) {
            std::printf("not enrolled: this profile works offline only (enrol it with 'imrdesk-cli enrol CODE')\n");
            std::printf("%zu record(s)\n", records);
            return;
        }
        const auto& l = *state.link;
        std::printf("server        %s\nserver key    %s\ndevice        %s\n", l.address().c_str(),
                    sync::tls::format_fingerprint(l.fingerprint).c_str(), l.device_id.hex().c_str());
        for (const auto& m : l.memberships) {
            std::printf("member        %s for %s in case %s\n", m.role == sync::Role::Author ? "author" : "reviewer",
                        m.agency.c_str(), m.case_reference.c_str());
        }
        std::printf("last synced   %s\n", state.last_sync ? (time_text(*state.last_sync) + " (" +
                                                             client::ago(unix_now() - *state.last_sync) + ")").c_str()
                                                          : "never");
        std::printf("waiting       %zu change(s)\nconflicts     %zu\nrecords       %zu, digest %s\n", replica.pending_count(),
                    replica.conflict_count(), records, sync::hex(digest).substr(0, 16).c_str());
        print_link_questions(replica, *ws, stdout);
        for (std::size_t i = 0; i < state.log.size() && i < 10; ++i) std::printf("  %s\n", state.log[i].c_str());
    });

    // --- sync link: the author's answer to "which draft is this agency's IMR?"
    struct LinkArgs {
        std::string case_reference, agency, draft;
        bool fresh = false, json = false;
    };
    auto la = std::make_shared<LinkArgs>();
    auto* link_cmd = sync_cmd->add_subcommand(
        "link", "Say which draft made on this computer is the IMR of the agency you enrolled for (without options: what is asked)");
    link_cmd->add_option("--case", la->case_reference, "The case reference the question is about");
    link_cmd->add_option("--agency", la->agency, "The agency as enrolled");
    auto* draft_opt = link_cmd->add_option("--draft", la->draft, "The draft (IMR id or its first characters) that is the agency's IMR");
    auto* new_opt = link_cmd->add_flag("--new", la->fresh, "None of the drafts is: make a new, empty IMR from the case data");
    draft_opt->excludes(new_opt);
    link_cmd->add_flag("--json", la->json, "List the questions as JSON");
    link_cmd->callback([&context, la] {
        auto ws = context.open_workspace();
        client::VaultReplica replica(*ws);
        const auto& questions = replica.state().link_questions;
        if (la->draft.empty() && !la->fresh) {
            if (la->json) {
                json out = json::array();
                for (const auto& q : questions) {
                    json drafts = json::array();
                    for (const auto& id : replica.link_candidates(q)) {
                        const auto* doc = ws->find(id);
                        drafts.push_back({{"id", id.hex()}, {"agency", doc != nullptr ? doc->header.agency : std::string()}});
                    }
                    out.push_back({{"case", q.case_reference}, {"agency", q.agency}, {"drafts", drafts}});
                }
                std::printf("%s\n", out.dump(2).c_str());
            } else if (questions.empty()) {
                std::printf("nothing to answer: every IMR this computer writes for is linked\n");
            } else {
                print_link_questions(replica, *ws, stdout);
            }
            return;
        }
        if (la->case_reference.empty() || la->agency.empty())
            throw Failure(kExitUsage, "say which question you answer: --case REF --agency NAME (see 'imrdesk-cli sync link')");
        std::optional<domain::Id> draft;
        if (!la->draft.empty()) draft = ws->resolve(la->draft).id;
        try {
            replica.answer_link({la->case_reference, la->agency}, draft);
        } catch (const client::WorkspaceError& e) {
            throw Failure(kExitInvalidInput, e.what());
        }
        if (draft) std::printf("%s is now the IMR of %s in case %s; it is sent at the next sync\n", draft->hex().c_str(),
                               la->agency.c_str(), la->case_reference.c_str());
        else std::printf("made a new IMR for %s in case %s; your drafts stay on this computer\n", la->agency.c_str(),
                         la->case_reference.c_str());
    });

    // --- conflicts
    auto* conflicts = app.add_subcommand("conflicts", "Changes made here and elsewhere in the same place");
    conflicts->require_subcommand(1);
    auto* list = conflicts->add_subcommand("list", "List conflicts, with both versions");
    auto list_json = std::make_shared<bool>(false);
    list->add_flag("--json", *list_json, "Machine-readable output with both bodies");
    list->callback([&context, list_json] {
        auto ws = context.open_workspace();
        const auto all = ws->vault().conflicts();
        json out = json::array();
        for (const auto& c : all) {
            const auto what = describe_record(*ws, c.imr_id, c.kind, c.mine_deleted ? c.theirs : c.mine);
            if (*list_json) {
                out.push_back({{"id", c.id.hex()},
                               {"imr", c.imr_id.hex()},
                               {"kind", domain::to_string(c.kind)},
                               {"what", what},
                               {"mine", c.mine_deleted ? json(nullptr) : json::parse(c.mine)},
                               {"theirs", c.theirs_deleted ? json(nullptr) : json::parse(c.theirs)},
                               {"detected_at", c.detected_at}});
                continue;
            }
            std::printf("%s  %s  (found %s)\n", c.id.hex().substr(0, 8).c_str(), what.c_str(), time_text(c.detected_at).c_str());
            const auto show = [](const char* label, bool deleted, const std::string& body) {
                std::string text;
                if (deleted) {
                    text = "(deleted)";
                } else {
                    try {
                        const auto j = json::parse(body);
                        text = j.contains("text") && j["text"].is_string() ? j["text"].get<std::string>() : j.dump();
                    } catch (const std::exception&) {
                        text = body;
                    }
                }
                std::printf("  %s:\n", label);
                std::size_t start = 0;
                while (start <= text.size()) {
                    const auto end = text.find('\n', start);
                    std::printf("    | %s\n", text.substr(start, end == std::string::npos ? std::string::npos : end - start).c_str());
                    if (end == std::string::npos) break;
                    start = end + 1;
                }
            };
            show("yours", c.mine_deleted, c.mine);
            show("theirs", c.theirs_deleted, c.theirs);
        }
        if (*list_json) {
            std::printf("%s\n", out.dump(2).c_str());
        } else if (all.empty()) {
            std::printf("no conflicts\n");
        }
    });
    auto* resolve = conflicts->add_subcommand("resolve", "Resolve a conflict: keep yours, keep theirs, or give the merged text");
    auto resolve_id = std::make_shared<std::string>();
    auto keep = std::make_shared<std::string>();
    auto text_file = std::make_shared<std::optional<std::string>>();
    resolve->add_option("ID", *resolve_id, "The record id or its first digits (conflicts list)")->required();
    auto* keep_opt = resolve->add_option("--keep", *keep, "mine or theirs")->check(CLI::IsMember({"mine", "theirs"}));
    auto* text_opt = resolve->add_option("--text", *text_file, "A file (or '-') with the merged text of a section");
    keep_opt->excludes(text_opt);
    resolve->callback([&context, resolve_id, keep, text_file] {
        if (keep->empty() && !*text_file) throw Failure(kExitUsage, "say --keep mine, --keep theirs or --text FILE");
        auto ws = context.open_workspace();
        client::VaultReplica replica(*ws);
        const auto all = ws->vault().conflicts();
        std::vector<const client::ConflictRecord*> matches;
        for (const auto& c : all) {
            if (c.id.hex().rfind(*resolve_id, 0) == 0) matches.push_back(&c);
        }
        if (matches.size() != 1) {
            throw Failure(kExitUsage, matches.empty() ? "no conflict has the id '" + *resolve_id + "' (see 'conflicts list')"
                                                      : "'" + *resolve_id + "' matches several conflicts: give more digits");
        }
        const auto& c = *matches.front();
        std::optional<std::string> body;
        if (*keep == "mine") {
            if (!c.mine_deleted) body = c.mine;
        } else if (*keep == "theirs") {
            if (!c.theirs_deleted) body = c.theirs;
        } else {
            if (c.kind != domain::RecordKind::Section) throw Failure(kExitUsage, "--text applies to sections only; use --keep");
            auto j = json::parse(c.mine_deleted ? c.theirs : c.mine);
            j["text"] = read_input(*text_file, std::size_t{1} << 20, "the merged text");
            body = j.dump();
        }
        replica.resolve(c.id, body);
        std::printf("resolved; the chosen version is sent at the next sync\n");
    });

    // --- imr endorse, imr submit
    if (auto* imr = app.get_subcommand("imr")) {
        struct EndorseArgs {
            std::string imr, officer, role;
            std::optional<std::string> declaration;
        };
        auto ea = std::make_shared<EndorseArgs>();
        auto* endorse = imr->add_subcommand("endorse", "Record the senior officer's endorsement; the IMR becomes read-only");
        endorse->add_option("IMR", ea->imr, "The IMR id or its first digits")->required();
        endorse->add_option("--officer", ea->officer, "The endorsing senior officer's name")->required();
        endorse->add_option("--role", ea->role, "The officer's role")->required();
        endorse->add_option("--declaration", ea->declaration, "The declaration (default: the template's)");
        endorse->callback([&context, ea] {
            auto ws = context.open_workspace();
            const auto& doc = ws->resolve(ea->imr);
            domain::Endorsement endorsement;
            endorsement.officer_name = ea->officer;
            endorsement.officer_role = ea->role;
            endorsement.declaration = ea->declaration ? *ea->declaration : domain::default_endorsement_declaration();
            const auto day = platform::today();
            endorsement.date = domain::CivilDate{day.year, day.month, day.day};
            ws->endorse(doc.id, std::move(endorsement));
            std::printf("endorsed; content hash %s\n", ws->get(doc.id).endorsement->value.content_hash.c_str());
        });

        auto withdraw_id = std::make_shared<std::string>();
        auto* withdraw = imr->add_subcommand(
            "withdraw", "Withdraw the endorsement to amend the IMR, also after it was submitted (the review team keeps the "
                        "version it holds; endorse and submit again for the next version)");
        withdraw->add_option("IMR", *withdraw_id, "The IMR id or its first digits")->required();
        withdraw->callback([&context, withdraw_id] {
            auto ws = context.open_workspace();
            client::VaultReplica replica(*ws);
            const auto& doc = ws->resolve(*withdraw_id);
            const bool was_submitted = doc.submitted_at.has_value();
            try {
                ws->withdraw_endorsement(doc.id);
            } catch (const client::WorkspaceError& e) {
                throw Failure(kExitInvalidInput, e.what());
            }
            std::printf("endorsement withdrawn: the IMR can be amended%s\n",
                        was_submitted ? "; the server reopens it at the next sync" : "");
        });

        auto* submit = imr->add_subcommand("submit", "Submit an endorsed IMR to the review team (syncs now)");
        auto imr_id = std::make_shared<std::string>();
        submit->add_option("IMR", *imr_id, "The IMR id or its first digits")->required();
        submit->callback([&context, imr_id] {
            auto ws = context.open_workspace();
            client::VaultReplica replica(*ws);
            const auto& doc = ws->resolve(*imr_id);
            try {
                replica.queue_submit(doc.id);
            } catch (const client::WorkspaceError& e) {
                throw Failure(kExitInvalidInput, e.what());
            }
            try {
                const auto report = sync::sync_once(replica, session_options(false));
                print_report(report, replica.conflict_count());
                if (const auto* after = ws->find(doc.id); after != nullptr && after->submitted_at) {
                    std::printf("submitted: the server received it on %s\n", time_text(*after->submitted_at).c_str());
                } else {
                    throw Failure(kExitError, "the server did not accept the submission (see 'imrdesk-cli sync status')");
                }
            } catch (const sync::SyncError& e) {
                if (e.kind() == sync::SyncError::Kind::Offline) {
                    throw Failure(kExitOffline, std::string("offline: ") + e.what() +
                                                    "; the submission is queued and goes at the next sync");
                }
                fail(e);
            }
        });
    }
}

}  // namespace imrdesk::cli
