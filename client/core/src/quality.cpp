#include "imrdesk/client/quality.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "imrdesk/client/progress.hpp"
#include "imrdesk/shared/entry_fields.hpp"

namespace imrdesk::client {
namespace {

using domain::CivilDate;
using domain::Severity;

bool token_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '&';
}

bool equal_ci_suffix(std::string_view text, std::string_view suffix) {
    if (suffix.size() > text.size()) return false;
    const auto tail = text.substr(text.size() - suffix.size());
    return std::equal(tail.begin(), tail.end(), suffix.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
}

// "DNA", "A&E", "S42", "CMHT": two to six characters, at least two capitals, no lower case.
bool looks_abbreviated(std::string_view token) {
    if (token.size() < 2 || token.size() > 6) return false;
    int capitals = 0;
    for (const char c : token) {
        const auto u = static_cast<unsigned char>(c);
        if (std::islower(u)) return false;
        if (std::isupper(u)) ++capitals;
    }
    return capitals >= 2 || (capitals == 1 && token.size() >= 2 && std::isdigit(static_cast<unsigned char>(token[1])));
}

std::string long_date(const CivilDate& d) { return domain::PartialDate::day(d.year, d.month, d.day).display(); }

std::string heading_of(const domain::OutlineItem& item) {
    return item.heading.size() > 60 ? item.heading.substr(0, 57) + "..." : item.heading;
}

}  // namespace

const std::vector<KnownAbbreviation>& known_abbreviations() {
    static const std::vector<KnownAbbreviation> list = {
        {"A&E", "Accident and Emergency department"}, {"ADHD", "attention deficit hyperactivity disorder"},
        {"AMHP", "Approved Mental Health Professional"}, {"ASB", "anti-social behaviour"},
        {"ASC", "Adult Social Care"}, {"ASD", "autism spectrum disorder"}, {"BP", "blood pressure"},
        {"CAD", "computer-aided dispatch (police incident log)"}, {"CHC", "NHS Continuing Healthcare"},
        {"CMHT", "Community Mental Health Team"}, {"COPD", "chronic obstructive pulmonary disease"},
        {"CPA", "Care Programme Approach"}, {"CPN", "Community Psychiatric Nurse"}, {"CQC", "Care Quality Commission"},
        {"CRHT", "Crisis Resolution and Home Treatment team"}, {"DASH", "Domestic Abuse, Stalking and Harassment risk checklist"},
        {"DHR", "Domestic Homicide Review"}, {"DNA", "did not attend"},
        {"DNACPR", "do not attempt cardiopulmonary resuscitation"}, {"DoLS", "Deprivation of Liberty Safeguards"},
        {"DV", "domestic violence"}, {"DWP", "Department for Work and Pensions"}, {"ED", "Emergency Department"},
        {"EDT", "Emergency Duty Team"}, {"GP", "general practitioner"}, {"HCA", "healthcare assistant"},
        {"HV", "health visitor"}, {"ICB", "Integrated Care Board"}, {"ICU", "intensive care unit"},
        {"IDVA", "Independent Domestic Violence Advisor"}, {"IMCA", "Independent Mental Capacity Advocate"},
        {"IMR", "Individual Management Review"}, {"LA", "Local Authority"}, {"LD", "learning disability"},
        {"LPA", "Lasting Power of Attorney"}, {"LPS", "Liberty Protection Safeguards"},
        {"MAPPA", "Multi-Agency Public Protection Arrangements"}, {"MARAC", "Multi-Agency Risk Assessment Conference"},
        {"MASH", "Multi-Agency Safeguarding Hub"}, {"MCA", "Mental Capacity Act 2005"}, {"MDT", "multidisciplinary team"},
        {"MHA", "Mental Health Act 1983"}, {"MIU", "minor injuries unit"}, {"NFA", "no further action"},
        {"NHS", "National Health Service"}, {"NOK", "next of kin"}, {"OD", "overdose"}, {"OOH", "out of hours"},
        {"OT", "occupational therapist"}, {"PC", "police constable"}, {"PCSO", "Police Community Support Officer"},
        {"PPN", "Public Protection Notice"}, {"PRN", "as required (medication)"}, {"PTSD", "post-traumatic stress disorder"},
        {"RTA", "road traffic accident"}, {"S42", "section 42 enquiry (Care Act 2014)"},
        {"SAB", "Safeguarding Adults Board"}, {"SALT", "speech and language therapy"}, {"SAR", "Safeguarding Adults Review"},
        {"SI", "serious incident"}, {"SU", "service user"}, {"SW", "social worker"}, {"TCI", "to come in (admission date)"},
        {"ToR", "Terms of Reference"}, {"TOR", "Terms of Reference"}, {"UC", "Universal Credit"},
        {"UTI", "urinary tract infection"}, {"WNB", "was not brought"},
    };
    return list;
}

std::optional<std::string_view> expansion_of(std::string_view abbreviation) {
    for (const auto& known : known_abbreviations())
        if (known.abbreviation == abbreviation) return known.expansion;
    return std::nullopt;
}

std::vector<AbbreviationFinding> find_abbreviations(std::string_view text, const Place& place,
                                                    const std::vector<Stored<domain::GlossaryEntry>>& glossary) {
    std::vector<AbbreviationFinding> out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!token_char(text[i])) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && token_char(text[end])) ++end;
        const std::string_view token = text.substr(i, end - i);
        const auto known = expansion_of(token);
        if (known || looks_abbreviated(token)) {
            const bool in_glossary = std::any_of(glossary.begin(), glossary.end(),
                                                 [&](const auto& g) { return g.value.abbreviation == token; });
            // "did not attend (DNA)": already expanded where it is used.
            bool expanded_here = false;
            if (known && i > 0 && text[i - 1] == '(') {
                std::string_view before = text.substr(0, i - 1);
                while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
                expanded_here = equal_ci_suffix(before, *known);
            }
            if (!in_glossary && !expanded_here)
                out.push_back({place, i, end - i, std::string(token),
                               known ? std::optional<std::string>(std::string(*known)) : std::nullopt});
        }
        i = end;
    }
    return out;
}

