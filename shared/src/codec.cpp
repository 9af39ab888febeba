#include "imrdesk/shared/codec.hpp"

#include <algorithm>

namespace imrdesk::domain {
namespace {

using nlohmann::json;

json civil_to_json(const std::optional<CivilDate>& date) { return date ? json(date->iso()) : json(nullptr); }

// Writes the known fields over the unknown ones kept from decoding.
json start(const json& extra) {
    json body = extra.is_object() ? extra : json::object();
    body["v"] = kBodyVersion;
    return body;
}

// Reads one record body, remembering which fields it consumed, so the rest can be kept.
class BodyReader {
public:
    BodyReader(const json& body, std::string_view kind) : body_(body), kind_(kind) {
        if (!body.is_object()) fail("", "the body is not a JSON object");
        const auto version = body.find("v");
        if (version == body.end() || !version->is_number_integer()) fail("v", "the schema version is missing");
        const auto v = version->get<long long>();
        if (v < 1) fail("v", "schema version " + std::to_string(v) + " is not valid");
        if (v > kBodyVersion)
            fail("v", "written by a newer imrdesk (schema version " + std::to_string(v) +
                          "); update imrdesk to open it");
        known_.push_back("v");
    }

    [[noreturn]] void fail(const std::string& field, const std::string& reason) const {
        throw CodecError(std::string(kind_) + (field.empty() ? "" : ": field '" + field + "'") + ": " + reason);
    }

    const json* find(const char* field) {
        known_.push_back(field);
        const auto it = body_.find(field);
        return it == body_.end() || it->is_null() ? nullptr : &*it;
    }

    std::string text(const char* field) {
        const json* value = find(field);
        if (value == nullptr) return {};
        if (!value->is_string()) fail(field, "must be text");
        return value->get<std::string>();
    }

    bool flag(const char* field) {
        const json* value = find(field);
        if (value == nullptr) return false;
        if (!value->is_boolean()) fail(field, "must be true or false");
        return value->get<bool>();
    }

    int integer(const char* field, int fallback, int min, int max) {
        const json* value = find(field);
        if (value == nullptr) return fallback;
        if (!value->is_number_integer()) fail(field, "must be a whole number");
        const auto v = value->get<long long>();
        if (v < min || v > max)
            fail(field, std::to_string(v) + " is out of range (" + std::to_string(min) + " to " + std::to_string(max) + ")");
        return static_cast<int>(v);
    }

    std::optional<CivilDate> civil(const char* field) {
        const std::string value = text(field);
        if (value.empty()) return std::nullopt;
        return civil_from(value, field);
    }

    CivilDate civil_from(const std::string& value, const std::string& field) const {
        try {
            const PartialDate date = PartialDate::from_iso(value);
            if (date.is_range() || date.start.precision != DatePrecision::Day || date.approximate || date.uncertain)
                fail(field, "'" + value + "' is not an exact day");
            return date.first_day();
        } catch (const DateError& e) {
            fail(field, e.what());
        }
    }

    PartialDate partial(const char* field, bool required) {
        const std::string value = text(field);
        if (value.empty()) {
            if (required) fail(field, "a date is required");
            return {};
        }
        try {
            return PartialDate::from_iso(value);
        } catch (const DateError& e) {
            fail(field, e.what());
        }
    }

    const json& array(const char* field) {
        static const json empty = json::array();
        const json* value = find(field);
        if (value == nullptr) return empty;
        if (!value->is_array()) fail(field, "must be a list");
        return *value;
    }

