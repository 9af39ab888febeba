#include "imrdesk/client/names_scan.hpp"

#include <algorithm>
#include <set>

#include "imrdesk/shared/entry_fields.hpp"

namespace imrdesk::client {
namespace {

// The words around [offset, offset + length), on one line: about 40 bytes either side, cut at a
// space (never inside a word or a UTF-8 character), "..." where the text goes on.
std::string one_line_around(std::string_view text, std::size_t offset, std::size_t length) {
    constexpr std::size_t kAround = 40;
    const auto space = [&](std::size_t i) { return text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'; };
    std::size_t begin = offset > kAround ? offset - kAround : 0;
    if (begin > 0) {
        while (begin < offset && !space(begin - 1)) ++begin;  // the start of a word
        if (begin == offset)                                  // one long word: the byte count, on a character
            for (begin = offset - kAround; (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80; ++begin) {}
    }
    std::size_t end = std::min(text.size(), offset + length + kAround);
    if (end < text.size()) {
        std::size_t cut = end;
        while (cut > offset + length && !space(cut)) --cut;  // the end of a word
        if (cut > offset + length) end = cut;
        else
            while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    }
    std::string out = begin > 0 ? "..." : "";
    for (const char c : text.substr(begin, end - begin)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (end < text.size()) out += "...";
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "Adult A" ... "Adult Z", then "Adult 27" ...: the first not in `used` (lower case).
std::string free_pseudonym(const std::set<std::string>& used, std::size_t& next) {
    for (;; ++next) {
        std::string pseudonym = next < 26 ? std::string("Adult ") + static_cast<char>('A' + next)
                                          : "Adult " + std::to_string(next + 1);
        if (used.count(lower(pseudonym)) == 0) {
            ++next;
            return pseudonym;
        }
    }
}

}  // namespace

void for_each_text(const ImrDocument& doc, const domain::ImrTemplate& imr_template,
                   const std::function<void(const Place&, const std::string&, std::string_view)>& visit) {
    const auto& h = doc.header;
    const Place header{Place::Kind::Header, "header", {}, {}};
    auto header_field = [&](const char* field, const char* label, const std::string& text) {
        Place p = header;
        p.field = field;
        visit(p, std::string("About this IMR: ") + label, text);
    };
    header_field("title", "title", h.title);
    header_field("agency", "agency", h.agency);
    for (const auto& adult : h.adults) header_field("adults", "adult", adult.name);
    header_field("author_name", "author", h.author_name);
    header_field("author_agency", "author's agency", h.author_agency);
    header_field("author_contact", "author's contact details", h.author_contact);
    header_field("author_role", "author's role", h.author_role);
    header_field("author_independence", "author's independence", h.author_independence);
    header_field("records_examined", "records examined", h.records_examined);
    header_field("staff_interviewed", "staff interviewed", h.staff_interviewed);
    header_field("case_title", "case title", h.case_info.title);
    for (const auto& q : h.case_info.terms_of_reference) header_field("terms_of_reference", "Terms of Reference", q.text);

    for (const auto& item : imr_template.outline(h.case_info.terms_of_reference)) {
        const auto* s = doc.section(item.key);
        if (s == nullptr) continue;
        visit(Place{Place::Kind::Section, item.key, {}, "text"}, item.heading, s->value.text);
        visit(Place{Place::Kind::Section, item.key, {}, "not_applicable_reason"}, item.heading + " (not applicable)",
              s->value.not_applicable_reason);
    }
    for (const auto& e : doc.entries) {
        std::string date;
        try {
            date = e.value.date.display();
        } catch (const domain::DateError&) {
            date = "(no date)";
        }
        const std::string label = "Chronology, " + date;
        for (const auto& field : domain::kEntryTextFields)
            visit(Place{Place::Kind::Entry, "chronology", e.id, std::string(field.key)}, label + ": " + std::string(field.key),
                  e.value.*field.member);
        for (const auto& extra : e.value.extra_fields) {
            visit(Place{Place::Kind::Entry, "chronology", e.id, "extra_fields"}, label + ": " + extra.name, extra.name);
            visit(Place{Place::Kind::Entry, "chronology", e.id, "extra_fields"}, label + ": " + extra.name, extra.value);
        }
    }
    for (const auto& r : doc.recommendations) {
        const std::string label = "Recommendation " + std::to_string(r.value.order);
        for (const auto& [field, text] : {std::pair<const char*, const std::string*>{"text", &r.value.text},
                                          {"owner_role", &r.value.owner_role}, {"resources", &r.value.resources},
                                          {"measure", &r.value.measure}})
            visit(Place{Place::Kind::Recommendation, "recommendations", r.id, field}, label, *text);
    }
    for (const auto& g : doc.glossary)
        visit(Place{Place::Kind::Glossary, "glossary", g.id, "expansion"}, "Glossary: " + g.value.abbreviation, g.value.expansion);
    if (doc.endorsement) {
        const auto& e = doc.endorsement->value;
        visit(Place{Place::Kind::Endorsement, "endorsement", doc.endorsement->id, "officer_name"}, "Endorsement", e.officer_name);
        visit(Place{Place::Kind::Endorsement, "endorsement", doc.endorsement->id, "officer_role"}, "Endorsement", e.officer_role);
        visit(Place{Place::Kind::Endorsement, "endorsement", doc.endorsement->id, "declaration"}, "Endorsement", e.declaration);
    }
}

domain::Pseudonymiser pseudonymiser_of(const ImrDocument& doc) {
    std::vector<domain::NameEntry> names;
    names.reserve(doc.names.size());
    for (const auto& n : doc.names) names.push_back(n.value);
    return domain::Pseudonymiser(names);
}

std::vector<NameFinding> scan_names(const ImrDocument& doc, const domain::ImrTemplate& imr_template,
                                    const std::function<bool(std::string_view)>& known_word) {
    const auto names = pseudonymiser_of(doc);
    std::vector<NameFinding> registered, unregistered;
    // The glossary's abbreviations are the author's own terms, not names.
    std::set<std::string> glossary;
    for (const auto& g : doc.glossary) glossary.insert(lower(g.value.abbreviation));
    auto known = [&](std::string_view word) { return glossary.count(lower(word)) != 0 || (known_word && known_word(word)); };
    for_each_text(doc, imr_template, [&](const Place& place, const std::string& label, std::string_view text) {
        if (text.empty()) return;
        for (const auto& m : names.matches(text))
            registered.push_back({place, label, std::string(text.substr(m.offset, m.length)), true,
                                  names.names()[m.name].pseudonym, {}, m.offset, one_line_around(text, m.offset, m.length)});
        if (place.kind == Place::Kind::Endorsement && place.field == "declaration") return;  // the template's words
        for (auto& c : domain::find_name_candidates(text, known, names))
            unregistered.push_back({place, label, std::move(c.text), false, {}, std::move(c.why), c.offset,
                                    one_line_around(text, c.offset, c.length)});
    });
    registered.insert(registered.end(), std::make_move_iterator(unregistered.begin()), std::make_move_iterator(unregistered.end()));
    return registered;
}

std::vector<domain::NameEntry> proposed_names(const ImrDocument& doc) {
    std::set<std::string> used_pseudonyms, registered;
    for (const auto& n : doc.names) {
        used_pseudonyms.insert(lower(n.value.pseudonym));
        registered.insert(lower(n.value.real_name));
    }
    std::vector<domain::NameEntry> out;
    std::size_t next = 0;
    for (const auto& adult : doc.header.adults) {
        if (adult.name.empty() || registered.count(lower(adult.name)) != 0) continue;
        // An adult already written as a pseudonym ("Adult A") needs none.
        if (adult.name.rfind("Adult ", 0) == 0 && adult.name.size() <= 8) continue;
        std::string pseudonym = free_pseudonym(used_pseudonyms, next);
        used_pseudonyms.insert(lower(pseudonym));
        out.push_back({adult.name, pseudonym, nlohmann::json::object()});
    }
    return out;
}

std::string next_free_pseudonym(const ImrDocument& doc) {
    std::set<std::string> used;
    for (const auto& n : doc.names) used.insert(lower(n.value.pseudonym));
    std::size_t next = 0;
    return free_pseudonym(used, next);
}

}  // namespace imrdesk::client
