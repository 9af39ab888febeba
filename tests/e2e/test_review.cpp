// The review team's workspace end to end, with real processes: one server, two agencies that
// each submit (a third expected one that never starts), a reviewer. Case status, the merged
// chronology in all four formats, and a query's whole life: raised, seen only by its agency,
// answered, the IMR withdrawn, amended and submitted again as version 2 (and what changed since
// version 1, per section and per entry), then closed.
#include <cmath>
#include <cstdio>
#include <map>

#include "shell.hpp"
#include "sync_fixture.hpp"

using namespace imrdesk::test;
using nlohmann::json;

namespace {

constexpr const char* kCase = "SAR 2026-09";
const std::string kPolice = "Northshire Police";
const std::string kTrust = "Northshire NHS Trust";
const std::string kCouncil = "Northshire Council";

std::string only_imr(Device& d) {
    const auto list = d.imrs();
    REQUIRE(list.size() == 1);
    return list[0].at("id").get<std::string>();
}

const json& agency_row(const json& status, const std::string& agency) {
    for (const auto& r : status)
        if (r.at("agency") == agency) return r;
    FAIL("no row for " << agency << " in " << status.dump());
    static const json none;
    return none;
}

double luminance(const std::string& argb) {  // "FF1956AC"
    const auto channel = [&](std::size_t at) {
        const double c = std::stoi(argb.substr(at, 2), nullptr, 16) / 255.0;
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(2) + 0.7152 * channel(4) + 0.0722 * channel(6);
}

// The merged Excel file as Excel and LibreOffice read it (openpyxl): each row's Agency cell in its
// agency's colour, white bold text that reads at 4.5:1 or more, one colour per agency.
void check_agency_colours(const std::filesystem::path& xlsx) {
    if (std::system("/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1") != 0) {
        MESSAGE("python3-openpyxl is not installed (scripts/install-deps.sh installs it): skipping");
        return;
    }
    const auto book = json::parse(run_capture("/usr/bin/python3 " + script("check_xlsx.py") + " '" + xlsx.string() + "'"));
    const auto& rows = book.at("rows");
    REQUIRE(rows.size() == 6);  // the heading row and five entries
    std::size_t agency_col = 0;
    while (agency_col < rows[0].size() && rows[0][agency_col].at("value") != "Agency") ++agency_col;
    REQUIRE(agency_col < rows[0].size());
    std::map<std::string, std::string> fill_of;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& cell = rows[r][agency_col];
        const std::string agency = cell.at("value");
        REQUIRE(cell.at("fill").is_string());
        const std::string fill = cell.at("fill");
        CHECK(cell.at("font_colour") == "FFFFFFFF");
        CHECK(cell.at("bold") == true);
        CHECK((1.0 + 0.05) / (luminance(fill) + 0.05) >= 4.5);  // white on the fill
        if (fill_of.contains(agency)) CHECK(fill_of[agency] == fill);
        fill_of[agency] = fill;
    }
    REQUIRE(fill_of.size() == 2);
    CHECK(fill_of[kPolice] != fill_of[kTrust]);
}

}  // namespace

