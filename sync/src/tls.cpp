#include "imrdesk/sync/tls.hpp"

#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>
#include <span>
#include <system_error>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/platform/io.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/platform/zeroing_heap.hpp"

namespace imrdesk::sync::tls {

namespace {

constexpr const char* kCommonName = "imrdesk-server";
constexpr long kValidityDays = 20 * 365 + 5;           // 20 years, leap days included
constexpr std::size_t kMaxFileBytes = 64 * 1024;       // a key or certificate is a few hundred bytes
constexpr const char* kKeyFile = "server.key";
constexpr const char* kCertificateFile = "server.crt";

// --- OpenSSL objects, freed by RAII ---------------------------------------------------------------

template <auto Free>
struct OpenSslDeleter {
    template <typename T>
    void operator()(T* object) const noexcept {
        Free(object);
    }
};
struct OpenSslBufferDeleter {
    void operator()(unsigned char* buffer) const noexcept { OPENSSL_free(buffer); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<&EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<&X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<&BIO_free_all>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<&X509_EXTENSION_free>>;
using BufferPtr = std::unique_ptr<unsigned char, OpenSslBufferDeleter>;

// A string overwritten with zeros when it goes away: for private-key PEM text this file holds.
struct WipedString {
    std::string text;
    WipedString() = default;
    WipedString(const WipedString&) = delete;
    WipedString& operator=(const WipedString&) = delete;
    ~WipedString() { OPENSSL_cleanse(text.data(), text.size()); }
};

// The most recent error on OpenSSL's queue as "library: reason", and the queue emptied (a stale
// error left there would be blamed on a later, unrelated call on this thread).
std::string take_openssl_error() {
    const unsigned long code = ERR_peek_last_error();
    std::string text;
    if (code != 0) {
        const char* library = ERR_lib_error_string(code);
        const char* reason = ERR_reason_error_string(code);
        if (reason != nullptr) {
            text = library != nullptr ? std::string(library) + ": " + reason : std::string(reason);
        } else {
            char buffer[256] = {};
            ERR_error_string_n(code, buffer, sizeof buffer);
            text = buffer;
        }
    }
    ERR_clear_error();
    return text.empty() ? std::string("no detail from OpenSSL") : text;
}

[[noreturn]] void fail(const std::string& what) {
    throw TlsError(what + " (" + take_openssl_error() + ")");
}

// PEM readers call this instead of prompting on the terminal for the passphrase of an encrypted
// key: the server runs unattended, so an encrypted key is an error.
int refuse_passphrase(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* /*user*/) { return 0; }

BioPtr read_only_bio(std::string_view text) {
    if (text.size() > static_cast<std::size_t>(INT_MAX)) throw TlsError("PEM text too large");
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio) fail("cannot allocate a memory BIO");
    return bio;
}

// `source` names where the text came from, for the message: a file name or "the server's private key".
PkeyPtr parse_private_key(std::string_view pem, const std::string& source) {
    ERR_clear_error();
    const BioPtr bio = read_only_bio(pem);
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &refuse_passphrase, nullptr));
    if (!key) fail(source + ": not an unencrypted PEM private key");
    if (EVP_PKEY_is_a(key.get(), "ED25519") != 1) {
        const char* type = EVP_PKEY_get0_type_name(key.get());
        throw TlsError(source + ": not an Ed25519 key (it is " + (type != nullptr ? type : "of an unknown type") + ")");
    }
    return key;
}

X509Ptr parse_certificate(std::string_view pem, const std::string& source) {
    ERR_clear_error();
    const BioPtr bio = read_only_bio(pem);
    X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, &refuse_passphrase, nullptr));
    if (!certificate) fail(source + ": not a PEM certificate");
    return certificate;
}

// Everything written to a memory BIO, as one string allocated once (no reallocation leaves a
// partial copy of a private key on the heap).
std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    if (size <= 0 || data == nullptr) fail("cannot encode PEM");
    return std::string(data, static_cast<std::size_t>(size));
}

std::optional<Sha256> try_spki_fingerprint(X509* certificate) noexcept {
    if (certificate == nullptr) return std::nullopt;
    const X509_PUBKEY* spki = X509_get_X509_PUBKEY(certificate);
    if (spki == nullptr) return std::nullopt;
    unsigned char* der = nullptr;
    const int size = i2d_X509_PUBKEY(spki, &der);
    const BufferPtr owned(der);
    if (size <= 0 || der == nullptr) return std::nullopt;
    return crypto::sha256(crypto::Bytes(der, static_cast<std::size_t>(size)));
}

