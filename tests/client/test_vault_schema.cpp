// Files that are not (this version's) vaults: a newer schema, another SQLite database, random
// bytes, a truncated vault. Each is a clear error, never a crash.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>

#include "imrdesk/client/sqlite.hpp"
#include "vault_fixtures.hpp"

using namespace imrdesk;
using client::Vault;
using client::VaultError;

namespace {

constexpr std::string_view kPassphrase = "schema test passphrase";

// Opens the file expecting a refusal; returns the message. A VaultError or an sql::Error is a
// clear refusal; anything else (or success) fails the test.
std::string refusal(const std::filesystem::path& file) {
    try {
        (void)Vault::open(file, kPassphrase);
    } catch (const VaultError& e) {
        return e.what();
    } catch (const client::sql::Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        FAIL("unexpected kind of error: " << std::string(e.what()));
        return {};
    }
    FAIL("the file opened as a vault");
    return {};
}

}  // namespace

TEST_CASE("a vault written by a newer schema is refused, saying so") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    { auto created = Vault::create(file, kPassphrase, test::fast_create()); }
    { auto vault = Vault::open(file, kPassphrase); }  // opens at the current schema
    {
        test::RawDb db(file);
        CHECK(db.scalar("PRAGMA user_version") == Vault::kSchemaVersion);
        db.exec("PRAGMA user_version=99");
    }
    try {
        (void)Vault::open(file, kPassphrase);
        FAIL("a vault of schema 99 opened");
    } catch (const VaultError& e) {
        const std::string message = e.what();
        CHECK(message.find("newer") != std::string::npos);
        CHECK(message.find("99") != std::string::npos);
    }
    // Refusing it changed nothing.
    test::RawDb db(file);
    CHECK(db.scalar("PRAGMA user_version") == 99);
}

TEST_CASE("a SQLite database that is not a vault is refused") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(file.c_str(), &raw) == SQLITE_OK);
        REQUIRE(sqlite3_exec(raw, "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES('keep me');", nullptr, nullptr,
                             nullptr) == SQLITE_OK);
        sqlite3_close(raw);
    }
    const std::string message = refusal(file);
    CHECK(message.find("not an imrdesk vault") != std::string::npos);
    CHECK(message.find("vault.db") != std::string::npos);
    test::RawDb db(file);
    CHECK(db.scalar("SELECT count(*) FROM notes") == 1);
}

TEST_CASE("a vault-shaped database at user_version 0 is refused") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    { auto created = Vault::create(file, kPassphrase, test::fast_create()); }
    {
        test::RawDb db(file);
        db.exec("PRAGMA user_version=0");
    }
    CHECK(refusal(file).find("not an imrdesk vault") != std::string::npos);
}

TEST_CASE("random bytes named vault.db are a clear error naming the file, never a crash") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    std::mt19937 rng(12345);
    std::string bytes;
    SUBCASE("pure noise") {
        bytes.resize(64 * 1024);
        for (auto& b : bytes) b = static_cast<char>(rng());
    }
    SUBCASE("a SQLite header followed by noise") {
        bytes = std::string("SQLite format 3\0", 16);
        bytes.resize(32 * 1024);
        for (std::size_t i = 16; i < bytes.size(); ++i) bytes[i] = static_cast<char>(rng());
    }
    SUBCASE("a few bytes") { bytes = "not a database"; }
    test::write_file(file, bytes);
    const std::string message = refusal(file);
    CHECK(message.find("vault.db") != std::string::npos);
    MESSAGE(message);
}

TEST_CASE("an empty file named vault.db is not a vault") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    test::write_file(file, "");
    CHECK(refusal(file).find("vault.db") != std::string::npos);
}

TEST_CASE("a truncated or overwritten vault is an error, never a crash") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    {
        auto created = Vault::create(file, kPassphrase, test::fast_create());
        const client::RecordWrite w{test::make_id(1), test::make_id(1), domain::RecordKind::GlossaryEntry,
                                    test::glossary_body("A", std::string(20000, 'x')), false};
        created.vault->write(std::span<const client::RecordWrite>(&w, 1), "fill");
    }
    const std::string whole = test::read_file(file);
    REQUIRE(whole.size() >= 8192);
    std::string damaged;
    SUBCASE("cut after the first page") { damaged = whole.substr(0, 4096); }
    SUBCASE("cut in the middle of a page") { damaged = whole.substr(0, whole.size() / 2 + 123); }
    SUBCASE("the second page zeroed") {
        damaged = whole;
        std::fill(damaged.begin() + 4096, damaged.begin() + 8192, '\0');
    }
    test::write_file(file, damaged);
    // Either refused on open, or opened with the damage reported by verify().
    try {
        auto vault = Vault::open(file, kPassphrase);
        const auto report = vault->verify();
        CHECK_FALSE(report.ok());
        MESSAGE("opened; verify: " << test::join_lines(report.problems));
    } catch (const VaultError& e) {
        MESSAGE("refused: " << std::string(e.what()));
    } catch (const client::sql::Error& e) {
        MESSAGE("refused: " << std::string(e.what()));
        CHECK(std::string(e.what()).find("vault.db") != std::string::npos);
    }
}

