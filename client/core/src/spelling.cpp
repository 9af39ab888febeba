#include "imrdesk/client/spelling.hpp"

#include <algorithm>

#include <hunspell.hxx>

#include "imrdesk/client/quality.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::client {
namespace {

constexpr char32_t kRightQuote = 0x2019;  // ’, the typographic apostrophe

struct CodePoint {
    char32_t value = 0;
    std::size_t length = 1;
};

// Decodes one UTF-8 sequence; an ill-formed byte reads as U+FFFD of length 1 (a separator).
CodePoint decode(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b = byte(i);
    if (b < 0x80) return {b, 1};
    std::size_t length = 0;
    char32_t value = 0;
    if ((b & 0xE0) == 0xC0) {
        length = 2;
        value = b & 0x1Fu;
    } else if ((b & 0xF0) == 0xE0) {
        length = 3;
        value = b & 0x0Fu;
    } else if ((b & 0xF8) == 0xF0) {
        length = 4;
        value = b & 0x07u;
    } else {
        return {0xFFFD, 1};
    }
    if (i + length > text.size()) return {0xFFFD, 1};
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return {0xFFFD, 1};
        value = (value << 6) | (byte(i + k) & 0x3Fu);
    }
    return {value, length};
}

bool is_ascii_upper(char32_t c) { return c >= 'A' && c <= 'Z'; }
bool is_ascii_lower(char32_t c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

bool is_letter(char32_t c) {
    if (is_ascii_upper(c) || is_ascii_lower(c)) return true;
    if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;  // Latin accented letters, not × ÷
    return c >= 0x370 && c <= 0x1FFF;                             // Greek, Cyrillic and other alphabets
}

bool is_joiner(char32_t c) { return c == '\'' || c == kRightQuote || c == '-'; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
}

// A web or email address, as one run of text between spaces.
bool is_address(std::string_view chunk) {
    while (!chunk.empty() && (chunk.front() == '(' || chunk.front() == '<' || chunk.front() == '"' || chunk.front() == '\''))
        chunk.remove_prefix(1);
    return chunk.find("://") != std::string_view::npos || starts_with_ci(chunk, "www.") || chunk.find('@') != std::string_view::npos;
}

// "DNA", "GPs", "GP's", "A&E" (its parts), "Adult A's": no lower case apart from a plural or
// possessive ending.
bool is_capitals(std::string_view word) {
    std::string_view base = word;
    if (base.size() > 2 && base.substr(base.size() - 2) == "'s") base.remove_suffix(2);
    else if (base.size() > 4 && base.substr(base.size() - 4) == "\xE2\x80\x99s") base.remove_suffix(4);
    else if (base.size() > 1 && base.back() == 's' && is_ascii_upper(static_cast<unsigned char>(base[base.size() - 2])))
        base.remove_suffix(1);
    bool upper = false;
    for (std::size_t i = 0; i < base.size();) {
        const auto c = decode(base, i);
        if (is_ascii_lower(c.value) || (c.value >= 0xDF && c.value <= 0xFF && c.value != 0xF7)) return false;
        upper = upper || is_ascii_upper(c.value);
        i += c.length;
    }
    return upper;
}

bool worth_checking(std::string_view word) {
    int letters = 0;
    for (std::size_t i = 0; i < word.size();) {
        const auto c = decode(word, i);
        if (is_digit(c.value)) return false;
        if (is_letter(c.value)) ++letters;
        i += c.length;
    }
    if (letters < 2 || is_capitals(word)) return false;
    return !expansion_of(word).has_value();  // "DoLS", "ToR"
}

// Finds the words of one run of text between spaces.
void words_in_chunk(std::string_view text, std::size_t begin, std::size_t end, std::vector<WordSpan>& out) {
    std::size_t i = begin;
    while (i < end) {
        const auto c = decode(text, i);
        if (!is_letter(c.value) && !is_digit(c.value)) {
            i += c.length;
            continue;
        }
        const std::size_t start = i;
        std::size_t stop = i;
        while (stop < end) {
            const auto d = decode(text, stop);
            if (is_letter(d.value) || is_digit(d.value)) {
                stop += d.length;
                continue;
            }
            // An apostrophe or hyphen belongs to the word only between two of its characters.
            if (is_joiner(d.value) && stop + d.length < end) {
                const auto next = decode(text, stop + d.length);
                if (is_letter(next.value) || is_digit(next.value)) {
                    stop += d.length;
                    continue;
                }
            }
            break;
        }
        if (worth_checking(text.substr(start, stop - start))) out.push_back({start, stop - start});
        i = stop;
    }
}

// Words of safeguarding practice the en_GB dictionary does not know.
constexpr std::string_view kPracticeWords[] = {
    "wellbeing", "comorbidity", "comorbidities", "capacitous", "neurodivergent", "neurodiversity", "interagency",
};

// Our own copies of words the author wrote are wiped after use.
struct ScratchWord {
    std::string text;
    explicit ScratchWord(std::string_view word) : text(word) {}
    ~ScratchWord() { crypto::wipe(text); }
    ScratchWord(const ScratchWord&) = delete;
    ScratchWord& operator=(const ScratchWord&) = delete;
};

}  // namespace

