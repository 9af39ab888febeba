// Chronologies as agencies really have them: real heading sets, combined Date/Time cells, title
// rows, columns nobody asked for, and the author's own choices.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "imrdesk/shared/chronology_csv.hpp"
#include "imrdesk/shared/chronology_import.hpp"

using namespace imrdesk::domain;
using C = ChronologyColumn;

namespace {

const DateParseOptions kOptions{2026};

struct Heading {
    const char* text;
    std::optional<C> expected;  // nullopt: kept as its own field under the heading
};

struct HeadingSet {
    const char* where;  // who publishes it; see docs/import-heading-sets.md for the sources
    std::vector<Heading> headings;
};

constexpr std::nullopt_t kept = std::nullopt;

// Heading rows as published. Sets 1-7 were found in public material from boards, partnerships and
// the records systems authors export from; 8-10 are the headings reported in the import issue by
// authors who tried board templates; 11-17 are other published chronology formats authors meet.
const std::vector<HeadingSet>& heading_sets() {
    static const std::vector<HeadingSet> sets = {
        {"Chronolator (the merging tool many boards use): its special columns",
         {{"Event Ref", kept}, {"Start Date", C::Date}, {"Start Time", C::Time}, {"End Date", C::EndDate},
          {"End Time", kept}, {"Source of Information", C::Source}}},
        {"Public Law Outline 2008 social work chronology, quoted in a local chronology guidance",
         {{"serial number", kept}, {"date", C::Date}, {"event-detail", C::Event},
          {"witness or document reference (where applicable)", C::Source}}},
        {"Safeguarding recording templates (school DSL pack): chronology sheet",
         {{"Date", C::Date}, {"Information/Details of concerns or contact", C::Event}, {"Print Name and Signature", kept}}},
        {"Tayside template: chronology of significant events",
         {{"Date or Period of Event", C::Date}, {"Significant Event", C::Event}, {"Source", C::Source},
          {"Impact (Either Positive or Negative)", C::Comment},
          {"Action Taken to Mitigate Adverse Impact on Child", C::Action}}},
        {"Mosaic (social care records system): created chronology",
         {{"Date range", C::Date}, {"Category", C::ContactType}, {"Age", kept}, {"Source", C::Source},
          {"Description", C::Event}, {"Analysis", C::Comment}}},
        {"Mosaic: case note export",
         {{"Note type", C::ContactType}, {"Title", kept}, {"Contact date", C::Date}, {"Note details", C::Event},
          {"Significant event", C::Event}}},
        {"Write Enough contact sheets (social care recording guidance)",
         {{"The date of the contact", C::Date}, {"Who the contact was with", C::Event},
          {"The purpose of the contact", kept},
          {"The outcome or any action taken in response to the contact", C::Action},
          {"Where any further recording relating to the contact is located in the file", kept},
          {"The date the contact was recorded", C::Date},
          {"The signature and printed name of the worker completing the record", C::Role}}},
        {"Board template tried by an author (import issue)",
         {{"Date/Time", C::DateTime}, {"Source of information", C::Source}, {"Details of contact/event", C::Event},
          {"Outcome / Action Taken", C::Action}, {"Name and role of professional", C::Role}}},
        {"Board template tried by an author (import issue)",
         {{"Date (dd/mm/yyyy)", C::Date}, {"Time (24hr)", C::Time}, {"Information", C::Event},
          {"Action taken / outcome", C::Action}, {"Comments/Analysis", C::Comment}}},
        {"Board template tried by an author (import issue)",
         {{"Date & Time", C::DateTime}, {"Agency", C::Agency}, {"Type of contact", C::ContactType},
          {"Summary of contact", C::Event}, {"Action/Outcome", C::Action}, {"Staff involved (role)", C::Role}}},
        {"The IMR template's chronology of agency involvement, as the review team describes it",
         {{"Date", C::Date}, {"Time", C::Time}, {"Sequence", C::Sequence}, {"Source of information", C::Source},
          {"Event / contact details", C::Event}, {"Action taken / decision / outcome", C::Action},
          {"Rationale", C::Rationale}, {"Practitioner's role", C::Role},
          {"Analysis / significance / comment", C::Comment}}},
        {"Multi-agency (combined) chronology",
         {{"Agency name", C::Agency}, {"Date of contact", C::Date}, {"Time of contact", C::Time},
          {"Method of contact", C::ContactType}, {"Record source/reference", C::Source},
          {"Brief description of event/contact", C::Event}, {"Decisions made and actions taken", C::Action},
          {"Reason for decision", C::Rationale}, {"Professional involved", C::Role}, {"Agency comment", C::Comment}}},
        {"Parent incident timeline (Safe Child Guide)",
         {{"Date", C::Date}, {"Time", C::Time}, {"Platform/Location", kept}, {"What happened", C::Event},
          {"Evidence available", C::Source}}},
        {"US DoL OFCCP case chronology log",
         {{"Date", C::Date}, {"Nature of the contact", C::ContactType}, {"Person contacted", kept},
          {"Summary of discussion or actions taken", C::Event}, {"CO's name", kept}}},
        {"Opus 2 eBundle chronology (legal software)",
         {{"Type", C::ContactType}, {"Date", C::Date}, {"Status", kept}, {"Time", C::Time}, {"Tags", kept},
          {"Description", C::Event}}},
        {"Employment tribunal chronology advice",
         {{"date", C::Date}, {"event", C::Event}, {"page number", kept}}},
        {"imrdesk's own export, flags and tags",
         {{"Key practice episode (Y/N)", C::KeyPracticeEpisode}, {"Missed opportunity", C::MissedOpportunity},
          {"Good practice", C::GoodPractice}, {"No agency contact", C::NoContact}, {"Flags", C::Flags},
          {"Terms of Reference", C::TermsOfReference}, {"Safeguarding principles", C::Principles},
          {"Outcome", C::Outcome}, {"DOB", kept}, {"NHS number", kept}, {"No.", kept}, {"Recorded by", C::Role}}},
    };
    return sets;
}

ImportPreview preview(const std::string& csv, const ImportChoices& choices = {}) {
    ImportChoices with_options = choices;
    with_options.date_options = kOptions;
    return preview_chronology_csv(csv, {}, with_options, ',');
}

}  // namespace

