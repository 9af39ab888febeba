#include "imrdesk/sync/client.hpp"

#include <algorithm>
#include <ctime>
#include <future>
#include <random>
#include <set>

#include <asio/experimental/awaitable_operators.hpp>

#include "imrdesk/platform/clock.hpp"
#include "imrdesk/sync/connection.hpp"
#include "imrdesk/sync/tls.hpp"

namespace imrdesk::sync {

using namespace asio::experimental::awaitable_operators;

std::string ServerLink::address() const {
    return host.find(':') != std::string::npos ? "[" + host + "]:" + std::to_string(port) : host + ":" + std::to_string(port);
}

namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string clock_text(std::int64_t t) { return platform::format_time(t, "%H:%M", platform::Zone::Local); }

[[noreturn]] void refused(const Error& e) {
    throw SyncError(SyncError::Kind::Refused, "the server refused: " + e.message, e.code);
}

struct Target {
    std::string host;
    std::uint16_t port = 0;
    Sha256 fingerprint{};
};

class Session {
public:
    Session(asio::io_context& io, Replica& replica, const SessionOptions& options)
        : io_(io), replica_(replica), options_(options), tls_(asio::ssl::context::tls_client) {}

    asio::awaitable<void> connect(const Target& target) {
        pin_ = std::make_shared<tls::PinCheck>();
        tls::configure_client(tls_, target.fingerprint, pin_);
        address_ = target.host.find(':') != std::string::npos ? "[" + target.host + "]:" + std::to_string(target.port)
                                                              : target.host + ":" + std::to_string(target.port);
        asio::ip::tcp::resolver resolver(io_);
        const auto [rec, endpoints] = co_await resolver.async_resolve(target.host, std::to_string(target.port),
                                                                       asio::experimental::as_tuple(asio::use_awaitable));
        if (rec) throw SyncError(SyncError::Kind::Offline, "cannot find the server " + address_ + ": " + rec.message());
        connection_ = std::make_shared<Connection>(TlsStream(io_, tls_), Limits{},
                                                   options_.max_frame_bytes);
        auto& socket = connection_->stream().lowest_layer();
        asio::steady_timer timer(io_);
        timer.expires_after(options_.connect_timeout);
        bool timed_out = false;
        timer.async_wait([&](const std::error_code& ec) {
            if (!ec) {
                timed_out = true;
                std::error_code ignored;
                socket.close(ignored);
            }
        });
        const auto [cec, endpoint] = co_await asio::async_connect(socket, endpoints,
                                                                  asio::experimental::as_tuple(asio::use_awaitable));
        timer.cancel();
        if (cec) {
            throw SyncError(SyncError::Kind::Offline,
                            "cannot reach the server " + address_ + ": " + (timed_out ? "no answer" : cec.message()));
        }
        std::error_code ignored;
        socket.set_option(asio::ip::tcp::no_delay(true), ignored);
        try {
            co_await connection_->handshake(asio::ssl::stream_base::client,
                                            std::chrono::duration_cast<Duration>(options_.connect_timeout));
        } catch (const ConnectionError& e) {
            if (pin_->checked && !pin_->matched) {
                throw SyncError(SyncError::Kind::PinMismatch,
                                "the server at " + address_ + " presented the key " + tls::format_fingerprint(pin_->presented) +
                                    ", not the key " + tls::format_fingerprint(target.fingerprint) +
                                    " this device was enrolled with; refusing to connect (it may not be the real server)");
            }
            throw SyncError(SyncError::Kind::Offline, "the secure connection to " + address_ + " failed: " + e.what());
        }
        exporter_ = tls::export_keying_material(connection_->stream().native_handle());
        Message hello = Hello{kProtocolVersion, options_.client_name, options_.client_version, replica_.cases_digest()};
        co_await write(std::move(hello));
        const Message m = co_await read();
        const auto* challenge = std::get_if<Challenge>(&m);
        if (challenge == nullptr) protocol("expected a challenge", m);
        nonce_ = challenge->nonce;
    }