TEST_CASE("no vault, and an existing file, are clear errors") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    try {
        (void)Vault::open(file, kPassphrase);
        FAIL("opened a vault that does not exist");
    } catch (const VaultError& e) {
        CHECK(std::string(e.what()).find("no vault") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(file));
    test::write_file(file, "precious");
    CHECK_THROWS_AS((void)Vault::create(file, kPassphrase, test::fast_create()), VaultError);
    CHECK(test::read_file(file) == "precious");
    CHECK_THROWS_AS((void)Vault::create(tmp / "other.db", "", test::fast_create()), VaultError);
    CHECK_FALSE(std::filesystem::exists(tmp / "other.db"));
}

// Schema 2's records table, as imrdesk 0.1 wrote it (client/core/src/vault_internal.hpp then).
constexpr const char* kRecordsV2 = R"sql(
CREATE TABLE records_v2(
  id         BLOB PRIMARY KEY,
  imr_id     BLOB NOT NULL,
  kind       INTEGER NOT NULL,
  body       BLOB,
  base_body  BLOB,
  server_rev INTEGER NOT NULL DEFAULT 0,
  dirty      INTEGER NOT NULL DEFAULT 1,
  deleted    INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  local_seq  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO records_v2 SELECT id, imr_id, kind, body, base_body, server_rev, dirty, deleted, updated_at, local_seq FROM records;
DROP TABLE records;
ALTER TABLE records_v2 RENAME TO records;
CREATE INDEX records_by_imr ON records(imr_id);
PRAGMA user_version=2;
)sql";

TEST_CASE("a vault of schema 2 opens at schema 3 with every record, its merge base and what is left to send") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    const auto imr = test::make_id(1);
    const auto synced = test::make_id(40), edited = test::make_id(80), fresh = test::make_id(120), gone = test::make_id(160);
    const auto entry = [](const std::string& event) {
        return domain::to_json(test::sample_entry(domain::PartialDate::day(2024, 3, 1), event)).dump();
    };
    {
        auto vault = Vault::create(file, kPassphrase, test::fast_create()).vault;
        using client::RecordWrite;
        const std::vector<RecordWrite> writes{
            {.id = imr, .imr_id = imr, .kind = domain::RecordKind::Imr, .body = domain::to_json(test::sample_header("SAR 1")).dump()},
            {.id = synced, .imr_id = imr, .kind = domain::RecordKind::ChronologyEntry, .body = entry("synced")},
            {.id = edited, .imr_id = imr, .kind = domain::RecordKind::ChronologyEntry, .body = entry("as sent")},
            {.id = fresh, .imr_id = imr, .kind = domain::RecordKind::ChronologyEntry, .body = entry("never sent")},
            {.id = gone, .imr_id = imr, .kind = domain::RecordKind::ChronologyEntry, .body = entry("to delete")}};
        vault->write(writes, "test.written");
        // Schema 2 sealed every merge base in full: an acknowledgement of a version the vault no
        // longer holds (local_seq -1) writes it that way still (and leaves the record to send,
        // which the conversion below undoes for the two the server agrees with).
        const std::vector<client::Acknowledged> acks{{imr, -1, 1, writes[0].body, false},
                                                     {synced, -1, 2, writes[1].body, false},
                                                     {edited, -1, 3, writes[2].body, false},
                                                     {gone, -1, 4, writes[4].body, false}};
        vault->acknowledge(acks);
        RecordWrite edit{.id = edited, .imr_id = imr, .kind = domain::RecordKind::ChronologyEntry, .body = entry("edited since")};
        vault->write(std::span(&edit, 1), "test.edited");
        RecordWrite removal{.id = gone, .imr_id = imr, .kind = domain::RecordKind::ChronologyEntry, .body = {}, .deleted = true};
        vault->write(std::span(&removal, 1), "test.deleted");
    }
    {
        test::RawDb db(file);
        db.exec("UPDATE records SET dirty = 0 WHERE id IN (x'" + imr.hex() + "', x'" + synced.hex() + "')");
        db.exec(kRecordsV2);
    }

    auto vault = Vault::open(file, kPassphrase);
    {
        test::RawDb db(file);
        CHECK(db.scalar("PRAGMA user_version") == 3);
        CHECK(db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'records_to_push'") == 1);
        CHECK(db.scalar("SELECT count(*) FROM records") == 5);
    }
    const auto loaded = vault->load_all();
    CHECK(loaded.problems.empty());
    REQUIRE(loaded.records.size() == 5);
    CHECK(std::count_if(loaded.records.begin(), loaded.records.end(), [](const auto& r) { return r.deleted; }) == 1);
    const auto base_of = [&](const domain::Id& id) { return vault->sync_record(id)->base; };
    CHECK(base_of(synced) == entry("synced"));
    CHECK(base_of(edited) == entry("as sent"));
    CHECK(vault->sync_record(edited)->body == entry("edited since"));
    CHECK(!base_of(fresh).has_value());
    CHECK(vault->sync_record(gone)->deleted);
    // What is left to send: the three changed since the server last agreed.
    std::set<domain::Id> dirty;
    for (const auto& r : vault->dirty_records(100, 1 << 20)) dirty.insert(r.id);
    CHECK(dirty == std::set<domain::Id>{fresh, edited, gone});
    CHECK(vault->verify().problems.empty());
}
