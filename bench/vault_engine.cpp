#include "vault_engine.hpp"

#include <span>
#include <stdexcept>
#include <utility>

#include "imrdesk/client/workspace.hpp"

namespace imrdesk::bench {

using client::RecordWrite;
using client::Vault;
using domain::RecordKind;

void remove_vault(const std::filesystem::path& file) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal", ".lock"})
        std::filesystem::remove(std::filesystem::path(file).concat(suffix));
}

std::unique_ptr<Vault> create_vault(const std::filesystem::path& file, const crypto::kdf::Params& kdf) {
    remove_vault(file);
    client::CreateOptions options;
    options.kdf = kdf;
    return Vault::create(file, kPassphrase, options).vault;
}

VaultEngine::VaultEngine(const Corpus& corpus, std::filesystem::path file) : corpus_(corpus), file_(std::move(file)) {
    import_.push_back({.id = corpus.imr, .imr_id = corpus.imr, .kind = RecordKind::Imr, .body = corpus.header_body});
    for (std::size_t i = 0; i < corpus.ids.size(); ++i)
        import_.push_back({.id = corpus.ids[i], .imr_id = corpus.imr, .kind = RecordKind::ChronologyEntry, .body = corpus.bodies[i]});
    for (std::size_t i = 0; i < corpus.autosave_bodies.size(); ++i)
        saves_.push_back({.id = corpus.ids[i], .imr_id = corpus.imr, .kind = RecordKind::ChronologyEntry,
                          .body = corpus.autosave_bodies[i]});
}

VaultEngine::~VaultEngine() {
    try {
        reset();
    } catch (...) {  // a destructor does not throw; the directory is removed anyway
    }
}

double VaultEngine::import_all() {
    reset();
    auto vault = create_vault(file_, crypto::kdf::insecure_fast_for_tests());
    const auto start = Clock::now();
    vault->write(import_, "chronology.imported");
    return ms_since(start);
}

double VaultEngine::read_all() {
    vault_.reset();
    vault_ = Vault::open(file_, kPassphrase);  // a fresh connection, as after unlocking
    const auto start = Clock::now();
    const client::LoadResult loaded = vault_->load_all();
    const double elapsed = ms_since(start);

    std::size_t bytes = 0;
    for (const auto& r : loaded.records) bytes += r.body.size();
    if (loaded.records.size() != corpus_.rows() || bytes != corpus_.body_bytes || !loaded.problems.empty())
        throw std::runtime_error("the vault's read-back differs from what was written");
    return elapsed;
}

double VaultEngine::autosave(std::size_t begin, std::size_t count) {
    if (!vault_) throw std::logic_error("autosave before read_all");
    const auto writes = std::span<const RecordWrite>(saves_).subspan(begin, count);
    const auto start = Clock::now();
    for (const auto& w : writes) vault_->write(std::span(&w, 1), "chronology.updated");
    return ms_since(start);
}

void VaultEngine::reset() {
    vault_.reset();
    remove_vault(file_);
}

UnlockToModel VaultEngine::unlock_to_model() {
    vault_.reset();
    UnlockToModel out;
    auto start = Clock::now();
    auto vault = Vault::open(file_, kPassphrase);
    out.open_ms = ms_since(start);
    start = Clock::now();
    client::Workspace workspace(std::move(vault));
    out.model_ms = ms_since(start);
    if (workspace.imrs().size() != 1 || workspace.imrs()[0].entries.size() != corpus_.ids.size() ||
        !workspace.load_problems().empty())
        throw std::runtime_error("the workspace did not load every entry");

    const auto params = workspace.vault().kdf_params();
    start = Clock::now();
    (void)crypto::kdf::derive(kPassphrase, params);
    out.kdf_ms = ms_since(start);
    return out;
}

}  // namespace imrdesk::bench