    // Authenticate (key) or Enrol (token), then Welcome and one CaseInfo per case.
    asio::awaitable<Welcome> authenticate(const std::optional<std::pair<Token, std::string>>& enrolment) {
        const PublicKey key = replica_.device_key();
        if (enrolment) {
            const auto transcript = enrol_transcript(nonce_, exporter_, enrolment->first, key);
            Message enrol = Enrol{enrolment->first, key, enrolment->second, replica_.sign(transcript)};
            co_await write(std::move(enrol));
        } else {
            const auto transcript = auth_transcript(nonce_, exporter_, key);
            Message auth = Authenticate{key, replica_.sign(transcript)};
            co_await write(std::move(auth));
        }
        const Message m = co_await read();
        const auto* welcome = std::get_if<Welcome>(&m);
        if (welcome == nullptr) protocol("expected welcome", m);
        std::set<std::string> cases;
        if (!welcome->cases_unchanged) {
            for (const auto& ms : welcome->memberships) cases.insert(ms.case_reference);
        }
        std::vector<CaseInfo> infos;
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const Message c = co_await read();
            const auto* info = std::get_if<CaseInfo>(&c);
            if (info == nullptr) protocol("expected case information", c);
            infos.push_back(*info);
        }
        welcome_ = *welcome;
        if (!welcome->cases_unchanged) infos_ = std::move(infos);
        co_return *welcome;
    }

    // nullopt: the device's case data is current (the server sent none).
    [[nodiscard]] const std::optional<std::vector<CaseInfo>>& case_infos() const noexcept { return infos_; }

    // Push everything pending, pull everything new, push what merging produced, submit.
    asio::awaitable<void> exchange() {
        co_await push_all();
        co_await pull_all();
        co_await push_all();  // merges made while pulling
        for (const auto& submit : replica_.pending_submissions()) {
            report_.requests++;
            Message request = submit;
            co_await write(std::move(request));
            const Message m = co_await read();
            if (const auto* result = std::get_if<SubmitResult>(&m)) {
                replica_.submitted(*result);
                report_.submitted++;
            } else if (const auto* e = std::get_if<Error>(&m)) {
                if (e->code == ErrorCode::RateLimited) refused(*e);
                replica_.submission_refused(submit.imr_id, e->message);
                report_.refusals.push_back(e->message);
            } else {
                protocol("expected a submit result", m);
            }
        }
    }

    SessionReport finish() {
        if (connection_) {
            report_.bytes_sent = connection_->bytes_written();
            report_.bytes_received = connection_->bytes_read();
            connection_->close();
        }
        return report_;
    }

    void abort() noexcept {
        if (connection_) connection_->close();
    }

private:
    // Two batches on the wire: while the server stores one, the next is read from the replica and
    // written, and the answer to the first is read as the second goes out (never one without the
    // other, so neither side can wait on a full socket for the other). The answers come in order.
    asio::awaitable<void> push_all() {
        replica_.push_round_started();
        std::size_t rounds = 0;
        // (No temporary of a class type inside a co_await expression: GCC 12 may destroy it twice.)
        std::vector<PushRecord> batch = next_batch(rounds);
        if (batch.empty()) co_return;
        Message request = Push{batch};
        co_await write(std::move(request));
        bool stopped = false;  // a batch was refused: later ones are answered, not applied
        while (!batch.empty()) {
            std::vector<PushRecord> next;
            if (!stopped) next = next_batch(rounds);
            Message m;
            if (next.empty()) {
                m = co_await read();
            } else {
                request = Push{next};
                try {
                    m = co_await (read() && write(std::move(request)));
                } catch (const asio::multiple_exceptions& both) {
                    // A connection cut fails the read and the write: it is one failure.
                    std::rethrow_exception(both.first_exception());
                }
            }
            if (!answer_push(batch, m, stopped)) stopped = true;
            batch = std::move(next);
        }
    }