std::vector<WordSpan> words_to_check(std::string_view text) {
    std::vector<WordSpan> out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (is_space(text[i])) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && !is_space(text[end])) ++end;
        if (!is_address(text.substr(i, end - i))) words_in_chunk(text, i, end, out);
        i = end;
    }
    return out;
}

// ---- personal dictionary ------------------------------------------------------------------------

PersonalDictionary::PersonalDictionary(std::vector<std::string> words) {
    for (auto& word : words) {
        add(word);
        crypto::wipe(word);
    }
}

PersonalDictionary::~PersonalDictionary() { wipe(); }

PersonalDictionary::PersonalDictionary(PersonalDictionary&& other) noexcept : words_(std::move(other.words_)) {
    other.words_.clear();
}

PersonalDictionary& PersonalDictionary::operator=(PersonalDictionary&& other) noexcept {
    if (this != &other) {
        wipe();
        words_ = std::move(other.words_);
        other.words_.clear();
    }
    return *this;
}

bool PersonalDictionary::contains(std::string_view word) const {
    if (std::binary_search(words_.begin(), words_.end(), word, std::less<>())) return true;
    if (word.empty() || !is_ascii_upper(static_cast<unsigned char>(word.front()))) return false;
    ScratchWord lower(word);
    lower.text.front() = static_cast<char>(lower.text.front() - 'A' + 'a');
    return std::binary_search(words_.begin(), words_.end(), lower.text);
}

bool PersonalDictionary::add(std::string_view word) {
    if (word.empty() || std::any_of(word.begin(), word.end(), is_space)) return false;
    const auto at = std::lower_bound(words_.begin(), words_.end(), word, std::less<>());
    if (at != words_.end() && *at == word) return false;
    words_.insert(at, std::string(word));
    return true;
}

bool PersonalDictionary::remove(std::string_view word) {
    const auto at = std::lower_bound(words_.begin(), words_.end(), word, std::less<>());
    if (at == words_.end() || *at != word) return false;
    crypto::wipe(*at);
    words_.erase(at);
    return true;
}

std::string PersonalDictionary::to_bytes() const {
    std::string out;
    for (const auto& word : words_) {
        out += word;
        out += '\n';
    }
    return out;
}

PersonalDictionary PersonalDictionary::from_bytes(std::string_view bytes) {
    PersonalDictionary dictionary;
    std::size_t start = 0;
    while (start < bytes.size()) {
        auto end = bytes.find('\n', start);
        if (end == std::string_view::npos) end = bytes.size();
        std::string_view line = bytes.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        dictionary.add(line);
        start = end + 1;
    }
    return dictionary;
}

void PersonalDictionary::wipe() noexcept {
    for (auto& word : words_) crypto::wipe(word);
    words_.clear();
}

// ---- spell checker ------------------------------------------------------------------------------

SpellChecker::SpellChecker() : SpellChecker(kAffixFile, kDictionaryFile) {}

SpellChecker::SpellChecker(const std::filesystem::path& affix_file, const std::filesystem::path& dictionary_file) {
    for (const auto& file : {affix_file, dictionary_file}) {
        std::error_code error;
        if (!std::filesystem::is_regular_file(file, error))
            throw SpellingUnavailable("the British English dictionary is not installed (" + file.string() +
                                      " is missing; Debian package hunspell-en-gb)");
    }
    hunspell_ = std::make_unique<Hunspell>(affix_file.c_str(), dictionary_file.c_str());
    for (const auto word : kPracticeWords) hunspell_->add(std::string(word));
}

SpellChecker::~SpellChecker() = default;

bool SpellChecker::known(std::string_view word) {
    ScratchWord copy(word);
    return hunspell_->spell(copy.text);
}

std::vector<std::string> SpellChecker::suggest(std::string_view word, std::size_t max) {
    ScratchWord copy(word);
    auto suggestions = hunspell_->suggest(copy.text);
    if (suggestions.size() > max) suggestions.resize(max);
    return suggestions;
}

std::vector<Misspelling> SpellChecker::check(std::string_view text, const PersonalDictionary& personal) {
    std::vector<Misspelling> out;
    for (const auto& span : words_to_check(text)) {
        const std::string_view word = text.substr(span.offset, span.length);
        if (personal.contains(word) || known(word)) continue;
        // "etc.", "approx.": the dictionary holds them with their full stop.
        const std::size_t after = span.offset + span.length;
        if (after < text.size() && text[after] == '.') {
            ScratchWord dotted(text.substr(span.offset, span.length + 1));
            if (hunspell_->spell(dotted.text)) continue;
        }
        out.push_back({span.offset, span.length, std::string(word)});
    }
    return out;
}

std::size_t replace_word(std::string& text, std::string_view word, std::string_view replacement, bool all) {
    std::vector<WordSpan> matches;
    for (const auto& span : words_to_check(text))
        if (std::string_view(text).substr(span.offset, span.length) == word) {
            matches.push_back(span);
            if (!all) break;
        }
    if (matches.empty()) return 0;
    std::string out;
    out.reserve(text.size() + matches.size() * replacement.size());
    std::size_t copied = 0;
    for (const auto& span : matches) {
        out.append(text, copied, span.offset - copied);
        out.append(replacement);
        copied = span.offset + span.length;
    }
    out.append(text, copied, std::string::npos);
    crypto::wipe(text);
    text = std::move(out);
    return matches.size();
}

}  // namespace imrdesk::client
