// The device's side of sync without a network: what VaultReplica sends, and what it does with
// what arrives: take, merge, keep both as a conflict, an edit beating a delete, a cursor that is
// saved with the records, and the vault reopening with all of it.
#include "vault_fixtures.hpp"

#include <set>

#include "imrdesk/client/sync_replica.hpp"
#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/shared/merge.hpp"

using namespace imrdesk;
using namespace imrdesk::client;
using domain::Id;
using nlohmann::json;

namespace {

constexpr std::string_view kPassphrase = "replica passphrase";

struct Device {
    test::TempDir tmp;
    std::filesystem::path file = tmp / "vault.db";
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<VaultReplica> replica;

    Device() {
        auto created = Vault::create(file, kPassphrase, test::fast_create());
        ws = std::make_unique<Workspace>(std::move(created.vault));
        replica = std::make_unique<VaultReplica>(*ws);
    }
    void reopen() {
        replica.reset();
        ws.reset();
        ws = std::make_unique<Workspace>(Vault::open(file, kPassphrase));
        replica = std::make_unique<VaultReplica>(*ws);
    }
    // A new round of pushes, and everything it has to send (one batch).
    std::vector<sync::PushRecord> round() {
        replica->push_round_started();
        return replica->pending(1000, 1u << 24);
    }
    // Pushes everything pending and pretends the server accepted it at increasing revisions.
    std::uint64_t push_all(std::uint64_t first_revision) {
        auto sent = round();
        sync::PushResult result;
        for (const auto& p : sent) result.outcomes.emplace_back(sync::PushAccepted{p.id, first_revision++});
        replica->acknowledge(sent, result);
        return first_revision;
    }
    const Stored<domain::SectionContent>* section(const Id& imr, const std::string& key) {
        return ws->get(imr).section(key);
    }
};

domain::SectionContent text_section(const std::string& key, const std::string& text) {
    domain::SectionContent s;
    s.key = key;
    s.text = text;
    return s;
}

sync::RemoteRecord remote_section(const Id& id, const Id& imr, std::uint64_t revision, const std::string& key,
                                  const std::string& text) {
    const auto body = domain::to_json(text_section(key, text)).dump();
    return sync::RemoteRecord{id, imr, domain::RecordKind::Section, revision, sync::Bytes(body.begin(), body.end()), false};
}

sync::PullResult page(std::vector<sync::RemoteRecord> records, std::uint64_t cursor) {
    return sync::PullResult{std::move(records), cursor, false};
}

}  // namespace

TEST_CASE("replica: pending changes go headers first, and an acknowledged record is clean unless edited since") {
    Device d;
    const Id imr = d.ws->create_imr(test::sample_header("SAR 1"));
    d.ws->save_section(imr, text_section("summary", "First.\n"));
    auto sent = d.round();
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].kind == domain::RecordKind::Imr);
    CHECK(sent[0].case_reference == "SAR 1");
    CHECK(sent[0].base_revision == 0);
    // The author types on while the push is in flight.
    d.ws->save_section(imr, text_section("summary", "First, then more.\n"));
    sync::PushResult result;
    result.outcomes = {sync::PushAccepted{sent[0].id, 1}, sync::PushAccepted{sent[1].id, 2}};
    d.replica->acknowledge(sent, result);
    const auto again = d.round();
    REQUIRE(again.size() == 1);  // the newer text is still to be sent, on top of revision 2
    CHECK(again[0].base_revision == 2);
    CHECK(std::string(again[0].body.begin(), again[0].body.end()).find("then more") != std::string::npos);
}

TEST_CASE("replica: within a round a batch not yet acknowledged is not handed out again; a new round starts over") {
    Device d;
    const Id imr = d.ws->create_imr(test::sample_header("SAR 1"));
    std::vector<domain::ChronologyEntry> entries;
    for (int i = 0; i < 7; ++i) entries.push_back(test::sample_entry(domain::PartialDate::day(2024, 1, 1 + i), "event " + std::to_string(i)));
    (void)d.ws->add_entries(imr, std::move(entries));
    d.replica->push_round_started();
    // Two batches on the wire at once: the second is asked for before the first is answered.
    const auto first = d.replica->pending(3, 1u << 24);
    const auto second = d.replica->pending(3, 1u << 24);
    const auto third = d.replica->pending(3, 1u << 24);
    REQUIRE(first.size() == 3);
    REQUIRE(second.size() == 3);
    REQUIRE(third.size() == 2);
    CHECK(first[0].kind == domain::RecordKind::Imr);  // the header first
    std::set<Id> seen;
    for (const auto* batch : {&first, &second, &third})
        for (const auto& p : *batch) CHECK(seen.insert(p.id).second);  // each record once
    CHECK(seen.size() == 8);
    CHECK(d.replica->pending(3, 1u << 24).empty());  // the round is over
    // Only the first batch was answered (the connection broke): the next round sends the rest.
    sync::PushResult result;
    std::uint64_t revision = 1;
    for (const auto& p : first) result.outcomes.emplace_back(sync::PushAccepted{p.id, revision++});
    d.replica->acknowledge(first, result);
    const auto again = d.round();
    CHECK(again.size() == 5);
    for (const auto& p : again) CHECK(std::none_of(first.begin(), first.end(), [&](const auto& f) { return f.id == p.id; }));
}

