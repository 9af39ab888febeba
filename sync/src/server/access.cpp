#include "imrdesk/sync/server/access.hpp"

#include <algorithm>

namespace imrdesk::sync::server::access {

namespace {

bool is_query_kind(domain::RecordKind kind) noexcept {
    return kind == domain::RecordKind::Query || kind == domain::RecordKind::QueryAnswer;
}

}  // namespace

bool authors(std::span<const MembershipInfo> memberships, const ImrFacts& imr) noexcept {
    return std::any_of(memberships.begin(), memberships.end(), [&](const MembershipInfo& m) {
        return m.role == Role::Author && m.case_reference == imr.case_reference && m.agency == imr.agency;
    });
}

bool reviews(std::span<const MembershipInfo> memberships, const ImrFacts& imr) noexcept {
    return std::any_of(memberships.begin(), memberships.end(), [&](const MembershipInfo& m) {
        return m.role == Role::Reviewer && m.case_reference == imr.case_reference;
    });
}

bool may_read(std::span<const MembershipInfo> memberships, const ImrFacts& imr, domain::RecordKind kind) noexcept {
    if (kind == domain::RecordKind::ReviewNote) return reviews(memberships, imr) && imr.ever_submitted;
    if (authors(memberships, imr)) return true;
    if (!reviews(memberships, imr)) return false;
    return imr.submitted || (is_query_kind(kind) && imr.ever_submitted);
}

std::optional<std::string> write_refusal(std::span<const MembershipInfo> memberships, const ImrFacts& imr,
                                         domain::RecordKind kind) {
    const std::string where = "the IMR belongs to " + std::string(imr.agency) + " in case " + std::string(imr.case_reference);
    if (domain::review_team_kind(kind)) {
        if (!reviews(memberships, imr))
            return std::string(kind == domain::RecordKind::Query ? "queries" : "review notes") +
                   " are written by the review team of case " + std::string(imr.case_reference) + ", which this device is not on";
        if (!imr.ever_submitted)
            return "the IMR was never submitted: the review team cannot see a draft, so it cannot raise a query on it";
        return std::nullopt;
    }
    if (!authors(memberships, imr)) {
        const bool any_author = std::any_of(memberships.begin(), memberships.end(),
                                            [](const MembershipInfo& m) { return m.role == Role::Author; });
        if (!any_author) return "a reviewer's device cannot change an agency's records";
        return where + ", which this device does not write for";
    }
    if (kind == domain::RecordKind::QueryAnswer) return std::nullopt;  // answered also while submitted
    if (imr.submitted) return "the IMR was submitted and is read-only";
    return std::nullopt;
}

NewImr new_imr(std::span<const MembershipInfo> memberships, std::string_view case_reference) {
    NewImr out;
    std::size_t candidates = 0;
    bool any_author = false;
    for (const auto& m : memberships) {
        if (m.role != Role::Author) continue;
        any_author = true;
        if (case_reference.empty() || m.case_reference == case_reference) {
            ++candidates;
            out.membership = &m;
        }
    }
    if (!any_author) {
        out.membership = nullptr;
        out.refusal = "a reviewer's device cannot change an agency's records";
    } else if (candidates != 1) {
        out.membership = nullptr;
        out.refusal = candidates == 0 ? "this device is not an author in case '" + std::string(case_reference) + "'"
                                      : std::string("a new IMR must name its case; this device writes for several");
    }
    return out;
}

}  // namespace imrdesk::sync::server::access
