#include "imrdesk/sync/messages.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include "cbor.hpp"
#include "imrdesk/shared/utf8.hpp"

namespace imrdesk::sync {

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

// Every message is a CBOR map with its keys in byte order (as std::map kept them when the messages
// were written through nlohmann::json): the same message always gives the same bytes.
class Encoder {
public:
    explicit Encoder(cbor::Writer& w) : w_(w) {}

    void operator()(const Hello& m) const {
        w_.map(m.cases_digest ? 5 : 4);
        if (m.cases_digest) field_bytes("cases", *m.cases_digest);
        field_text("client", m.client_name);
        field_text("client_version", m.client_version);
        type("hello");
        field_uint("v", m.protocol_version);
        w_.end_map();
    }
    void operator()(const Challenge& m) const {
        w_.map(4);
        field_bytes("nonce", m.nonce);
        field_text("server_version", m.server_version);
        type("challenge");
        field_uint("v", m.protocol_version);
        w_.end_map();
    }
    void operator()(const Authenticate& m) const {
        w_.map(3);
        field_bytes("key", m.device_key);
        field_bytes("sig", m.signature);
        type("authenticate");
        w_.end_map();
    }
    void operator()(const Enrol& m) const {
        w_.map(5);
        field_bytes("key", m.device_key);
        field_text("name", m.device_name);
        field_bytes("sig", m.signature);
        type("enrol");
        field_bytes("token", m.token);
        w_.end_map();
    }
    void operator()(const Welcome& m) const {
        w_.map(m.cases_unchanged ? 4 : 3);
        field_bytes("device", m.device_id.bytes);
        w_.key("members");
        w_.array(m.memberships.size());
        for (const auto& x : m.memberships) {
            w_.map(3);
            field_text("agency", x.agency);
            field_text("case", x.case_reference);
            field_uint("role", static_cast<unsigned>(x.role));
            w_.end_map();
        }
        if (m.cases_unchanged) field_bool("same", true);
        type("welcome");
        w_.end_map();
    }
    void operator()(const Push& m) const {
        w_.map(2);
        w_.key("records");
        w_.array(m.records.size());
        for (const auto& r : m.records) {
            w_.map(r.case_reference.empty() ? 6 : 7);
            field_uint("base", r.base_revision);
            field_bytes("body", r.body);
            if (!r.case_reference.empty()) field_text("case", r.case_reference);
            field_bool("del", r.deleted);
            field_bytes("id", r.id.bytes);
            field_bytes("imr", r.imr_id.bytes);
            field_uint("kind", static_cast<unsigned>(r.kind));
            w_.end_map();
        }
        type("push");
        w_.end_map();
    }
    void operator()(const PushResult& m) const {
        w_.map(2);
        w_.key("outcomes");
        w_.array(m.outcomes.size());
        for (const auto& o : m.outcomes) {
            if (const auto* a = std::get_if<PushAccepted>(&o)) {
                w_.map(3);
                field_bytes("id", a->id.bytes);
                field_uint("rev", a->revision);
                field_uint("status", kOutcomeAccepted);
            } else {
                w_.map(2);
                w_.key("current");
                remote(std::get<PushConflict>(o).current);
                field_uint("status", kOutcomeConflict);
            }
            w_.end_map();
        }
        type("push_result");
        w_.end_map();
    }
    void operator()(const Pull& m) const {
        w_.map(3);
        field_uint("cursor", m.cursor);
        field_uint("limit", m.limit);
        type("pull");
        w_.end_map();
    }
    void operator()(const PullResult& m) const {
        w_.map(4);
        field_bool("more", m.more);
        field_uint("next", m.next_cursor);
        w_.key("records");
        w_.array(m.records.size());
        for (const auto& r : m.records) remote(r);
        type("pull_result");
        w_.end_map();
    }
    void operator()(const CaseInfo& m) const {
        const auto from = day_of(m.period_from), to = day_of(m.period_to), due = day_of(m.due);
        const auto one_if = [](bool present) { return present ? std::size_t{1} : std::size_t{0}; };
        w_.map(4 + one_if(from.has_value()) + one_if(to.has_value()) + one_if(due.has_value()) + one_if(!m.submissions.empty()) +
               one_if(!m.agencies.empty()));
        if (!m.agencies.empty()) {
            w_.key("agencies");
            w_.array(m.agencies.size());
            for (const auto& a : m.agencies) {
                w_.map(6);
                field_text("agency", a.agency);
                field_uint("at", a.received_at);
                field_uint("changed", a.last_change);
                field_bool("expected", a.expected);
                field_uint("state", static_cast<unsigned>(a.state));
                field_uint("ver", a.version);
                w_.end_map();
            }
        }
        if (due) field_int("due", *due);
        if (from) field_int("from", *from);
        field_text("ref", m.reference);
        if (!m.submissions.empty()) {
            w_.key("subs");
            w_.array(m.submissions.size());
            for (const auto& x : m.submissions) {
                w_.map(5);
                field_text("agency", x.agency);
                field_uint("at", x.received_at);
                field_bytes("hash", x.content_hash);
                field_bytes("imr", x.imr_id.bytes);
                field_uint("ver", x.version);
                w_.end_map();
            }
        }
        type("case_info");
        field_text("title", m.title);
        if (to) field_int("to", *to);
        w_.key("tor");
        w_.array(m.terms_of_reference.size());
        for (const auto& q : m.terms_of_reference) {
            w_.map(2);
            field_int("n", q.number);
            field_text("text", q.text);
            w_.end_map();
        }
        w_.end_map();
    }
    void operator()(const Submit& m) const {
        w_.map(3);
        field_bytes("hash", m.content_hash);
        field_bytes("imr", m.imr_id.bytes);
        type("submit");
        w_.end_map();
    }
    void operator()(const SubmitResult& m) const {
        w_.map(3);
        field_uint("at", m.received_at);
        field_bytes("imr", m.imr_id.bytes);
        type("submit_result");
        w_.end_map();
    }
    void operator()(const Error& m) const {
        w_.map(3);
        field_uint("code", static_cast<unsigned>(m.code));
        field_text("message", m.message);
        type("error");
        w_.end_map();
    }

private:
    static std::optional<std::int64_t> day_of(const std::optional<domain::CivilDate>& date) {
        if (!date) return std::nullopt;
        return date->days_since_epoch();
    }
    void remote(const RemoteRecord& r) const {
        w_.map(6);
        field_bytes("body", r.body);
        field_bool("del", r.deleted);
        field_bytes("id", r.id.bytes);
        field_bytes("imr", r.imr_id.bytes);
        field_uint("kind", static_cast<unsigned>(r.kind));
        field_uint("rev", r.revision);
        w_.end_map();
    }
    void type(std::string_view name) const { field_text("t", name); }
    void field_text(std::string_view key, std::string_view value) const {
        w_.key(key);
        w_.text(value);
    }
    void field_bytes(std::string_view key, std::span<const std::uint8_t> value) const {
        w_.key(key);
        w_.bytes(value);
    }
    void field_uint(std::string_view key, std::uint64_t value) const {
        w_.key(key);
        w_.unsigned_int(value);
    }
    void field_int(std::string_view key, std::int64_t value) const {
        w_.key(key);
        w_.signed_int(value);
    }
    void field_bool(std::string_view key, bool value) const {
        w_.key(key);
        w_.boolean(value);
    }

