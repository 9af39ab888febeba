#include "imrdesk/client/search.hpp"

#include <algorithm>
#include <cctype>

#include "imrdesk/shared/entry_fields.hpp"

namespace imrdesk::client {
namespace {

std::size_t find_ci(std::string_view haystack, std::string_view needle, std::size_t from) {
    if (needle.empty() || needle.size() > haystack.size()) return std::string_view::npos;
    for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i) {
        bool match = true;
        for (std::size_t j = 0; j < needle.size() && match; ++j)
            match = std::tolower(static_cast<unsigned char>(haystack[i + j])) == std::tolower(static_cast<unsigned char>(needle[j]));
        if (match) return i;
    }
    return std::string_view::npos;
}

// A letter or digit of a word: ASCII alphanumerics and every byte of a multi-byte UTF-8 character
// (so "é" inside "Zoé" is part of the word).
bool word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || u >= 0x80;
}

bool whole_word_at(std::string_view text, std::size_t at, std::size_t length) {
    const bool starts = at == 0 || !word_byte(text[at - 1]) || !word_byte(text[at]);
    const std::size_t end = at + length;
    const bool ends = end >= text.size() || !word_byte(text[end]) || !word_byte(text[end - 1]);
    return starts && ends;
}

struct Snippet {
    std::string text;
    std::size_t match = 0;  // where the match starts in `text`
};

Snippet snippet_at(std::string_view text, std::size_t offset, std::size_t length) {
    std::size_t begin = offset > 30 ? offset - 30 : 0;
    std::size_t end = std::min(text.size(), offset + length + 45);
    while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;  // keep UTF-8 whole
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    Snippet out;
    out.text = begin > 0 ? "..." : "";
    out.match = out.text.size() + (offset - begin);
    for (const char c : text.substr(begin, end - begin)) out.text += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    if (end < text.size()) out.text += "...";
    return out;
}

}  // namespace

std::vector<SearchHit> search(const ImrDocument& doc, const domain::ImrTemplate& imr_template, std::string_view query,
                              std::size_t max_hits, MatchWords words) {
    std::vector<SearchHit> hits;
    if (query.empty()) return hits;
    auto scan = [&](std::string_view text, const Place& place, const std::string& label) {
        std::size_t at = 0;
        while (hits.size() < max_hits && (at = find_ci(text, query, at)) != std::string_view::npos) {
            if (words == MatchWords::Whole && !whole_word_at(text, at, query.size())) {
                ++at;
                continue;
            }
            auto snippet = snippet_at(text, at, query.size());
            hits.push_back({place, label, std::move(snippet.text), at, snippet.match, query.size()});
            at += query.size();
        }
    };
    for (const auto& item : imr_template.outline(doc.header.case_info.terms_of_reference)) {
        if (const auto* s = doc.section(item.key)) {
            const std::string label = item.heading.size() > 50 ? item.heading.substr(0, 47) + "..." : item.heading;
            scan(s->value.text, Place{Place::Kind::Section, item.key, {}, "text"}, label);
            scan(s->value.not_applicable_reason, Place{Place::Kind::Section, item.key, {}, "not_applicable_reason"}, label);
        }
    }
    for (const auto& e : doc.entries) {
        const std::string label = "Chronology, " + e.value.date.display();
        for (const auto& field : domain::kEntryTextFields)
            scan(e.value.*field.member, Place{Place::Kind::Entry, "chronology", e.id, std::string(field.key)}, label);
        for (const auto& extra : e.value.extra_fields)
            scan(extra.value, Place{Place::Kind::Entry, "chronology", e.id, "extra_fields"}, label);
    }
    for (const auto& r : doc.recommendations)
        scan(r.value.text, Place{Place::Kind::Recommendation, "recommendations", r.id, "text"},
             "Recommendation " + std::to_string(r.value.order));
    return hits;
}

}  // namespace imrdesk::client
