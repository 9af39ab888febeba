#pragma once
// A content hash of a set of records, computed the same way by the server and by every client,
// so that tests and the admin can check that devices and server hold identical record sets.
// Records must be added in ascending id order; each contributes its id, deleted flag and body
// (length-prefixed, so no two different sets hash alike by concatenation). Revisions are
// bookkeeping, not content: a submitted IMR's records get new revisions on the server that its
// authors' devices need not fetch, and their content is still the same.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "imrdesk/shared/model.hpp"
#include "imrdesk/sync/messages.hpp"

namespace imrdesk::sync {

class RecordSetHasher {
public:
    RecordSetHasher();
    ~RecordSetHasher();
    RecordSetHasher(const RecordSetHasher&) = delete;
    RecordSetHasher& operator=(const RecordSetHasher&) = delete;

    void add(const domain::Id& id, bool deleted, std::span<const std::uint8_t> body);
    [[nodiscard]] std::size_t count() const noexcept { return count_; }
    // The SHA-256; the hasher cannot be used afterwards.
    [[nodiscard]] Sha256 finish();

private:
    struct State;
    std::unique_ptr<State> state_;
    std::size_t count_ = 0;
};

// SHA-256 over the encoded CaseInfo messages, in order: what Hello.cases_digest carries.
[[nodiscard]] Sha256 case_infos_digest(const std::vector<CaseInfo>& infos);

// "3f2a9c01..." (64 hex digits).
[[nodiscard]] std::string hex(const Sha256& digest);

}  // namespace imrdesk::sync
