#pragma once
// The demo profile: a realistic, entirely fictional IMR ("Adult A") so a newcomer sees the real
// thing at once. Its passphrase is public (README) and it must never hold real data.
#include <filesystem>
#include <memory>
#include <string_view>

#include "imrdesk/client/workspace.hpp"
#include "imrdesk/sync/messages.hpp"

namespace imrdesk::client {

inline constexpr std::string_view kDemoProfile = "Demo";
inline constexpr std::string_view kDemoPassphrase = "demo passphrase for imrdesk";
// The review team's demo profile has the same public passphrase.
inline constexpr std::string_view kReviewDemoProfile = "Demo review team";

// Fills an empty workspace with the demo IMR: about 60 chronology entries over two years from
// several services, most sections written, two recommendations, a glossary. Returns its id.
domain::Id populate_demo(Workspace& workspace);

// Opens the demo profile under data_dir, creating and filling it first when it does not exist.
[[nodiscard]] std::unique_ptr<Workspace> open_or_create_demo(const std::filesystem::path& data_dir);

// Makes this workspace a reviewer's device that has received every IMR of case `info.reference`
// as submitted: every record as from the server, enrolled as the case's reviewer with a server
// that never answers, and the case data (`info`, its submissions made from the IMRs here, at the
// version its agencies' progress gives). For the review demo and benchmarks.
void receive_as_reviewer(Workspace& workspace, sync::CaseInfo info);

// Fills an empty workspace as a reviewer's device holds case SAR 2025-07 after a sync: the Trust's
// and the police's submitted IMRs (the police's at version 2), the case data with four expected
// agencies, queries (closed, answered, open) and a review note. Enrolled with a server that never
// answers, so it stays offline.
void populate_review_demo(Workspace& workspace);
[[nodiscard]] std::unique_ptr<Workspace> open_or_create_review_demo(const std::filesystem::path& data_dir);

}  // namespace imrdesk::client
