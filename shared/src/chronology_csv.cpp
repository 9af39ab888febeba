#include "imrdesk/shared/chronology_csv.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "imrdesk/shared/csv.hpp"

namespace imrdesk::domain {
namespace {

using C = ChronologyColumn;

std::string guard(std::string text) {
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@'))
        text.insert(text.begin(), '\'');
    return text;
}

}  // namespace

ImportTable read_csv_table(std::string_view csv_text, char delimiter) {
    ImportTable table;
    try {
        table.records = csv::parse(csv_text, {}, delimiter);
    } catch (const csv::ParseError& e) {
        throw ImportError("line " + std::to_string(e.line()) + ": " + e.reason());
    }
    return table;
}

ImportPreview preview_chronology_csv(std::string_view csv_text, const CaseInfo& case_info, const ImportChoices& choices,
                                     char delimiter) {
    return preview_chronology(read_csv_table(csv_text, delimiter), case_info, choices);
}

ImportPreview preview_chronology_csv(std::string_view csv_text, const CaseInfo& case_info,
                                     const DateParseOptions& date_options) {
    ImportChoices choices;
    choices.date_options = date_options;
    return preview_chronology_csv(csv_text, case_info, choices, csv::detect_delimiter(csv_text));
}

std::vector<std::string> extra_field_names(const std::vector<ChronologyEntry>& entries) {
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const auto& e : entries)
        for (const auto& field : e.extra_fields)
            if (seen.insert(field.name).second) names.push_back(field.name);
    return names;
}

std::string export_chronology_csv(const std::vector<ChronologyEntry>& entries) {
    static constexpr std::array kColumns{C::Date, C::Time, C::Sequence, C::Agency, C::ContactType, C::Source, C::Event,
                                         C::Action, C::Rationale, C::Outcome, C::Role, C::Comment,
                                         C::KeyPracticeEpisode, C::MissedOpportunity, C::GoodPractice, C::NoContact,
                                         C::TermsOfReference, C::Principles};
    const auto extras = extra_field_names(entries);
    std::string out;
    std::vector<std::string> fields;
    for (const auto column : kColumns) fields.emplace_back(to_string(column));
    for (const auto& name : extras) fields.push_back(guard(name));
    csv::write_record(out, fields);
    auto yes = [](bool value) { return std::string(value ? "Yes" : "No"); };
    for (const auto& e : entries) {
        fields.clear();
        fields.push_back(e.date.typed());
        fields.push_back(e.time ? e.time->text() : std::string());
        fields.push_back(e.sequence ? std::to_string(e.sequence) : std::string());
        for (const auto* text : {&e.agency, &e.contact_type, &e.source, &e.event, &e.action, &e.rationale, &e.outcome,
                                 &e.practitioner_role, &e.comment})
            fields.push_back(guard(*text));
        fields.push_back(yes(e.key_practice_episode));
        fields.push_back(yes(e.missed_opportunity));
        fields.push_back(yes(e.good_practice));
        fields.push_back(yes(e.no_contact_period));
        std::string tor;
        for (const int q : e.tor_questions) tor += (tor.empty() ? "" : "; ") + std::to_string(q);
        fields.push_back(tor);
        std::string principles;
        for (const auto p : e.principles) principles += (principles.empty() ? "" : "; ") + std::string(to_string(p));
        fields.push_back(principles);
        for (const auto& name : extras) {
            const auto it = std::find_if(e.extra_fields.begin(), e.extra_fields.end(),
                                         [&](const ExtraField& f) { return f.name == name; });
            fields.push_back(it == e.extra_fields.end() ? std::string() : guard(it->value));
        }
        csv::write_record(out, fields);
    }
    return out;
}

}  // namespace imrdesk::domain
