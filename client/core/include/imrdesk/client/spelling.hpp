#pragma once
// Spelling help in British English: hunspell with the en_GB dictionary, the author's personal
// dictionary, and the words of a text worth checking (not abbreviations, numbers, words with
// digits, web or email addresses). No ImGui; the quality view uses it.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

class Hunspell;

namespace imrdesk::client {

// The dictionary files are missing or unreadable; the message says which and what to install.
class SpellingUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A word in a text: byte offset and length (UTF-8).
struct WordSpan {
    std::size_t offset = 0;
    std::size_t length = 0;
    friend bool operator==(const WordSpan&, const WordSpan&) = default;
};

// The words of a text a spelling checker should look at, in order. Words are letters with inner
// apostrophes (' or ’) and hyphens. Left out: tokens without lower case ("DNA", "GPs", "A&E",
// "Adult A's"), abbreviations of the built-in list ("DoLS"), numbers and words with digits
// ("S42", "10am"), single letters, web addresses and email addresses.
[[nodiscard]] std::vector<WordSpan> words_to_check(std::string_view text);

// The author's own words: names of services, places, record systems ... They can be names of real
// people, so they live in memory and in the vault only (Vault::store_private under
// kPersonalDictionaryName, as to_bytes()), never in a plain file. Wiped when destroyed.
class PersonalDictionary {
public:
    PersonalDictionary() = default;
    explicit PersonalDictionary(std::vector<std::string> words);
    ~PersonalDictionary();
    PersonalDictionary(const PersonalDictionary&) = delete;
    PersonalDictionary& operator=(const PersonalDictionary&) = delete;
    PersonalDictionary(PersonalDictionary&& other) noexcept;
    PersonalDictionary& operator=(PersonalDictionary&& other) noexcept;

    // True for the word as added, and for it with a capital first letter (start of a sentence).
    [[nodiscard]] bool contains(std::string_view word) const;
    // False when the word is empty, holds white space, or is already there.
    bool add(std::string_view word);
    bool remove(std::string_view word);
    // Sorted, no duplicates.
    [[nodiscard]] const std::vector<std::string>& words() const noexcept { return words_; }
    [[nodiscard]] bool empty() const noexcept { return words_.empty(); }

    // One word per line, for the vault; from_bytes ignores empty lines and duplicates.
    [[nodiscard]] std::string to_bytes() const;
    [[nodiscard]] static PersonalDictionary from_bytes(std::string_view bytes);

    void wipe() noexcept;

private:
    std::vector<std::string> words_;
};

// The name of the personal dictionary among the vault's private data.
inline constexpr std::string_view kPersonalDictionaryName = "spelling.personal";

struct Misspelling {
    std::size_t offset = 0;  // bytes into the text
    std::size_t length = 0;
    std::string word;
};

class SpellChecker {
public:
    static constexpr const char* kAffixFile = "/usr/share/hunspell/en_GB.aff";
    static constexpr const char* kDictionaryFile = "/usr/share/hunspell/en_GB.dic";

    // Loads the dictionary (about 40 ms) with a few words of safeguarding practice it lacks
    // ("wellbeing", "comorbidity", "capacitous"). Throws SpellingUnavailable when a file is missing.
    SpellChecker();
    SpellChecker(const std::filesystem::path& affix_file, const std::filesystem::path& dictionary_file);
    ~SpellChecker();
    SpellChecker(const SpellChecker&) = delete;
    SpellChecker& operator=(const SpellChecker&) = delete;

    // Whether the dictionary knows the word ("colour", "Colour"; "etc." with its full stop).
    [[nodiscard]] bool known(std::string_view word);
    // Dictionary words close to `word`, best first. Tens of milliseconds: ask for one word at a
    // time, when the author looks at it.
    [[nodiscard]] std::vector<std::string> suggest(std::string_view word, std::size_t max = 6);
    // The misspelt words of a text, in order. Words in `personal` are right.
    [[nodiscard]] std::vector<Misspelling> check(std::string_view text, const PersonalDictionary& personal);

private:
    std::unique_ptr<Hunspell> hunspell_;
};

// Replaces whole-word occurrences of `word` (as words_to_check finds them) by `replacement`: the
// first only, or all. Returns how many were replaced.
std::size_t replace_word(std::string& text, std::string_view word, std::string_view replacement, bool all);

}  // namespace imrdesk::client