    std::vector<std::string> strings(const char* field) {
        std::vector<std::string> out;
        for (const auto& item : array(field)) {
            if (!item.is_string()) fail(field, "every item must be text");
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    std::vector<Id> ids(const char* field) {
        std::vector<Id> out;
        for (const auto& item : array(field)) {
            if (!item.is_string()) fail(field, "every item must be an id");
            try {
                out.push_back(Id::from_hex(item.get<std::string>()));
            } catch (const std::invalid_argument& e) {
                fail(field, e.what());
            }
        }
        return out;
    }

    std::int64_t seconds(const char* field) {
        const json* value = find(field);
        if (value == nullptr) return 0;
        if (!value->is_number_integer()) fail(field, "must be a whole number of seconds");
        const auto v = value->get<long long>();
        if (v < 0 || v > 253'402'300'799LL) fail(field, std::to_string(v) + " is not a time between 1970 and 9999");
        return static_cast<std::int64_t>(v);
    }

    Id id(const char* field) {
        const std::string value = text(field);
        if (value.empty()) fail(field, "the id is missing");
        try {
            return Id::from_hex(value);
        } catch (const std::invalid_argument& e) {
            fail(field, e.what());
        }
    }

    json extra() const {
        json out = json::object();
        for (auto it = body_.begin(); it != body_.end(); ++it)
            if (std::find(known_.begin(), known_.end(), it.key()) == known_.end()) out[it.key()] = it.value();
        return out;
    }

private:
    const json& body_;
    std::string_view kind_;
    std::vector<std::string_view> known_;  // field names are literals: no allocation per field
};

json ids_to_json(const std::vector<Id>& ids) {
    json out = json::array();
    for (const auto& id : ids) out.push_back(id.hex());
    return out;
}

}  // namespace

json to_json(const ImrHeader& value) {
    json body = start(value.extra);
    body["title"] = value.title;
    json tor = json::array();
    for (const auto& q : value.case_info.terms_of_reference) tor.push_back({{"number", q.number}, {"text", q.text}});
    body["case"] = {{"reference", value.case_info.reference},
                    {"title", value.case_info.title},
                    {"terms_of_reference", tor},
                    {"period_from", civil_to_json(value.case_info.period_from)},
                    {"period_to", civil_to_json(value.case_info.period_to)},
                    {"due", civil_to_json(value.case_info.due)}};
    body["agency"] = value.agency;
    json adults = json::array();
    for (const auto& adult : value.adults)
        adults.push_back({{"name", adult.name},
                          {"date_of_birth", adult.date_of_birth ? json(adult.date_of_birth->iso()) : json(nullptr)}});
    body["adults"] = adults;
    body["author_name"] = value.author_name;
    body["author_agency"] = value.author_agency;
    body["author_contact"] = value.author_contact;
    body["author_role"] = value.author_role;
    body["author_independence"] = value.author_independence;
    body["completion_date"] = civil_to_json(value.completion_date);
    body["records_secured_date"] = civil_to_json(value.records_secured_date);
    body["records_examined"] = value.records_examined;
    body["staff_interviewed"] = value.staff_interviewed;
    body["status"] = std::string(key_of(value.status));
    body["gap_threshold_days"] = value.gap_threshold_days;
    return body;
}

ImrHeader imr_from_json(const json& body) {
    BodyReader r(body, "imr");
    ImrHeader h;
    h.title = r.text("title");
    if (const json* c = r.find("case")) {
        if (!c->is_object()) r.fail("case", "must be an object");
        auto text_of = [&](const char* name) -> std::string {
            const auto it = c->find(name);
            if (it == c->end() || it->is_null()) return {};
            if (!it->is_string()) r.fail(std::string("case.") + name, "must be text");
            return it->get<std::string>();
        };
        h.case_info.reference = text_of("reference");
        h.case_info.title = text_of("title");
        for (const char* name : {"period_from", "period_to", "due"}) {
            const std::string value = text_of(name);
            if (value.empty()) continue;
            const CivilDate date = r.civil_from(value, std::string("case.") + name);
            if (std::string_view(name) == "period_from") h.case_info.period_from = date;
            else if (std::string_view(name) == "period_to") h.case_info.period_to = date;
            else h.case_info.due = date;
        }
        if (const auto tor = c->find("terms_of_reference"); tor != c->end() && !tor->is_null()) {
            if (!tor->is_array()) r.fail("case.terms_of_reference", "must be a list");
            for (const auto& q : *tor) {
                if (!q.is_object() || !q.contains("number") || !q["number"].is_number_integer() ||
                    !q.contains("text") || !q["text"].is_string())
                    r.fail("case.terms_of_reference", "every question needs a number and a text");
                h.case_info.terms_of_reference.push_back({q["number"].get<int>(), q["text"].get<std::string>()});
            }
        }
    }
    h.agency = r.text("agency");
    for (const auto& adult : r.array("adults")) {
        if (!adult.is_object() || !adult.contains("name") || !adult["name"].is_string())
            r.fail("adults", "every adult needs a name");
        Adult a{adult["name"].get<std::string>(), std::nullopt};
        if (const auto dob = adult.find("date_of_birth"); dob != adult.end() && !dob->is_null()) {
            if (!dob->is_string()) r.fail("adults.date_of_birth", "must be a date");
            try {
                a.date_of_birth = PartialDate::from_iso(dob->get<std::string>());
            } catch (const DateError& e) {
                r.fail("adults.date_of_birth", e.what());
            }
        }
        h.adults.push_back(std::move(a));
    }
    h.author_name = r.text("author_name");
    h.author_agency = r.text("author_agency");
    h.author_contact = r.text("author_contact");
    h.author_role = r.text("author_role");
    h.author_independence = r.text("author_independence");
    h.completion_date = r.civil("completion_date");
    h.records_secured_date = r.civil("records_secured_date");
    h.records_examined = r.text("records_examined");
    h.staff_interviewed = r.text("staff_interviewed");
    const std::string status = r.text("status");
    if (!status.empty()) {
        const auto parsed = imr_status_from_key(status);
        if (!parsed) r.fail("status", "unknown status '" + status + "'");
        h.status = *parsed;
    }
    h.gap_threshold_days = r.integer("gap_threshold_days", 60, 1, 3650);
    h.extra = r.extra();
    return h;
}

json to_json(const SectionContent& value) {
    json body = start(value.extra);
    body["key"] = value.key;
    body["text"] = value.text;
    body["not_applicable"] = value.not_applicable;
    body["not_applicable_reason"] = value.not_applicable_reason;
    body["citations"] = ids_to_json(value.citations);
    body["complete"] = value.complete;
    return body;
}

SectionContent section_from_json(const json& body) {
    BodyReader r(body, "section");
    SectionContent s;
    s.key = r.text("key");
    if (s.key.empty()) r.fail("key", "the section key is missing");
    s.text = r.text("text");
    s.not_applicable = r.flag("not_applicable");
    s.not_applicable_reason = r.text("not_applicable_reason");
    s.citations = r.ids("citations");
    s.complete = r.flag("complete");
    s.extra = r.extra();
    return s;
}

json to_json(const ChronologyEntry& value) {
    json body = start(value.extra);
    body["date"] = value.date.iso();
    body["time"] = value.time ? json(value.time->text()) : json(nullptr);
    body["sequence"] = value.sequence;
    // The fields added after the first release are written only when set, so an entry that does
    // not use them keeps the body (and so the endorsement hash and sync digest) it always had.
    if (!value.agency.empty()) body["agency"] = value.agency;
    if (!value.contact_type.empty()) body["contact_type"] = value.contact_type;
    body["source"] = value.source;
    body["event"] = value.event;
    body["action"] = value.action;
    body["rationale"] = value.rationale;
    body["outcome"] = value.outcome;
    body["practitioner_role"] = value.practitioner_role;
    body["comment"] = value.comment;
    body["key_practice_episode"] = value.key_practice_episode;
    body["missed_opportunity"] = value.missed_opportunity;
    body["good_practice"] = value.good_practice;
    body["no_contact_period"] = value.no_contact_period;
    body["tor_questions"] = value.tor_questions;
    json principles = json::array();
    for (const auto p : value.principles) principles.push_back(std::string(to_string(p)));
    body["principles"] = principles;
    if (!value.extra_fields.empty()) {
        json extra_fields = json::array();
        for (const auto& field : value.extra_fields) extra_fields.push_back({{"name", field.name}, {"value", field.value}});
        body["extra_fields"] = std::move(extra_fields);
    }
    return body;
}

ChronologyEntry entry_from_json(const json& body) {
    BodyReader r(body, "chronology entry");
    ChronologyEntry e;
    e.date = r.partial("date", true);
    if (const std::string time = r.text("time"); !time.empty()) {
        try {
            e.time = parse_time(time);
        } catch (const DateError& error) {
            r.fail("time", error.what());
        }
    }
    e.sequence = r.integer("sequence", 0, 0, 1'000'000);
    e.agency = r.text("agency");
    e.contact_type = r.text("contact_type");
    e.source = r.text("source");
    e.event = r.text("event");
    e.action = r.text("action");
    e.rationale = r.text("rationale");
    e.outcome = r.text("outcome");
    e.practitioner_role = r.text("practitioner_role");
    e.comment = r.text("comment");
    e.key_practice_episode = r.flag("key_practice_episode");
    e.missed_opportunity = r.flag("missed_opportunity");
    e.good_practice = r.flag("good_practice");
    e.no_contact_period = r.flag("no_contact_period");
    for (const auto& q : r.array("tor_questions")) {
        if (!q.is_number_integer() || q.get<long long>() < 1 || q.get<long long>() > 1000)
            r.fail("tor_questions", "every item must be a question number");
        e.tor_questions.push_back(q.get<int>());
    }
    for (const auto& name : r.strings("principles")) {
        const auto principle = principle_from_string(name);
        if (!principle) r.fail("principles", "'" + name + "' is not one of the six safeguarding principles");
        e.principles.push_back(*principle);
    }
    for (const auto& item : r.array("extra_fields")) {
        const auto name = item.is_object() ? item.find("name") : item.end();
        const auto text = item.is_object() ? item.find("value") : item.end();
        if (name == item.end() || text == item.end() || !name->is_string() || !text->is_string() ||
            name->get_ref<const std::string&>().empty())
            r.fail("extra_fields", "every item must have a name and a value, both text");
        e.extra_fields.push_back({name->get<std::string>(), text->get<std::string>()});
    }
    e.extra = r.extra();
    return e;
}

json to_json(const Recommendation& value) {
    json body = start(value.extra);
    body["order"] = value.order;
    body["text"] = value.text;
    body["linked_learning"] = value.linked_learning;
    body["owner_role"] = value.owner_role;
    body["target_date"] = civil_to_json(value.target_date);
    body["resources"] = value.resources;
    body["measure"] = value.measure;
    return body;
}

Recommendation recommendation_from_json(const json& body) {
    BodyReader r(body, "recommendation");
    Recommendation rec;
    rec.order = r.integer("order", 0, 0, 1'000'000);
    rec.text = r.text("text");
    rec.linked_learning = r.strings("linked_learning");
    rec.owner_role = r.text("owner_role");
    rec.target_date = r.civil("target_date");
    rec.resources = r.text("resources");
    rec.measure = r.text("measure");
    rec.extra = r.extra();
    return rec;
}

json to_json(const GlossaryEntry& value) {
    json body = start(value.extra);
    body["abbreviation"] = value.abbreviation;
    body["expansion"] = value.expansion;
    return body;
}

GlossaryEntry glossary_from_json(const json& body) {
    BodyReader r(body, "glossary entry");
    GlossaryEntry g;
    g.abbreviation = r.text("abbreviation");
    g.expansion = r.text("expansion");
    g.extra = r.extra();
    return g;
}

json to_json(const NameEntry& value) {
    json body = start(value.extra);
    body["real_name"] = value.real_name;
    body["pseudonym"] = value.pseudonym;
    return body;
}

NameEntry name_from_json(const json& body) {
    BodyReader r(body, "name");
    NameEntry n;
    n.real_name = r.text("real_name");
    n.pseudonym = r.text("pseudonym");
    if (n.real_name.empty()) r.fail("real_name", "the real name is missing");
    n.extra = r.extra();
    return n;
}

json to_json(const Endorsement& value) {
    json body = start(value.extra);
    body["officer_name"] = value.officer_name;
    body["officer_role"] = value.officer_role;
    body["declaration"] = value.declaration;
    body["date"] = civil_to_json(value.date);
    body["content_hash"] = value.content_hash;
    return body;
}

Endorsement endorsement_from_json(const json& body) {
    BodyReader r(body, "endorsement");
    Endorsement e;
    e.officer_name = r.text("officer_name");
    e.officer_role = r.text("officer_role");
    e.declaration = r.text("declaration");
    e.date = r.civil("date");
    e.content_hash = r.text("content_hash");
    e.extra = r.extra();
    return e;
}

json to_json(const Query& value) {
    json body = start(value.extra);
    body["on"] = value.on;
    body["text"] = value.text;
    body["raised_by"] = value.raised_by;
    body["raised_at"] = value.raised_at;
    body["closed"] = value.closed;
    body["closed_by"] = value.closed_by;
    body["state_changed_at"] = value.state_changed_at;
    body["reopened"] = value.reopened;
    return body;
}

Query query_from_json(const json& body) {
    BodyReader r(body, "query");
    Query q;
    q.on = r.text("on");
    if (!parse_query_target(q.on)) r.fail("on", "'" + q.on + "' is not imr, a section key or entry:ID");
    q.text = r.text("text");
    if (q.text.empty()) r.fail("text", "the query has no text");
    q.raised_by = r.text("raised_by");
    q.raised_at = r.seconds("raised_at");
    q.closed = r.flag("closed");
    q.closed_by = r.text("closed_by");
    q.state_changed_at = r.seconds("state_changed_at");
    q.reopened = r.integer("reopened", 0, 0, 1'000'000);
    q.extra = r.extra();
    return q;
}

json to_json(const QueryAnswer& value) {
    json body = start(value.extra);
    body["query"] = value.query.hex();
    body["text"] = value.text;
    body["answered_by"] = value.answered_by;
    body["answered_at"] = value.answered_at;
    return body;
}

QueryAnswer query_answer_from_json(const json& body) {
    BodyReader r(body, "query answer");
    QueryAnswer a;
    a.query = r.id("query");
    a.text = r.text("text");
    if (a.text.empty()) r.fail("text", "the answer has no text");
    a.answered_by = r.text("answered_by");
    a.answered_at = r.seconds("answered_at");
    a.extra = r.extra();
    return a;
}

json to_json(const ReviewNote& value) {
    json body = start(value.extra);
    body["entry"] = value.entry.hex();
    body["text"] = value.text;
    body["written_by"] = value.written_by;
    body["written_at"] = value.written_at;
    return body;
}

ReviewNote review_note_from_json(const json& body) {
    BodyReader r(body, "review note");
    ReviewNote n;
    n.entry = r.id("entry");
    n.text = r.text("text");
    n.written_by = r.text("written_by");
    n.written_at = r.seconds("written_at");
    n.extra = r.extra();
    return n;
}

void check_body(RecordKind kind, const json& body) {
    switch (kind) {
        case RecordKind::Imr: (void)imr_from_json(body); break;
        case RecordKind::Section: (void)section_from_json(body); break;
        case RecordKind::ChronologyEntry: (void)entry_from_json(body); break;
        case RecordKind::Recommendation: (void)recommendation_from_json(body); break;
        case RecordKind::GlossaryEntry: (void)glossary_from_json(body); break;
        case RecordKind::Endorsement: (void)endorsement_from_json(body); break;
        case RecordKind::Name: (void)name_from_json(body); break;
        case RecordKind::Query: (void)query_from_json(body); break;
        case RecordKind::QueryAnswer: (void)query_answer_from_json(body); break;
        case RecordKind::ReviewNote: (void)review_note_from_json(body); break;
    }
}

json parse_body(std::string_view text, RecordKind kind) {
    try {
        return json::parse(text);
    } catch (const json::exception&) {  // not JSON, or a number past what JSON numbers hold here (out_of_range)
        throw CodecError(std::string(to_string(kind)) + ": the stored body is not valid JSON");
    }
}

}  // namespace imrdesk::domain
