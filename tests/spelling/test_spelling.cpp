// Spelling: which words are checked, the en_GB dictionary, the personal dictionary (kept only in
// the vault) and replacing words.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/client/spelling.hpp"
#include "imrdesk/client/vault.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "temp_dir.hpp"

using namespace imrdesk;
using client::PersonalDictionary;
using client::SpellChecker;
using client::words_to_check;

namespace {

std::vector<std::string> checked(std::string_view text) {
    std::vector<std::string> out;
    for (const auto& span : words_to_check(text)) out.emplace_back(text.substr(span.offset, span.length));
    return out;
}

std::vector<std::string> misspelt(SpellChecker& checker, std::string_view text, const PersonalDictionary& personal = {}) {
    std::vector<std::string> out;
    for (const auto& m : checker.check(text, personal)) {
        CHECK(text.substr(m.offset, m.length) == m.word);
        out.push_back(m.word);
    }
    return out;
}

using Words = std::vector<std::string>;

}  // namespace

TEST_CASE("words_to_check: ordinary words, with inner apostrophes and hyphens") {
    CHECK(checked("The son's self-neglect wasn't recorded.") == Words{"The", "son's", "self-neglect", "wasn't", "recorded"});
    CHECK(checked("didn\xE2\x80\x99t") == Words{"didn\xE2\x80\x99t"});
    // Quotes and dashes around a word are not part of it.
    CHECK(checked("'a bottle' - \"most days\"") == Words{"bottle", "most", "days"});
    CHECK(checked("\xE2\x80\x9Cmanaging\xE2\x80\x9D \xE2\x80\x93 he said") == Words{"managing", "he", "said"});
    CHECK(checked("-leading trailing-") == Words{"leading", "trailing"});
}

TEST_CASE("words_to_check: offsets are bytes into UTF-8 text") {
    const std::string text = "Caf\xC3\xA9 na\xC3\xAFve \xE2\x80\x9Cword\xE2\x80\x9D";
    const auto spans = words_to_check(text);
    REQUIRE(spans.size() == 3);
    CHECK(spans[0] == client::WordSpan{0, 5});
    CHECK(spans[1] == client::WordSpan{6, 6});
    CHECK(text.substr(spans[2].offset, spans[2].length) == "word");
}

TEST_CASE("words_to_check: leaves out abbreviations, numbers, words with digits and addresses") {
    CHECK(checked("DNA NFA CMHT GPs GP's A&E AMHP").empty());
    CHECK(checked("Adult A's son") == Words{"Adult", "son"});  // "A's" is a pseudonym, not a word
    CHECK(checked("DoLS ToR").empty());           // mixed-case abbreviations of the built-in list
    CHECK(checked("12 3.5 S42 10am 2nd 2024-01-08").empty());
    CHECK(checked("see https://example.org/a-page and www.example.org today") == Words{"see", "and", "today"});
    CHECK(checked("email duty.team@example.gov.uk now") == Words{"email", "now"});
    CHECK(checked("a I x e.g.").empty());  // single letters
    CHECK(checked("").empty());
    CHECK(checked("   \n\t ").empty());
}

TEST_CASE("words_to_check: ill-formed UTF-8 separates words and never reads past the end") {
    CHECK(checked("bad\xFFword") == Words{"bad", "word"});
    CHECK(checked("end\xC3") == Words{"end"});
    CHECK(checked("\xE2\x80") .empty());
}

TEST_CASE("a missing dictionary is reported, not fatal") {
    CHECK_THROWS_AS(SpellChecker("/nonexistent/en_GB.aff", "/nonexistent/en_GB.dic"), client::SpellingUnavailable);
    try {
        SpellChecker checker("/nonexistent/en_GB.aff", "/nonexistent/en_GB.dic");
    } catch (const client::SpellingUnavailable& e) {
        CHECK(std::string(e.what()).find("/nonexistent/en_GB.aff") != std::string::npos);
    }
}

TEST_CASE("British English: known words, suggestions") {
    if (!std::filesystem::exists(SpellChecker::kDictionaryFile)) {
        MESSAGE("hunspell-en-gb is not installed: skipped");
        return;
    }
    SpellChecker checker;
    CHECK(checker.known("colour"));
    CHECK(checker.known("Colour"));  // start of a sentence
    CHECK(checker.known("safeguarding"));
    CHECK(checker.known("organisation"));
    CHECK(checker.known("wellbeing"));  // words of practice the dictionary lacks
    CHECK(checker.known("Wellbeing"));
    CHECK(checker.known("capacitous"));
    CHECK_FALSE(checker.known("color"));
    CHECK_FALSE(checker.known("recieve"));
    const auto suggestions = checker.suggest("recieve");
    REQUIRE_FALSE(suggestions.empty());
    CHECK(suggestions.front() == "receive");
    CHECK(checker.suggest("recieve", 1).size() == 1);
}