    std::vector<PushRecord> next_batch(std::size_t& rounds) {
        auto batch = replica_.pending(options_.batch_records, options_.batch_bytes);
        if (batch.empty()) return batch;
        if (++rounds > 100'000) throw SyncError(SyncError::Kind::Protocol, "pushing does not converge");
        progress("Sending changes", report_.pushed, 0);
        report_.requests++;
        return batch;
    }

    // The answer to one push. False when the server refused the batch (Forbidden): it would refuse
    // it again, so this session pushes no more (the batch after it, already sent, is answered
    // and applied as usual).
    bool answer_push(std::span<const PushRecord> batch, const Message& m, bool already_stopped) {
        if (const auto* e = std::get_if<Error>(&m)) {
            if (e->code != ErrorCode::Forbidden) refused(*e);
            report_.refusals.push_back(e->message);
            return false;
        }
        const auto* result = std::get_if<PushResult>(&m);
        if (result == nullptr) protocol("expected a push result", m);
        if (result->outcomes.size() != batch.size()) {
            throw SyncError(SyncError::Kind::Protocol, "the server answered " + std::to_string(result->outcomes.size()) +
                                                           " outcomes for " + std::to_string(batch.size()) + " records");
        }
        for (const auto& o : result->outcomes) {
            report_.push_conflicts += std::holds_alternative<PushConflict>(o) ? 1u : 0u;
        }
        replica_.acknowledge(batch, *result);
        report_.pushed += batch.size();
        return !already_stopped;
    }

    // The next page is asked for as soon as this one arrives, and the server reads it while this
    // one is merged and stored.
    asio::awaitable<void> pull_all() {
        std::uint64_t cursor = replica_.cursor();
        report_.requests++;
        progress("Receiving changes", report_.pulled, 0);
        Message request = pull_request(cursor);
        co_await write(std::move(request));
        for (;;) {
            const Message m = co_await read();
            if (const auto* e = std::get_if<Error>(&m)) refused(*e);
            const auto* result = std::get_if<PullResult>(&m);
            if (result == nullptr) protocol("expected a pull result", m);
            if (!result->records.empty() && result->next_cursor <= cursor) {
                throw SyncError(SyncError::Kind::Protocol, "the server's cursor did not advance");
            }
            cursor = result->next_cursor;
            if (result->more) {
                report_.requests++;
                request = pull_request(cursor);
                co_await write(std::move(request));
            }
            replica_.apply_pull(*result);
            report_.pulled += result->records.size();
            progress("Receiving changes", report_.pulled, 0);
            if (!result->more) co_return;
        }
    }

    [[nodiscard]] Message pull_request(std::uint64_t cursor) const {
        return Pull{cursor, static_cast<std::uint32_t>(std::min<std::size_t>(options_.batch_records, 1000))};
    }

    void progress(const char* stage, std::size_t done, std::size_t total) {
        if (options_.progress) options_.progress(Progress{stage, done, total});
    }

    asio::awaitable<void> write(Message m) {
        try {
            const auto timeout = std::chrono::duration_cast<Duration>(options_.io_timeout);
            co_await connection_->write(std::move(m), timeout);
        } catch (const ConnectionError& e) {
            throw SyncError(SyncError::Kind::Offline, std::string("the connection to ") + address_ + " broke: " + e.what());
        }
    }

    asio::awaitable<Message> read() {
        std::optional<Message> m;
        std::string failure;
        bool decode_failed = false;
        try {
            m = co_await connection_->read(std::chrono::duration_cast<Duration>(options_.io_timeout));
        } catch (const ConnectionError& e) {
            failure = e.what();
        } catch (const DecodeError& e) {
            failure = e.what();
            decode_failed = true;
        }
        if (!m) {
            throw SyncError(decode_failed ? SyncError::Kind::Protocol : SyncError::Kind::Offline,
                            (decode_failed ? "the server sent a message this client cannot read: "
                                           : "the connection to " + address_ + " broke: ") +
                                failure);
        }
        co_return std::move(*m);
    }

    [[noreturn]] static void protocol(const char* expected, const Message& got) {
        if (const auto* e = std::get_if<Error>(&got)) refused(*e);
        throw SyncError(SyncError::Kind::Protocol,
                        std::string("the server sent ") + std::string(to_string(type_of(got))) + "; " + expected);
    }

    asio::io_context& io_;
    Replica& replica_;
    const SessionOptions& options_;
    asio::ssl::context tls_;
    std::shared_ptr<tls::PinCheck> pin_;
    std::shared_ptr<Connection> connection_;
    std::string address_;
    std::vector<std::uint8_t> exporter_;
    Nonce nonce_{};
    Welcome welcome_;
    std::optional<std::vector<CaseInfo>> infos_;
    SessionReport report_;
};

}  // namespace