TEST_CASE("replica: a clean record takes the server's version, a cursor is stored with the page") {
    Device d;
    const Id imr = d.ws->create_imr(test::sample_header("SAR 1"));
    d.ws->save_section(imr, text_section("summary", "Mine.\n"));
    d.push_all(1);
    const Id id = d.section(imr, "summary")->id;
    d.replica->apply_pull(page({remote_section(id, imr, 7, "summary", "Theirs, newer.\n")}, 7));
    CHECK(d.section(imr, "summary")->value.text == "Theirs, newer.\n");
    CHECK(d.replica->cursor() == 7);
    CHECK(d.round().empty());
    d.reopen();
    CHECK(d.section(imr, "summary")->value.text == "Theirs, newer.\n");
    CHECK(d.replica->cursor() == 7);
    // The same page again (a retry after a lost answer) changes nothing.
    d.replica->apply_pull(page({remote_section(id, imr, 7, "summary", "Theirs, newer.\n")}, 7));
    CHECK(d.ws->vault().conflict_count() == 0);
}

TEST_CASE("replica: edits of different lines merge and go back up, the same line edited twice is a conflict") {
    Device d;
    const Id imr = d.ws->create_imr(test::sample_header("SAR 1"));
    d.ws->save_section(imr, text_section("summary", "One.\n\nTwo.\n"));
    d.push_all(1);
    const Id id = d.section(imr, "summary")->id;

    d.ws->save_section(imr, text_section("summary", "One, mine.\n\nTwo.\n"));
    d.replica->apply_pull(page({remote_section(id, imr, 5, "summary", "One.\n\nTwo, theirs.\n")}, 5));
    CHECK(d.section(imr, "summary")->value.text == "One, mine.\n\nTwo, theirs.\n");
    auto up = d.round();
    REQUIRE(up.size() == 1);
    CHECK(up[0].base_revision == 5);
    d.push_all(6);

    d.ws->save_section(imr, text_section("summary", "One, mine again.\n\nTwo, theirs.\n"));
    d.replica->apply_pull(page({remote_section(id, imr, 9, "summary", "One, theirs instead.\n\nTwo, theirs.\n")}, 9));
    // Mine stays in place; theirs is kept beside it; nothing is sent until the author decides.
    CHECK(d.section(imr, "summary")->value.text == "One, mine again.\n\nTwo, theirs.\n");
    const auto conflicts = d.ws->vault().conflicts();
    REQUIRE(conflicts.size() == 1);
    CHECK(json::parse(conflicts[0].theirs).at("text") == "One, theirs instead.\n\nTwo, theirs.\n");
    CHECK(d.round().empty());
    // A later page with the same version does not resolve it behind the author's back.
    d.replica->apply_pull(page({remote_section(id, imr, 9, "summary", "One, theirs instead.\n\nTwo, theirs.\n")}, 9));
    CHECK(d.ws->vault().conflict_count() == 1);
    // It survives a restart.
    d.reopen();
    CHECK(d.ws->vault().conflict_count() == 1);
    // The author writes the merged text: it is sent on top of the server's revision.
    auto merged = json::parse(conflicts[0].mine);
    merged["text"] = "One, both.\n\nTwo, theirs.\n";
    d.replica->resolve(id, merged.dump());
    CHECK(d.section(imr, "summary")->value.text == "One, both.\n\nTwo, theirs.\n");
    up = d.round();
    REQUIRE(up.size() == 1);
    CHECK(up[0].base_revision == 9);
}

