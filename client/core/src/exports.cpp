// The IMR as a Word document and the chronology as Excel, Word, CSV or JSON. See exports.hpp.
#include "imrdesk/client/exports.hpp"

#include <algorithm>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "imrdesk/client/chronology_source.hpp"
#include "imrdesk/client/names_scan.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/docformats/docx_writer.hpp"
#include "imrdesk/docformats/xlsx_writer.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/shared/chronology_csv.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/csv.hpp"

namespace imrdesk::client {
namespace {

using docformats::ParagraphStyle;
using docformats::Run;
using docformats::TableCell;

std::string date_text(const domain::PartialDate& date) {
    try {
        return date.display();
    } catch (const domain::DateError&) {
        return "(no date)";
    }
}

std::string civil_text(const std::optional<domain::CivilDate>& date) {
    if (!date) return "not given";
    return domain::PartialDate::day(date->year, date->month, date->day).display();
}

std::string flags_of(const domain::ChronologyEntry& e) {
    std::string out;
    auto add = [&](bool on, const char* text) {
        if (on) out += (out.empty() ? "" : "; ") + std::string(text);
    };
    add(e.key_practice_episode, "Key practice episode");
    add(e.missed_opportunity, "Missed opportunity");
    add(e.good_practice, "Good practice");
    add(e.no_contact_period, "No agency contact");
    return out;
}

std::string tags_of(const domain::ChronologyEntry& e) {
    std::string out;
    for (const int q : e.tor_questions) out += (out.empty() ? "ToR " : ", ") + std::to_string(q);
    for (std::size_t i = 0; i < e.principles.size(); ++i)
        out += std::string(out.empty() || i > 0 ? (out.empty() ? "" : ", ") : "; ") + std::string(domain::to_string(e.principles[i]));
    return out;
}

TableCell cell(std::string text) {
    TableCell c;
    c.paragraphs.push_back({Run{std::move(text)}});
    return c;
}

// The numbers entries have in print: C1, C2 ... in chronological order.
std::unordered_map<domain::Id, std::size_t, domain::IdHash> numbering(const ImrDocument& doc) {
    std::unordered_map<domain::Id, std::size_t, domain::IdHash> out;
    for (std::size_t i = 0; i < doc.entries.size(); ++i) out[doc.entries[i].id] = i + 1;
    return out;
}

bool any_agency(const ImrDocument& doc) {
    return std::any_of(doc.entries.begin(), doc.entries.end(), [](const auto& e) { return !e.value.agency.empty(); });
}
bool any_contact_type(const ImrDocument& doc) {
    return std::any_of(doc.entries.begin(), doc.entries.end(), [](const auto& e) { return !e.value.contact_type.empty(); });
}

// The chronology as a Word table: one row an entry, the heading row on every page.
docformats::Table chronology_table(const ImrDocument& doc, const ExportOptions& options) {
    docformats::Table table;
    const bool agency = any_agency(doc), contact = any_contact_type(doc);
    table.header = {"No.", "Date", "Time"};
    // Widths in cm, scaled to the landscape page; No. and Time wide enough never to wrap ("C10000", "09:40").
    table.column_widths_cm = {1.6, 2.3, 1.9};
    if (agency) {
        table.header.emplace_back("Agency");
        table.column_widths_cm.push_back(2.3);
    }
    if (contact) {
        table.header.emplace_back("Type of contact");
        table.column_widths_cm.push_back(2.0);
    }
    for (const auto& [heading, width] : std::initializer_list<std::pair<const char*, double>>{
             {"Source of information", 3.0}, {"Event / contact details", 5.8}, {"Action taken / decision / outcome", 3.9},
             {"Practitioner's role", 2.6}, {"Analysis / significance / comment", 3.9}, {"Flags and tags", 2.5}}) {
        table.header.emplace_back(heading);
        table.column_widths_cm.push_back(width);
    }
    table.rows.reserve(doc.entries.size());
    std::size_t n = 0;
    for (const auto& stored : doc.entries) {
        const auto& e = stored.value;
        std::vector<TableCell> row;
        row.push_back(cell("C" + std::to_string(++n)));
        row.push_back(cell(date_text(e.date)));
        row.push_back(cell(e.time ? e.time->text() : std::string()));
        if (agency) row.push_back(cell(e.agency));
        if (contact) row.push_back(cell(e.contact_type));
        row.push_back(cell(e.source));
        TableCell event = cell(e.event);
        for (const auto& extra : e.extra_fields) event.paragraphs.push_back({Run{extra.name + ": ", true}, Run{extra.value}});
        row.push_back(std::move(event));
        TableCell action = cell(e.action);
        if (!e.rationale.empty()) action.paragraphs.push_back({Run{"Rationale: ", true}, Run{e.rationale}});
        if (!e.outcome.empty()) action.paragraphs.push_back({Run{"Outcome: ", true}, Run{e.outcome}});
        row.push_back(std::move(action));
        row.push_back(cell(e.practitioner_role));
        row.push_back(cell(e.comment));
        TableCell marks = cell(flags_of(e));
        if (const auto tags = tags_of(e); !tags.empty()) marks.paragraphs.push_back({Run{tags}});
        if (e.missed_opportunity) marks.shading_hex = "FCE4D6";
        else if (e.key_practice_episode) marks.shading_hex = "FFF2CC";
        else if (e.good_practice) marks.shading_hex = "E2EFDA";
        row.push_back(std::move(marks));
        table.rows.push_back(std::move(row));
        if (options.progress && n % 500 == 0) options.progress(n, doc.entries.size());
    }
    return table;
}

void title_block(docformats::DocxWriter& w, const ImrDocument& doc) {
    const auto& h = doc.header;
    docformats::Table t;
    t.header = {"", ""};
    t.column_widths_cm = {5.0, 12.0};
    auto row = [&](const char* label, std::string value) {
        TableCell l = cell(label);
        l.paragraphs.front().front().bold = true;
        l.shading_hex = "F2F2F2";
        t.rows.push_back({std::move(l), cell(std::move(value))});
    };
    row("Name of agency", h.agency);
    std::string adults;
    for (const auto& a : h.adults) {
        if (!adults.empty()) adults += "\n";
        adults += a.name;
        adults += a.date_of_birth ? ", born " + date_text(*a.date_of_birth) : ", date of birth not given";
    }
    row("Name of adult(s) and date of birth", adults);
    row("Author", h.author_name + (h.author_role.empty() ? "" : ", " + h.author_role));
    row("Author's agency", h.author_agency.empty() ? h.agency : h.author_agency);
    row("Author's contact details", h.author_contact);
    row("Author's independence from the case", h.author_independence);
    row("Case reference", h.case_info.reference + (h.case_info.title.empty() ? "" : ": " + h.case_info.title));
    if (h.case_info.period_from || h.case_info.period_to)
        row("Period under review", civil_text(h.case_info.period_from) + " to " + civil_text(h.case_info.period_to));
    row("Date of completion", civil_text(h.completion_date));
    row("Date records were secured", civil_text(h.records_secured_date));
    row("Records examined", h.records_examined);
    row("Staff interviewed", h.staff_interviewed);
    row("Status", std::string(domain::to_string(h.status)));
    // The heading row of a two-column key/value table says nothing: drop it by using the first
    // row as the header would repeat it; keep an explicit caption instead.
    t.header = {"About this IMR", ""};
    w.table(t);
}

ParagraphStyle heading_for(int depth) {
    return depth <= 0 ? ParagraphStyle::Heading1 : depth == 1 ? ParagraphStyle::Heading2 : ParagraphStyle::Heading3;
}

std::string docx_of_imr(const ImrDocument& doc, const domain::ImrTemplate& imr_template, const ExportOptions& options,
                        const docformats::TextFilter& filter) {
    const auto& h = doc.header;
    docformats::DocxWriter w(filter);
    w.set_properties({"Individual Management Review: " + h.agency + ", " + h.case_info.reference,
                      "Safeguarding Adults Review " + h.case_info.reference + (h.case_info.title.empty() ? "" : ": " + h.case_info.title),
                      h.author_name, "IMR; Safeguarding Adults Review; " + h.case_info.reference,
                      "Individual Management Review written in imrdesk"});
    w.set_marking(options.marking);
    w.set_footer_text(h.case_info.reference + "  |  " + h.agency);
    w.paragraph(ParagraphStyle::Title, "Individual Management Review");
    w.paragraph(ParagraphStyle::Subtitle, h.case_info.title.empty() ? "Safeguarding Adults Review " + h.case_info.reference
                                                                    : h.case_info.reference + ": " + h.case_info.title);
    title_block(w, doc);

    const auto numbers = numbering(doc);
    for (const auto& item : imr_template.outline(h.case_info.terms_of_reference)) {
        if (item.kind == domain::SectionKind::Header) continue;  // the title block
        const ParagraphStyle heading = heading_for(item.depth);
        switch (item.kind) {
            case domain::SectionKind::Group:
            case domain::SectionKind::TermsOfReference:
                w.paragraph(heading, item.heading);
                break;
            case domain::SectionKind::Chronology: {
                w.paragraph(heading, item.heading);
                if (doc.entries.empty()) {
                    w.paragraph(ParagraphStyle::Normal, std::vector<Run>{Run{"No chronology entries.", false, true}});
                    break;
                }
                w.paragraph(ParagraphStyle::Normal, std::to_string(doc.entries.size()) +
                                                        " entries, in date order, follow on landscape pages. Analysis "
                                                        "and learning cite them by number (C1, C2 ...).");
                w.section(true);
                w.paragraph(heading_for(item.depth + 1), item.heading + " (table)");
                w.table(chronology_table(doc, options));
                w.section(false);
                break;
            }
            case domain::SectionKind::Recommendations: {
                w.paragraph(heading, item.heading);
                if (doc.recommendations.empty()) {
                    w.paragraph(ParagraphStyle::Normal, std::vector<Run>{Run{"No recommendations.", false, true}});
                    break;
                }
                docformats::Table t;
                t.header = {"No.", "Recommendation", "Linked learning", "Owner", "Target date", "Resources or cost",
                            "Measure of completion"};
                t.column_widths_cm = {1.0, 5.0, 2.4, 2.2, 2.0, 2.2, 2.2};
                for (const auto& r : doc.recommendations) {
                    std::string learning;
                    for (const auto& key : r.value.linked_learning) {
                        const auto* def = imr_template.find(key);
                        learning += (learning.empty() ? "" : "\n") + (def != nullptr ? def->heading : key);
                    }
                    t.rows.push_back({cell(std::to_string(r.value.order)), cell(r.value.text), cell(learning),
                                      cell(r.value.owner_role), cell(civil_text(r.value.target_date)),
                                      cell(r.value.resources), cell(r.value.measure)});
                }
                w.table(t);
                break;
            }
            case domain::SectionKind::Endorsement: {
                w.paragraph(heading, item.heading);
                if (!doc.endorsement) {
                    w.paragraph(ParagraphStyle::Normal, std::vector<Run>{Run{"Not yet endorsed.", false, true}});
                    break;
                }
                const auto& e = doc.endorsement->value;
                w.paragraph(ParagraphStyle::Normal, e.declaration);
                w.paragraph(ParagraphStyle::Normal, std::vector<Run>{Run{"Endorsed by: ", true}, Run{e.officer_name + (e.officer_role.empty() ? "" : ", " + e.officer_role)}});
                w.paragraph(ParagraphStyle::Normal, std::vector<Run>{Run{"Date: ", true}, Run{civil_text(e.date)}});
                w.paragraph(ParagraphStyle::Small, std::vector<Run>{Run{"Content hash (SHA-256) of the IMR as endorsed: ", true}, Run{e.content_hash}});
                break;
            }
            case domain::SectionKind::Text:
            case domain::SectionKind::Header: {
                w.paragraph(heading, item.heading);
                const auto* s = doc.section(item.key);
                if (s != nullptr && s->value.not_applicable) {
                    w.paragraph(ParagraphStyle::Normal, std::vector<Run>{Run{"Not applicable to " + h.agency + ": ", true},
                                                                      Run{s->value.not_applicable_reason}});
                    break;
                }
                if (s == nullptr || s->value.text.find_first_not_of(" \t\r\n") == std::string::npos) {
                    w.paragraph(ParagraphStyle::Normal, std::vector<Run>{Run{"Nothing written for this section.", false, true}});
                    break;
                }
                w.paragraph(ParagraphStyle::Normal, s->value.text);
                if (!s->value.citations.empty()) {
                    std::string cited;
                    for (const auto& id : s->value.citations) {
                        const auto it = numbers.find(id);
                        const auto* entry = doc.entry(id);
                        if (it == numbers.end() || entry == nullptr) continue;
                        cited += (cited.empty() ? "" : "; ") + ("C" + std::to_string(it->second)) + " (" +
                                 date_text(entry->value.date) + ", " + entry->value.source + ")";
                    }
                    if (!cited.empty())
                        w.paragraph(ParagraphStyle::Small, std::vector<Run>{Run{"Evidence in the chronology: ", true}, Run{cited}});
                }
                break;
            }
        }
    }
    if (!doc.glossary.empty()) {
        w.paragraph(ParagraphStyle::Heading1, "Glossary");
        docformats::Table t;
        t.header = {"Abbreviation", "In full"};
        t.column_widths_cm = {4.0, 13.0};
        for (const auto& g : doc.glossary) t.rows.push_back({cell(g.value.abbreviation), cell(g.value.expansion)});
        w.table(t);
    }
    return w.finish();
}

std::string docx_of_chronology(const ImrDocument& doc, const ExportOptions& options, const docformats::TextFilter& filter) {
    const auto& h = doc.header;
    docformats::DocxWriter w(filter);
    w.set_properties({"Chronology of agency involvement: " + h.agency + ", " + h.case_info.reference,
                      "Safeguarding Adults Review " + h.case_info.reference, h.author_name,
                      "chronology; Safeguarding Adults Review; " + h.case_info.reference, "Chronology written in imrdesk"});
    w.set_marking(options.marking);
    w.set_footer_text(h.case_info.reference + "  |  " + h.agency);
    w.set_first_orientation(true);
    w.paragraph(ParagraphStyle::Title, "Chronology of agency involvement");
    w.paragraph(ParagraphStyle::Subtitle, h.agency + ", Safeguarding Adults Review " + h.case_info.reference);
    w.table(chronology_table(doc, options));
    return w.finish();
}

std::string xlsx_of_chronology(const ImrDocument& doc, const ExportOptions& options, const docformats::TextFilter& filter) {
    const auto& h = doc.header;
    docformats::XlsxWriter w(filter);
    w.set_properties({"Chronology of agency involvement: " + h.agency + ", " + h.case_info.reference,
                      "Safeguarding Adults Review " + h.case_info.reference, h.author_name, "chronology",
                      options.marking});
    const auto extras = [&] {
        std::vector<domain::ChronologyEntry> entries;
        entries.reserve(doc.entries.size());
        for (const auto& e : doc.entries) entries.push_back(e.value);
        auto names = domain::extra_field_names(entries);
        for (auto& e : entries) wipe(e);
        return names;
    }();
    std::vector<std::string> headings = {"No.", "Date (sortable)", "Date as written", "Time", "Agency", "Type of contact",
                                         "Source of information", "Event / contact details", "Action taken / decision",
                                         "Rationale", "Outcome", "Practitioner's role", "Analysis / significance / comment",
                                         "Key practice episode", "Missed opportunity", "Good practice", "No agency contact",
                                         "Terms of Reference", "Safeguarding principles"};
    std::vector<double> widths = {6, 12, 16, 7, 18, 14, 22, 50, 30, 22, 22, 16, 36, 10, 10, 10, 10, 12, 22};
    for (const auto& name : extras) {
        headings.push_back(name);
        widths.push_back(20);
    }
    w.add_sheet(h.case_info.reference.empty() ? "Chronology" : "Chronology " + h.case_info.reference, headings, widths);
    std::size_t r = 0;
    for (const auto& stored : doc.entries) {
        const auto& e = stored.value;
        std::size_t c = 0;
        w.write_number(r, c++, static_cast<double>(r + 1));
        // The first day of any date, as a real date cell, so that Excel sorts and filters by it;
        // the date as written beside it keeps its precision ("March 2019", "c. 2018").
        const auto first = e.date.first_day();
        w.write_date(r, c++, first.year, first.month, first.day);
        w.write_text(r, c++, e.date.typed());
        w.write_text(r, c++, e.time ? e.time->text() : std::string());
        if (const auto fill = options.agency_fills.find(e.agency); fill != options.agency_fills.end() && !e.agency.empty())
            w.write_text_on_fill(r, c++, e.agency, fill->second);
        else
            w.write_text(r, c++, e.agency);
        for (const auto* text : {&e.contact_type, &e.source, &e.event, &e.action, &e.rationale, &e.outcome,
                                 &e.practitioner_role, &e.comment})
            w.write_text(r, c++, *text);
        for (const bool flag : {e.key_practice_episode, e.missed_opportunity, e.good_practice, e.no_contact_period})
            w.write_text(r, c++, flag ? "Yes" : "");
        std::string tor;
        for (const int q : e.tor_questions) tor += (tor.empty() ? "" : "; ") + std::to_string(q);
        w.write_text(r, c++, tor);
        std::string principles;
        for (const auto p : e.principles) principles += (principles.empty() ? "" : "; ") + std::string(domain::to_string(p));
        w.write_text(r, c++, principles);
        for (const auto& name : extras) {
            const auto it = std::find_if(e.extra_fields.begin(), e.extra_fields.end(),
                                         [&](const domain::ExtraField& f) { return f.name == name; });
            w.write_text(r, c++, it == e.extra_fields.end() ? std::string() : it->value);
        }
        ++r;
        if (options.progress && r % 500 == 0) options.progress(r, doc.entries.size());
    }
    return w.finish();
}

domain::ChronologyEntry filtered(domain::ChronologyEntry e, const docformats::TextFilter& filter) {
    if (!filter) return e;
    for (auto* text : {&e.agency, &e.contact_type, &e.source, &e.event, &e.action, &e.rationale, &e.outcome,
                       &e.practitioner_role, &e.comment}) {
        std::string replaced = filter(*text);
        crypto::wipe(*text);
        *text = std::move(replaced);
    }
    for (auto& extra : e.extra_fields) {
        extra.name = filter(extra.name);
        std::string replaced = filter(extra.value);
        crypto::wipe(extra.value);
        extra.value = std::move(replaced);
    }
    return e;
}

}  // namespace

std::string_view extension_of(ExportFormat format) noexcept {
    switch (format) {
        case ExportFormat::ImrDocx:
        case ExportFormat::ChronologyDocx: return "docx";
        case ExportFormat::ChronologyXlsx: return "xlsx";
        case ExportFormat::ChronologyCsv: return "csv";
        case ExportFormat::ChronologyJson: return "json";
    }
    return "";
}

std::string_view describe(ExportFormat format) noexcept {
    switch (format) {
        case ExportFormat::ImrDocx: return "the IMR as a Word document";
        case ExportFormat::ChronologyXlsx: return "the chronology as an Excel workbook";
        case ExportFormat::ChronologyDocx: return "the chronology as a Word table";
        case ExportFormat::ChronologyCsv: return "the chronology as CSV";
        case ExportFormat::ChronologyJson: return "the chronology as JSON";
    }
    return "";
}

std::string entry_number(const ImrDocument& doc, const domain::Id& entry) {
    for (std::size_t i = 0; i < doc.entries.size(); ++i)
        if (doc.entries[i].id == entry) return "C" + std::to_string(i + 1);
    return {};
}

std::string export_bytes(const ImrDocument& doc, const domain::ImrTemplate& imr_template, ExportFormat format,
                         const ExportOptions& options) {
    docformats::TextFilter filter;
    std::shared_ptr<domain::Pseudonymiser> names;
    if (options.anonymised) {
        names = std::make_shared<domain::Pseudonymiser>(pseudonymiser_of(doc));
        filter = [names](std::string_view text) { return names->apply(text); };
    }
    switch (format) {
        case ExportFormat::ImrDocx: return docx_of_imr(doc, imr_template, options, filter);
        case ExportFormat::ChronologyDocx: return docx_of_chronology(doc, options, filter);
        case ExportFormat::ChronologyXlsx: return xlsx_of_chronology(doc, options, filter);
        case ExportFormat::ChronologyCsv: {
            std::vector<domain::ChronologyEntry> entries;
            entries.reserve(doc.entries.size());
            for (const auto& e : doc.entries) entries.push_back(filtered(e.value, filter));
            std::string out = domain::export_chronology_csv(entries);
            for (auto& e : entries) wipe(e);
            return out;
        }
        case ExportFormat::ChronologyJson: {
            nlohmann::json array = nlohmann::json::array();
            for (const auto& e : doc.entries) {
                auto entry = filtered(e.value, filter);
                auto body = domain::to_json(entry);
                wipe(entry);
                body["id"] = e.id.hex();
                body["number"] = entry_number(doc, e.id);
                array.push_back(std::move(body));
            }
            return array.dump(2) + "\n";
        }
    }
    return {};
}

std::size_t deliver_export(Workspace& workspace, const ImrDocument& doc, ExportFormat format, bool anonymised,
                           std::string& bytes, const ExportDestination& to) {
    const bool merged = doc.id == domain::Id{};  // merged_document: no one IMR, the trail names its case
    nlohmann::json details{{"format", std::string(extension_of(format))},
                           {"what", std::string(describe(format))},
                           {"to", to.stream != nullptr ? std::string("standard output") : to.file.string()},
                           {"anonymised", anonymised},
                           {"entries", doc.entries.size()}};
    if (merged) details["case"] = doc.header.case_info.reference;
    else details["imr"] = doc.id.hex();
    const char* event = format == ExportFormat::ImrDocx ? "imr.exported" : merged ? "chronology.merged.exported" : "chronology.exported";
    const std::size_t size = bytes.size();
    struct Wipe {
        std::string& bytes;
        ~Wipe() { crypto::wipe(bytes); }
    } wipe_bytes{bytes};
    if (to.stream != nullptr) {
        workspace.vault().audit(event, details);
        if (std::fwrite(bytes.data(), 1, bytes.size(), to.stream) != bytes.size() || std::fflush(to.stream) != 0)
            throw std::runtime_error("writing the export to standard output failed");
        return size;
    }
    platform::write_file_atomically(to.file, bytes);
    workspace.vault().audit(event, details);
    return size;
}

std::size_t write_export(Workspace& workspace, const ImrDocument& doc, const domain::ImrTemplate& imr_template,
                         ExportFormat format, const ExportOptions& options, const std::filesystem::path& path) {
    std::string bytes = export_bytes(doc, imr_template, format, options);
    return deliver_export(workspace, doc, format, options.anonymised, bytes, ExportDestination::to_file(path));
}

}  // namespace imrdesk::client
