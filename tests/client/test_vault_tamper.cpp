// Tampering with the file while the vault is closed (as someone holding a copy of it could):
// every alteration is reported, naming what was altered, and everything else stays readable.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "imrdesk/client/sqlite.hpp"
#include "vault_fixtures.hpp"

using namespace imrdesk;
using client::Vault;
using client::VaultError;
using client::VaultTampered;
using client::Workspace;
using domain::Id;

namespace {

constexpr std::string_view kPassphrase = "correct horse battery staple";

struct Sample {
    std::filesystem::path file;
    Id imr_a;
    Id imr_b;
    std::vector<Id> entries_a;
    std::vector<Id> entries_b;
    Id glossary_a;
    std::set<Id> live;  // every live (non-deleted) record id
};

Sample make_sample(const test::TempDir& tmp) {
    Sample s;
    s.file = tmp / "vault.db";
    auto created = Vault::create(s.file, kPassphrase, test::fast_create());
    Workspace ws(std::move(created.vault));
    s.imr_a = ws.create_imr(test::sample_header("SAR 2026-01", "Adult A"));
    s.imr_b = ws.create_imr(test::sample_header("SAR 2026-02", "Adult B"));
    for (int i = 0; i < 5; ++i)
        s.entries_a.push_back(ws.add_entry(s.imr_a, test::sample_entry(domain::PartialDate::day(2020, 1, 1 + i), "A event " + std::to_string(i))));
    for (int i = 0; i < 3; ++i)
        s.entries_b.push_back(ws.add_entry(s.imr_b, test::sample_entry(domain::PartialDate::day(2021, 2, 1 + i), "B event " + std::to_string(i))));
    s.glossary_a = ws.save_glossary(s.imr_a, std::nullopt, {"GP", "General practitioner", {}});
    ws.save_section(s.imr_a, {"analysis.q1", "Some analysis", false, {}, {}, false, nlohmann::json::object()});
    for (const auto& r : ws.vault().load_all().records)
        if (!r.deleted) s.live.insert(r.id);
    REQUIRE(s.live.size() == 2 + 5 + 3 + 1 + 1);
    return s;
}

std::unique_ptr<Vault> open(const Sample& s) { return Vault::open(s.file, kPassphrase); }

// Every live record except the damaged ones loads, with its body.
void expect_others_load(const client::LoadResult& loaded, const Sample& s, const std::set<Id>& damaged) {
    std::set<Id> loaded_ids;
    for (const auto& r : loaded.records) {
        loaded_ids.insert(r.id);
        CHECK_FALSE(r.body.empty());
    }
    for (const auto& id : s.live) {
        if (damaged.count(id) != 0) {
            CHECK(loaded_ids.count(id) == 0);
        } else {
            INFO("record " << id.hex() << " must still load");
            CHECK(loaded_ids.count(id) == 1);
        }
    }
    CHECK(loaded.problems.size() == damaged.size());
}

void expect_reported_everywhere(const Sample& s, const std::set<Id>& damaged) {
    auto vault = open(s);
    const auto loaded = vault->load_all();
    INFO("problems: " << [&] {
        std::string all;
        for (const auto& p : loaded.problems) all += p.message + "\n";
        return all;
    }());
    for (const auto& id : damaged) CHECK(test::has_problem_for(loaded, id));
    expect_others_load(loaded, s, damaged);

    const auto report = vault->verify();
    INFO("verify: " << test::join_lines(report.problems));
    CHECK_FALSE(report.ok());
    for (const auto& id : damaged) CHECK(test::mentions(report.problems, id.hex()));

    Workspace ws(std::move(vault));
    for (const auto& id : damaged) CHECK(test::mentions(ws.load_problems(), id));
    // The intact IMRs and their records are all in the model.
    std::size_t in_model = 0;
    for (const auto& doc : ws.imrs()) {
        ++in_model;
        in_model += doc.sections.size() + doc.entries.size() + doc.recommendations.size() + doc.glossary.size();
        for (const auto& e : doc.entries) CHECK(damaged.count(e.id) == 0);
    }
    CHECK(in_model == s.live.size() - damaged.size());
}

}  // namespace

TEST_CASE("an untouched sample vault verifies and loads without problems") {
    test::TempDir tmp;
    const auto s = make_sample(tmp);
    auto vault = open(s);
    const auto loaded = vault->load_all();
    CHECK(loaded.problems.empty());
    expect_others_load(loaded, s, {});
    const auto report = vault->verify();
    CHECK_MESSAGE(report.ok(), test::join_lines(report.problems));
    CHECK(report.records_checked == s.live.size());
}

