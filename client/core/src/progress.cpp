#include "imrdesk/client/progress.hpp"

#include <algorithm>

namespace imrdesk::client {

std::string_view to_string(SectionState state) noexcept {
    switch (state) {
        case SectionState::Empty: return "empty";
        case SectionState::InProgress: return "in progress";
        case SectionState::Complete: return "complete";
        case SectionState::NotApplicable: return "not applicable";
    }
    return "";
}

std::size_t word_count(std::string_view text) noexcept {
    std::size_t words = 0;
    bool in_word = false;
    for (const char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    return words;
}

SectionState section_state(const ImrDocument& doc, const domain::OutlineItem& item) {
    const auto* stored = doc.section(item.key);
    if (stored != nullptr && stored->value.not_applicable) return SectionState::NotApplicable;
    const bool marked_complete = stored != nullptr && stored->value.complete;
    switch (item.kind) {
        case domain::SectionKind::Header: {
            const auto issues = domain::validate(doc.header);
            return issues.empty() ? SectionState::Complete : SectionState::InProgress;
        }
        case domain::SectionKind::Chronology:
            if (doc.entries.empty()) return SectionState::Empty;
            return marked_complete ? SectionState::Complete : SectionState::InProgress;
        case domain::SectionKind::Recommendations: {
            if (doc.recommendations.empty()) return SectionState::Empty;
            const bool all_complete = std::all_of(doc.recommendations.begin(), doc.recommendations.end(),
                                                  [](const auto& r) { return domain::validate(r.value).empty(); });
            return all_complete && marked_complete ? SectionState::Complete : SectionState::InProgress;
        }
        case domain::SectionKind::Endorsement:
            return doc.endorsement ? SectionState::Complete : SectionState::Empty;
        case domain::SectionKind::Group:
        case domain::SectionKind::TermsOfReference:
        case domain::SectionKind::Text:
            break;
    }
    if (stored == nullptr || word_count(stored->value.text) == 0) return SectionState::Empty;
    return marked_complete ? SectionState::Complete : SectionState::InProgress;
}

Progress progress_of(const ImrDocument& doc, const domain::ImrTemplate& imr_template) {
    Progress progress;
    for (const auto& item : imr_template.outline(doc.header.case_info.terms_of_reference)) {
        if (!item.is_fillable()) continue;
        ++progress.fillable;
        const auto state = section_state(doc, item);
        if (state == SectionState::Complete || state == SectionState::NotApplicable) ++progress.done;
    }
    return progress;
}

}  // namespace imrdesk::client
