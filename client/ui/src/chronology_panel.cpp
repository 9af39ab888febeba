// The chronology's entry panel: every field of one entry, autosaved as it is typed, or a new entry
// with what is still needed before it can be added; and the confirmation of a deletion.
#include "chronology_panel.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/shared/entry_fields.hpp"
#include "view_import.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {

using domain::ChronologyEntry;

int flag_bits(const ChronologyEntry& e) {
    int bits = 0;
    for (std::size_t i = 0; i < kFlags.size(); ++i)
        if (e.*kFlags[i].member) bits |= 1 << i;
    return bits;
}

std::string date_text(const domain::PartialDate& date) {
    try {
        return date.display();
    } catch (const domain::DateError&) {
        return "(invalid date)";
    }
}

std::string_view first_line(std::string_view text) { return text.substr(0, std::min(text.size(), text.find_first_of("\r\n"))); }

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

namespace {

bool same_entry(const ChronologyEntry& a, const ChronologyEntry& b) {
    return a.date == b.date && a.time == b.time && a.sequence == b.sequence && a.source == b.source && a.event == b.event &&
           a.action == b.action && a.rationale == b.rationale && a.outcome == b.outcome &&
           a.practitioner_role == b.practitioner_role && a.comment == b.comment && flag_bits(a) == flag_bits(b) &&
           a.tor_questions == b.tor_questions && a.principles == b.principles && a.agency == b.agency &&
           a.contact_type == b.contact_type && a.extra_fields == b.extra_fields;
}

const char* field_label(std::string_view field) {
    if (field == "date") return "Date";
    if (field == "time") return "Time";
    if (const auto* f = domain::entry_text_field(field)) return f->label.data();  // a literal: ends in '\0'
    if (field == "extra_fields") return "Other fields";
    if (field == "tor_questions") return "Terms of Reference";
    return nullptr;
}

// ---- the panel's form ---------------------------------------------------------------------------

struct Form {
    std::string date, time, source, event, action, rationale, outcome, role, comment, agency, contact_type;
    std::vector<domain::ExtraField> extras;  // imported columns of no field of ours, kept and editable
    int sequence = 0;
    std::array<bool, 4> flags{};
    std::vector<int> tor;
    std::vector<domain::Principle> principles;

