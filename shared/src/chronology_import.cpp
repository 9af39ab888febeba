#include "imrdesk/shared/chronology_import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "imrdesk/shared/validation.hpp"

namespace imrdesk::domain {
namespace {

using C = ChronologyColumn;

struct ColumnName {
    C column;
    std::string_view label;
    std::string_view key;
};

constexpr std::array<ColumnName, kChronologyColumnCount> kNames{{
    {C::Date, "Date", "date"},
    {C::Time, "Time", "time"},
    {C::DateTime, "Date and time", "datetime"},
    {C::EndDate, "End date", "end_date"},
    {C::Sequence, "Sequence", "sequence"},
    {C::Agency, "Agency", "agency"},
    {C::ContactType, "Type of contact", "contact_type"},
    {C::Source, "Source of information", "source"},
    {C::Event, "Event / contact details", "event"},
    {C::Action, "Action taken / decision", "action"},
    {C::Rationale, "Rationale", "rationale"},
    {C::Outcome, "Outcome", "outcome"},
    {C::Role, "Practitioner's role", "role"},
    {C::Comment, "Analysis / significance / comment", "comment"},
    {C::KeyPracticeEpisode, "Key practice episode", "key_practice_episode"},
    {C::MissedOpportunity, "Missed opportunity", "missed_opportunity"},
    {C::GoodPractice, "Good practice", "good_practice"},
    {C::NoContact, "No agency contact", "no_contact"},
    {C::Flags, "Flags", "flags"},
    {C::TermsOfReference, "Terms of Reference", "tor"},
    {C::Principles, "Safeguarding principles", "principles"},
}};

const ColumnName& name_of(C column) {
    return kNames[static_cast<std::size_t>(column)];
}

std::string trim(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    const auto end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

std::string lower(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string column_letter(std::size_t index) {
    std::string out;
    for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
    return out;
}

bool formula_like(std::string_view text) {
    return !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@');
}

// Undoes the export's formula guard.
std::string unguard(std::string text) {
    if (text.size() >= 2 && text[0] == '\'' && formula_like(std::string_view(text).substr(1))) text.erase(0, 1);
    return text;
}

std::optional<bool> parse_yes_no(std::string_view raw) {
    const std::string text = lower(trim(raw));
    if (text.empty() || text == "no" || text == "n" || text == "false" || text == "0") return false;
    if (text == "yes" || text == "y" || text == "true" || text == "1" || text == "x" || text == "\xE2\x9C\x93")
        return true;
    return std::nullopt;
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    for (const char c : text) {
        if (c == ';' || c == ',' || c == '|' || c == '\n') {
            if (auto t = trim(current); !t.empty()) out.push_back(t);
            current.clear();
        } else {
            current += c;
        }
    }
    if (auto t = trim(current); !t.empty()) out.push_back(t);
    return out;
}

std::string cut(std::string_view text, std::size_t bytes) {
    std::string out;
    for (const char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    if (out.size() <= bytes) return out;
    std::size_t end = bytes;
    while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;  // whole characters only
    return out.substr(0, end) + "\xE2\x80\xA6";
}

bool same_heading(std::string_view a, std::string_view b) { return lower(trim(a)) == lower(trim(b)); }

// The slot a field occupies: DateTime and Date both fill the date.
C slot_of(C column) { return column == C::DateTime ? C::Date : column; }

// The time at the end of a "date time" cell: its start, or npos when the text does not end with
// something shaped like a time ("09:40", "9.40am", "1405hrs"). Only a shape: parse_time_cell judges.
std::size_t trailing_time_start(std::string_view text) {
    const auto at = text.find_last_of(" T");
    if (at == std::string_view::npos || at == 0 || at + 1 >= text.size()) return std::string_view::npos;
    if (text[at] == 'T' && std::isdigit(static_cast<unsigned char>(text[at - 1])) == 0) return std::string_view::npos;
    const std::string tail = lower(text.substr(at + 1));
    const bool clock = tail.find(':') != std::string::npos || tail.ends_with("am") || tail.ends_with("pm") ||
                       tail.ends_with("hrs") || tail.ends_with("hr") || tail.ends_with("hours") ||
                       (tail.find('.') != std::string::npos && std::isdigit(static_cast<unsigned char>(tail.front())) != 0 &&
                        tail.size() <= 5);
    if (!clock || std::isdigit(static_cast<unsigned char>(tail.front())) == 0) {
        // "2.30 pm" and "09:40 hrs": the time is the last two words
        if ((tail == "am" || tail == "pm" || tail == "hrs" || tail == "hours") && at > 0) {
            const auto before = text.find_last_of(' ', at - 1);
            return before == std::string_view::npos ? std::string_view::npos : before + 1;
        }
        return std::string_view::npos;
    }
    return at + 1;
}

// A date, or a date followed by a time ("14/03/2019 09:40", "2019-03-14T09:40", "14/03/2019 at
// 9.40am"). The split is tried first when the text ends like a time, so that the usual cells of
// a Date/Time column cost no exception.
std::pair<PartialDate, std::optional<TimeOfDay>> parse_date_time(const std::string& text, const DateParseOptions& options) {
    if (const auto start = trailing_time_start(text); start != std::string_view::npos) {
        std::string date_part = trim(std::string_view(text).substr(0, start - 1));
        if (date_part.size() > 3 && lower(date_part.substr(date_part.size() - 3)) == " at") date_part.resize(date_part.size() - 3);
        try {
            const TimeOfDay time = parse_time_cell(std::string_view(text).substr(start));
            return {parse_date(date_part, options), time};
        } catch (const DateError&) {
            // not a date and a time after all: the whole text as a date says what is wrong
        }
    }
    return {parse_date(text, options), std::nullopt};
}

}  // namespace

const std::vector<ChronologyColumn>& all_chronology_columns() {
    static const std::vector<C> all = [] {
        std::vector<C> out;
        for (const auto& n : kNames) out.push_back(n.column);
        return out;
    }();
    return all;
}

std::string_view to_string(ChronologyColumn column) noexcept { return name_of(column).label; }
std::string_view key_of(ChronologyColumn column) noexcept { return name_of(column).key; }

std::optional<ChronologyColumn> column_from_text(std::string_view text) {
    const std::string wanted = lower(trim(text));
    for (const auto& n : kNames)
        if (wanted == n.key || wanted == lower(n.label)) return n.column;
    if (wanted == "contact type" || wanted == "type") return C::ContactType;
    if (wanted == "date/time" || wanted == "date_time") return C::DateTime;
    return recognise_heading(text);
}

std::string ColumnTarget::describe() const {
    switch (kind) {
        case Kind::Field: return std::string(to_string(field));
        case Kind::Extra: return "kept as its own field '" + extra_name + "'";
        case Kind::Ignore: return "not imported";
    }
    return {};
}

std::pair<std::string, ColumnTarget> parse_mapping(std::string_view text) {
    const auto eq = text.rfind('=');
    if (eq == std::string_view::npos)
        throw ImportError("--map '" + std::string(text) + "': write it as 'Heading=field', e.g. 'Information=event'");
    std::string heading = trim(text.substr(0, eq));
    const std::string field = trim(text.substr(eq + 1));
    if (heading.empty()) throw ImportError("--map '" + std::string(text) + "': the heading is empty");
    const std::string key = lower(field);
    if (key == "extra" || key == "keep") return {heading, ColumnTarget::to_extra(heading)};
    if (key == "ignore" || key == "skip" || key == "none") return {heading, ColumnTarget::ignore()};
    if (const auto column = column_from_text(field)) return {heading, ColumnTarget::to_field(*column)};
    std::string keys;
    for (const auto& n : kNames) keys += std::string(keys.empty() ? "" : ", ") + std::string(n.key);
    throw ImportError("--map '" + std::string(text) + "': '" + field + "' is not a field; use one of " + keys +
                      ", extra or ignore");
}

TimeOfDay parse_time_cell(std::string_view raw) {
    std::string text = lower(trim(raw));
    for (const std::string_view suffix : {"hours", "hrs", "hr", "h"}) {
        if (text.size() > suffix.size() && text.ends_with(suffix) &&
            std::isdigit(static_cast<unsigned char>(text[text.size() - suffix.size() - 1])) != 0) {
            text.resize(text.size() - suffix.size());
            break;
        }
        if (text.size() > suffix.size() + 1 && text.ends_with(std::string(" ") + std::string(suffix))) {
            text.resize(text.size() - suffix.size() - 1);
            break;
        }
    }
    text = trim(text);
    // Seconds, as spreadsheets write times: "09:40:00" (refused when not a whole minute's worth of digits).
    if (text.size() == 8 && text[2] == ':' && text[5] == ':' && std::isdigit(static_cast<unsigned char>(text[6])) != 0 &&
        std::isdigit(static_cast<unsigned char>(text[7])) != 0)
        text.resize(5);
    return parse_time(text);
}

std::vector<std::string> ImportPreview::describe_columns() const {
    std::vector<std::string> out;
    for (const auto& c : columns) {
        std::string line = "column " + c.letter + " '" + c.header + "' -> " + c.target.describe();
        if (c.target.kind != ColumnTarget::Kind::Ignore)
            line += " (" + std::to_string(c.filled) + (c.filled == 1 ? " row" : " rows") + " with text)";
        if (c.chosen) line += " [chosen]";
        else if (!c.recognised && c.target.kind == ColumnTarget::Kind::Extra) line += " [heading not recognised]";
        if (!c.note.empty()) line += "; " + c.note;
        out.push_back(std::move(line));
    }
    return out;
}

std::string ImportPreview::describe_missing() const {
    if (missing.empty()) return {};
    std::string out = "no column is the ";
    for (std::size_t i = 0; i < missing.size(); ++i)
        out += std::string(i == 0 ? "" : (i + 1 == missing.size() ? " or the " : ", the ")) + std::string(to_string(missing[i]));
    out += " (headings found:";
    for (const auto& c : columns)
        if (!c.header.empty()) out += " '" + c.header + "'";
    return out + "); say which column it is, e.g. --map 'Heading=" + std::string(key_of(missing.front())) + "'";
}

ImportPreview preview_chronology(const ImportTable& table, const CaseInfo& case_info, const ImportChoices& choices) {
    const auto& records = table.records;
    if (records.empty()) throw ImportError("the file is empty: expected a heading row (Date, Source, Event ...)");
    ImportPreview preview;
    preview.unit = table.unit;

    // The heading row: titles often stand above it ("Chronology of agency involvement: Police").
    std::size_t header_at = 0;
    for (std::size_t r = 0; r < std::min<std::size_t>(records.size(), 30); ++r) {
        std::set<C> found;
        for (const auto& cell : records[r].fields)
            if (const auto column = recognise_heading(cell)) found.insert(slot_of(*column));
        bool chosen = false;
        for (const auto& cell : records[r].fields)
            for (const auto& [heading, target] : choices.by_heading) chosen = chosen || (!trim(cell).empty() && same_heading(cell, heading));
        if ((found.size() >= 2 && found.count(C::Date) > 0) || chosen) {
            header_at = r;
            break;
        }
    }
    const auto& header = records[header_at];
    preview.header_line = header.line;
    for (std::size_t r = 0; r < header_at; ++r) {
        std::string text;
        for (const auto& f : records[r].fields)
            if (auto t = trim(f); !t.empty()) text += (text.empty() ? "" : " | ") + t;
        if (!text.empty()) preview.above_header.push_back(cut(text, 120));
    }

    std::size_t width = header.fields.size();
    if (!table.cells_beyond_header_are_errors)
        for (std::size_t r = header_at + 1; r < records.size(); ++r) width = std::max(width, records[r].fields.size());

    // Plan every column: the user's choices first, then what the headings say, in file order.
    preview.columns.resize(width);
    std::map<C, std::size_t> taken;  // slot -> column
    for (std::size_t i = 0; i < width; ++i) {
        auto& plan = preview.columns[i];
        plan.index = i;
        plan.letter = column_letter(i);
        plan.header = i < header.fields.size() ? unguard(trim(header.fields[i])) : std::string();
        std::optional<ColumnTarget> chosen;
        for (const auto& [index, target] : choices.by_index)
            if (index == i) chosen = target;
        if (!chosen && !plan.header.empty())
            for (const auto& [heading, target] : choices.by_heading)
                if (same_heading(heading, plan.header)) chosen = target;
        if (!chosen) continue;
        plan.chosen = true;
        plan.target = *chosen;
        if (plan.target.kind == ColumnTarget::Kind::Extra && plan.target.extra_name.empty())
            plan.target.extra_name = plan.header.empty() ? "Column " + plan.letter : plan.header;
        if (plan.target.kind == ColumnTarget::Kind::Field) {
            const C slot = slot_of(plan.target.field);
            if (const auto it = taken.find(slot); it != taken.end())
                throw ImportError("columns " + preview.columns[it->second].letter + " '" + preview.columns[it->second].header +
                                  "' and " + plan.letter + " '" + plan.header + "' are both chosen as " +
                                  std::string(to_string(slot)) + "; choose one");
            taken[slot] = i;
        }
    }
    for (std::size_t i = 0; i < width; ++i) {
        auto& plan = preview.columns[i];
        if (plan.chosen) continue;
        const auto column = plan.header.empty() ? std::nullopt : recognise_heading(plan.header);
        if (column && taken.find(slot_of(*column)) == taken.end()) {
            plan.target = ColumnTarget::to_field(*column);
            plan.recognised = true;
            taken[slot_of(*column)] = i;
            continue;
        }
        plan.target = ColumnTarget::to_extra(plan.header.empty() ? "Column " + plan.letter : plan.header);
        if (column) {
            const auto& other = preview.columns[taken[slot_of(*column)]];
            plan.note = "reads as " + std::string(to_string(*column)) + ", which column " + other.letter + " '" +
                        other.header + "' fills; kept as its own field";
        }
    }
    // Extra fields need distinct names.
    std::set<std::string> names;
    for (auto& plan : preview.columns) {
        if (plan.target.kind != ColumnTarget::Kind::Extra) continue;
        std::string name = plan.target.extra_name;
        for (int n = 2; !names.insert(lower(name)).second; ++n) name = plan.target.extra_name + " (" + std::to_string(n) + ")";
        plan.target.extra_name = name;
    }

    // What each column holds, for the preview; a column with no heading and no text is left out.
    for (std::size_t r = header_at + 1; r < records.size(); ++r)
        for (std::size_t i = 0; i < records[r].fields.size() && i < width; ++i)
            if (auto t = trim(records[r].fields[i]); !t.empty()) {
                auto& plan = preview.columns[i];
                if (plan.filled++ == 0) plan.sample = cut(t, 80);
            }
    for (auto& plan : preview.columns)
        if (!plan.chosen && plan.header.empty() && plan.filled == 0) plan.target = ColumnTarget::ignore();

    auto has = [&](C slot) { return taken.find(slot) != taken.end(); };
    for (const auto required : {C::Date, C::Source, C::Event})
        if (!has(required)) preview.missing.push_back(required);

    std::array<std::optional<std::size_t>, kChronologyColumnCount> index_of{};
    for (const auto& plan : preview.columns)
        if (plan.target.kind == ColumnTarget::Kind::Field) index_of[static_cast<std::size_t>(plan.target.field)] = plan.index;

    for (std::size_t r = header_at + 1; r < records.size(); ++r) {
        const auto& row = records[r];
        if (std::all_of(row.fields.begin(), row.fields.end(), [](const std::string& f) { return trim(f).empty(); }))
            continue;  // Excel writes ",,,,," for rows it once touched
        ++preview.row_count;
        if (!preview.missing.empty()) continue;
        auto cell = [&](C column) -> std::string {
            const auto index = index_of[static_cast<std::size_t>(column)];
            if (!index || *index >= row.fields.size()) return {};
            return unguard(trim(row.fields[*index]));
        };
        if (row.fields.size() > width) {
            bool extra_content = false;
            for (std::size_t i = width; i < row.fields.size(); ++i) extra_content = extra_content || !trim(row.fields[i]).empty();
            if (extra_content) {
                preview.errors.push_back({row.line, "the row has " + std::to_string(row.fields.size()) +
                                                        " fields but the heading row has " + std::to_string(width) +
                                                        " (an unquoted comma?)"});
                continue;
            }
        }
        std::vector<std::string> problems;
        ChronologyEntry entry;
        const C date_column = index_of[static_cast<std::size_t>(C::DateTime)] ? C::DateTime : C::Date;
        const std::string date_text = cell(date_column);
        if (date_text.empty()) {
            problems.emplace_back(std::string(to_string(date_column)) + " is empty");
        } else {
            try {
                auto [date, time] = parse_date_time(date_text, choices.date_options);
                entry.date = date;
                entry.time = time;
            } catch (const DateError& e) {
                problems.push_back(std::string(to_string(date_column)) + " '" + date_text + "': " + e.what());
            }
        }
        if (const std::string end = cell(C::EndDate); !end.empty() && entry.date.start.year != 0) {
            try {
                const PartialDate last = parse_date(end, choices.date_options);
                if (entry.date.is_range() || last.is_range())
                    throw DateError("the start and the end must each be one date, not a range");
                if (!(last.start == entry.date.start)) {
                    PartialDate range = entry.date;
                    range.end = last.start;
                    range.approximate = range.approximate || last.approximate;
                    range.uncertain = range.uncertain || last.uncertain;
                    if (range.end->first_day() < range.start.first_day())
                        throw DateError("it is before the start, " + entry.date.display());
                    (void)range.iso();  // throws for a range that is not valid
                    entry.date = range;
                }
            } catch (const DateError& e) {
                problems.push_back("End date '" + end + "': " + e.what());
            }
        }
        if (const std::string time = cell(C::Time); !time.empty()) {
            try {
                const auto parsed = parse_time_cell(time);
                if (entry.time && *entry.time != parsed)
                    problems.push_back("Time '" + time + "' differs from the time in " + std::string(to_string(date_column)) +
                                       " '" + date_text + "'");
                entry.time = parsed;
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
        entry.agency = cell(C::Agency);
        entry.contact_type = cell(C::ContactType);
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
            const auto column = recognise_heading(flag);
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
        for (const auto& plan : preview.columns) {
            if (plan.target.kind != ColumnTarget::Kind::Extra || plan.index >= row.fields.size()) continue;
            if (auto value = unguard(trim(row.fields[plan.index])); !value.empty())
                entry.extra_fields.push_back({plan.target.extra_name, std::move(value)});
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

}  // namespace imrdesk::domain
