#include <doctest/doctest.h>

#include <random>

#include "imrdesk/client/soft_wrap.hpp"

using namespace imrdesk::client;

namespace {
// One unit per character: easy to reason about.
const MeasureText kChars = [](std::string_view s) { return static_cast<float>(s.size()); };
}  // namespace

TEST_CASE("soft wrap breaks long lines after a space and unwrap gives the text back") {
    const std::string text = "The quick brown fox jumps over the lazy dog";
    const auto wrapped = soft_wrap(text, 16, kChars);
    CHECK(wrapped == "The quick brown \nfox jumps over \nthe lazy dog");
    CHECK(soft_unwrap(wrapped) == text);
}

TEST_CASE("hard line breaks and paragraphs are kept, soft breaks never appear in the stored text") {
    const std::string text = "First paragraph that is long enough to wrap.\n\nSecond one.\nA line.";
    const auto wrapped = soft_wrap(text, 20, kChars);
    CHECK(soft_unwrap(wrapped) == text);
    CHECK(wrapped.find("\n\nSecond one.\nA line.") != std::string::npos);
}

TEST_CASE("a word longer than the width stays whole") {
    const std::string text = "see https://example.org/a/very/long/address/that/cannot/break here";
    const auto wrapped = soft_wrap(text, 10, kChars);
    CHECK(wrapped.find("https://example.org/a/very/long/address/that/cannot/break") != std::string::npos);
    CHECK(soft_unwrap(wrapped) == text);
}

TEST_CASE("canonical text has no spaces before hard breaks, so they cannot be mistaken for soft ones") {
    CHECK(canonical_text("end of line   \nnext") == "end of line\nnext");
    CHECK(soft_unwrap(soft_wrap(canonical_text("a \nb"), 100, kChars)) == "a\nb");
}

TEST_CASE("cursor positions map between the display and the stored text") {
    const std::string text = "aaaa bbbb cccc dddd";
    const auto wrapped = soft_wrap(text, 10, kChars);  // "aaaa bbbb \ncccc dddd"
    REQUIRE(wrapped == "aaaa bbbb \ncccc dddd");
    CHECK(display_to_canonical(wrapped, 11) == 10);  // start of "cccc"
    CHECK(canonical_to_display(wrapped, 10) == 11);
    CHECK(canonical_to_display(wrapped, text.size()) == wrapped.size());
    for (std::size_t i = 0; i <= text.size(); ++i) CHECK(display_to_canonical(wrapped, canonical_to_display(wrapped, i)) == i);
}

TEST_CASE("random texts round-trip through wrap and unwrap at any width") {
    std::mt19937 rng(7);
    const std::string alphabet = "abc de\nf ";
    for (int round = 0; round < 500; ++round) {
        std::string text;
        const auto length = rng() % 200;
        for (std::size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
        text = canonical_text(text);
        const float width = static_cast<float>(1 + rng() % 40);
        CAPTURE(text);
        CAPTURE(width);
        CHECK(soft_unwrap(soft_wrap(text, width, kChars)) == text);
    }
}
