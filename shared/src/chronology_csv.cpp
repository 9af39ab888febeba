#include "imrdesk/shared/chronology_csv.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "imrdesk/shared/csv.hpp"
#include "imrdesk/shared/validation.hpp"

namespace imrdesk::domain {
namespace {

using C = ChronologyColumn;

// Lower case, apostrophes dropped, every other non-alphanumeric run folded to one space.
std::string normalise_header(std::string_view header) {
    std::string out;
    bool space = false;
    for (const char raw : header) {
        const auto c = static_cast<unsigned char>(raw);
        if (c == '\'') continue;
        if (std::isalnum(c) != 0) {
            if (space && !out.empty()) out += ' ';
            out += static_cast<char>(std::tolower(c));
            space = false;
        } else {
            space = true;
        }
    }
    return out;
}

struct Synonyms {
    C column;
    std::vector<std::string_view> names;
};

const std::vector<Synonyms>& synonyms() {
    static const std::vector<Synonyms> table = {
        {C::Date, {"date", "date of contact", "contact date", "event date", "date of event", "date period", "date or period"}},
        {C::Time, {"time", "time of contact", "time of event"}},
        {C::Sequence, {"sequence", "seq", "same day sequence", "order"}},
        {C::Source, {"source", "source of information", "information source", "record source", "source reference",
                     "source and reference", "source of information and reference", "reference"}},
        {C::Event, {"event", "details", "description", "event details", "contact details", "event contact details",
                    "event or contact details", "details of contact", "details of event", "event description",
                    "what happened"}},
        {C::Action, {"action", "action taken", "decision", "action decision", "action taken decision",
                     "action taken decision outcome", "action outcome", "decision outcome", "action and outcome",
                     "actions"}},
        {C::Rationale, {"rationale", "reason", "reasons", "rationale where known"}},
        {C::Outcome, {"outcome", "result"}},
        {C::Role, {"practitioner", "role", "practitioner role", "practitioners role", "staff role", "worker",
                   "professional", "practitioner or role", "staff"}},
        {C::Comment, {"comment", "comments", "analysis", "significance", "analysis significance comment",
                      "analysis comment", "significance comment", "analysis significance", "notes"}},
        {C::KeyPracticeEpisode, {"key practice episode", "kpe"}},
        {C::MissedOpportunity, {"missed opportunity"}},
        {C::GoodPractice, {"good practice"}},
        {C::NoContact, {"no agency contact", "no contact", "no contact period"}},
        {C::Flags, {"flags", "flag"}},
        {C::TermsOfReference, {"terms of reference", "tor", "tor questions", "terms of reference questions"}},
        {C::Principles, {"principles", "safeguarding principles"}},
    };
    return table;
}

std::optional<C> match_header(std::string_view header) {
    const std::string normal = normalise_header(header);
    for (const auto& entry : synonyms())
        for (const auto name : entry.names)
            if (normal == name) return entry.column;
    return std::nullopt;
}

std::string trim(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    const auto end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

bool formula_like(std::string_view text) {
    return !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@');
}

// Undoes the export's formula guard.
std::string unguard(std::string text) {
    if (text.size() >= 2 && text[0] == '\'' && formula_like(std::string_view(text).substr(1))) text.erase(0, 1);
    return text;
}

std::string guard(std::string text) {
    if (formula_like(text)) text.insert(text.begin(), '\'');
    return text;
}

std::optional<bool> parse_yes_no(std::string_view raw) {
    const std::string text = normalise_header(raw);
    if (text.empty() || text == "no" || text == "n" || text == "false" || text == "0") return false;
    if (text == "yes" || text == "y" || text == "true" || text == "1" || text == "x") return true;
    return std::nullopt;
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    for (const char c : text) {
        if (c == ';' || c == ',' || c == '|') {
            if (auto t = trim(current); !t.empty()) out.push_back(t);
            current.clear();
        } else {
            current += c;
        }
    }
    if (auto t = trim(current); !t.empty()) out.push_back(t);
    return out;
}

}  // namespace

std::string_view to_string(ChronologyColumn column) noexcept {
    switch (column) {
        case C::Date: return "Date";
        case C::Time: return "Time";
        case C::Sequence: return "Sequence";
        case C::Source: return "Source of information";
        case C::Event: return "Event / contact details";
        case C::Action: return "Action taken / decision";
        case C::Rationale: return "Rationale";
        case C::Outcome: return "Outcome";
        case C::Role: return "Practitioner's role";
        case C::Comment: return "Analysis / significance / comment";
        case C::KeyPracticeEpisode: return "Key practice episode";
        case C::MissedOpportunity: return "Missed opportunity";
        case C::GoodPractice: return "Good practice";
        case C::NoContact: return "No agency contact";
        case C::Flags: return "Flags";
        case C::TermsOfReference: return "Terms of Reference";
        case C::Principles: return "Safeguarding principles";
    }
    return "";
}

ImportPreview preview_chronology_csv(std::string_view csv_text, const CaseInfo& case_info,
                                     const DateParseOptions& date_options) {
    std::vector<csv::Record> records;
    try {
        records = csv::parse(csv_text);
    } catch (const csv::ParseError& e) {
        throw ImportError("line " + std::to_string(e.line()) + ": " + e.reason());
    }
    if (records.empty()) throw ImportError("the file is empty: expected a header row (Date, Source, Event ...)");

    ImportPreview preview;
    const auto& header = records.front();
    std::array<std::optional<std::size_t>, 17> index_of{};
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const auto column = match_header(header.fields[i]);
        if (!column) {
            if (!trim(header.fields[i]).empty()) preview.ignored_headers.push_back(header.fields[i]);
            continue;
        }
        auto& slot = index_of[static_cast<std::size_t>(*column)];
        if (slot) throw ImportError("line " + std::to_string(header.line) + ": two columns mean '" +
                                    std::string(to_string(*column)) + "': '" + header.fields[*slot] + "' and '" +
                                    header.fields[i] + "'; rename or remove one");
        slot = i;
        preview.columns.push_back({i, header.fields[i], *column});
    }
    std::vector<std::string> missing;
    for (const auto required : {C::Date, C::Source, C::Event})
        if (!index_of[static_cast<std::size_t>(required)]) missing.emplace_back(to_string(required));
    if (!missing.empty()) {
        std::string message = "line " + std::to_string(header.line) + ": the header has no column for ";
        for (std::size_t i = 0; i < missing.size(); ++i) message += (i ? ", " : "") + missing[i];
        message += " (headers found:";
        for (const auto& h : header.fields) message += " '" + h + "'";
        throw ImportError(message + ")");
    }

    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& row = records[r];
        ++preview.row_count;
        auto cell = [&](C column) -> std::string {
            const auto index = index_of[static_cast<std::size_t>(column)];
            if (!index || *index >= row.fields.size()) return {};
            return unguard(trim(row.fields[*index]));
        };
        if (row.fields.size() > header.fields.size()) {
            bool extra_content = false;
            for (std::size_t i = header.fields.size(); i < row.fields.size(); ++i)
                extra_content = extra_content || !trim(row.fields[i]).empty();
            if (extra_content) {
                preview.errors.push_back({row.line, "the row has " + std::to_string(row.fields.size()) +
                                                        " fields but the header has " + std::to_string(header.fields.size()) +
                                                        " (an unquoted comma?)"});
                continue;
            }
        }
        std::vector<std::string> problems;
        ChronologyEntry entry;
        const std::string date_text = cell(C::Date);
        if (date_text.empty()) {
            problems.emplace_back("Date is empty");
        } else {
            try {
                entry.date = parse_date(date_text, date_options);
            } catch (const DateError& e) {
                problems.push_back("Date '" + date_text + "': " + e.what());
            }
        }
        if (const std::string time = cell(C::Time); !time.empty()) {
            try {
                entry.time = parse_time(time);
            } catch (const DateError& e) {
                problems.push_back("Time '" + time + "': " + e.what());
            }
        }
        if (const std::string sequence = cell(C::Sequence); !sequence.empty()) {
            const bool digits = sequence.size() <= 6 && std::all_of(sequence.begin(), sequence.end(),
                                                                    [](char c) { return c >= '0' && c <= '9'; });
            if (digits) entry.sequence = std::stoi(sequence);
            else problems.push_back("Sequence '" + sequence + "' is not a whole number");
        }
        entry.source = cell(C::Source);
        entry.event = cell(C::Event);
        entry.action = cell(C::Action);
        entry.rationale = cell(C::Rationale);
        entry.outcome = cell(C::Outcome);
        entry.practitioner_role = cell(C::Role);
        entry.comment = cell(C::Comment);
        for (const auto& [column, flag] : {std::pair{C::KeyPracticeEpisode, &entry.key_practice_episode},
                                          {C::MissedOpportunity, &entry.missed_opportunity},
                                          {C::GoodPractice, &entry.good_practice},
                                          {C::NoContact, &entry.no_contact_period}}) {
            const std::string value = cell(column);
            const auto parsed = parse_yes_no(value);
            if (!parsed) problems.push_back(std::string(to_string(column)) + " '" + value + "' is not yes or no");
            else *flag = *flag || *parsed;
        }
        for (const auto& flag : split_list(cell(C::Flags))) {
            const auto column = match_header(flag);
            if (column == C::KeyPracticeEpisode) entry.key_practice_episode = true;
            else if (column == C::MissedOpportunity) entry.missed_opportunity = true;
            else if (column == C::GoodPractice) entry.good_practice = true;
            else if (column == C::NoContact) entry.no_contact_period = true;
            else problems.push_back("Flags: '" + flag + "' is not one of key practice episode, missed opportunity, good practice, no agency contact");
        }
        for (const auto& item : split_list(cell(C::TermsOfReference))) {
            std::string digits = item;
            const auto first_digit = digits.find_first_of("0123456789");
            digits = first_digit == std::string::npos ? std::string() : digits.substr(first_digit);
            const bool numeric = !digits.empty() && digits.size() <= 4 &&
                                 std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
            if (numeric) entry.tor_questions.push_back(std::stoi(digits));
            else problems.push_back("Terms of Reference: '" + item + "' is not a question number");
        }
        for (const auto& item : split_list(cell(C::Principles))) {
            if (const auto principle = principle_from_string(item)) entry.principles.push_back(*principle);
            else problems.push_back("Safeguarding principles: '" + item + "' is not one of the six principles");
        }
        if (problems.empty()) {
            for (const auto& issue : validate(entry, case_info))
                if (issue.severity == Severity::Error) problems.push_back(issue.field + ": " + issue.message);
        }
        if (!problems.empty()) {
            std::string message;
            for (const auto& p : problems) message += (message.empty() ? "" : "; ") + p;
            preview.errors.push_back({row.line, std::move(message)});
        } else {
            preview.rows.push_back({row.line, std::move(entry)});
        }
    }
    return preview;
}

std::string export_chronology_csv(const std::vector<ChronologyEntry>& entries) {
    static constexpr std::array kColumns{C::Date, C::Time, C::Sequence, C::Source, C::Event, C::Action,
                                         C::Rationale, C::Outcome, C::Role, C::Comment, C::KeyPracticeEpisode,
                                         C::MissedOpportunity, C::GoodPractice, C::NoContact,
                                         C::TermsOfReference, C::Principles};
    std::string out;
    std::vector<std::string> fields;
    for (const auto column : kColumns) fields.emplace_back(to_string(column));
    csv::write_record(out, fields);
    auto yes = [](bool value) { return std::string(value ? "Yes" : "No"); };
    for (const auto& e : entries) {
        fields.clear();
        fields.push_back(e.date.typed());
        fields.push_back(e.time ? e.time->text() : std::string());
        fields.push_back(e.sequence ? std::to_string(e.sequence) : std::string());
        for (const auto* text : {&e.source, &e.event, &e.action, &e.rationale, &e.outcome, &e.practitioner_role, &e.comment})
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
        csv::write_record(out, fields);
    }
    return out;
}

}  // namespace imrdesk::domain