namespace {

// A summary pushed at revision 2, then rewritten: that push reaches the server (revision 3) but
// the connection is cut before the answer.
struct LostPush {
    Id imr;
    Id id;
    std::vector<sync::PushRecord> lost;
    std::string on_server;
};

LostPush lose_a_push(Device& d) {
    LostPush l;
    l.imr = d.ws->create_imr(test::sample_header("SAR 1"));
    d.ws->save_section(l.imr, text_section("summary", "One.\n"));
    d.push_all(1);
    l.id = d.section(l.imr, "summary")->id;
    d.ws->save_section(l.imr, text_section("summary", "One, rewritten.\n"));
    l.lost = d.round();
    REQUIRE(l.lost.size() == 1);
    l.on_server.assign(l.lost[0].body.begin(), l.lost[0].body.end());
    return l;
}

// The next day the same line is rewritten again and pushed on the old base; the server answers
// with what it holds: this device's own earlier write.
std::vector<sync::PushRecord> rewrite_and_meet_own_write(Device& d, const LostPush& l) {
    d.ws->save_section(l.imr, text_section("summary", "One, rewritten twice.\n"));
    auto sent = d.round();
    REQUIRE(sent.size() == 1);
    sync::PushResult result;
    result.outcomes.emplace_back(sync::PushConflict{sync::RemoteRecord{
        l.id, l.imr, domain::RecordKind::Section, 3, sync::Bytes(l.on_server.begin(), l.on_server.end()), false}});
    d.replica->acknowledge(sent, result);
    return sent;
}

}  // namespace

TEST_CASE("replica: a push whose acknowledgement was lost is not a conflict with the next edit, across a restart") {
    Device d;
    const auto l = lose_a_push(d);
    const Id imr = l.imr, id = l.id;
    d.reopen();  // the program ends
    const auto sent = rewrite_and_meet_own_write(d, l);
    CHECK(sent[0].base_revision == 2);
    CHECK(d.ws->vault().conflict_count() == 0);
    CHECK(d.section(imr, "summary")->value.text == "One, rewritten twice.\n");
    const auto again = d.round();
    REQUIRE(again.size() == 1);
    CHECK(again[0].base_revision == 3);  // on top of its own earlier write

    // A change from elsewhere to the same line is still a conflict.
    d.push_all(4);
    d.ws->save_section(imr, text_section("summary", "One, mine.\n"));
    d.replica->apply_pull(page({remote_section(id, imr, 6, "summary", "One, theirs.\n")}, 6));
    CHECK(d.ws->vault().conflict_count() == 1);
}

TEST_CASE("replica: a lost acknowledgement noted by an earlier version (SHA-256) is still recognised after the upgrade") {
    Device d;
    const auto l = lose_a_push(d);
    // What an earlier version left: the body it pushed without hearing back, as SHA-256.
    const auto hash = crypto::sha256(std::span<const std::uint8_t>(l.lost[0].body));
    std::string legacy(reinterpret_cast<const char*>(l.id.bytes.data()), 16);
    legacy.append(reinterpret_cast<const char*>(hash.data()), hash.size());
    d.ws->vault().store_private("sync.in_flight.blake2b", "");
    d.ws->vault().store_private("sync.in_flight", legacy);
    d.reopen();
    (void)rewrite_and_meet_own_write(d, l);
    CHECK(d.ws->vault().conflict_count() == 0);  // its own earlier write, not a change from elsewhere
    CHECK(d.section(l.imr, "summary")->value.text == "One, rewritten twice.\n");
}

TEST_CASE("replica: an edit beats a delete, in both directions") {
    Device d;
    const Id imr = d.ws->create_imr(test::sample_header("SAR 1"));
    d.ws->save_section(imr, text_section("summary", "Kept.\n"));
    d.ws->save_section(imr, text_section("analysis.q1", "Also kept.\n"));
    d.push_all(1);
    const Id summary = d.section(imr, "summary")->id;
    const Id q1 = d.section(imr, "analysis.q1")->id;

    // Edited here, deleted there: the edit stays and goes back up.
    d.ws->save_section(imr, text_section("summary", "Kept, and edited here.\n"));
    sync::RemoteRecord gone{summary, imr, domain::RecordKind::Section, 10, {}, true};
    d.replica->apply_pull(page({gone}, 10));
    CHECK(d.section(imr, "summary")->value.text == "Kept, and edited here.\n");
    auto up = d.round();
    REQUIRE(up.size() == 1);
    CHECK(!up[0].deleted);
    CHECK(up[0].base_revision == 10);

    // Deleted here, edited there: the edit arrives and the record is back.
    {
        Workspace& ws = *d.ws;
        ws.vault().write(std::vector<RecordWrite>{RecordWrite{q1, imr, domain::RecordKind::Section, {}, true}}, "test.delete");
        ws.reload_imrs({imr});
    }
    CHECK(d.section(imr, "analysis.q1") == nullptr);
    d.replica->apply_pull(page({remote_section(q1, imr, 11, "analysis.q1", "Also kept, edited there.\n")}, 11));
    REQUIRE(d.section(imr, "analysis.q1") != nullptr);
    CHECK(d.section(imr, "analysis.q1")->value.text == "Also kept, edited there.\n");
    const auto log = d.replica->state().log;
    CHECK(std::any_of(log.begin(), log.end(), [](const std::string& e) { return e.find("the edit was kept") != std::string::npos; }));
}

