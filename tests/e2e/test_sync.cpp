// Sync end to end, with real processes on loopback: one imrdesk-server; two devices of one
// agency editing the same IMR offline; a device of a second agency; a reviewer. Driven through
// imrdesk-cli as IT support or a script would.
#include "sync_fixture.hpp"

using namespace imrdesk::test;
using nlohmann::json;

namespace {

constexpr const char* kCase = "SAR 2026-03";
constexpr int kExitConflicts = 7;

void create_case(ServerProcess& server) {
    TempDir tmp;
    write_file(tmp / "tor.txt", "How did agencies share information?\nWas the Mental Capacity Act applied?\n");
    server.admin_ok({"case", "create", "--ref", kCase, "--title", "Adult A", "--tor-file", (tmp / "tor.txt").string(),
                     "--period-from", "2024-01-01", "--period-to", "31/12/2025", "--due", "2026-12-31"});
}

std::string only_imr(Device& d) {
    const auto list = d.imrs();
    INFO(d.name() << ": " << list.dump());
    REQUIRE(list.size() == 1);
    return list[0].at("id").get<std::string>();
}

}  // namespace

TEST_CASE("sync: devices of one agency converge, overlaps become conflicts, access holds in every direction") {
    ServerProcess server;
    create_case(server);
    server.start();

    Device a1("a1"), a2("a2"), b("b"), reviewer("reviewer");
    const std::string trust = "Northshire NHS Trust";
    const std::string council = "Northshire County Council";

    // Enrolment: the first author's IMR is made from the Board's case data.
    a1.ok({"enrol", server.enrol(kCase, trust, "author")});
    const std::string imr = only_imr(a1);
    const auto sections = a1.ok({"section", "list", imr});
    CHECK(sections.find("analysis.tor.1") != std::string::npos);
    CHECK(sections.find("How did agencies share information?") != std::string::npos);
    CHECK(sections.find("Was the Mental Capacity Act applied?") != std::string::npos);
    CHECK(a1.imrs()[0].at("due").get<std::string>() == "2026-12-31");

    // The Board amends the terms of reference: the change reaches the IMR at the next sync.
    {
        TempDir tmp;
        write_file(tmp / "tor.txt", "How did agencies share information?\nWas the Mental Capacity Act applied?\n"
                                    "Was advocacy offered?\n");
        server.admin_ok({"case", "update", "--ref", kCase, "--tor-file", (tmp / "tor.txt").string()});
    }
    a1.ok({"sync", "--once"});
    CHECK(a1.ok({"section", "list", imr}).find("Was advocacy offered?") != std::string::npos);

    // The second device of the agency receives that IMR instead of making another.
    a2.ok({"enrol", server.enrol(kCase, trust, "author")});
    CHECK(only_imr(a2) == imr);
    b.ok({"enrol", server.enrol(kCase, council, "author")});
    const std::string council_imr = only_imr(b);
    CHECK(council_imr != imr);
    reviewer.ok({"enrol", server.enrol(kCase, "Safeguarding Adults Board", "reviewer")});
    CHECK(reviewer.imrs().empty());  // drafts stay with their agency

    // Offline edits of different sections converge.
    a1.set_section(imr, "summary", "Adult A was known to the Trust from 2019.\n");
    a2.set_section(imr, "analysis.tor.1", "Information was shared by telephone and not recorded.\n");
    a1.ok({"sync", "--once"});
    a2.ok({"sync", "--once"});
    a1.ok({"sync", "--once"});
    CHECK(a1.section(imr, "analysis.tor.1") == a2.section(imr, "analysis.tor.1"));
    CHECK(a2.section(imr, "summary").find("known to the Trust from 2019") != std::string::npos);

    // Edits of different paragraphs of one section merge.
    a1.set_section(imr, "analysis.q1", "First paragraph.\n\nSecond paragraph.\n");
    a1.ok({"sync", "--once"});
    a2.ok({"sync", "--once"});
    a1.set_section(imr, "analysis.q1", "First paragraph, as the GP saw it.\n\nSecond paragraph.\n");
    a2.set_section(imr, "analysis.q1", "First paragraph.\n\nSecond paragraph, with the ward's view.\n");
    a1.ok({"sync", "--once"});
    a2.ok({"sync", "--once"});  // merges, and sends the merge
    a1.ok({"sync", "--once"});
    const auto merged = a1.section(imr, "analysis.q1");
    CHECK(merged.find("as the GP saw it") != std::string::npos);
    CHECK(merged.find("with the ward's view") != std::string::npos);
    CHECK(a2.section(imr, "analysis.q1") == merged);

    // The same lines changed on both: a conflict that keeps both texts.
    a1.set_section(imr, "summary", "Adult A was known to the Trust from March 2019.\n");
    a2.set_section(imr, "summary", "Adult A was first seen by the Trust in 2018.\n");
    a1.ok({"sync", "--once"});
    const auto clash = a2.run({"sync", "--once"});
    INFO(clash.err);
    CHECK(clash.exit_code == kExitConflicts);
    const auto conflicts = json::parse(a2.ok({"conflicts", "list", "--json"}));
    REQUIRE(conflicts.size() == 1);
    CHECK(conflicts[0].at("mine").at("text") == "Adult A was first seen by the Trust in 2018.\n");
    CHECK(conflicts[0].at("theirs").at("text") == "Adult A was known to the Trust from March 2019.\n");
    CHECK(a2.section(imr, "summary") == "Adult A was first seen by the Trust in 2018.\n");  // nothing overwritten
    // The author writes the merged text; it reaches the other device.
    a2.ok({"conflicts", "resolve", conflicts[0].at("id").get<std::string>().substr(0, 8), "--text", "-"},
          "Adult A was first seen by the Trust in 2018 and known to it from March 2019.\n");
    CHECK(json::parse(a2.ok({"conflicts", "list", "--json"})).empty());
    a2.ok({"sync", "--once"});
    a1.ok({"sync", "--once"});
    CHECK(a1.section(imr, "summary") == "Adult A was first seen by the Trust in 2018 and known to it from March 2019.\n");

    // Every device of the agency and the server hold the same records.
    a2.ok({"sync", "--once"});
    CHECK(a1.digest() == a2.digest());
    CHECK(a1.digest() == server.digest(a1.device_id()));

    // Access: each agency sees only its own IMR; the reviewer sees nothing yet.
    b.set_section(council_imr, "summary", "The council's own summary.\n");
    b.ok({"sync", "--once"});
    a1.ok({"sync", "--once"});
    CHECK(only_imr(a1) == imr);
    CHECK(only_imr(b) == council_imr);
    reviewer.ok({"sync", "--once"});
    CHECK(reviewer.imrs().empty());
    CHECK(b.digest() == server.digest(b.device_id()));

    // Submission: the reviewer receives the Trust's IMR, read-only; the council's draft stays away.
    a1.ok({"imr", "endorse", imr, "--officer", "Dr J Smith", "--role", "Director of Nursing"});
    const auto submitted = a1.ok({"imr", "submit", imr});
    CHECK(submitted.find("submitted: the server received it") != std::string::npos);
    CHECK(a1.imrs()[0].at("status") == "submitted");
    reviewer.ok({"sync", "--once"});
    const auto seen = reviewer.imrs();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].at("id") == imr);
    CHECK(seen[0].at("status") == "submitted");
    CHECK(seen[0].at("read_only_reviewer_copy") == true);
    CHECK(reviewer.section(imr, "summary") == a1.section(imr, "summary"));
    const auto edit = reviewer.run({"section", "set", imr, "summary"}, "A reviewer's edit.\n");
    CHECK(edit.exit_code != 0);
    CHECK(edit.err.find("read-only") != std::string::npos);
    CHECK(reviewer.digest() == server.digest(reviewer.device_id()));

    // The other device of the agency learns of the submission; the IMR is read-only there too.
    a2.ok({"sync", "--once"});
    CHECK(a2.imrs()[0].at("status") == "submitted");
    CHECK(a1.digest() == server.digest(a1.device_id()));
    CHECK(a2.digest() == server.digest(a2.device_id()));
    CHECK(a2.run({"section", "set", imr, "summary"}, "Too late.\n").exit_code != 0);

    // The admin's view.
    const auto status = server.admin_ok({"status", "--case", kCase});
    CHECK(status.find(trust) != std::string::npos);
    CHECK(status.find("submitted") != std::string::npos);
    CHECK(status.find("draft") != std::string::npos);
    CHECK(server.admin_ok({"verify"}).find("ok") != std::string::npos);
    CHECK(server.stop(SIGTERM) == 0);  // a clean stop
    CHECK(read_file(server.log()).find("stopped cleanly") != std::string::npos);
}

