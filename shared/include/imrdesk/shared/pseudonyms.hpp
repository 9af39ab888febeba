#pragma once
// Pseudonyms before anything leaves: published reviews say "Adult A" and "GP1", and a real name
// left in a document is a data breach. The Pseudonymiser replaces every registered real name in a
// text; find_name_candidates() finds what looks like a name that is not registered. Pure.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/shared/model.hpp"

namespace imrdesk::domain {

class Pseudonymiser {
public:
    Pseudonymiser() = default;
    explicit Pseudonymiser(const std::vector<NameEntry>& names);

    struct Match {
        std::size_t offset = 0;
        std::size_t length = 0;
        std::size_t name = 0;  // index into the names given
    };
    // Every registered name in the text: whole words only (a name inside a longer word is not
    // one), case-insensitive (ASCII letters), any run of spaces or line breaks between its words,
    // the longest name first where two overlap ("Mr Quillfeather" before "Quillfeather"). A
    // possessive ("Quillfeather's", "Quillfeather’s") is the name followed by its 's.
    [[nodiscard]] std::vector<Match> matches(std::string_view text) const;
    // The text with each match replaced by its pseudonym (so "Quillfeather's" -> "Adult B's").
    [[nodiscard]] std::string apply(std::string_view text) const;
    [[nodiscard]] bool empty() const noexcept { return names_.empty(); }
    [[nodiscard]] const std::vector<NameEntry>& names() const noexcept { return names_; }

private:
    std::vector<NameEntry> names_;
    std::vector<std::vector<std::string>> words_;  // each name's words, lower case
    std::vector<std::size_t> order_;               // longest names first
};

// Something in a text that looks like a person's name and is not registered.
struct NameCandidate {
    std::size_t offset = 0;
    std::size_t length = 0;
    std::string text;  // "Mr Quillfeather", "Okonkwo"
    std::string why;   // "a title followed by a name", "a capitalised word the dictionary does not know"
};

// Likely names: a title (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, PC, DS, Sgt, Cllr ...) followed by a
// capitalised word; and a capitalised word inside a sentence (not its first word, not in capitals
// like GP or DASH) that `known_word` does not know (the caller passes the en-GB dictionary).
// Words inside a registered name or a pseudonym are not candidates.
[[nodiscard]] std::vector<NameCandidate> find_name_candidates(std::string_view text,
                                                              const std::function<bool(std::string_view)>& known_word,
                                                              const Pseudonymiser& registered);

}  // namespace imrdesk::domain
