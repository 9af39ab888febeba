#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "imrdesk/sync/messages.hpp"

using namespace imrdesk::sync;
using imrdesk::domain::Id;
using imrdesk::domain::RecordKind;
using nlohmann::json;

namespace {

Id make_id(std::uint8_t seed) {
    Id id;
    for (std::size_t i = 0; i < id.bytes.size(); ++i) id.bytes[i] = static_cast<std::uint8_t>(seed + i);
    return id;
}

template <std::size_t N>
std::array<std::uint8_t, N> filled(std::uint8_t v) {
    std::array<std::uint8_t, N> a{};
    a.fill(v);
    return a;
}

RemoteRecord remote(std::uint8_t seed, bool deleted = false) {
    RemoteRecord r;
    r.id = make_id(seed);
    r.imr_id = make_id(100);
    r.kind = RecordKind::ChronologyEntry;
    r.revision = 1000u + seed;
    if (!deleted) r.body = Bytes{'{', '"', 'x', '"', ':', seed, '}'};
    r.deleted = deleted;
    return r;
}

std::vector<Message> every_message() {
    PushRecord pr{make_id(1), make_id(100), RecordKind::Section, 0, Bytes{1, 2, 3, 0, 255}, false, ""};
    PushRecord tomb{make_id(2), make_id(100), RecordKind::Recommendation, 17, {}, true, ""};
    PushRecord header{make_id(100), make_id(100), RecordKind::Imr, 0, Bytes{'{', '}'}, false, "SAR 2026-03"};
    CaseInfo ci;
    ci.reference = "SAR 2026-03";
    ci.title = "Adult A — review";
    ci.terms_of_reference = {{1, "How did agencies share information?"}, {3, "Was the Mental Capacity Act applied?"}};
    ci.period_from = imrdesk::domain::CivilDate{2024, 1, 1};
    ci.due = imrdesk::domain::CivilDate{2026, 6, 30};
    CaseInfo with_submissions = ci;
    with_submissions.submissions = {{make_id(100), "County Council", 1767225600}, {make_id(101), "NHS Trust", 1}};
    CaseInfo with_agencies = with_submissions;  // and a period before 1970 (negative days on the wire)
    with_agencies.period_from = imrdesk::domain::CivilDate{1962, 3, 4};
    with_agencies.period_to = imrdesk::domain::CivilDate{2025, 12, 31};
    with_agencies.agencies = {{"County Council", true, AgencyState::Submitted, 2, 1767225600, 1767225700},
                              {"Housing", false, AgencyState::NotStarted, 0, 0, 0}};
    return {
        Hello{kProtocolVersion, "imrdesk", "0.1.0", std::nullopt},
        Hello{kProtocolVersion, "imrdesk", "0.1.0", filled<32>(9)},
        Challenge{kProtocolVersion, "imrdesk-server 0.1.0", filled<32>(7)},
        Authenticate{filled<32>(1), filled<64>(2)},
        Enrol{filled<16>(3), filled<32>(4), "Laptop 12", filled<64>(5)},
        Welcome{make_id(9), {{"SAR 2026-03", "County Council", Role::Author}, {"SAR 2025-11", "NHS Trust", Role::Reviewer}}, false},
        Welcome{make_id(9), {}, false},
        Welcome{make_id(9), {{"SAR 2026-03", "County Council", Role::Author}}, true},
        Push{{pr, tomb, header}},
        PushResult{{PushAccepted{make_id(1), 42}, PushConflict{remote(2)}, PushConflict{remote(3, true)}}},
        PushResult{},
        Pull{0, 500},
        Pull{~std::uint64_t{0}, 1},
        PullResult{{remote(1), remote(2, true)}, 1234, true},
        PullResult{{}, 0, false},
        ci,
        CaseInfo{},
        with_submissions,
        Submit{make_id(100), filled<32>(0xAB)},
        SubmitResult{make_id(100), 1767225600},
        Error{ErrorCode::TokenExpired, "the enrolment token expired at 2026-01-01 10:00 UTC"},
        with_agencies,
    };
}

DecodeError decode_error(const Bytes& bytes, const Limits& limits = {}) {
    try {
        (void)decode_message(bytes, limits);
    } catch (const DecodeError& e) {
        return e;
    }
    FAIL("decoded without an error");
    return DecodeError(DecodeError::Code::Malformed, "", "");
}

DecodeError decode_error(const json& j, const Limits& limits = {}) { return decode_error(json::to_cbor(j), limits); }

json bin(std::size_t n, std::uint8_t v = 0) { return json::binary(std::vector<std::uint8_t>(n, v)); }

json good_record() {
    return {{"id", bin(16)}, {"imr", bin(16)}, {"kind", 3}, {"base", 0}, {"body", bin(3)}, {"del", false}};
}

json good_push() { return {{"t", "push"}, {"records", json::array({good_record()})}}; }

}  // namespace

