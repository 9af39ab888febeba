// The review team's demo profile: case SAR 2025-07 as the Safeguarding Adults Board's reviewer
// sees it after a sync. The Trust (the author demo's IMR) and the police have submitted (the
// police twice, after a query), adult social care is drafting and the housing provider has not
// started. Entirely fictional, like the author demo.
#include <algorithm>
#include <array>

#include "imrdesk/client/demo.hpp"
#include "imrdesk/client/profiles.hpp"
#include "imrdesk/client/sync_replica.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/partial_date.hpp"

namespace imrdesk::client {
namespace {

struct PoliceRow {
    const char* date;
    const char* time;
    const char* source;
    const char* event;
    const char* action;
    const char* role;
    const char* comment;
    bool key = false;
    bool missed = false;
};

constexpr std::array kPolice{
    PoliceRow{"14/03/2024", "09:40", "STORM log 0412", "Call from a neighbour: Adult A not seen for three days; curtains closed, milk on the step.", "Officers attended, welfare check. Adult A found at home, intoxicated, with a cut to his hand. His son arrived and said he would stay.", "Response officer", "No adult at risk referral was made; the son's account was accepted.", true, true},
    PoliceRow{"27/03/2024", "22:50", "STORM log 1187", "Ambulance service requested police attendance: man found on his kitchen floor.", "Officers attended with the ambulance crew; no criminal offence identified.", "Response officer", "", false, false},
    PoliceRow{"05/2024", "", "Niche RMS occurrence 24-3310", "Neighbour reported shouting from the address on several evenings in May 2024.", "Logged as a neighbour dispute; no attendance.", "Call handler", "The month is all the neighbour could give. Shouting at the address of a vulnerable adult was not linked to the earlier welfare check.", false, true},
    PoliceRow{"20/06/2024", "15:05", "Niche RMS occurrence 24-4102", "Adult A reported his bank card missing; said his son 'looks after it now'.", "Advised to contact his bank. Crime not recorded.", "Front counter officer", "A disclosure that another person controlled his money was not explored.", true, true},
    PoliceRow{"09/08/2024", "", "Niche RMS occurrence 24-5560", "Bank's fraud team reported unusual withdrawals from Adult A's account.", "Allocated to the economic crime unit; Adult A did not answer two letters.", "Economic crime investigator", "", false, false},
    PoliceRow{"02/10/2024", "11:30", "Niche RMS occurrence 24-5560", "Economic crime investigator visited; son present throughout and answered for Adult A.", "Adult A declined to make a complaint. Case filed.", "Economic crime investigator", "Adult A was not spoken to alone. The filing was not shared with adult social care.", true, true},
    PoliceRow{"18/12/2024", "19:20", "STORM log 2231", "Adult A telephoned 999 saying his son had pushed him; call ended before the address was confirmed.", "Address traced; officers attended within 40 minutes. Son arrested for common assault.", "Response officer", "Good practice: quick tracing of the address and positive action.", true, false},
    PoliceRow{"19/12/2024", "", "Niche RMS occurrence 24-8001", "Adult at risk referral (PPN) sent to adult social care.", "Son released under investigation with bail conditions not to contact Adult A.", "Custody sergeant", "", false, false},
    PoliceRow{"06/01/2025", "", "Niche RMS occurrence 24-8001", "Strategy discussion with adult social care and the GP.", "Agreed joint visit; police to review bail conditions.", "Detective constable", "", false, false},
    PoliceRow{"03/2025", "", "Niche RMS occurrence 24-8001", "Bail conditions lapsed; case closed: Adult A did not support a prosecution.", "No further action.", "Detective constable", "Closure was not shared with the other agencies at the strategy discussion.", false, true},
};

struct CouncilRow {
    const char* date;
    const char* source;
    const char* event;
    const char* action;
    bool key = false;
    bool missed = false;
};

constexpr std::array kCouncil{
    CouncilRow{"19/12/2024", "Mosaic case note 55120", "Police adult at risk referral received: alleged assault by son.", "Section 42 enquiry opened; social worker allocated.", true, false},
    CouncilRow{"23/12/2024", "Mosaic case note 55188", "Social worker visited; Adult A seen alone. He said he wanted his son 'to get help, not prison'.", "Safety plan agreed; carer's assessment offered to the son.", true, false},
    CouncilRow{"06/01/2025", "Mosaic case note 55301", "Strategy discussion with police and GP.", "Joint visit agreed.", false, false},
    CouncilRow{"14/02/2025", "Mosaic case note 55877", "Section 42 enquiry closed: risk reduced, son living elsewhere.", "Closed without checking with the GP or the police.", true, true},
};

std::vector<domain::ChronologyEntry> police_entries() {
    std::vector<domain::ChronologyEntry> out;
    for (const auto& row : kPolice) {
        domain::ChronologyEntry e;
        e.date = domain::parse_date(row.date, {2026});
        if (row.time[0] != '\0') e.time = domain::parse_time(row.time);
        e.source = row.source;
        e.event = row.event;
        e.action = row.action;
        e.practitioner_role = row.role;
        e.comment = row.comment;
        e.key_practice_episode = row.key;
        e.missed_opportunity = row.missed;
        e.tor_questions = {2};
        if (row.missed) e.principles = {domain::Principle::Protection};
        out.push_back(std::move(e));
    }
    return out;
}

domain::Endorsement endorsement_by(std::string officer, std::string role) {
    return {std::move(officer), std::move(role), domain::default_endorsement_declaration(), domain::CivilDate{2026, 11, 20}, {},
            nlohmann::json::object()};
}

// Marks every record as received from the server, as a reviewer's pull leaves them.
void acknowledge_all(Workspace& w, std::int64_t& revision) {
    for (;;) {
        const auto dirty = w.vault().dirty_records(500, 64u << 20);
        if (dirty.empty()) return;
        std::vector<Acknowledged> acks;
        for (const auto& r : dirty) acks.push_back({r.id, r.local_seq, ++revision, r.body, r.deleted});
        w.vault().acknowledge(acks);
    }
}

sync::Sha256 hash_of(const std::string& hex) {
    sync::Sha256 out{};
    const auto bytes = crypto::from_hex(hex);
    std::copy_n(bytes.begin(), std::min(bytes.size(), out.size()), out.begin());
    return out;
}

}  // namespace

void receive_as_reviewer(Workspace& w, sync::CaseInfo info) {
    std::int64_t revision = 0;
    acknowledge_all(w, revision);
    VaultReplica replica(w);
    sync::ServerLink link;
    link.host = "review-server.northshire.invalid";  // never answers: the profile stays offline
    link.port = 7443;
    crypto::random_bytes(link.fingerprint);
    link.device_id = new_id();
    link.memberships = {{info.reference, "Northshire Safeguarding Adults Board", sync::Role::Reviewer}};
    replica.save_link(link);
    // Each IMR of the case is a submission, at the version and time its agency's progress gives.
    info.submissions.clear();
    for (const auto& doc : w.imrs()) {
        if (doc.header.case_info.reference != info.reference) continue;
        sync::Submission s{doc.id, doc.header.agency, static_cast<std::uint64_t>(platform::unix_now()), 1,
                           hash_of(w.content_hash(doc.id))};
        const auto progress = std::find_if(info.agencies.begin(), info.agencies.end(),
                                           [&](const sync::AgencyProgress& a) { return a.agency == doc.header.agency; });
        if (progress != info.agencies.end()) {
            s.version = std::max<std::uint32_t>(1, progress->version);
            if (progress->received_at != 0) s.received_at = progress->received_at;
        } else {
            info.agencies.push_back({doc.header.agency, false, sync::AgencyState::Submitted, 1, s.received_at, s.received_at});
        }
        info.submissions.push_back(s);
    }
    replica.apply_case_infos({info});
}

void populate_review_demo(Workspace& w) {
    const auto trust = populate_demo(w);
    const domain::ImrHeader trust_header = w.get(trust).header;  // a copy: the IMRs move as more are made
    const std::string reference = trust_header.case_info.reference;

    domain::ImrHeader police = trust_header;
    police.title = "Individual Management Review: Adult A";
    police.agency = "Northshire Police";
    police.author_agency = "Northshire Police";
    police.author_name = "DS Sam Example";
    police.author_role = "Public protection unit";
    police.author_contact = "sam.example@police.example";
    const auto police_imr = w.create_imr(police);
    const auto police_ids = w.add_entries(police_imr, police_entries(), "demo.created");
    // Version 1 as the review team received it, before a query led the police to amend it.
    w.vault().store_private(version_snapshot_name(police_imr), version_snapshot(w.get(police_imr), 1));
    {
        auto economic = w.get(police_imr).entry(police_ids[5])->value;
        economic.comment += " The filing was not shared with adult social care or the GP.";
        w.update_entry(police_imr, police_ids[5], std::move(economic));
        domain::ChronologyEntry dash;
        dash.date = domain::PartialDate::day(2024, 12, 18);
        dash.time = domain::parse_time("21:05");
        dash.sequence = 1;
        dash.source = "Niche RMS occurrence 24-8001";
        dash.event = "DASH risk assessment completed with Adult A after the arrest: high risk.";
        dash.action = "Referred to the MARAC.";
        dash.practitioner_role = "Response officer";
        dash.key_practice_episode = true;
        dash.tor_questions = {2};
        (void)w.add_entry(police_imr, std::move(dash));
    }
    domain::SectionContent summary;
    summary.key = "summary";
    summary.text = "Northshire Police had ten contacts with Adult A or about him between March 2024 and March 2025. Until December "
                   "2024 each was dealt with as a single incident; the disclosures about his money were not linked.";
    w.save_section(police_imr, summary);

    // The council's IMR is still a draft with its author: the review team holds no copy of it.
    (void)kCouncil;

    w.endorse(trust, endorsement_by("Dr Alex Senior", "Chief Nurse"));
    w.endorse(police_imr, endorsement_by("Det Supt Morgan Example", "Head of Public Protection"));
    const auto now = platform::unix_now();
    sync::CaseInfo info = sync::CaseInfo::from_domain(trust_header.case_info);
    info.agencies = {
        {trust_header.agency, true, sync::AgencyState::Submitted, 1, static_cast<std::uint64_t>(now - 6 * 86400),
         static_cast<std::uint64_t>(now - 6 * 86400)},
        {"Northshire Police", true, sync::AgencyState::Submitted, 2, static_cast<std::uint64_t>(now - 2 * 86400),
         static_cast<std::uint64_t>(now - 2 * 86400)},
        {"Northshire Council Adult Social Care", true, sync::AgencyState::Drafting, 0, 0, static_cast<std::uint64_t>(now - 86400)},
        {"Northshire Homes (housing)", true, sync::AgencyState::NotStarted, 0, 0, 0},
    };
    receive_as_reviewer(w, std::move(info));
    std::int64_t revision = 1'000'000;

    // The factual-accuracy round: a query answered and closed, one answered, one open.
    const std::string reviewer = "Chris Example (SAR lead reviewer)";
    const auto q1 = w.raise_query(police_imr, {domain::QueryTarget::Kind::Entry, {}, police_ids[2]},
                                  "The neighbour's reports of shouting: can you give the dates of each call, or confirm that "
                                  "May 2024 is all the record holds?",
                                  reviewer);
    const auto q2 = w.raise_query(police_imr, {domain::QueryTarget::Kind::Entry, {}, police_ids[5]},
                                  "Was the filing of the economic crime case shared with adult social care or the GP?", reviewer);
    const auto q3 = w.raise_query(trust, {domain::QueryTarget::Kind::Section, "analysis.tor.3", {}},
                                  "The hospital capacity assessment: which decision was it about, and was it shared with the GP?",
                                  reviewer);
    // The agencies' answers, as their authors' devices wrote them.
    const auto answer = [&](const domain::Id& imr, const domain::Id& query, const char* text, const char* by) {
        domain::QueryAnswer a{query, text, by, now, nlohmann::json::object()};
        RecordWrite write{new_id(), imr, domain::RecordKind::QueryAnswer, domain::to_json(a).dump(), false};
        w.vault().write(std::span(&write, 1), "demo.created");
        w.reload_imrs({imr});
    };
    answer(police_imr, q1, "The record holds the month only: the call handler logged the calls together on 31 May 2024.",
           "DS Sam Example");
    answer(police_imr, q2, "No. The filing was not shared; version 2 of the IMR says so under question 4.", "DS Sam Example");
    w.close_query(police_imr, q1, reviewer);
    (void)q3;
    w.save_review_note(police_imr, police_ids[2],
                       "The same month as the Trust's falls visit (20 May) that saw the son controlling money: link in the overview.",
                       reviewer);
    acknowledge_all(w, revision);
}

std::unique_ptr<Workspace> open_or_create_review_demo(const std::filesystem::path& data_dir) {
    const auto file = vault_file(data_dir, kReviewDemoProfile);
    if (std::filesystem::exists(file)) return std::make_unique<Workspace>(Vault::open(file, kDemoPassphrase));
    CreateOptions options;
    options.kdf = crypto::kdf::interactive();
    auto created = Vault::create(file, kDemoPassphrase, options);
    auto workspace = std::make_unique<Workspace>(std::move(created.vault));
    populate_review_demo(*workspace);
    return workspace;
}

}  // namespace imrdesk::client
