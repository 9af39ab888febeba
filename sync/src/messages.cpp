#include "imrdesk/sync/messages.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "imrdesk/shared/utf8.hpp"

namespace imrdesk::sync {

using nlohmann::json;

namespace {

// --- names -------------------------------------------------------------------------------------

constexpr std::array<std::string_view, 13> kTypeNames{
    "hello", "challenge", "authenticate", "enrol",  "welcome",       "push", "push_result",
    "pull",  "pull_result", "case_info",  "submit", "submit_result", "error"};

constexpr std::array<std::string_view, 14> kErrorNames{
    "unknown",        "bad_message",  "unsupported_version", "not_authenticated", "authentication_failed",
    "token_unknown",  "token_expired", "token_used",         "token_revoked",     "device_revoked",
    "forbidden",      "too_large",     "rate_limited",       "internal"};

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint8_t kOutcomeAccepted = 1;
constexpr std::uint8_t kOutcomeConflict = 2;
// Dates on the wire: days since 1970-01-01, limited to 1900-01-01 .. 2199-12-31.
constexpr std::int64_t kMinDay = -25567;
constexpr std::int64_t kMaxDay = 84006;

[[noreturn]] void fail(DecodeError::Code code, const std::string& field, const std::string& what) {
    throw DecodeError(code, field, field.empty() ? what : field + ": " + what);
}

// --- encoding ----------------------------------------------------------------------------------

json bin(std::span<const std::uint8_t> bytes) { return json::binary(std::vector<std::uint8_t>(bytes.begin(), bytes.end())); }
json bin(const domain::Id& id) { return bin(std::span<const std::uint8_t>(id.bytes)); }

json encode_remote(const RemoteRecord& r) {
    return json{{"id", bin(r.id)},       {"imr", bin(r.imr_id)}, {"kind", static_cast<unsigned>(r.kind)},
                {"rev", r.revision},     {"body", bin(r.body)},  {"del", r.deleted}};
}

std::optional<std::int64_t> day_of(const std::optional<domain::CivilDate>& date) {
    if (!date) return std::nullopt;
    return date->days_since_epoch();
}

struct Encoder {
    json operator()(const Hello& m) const {
        json j{{"v", m.protocol_version}, {"client", m.client_name}, {"client_version", m.client_version}};
        if (m.cases_digest) j["cases"] = bin(*m.cases_digest);
        return j;
    }
    json operator()(const Challenge& m) const {
        return {{"v", m.protocol_version}, {"server_version", m.server_version}, {"nonce", bin(m.nonce)}};
    }
    json operator()(const Authenticate& m) const { return {{"key", bin(m.device_key)}, {"sig", bin(m.signature)}}; }
    json operator()(const Enrol& m) const {
        return {{"token", bin(m.token)}, {"key", bin(m.device_key)}, {"name", m.device_name}, {"sig", bin(m.signature)}};
    }
    json operator()(const Welcome& m) const {
        json members = json::array();
        for (const auto& x : m.memberships) {
            members.push_back({{"case", x.case_reference}, {"agency", x.agency}, {"role", static_cast<unsigned>(x.role)}});
        }
        json j{{"device", bin(m.device_id)}, {"members", std::move(members)}};
        if (m.cases_unchanged) j["same"] = true;
        return j;
    }
    json operator()(const Push& m) const {
        json records = json::array();
        for (const auto& r : m.records) {
            json j{{"id", bin(r.id)},         {"imr", bin(r.imr_id)}, {"kind", static_cast<unsigned>(r.kind)},
                   {"base", r.base_revision}, {"body", bin(r.body)},  {"del", r.deleted}};
            if (!r.case_reference.empty()) j["case"] = r.case_reference;
            records.push_back(std::move(j));
        }
        return {{"records", std::move(records)}};
    }
    json operator()(const PushResult& m) const {
        json outcomes = json::array();
        for (const auto& o : m.outcomes) {
            if (const auto* a = std::get_if<PushAccepted>(&o)) {
                outcomes.push_back({{"status", kOutcomeAccepted}, {"id", bin(a->id)}, {"rev", a->revision}});
            } else {
                outcomes.push_back({{"status", kOutcomeConflict}, {"current", encode_remote(std::get<PushConflict>(o).current)}});
            }
        }
        return {{"outcomes", std::move(outcomes)}};
    }
    json operator()(const Pull& m) const { return {{"cursor", m.cursor}, {"limit", m.limit}}; }
    json operator()(const PullResult& m) const {
        json records = json::array();
        for (const auto& r : m.records) {
            records.push_back(encode_remote(r));
        }
        return {{"records", std::move(records)}, {"next", m.next_cursor}, {"more", m.more}};
    }
    json operator()(const CaseInfo& m) const {
        json tor = json::array();
        for (const auto& q : m.terms_of_reference) {
            tor.push_back({{"n", q.number}, {"text", q.text}});
        }
        json j{{"ref", m.reference}, {"title", m.title}, {"tor", std::move(tor)}};
        if (const auto d = day_of(m.period_from)) j["from"] = *d;
        if (const auto d = day_of(m.period_to)) j["to"] = *d;
        if (const auto d = day_of(m.due)) j["due"] = *d;
        if (!m.submissions.empty()) {
            json subs = json::array();
            for (const auto& x : m.submissions) {
                subs.push_back({{"imr", bin(x.imr_id)}, {"agency", x.agency}, {"at", x.received_at}, {"ver", x.version},
                                {"hash", bin(x.content_hash)}});
            }
            j["subs"] = std::move(subs);
        }
        if (!m.agencies.empty()) {
            json agencies = json::array();
            for (const auto& a : m.agencies) {
                agencies.push_back({{"agency", a.agency}, {"expected", a.expected}, {"state", static_cast<unsigned>(a.state)},
                                    {"ver", a.version}, {"at", a.received_at}, {"changed", a.last_change}});
            }
            j["agencies"] = std::move(agencies);
        }
        return j;
    }
    json operator()(const Submit& m) const { return {{"imr", bin(m.imr_id)}, {"hash", bin(m.content_hash)}}; }
    json operator()(const SubmitResult& m) const { return {{"imr", bin(m.imr_id)}, {"at", m.received_at}}; }
    json operator()(const Error& m) const { return {{"code", static_cast<unsigned>(m.code)}, {"message", m.message}}; }
};

// --- parsing with limits -----------------------------------------------------------------------

// Builds the document through nlohmann's DOM builder, refusing tags (the reader's default),
// nesting past max_depth and more than max_values values as they are read, so a hostile
// message cannot recurse the stack away or blow up memory.
class LimitedSax {
public:
    LimitedSax(json& root, const Limits& limits, std::size_t input_bytes)
        : dom_(root, false), limits_(limits), input_bytes_(input_bytes) {}

