#include "imrdesk/sync/frame.hpp"

#include <algorithm>
#include <limits>

namespace imrdesk::sync {

namespace {

constexpr std::size_t kHeaderMax = std::numeric_limits<std::uint32_t>::max();

std::string oversize_message(std::uint64_t length, std::size_t max_bytes, std::uint64_t offset) {
    return "frame at stream offset " + std::to_string(offset) + " declares " + std::to_string(length) +
           " bytes, above the maximum of " + std::to_string(max_bytes) + " bytes";
}

}  // namespace

FrameError::FrameError(Code code, std::uint64_t length, std::size_t max_bytes, std::uint64_t stream_offset)
    : std::runtime_error(oversize_message(length, max_bytes, stream_offset)),
      code_(code),
      length_(length),
      max_bytes_(max_bytes),
      stream_offset_(stream_offset) {}

void append_frame(Bytes& out, std::span<const std::uint8_t> payload, std::size_t max_bytes) {
    const std::size_t limit = std::min(max_bytes, kHeaderMax);
    if (payload.size() > limit) {
        throw FrameError(FrameError::Code::Oversize, payload.size(), limit, 0);
    }
    const auto n = static_cast<std::uint32_t>(payload.size());
    out.reserve(out.size() + kFrameHeaderBytes + payload.size());
    out.push_back(static_cast<std::uint8_t>(n >> 24));
    out.push_back(static_cast<std::uint8_t>(n >> 16));
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n));
    out.insert(out.end(), payload.begin(), payload.end());
}

Bytes encode_frame(std::span<const std::uint8_t> payload, std::size_t max_bytes) {
    Bytes out;
    append_frame(out, payload, max_bytes);
    return out;
}

FrameDecoder::FrameDecoder(std::size_t max_frame_bytes) : max_(std::min(max_frame_bytes, kHeaderMax)) {}

std::size_t FrameDecoder::partial_bytes() const noexcept {
    return in_payload_ ? kFrameHeaderBytes + payload_.size() : header_have_;
}

void FrameDecoder::feed(std::span<const std::uint8_t> chunk) {
    std::size_t at = 0;
    while (at < chunk.size() && !error_) {
        if (!in_payload_) {
            if (header_have_ == 0) {
                frame_start_ = offset_;
            }
            const std::size_t take = std::min(kFrameHeaderBytes - header_have_, chunk.size() - at);
            std::copy_n(chunk.begin() + static_cast<std::ptrdiff_t>(at), take, header_ + header_have_);
            header_have_ += take;
            at += take;
            offset_ += take;
            if (header_have_ < kFrameHeaderBytes) {
                break;
            }
            const std::uint32_t length = (std::uint32_t{header_[0]} << 24) | (std::uint32_t{header_[1]} << 16) |
                                         (std::uint32_t{header_[2]} << 8) | std::uint32_t{header_[3]};
            header_have_ = 0;
            if (length > max_) {  // before any allocation for the payload
                error_.emplace(FrameError::Code::Oversize, length, max_, frame_start_);
                break;
            }
            length_ = length;
            in_payload_ = true;
            payload_ = Bytes();
        }
        const std::size_t take = std::min(length_ - payload_.size(), chunk.size() - at);
        if (payload_.size() + take > payload_.capacity()) {
            // Grow with what has arrived (at most doubling), never past the declared length.
            const std::size_t want = std::max(payload_.size() + take, payload_.capacity() * 2);
            payload_.reserve(std::min(want, length_));
        }
        payload_.insert(payload_.end(), chunk.begin() + static_cast<std::ptrdiff_t>(at),
                        chunk.begin() + static_cast<std::ptrdiff_t>(at + take));
        at += take;
        offset_ += take;
        if (payload_.size() == length_) {
            ready_.push_back(std::move(payload_));
            payload_ = Bytes();
            in_payload_ = false;
        }
    }
}

std::optional<Bytes> FrameDecoder::next() {
    if (!ready_.empty()) {
        Bytes frame = std::move(ready_.front());
        ready_.pop_front();
        return frame;
    }
    if (error_) {
        throw *error_;
    }
    return std::nullopt;
}

}  // namespace imrdesk::sync
