#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "imrdesk/sync/tls.hpp"
#include "temp_dir.hpp"

using namespace imrdesk::sync;
using namespace imrdesk::sync::tls;
using imrdesk::test::TempDir;

namespace {

namespace fs = std::filesystem;
using asio::ip::tcp;
using SslStream = asio::ssl::stream<tcp::socket>;

constexpr auto kSessionTimeout = std::chrono::seconds(10);

// The message of the TlsError that `f` throws (fails the test if it throws none).
template <typename F>
std::string tls_error_of(F&& f) {
    try {
        f();
    } catch (const TlsError& e) {
        return e.what();
    }
    FAIL("no TlsError thrown");
    return {};
}

// The OpenSSL reason of an Asio SSL error (Asio's ssl category carries the OpenSSL error code),
// e.g. SSL_R_CERTIFICATE_VERIFY_FAILED; 0 for an error of another category.
int ssl_reason(const std::error_code& ec) {
    if (ec.category() != asio::error::get_ssl_category()) return 0;
    return ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
}

// What each end of one loopback session saw.
struct End {
    bool done = false;             // the handshake finished, well or badly
    std::error_code error;         // how it finished
    int version = 0;               // SSL_version after a successful handshake
    long verify_result = -1;       // SSL_get_verify_result
    std::vector<std::uint8_t> exporter;
};
struct Session {
    End server;
    End client;
};

void finish(End& end, SslStream& stream, const std::error_code& ec) {
    end.done = true;
    end.error = ec;
    end.verify_result = SSL_get_verify_result(stream.native_handle());
    if (ec) return;
    end.version = SSL_version(stream.native_handle());
    end.exporter = export_keying_material(stream.native_handle());
}

// One TLS handshake between a server and a client on 127.0.0.1, both driven asynchronously by
// one io_context on this thread. Bounded: whatever has not finished after kSessionTimeout is
// closed, and the test fails.
Session run_session(asio::ssl::context& server_context, asio::ssl::context& client_context) {
    Session session;
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    SslStream server(io, server_context);
    SslStream client(io, client_context);

    acceptor.async_accept(server.lowest_layer(), [&](const std::error_code& ec) {
        if (ec) return finish(session.server, server, ec);
        server.async_handshake(asio::ssl::stream_base::server,
                               [&](const std::error_code& hs) { finish(session.server, server, hs); });
    });
    client.lowest_layer().async_connect(acceptor.local_endpoint(), [&](const std::error_code& ec) {
        if (ec) return finish(session.client, client, ec);
        client.async_handshake(asio::ssl::stream_base::client,
                               [&](const std::error_code& hs) { finish(session.client, client, hs); });
    });

    io.run_for(kSessionTimeout);
    const bool timed_out = !session.server.done || !session.client.done;
    if (timed_out) {
        // Cancel whatever is still waiting, and let the cancelled handlers run.
        std::error_code ignored;
        acceptor.close(ignored);
        server.lowest_layer().close(ignored);
        client.lowest_layer().close(ignored);
        io.restart();
        io.run_for(std::chrono::seconds(1));
    }
    CHECK_FALSE(timed_out);
    return session;
}

struct ServerContext {
    asio::ssl::context context{asio::ssl::context::tls_server};
    explicit ServerContext(const ServerIdentity& identity) { configure_server(context, identity); }
};

struct ClientContext {
    asio::ssl::context context{asio::ssl::context::tls_client};
    std::shared_ptr<PinCheck> pin = std::make_shared<PinCheck>();
    explicit ClientContext(const Sha256& pinned) { configure_client(context, pinned, pin); }
};

// The identity shared by the handshake tests: making one costs little, but one is enough.
const ServerIdentity& test_identity() {
    static const ServerIdentity identity = create_identity();
    return identity;
}

}  // namespace

// --- identity ---------------------------------------------------------------------------------------