    bool null() { return count() && dom_.null(); }
    bool boolean(bool v) { return count() && dom_.boolean(v); }
    bool number_integer(json::number_integer_t v) { return count() && dom_.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return count() && dom_.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& s) { return count() && dom_.number_float(v, s); }
    bool string(json::string_t& v) { return count() && dom_.string(v); }
    bool binary(json::binary_t& v) { return count() && dom_.binary(v); }
    bool key(json::string_t& v) { return count() && dom_.key(v); }
    bool start_object(std::size_t len) { return open(len) && dom_.start_object(static_cast<std::size_t>(-1)); }
    bool start_array(std::size_t len) { return open(len) && dom_.start_array(static_cast<std::size_t>(-1)); }
    bool end_object() { --depth_; return dom_.end_object(); }
    bool end_array() { --depth_; return dom_.end_array(); }
    template <class Exception>
    bool parse_error(std::size_t position, const std::string& /*token*/, const Exception& ex) {
        if (!error_) {
            error_.emplace(DecodeError::Code::Malformed, "",
                           "not a valid CBOR message (at byte " + std::to_string(position) + "): " + ex.what());
        }
        return false;
    }

    [[nodiscard]] const std::optional<DecodeError>& error() const { return error_; }

private:
    bool count() {
        if (++values_ > limits_.max_values) {
            return too_complex("more than " + std::to_string(limits_.max_values) + " values");
        }
        return true;
    }
    bool open(std::size_t len) {
        if (!count()) return false;
        if (++depth_ > limits_.max_depth) {
            return too_complex("nested deeper than " + std::to_string(limits_.max_depth) + " levels");
        }
        // Every element takes at least one byte: a longer declared length is a lie.
        if (len != static_cast<std::size_t>(-1) && len > input_bytes_) {
            if (!error_) {
                error_.emplace(DecodeError::Code::Malformed, "",
                               "a CBOR array or map declares " + std::to_string(len) + " elements in a " +
                                   std::to_string(input_bytes_) + "-byte message");
            }
            return false;
        }
        return true;
    }
    bool too_complex(const std::string& what) {
        if (!error_) error_.emplace(DecodeError::Code::TooComplex, "", "the message is too complex: " + what);
        return false;
    }

