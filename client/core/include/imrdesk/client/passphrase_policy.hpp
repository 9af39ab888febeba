#pragma once
// What a new passphrase must be: at least 12 characters, or at least three words. The meter is a
// rough guide for people; the Argon2id cost is what protects a stolen vault.
#include <string>
#include <string_view>

namespace imrdesk::client {

struct PassphraseStrength {
    int score = 0;          // 0 (unusable) .. 4 (strong)
    bool acceptable = false;
    std::string advice;     // what to do, or why it is good
};

[[nodiscard]] PassphraseStrength assess_passphrase(std::string_view passphrase);

}  // namespace imrdesk::client
