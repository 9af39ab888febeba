#include "imrdesk/client/passphrase_policy.hpp"

#include <cctype>
#include <set>

#include "imrdesk/shared/utf8.hpp"

namespace imrdesk::client {

PassphraseStrength assess_passphrase(std::string_view passphrase) {
    PassphraseStrength result;
    const std::size_t length = text::count_code_points(passphrase);
    int words = 0;
    bool in_word = false;
    std::size_t word_length = 0;
    bool lower = false, upper = false, digit = false, other = false;
    std::set<char> distinct;
    for (const char raw : passphrase) {
        const auto c = static_cast<unsigned char>(raw);
        distinct.insert(raw);
        if (std::islower(c)) lower = true;
        else if (std::isupper(c)) upper = true;
        else if (std::isdigit(c)) digit = true;
        else if (c != ' ') other = true;
        if (c == ' ' || c == '-' || c == '_' || c == '.') {
            if (in_word && word_length >= 3) ++words;
            in_word = false;
            word_length = 0;
        } else {
            in_word = true;
            ++word_length;
        }
    }
    if (in_word && word_length >= 3) ++words;

    if (!text::is_valid_utf8(passphrase)) {
        result.advice = "the passphrase contains bytes that are not text";
        return result;
    }
    if (length < 12 && words < 3) {
        result.score = length >= 8 ? 1 : 0;
        result.advice = "use at least 12 characters, or three or more words";
        return result;
    }
    if (distinct.size() < 5) {
        result.score = 1;
        result.advice = "too repetitive: use more different characters or words";
        return result;
    }
    const int variety = int{lower} + int{upper} + int{digit} + int{other};
    result.acceptable = true;
    if (length >= 20 || words >= 4) result.score = 4;
    else if (length >= 16 || words >= 3 || variety >= 3) result.score = 3;
    else result.score = 2;
    result.advice = result.score >= 3 ? "strong" : "acceptable: a longer phrase of several words is stronger";
    return result;
}

}  // namespace imrdesk::client
