#include "sync_support.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <sys/socket.h>

#include <asio.hpp>
#include <asio/ssl.hpp>

#include "imrdesk/client/app.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/sync/digest.hpp"
#include "imrdesk/sync/frame.hpp"

namespace imrdesk::bench {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

// --- the server ----------------------------------------------------------------------------------

InProcessServer::InProcessServer(const fs::path& dir, const sync::tls::ServerIdentity& identity,
                                 sync::server::ServerOptions options)
    : InProcessServer(sync::server::StoreLocation::sqlite(dir / "store.db"), identity, std::move(options)) {}

InProcessServer::InProcessServer(const sync::server::StoreLocation& store, const sync::tls::ServerIdentity& identity,
                                 sync::server::ServerOptions options)
    : identity_(identity),
      store_(store, sync::server::system_clock_now,
             sync::server::StoreOptions{sync::server::StoreOpen::Migrate, static_cast<std::size_t>(options.threads) + 2}),
      server_(store_, identity_, std::move(options), log_) {
    server_.listen();
    port_ = server_.port();
    wire::watch(port_);
    thread_ = std::thread([this] { server_.run(); });
}

InProcessServer::~InProcessServer() {
    server_.stop();
    thread_.join();
    wire::unwatch(port_);
}

sync::EnrolmentCode InProcessServer::code(const sync::server::TokenRequest& request) {
    const auto issued = store_.issue_token(request);
    sync::EnrolmentCode code;
    code.host = "127.0.0.1";
    code.port = port_;
    code.fingerprint = identity_.fingerprint;
    code.token = issued.token;
    code.expires_at = std::chrono::sys_seconds(std::chrono::seconds(issued.expires_at));
    return code;
}

// --- devices -------------------------------------------------------------------------------------

VaultDevice::VaultDevice(const fs::path& file) {
    client::CreateOptions options;
    options.kdf = crypto::kdf::insecure_fast_for_tests();
    auto created = client::Vault::create(file, "correct horse battery staple, sync bench", options);
    workspace = std::make_unique<client::Workspace>(std::move(created.vault));
    replica = std::make_unique<client::VaultReplica>(*workspace);
}

VaultDevice::~VaultDevice() {
    replica.reset();
    workspace.reset();
}

MemoryReplica::MemoryReplica() : key_(crypto::SigningKey::generate()) {}

void MemoryReplica::change(sync::PushRecord record) {
    const auto it = held_.find(record.id);
    record.base_revision = it == held_.end() ? 0 : it->second.revision;
    queue_.push_back(std::move(record));
}

sync::Sha256 MemoryReplica::digest(std::size_t* count) const {
    sync::RecordSetHasher hasher;
    for (const auto& [id, h] : held_) hasher.add(id, h.deleted, h.body);
    if (count != nullptr) *count = hasher.count();
    return hasher.finish();
}

sync::PublicKey MemoryReplica::device_key() { return key_.public_key().bytes; }

sync::Signature MemoryReplica::sign(std::span<const std::uint8_t> message) { return key_.sign(message); }

void MemoryReplica::save_link(const sync::ServerLink& link) {
    // As VaultReplica: a new membership may bring records older than the cursor.
    if (link_ && link_->memberships != link.memberships) cursor_ = 0;
    link_ = link;
}

std::vector<sync::PushRecord> MemoryReplica::pending(std::size_t max_records, std::size_t max_bytes) {
    std::vector<sync::PushRecord> out;
    std::size_t bytes = 0;
    for (std::size_t i = handed_out_; i < queue_.size(); ++i) {
        const auto& r = queue_[i];
        if (out.size() >= max_records) break;
        if (!out.empty() && bytes + r.body.size() > max_bytes) break;
        bytes += r.body.size();
        out.push_back(r);
    }
    handed_out_ += out.size();
    return out;
}

void MemoryReplica::acknowledge(std::span<const sync::PushRecord> sent, const sync::PushResult& result) {
    for (std::size_t i = 0; i < sent.size() && i < result.outcomes.size() && !queue_.empty(); ++i) {
        sync::PushRecord& queued = queue_.front();
        if (const auto* accepted = std::get_if<sync::PushAccepted>(&result.outcomes[i])) {
            held_[queued.id] = Held{accepted->revision, queued.deleted, std::move(queued.body)};
        } else {
            const auto& current = std::get<sync::PushConflict>(result.outcomes[i]).current;
            held_[current.id] = Held{current.revision, current.deleted, current.body};
            ++conflicts_;
        }
        queue_.pop_front();
        if (handed_out_ > 0) --handed_out_;
    }
}

void MemoryReplica::apply_pull(const sync::PullResult& result) {
    for (const auto& r : result.records) {
        auto& h = held_[r.id];
        if (h.revision >= r.revision) continue;  // an echo of this device's own push, or a page seen before
        h = Held{r.revision, r.deleted, r.body};
    }
    cursor_ = result.next_cursor;
}

void MemoryReplica::submitted(const sync::SubmitResult& result) {
    std::erase_if(submits_, [&](const sync::Submit& s) { return s.imr_id == result.imr_id; });
}

void MemoryReplica::submission_refused(const domain::Id& imr, const std::string& /*reason*/) {
    std::erase_if(submits_, [&](const sync::Submit& s) { return s.imr_id == imr; });
    ++refused_;
}

// --- the app's path ------------------------------------------------------------------------------

AppSession run_app_session(client::Workspace& workspace, const sync::SessionOptions& options) {
    std::mutex mutex;
    std::condition_variable cv;
    bool woken = false;
    sync::EngineOptions engine;
    engine.session = options;
    engine.period = std::chrono::hours(1);  // one session, then quiet
    client::SyncService service(workspace, [&] {
        {
            const std::lock_guard lock(mutex);
            woken = true;
        }
        cv.notify_one();
    }, engine);

    AppSession out;
    const auto start = SteadyClock::now();
    const auto vblank = std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double, std::milli>(kVblankMs));
    const auto draw = std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double, std::milli>(kFrameDrawMs));
    service.start();
    for (;;) {
        {
            std::unique_lock lock(mutex);
            cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return woken; });
            if (woken) ++out.wakes;
            woken = false;
        }
        const auto status = service.view().engine;
        if (status.last_success || status.failures > 0) {
            out.ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
            if (!status.last_success) throw std::runtime_error("the app's session failed: " + status.last_error);
            if (!status.events.empty()) out.events = status.events.front();
            break;
        }
        if (SteadyClock::now() - start > std::chrono::minutes(5)) throw std::runtime_error("the app's session did not end");
        for (int frame = 0; frame < 2; ++frame) {  // main.cpp: frames_to_draw = 2 after a wake
            const bool vsync = !service.session_running();  // main.cpp: glfwSwapInterval(0) while syncing
            if (service.has_queued()) (void)service.pump(client::App::kSyncBurst);  // App::tick
            std::this_thread::sleep_for(draw);
            if (vsync) {
                const auto since = SteadyClock::now() - start;
                std::this_thread::sleep_until(start + (since / vblank + 1) * vblank);  // glfwSwapBuffers
            }
            ++out.frames;
        }
    }
    service.stop();
    return out;
}