TEST_CASE("replica: case data from the server flows into the author's IMR, another agency's IMR is read-only") {
    Device d;
    sync::ServerLink link;
    link.host = "127.0.0.1";
    link.port = 7543;
    link.device_id.bytes[0] = 1;
    link.memberships = {sync::Membership{"SAR 9", "Northshire NHS Trust", sync::Role::Author}};
    d.replica->save_link(link);
    sync::CaseInfo info;
    info.reference = "SAR 9";
    info.title = "Adult C";
    info.terms_of_reference = {{1, "Was the family involved?"}, {2, "Was the risk of falls assessed?"}};
    info.due = domain::CivilDate{2027, 1, 31};
    d.replica->apply_case_infos({info});
    d.replica->apply_pull(page({}, 0));  // the end of the feed: the author's IMR is made if missing
    REQUIRE(d.ws->imrs().size() == 1);
    const auto& doc = d.ws->imrs().front();
    CHECK(doc.header.agency == "Northshire NHS Trust");
    CHECK(doc.header.case_info.terms_of_reference.size() == 2);
    CHECK(doc.header.case_info.due == domain::CivilDate{2027, 1, 31});
    CHECK(!doc.read_only());

    // The Board changes the terms of reference: they reach the IMR.
    info.terms_of_reference.push_back({3, "Was advocacy offered?"});
    d.replica->apply_case_infos({info});
    CHECK(d.ws->imrs().front().header.case_info.terms_of_reference.size() == 3);

    // An IMR of another agency (as a reviewer would receive) is read-only here.
    auto header = test::sample_header("SAR 9");
    header.agency = "Northshire Police";
    const auto body = domain::to_json(header).dump();
    Id other;
    other.bytes[0] = 42;
    d.replica->apply_pull(page({sync::RemoteRecord{other, other, domain::RecordKind::Imr, 3, sync::Bytes(body.begin(), body.end()), false}}, 3));
    REQUIRE(d.ws->find(other) != nullptr);
    CHECK(d.ws->find(other)->reviewer_copy);
    CHECK_THROWS_AS(d.ws->save_section(other, text_section("summary", "Not mine to write.\n")), WorkspaceError);
}

TEST_CASE("replica: nothing that sync stores (bases, the server's side of a conflict, the link) is plaintext on disk") {
    Device d;
    const Id imr = d.ws->create_imr(test::sample_header("SAR 1"));
    d.ws->save_section(imr, text_section("summary", "Zebra-base-text-31337.\n"));
    d.push_all(1);
    const Id id = d.section(imr, "summary")->id;
    d.ws->save_section(imr, text_section("summary", "Quokka-mine-text-4242.\n"));
    d.replica->apply_pull(page({remote_section(id, imr, 5, "summary", "Narwhal-theirs-text-777.\n")}, 5));
    REQUIRE(d.ws->vault().conflict_count() == 1);
    sync::ServerLink link;
    link.host = "imrdesk-server.northshire.example";
    link.port = 7543;
    link.memberships = {sync::Membership{"SAR 1", "Northshire Wombat Agency", sync::Role::Author}};
    d.replica->save_link(link);
    for (const auto needle : {"Zebra-base-text", "Quokka-mine-text", "Narwhal-theirs-text", "northshire.example",
                              "Wombat Agency"}) {
        CAPTURE(needle);
        CHECK(test::files_containing(d.tmp.path(), needle).empty());
    }
    d.reopen();
    for (const auto needle : {"Zebra-base-text", "Quokka-mine-text", "Narwhal-theirs-text", "Wombat Agency"}) {
        CHECK(test::files_containing(d.tmp.path(), needle).empty());
    }
}

