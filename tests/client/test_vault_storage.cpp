// How the vault stores what sync and large batches need: a merge base the server agrees with is
// the body (not a second copy) and survives a local edit; large writes (sealed on another thread)
// and large reads (two connections, two halves) hold and report exactly what small ones do.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "imrdesk/crypto/aead.hpp"
#include "vault_fixtures.hpp"

using namespace imrdesk;
using client::Acknowledged;
using client::RecordWrite;
using client::Vault;
using domain::Id;
using domain::RecordKind;

namespace {

constexpr std::string_view kPassphrase = "storage test passphrase";

std::string entry_body(const std::string& event) {
    return domain::to_json(test::sample_entry(domain::PartialDate::day(2024, 5, 6), event)).dump();
}

Id numbered_id(std::size_t n) {
    Id id;
    for (std::size_t i = 0; i < id.bytes.size(); ++i) id.bytes[i] = static_cast<std::uint8_t>((n * 131 + i * 17 + (n >> 8)) & 0xFF);
    id.bytes[0] = static_cast<std::uint8_t>(n & 0xFF);
    id.bytes[1] = static_cast<std::uint8_t>(n >> 8);
    return id;
}

std::size_t base_size(test::RawDb& db, const Id& id) {
    return static_cast<std::size_t>(db.scalar("SELECT coalesce(length(base_body), 0) FROM records WHERE id = x'" + id.hex() + "'"));
}

}  // namespace

TEST_CASE("a base the server agrees with is the body itself, and a local edit keeps it as it was sent") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    const Id imr = test::make_id(1), entry = test::make_id(50);
    const std::string sent = entry_body("as sent"), edited = entry_body("edited here since");
    {
        auto vault = Vault::create(file, kPassphrase, test::fast_create()).vault;
        const std::vector<RecordWrite> writes{
            {.id = imr, .imr_id = imr, .kind = RecordKind::Imr, .body = domain::to_json(test::sample_header("SAR 9")).dump()},
            {.id = entry, .imr_id = imr, .kind = RecordKind::ChronologyEntry, .body = sent}};
        vault->write(writes, "test.written");
        const auto seq = vault->sync_record(entry)->local_seq;
        const std::vector<Acknowledged> acks{{entry, seq, 7, sent, false}};
        vault->acknowledge(acks);
        const auto r = vault->sync_record(entry);
        CHECK_FALSE(r->dirty);
        CHECK(r->server_revision == 7);
        CHECK(r->base == sent);
    }
    {
        test::RawDb db(file);
        CHECK(base_size(db, entry) == crypto::aead::kOverhead);  // an empty sealing: "the body"
    }
    auto vault = Vault::open(file, kPassphrase);
    RecordWrite edit{.id = entry, .imr_id = imr, .kind = RecordKind::ChronologyEntry, .body = edited, .deleted = false};
    vault->write(std::span(&edit, 1), "test.edited");
    auto r = vault->sync_record(entry);
    CHECK(r->dirty);
    CHECK(r->body == edited);
    CHECK(r->base == sent);  // the version the server holds, for the next merge
    {
        test::RawDb db(file);
        CHECK(base_size(db, entry) > sent.size());  // now a sealed copy of its own
    }
    // Edited again: the base is still what the server holds.
    edit.body = entry_body("and again");
    vault->write(std::span(&edit, 1), "test.edited");
    CHECK(vault->sync_record(entry)->base == sent);
    // Acknowledged: the body is what the server holds now, and the base says so again.
    const auto seq = vault->sync_record(entry)->local_seq;
    const std::vector<Acknowledged> acks{{entry, seq, 8, edit.body, false}};
    vault->acknowledge(acks);
    r = vault->sync_record(entry);
    CHECK_FALSE(r->dirty);
    CHECK(r->base == edit.body);
    CHECK(vault->verify().ok());
}

TEST_CASE("an acknowledgement of a version changed since keeps the record to send, with the sent text as its base") {
    test::TempDir tmp;
    const Id imr = test::make_id(1), entry = test::make_id(50);
    auto vault = Vault::create(tmp / "vault.db", kPassphrase, test::fast_create()).vault;
    const std::string sent = entry_body("sent"), later = entry_body("typed while it was on its way");
    RecordWrite w{.id = entry, .imr_id = imr, .kind = RecordKind::ChronologyEntry, .body = sent, .deleted = false};
    vault->write(std::span(&w, 1), "test.written");
    const auto seq = vault->sync_record(entry)->local_seq;
    w.body = later;
    vault->write(std::span(&w, 1), "test.edited");
    const std::vector<Acknowledged> acks{{entry, seq, 3, sent, false}};
    vault->acknowledge(acks);
    const auto r = vault->sync_record(entry);
    CHECK(r->dirty);
    CHECK(r->server_revision == 3);
    CHECK(r->body == later);
    CHECK(r->base == sent);
}