    nlohmann::detail::json_sax_dom_parser<json> dom_;
    const Limits& limits_;
    std::size_t input_bytes_;
    std::size_t values_ = 0;
    std::size_t depth_ = 0;
    std::optional<DecodeError> error_;
};

// --- typed field access ------------------------------------------------------------------------

std::string describe(const json& j) {
    if (j.is_number_unsigned()) return "an unsigned integer";
    if (j.is_number_integer()) return "a negative integer";
    if (j.is_number_float()) return "a floating-point number";
    if (j.is_string()) return "a text string";
    if (j.is_binary()) return "a byte string";
    if (j.is_boolean()) return "a boolean";
    if (j.is_null()) return "null";
    if (j.is_array()) return "an array";
    return "a map";
}

[[noreturn]] void wrong_type(const std::string& field, std::string_view expected, const json& found) {
    fail(DecodeError::Code::WrongType, field, "expected " + std::string(expected) + ", found " + describe(found));
}

class Map {
public:
    Map(const json& j, std::string path, const Limits& limits) : j_(j), path_(std::move(path)), limits_(limits) {
        if (!j_.is_object()) wrong_type(path_, "a map", j_);
    }

    [[nodiscard]] std::string at(std::string_view key) const { return path_ + "." + std::string(key); }
    [[nodiscard]] const Limits& limits() const { return limits_; }
    [[nodiscard]] bool has(std::string_view key) const { return j_.contains(key); }

    [[nodiscard]] const json& need(std::string_view key) const {
        const auto it = j_.find(key);
        if (it == j_.end()) fail(DecodeError::Code::MissingField, at(key), "missing");
        return *it;
    }

