#pragma once
// The IMR domain model. Records are the unit of storage and sync: the IMR header, one record per
// section, per chronology entry, per recommendation, per glossary entry, and the endorsement.
// Each record has a random 128-bit id, the id of its IMR and a kind; its body is versioned JSON
// (see codec.hpp). Pure data: no I/O, no crypto.
#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "imrdesk/shared/partial_date.hpp"

namespace imrdesk::domain {

// A random 128-bit identifier (records, IMRs).
struct Id {
    std::array<std::uint8_t, 16> bytes{};

    [[nodiscard]] std::string hex() const;
    // Throws std::invalid_argument unless text is 32 hex digits.
    [[nodiscard]] static Id from_hex(std::string_view text);
    [[nodiscard]] bool is_nil() const noexcept;
    friend auto operator<=>(const Id&, const Id&) = default;
};

struct IdHash {
    std::size_t operator()(const Id& id) const noexcept;
};

enum class RecordKind : std::uint8_t {
    Imr = 1,              // the IMR header; its record id is the IMR id
    Section = 2,          // one section's text, not-applicable state and citations
    ChronologyEntry = 3,
    Recommendation = 4,
    GlossaryEntry = 5,
    Endorsement = 6,
    Name = 7,             // one real name and its pseudonym, in the IMR's names register
    Query = 8,            // a factual-accuracy query from the review team (theirs to write)
    QueryAnswer = 9,      // one answer to a query, from the IMR's agency (theirs to write)
    ReviewNote = 10,      // the review team's own note on a chronology entry (never shown to the agency)
};
inline constexpr int kLastRecordKind = 10;

// The kinds the review team writes; every other kind is the agency's.
[[nodiscard]] constexpr bool review_team_kind(RecordKind kind) noexcept {
    return kind == RecordKind::Query || kind == RecordKind::ReviewNote;
}

[[nodiscard]] std::string_view to_string(RecordKind kind) noexcept;  // "imr", "section", ...
[[nodiscard]] std::optional<RecordKind> record_kind_from_int(int value) noexcept;

struct TorQuestion {
    int number = 0;  // 1-based, stable: never reused when a question is removed
    std::string text;
    friend bool operator==(const TorQuestion&, const TorQuestion&) = default;
};

// What the Safeguarding Adults Board set for the review (later it flows down from the server).
struct CaseInfo {
    std::string reference;  // e.g. "SAR 2026-03"
    std::string title;
    std::vector<TorQuestion> terms_of_reference;
    std::optional<CivilDate> period_from;
    std::optional<CivilDate> period_to;
    std::optional<CivilDate> due;
};

struct Adult {
    std::string name;  // or a pseudonym, "Adult A"
    std::optional<PartialDate> date_of_birth;
    friend bool operator==(const Adult&, const Adult&) = default;
};

enum class ImrStatus : std::uint8_t { Draft, ReadyForEndorsement, Endorsed, Submitted };
[[nodiscard]] std::string_view to_string(ImrStatus status) noexcept;  // "Draft", "Ready for endorsement" ...
[[nodiscard]] std::optional<ImrStatus> imr_status_from_key(std::string_view key) noexcept;  // "draft", "ready" ...
[[nodiscard]] std::string_view key_of(ImrStatus status) noexcept;

struct ImrHeader {
    std::string title;
    CaseInfo case_info;
    std::string agency;
    std::vector<Adult> adults;
    std::string author_name;
    std::string author_agency;
    std::string author_contact;
    std::string author_role;
    std::string author_independence;
    std::optional<CivilDate> completion_date;
    std::optional<CivilDate> records_secured_date;
    std::string records_examined;
    std::string staff_interviewed;
    ImrStatus status = ImrStatus::Draft;
    int gap_threshold_days = 60;  // chronology gaps longer than this must be acknowledged
    nlohmann::json extra = nlohmann::json::object();  // fields written by newer versions, kept
};

struct SectionContent {
    std::string key;  // the template key, e.g. "analysis.q3" or "analysis.tor.2"
    std::string text;
    bool not_applicable = false;
    std::string not_applicable_reason;
    std::vector<Id> citations;  // chronology entries cited as evidence
    bool complete = false;      // the author marked it complete
    nlohmann::json extra = nlohmann::json::object();
};

// The six safeguarding principles, as tags on chronology entries.
enum class Principle : std::uint8_t { Empowerment, Prevention, Protection, Partnership, Accountability, Proportionality };
inline constexpr std::array<Principle, 6> kAllPrinciples{Principle::Empowerment, Principle::Prevention,
                                                         Principle::Protection,  Principle::Partnership,
                                                         Principle::Accountability, Principle::Proportionality};
[[nodiscard]] std::string_view to_string(Principle principle) noexcept;  // "Empowerment"
[[nodiscard]] std::optional<Principle> principle_from_string(std::string_view text) noexcept;  // case-insensitive

// A column of an imported chronology that is none of the model's fields ("Location", "NHS
// number"), kept on the entry under its heading so that nothing the author imported is lost.
struct ExtraField {
    std::string name;
    std::string value;
    friend bool operator==(const ExtraField&, const ExtraField&) = default;
};

struct ChronologyEntry {
    PartialDate date;
    std::optional<TimeOfDay> time;
    int sequence = 0;  // orders entries of the same day when times are unknown
    std::string agency;        // the agency the entry is about (multi-agency templates have a column)
    std::string contact_type;  // telephone, home visit, letter, outpatient appointment ...
    std::string source;  // mandatory: the record system and reference the fact came from
    std::string event;   // what happened, factually
    std::string action;  // action taken / decision
    std::string rationale;
    std::string outcome;
    std::string practitioner_role;
    std::string comment;  // analysis / significance: kept apart from the facts
    bool key_practice_episode = false;
    bool missed_opportunity = false;
    bool good_practice = false;
    bool no_contact_period = false;  // a stated period with no agency contact (an acknowledged gap)
    std::vector<int> tor_questions;
    std::vector<Principle> principles;
    std::vector<ExtraField> extra_fields;  // in the order of the imported file's columns
    nlohmann::json extra = nlohmann::json::object();
};

struct Recommendation {
    int order = 0;
    std::string text;
    std::vector<std::string> linked_learning;  // section keys, e.g. "learning.q2"
    std::string owner_role;
    std::optional<CivilDate> target_date;
    std::string resources;  // resources or cost needed
    std::string measure;    // how completion will be known
    nlohmann::json extra = nlohmann::json::object();
};

struct GlossaryEntry {
    std::string abbreviation;
    std::string expansion;
    nlohmann::json extra = nlohmann::json::object();
};

// The names register: a real name and the pseudonym published documents use for it
// ("Mr Quillfeather" -> "Adult B", "Dr Patel" -> "GP1"). Sealed and synced like the IMR's other
// records; applied by anonymised exports.
struct NameEntry {
    std::string real_name;
    std::string pseudonym;
    nlohmann::json extra = nlohmann::json::object();
};

struct Endorsement {
    std::string officer_name;
    std::string officer_role;
    std::string declaration;
    std::optional<CivilDate> date;
    std::string content_hash;  // SHA-256 (hex) of the IMR as endorsed
    nlohmann::json extra = nlohmann::json::object();
};

// A factual-accuracy query: the review team asks the agency about its IMR, one section of it or
// one chronology entry. The review team writes this record (raise, close, reopen); the agency
// answers with QueryAnswer records, so the two sides never edit the same record.
struct Query {
    std::string on;  // "imr", a section key ("summary", "analysis.q3"), or "entry:<32 hex digits>"
    std::string text;
    std::string raised_by;
    std::int64_t raised_at = 0;  // Unix seconds
    bool closed = false;
    std::string closed_by;
    std::int64_t state_changed_at = 0;  // the last close or reopen (0: neither yet)
    int reopened = 0;                   // how many times it was reopened
    nlohmann::json extra = nlohmann::json::object();
};

struct QueryAnswer {
    Id query;
    std::string text;
    std::string answered_by;
    std::int64_t answered_at = 0;  // Unix seconds
    nlohmann::json extra = nlohmann::json::object();
};

// The review team's own note on a chronology entry of a submitted IMR (the merged chronology).
struct ReviewNote {
    Id entry;
    std::string text;
    std::string written_by;
    std::int64_t written_at = 0;
    nlohmann::json extra = nlohmann::json::object();
};

enum class QueryState : std::uint8_t { Open, Answered, Closed, Reopened };
[[nodiscard]] std::string_view to_string(QueryState state) noexcept;  // "open", "answered" ...
// Closed when the review team closed it; answered when an answer came at or after it was raised
// (or last reopened); else open, or reopened.
[[nodiscard]] QueryState query_state(const Query& query, std::span<const QueryAnswer* const> answers) noexcept;

// Where a query points: the whole IMR, a section (by key) or a chronology entry (by id).
struct QueryTarget {
    enum class Kind : std::uint8_t { Imr, Section, Entry } kind = Kind::Imr;
    std::string section_key;
    Id entry;
};
// Parses "imr", "entry:<32 hex>" or a section key; nullopt for anything else (an empty string,
// "entry:" with a bad id, spaces or control characters).
[[nodiscard]] std::optional<QueryTarget> parse_query_target(std::string_view on);
[[nodiscard]] std::string query_target_text(const QueryTarget& target);

// The declaration a senior officer makes, from the template's introduction.
[[nodiscard]] std::string default_endorsement_declaration();

}  // namespace imrdesk::domain