TEST_CASE("tamper (a): one flipped byte in a record body is reported, naming the record") {
    test::TempDir tmp;
    const auto s = make_sample(tmp);
    const Id victim = s.entries_a[2];
    std::size_t where = 0;
    SUBCASE("in the nonce") { where = 3; }
    SUBCASE("in the ciphertext") { where = 40; }
    SUBCASE("in the tag (last byte)") { where = static_cast<std::size_t>(-1); }
    {
        test::RawDb db(s.file);
        auto body = db.body(victim);
        REQUIRE(body.size() > 41);
        if (where == static_cast<std::size_t>(-1)) where = body.size() - 1;
        body[where] ^= 0x01;
        db.set_body(victim, body);
    }
    expect_reported_everywhere(s, {victim});
}

TEST_CASE("tamper (a'): a live record whose body was removed is reported, not fatal") {
    test::TempDir tmp;
    const auto s = make_sample(tmp);
    {
        test::RawDb db(s.file);
        db.exec("UPDATE records SET body = NULL WHERE id = x'" + s.glossary_a.hex() + "'");
    }
    expect_reported_everywhere(s, {s.glossary_a});
}

TEST_CASE("tamper (b): two swapped bodies are both reported, the rest is fine") {
    test::TempDir tmp;
    const auto s = make_sample(tmp);
    Id first;
    Id second;
    SUBCASE("two entries of the same IMR") {
        first = s.entries_a[0];
        second = s.entries_a[1];
    }
    SUBCASE("entries of different IMRs") {
        first = s.entries_a[3];
        second = s.entries_b[0];
    }
    SUBCASE("records of different kinds") {
        first = s.glossary_a;
        second = s.entries_b[2];
    }
    {
        test::RawDb db(s.file);
        const auto body_first = db.body(first);
        const auto body_second = db.body(second);
        db.set_body(first, body_second);
        db.set_body(second, body_first);
    }
    expect_reported_everywhere(s, {first, second});
}

TEST_CASE("tamper (c): a body moved to another IMR, another kind or another row is reported") {
    test::TempDir tmp;
    const auto s = make_sample(tmp);
    std::set<Id> damaged;
    std::optional<Id> forged_copy;
    SUBCASE("the row re-assigned to another IMR") {
        test::RawDb db(s.file);
        db.exec("UPDATE records SET imr_id = x'" + s.imr_b.hex() + "' WHERE id = x'" + s.entries_a[2].hex() + "'");
        damaged = {s.entries_a[2]};
    }
    SUBCASE("the row re-labelled as another kind") {
        test::RawDb db(s.file);
        db.exec("UPDATE records SET kind = 5 WHERE id = x'" + s.entries_a[4].hex() + "'");
        damaged = {s.entries_a[4]};
    }
    SUBCASE("the row given a kind that does not exist") {
        test::RawDb db(s.file);
        db.exec("UPDATE records SET kind = 99 WHERE id = x'" + s.entries_b[1].hex() + "'");
        damaged = {s.entries_b[1]};
    }
    SUBCASE("a body copied into a new row under another IMR") {
        test::RawDb db(s.file);
        const Id forged = test::make_id(0x42);
        auto insert = db.prepare("INSERT INTO records(id, imr_id, kind, body, updated_at) VALUES(?, ?, 3, ?, 0)");
        insert.bind(1, forged).bind(2, s.imr_b).bind(3, db.body(s.entries_a[0]));
        (void)insert.step();
        forged_copy = forged;
    }
    if (forged_copy) {
        // The original keeps opening; the copy does not.
        auto vault = open(s);
        const auto loaded = vault->load_all();
        CHECK(test::has_problem_for(loaded, *forged_copy));
        CHECK(loaded.problems.size() == 1);
        expect_others_load(loaded, s, {*forged_copy});
        const auto report = vault->verify();
        CHECK(test::mentions(report.problems, forged_copy->hex()));
        Workspace ws(std::move(vault));
        CHECK(test::mentions(ws.load_problems(), *forged_copy));
        CHECK(ws.get(s.imr_b).entries.size() == 3);
        CHECK(ws.get(s.imr_a).entries.size() == 5);
        return;
    }
    expect_reported_everywhere(s, damaged);
}