TEST_CASE("every message survives a round trip") {
    for (const auto& m : every_message()) {
        CAPTURE(to_string(type_of(m)));
        const Bytes wire = encode_message(m);
        const Message back = decode_message(wire);
        CHECK(back == m);
        CHECK(encode_message(back) == wire);
    }
}

TEST_CASE("every message is written in canonical CBOR: keys in byte order, the shortest heads") {
    // nlohmann::json keeps its keys sorted and writes the shortest form: a message read by it and
    // written again comes out the same, byte for byte (and so do the messages of earlier versions).
    for (const auto& m : every_message()) {
        CAPTURE(to_string(type_of(m)));
        const Bytes wire = encode_message(m);
        CHECK(json::to_cbor(json::from_cbor(wire)) == wire);
    }
}

TEST_CASE("message type names are the wire names") {
    CHECK(to_string(type_of(Message{PushResult{}})) == "push_result");
    CHECK(to_string(ErrorCode::TokenUsed) == "token_used");
    CHECK(json::from_cbor(encode_message(Pull{}))["t"] == "pull");
}

TEST_CASE("case info converts to and from the domain model") {
    const auto m = std::get<CaseInfo>(every_message()[15]);
    const imrdesk::domain::CaseInfo d = m.to_domain();
    CHECK(d.reference == "SAR 2026-03");
    CHECK(d.terms_of_reference.size() == 2);
    CHECK(CaseInfo::from_domain(d) == m);
}

TEST_CASE("the transcript binds nonce, exporter, token and key") {
    const Nonce nonce = filled<32>(1);
    const Bytes exporter(32, 2);
    const PublicKey key = filled<32>(3);
    const Bytes a = auth_transcript(nonce, exporter, key);
    CHECK(a.size() == std::string_view("imrdesk sync authenticate v1").size() + 1 + 32 + 1 + 32 + 32);
    CHECK(a != auth_transcript(nonce, Bytes(32, 9), key));
    CHECK(a != auth_transcript(filled<32>(8), exporter, key));
    CHECK(enrol_transcript(nonce, exporter, filled<16>(4), key) != enrol_transcript(nonce, exporter, filled<16>(5), key));
    CHECK_THROWS_AS((void)auth_transcript(nonce, Bytes{}, key), std::invalid_argument);
    CHECK_THROWS_AS((void)auth_transcript(nonce, Bytes(256), key), std::invalid_argument);
}

TEST_CASE("garbage, truncation and trailing bytes are Malformed") {
    CHECK(decode_error(Bytes{}).code() == DecodeError::Code::Malformed);
    CHECK(decode_error(Bytes{0xFF, 0x00, 0x13}).code() == DecodeError::Code::Malformed);
    const Bytes wire = encode_message(every_message()[8]);
    for (std::size_t n = 1; n < wire.size(); ++n) {
        CAPTURE(n);
        CHECK(decode_error(Bytes(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(n))).code() ==
              DecodeError::Code::Malformed);
    }
    Bytes trailing = wire;
    trailing.push_back(0);
    CHECK(decode_error(trailing).code() == DecodeError::Code::Malformed);
    // A map that declares 2^32 entries in 10 bytes, a byte string that declares 4 GiB.
    CHECK(decode_error(Bytes{0xBA, 0xFF, 0xFF, 0xFF, 0xFF, 0x61, 0x74}).code() == DecodeError::Code::Malformed);
    CHECK(decode_error(Bytes{0x9B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}).code() ==
          DecodeError::Code::Malformed);
    CHECK(decode_error(Bytes{0x5A, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}).code() == DecodeError::Code::Malformed);
}