TEST_CASE("replica: an offline draft under a longer agency name is never orphaned by enrolment: the author says which IMR it is") {
    Device d;
    auto header = test::sample_header("SAR 9");
    header.agency = "Northshire Integrated Care NHS Trust (Riverside Surgery and community services)";
    header.author_agency = header.agency;
    const Id draft = d.ws->create_imr(header);
    d.ws->save_section(draft, text_section("summary", "Weeks of offline work.\n"));
    auto other_case = test::sample_header("SAR 10");
    const Id unrelated = d.ws->create_imr(other_case);

    sync::ServerLink link;
    link.host = "127.0.0.1";
    link.port = 7543;
    link.device_id.bytes[0] = 1;
    link.memberships = {sync::Membership{"SAR 9", "Northshire Integrated Care NHS Trust", sync::Role::Author}};
    d.replica->save_link(link);
    d.replica->apply_pull(page({}, 0));  // the end of the first sync's feed

    // Nothing made beside it, nothing hidden or read-only, nothing sent: a question.
    CHECK(d.ws->vault().server_revision(draft) == 0);  // never reached the server
    CHECK_FALSE(d.ws->vault().server_revision(Id{}).has_value());
    CHECK(d.ws->imrs().size() == 2);
    REQUIRE(d.replica->state().link_questions.size() == 1);
    const auto question = d.replica->state().link_questions.front();
    CHECK(question.agency == "Northshire Integrated Care NHS Trust");
    CHECK(d.replica->link_candidates(question) == std::vector<Id>{draft});
    CHECK_FALSE(d.ws->find(draft)->reviewer_copy);
    CHECK_FALSE(d.ws->find(unrelated)->reviewer_copy);  // the author's own, whatever its case
    d.ws->save_section(draft, text_section("summary", "Weeks of offline work, still editable.\n"));
    CHECK(d.round().empty());  // held back until the author answers
    // The question survives a restart, and a second sync does not make an IMR either.
    d.reopen();
    REQUIRE(d.replica->state().link_questions.size() == 1);
    d.replica->apply_pull(page({}, 0));
    CHECK(d.ws->imrs().size() == 2);

    // A wrong answer is refused in words.
    CHECK_THROWS_AS(d.replica->answer_link(question, unrelated), WorkspaceError);
    CHECK_THROWS_AS(d.replica->answer_link({"SAR 9", "Another Agency"}, draft), WorkspaceError);

    // The answer: the draft is the agency's IMR, under the enrolment's name, and goes up.
    d.replica->answer_link(question, draft);
    CHECK(d.replica->state().link_questions.empty());
    CHECK(d.ws->imrs().size() == 2);
    const auto* linked = d.ws->find(draft);
    CHECK(linked->header.agency == "Northshire Integrated Care NHS Trust");
    CHECK(linked->section("summary")->value.text == "Weeks of offline work, still editable.\n");
    CHECK_FALSE(linked->reviewer_copy);
    const auto sent = d.round();
    CHECK_FALSE(sent.empty());
    CHECK(std::all_of(sent.begin(), sent.end(), [&](const sync::PushRecord& p) { return p.imr_id == draft; }));
    bool audited = false;
    for (const auto& a : d.ws->vault().audit_entries()) audited |= a.event == "sync.draft_linked";
    CHECK(audited);
    d.push_all(1);
    CHECK(d.ws->vault().server_revision(draft) > 0);  // sent: no longer a local-only draft
    d.replica->apply_pull(page({}, 0));
    CHECK(d.ws->imrs().size() == 2);  // and no second IMR, ever
}

TEST_CASE("replica: when the author says none of the drafts is the agency's IMR, a new one is made and the drafts stay theirs") {
    Device d;
    auto header = test::sample_header("SAR 9");
    header.agency = "Riverside Surgery";
    const Id draft = d.ws->create_imr(header);
    sync::ServerLink link;
    link.host = "127.0.0.1";
    link.port = 7543;
    link.device_id.bytes[0] = 1;
    link.memberships = {sync::Membership{"SAR 9", "Northshire NHS Trust", sync::Role::Author}};
    d.replica->save_link(link);
    d.replica->apply_pull(page({}, 0));
    REQUIRE(d.replica->state().link_questions.size() == 1);
    d.replica->answer_link(d.replica->state().link_questions.front(), std::nullopt);
    CHECK(d.replica->state().link_questions.empty());
    REQUIRE(d.ws->imrs().size() == 2);
    CHECK_FALSE(d.ws->find(draft)->reviewer_copy);  // still editable, kept here
    for (const auto& doc : d.ws->imrs())
        if (doc.id != draft) CHECK(doc.header.agency == "Northshire NHS Trust");
    for (const auto& p : d.round()) CHECK(p.imr_id != draft);  // the draft is not sent
}
