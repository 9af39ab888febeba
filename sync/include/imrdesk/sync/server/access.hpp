#pragma once
// Who may read and write what on the server, as pure functions of a device's memberships, an
// IMR's facts and the record's kind. The Store asks these (its pull query, kVisible, is the same
// rule in SQL, and a test holds the two together over every combination).
//  - An author (for an agency in a case) reads and writes that agency's IMRs in that case, until
//    one is submitted; then it reads it only. It may withdraw a submitted IMR's endorsement (to
//    amend and submit again), which reopens it.
//  - A reviewer (the review team of a case) reads every submitted IMR of that case and writes none
//    of the agency's records.
//  - Queries: the review team raises them (on an IMR submitted at least once) and closes them;
//    the agency answers them, also while its IMR is submitted. Both sides read queries and
//    answers, also while the agency amends a withdrawn IMR. Nobody else sees them.
//  - Review notes are the review team's alone: the agency never reads them.
//  - Nothing crosses cases.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "imrdesk/sync/server/store.hpp"

namespace imrdesk::sync::server::access {

struct ImrFacts {
    std::string_view case_reference;
    std::string_view agency;
    bool submitted = false;       // submitted now
    bool ever_submitted = false;  // submitted now or before (a version exists)
};

[[nodiscard]] bool may_read(std::span<const MembershipInfo> memberships, const ImrFacts& imr,
                            domain::RecordKind kind = domain::RecordKind::Section) noexcept;
// nullopt when the device may change (or create) a record of this kind in the IMR, else why not.
[[nodiscard]] std::optional<std::string> write_refusal(std::span<const MembershipInfo> memberships, const ImrFacts& imr,
                                                       domain::RecordKind kind = domain::RecordKind::Section);
// Whether the device writes for the IMR's agency in its case (so may submit it).
[[nodiscard]] bool authors(std::span<const MembershipInfo> memberships, const ImrFacts& imr) noexcept;
// Whether the device is on the review team of the IMR's case.
[[nodiscard]] bool reviews(std::span<const MembershipInfo> memberships, const ImrFacts& imr) noexcept;

// The membership a new IMR (one the server has not seen) is created under: the device's one
// author membership in `case_reference` (any case when empty). Else why not.
struct NewImr {
    const MembershipInfo* membership = nullptr;
    std::optional<std::string> refusal;
};
[[nodiscard]] NewImr new_imr(std::span<const MembershipInfo> memberships, std::string_view case_reference);

}  // namespace imrdesk::sync::server::access