TEST_CASE("sync: an enrolment code is refused when expired, reused, withdrawn or mistyped, with a clear reason") {
    ServerProcess server;
    create_case(server);
    server.start();
    Device a("a"), b("b");

    const auto code = server.enrol(kCase, "Police", "author");
    std::string typo = code;
    typo[5] = typo[5] == 'A' ? 'B' : 'A';
    auto r = a.run({"enrol", typo});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("enrolment code") != std::string::npos);

    a.ok({"enrol", code});
    r = b.run({"enrol", code});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("already used") != std::string::npos);

    const auto withdrawn = server.enrol(kCase, "Police", "author");
    std::istringstream tokens(server.admin_ok({"tokens", "list"}));
    std::string unused;
    for (std::string line; std::getline(tokens, line);) {
        if (line.find("valid until") != std::string::npos) unused = line.substr(0, line.find('\t'));
    }
    REQUIRE(!unused.empty());
    server.admin_ok({"tokens", "revoke", unused});
    r = b.run({"enrol", withdrawn});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("withdrawn") != std::string::npos);

    // A revoked device is refused from its next sync.
    server.admin_ok({"devices", "revoke", a.device_id().substr(0, 8)});
    r = a.run({"sync", "--once"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("revoked") != std::string::npos);

    // No server: offline, a normal state, with its own exit code.
    server.stop(SIGTERM);
    Device c("c");
    r = c.run({"enrol", server.enrol(kCase, "Police", "author")});
    CHECK(r.exit_code == 6);
    CHECK(r.err.find("offline") != std::string::npos);
}