    cbor::Writer& w_;
};

// Roughly what a message takes on the wire, to reserve its buffer once.
std::size_t size_hint(const Message& message) {
    std::size_t bodies = 0;
    if (const auto* push = std::get_if<Push>(&message)) {
        for (const auto& r : push->records) bodies += r.body.size() + 64;
    } else if (const auto* pull = std::get_if<PullResult>(&message)) {
        for (const auto& r : pull->records) bodies += r.body.size() + 64;
    } else if (const auto* result = std::get_if<PushResult>(&message)) {
        bodies = result->outcomes.size() * 48;
    }
    return bodies + 256;
}

// --- typed field access ------------------------------------------------------------------------

using cbor::Type;

std::string describe(const cbor::Value& v) {
    switch (v.type) {
        case Type::Unsigned: return "an unsigned integer";
        case Type::Negative: return "a negative integer";
        case Type::Float: return "a floating-point number";
        case Type::Text: return "a text string";
        case Type::Bytes: return "a byte string";
        case Type::Boolean: return "a boolean";
        case Type::Null: return "null";
        case Type::Array: return "an array";
        case Type::Map: return "a map";
    }
    return "a value";
}

[[noreturn]] void wrong_type(const std::string& field, std::string_view expected, const cbor::Value& found) {
    fail(DecodeError::Code::WrongType, field, "expected " + std::string(expected) + ", found " + describe(found));
}

std::string_view text_of(const cbor::Value& v) { return {reinterpret_cast<const char*>(v.data.data()), v.data.size()}; }

class Map {
public:
    Map(const cbor::Document& doc, std::uint32_t index, std::string path, const Limits& limits)
        : doc_(doc), index_(index), path_(std::move(path)), limits_(limits) {
        if (doc_.at(index_).type != Type::Map) wrong_type(path_, "a map", doc_.at(index_));
    }