std::vector<AbbreviationFinding> find_abbreviations(const ImrDocument& doc) {
    std::vector<AbbreviationFinding> out;
    auto add = [&](std::vector<AbbreviationFinding> found) { out.insert(out.end(), found.begin(), found.end()); };
    for (const auto& s : doc.sections)
        if (!s.value.not_applicable)
            add(find_abbreviations(s.value.text, Place{Place::Kind::Section, s.value.key, {}, "text"}, doc.glossary));
    for (const auto& e : doc.entries) {
        for (const auto& field : domain::kEntryTextFields)
            if (field.narrative)
                add(find_abbreviations(e.value.*field.member, Place{Place::Kind::Entry, "chronology", e.id, std::string(field.key)},
                                       doc.glossary));
    }
    for (const auto& r : doc.recommendations)
        add(find_abbreviations(r.value.text, Place{Place::Kind::Recommendation, "recommendations", r.id, "text"}, doc.glossary));
    return out;
}

std::string expand_in_place(std::string_view text, const AbbreviationFinding& finding, std::string_view expansion) {
    std::string out(text.substr(0, finding.offset));
    out += expansion;
    out += " (";
    out += finding.token;
    out += ")";
    out += text.substr(finding.offset + finding.length);
    return out;
}

std::vector<Gap> find_gaps(const ImrDocument& doc) {
    struct Span {
        std::int64_t first, last;
    };
    std::vector<Span> covered;
    std::vector<Span> statements;
    for (const auto& e : doc.entries) {
        const auto& d = e.value.date;
        if (d.start.year == 0) continue;
        const Span span{d.first_day().days_since_epoch(), d.last_day().days_since_epoch()};
        if (e.value.no_contact_period) {
            statements.push_back(span);
            continue;
        }
        // A year, or an approximate date, says too little to show that the agency was in contact.
        const bool precise = !d.approximate && d.start.precision != domain::DatePrecision::Year &&
                             (!d.end || d.end->precision != domain::DatePrecision::Year);
        if (precise) covered.push_back(span);
    }
    std::vector<Gap> gaps;
    if (covered.empty() && !doc.header.case_info.period_from) return gaps;
    std::sort(covered.begin(), covered.end(), [](const Span& a, const Span& b) { return a.first < b.first; });
    const auto& c = doc.header.case_info;
    const std::int64_t start = c.period_from ? c.period_from->days_since_epoch() : covered.front().first;
    std::int64_t end = c.period_to ? c.period_to->days_since_epoch() : start;
    if (!c.period_to)
        for (const auto& s : covered) end = std::max(end, s.last);
    const int threshold = std::max(1, doc.header.gap_threshold_days);

    auto add_gap = [&](std::int64_t first, std::int64_t last) {
        if (last - first + 1 <= threshold) return;
        Gap gap{CivilDate::from_days(first), CivilDate::from_days(last), static_cast<int>(last - first + 1), false};
        std::int64_t stated = 0;
        for (const auto& s : statements) stated += std::max<std::int64_t>(0, std::min(s.last, last) - std::max(s.first, first) + 1);
        gap.acknowledged = stated * 2 >= last - first + 1;  // statements cover at least half of it
        gaps.push_back(gap);
    };
    std::int64_t cursor = start;
    for (const auto& s : covered) {
        if (s.first > end) break;
        if (s.first > cursor) add_gap(cursor, s.first - 1);
        cursor = std::max(cursor, s.last + 1);
    }
    if (cursor <= end) add_gap(cursor, end);
    return gaps;
}

