#pragma once
// Find (Ctrl+F) across an IMR's sections and chronology.
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/client/quality.hpp"

namespace imrdesk::client {

struct SearchHit {
    Place place;
    std::string label;    // "Summary", "Chronology, 14 March 2024"
    std::string snippet;  // the text around the match, on one line
    std::size_t offset = 0;            // of the match in the field's text
    std::size_t snippet_offset = 0;    // of the match in the snippet, to highlight it
    std::size_t length = 0;            // of the match, in bytes
};

enum class MatchWords {
    Whole,  // "son" finds "son" and "son's", never "person" or "Sonia"
    Parts,  // anywhere, inside words too
};

// Case-insensitive (ASCII) search; at most max_hits results, sections first in template order.
[[nodiscard]] std::vector<SearchHit> search(const ImrDocument& doc, const domain::ImrTemplate& imr_template,
                                            std::string_view query, std::size_t max_hits = 200,
                                            MatchWords words = MatchWords::Whole);

}  // namespace imrdesk::client
