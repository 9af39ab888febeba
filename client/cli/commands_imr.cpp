// imr create | list | show, section set | get | na | list
#include <cstdio>

#include "cli.hpp"
#include "imrdesk/client/progress.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "imrdesk/shared/utf8.hpp"

namespace imrdesk::cli {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSectionBytes = 1u << 20;

std::optional<domain::CivilDate> exact_date(const std::optional<std::string>& text, const char* option) {
    if (!text) return std::nullopt;
    try {
        const auto date = domain::parse_date(*text);
        if (date.is_range() || date.start.precision != domain::DatePrecision::Day || date.approximate || date.uncertain)
            throw Failure(kExitUsage, std::string(option) + ": '" + *text + "' must be an exact day, e.g. 14/03/2026");
        return date.first_day();
    } catch (const domain::DateError& e) {
        throw Failure(kExitUsage, std::string(option) + ": '" + *text + "': " + e.what());
    }
}

std::string date_text(const std::optional<domain::CivilDate>& date) { return date ? date->iso() : std::string(); }

domain::OutlineItem find_section(const client::ImrDocument& doc, const std::string& key) {
    for (auto& item : domain::ImrTemplate::builtin().outline(doc.header.case_info.terms_of_reference))
        if (item.key == key) {
            if (!item.is_fillable()) throw Failure(kExitUsage, "'" + key + "' is a group heading: write in one of its sections");
            return item;
        }
    throw Failure(kExitUsage, "there is no section '" + key + "' in this IMR (see 'imrdesk-cli section list IMR')");
}

void require_text_section(const domain::OutlineItem& item) {
    if (item.kind != domain::SectionKind::Text)
        throw Failure(kExitUsage, "'" + item.key + "' is not a text section (it is edited with its own commands)");
}

json imr_summary(const client::ImrDocument& doc) {
    const auto progress = client::progress_of(doc, domain::ImrTemplate::builtin());
    json adults = json::array();
    for (const auto& a : doc.header.adults) adults.push_back(a.name);
    return {{"id", doc.id.hex()},
            {"case_reference", doc.header.case_info.reference},
            {"title", doc.header.title},
            {"agency", doc.header.agency},
            {"adults", adults},
            {"status", doc.submitted_at ? std::string("submitted") : std::string(domain::key_of(doc.header.status))},
            {"read_only_reviewer_copy", doc.reviewer_copy},
            {"due", date_text(doc.header.case_info.due)},
            {"chronology_entries", doc.entries.size()},
            {"recommendations", doc.recommendations.size()},
            {"complete_percent", progress.percent()}};
}

}  // namespace

