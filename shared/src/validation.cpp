#include "imrdesk/shared/validation.hpp"

#include <algorithm>

#include "imrdesk/shared/entry_fields.hpp"
#include "imrdesk/shared/utf8.hpp"

namespace imrdesk::domain {
namespace {

constexpr std::size_t kMaxFieldBytes = 1u << 20;  // 1 MiB of text in one field is a mistake

bool blank(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

void check_text(std::vector<Issue>& issues, const char* field, const std::string& value) {
    if (value.size() > kMaxFieldBytes)
        issues.push_back({field, "is longer than 1 MiB of text", Severity::Error});
    else if (!text::is_valid_utf8(value))
        issues.push_back({field, "contains bytes that are not valid UTF-8 text", Severity::Error});
}

void require(std::vector<Issue>& issues, const char* field, const std::string& value, const char* message,
             Severity severity = Severity::Error) {
    if (blank(value)) issues.push_back({field, message, severity});
    else check_text(issues, field, value);
}

std::string long_date(const CivilDate& date) {
    return PartialDate::day(date.year, date.month, date.day).display();
}

}  // namespace

std::vector<Issue> validate(const ChronologyEntry& entry, const CaseInfo& case_info) {
    std::vector<Issue> issues;
    require(issues, "source", entry.source, "the source of information is required (record system and reference)");
    require(issues, "event", entry.event,
            entry.no_contact_period ? "a period with no agency contact needs a statement"
                                    : "the event or contact details are required");
    for (const auto& field : kEntryTextFields)
        if (field.key != "source" && field.key != "event") check_text(issues, field.key.data(), entry.*field.member);
    for (const auto& extra : entry.extra_fields) {
        if (blank(extra.name)) issues.push_back({"extra_fields", "an extra field has no name", Severity::Error});
        check_text(issues, "extra_fields", extra.name);
        check_text(issues, "extra_fields", extra.value);
    }
    if (entry.date.start.year == 0) issues.push_back({"date", "a date is required", Severity::Error});
    if (entry.time && entry.date.start.precision != DatePrecision::Day)
        issues.push_back({"time", "a time is given but the date is not an exact day", Severity::Warning});
    {
        if (case_info.period_from && entry.date.start.year != 0 && entry.date.last_day() < *case_info.period_from)
            issues.push_back({"date", entry.date.display() + " is before the review period, which starts on " +
                                          long_date(*case_info.period_from), Severity::Warning});
        if (case_info.period_to && entry.date.start.year != 0 && entry.date.first_day() > *case_info.period_to)
            issues.push_back({"date", entry.date.display() + " is after the review period, which ends on " +
                                          long_date(*case_info.period_to), Severity::Warning});
    }
    for (const int number : entry.tor_questions) {
        const bool known = std::any_of(case_info.terms_of_reference.begin(), case_info.terms_of_reference.end(),
                                       [&](const TorQuestion& q) { return q.number == number; });
        if (!known)
            issues.push_back({"tor_questions", "Terms of Reference question " + std::to_string(number) +
                                                   " does not exist in this case", Severity::Error});
    }
    return issues;
}

std::vector<Issue> validate(const ImrHeader& header) {
    std::vector<Issue> issues;
    require(issues, "agency", header.agency, "the name of the agency is required");
    if (header.adults.empty()) issues.push_back({"adults", "name at least one adult (or a pseudonym such as Adult A)", Severity::Error});
    for (std::size_t i = 0; i < header.adults.size(); ++i) {
        const std::string field = "adults[" + std::to_string(i) + "]";
        if (blank(header.adults[i].name)) issues.push_back({field + ".name", "the adult's name is required", Severity::Error});
        if (!header.adults[i].date_of_birth)
            issues.push_back({field + ".date_of_birth", "the date of birth is not given", Severity::Warning});
    }
    require(issues, "case.reference", header.case_info.reference, "the case reference is required");
    require(issues, "author_name", header.author_name, "the author's name is required", Severity::Warning);
    require(issues, "author_agency", header.author_agency, "the author's agency is not given", Severity::Warning);
    require(issues, "author_contact", header.author_contact, "the author's contact details are not given", Severity::Warning);
    require(issues, "author_role", header.author_role, "the author's role is not given", Severity::Warning);
    require(issues, "author_independence", header.author_independence,
            "state the author's independence from the case", Severity::Warning);
    if (!header.records_secured_date)
        issues.push_back({"records_secured_date", "the date the records were secured is not given", Severity::Warning});
    require(issues, "records_examined", header.records_examined, "list the records examined", Severity::Warning);
    require(issues, "staff_interviewed", header.staff_interviewed, "list the staff interviewed, with dates", Severity::Warning);
    if (header.case_info.period_from && header.case_info.period_to &&
        *header.case_info.period_to < *header.case_info.period_from)
        issues.push_back({"case.period_to", "the review period ends before it starts", Severity::Error});
    check_text(issues, "title", header.title);
    return issues;
}

std::vector<Issue> validate(const Recommendation& recommendation) {
    std::vector<Issue> issues;
    require(issues, "text", recommendation.text, "the recommendation has no text");
    require(issues, "owner_role", recommendation.owner_role, "name the role that owns this recommendation", Severity::Warning);
    if (!recommendation.target_date)
        issues.push_back({"target_date", "give a target date", Severity::Warning});
    require(issues, "resources", recommendation.resources, "state the resources or cost needed", Severity::Warning);
    require(issues, "measure", recommendation.measure, "say how completion will be measured", Severity::Warning);
    return issues;
}

std::vector<Issue> validate(const SectionContent& section) {
    std::vector<Issue> issues;
    if (section.key.empty()) issues.push_back({"key", "the section key is missing", Severity::Error});
    if (section.not_applicable && blank(section.not_applicable_reason))
        issues.push_back({"not_applicable_reason", "say why this section does not apply to your agency", Severity::Error});
    check_text(issues, "text", section.text);
    check_text(issues, "not_applicable_reason", section.not_applicable_reason);
    return issues;
}

std::vector<Issue> validate(const NameEntry& entry) {
    std::vector<Issue> issues;
    require(issues, "real_name", entry.real_name, "the real name is required");
    require(issues, "pseudonym", entry.pseudonym, "the pseudonym is required (e.g. Adult A, GP1)");
    if (!blank(entry.real_name) && !blank(entry.pseudonym) && entry.real_name == entry.pseudonym)
        issues.push_back({"pseudonym", "the pseudonym is the real name", Severity::Error});
    if (entry.real_name.size() > 200) issues.push_back({"real_name", "is longer than 200 bytes", Severity::Error});
    if (entry.pseudonym.size() > 200) issues.push_back({"pseudonym", "is longer than 200 bytes", Severity::Error});
    return issues;
}

std::vector<Issue> validate(const GlossaryEntry& entry) {
    std::vector<Issue> issues;
    require(issues, "abbreviation", entry.abbreviation, "the abbreviation is empty");
    require(issues, "expansion", entry.expansion, "give the abbreviation's meaning in full");
    return issues;
}

bool has_errors(const std::vector<Issue>& issues) noexcept {
    return std::any_of(issues.begin(), issues.end(), [](const Issue& i) { return i.severity == Severity::Error; });
}

std::string join(const std::vector<Issue>& issues) {
    std::string out;
    for (const auto& issue : issues) {
        if (!out.empty()) out += "; ";
        out += issue.field + ": " + issue.message;
    }
    return out;
}

}  // namespace imrdesk::domain