TEST_CASE("CBOR this protocol never writes is refused or named, never guessed at") {
    // A map {"t": "pull", "cursor": 0, "limit": x} with x as given.
    const auto pull_with_limit = [](Bytes limit) {
        Bytes b{0xA3, 0x61, 't', 0x64, 'p', 'u', 'l', 'l', 0x66, 'c', 'u', 'r', 's', 'o', 'r', 0x00,
                0x65, 'l', 'i', 'm', 'i', 't'};
        b.insert(b.end(), limit.begin(), limit.end());
        return b;
    };
    CHECK(std::get<Pull>(decode_message(pull_with_limit({0x18, 0x64}))).limit == 100);
    auto e = decode_error(pull_with_limit({0xF9, 0x3C, 0x00}));  // 1.0 as a half-precision float
    CHECK(e.code() == DecodeError::Code::WrongType);
    CHECK(std::string(e.what()) == "pull.limit: expected an unsigned integer, found a floating-point number");
    CHECK(decode_error(pull_with_limit({0x38, 0x04})).code() == DecodeError::Code::WrongType);  // -5
    CHECK(decode_error(pull_with_limit({0xF6})).code() == DecodeError::Code::WrongType);        // null
    CHECK(decode_error(pull_with_limit({0xF7})).code() == DecodeError::Code::Malformed);        // undefined
    CHECK(decode_error(pull_with_limit({0x5F, 0x41, 0x00, 0xFF})).code() == DecodeError::Code::Malformed);  // (_ h'00')
    CHECK(decode_error(pull_with_limit({0x1C})).code() == DecodeError::Code::Malformed);  // reserved
    CHECK(decode_error(pull_with_limit({0xFF})).code() == DecodeError::Code::Malformed);  // a stray break
    // A key that is not text, and a key given twice (the last one counts, as a map's would).
    CHECK(decode_error(Bytes{0xA1, 0x01, 0x02}).code() == DecodeError::Code::Malformed);
    Bytes twice = pull_with_limit({0x05});
    twice[0] = 0xA4;
    const Bytes again{0x65, 'l', 'i', 'm', 'i', 't', 0x07};
    twice.insert(twice.end(), again.begin(), again.end());
    CHECK(std::get<Pull>(decode_message(twice)).limit == 7);
    // Indefinite-length arrays and maps are read.
    Bytes indefinite{0xBF, 0x61, 't', 0x64, 'p', 'u', 'l', 'l', 0x66, 'c', 'u', 'r', 's', 'o', 'r', 0x01,
                     0x65, 'l', 'i', 'm', 'i', 't', 0x02, 0xFF};
    CHECK(std::get<Pull>(decode_message(indefinite)).cursor == 1);
}

TEST_CASE("deep nesting, tags and too many values are refused while parsing") {
    Bytes deep(100000, 0x81);  // [[[[...
    deep.push_back(0x00);
    CHECK(decode_error(deep).code() == DecodeError::Code::TooComplex);
    Bytes indefinite(100000, 0x9F);  // [_ [_ [_ ...
    CHECK(decode_error(indefinite).code() == DecodeError::Code::TooComplex);
    CHECK(decode_error(Bytes{0xC1, 0x00}).code() == DecodeError::Code::Malformed);  // tag 1
    Bytes many{0x9A, 0x00, 0x02, 0x00, 0x00};  // array of 131072 zeros
    many.resize(many.size() + 131072, 0x00);
    CHECK(decode_error(many).code() == DecodeError::Code::TooComplex);
}

