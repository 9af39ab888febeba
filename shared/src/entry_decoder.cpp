#include "imrdesk/shared/entry_decoder.hpp"

#include <simdjson.h>

#include <cstring>
#include <string>
#include <vector>

#include "imrdesk/shared/codec.hpp"

namespace imrdesk::domain {

namespace od = simdjson::ondemand;

namespace {

// The fields of a chronology entry body, one bit each (a field seen twice declines).
enum Field : unsigned {
    kV = 1u << 0, kDate = 1u << 1, kTime = 1u << 2, kSequence = 1u << 3, kAgency = 1u << 4, kContactType = 1u << 5,
    kSource = 1u << 6, kEvent = 1u << 7, kAction = 1u << 8, kRationale = 1u << 9, kOutcome = 1u << 10,
    kPractitionerRole = 1u << 11, kComment = 1u << 12, kKeyPracticeEpisode = 1u << 13, kMissedOpportunity = 1u << 14,
    kGoodPractice = 1u << 15, kNoContactPeriod = 1u << 16, kTorQuestions = 1u << 17, kPrinciples = 1u << 18,
    kExtraFields = 1u << 19,
};

// Reads a text field (null: empty). False when it is anything else.
bool text(od::value value, std::string& out) {
    od::json_type type{};
    if (value.type().get(type) != simdjson::SUCCESS) return false;
    if (type == od::json_type::null) {
        out.clear();
        return !value.is_null().error();
    }
    if (type != od::json_type::string) return false;
    std::string_view s;
    if (value.get_string().get(s) != simdjson::SUCCESS) return false;
    out.assign(s);
    return true;
}

bool flag(od::value value, bool& out) {
    od::json_type type{};
    if (value.type().get(type) != simdjson::SUCCESS) return false;
    if (type == od::json_type::null) {
        out = false;
        return !value.is_null().error();
    }
    return type == od::json_type::boolean && value.get_bool().get(out) == simdjson::SUCCESS;
}

// A whole number in [min, max] (null: `fallback`).
bool whole(od::value value, std::int64_t min, std::int64_t max, std::int64_t fallback, std::int64_t& out) {
    od::json_type type{};
    if (value.type().get(type) != simdjson::SUCCESS) return false;
    if (type == od::json_type::null) {
        out = fallback;
        return !value.is_null().error();
    }
    if (type != od::json_type::number) return false;
    od::number_type kind{};
    if (value.get_number_type().get(kind) != simdjson::SUCCESS || kind == od::number_type::floating_point_number) return false;
    if (value.get_int64().get(out) != simdjson::SUCCESS) return false;
    return out >= min && out <= max;
}

// Calls item(value) for every item of a list (null: none). False when it is not a list or an item declines.
template <typename Item>
bool list(od::value value, Item&& item) {
    od::json_type type{};
    if (value.type().get(type) != simdjson::SUCCESS) return false;
    if (type == od::json_type::null) return !value.is_null().error();
    if (type != od::json_type::array) return false;
    od::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) return false;
    for (auto element : array) {
        od::value v;
        if (element.get(v) != simdjson::SUCCESS || !item(v)) return false;
    }
    return true;
}

bool extra_field(od::value value, std::vector<ExtraField>& out) {
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) return false;
    ExtraField field;
    unsigned seen = 0;
    for (auto member : object) {
        std::string_view key;
        od::value v;
        if (member.unescaped_key().get(key) != simdjson::SUCCESS || member.value().get(v) != simdjson::SUCCESS) return false;
        const unsigned bit = key == "name" ? 1u : key == "value" ? 2u : 0u;
        if (bit == 0 || (seen & bit) != 0) return false;
        seen |= bit;
        od::json_type type{};
        if (v.type().get(type) != simdjson::SUCCESS || type != od::json_type::string) return false;
        std::string_view s;
        if (v.get_string().get(s) != simdjson::SUCCESS) return false;
        (bit == 1 ? field.name : field.value).assign(s);
    }
    if (seen != 3 || field.name.empty()) return false;
    out.push_back(std::move(field));
    return true;
}

struct TextField {
    std::string_view key;
    Field bit;
    std::string ChronologyEntry::*member;
};
constexpr TextField kTextFields[] = {
    {"agency", kAgency, &ChronologyEntry::agency},
    {"contact_type", kContactType, &ChronologyEntry::contact_type},
    {"source", kSource, &ChronologyEntry::source},
    {"event", kEvent, &ChronologyEntry::event},
    {"action", kAction, &ChronologyEntry::action},
    {"rationale", kRationale, &ChronologyEntry::rationale},
    {"outcome", kOutcome, &ChronologyEntry::outcome},
    {"practitioner_role", kPractitionerRole, &ChronologyEntry::practitioner_role},
    {"comment", kComment, &ChronologyEntry::comment},
};