    [[nodiscard]] std::array<std::string*, 11> texts() {
        return {&date, &time, &source, &event, &action, &rationale, &outcome, &role, &comment, &agency, &contact_type};
    }
    [[nodiscard]] bool blank() {
        for (auto* s : texts())
            if (!s->empty()) return false;
        return sequence == 0 && flags == std::array<bool, 4>{} && tor.empty() && principles.empty() && extras.empty();
    }
    void wipe() noexcept {
        for (auto* s : texts()) crypto::wipe(*s);
        for (auto& x : extras) {
            crypto::wipe(x.name);
            crypto::wipe(x.value);
        }
        extras.clear();
        sequence = 0;
        flags = {};
        tor.clear();
        principles.clear();
    }
    void load(const ChronologyEntry& e) {
        wipe();
        try {
            date = e.date.typed();
        } catch (const domain::DateError&) {
        }
        if (e.time) time = e.time->text();
        sequence = e.sequence;
        source = e.source;
        event = e.event;
        action = e.action;
        rationale = e.rationale;
        outcome = e.outcome;
        role = e.practitioner_role;
        comment = e.comment;
        agency = e.agency;
        contact_type = e.contact_type;
        extras = e.extra_fields;
        for (std::size_t i = 0; i < kFlags.size(); ++i) flags[i] = e.*kFlags[i].member;
        tor = e.tor_questions;
        principles = e.principles;
    }
};

// The form read as an entry, with what the date was understood as and every issue.
struct Checked {
    ChronologyEntry entry;
    std::vector<domain::Issue> issues;
    std::string date_note;  // "March 2019, month", or why the date was refused
    bool date_ok = false;
    std::string time_note;  // why the time was refused
    [[nodiscard]] bool has_errors() const { return domain::has_errors(issues); }
    void wipe() noexcept {
        wipe_entry(entry);
        for (auto& i : issues) crypto::wipe(i.message);
        issues.clear();
        crypto::wipe(date_note);
        crypto::wipe(time_note);
    }
};

Checked check_form(const Form& form, const domain::CaseInfo& case_info) {
    Checked c;
    auto& e = c.entry;
    const bool date_blank = form.date.find_first_not_of(" \t") == std::string::npos;
    if (!date_blank) {
        try {
            e.date = domain::parse_date(form.date);
            c.date_note = e.date.describe();
            c.date_ok = true;
        } catch (const domain::DateError& error) {
            c.date_note = error.what();
        }
    }
    if (form.time.find_first_not_of(" \t") != std::string::npos) {
        try {
            e.time = domain::parse_time(form.time);
        } catch (const domain::DateError& error) {
            c.time_note = error.what();
            c.issues.push_back({"time", c.time_note, domain::Severity::Error});
        }
    }
    e.sequence = form.sequence;
    e.source = form.source;
    e.event = form.event;
    e.action = form.action;
    e.rationale = form.rationale;
    e.outcome = form.outcome;
    e.practitioner_role = form.role;
    e.comment = form.comment;
    e.agency = form.agency;
    e.contact_type = form.contact_type;
    e.extra_fields = form.extras;
    for (std::size_t i = 0; i < kFlags.size(); ++i) e.*kFlags[i].member = form.flags[i];
    e.tor_questions = form.tor;
    std::sort(e.tor_questions.begin(), e.tor_questions.end());
    for (const auto p : domain::kAllPrinciples)  // in the order of the six principles
        if (std::find(form.principles.begin(), form.principles.end(), p) != form.principles.end()) e.principles.push_back(p);
    if (!date_blank && !c.date_ok) c.issues.insert(c.issues.begin(), domain::Issue{"date", c.date_note, domain::Severity::Error});
    for (auto& issue : domain::validate(e, case_info))
        if (issue.field != "date" || c.date_ok || date_blank) c.issues.push_back(std::move(issue));
    return c;
}

}  // namespace

// ---- the entry panel: every field of one entry, autosaved; or a new entry ------------------------

class EntryPanel::Impl {
public:
    // The entry shown; none while a new entry is written.
    [[nodiscard]] const std::optional<domain::Id>& entry() const noexcept { return panel_id_; }

    void recheck(const client::ImrDocument& doc) {
        checked_.wipe();
        checked_ = check_form(form(), doc.header.case_info);
    }

    // Saves what is staged (a later stage() would replace an edit of another entry) and loads an entry.
    void show(const Frame& f, const client::ImrDocument& doc, const domain::Id& id) {
        if (f.app.has_staged()) f.app.flush();
        const auto* stored = doc.entry(id);
        if (stored == nullptr) return;
        panel_id_ = id;
        edit_.load(stored->value);
        wipe_entry(base_);
        base_ = stored->value;
        if (f.app.selected_entry() != id) f.app.select_entry(id);
        recheck(doc);
        to_top_ = true;
    }

    void show_new(const Frame& f, const client::ImrDocument& doc) {
        if (f.app.has_staged()) f.app.flush();
        panel_id_.reset();
        edit_.wipe();
        if (f.app.selected_entry()) f.app.select_entry(std::nullopt);
        recheck(doc);
        to_top_ = true;
    }

    // Another view changed the entry shown (an abbreviation expanded ...): show the stored text,
    // unless the author is typing or an edit of ours is still waiting to be saved.
    void follow_store(const Frame& f, const client::ImrDocument& doc) {
        if (!panel_id_ || f.app.has_staged() || ImGui::IsAnyItemActive()) return;
        const auto* stored = doc.entry(*panel_id_);
        if (stored == nullptr || same_entry(stored->value, base_)) return;
        edit_.load(stored->value);
        wipe_entry(base_);
        base_ = stored->value;
        recheck(doc);
    }