TEST_CASE("not a message, unknown types and unsupported versions") {
    CHECK(decode_error(json::array({1, 2})).code() == DecodeError::Code::NotAMessage);
    CHECK(decode_error(json{{"x", 1}}).code() == DecodeError::Code::NotAMessage);
    CHECK(decode_error(json{{"t", 5}}).code() == DecodeError::Code::WrongType);
    const auto unknown = decode_error(json{{"t", "teleport"}});
    CHECK(unknown.code() == DecodeError::Code::UnknownType);
    CHECK(unknown.field() == "t");
    CHECK(std::string(unknown.what()).find("'teleport'") != std::string::npos);

    const auto v2 = decode_error(json{{"t", "hello"}, {"v", 2}, {"client", "x"}, {"client_version", "9"}});
    CHECK(v2.code() == DecodeError::Code::UnsupportedVersion);
    CHECK(v2.field() == "hello.v");
    CHECK(std::string(v2.what()) == "hello.v: protocol version 2 is not supported; this side speaks version 1");
    CHECK(decode_error(json{{"t", "challenge"}, {"v", 0}, {"server_version", ""}, {"nonce", bin(32)}}).code() ==
          DecodeError::Code::UnsupportedVersion);
}

TEST_CASE("missing fields and wrong types name the field") {
    json j = good_push();
    j["records"][0].erase("base");
    auto e = decode_error(j);
    CHECK(e.code() == DecodeError::Code::MissingField);
    CHECK(e.field() == "push.records[0].base");
    CHECK(std::string(e.what()) == "push.records[0].base: missing");

    j = good_push();
    j["records"][0]["body"] = "text, not bytes";
    e = decode_error(j);
    CHECK(e.code() == DecodeError::Code::WrongType);
    CHECK(std::string(e.what()) == "push.records[0].body: expected a byte string, found a text string");

    j = good_push();
    j["records"][0]["base"] = -1;
    CHECK(decode_error(j).code() == DecodeError::Code::WrongType);
    j["records"][0]["base"] = 1.5;
    CHECK(decode_error(j).code() == DecodeError::Code::WrongType);
    j = good_push();
    j["records"][0]["del"] = 0;
    CHECK(decode_error(j).field() == "push.records[0].del");
    j = good_push();
    j["records"] = json::object();
    CHECK(decode_error(j).code() == DecodeError::Code::WrongType);
    j = good_push();
    j["records"][0] = 7;
    CHECK(decode_error(j).field() == "push.records[0]");
    CHECK(decode_error(json{{"t", "pull"}, {"cursor", "0"}, {"limit", 5}}).field() == "pull.cursor");
}

