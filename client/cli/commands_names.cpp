// names add | list | remove | scan: the IMR's names register (real name -> pseudonym), applied by
// anonymised exports.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "imrdesk/client/names_scan.hpp"
#include "imrdesk/client/spelling.hpp"
#include "imrdesk/shared/imr_template.hpp"

namespace imrdesk::cli {
namespace {

std::string describe_place(const client::NameFinding& f) {
    using K = client::Place::Kind;
    switch (f.place.kind) {
        case K::Header: return "header " + f.place.field;
        case K::Section: return "section " + f.place.section_key + (f.place.field == "text" ? "" : " " + f.place.field);
        case K::Entry: return "chronology " + f.place.id.hex().substr(0, 8) + " " + f.place.field;
        case K::Recommendation: return "recommendation " + f.place.id.hex().substr(0, 8) + " " + f.place.field;
        case K::Glossary: return "glossary " + f.place.id.hex().substr(0, 8);
        case K::Endorsement: return "endorsement " + f.place.field;
        case K::Chronology: return "chronology";
    }
    return "?";
}

}  // namespace

std::function<bool(std::string_view)> dictionary_or_warn() {
    try {
        auto checker = std::make_shared<client::SpellChecker>();
        return [checker](std::string_view word) { return checker->known(word); };
    } catch (const std::exception& e) {
        std::fprintf(stderr, "imrdesk-cli: warning: no en-GB dictionary (%s): every capitalised word inside a sentence "
                             "is reported\n", e.what());
        return {};
    }
}

std::vector<client::NameFinding> unregistered_names(const client::ImrDocument& doc) {
    auto findings = client::scan_names(doc, domain::ImrTemplate::builtin(), dictionary_or_warn());
    std::erase_if(findings, [](const client::NameFinding& f) { return f.registered; });
    return findings;
}

void print_name_findings(const std::vector<client::NameFinding>& findings, std::FILE* out) {
    for (const auto& f : findings) {
        if (f.registered)
            std::fprintf(out, "%s: '%s' -> %s  (%s)\n", describe_place(f).c_str(), f.text.c_str(), f.pseudonym.c_str(),
                         f.context.c_str());
        else
            std::fprintf(out, "%s: '%s' is not registered: %s  (%s)\n", describe_place(f).c_str(), f.text.c_str(),
                         f.why.c_str(), f.context.c_str());
    }
}

void register_names_commands(CLI::App& app, Context& context) {
    auto* names = app.add_subcommand("names", "The IMR's names register: real names and the pseudonyms exports use");
    names->require_subcommand(1);

    struct AddArgs {
        std::string imr, name, pseudonym;
    };
    auto a = std::make_shared<AddArgs>();
    auto* add = names->add_subcommand("add", "Register a real name and its pseudonym (again: change the pseudonym)");
    add->add_option("IMR", a->imr, "IMR id (or its first characters)")->required();
    add->add_option("--name", a->name, "The real name as written, e.g. 'Mr Quillfeather'")->required();
    add->add_option("--pseudonym", a->pseudonym, "What documents say instead, e.g. 'Adult B', 'GP1'")->required();
    add->callback([&context, a] {
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(a->imr);
        try {
            std::printf("%s\n", workspace->save_name(doc.id, {a->name, a->pseudonym, nlohmann::json::object()}).hex().c_str());
        } catch (const client::ValidationError& e) {
            throw Failure(kExitInvalidInput, e.what());
        } catch (const client::WorkspaceError& e) {
            throw Failure(kExitInvalidInput, e.what());
        }
    });

    struct ListArgs {
        std::string imr;
        bool json = false;
    };
    auto l = std::make_shared<ListArgs>();
    auto* list = names->add_subcommand("list", "List the names register");
    list->add_option("IMR", l->imr, "IMR id (or its first characters)")->required();
    list->add_flag("--json", l->json, "As JSON: [{\"id\", \"real_name\", \"pseudonym\"}]");
    list->callback([&context, l] {
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(l->imr);
        if (l->json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& n : doc.names)
                out.push_back({{"id", n.id.hex()}, {"real_name", n.value.real_name}, {"pseudonym", n.value.pseudonym}});
            std::printf("%s\n", out.dump(2).c_str());
            return;
        }
        for (const auto& n : doc.names) std::printf("%-32s -> %s\n", n.value.real_name.c_str(), n.value.pseudonym.c_str());
        std::printf("%zu names\n", doc.names.size());
    });

    struct RemoveArgs {
        std::string imr, name;
    };
    auto r = std::make_shared<RemoveArgs>();
    auto* remove = names->add_subcommand("remove", "Remove a real name from the register");
    remove->add_option("IMR", r->imr, "IMR id (or its first characters)")->required();
    remove->add_option("NAME", r->name, "The real name (any case)")->required();
    remove->callback([&context, r] {
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(r->imr);
        auto folded = [](std::string s) {
            for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return s;
        };
        for (const auto& n : doc.names)
            if (folded(n.value.real_name) == folded(r->name)) {
                workspace->delete_name(doc.id, n.id);
                std::printf("removed %s\n", n.value.real_name.c_str());
                return;
            }
        throw Failure(kExitInvalidInput, "'" + r->name + "' is not in the names register of this IMR");
    });

    auto s_imr = std::make_shared<std::string>();
    auto* scan = names->add_subcommand(
        "scan", "One line for each place where a registered name occurs, and for likely names that are not registered");
    scan->add_option("IMR", *s_imr, "IMR id (or its first characters)")->required();
    scan->callback([&context, s_imr] {
        auto workspace = context.open_workspace();
        const auto& doc = workspace->resolve(*s_imr);
        const auto findings = client::scan_names(doc, domain::ImrTemplate::builtin(), dictionary_or_warn());
        print_name_findings(findings, stdout);
        for (const auto& p : client::proposed_names(doc))
            std::printf("proposed: the adult '%s' is not registered; e.g. names add %s --name '%s' --pseudonym '%s'\n",
                        p.real_name.c_str(), doc.id.hex().substr(0, 8).c_str(), p.real_name.c_str(), p.pseudonym.c_str());
        const auto unregistered = static_cast<std::size_t>(
            std::count_if(findings.begin(), findings.end(), [](const client::NameFinding& f) { return !f.registered; }));
        std::printf("%zu registered, %zu not registered\n", findings.size() - unregistered, unregistered);
    });
}

}  // namespace imrdesk::cli