TEST_CASE("a new identity is an Ed25519 key with a self-signed certificate, fingerprinted by its SPKI") {
    const ServerIdentity identity = create_identity();
    CHECK(identity.private_key_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));  // PKCS#8, not encrypted
    CHECK(identity.certificate_pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
    CHECK(identity.fingerprint == spki_fingerprint_of_pem(identity.certificate_pem));
    CHECK(identity.fingerprint != Sha256{});

    // The certificate: CN=imrdesk-server as subject and issuer, Ed25519, valid for 20 years.
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(identity.certificate_pem.data(), static_cast<int>(identity.certificate_pem.size())), &BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                      &X509_free);
    REQUIRE(cert);
    char subject[128] = {};
    X509_NAME_oneline(X509_get_subject_name(cert.get()), subject, sizeof subject);
    CHECK(std::string(subject) == "/CN=imrdesk-server");
    CHECK(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())) == 0);
    CHECK(EVP_PKEY_is_a(X509_get0_pubkey(cert.get()), "ED25519") == 1);
    CHECK(X509_verify(cert.get(), X509_get0_pubkey(cert.get())) == 1);  // self-signed
    int days = 0;
    int seconds = 0;
    REQUIRE(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert.get()), X509_get0_notAfter(cert.get())) == 1);
    CHECK(days >= 20 * 365);
    CHECK(days <= 20 * 366);

    // The fingerprint is of the whole SubjectPublicKeyInfo: for Ed25519 that is a fixed 12-byte
    // header and the 32-byte key (X509_pubkey_digest would hash only the 32 bytes).
    unsigned char bits_digest[EVP_MAX_MD_SIZE];
    unsigned int bits_size = 0;
    REQUIRE(X509_pubkey_digest(cert.get(), EVP_sha256(), bits_digest, &bits_size) == 1);
    CHECK_FALSE(std::equal(identity.fingerprint.begin(), identity.fingerprint.end(), bits_digest));

    // Two identities are two keys.
    CHECK(create_identity().fingerprint != identity.fingerprint);
}

TEST_CASE("a fingerprint is shown as 16 groups of 4 upper-case hex digits") {
    Sha256 fingerprint{};
    for (std::size_t i = 0; i < fingerprint.size(); ++i) fingerprint[i] = static_cast<std::uint8_t>(i * 17 + 0x3F);
    const std::string text = format_fingerprint(fingerprint);
    CHECK(text.size() == 64 + 15);
    CHECK(text.starts_with("3F50 6172 8394 "));
    CHECK(text.ends_with(" 3D4E"));  // 30 * 17 + 0x3F = 0x23D, 31 * 17 + 0x3F = 0x24E
    CHECK(format_fingerprint(Sha256{}) == "0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000");
}

TEST_CASE("spki_fingerprint_of_pem refuses what is not a certificate") {
    CHECK_THROWS_AS((void)spki_fingerprint_of_pem(""), TlsError);
    CHECK_THROWS_AS((void)spki_fingerprint_of_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                    TlsError);
    CHECK_THROWS_AS((void)spki_fingerprint(nullptr), TlsError);
}

