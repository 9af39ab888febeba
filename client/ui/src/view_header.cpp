// "About this IMR": the header fields of the template plus what real boards add, and the case's
// Terms of Reference, review period and due date. Every change autosaves.
#include "view_header.hpp"

#include "imrdesk/shared/codec.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

struct DateText {
    std::string text;
    void load(const std::optional<domain::CivilDate>& date) { text = date ? uk_typed_date(*date) : std::string(); }
};

}  // namespace

// The form's own copy of the header while it is edited, keyed by IMR.
struct HeaderForm {
    domain::Id imr;
    std::string loaded;  // the header body the form was filled from
    domain::ImrHeader header;
    std::string adults;
    DateText completion, secured, from, to, due;
    std::string error;
    // The longer fields wrap as the section editor does.
    WrappedInput adults_ed, independence_ed, records_ed, staff_ed;
};

void HeaderFormDeleter::operator()(HeaderForm* form) const noexcept {
    if (form == nullptr) return;
    crypto::wipe(form->adults);
    crypto::wipe(form->loaded);
    for (auto* ed : {&form->adults_ed, &form->independence_ed, &form->records_ed, &form->staff_ed}) ed->wipe();
    delete form;
}

namespace {

std::string adults_text(const std::vector<domain::Adult>& adults) {
    std::string out;
    for (const auto& a : adults) {
        if (!out.empty()) out += "\n";
        out += a.name;
        if (a.date_of_birth) out += ", " + a.date_of_birth->typed();
    }
    return out;
}

bool parse_exact(const std::string& text, std::optional<domain::CivilDate>& out, std::string& error, const char* what) {
    out.reset();
    if (text.find_first_not_of(' ') == std::string::npos) return true;
    try {
        const auto d = domain::parse_date(text);
        if (d.is_range() || d.start.precision != domain::DatePrecision::Day || d.approximate || d.uncertain) {
            error = std::string(what) + ": give an exact day";
            return false;
        }
        out = d.first_day();
        return true;
    } catch (const domain::DateError& e) {
        error = std::string(what) + ": " + e.what();
        return false;
    }
}

}  // namespace

