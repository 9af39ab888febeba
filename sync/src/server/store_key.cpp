// The server's TLS identity, kept in the store: sealed under a passphrase (Argon2id,
// XChaCha20-Poly1305) or not, taken over from a data directory of an earlier version.
#include "imrdesk/crypto/aead.hpp"
#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/sync/server/store.hpp"
#include "store_internal.hpp"

namespace imrdesk::sync::server {

using namespace store_detail;

// --- the server's key --------------------------------------------------------------------------

namespace {

constexpr const char* kCertificateKey = "server_certificate";  // PEM
constexpr const char* kKeyPlain = "server_key";                // PEM, when no passphrase was given
constexpr const char* kKeySealed = "server_key_sealed";        // JSON: Argon2id parameters, sealed PEM
constexpr std::string_view kKeyAad = "imrdesk-server key v1";

std::optional<std::string> meta_value(db::Connection& c, const char* key) {
    auto s = c.prepare("SELECT value FROM meta WHERE key = ?");
    if (!s.bind(1, key).step()) return std::nullopt;
    return s.column_text(0);
}

std::span<const std::uint8_t> bytes_of(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string seal_key(const std::string& pem, const std::string& passphrase) {
    const auto params = crypto::kdf::interactive();
    const auto kek = crypto::kdf::derive(passphrase, params);
    const auto sealed = crypto::aead::seal(kek, bytes_of(pem), bytes_of(kKeyAad));
    return json{{"opslimit", params.opslimit},
                {"memlimit", params.memlimit},
                {"salt", crypto::to_hex(params.salt)},
                {"sealed", crypto::to_hex(sealed)}}
        .dump();
}

std::string open_key(const std::string& stored, const std::string& passphrase) {
    crypto::kdf::Params params;
    std::vector<std::uint8_t> sealed;
    try {
        const auto j = json::parse(stored);
        params.opslimit = j.at("opslimit").get<std::uint64_t>();
        params.memlimit = j.at("memlimit").get<std::uint64_t>();
        const auto salt = crypto::from_hex(j.at("salt").get<std::string>());
        if (salt.size() != params.salt.size()) throw StoreError("the sealed server key in the store is damaged (salt)");
        std::copy(salt.begin(), salt.end(), params.salt.begin());
        sealed = crypto::from_hex(j.at("sealed").get<std::string>());
        crypto::kdf::validate(params);
    } catch (const json::exception& e) {
        throw StoreError(std::string("the sealed server key in the store is damaged: ") + e.what());
    } catch (const crypto::FormatError& e) {
        throw StoreError(std::string("the sealed server key in the store is damaged: ") + e.what());
    }
    const auto kek = crypto::kdf::derive(passphrase, params);
    try {
        const auto pem = crypto::aead::open(kek, sealed, bytes_of(kKeyAad));
        return std::string(reinterpret_cast<const char*>(pem.data()), pem.size());
    } catch (const crypto::AuthenticationError&) {
        throw StoreError("the server key passphrase is wrong (or the sealed key in the store was altered)");
    }
}

}  // namespace

tls::ServerIdentity Store::server_identity(const std::optional<std::string>& passphrase,
                                           const std::optional<std::filesystem::path>& legacy_dir, bool* created) {
    if (created != nullptr) *created = false;
    auto lease = backend_->connect();
    auto& c = *lease;
    const auto read_stored = [&]() -> std::optional<tls::ServerIdentity> {
        const auto certificate = meta_value(c, kCertificateKey);
        if (!certificate) return std::nullopt;
        const auto plain = meta_value(c, kKeyPlain);
        const auto sealed = meta_value(c, kKeySealed);
        std::string pem;
        if (sealed) {
            if (!passphrase) {
                throw StoreError("the server key in " + location().display() +
                                 " is sealed under a passphrase: give --key-passphrase-file");
            }
            pem = open_key(*sealed, *passphrase);
        } else if (plain) {
            if (passphrase) {
                throw StoreError("the server key in " + location().display() +
                                 " is not sealed under a passphrase, but --key-passphrase-file was given");
            }
            pem = *plain;
        } else {
            throw StoreError("the store " + location().display() + " holds the server's certificate but not its key");
        }
        return tls::identity_from_pem(std::move(pem), *certificate, "the server key in the store",
                                      "the server certificate in the store");
    };
    if (auto stored = read_stored()) return *stored;

    // None yet: take over the data directory's files (devices have pinned that key), or make one.
    std::optional<tls::ServerIdentity> identity;
    if (legacy_dir) identity = tls::load_identity_if_present(*legacy_dir);
    const bool fresh = !identity;
    if (fresh) identity = tls::create_identity();
    {
        db::Transaction tx(c);
        // Another server may store one at the same moment: the first one stored wins.
        c.prepare("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .bind(1, kCertificateKey)
            .bind(2, identity->certificate_pem)
            .run();
        if (c.changes() == 1) {
            if (passphrase) {
                c.prepare("INSERT INTO meta(key, value) VALUES (?, ?)").bind(1, kKeySealed).bind(2, seal_key(identity->private_key_pem, *passphrase)).run();
            } else {
                c.prepare("INSERT INTO meta(key, value) VALUES (?, ?)").bind(1, kKeyPlain).bind(2, identity->private_key_pem).run();
            }
            tx.commit();
            if (created != nullptr) *created = fresh;
            return *identity;
        }
    }
    return *read_stored();
}


}  // namespace imrdesk::sync::server
