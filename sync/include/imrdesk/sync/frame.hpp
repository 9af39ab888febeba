#pragma once
// Length-prefixed frames: a 4-byte big-endian payload length, then the payload (one encoded
// message). No I/O: the connection feeds FrameDecoder whatever bytes a read returned, in chunks
// of any size, and takes complete frames out.
//
// The declared length is checked against the decoder's maximum as soon as the 4 header bytes are
// in, before anything is allocated for the payload; the payload buffer then grows with the bytes
// that actually arrive (never beyond the declared length), so a peer that announces 16 MiB and
// sends 5 bytes costs 5 bytes, not 16 MiB.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace imrdesk::sync {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::size_t kFrameHeaderBytes = 4;
inline constexpr std::size_t kDefaultMaxFrameBytes = std::size_t{16} * 1024 * 1024;  // 16 MiB payload

class FrameError : public std::runtime_error {
public:
    enum class Code : std::uint8_t {
        Oversize,  // the declared (or given) payload length is above the maximum
    };
    FrameError(Code code, std::uint64_t length, std::size_t max_bytes, std::uint64_t stream_offset);

    [[nodiscard]] Code code() const noexcept { return code_; }
    [[nodiscard]] std::uint64_t length() const noexcept { return length_; }  // declared payload length
    [[nodiscard]] std::size_t max_bytes() const noexcept { return max_bytes_; }
    // Offset of the frame's header in the stream (0 for encode_frame).
    [[nodiscard]] std::uint64_t stream_offset() const noexcept { return stream_offset_; }

private:
    Code code_;
    std::uint64_t length_;
    std::size_t max_bytes_;
    std::uint64_t stream_offset_;
};

// Header + payload. Throws FrameError(Oversize) when the payload is longer than max_bytes (which
// is capped at 2^32 - 1, what the header can say).
[[nodiscard]] Bytes encode_frame(std::span<const std::uint8_t> payload,
                                 std::size_t max_bytes = kDefaultMaxFrameBytes);
// Appends header + payload to out (for writing several frames in one buffer).
void append_frame(Bytes& out, std::span<const std::uint8_t> payload, std::size_t max_bytes = kDefaultMaxFrameBytes);

class FrameDecoder {
public:
    explicit FrameDecoder(std::size_t max_frame_bytes = kDefaultMaxFrameBytes);

    // Consumes every byte of chunk (any size, including empty). Complete frames are queued for
    // next(). Never throws for bad input: when a header declares an oversize length, decoding
    // stops there, the rest of the stream is ignored and next() reports the error after handing
    // out the frames that came before it.
    void feed(std::span<const std::uint8_t> chunk);

    // The next complete frame's payload, or nullopt when more bytes are needed. Once the queued
    // frames are used up after an oversize header, throws that FrameError (every call).
    [[nodiscard]] std::optional<Bytes> next();

    [[nodiscard]] bool failed() const noexcept { return error_.has_value(); }
    [[nodiscard]] std::size_t max_frame_bytes() const noexcept { return max_; }
    // Bytes of the frame being received (header and payload so far); 0 between frames. A
    // connection that closes with this non-zero ended in the middle of a frame.
    [[nodiscard]] std::size_t partial_bytes() const noexcept;
    [[nodiscard]] std::size_t queued_frames() const noexcept { return ready_.size(); }

private:
    std::size_t max_;
    std::uint8_t header_[kFrameHeaderBytes]{};
    std::size_t header_have_ = 0;
    bool in_payload_ = false;
    std::size_t length_ = 0;
    Bytes payload_;
    std::deque<Bytes> ready_;
    std::uint64_t offset_ = 0;        // stream offset of the next byte to consume
    std::uint64_t frame_start_ = 0;   // stream offset of the current frame's header
    std::optional<FrameError> error_;
};

}  // namespace imrdesk::sync
