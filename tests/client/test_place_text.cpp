// Changing the text at a finding's place (client/place_text.hpp): a section, its reason for not
// applying, a chronology entry's field, a recommendation's field; nothing saved when the text
// changed since the finding or the place is gone; the change is an audited edit like any other.
#include <doctest/doctest.h>

#include "imrdesk/client/place_text.hpp"
#include "temp_dir.hpp"
#include "vault_fixtures.hpp"

using namespace imrdesk;
using namespace imrdesk::client;
using domain::PartialDate;

namespace {

struct Fixture {
    test::TempDir dir;
    std::unique_ptr<Workspace> ws;
    domain::Id imr;
    Fixture() {
        ws = std::make_unique<Workspace>(Vault::create(dir / "v.db", "place text passphrase", test::fast_create()).vault);
        imr = ws->create_imr(test::sample_header("SAR 7"));
        domain::SectionContent s;
        s.key = "summary";
        s.text = "Seen by the GP on Monday.\n";
        ws->save_section(imr, s);
    }
    // Replaces `from` by `to`, as a finding's fix does; false when `from` is not there.
    std::function<bool(std::string&)> replace(std::string from, std::string to) {
        return [from, to](std::string& text) {
            const auto at = text.find(from);
            if (at == std::string::npos) return false;
            text.replace(at, from.size(), to);
            return true;
        };
    }
};

}  // namespace

TEST_CASE("place text: a section, an entry's field and a recommendation's field are changed where the finding is") {
    Fixture f;
    const auto audit_before = f.ws->vault().audit_entries().size();
    CHECK(edit_text_at(*f.ws, f.imr, Place{Place::Kind::Section, "summary", {}, ""}, f.replace("GP", "General Practitioner (GP)")));
    CHECK(f.ws->get(f.imr).section("summary")->value.text == "Seen by the General Practitioner (GP) on Monday.\n");

    const auto entry = f.ws->add_entry(f.imr, test::sample_entry(PartialDate::day(2024, 3, 4), "Home visit by the SW."));
    const Place at_entry{Place::Kind::Entry, "chronology", entry, "event"};
    REQUIRE(text_at(f.ws->get(f.imr), at_entry) != nullptr);
    CHECK(edit_text_at(*f.ws, f.imr, at_entry, f.replace("SW", "social worker")));
    CHECK(f.ws->get(f.imr).entry(entry)->value.event == "Home visit by the social worker.");

    domain::Recommendation r;
    r.order = 1;
    r.text = "Train staff on MCA.";
    r.measure = "Audit in 6 months.";
    const auto rec = f.ws->save_recommendation(f.imr, std::nullopt, r);
    CHECK(edit_text_at(*f.ws, f.imr, Place{Place::Kind::Recommendation, "recommendations", rec, "measure"},
                       f.replace("6", "six")));
    CHECK(edit_text_at(*f.ws, f.imr, Place{Place::Kind::Recommendation, "recommendations", rec, ""},
                       f.replace("MCA", "the Mental Capacity Act (MCA)")));
    const auto& saved = f.ws->get(f.imr).recommendations.front().value;
    CHECK(saved.text == "Train staff on the Mental Capacity Act (MCA).");
    CHECK(saved.measure == "Audit in six months.");
    // Each change is one audited save, like the author's own edit.
    CHECK(f.ws->vault().audit_entries().size() > audit_before + 3);
}

TEST_CASE("place text: nothing is saved when the text changed since the finding, or the place is gone") {
    Fixture f;
    const auto before = f.ws->vault().audit_entries().size();
    // The finding saw "GP", the author has rewritten the sentence since.
    CHECK_FALSE(edit_text_at(*f.ws, f.imr, Place{Place::Kind::Section, "summary", {}, ""}, f.replace("DNA", "did not attend")));
    CHECK(f.ws->get(f.imr).section("summary")->value.text == "Seen by the GP on Monday.\n");
    // A deleted entry, an unknown field, a section never written, the header.
    const auto entry = f.ws->add_entry(f.imr, test::sample_entry(PartialDate::day(2024, 3, 4), "Visit."));
    f.ws->delete_entry(f.imr, entry);
    const auto after_delete = f.ws->vault().audit_entries().size();
    CHECK_FALSE(edit_text_at(*f.ws, f.imr, Place{Place::Kind::Entry, "chronology", entry, "event"}, f.replace("Visit", "x")));
    CHECK_FALSE(edit_text_at(*f.ws, f.imr, Place{Place::Kind::Section, "analysis.q9", {}, ""}, f.replace("a", "b")));
    CHECK_FALSE(edit_text_at(*f.ws, f.imr, Place{Place::Kind::Header, "header", {}, "agency"}, f.replace("a", "b")));
    CHECK(f.ws->vault().audit_entries().size() == after_delete);
    CHECK(after_delete > before);
}
