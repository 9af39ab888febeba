#include "imrdesk/shared/model.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace imrdesk::domain {

std::string Id::hex() const {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(32, '0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        out[2 * i] = kDigits[bytes[i] >> 4];
        out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
    }
    return out;
}

Id Id::from_hex(std::string_view text) {
    auto nibble = [&](char c, std::size_t position) -> std::uint8_t {
        if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
        if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
        if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
        throw std::invalid_argument("not an id: character " + std::to_string(position + 1) +
                                    " is not a hexadecimal digit");
    };
    if (text.size() != 32)
        throw std::invalid_argument("not an id: expected 32 hexadecimal digits, found " +
                                    std::to_string(text.size()) + " characters");
    Id id;
    for (std::size_t i = 0; i < id.bytes.size(); ++i)
        id.bytes[i] = static_cast<std::uint8_t>((nibble(text[2 * i], 2 * i) << 4) | nibble(text[2 * i + 1], 2 * i + 1));
    return id;
}

bool Id::is_nil() const noexcept {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

std::size_t IdHash::operator()(const Id& id) const noexcept {
    std::size_t value = 0;
    std::memcpy(&value, id.bytes.data(), sizeof value);  // ids are random: any 8 bytes hash well
    return value;
}

std::string_view to_string(RecordKind kind) noexcept {
    switch (kind) {
        case RecordKind::Imr: return "imr";
        case RecordKind::Section: return "section";
        case RecordKind::ChronologyEntry: return "chronology entry";
        case RecordKind::Recommendation: return "recommendation";
        case RecordKind::GlossaryEntry: return "glossary entry";
        case RecordKind::Endorsement: return "endorsement";
        case RecordKind::Name: return "name";
        case RecordKind::Query: return "query";
        case RecordKind::QueryAnswer: return "query answer";
        case RecordKind::ReviewNote: return "review note";
    }
    return "unknown";
}

std::optional<RecordKind> record_kind_from_int(int value) noexcept {
    if (value < 1 || value > kLastRecordKind) return std::nullopt;
    return static_cast<RecordKind>(value);
}

std::string_view to_string(QueryState state) noexcept {
    switch (state) {
        case QueryState::Open: return "open";
        case QueryState::Answered: return "answered";
        case QueryState::Closed: return "closed";
        case QueryState::Reopened: return "reopened";
    }
    return "open";
}

QueryState query_state(const Query& query, std::span<const QueryAnswer* const> answers) noexcept {
    if (query.closed) return QueryState::Closed;
    const std::int64_t since = query.reopened > 0 ? query.state_changed_at : query.raised_at;
    const bool answered = std::any_of(answers.begin(), answers.end(),
                                      [&](const QueryAnswer* a) { return a != nullptr && a->answered_at >= since; });
    if (answered) return QueryState::Answered;
    return query.reopened > 0 ? QueryState::Reopened : QueryState::Open;
}

std::optional<QueryTarget> parse_query_target(std::string_view on) {
    if (on.empty() || on.size() > 200) return std::nullopt;
    for (const char c : on)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return std::nullopt;
    QueryTarget t;
    if (on == "imr") return t;
    if (on.rfind("entry:", 0) == 0) {
        try {
            t.entry = Id::from_hex(on.substr(6));
        } catch (const std::invalid_argument&) {
            return std::nullopt;
        }
        t.kind = QueryTarget::Kind::Entry;
        return t;
    }
    t.kind = QueryTarget::Kind::Section;
    t.section_key = std::string(on);
    return t;
}

std::string query_target_text(const QueryTarget& target) {
    switch (target.kind) {
        case QueryTarget::Kind::Imr: return "imr";
        case QueryTarget::Kind::Section: return target.section_key;
        case QueryTarget::Kind::Entry: return "entry:" + target.entry.hex();
    }
    return "imr";
}

std::string_view to_string(ImrStatus status) noexcept {
    switch (status) {
        case ImrStatus::Draft: return "Draft";
        case ImrStatus::ReadyForEndorsement: return "Ready for endorsement";
        case ImrStatus::Endorsed: return "Endorsed";
        case ImrStatus::Submitted: return "Submitted";
    }
    return "Draft";
}

std::string_view key_of(ImrStatus status) noexcept {
    switch (status) {
        case ImrStatus::Draft: return "draft";
        case ImrStatus::ReadyForEndorsement: return "ready";
        case ImrStatus::Endorsed: return "endorsed";
        case ImrStatus::Submitted: return "submitted";
    }
    return "draft";
}

std::optional<ImrStatus> imr_status_from_key(std::string_view key) noexcept {
    for (const auto status : {ImrStatus::Draft, ImrStatus::ReadyForEndorsement, ImrStatus::Endorsed, ImrStatus::Submitted})
        if (key_of(status) == key) return status;
    return std::nullopt;
}

std::string_view to_string(Principle principle) noexcept {
    switch (principle) {
        case Principle::Empowerment: return "Empowerment";
        case Principle::Prevention: return "Prevention";
        case Principle::Protection: return "Protection";
        case Principle::Partnership: return "Partnership";
        case Principle::Accountability: return "Accountability";
        case Principle::Proportionality: return "Proportionality";
    }
    return "";
}

std::optional<Principle> principle_from_string(std::string_view text) noexcept {
    auto equal_ci = [](std::string_view a, std::string_view b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                   return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
               });
    };
    for (const auto principle : kAllPrinciples)
        if (equal_ci(text, to_string(principle))) return principle;
    if (equal_ci(text, "Proportionate")) return Principle::Proportionality;
    return std::nullopt;
}

std::string default_endorsement_declaration() {
    return "I have read this Individual Management Review and endorse its findings. As the senior officer "
           "who commissioned it, I am responsible for ensuring that its recommendations are acted upon.";
}

}  // namespace imrdesk::domain