// --- observing a session -------------------------------------------------------------------------

namespace {

std::uint64_t frame_size(const sync::Message& m) { return sync::encode_message(m).size() + sync::kFrameHeaderBytes; }

}  // namespace

class TapReplica::Timer {
public:
    Timer(std::array<std::int64_t, kCallbacks>& totals, Callback kind)
        : total_(totals[static_cast<std::size_t>(kind)]), start_(SteadyClock::now()) {}
    ~Timer() { total_ += std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - start_).count(); }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

private:
    std::int64_t& total_;
    SteadyClock::time_point start_;
};

TapReplica::TapReplica(sync::Replica& inner, const sync::SessionOptions& options, bool keep_bodies, bool detail)
    : inner_(inner), options_(options), keep_bodies_(keep_bodies), detail_(detail) {}

double TapReplica::replica_ms() const noexcept {
    std::int64_t total = 0;
    for (const auto ns : ns_) total += ns;
    return static_cast<double>(total) / 1e6;
}

void TapReplica::begin() {
    phases_ = SessionPhases{};
    phases_.start = wire::now();
    ns_.fill(0);
    pushed_.clear();
    pulled_.clear();
}

void TapReplica::end() {
    phases_.end = wire::now();
    if (!phases_.saw_sign) phases_.signed_at = phases_.end;
    if (!phases_.saw_link) phases_.linked_at = phases_.end;
    if (!phases_.saw_pull) phases_.pull_at = phases_.end;
    for (std::size_t i = 0; i < kCallbacks; ++i) phases_.callback_ms[i] = static_cast<double>(ns_[i]) / 1e6;
}

FrameBytes& TapReplica::current_phase() { return phases_.saw_pull ? phases_.pull : phases_.push; }

sync::PublicKey TapReplica::device_key() {
    const Timer t(ns_, Callback::Identity);
    return inner_.device_key();
}