TEST_CASE("sync: a device restored from an older backup gets back what it sent after the backup") {
    ServerProcess server;
    create_case(server);
    server.start();
    Device laptop("laptop");
    laptop.ok({"enrol", server.enrol(kCase, "Northshire Housing", "author")});
    const std::string imr = only_imr(laptop);
    laptop.set_section(imr, "summary", "Written before the backup.\n");
    laptop.ok({"sync", "--once"});
    TempDir backup;
    laptop.backup_to(backup / "copy");
    laptop.set_section(imr, "summary", "Written after the backup, and sent.\n");
    laptop.ok({"chronology", "add", imr, "--date", "02/02/2025", "--source", "Housing file 12", "--event", "Visit"});
    laptop.ok({"sync", "--once"});
    const auto sent = laptop.digest();

    laptop.restore_from(backup / "copy");
    CHECK(laptop.section(imr, "summary") == "Written before the backup.\n");
    laptop.ok({"sync", "--once"});
    CHECK(laptop.section(imr, "summary") == "Written after the backup, and sent.\n");
    CHECK(laptop.imrs()[0].at("chronology_entries") == 1);
    CHECK(laptop.digest() == sent);
    CHECK(laptop.digest() == server.digest(laptop.device_id()));
}

TEST_CASE("sync: an offline draft under a longer agency name is linked at enrolment, never orphaned or duplicated") {
    ServerProcess server;
    create_case(server);
    server.start();
    const std::string enrolled = "Northshire Integrated Care NHS Trust";
    const std::string drafted = enrolled + " (Riverside Surgery and community services)";

    // Weeks of offline work before the review team sent a code.
    Device author("author");
    const std::string draft = last_line(author.ok({"imr", "create", "--case-ref", kCase, "--agency", drafted, "--adult", "Adult A"}));
    author.set_section(draft, "summary", "Drafted offline over three weeks.\n");

    // Enrolment asks, and makes nothing beside the draft; nothing is sent for it yet.
    const auto enrol_out = author.ok({"enrol", server.enrol(kCase, enrolled, "author")});
    CHECK(enrol_out.find("question: which draft is the IMR of " + enrolled) != std::string::npos);
    CHECK(enrol_out.find(draft) != std::string::npos);
    CHECK(author.imrs().size() == 1);
    author.ok({"sync", "--once"});
    CHECK(author.imrs().size() == 1);
    author.set_section(draft, "analysis.q1", "Still editable while the question waits.\n");  // not read-only
    const auto questions = json::parse(author.ok({"sync", "link", "--json"}));
    REQUIRE(questions.size() == 1);
    CHECK(questions[0].at("drafts")[0].at("id").get<std::string>() == draft);

    // A wrong answer is refused; the right one links the draft under the enrolled name.
    const auto wrong = author.run({"sync", "link", "--case", kCase, "--agency", "Northshire Police", "--draft", draft});
    CHECK(wrong.exit_code != 0);
    CHECK(wrong.err.find("nothing asks") != std::string::npos);
    author.ok({"sync", "link", "--case", kCase, "--agency", enrolled, "--draft", draft});
    const auto list = author.imrs();
    REQUIRE(list.size() == 1);
    CHECK(list[0].at("agency").get<std::string>() == enrolled);
    author.ok({"sync", "--once"});
    CHECK(author.imrs().size() == 1);  // no second IMR, ever
    CHECK(author.ok({"sync", "link"}).find("nothing to answer") != std::string::npos);

    // The draft reached the server: a new device of the agency receives it, with its text.
    Device laptop("laptop");
    laptop.ok({"enrol", server.enrol(kCase, enrolled, "author")});
    bool has_draft = false;
    for (const auto& imr : laptop.imrs()) has_draft |= imr.at("id").get<std::string>() == draft;
    CHECK(has_draft);
    CHECK(laptop.section(draft, "summary") == "Drafted offline over three weeks.\n");
    CHECK(laptop.section(draft, "analysis.q1") == "Still editable while the question waits.\n");
}