TEST_CASE("the headings of real chronology templates are understood by their words") {
    CHECK(heading_sets().size() >= 15);
    for (const auto& set : heading_sets()) {
        for (const auto& h : set.headings) {
            CAPTURE(set.where);
            CAPTURE(h.text);
            const auto got = recognise_heading(h.text);
            CHECK_MESSAGE(got == h.expected, "read as " << (got ? std::string(to_string(*got)) : std::string("(kept)")));
        }
    }
}

TEST_CASE("a file with a real template's headings imports and keeps every column") {
    // Set 12 above, as a CSV with two rows.
    const std::string csv =
        "Agency name,Date of contact,Time of contact,Method of contact,Record source/reference,"
        "Brief description of event/contact,Decisions made and actions taken,Reason for decision,"
        "Professional involved,Agency comment,Location\n"
        "Northshire Police,14/03/2019,09:40,Telephone,STORM 0412,Call from neighbour,Officers attended,"
        "Welfare concern,PC,Not referred,Mill Lane\n"
        "Northshire Police,15/03/2019,,Home visit,STORM 0415,Visit,None,,PCSO,,\n";
    const auto p = preview(csv);
    REQUIRE(p.all_valid());
    REQUIRE(p.rows.size() == 2);
    const auto& e = p.rows[0].entry;
    CHECK(e.agency == "Northshire Police");
    CHECK(e.date.iso() == "2019-03-14");
    CHECK(e.time->text() == "09:40");
    CHECK(e.contact_type == "Telephone");
    CHECK(e.source == "STORM 0412");
    CHECK(e.event == "Call from neighbour");
    CHECK(e.action == "Officers attended");
    CHECK(e.rationale == "Welfare concern");
    CHECK(e.practitioner_role == "PC");
    CHECK(e.comment == "Not referred");
    CHECK(e.extra_fields == std::vector<ExtraField>{{"Location", "Mill Lane"}});
    CHECK(p.rows[1].entry.extra_fields.empty());
    const auto lines = p.describe_columns();
    REQUIRE(lines.size() == 11);
    CHECK(lines[0] == "column A 'Agency name' -> Agency (2 rows with text)");
    CHECK(lines[10] == "column K 'Location' -> kept as its own field 'Location' (1 row with text) [heading not recognised]");
}

