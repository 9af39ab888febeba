// demo: opens (creating on first use) the fictional demo profile and shows what it holds.
#include <cstdio>
#include <memory>

#include "cli.hpp"
#include "imrdesk/client/demo.hpp"
#include "imrdesk/client/profiles.hpp"
#include "imrdesk/client/progress.hpp"
#include "imrdesk/shared/imr_template.hpp"

namespace imrdesk::cli {

void register_demo_command(CLI::App& app, Context& context) {
    auto* demo = app.add_subcommand("demo", "Create (first time) and show the fictional demo profile 'Demo'");
    auto review = std::make_shared<bool>(false);
    demo->add_flag("--review", *review,
                   "The review team's demo profile instead: case SAR 2025-07 with two agencies' submitted IMRs, queries, and two "
                   "agencies still to submit");
    demo->callback([&context, review] {
        if (*review) {
            const bool existed = std::filesystem::exists(client::vault_file(context.data_dir(), client::kReviewDemoProfile));
            auto workspace = client::open_or_create_review_demo(context.data_dir());
            std::printf("%s the review team's demo profile '%s' in %s (passphrase: \"%s\")\n\n", existed ? "Opened" : "Created",
                        std::string(client::kReviewDemoProfile).c_str(), context.data_dir().c_str(),
                        std::string(client::kDemoPassphrase).c_str());
            for (const auto& doc : workspace->imrs())
                std::printf("  %s: %s, %zu chronology entries, %zu open queries\n", doc.header.case_info.reference.c_str(),
                            doc.header.agency.c_str(), doc.entries.size(), doc.open_queries());
            std::printf("\nTry:  imrdesk-cli --data-dir '%s' --profile '%s' case status 'SAR 2025-07'\n", context.data_dir().c_str(),
                        std::string(client::kReviewDemoProfile).c_str());
            std::printf("      imrdesk --data-dir '%s' --demo-review\n", context.data_dir().c_str());
            return;
        }
        const bool existed = std::filesystem::exists(client::vault_file(context.data_dir(), client::kDemoProfile));
        auto workspace = client::open_or_create_demo(context.data_dir());
        std::printf("%s demo profile '%s' in %s (passphrase: \"%s\")\n\n", existed ? "Opened the" : "Created the",
                    std::string(client::kDemoProfile).c_str(), context.data_dir().c_str(),
                    std::string(client::kDemoPassphrase).c_str());
        const auto& tmpl = domain::ImrTemplate::builtin();
        for (const auto& doc : workspace->imrs()) {
            const auto& h = doc.header;
            std::printf("%s\n  case %s, %s\n  agency: %s\n  author: %s (%s)\n  status: %s, %d%% complete, due %s\n\n",
                        h.title.c_str(), h.case_info.reference.c_str(), h.case_info.title.c_str(), h.agency.c_str(),
                        h.author_name.c_str(), h.author_role.c_str(), std::string(domain::to_string(h.status)).c_str(),
                        client::progress_of(doc, tmpl).percent(), h.case_info.due ? h.case_info.due->iso().c_str() : "-");
            std::printf("Sections:\n");
            for (const auto& item : tmpl.outline(h.case_info.terms_of_reference)) {
                const std::string indent(static_cast<std::size_t>(item.depth) * 2 + 2, ' ');
                std::string heading = item.heading.size() > 72 ? item.heading.substr(0, 69) + "..." : item.heading;
                if (!item.is_fillable()) std::printf("%s%s\n", indent.c_str(), heading.c_str());
                else std::printf("%s[%-14s] %s\n", indent.c_str(), std::string(client::to_string(client::section_state(doc, item))).c_str(), heading.c_str());
            }
            std::printf("\nChronology: %zu entries; the first five:\n", doc.entries.size());
            for (std::size_t i = 0; i < doc.entries.size() && i < 5; ++i) {
                const auto& e = doc.entries[i].value;
                std::string event = e.event.size() > 80 ? e.event.substr(0, 77) + "..." : e.event;
                std::printf("  %-18s %s\n", e.date.display().c_str(), event.c_str());
            }
            std::printf("\nTry:  imrdesk-cli --data-dir '%s' --profile Demo section get %s summary\n",
                        context.data_dir().c_str(), doc.id.hex().substr(0, 8).c_str());
            std::printf("      (type the passphrase above when asked)\n");
        }
    });
}

}  // namespace imrdesk::cli
