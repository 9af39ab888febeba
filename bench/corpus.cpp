#include "corpus.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "imrdesk/shared/codec.hpp"

namespace imrdesk::bench {
namespace {

// SplitMix64: small, fast and fully deterministic across platforms.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [lo, hi].
    int between(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
    bool chance(int percent) { return between(1, 100) <= percent; }
    template <typename T, std::size_t N>
    const T& pick(const std::array<T, N>& items) { return items[next() % N]; }

private:
    std::uint64_t state_;
};

constexpr std::array<std::string_view, 64> kWords{
    "the",       "adult",      "was",         "seen",      "by",         "duty",        "social",     "worker",
    "at",        "home",       "and",         "reported",  "that",       "she",         "had",        "not",
    "eaten",     "since",      "Tuesday",     "a",         "referral",   "to",          "district",   "nursing",
    "followed",  "GP",         "contacted",   "concerns",  "about",      "neglect",     "were",       "raised",
    "with",      "housing",    "officer",     "visit",     "arranged",   "carer",       "declined",   "support",
    "assessment","completed",  "capacity",    "in",        "relation",   "medication",  "daughter",   "telephone",
    "call",      "police",     "welfare",     "check",     "safeguarding","enquiry",    "opened",     "under",
    "section",   "42",         "plan",        "agreed",    "review",     "meeting",     "no",         "answer"};

constexpr std::array<std::string_view, 8> kRoles{
    "Social worker", "District nurse", "GP", "Housing officer", "Police constable", "Care coordinator",
    "Paramedic",     "Safeguarding lead"};

constexpr std::array<std::string_view, 6> kSystems{"Mosaic", "EMIS Web", "SystmOne", "Niche RMS", "Orchard",
                                                   "Liquidlogic"};

// About n characters of sentence-cased prose (never more than n + one word).
std::string prose(Rng& rng, std::size_t n) {
    std::string text;
    bool sentence_start = true;
    while (text.size() < n) {
        std::string word(rng.pick(kWords));
        if (sentence_start && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
        if (!text.empty()) text += ' ';
        text += word;
        sentence_start = rng.chance(10);
        if (sentence_start) text += '.';
    }
    if (!text.empty() && text.back() != '.') text += '.';
    return text;
}

domain::Id random_id(Rng& rng) {
    domain::Id id;
    for (std::size_t i = 0; i < id.bytes.size(); i += 8) {
        const std::uint64_t value = rng.next();
        for (std::size_t b = 0; b < 8; ++b) id.bytes[i + b] = static_cast<std::uint8_t>(value >> (8 * b));
    }
    return id;
}

std::string entry_body(Rng& rng, int index) {
    // 300-600 bytes of text shared out over the free-text fields.
    const auto total = static_cast<std::size_t>(rng.between(300, 600));
    domain::ChronologyEntry e;
    e.date = domain::PartialDate::day(rng.between(2019, 2024), rng.between(1, 12), rng.between(1, 28));
    if (rng.chance(70)) e.time = domain::TimeOfDay{rng.between(7, 21), rng.between(0, 59)};
    e.sequence = index % 5;
    e.source = std::string(rng.pick(kSystems)) + " case note " + std::to_string(100000 + index);
    e.event = prose(rng, total * 45 / 100);
    e.action = prose(rng, total * 20 / 100);
    e.rationale = prose(rng, total * 15 / 100);
    e.outcome = prose(rng, total * 10 / 100);
    e.comment = rng.chance(50) ? prose(rng, total * 10 / 100) : std::string();
    e.practitioner_role = std::string(rng.pick(kRoles));
    e.key_practice_episode = rng.chance(10);
    e.missed_opportunity = rng.chance(5);
    e.good_practice = rng.chance(5);
    e.tor_questions = {rng.between(1, 6)};
    e.principles = {domain::kAllPrinciples[static_cast<std::size_t>(rng.between(0, 5))]};
    return domain::to_json(e).dump();
}

void fnv(std::uint64_t& hash, const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001B3ull;
}

}  // namespace

Corpus make_corpus(std::size_t entries, std::size_t autosave) {
    Rng rng(20260501);
    Corpus corpus;
    corpus.imr = random_id(rng);
    domain::ImrHeader header;
    header.title = "Individual Management Review: Adult B";
    header.case_info.reference = "SAR 2026-03";
    header.case_info.title = "Safeguarding Adults Review concerning Adult B";
    header.agency = "Northshire Adult Social Care";
    header.author_name = "A. Author";
    corpus.header_body = domain::to_json(header).dump();

    corpus.ids.reserve(entries);
    corpus.bodies.reserve(entries);
    for (std::size_t i = 0; i < entries; ++i) {
        corpus.ids.push_back(random_id(rng));
        corpus.bodies.push_back(entry_body(rng, static_cast<int>(i)));
    }
    for (std::size_t i = 0; i < std::min(autosave, entries); ++i)
        corpus.autosave_bodies.push_back(entry_body(rng, static_cast<int>(i)));

    std::uint64_t hash = 0xCBF29CE484222325ull;
    corpus.body_bytes = corpus.header_body.size();
    fnv(hash, corpus.header_body.data(), corpus.header_body.size());
    for (std::size_t i = 0; i < entries; ++i) {
        corpus.body_bytes += corpus.bodies[i].size();
        fnv(hash, corpus.ids[i].bytes.data(), corpus.ids[i].bytes.size());
        fnv(hash, corpus.bodies[i].data(), corpus.bodies[i].size());
    }
    for (const auto& body : corpus.autosave_bodies) fnv(hash, body.data(), body.size());
    corpus.fingerprint = hash;
    return corpus;
}

double median(std::vector<double> samples) {
    if (samples.empty()) return 0.0;
    std::sort(samples.begin(), samples.end());
    const std::size_t mid = samples.size() / 2;
    return samples.size() % 2 == 1 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2.0;
}

}  // namespace imrdesk::bench