TEST_CASE("a combined Date/Time cell gives both the date and the time") {
    const auto p = preview(
        "Date/Time,Source,Event\n"
        "14/03/2019 09:40,GP record,Seen\n"
        "2019-03-15T10:05,GP record,Seen\n"
        "16/03/2019 at 2.30pm,GP record,Seen\n"
        "17/03/2019 09:40:00,GP record,Seen\n"
        "March 2019,GP record,Month only\n"
        "18/03/2019 1405hrs,GP record,Seen\n"
        "18/03/2019 25:00,GP record,Bad time\n");
    REQUIRE(p.rows.size() == 6);
    CHECK(p.rows[0].entry.date.iso() == "2019-03-14");
    CHECK(p.rows[0].entry.time->text() == "09:40");
    CHECK(p.rows[1].entry.time->text() == "10:05");
    CHECK(p.rows[2].entry.time->text() == "14:30");
    CHECK(p.rows[3].entry.time->text() == "09:40");
    CHECK(p.rows[4].entry.date.iso() == "2019-03");
    CHECK_FALSE(p.rows[4].entry.time);
    CHECK(p.rows[5].entry.time->text() == "14:05");
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].line == 8);
    CHECK(p.errors[0].message.find("Date and time '18/03/2019 25:00'") == 0);
}

TEST_CASE("a time in its own column agrees with a combined cell or says where they differ") {
    const auto p = preview("Date,Time,Source,Event\n14/03/2019 09:40,09:40,x,y\n14/03/2019 09:40,10:00,x,y\n");
    CHECK(p.rows.size() == 1);
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].message.find("Time '10:00' differs from the time in Date '14/03/2019 09:40'") == 0);
}

TEST_CASE("Chronolator's start and end dates make a range") {
    const auto p = preview(
        "Start Date,Start Time,End Date,End Time,Source of Information,Event details\n"
        "01/01/2019,,31/03/2019,,Case file,No contact in the quarter\n"
        "14/03/2019,09:00,14/03/2019,10:00,Diary,Visit\n"
        "14/03/2019,,01/03/2019,,Diary,Backwards\n");
    REQUIRE(p.rows.size() == 2);
    CHECK(p.rows[0].entry.date.iso() == "2019-01-01/2019-03-31");
    CHECK(p.rows[1].entry.date.iso() == "2019-03-14");
    CHECK(p.rows[1].entry.extra_fields == std::vector<ExtraField>{{"End Time", "10:00"}});
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].message.find("End date '01/03/2019'") == 0);
}

TEST_CASE("titles above the heading row are found, reported and not imported") {
    const auto p = preview(
        "Chronology of agency involvement,,\n"
        "Agency: Northshire Integrated Care NHS Trust,,\n"
        ",,\n"
        "Date,Source of information,Details\n"
        "14/03/2019,GP record,Seen\n"
        ",,\n"
        ",,\n");
    CHECK(p.header_line == 4);
    CHECK(p.above_header == std::vector<std::string>{"Chronology of agency involvement", "Agency: Northshire Integrated Care NHS Trust"});
    CHECK(p.row_count == 1);  // rows of empty cells, as Excel writes them, are not rows
    CHECK(p.all_valid());
}

TEST_CASE("the author's choices: map a heading, ignore one, keep one, by heading or by column") {
    const std::string csv = "When,Where from,What,Notes,Internal\n14/03/2019,GP record,Seen,Chased,secret\n";
    const auto unmapped = preview(csv);
    CHECK_FALSE(unmapped.importable());
    CHECK(unmapped.missing == std::vector<C>{C::Source, C::Event});  // "When" reads as a date
    CHECK(unmapped.describe_missing().find("--map 'Heading=source'") != std::string::npos);

    ImportChoices choices;
    choices.by_heading.push_back(parse_mapping("Where from=source"));
    choices.by_heading.push_back(parse_mapping("  what = Event / contact details "));
    choices.by_heading.emplace_back("INTERNAL", ColumnTarget::ignore());
    const auto mapped = preview(csv, choices);
    REQUIRE(mapped.all_valid());
    const auto& e = mapped.rows.at(0).entry;
    CHECK(e.source == "GP record");
    CHECK(e.event == "Seen");
    CHECK(e.comment == "Chased");
    CHECK(e.extra_fields.empty());
    CHECK(mapped.columns[4].target.kind == ColumnTarget::Kind::Ignore);
    CHECK(mapped.columns[4].chosen);

    // By column (the preview's drop-downs), winning over a heading's meaning.
    choices.by_index.emplace_back(3, ColumnTarget::to_extra("Notes"));
    const auto kept = preview(csv, choices);
    CHECK(kept.rows.at(0).entry.comment.empty());
    CHECK(kept.rows.at(0).entry.extra_fields == std::vector<ExtraField>{{"Notes", "Chased"}});

    // A field taken by a choice moves from the column that had it by its heading.
    ImportChoices steal;
    steal.by_heading = {parse_mapping("Where from=source"), parse_mapping("Notes=event")};
    const auto stolen = preview(csv, steal);
    CHECK(stolen.rows.at(0).entry.event == "Chased");
    CHECK(stolen.rows.at(0).entry.extra_fields == std::vector<ExtraField>{{"What", "Seen"}, {"Internal", "secret"}});

    ImportChoices twice;
    twice.by_heading = {parse_mapping("Where from=source"), parse_mapping("What=source")};
    CHECK_THROWS_WITH_AS((void)preview(csv, twice), doctest::Contains("are both chosen as Source of information"), ImportError);
}