    void draw(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        const bool read_only = doc.read_only();
        const bool editing = panel_id_.has_value();
        Form& fm = form();

        ImGui::PushFont(f.fonts.bold);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(editing ? "Entry" : "New entry");
        ImGui::PopFont();
        if (editing) {
            const float w = button_width("New entry");
            ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - w);
            ImGui::BeginDisabled(read_only);
            if (button(f, "New entry")) {
                show_new(f, doc);
                focus_date_ = true;
            }
            ImGui::EndDisabled();
        }
        ImGui::Separator();

        // The footer (what is wrong, the buttons and a short status) stays under the scrolling fields.
        Footer footer = footer_text(editing);
        ImGui::BeginChild("fields", ImVec2(0, -footer_height(footer, editing)), false);
        if (to_top_) {  // another entry: its date and source first
            ImGui::SetScrollY(0);
            to_top_ = false;
        }
        bool changed = fields(f, doc, fm, read_only);
        ImGui::EndChild();
        if (changed) {
            recheck(doc);
            if (editing && !read_only && !checked_.has_errors() && !same_entry(checked_.entry, base_)) {
                auto entry = checked_.entry;
                wipe_entry(base_);
                base_ = entry;
                app.stage("Chronology entry", [imr = doc.id, id = *panel_id_, entry](client::Workspace& ws) {
                    ws.update_entry(imr, id, entry);
                });
            }
            footer = footer_text(editing);
        }

        ImGui::Separator();
        for (const auto& [text, error] : footer.lines) {
            if (error) error_text(text);
            else muted(text);
        }
        ImGui::BeginDisabled(read_only);
        if (!editing) {
            ImGui::BeginDisabled(checked_.has_errors());
            if (primary_button(f, "Add entry")) add(f, doc);
            ImGui::EndDisabled();
            ImGui::SameLine();
            ImGui::BeginDisabled(new_.blank());
            if (button(f, "Clear")) {
                new_.wipe();
                recheck(doc);
                focus_date_ = true;
            }
            ImGui::EndDisabled();
        } else {
            if (danger_button(f, "Delete entry")) open_delete_ = true;
        }
        ImGui::EndDisabled();
        if (!footer.status.empty()) {
            if (status_fits(footer, editing)) {
                ImGui::SameLine();
                ImGui::AlignTextToFramePadding();
            }
            muted(footer.status);
        }
    }

    // The confirmation of a deletion: drawn at the view's level, where its popup was opened.
    void draw_dialogs(const Frame& f, const client::ImrDocument& doc) {
        constexpr const char* title = "Delete this entry?";
        if (open_delete_) {
            ImGui::OpenPopup(title);
            open_delete_ = false;
        }
        ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
        ImGui::SetNextWindowSize(ImVec2(em(32), 0));
        if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) return;
        auto& app = f.app;
        const auto* stored = panel_id_ ? doc.entry(*panel_id_) : nullptr;
        if (stored == nullptr) {
            ImGui::CloseCurrentPopup();
            ImGui::EndPopup();
            return;
        }
        wrapped("This deletes the entry of " + date_text(stored->value.date) + " from the chronology:");
        ImGui::Indent(em(1));
        std::string event(first_line(stored->value.event));
        if (event.size() > 160) event = event.substr(0, 157) + "...";
        muted(event);
        crypto::wipe(event);
        ImGui::Unindent(em(1));
        wrapped("It cannot be undone.");
        ImGui::Spacing();
        // The safe choice comes first and has the keyboard focus.
        if (button(f, "Keep it") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) ImGui::CloseCurrentPopup();
        ImGui::SetItemDefaultFocus();
        ImGui::SameLine();
        if (danger_button(f, "Yes, delete it")) {
            const auto id = *panel_id_;
            if (app.apply("Deleting the entry", [&](client::Workspace& ws) { ws.delete_entry(doc.id, id); })) {
                show_new(f, doc);
                app.notify("Entry deleted.");
            }
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }

    void wipe() noexcept {
        edit_.wipe();
        new_.wipe();
        checked_.wipe();
        wipe_entry(base_);
        for (auto* ed : {&source_ed_, &event_ed_, &action_ed_, &rationale_ed_, &outcome_ed_, &comment_ed_}) ed->wipe();
        for (auto& ed : extra_eds_) ed.wipe();
        extra_eds_.clear();
        panel_id_.reset();
        focus_date_ = false;
        open_delete_ = false;
    }