void register_imr_commands(CLI::App& app, Context& context) {
    auto* imr = app.add_subcommand("imr", "Create and list IMRs");
    imr->require_subcommand(1);

    struct CreateArgs {
        std::string case_ref, agency;
        std::vector<std::string> adults;
        std::optional<std::string> title, case_title, author, role, contact, period_from, period_to, due, tor_file;
    };
    auto a = std::make_shared<CreateArgs>();
    auto* create = imr->add_subcommand("create", "Create an IMR; prints its id");
    create->add_option("--case-ref", a->case_ref, "The review's case reference, e.g. 'SAR 2026-03'")->required();
    create->add_option("--agency", a->agency, "Name of Agency")->required();
    create->add_option("--adult", a->adults, "Name of Adult (or pseudonym); repeat for several; 'NAME|DOB' adds a date of birth");
    create->add_option("--title", a->title, "A title for this IMR");
    create->add_option("--case-title", a->case_title, "The review's title");
    create->add_option("--author", a->author, "The author's name");
    create->add_option("--role", a->role, "The author's role");
    create->add_option("--contact", a->contact, "The author's contact details");
    create->add_option("--period-from", a->period_from, "Start of the period under review");
    create->add_option("--period-to", a->period_to, "End of the period under review");
    create->add_option("--due", a->due, "Deadline for the agency's submission");
    create->add_option("--tor-file", a->tor_file, "Terms of Reference questions, one per line");
    create->callback([&context, a] {
        domain::ImrHeader header;
        header.case_info.reference = a->case_ref;
        header.case_info.title = a->case_title.value_or("");
        header.agency = a->agency;
        header.author_agency = a->agency;
        header.title = a->title.value_or("");
        header.author_name = a->author.value_or("");
        header.author_role = a->role.value_or("");
        header.author_contact = a->contact.value_or("");
        for (const auto& adult : a->adults) {
            const auto bar = adult.find('|');
            domain::Adult entry{adult.substr(0, bar), std::nullopt};
            if (bar != std::string::npos) {
                try {
                    entry.date_of_birth = domain::parse_date(adult.substr(bar + 1));
                } catch (const domain::DateError& e) {
                    throw Failure(kExitUsage, "--adult '" + adult + "': date of birth: " + e.what());
                }
            }
            header.adults.push_back(std::move(entry));
        }
        header.case_info.period_from = exact_date(a->period_from, "--period-from");
        header.case_info.period_to = exact_date(a->period_to, "--period-to");
        header.case_info.due = exact_date(a->due, "--due");
        if (a->tor_file) {
            const std::string text = read_input(a->tor_file, 1u << 20, "a Terms of Reference file");
            if (!text::is_valid_utf8(text)) throw Failure(kExitInvalidInput, *a->tor_file + " is not UTF-8 text");
            std::size_t start = 0;
            int number = 0;
            while (start <= text.size()) {
                auto end = text.find('\n', start);
                if (end == std::string::npos) end = text.size();
                std::string line = text.substr(start, end - start);
                while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
                if (!line.empty()) header.case_info.terms_of_reference.push_back({++number, line});
                start = end + 1;
            }
        }
        auto workspace = context.open_workspace();
        const auto id = workspace->create_imr(std::move(header));
        std::printf("%s\n", id.hex().c_str());
    });

    auto json_output = std::make_shared<bool>(false);
    auto* list = imr->add_subcommand("list", "List the profile's IMRs");
    list->add_flag("--json", *json_output, "Machine-readable output");
    list->callback([&context, json_output] {
        auto workspace = context.open_workspace();
        if (*json_output) {
            json out = json::array();
            for (const auto& doc : workspace->imrs()) out.push_back(imr_summary(doc));
            std::printf("%s\n", out.dump(2).c_str());
            return;
        }
        if (workspace->imrs().empty()) {
            std::printf("No IMRs yet: create one with 'imrdesk-cli imr create --case-ref REF --agency NAME'\n");
            return;
        }
        std::printf("%-12s  %-16s  %-22s  %-10s  %5s  %s\n", "ID", "CASE", "STATUS", "DUE", "DONE", "AGENCY");
        for (const auto& doc : workspace->imrs()) {
            const auto s = imr_summary(doc);
            std::printf("%-12s  %-16s  %-22s  %-10s  %4d%%  %s\n", doc.id.hex().substr(0, 12).c_str(),
                        doc.header.case_info.reference.c_str(), std::string(domain::to_string(doc.header.status)).c_str(),
                        date_text(doc.header.case_info.due).c_str(), s["complete_percent"].get<int>(),
                        doc.header.agency.c_str());
        }
    });

    auto* section = app.add_subcommand("section", "Write, read and mark sections of an IMR");
    section->require_subcommand(1);

    struct SectionArgs {
        std::string imr, key;
        std::optional<std::string> file;
        std::string reason;
        bool complete = false;
    };
    auto s = std::make_shared<SectionArgs>();
    auto* set = section->add_subcommand("set", "Replace a section's text from a file or standard input");
    set->add_option("IMR", s->imr, "IMR id (or its first characters)")->required();
    set->add_option("KEY", s->key, "Section key, e.g. summary, analysis.q3, analysis.tor.1")->required();
    set->add_option("--file", s->file, "Read the text from this file (else standard input)");
    set->add_flag("--complete", s->complete, "Mark the section complete");
    set->callback([&context, s] {
        std::string text = read_input(s->file, kMaxSectionBytes, "a section");
        if (const auto bad = text::first_invalid_utf8(text))
            throw Failure(kExitInvalidInput, "the text is not UTF-8: invalid byte at offset " + std::to_string(*bad));
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(s->imr);
        require_text_section(find_section(doc, s->key));
        domain::SectionContent content;
        if (const auto* existing = doc.section(s->key)) content = existing->value;
        content.key = s->key;
        content.text = std::move(text);
        content.not_applicable = false;
        content.not_applicable_reason.clear();
        content.complete = s->complete;
        workspace->save_section(doc.id, std::move(content));
    });

    auto* get = section->add_subcommand("get", "Print a section's text");
    get->add_option("IMR", s->imr, "IMR id (or its first characters)")->required();
    get->add_option("KEY", s->key, "Section key")->required();
    get->callback([&context, s] {
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(s->imr);
        (void)find_section(doc, s->key);
        const auto* stored = doc.section(s->key);
        if (stored == nullptr) return;
        if (stored->value.not_applicable) {
            std::printf("[Not applicable: %s]\n", stored->value.not_applicable_reason.c_str());
            return;
        }
        std::fwrite(stored->value.text.data(), 1, stored->value.text.size(), stdout);
        if (!stored->value.text.empty() && stored->value.text.back() != '\n') std::fputc('\n', stdout);
    });

    auto* na = section->add_subcommand("na", "Mark a section not applicable to your agency, with the reason");
    na->add_option("IMR", s->imr, "IMR id (or its first characters)")->required();
    na->add_option("KEY", s->key, "Section key")->required();
    na->add_option("--reason", s->reason, "Why the section does not apply")->required();
    na->callback([&context, s] {
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(s->imr);
        const auto item = find_section(doc, s->key);
        if (!item.not_applicable_allowed) throw Failure(kExitUsage, "'" + s->key + "' applies to every IMR and cannot be marked not applicable");
        domain::SectionContent content;
        if (const auto* existing = doc.section(s->key)) content = existing->value;
        content.key = s->key;
        content.not_applicable = true;
        content.not_applicable_reason = s->reason;
        try {
            workspace->save_section(doc.id, std::move(content));
        } catch (const client::ValidationError& e) {
            throw Failure(kExitInvalidInput, e.what());
        }
    });

    auto* sections = section->add_subcommand("list", "List an IMR's sections with their keys and state");
    sections->add_option("IMR", s->imr, "IMR id (or its first characters)")->required();
    sections->callback([&context, s] {
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(s->imr);
        for (const auto& item : domain::ImrTemplate::builtin().outline(doc.header.case_info.terms_of_reference)) {
            const std::string indent(static_cast<std::size_t>(item.depth) * 2, ' ');
            if (!item.is_fillable()) {
                std::printf("%s%s\n", indent.c_str(), item.heading.c_str());
                continue;
            }
            const auto state = client::section_state(doc, item);
            std::string heading = item.heading.size() > 70 ? item.heading.substr(0, 67) + "..." : item.heading;
            std::printf("%s%-24s %-15s %s\n", indent.c_str(), item.key.c_str(), std::string(client::to_string(state)).c_str(),
                        heading.c_str());
        }
    });
}

}  // namespace imrdesk::cli