// TLS 1.3 and nothing else, no compression, no session resumption: every connection makes a full
// handshake, so the client sees (and checks) the server's certificate every time, and the
// exporter never comes from a resumed session.
void restrict_to_tls13(asio::ssl::context& context) {
    SSL_CTX* ctx = context.native_handle();
    ERR_clear_error();
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1) {
        fail("cannot restrict the TLS context to TLS 1.3");
    }
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (SSL_CTX_set_num_tickets(ctx, 0) != 1) fail("cannot turn off TLS 1.3 session tickets");
}

// --- files ------------------------------------------------------------------------------------------


// Whether anything (even a dangling symbolic link) is at `path`.
bool entry_exists(const std::filesystem::path& path) {
    std::error_code ec;
    const auto status = std::filesystem::symlink_status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
        throw TlsError("cannot look for " + path.string() + ": " + ec.message());
    }
    return std::filesystem::exists(status);
}

// Reads a whole file into `out`, sized once from fstat, so that the bytes of a key pass through
// no buffer other than the caller's (which wipes it).
void read_identity_file(const std::filesystem::path& path, std::string& out) {
    try {
        platform::ReadOnlyFile file(path);
        if (!file.is_regular()) throw TlsError(path.string() + " is not a regular file");
        const auto size = file.size();
        if (size > kMaxFileBytes) {
            throw TlsError(path.string() + " is too large (" + std::to_string(size) + " bytes) to be a key or certificate");
        }
        out.assign(static_cast<std::size_t>(size), '\0');
        std::size_t got = 0;
        while (got < out.size()) {
            const std::size_t n = file.read(std::span<char>(out.data() + got, out.size() - got));
            if (n == 0) break;  // shrank while we read: parse what is there
            got += n;
        }
        out.resize(got);
    } catch (const std::system_error& e) {
        throw TlsError("cannot read " + path.string() + ": " + e.code().message());
    }
}

ServerIdentity load_identity(const std::filesystem::path& key_path, const std::filesystem::path& certificate_path) {
    WipedString key_pem;
    read_identity_file(key_path, key_pem.text);
    std::string certificate_pem;
    read_identity_file(certificate_path, certificate_pem);
    return identity_from_pem(std::move(key_pem.text), std::move(certificate_pem), key_path.string(), certificate_path.string());
}

}  // namespace

// --- identity ---------------------------------------------------------------------------------------
ServerIdentity identity_from_pem(std::string private_key_pem, std::string certificate_pem, const std::string& key_source,
                                 const std::string& certificate_source) {
    WipedString key_pem;
    key_pem.text = std::move(private_key_pem);
    const PkeyPtr key = parse_private_key(key_pem.text, key_source);
    ServerIdentity identity;
    identity.certificate_pem = std::move(certificate_pem);
    const X509Ptr certificate = parse_certificate(identity.certificate_pem, certificate_source);
    const EVP_PKEY* certified = X509_get0_pubkey(certificate.get());
    if (certified == nullptr) fail(certificate_source + ": cannot read the certificate's public key");
    if (EVP_PKEY_eq(certified, key.get()) != 1) {
        ERR_clear_error();
        throw TlsError(certificate_source + " does not match " + key_source +
                       ": the certificate is for another key (are the two from different servers?)");
    }
    identity.fingerprint = spki_fingerprint(certificate.get());
    identity.private_key_pem = std::move(key_pem.text);
    return identity;
}

std::optional<ServerIdentity> load_identity_if_present(const std::filesystem::path& dir) {
    if (!entry_exists(dir / kKeyFile) && !entry_exists(dir / kCertificateFile)) return std::nullopt;
    return load_or_create_identity(dir);
}


