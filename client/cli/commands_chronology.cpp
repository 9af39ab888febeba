// chronology add | list | import | export
#include <cstdio>

#include "cli.hpp"
#include "imrdesk/client/chronology_source.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/shared/chronology_csv.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/text_encoding.hpp"
#include "imrdesk/shared/utf8.hpp"

namespace imrdesk::cli {
namespace {

std::string one_line(const std::string& text, std::size_t width) {
    std::string out;
    for (const char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    if (out.size() > width) out = out.substr(0, width - 3) + "...";
    return out;
}

}  // namespace

void register_chronology_commands(CLI::App& app, Context& context) {
    auto* chronology = app.add_subcommand("chronology", "Add, list, import and export chronology entries");
    chronology->require_subcommand(1);

    struct AddArgs {
        std::string imr, date, source, event;
        std::optional<std::string> time, action, rationale, outcome, role, comment;
        int sequence = 0;
        bool key_practice = false, missed = false, good = false, no_contact = false;
    };
    auto a = std::make_shared<AddArgs>();
    auto* add = chronology->add_subcommand("add", "Add one entry; prints its id");
    add->add_option("IMR", a->imr, "IMR id (or its first characters)")->required();
    add->add_option("--date", a->date, "Date as you would write it: 14/03/2019, March 2019, c. 2018, 01/2019 - 03/2019")->required();
    add->add_option("--source", a->source, "Source of information: record system and reference")->required();
    add->add_option("--event", a->event, "Event / contact details")->required();
    add->add_option("--time", a->time, "Time, e.g. 14:30 or 2.30pm");
    add->add_option("--sequence", a->sequence, "Order among entries of the same day")->check(CLI::Range(0, 1000000));
    add->add_option("--action", a->action, "Action taken / decision");
    add->add_option("--rationale", a->rationale, "Rationale, where known");
    add->add_option("--outcome", a->outcome, "Outcome");
    add->add_option("--role", a->role, "Practitioner's role");
    add->add_option("--comment", a->comment, "Analysis / significance / comment (kept apart from the facts)");
    add->add_flag("--key-practice-episode", a->key_practice, "Flag as a key practice episode");
    add->add_flag("--missed-opportunity", a->missed, "Flag as a missed opportunity");
    add->add_flag("--good-practice", a->good, "Flag as good practice");
    add->add_flag("--no-contact", a->no_contact, "A stated period with no agency contact");
    add->callback([&context, a] {
        domain::ChronologyEntry entry;
        try {
            entry.date = domain::parse_date(a->date);
        } catch (const domain::DateError& e) {
            throw Failure(kExitInvalidInput, "--date '" + a->date + "': " + e.what());
        }
        if (a->time) {
            try {
                entry.time = domain::parse_time(*a->time);
            } catch (const domain::DateError& e) {
                throw Failure(kExitInvalidInput, "--time '" + *a->time + "': " + e.what());
            }
        }
        entry.sequence = a->sequence;
        entry.source = a->source;
        entry.event = a->event;
        entry.action = a->action.value_or("");
        entry.rationale = a->rationale.value_or("");
        entry.outcome = a->outcome.value_or("");
        entry.practitioner_role = a->role.value_or("");
        entry.comment = a->comment.value_or("");
        entry.key_practice_episode = a->key_practice;
        entry.missed_opportunity = a->missed;
        entry.good_practice = a->good;
        entry.no_contact_period = a->no_contact;
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(a->imr);
        for (const auto& issue : domain::validate(entry, doc.header.case_info))
            if (issue.severity == domain::Severity::Warning)
                std::fprintf(stderr, "imrdesk-cli: warning: %s: %s\n", issue.field.c_str(), issue.message.c_str());
        try {
            std::printf("%s\n", workspace->add_entry(doc.id, std::move(entry)).hex().c_str());
        } catch (const client::ValidationError& e) {
            throw Failure(kExitInvalidInput, e.what());
        }
    });

    auto list_imr = std::make_shared<std::string>();
    auto* list = chronology->add_subcommand("list", "List an IMR's chronology in date order");
    list->add_option("IMR", *list_imr, "IMR id (or its first characters)")->required();
    list->callback([&context, list_imr] {
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(*list_imr);
        for (const auto& e : doc.entries) {
            std::string flags;
            if (e.value.key_practice_episode) flags += "K";
            if (e.value.missed_opportunity) flags += "M";
            if (e.value.good_practice) flags += "G";
            if (e.value.no_contact_period) flags += "N";
            std::printf("%-8s  %-24s %-5s %-3s %-28s %s\n", e.id.hex().substr(0, 8).c_str(), e.value.date.typed().c_str(),
                        e.value.time ? e.value.time->text().c_str() : "", flags.c_str(),
                        one_line(e.value.source, 28).c_str(), one_line(e.value.event, 60).c_str());
        }
        std::printf("%zu entries\n", doc.entries.size());
    });

    struct ImportArgs {
        std::string imr, file;
        std::vector<std::string> maps, ignores;
        std::optional<std::string> delimiter, encoding, sheet;
        bool dry_run = false, skip_invalid = false;
    };
    auto i = std::make_shared<ImportArgs>();
    auto* import = chronology->add_subcommand(
        "import", "Import entries from a chronology spreadsheet: CSV (UTF-8, UTF-16 or Windows-1252; comma, semicolon "
                  "or tab) or an Excel workbook (.xlsx). Every column is kept: as a field, as an extra field named "
                  "by its heading, or left out when you say so");
    import->add_option("IMR", i->imr, "IMR id (or its first characters)")->required();
    import->add_option("FILE", i->file, "The .csv or .xlsx file")->required();
    import->add_option("--map", i->maps,
                       "'Heading=field': import that column as this field (date, time, datetime, end_date, sequence, "
                       "agency, contact_type, source, event, action, rationale, outcome, role, comment, flags, tor, "
                       "principles ...), 'extra' to keep it as its own field, or 'ignore'. Repeatable");
    import->add_option("--ignore", i->ignores, "Leave this column out (its heading). Repeatable");
    import->add_option("--delimiter", i->delimiter, "CSV separator: , ; or tab (else detected from the heading row)")
        ->check(CLI::IsMember({",", ";", "tab", "\t", "comma", "semicolon"}));
    import->add_option("--encoding", i->encoding, "CSV encoding: utf-8, windows-1252 or utf-16 (else detected)");
    import->add_option("--sheet", i->sheet, "The worksheet of an .xlsx workbook (else the first)");
    import->add_flag("--dry-run", i->dry_run, "Check and report how each column would be imported; write nothing");
    import->add_flag("--skip-invalid", i->skip_invalid, "Import the valid rows and report the others");
    import->callback([&context, i] {
        client::SourceOptions source;
        if (i->encoding) {
            source.encoding = text::encoding_from_name(*i->encoding);
            if (!source.encoding)
                throw Failure(kExitUsage, "--encoding '" + *i->encoding + "': use utf-8, windows-1252 or utf-16");
        }
        if (i->delimiter) {
            const std::string& d = *i->delimiter;
            source.delimiter = (d == ";" || d == "semicolon") ? ';' : (d == "tab" || d == "\\t") ? '\t' : ',';
        }
        if (i->sheet) source.sheet = *i->sheet;
        domain::ImportChoices choices;
        try {
            for (const auto& m : i->maps) choices.by_heading.push_back(domain::parse_mapping(m));
        } catch (const domain::ImportError& e) {
            throw Failure(kExitUsage, e.what());
        }
        for (const auto& heading : i->ignores) choices.by_heading.emplace_back(heading, domain::ColumnTarget::ignore());

        client::LoadedTable loaded;
        if (i->file == "-") {
            std::string bytes = read_input(std::nullopt, client::kMaxImportFileBytes, "a chronology file");
            try {
                loaded = client::read_chronology_table(bytes, source);
            } catch (const domain::ImportError& e) {
                crypto::wipe(bytes);
                throw Failure(kExitInvalidInput, "standard input: " + std::string(e.what()));
            }
            crypto::wipe(bytes);
        } else {
            std::error_code ec;
            const bool exists = std::filesystem::exists(i->file, ec);
            try {
                loaded = client::load_chronology_file(i->file, source);
            } catch (const domain::ImportError& e) {
                throw Failure(exists ? kExitInvalidInput : kExitUsage, i->file + ": " + e.what());
            }
        }
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(i->imr);
        domain::ImportPreview preview;
        try {
            preview = domain::preview_chronology(loaded.table, doc.header.case_info, choices);
        } catch (const domain::ImportError& e) {
            client::wipe(loaded.table);
            throw Failure(kExitInvalidInput, i->file + ": " + e.what());
        }
        client::wipe(loaded.table);
        const bool guessed = !loaded.spreadsheet && loaded.encoding_detected && loaded.encoding != text::Encoding::Utf8;
        std::fprintf(stderr, "%s: %s%s\n", i->file.c_str(), loaded.describe().c_str(),
                     guessed ? " (--encoding chooses another)" : "");
        if (!preview.above_header.empty())
            std::fprintf(stderr, "%s: the heading row is %s; %zu row(s) above it are not imported (titles): %s\n",
                         i->file.c_str(), loaded.where(preview.header_line).c_str(), preview.above_header.size(),
                         preview.above_header.front().c_str());
        for (const auto& line : preview.describe_columns()) std::fprintf(stderr, "%s\n", line.c_str());
        for (const auto& error : preview.errors)
            std::fprintf(stderr, "%s: %s: %s\n", i->file.c_str(), loaded.where(error.line).c_str(), error.message.c_str());
        if (!preview.importable()) {
            const std::string message = preview.describe_missing();
            client::wipe(preview);
            throw Failure(kExitInvalidInput, i->file + ": " + message);
        }
        const std::size_t valid = preview.rows.size();
        if (!preview.errors.empty() && !i->skip_invalid && !i->dry_run) {
            const std::size_t invalid = preview.errors.size();
            client::wipe(preview);
            throw Failure(kExitInvalidInput, std::to_string(invalid) + " of " + std::to_string(preview.row_count) +
                                                 " rows are invalid; nothing was imported (fix them, or use --skip-invalid)");
        }
        if (i->dry_run) {
            std::printf("%zu rows: %zu valid, %zu invalid; nothing written (--dry-run)\n", preview.row_count, valid,
                        preview.errors.size());
            const bool invalid = !preview.errors.empty();
            client::wipe(preview);
            if (invalid) throw Failure(kExitInvalidInput, "the file has invalid rows");
            return;
        }
        std::vector<domain::ChronologyEntry> entries;
        entries.reserve(valid);
        for (auto& row : preview.rows) entries.push_back(std::move(row.entry));
        const std::size_t skipped = preview.errors.size();
        client::wipe(preview);
        if (!entries.empty()) (void)workspace->add_entries(doc.id, std::move(entries), "chronology.imported");
        std::printf("%zu entries imported from %s%s\n", valid, i->file.c_str(),
                    skipped == 0 ? "" : (" (" + std::to_string(skipped) + " invalid rows skipped)").c_str());
    });

}

}  // namespace imrdesk::cli