// Registers the running session's io_context with its SessionAbort.
class SessionScope {
public:
    SessionScope(const std::shared_ptr<SessionAbort>& abort, asio::io_context& io) : abort_(abort) {
        if (!abort_) return;
        const std::lock_guard lock(abort_->mutex_);
        if (abort_->aborted_) io.stop();
        abort_->io_ = &io;
    }
    ~SessionScope() {
        if (!abort_) return;
        const std::lock_guard lock(abort_->mutex_);
        abort_->io_ = nullptr;
    }
    SessionScope(const SessionScope&) = delete;
    SessionScope& operator=(const SessionScope&) = delete;

private:
    std::shared_ptr<SessionAbort> abort_;
};

void SessionAbort::abort() noexcept {
    const std::lock_guard lock(mutex_);
    aborted_ = true;
    if (io_ != nullptr) static_cast<asio::io_context*>(io_)->stop();
}

bool SessionAbort::aborted() const noexcept {
    const std::lock_guard lock(mutex_);
    return aborted_;
}

namespace {

// Runs the whole session as one coroutine on its own io_context; rethrows what it threw. The
// io_context outlives the Session (its sockets and timers need the io_context's services while
// they close); a session stopped half way leaves suspended coroutine frames in the io_context,
// which its destructor destroys without resuming them, so they never touch the Session again.
SessionReport run(Replica& replica, const SessionOptions& options, const std::optional<EnrolmentCode>& code,
                  const std::string& device_name) {
    asio::io_context io(1);
    std::optional<Session> holder;
    const SessionScope scope(options.abort, io);
    holder.emplace(io, replica, options);
    Session& session = *holder;
    std::exception_ptr failure;
    bool finished = false;
    auto body = [&]() -> asio::awaitable<void> {
        Target target;
        if (code) {
            target = {code->host, code->port, code->fingerprint};
        } else {
            const auto link = replica.link();
            if (!link) throw SyncError(SyncError::Kind::NotEnrolled, "this profile is not enrolled with a server");
            target = {link->host, link->port, link->fingerprint};
        }
        co_await session.connect(target);
        std::optional<std::pair<Token, std::string>> enrolment;
        if (code) enrolment = std::make_pair(code->token, device_name);
        const Welcome welcome = co_await session.authenticate(enrolment);
        replica.save_link(ServerLink{target.host, target.port, target.fingerprint, welcome.device_id, welcome.memberships});
        if (session.case_infos()) replica.apply_case_infos(*session.case_infos());
        co_await session.exchange();
        replica.session_succeeded(unix_now());
    };
    asio::co_spawn(io, body(), [&](std::exception_ptr e) {
        failure = e;
        finished = true;
    });
    if (options.abort && options.abort->aborted()) io.stop();
    io.run();
    auto report = session.finish();
    if (!finished) throw SyncError(SyncError::Kind::Offline, "sync was stopped");
    if (failure) std::rethrow_exception(failure);
    return report;
}

}  // namespace

SessionReport sync_once(Replica& replica, const SessionOptions& options) {
    return run(replica, options, std::nullopt, {});
}

SessionReport enrol(Replica& replica, const EnrolmentCode& code, const std::string& device_name,
                    const SessionOptions& options) {
    return run(replica, options, code, device_name);
}

