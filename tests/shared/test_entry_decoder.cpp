// The one-pass reading of chronology entries gives exactly what entry_from_json gives: for every
// body imrdesk writes it reads the entry itself, and for any other body (a newer version's field,
// a duplicate, a value of another type, malformed JSON) it declines and the full reader decides.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/entry_decoder.hpp"

using namespace imrdesk::domain;
using nlohmann::json;

namespace {

// What the full reader makes of a body, as JSON (the entry's own form), or its error.
std::string full_reading(const std::string& body) {
    try {
        return to_json(entry_from_json(parse_body(body, RecordKind::ChronologyEntry))).dump();
    } catch (const CodecError& e) {
        return std::string("error: ") + e.what();
    }
}

std::string fast_then_full(const std::string& body, EntryDecoder& decoder) {
    try {
        return to_json(entry_from_text(body, decoder)).dump();
    } catch (const CodecError& e) {
        return std::string("error: ") + e.what();
    }
}

std::string random_text(std::mt19937& rng) {
    static const std::vector<std::string> pieces{
        "Home visit.", " ", "Adult A", " said \"no\"", "\\", "\n", "\t", "é", "—", "€", "😀", "GP", "A&E", "<b>",
        "\u0001", "'", "/", "}", "{", "[", "]", ",", ":", "null", "true", "Mrs O'Brien", "ß", "\r\n"};
    std::string out;
    const auto n = rng() % 12;
    for (unsigned i = 0; i < n; ++i) out += pieces[rng() % pieces.size()];
    return out;
}

ChronologyEntry random_entry(std::mt19937& rng) {
    ChronologyEntry e;
    switch (rng() % 5) {
        case 0: e.date = PartialDate::day(2020 + static_cast<int>(rng() % 5), 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28)); break;
        case 1: e.date = PartialDate::month(2019, 1 + static_cast<int>(rng() % 12)); break;
        case 2: e.date = PartialDate::year(2018); break;
        case 3: e.date = PartialDate::from_iso("2021-03-04/2021-05-06"); break;
        default: e.date = PartialDate::from_iso(PartialDate::day(2022, 2, 3).iso()); break;
    }
    if (rng() % 2 == 0) e.time = TimeOfDay{static_cast<int>(rng() % 24), static_cast<int>(rng() % 60)};
    e.sequence = static_cast<int>(rng() % 50);
    e.agency = rng() % 3 == 0 ? random_text(rng) : "";
    e.contact_type = rng() % 3 == 0 ? random_text(rng) : "";
    e.source = random_text(rng);
    e.event = random_text(rng);
    e.action = random_text(rng);
    e.rationale = random_text(rng);
    e.outcome = random_text(rng);
    e.practitioner_role = random_text(rng);
    e.comment = random_text(rng);
    e.key_practice_episode = rng() % 2 == 0;
    e.missed_opportunity = rng() % 2 == 0;
    e.good_practice = rng() % 2 == 0;
    e.no_contact_period = rng() % 5 == 0;
    for (auto i = rng() % 3; i > 0; --i) e.tor_questions.push_back(1 + static_cast<int>(rng() % 20));
    const Principle all[] = {Principle::Empowerment, Principle::Prevention, Principle::Protection,
                             Principle::Partnership, Principle::Accountability, Principle::Proportionality};
    for (auto i = rng() % 3; i > 0; --i) e.principles.push_back(all[rng() % 6]);
    for (auto i = rng() % 3; i > 0; --i) e.extra_fields.push_back({"Column " + std::to_string(i) + random_text(rng), random_text(rng)});
    return e;
}

}  // namespace

TEST_CASE("entries as imrdesk writes them are read in one pass, exactly as the full reader reads them") {
    std::mt19937 rng(20261207);
    EntryDecoder decoder;
    for (int i = 0; i < 2000; ++i) {
        const auto entry = random_entry(rng);
        const std::string body = to_json(entry).dump();
        CAPTURE(body);
        const auto fast = decoder.read(body);
        REQUIRE(fast.has_value());
        CHECK(to_json(*fast).dump() == full_reading(body));
        CHECK(to_json(*fast).dump() == body);
    }
}