ServerIdentity create_identity() {
    ERR_clear_error();
    const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!key) fail("cannot generate an Ed25519 key");

    const X509Ptr certificate(X509_new());
    if (!certificate) fail("cannot allocate a certificate");
    X509* cert = certificate.get();

    // A random positive serial number: 63 bits, never zero.
    std::uint64_t serial = 0;
    std::array<std::uint8_t, sizeof serial> drawn{};
    crypto::random_bytes(drawn);
    std::memcpy(&serial, drawn.data(), sizeof serial);
    serial = (serial & 0x7FFF'FFFF'FFFF'FFFFULL) | 1U;

    X509_NAME* name = X509_get_subject_name(cert);
    const auto* common_name = reinterpret_cast<const unsigned char*>(kCommonName);
    if (X509_set_version(cert, X509_VERSION_3) != 1 ||
        ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial) != 1 ||
        X509_gmtime_adj(X509_getm_notBefore(cert), 0) == nullptr ||
        X509_time_adj_ex(X509_getm_notAfter(cert), static_cast<int>(kValidityDays), 0, nullptr) == nullptr ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, common_name, -1, -1, 0) != 1 ||
        X509_set_issuer_name(cert, name) != 1 || X509_set_pubkey(cert, key.get()) != 1) {
        fail("cannot fill in the certificate");
    }

    // An end-entity certificate for TLS server signatures; the key identifier after the public key
    // is in place (it is its hash).
    X509V3_CTX v3{};  // zeroed: no config database
    X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
    const std::pair<int, const char*> extensions[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature"},
        {NID_ext_key_usage, "serverAuth"},
        {NID_subject_key_identifier, "hash"},
    };
    for (const auto& [nid, value] : extensions) {
        const ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &v3, nid, value));
        if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) fail("cannot add a certificate extension");
    }

    // Ed25519 signs the message itself, so no digest is named.
    if (X509_sign(cert, key.get(), nullptr) <= 0) fail("cannot sign the certificate");

    ServerIdentity identity;
    {
        // A secure-heap BIO: its buffer is wiped when freed.
        const BioPtr bio(BIO_new(BIO_s_secmem()));
        if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
            fail("cannot encode the private key");
        }
        identity.private_key_pem = bio_contents(bio.get());
    }
    {
        const BioPtr bio(BIO_new(BIO_s_mem()));
        if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) fail("cannot encode the certificate");
        identity.certificate_pem = bio_contents(bio.get());
    }
    identity.fingerprint = spki_fingerprint(cert);
    return identity;
}

ServerIdentity load_or_create_identity(const std::filesystem::path& dir, bool* created) {
    if (created != nullptr) *created = false;
    const std::filesystem::path key_path = dir / kKeyFile;
    const std::filesystem::path certificate_path = dir / kCertificateFile;
    const bool have_key = entry_exists(key_path);
    const bool have_certificate = entry_exists(certificate_path);

    if (have_key && have_certificate) return load_identity(key_path, certificate_path);
    if (have_key) {
        throw TlsError(certificate_path.string() + " is missing but " + key_path.string() +
                       " exists: restore " + certificate_path.string() + " from a backup, or remove " +
                       key_path.string() + " to make a new identity (every client will have to enrol again)");
    }
    if (have_certificate) {
        throw TlsError(key_path.string() + " is missing but " + certificate_path.string() + " exists: restore " +
                       key_path.string() + " from a backup, or remove " + certificate_path.string() +
                       " to make a new identity (every client will have to enrol again)");
    }

    // Neither: a new server. The key goes first. Should writing the certificate fail, the new key
    // is removed again (no client can have pinned it yet), so that the next start can try afresh;
    // should the process die between the two writes, the next start reports the missing
    // certificate rather than quietly making another key.
    ServerIdentity identity = create_identity();
    bool key_written = false;
    try {
        if (!entry_exists(dir)) platform::create_private_directory(dir);
        platform::write_file_atomically(key_path, identity.private_key_pem);
        key_written = true;
        platform::write_file_atomically(certificate_path, identity.certificate_pem);
    } catch (const std::system_error& e) {
        if (key_written) {
            std::error_code ignored;
            std::filesystem::remove(key_path, ignored);
        }
        OPENSSL_cleanse(identity.private_key_pem.data(), identity.private_key_pem.size());
        throw TlsError(std::string("cannot save the new server identity: ") + e.what());
    }
    if (created != nullptr) *created = true;
    return identity;
}

// --- fingerprints -----------------------------------------------------------------------------------

Sha256 spki_fingerprint(X509* certificate) {
    ERR_clear_error();
    if (certificate == nullptr) throw TlsError("no certificate to take the fingerprint of");
    const auto fingerprint = try_spki_fingerprint(certificate);
    if (!fingerprint) fail("cannot compute the fingerprint of the certificate's public key");
    return *fingerprint;
}

Sha256 spki_fingerprint_of_pem(std::string_view certificate_pem) {
    const X509Ptr certificate = parse_certificate(certificate_pem, "the certificate");
    return spki_fingerprint(certificate.get());
}

