// Pseudonyms: every registered name replaced, whole words, any case, possessives kept; and what
// looks like an unregistered name found.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "imrdesk/shared/pseudonyms.hpp"

using namespace imrdesk::domain;

namespace {

Pseudonymiser register_of() {
    return Pseudonymiser({{"Mr Quillfeather", "Adult B", {}},
                          {"Quillfeather", "Adult B", {}},
                          {"Dr Patel", "GP1", {}},
                          {"Priya Patel", "GP1", {}},
                          {"Gŵyn Jones", "Adult A", {}},
                          {"Ann", "Carer 1", {}}});
}

// A stand-in for the en-GB dictionary: common words, some first names and places it knows.
bool known(std::string_view word) {
    static const std::set<std::string, std::less<>> words = {
        "the", "was", "seen", "by", "at", "home", "his", "daughter", "called", "visited", "and", "said", "she",
        "worried", "ward", "monday", "march", "hospital", "john", "referral", "to", "social", "care", "adult",
        "spoke", "with", "on", "in", "a", "of", "nurse", "police"};
    std::string key(word);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return words.count(key) != 0;
}

}  // namespace

TEST_CASE("every registered name is replaced: whole words, any case, across line breaks, with possessives") {
    const auto names = register_of();
    struct Case {
        const char* text;
        const char* expected;
    };
    const Case cases[] = {
        {"Mr Quillfeather was seen by Dr Patel.", "Adult B was seen by GP1."},
        {"MR QUILLFEATHER and mr quillfeather", "Adult B and Adult B"},
        {"Quillfeather's daughter called.", "Adult B's daughter called."},
        {"Quillfeather\xE2\x80\x99s daughter called.", "Adult B\xE2\x80\x99s daughter called."},
        {"Mr\nQuillfeather", "Adult B"},
        {"Mr  Quillfeather", "Adult B"},
        {"Quillfeathers and Quillfeathering are other words", "Quillfeathers and Quillfeathering are other words"},
        {"Priya Patel, then Patel alone", "GP1, then Patel alone"},  // "Patel" alone is not registered
        {"Gŵyn Jones (Gŵyn Jones)", "Adult A (Adult A)"},
        {"Ann, Anna and Annual; Ann.", "Carer 1, Anna and Annual; Carer 1."},
        {"(Quillfeather)", "(Adult B)"},
        {"", ""},
        {"nothing to do", "nothing to do"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        CHECK(names.apply(c.text) == c.expected);
    }
    const auto found = names.matches("Mr Quillfeather met Quillfeather");
    REQUIRE(found.size() == 2);
    CHECK(found[0].offset == 0);
    CHECK(found[0].length == 15);
    CHECK(found[1].offset == 20);
    CHECK(Pseudonymiser().apply("Mr Quillfeather") == "Mr Quillfeather");
}

TEST_CASE("likely names that are not registered are found, for a table of texts") {
    const auto names = register_of();
    struct Case {
        const char* text;
        std::vector<std::string> expected;
    };
    const Case cases[] = {
        {"Mr Okonkwo visited.", {"Mr Okonkwo"}},
        {"Seen by Dr Anna Okafor at home.", {"Dr Anna Okafor"}},
        {"The daughter, Zainab, called.", {"Zainab"}},
        {"Zainab called.", {}},                                      // first word of a sentence
        {"Referral to the MASH and the GP; DASH done.", {}},          // in capitals: abbreviations
        {"Mr Quillfeather was seen by Dr Patel.", {}},                // registered
        {"Adult B was seen by GP1 on Monday in March.", {}},          // pseudonyms and known words
        {"Seen at home by John.", {}},                                // the dictionary knows it
        {"Spoke with PC Hargreaves-Lyle and Sgt Obi.", {"PC Hargreaves-Lyle", "Sgt Obi"}},
        {"She said Mrs. Delacroix was worried.", {"Mrs. Delacroix"}},
        {"visited Fenwick Ward", {"Fenwick Ward"}},  // a place, but better asked about than missed
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        std::vector<std::string> got;
        for (const auto& f : find_name_candidates(c.text, known, names)) got.push_back(f.text);
        std::string joined;
        for (const auto& g : got) joined += "[" + g + "]";
        CAPTURE(joined);
        CAPTURE(std::string(c.text));
        CHECK(got == c.expected);
    }
    const auto why = find_name_candidates("Mr Okonkwo and then Zainab", known, names);
    REQUIRE(why.size() == 2);
    CHECK(why[0].why == "a title followed by a name");
    CHECK(why[1].why == "a capitalised word the dictionary does not know");
    CHECK(why[1].offset == 20);
}