// --- engine ------------------------------------------------------------------------------------

std::chrono::milliseconds backoff_delay(int failures, std::chrono::milliseconds min_delay,
                                        std::chrono::milliseconds max_delay, double unit_random) noexcept {
    if (failures <= 0) return std::chrono::milliseconds(0);
    double delay = static_cast<double>(min_delay.count());
    for (int i = 1; i < failures && delay < static_cast<double>(max_delay.count()); ++i) delay *= 2;
    delay = std::min(delay, static_cast<double>(max_delay.count()));
    const double jittered = delay / 2 + std::clamp(unit_random, 0.0, 1.0) * delay / 2;
    return std::chrono::milliseconds(static_cast<std::int64_t>(jittered));
}

Engine::Engine(Replica& replica, EngineOptions options, std::function<void()> on_change)
    : replica_(replica), options_(std::move(options)), on_change_(std::move(on_change)) {}

Engine::~Engine() { stop(); }

void Engine::start() {
    const std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stop_ = false;
    due_ = std::chrono::steady_clock::now();
    status_.state = EngineStatus::State::Waiting;
    abort_ = std::make_shared<SessionAbort>();
    thread_ = std::thread([this] { loop(); });
}

void Engine::request_stop() noexcept {
    {
        const std::lock_guard lock(mutex_);
        stop_ = true;
        if (abort_) abort_->abort();
    }
    cv_.notify_all();
}

void Engine::stop() {
    request_stop();
    if (thread_.joinable()) thread_.join();
    const std::lock_guard lock(mutex_);
    status_.state = EngineStatus::State::Stopped;
    status_.progress.reset();
}

void Engine::local_change() {
    {
        const std::lock_guard lock(mutex_);
        const auto soon = std::chrono::steady_clock::now() + options_.debounce;
        // Debounce: a burst of changes syncs once, debounce after the last; while offline, the
        // backoff decides (a change does not make the device hammer an unreachable server).
        if (status_.state == EngineStatus::State::Syncing) {
            ask_during_session(soon);
        } else if (status_.state != EngineStatus::State::Offline || soon < due_) {
            due_ = soon;
        }
    }
    cv_.notify_all();
}

void Engine::ask_during_session(std::chrono::steady_clock::time_point when) {
    // mutex_ held by the caller
    if (!asked_during_session_ || when < *asked_during_session_) asked_during_session_ = when;
}

void Engine::sync_now() {
    {
        const std::lock_guard lock(mutex_);
        due_ = std::chrono::steady_clock::now();
        if (status_.state == EngineStatus::State::Syncing) ask_during_session(due_);
    }
    cv_.notify_all();
}

void Engine::enrol(EnrolmentCode code, std::string device_name) {
    {
        const std::lock_guard lock(mutex_);
        enrolment_ = std::make_pair(std::move(code), std::move(device_name));
        status_.enrolment = EngineStatus::Enrolment::Running;
        status_.enrolment_error.clear();
        due_ = std::chrono::steady_clock::now();
        if (status_.state == EngineStatus::State::Syncing) ask_during_session(due_);
    }
    cv_.notify_all();
    if (on_change_) on_change_();
}

EngineStatus Engine::status() const {
    const std::lock_guard lock(mutex_);
    auto s = status_;
    if (s.state != EngineStatus::State::Syncing && s.state != EngineStatus::State::Stopped) {
        s.next_attempt_in = std::max(0.0, std::chrono::duration<double>(due_ - std::chrono::steady_clock::now()).count());
    }
    return s;
}

void Engine::record(std::string event) {
    // mutex_ held by the caller
    status_.events.push_front(clock_text(unix_now()) + "  " + std::move(event));
    while (status_.events.size() > options_.max_events) status_.events.pop_back();
}

