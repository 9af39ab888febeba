// imr export and chronology export: Word, Excel, CSV, JSON; as written or anonymised with the
// names register. Exported files are plain text for anyone who opens them: the command says so.
#include <cstdio>
#include <unistd.h>

#include "cli.hpp"
#include "imrdesk/client/exports.hpp"
#include "imrdesk/client/names_scan.hpp"
#include "imrdesk/client/review.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/docformats/document_writing.hpp"
#include "imrdesk/shared/imr_template.hpp"

namespace imrdesk::cli {
namespace {

struct ExportArgs {
    std::string imr, format;
    std::optional<std::string> output;
    bool anonymised = false, allow_unregistered = false;
    std::string marking = client::kDefaultMarking;
    std::optional<std::string> merged_case;  // chronology merged --case REF: every agency's, merged
};

void add_common(CLI::App* command, const std::shared_ptr<ExportArgs>& x) {
    command->add_option("IMR", x->imr, "IMR id (or its first characters)")->required();
    command->add_option("-o,--output", x->output, "Write to this file (csv and json: else standard output)");
    command->add_flag("--anonymised", x->anonymised,
                      "Replace every registered name with its pseudonym (see 'names'); refused while the scan finds "
                      "likely names that are not registered");
    command->add_flag("--allow-unregistered", x->allow_unregistered,
                      "With --anonymised: export even though the scan found names that are not registered");
    command->add_option("--marking", x->marking, "The protective marking at the top of every page")
        ->capture_default_str();
}

// --format csv|json|xlsx|docx of a chronology export (the parser checked the word).
client::ExportFormat chronology_format(const std::string& text) {
    if (text == "json") return client::ExportFormat::ChronologyJson;
    if (text == "xlsx") return client::ExportFormat::ChronologyXlsx;
    if (text == "docx") return client::ExportFormat::ChronologyDocx;
    return client::ExportFormat::ChronologyCsv;
}

void run_export(Context& context, const ExportArgs& x, client::ExportFormat format) {
    const bool binary = format == client::ExportFormat::ImrDocx || format == client::ExportFormat::ChronologyDocx ||
                        format == client::ExportFormat::ChronologyXlsx;
    if (binary && !x.output)
        throw Failure(kExitUsage, "give the file to write with -o FILE." + std::string(client::extension_of(format)));
    if (x.allow_unregistered && !x.anonymised) throw Failure(kExitUsage, "--allow-unregistered goes with --anonymised");
    if (x.marking.size() > 80 || x.marking.find_first_of("\r\n") != std::string::npos)
        throw Failure(kExitUsage, "--marking: one line of at most 80 characters");
    auto workspace = context.open_workspace();
    client::ImrDocument merged;
    struct Wipe {
        client::ImrDocument& doc;
        ~Wipe() { client::wipe_document(doc); }
    } wipe_merged{merged};
    try {
        if (x.merged_case) merged = client::merged_document(*workspace, *x.merged_case);
    } catch (const client::WorkspaceError& e) {
        throw Failure(kExitError, e.what());
    }
    const auto& doc = x.merged_case ? merged : workspace->resolve(x.imr);
    if (x.anonymised) {
        auto unregistered = unregistered_names(doc);
        const auto proposed = client::proposed_names(doc);
        if ((!unregistered.empty() || !proposed.empty()) && !x.allow_unregistered) {
            print_name_findings(unregistered, stderr);
            for (const auto& p : proposed)
                std::fprintf(stderr, "the adult '%s' is not registered (e.g. --pseudonym '%s')\n", p.real_name.c_str(),
                             p.pseudonym.c_str());
            throw Failure(kExitInvalidInput,
                          std::to_string(unregistered.size() + proposed.size()) +
                              " likely names are not in the names register: nothing was exported. Register them with "
                              "'names add', or export with --allow-unregistered if they are not names");
        }
        if (doc.names.empty())
            std::fprintf(stderr, "imrdesk-cli: warning: the names register is empty: the anonymised export is as written\n");
    }
    client::ExportOptions options;
    options.anonymised = x.anonymised;
    options.marking = x.marking;
    if (x.merged_case) {
        client::VaultReplica replica(*workspace);  // the case data, for the agencies' colours
        options.agency_fills = client::agency_fills(replica.state(), *workspace, *x.merged_case);
    }
    try {
        if (x.output) {
            const auto bytes = client::write_export(*workspace, doc, domain::ImrTemplate::builtin(), format, options, *x.output);
            std::fprintf(stderr, "%s: %s%s, %zu bytes. This file is NOT encrypted: keep it on an encrypted drive and "
                                 "delete it when no longer needed.\n",
                         x.output->c_str(), std::string(client::describe(format)).c_str(), x.anonymised ? " (anonymised)" : "",
                         bytes);
            return;
        }
        std::string out = client::export_bytes(doc, domain::ImrTemplate::builtin(), format, options);
        (void)client::deliver_export(*workspace, doc, format, x.anonymised, out, client::ExportDestination::to_stream(stdout));
    } catch (const docformats::DocumentWriteError& e) {
        throw Failure(kExitError, std::string("the export failed: ") + e.what());
    }
}

}  // namespace

void register_export_commands(CLI::App& app, Context& context) {
    auto* imr = app.get_subcommand("imr");
    auto i = std::make_shared<ExportArgs>();
    i->format = "docx";
    auto* imr_export = imr->add_subcommand("export", "Export the whole IMR as an editable Word document (plain: handle it with care)");
    add_common(imr_export, i);
    imr_export->add_option("--format", i->format, "docx")->check(CLI::IsMember({"docx"}))->capture_default_str();
    imr_export->callback([&context, i] { run_export(context, *i, client::ExportFormat::ImrDocx); });

    auto* chronology = app.get_subcommand("chronology");
    auto c = std::make_shared<ExportArgs>();
    c->format = "csv";
    auto* chronology_export = chronology->add_subcommand(
        "export", "Export the chronology as CSV, JSON, Excel (.xlsx) or a Word table (.docx) (plain: handle it with care)");
    add_common(chronology_export, c);
    chronology_export->add_option("--format", c->format, "csv, json, xlsx or docx")
        ->check(CLI::IsMember({"csv", "json", "xlsx", "docx"}))
        ->capture_default_str();
    chronology_export->callback([&context, c] {
        run_export(context, *c, chronology_format(c->format));
    });

    auto m = std::make_shared<ExportArgs>();
    m->format = "csv";
    m->merged_case = std::string();
    auto* merged = chronology->add_subcommand(
        "merged", "The review team's merged chronology of every submitted IMR of a case, in date order, each row with its "
                  "agency (plain: handle it with care)");
    merged->add_option("--case", *m->merged_case, "Case reference")->required();
    merged->add_option("-o,--output", m->output, "Write to this file (csv and json: else standard output)");
    merged->add_option("--format", m->format, "csv, json, xlsx or docx")
        ->check(CLI::IsMember({"csv", "json", "xlsx", "docx"}))
        ->capture_default_str();
    merged->add_flag("--anonymised", m->anonymised, "Replace every registered name (of every agency's register) with its pseudonym");
    merged->add_flag("--allow-unregistered", m->allow_unregistered, "With --anonymised: export despite likely unregistered names");
    merged->add_option("--marking", m->marking, "The protective marking at the top of every page")->capture_default_str();
    merged->callback([&context, m] {
        run_export(context, *m, chronology_format(m->format));
    });
}

}  // namespace imrdesk::cli