sync::Signature TapReplica::sign(std::span<const std::uint8_t> message) {
    if (!phases_.saw_sign) {
        phases_.signed_at = wire::now();
        phases_.saw_sign = true;
    }
    sync::Signature signature;
    {
        const Timer t(ns_, Callback::Identity);
        signature = inner_.sign(message);
    }
    if (detail_) {
        phases_.hello.up += frame_size(sync::Hello{sync::kProtocolVersion, options_.client_name, options_.client_version,
                                                   last_cases_digest_});
        phases_.hello.down += frame_size(sync::Challenge{sync::kProtocolVersion, sync::server::kServerVersion, {}});
        phases_.auth.up += frame_size(sync::Authenticate{inner_.device_key(), signature});
    }
    return signature;
}

std::optional<sync::ServerLink> TapReplica::link() {
    const Timer t(ns_, Callback::Identity);
    return inner_.link();
}

void TapReplica::save_link(const sync::ServerLink& link) {
    if (!phases_.saw_link) {
        phases_.linked_at = wire::now();
        phases_.saw_link = true;
    }
    if (detail_) phases_.auth.down += frame_size(sync::Welcome{link.device_id, link.memberships, last_cases_digest_.has_value()});
    const Timer t(ns_, Callback::Link);
    inner_.save_link(link);
}

void TapReplica::apply_case_infos(const std::vector<sync::CaseInfo>& infos) {
    if (detail_)
        for (const auto& info : infos) phases_.auth.down += frame_size(info);
    const Timer t(ns_, Callback::Link);
    inner_.apply_case_infos(infos);
}

std::optional<sync::Sha256> MemoryReplica::cases_digest() {
    if (cases_.empty()) return std::nullopt;
    return sync::case_infos_digest(cases_);
}

std::optional<sync::Sha256> TapReplica::cases_digest() {
    last_cases_digest_ = inner_.cases_digest();
    return last_cases_digest_;
}

std::uint64_t TapReplica::cursor() {
    if (!phases_.saw_pull) {
        phases_.pull_at = wire::now();
        phases_.saw_pull = true;
    }
    ++phases_.pull_requests;
    {
        const Timer t(ns_, Callback::Other);
        last_cursor_ = inner_.cursor();
    }
    if (detail_) {
        const auto limit = static_cast<std::uint32_t>(std::min<std::size_t>(options_.batch_records, 1000));
        phases_.pull.up += frame_size(sync::Pull{last_cursor_, limit});
    }
    return last_cursor_;
}

void TapReplica::push_round_started() {
    const Timer t(ns_, Callback::Pending);
    inner_.push_round_started();
}

std::vector<sync::PushRecord> TapReplica::pending(std::size_t max_records, std::size_t max_bytes) {
    std::vector<sync::PushRecord> batch;
    {
        const Timer t(ns_, Callback::Pending);
        batch = inner_.pending(max_records, max_bytes);
    }
    if (!batch.empty()) {
        ++phases_.push_requests;
        phases_.pushed_records += batch.size();
        if (detail_) current_phase().up += frame_size(sync::Push{batch});
        if (keep_bodies_) pushed_.insert(pushed_.end(), batch.begin(), batch.end());
    }
    return batch;
}

void TapReplica::acknowledge(std::span<const sync::PushRecord> sent, const sync::PushResult& result) {
    if (detail_) current_phase().down += frame_size(result);
    const Timer t(ns_, Callback::Acknowledge);
    inner_.acknowledge(sent, result);
}

void TapReplica::apply_pull(const sync::PullResult& result) {
    if (result.more) {  // the session asked for the next page as this one arrived
        ++phases_.pull_requests;
        if (detail_) {
            const auto limit = static_cast<std::uint32_t>(std::min<std::size_t>(options_.batch_records, 1000));
            phases_.pull.up += frame_size(sync::Pull{result.next_cursor, limit});
        }
    }
    phases_.pulled_records += result.records.size();
    if (!result.records.empty()) ++phases_.pages_with_records;
    if (detail_) phases_.pull.down += frame_size(result);
    if (keep_bodies_) pulled_.insert(pulled_.end(), result.records.begin(), result.records.end());
    const Timer t(ns_, Callback::ApplyPull);
    inner_.apply_pull(result);
}

std::vector<sync::Submit> TapReplica::pending_submissions() {
    std::vector<sync::Submit> submits;
    {
        const Timer t(ns_, Callback::Other);
        submits = inner_.pending_submissions();
    }
    phases_.submit_requests += submits.size();
    if (detail_)
        for (const auto& s : submits) current_phase().up += frame_size(s);
    return submits;
}