TEST_CASE("load_or_create_identity creates an identity once and then loads it") {
    const TempDir temp;
    const fs::path dir = temp / "server";  // missing: created

    bool created = false;
    const ServerIdentity first = load_or_create_identity(dir, &created);
    CHECK(created);
    CHECK(first.fingerprint == spki_fingerprint_of_pem(first.certificate_pem));
    CHECK(imrdesk::test::read_file(dir / "server.key") == first.private_key_pem);
    CHECK(imrdesk::test::read_file(dir / "server.crt") == first.certificate_pem);
    CHECK((fs::status(dir / "server.key").permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK((fs::status(dir).permissions() & fs::perms::all) == fs::perms::owner_all);
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 2);  // no temp file left

    const ServerIdentity second = load_or_create_identity(dir, &created);
    CHECK_FALSE(created);
    CHECK(second.fingerprint == first.fingerprint);
    CHECK(second.private_key_pem == first.private_key_pem);
    CHECK(second.certificate_pem == first.certificate_pem);
    CHECK(load_or_create_identity(dir).fingerprint == first.fingerprint);  // `created` may be null
}

TEST_CASE("load_or_create_identity never replaces an identity it cannot load") {
    const TempDir temp;
    const ServerIdentity identity = create_identity();
    const ServerIdentity other = create_identity();
    const fs::path key = temp / "server.key";
    const fs::path crt = temp / "server.crt";
    const auto load = [&] { (void)load_or_create_identity(temp.path()); };

    SUBCASE("the certificate is missing") {
        imrdesk::test::write_file(key, identity.private_key_pem);
        const std::string message = tls_error_of(load);
        CHECK(message.find(crt.string() + " is missing") != std::string::npos);
        CHECK_FALSE(fs::exists(crt));
        CHECK(imrdesk::test::read_file(key) == identity.private_key_pem);
    }
    SUBCASE("the key is missing") {
        imrdesk::test::write_file(crt, identity.certificate_pem);
        CHECK(tls_error_of(load).find(key.string() + " is missing") != std::string::npos);
        CHECK_FALSE(fs::exists(key));
    }
    SUBCASE("the key is corrupt") {
        std::string corrupt = identity.private_key_pem;
        corrupt[40] = corrupt[40] == 'A' ? 'B' : 'A';  // inside the base64
        imrdesk::test::write_file(key, corrupt);
        imrdesk::test::write_file(crt, identity.certificate_pem);
        const std::string message = tls_error_of(load);
        CHECK(message.find(key.string()) != std::string::npos);
        CHECK(imrdesk::test::read_file(key) == corrupt);
    }
    SUBCASE("the key is not PEM at all") {
        imrdesk::test::write_file(key, "not a key\n");
        imrdesk::test::write_file(crt, identity.certificate_pem);
        CHECK(tls_error_of(load).find(key.string() + ": not an unencrypted PEM private key") != std::string::npos);
    }
    SUBCASE("the key is empty") {
        imrdesk::test::write_file(key, "");
        imrdesk::test::write_file(crt, identity.certificate_pem);
        CHECK(tls_error_of(load).find(key.string()) != std::string::npos);
    }
    SUBCASE("the certificate is corrupt") {
        imrdesk::test::write_file(key, identity.private_key_pem);
        imrdesk::test::write_file(crt, identity.certificate_pem.substr(0, 100));
        CHECK(tls_error_of(load).find(crt.string() + ": not a PEM certificate") != std::string::npos);
    }
    SUBCASE("the certificate is for another key") {
        imrdesk::test::write_file(key, identity.private_key_pem);
        imrdesk::test::write_file(crt, other.certificate_pem);
        const std::string message = tls_error_of(load);
        CHECK(message.find(crt.string() + " does not match " + key.string()) != std::string::npos);
        CHECK(imrdesk::test::read_file(crt) == other.certificate_pem);
    }
}

TEST_CASE("load_or_create_identity reports a directory it cannot use as a TlsError") {
    const TempDir temp;
    imrdesk::test::write_file(temp / "file", "not a directory");
    const std::string message = tls_error_of([&] { (void)load_or_create_identity(temp / "file"); });
    CHECK(message.find((temp / "file" / "server.key").string()) != std::string::npos);
    CHECK(imrdesk::test::read_file(temp / "file") == "not a directory");
}

TEST_CASE("configure_server refuses an inconsistent identity") {
    ServerIdentity identity = create_identity();
    asio::ssl::context context(asio::ssl::context::tls_server);
    SUBCASE("the fingerprint is not the certificate's") {
        identity.fingerprint[0] ^= 1;
        CHECK_THROWS_AS(configure_server(context, identity), TlsError);
    }
    SUBCASE("the certificate is for another key") {
        const ServerIdentity other = create_identity();
        identity.certificate_pem = other.certificate_pem;
        identity.fingerprint = other.fingerprint;
        CHECK_THROWS_AS(configure_server(context, identity), TlsError);
    }
}

TEST_CASE("the exporter refuses a connection that has not completed its handshake") {
    asio::io_context io;
    asio::ssl::context context(asio::ssl::context::tls_client);
    SslStream stream(io, context);
    CHECK_THROWS_AS((void)export_keying_material(stream.native_handle()), TlsError);
    CHECK_THROWS_AS((void)export_keying_material(nullptr), TlsError);
}

// --- handshakes -------------------------------------------------------------------------------------

TEST_CASE("a client pinning the server's key connects over TLS 1.3 and both ends export the same secret") {
    const ServerIdentity& identity = test_identity();
    ServerContext server(identity);
    ClientContext client(identity.fingerprint);

    const Session first = run_session(server.context, client.context);
    REQUIRE_MESSAGE(!first.server.error, first.server.error.message());
    REQUIRE_MESSAGE(!first.client.error, first.client.error.message());
    CHECK(first.server.version == TLS1_3_VERSION);
    CHECK(first.client.version == TLS1_3_VERSION);
    CHECK(client.pin->checked);
    CHECK(client.pin->matched);
    CHECK(client.pin->presented == identity.fingerprint);
    CHECK(first.client.verify_result == X509_V_OK);  // not "self-signed certificate": the pin was checked
    CHECK(first.server.exporter.size() == kExporterBytes);
    CHECK(first.server.exporter == first.client.exporter);
    CHECK(first.server.exporter != std::vector<std::uint8_t>(kExporterBytes, 0));

    // Another session on the same contexts: a full handshake again, and other keying material.
    *client.pin = PinCheck{};
    const Session second = run_session(server.context, client.context);
    REQUIRE_MESSAGE(!second.server.error, second.server.error.message());
    REQUIRE_MESSAGE(!second.client.error, second.client.error.message());
    CHECK(client.pin->checked);
    CHECK(second.server.exporter == second.client.exporter);
    CHECK(second.server.exporter != first.server.exporter);
}

TEST_CASE("a client pinning another key refuses the server and says what it was shown") {
    const ServerIdentity& identity = test_identity();
    ServerContext server(identity);
    Sha256 pinned = identity.fingerprint;
    pinned[31] ^= 0x80;
    ClientContext client(pinned);

    const Session session = run_session(server.context, client.context);
    CHECK(ssl_reason(session.client.error) == SSL_R_CERTIFICATE_VERIFY_FAILED);
    CHECK(session.client.verify_result == X509_V_ERR_CERT_REJECTED);
    CHECK(ssl_reason(session.server.error) == SSL_R_SSLV3_ALERT_BAD_CERTIFICATE);  // the client's alert
    CHECK(session.client.exporter.empty());
    CHECK(client.pin->checked);
    CHECK_FALSE(client.pin->matched);
    CHECK(client.pin->presented == identity.fingerprint);
}

TEST_CASE("a client pinning a server's key refuses another server") {
    const ServerIdentity& expected = test_identity();
    const ServerIdentity impostor = create_identity();
    ServerContext server(impostor);
    ClientContext client(expected.fingerprint);

    const Session session = run_session(server.context, client.context);
    CHECK(ssl_reason(session.client.error) == SSL_R_CERTIFICATE_VERIFY_FAILED);
    CHECK(session.server.error);
    CHECK(client.pin->checked);
    CHECK_FALSE(client.pin->matched);
    CHECK(client.pin->presented == impostor.fingerprint);
}

TEST_CASE("the server refuses a client that offers only TLS 1.2") {
    const ServerIdentity& identity = test_identity();
    ServerContext server(identity);
    asio::ssl::context client_context(asio::ssl::context::tls_client);
    REQUIRE(SSL_CTX_set_min_proto_version(client_context.native_handle(), TLS1_2_VERSION) == 1);
    REQUIRE(SSL_CTX_set_max_proto_version(client_context.native_handle(), TLS1_2_VERSION) == 1);
    client_context.set_verify_mode(asio::ssl::verify_none);

    const Session session = run_session(server.context, client_context);
    CHECK(ssl_reason(session.server.error) == SSL_R_UNSUPPORTED_PROTOCOL);
    CHECK(ssl_reason(session.client.error) == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION);
    CHECK(session.server.exporter.empty());
}

TEST_CASE("a client refuses a server that offers only TLS 1.2") {
    const ServerIdentity& identity = test_identity();
    asio::ssl::context server_context(asio::ssl::context::tls_server);
    configure_server(server_context, identity);
    REQUIRE(SSL_CTX_set_min_proto_version(server_context.native_handle(), TLS1_2_VERSION) == 1);
    REQUIRE(SSL_CTX_set_max_proto_version(server_context.native_handle(), TLS1_2_VERSION) == 1);
    ClientContext client(identity.fingerprint);

    const Session session = run_session(server_context, client.context);
    // The client offers TLS 1.3 alone, so it is the TLS 1.2 server that gives up, with an alert.
    CHECK(ssl_reason(session.server.error) == SSL_R_UNSUPPORTED_PROTOCOL);
    CHECK(ssl_reason(session.client.error) == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION);
    CHECK_FALSE(client.pin->checked);  // refused before any certificate
}
