#include "imrdesk/sync/digest.hpp"

#include <stdexcept>

#include "imrdesk/crypto/hash.hpp"

namespace imrdesk::sync {

struct RecordSetHasher::State {
    crypto::Sha256Stream sha;
};

RecordSetHasher::RecordSetHasher() : state_(std::make_unique<State>()) {}

RecordSetHasher::~RecordSetHasher() = default;

void RecordSetHasher::add(const domain::Id& id, bool deleted, std::span<const std::uint8_t> body) {
    std::uint8_t head[16 + 1 + 8];
    std::copy(id.bytes.begin(), id.bytes.end(), head);
    head[16] = deleted ? 1 : 0;
    const auto size = static_cast<std::uint64_t>(body.size());
    for (int i = 0; i < 8; ++i) head[17 + i] = static_cast<std::uint8_t>(size >> (56 - 8 * i));
    state_->sha.update(crypto::Bytes(head, sizeof head));
    if (!body.empty()) state_->sha.update(body);
    ++count_;
}

Sha256 RecordSetHasher::finish() {
    return state_->sha.finish();
}

Sha256 case_infos_digest(const std::vector<CaseInfo>& infos) {
    RecordSetHasher hasher;
    domain::Id none;
    for (const auto& info : infos) {
        const auto bytes = encode_message(info);
        hasher.add(none, false, bytes);
    }
    return hasher.finish();
}

std::string hex(const Sha256& digest) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (const auto b : digest) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 15]);
    }
    return out;
}

}  // namespace imrdesk::sync