TEST_CASE("bad values: sizes, ranges, enums, tombstones, UTF-8") {
    json j = good_push();
    j["records"][0]["id"] = bin(15);
    auto e = decode_error(j);
    CHECK(e.code() == DecodeError::Code::BadValue);
    CHECK(std::string(e.what()) == "push.records[0].id: expected 16 bytes, found 15");

    j = good_push();
    j["records"][0]["kind"] = 11;  // one past the last kind
    CHECK(decode_error(j).code() == DecodeError::Code::BadValue);
    j["records"][0]["kind"] = 0;
    CHECK(decode_error(j).code() == DecodeError::Code::BadValue);

    j = good_push();
    j["records"][0]["del"] = true;
    CHECK(std::string(decode_error(j).what()) == "push.records[0].body: a deleted record has no body");

    CHECK(decode_error(json{{"t", "pull"}, {"cursor", 0}, {"limit", 0}}).code() == DecodeError::Code::BadValue);
    CHECK(decode_error(json{{"t", "pull"}, {"cursor", 0}, {"limit", 1001}}).code() == DecodeError::Code::BadValue);
    CHECK(decode_error(json{{"t", "push"}, {"records", json::array()}}).code() == DecodeError::Code::BadValue);

    const json accepted{{"status", 1}, {"id", bin(16)}, {"rev", 0}};
    CHECK(decode_error(json{{"t", "push_result"}, {"outcomes", {accepted}}}).field() == "push_result.outcomes[0].rev");
    const json odd{{"status", 3}};
    CHECK(decode_error(json{{"t", "push_result"}, {"outcomes", {odd}}}).field() == "push_result.outcomes[0].status");
    json conflict{{"status", 2}, {"current", good_record()}};
    conflict["current"].erase("base");
    CHECK(decode_error(json{{"t", "push_result"}, {"outcomes", {conflict}}}).field() ==
          "push_result.outcomes[0].current.rev");

    const json welcome_bad_role{{"t", "welcome"}, {"device", bin(16)},
                                {"members", {{{"case", "c"}, {"agency", "a"}, {"role", 3}}}}};
    CHECK(decode_error(welcome_bad_role).field() == "welcome.members[0].role");

    const Bytes bad_utf8 = json::to_cbor(json{{"t", "error"}, {"code", 1}, {"message", "x"}});
    Bytes patched = bad_utf8;
    const auto x = std::find(patched.begin(), patched.end(), std::uint8_t{'x'});
    REQUIRE(x != patched.end());
    *x = 0xC3;  // "x" -> a lone lead byte
    e = decode_error(patched);
    CHECK(e.code() == DecodeError::Code::BadValue);
    CHECK(e.field() == "error.message");

    json ci{{"t", "case_info"}, {"ref", "R"}, {"title", "T"}, {"tor", {{{"n", 1}, {"text", "a"}}, {{"n", 1}, {"text", "b"}}}}};
    CHECK(decode_error(ci).field() == "case_info.tor[1].n");
    ci["tor"] = json::array({{{"n", 0}, {"text", "a"}}});
    CHECK(decode_error(ci).code() == DecodeError::Code::BadValue);
    ci["tor"] = json::array();
    ci["due"] = 1000000;
    CHECK(decode_error(ci).field() == "case_info.due");
    ci["due"] = -30000;
    CHECK(decode_error(ci).field() == "case_info.due");
    ci["due"] = 20000;
    CHECK(std::get<CaseInfo>(decode_message(json::to_cbor(ci))).due->iso() == "2024-10-04");
}

TEST_CASE("limits on counts and sizes") {
    Limits small;
    small.max_records_per_batch = 3;
    small.max_body_bytes = 10;
    small.max_name_bytes = 4;
    json j = good_push();
    for (int i = 0; i < 3; ++i) j["records"].push_back(good_record());
    auto e = decode_error(j, small);
    CHECK(e.code() == DecodeError::Code::TooMany);
    CHECK(std::string(e.what()) == "push.records: 4 items, above the limit of 3");

    j = good_push();
    j["records"][0]["body"] = bin(11);
    e = decode_error(j, small);
    CHECK(e.code() == DecodeError::Code::TooLarge);
    CHECK(e.field() == "push.records[0].body");
    j["records"][0]["body"] = bin(10);
    CHECK_NOTHROW((void)decode_message(json::to_cbor(j), small));

    CHECK(decode_error(json{{"t", "hello"}, {"v", 1}, {"client", "abcde"}, {"client_version", "1"}}, small).code() ==
          DecodeError::Code::TooLarge);

    // Default limits: a full batch decodes, one more record does not.
    json full = good_push();
    for (int i = 1; i < 1000; ++i) full["records"].push_back(good_record());
    CHECK(std::get<Push>(decode_message(json::to_cbor(full))).records.size() == 1000);
    full["records"].push_back(good_record());
    CHECK(decode_error(full).code() == DecodeError::Code::TooMany);
}

TEST_CASE("unknown error codes and unknown keys are tolerated") {
    const auto m = decode_message(json::to_cbor(json{{"t", "error"}, {"code", 999}, {"message", "new"}, {"hint", 1}}));
    CHECK(std::get<Error>(m).code == ErrorCode::Unknown);
    json j = good_push();
    j["records"][0]["future"] = json::array({1, 2});
    CHECK_NOTHROW((void)decode_message(json::to_cbor(j)));
}
