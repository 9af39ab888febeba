#include "imrdesk/client/demo.hpp"

#include <array>

#include "imrdesk/client/profiles.hpp"
#include "imrdesk/crypto/kdf.hpp"
#include "imrdesk/shared/partial_date.hpp"

namespace imrdesk::client {
namespace {

using domain::ChronologyEntry;
using domain::Principle;

enum Flag : unsigned { None = 0, Kpe = 1, Missed = 2, Good = 4, NoContact = 8 };

struct Row {
    const char* date;
    const char* time;
    const char* source;
    const char* event;
    const char* action;
    const char* role;
    const char* comment;
    unsigned flags;
};

// Entirely fictional. Written as a careful IMR author would, with a few abbreviations left in so
// the quality checks have something to find.
constexpr std::array kRows{
    Row{"08/01/2024", "09:40", "GP record (SystmOne), consultation 1184", "Adult A attended Riverside Surgery for a review of chronic obstructive pulmonary disease. Reported drinking 'a bottle of vodka most days' since the death of his wife in 2022. Weight 58 kg, down 6 kg in a year.", "Inhaler technique reviewed. Referred to Community Alcohol Service. Blood tests requested.", "General practitioner", "First recorded disclosure of dependent drinking in the review period. No enquiry about who else lived at the address.", Kpe},
    Row{"22/01/2024", "", "GP record (SystmOne), task 2207", "Blood test results: raised liver enzymes and low sodium.", "Letter sent inviting Adult A to discuss results.", "General practitioner", "", None},
    Row{"05/02/2024", "14:10", "GP record (SystmOne), consultation 1302", "Adult A did not attend the appointment to discuss blood results (DNA).", "No follow-up recorded.", "Practice administrator", "The practice 'did not attend' policy asks for a clinician review of missed appointments for adults with complex needs. This did not happen.", Missed},
    Row{"19/02/2024", "", "Community Alcohol Service record (Theseus), referral 55/24", "Referral from the GP received and triaged as routine.", "Opt-in letter sent asking Adult A to telephone to book an assessment.", "Referral coordinator", "Opt-in letters rely on the person's motivation and literacy; neither was known.", None},
    Row{"11/03/2024", "", "Community Alcohol Service record (Theseus), referral 55/24", "No response to the opt-in letter within 21 days.", "Referral closed and GP informed by letter.", "Referral coordinator", "Closure after one letter followed service policy at the time but left no one holding the risk.", Missed},
    Row{"27/03/2024", "23:15", "Emergency department record (Symphony), attendance 240327-118", "Adult A brought in by ambulance after a fall at home; found on the kitchen floor by his son. Laceration to the scalp. Breath alcohol noted. Bruising of different ages to both upper arms.", "Wound closed. Discharged home with his son at 03:30.", "Emergency department nurse", "Bruising of different ages was recorded but not explored, and no safeguarding concern was considered. Adult A was not seen alone.", Kpe | Missed},
    Row{"28/03/2024", "", "GP record (SystmOne), document 3381", "Emergency department discharge summary received: fall, head laceration, alcohol.", "Filed without clinician review.", "Practice administrator", "", Missed},
    Row{"16/04/2024", "10:30", "GP record (SystmOne), consultation 1471", "Adult A attended with his son, who answered most questions. Adult A said he was 'managing'. Son reported that his father forgets to eat.", "Referral to the falls service. Advice on alcohol given.", "General practitioner", "The son's presence limited what Adult A could say. No opportunity was offered to speak with him alone.", Kpe},
    Row{"02/05/2024", "", "Falls service record (SystmOne), referral 880", "Falls referral received and accepted.", "Home assessment booked for 20 May 2024.", "Falls service administrator", "", None},
    Row{"20/05/2024", "11:00", "Falls service record (SystmOne), visit 880-1", "Home visit. House cold and cluttered; little food in the kitchen. Son present and said he manages his father's money 'because Dad can't be trusted with it'. Adult A appeared anxious and looked at his son before answering.", "Grab rails ordered. Advice on footwear and lighting. Plan to review in 6 weeks.", "Occupational therapist", "Indicators of possible financial abuse and coercive control were observed and recorded, but not recognised as a safeguarding concern. No referral to the Local Authority was made.", Kpe | Missed},
    Row{"03/06/2024", "", "Falls service record (SystmOne), task 880-2", "Grab rails fitted by the equipment service.", "None.", "Equipment technician", "", None},
    Row{"01/07/2024", "", "Falls service record (SystmOne), visit 880-3", "Planned review visit: no answer at the door. A neighbour said Adult A's son 'doesn't like people calling'.", "Card left. Telephone message left for the son.", "Occupational therapist", "The neighbour's remark was recorded but not shared with the GP.", None},
    Row{"15/07/2024", "", "Falls service record (SystmOne), discharge 880", "No contact after two attempts.", "Discharged from the falls service; letter to GP.", "Occupational therapist", "Discharge for non-engagement without considering why the adult was not engaging.", Missed},
    Row{"07/2024 - 09/2024", "", "GP record (SystmOne) and all service records searched", "No contact with any service of the agency between July and September 2024.", "", "IMR author", "The records show no contact for ten weeks; the son later told the police his father 'refused all help' during this time.", NoContact},
    Row{"30/09/2024", "08:55", "GP record (SystmOne), telephone 1622", "Son telephoned requesting a repeat prescription of diazepam for his father and a letter 'confirming Dad can't manage his own affairs'.", "Prescription declined pending review. Appointment offered.", "General practitioner", "The request for a capacity letter without an assessment should have prompted questions about the son's role.", Kpe},
    Row{"08/10/2024", "15:20", "GP record (SystmOne), consultation 1660", "Adult A attended alone for the first time in the review period. Low mood, poor sleep, said he 'just wants some peace'. Asked whether he felt safe at home, he changed the subject.", "Sertraline started. Referral to the Community Mental Health Team. Safety netting advice.", "General practitioner", "Good practice: the GP asked directly about safety. The unanswered question was not followed up at the next contact.", Good | Kpe},
    Row{"21/10/2024", "", "Community Mental Health Team record (RiO), referral 24-6610", "Referral discussed at the team's daily meeting.", "Declined: 'primary alcohol problem, signpost to alcohol service'.", "Team manager", "A dual-diagnosis pathway existed but was not used. This is the comorbidity theme of the brief.", Missed},
    Row{"22/10/2024", "", "GP record (SystmOne), document 4410", "Letter from the Community Mental Health Team declining the referral.", "GP re-referred Adult A to the Community Alcohol Service.", "General practitioner", "", None},
    Row{"13/11/2024", "11:30", "Community Alcohol Service record (Theseus), assessment 55/24-2", "Assessment at home (offered after the GP asked for an outreach visit). Alcohol Use Disorders Identification Test score 31. Adult A disclosed his son 'takes my card'. Son arrived during the visit and the conversation ended.", "Plan: community detoxification to be considered; key worker allocated. Concern about money noted.", "Recovery worker", "A direct disclosure of possible financial abuse. The worker discussed it with her supervisor the same day, which was good practice, but no safeguarding concern was raised.", Kpe | Missed},
    Row{"14/11/2024", "", "Community Alcohol Service record (Theseus), supervision note", "Supervision discussion of the disclosure.", "Agreed to 'explore further at next visit'.", "Team leader", "The decision to wait was not recorded with a rationale. The legal duty to consider a referral under section 42 of the Care Act 2014 was not mentioned.", Missed},
    Row{"27/11/2024", "", "Community Alcohol Service record (Theseus), visit 55/24-3", "Second home visit: the son said his father was asleep and refused entry.", "Visit rearranged.", "Recovery worker", "", None},
    Row{"11/12/2024", "", "Community Alcohol Service record (Theseus), visit 55/24-4", "Adult A seen at the door with his son present. Appeared unkempt and thin. Said he did not want to continue with the service.", "Case closed at Adult A's request.", "Recovery worker", "Adult A's wish was respected without considering whether it was made freely, or his capacity to make it given his drinking and his son's presence.", Kpe | Missed},
    Row{"24/12/2024", "02:10", "Emergency department record (Symphony), attendance 241224-044", "Brought in by ambulance: fall, fractured left wrist, hypothermia (35.1 C). Found by a neighbour in the garden in the early hours.", "Admitted to the acute medical unit.", "Emergency department doctor", "", Kpe},
    Row{"27/12/2024", "", "Hospital record (Lorenzo), ward 12 notes", "On the ward Adult A told a nurse he was 'frightened to go home' and that his son 'shouts and takes everything'.", "Safeguarding concern raised to the Local Authority the same day by the ward nurse.", "Staff nurse", "Good practice: the nurse listened, recorded the adult's own words and raised a concern at once.", Good | Kpe},
    Row{"30/12/2024", "", "Hospital record (Lorenzo), safeguarding team note", "Hospital safeguarding team informed that the Local Authority had opened a section 42 enquiry.", "Hospital safeguarding team to attend the strategy discussion.", "Safeguarding adults lead", "", None},
    Row{"03/01/2025", "10:00", "Hospital record (Lorenzo), strategy discussion minutes", "Multi-agency strategy discussion (Local Authority, police, hospital). Agreed: capacity assessment about discharge; Adult A to be seen alone; police to consider financial abuse.", "Hospital to complete a mental capacity assessment about where Adult A lives on discharge.", "Safeguarding adults lead", "A clear, shared plan. The GP practice was not invited, so its history of missed appointments and the son's capacity letter request were not shared.", Kpe},
    Row{"06/01/2025", "", "Hospital record (Lorenzo), mental capacity assessment", "Mental capacity assessment: Adult A has capacity to decide where to live on discharge. He wished to return home 'but not with my son there all the time'.", "Discharge planning to include support at home.", "Consultant physician", "A decision-specific, well-recorded assessment. Good practice.", Good},
    Row{"09/01/2025", "", "Hospital record (Lorenzo), discharge summary", "Discharged home with a package of care (two visits a day) arranged by the Local Authority.", "Discharge summary to GP.", "Discharge coordinator", "", None},
    Row{"15/01/2025", "", "GP record (SystmOne), document 5102", "Discharge summary received, including the safeguarding concern.", "Safeguarding alert added to the record. Review appointment booked.", "General practitioner", "Good practice: the alert made the risk visible to every clinician in the practice.", Good},
    Row{"28/01/2025", "11:45", "GP record (SystmOne), consultation 1901", "Review: wrist healing. Adult A seen alone at the GP's request. Said the carers were 'kind' and his son was visiting less.", "Medication reviewed; diazepam not restarted.", "General practitioner", "", Good},
    Row{"02/2025", "", "District nursing record (SystmOne), caseload note", "Adult A added to the district nursing caseload for dressing of a leg ulcer (exact date not recorded).", "Weekly visits planned.", "District nurse", "The record holds the month only; the referral letter could not be found.", None},
    Row{"12/02/2025", "", "District nursing record (SystmOne), visit", "Leg ulcer dressed. Adult A talkative; kitchen stocked. Care workers present.", "Continue weekly visits.", "District nurse", "", None},
    Row{"26/02/2025", "", "District nursing record (SystmOne), visit", "Leg ulcer improving.", "Continue weekly visits.", "Healthcare assistant", "", None},
    Row{"12/03/2025", "", "District nursing record (SystmOne), visit", "Son present and hostile; said nurses were 'wasting Dad's time'. Adult A quiet.", "Visit completed; nurse recorded concern.", "District nurse", "The nurse did not know about the section 42 enquiry because the safeguarding alert was on the GP record but not on the district nursing caseload view.", Kpe},
    Row{"26/03/2025", "", "District nursing record (SystmOne), visit", "No answer. Care agency told the nurse that the son had cancelled the care package the previous week.", "District nurse informed the GP by task.", "District nurse", "Cancellation of care by a family member subject to a safeguarding enquiry should have been escalated to the Local Authority at once.", Missed},
    Row{"27/03/2025", "", "GP record (SystmOne), task 6020", "Task from the district nurse read by a locum GP.", "Marked 'noted'.", "Locum general practitioner", "No action by the practice, and no contact with the Local Authority.", Missed},
    Row{"04/2025", "", "Local Authority letter held in GP record (SystmOne), document 6190", "Letter from the Local Authority: section 42 enquiry closed in April 2025 because Adult A 'declined further involvement'.", "Filed.", "Practice administrator", "The practice was not asked for information before the enquiry closed.", None},
    Row{"09/04/2025", "", "District nursing record (SystmOne), visit", "Seen at home; ulcer worse, dressings not changed for two weeks.", "Weekly visits resumed.", "District nurse", "", None},
    Row{"23/04/2025", "", "District nursing record (SystmOne), visit", "Son refused entry.", "Visit rearranged for the following week.", "District nurse", "", None},
    Row{"30/04/2025", "", "District nursing record (SystmOne), visit", "Visit: Adult A seen with son present. Ulcer dressed.", "Continue weekly visits.", "District nurse", "", None},
    Row{"14/05/2025", "", "District nursing record (SystmOne), visit", "Son refused entry for the second time in three weeks.", "Discussed with the team leader; plan to 'monitor'.", "District nurse", "Repeated refusals of access are a recognised indicator of coercive control. Monitoring without a plan or a referral was not sufficient.", Kpe | Missed},
    Row{"20/05/2025", "13:30", "Police record shared with the agency, reference SAR-2025-118", "Police officers carried out a welfare check after a neighbour reported shouting. Adult A said 'everything is fine'.", "Police shared a notification with the Local Authority; copy to GP.", "Police constable (shared record)", "Included because the notification reached the agency's record.", None},
    Row{"22/05/2025", "", "GP record (SystmOne), document 6402", "Police notification received.", "GP telephoned Adult A; the son answered and said his father was out.", "General practitioner", "The GP tried to make contact, which was good practice, but there was no second attempt.", Good},
    Row{"06/2025", "", "District nursing record (SystmOne), caseload review", "Leg ulcer healed; Adult A discharged from the district nursing caseload in June 2025.", "Letter to GP.", "District nurse team leader", "Discharge removed the agency's only regular contact with Adult A at home.", Kpe},
    Row{"07/2025 - 09/2025", "", "All service records searched", "No contact between July and September 2025.", "", "IMR author", "A second long period without contact. No agency held a plan to check on Adult A.", NoContact},
    Row{"c. 08/2025", "", "Interview with the practice manager, 14/01/2026", "The practice manager recalled that the son collected repeat prescriptions 'around August'. The record does not hold the date.", "", "Practice manager", "Approximate date from an interview, kept as such rather than guessed.", None},
    Row{"02/10/2025", "09:20", "GP record (SystmOne), telephone 7011", "Son telephoned to say his father had 'stopped eating' and was 'confused'.", "Home visit arranged for the same day.", "Receptionist", "", None},
    Row{"02/10/2025", "16:40", "GP record (SystmOne), home visit 7012", "Home visit: Adult A thin, confused, smelling of alcohol. House very cold. Adult A said 'I want to go in a home'. Son said this was 'the drink talking'.", "Blood tests taken. Referral to the memory service. Safeguarding concern raised to the Local Authority.", "General practitioner", "Good practice: the GP raised a concern and recorded the adult's own words. The capacity question was not addressed.", Good | Kpe},
    Row{"02/10/2025", "", "GP record (SystmOne), safeguarding referral 7013", "Safeguarding concern sent to the Local Authority by secure email.", "Acknowledged the same day.", "General practitioner", "", Good},
    Row{"09/10/2025", "", "Memory service record (RiO), referral 25-0912", "Memory service referral triaged.", "Appointment offered in 14 weeks.", "Memory service administrator", "The waiting time was far longer than the risk allowed. Resourcing is discussed under Other factors.", None},
    Row{"16/10/2025", "", "GP record (SystmOne), task 7102", "Blood results: severe malnutrition markers, low sodium.", "Adult A telephoned: no answer. Son said he would bring his father in.", "General practitioner", "", None},
    Row{"23/10/2025", "", "GP record (SystmOne), consultation 7150", "Adult A did not attend.", "GP telephoned the Local Authority duty team to share the concern.", "General practitioner", "Good practice: escalation by telephone after a missed appointment.", Good},
    Row{"30/10/2025", "", "Local Authority record shared with the agency", "Social worker visited; Adult A declined an assessment with his son present.", "Plan to visit again with the police.", "Social worker (shared record)", "", None},
    Row{"06/11/2025", "07:30", "Ambulance service record shared with the agency, incident 251106-02", "Adult A found deceased at home by a care agency worker visiting at the son's request.", "Police and coroner informed.", "Paramedic (shared record)", "", Kpe},
    Row{"07/11/2025", "", "GP record (SystmOne), document 7400", "Notification of death received.", "Significant event analysis started.", "Practice manager", "", None},
    Row{"2025", "", "GP record (SystmOne), prescribing history", "Across 2025, 11 of 16 repeat prescriptions were collected by the son.", "", "IMR author", "A year-precision summary of a pattern rather than one event.", None},
    Row{"12/11/2025", "", "Safeguarding Adults Board letter", "Notification that a Safeguarding Adults Review will be held under section 44 of the Care Act 2014.", "Records secured on 12 November 2025.", "Named GP for safeguarding", "", None},
    Row{"14/02/2025", "", "GP record (SystmOne), consultation 2040", "Annual review of chronic obstructive pulmonary disease: Adult A attended with a care worker.", "Flu vaccine given; inhalers reviewed.", "Practice nurse", "", None},
    Row{"14/02/2025", "", "GP record (SystmOne), consultation 2041", "Same visit: nurse asked Adult A about his mood and support at home; he said things were 'better since the carers started'.", "None.", "Practice nurse", "", Good},
    Row{"19/06/2025", "", "GP record (SystmOne), medication review 6688", "Medication review without a consultation.", "Repeat prescriptions reauthorised for 12 months.", "Clinical pharmacist", "The review did not consider who was collecting the prescriptions.", Missed},
    Row{"01/2025 - 03/2025", "", "Care agency records requested through the Local Authority", "Care workers visited twice a day.", "", "IMR author", "Period of regular contact, for context.", None},
};

void add_section(Workspace& w, const domain::Id& imr, const char* key, const char* text, bool complete) {
    domain::SectionContent s;
    s.key = key;
    s.text = text;
    s.complete = complete;
    w.save_section(imr, std::move(s));
}

}  // namespace

domain::Id populate_demo(Workspace& w) {
    domain::ImrHeader h;
    h.title = "Individual Management Review: Adult A";
    h.case_info.reference = "SAR 2025-07";
    h.case_info.title = "Safeguarding Adults Review: Adult A (Northshire)";
    h.case_info.terms_of_reference = {
        {1, "How well did agencies understand Adult A's lived experience, including his drinking, his grief and his relationship with his son?"},
        {2, "How effectively did agencies recognise and respond to indicators of financial abuse and coercive control?"},
        {3, "How were Adult A's mental capacity and his wishes considered when he declined services?"},
        {4, "How well did agencies share information and work together, including when services were closed?"},
    };
    h.case_info.period_from = domain::CivilDate{2024, 1, 1};
    h.case_info.period_to = domain::CivilDate{2025, 11, 30};
    h.case_info.due = domain::CivilDate{2026, 12, 18};
    h.agency = "Northshire Integrated Care NHS Trust (Riverside Surgery and community services)";
    h.adults = {{"Adult A", domain::PartialDate::day(1961, 5, 12)}};
    h.author_name = "Jo Example";
    h.author_agency = "Northshire Integrated Care NHS Trust";
    h.author_contact = "jo.example@northshire.example, 01632 960 000";
    h.author_role = "Named nurse for safeguarding adults";
    h.author_independence = "I had no involvement with Adult A or the services that supported him, and I do not manage any of the staff involved.";
    h.records_secured_date = domain::CivilDate{2025, 11, 12};
    h.records_examined = "GP record (SystmOne); district nursing, falls service and memory service records; emergency department (Symphony) and hospital (Lorenzo) records; Community Alcohol Service (Theseus) and Community Mental Health Team (RiO) records.";
    h.staff_interviewed = "General practitioner (9 January 2026); district nurse and team leader (12 January 2026); recovery worker (13 January 2026); practice manager (14 January 2026).";
    const auto imr = w.create_imr(h);

    std::vector<ChronologyEntry> entries;
    int sequence = 0;
    const char* previous_date = "";
    for (const auto& row : kRows) {
        ChronologyEntry e;
        e.date = domain::parse_date(row.date, {2026});
        if (row.time[0] != '\0') e.time = domain::parse_time(row.time);
        sequence = std::string_view(previous_date) == row.date ? sequence + 1 : 0;
        previous_date = row.date;
        e.sequence = sequence;
        e.source = row.source;
        e.event = row.event;
        e.action = row.action;
        e.practitioner_role = row.role;
        e.comment = row.comment;
        e.key_practice_episode = (row.flags & Kpe) != 0;
        e.missed_opportunity = (row.flags & Missed) != 0;
        e.good_practice = (row.flags & Good) != 0;
        e.no_contact_period = (row.flags & NoContact) != 0;
        const std::string_view text = row.event;
        if (text.find("son") != std::string_view::npos) e.tor_questions.push_back(2);
        if (e.missed_opportunity || text.find("closed") != std::string_view::npos) e.tor_questions.push_back(4);
        if (std::string_view(row.comment).find("capacity") != std::string_view::npos) {
            e.tor_questions.push_back(3);
            e.principles.push_back(Principle::Empowerment);
        }
        if (e.missed_opportunity) e.principles.push_back(Principle::Protection);
        if (e.good_practice) e.principles.push_back(Principle::Partnership);
        entries.push_back(std::move(e));
    }
    const auto ids = w.add_entries(imr, std::move(entries), "demo.created");

    add_section(w, imr, "summary",
                "Adult A was a 63-year-old man who lived alone after the death of his wife in 2022. He had chronic obstructive "
                "pulmonary disease, depression and dependent drinking. His son visited often, managed his money and was "
                "present at most contacts.\n\nBetween January 2024 and November 2025 the Trust's services had 59 recorded "
                "contacts with Adult A: the GP practice, the emergency department, the hospital wards, the falls service, the "
                "Community Alcohol Service, the Community Mental Health Team, district nursing and the memory service. Adult A "
                "died at home on or before 6 November 2025.\n\nSources: the GP record (SystmOne), hospital records (Symphony, "
                "Lorenzo), community records (Theseus, RiO), and interviews with four members of staff listed above.",
                true);
    add_section(w, imr, "analysis.q1",
                "Most practitioners were kind and responsive to Adult A's physical needs. Fewer were knowledgeable about the "
                "indicators of abuse: bruising of different ages (27 March 2024), a carer controlling access and money (20 May "
                "2024) and a direct disclosure (13 November 2024) were recorded but not recognised as safeguarding concerns. The "
                "ward nurse on 27 December 2024 and the GP on 2 October 2025 knew what to do and did it promptly.",
                true);
    add_section(w, imr, "analysis.q2",
                "The Trust had a safeguarding adults policy (version 4, 2023) and a 'was not brought / did not attend' policy. "
                "Staff interviewed knew of the first; none of the community staff knew of the second.",
                true);
    add_section(w, imr, "analysis.q3",
                "Key points for assessment and decision making were the emergency department attendance in March 2024, the falls "
                "home visit in May 2024, the alcohol service disclosure in November 2024, the hospital admission in December 2024 "
                "and the repeated refusals of access in spring 2025. Decisions at the first three were not informed by the "
                "history held elsewhere in the Trust.",
                false);
    add_section(w, imr, "analysis.q8",
                "The capacity assessment on 6 January 2025 was decision-specific and well recorded. At other points Adult A's "
                "decisions to decline services were accepted without considering his capacity or whether the decision was made "
                "freely, in the presence of his son.",
                false);
    add_section(w, imr, "analysis.tor.2",
                "Indicators of financial abuse and coercive control were present from May 2024: the son managing money, "
                "answering for his father, refusing entry and cancelling care. Each practitioner saw one piece; nobody put the "
                "pieces together.",
                false);
    add_section(w, imr, "principles.empowerment",
                "Adult A's wishes were respected when he declined services, but he was rarely seen alone, so his wishes were "
                "often expressed in front of the person he later said he feared.",
                true);
    add_section(w, imr, "principles.protection",
                "Protection was weakest where services closed cases after non-engagement without asking why.", false);
    add_section(w, imr, "themes.domestic_abuse",
                "Coercive and controlling behaviour by an adult son was not recognised as domestic abuse by community staff, who "
                "associated domestic abuse with intimate partners.",
                false);
    add_section(w, imr, "other_factors",
                "District nursing had a 30% vacancy rate in 2025. The memory service waiting time was 14 weeks. Supervision in "
                "the Community Alcohol Service was informal and not recorded.",
                true);
    add_section(w, imr, "learning.q1",
                "Good practice: the ward nurse recorded Adult A's own words and raised a concern at once; the GP asked directly "
                "about safety and escalated by telephone after a missed appointment. Practice can be improved by seeing adults "
                "alone and by asking why someone is not engaging before closing a case.",
                true);

    struct Text {
        const char* key;
        const char* text;
        bool complete;
    };
    static constexpr Text kMoreSections[] = {
        {"analysis.tor.1", "Staff understood Adult A's physical conditions well. Few understood his grief, and none recorded his own account of his relationship with his son until December 2024. The record describes what happened to him more than who he was.", true},
        {"analysis.tor.3", "Adult A's decisions to decline the falls service, the alcohol service and a social care assessment were accepted as capacitous choices without assessment. Only the hospital assessed his capacity, for one decision. See also question 8 above.", false},
        {"analysis.tor.4", "Information stayed inside services: the GP practice did not know of the falls visit findings, district nursing could not see the safeguarding alert, and the practice was not invited to the strategy discussion or asked before the section 42 enquiry closed.", true},
        {"analysis.q4", "Actions largely followed the plans made, but plans were built on single contacts. When Adult A did not engage, services closed rather than revisiting their assessment.", false},
        {"analysis.q5", "There was no care plan that spanned the Trust's services. The district nursing plan addressed the leg ulcer only; the discharge plan of January 2025 was not reviewed when the son cancelled the care package.", true},
        {"analysis.q6", "Senior managers were not involved until December 2024. The Community Alcohol Service supervisor was consulted in November 2024 but did not escalate.", true},
        {"analysis.q7", "Practice fell short of the Trust's safeguarding adults policy at the points listed in the chronology as missed opportunities. It met wider professional standards of clinical care.", true},
        {"analysis.q9", "Adult A was a bereaved older man with a dependency on alcohol. Staff interviewed said they assumed men 'don't talk about feelings', which may have limited their enquiries.", false},
        {"analysis.q10", "Adult A died at home during a period of no planned contact. The coroner's findings were not available when this IMR was written.", true},
        {"principles.prevention", "Earlier recognition of the indicators in 2024 could have prevented harm. Prevention was not considered when cases were closed.", true},
        {"principles.partnership", "Partnership worked well in the strategy discussion of January 2025 and poorly afterwards, when the GP practice was not involved.", true},
        {"principles.accountability", "No single service held responsibility for Adult A's overall wellbeing. The practice's 'noted' response to a district nurse's task in March 2025 shows how accountability was diluted.", true},
        {"principles.proportionality", "The Trust's responses were proportionate to each contact taken alone but not to the accumulated risk.", true},
        {"themes.clear_picture", "Adult A was seen through his conditions. His son was seen as a helpful relative until late in the review period.", true},
        {"themes.referral_routes", "Staff were unsure when to raise a concern with the Local Authority rather than discuss it internally, as the November 2024 supervision shows.", true},
        {"themes.risk_assessment", "No service used a structured risk assessment. The falls service assessed environmental risk only.", true},
        {"themes.comorbidity", "The Community Mental Health Team declined the referral of October 2024 as a 'primary alcohol problem'. The dual-diagnosis pathway was not used.", true},
        {"themes.mental_capacity", "See Terms of Reference 3. Capacity was presumed when Adult A declined services, and assessed only in hospital.", true},
        {"themes.advocacy", "Adult A was not offered an independent advocate, although his son was present at most contacts and an advocate could have helped him be heard.", true},
        {"themes.information_sharing", "See Terms of Reference 4.", true},
        {"learning.q3", "Community services should check the GP record for safeguarding alerts before discharge or closure.", true},
        {"learning.q4", "Supervision discussions about safeguarding should be recorded with a decision and its rationale.", true},
        {"learning.q5", "Training on coercive control should include adult family members and carers, not only intimate partners.", true},
        {"recommendations", "", true},
        {"chronology", "", true},
    };
    for (const auto& section : kMoreSections) add_section(w, imr, section.key, section.text, section.complete);
    domain::SectionContent na;
    na.key = "themes.carers_assessments";
    na.not_applicable = true;
    na.not_applicable_reason = "Adult A's son was not a carer known to the Trust and no carer's assessment was requested of the Trust.";
    w.save_section(imr, std::move(na));
    domain::SectionContent cited;
    cited.key = "learning.q2";
    cited.text = "Closing a case after one or two missed contacts, when another person controls access, leaves no one holding the risk.";
    cited.citations = {ids[4], ids[12], ids[21]};
    w.save_section(imr, std::move(cited));

    domain::Recommendation r1;
    r1.text = "Community services will not close a case for non-engagement without a documented discussion of why the adult is "
              "not engaging, including who controls access, and a check of the safeguarding alerts on the GP record.";
    r1.linked_learning = {"learning.q1", "learning.q2"};
    r1.owner_role = "Director of Community Nursing";
    r1.target_date = domain::CivilDate{2026, 6, 30};
    r1.resources = "Change to the closure template in SystmOne; 2 hours of briefing per team (about 40 staff).";
    r1.measure = "Audit of 30 closed cases in September 2026: at least 90% with a documented discussion.";
    w.save_recommendation(imr, std::nullopt, r1);
    domain::Recommendation r2;
    r2.text = "Safeguarding adults training for all clinical staff will include coercive control by adult family members, "
              "with a case study based on this review.";
    r2.linked_learning = {"learning.q5"};
    r2.owner_role = "Named Nurse for Safeguarding Adults";
    r2.target_date = domain::CivilDate{2026, 9, 30};
    r2.resources = "Within existing training budget.";
    r2.measure = "";
    w.save_recommendation(imr, std::nullopt, r2);

    w.save_glossary(imr, std::nullopt, {"DNA", "Did not attend", {}});
    w.save_glossary(imr, std::nullopt, {"SystmOne", "The electronic patient record used by the GP practice and community services", {}});
    return imr;
}

std::unique_ptr<Workspace> open_or_create_demo(const std::filesystem::path& data_dir) {
    const auto file = vault_file(data_dir, kDemoProfile);
    if (std::filesystem::exists(file)) return std::make_unique<Workspace>(Vault::open(file, kDemoPassphrase));
    CreateOptions options;
    options.kdf = crypto::kdf::interactive();  // the passphrase is public anyway: keep the demo quick
    auto created = Vault::create(file, kDemoPassphrase, options);
    auto workspace = std::make_unique<Workspace>(std::move(created.vault));
    populate_demo(*workspace);
    return workspace;
}

}  // namespace imrdesk::client