TEST_CASE("check: misspelt words with their places, abbreviations and personal words are not") {
    if (!std::filesystem::exists(SpellChecker::kDictionaryFile)) return;
    SpellChecker checker;
    const std::string text = "Adult A did not recieve the letter (DNA). The ambulence crew called the GP, etc. Noted on SystmOne.";
    CHECK(misspelt(checker, text) == Words{"recieve", "ambulence", "SystmOne"});
    const auto found = checker.check(text, {});
    REQUIRE(found.size() == 3);
    CHECK(found[0].offset == text.find("recieve"));
    CHECK(found[0].length == 7);

    PersonalDictionary personal({"SystmOne"});
    CHECK(misspelt(checker, text, personal) == Words{"recieve", "ambulence"});
    CHECK(misspelt(checker, "The colour of the organisation's hospitalised co-ordination.").empty());
    CHECK(misspelt(checker, "Ask the practice about it etc").empty() == false);  // "etc" needs its full stop
}

TEST_CASE("personal dictionary: sorted, no duplicates, capitalised at the start of a sentence") {
    PersonalDictionary d({"Theseus", "SystmOne", "Theseus", "lorenzo", ""});
    CHECK(d.words() == Words{"SystmOne", "Theseus", "lorenzo"});
    CHECK(d.contains("Theseus"));
    CHECK(d.contains("lorenzo"));
    CHECK(d.contains("Lorenzo"));       // at the start of a sentence
    CHECK_FALSE(d.contains("theseus"));  // a name added with a capital stays a name
    CHECK_FALSE(d.add("Theseus"));
    CHECK_FALSE(d.add("two words"));
    CHECK_FALSE(d.add("line\nbreak"));
    CHECK(d.add("Rio"));
    CHECK(d.remove("Rio"));
    CHECK_FALSE(d.remove("Rio"));
    CHECK(d.words().size() == 3);

    const auto bytes = d.to_bytes();
    CHECK(bytes == "SystmOne\nTheseus\nlorenzo\n");
    const auto back = PersonalDictionary::from_bytes(bytes);
    CHECK(back.words() == d.words());
    CHECK(PersonalDictionary::from_bytes("b\r\n\na\nb").words() == Words{"a", "b"});

    PersonalDictionary moved = PersonalDictionary::from_bytes(bytes);
    PersonalDictionary target;
    target = std::move(moved);
    CHECK(target.words().size() == 3);
    target.wipe();
    CHECK(target.empty());
}

TEST_CASE("personal dictionary: kept sealed in the vault, never in plain text on disk") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    const std::string name = "Zebedee-Quintrell";  // a made-up surname, as an author might add
    {
        client::CreateOptions options;
        options.kdf = crypto::kdf::insecure_fast_for_tests();
        auto created = client::Vault::create(file, "spelling passphrase", options);
        PersonalDictionary d({name, "Theseus"});
        created.vault->store_private(client::kPersonalDictionaryName, d.to_bytes());
    }
    auto vault = client::Vault::open(file, "spelling passphrase");
    const auto back = PersonalDictionary::from_bytes(vault->load_private(client::kPersonalDictionaryName));
    CHECK(back.words() == Words{"Theseus", name});
    vault.reset();
    for (const auto& entry : std::filesystem::directory_iterator(tmp.path()))
        CHECK_MESSAGE(test::read_file(entry.path()).find(name) == std::string::npos, entry.path().string());
}

TEST_CASE("replace_word: the first or every whole-word occurrence") {
    std::string text = "He did not recieve it. Recieve, recieved, recieve.";
    CHECK(client::replace_word(text, "recieve", "receive", false) == 1);
    CHECK(text == "He did not receive it. Recieve, recieved, recieve.");
    CHECK(client::replace_word(text, "recieve", "receive", true) == 1);
    CHECK(text == "He did not receive it. Recieve, recieved, receive.");
    CHECK(client::replace_word(text, "Recieve", "Receive", true) == 1);
    CHECK(client::replace_word(text, "absent", "present", true) == 0);
    CHECK(text == "He did not receive it. Receive, recieved, receive.");

    std::string utf8 = "\xE2\x80\x9Cteh\xE2\x80\x9D and teh";
    CHECK(client::replace_word(utf8, "teh", "the", true) == 2);
    CHECK(utf8 == "\xE2\x80\x9Cthe\xE2\x80\x9D and the");
}
