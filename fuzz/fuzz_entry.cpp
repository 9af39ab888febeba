// Feeds arbitrary bytes to the one-pass chronology entry reader (EntryDecoder) beside the full one
// (entry_from_json): whatever the one-pass reader accepts, the full reader must read the same.
// Bodies arrive from other devices through the server, so this is untrusted input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/entry_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace imrdesk::domain;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    static EntryDecoder decoder;
    const auto fast = decoder.read(text);
    std::string full;
    bool full_ok = true;
    try {
        full = to_json(entry_from_json(parse_body(text, RecordKind::ChronologyEntry))).dump();
    } catch (const CodecError&) {
        full_ok = false;
    }
    if (fast && (!full_ok || to_json(*fast).dump() != full)) {
        std::fprintf(stderr, "fuzz_entry: the one-pass reader read [%.*s] otherwise than the full reader\n",
                     static_cast<int>(size), reinterpret_cast<const char*>(data));
        std::abort();
    }
    return 0;
}