TEST_CASE("a server version taken whole is stored once, and its base opens as the body") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    const Id imr = test::make_id(1), entry = test::make_id(60);
    const std::string remote = entry_body("from the server");
    auto vault = Vault::create(file, kPassphrase, test::fast_create()).vault;
    client::RemoteWrite w;
    w.id = entry;
    w.imr_id = imr;
    w.kind = RecordKind::ChronologyEntry;
    w.revision = 12;
    w.remote_body = remote;
    w.action = client::RemoteAction::Take;
    vault->apply_remote(std::span(&w, 1), 12, "test.pulled", nlohmann::json::object());
    const auto r = vault->sync_record(entry);
    CHECK(r->body == remote);
    CHECK(r->base == remote);
    CHECK_FALSE(r->dirty);
    test::RawDb db(file);
    CHECK(base_size(db, entry) == crypto::aead::kOverhead);
}

TEST_CASE("a base that says 'the body' moved to another record does not open there") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    const Id imr = test::make_id(1), a = test::make_id(70), b = test::make_id(90);
    {
        auto vault = Vault::create(file, kPassphrase, test::fast_create()).vault;
        for (const auto& id : {a, b}) {
            RecordWrite w{.id = id, .imr_id = imr, .kind = RecordKind::ChronologyEntry, .body = entry_body(id.hex()), .deleted = false};
            vault->write(std::span(&w, 1), "test.written");
            const std::vector<Acknowledged> acks{{id, vault->sync_record(id)->local_seq, 1, w.body, false}};
            vault->acknowledge(acks);
            RecordWrite edit = w;
            edit.body = entry_body("edited " + id.hex());
            if (id == b) vault->write(std::span(&edit, 1), "test.edited");  // b's base becomes a sealed copy
        }
    }
    {
        test::RawDb db(file);
        db.exec("UPDATE records SET base_body = (SELECT base_body FROM records WHERE id = x'" + a.hex() + "') WHERE id = x'" +
                b.hex() + "'");
    }
    auto vault = Vault::open(file, kPassphrase);
    CHECK(vault->sync_record(a)->base.has_value());
    CHECK_THROWS_AS((void)vault->sync_record(b), client::VaultTampered);
}

TEST_CASE("a large batch (sealed while it is stored) and a large read (two halves, two connections) hold every record") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    const Id imr = test::make_id(1);
    constexpr std::size_t kEntries = 1500;  // past the size from which both run on two threads
    std::vector<RecordWrite> writes;
    writes.push_back({.id = imr, .imr_id = imr, .kind = RecordKind::Imr, .body = domain::to_json(test::sample_header("SAR 7")).dump()});
    for (std::size_t i = 0; i < kEntries; ++i)
        writes.push_back({.id = numbered_id(i), .imr_id = imr, .kind = RecordKind::ChronologyEntry,
                          .body = entry_body("entry " + std::to_string(i)), .deleted = false});
    {
        auto vault = Vault::create(file, kPassphrase, test::fast_create()).vault;
        vault->write(writes, "test.imported");
    }
    const auto expect_whole = [&](const client::LoadResult& loaded, const std::set<Id>& damaged) {
        CHECK(loaded.problems.size() == damaged.size());
        for (const auto& id : damaged) CHECK(test::has_problem_for(loaded, id));
        REQUIRE(loaded.records.size() == writes.size() - damaged.size());
        // In the order they were written (rowid order, one half after the other), each with its text.
        std::size_t at = 0;
        for (const auto& w : writes) {
            if (damaged.contains(w.id)) continue;
            CHECK(loaded.records[at].id == w.id);
            CHECK(loaded.records[at].body == w.body);
            ++at;
        }
    };
    {
        auto vault = Vault::open(file, kPassphrase);
        expect_whole(vault->load_all(), {});
        expect_whole(vault->load_imr(imr), {});
    }
    // One record altered in each half: both reported, naming them, everything else read.
    const Id early = writes[10].id, late = writes[kEntries - 10].id;
    {
        test::RawDb db(file);
        for (const auto& id : {early, late}) {
            auto body = db.body(id);
            body[30] ^= 0x40;
            db.set_body(id, body);
        }
    }
    auto vault = Vault::open(file, kPassphrase);
    expect_whole(vault->load_all(), {early, late});
    expect_whole(vault->load_imr(imr), {early, late});
    // The model built from it holds every entry that opens.
    client::Workspace ws(std::move(vault));
    CHECK(ws.imrs().size() == 1);
    CHECK(ws.imrs()[0].entries.size() == kEntries - 2);
}