    [[nodiscard]] std::uint64_t u64(std::string_view key, std::uint64_t min = 0, std::uint64_t max = kMaxU64) const {
        const json& v = need(key);
        if (!v.is_number_unsigned()) wrong_type(at(key), "an unsigned integer", v);
        const auto n = v.get<std::uint64_t>();
        if (n < min || n > max) {
            fail(DecodeError::Code::BadValue, at(key),
                 std::to_string(n) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
        }
        return n;
    }

    [[nodiscard]] std::int64_t i64(std::string_view key, std::int64_t min, std::int64_t max) const {
        const json& v = need(key);
        if (!v.is_number_integer()) wrong_type(at(key), "an integer", v);  // unsigned counts as integer
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
            fail(DecodeError::Code::BadValue, at(key), std::to_string(v.get<std::uint64_t>()) + " is too large");
        }
        const auto n = v.get<std::int64_t>();
        if (n < min || n > max) {
            fail(DecodeError::Code::BadValue, at(key),
                 std::to_string(n) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
        }
        return n;
    }

    [[nodiscard]] bool boolean(std::string_view key) const {
        const json& v = need(key);
        if (!v.is_boolean()) wrong_type(at(key), "a boolean", v);
        return v.get<bool>();
    }

    [[nodiscard]] std::string text(std::string_view key, std::size_t max_bytes) const {
        const json& v = need(key);
        if (!v.is_string()) wrong_type(at(key), "a text string", v);
        const auto& s = v.get_ref<const std::string&>();
        if (s.size() > max_bytes) {
            fail(DecodeError::Code::TooLarge, at(key),
                 std::to_string(s.size()) + " bytes, above the limit of " + std::to_string(max_bytes));
        }
        if (const auto bad = text::first_invalid_utf8(s)) {
            fail(DecodeError::Code::BadValue, at(key), "not valid UTF-8 (at byte " + std::to_string(*bad) + ")");
        }
        return s;
    }

    [[nodiscard]] Bytes bytes(std::string_view key, std::size_t max_bytes) const {
        const json& v = need(key);
        if (!v.is_binary()) wrong_type(at(key), "a byte string", v);
        const auto& b = v.get_binary();
        if (b.size() > max_bytes) {
            fail(DecodeError::Code::TooLarge, at(key),
                 std::to_string(b.size()) + " bytes, above the limit of " + std::to_string(max_bytes));
        }
        return Bytes(b.begin(), b.end());
    }

    template <std::size_t N>
    [[nodiscard]] std::array<std::uint8_t, N> fixed(std::string_view key) const {
        const json& v = need(key);
        if (!v.is_binary()) wrong_type(at(key), "a byte string", v);
        const auto& b = v.get_binary();
        if (b.size() != N) {
            fail(DecodeError::Code::BadValue, at(key),
                 "expected " + std::to_string(N) + " bytes, found " + std::to_string(b.size()));
        }
        std::array<std::uint8_t, N> out{};
        std::copy(b.begin(), b.end(), out.begin());
        return out;
    }

    [[nodiscard]] domain::Id id(std::string_view key) const { return domain::Id{fixed<16>(key)}; }

    [[nodiscard]] domain::RecordKind kind(std::string_view key) const {
        const auto n = u64(key, 0, 255);
        const auto k = domain::record_kind_from_int(static_cast<int>(n));
        if (!k) fail(DecodeError::Code::BadValue, at(key), "unknown record kind " + std::to_string(n));
        return *k;
    }

    // The list at key, with at most max_items (and at least min_items) elements.
    [[nodiscard]] const json::array_t& list(std::string_view key, std::size_t max_items, std::size_t min_items = 0) const {
        const json& v = need(key);
        if (!v.is_array()) wrong_type(at(key), "an array", v);
        const auto& a = v.get_ref<const json::array_t&>();
        if (a.size() > max_items) {
            fail(DecodeError::Code::TooMany, at(key),
                 std::to_string(a.size()) + " items, above the limit of " + std::to_string(max_items));
        }
        if (a.size() < min_items) {
            fail(DecodeError::Code::BadValue, at(key), "must have at least " + std::to_string(min_items) + " item(s)");
        }
        return a;
    }

    [[nodiscard]] Map item(std::string_view key, const json::array_t& list, std::size_t i) const {
        return Map(list[i], at(key) + "[" + std::to_string(i) + "]", limits_);
    }
    [[nodiscard]] Map sub(std::string_view key) const { return Map(need(key), at(key), limits_); }

    [[nodiscard]] std::optional<domain::CivilDate> date(std::string_view key) const {
        if (!has(key)) return std::nullopt;
        return domain::CivilDate::from_days(i64(key, kMinDay, kMaxDay));
    }

private:
    const json& j_;
    std::string path_;
    const Limits& limits_;
};

std::uint32_t version(const Map& m) {
    const json& v = m.need("v");
    if (!v.is_number_unsigned()) wrong_type(m.at("v"), "an unsigned integer", v);
    const auto n = v.get<std::uint64_t>();
    if (n < kMinProtocolVersion || n > kProtocolVersion) {
        fail(DecodeError::Code::UnsupportedVersion, m.at("v"),
             "protocol version " + std::to_string(n) + " is not supported; this side speaks version " +
                 std::to_string(kMinProtocolVersion) +
                 (kMinProtocolVersion == kProtocolVersion ? "" : " to " + std::to_string(kProtocolVersion)));
    }
    return static_cast<std::uint32_t>(n);
}

RemoteRecord remote_record(const Map& m) {
    RemoteRecord r;
    r.id = m.id("id");
    r.imr_id = m.id("imr");
    r.kind = m.kind("kind");
    r.revision = m.u64("rev", 1);
    r.body = m.bytes("body", m.limits().max_body_bytes);
    r.deleted = m.boolean("del");
    if (r.deleted && !r.body.empty()) fail(DecodeError::Code::BadValue, m.at("body"), "a deleted record has no body");
    return r;
}

Message decode_body(std::string_view type, const Map& m) {
    const Limits& lim = m.limits();
    if (type == "hello") {
        Hello h{version(m), m.text("client", lim.max_name_bytes), m.text("client_version", lim.max_name_bytes), std::nullopt};
        if (m.has("cases")) h.cases_digest = m.fixed<32>("cases");
        return h;
    }
    if (type == "challenge") {
        return Challenge{version(m), m.text("server_version", lim.max_name_bytes), m.fixed<32>("nonce")};
    }
    if (type == "authenticate") {
        return Authenticate{m.fixed<32>("key"), m.fixed<64>("sig")};
    }
    if (type == "enrol") {
        return Enrol{m.fixed<16>("token"), m.fixed<32>("key"), m.text("name", lim.max_name_bytes), m.fixed<64>("sig")};
    }
    if (type == "welcome") {
        Welcome w;
        w.device_id = m.id("device");
        const auto& list = m.list("members", lim.max_list_items);
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Map x = m.item("members", list, i);
            Membership ms{x.text("case", lim.max_name_bytes), x.text("agency", lim.max_name_bytes), Role::Author};
            ms.role = static_cast<Role>(x.u64("role", 1, 2));
            w.memberships.push_back(std::move(ms));
        }
        if (m.has("same")) w.cases_unchanged = m.boolean("same");
        return w;
    }
    if (type == "push") {
        Push p;
        const auto& list = m.list("records", lim.max_records_per_batch, 1);
        p.records.reserve(list.size());
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Map x = m.item("records", list, i);
            PushRecord r;
            r.id = x.id("id");
            r.imr_id = x.id("imr");
            r.kind = x.kind("kind");
            r.base_revision = x.u64("base");
            r.body = x.bytes("body", lim.max_body_bytes);
            r.deleted = x.boolean("del");
            if (r.deleted && !r.body.empty()) fail(DecodeError::Code::BadValue, x.at("body"), "a deleted record has no body");
            if (x.has("case")) r.case_reference = x.text("case", lim.max_name_bytes);
            p.records.push_back(std::move(r));
        }
        return p;
    }
    if (type == "push_result") {
        PushResult p;
        const auto& list = m.list("outcomes", lim.max_records_per_batch);
        p.outcomes.reserve(list.size());
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Map x = m.item("outcomes", list, i);
            if (x.u64("status", kOutcomeAccepted, kOutcomeConflict) == kOutcomeAccepted) {
                p.outcomes.emplace_back(PushAccepted{x.id("id"), x.u64("rev", 1)});
            } else {
                p.outcomes.emplace_back(PushConflict{remote_record(x.sub("current"))});
            }
        }
        return p;
    }
    if (type == "pull") {
        return Pull{m.u64("cursor"), static_cast<std::uint32_t>(m.u64("limit", 1, lim.max_records_per_batch))};
    }
    if (type == "pull_result") {
        PullResult p;
        const auto& list = m.list("records", lim.max_records_per_batch);
        p.records.reserve(list.size());
        for (std::size_t i = 0; i < list.size(); ++i) {
            p.records.push_back(remote_record(m.item("records", list, i)));
        }
        p.next_cursor = m.u64("next");
        p.more = m.boolean("more");
        return p;
    }
    if (type == "case_info") {
        CaseInfo c;
        c.reference = m.text("ref", lim.max_name_bytes);
        c.title = m.text("title", lim.max_text_bytes);
        const auto& list = m.list("tor", lim.max_list_items);
        std::set<std::int64_t> numbers;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Map x = m.item("tor", list, i);
            const auto n = x.i64("n", 1, std::numeric_limits<int>::max());
            if (!numbers.insert(n).second) {
                fail(DecodeError::Code::BadValue, x.at("n"), "question number " + std::to_string(n) + " appears twice");
            }
            c.terms_of_reference.push_back({static_cast<int>(n), x.text("text", lim.max_text_bytes)});
        }
        c.period_from = m.date("from");
        c.period_to = m.date("to");
        c.due = m.date("due");
        if (m.has("subs")) {
            const auto& subs = m.list("subs", lim.max_list_items);
            for (std::size_t i = 0; i < subs.size(); ++i) {
                const Map x = m.item("subs", subs, i);
                Submission sub{x.id("imr"), x.text("agency", lim.max_name_bytes), x.u64("at"), 1, {}};
                if (x.has("ver")) sub.version = static_cast<std::uint32_t>(x.u64("ver", 1, 1'000'000));
                if (x.has("hash")) sub.content_hash = x.fixed<32>("hash");
                c.submissions.push_back(std::move(sub));
            }
        }
        if (m.has("agencies")) {
            const auto& list_a = m.list("agencies", lim.max_list_items);
            for (std::size_t i = 0; i < list_a.size(); ++i) {
                const Map x = m.item("agencies", list_a, i);
                AgencyProgress a;
                a.agency = x.text("agency", lim.max_name_bytes);
                a.expected = x.boolean("expected");
                a.state = static_cast<AgencyState>(x.u64("state", 0, 3));
                a.version = static_cast<std::uint32_t>(x.u64("ver", 0, 1'000'000));
                a.received_at = x.u64("at");
                a.last_change = x.u64("changed");
                c.agencies.push_back(std::move(a));
            }
        }
        return c;
    }
    if (type == "submit") {
        return Submit{m.id("imr"), m.fixed<32>("hash")};
    }
    if (type == "submit_result") {
        return SubmitResult{m.id("imr"), m.u64("at")};
    }
    if (type == "error") {
        const auto code = m.u64("code", 0, std::numeric_limits<std::uint16_t>::max());
        Error e;
        e.code = code < kErrorNames.size() ? static_cast<ErrorCode>(code) : ErrorCode::Unknown;
        e.message = m.text("message", lim.max_text_bytes);
        return e;
    }
    fail(DecodeError::Code::UnknownType, "t", "unknown message type");  // decode_message checked
}