void TapReplica::submitted(const sync::SubmitResult& result) {
    if (detail_) current_phase().down += frame_size(result);
    const Timer t(ns_, Callback::Other);
    inner_.submitted(result);
}

void TapReplica::submission_refused(const domain::Id& imr, const std::string& reason) {
    const Timer t(ns_, Callback::Other);
    inner_.submission_refused(imr, reason);
}

void TapReplica::session_succeeded(std::int64_t at) {
    const Timer t(ns_, Callback::Other);
    inner_.session_succeeded(at);
}

// --- the raw baseline ----------------------------------------------------------------------------

sync::Bytes frame_bodies(const std::vector<sync::Bytes>& bodies) {
    sync::Bytes out;
    std::size_t size = 0;
    for (const auto& b : bodies) size += b.size() + sync::kFrameHeaderBytes;
    out.reserve(size);
    for (const auto& b : bodies) sync::append_frame(out, b);
    return out;
}

namespace {

using TlsStream = asio::ssl::stream<asio::ip::tcp::socket>;

// Reads until `records` frames are in, decoding (and so copying) each one.
void receive_frames(TlsStream& stream, std::size_t records) {
    sync::FrameDecoder decoder;
    std::vector<std::uint8_t> buffer(64 * 1024);
    std::vector<sync::Bytes> got;
    got.reserve(records);
    while (got.size() < records) {
        const std::size_t n = stream.read_some(asio::buffer(buffer));
        decoder.feed(std::span<const std::uint8_t>(buffer.data(), n));
        while (auto frame = decoder.next()) got.push_back(std::move(*frame));
    }
}

}  // namespace

RawTransfer raw_tls_transfer(const sync::tls::ServerIdentity& identity, const sync::Bytes& framed, std::size_t records,
                             Direction direction) {
    asio::io_context server_io;
    asio::ssl::context server_tls(asio::ssl::context::tls_server);
    sync::tls::configure_server(server_tls, identity);
    asio::ip::tcp::acceptor acceptor(server_io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto endpoint = acceptor.local_endpoint();
    wire::watch(endpoint.port());

    std::exception_ptr server_failure;
    std::thread server([&] {
        try {
            asio::ip::tcp::socket socket(server_io);
            acceptor.accept(socket);
            socket.set_option(asio::ip::tcp::no_delay(true));
            TlsStream stream(std::move(socket), server_tls);
            stream.handshake(asio::ssl::stream_base::server);
            const std::uint8_t ack = 1;
            std::uint8_t request = 0;
            if (direction == Direction::Up) {
                receive_frames(stream, records);
                asio::write(stream, asio::buffer(&ack, 1));
            } else {
                asio::read(stream, asio::buffer(&request, 1));
                asio::write(stream, asio::buffer(framed));
            }
            std::error_code ec;  // until the client closes
            (void)stream.read_some(asio::buffer(&request, 1), ec);
        } catch (...) {
            server_failure = std::current_exception();
        }
    });

    RawTransfer out;
    out.payload = framed.size();
    out.records = records;
    const auto before = wire::now();
    std::exception_ptr client_failure;
    try {
        const auto start = SteadyClock::now();
        asio::io_context io;
        asio::ssl::context tls(asio::ssl::context::tls_client);
        sync::tls::configure_client(tls, identity.fingerprint, nullptr);
        TlsStream stream(io, tls);
        stream.lowest_layer().connect(endpoint);
        stream.lowest_layer().set_option(asio::ip::tcp::no_delay(true));
        stream.handshake(asio::ssl::stream_base::client);
        out.cipher = SSL_get_cipher_name(stream.native_handle());
        std::uint8_t byte = 1;
        if (direction == Direction::Up) {
            asio::write(stream, asio::buffer(framed));
            asio::read(stream, asio::buffer(&byte, 1));
        } else {
            asio::write(stream, asio::buffer(&byte, 1));
            receive_frames(stream, records);
        }
        out.ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
        out.tcp = wire::now() - before;
        std::error_code ignored;
        stream.lowest_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        stream.lowest_layer().close(ignored);
    } catch (...) {
        client_failure = std::current_exception();
        ::shutdown(acceptor.native_handle(), SHUT_RDWR);  // a server still in accept() returns
    }
    server.join();
    wire::unwatch(endpoint.port());
    if (client_failure) std::rethrow_exception(client_failure);
    if (server_failure) std::rethrow_exception(server_failure);
    return out;
}

}  // namespace imrdesk::bench
