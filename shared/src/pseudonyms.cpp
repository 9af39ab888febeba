#include "imrdesk/shared/pseudonyms.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace imrdesk::domain {
namespace {

constexpr std::string_view kRightQuote = "\xE2\x80\x99";  // ’
constexpr std::string_view kLeftQuote = "\xE2\x80\x98";   // ‘

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Bytes of UTF-8 letters count as word characters, so "Gŵyn" is one word; typographic quotes do not.
bool word_byte(std::string_view text, std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) return std::isalnum(c) != 0;
    for (const auto quote : {kRightQuote, kLeftQuote}) {
        // i may be any byte of the quote's three
        for (std::size_t k = 0; k < quote.size(); ++k)
            if (i >= k && text.substr(i - k, quote.size()) == quote) return false;
    }
    return true;
}

bool space_byte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::vector<std::string> split_words(std::string_view name) {
    std::vector<std::string> words;
    std::string word;
    for (const char c : name) {
        if (space_byte(c)) {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
        } else {
            word += lower(c);
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower_ascii(char c) { return c >= 'a' && c <= 'z'; }

struct Word {
    std::size_t begin, end;
};

std::vector<Word> words_of(std::string_view text) {
    std::vector<Word> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && !word_byte(text, i)) ++i;
        const std::size_t begin = i;
        while (i < text.size() && (word_byte(text, i) || (text[i] == '-' && i + 1 < text.size() && word_byte(text, i + 1) && i > begin)))
            ++i;
        if (i > begin) words.push_back({begin, i});
    }
    return words;
}

bool is_title(std::string_view word) {
    static const std::set<std::string, std::less<>> kTitles = {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lady", "lord", "rev", "revd",
        "pc", "dc", "ds", "di", "dci", "sgt", "insp", "cllr", "nurse", "sister", "father", "judge"};
    std::string key;
    for (const char c : word) key += lower(c);
    return kTitles.count(key) != 0;
}

// Capitalised as a name is: an upper-case first letter, then at least one lower-case letter.
bool capitalised(std::string_view word) {
    return word.size() >= 2 && is_upper(word[0]) &&
           std::any_of(word.begin() + 1, word.end(), [](char c) { return is_lower_ascii(c); }) &&
           std::none_of(word.begin() + 1, word.end(), [](char c) { return is_upper(c); });
}

// A word starts a sentence when only spaces and opening marks stand between it and the start of
// the text, a line break, or a full stop, question or exclamation mark, or colon.
bool starts_sentence(std::string_view text, std::size_t at) {
    std::size_t i = at;
    while (i > 0) {
        const char c = text[i - 1];
        if (c == '\n' || c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '-' || c == '*') return true;
        if (c == ' ' || c == '\t' || c == '\r' || c == '"' || c == '(' || c == '\'' || static_cast<unsigned char>(c) >= 0x80) {
            --i;
            continue;
        }
        return false;
    }
    return true;
}

}  // namespace

Pseudonymiser::Pseudonymiser(const std::vector<NameEntry>& names) : names_(names) {
    for (const auto& n : names_) words_.push_back(split_words(n.real_name));
    order_.resize(names_.size());
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
        if (words_[a].size() != words_[b].size()) return words_[a].size() > words_[b].size();
        return names_[a].real_name.size() > names_[b].real_name.size();
    });
}

std::vector<Pseudonymiser::Match> Pseudonymiser::matches(std::string_view text) const {
    std::vector<Match> out;
    if (names_.empty()) return out;
    std::size_t i = 0;
    while (i < text.size()) {
        const bool at_word_start = word_byte(text, i) && (i == 0 || !word_byte(text, i - 1));
        if (!at_word_start) {
            ++i;
            continue;
        }
        bool matched = false;
        for (const std::size_t n : order_) {
            const auto& words = words_[n];
            if (words.empty()) continue;
            std::size_t p = i;
            bool ok = true;
            for (std::size_t w = 0; w < words.size() && ok; ++w) {
                if (w > 0) {
                    const std::size_t gap = p;
                    while (p < text.size() && space_byte(text[p])) ++p;
                    if (p == gap) ok = false;
                }
                const auto& word = words[w];
                if (!ok || p + word.size() > text.size()) {
                    ok = false;
                    break;
                }
                for (std::size_t k = 0; k < word.size(); ++k)
                    if (lower(text[p + k]) != word[k]) {
                        ok = false;
                        break;
                    }
                p += word.size();
            }
            if (!ok || (p < text.size() && word_byte(text, p))) continue;
            out.push_back({i, p - i, n});
            i = p;
            matched = true;
            break;
        }
        if (!matched) {
            while (i < text.size() && word_byte(text, i)) ++i;  // the rest of this word
        }
    }
    return out;
}