TEST_CASE("a --map that is not a mapping says why") {
    CHECK_THROWS_WITH_AS((void)parse_mapping("Information"), doctest::Contains("write it as 'Heading=field'"), ImportError);
    CHECK_THROWS_WITH_AS((void)parse_mapping("=event"), doctest::Contains("the heading is empty"), ImportError);
    CHECK_THROWS_WITH_AS((void)parse_mapping("Information=banana"), doctest::Contains("'banana' is not a field"), ImportError);
    CHECK(parse_mapping("A=B=extra").first == "A=B");  // the last '=' separates
    CHECK(parse_mapping("Notes=keep").second == ColumnTarget::to_extra("Notes"));
    CHECK(parse_mapping("Notes=contact_type").second == ColumnTarget::to_field(C::ContactType));
}

TEST_CASE("columns with no heading: kept when they hold text, left out when empty") {
    const auto p = preview("Date,Source,Event,,\n14/03/2019,x,y,loose note,\n");
    REQUIRE(p.rows.size() == 1);
    CHECK(p.rows[0].entry.extra_fields == std::vector<ExtraField>{{"Column D", "loose note"}});
    CHECK(p.columns[4].target.kind == ColumnTarget::Kind::Ignore);
}

TEST_CASE("a sheet's cells beyond the headings are columns of their own, a CSV's are an error") {
    ImportTable sheet;
    sheet.unit = "row";
    sheet.cells_beyond_header_are_errors = false;
    sheet.records = {{1, {"Date", "Source", "Event"}}, {2, {"14/03/2019", "x", "y", "", "overflow"}}};
    const auto p = preview_chronology(sheet, {}, {{}, {}, kOptions});
    REQUIRE(p.rows.size() == 1);
    CHECK(p.unit == "row");
    CHECK(p.rows[0].entry.extra_fields == std::vector<ExtraField>{{"Column E", "overflow"}});

    const auto csv = preview("Date,Source,Event\n14/03/2019,x,y,,overflow\n");
    REQUIRE(csv.errors.size() == 1);
    CHECK(csv.errors[0].message.find("unquoted comma") != std::string::npos);
}

TEST_CASE("times as spreadsheets write them") {
    CHECK(parse_time_cell("09:40:00").text() == "09:40");
    CHECK(parse_time_cell("0940hrs").text() == "09:40");
    CHECK(parse_time_cell("14:05 hrs").text() == "14:05");
    CHECK(parse_time_cell(" 2pm ").text() == "14:00");
    CHECK_THROWS_AS((void)parse_time_cell("09:40:0x"), DateError);
    CHECK_THROWS_AS((void)parse_time_cell("hrs"), DateError);
}

TEST_CASE("semicolon and tab separated files are read with the separator detected from the heading row") {
    const auto semi = preview_chronology_csv("Date;Source;Event\n14/03/2019;\"GP; record\";Seen, at home\n", {}, kOptions);
    REQUIRE(semi.rows.size() == 1);
    CHECK(semi.rows[0].entry.source == "GP; record");
    CHECK(semi.rows[0].entry.event == "Seen, at home");
    const auto tab = preview_chronology_csv("Date\tSource\tEvent\n14/03/2019\tGP, record\tSeen\n", {}, kOptions);
    REQUIRE(tab.rows.size() == 1);
    CHECK(tab.rows[0].entry.source == "GP, record");
}
