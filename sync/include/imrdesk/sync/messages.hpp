#pragma once
// The sync protocol's messages (version 1) and their encoding. No I/O: the server's connection
// and the client engine turn frame payloads into Messages here and back.
//
// Encoding: one CBOR map per message (RFC 8949, through nlohmann::json), {"t": "<type>", ...}.
// CBOR carries record bodies and keys as byte strings (no base64 inflation of a third) and
// integers in 1-9 bytes. Unknown keys are ignored (a later minor addition does not break an
// older peer); a missing key, a value of the wrong CBOR type, a fixed-size byte string of the
// wrong size, a value out of range or over a limit is a DecodeError naming the field, e.g.
// "push.records[3].base: missing". The protocol version travels in Hello and Challenge, the
// first message each way; a version this side does not speak is refused when decoding them.
//
// decode_message never trusts its input: CBOR tags, nesting deeper than Limits::max_depth and
// more than Limits::max_values values are refused while parsing, before the document is built.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "imrdesk/shared/model.hpp"
#include "imrdesk/shared/partial_date.hpp"
#include "imrdesk/sync/frame.hpp"

namespace imrdesk::sync {

inline constexpr std::uint32_t kProtocolVersion = 1;     // what this build speaks
inline constexpr std::uint32_t kMinProtocolVersion = 1;  // the oldest it still accepts

using Nonce = std::array<std::uint8_t, 32>;
using PublicKey = std::array<std::uint8_t, 32>;  // Ed25519
using Signature = std::array<std::uint8_t, 64>;  // Ed25519
using Token = std::array<std::uint8_t, 16>;      // one-time enrolment token
using Sha256 = std::array<std::uint8_t, 32>;

struct Limits {
    std::size_t max_records_per_batch = 1000;            // Push.records, PullResult.records, PushResult.outcomes
    std::size_t max_body_bytes = std::size_t{4} << 20;  // one record body
    std::size_t max_name_bytes = 256;                    // client/device/server names, agency, case reference
    std::size_t max_text_bytes = std::size_t{64} << 10;  // case title, a ToR question, an error message
    std::size_t max_list_items = 500;                    // ToR questions, memberships
    std::size_t max_depth = 8;                           // CBOR nesting
    std::size_t max_values = 100'000;                    // CBOR values in one message
};

// --- handshake ---------------------------------------------------------------------------------

// Client -> server, first message.
struct Hello {
    std::uint32_t protocol_version = kProtocolVersion;
    std::string client_name;     // e.g. "imrdesk"
    std::string client_version;  // e.g. "0.1.0"
    // case_infos_digest() of the case data the device holds: when the server's is the same, it
    // does not send it again (most sessions change nothing of it).
    std::optional<Sha256> cases_digest;
    friend bool operator==(const Hello&, const Hello&) = default;
};

// Server -> client, first message: the nonce to sign (see auth_transcript).
struct Challenge {
    std::uint32_t protocol_version = kProtocolVersion;
    std::string server_version;
    Nonce nonce{};
    friend bool operator==(const Challenge&, const Challenge&) = default;
};

// Client -> server: an enrolled device proves its key, bound to this TLS session.
struct Authenticate {
    PublicKey device_key{};
    Signature signature{};  // over auth_transcript(nonce, exporter, device_key)
    friend bool operator==(const Authenticate&, const Authenticate&) = default;
};

// Client -> server: a new device redeems a one-time token and registers its key.
struct Enrol {
    Token token{};
    PublicKey device_key{};
    std::string device_name;
    Signature signature{};  // over enrol_transcript(nonce, exporter, token, device_key)
    friend bool operator==(const Enrol&, const Enrol&) = default;
};

enum class Role : std::uint8_t { Author = 1, Reviewer = 2 };

struct Membership {
    std::string case_reference;  // "SAR 2026-03"
    std::string agency;
    Role role = Role::Author;
    friend bool operator==(const Membership&, const Membership&) = default;
};

// Server -> client after a successful Authenticate or Enrol.
struct Welcome {
    domain::Id device_id;
    std::vector<Membership> memberships;
    // The device's case data is current: no CaseInfo follows. Otherwise one per case does.
    bool cases_unchanged = false;
    friend bool operator==(const Welcome&, const Welcome&) = default;
};

// --- records -----------------------------------------------------------------------------------

// A local change. base_revision is the server revision the change was made on (0: a new record).
// A deleted record is a tombstone and has an empty body. The body is opaque to the server.
struct PushRecord {
    domain::Id id;
    domain::Id imr_id;
    domain::RecordKind kind = domain::RecordKind::Imr;
    std::uint64_t base_revision = 0;
    Bytes body;
    bool deleted = false;
    // The case a new IMR belongs to (sent with IMR header records; the server needs it only for an
    // IMR it has not seen, when the device is an author in more than one case). May be empty.
    std::string case_reference;
    friend bool operator==(const PushRecord&, const PushRecord&) = default;
};

// A record as the server holds it. revision >= 1 (global, increasing).
struct RemoteRecord {
    domain::Id id;
    domain::Id imr_id;
    domain::RecordKind kind = domain::RecordKind::Imr;
    std::uint64_t revision = 1;
    Bytes body;
    bool deleted = false;
    friend bool operator==(const RemoteRecord&, const RemoteRecord&) = default;
};

struct Push {
    std::vector<PushRecord> records;  // 1..max_records_per_batch
    friend bool operator==(const Push&, const Push&) = default;
};

struct PushAccepted {
    domain::Id id;
    std::uint64_t revision = 1;  // the record's new revision
    friend bool operator==(const PushAccepted&, const PushAccepted&) = default;
};
// The base revision was not the server's current one: here is the current version.
struct PushConflict {
    RemoteRecord current;
    friend bool operator==(const PushConflict&, const PushConflict&) = default;
};
using PushOutcome = std::variant<PushAccepted, PushConflict>;

// One outcome per pushed record, in the same order.
struct PushResult {
    std::vector<PushOutcome> outcomes;
    friend bool operator==(const PushResult&, const PushResult&) = default;
};

// Changes after cursor (0: from the beginning), at most limit (1..max_records_per_batch).
struct Pull {
    std::uint64_t cursor = 0;
    std::uint32_t limit = 500;
    friend bool operator==(const Pull&, const Pull&) = default;
};

struct PullResult {
    std::vector<RemoteRecord> records;
    std::uint64_t next_cursor = 0;
    bool more = false;  // pull again from next_cursor
    friend bool operator==(const PullResult&, const PullResult&) = default;
};

// --- case data and submission ------------------------------------------------------------------

// An IMR the server has received as submitted, as far as the device may know of it (authors:
// their agency's; reviewers: every agency's).
struct Submission {
    domain::Id imr_id;
    std::string agency;
    std::uint64_t received_at = 0;  // Unix seconds, the server's clock
    std::uint32_t version = 1;      // 1, 2 ...: each submission of the IMR (after amending) is a new one
    Sha256 content_hash{};          // of the IMR as endorsed for this version
    friend bool operator==(const Submission&, const Submission&) = default;
};

// Where an agency is with its IMR of a case, as the review team sees it.
enum class AgencyState : std::uint8_t {
    NotStarted = 0,  // expected, and nothing has reached the server
    Drafting = 1,    // records have reached the server; never submitted
    Submitted = 2,   // `version` is with the review team
    Amending = 3,    // submitted before, withdrawn to amend: `version` is the last one submitted
};
[[nodiscard]] std::string_view to_string(AgencyState state) noexcept;  // "not started", "drafting" ...

struct AgencyProgress {
    std::string agency;
    bool expected = false;  // the case names it as an agency expected to contribute
    AgencyState state = AgencyState::NotStarted;
    std::uint32_t version = 0;        // the latest submitted version (0: none)
    std::uint64_t received_at = 0;    // when that version was received (Unix seconds)
    std::uint64_t last_change = 0;    // the newest record change the server holds (0: none)
    friend bool operator==(const AgencyProgress&, const AgencyProgress&) = default;
};

// Server -> client, one per case of the device's memberships, right after Welcome: what the Board
// set for a case (domain::CaseInfo on the wire) and the IMRs submitted so far. Dates travel as
// days since 1970-01-01 and must be real dates between 1900 and 2199.
struct CaseInfo {
    std::string reference;
    std::string title;
    std::vector<domain::TorQuestion> terms_of_reference;  // numbers >= 1, unique
    std::optional<domain::CivilDate> period_from;
    std::optional<domain::CivilDate> period_to;
    std::optional<domain::CivilDate> due;
    std::vector<Submission> submissions;
    // The review team receives every agency (the expected ones and any other that took part);
    // an author only its own.
    std::vector<AgencyProgress> agencies;

