#include "imrdesk/sync/connection.hpp"

namespace imrdesk::sync {

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;
}

Connection::Connection(TlsStream stream, Limits limits, std::size_t max_frame_bytes)
    : stream_(std::move(stream)),
      limits_(limits),
      decoder_(max_frame_bytes),
      reading_(stream_.get_executor()),
      writing_(stream_.get_executor()),
      buffer_(kReadChunk) {}

Connection::~Connection() = default;

void Connection::arm(Watchdog& watchdog, Duration timeout) {
    watchdog.timed_out = false;
    watchdog.timer.expires_after(timeout);
    // The handler holds the connection alive until it has run (also after a cancel).
    watchdog.timer.async_wait([self = weak_from_this(), &watchdog](const std::error_code& ec) {
        if (ec) return;
        if (auto c = self.lock()) {
            watchdog.timed_out = true;
            c->close();
        }
    });
}

void Connection::fail(const Watchdog& watchdog, const std::error_code& ec, const char* what) {
    if (watchdog.timed_out) throw ConnectionError(ConnectionError::Kind::Timeout, std::string(what) + ": timed out");
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted || ec == asio::error::broken_pipe || ec == asio::error::bad_descriptor) {
        throw ConnectionError(ConnectionError::Kind::Closed, std::string(what) + ": the connection closed (" + ec.message() + ")");
    }
    throw ConnectionError(ConnectionError::Kind::Io, std::string(what) + ": " + ec.message());
}

asio::awaitable<void> Connection::handshake(asio::ssl::stream_base::handshake_type type, Duration timeout) {
    arm(reading_, timeout);
    const auto [ec] = co_await stream_.async_handshake(type, asio::experimental::as_tuple(asio::use_awaitable));
    reading_.timer.cancel();
    if (ec) fail(reading_, ec, "TLS handshake");
}

asio::awaitable<Message> Connection::read(Duration timeout) {
    for (;;) {
        std::optional<Bytes> frame;
        try {
            frame = decoder_.next();
        } catch (const FrameError& e) {
            throw ConnectionError(ConnectionError::Kind::Oversize,
                                  "a frame of " + std::to_string(e.length()) + " bytes is above the limit of " +
                                      std::to_string(e.max_bytes()));
        }
        if (frame) {
            ++frames_read_;
            co_return decode_message(*frame, limits_);
        }
        arm(reading_, timeout);
        const auto [ec, n] = co_await stream_.async_read_some(asio::buffer(buffer_), asio::experimental::as_tuple(asio::use_awaitable));
        reading_.timer.cancel();
        if (ec) fail(reading_, ec, "reading");
        bytes_read_ += n;
        decoder_.feed(std::span<const std::uint8_t>(buffer_.data(), n));
    }
}

asio::awaitable<void> Connection::write(Message message, Duration timeout) {
    const Bytes frame = encode_frame(encode_message(message), decoder_.max_frame_bytes());
    arm(writing_, timeout);
    const auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(frame), asio::experimental::as_tuple(asio::use_awaitable));
    writing_.timer.cancel();
    if (ec) fail(writing_, ec, "writing");
    bytes_written_ += n;
    ++frames_written_;
}

void Connection::close() noexcept {
    std::error_code ignored;
    stream_.lowest_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.lowest_layer().close(ignored);
}

bool Connection::is_open() const noexcept { return stream_.lowest_layer().is_open(); }

}  // namespace imrdesk::sync