    [[nodiscard]] std::string at(std::string_view key) const { return path_ + "." + std::string(key); }
    [[nodiscard]] const Limits& limits() const { return limits_; }
    [[nodiscard]] bool has(std::string_view key) const { return doc_.find(index_, key).has_value(); }

    [[nodiscard]] std::uint32_t need_index(std::string_view key) const {
        const auto found = doc_.find(index_, key);
        if (!found) fail(DecodeError::Code::MissingField, at(key), "missing");
        return *found;
    }
    [[nodiscard]] const cbor::Value& need(std::string_view key) const { return doc_.at(need_index(key)); }

    [[nodiscard]] std::uint64_t u64(std::string_view key, std::uint64_t min = 0, std::uint64_t max = kMaxU64) const {
        const auto& v = need(key);
        if (v.type != Type::Unsigned) wrong_type(at(key), "an unsigned integer", v);
        const auto n = v.number;
        if (n < min || n > max) {
            fail(DecodeError::Code::BadValue, at(key),
                 std::to_string(n) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
        }
        return n;
    }

    [[nodiscard]] std::int64_t i64(std::string_view key, std::int64_t min, std::int64_t max) const {
        const auto& v = need(key);
        if (v.type != Type::Unsigned && v.type != Type::Negative) wrong_type(at(key), "an integer", v);
        if (v.type == Type::Unsigned && v.number > static_cast<std::uint64_t>(max)) {
            fail(DecodeError::Code::BadValue, at(key), std::to_string(v.number) + " is too large");
        }
        // A negative integer is -1 - number.
        if (v.type == Type::Negative && v.number > static_cast<std::uint64_t>(-(min + 1))) {
            fail(DecodeError::Code::BadValue, at(key), "-1-" + std::to_string(v.number) + " is too small");
        }
        const std::int64_t n =
            v.type == Type::Unsigned ? static_cast<std::int64_t>(v.number) : -1 - static_cast<std::int64_t>(v.number);
        if (n < min || n > max) {
            fail(DecodeError::Code::BadValue, at(key),
                 std::to_string(n) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
        }
        return n;
    }

    [[nodiscard]] bool boolean(std::string_view key) const {
        const auto& v = need(key);
        if (v.type != Type::Boolean) wrong_type(at(key), "a boolean", v);
        return v.number != 0;
    }

    [[nodiscard]] std::string text(std::string_view key, std::size_t max_bytes) const {
        const auto& v = need(key);
        if (v.type != Type::Text) wrong_type(at(key), "a text string", v);
        const auto s = text_of(v);
        if (s.size() > max_bytes) {
            fail(DecodeError::Code::TooLarge, at(key),
                 std::to_string(s.size()) + " bytes, above the limit of " + std::to_string(max_bytes));
        }
        if (const auto bad = text::first_invalid_utf8(s)) {
            fail(DecodeError::Code::BadValue, at(key), "not valid UTF-8 (at byte " + std::to_string(*bad) + ")");
        }
        return std::string(s);
    }

    [[nodiscard]] Bytes bytes(std::string_view key, std::size_t max_bytes) const {
        const auto& v = need(key);
        if (v.type != Type::Bytes) wrong_type(at(key), "a byte string", v);
        if (v.data.size() > max_bytes) {
            fail(DecodeError::Code::TooLarge, at(key),
                 std::to_string(v.data.size()) + " bytes, above the limit of " + std::to_string(max_bytes));
        }
        return Bytes(v.data.begin(), v.data.end());
    }

    template <std::size_t N>
    [[nodiscard]] std::array<std::uint8_t, N> fixed(std::string_view key) const {
        const auto& v = need(key);
        if (v.type != Type::Bytes) wrong_type(at(key), "a byte string", v);
        if (v.data.size() != N) {
            fail(DecodeError::Code::BadValue, at(key),
                 "expected " + std::to_string(N) + " bytes, found " + std::to_string(v.data.size()));
        }
        std::array<std::uint8_t, N> out{};
        std::copy(v.data.begin(), v.data.end(), out.begin());
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
    [[nodiscard]] std::vector<std::uint32_t> list(std::string_view key, std::size_t max_items, std::size_t min_items = 0) const {
        const auto index = need_index(key);
        const auto& v = doc_.at(index);
        if (v.type != Type::Array) wrong_type(at(key), "an array", v);
        if (v.count > max_items) {
            fail(DecodeError::Code::TooMany, at(key),
                 std::to_string(v.count) + " items, above the limit of " + std::to_string(max_items));
        }
        if (v.count < min_items) {
            fail(DecodeError::Code::BadValue, at(key), "must have at least " + std::to_string(min_items) + " item(s)");
        }
        return doc_.items(index);
    }

    [[nodiscard]] Map item(std::string_view key, const std::vector<std::uint32_t>& list, std::size_t i) const {
        return Map(doc_, list[i], at(key) + "[" + std::to_string(i) + "]", limits_);
    }
    [[nodiscard]] Map sub(std::string_view key) const { return Map(doc_, need_index(key), at(key), limits_); }

    [[nodiscard]] std::optional<domain::CivilDate> date(std::string_view key) const {
        if (!has(key)) return std::nullopt;
        return domain::CivilDate::from_days(i64(key, kMinDay, kMaxDay));
    }

private:
    const cbor::Document& doc_;
    std::uint32_t index_;
    std::string path_;
    const Limits& limits_;
};

std::uint32_t version(const Map& m) {
    const auto& v = m.need("v");
    if (v.type != Type::Unsigned) wrong_type(m.at("v"), "an unsigned integer", v);
    const auto n = v.number;
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
        const auto list = m.list("members", lim.max_list_items);
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
        const auto list = m.list("records", lim.max_records_per_batch, 1);
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
        const auto list = m.list("outcomes", lim.max_records_per_batch);
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
        const auto list = m.list("records", lim.max_records_per_batch);
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
        const auto list = m.list("tor", lim.max_list_items);
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
            const auto subs = m.list("subs", lim.max_list_items);
            for (std::size_t i = 0; i < subs.size(); ++i) {
                const Map x = m.item("subs", subs, i);
                Submission sub{x.id("imr"), x.text("agency", lim.max_name_bytes), x.u64("at"), 1, {}};
                if (x.has("ver")) sub.version = static_cast<std::uint32_t>(x.u64("ver", 1, 1'000'000));
                if (x.has("hash")) sub.content_hash = x.fixed<32>("hash");
                c.submissions.push_back(std::move(sub));
            }
        }
        if (m.has("agencies")) {
            const auto list_a = m.list("agencies", lim.max_list_items);
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
    Bytes out;
    out.reserve(size_hint(message));
    cbor::Writer writer(out);
    std::visit(Encoder(writer), message);
    return out;
}

Message decode_message(std::span<const std::uint8_t> bytes, const Limits& limits) {
    if (bytes.empty()) {
        fail(DecodeError::Code::Malformed, "", "empty message");
    }
    cbor::ReadError error;
    const auto doc = cbor::Document::read(bytes, cbor::Limits{limits.max_depth, limits.max_values}, error);
    if (!doc) fail(error.too_complex ? DecodeError::Code::TooComplex : DecodeError::Code::Malformed, "", error.what);
    const auto& root = doc->at(0);
    if (root.type != Type::Map) {
        fail(DecodeError::Code::NotAMessage, "", "a message is a CBOR map, but this is " + describe(root));
    }
    const auto t = doc->find(0, "t");
    if (!t) {
        fail(DecodeError::Code::NotAMessage, "t", "the message type is missing");
    }
    if (doc->at(*t).type != Type::Text) {
        wrong_type("t", "the message type as a text string", doc->at(*t));
    }
    const std::string type(text_of(doc->at(*t)));
    if (std::find(kTypeNames.begin(), kTypeNames.end(), type) == kTypeNames.end()) {
        std::string shown;
        for (const char c : std::string_view(type).substr(0, 40)) {
            shown.push_back(c >= 0x20 && c < 0x7f ? c : '?');
        }
        fail(DecodeError::Code::UnknownType, "t",
             "unknown message type '" + shown + "' (protocol version " + std::to_string(kProtocolVersion) + ")");
    }
    return decode_body(type, Map(*doc, 0, type, limits));
}

Bytes auth_transcript(const Nonce& nonce, std::span<const std::uint8_t> tls_exporter, const PublicKey& device_key) {
    return transcript("imrdesk sync authenticate v1", nonce, tls_exporter, {device_key});
}

Bytes enrol_transcript(const Nonce& nonce, std::span<const std::uint8_t> tls_exporter, const Token& token,
                       const PublicKey& device_key) {
    return transcript("imrdesk sync enrol v1", nonce, tls_exporter, {token, device_key});
}

}  // namespace imrdesk::sync
