#include "imrdesk/sync/server/access.hpp"

#include <algorithm>

namespace imrdesk::sync::server::access {

bool authors(std::span<const MembershipInfo> memberships, const ImrFacts& imr) noexcept {
    return std::any_of(memberships.begin(), memberships.end(), [&](const MembershipInfo& m) {
        return m.role == Role::Author && m.case_reference == imr.case_reference && m.agency == imr.agency;
    });
}

bool may_read(std::span<const MembershipInfo> memberships, const ImrFacts& imr) noexcept {
    return std::any_of(memberships.begin(), memberships.end(), [&](const MembershipInfo& m) {
        if (m.case_reference != imr.case_reference) return false;
        return m.role == Role::Author ? m.agency == imr.agency : imr.submitted;
    });
}

std::optional<std::string> write_refusal(std::span<const MembershipInfo> memberships, const ImrFacts& imr) {
    const bool any_author = std::any_of(memberships.begin(), memberships.end(),
                                        [](const MembershipInfo& m) { return m.role == Role::Author; });
    if (!any_author) return "a reviewer's device cannot change records";
    if (!authors(memberships, imr))
        return "the IMR belongs to " + std::string(imr.agency) + " in case " + std::string(imr.case_reference) +
               ", which this device does not write for";
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
        out.refusal = "a reviewer's device cannot change records";
    } else if (candidates != 1) {
        out.membership = nullptr;
        out.refusal = candidates == 0 ? "this device is not an author in case '" + std::string(case_reference) + "'"
                                      : std::string("a new IMR must name its case; this device writes for several");
    }
    return out;
}

}  // namespace imrdesk::sync::server::access