struct FlagField {
    std::string_view key;
    Field bit;
    bool ChronologyEntry::*member;
};
constexpr FlagField kFlagFields[] = {
    {"key_practice_episode", kKeyPracticeEpisode, &ChronologyEntry::key_practice_episode},
    {"missed_opportunity", kMissedOpportunity, &ChronologyEntry::missed_opportunity},
    {"good_practice", kGoodPractice, &ChronologyEntry::good_practice},
    {"no_contact_period", kNoContactPeriod, &ChronologyEntry::no_contact_period},
};

// One field of the body into the entry. False: not in the form imrdesk writes.
bool field(std::string_view key, od::value value, unsigned& seen, ChronologyEntry& e) {
    const auto once = [&](Field bit) {
        if ((seen & bit) != 0) return false;
        seen |= bit;
        return true;
    };
    for (const auto& f : kTextFields)
        if (key == f.key) return once(f.bit) && text(value, e.*f.member);
    for (const auto& f : kFlagFields)
        if (key == f.key) return once(f.bit) && flag(value, e.*f.member);
    std::string scratch;
    std::int64_t number = 0;
    if (key == "v") return once(kV) && whole(value, 1, kBodyVersion, 0, number) && number >= 1;
    if (key == "date") {
        if (!once(kDate) || !text(value, scratch) || scratch.empty()) return false;
        try {
            e.date = PartialDate::from_iso(scratch);
        } catch (const DateError&) {
            return false;
        }
        return true;
    }
    if (key == "time") {
        if (!once(kTime) || !text(value, scratch)) return false;
        if (scratch.empty()) return true;
        try {
            e.time = parse_time(scratch);
        } catch (const DateError&) {
            return false;
        }
        return true;
    }
    if (key == "sequence") {
        if (!once(kSequence) || !whole(value, 0, 1'000'000, 0, number)) return false;
        e.sequence = static_cast<int>(number);
        return true;
    }
    if (key == "tor_questions") {
        return once(kTorQuestions) && list(value, [&](od::value item) {
                   std::int64_t q = 0;
                   od::json_type type{};
                   if (item.type().get(type) != simdjson::SUCCESS || type != od::json_type::number) return false;
                   if (!whole(item, 1, 1000, 0, q)) return false;
                   e.tor_questions.push_back(static_cast<int>(q));
                   return true;
               });
    }
    if (key == "principles") {
        return once(kPrinciples) && list(value, [&](od::value item) {
                   od::json_type type{};
                   std::string_view name;
                   if (item.type().get(type) != simdjson::SUCCESS || type != od::json_type::string ||
                       item.get_string().get(name) != simdjson::SUCCESS)
                       return false;
                   const auto principle = principle_from_string(name);
                   if (!principle) return false;
                   e.principles.push_back(*principle);
                   return true;
               });
    }
    if (key == "extra_fields") {
        return once(kExtraFields) && list(value, [&](od::value item) { return extra_field(item, e.extra_fields); });
    }
    return false;  // a field this version does not know: entry_from_json keeps it
}

}  // namespace

struct EntryDecoder::Impl {
    od::parser parser;
    std::string padded;  // the body with the padding simdjson reads past its end
};

EntryDecoder::EntryDecoder() : impl_(std::make_unique<Impl>()) {}

EntryDecoder::~EntryDecoder() {
    // The body is a person's record: no copy of it stays behind (volatile: not optimised away).
    volatile char* p = impl_->padded.data();
    for (std::size_t i = 0; i < impl_->padded.size(); ++i) p[i] = 0;
}

std::optional<ChronologyEntry> EntryDecoder::read(std::string_view body) {
    auto& padded = impl_->padded;
    if (padded.size() < body.size() + simdjson::SIMDJSON_PADDING) padded.resize(body.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(padded.data(), body.data(), body.size());
    std::memset(padded.data() + body.size(), 0, simdjson::SIMDJSON_PADDING);
    od::document doc;
    if (impl_->parser.iterate(padded.data(), body.size(), padded.size()).get(doc) != simdjson::SUCCESS) return std::nullopt;
    od::object object;
    if (doc.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
    ChronologyEntry e;
    unsigned seen = 0;
    for (auto member : object) {
        std::string_view key;
        od::value value;
        if (member.unescaped_key().get(key) != simdjson::SUCCESS || member.value().get(value) != simdjson::SUCCESS)
            return std::nullopt;
        if (!field(key, value, seen, e)) return std::nullopt;
    }
    // Anything after the object (the iterator still points in the input) is not a body.
    const char* after = nullptr;
    if (doc.current_location().get(after) == simdjson::SUCCESS) return std::nullopt;
    if ((seen & kV) == 0 || (seen & kDate) == 0) return std::nullopt;
    return e;
}

ChronologyEntry entry_from_text(std::string_view body, EntryDecoder& decoder) {
    if (auto fast = decoder.read(body)) return std::move(*fast);
    return entry_from_json(parse_body(body, RecordKind::ChronologyEntry));
}

}  // namespace imrdesk::domain
