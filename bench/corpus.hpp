#pragma once
// The benchmark's data: one IMR header and N chronology entries whose bodies are
// domain::to_json(ChronologyEntry) with 300-600 bytes of deterministic pseudo-random prose, plus
// a second set of bodies for the autosave pass. Every process that builds a corpus with the same
// sizes gets byte-identical ids and bodies (checked through the fingerprint).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "imrdesk/shared/model.hpp"

namespace imrdesk::bench {

struct Corpus {
    domain::Id imr;
    std::string header_body;                // kind Imr, id == imr
    std::vector<domain::Id> ids;            // the chronology entries
    std::vector<std::string> bodies;        // one per id
    std::vector<std::string> autosave_bodies;  // new bodies for ids[0..autosave)
    std::size_t body_bytes = 0;             // header + entry bodies
    std::uint64_t fingerprint = 0;          // FNV-1a over every id and body

    [[nodiscard]] std::size_t rows() const noexcept { return ids.size() + 1; }
};

[[nodiscard]] Corpus make_corpus(std::size_t entries, std::size_t autosave);

// The columns every engine writes and reads back.
inline constexpr int kKindImr = static_cast<int>(domain::RecordKind::Imr);
inline constexpr int kKindEntry = static_cast<int>(domain::RecordKind::ChronologyEntry);

using Clock = std::chrono::steady_clock;

[[nodiscard]] inline double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

[[nodiscard]] double median(std::vector<double> samples);

}  // namespace imrdesk::bench