void draw_header_form(const Frame& f, const client::ImrDocument& doc, HeaderFormPtr& form) {
    auto& app = f.app;
    const std::string body = domain::to_json(doc.header).dump();
    if (!form || form->imr != doc.id || (!app.has_staged() && form->loaded != body)) {
        form = HeaderFormPtr(new HeaderForm());
        form->imr = doc.id;
        form->loaded = body;
        form->header = doc.header;
        form->adults = adults_text(doc.header.adults);
        form->completion.load(doc.header.completion_date);
        form->secured.load(doc.header.records_secured_date);
        form->from.load(doc.header.case_info.period_from);
        form->to.load(doc.header.case_info.period_to);
        form->due.load(doc.header.case_info.due);
    }
    auto& h = form->header;
    bool changed = false;
    const float label = 15;
    ImGui::BeginDisabled(doc.read_only());
    auto line = [&](const char* text, std::string& value, const char* id) {
        label_column(text, label);
        ImGui::SetNextItemWidth(-1);
        changed |= input_text(f, id, value);
        track(f, text);
    };
    auto block = [&](const char* text, std::string& value, WrappedInput& editor, const char* id, int lines) {
        label_column(text, label);
        changed |= editor.draw(f, id, value, lines, em(1.4f * static_cast<float>(lines) * 3), doc.read_only());
        track(f, text);
    };
    auto date = [&](const char* text, DateText& value, const char* id) {
        label_column(text, label);
        ImGui::SetNextItemWidth(em(12));
        changed |= input_text(f, id, value.text, 0, "dd/mm/yyyy");
        track(f, text);
    };
    heading(f, "The review");
    line("Case reference", h.case_info.reference, "##ref");
    line("Review title", h.case_info.title, "##case_title");
    date("Review period from", form->from, "##from");
    date("Review period to", form->to, "##to");
    date("Due", form->due, "##due");
    label_column("Gap threshold (days)", label);
    ImGui::SetNextItemWidth(em(8));
    if (ImGui::InputInt("##gap", &h.gap_threshold_days)) {
        h.gap_threshold_days = std::clamp(h.gap_threshold_days, 7, 365);
        changed = true;
    }
    ImGui::Spacing();
    ImGui::PushFont(f.fonts.bold);
    ImGui::TextUnformatted("Terms of Reference");
    ImGui::PopFont();
    muted("Each question becomes a heading under Analysis of involvement.");
    auto& tor = h.case_info.terms_of_reference;
    for (std::size_t i = 0; i < tor.size(); ++i) {
        ImGui::PushID(static_cast<int>(tor[i].number));
        ImGui::AlignTextToFramePadding();
        ImGui::Text("%d.", tor[i].number);
        ImGui::SameLine(em(2.5f));
        ImGui::SetNextItemWidth(-em(6));
        changed |= input_text(f, "##q", tor[i].text);
        ImGui::SameLine();
        if (button(f, "Remove")) {
            tor.erase(tor.begin() + static_cast<std::ptrdiff_t>(i));
            changed = true;
            ImGui::PopID();
            break;
        }
        ImGui::PopID();
    }
    if (button(f, "Add a question")) {
        int next = 1;
        for (const auto& q : tor) next = std::max(next, q.number + 1);
        tor.push_back({next, "New question"});
        changed = true;
    }

    ImGui::Spacing();
    heading(f, "Your agency and the adult");
    line("Name of Agency:", h.agency, "##agency");
    block("Name of Adult(s) and DOB:", form->adults, form->adults_ed, "##adults", 2);
    ImGui::SetCursorPosX(em(label));
    muted("One per line: name or pseudonym, a comma, then the date of birth.");
    ImGui::Spacing();
    heading(f, "Author");
    line("Name", h.author_name, "##author_name");
    line("Agency", h.author_agency, "##author_agency");
    line("Contact details", h.author_contact, "##author_contact");
    line("Role", h.author_role, "##author_role");
    block("Independence from the case", h.author_independence, form->independence_ed, "##independence", 2);
    date("Date records secured", form->secured, "##secured");
    block("Records examined", h.records_examined, form->records_ed, "##records", 3);
    block("Staff interviewed (with dates)", h.staff_interviewed, form->staff_ed, "##staff", 3);
    date("Date of Completion of IMR:", form->completion, "##completion");
    ImGui::EndDisabled();

    if (changed) {
        form->error.clear();
        bool ok = parse_exact(form->from.text, h.case_info.period_from, form->error, "Review period from") &&
                  parse_exact(form->to.text, h.case_info.period_to, form->error, "Review period to") &&
                  parse_exact(form->due.text, h.case_info.due, form->error, "Due") &&
                  parse_exact(form->secured.text, h.records_secured_date, form->error, "Date records secured") &&
                  parse_exact(form->completion.text, h.completion_date, form->error, "Date of completion");
        h.adults.clear();
        std::size_t start = 0;
        while (ok && start <= form->adults.size()) {
            auto end = form->adults.find('\n', start);
            if (end == std::string::npos) end = form->adults.size();
            std::string entry = form->adults.substr(start, end - start);
            start = end + 1;
            if (entry.find_first_not_of(' ') == std::string::npos) continue;
            domain::Adult adult{entry, std::nullopt};
            if (const auto comma = entry.rfind(','); comma != std::string::npos) {
                try {
                    adult.date_of_birth = domain::parse_date(entry.substr(comma + 1));
                    adult.name = entry.substr(0, comma);
                } catch (const domain::DateError& e) {
                    form->error = "Date of birth of " + entry.substr(0, comma) + ": " + e.what();
                    ok = false;
                }
            }
            h.adults.push_back(std::move(adult));
        }
        if (ok) {
            const auto issues = domain::validate(h);
            if (domain::has_errors(issues)) {
                form->error = "Not saved yet: " + domain::join(issues);
            } else {
                form->loaded = domain::to_json(h).dump();
                app.stage("About this IMR", [imr = doc.id, header = h](client::Workspace& ws) { ws.update_header(imr, header); });
            }
        }
    }
    if (!form->error.empty()) error_text(form->error);
}

}  // namespace imrdesk::ui