std::string Pseudonymiser::apply(std::string_view text) const {
    const auto found = matches(text);
    if (found.empty()) return std::string(text);
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    for (const auto& m : found) {
        out.append(text.substr(at, m.offset - at));
        out.append(names_[m.name].pseudonym);
        at = m.offset + m.length;
    }
    out.append(text.substr(at));
    return out;
}

std::vector<NameCandidate> find_name_candidates(std::string_view text, const std::function<bool(std::string_view)>& known_word,
                                                const Pseudonymiser& registered) {
    std::vector<NameCandidate> out;
    // What is registered, or a pseudonym, is not a candidate.
    std::vector<std::pair<std::size_t, std::size_t>> covered;
    for (const auto& m : registered.matches(text)) covered.emplace_back(m.offset, m.offset + m.length);
    std::set<std::string> pseudonym_words;
    for (const auto& n : registered.names())
        for (auto& w : split_words(n.pseudonym)) pseudonym_words.insert(w);
    auto is_covered = [&](std::size_t begin, std::size_t end) {
        return std::any_of(covered.begin(), covered.end(), [&](const auto& c) { return begin < c.second && end > c.first; });
    };
    auto lowered = [](std::string_view w) {
        std::string s(w);
        for (char& c : s) c = lower(c);
        return s;
    };

    const auto words = words_of(text);
    for (std::size_t k = 0; k < words.size(); ++k) {
        const auto word = text.substr(words[k].begin, words[k].end - words[k].begin);
        if (is_covered(words[k].begin, words[k].end)) continue;
        // A title and the capitalised words after it: "Mr Quillfeather", "Dr Anna Okafor".
        if (is_title(word) && k + 1 < words.size()) {
            std::size_t last = k;
            while (last + 1 < words.size() && last < k + 3) {
                const auto next = text.substr(words[last + 1].begin, words[last + 1].end - words[last + 1].begin);
                const auto between = text.substr(words[last].end, words[last + 1].begin - words[last].end);
                const bool close = between.size() <= 2 && std::all_of(between.begin(), between.end(), [](char c) { return c == ' ' || c == '.'; });
                if (!close || !(capitalised(next) || (next.size() >= 2 && is_upper(next[0]))) || pseudonym_words.count(lowered(next)) != 0) break;
                ++last;
            }
            if (last > k && !is_covered(words[k].begin, words[last].end)) {
                const std::size_t begin = words[k].begin, end = words[last].end;
                out.push_back({begin, end - begin, std::string(text.substr(begin, end - begin)), "a title followed by a name"});
                k = last;
                continue;
            }
        }
        if (!capitalised(word) || starts_sentence(text, words[k].begin) || pseudonym_words.count(lowered(word)) != 0) continue;
        if (known_word && (known_word(word) || known_word(lowered(word)))) continue;
        // Unknown capitalised words side by side are one name: "Anna Okafor-Reyes".
        std::size_t last = k;
        while (last + 1 < words.size()) {
            const auto next = text.substr(words[last + 1].begin, words[last + 1].end - words[last + 1].begin);
            const auto between = text.substr(words[last].end, words[last + 1].begin - words[last].end);
            if (between != " " || !capitalised(next) || is_covered(words[last + 1].begin, words[last + 1].end)) break;
            ++last;
        }
        const std::size_t begin = words[k].begin, end = words[last].end;
        out.push_back({begin, end - begin, std::string(text.substr(begin, end - begin)),
                       "a capitalised word the dictionary does not know"});
        k = last;
    }
    return out;
}

}  // namespace imrdesk::domain
