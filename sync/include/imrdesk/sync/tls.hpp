#pragma once
// TLS for the sync connection: the server's identity (an Ed25519 key and a self-signed
// certificate), TLS 1.3 contexts for both ends, and the keying-material exporter.
//
// Trust model: there is no CA. The enrolment code carries the SHA-256 of the server's public key
// (its SubjectPublicKeyInfo, DER), and the client refuses any server whose leaf certificate has a
// different key. Names, dates and signatures on the certificate are deliberately not checked: the
// certificate is only a container for the key, and TLS 1.3's CertificateVerify proves that the
// server holds the private key. Pinning the key rather than the certificate means a certificate
// re-issued for the same key keeps every enrolled client working.
//
// The exporter (RFC 8446 §7.5) gives both ends of one session the same secret bytes. They go into
// auth_transcript / enrol_transcript (messages.hpp), which the client signs with its device key,
// so the signature is bound to this very TLS session: a man-in-the-middle holds two sessions with
// different exporter values and cannot relay the signature from one to the other.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <asio/ssl/context.hpp>

#include "imrdesk/sync/messages.hpp"

namespace imrdesk::sync::tls {

// Makes OpenSSL zero every block it frees (TLS records hold decrypted sync bodies), through
// platform's zeroing heap. Call first thing in main, before anything uses OpenSSL; false when
// OpenSSL had already allocated and kept its own functions.
bool zero_freed_memory() noexcept;

class TlsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The label of the exported keying material, and its size.
inline constexpr std::string_view kExporterLabel = "EXPORTER-imrdesk-auth-v1";
inline constexpr std::size_t kExporterBytes = 32;

// The server's long-term identity, as kept in server.key and server.crt.
struct ServerIdentity {
    std::string private_key_pem;  // PKCS#8 PEM of an Ed25519 key ("-----BEGIN PRIVATE KEY-----")
    std::string certificate_pem;  // self-signed X.509 v3, CN=imrdesk-server, valid 20 years
    Sha256 fingerprint{};         // SHA-256 of the certificate's SubjectPublicKeyInfo (DER): what clients pin
};

// Creates a new Ed25519 key and a self-signed certificate for it. Throws TlsError.
[[nodiscard]] ServerIdentity create_identity();

// The identity in dir/server.key and dir/server.crt. When neither file exists, creates a new
// identity, writes both files (owner-only, atomically: temp file, fsync, rename; the directory
// is created, mode 0700, if missing) and sets *created to true; otherwise sets it to false.
// Throws TlsError naming the file and the problem when only one of the two exists, when either
// cannot be read or parsed, when the key is not Ed25519 or when the certificate is not for the
// key. It never replaces an identity it could not load: clients have pinned the old key.
[[nodiscard]] ServerIdentity load_or_create_identity(const std::filesystem::path& dir, bool* created = nullptr);

// An identity from its two PEM texts, checked as load_or_create_identity checks the files (the
// sources name where the texts came from in its errors). Throws TlsError.
[[nodiscard]] ServerIdentity identity_from_pem(std::string private_key_pem, std::string certificate_pem,
                                               const std::string& key_source, const std::string& certificate_source);
// The identity in dir/server.key and dir/server.crt, or nullopt when neither exists (nothing is
// created). Throws TlsError as load_or_create_identity does.
[[nodiscard]] std::optional<ServerIdentity> load_identity_if_present(const std::filesystem::path& dir);

// SHA-256 of a certificate's SubjectPublicKeyInfo in DER. Throws TlsError.
[[nodiscard]] Sha256 spki_fingerprint(X509* certificate);
// The same for a PEM certificate (the first one in the text). Throws TlsError when it does not parse.
[[nodiscard]] Sha256 spki_fingerprint_of_pem(std::string_view certificate_pem);

// For people: 64 upper-case hex digits in 16 groups of 4 separated by spaces, "3F2A 9C01 ...".
[[nodiscard]] std::string format_fingerprint(const Sha256& fingerprint);

// Sets up a server context: TLS 1.3 only, no compression, no session tickets or session cache
// (every connection is a full handshake), no client certificates (clients prove who they are
// inside the connection), the identity's key and certificate. Works on a context made with any
// method (tls_server is fine). Throws TlsError if the key or certificate do not load or match.
void configure_server(asio::ssl::context& context, const ServerIdentity& identity);

// What the client saw of the server's key during the last handshake on a context.
struct PinCheck {
    bool checked = false;  // the server's certificate was looked at
    bool matched = false;  // its key is the pinned one
    Sha256 presented{};    // the fingerprint of the key the server presented
};

// Sets up a client context that pins the server's key: TLS 1.3 only, no compression, no CA
// checks; the handshake fails unless the server's leaf certificate has the SPKI fingerprint
// `pinned`. `observed` (may be null) receives what the server presented, so that the caller can
// say "the server's key is X but the enrolment code pinned Y". The PinCheck is shared by every
// connection made with the context: use one context per connection attempt when reading it.
void configure_client(asio::ssl::context& context, const Sha256& pinned, std::shared_ptr<PinCheck> observed);

// kExporterBytes of keying material for this session (RFC 8446 §7.5 / RFC 5705) with the label
// kExporterLabel and no context: equal on both ends of one session, unrelated across sessions.
// Throws TlsError before the handshake has completed or if the export fails.
[[nodiscard]] std::vector<std::uint8_t> export_keying_material(SSL* ssl);

}  // namespace imrdesk::sync::tls