bool zero_freed_memory() noexcept {
    return CRYPTO_set_mem_functions([](std::size_t size, const char*, int) { return platform::zeroing_malloc(size); },
                                    [](void* block, std::size_t size, const char*, int) {
                                        return platform::zeroing_realloc(block, size);
                                    },
                                    [](void* block, const char*, int) { platform::zeroing_free(block); }) == 1;
}

std::string format_fingerprint(const Sha256& fingerprint) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(fingerprint.size() * 2 + fingerprint.size() / 2 - 1);
    for (std::size_t i = 0; i < fingerprint.size(); ++i) {
        if (i > 0 && i % 2 == 0) out.push_back(' ');
        out.push_back(kHex[fingerprint[i] >> 4]);
        out.push_back(kHex[fingerprint[i] & 0x0F]);
    }
    return out;
}

// --- contexts ---------------------------------------------------------------------------------------

void configure_server(asio::ssl::context& context, const ServerIdentity& identity) {
    restrict_to_tls13(context);
    // Clients prove who they are inside the connection (a signature over the exporter), not with
    // certificates.
    context.set_verify_mode(asio::ssl::verify_none);

    const PkeyPtr key = parse_private_key(identity.private_key_pem, "the server's private key");
    const X509Ptr certificate = parse_certificate(identity.certificate_pem, "the server's certificate");
    // The fingerprint is what enrolment codes carry: serving another key would lock every client out.
    if (spki_fingerprint(certificate.get()) != identity.fingerprint) {
        throw TlsError("the server identity's fingerprint is not that of its certificate");
    }
    SSL_CTX* ctx = context.native_handle();
    ERR_clear_error();
    if (SSL_CTX_use_certificate(ctx, certificate.get()) != 1) fail("cannot use the server's certificate");
    if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) fail("cannot use the server's private key");
    if (SSL_CTX_check_private_key(ctx) != 1) fail("the server's certificate is not for its private key");
}

void configure_client(asio::ssl::context& context, const Sha256& pinned, std::shared_ptr<PinCheck> observed) {
    restrict_to_tls13(context);
    context.set_verify_mode(asio::ssl::verify_peer);
    // OpenSSL calls this once for every problem it finds in the chain and once for every
    // certificate at the end, deepest first. There is no CA, so `preverified` is false for the
    // self-signed leaf and is ignored; every call judges the leaf itself (the certificate being
    // verified, whatever the depth of the current one), so the answer is the same on every call
    // and no call can accept a chain whose leaf has another key. The error it leaves becomes
    // SSL_get_verify_result and picks the alert: "certificate rejected" (bad_certificate) for
    // another key, X509_V_OK for the pinned one (instead of "self-signed certificate", which
    // OpenSSL reports although the pin is what was checked). It runs inside OpenSSL's C code:
    // nothing may throw out of it.
    context.set_verify_callback(
        [pinned, observed = std::move(observed)](bool /*preverified*/, asio::ssl::verify_context& verify) noexcept {
            X509_STORE_CTX* store = verify.native_handle();
            const std::optional<Sha256> presented = try_spki_fingerprint(X509_STORE_CTX_get0_cert(store));
            const bool matched = presented.has_value() && *presented == pinned;
            if (observed) {
                observed->checked = presented.has_value();
                observed->matched = matched;
                observed->presented = presented.value_or(Sha256{});
            }
            X509_STORE_CTX_set_error(store, matched ? X509_V_OK : X509_V_ERR_CERT_REJECTED);
            return matched;
        });
}

// --- exporter ---------------------------------------------------------------------------------------

std::vector<std::uint8_t> export_keying_material(SSL* ssl) {
    if (ssl == nullptr || SSL_is_init_finished(ssl) != 1) {
        throw TlsError("no keying material to export before the TLS handshake has completed");
    }
    // The contexts allow nothing else; an exporter of TLS 1.2 without the extended master secret
    // would not be unique to the session.
    if (SSL_version(ssl) != TLS1_3_VERSION) throw TlsError("the keying-material exporter needs TLS 1.3");
    std::vector<std::uint8_t> material(kExporterBytes);
    ERR_clear_error();
    if (SSL_export_keying_material(ssl, material.data(), material.size(), kExporterLabel.data(),
                                   kExporterLabel.size(), nullptr, 0, 0) != 1) {
        fail("cannot export keying material");
    }
    return material;
}

}  // namespace imrdesk::sync::tls
