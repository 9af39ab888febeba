#pragma once
// The engine under test: imrdesk's Vault, created with the insecure-fast KDF params so that the
// throughput figures carry no Argon2id (unlock is measured on its own).
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "corpus.hpp"
#include "engine.hpp"
#include "imrdesk/client/vault.hpp"
#include "imrdesk/crypto/kdf.hpp"

namespace imrdesk::bench {

inline constexpr std::string_view kPassphrase = "correct horse battery staple, bench edition";

// Removes a vault file with its WAL, shared memory, journal and lock files.
void remove_vault(const std::filesystem::path& file);
// Creates a vault (replacing any at file) with the given KDF params.
[[nodiscard]] std::unique_ptr<client::Vault> create_vault(const std::filesystem::path& file,
                                                          const crypto::kdf::Params& kdf);

struct UnlockToModel {
    double open_ms = 0;   // Vault::open
    double model_ms = 0;  // Workspace construction
    double kdf_ms = 0;    // kdf::derive alone at the vault's params
};

class VaultEngine final : public Engine {
public:
    VaultEngine(const Corpus& corpus, std::filesystem::path file);
    ~VaultEngine() override;
    VaultEngine(const VaultEngine&) = delete;
    VaultEngine& operator=(const VaultEngine&) = delete;

    double import_all() override;  // times Vault::write of every record ("chronology.imported")
    double read_all() override;    // times load_all()
    double autosave(std::size_t begin, std::size_t count) override;  // Vault::write of one record each
    void reset() override;

    // Closes the vault, then times Workspace(Vault::open(...)) on it and kdf::derive on its own.
    // Throws unless the model holds every entry.
    UnlockToModel unlock_to_model();

private:
    const Corpus& corpus_;
    std::filesystem::path file_;
    std::vector<client::RecordWrite> import_;
    std::vector<client::RecordWrite> saves_;
    std::unique_ptr<client::Vault> vault_;  // open from read_all() until reset()
};

}  // namespace imrdesk::bench