TEST_CASE("a write cannot move a record to another IMR or kind, the whole batch is refused") {
    test::TempDir tmp;
    const auto s = make_sample(tmp);
    auto vault = open(s);
    const auto audit_before = vault->audit_entries().size();
    const Id fresh = test::make_id(0x33);
    std::vector<client::RecordWrite> writes = {
        {fresh, s.imr_a, domain::RecordKind::GlossaryEntry, test::glossary_body("NEW", "new"), false},
        {s.glossary_a, s.imr_a, domain::RecordKind::GlossaryEntry, test::glossary_body("GP", "changed"), false},
        {s.entries_a[0], s.imr_b, domain::RecordKind::ChronologyEntry, "{}", false},  // another IMR
    };
    SUBCASE("another IMR") {}
    SUBCASE("another kind") { writes[2] = {s.entries_a[0], s.imr_a, domain::RecordKind::Recommendation, "{}", false}; }
    try {
        vault->write(writes, "test.conflict");
        FAIL("a record was moved");
    } catch (const VaultError& e) {
        CHECK(std::string(e.what()).find(s.entries_a[0].hex()) != std::string::npos);
    }
    const auto loaded = vault->load_all();
    CHECK(loaded.problems.empty());
    expect_others_load(loaded, s, {});
    for (const auto& r : loaded.records) {
        CHECK(r.id != fresh);
        if (r.id == s.glossary_a) CHECK(r.body.find("changed") == std::string::npos);
    }
    CHECK(vault->audit_entries().size() == audit_before);
    CHECK(vault->verify().ok());
}

// The key rollback: a copy of the key slot rows taken before a passphrase change is written back
// afterwards. The old passphrase must not open the vault again.
TEST_CASE("tamper (d): key slots rolled back after a passphrase change are refused") {
    test::TempDir tmp;
    const auto s = make_sample(tmp);
    std::vector<std::string> rolled_back;
    SUBCASE("the passphrase slot alone") { rolled_back = {"keyslot.passphrase"}; }
    SUBCASE("the passphrase slot with the key epoch") { rolled_back = {"keyslot.passphrase", "key_epoch"}; }
    SUBCASE("the passphrase slot with the key epoch and the slots MAC") {
        rolled_back = {"keyslot.passphrase", "key_epoch", "keyslots_mac"};
    }
    CAPTURE(test::join_lines(rolled_back));
    std::vector<std::pair<std::string, test::Blob>> saved;
    {
        test::RawDb db(s.file);
        for (const auto& key : rolled_back) saved.emplace_back(key, db.meta(key).value());
    }
    {
        auto vault = open(s);
        vault->change_passphrase("a new passphrase after a leak");
    }
    CHECK_THROWS_AS((void)Vault::open(s.file, kPassphrase), client::WrongPassphrase);
    {
        test::RawDb db(s.file);
        for (const auto& [key, value] : saved) db.set_meta(key, value);
    }
    bool opened = false;
    try {
        (void)Vault::open(s.file, kPassphrase);
        opened = true;
    } catch (const VaultTampered& e) {
        MESSAGE("refused: " << std::string(e.what()));
    } catch (const client::WrongPassphrase& e) {
        FAIL("a rolled-back key slot must be reported as tampering, not as a wrong passphrase: " << std::string(e.what()));
    } catch (const std::exception& e) {
        FAIL("unexpected exception: " << std::string(e.what()));
    }
    CHECK_MESSAGE(!opened, "the OLD passphrase opened the vault after its key slot rows were put back");
}

