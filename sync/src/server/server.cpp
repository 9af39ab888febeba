#include "imrdesk/sync/server/server.hpp"

#include <thread>
#include <unordered_set>

#include "imrdesk/crypto/signing.hpp"
#include "imrdesk/sync/connection.hpp"
#include "imrdesk/sync/digest.hpp"

namespace imrdesk::sync::server {

struct Server::Session {
    std::uint64_t id = 0;
    std::shared_ptr<Connection> connection;
    std::string peer;
    std::string address;  // the peer's address without its port
    bool authenticated = false;  // under sessions_mutex_
    bool evicted = false;        // under sessions_mutex_: closed to make room
    std::atomic<bool> in_request{false};
    std::optional<Device> device;
    std::unordered_set<std::uint64_t> own_revisions;  // what this session's pushes were given
    [[nodiscard]] std::string who() const {
        return "connection " + std::to_string(id) + (device ? " (device " + device->id.hex().substr(0, 8) + ")" : "");
    }
};

namespace {

bool verify_signature(const PublicKey& key, std::span<const std::uint8_t> message, const Signature& signature) {
    crypto::PublicKey pk;
    pk.bytes = key;
    return pk.verify(message, signature);
}

}  // namespace

Server::Server(Store& store, const tls::ServerIdentity& identity, ServerOptions options, Logger& log)
    : store_(store),
      options_(std::move(options)),
      log_(log),
      io_(std::max(1, options_.threads)),
      tls_(asio::ssl::context::tls_server),
      acceptor_(io_),
      summary_timer_(io_) {
    tls::configure_server(tls_, identity);
}

Server::~Server() = default;

void Server::listen() {
    asio::ip::tcp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(options_.host, std::to_string(options_.port));
    const asio::ip::tcp::endpoint endpoint = *endpoints.begin();
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
}

void Server::run() {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    asio::co_spawn(io_, summary_loop(), asio::detached);
    std::vector<std::thread> extra;
    for (int i = 1; i < options_.threads; ++i) extra.emplace_back([this] { io_.run(); });
    io_.run();
    for (auto& t : extra) t.join();
    log_.flush_repeated(true);
}

void Server::stop() {
    asio::post(io_, [this] {
        if (stopping_.exchange(true)) return;
        std::error_code ignored;
        acceptor_.close(ignored);
        summary_timer_.cancel();
        const std::lock_guard lock(sessions_mutex_);
        std::size_t idle = 0;
        for (auto& [id, weak] : sessions_) {
            if (auto s = weak.lock()) {
                // A session in the middle of a request finishes it; its next read ends it.
                if (!s->in_request.load()) {
                    asio::post(s->connection->stream().get_executor(), [s] { s->connection->close(); });
                    ++idle;
                }
            }
        }
        log_.info("stopping: no new connections; " + std::to_string(idle) + " idle connection(s) closed, " +
                  std::to_string(sessions_.size() - idle) + " finishing their request");
    });
}

void Server::forget(const std::shared_ptr<Session>& session) {
    const std::lock_guard lock(sessions_mutex_);
    sessions_.erase(session->id);
    if (auto it = per_address_.find(session->address); it != per_address_.end() && --it->second == 0) per_address_.erase(it);
    if (!session->authenticated) --unauthenticated_;
}

void Server::logged_in(Session& session) {
    const std::lock_guard lock(sessions_mutex_);
    if (!session.authenticated) {
        session.authenticated = true;
        --unauthenticated_;
    }
}

bool Server::admit_locked(const std::string& address) {
    if (const auto it = per_address_.find(address); it != per_address_.end() && it->second >= options_.max_connections_per_address) {
        log_.repeated(LogLevel::Warn, "per-address limit " + address,
                      "refused a connection from " + address + ": " + std::to_string(options_.max_connections_per_address) +
                          " connections from that address already open (the limit per address)");
        return false;
    }
    if (sessions_.size() < options_.max_connections && unauthenticated_ < options_.max_unauthenticated) return true;
    // Full: the oldest connection that has not logged in makes room, from the address holding
    // the most connections (the one flooding), else from any.
    std::shared_ptr<Session> victim;
    std::size_t victim_count = 0;
    for (auto& [id, weak] : sessions_) {  // ordered by id: oldest first
        auto s = weak.lock();
        if (!s || s->authenticated || s->evicted) continue;
        const std::size_t count = per_address_[s->address];
        if (!victim || count > victim_count) {
            victim = s;
            victim_count = count;
        }
    }
    if (!victim) {
        log_.repeated(LogLevel::Warn, "connection limit",
                      "refused a connection from " + address + ": " + std::to_string(options_.max_connections) +
                          " logged-in connections already open (the limit)");
        return false;
    }
    log_.repeated(LogLevel::Warn, "closed to make room " + victim->address,
                  "closed a connection from " + victim->address + " that had not logged in, to make room for one from " + address);
    victim->evicted = true;
    asio::post(victim->connection->stream().get_executor(), [victim] { victim->connection->close(); });
    // It is counted until its coroutine ends; room is made ahead of that.
    return sessions_.size() < options_.max_connections + options_.max_unauthenticated;
}

asio::awaitable<void> Server::summary_loop() {
    while (!stopping_.load()) {
        summary_timer_.expires_after(std::chrono::seconds(5));
        const auto [ec] = co_await summary_timer_.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
        log_.flush_repeated();
        if (ec) break;
    }
}

asio::awaitable<void> Server::accept_loop() {
    log_.info("listening on " + options_.host + ":" + std::to_string(port_));
    while (!stopping_.load()) {
        auto strand = asio::make_strand(io_);
        asio::ip::tcp::socket socket(strand);
        const auto [ec] = co_await acceptor_.async_accept(socket, asio::experimental::as_tuple(asio::use_awaitable));
        if (ec) {
            if (stopping_.load() || ec == asio::error::operation_aborted) break;
            // Out of file descriptors, for one: retrying at once would spin and fill the log.
            log_.repeated(LogLevel::Warn, "accept failed", std::string("accept failed: ") + ec.message());
            asio::steady_timer pause(io_, std::chrono::milliseconds(50));
            co_await pause.async_wait(asio::use_awaitable);
            continue;
        }
        std::error_code ignored;
        const auto remote = socket.remote_endpoint(ignored);
        const std::string address = remote.address().to_string();
        const std::string peer = address + ":" + std::to_string(remote.port());
        auto session = std::make_shared<Session>();
        {
            const std::lock_guard lock(sessions_mutex_);
            if (!admit_locked(address)) {
                socket.close(ignored);
                continue;
            }
            session->id = next_session_++;
            session->address = address;
            session->peer = peer;
            ++per_address_[address];
            ++unauthenticated_;
            socket.set_option(asio::ip::tcp::no_delay(true), ignored);
            session->connection = std::make_shared<Connection>(TlsStream(std::move(socket), tls_), options_.limits,
                                                               options_.max_frame_bytes);
            sessions_[session->id] = session;
        }
        ++connections_;
        asio::co_spawn(session->connection->stream().get_executor(), serve(session), [this, session](std::exception_ptr) {
            --connections_;
            forget(session);
        });
    }
}

namespace {

// Best effort: the peer may already be gone.
asio::awaitable<void> send_error(Connection& c, ErrorCode code, std::string message, Duration timeout) {
    try {
        Message error = Error{code, std::move(message)};
        co_await c.write(std::move(error), timeout);
    } catch (const std::exception&) {
    }
}

ErrorCode error_code_for(const DecodeError& e) {
    return e.code() == DecodeError::Code::UnsupportedVersion ? ErrorCode::UnsupportedVersion : ErrorCode::BadMessage;
}

}  // namespace

asio::awaitable<void> Server::serve(std::shared_ptr<Session> s) {
    auto& c = *s->connection;
    std::optional<Error> final_error;  // sent before closing
    try {
        log_.debug(s->who() + ": from " + s->peer);
        // The whole login (TLS handshake, Hello, Authenticate: handshake_timeout each) has a
        // deadline too: each read's timeout restarts with every byte, so without one a peer that
        // sends a byte now and then would hold the connection and its frame buffer forever
        // without ever logging in.
        asio::steady_timer login_deadline(c.stream().get_executor());
        login_deadline.expires_after(3 * options_.handshake_timeout);
        login_deadline.async_wait([weak = std::weak_ptr<Connection>(s->connection)](const std::error_code& ec) {
            if (ec) return;
            if (auto connection = weak.lock()) connection->close();
        });
        co_await c.handshake(asio::ssl::stream_base::server, options_.handshake_timeout);
        const auto exporter = tls::export_keying_material(c.stream().native_handle());

        // Hello -> Challenge -> Authenticate | Enrol -> Welcome + CaseInfo per case.
        const Message first = co_await c.read(options_.handshake_timeout);
        if (!std::holds_alternative<Hello>(first)) {
            throw DecodeError(DecodeError::Code::NotAMessage, "", "the first message must be hello");
        }
        const std::optional<Sha256> device_cases = std::get<Hello>(first).cases_digest;
        Challenge challenge{kProtocolVersion, kServerVersion, {}};
        crypto::random_bytes(challenge.nonce);  // libsodium: never fails (it aborts first)
        Message challenge_message = challenge;
        co_await c.write(std::move(challenge_message), options_.io_timeout);

        const Message proof = co_await c.read(options_.handshake_timeout);
        try {
            if (const auto* a = std::get_if<Authenticate>(&proof)) {
                if (!verify_signature(a->device_key, auth_transcript(challenge.nonce, exporter, a->device_key), a->signature)) {
                    store_.log_refusal(std::nullopt, "authentication_failed: a signature that does not match this session");
                    throw Refused(ErrorCode::AuthenticationFailed,
                                  "the device's signature does not match this session (a replayed or relayed login)");
                }
                s->device = store_.authenticate(a->device_key);
            } else if (const auto* e = std::get_if<Enrol>(&proof)) {
                if (!verify_signature(e->device_key, enrol_transcript(challenge.nonce, exporter, e->token, e->device_key),
                                      e->signature)) {
                    store_.log_refusal(std::nullopt, "authentication_failed: an enrolment signature that does not match");
                    throw Refused(ErrorCode::AuthenticationFailed, "the enrolment signature does not match this session");
                }
                s->device = store_.enrol(e->token, e->device_key, e->device_name);
                log_.info(s->who() + ": enrolled '" + s->device->name + "'");  // as stored: without control characters
            } else {
                throw Refused(ErrorCode::NotAuthenticated, "authenticate or enrol first");
            }
        } catch (const Refused& r) {
            log_.repeated(LogLevel::Warn, "login refused " + s->address,
                          s->who() + " from " + s->peer + ": refused: " + std::string(to_string(r.code())) + ": " + r.what());
            final_error = Error{r.code(), r.what()};
        }
        login_deadline.cancel();
        if (!final_error) logged_in(*s);
        if (!final_error) {
            auto infos = store_.case_infos(*s->device);
            const bool unchanged = device_cases && *device_cases == case_infos_digest(infos);
            Message welcome = Welcome{s->device->id, s->device->wire_memberships(), unchanged};
            co_await c.write(std::move(welcome), options_.io_timeout);
            if (unchanged) infos.clear();
            for (auto& info : infos) {
                Message m = std::move(info);
                co_await c.write(std::move(m), options_.io_timeout);
            }
            log_.debug(s->who() + ": authenticated");
        }

        while (!final_error && !stopping_.load()) {
            Message request;
            bool ended = false;
            try {
                request = co_await c.read(options_.idle_timeout);
            } catch (const ConnectionError& e) {
                if (e.kind() == ConnectionError::Kind::Oversize) {
                    log_.warn(s->who() + ": " + e.what());
                    final_error = Error{ErrorCode::TooLarge, e.what()};
                } else {
                    log_.debug(s->who() + ": " + e.what());
                }
                ended = true;
            }
            if (ended) break;
            s->in_request = true;
            Message reply;
            if (!store_.allow_request(s->device->id, options_.requests_per_minute)) {
                store_.log_refusal(s->device->id, "rate_limited");
                log_.repeated(LogLevel::Warn, "rate limited " + s->device->id.hex(),
                              s->who() + ": over " + std::to_string(options_.requests_per_minute) + " requests a minute");
                reply = Error{ErrorCode::RateLimited, "too many requests; try again in a minute"};
            } else {
                try {
                    if (const auto* push = std::get_if<Push>(&request)) {
                        auto result = store_.push(*s->device, *push);
                        for (const auto& o : result.outcomes) {
                            if (const auto* a = std::get_if<PushAccepted>(&o)) s->own_revisions.insert(a->revision);
                        }
                        std::size_t conflicts = 0;
                        for (const auto& o : result.outcomes) conflicts += std::holds_alternative<PushConflict>(o) ? 1u : 0u;
                        log_.info(s->who() + ": push of " + std::to_string(push->records.size()) + " record(s), " +
                                  std::to_string(conflicts) + " conflict(s)");
                        reply = std::move(result);
                    } else if (const auto* pull = std::get_if<Pull>(&request)) {
                        auto result = store_.pull(*s->device, *pull, options_.limits.max_records_per_batch, s->own_revisions);
                        log_.debug(s->who() + ": pull from " + std::to_string(pull->cursor) + ": " +
                                   std::to_string(result.records.size()) + " record(s)");
                        reply = std::move(result);
                    } else if (const auto* submit = std::get_if<Submit>(&request)) {
                        reply = store_.submit(*s->device, *submit);
                        log_.info(s->who() + ": IMR " + submit->imr_id.hex().substr(0, 8) + " submitted");
                    } else {
                        final_error = Error{ErrorCode::BadMessage,
                                            "a " + std::string(to_string(type_of(request))) + " message is not a request"};
                        break;
                    }
                } catch (const Refused& r) {
                    log_.warn(s->who() + ": refused: " + std::string(to_string(r.code())) + ": " + r.what());
                    if (r.code() == ErrorCode::DeviceRevoked) {
                        // Revoked while connected: the session ends with this answer.
                        final_error = Error{r.code(), r.what()};
                        break;
                    }
                    reply = Error{r.code(), r.what()};
                }
            }
            co_await c.write(std::move(reply), options_.io_timeout);
            s->in_request = false;
        }
    } catch (const ConnectionError& e) {
        log_.debug(s->who() + ": " + e.what());
    } catch (const DecodeError& e) {
        log_.repeated(LogLevel::Warn, "bad message " + s->address, s->who() + " from " + s->peer + ": a bad message: " + e.what());
        final_error = Error{error_code_for(e), e.what()};
    } catch (const std::exception& e) {
        log_.error(s->who() + ": " + e.what());
        final_error = Error{ErrorCode::Internal, "the server failed to handle the request; it was not applied"};
    }
    if (final_error && c.is_open()) co_await send_error(c, final_error->code, final_error->message, options_.io_timeout);
    c.close();
}

}  // namespace imrdesk::sync::server