Bytes transcript(std::string_view label, const Nonce& nonce, std::span<const std::uint8_t> exporter,
                 std::initializer_list<std::span<const std::uint8_t>> rest) {
    if (exporter.empty() || exporter.size() > 255) {
        throw std::invalid_argument("the TLS exporter value must be 1 to 255 bytes");
    }
    Bytes out(label.begin(), label.end());
    out.push_back(0);
    out.insert(out.end(), nonce.begin(), nonce.end());
    out.push_back(static_cast<std::uint8_t>(exporter.size()));
    out.insert(out.end(), exporter.begin(), exporter.end());
    for (const auto part : rest) {
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

}  // namespace

DecodeError::DecodeError(Code code, std::string field, const std::string& what)
    : std::runtime_error(what), code_(code), field_(std::move(field)) {}

std::string_view to_string(ErrorCode code) noexcept {
    const auto i = static_cast<std::size_t>(code);
    return i < kErrorNames.size() ? kErrorNames[i] : "unknown";
}

MessageType type_of(const Message& message) noexcept { return static_cast<MessageType>(message.index()); }

std::string_view to_string(MessageType type) noexcept { return kTypeNames[static_cast<std::size_t>(type)]; }

static_assert(std::variant_size_v<Message> == kTypeNames.size());

std::string_view to_string(AgencyState state) noexcept {
    switch (state) {
        case AgencyState::NotStarted: return "not started";
        case AgencyState::Drafting: return "drafting";
        case AgencyState::Submitted: return "submitted";
        case AgencyState::Amending: return "amending";
    }
    return "not started";
}

domain::CaseInfo CaseInfo::to_domain() const {
    return domain::CaseInfo{reference, title, terms_of_reference, period_from, period_to, due};
}

CaseInfo CaseInfo::from_domain(const domain::CaseInfo& info) {
    return CaseInfo{info.reference, info.title, info.terms_of_reference, info.period_from, info.period_to, info.due, {}, {}};
}

Bytes encode_message(const Message& message) {
    json j = std::visit(Encoder{}, message);
    j["t"] = std::string(to_string(type_of(message)));
    return json::to_cbor(j);
}

Message decode_message(std::span<const std::uint8_t> bytes, const Limits& limits) {
    if (bytes.empty()) {
        fail(DecodeError::Code::Malformed, "", "empty message");
    }
    json root;
    LimitedSax sax(root, limits, bytes.size());
    bool ok = false;
    try {
        ok = json::sax_parse(bytes.begin(), bytes.end(), &sax, json::input_format_t::cbor, true);
    } catch (const json::exception& e) {
        fail(DecodeError::Code::Malformed, "", std::string("not a valid CBOR message: ") + e.what());
    }
    if (sax.error()) {
        throw *sax.error();
    }
    if (!ok) {
        fail(DecodeError::Code::Malformed, "", "not a valid CBOR message");
    }
    if (!root.is_object()) {
        fail(DecodeError::Code::NotAMessage, "", "a message is a CBOR map, but this is " + describe(root));
    }
    const auto t = root.find("t");
    if (t == root.end()) {
        fail(DecodeError::Code::NotAMessage, "t", "the message type is missing");
    }
    if (!t->is_string()) {
        wrong_type("t", "the message type as a text string", *t);
    }
    const auto& type = t->get_ref<const std::string&>();
    if (std::find(kTypeNames.begin(), kTypeNames.end(), type) == kTypeNames.end()) {
        std::string shown;
        for (const char c : std::string_view(type).substr(0, 40)) {
            shown.push_back(c >= 0x20 && c < 0x7f ? c : '?');
        }
        fail(DecodeError::Code::UnknownType, "t",
             "unknown message type '" + shown + "' (protocol version " + std::to_string(kProtocolVersion) + ")");
    }
    try {
        return decode_body(type, Map(root, type, limits));
    } catch (const DecodeError&) {
        throw;
    } catch (const json::exception& e) {  // not expected: every access is checked first
        fail(DecodeError::Code::Malformed, type, e.what());
    }
}

Bytes auth_transcript(const Nonce& nonce, std::span<const std::uint8_t> tls_exporter, const PublicKey& device_key) {
    return transcript("imrdesk sync authenticate v1", nonce, tls_exporter, {device_key});
}

Bytes enrol_transcript(const Nonce& nonce, std::span<const std::uint8_t> tls_exporter, const Token& token,
                       const PublicKey& device_key) {
    return transcript("imrdesk sync enrol v1", nonce, tls_exporter, {token, device_key});
}

}  // namespace imrdesk::sync
