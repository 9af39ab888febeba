// What a chronology heading means, by its words. Board templates and records systems name the same
// columns in many ways ("Date/Time", "Date (dd/mm/yyyy)", "Details of contact/event",
// "Information", "Outcome / Action Taken", "Name and role of professional"); see
// tests/shared/data/heading_sets.* for the real sets this is tested against.
//
// A heading is lower-cased, bracketed hints are dropped, and it is split into parts at '/', '&',
// ',', "and" and "or". Each part means the field of its head word: in "X of Y" (or "X for Y",
// "X to Y") the head is in X, and in a compound the head is its last word ("Agency comment").
// Generic words (information, details, contact) count only when no specific word is present.
// A heading whose parts mean different fields goes to the combination users expect.
#include <algorithm>
#include <array>
#include <cctype>

#include "imrdesk/shared/chronology_import.hpp"

namespace imrdesk::domain {
namespace {

using C = ChronologyColumn;

std::vector<std::string> words_of(std::string_view text, bool drop_brackets) {
    std::vector<std::string> words;
    std::string word;
    int depth = 0;
    auto flush = [&] {
        if (!word.empty()) words.push_back(std::move(word));
        word.clear();
    };
    for (const char raw : text) {
        const auto c = static_cast<unsigned char>(raw);
        if (drop_brackets && (c == '(' || c == '[')) {
            flush();
            ++depth;
        } else if (drop_brackets && (c == ')' || c == ']') && depth > 0) {
            --depth;
        } else if (depth > 0) {
            continue;
        } else if (c == '\'' ) {
            continue;  // practitioner's -> practitioners
        } else if (std::isalnum(c) != 0) {
            word += static_cast<char>(std::tolower(c));
        } else if (c == '/' || c == '&' || c == ',' || c == '+' || c == '\\' || c == '|' || c == ';') {
            flush();
            words.emplace_back("/");  // a part boundary
        } else {
            flush();
        }
    }
    flush();
    return words;
}

// Plural and verb forms folded to one stem, so the tables stay short.
std::string stem(std::string word) {
    static const std::array<std::pair<std::string_view, std::string_view>, 14> kIrregular{{
        {"analyses", "analysis"}, {"opportunities", "opportunity"}, {"organisations", "organisation"},
        {"organizations", "organisation"}, {"organization", "organisation"}, {"activities", "activity"},
        {"hrs", "time"}, {"hr", "time"}, {"hours", "time"}, {"hour", "time"}, {"dob", "birth"},
        {"info", "information"}, {"practitioners", "practitioner"}, {"reasons", "reason"},
    }};
    for (const auto& [from, to] : kIrregular)
        if (word == from) return std::string(to);
    if (word.size() > 3 && word.ends_with("s") && !word.ends_with("ss") && !word.ends_with("sis")) word.pop_back();
    return word;
}

enum class Weight { None, Weak, Strong };

struct Keyword {
    std::string_view word;
    C column;
    Weight weight;
};

constexpr std::array kKeywords{
    Keyword{"date", C::Date, Weight::Strong},          Keyword{"when", C::Date, Weight::Weak},
    Keyword{"period", C::Date, Weight::Weak},          Keyword{"time", C::Time, Weight::Strong},
    Keyword{"sequence", C::Sequence, Weight::Strong},  Keyword{"seq", C::Sequence, Weight::Strong},
    Keyword{"order", C::Sequence, Weight::Weak},       Keyword{"agency", C::Agency, Weight::Strong},
    Keyword{"organisation", C::Agency, Weight::Strong}, Keyword{"service", C::Agency, Weight::Weak},
    Keyword{"source", C::Source, Weight::Strong},      Keyword{"reference", C::Source, Weight::Strong},
    Keyword{"ref", C::Source, Weight::Strong},         Keyword{"record", C::Source, Weight::Weak},
    Keyword{"document", C::Source, Weight::Weak},      Keyword{"recorded", C::Source, Weight::Weak},      Keyword{"evidence", C::Source, Weight::Weak},
    Keyword{"system", C::Source, Weight::Weak},        Keyword{"event", C::Event, Weight::Strong},
    Keyword{"incident", C::Event, Weight::Strong},     Keyword{"description", C::Event, Weight::Strong},
    Keyword{"summary", C::Event, Weight::Strong},      Keyword{"narrative", C::Event, Weight::Strong},
    Keyword{"happened", C::Event, Weight::Strong},     Keyword{"occurrence", C::Event, Weight::Strong},
    Keyword{"detail", C::Event, Weight::Weak},         Keyword{"information", C::Event, Weight::Weak},
    Keyword{"contact", C::Event, Weight::Weak},        Keyword{"involvement", C::Event, Weight::Weak},
    Keyword{"entry", C::Event, Weight::Weak},          Keyword{"activity", C::Event, Weight::Weak},
    Keyword{"action", C::Action, Weight::Strong},      Keyword{"decision", C::Action, Weight::Strong},
    Keyword{"response", C::Action, Weight::Strong},    Keyword{"intervention", C::Action, Weight::Strong},
    Keyword{"plan", C::Action, Weight::Weak},          Keyword{"outcome", C::Outcome, Weight::Strong},
    Keyword{"result", C::Outcome, Weight::Strong},     Keyword{"rationale", C::Rationale, Weight::Strong},
    Keyword{"reason", C::Rationale, Weight::Strong},   Keyword{"why", C::Rationale, Weight::Weak},
    Keyword{"justification", C::Rationale, Weight::Strong}, Keyword{"role", C::Role, Weight::Strong},
    Keyword{"practitioner", C::Role, Weight::Strong},  Keyword{"professional", C::Role, Weight::Strong},
    Keyword{"staff", C::Role, Weight::Strong},         Keyword{"worker", C::Role, Weight::Strong},
    Keyword{"officer", C::Role, Weight::Strong},       Keyword{"designation", C::Role, Weight::Strong},
    Keyword{"clinician", C::Role, Weight::Strong},     Keyword{"who", C::Role, Weight::Weak},
    Keyword{"comment", C::Comment, Weight::Strong},    Keyword{"analysis", C::Comment, Weight::Strong},
    Keyword{"significance", C::Comment, Weight::Strong}, Keyword{"significant", C::Comment, Weight::Weak},
    Keyword{"relevance", C::Comment, Weight::Strong},  Keyword{"observation", C::Comment, Weight::Strong},
    Keyword{"reflection", C::Comment, Weight::Strong}, Keyword{"remark", C::Comment, Weight::Strong},
    Keyword{"note", C::Comment, Weight::Weak},         Keyword{"learning", C::Comment, Weight::Strong},
    Keyword{"issue", C::Comment, Weight::Weak},        Keyword{"impact", C::Comment, Weight::Strong},        Keyword{"flag", C::Flags, Weight::Strong},
    Keyword{"principle", C::Principles, Weight::Strong},
};

// Words after which the rest of a part qualifies its head: "Source of information".
bool is_qualifier_start(std::string_view word) {
    return word == "of" || word == "for" || word == "to" || word == "by" || word == "with" || word == "from" ||
           word == "about" || word == "on" || word == "in";
}

// A part's field, or nullopt.
std::optional<C> part_meaning(const std::vector<std::string>& part) {
    std::vector<std::string> head;
    for (const auto& w : part) {
        if (is_qualifier_start(w)) break;
        head.push_back(w);
    }
    // "Recorded by", "Completed by": who did it.
    if (!part.empty() && part.back() == "by") return C::Role;
    if (head.empty()) head = part;
    std::optional<C> strong, weak;
    for (const auto& w : head)
        for (const auto& k : kKeywords)
            if (w == k.word) (k.weight == Weight::Strong ? strong : weak) = k.column;
    if (strong) return strong;
    if (weak) return weak;
    // The head said nothing: "Name of professional" is about its qualifier.
    for (const auto& w : part)
        for (const auto& k : kKeywords)
            if (w == k.word && k.weight == Weight::Strong) return k.column;
    return std::nullopt;
}

bool has(const std::vector<std::string>& words, std::string_view w) {
    return std::find(words.begin(), words.end(), w) != words.end();
}

// What a heading that is a concept of several words means, checked before its parts.
struct Verdict {
    bool decided = false;     // false: look at the parts
    std::optional<C> column;  // decided: the field, or none ("Date of birth" is no field of ours)
};
constexpr Verdict undecided() { return {}; }
constexpr Verdict no_field() { return {true, std::nullopt}; }
constexpr Verdict field(C column) { return {true, column}; }

Verdict whole_meaning(const std::vector<std::string>& words) {
    if (has(words, "birth") || has(words, "age") || (has(words, "service") && has(words, "user")) ||
        has(words, "address") || has(words, "postcode") || has(words, "nhs") || has(words, "location") ||
        has(words, "venue") || has(words, "place"))
        return no_field();  // about the person or the place: kept as its own field
    if (has(words, "end") || has(words, "finish") || has(words, "until") ||
        (words.size() == 2 && words[0] == "date" && words[1] == "to"))
        return has(words, "date") ? field(C::EndDate) : no_field();  // "End Date"; "End Time" has no field
    if (has(words, "event") && (has(words, "ref") || has(words, "reference")) && words.size() == 2)
        return no_field();  // Chronolator's row reference, not a source
    if ((has(words, "key") && has(words, "practice")) || has(words, "kpe")) return field(C::KeyPracticeEpisode);
    if (has(words, "missed") && has(words, "opportunity")) return field(C::MissedOpportunity);
    if (has(words, "good") && has(words, "practice")) return field(C::GoodPractice);
    if ((has(words, "no") || has(words, "gap")) && (has(words, "contact") || has(words, "involvement")))
        return field(C::NoContact);
    if ((has(words, "term") && has(words, "reference")) || has(words, "tor")) return field(C::TermsOfReference);
    if (has(words, "contact") && (has(words, "type") || has(words, "method") || has(words, "nature") ||
                                  has(words, "mode") || has(words, "kind") || has(words, "form")))
        return field(C::ContactType);
    if (has(words, "type") || has(words, "category") || has(words, "method")) return field(C::ContactType);  // Note type
    // A row number ("No.", "Entry number", "#", "ID") identifies the row, it is not a field.
    if (!words.empty() && std::all_of(words.begin(), words.end(), [](const std::string& w) {
            return w == "no" || w == "number" || w == "id" || w == "entry" || w == "row" || w == "item" || w == "line";
        }))
        return no_field();
    return undecided();
}

}  // namespace

std::optional<ChronologyColumn> recognise_heading(std::string_view heading) {
    auto raw = words_of(heading, true);
    if (std::all_of(raw.begin(), raw.end(), [](const std::string& w) { return w == "/"; }))
        raw = words_of(heading, false);  // "(Date)": the whole heading is in brackets
    std::vector<std::string> words;
    for (auto& w : raw)
        if (w != "the" && w != "a" && w != "an" && w != "e" && w != "g" && w != "eg" && w != "etc" &&
            w != "if" && w != "any" && w != "known" && w != "where" && w != "please")
            words.push_back(w == "/" ? w : stem(std::move(w)));
    std::vector<std::string> plain;
    for (const auto& w : words)
        if (w != "/") plain.push_back(w);
    if (plain.empty()) return std::nullopt;
    if (const auto whole = whole_meaning(plain); whole.decided) return whole.column;

    std::vector<std::vector<std::string>> parts(1);
    for (const auto& w : words) {
        if (w == "/" || w == "and" || w == "or") {
            if (!parts.back().empty()) parts.emplace_back();
        } else {
            parts.back().push_back(w);
        }
    }
    std::vector<C> meanings;
    for (const auto& part : parts)
        if (const auto m = part.empty() ? std::nullopt : part_meaning(part))
            if (std::find(meanings.begin(), meanings.end(), *m) == meanings.end()) meanings.push_back(*m);
    if (meanings.empty()) return std::nullopt;
    auto named = [&](C c) { return std::find(meanings.begin(), meanings.end(), c) != meanings.end(); };
    if (named(C::Date) && named(C::Time)) return C::DateTime;
    if (named(C::Action) && (named(C::Outcome) || named(C::Rationale))) return C::Action;
    return meanings.front();
}

}  // namespace imrdesk::domain