namespace {

// Every file under `root` is the owner's alone: 0600 files, 0700 folders.
void check_private(const std::filesystem::path& root) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        struct stat st{};
        REQUIRE(::lstat(entry.path().c_str(), &st) == 0);
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) continue;  // the server's socket, if any
        INFO(entry.path() << " has mode " << std::oct << (st.st_mode & 07777));
        CHECK((st.st_mode & 0777) == (S_ISDIR(st.st_mode) ? 0700u : 0600u));
    }
}

struct Umask {
    explicit Umask(mode_t mask) : old(::umask(mask)) {}
    ~Umask() { ::umask(old); }
    mode_t old;
};

}  // namespace

TEST_CASE("files: under a loose umask every file is 0600 and every folder 0700, and loose ones are tightened on opening") {
    const Umask loose(022);  // the programs inherit it, as from a login shell
    ServerProcess server;
    create_case(server);
    server.start();
    Device a("a");
    a.ok({"enrol", server.enrol(kCase, "Northshire NHS Trust", "author")});
    const std::string imr = only_imr(a);
    a.set_section(imr, "summary", "Seen at home.");
    a.ok({"sync", "--once"});
    server.stop();
    check_private(server.data());
    check_private(a.data());

    // Files copied in by hand, or made by an older version, are tightened when next opened.
    const auto vault = a.data() / "profiles" / "a" / "vault.db";
    REQUIRE(std::filesystem::exists(vault));
    ::chmod(vault.c_str(), 0644);
    ::chmod((a.data() / "profiles").c_str(), 0755);
    ::chmod((a.data() / "profiles" / "a").c_str(), 0755);
    ::chmod((server.data() / "server.db").c_str(), 0644);
    a.ok({"imr", "list"});
    server.start();
    a.ok({"sync", "--once"});
    server.stop();
    check_private(server.data());
    check_private(a.data());
}