private:
    [[nodiscard]] Form& form() { return panel_id_ ? edit_ : new_; }

    struct Footer {
        std::vector<std::pair<std::string, bool>> lines;  // above the buttons: text, is an error
        std::string status;                               // beside the buttons when it fits
    };

    // What the footer says: the issues (field: message), or that changes save themselves.
    [[nodiscard]] Footer footer_text(bool editing) const {
        Footer footer;
        const bool errors = checked_.has_errors();
        if (editing && errors) footer.lines.emplace_back("Not saved until this is put right:", true);
        std::string needed;  // a new entry: the fields still to fill in or correct, in one line, in form order
        if (!editing)
            for (const char* field : {"date", "time", "agency", "contact_type", "source", "event", "action", "rationale",
                                      "outcome", "practitioner_role", "comment", "extra_fields", "tor_questions"})
                if (std::any_of(checked_.issues.begin(), checked_.issues.end(), [&](const domain::Issue& i) {
                        return i.field == field && i.severity == domain::Severity::Error;
                    }))
                    needed += std::string(needed.empty() ? "" : ", ") + field_label(field);
        for (const auto& issue : checked_.issues) {
            const char* label = field_label(issue.field);
            const std::string name = label != nullptr ? std::string(label) : issue.field;
            if (issue.severity == domain::Severity::Error && !editing) {
                if (label == nullptr) needed += (needed.empty() ? "" : ", ") + name;
            } else if (issue.severity == domain::Severity::Error) {
                footer.lines.emplace_back(name + ": " + issue.message, true);
            } else {
                footer.lines.emplace_back("Note: " + name + ": " + issue.message, false);
            }
        }
        if (!needed.empty()) footer.status = "Still needed: " + needed + ".";
        if (editing && !errors) footer.status = "Saved automatically.";
        return footer;
    }

    [[nodiscard]] static float footer_height(const Footer& footer, bool editing) {
        const ImGuiStyle& style = ImGui::GetStyle();
        const float width = ImGui::GetContentRegionAvail().x;
        float height = ImGui::GetFrameHeight() + style.ItemSpacing.y * 2 + 2;  // the separator and the buttons
        for (const auto& [text, error] : footer.lines)
            height += ImGui::CalcTextSize(text.c_str(), nullptr, false, width).y + style.ItemSpacing.y;
        if (!footer.status.empty() && !status_fits(footer, editing))
            height += ImGui::CalcTextSize(footer.status.c_str(), nullptr, false, width).y + style.ItemSpacing.y;
        return height;
    }

    // Whether the status fits beside the buttons.
    [[nodiscard]] static bool status_fits(const Footer& footer, bool editing) {
        const float spacing = ImGui::GetStyle().ItemSpacing.x;
        const float buttons =
            editing ? button_width("Delete entry") : button_width("Add entry") + button_width("Clear") + spacing;
        return buttons + spacing + ImGui::CalcTextSize(footer.status.c_str()).x <= ImGui::GetContentRegionAvail().x;
    }

    bool fields(const Frame& f, const client::ImrDocument& doc, Form& fm, bool read_only) {
        bool changed = false;
        const float label_width = 6.5f;
        const ImGuiInputTextFlags ro = read_only ? ImGuiInputTextFlags_ReadOnly : 0;

        label_column("Date", label_width);
        ImGui::SetNextItemWidth(-1);
        if (focus_date_) {
            ImGui::SetKeyboardFocusHere();
            focus_date_ = false;
        }
        if (input_text(f, "##date", fm.date, ro, "14/03/2019, 03/2019, c. 2018")) {
            recheck(doc);  // what the date was understood as, shown below in this frame
            changed = true;
        }
        track(f, "Date");
        ImGui::SetCursorPosX(em(label_width));
        ImGui::PushTextWrapPos(0.0f);
        if (fm.date.find_first_not_of(" \t") == std::string::npos) muted("Required. Day first, as in the UK.");
        else if (checked_.date_ok) muted(checked_.date_note);
        else error_text(checked_.date_note);
        ImGui::PopTextWrapPos();

        label_column("Time", label_width);
        ImGui::SetNextItemWidth(em(7));
        if (input_text(f, "##time", fm.time, ro, "optional")) {
            recheck(doc);
            changed = true;
        }
        track(f, "Time");
        if (!checked_.time_note.empty()) {
            ImGui::SetCursorPosX(em(label_width));
            error_text(checked_.time_note);
        }

        label_column("Sequence", label_width);
        ImGui::SetNextItemWidth(em(7));
        ImGui::BeginDisabled(read_only);
        if (ImGui::InputInt("##sequence", &fm.sequence)) {
            fm.sequence = std::clamp(fm.sequence, 0, 9999);
            changed = true;
        }
        track(f, "Sequence");
        ImGui::EndDisabled();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Orders entries of the same day when their times are not known.");
        ImGui::SameLine();
        ImGui::TextDisabled("same-day order");

        label_column("Agency", label_width);
        ImGui::SetNextItemWidth(-1);
        changed |= input_text(f, "##agency", fm.agency, ro, "in a multi-agency chronology");
        track(f, "Agency");
        label_column("Contact", label_width);
        ImGui::SetNextItemWidth(-1);
        changed |= input_text(f, "##contact_type", fm.contact_type, ro, "telephone, home visit, letter ...");
        track(f, "Type of contact");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("The type of contact: telephone, home visit, letter, appointment ...");

        ImGui::Spacing();
        ImGui::TextUnformatted("Source of information");
        ImGui::SameLine();
        ImGui::TextDisabled("(required)");
        changed |= source_ed_.draw(f, "##Source", fm.source, 1, em(8), read_only, false);  // one paragraph
        // Always shown: a hint that vanished on the first key would make every box below it jump.
        muted("The record system and reference, e.g. \"GP record (SystmOne), consultation 1184\".");
        track(f, "Source hint");

        // Tracked under its label (WrappedInput tracks the id without "##").
        auto long_field = [&](const char* label, std::string& value, WrappedInput& ed, int lines) {
            ImGui::Spacing();
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextUnformatted(label);
            ImGui::PopTextWrapPos();
            const std::string id = std::string("##") + label;
            changed |= ed.draw(f, id.c_str(), value, lines, em(14), read_only);
        };
        long_field("Event / contact details", fm.event, event_ed_, 3);
        long_field("Action taken / decision", fm.action, action_ed_, 2);
        long_field("Rationale", fm.rationale, rationale_ed_, 2);
        long_field("Outcome", fm.outcome, outcome_ed_, 2);

        ImGui::Spacing();
        ImGui::TextUnformatted("Practitioner's role");
        ImGui::SetNextItemWidth(-1);
        changed |= input_text(f, "##role", fm.role, ro, "a role, not necessarily a name");
        track(f, "Practitioner's role");

        long_field("Analysis / significance / comment: kept apart from the facts", fm.comment, comment_ed_, 3);

        // Columns of an imported file that are none of the fields above, kept under their headings.
        if (!fm.extras.empty()) {
            ImGui::Spacing();
            ImGui::Separator();
            ImGui::TextUnformatted("Other fields (from the imported file)");
            extra_eds_.resize(fm.extras.size());
            for (std::size_t k = 0; k < fm.extras.size(); ++k) {
                ImGui::Spacing();
                ImGui::PushTextWrapPos(0.0f);
                ImGui::TextUnformatted(fm.extras[k].name.c_str());
                ImGui::PopTextWrapPos();
                const std::string id = "##extra" + std::to_string(k);
                changed |= extra_eds_[k].draw(f, id.c_str(), fm.extras[k].value, 1, em(10), read_only);
                track(f, "extra " + fm.extras[k].name);
            }
        }

        ImGui::BeginDisabled(read_only);
        ImGui::Spacing();
        ImGui::Separator();
        ImGui::TextUnformatted("Flags");
        for (std::size_t k = 0; k < kFlags.size(); ++k) {
            const std::string label = std::string(kFlags[k].name) + " (" + kFlags[k].mark + ")";
            changed |= checkbox(f, label.c_str(), fm.flags[k]);
        }

        ImGui::Spacing();
        ImGui::TextUnformatted("Terms of Reference questions");
        const auto& tor = doc.header.case_info.terms_of_reference;
        if (tor.empty()) muted("This review has no Terms of Reference questions.");
        for (const auto& q : tor) {
            bool on = std::find(fm.tor.begin(), fm.tor.end(), q.number) != fm.tor.end();
            const std::string id = "##tor" + std::to_string(q.number);
            if (ImGui::Checkbox(id.c_str(), &on)) {
                if (on) fm.tor.push_back(q.number);
                else std::erase(fm.tor, q.number);
                changed = true;
            }
            track(f, "ToR " + std::to_string(q.number));
            ImGui::SameLine();
            wrapped(std::to_string(q.number) + ". " + q.text);
        }
        // Tags of questions the case no longer has stay visible, so they can be removed.
        for (const int number : std::vector<int>(fm.tor)) {
            if (std::any_of(tor.begin(), tor.end(), [&](const domain::TorQuestion& q) { return q.number == number; })) continue;
            bool on = true;
            const std::string label =
                "Question " + std::to_string(number) + " (not in this review)##gone" + std::to_string(number);
            if (ImGui::Checkbox(label.c_str(), &on) && !on) {
                std::erase(fm.tor, number);
                changed = true;
            }
        }

        ImGui::Spacing();
        ImGui::TextUnformatted("Safeguarding principles");
        int column = 0;
        for (const auto p : domain::kAllPrinciples) {
            bool on = std::find(fm.principles.begin(), fm.principles.end(), p) != fm.principles.end();
            if (column++ % 2 == 1) ImGui::SameLine(em(12));
            const std::string name(domain::to_string(p));
            if (checkbox(f, name.c_str(), on)) {
                if (on) fm.principles.push_back(p);
                else std::erase(fm.principles, p);
                changed = true;
            }
        }
        ImGui::EndDisabled();
        return changed;
    }

    void add(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        const auto entry = checked_.entry;
        domain::Id created;
        if (!app.apply("Adding the entry", [&](client::Workspace& ws) { created = ws.add_entry(doc.id, entry); })) return;
        new_.wipe();
        app.select_entry(created);  // shown in the panel and scrolled to on the next frame
    }

    std::optional<domain::Id> panel_id_;
    Form edit_;
    Form new_;  // kept while other entries are looked at, so a half-typed new entry is not lost
    Checked checked_;
    ChronologyEntry base_;  // the entry as loaded or last staged: what "unchanged" means
    WrappedInput source_ed_, event_ed_, action_ed_, rationale_ed_, outcome_ed_, comment_ed_;
    std::vector<WrappedInput> extra_eds_;  // one a field of Form::extras
    bool focus_date_ = false;
    bool open_delete_ = false;
    bool to_top_ = false;  // scroll the fields to the top (another entry is shown)
};

EntryPanel::EntryPanel() : impl_(std::make_unique<Impl>()) {}
EntryPanel::~EntryPanel() = default;

const std::optional<domain::Id>& EntryPanel::entry() const noexcept { return impl_->entry(); }
void EntryPanel::recheck(const client::ImrDocument& doc) { impl_->recheck(doc); }
void EntryPanel::show(const Frame& f, const client::ImrDocument& doc, const domain::Id& id) { impl_->show(f, doc, id); }
void EntryPanel::show_new(const Frame& f, const client::ImrDocument& doc) { impl_->show_new(f, doc); }
void EntryPanel::follow_store(const Frame& f, const client::ImrDocument& doc) { impl_->follow_store(f, doc); }
void EntryPanel::draw(const Frame& f, const client::ImrDocument& doc) { impl_->draw(f, doc); }
void EntryPanel::draw_dialogs(const Frame& f, const client::ImrDocument& doc) { impl_->draw_dialogs(f, doc); }
void EntryPanel::wipe() noexcept { impl_->wipe(); }

}  // namespace imrdesk::ui
