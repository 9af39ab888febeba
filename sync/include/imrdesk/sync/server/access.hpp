#pragma once
// Who may read and write what on the server, as pure functions of a device's memberships and an
// IMR's facts. The Store asks these (its pull query, kVisible, is the same rule in SQL, and a
// test holds the two together over every combination).
//  - An author (for an agency in a case) reads and writes that agency's IMRs in that case, until
//    one is submitted; then it reads it only.
//  - A reviewer (the review team of a case) reads every submitted IMR of that case and writes none.
//  - Nothing crosses cases, and the record kind makes no difference.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "imrdesk/sync/server/store.hpp"

namespace imrdesk::sync::server::access {

struct ImrFacts {
    std::string_view case_reference;
    std::string_view agency;
    bool submitted = false;
};

[[nodiscard]] bool may_read(std::span<const MembershipInfo> memberships, const ImrFacts& imr) noexcept;
// nullopt when the device may change the IMR's records, else why not (for the refusal).
[[nodiscard]] std::optional<std::string> write_refusal(std::span<const MembershipInfo> memberships, const ImrFacts& imr);
// Whether the device writes for the IMR's agency in its case (so may submit it).
[[nodiscard]] bool authors(std::span<const MembershipInfo> memberships, const ImrFacts& imr) noexcept;

// The membership a new IMR (one the server has not seen) is created under: the device's one
// author membership in `case_reference` (any case when empty). Else why not.
struct NewImr {
    const MembershipInfo* membership = nullptr;
    std::optional<std::string> refusal;
};
[[nodiscard]] NewImr new_imr(std::span<const MembershipInfo> memberships, std::string_view case_reference);

}  // namespace imrdesk::sync::server::access