TEST_CASE("any other body is left to the full reader, which keeps what it does not know and names what is wrong") {
    EntryDecoder decoder;
    const std::string good = to_json(ChronologyEntry{PartialDate::day(2024, 3, 1), std::nullopt, 2, "", "", "STORM 1",
                                                     "Call", "", "", "", "", "", false, false, false, false, {3}, {}, {},
                                                     json::object()})
                                 .dump();
    REQUIRE(decoder.read(good).has_value());
    const auto with = [&](const std::string& key, const std::string& value) {
        json j = json::parse(good);
        j[key] = json::parse(value);
        return j.dump();
    };
    const std::vector<std::string> declined{
        with("future_field", "\"kept\""),               // a newer version's field: kept in extra
        with("sequence", "2.5"),                        // not a whole number
        with("sequence", "1000001"),                    // out of range
        with("v", "2"),                                 // a newer schema
        with("v", "0"),
        with("date", "\"\""),                           // the date is required
        with("date", "\"14/03/2024\""),                 // not the storage form
        with("time", "\"25:00\""),
        with("time", "5"),
        with("source", "17"),
        with("key_practice_episode", "\"yes\""),
        with("tor_questions", "[0]"),
        with("tor_questions", "[1, null]"),
        with("tor_questions", "\"1\""),
        with("principles", "[\"Kindness\"]"),
        with("extra_fields", "[{\"name\": \"\", \"value\": \"x\"}]"),
        with("extra_fields", "[{\"name\": \"A\", \"value\": \"x\", \"note\": 1}]"),  // the full reader drops the note
        with("extra_fields", "[{\"name\": \"A\"}]"),
        good.substr(0, good.size() - 1) + ",\"source\":\"twice\"}",  // a field given twice: the last counts
        good + " ",                                                  // trailing space: fine for both
        good + " x",                                                 // trailing garbage
        "[]",
        "{\"v\": 1}",
        "not json",
        "66666666666666666666e666666666666666666666666666666666666666666666666666666666666666666",  // out of range: a CodecError too (found by fuzz_entry)
        good.substr(0, good.size() - 1) + ",\"big\":1e999}",
        "{\"v\":1,\"date\":\"2024-03-01\",\"source\":\"\xC3\x28\"}",  // invalid UTF-8
    };
    for (const auto& body : declined) {
        CAPTURE(body);
        const auto fast = decoder.read(body);
        if (fast) {
            // Only what the full reader reads the same may be read in one pass.
            CHECK(to_json(*fast).dump() == full_reading(body));
        }
        CHECK(fast_then_full(body, decoder) == full_reading(body));
    }
    // The field of a newer version survives.
    CHECK(fast_then_full(with("future_field", "\"kept\""), decoder).find("future_field") != std::string::npos);
}

TEST_CASE("escapes, every Unicode plane and empty texts read the same both ways") {
    EntryDecoder decoder;
    const std::string body =
        R"({"v":1,"date":"2024-03","time":null,"sequence":0,"source":"a\"b\\c\/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00\u0000","event":"",)"
        R"("action":null,"rationale":"x","outcome":"y","practitioner_role":"z","comment":"","key_practice_episode":true,)"
        R"("missed_opportunity":null,"good_practice":false,"no_contact_period":false,"tor_questions":[],"principles":[],"extra_fields":[]})";
    const auto fast = decoder.read(body);
    REQUIRE(fast.has_value());
    CHECK(to_json(*fast).dump() == full_reading(body));
    CHECK(fast->source == std::string("a\"b\\c/d\b\f\n\r\t\u00e9\u20ac\U0001F600") + std::string(1, '\0'));
}