TEST_CASE("tamper (e): the audit trail names an altered, a removed and a truncated entry") {
    test::TempDir tmp;
    const auto s = make_sample(tmp);
    std::int64_t last = 0;
    {
        auto vault = open(s);
        const auto entries = vault->audit_entries();
        REQUIRE(entries.size() >= 6);
        last = entries.back().sequence;
        CHECK(vault->verify().ok());
    }
    const std::int64_t middle = last / 2;
    std::string expected;
    SUBCASE("one byte of an entry altered") {
        test::RawDb db(s.file);
        auto get = db.prepare("SELECT entry FROM audit WHERE seq = ?");
        get.bind_int(1, middle);
        REQUIRE(get.step());
        auto entry = get.blob(0);
        entry[entry.size() / 2] ^= 0x80;
        auto put = db.prepare("UPDATE audit SET entry = ? WHERE seq = ?");
        put.bind(1, entry).bind_int(2, middle);
        (void)put.step();
        expected = "entry " + std::to_string(middle);
    }
    SUBCASE("one byte of a chain value altered") {
        test::RawDb db(s.file);
        db.exec("UPDATE audit SET chain = zeroblob(32) WHERE seq = " + std::to_string(middle));
        expected = "entry " + std::to_string(middle);
    }
    SUBCASE("a middle entry deleted") {
        test::RawDb db(s.file);
        db.exec("DELETE FROM audit WHERE seq = " + std::to_string(middle));
        expected = std::to_string(middle) + " to " + std::to_string(middle);
    }
    SUBCASE("two entries swapped") {
        test::RawDb db(s.file);
        db.exec("UPDATE audit SET seq = -1 WHERE seq = " + std::to_string(middle));
        db.exec("UPDATE audit SET seq = " + std::to_string(middle) + " WHERE seq = " + std::to_string(middle + 1));
        db.exec("UPDATE audit SET seq = " + std::to_string(middle + 1) + " WHERE seq = -1");
        expected = "entry " + std::to_string(middle);
    }
    SUBCASE("the last entry deleted") {
        test::RawDb db(s.file);
        db.exec("DELETE FROM audit WHERE seq = " + std::to_string(last));
        expected = std::to_string(last);
    }
    CAPTURE(expected);
    auto vault = open(s);
    const auto report = vault->verify();
    INFO("verify: " << test::join_lines(report.problems));
    CHECK_FALSE(report.ok());
    CHECK(test::mentions(report.problems, "audit trail"));
    CHECK(test::mentions(report.problems, expected));
    // Records are not affected by a damaged audit trail.
    const auto loaded = vault->load_all();
    CHECK(loaded.problems.empty());
    expect_others_load(loaded, s, {});
}

TEST_CASE("tamper (f): garbage in the vault's meta rows is refused without a crash") {
    test::TempDir tmp;
    const auto s = make_sample(tmp);
    std::string key;
    std::string junk;
    SUBCASE("passphrase slot: not JSON") {
        key = "keyslot.passphrase";
        junk = "\x01\x02 this is not json {{{";
    }
    SUBCASE("passphrase slot: JSON of the wrong shape") {
        key = "keyslot.passphrase";
        junk = R"({"epoch":"one","kdf":[]})";
    }
    SUBCASE("passphrase slot: absurd key derivation limits") {
        key = "keyslot.passphrase";
        junk = R"({"epoch":1,"kdf":{"alg":"argon2id13","opslimit":4000000000,"memlimit":1099511627776,)"
               R"("salt":"00112233445566778899aabbccddeeff"},"verifier":"00","wrapped":"00"})";
    }
    SUBCASE("passphrase slot: empty") {
        key = "keyslot.passphrase";
        junk = "";
    }
    SUBCASE("recovery slot: not JSON") {
        key = "keyslot.recovery";
        junk = "garbage";
    }
    SUBCASE("key epoch: wrong size") {
        key = "key_epoch";
        junk = "xyz";
    }
    SUBCASE("slots MAC: junk") {
        key = "keyslots_mac";
        junk = std::string(32, 'A');
    }
    SUBCASE("vault id: wrong size") {
        key = "vault_id";
        junk = "short";
    }
    SUBCASE("device identity: junk") {
        key = "identity";
        junk = std::string(80, 'Z');
    }
    SUBCASE("audit head: junk") {
        key = "audit_head";
        junk = "not forty bytes";
    }
    CAPTURE(key);
    {
        test::RawDb db(s.file);
        db.set_meta_text(key, junk);
    }
    try {
        (void)Vault::open(s.file, kPassphrase);
        FAIL("a vault with a damaged '" << key << "' opened");
    } catch (const VaultTampered& e) {
        MESSAGE(key << ": " << std::string(e.what()));
    } catch (const std::exception& e) {
        FAIL("expected VaultTampered, got: " << std::string(e.what()));
    }
}

TEST_CASE("tamper (f'): garbage in the recovery slot makes recovery fail cleanly") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    std::string key;
    {
        auto created = Vault::create(file, kPassphrase, test::fast_create());
        key = created.recovery_key;
    }
    {
        test::RawDb db(file);
        db.set_meta_text("keyslot.recovery", "{\"wrapped\": 17}");
    }
    CHECK_THROWS_AS((void)Vault::recover(file, key, "new passphrase"), VaultTampered);
}