TEST_CASE("review: case status, the merged chronology in four formats, and a query's life with a resubmission") {
    ServerProcess server;
    server.admin_ok({"case", "create", "--ref", kCase, "--title", "Adult H", "--period-from", "2025-01-01", "--period-to",
                     "2025-12-31", "--due", "2099-12-31", "--agency", kPolice, "--agency", kTrust, "--agency", kCouncil});
    server.start();
    Device police("police"), trust("trust"), reviewer("reviewer");
    police.ok({"enrol", server.enrol(kCase, kPolice, "author")});
    trust.ok({"enrol", server.enrol(kCase, kTrust, "author")});
    reviewer.ok({"enrol", server.enrol(kCase, "Safeguarding Adults Board", "reviewer")});

    const auto police_imr = only_imr(police);
    const auto trust_imr = only_imr(trust);
    police.ok({"section", "set", police_imr, "summary"}, "Police contact with Adult H in 2025.\n");
    const auto call = police.ok({"chronology", "add", police_imr, "--date", "03/05/2025", "--time", "14:10", "--source",
                                 "STORM log 0412", "--event", "Call from a neighbour about shouting"});
    police.ok({"chronology", "add", police_imr, "--date", "March 2025", "--source", "Crime report 77", "--event",
               "Report of theft of bank card", "--missed-opportunity"});
    police.ok({"chronology", "add", police_imr, "--date", "20/11/2025", "--source", "PNC", "--event", "Welfare check"});
    trust.ok({"chronology", "add", trust_imr, "--date", "03/05/2025", "--source", "ED record", "--event",
              "Attended ED with bruising", "--key-practice-episode"});
    trust.ok({"chronology", "add", trust_imr, "--date", "01/02/2025", "--source", "GP letter", "--event", "Referral to memory clinic"});
    for (auto* d : {&police, &trust}) {
        const auto imr = only_imr(*d);
        d->ok({"imr", "endorse", imr, "--officer", "A Officer", "--role", "Head of Safeguarding"});
        d->ok({"imr", "submit", imr});
    }
    reviewer.ok({"sync", "--once"});

    // Case status: both submitted as version 1, the Council not started.
    auto status = json::parse(reviewer.ok({"case", "status", kCase, "--json"}));
    CHECK(status.size() == 3);
    CHECK(agency_row(status, kPolice).at("state") == "submitted");
    CHECK(agency_row(status, kPolice).at("version") == 1);
    CHECK(agency_row(status, kTrust).at("submitted") == true);
    CHECK(agency_row(status, kCouncil).at("state") == "not started");
    CHECK(agency_row(status, kCouncil).at("submitted") == false);
    CHECK(agency_row(status, kCouncil).at("late") == false);
    CHECK(reviewer.ok({"case", "status", kCase}).find("not started") != std::string::npos);
    CHECK(reviewer.run({"case", "status", "SAR 1999-01"}).exit_code != 0);

    // The merged chronology: every entry once, in date order (the month-only date first in its
    // month, before the days of May), each with its agency, the source prefixed.
    const auto merged = json::parse(reviewer.ok({"chronology", "merged", "--case", kCase, "--format", "json"}));
    REQUIRE(merged.size() == 5);
    std::vector<std::string> agencies, dates, sources;
    for (const auto& row : merged) {
        agencies.push_back(row.at("agency").get<std::string>());
        dates.push_back(row.at("date").get<std::string>());
        sources.push_back(row.at("source").get<std::string>());
    }
    CHECK(dates == std::vector<std::string>{"2025-02-01", "2025-03", "2025-05-03", "2025-05-03", "2025-11-20"});
    CHECK(agencies == std::vector<std::string>{kTrust, kPolice, kPolice, kTrust, kPolice});  // 14:10 before no time
    CHECK(sources[0] == kTrust + ": GP letter");
    CHECK(sources[2] == kPolice + ": STORM log 0412");
    const auto csv = reviewer.ok({"chronology", "merged", "--case", kCase, "--format", "csv"});
    CHECK(csv.find(kPolice + ": STORM log 0412") != std::string::npos);
    TempDir out;
    for (const std::string format : {"xlsx", "docx"}) {
        const auto file = out / ("merged." + format);
        reviewer.ok({"chronology", "merged", "--case", kCase, "--format", format, "-o", file.string()});
        const auto bytes = read_file(file);
        CHECK(bytes.size() > 2000);
        CHECK(bytes.substr(0, 2) == "PK");
        if (format == "xlsx") check_agency_colours(file);
    }
    CHECK(police.run({"chronology", "merged", "--case", kCase}).exit_code != 0);  // an author holds no copies

    // A query on the police's call entry.
    const auto call_id = call.substr(0, call.find_first_of("\r\n"));
    const auto query = reviewer.ok({"query", "add", police_imr, "--on", "entry:" + call_id, "--text",
                                    "Was a DASH risk assessment done after this call?"});
    const auto query_id = query.substr(0, 32);
    CHECK(reviewer.run({"query", "add", police_imr, "--on", "entry:" + std::string(32, '0'), "--text", "x"}).exit_code != 0);
    CHECK(police.run({"query", "add", police_imr, "--text", "Can authors raise queries?"}).exit_code != 0);
    reviewer.ok({"sync", "--once"});
    police.ok({"sync", "--once"});
    trust.ok({"sync", "--once"});
    auto queries = json::parse(police.ok({"query", "list", "--json"}));
    REQUIRE(queries.size() == 1);
    CHECK(queries[0].at("id") == query_id);
    CHECK(queries[0].at("on") == "entry:" + call_id);
    CHECK(queries[0].at("state") == "open");
    CHECK(json::parse(trust.ok({"query", "list", "--json"})).empty());  // another agency never sees it
    CHECK(json::parse(police.ok({"imr", "list", "--json"}))[0].at("status") == "submitted");

    // The police answer (their IMR is submitted and read-only, but answers go), then amend it.
    police.ok({"query", "answer", query_id.substr(0, 8), "--text", "Yes: DASH completed, medium risk, STORM 0412 updated."});
    CHECK(police.run({"query", "close", query_id}).exit_code != 0);  // closing is the review team's
    police.ok({"sync", "--once"});
    reviewer.ok({"sync", "--once"});
    queries = json::parse(reviewer.ok({"query", "list", police_imr, "--json"}));
    REQUIRE(queries.size() == 1);
    CHECK(queries[0].at("state") == "answered");
    REQUIRE(queries[0].at("answers").size() == 1);
    CHECK(queries[0].at("answers")[0].at("text").get<std::string>().find("DASH completed") != std::string::npos);

    CHECK(police.run({"section", "set", police_imr, "summary"}, "Edit while submitted.\n").exit_code != 0);
    police.ok({"imr", "withdraw", police_imr});
    police.ok({"section", "set", police_imr, "summary"}, "Police contact with Adult H in 2025, including a DASH assessment.\n");
    police.ok({"chronology", "add", police_imr, "--date", "12/06/2025", "--source", "Niche RMS 2025-77", "--event",
               "DASH risk assessment completed: medium risk."});
    CHECK(reviewer.run({"imr", "changes", police_imr}).exit_code != 0);  // no earlier version held yet
    police.ok({"sync", "--once"});
    reviewer.ok({"sync", "--once"});
    status = json::parse(reviewer.ok({"case", "status", kCase, "--json"}));
    CHECK(agency_row(status, kPolice).at("state") == "amending");
    CHECK(agency_row(status, kPolice).at("version") == 1);
    CHECK(reviewer.ok({"section", "get", police_imr, "summary"}).find("DASH") == std::string::npos);  // no draft seen
    police.ok({"imr", "endorse", police_imr, "--officer", "A Officer", "--role", "Head of Safeguarding"});
    police.ok({"imr", "submit", police_imr});
    reviewer.ok({"sync", "--once"});
    status = json::parse(reviewer.ok({"case", "status", kCase, "--json"}));
    CHECK(agency_row(status, kPolice).at("state") == "submitted");
    CHECK(agency_row(status, kPolice).at("version") == 2);
    CHECK(reviewer.ok({"section", "get", police_imr, "summary"}).find("DASH assessment") != std::string::npos);
    // What changed from version 1 to version 2, per section and per entry.
    const auto changes = json::parse(reviewer.ok({"imr", "changes", police_imr, "--json"}));
    CHECK(changes.at("from") == 1);
    CHECK(changes.at("to") == 2);
    REQUIRE(changes.at("sections").size() == 1);
    CHECK(changes.at("sections")[0].at("key") == "summary");
    CHECK(changes.at("sections")[0].at("after").get<std::string>().find("DASH assessment") != std::string::npos);
    REQUIRE(changes.at("entries").size() == 1);
    CHECK(changes.at("entries")[0].at("change") == "added");
    CHECK(changes.at("entries")[0].at("after").at("source") == "Niche RMS 2025-77");
    CHECK(reviewer.ok({"imr", "changes", police_imr}).find("from version 1 to version 2") != std::string::npos);

    // The review team closes it; the police see it closed; reopening waits for a new answer.
    reviewer.ok({"query", "close", query_id});
    reviewer.ok({"sync", "--once"});
    police.ok({"sync", "--once"});
    CHECK(json::parse(police.ok({"query", "list", "--json"}))[0].at("state") == "closed");
    reviewer.ok({"query", "reopen", query_id});
    CHECK(json::parse(reviewer.ok({"query", "list", "--json"}))[0].at("state") == "reopened");

    // Everyone converges with the store.
    for (auto* d : {&police, &trust, &reviewer}) {
        d->ok({"sync", "--once"});
        CHECK(d->digest() == server.digest(d->device_id()));
    }
    const auto admin = server.admin_ok({"status", "--case", kCase});
    CHECK(admin.find("submitted version 2") != std::string::npos);
    CHECK(admin.find("not started") != std::string::npos);
}