    [[nodiscard]] domain::CaseInfo to_domain() const;
    [[nodiscard]] static CaseInfo from_domain(const domain::CaseInfo& info);
    friend bool operator==(const CaseInfo&, const CaseInfo&) = default;
};

// Client -> server: the endorsed IMR is submitted (its records were pushed first).
struct Submit {
    domain::Id imr_id;
    Sha256 content_hash{};  // of the IMR as endorsed
    friend bool operator==(const Submit&, const Submit&) = default;
};

struct SubmitResult {
    domain::Id imr_id;
    std::uint64_t received_at = 0;  // Unix seconds, the server's clock
    friend bool operator==(const SubmitResult&, const SubmitResult&) = default;
};

// --- errors ------------------------------------------------------------------------------------

// Codes a newer peer adds decode as Unknown (the message still explains).
enum class ErrorCode : std::uint16_t {
    Unknown = 0,
    BadMessage = 1,
    UnsupportedVersion = 2,
    NotAuthenticated = 3,
    AuthenticationFailed = 4,
    TokenUnknown = 5,
    TokenExpired = 6,
    TokenUsed = 7,
    TokenRevoked = 8,
    DeviceRevoked = 9,
    Forbidden = 10,
    TooLarge = 11,
    RateLimited = 12,
    Internal = 13,
};
[[nodiscard]] std::string_view to_string(ErrorCode code) noexcept;  // "token_expired"

struct Error {
    ErrorCode code = ErrorCode::Unknown;
    std::string message;  // for people: what was refused and why
    friend bool operator==(const Error&, const Error&) = default;
};

// -----------------------------------------------------------------------------------------------

using Message = std::variant<Hello, Challenge, Authenticate, Enrol, Welcome, Push, PushResult, Pull, PullResult,
                             CaseInfo, Submit, SubmitResult, Error>;

enum class MessageType : std::uint8_t {
    Hello, Challenge, Authenticate, Enrol, Welcome, Push, PushResult, Pull, PullResult, CaseInfo, Submit,
    SubmitResult, Error,
};
[[nodiscard]] MessageType type_of(const Message& message) noexcept;
[[nodiscard]] std::string_view to_string(MessageType type) noexcept;  // the wire name, "push_result"

class DecodeError : public std::runtime_error {
public:
    enum class Code : std::uint8_t {
        Malformed,           // not one complete CBOR item (truncated, trailing bytes, bad encoding)
        TooComplex,          // CBOR tags, nesting or value count over the limits
        NotAMessage,         // not a map with a "t" string
        UnknownType,         // "t" names no message of this version
        UnsupportedVersion,  // Hello/Challenge with a protocol version this side does not speak
        MissingField,
        WrongType,           // e.g. a string where an integer belongs
        BadValue,            // out of range, wrong size, not UTF-8, an unknown enum value
        TooLarge,            // a string or body over its limit
        TooMany,             // a list over its limit
    };
    DecodeError(Code code, std::string field, const std::string& what);

    [[nodiscard]] Code code() const noexcept { return code_; }
    // The field path, e.g. "push.records[3].body"; empty for errors about the whole message.
    [[nodiscard]] const std::string& field() const noexcept { return field_; }

private:
    Code code_;
    std::string field_;
};

// Encodes any message. Does not apply Limits: the sender builds batches within them.
[[nodiscard]] Bytes encode_message(const Message& message);
// Throws DecodeError (only) for anything that is not a valid message within limits.
[[nodiscard]] Message decode_message(std::span<const std::uint8_t> bytes, const Limits& limits = {});

// The bytes a device signs with its Ed25519 key: a label, the server's nonce, the TLS
// keying-material exporter value of this session (so a relayed signature is useless elsewhere),
// and the device key, each unambiguous (the exporter is length-prefixed). Throws
// std::invalid_argument when the exporter is empty or longer than 255 bytes.
[[nodiscard]] Bytes auth_transcript(const Nonce& nonce, std::span<const std::uint8_t> tls_exporter,
                                    const PublicKey& device_key);
[[nodiscard]] Bytes enrol_transcript(const Nonce& nonce, std::span<const std::uint8_t> tls_exporter,
                                     const Token& token, const PublicKey& device_key);

}  // namespace imrdesk::sync
