// Feeds arbitrary bytes to the sync FrameDecoder in pseudo-random chunk sizes and decodes every
// frame as a protocol message. Input: byte 0 seeds the chunk sizes, byte 1 picks the maximum
// frame size, the rest is the stream. Checked:
//  - chunking never changes which frames come out, nor where an oversize header is reported;
//  - no frame is above the maximum;
//  - a message that decodes re-encodes to bytes that decode to the same message (and re-encode
//    to the same bytes), and survives a frame round trip;
//  - nothing throws but FrameError and DecodeError.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "imrdesk/sync/frame.hpp"
#include "imrdesk/sync/messages.hpp"

namespace {

using imrdesk::sync::Bytes;

[[noreturn]] void die(const char* why) {
    std::fprintf(stderr, "fuzz_frames: %s\n", why);
    std::abort();
}

struct Outcome {
    std::vector<Bytes> frames;
    std::optional<std::uint64_t> error_offset;
};

// Feeds the stream in chunk sizes from seed, or all at once when whole.
Outcome run(std::span<const std::uint8_t> stream, std::size_t max, std::uint32_t seed, bool whole) {
    imrdesk::sync::FrameDecoder decoder(max);
    Outcome out;
    auto drain = [&] {
        try {
            while (auto frame = decoder.next()) {
                if (frame->size() > max) die("a frame above the maximum");
                out.frames.push_back(std::move(*frame));
            }
        } catch (const imrdesk::sync::FrameError& e) {
            if (e.length() <= max) die("FrameError for a length within the maximum");
            out.error_offset = e.stream_offset();
        }
    };
    std::size_t at = 0;
    std::uint32_t state = seed;
    while (at < stream.size() && !out.error_offset) {
        state = state * 1664525u + 1013904223u;  // LCG: chunk sizes 0..63, sometimes everything
        std::size_t n = (state >> 24) % 64;
        if (whole || (state & 0xF) == 0) n = stream.size() - at;
        n = std::min(n, stream.size() - at);
        decoder.feed(stream.subspan(at, n));
        at += n;
        drain();
    }
    return out;
}

void check_message(std::span<const std::uint8_t> payload, const imrdesk::sync::Limits& limits) {
    imrdesk::sync::Message message;
    try {
        message = imrdesk::sync::decode_message(payload, limits);
    } catch (const imrdesk::sync::DecodeError& e) {
        if (e.what()[0] == '\0') die("DecodeError without a message");
        return;
    }
    const Bytes wire = imrdesk::sync::encode_message(message);
    imrdesk::sync::Message again;
    try {
        again = imrdesk::sync::decode_message(wire, limits);
    } catch (const imrdesk::sync::DecodeError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        die("could not decode what encode_message wrote");
    }
    if (!(again == message)) die("round trip changed the message");
    if (imrdesk::sync::encode_message(again) != wire) die("re-encoding is not stable");

    imrdesk::sync::FrameDecoder decoder;
    decoder.feed(imrdesk::sync::encode_frame(wire));
    const auto frame = decoder.next();
    if (!frame || *frame != wire || decoder.next()) die("frame round trip failed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint32_t seed = data[0];
    const std::size_t max = (data[1] & 1) == 0 ? imrdesk::sync::kDefaultMaxFrameBytes : std::size_t{data[1]} * 16;
    const std::span<const std::uint8_t> stream(data + 2, size - 2);

    const Outcome chunked = run(stream, max, seed, false);
    const Outcome whole = run(stream, max, 0, true);
    if (chunked.frames != whole.frames || chunked.error_offset != whole.error_offset) {
        die("chunking changed the frames");
    }

    imrdesk::sync::Limits small;
    small.max_records_per_batch = 4;
    small.max_body_bytes = 64;
    small.max_name_bytes = 16;
    small.max_text_bytes = 64;
    small.max_list_items = 4;
    small.max_depth = 4;
    small.max_values = 200;
    for (const auto& frame : chunked.frames) {
        check_message(frame, imrdesk::sync::Limits{});
        check_message(frame, small);
    }
    return 0;
}
