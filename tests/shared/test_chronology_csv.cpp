#include <doctest/doctest.h>

#include "imrdesk/shared/chronology_csv.hpp"

using namespace imrdesk::domain;

namespace {
const DateParseOptions kOptions{2026};
}

TEST_CASE("an export from a records system imports with synonyms, quoting and line numbers") {
    const std::string csv =
        "\xEF\xBB\xBF" "Date of contact,Time,Source of Information,Details,Action taken / decision / outcome,Practitioner's role,Analysis / significance / comment,Extra\r\n"
        "14/03/2019,09:40,\"SystmOne, consultation 1\",\"Seen, with son.\nSaid he was managing.\",Referred,GP,\"Not seen \"\"alone\"\"\",x\r\n"
        "March 2019,,Theseus,Letter sent,,Coordinator,,\r\n"
        "c. 2018,,Interview,Recalled an earlier fall,,,,\r\n";
    const auto preview = preview_chronology_csv(csv, {}, kOptions);
    CHECK(preview.all_valid());
    CHECK(preview.row_count == 3);
    REQUIRE(preview.rows.size() == 3);
    // A heading that names no field is kept, never dropped: each entry carries it as an extra field.
    REQUIRE(preview.columns.size() == 8);
    CHECK(preview.columns[7].target == ColumnTarget::to_extra("Extra"));
    CHECK(preview.rows[0].entry.extra_fields == std::vector<ExtraField>{{"Extra", "x"}});
    CHECK(preview.rows[1].entry.extra_fields.empty());
    CHECK(preview.rows[0].line == 2);
    CHECK(preview.rows[0].entry.source == "SystmOne, consultation 1");
    CHECK(preview.rows[0].entry.event == "Seen, with son.\nSaid he was managing.");
    CHECK(preview.rows[0].entry.comment == "Not seen \"alone\"");
    CHECK(preview.rows[0].entry.practitioner_role == "GP");
    CHECK(preview.rows[1].line == 4);  // the quoted newline makes row 1 span two lines
    CHECK(preview.rows[1].entry.date.iso() == "2019-03");
    CHECK(preview.rows[2].entry.date.approximate);
}

TEST_CASE("every invalid row is reported with its line and reason") {
    const std::string csv =
        "Date,Source,Event,Time\n"
        "31/02/2019,GP record,Seen,\n"
        ",GP record,Seen,\n"
        "14/03/2019,,Seen,\n"
        "14/03/2019,GP record,Seen,25:00\n"
        "14/03/2019,GP record,Seen,,surplus\n"
        "15/03/2019,GP record,Fine,\n";
    const auto preview = preview_chronology_csv(csv, {}, kOptions);
    CHECK(preview.row_count == 6);
    CHECK(preview.rows.size() == 1);
    REQUIRE(preview.errors.size() == 5);
    CHECK(preview.errors[0].line == 2);
    CHECK(preview.errors[0].message.find("February 2019 has 28 days") != std::string::npos);
    CHECK(preview.errors[1].message == "Date is empty");
    CHECK(preview.errors[2].message.find("source") != std::string::npos);
    CHECK(preview.errors[3].message.find("Time '25:00'") != std::string::npos);
    CHECK(preview.errors[4].message.find("the heading row has 4") != std::string::npos);
}

