#pragma once
// Validation that names the field and the reason, for the CLI, the editor and the
// pre-submission check.
#include <string>
#include <vector>

#include "imrdesk/shared/model.hpp"

namespace imrdesk::domain {

enum class Severity { Error, Warning };

struct Issue {
    std::string field;    // "source", "date", "adults[0].name"
    std::string message;  // "the source of information is required"
    Severity severity = Severity::Error;
};

[[nodiscard]] std::vector<Issue> validate(const ChronologyEntry& entry, const CaseInfo& case_info);
[[nodiscard]] std::vector<Issue> validate(const ImrHeader& header);
[[nodiscard]] std::vector<Issue> validate(const Recommendation& recommendation);
[[nodiscard]] std::vector<Issue> validate(const SectionContent& section);
[[nodiscard]] std::vector<Issue> validate(const GlossaryEntry& entry);
[[nodiscard]] std::vector<Issue> validate(const NameEntry& entry);

[[nodiscard]] bool has_errors(const std::vector<Issue>& issues) noexcept;
// "source: the source of information is required; date: ..." for one-line CLI errors.
[[nodiscard]] std::string join(const std::vector<Issue>& issues);

}  // namespace imrdesk::domain