void Engine::loop() {
    std::mt19937_64 random(std::random_device{}());
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait_until(lock, due_, [&] { return stop_ || std::chrono::steady_clock::now() >= due_; });
            // wait_until with a predicate re-reads due_ only on wake-ups: loop until it is due.
            while (!stop_ && std::chrono::steady_clock::now() < due_) {
                cv_.wait_until(lock, due_);
            }
            if (stop_) return;
            status_.state = EngineStatus::State::Syncing;
            busy_.store(true, std::memory_order_release);
            status_.last_attempt = unix_now();
            status_.progress = Progress{"Connecting", 0, 0};
            due_ = std::chrono::steady_clock::now() + options_.period;
            asked_during_session_.reset();
        }
        if (on_change_) on_change_();
        SessionOptions session = options_.session;
        {
            const std::lock_guard lock(mutex_);
            session.abort = abort_;
        }
        session.progress = [this](const Progress& p) {
            {
                const std::lock_guard lock(mutex_);
                status_.progress = p;
            }
            if (on_change_) on_change_();
        };
        std::optional<SessionReport> report;
        std::optional<SyncError> error;
        std::optional<std::pair<EnrolmentCode, std::string>> enrolment;
        {
            const std::lock_guard lock(mutex_);
            enrolment = std::move(enrolment_);
            enrolment_.reset();
        }
        try {
            report = enrolment ? sync::enrol(replica_, enrolment->first, enrolment->second, session)
                               : sync_once(replica_, session);
        } catch (const SyncError& e) {
            error = e;
        } catch (const std::exception& e) {
            error = SyncError(SyncError::Kind::Offline, e.what());
        }
        busy_.store(false, std::memory_order_release);
        {
            const std::lock_guard lock(mutex_);
            status_.progress.reset();
            if (stop_) {
                status_.state = EngineStatus::State::Stopped;
                return;
            }
            if (enrolment) {
                status_.enrolment = report ? EngineStatus::Enrolment::Done : EngineStatus::Enrolment::Failed;
                status_.enrolment_error = report ? std::string() : std::string(error->what());
                if (report) record("enrolled with " + enrolment->first.address());
            }
            if (report) {
                status_.state = EngineStatus::State::Waiting;
                status_.failures = 0;
                status_.last_success = unix_now();
                status_.last_error.clear();
                if (report->pushed + report->pulled + report->submitted > 0 || !report->refusals.empty()) {
                    std::string e = "sent " + std::to_string(report->pushed) + " change(s), received " +
                                    std::to_string(report->pulled);
                    if (report->push_conflicts > 0) e += ", " + std::to_string(report->push_conflicts) + " to merge";
                    if (report->submitted > 0) e += ", " + std::to_string(report->submitted) + " IMR(s) submitted";
                    record(std::move(e));
                    for (const auto& r : report->refusals) record("refused: " + r);
                }
            } else {
                status_.failures++;
                status_.last_error = error->what();
                switch (error->kind()) {
                    case SyncError::Kind::NotEnrolled:
                        status_.state = EngineStatus::State::NotEnrolled;
                        due_ = std::chrono::steady_clock::now() + std::chrono::hours(24);
                        break;
                    case SyncError::Kind::Offline:
                        status_.state = EngineStatus::State::Offline;
                        due_ = std::chrono::steady_clock::now() +
                               backoff_delay(status_.failures, options_.min_backoff, options_.max_backoff, unit(random));
                        if (status_.failures == 1) record("offline: " + status_.last_error);
                        break;
                    default:
                        // Refused (revoked device ...), wrong key, protocol: retrying soon will not help.
                        status_.state = EngineStatus::State::Refused;
                        due_ = std::chrono::steady_clock::now() + options_.max_backoff;
                        record(status_.last_error);
                        break;
                }
            }
            if (asked_during_session_) {
                if (*asked_during_session_ < due_) due_ = *asked_during_session_;
                asked_during_session_.reset();
            }
            // An enrolment asked for while this session ran goes next, whatever the backoff says.
            if (enrolment_) due_ = std::chrono::steady_clock::now();
        }
        if (on_change_) on_change_();
    }
}

}  // namespace imrdesk::sync