TEST_CASE("files that cannot be imported at all say why") {
    CHECK_THROWS_WITH_AS(preview_chronology_csv("", {}, kOptions), doctest::Contains("the file is empty"), ImportError);
    const auto unknown = preview_chronology_csv("Name,Address\nx,y\n", {}, kOptions);
    CHECK_FALSE(unknown.importable());
    CHECK(unknown.missing == std::vector<ChronologyColumn>{ChronologyColumn::Date, ChronologyColumn::Source, ChronologyColumn::Event});
    CHECK(unknown.rows.empty());
    CHECK(unknown.row_count == 1);
    CHECK(unknown.describe_missing().find("no column is the Date, the Source of information or the Event / contact details") == 0);
    CHECK_THROWS_WITH_AS(preview_chronology_csv("Date,Source,Event\n\"14/03/2019,x,y\n", {}, kOptions),
                         doctest::Contains("line 2"), ImportError);
    // Two columns that mean the same field: the first fills it, the second is kept under its heading.
    const auto twice = preview_chronology_csv("Date,Date,Source,Event\n01/02/2019,02/02/2019,x,y\n", {}, kOptions);
    REQUIRE(twice.rows.size() == 1);
    CHECK(twice.rows[0].entry.date.iso() == "2019-02-01");
    CHECK(twice.rows[0].entry.extra_fields == std::vector<ExtraField>{{"Date", "02/02/2019"}});
    CHECK(twice.columns[1].note.find("reads as Date, which column A 'Date' fills") == 0);
    const auto header_only = preview_chronology_csv("Date,Source,Event\r\n", {}, kOptions);
    CHECK(header_only.row_count == 0);
    CHECK(header_only.all_valid());
    CHECK_THROWS_AS(preview_chronology_csv(std::string("Date,Source,Event\n1/1/2019,\xff\xfe,x\n"), {}, kOptions), ImportError);
}

TEST_CASE("an export re-imports to the same entries, formula-like text included") {
    std::vector<ChronologyEntry> entries;
    ChronologyEntry a;
    a.date = parse_date("01/2019 - 03/2019", kOptions);
    a.source = "=HYPERLINK(\"http://example\")";
    a.event = "- bullet one\n- bullet two, with a comma";
    a.no_contact_period = true;
    a.tor_questions = {2};
    a.principles = {Principle::Empowerment, Principle::Prevention};
    a.extra_fields = {{"Location", "Ward 7"}};
    entries.push_back(a);
    ChronologyEntry b;
    b.date = parse_date("?03/2019", kOptions);
    b.time = parse_time("2.05pm");
    b.sequence = 3;
    b.source = "Lorenzo";
    b.event = "Event";
    b.action = "@mention";
    b.rationale = "because";
    b.outcome = "+1";
    b.practitioner_role = "Nurse";
    b.comment = "\"quoted\"";
    b.agency = "Northshire Police";
    b.contact_type = "Home visit";
    b.extra_fields = {{"Location", "Flat 2, Mill Lane"}, {"=Formula heading", "-2"}};

    b.key_practice_episode = b.missed_opportunity = b.good_practice = true;
    entries.push_back(b);

    const std::string csv = export_chronology_csv(entries);
    CHECK(csv.find("'=HYPERLINK") != std::string::npos);  // a spreadsheet will not run it
    CaseInfo case_info;
    case_info.terms_of_reference = {{2, "Q2"}};
    const auto preview = preview_chronology_csv(csv, case_info, kOptions);
    REQUIRE(preview.all_valid());
    REQUIRE(preview.rows.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& x = entries[i];
        const auto& y = preview.rows[i].entry;
        CAPTURE(i);
        CHECK(y.date == x.date);
        CHECK(y.time == x.time);
        CHECK(y.sequence == x.sequence);
        CHECK(y.source == x.source);
        CHECK(y.event == x.event);
        CHECK(y.action == x.action);
        CHECK(y.rationale == x.rationale);
        CHECK(y.outcome == x.outcome);
        CHECK(y.practitioner_role == x.practitioner_role);
        CHECK(y.comment == x.comment);
        CHECK(y.key_practice_episode == x.key_practice_episode);
        CHECK(y.missed_opportunity == x.missed_opportunity);
        CHECK(y.good_practice == x.good_practice);
        CHECK(y.no_contact_period == x.no_contact_period);
        CHECK(y.tor_questions == x.tor_questions);
        CHECK(y.principles == x.principles);
        CHECK(y.agency == x.agency);
        CHECK(y.contact_type == x.contact_type);
        CHECK(y.extra_fields == x.extra_fields);
    }
}
