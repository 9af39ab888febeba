#pragma once
// Chronology entry bodies read in one pass (simdjson), for opening a vault and refreshing a large
// IMR, where decoding 10,000 entries is most of the time: the body in the form imrdesk writes it
// (every field of its type and in range, no other field, none twice) becomes the entry directly.
// Anything else (a field of a newer version, a value of another type, malformed JSON) is left to
// entry_from_json, which keeps unknown fields and says what is wrong: both give the same entry.
#include <memory>
#include <optional>
#include <string_view>

#include "imrdesk/shared/model.hpp"

namespace imrdesk::domain {

class EntryDecoder {
public:
    EntryDecoder();
    ~EntryDecoder();  // wipes the copy of the last body it read
    EntryDecoder(const EntryDecoder&) = delete;
    EntryDecoder& operator=(const EntryDecoder&) = delete;

    // The entry, or nullopt when the body is not exactly in the form imrdesk writes.
    [[nodiscard]] std::optional<ChronologyEntry> read(std::string_view body);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The fast path, and entry_from_json(parse_body(...)) when it declines. Throws CodecError.
[[nodiscard]] ChronologyEntry entry_from_text(std::string_view body, EntryDecoder& decoder);

}  // namespace imrdesk::domain
