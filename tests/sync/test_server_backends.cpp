// What the choice of store backend brings: where a store is (--store), its schema versions and
// migrations, the server key kept in the store (sealed under a passphrase or not), the request
// allowance, and several writers at once on one store (two Store objects stand for two server
// processes): revisions commit in order, so a reader following the cursor while they write
// misses nothing.
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "imrdesk/platform/sqlite.hpp"
#include "imrdesk/sync/server/store.hpp"
#include "store_backend.hpp"
#include "temp_dir.hpp"

using namespace imrdesk;
using namespace imrdesk::sync;
using namespace imrdesk::sync::server;
using imrdesk::test::TempDir;

namespace {

constexpr std::int64_t kStart = 1'780'000'000;

PublicKey key_of(std::uint8_t n) {
    PublicKey key{};
    key.fill(n);
    key[0] = 0xEB;
    return key;
}

domain::Id make_id(std::uint8_t tag, std::uint32_t n) {
    domain::Id id;
    id.bytes[0] = tag;
    id.bytes[1] = 0xB4;
    id.bytes[12] = static_cast<std::uint8_t>(n >> 24);
    id.bytes[13] = static_cast<std::uint8_t>(n >> 16);
    id.bytes[14] = static_cast<std::uint8_t>(n >> 8);
    id.bytes[15] = static_cast<std::uint8_t>(n);
    return id;
}

Bytes bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

Device author(Store& store, const std::string& agency, std::uint8_t key) {
    return store.enrol(store.issue_token(TokenRequest{"SAR 2026-03", agency, Role::Author, "P", 72}).token, key_of(key),
                       agency + " laptop");
}

void make_case(Store& store) {
    CaseRecord c;
    c.reference = "SAR 2026-03";
    c.title = "Adult A";
    store.create_case(c);
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("backends: --store names a file, sqlite:PATH or a PostgreSQL URI, and never shows a password") {
    CHECK(StoreLocation::parse("/var/lib/imrdesk/server.db").kind == StoreLocation::Kind::Sqlite);
    CHECK(StoreLocation::parse("sqlite:/srv/s.db").target == "/srv/s.db");
    CHECK(StoreLocation::parse("sqlite:///srv/s.db").target == "/srv/s.db");
    CHECK(StoreLocation::parse("relative.db").target == "relative.db");
    const auto pg = StoreLocation::parse("postgresql://imrdesk:s3cret@db.example:5432/imrdesk?sslmode=require");
    CHECK(pg.kind == StoreLocation::Kind::Postgres);
    CHECK(pg.display().find("s3cret") == std::string::npos);
    CHECK(pg.display().find("db.example") != std::string::npos);
    CHECK(StoreLocation::parse("postgres://u@h/d?password=hunter22&sslmode=verify-full").display().find("hunter22") ==
          std::string::npos);
    CHECK(error_of([] { (void)StoreLocation::parse("mysql://h/d"); }).find("mysql://") != std::string::npos);
    CHECK(!error_of([] { (void)StoreLocation::parse(""); }).empty());
    CHECK(!error_of([] { (void)StoreLocation::parse("sqlite:"); }).empty());
}

TEST_CASE("backends: an unreachable PostgreSQL store is a clear error naming it, without its password") {
    const auto what = error_of([] {
        Store store(StoreLocation::parse("postgresql://imrdesk:s3cret@127.0.0.1:1/imrdesk?connect_timeout=2"));
    });
    CHECK(what.find("cannot connect to the PostgreSQL store") != std::string::npos);
    CHECK(what.find("127.0.0.1") != std::string::npos);
    CHECK(what.find("s3cret") == std::string::npos);
}

TEST_CASE("backends: a new store reports its schema and a reopened one is current") {
    const TempDir dir;
    const auto where = test::fresh_store(dir);
    {
        Store store(where);
        CHECK(store.schema_report() == "created schema version 3");
    }
    Store store(where, system_clock_now, StoreOptions{StoreOpen::RequireCurrent, 4});
    CHECK(store.schema_report() == "schema version 3 is current");
    CHECK(store.verify().ok());
}

TEST_CASE("backends: an older SQLite store is refused until migrated, and migrate keeps its revisions") {
    const TempDir dir;
    const auto file = dir / "server.db";
    {
        // Version 2 as it was written: no counters table, revisions taken as MAX + 1.
        Store store(file);
        make_case(store);
        const auto d = author(store, "Police", 1);
        (void)store.push(d, Push{{PushRecord{make_id(1, 1), make_id(1, 1), domain::RecordKind::Imr, 0, bytes_of("h"), false, {}},
                                  PushRecord{make_id(1, 2), make_id(1, 1), domain::RecordKind::Section, 0, bytes_of("s"), false, {}}}});
    }
    {
        platform::sql::Database db(file, false);
        db.exec("DROP TABLE counters; UPDATE meta SET value = '2' WHERE key = 'schema'");
    }
    const auto what = error_of([&] { Store store(StoreLocation::sqlite(file), system_clock_now, StoreOptions{StoreOpen::RequireCurrent, 1}); });
    CHECK(what.find("schema version 2") != std::string::npos);
    CHECK(what.find("imrdesk-server migrate") != std::string::npos);
    Store store(StoreLocation::sqlite(file), system_clock_now, StoreOptions{StoreOpen::Migrate, 1});
    CHECK(store.schema_report() == "migrated from schema version 2 to 3");
    CHECK(store.verify().ok());
    // The next write takes the revision after the newest, not 1 again.
    const auto d = store.authenticate(key_of(1));
    const auto result = store.push(d, Push{{PushRecord{make_id(1, 3), make_id(1, 1), domain::RecordKind::Section, 0, bytes_of("t"), false, {}}}});
    CHECK(std::get<PushAccepted>(result.outcomes.at(0)).revision == 3);
}

TEST_CASE("backends: a store of a newer schema is refused, not changed") {
    const TempDir dir;
    const auto where = test::fresh_store(dir);
    {
        Store store(where);
        (void)store.server_identity(std::nullopt, std::nullopt);
    }
    if (where.kind == StoreLocation::Kind::Sqlite) {
        platform::sql::Database db(where.target, false);
        db.exec("UPDATE meta SET value = '9' WHERE key = 'schema'");
    } else {
        test::postgres_exec(where.target, "UPDATE meta SET value = '9' WHERE key = 'schema'");
    }
    const auto what = error_of([&] { Store store(where); });
    CHECK(what.find("schema version 9 is newer") != std::string::npos);
}

TEST_CASE("backends: every server of one store presents the same key, whatever its data directory") {
    const TempDir dir;
    const auto where = test::fresh_store(dir);
    bool created = false;
    Store first(where);
    const auto a = first.server_identity(std::nullopt, dir / "server-a", &created);
    CHECK(created);
    Store second(where);
    const auto b = second.server_identity(std::nullopt, dir / "server-b", &created);
    CHECK_FALSE(created);
    CHECK(a.fingerprint == b.fingerprint);
    CHECK(a.private_key_pem == b.private_key_pem);
}

TEST_CASE("backends: the data directory's key of an earlier version is taken over, so pinned devices still connect") {
    const TempDir dir;
    const auto old = tls::load_or_create_identity(dir / "data");  // what an earlier version made
    Store store(test::fresh_store(dir));
    bool created = true;
    const auto taken = store.server_identity(std::nullopt, dir / "data", &created);
    CHECK_FALSE(created);
    CHECK(taken.fingerprint == old.fingerprint);
}

TEST_CASE("backends: a key sealed under a passphrase needs it, and the store never holds it in the clear") {
    const TempDir dir;
    const auto where = test::fresh_store(dir);
    const std::string passphrase = "correct horse battery staple";
    Store store(where);
    const auto made = store.server_identity(passphrase, std::nullopt);
    CHECK(store.server_identity(passphrase, std::nullopt).fingerprint == made.fingerprint);
    CHECK(error_of([&] { (void)store.server_identity(std::string("wrong passphrase here"), std::nullopt); })
              .find("passphrase is wrong") != std::string::npos);
    CHECK(error_of([&] { (void)store.server_identity(std::nullopt, std::nullopt); }).find("--key-passphrase-file") !=
          std::string::npos);
    if (where.kind == StoreLocation::Kind::Sqlite) {
        // The file holds no private key text.
        platform::sql::Database db(where.target, false);
        CHECK(db.scalar_int("SELECT COUNT(*) FROM meta WHERE value LIKE '%PRIVATE KEY%'") == 0);
        CHECK(db.scalar_int("SELECT COUNT(*) FROM meta WHERE key = 'server_key_sealed'") == 1);
        // A sealed key altered in the store is refused, not used.
        db.exec("UPDATE meta SET value = replace(value, '\"sealed\":\"', '\"sealed\":\"00') WHERE key = 'server_key_sealed'");
        CHECK(!error_of([&] { (void)store.server_identity(passphrase, std::nullopt); }).empty());
    }
    // A key stored in the clear is not silently taken with a passphrase that would not protect it.
    const TempDir other;
    Store plain(test::fresh_store(other));
    (void)plain.server_identity(std::nullopt, std::nullopt);
    CHECK(error_of([&] { (void)plain.server_identity(passphrase, std::nullopt); }).find("not sealed") != std::string::npos);
}

TEST_CASE("backends: a device's request allowance is taken from one bucket") {
    const TempDir dir;
    const auto where = test::fresh_store(dir);
    Store a(where);
    Store b(where);
    const auto device = make_id(9, 1);
    int allowed = 0;
    for (int i = 0; i < 4; ++i) allowed += a.allow_request(device, 6) ? 1 : 0;
    // On PostgreSQL the second server takes from the same bucket; on SQLite (one server per
    // file) each process keeps its own.
    for (int i = 0; i < 4; ++i) allowed += b.allow_request(device, 6) ? 1 : 0;
    CHECK(allowed == (where.kind == StoreLocation::Kind::Postgres ? 6 : 8));
    CHECK(a.allow_request(make_id(9, 2), 6));  // another device has its own
}

TEST_CASE("backends: two writers on one store, a reader following its cursor meanwhile: nothing skipped, nothing twice") {
    const TempDir dir;
    const auto where = test::fresh_store(dir);
    Store one(where);
    Store two(where);
    make_case(one);
    // A reviewer sees nothing of drafts; an author of each agency writes its own IMR, so the
    // reader is a third author device of the Police who reads the Police IMR as both write it.
    const auto police_a = author(one, "Police", 1);
    const auto police_b = author(two, "Police", 2);
    const auto reader = author(one, "Police", 3);
    const auto imr = make_id(1, 0);
    (void)one.push(police_a, Push{{PushRecord{imr, imr, domain::RecordKind::Imr, 0, bytes_of("header"), false, {}}}});

    constexpr std::uint32_t kPerWriter = 150;
    std::atomic<int> writers_done{0};
    const auto write = [&](Store& store, const Device& d, std::uint8_t tag) {
        for (std::uint32_t n = 0; n < kPerWriter; n += 3) {
            Push p;
            for (std::uint32_t k = n; k < n + 3 && k < kPerWriter; ++k)
                p.records.push_back(PushRecord{make_id(tag, k), imr, domain::RecordKind::ChronologyEntry, 0,
                                               bytes_of("entry " + std::to_string(k)), false, {}});
            (void)store.push(d, p);
        }
        ++writers_done;
    };
    std::thread t1(write, std::ref(one), std::cref(police_a), std::uint8_t{2});
    std::thread t2(write, std::ref(two), std::cref(police_b), std::uint8_t{3});
    std::set<domain::Id> seen;
    std::size_t received = 0;
    std::uint64_t cursor = 0;
    Store reading(where);
    for (int guard = 0; guard < 100000; ++guard) {
        const bool last = writers_done.load() == 2;
        const auto page = reading.pull(reader, Pull{cursor, 7}, 7);
        for (const auto& r : page.records) {
            CHECK(r.revision > cursor);
            seen.insert(r.id);
            ++received;
        }
        cursor = page.next_cursor;
        if (last && !page.more) break;
    }
    t1.join();
    t2.join();
    CHECK(seen.size() == 1 + 2 * kPerWriter);
    CHECK(received == seen.size());  // each once
    CHECK(one.verify().ok());
    CHECK(static_cast<std::size_t>(one.max_revision()) == seen.size());
}
