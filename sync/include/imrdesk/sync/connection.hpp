#pragma once
// One TLS connection carrying protocol messages, for the server's sessions and the client engine
// alike, written as C++20 coroutines on Asio. Every read and write has a deadline: a watchdog
// timer closes the socket when it passes, which makes the pending operation fail, so a peer that
// stalls (or sends a frame one byte a minute) costs a timeout, never a stuck session.
//
// Frames are decoded with FrameDecoder (the declared size is checked before allocating) and
// messages with decode_message under the connection's Limits.
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ssl.hpp>

#include "imrdesk/sync/frame.hpp"
#include "imrdesk/sync/messages.hpp"

namespace imrdesk::sync {

using TlsStream = asio::ssl::stream<asio::ip::tcp::socket>;
using Duration = std::chrono::steady_clock::duration;

// The connection failed: closed by the peer, reset, timed out, or not a TLS peer.
class ConnectionError : public std::runtime_error {
public:
    enum class Kind : std::uint8_t { Closed, Timeout, Io, Oversize };
    ConnectionError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    [[nodiscard]] Kind kind() const noexcept { return kind_; }

private:
    Kind kind_;
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(TlsStream stream, Limits limits, std::size_t max_frame_bytes = kDefaultMaxFrameBytes);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    [[nodiscard]] TlsStream& stream() noexcept { return stream_; }
    [[nodiscard]] const Limits& limits() const noexcept { return limits_; }

    asio::awaitable<void> handshake(asio::ssl::stream_base::handshake_type type, Duration timeout);
    // The next message. Throws ConnectionError, or DecodeError for a frame that is not a valid
    // message (the caller answers with an Error and closes).
    asio::awaitable<Message> read(Duration timeout);
    // One read and one write may run at once (each with its own deadline): a client keeps two
    // requests on the wire and reads the first answer while it writes the second.
    asio::awaitable<void> write(Message message, Duration timeout);
    // Closes the socket now (pending operations fail). Safe to call more than once.
    void close() noexcept;
    [[nodiscard]] bool is_open() const noexcept;

    // Payload bytes (frames including headers) read and written so far.
    [[nodiscard]] std::uint64_t bytes_read() const noexcept { return bytes_read_; }
    [[nodiscard]] std::uint64_t bytes_written() const noexcept { return bytes_written_; }
    [[nodiscard]] std::uint64_t frames_read() const noexcept { return frames_read_; }
    [[nodiscard]] std::uint64_t frames_written() const noexcept { return frames_written_; }

private:
    // A deadline for one direction: when it passes, the connection is closed (both fail).
    struct Watchdog {
        explicit Watchdog(const asio::any_io_executor& executor) : timer(executor) {}
        asio::steady_timer timer;
        bool timed_out = false;
    };
    void arm(Watchdog& watchdog, Duration timeout);
    [[noreturn]] void fail(const Watchdog& watchdog, const std::error_code& ec, const char* what);

    TlsStream stream_;
    Limits limits_;
    FrameDecoder decoder_;
    Watchdog reading_;
    Watchdog writing_;
    std::uint64_t bytes_read_ = 0;
    std::uint64_t bytes_written_ = 0;
    std::uint64_t frames_read_ = 0;
    std::uint64_t frames_written_ = 0;
    std::vector<std::uint8_t> buffer_;
};

}  // namespace imrdesk::sync
