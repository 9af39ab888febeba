// case status, query add | list | answer | close | reopen: the review team's side and the
// agency's answers. Changes are saved in the vault and go to the server at the next sync.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "imrdesk/client/review.hpp"
#include "imrdesk/client/sync_replica.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/shared/codec.hpp"

namespace imrdesk::cli {
namespace {

using nlohmann::json;

std::string when(std::int64_t t) { return platform::format_time(t, "%Y-%m-%d %H:%M", platform::Zone::Local); }

std::string iso_utc(std::int64_t t) { return platform::format_time(t, "%Y-%m-%dT%H:%M:%SZ", platform::Zone::Utc); }

json query_json(const client::ImrDocument& doc, const client::Stored<domain::Query>& q) {
    json answers = json::array();
    for (const auto* a : doc.answers_to(q.id))
        answers.push_back({{"text", a->text}, {"by", a->answered_by}, {"at", iso_utc(a->answered_at)}});
    return {{"id", q.id.hex()},
            {"imr", doc.id.hex()},
            {"agency", doc.header.agency},
            {"case", doc.header.case_info.reference},
            {"on", q.value.on},
            {"text", q.value.text},
            {"raised_by", q.value.raised_by},
            {"raised_at", iso_utc(q.value.raised_at)},
            {"state", std::string(domain::to_string(doc.query_state(q)))},
            {"answers", std::move(answers)}};
}

template <typename F>
void guarded(F&& f) {
    try {
        f();
    } catch (const client::ValidationError& e) {
        throw Failure(kExitInvalidInput, e.what());
    } catch (const client::WorkspaceError& e) {
        throw Failure(kExitError, e.what());
    }
}

}  // namespace

void register_review_commands(CLI::App& app, Context& context) {
    // --- case status
    auto* case_cmd = app.add_subcommand("case", "The review team's view of a case");
    case_cmd->require_subcommand(1);
    struct StatusArgs {
        std::string reference;
        bool json = false;
    };
    auto st = std::make_shared<StatusArgs>();
    auto* status = case_cmd->add_subcommand("status", "Each expected agency: not started, drafting, submitted (when, which "
                                                      "version), amending or late, and its open queries (as of the last sync)");
    status->add_option("REF", st->reference, "Case reference")->required();
    status->add_flag("--json", st->json, "One JSON object per agency, in an array");
    status->callback([&context, st] {
        auto ws = context.open_workspace();
        client::VaultReplica replica(*ws);
        std::vector<client::AgencyStatus> rows;
        guarded([&] { rows = client::case_status(replica.state(), *ws, st->reference, platform::unix_now()); });
        if (st->json) {
            json out = json::array();
            for (const auto& r : rows) {
                json j{{"agency", r.agency},
                       {"expected", r.expected},
                       {"state", std::string(sync::to_string(r.state))},
                       {"submitted", r.state == sync::AgencyState::Submitted},
                       {"version", r.version},
                       {"late", r.late},
                       {"open_queries", r.open_queries},
                       {"held_version", r.held_version}};
                j["submitted_at"] = r.received_at ? json(iso_utc(*r.received_at)) : json(nullptr);
                j["days_left"] = r.days_left ? json(*r.days_left) : json(nullptr);
                j["imr"] = r.imr ? json(r.imr->hex()) : json(nullptr);
                out.push_back(std::move(j));
            }
            std::printf("%s\n", out.dump(2).c_str());
            return;
        }
        for (const auto& r : rows) {
            std::string state(sync::to_string(r.state));
            if (r.version > 0) state += " v" + std::to_string(r.version);
            if (r.received_at) state += " " + when(*r.received_at);
            std::string due = !r.days_left ? "" : *r.days_left >= 0 ? std::to_string(*r.days_left) + " days left"
                                                                    : std::to_string(-*r.days_left) + " days past due";
            std::printf("%-36s %-36s %s%s%s\n", r.agency.c_str(), state.c_str(), r.late ? "LATE, " : "", due.c_str(),
                        r.open_queries > 0 ? ("  " + std::to_string(r.open_queries) + " open quer" + (r.open_queries == 1 ? "y" : "ies")).c_str() : "");
        }
    });

    // --- imr changes: what a resubmission changed
    if (auto* imr = app.get_subcommand("imr")) {
        struct ChangesArgs {
            std::string imr;
            bool json = false;
        };
        auto ca = std::make_shared<ChangesArgs>();
        auto* changes_cmd = imr->add_subcommand("changes", "Review team: what changed in an agency's IMR since the version this "
                                                       "computer held before, per section and per chronology entry");
        changes_cmd->add_option("IMR", ca->imr, "IMR id (or its first characters)")->required();
        changes_cmd->add_flag("--json", ca->json, "One JSON object: from, to, sections and entries");
        changes_cmd->callback([&context, ca] {
            auto ws = context.open_workspace();
            client::VaultReplica replica(*ws);
            std::optional<client::VersionChanges> changes;
            const client::ImrDocument* doc = nullptr;
            guarded([&] {
                doc = &ws->resolve(ca->imr);
                changes = client::changes_since_previous(*ws, replica.state(), doc->id);
            });
            if (!changes)
                throw Failure(kExitError, "no earlier version of this IMR is held here: this computer first received it at "
                                          "the version it holds now");
            struct Wipe {
                client::VersionChanges& c;
                ~Wipe() { client::wipe_changes(c); }
            } wipe{*changes};
            const auto entry_line = [](const client::EntryChange& e) {
                const auto& v = e.after ? *e.after : *e.before;
                return v.date.display() + (v.source.empty() ? "" : ", " + v.source);
            };
            if (ca->json) {
                json out{{"imr", doc->id.hex()}, {"agency", doc->header.agency}, {"from", changes->from}, {"to", changes->to},
                         {"sections", json::array()}, {"entries", json::array()}};
                for (const auto& c : changes->sections)
                    out["sections"].push_back({{"key", c.key}, {"change", std::string(client::to_string(c.kind))},
                                               {"before", c.before.text}, {"after", c.after.text}});
                for (const auto& c : changes->entries) {
                    json e{{"id", c.id.hex()}, {"change", std::string(client::to_string(c.kind))}, {"fields", c.fields}};
                    e["before"] = c.before ? domain::to_json(*c.before) : json(nullptr);
                    e["after"] = c.after ? domain::to_json(*c.after) : json(nullptr);
                    out["entries"].push_back(std::move(e));
                }
                std::string text = out.dump(2);
                std::printf("%s\n", text.c_str());
                crypto::wipe(text);
                return;
            }
            std::printf("%s: from version %u to version %u\n", doc->header.agency.c_str(), changes->from, changes->to);
            if (changes->empty()) std::printf("  no section or chronology entry changed\n");
            for (const auto& c : changes->sections)
                std::printf("  section %s: %s\n", c.key.c_str(), std::string(client::to_string(c.kind)).c_str());
            for (const auto& c : changes->entries) {
                std::string fields;
                for (const auto& f : c.fields) fields += (fields.empty() ? " (" : ", ") + f;
                if (!fields.empty()) fields += ")";
                std::printf("  entry %s: %s%s\n", entry_line(c).c_str(), std::string(client::to_string(c.kind)).c_str(),
                            fields.c_str());
            }
        });
    }

    // --- query
    auto* query = app.add_subcommand("query", "Factual-accuracy queries: the review team raises and closes them, the agency answers");
    query->require_subcommand(1);

    struct AddArgs {
        std::string imr, on = "imr", text;
    };
    auto qa = std::make_shared<AddArgs>();
    auto* add = query->add_subcommand("add", "Raise a query on a submitted IMR (review team); prints its id");
    add->add_option("IMR", qa->imr, "IMR id (or its first characters)")->required();
    add->add_option("--on", qa->on, "imr, summary, a section key (e.g. analysis.q3) or entry:ID")->capture_default_str();
    add->add_option("--text", qa->text, "The question")->required();
    add->callback([&context, qa] {
        auto ws = context.open_workspace();
        guarded([&] {
            const auto& doc = ws->resolve(qa->imr);
            auto target = domain::parse_query_target(qa->on);
            if (!target) throw Failure(kExitUsage, "--on '" + qa->on + "': give imr, summary, a section key or entry:ID");
            const auto id = ws->raise_query(doc.id, *target, qa->text, context.profile_name());
            std::printf("%s\n", id.hex().c_str());
        });
    });

    struct ListArgs {
        std::optional<std::string> imr;
        bool json = false;
    };
    auto ql = std::make_shared<ListArgs>();
    auto* list = query->add_subcommand("list", "Queries with their state and answers");
    list->add_option("IMR", ql->imr, "Only this IMR's");
    list->add_flag("--json", ql->json, "JSON: objects with id, imr, on, text, state and answers");
    list->callback([&context, ql] {
        auto ws = context.open_workspace();
        json out = json::array();
        guarded([&] {
            const client::ImrDocument* only = ql->imr ? &ws->resolve(*ql->imr) : nullptr;
            for (const auto& doc : ws->imrs()) {
                if (only != nullptr && only->id != doc.id) continue;
                for (const auto& q : doc.queries) out.push_back(query_json(doc, q));
            }
        });
        if (ql->json) {
            std::printf("%s\n", out.dump(2).c_str());
            return;
        }
        for (const auto& q : out) {
            std::printf("%s  %-9s %s (%s) on %s, raised by %s %s\n    %s\n", q["id"].get<std::string>().substr(0, 8).c_str(),
                        q["state"].get<std::string>().c_str(), q["agency"].get<std::string>().c_str(),
                        q["case"].get<std::string>().c_str(), q["on"].get<std::string>().c_str(),
                        q["raised_by"].get<std::string>().c_str(), q["raised_at"].get<std::string>().c_str(),
                        q["text"].get<std::string>().c_str());
            for (const auto& a : q["answers"])
                std::printf("    answer by %s %s: %s\n", a["by"].get<std::string>().c_str(), a["at"].get<std::string>().c_str(),
                            a["text"].get<std::string>().c_str());
        }
    });

    struct AnswerArgs {
        std::string id, text;
    };
    auto qn = std::make_shared<AnswerArgs>();
    auto* answer = query->add_subcommand("answer", "Answer a query on your agency's IMR (also while it is submitted)");
    answer->add_option("ID", qn->id, "Query id (or its first characters)")->required();
    answer->add_option("--text", qn->text, "The answer")->required();
    answer->callback([&context, qn] {
        auto ws = context.open_workspace();
        guarded([&] {
            const auto [doc, q] = ws->resolve_query(qn->id);
            const auto id = ws->answer_query(doc->id, q->id, qn->text, context.profile_name());
            std::printf("%s\n", id.hex().c_str());
        });
    });

    auto qc = std::make_shared<std::string>();
    auto* close = query->add_subcommand("close", "Close a query (review team)");
    close->add_option("ID", *qc, "Query id (or its first characters)")->required();
    close->callback([&context, qc] {
        auto ws = context.open_workspace();
        guarded([&] {
            const auto [doc, q] = ws->resolve_query(*qc);
            ws->close_query(doc->id, q->id, context.profile_name());
        });
    });
    auto qr = std::make_shared<std::string>();
    auto* reopen = query->add_subcommand("reopen", "Reopen a closed query (review team): it waits for a new answer");
    reopen->add_option("ID", *qr, "Query id (or its first characters)")->required();
    reopen->callback([&context, qr] {
        auto ws = context.open_workspace();
        guarded([&] {
            const auto [doc, q] = ws->resolve_query(*qr);
            ws->reopen_query(doc->id, q->id, context.profile_name());
        });
    });
}

}  // namespace imrdesk::cli