domain::ChronologyEntry no_contact_entry(const Gap& gap, std::string statement, std::string source) {
    domain::ChronologyEntry e;
    e.date.start = {gap.from.year, gap.from.month, gap.from.day, domain::DatePrecision::Day};
    e.date.end = domain::DatePoint{gap.to.year, gap.to.month, gap.to.day, domain::DatePrecision::Day};
    e.no_contact_period = true;
    e.event = statement.empty() ? "No agency contact from " + long_date(gap.from) + " to " + long_date(gap.to) + "."
                                : std::move(statement);
    e.source = source.empty() ? "All agency records searched by the IMR author" : std::move(source);
    return e;
}

std::vector<CheckFinding> presubmission_check(const ImrDocument& doc, const domain::ImrTemplate& imr_template) {
    std::vector<CheckFinding> out;
    for (const auto& issue : domain::validate(doc.header))
        out.push_back({issue.severity, "About this IMR: " + issue.message, Place{Place::Kind::Header, "header", {}, issue.field}});

    bool recommendations_na = false;
    for (const auto& item : imr_template.outline(doc.header.case_info.terms_of_reference)) {
        if (!item.is_fillable() || item.kind == domain::SectionKind::Header || item.kind == domain::SectionKind::Endorsement)
            continue;
        const auto state = section_state(doc, item);
        const Place place{Place::Kind::Section, item.key, {}, {}};
        const auto* stored = doc.section(item.key);
        if (state == SectionState::NotApplicable) {
            if (item.kind == domain::SectionKind::Recommendations) recommendations_na = true;
            if (stored != nullptr && stored->value.not_applicable_reason.find_first_not_of(" \n\t") == std::string::npos)
                out.push_back({Severity::Error, heading_of(item) + ": marked not applicable without a reason", place});
        } else if (state == SectionState::Empty) {
            out.push_back({Severity::Error, heading_of(item) + ": empty. Answer it, or mark it not applicable with a reason", place});
        } else if (state == SectionState::InProgress) {
            out.push_back({Severity::Warning, heading_of(item) + ": in progress. Mark it complete when it is finished", place});
        }
        if (stored != nullptr)
            for (const auto& cited : stored->value.citations)
                if (doc.entry(cited) == nullptr)
                    out.push_back({Severity::Warning, heading_of(item) + ": cites a chronology entry that was deleted", place});
    }

    for (const auto& e : doc.entries) {
        for (const auto& issue : domain::validate(e.value, doc.header.case_info))
            out.push_back({issue.severity, "Chronology, " + e.value.date.display() + ": " + issue.field + ": " + issue.message,
                           Place{Place::Kind::Entry, "chronology", e.id, issue.field}});
    }
    for (const auto& gap : find_gaps(doc))
        if (!gap.acknowledged)
            out.push_back({Severity::Error,
                           "Chronology: no entry from " + long_date(gap.from) + " to " + long_date(gap.to) + " (" +
                               std::to_string(gap.days) + " days). State that there was no agency contact, or add the missing entries",
                           Place{Place::Kind::Chronology, "chronology", {}, {}}});

    std::set<std::pair<std::string, std::string>> reported;  // one finding per token and place
    for (const auto& finding : find_abbreviations(doc)) {
        const std::string where = finding.place.section_key + "/" + finding.place.id.hex() + "/" + finding.place.field;
        if (!reported.insert({finding.token, where}).second) continue;
        std::string location = "Chronology";
        if (finding.place.kind == Place::Kind::Section) {
            const auto* def = imr_template.find(finding.place.section_key);
            location = def != nullptr ? def->heading : finding.place.section_key;
            if (domain::tor_question_number(finding.place.section_key) > 0) location = "Terms of Reference " + std::to_string(domain::tor_question_number(finding.place.section_key));
            if (location.size() > 40) location = location.substr(0, 37) + "...";
        } else if (finding.place.kind == Place::Kind::Recommendation) {
            location = "Recommendations";
        } else if (const auto* entry = doc.entry(finding.place.id)) {
            location = "Chronology, " + entry->value.date.display();
        }
        std::string group = "'" + finding.token + "' is an abbreviation. Expand it, or add it to the glossary";
        out.push_back({Severity::Warning, location + ": " + group, finding.place, std::move(group), location});
    }

    if (!recommendations_na) {
        if (doc.recommendations.size() > 5)
            out.push_back({Severity::Warning,
                           "Recommendations: " + std::to_string(doc.recommendations.size()) +
                               " recommendations. They should be few in number, focused and specific",
                           Place{Place::Kind::Section, "recommendations", {}, {}}});
        for (const auto& r : doc.recommendations)
            for (const auto& issue : domain::validate(r.value))
                out.push_back({issue.severity, "Recommendation " + std::to_string(r.value.order) + ": " + issue.message,
                               Place{Place::Kind::Recommendation, "recommendations", r.id, issue.field}});
    }
    std::stable_sort(out.begin(), out.end(), [](const CheckFinding& a, const CheckFinding& b) {
        return a.severity == Severity::Error && b.severity != Severity::Error;
    });
    return out;
}

}  // namespace imrdesk::client
