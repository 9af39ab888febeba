// Names: the IMR's names register (real name -> pseudonym, applied by anonymised exports) and the
// scan of where names are written. Each finding leads to its place; a registered name can be
// replaced there by its pseudonym, a likely name that is not registered can be registered. The
// scan runs in the background when the view opens, after every change made here and on "Scan
// again": never every frame.
#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <optional>

#include "doc_copy.hpp"
#include "imrdesk/client/names_scan.hpp"
#include "imrdesk/client/spelling.hpp"
#include "imrdesk/shared/validation.hpp"
#include "place_text.hpp"
#include "view.hpp"
#include "style.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

using client::NameFinding;
using client::Place;

constexpr std::size_t kRowsAtATime = 200;  // a large IMR's findings are shown 200 at a time

void wipe_findings(std::vector<NameFinding>& findings) noexcept {
    for (auto& x : findings)
        for (auto* s : {&x.label, &x.text, &x.pseudonym, &x.why, &x.context}) crypto::wipe(*s);
    findings.clear();
}

std::string folded(std::string_view text) {
    std::string out;
    const auto b = text.find_first_not_of(" \t\r\n");
    const auto e = text.find_last_not_of(" \t\r\n");
    if (b == std::string_view::npos) return out;
    for (const char c : text.substr(b, e - b + 1)) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Why the IMR's text cannot be changed here, in the words of the situation.
std::string read_only_reason(const client::ImrDocument& doc) {
    if (doc.reviewer_copy) return "This IMR belongs to " + doc.header.agency + " and is shown to you as a reviewer";
    if (doc.submitted_at || doc.header.status == domain::ImrStatus::Submitted) return "This IMR has been submitted";
    return "This IMR is endorsed: withdraw the endorsement to change its text";
}

// The dictionary for the scan, opened once on the worker thread and used only there (jobs run one
// at a time), so a rescan does not load it again.
struct Dictionary {
    std::unique_ptr<client::SpellChecker> checker;
    bool tried = false;
};

class NamesView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        const auto* doc = app.current_imr();
        if (doc == nullptr) return;
        if (imr_ != doc->id) {
            wipe();
            imr_ = doc->id;
        }
        take_results();
        if (stale_) start_scan(app, *doc);
        if (prefill_) {
            prefill_ = false;
            if (!editing_ && new_real_.empty()) new_pseudonym_ = client::next_free_pseudonym(*doc);
        }

        heading(f, "Names");
        wrapped("Published reviews use pseudonyms (\"Adult A\", \"GP1\"): a real name left in a document is a data breach. "
                "An anonymised export replaces every name registered here, in every part of the file.");
        ImGui::Spacing();
        register_part(f, *doc);
        ImGui::Spacing();
        ImGui::Separator();
        scan_part(f, *doc);
    }

    void on_open() override {
        stale_ = true;
        prefill_ = true;
    }

    void wipe() noexcept override {
        wipe_findings(findings_);
        inbox_.reset();  // a scan under way finishes, and its result is wiped unseen
        for (auto& p : proposed_) {
            crypto::wipe(p.real_name);
            crypto::wipe(p.pseudonym);
        }
        proposed_.clear();
        for (auto* s : {&new_real_, &new_pseudonym_, &form_error_, &scan_error_, &scanned_at_}) crypto::wipe(*s);
        editing_.reset();
        removing_.reset();
        focus_ = Focus::None;
        shown_rows_ = kRowsAtATime;
        imr_ = {};
        stale_ = true;
        prefill_ = true;
    }

private:
    struct Inbox {
        bool finished = false;
        std::vector<NameFinding> findings;
        std::string error;
        Inbox() = default;
        Inbox(const Inbox&) = delete;
        Inbox& operator=(const Inbox&) = delete;
        ~Inbox() {
            wipe_findings(findings);
            crypto::wipe(error);
        }
    };

    // ---- the scan, in the background ------------------------------------------------------------

    void start_scan(client::App& app, const client::ImrDocument& doc) {
        stale_ = false;
        for (auto& p : proposed_) {
            crypto::wipe(p.real_name);
            crypto::wipe(p.pseudonym);
        }
        proposed_ = client::proposed_names(doc);  // the header's adults: quick, done here
        auto inbox = std::make_shared<Inbox>();
        inbox_ = inbox;
        const std::weak_ptr<Inbox> weak = inbox;
        auto copy = std::make_shared<DocCopy>(doc);
        auto dictionary = dictionary_;
        app.tasks().post("Looking for names", [weak, copy, dictionary]() -> client::TaskRunner::Continuation {
            auto result = std::make_shared<Inbox>();
            try {
                if (!dictionary->tried) {
                    dictionary->tried = true;
                    try {
                        dictionary->checker = std::make_unique<client::SpellChecker>();
                    } catch (const std::exception&) {
                        // Without the dictionary every capitalised word inside a sentence is reported.
                    }
                }
                std::function<bool(std::string_view)> known;
                if (dictionary->checker) known = [checker = dictionary->checker.get()](std::string_view w) { return checker->known(w); };
                result->findings = client::scan_names(copy->doc, domain::ImrTemplate::builtin(), known);
            } catch (const std::exception& e) {
                result->error = std::string("The scan stopped: ") + e.what() + ".";
            }
            return [weak, result] {
                if (auto box = weak.lock()) {
                    box->findings = std::move(result->findings);
                    box->error = std::move(result->error);
                    box->finished = true;
                }
            };
        });
    }

    void take_results() {
        if (!inbox_ || !inbox_->finished) return;
        wipe_findings(findings_);
        findings_ = std::move(inbox_->findings);
        crypto::wipe(scan_error_);
        scan_error_ = std::move(inbox_->error);
        inbox_.reset();
        scanned_at_ = uk_time_now();
        shown_rows_ = kRowsAtATime;
    }

    [[nodiscard]] bool scanning() const { return inbox_ != nullptr; }

    // ---- the register ---------------------------------------------------------------------------

    void register_part(const Frame& f, const client::ImrDocument& doc) {
        const bool locked = doc.names_read_only();
        if (locked) {
            muted(read_only_reason(doc) + ": its names register can no longer change.");
            track(f, "Names register read-only");
        }
        ImGui::BeginDisabled(locked);
        register_table(f, doc);
        ImGui::Spacing();
        name_form(f, doc);
        proposed(f, doc);
        ImGui::EndDisabled();
    }

    void register_table(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        if (doc.names.empty()) {
            muted("No names registered yet.");
            return;
        }
        // As tall as its rows, up to 6 of them; more scroll inside the table.
        const float row_height = ImGui::GetFrameHeight() + ImGui::GetStyle().CellPadding.y * 2;
        const bool scroll = doc.names.size() > 6;
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuterH |
                                      ImGuiTableFlags_SizingStretchProp | (scroll ? ImGuiTableFlags_ScrollY : 0);
        const ImVec2 size(std::min(em(44), ImGui::GetContentRegionAvail().x), scroll ? row_height * 7.5f : 0.0f);
        if (!ImGui::BeginTable("register", 3, flags, size)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Real name", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Pseudonym", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em(11));
        ImGui::TableHeadersRow();
        std::optional<domain::Id> remove;
        for (const auto& n : doc.names) {
            ImGui::TableNextRow();
            ImGui::PushID(n.id.hex().c_str());
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(n.value.real_name.c_str());
            track(f, "name:" + n.value.real_name);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(n.value.pseudonym.c_str());
            track(f, "pseudonym of:" + n.value.real_name);
            ImGui::TableNextColumn();
            if (removing_ == n.id) {
                // Asked here, on the row: removing is undone by registering the name again.
                if (danger_button(f, "Remove it")) remove = n.id;
                track(f, "Remove it:" + n.value.real_name);
                ImGui::SameLine();
                if (button(f, "Keep")) removing_.reset();
                track(f, "Keep:" + n.value.real_name);
            } else {
                if (button(f, "Edit")) start_edit(n);
                track(f, "Edit:" + n.value.real_name);
                ImGui::SameLine();
                if (button(f, "Remove")) removing_ = n.id;
                track(f, "Remove:" + n.value.real_name);
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
        if (!remove) return;
        removing_.reset();
        if (editing_ == *remove) cancel_edit();
        if (app.apply("Removing a name from the register",
                      [imr = doc.id, id = *remove](client::Workspace& ws) { ws.delete_name(imr, id); })) {
            stale_ = true;
            prefill_ = true;
        }
    }

    void start_edit(const client::Stored<domain::NameEntry>& n) {
        editing_ = n.id;
        removing_.reset();
        crypto::wipe(form_error_);
        new_real_ = n.value.real_name;
        new_pseudonym_ = n.value.pseudonym;
        focus_ = Focus::Pseudonym;
    }

    void cancel_edit() {
        editing_.reset();
        crypto::wipe(new_real_);
        crypto::wipe(new_pseudonym_);
        crypto::wipe(form_error_);
        prefill_ = true;
    }

    // What is wrong with the form, in words, or empty.
    [[nodiscard]] std::string problem(const client::ImrDocument& doc) const {
        const std::string real = folded(new_real_), pseudonym = folded(new_pseudonym_);
        if (real.empty()) return "Type the real name as it is written in the IMR, e.g. Mr Quillfeather.";
        if (pseudonym.empty()) return "Type the pseudonym documents will use instead, e.g. " + client::next_free_pseudonym(doc) + ".";
        if (real == pseudonym) return "The pseudonym is the real name: choose another, e.g. " + client::next_free_pseudonym(doc) + ".";
        for (const auto& n : doc.names) {
            if (editing_ == n.id) continue;
            if (folded(n.value.real_name) == real)
                return "'" + n.value.real_name + "' is already registered, as " + n.value.pseudonym + ". Edit it in the list above.";
            if (folded(n.value.pseudonym) == pseudonym)
                return "'" + n.value.pseudonym + "' is already the pseudonym of '" + n.value.real_name + "'. Choose another, e.g. " +
                       client::next_free_pseudonym(doc) + ".";
            if (folded(n.value.real_name) == pseudonym) return "'" + n.value.real_name + "' is a registered real name, not a pseudonym.";
        }
        const auto issues = domain::validate(domain::NameEntry{new_real_, new_pseudonym_, nlohmann::json::object()});
        if (domain::has_errors(issues)) return "The " + issues.front().field + " " + issues.front().message + ".";
        return {};
    }

    void name_form(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        ImGui::PushFont(f.fonts.bold);
        ImGui::TextUnformatted(editing_ ? "Change a name" : "Add a name");
        ImGui::PopFont();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Real name");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em(14));
        if (focus_ == Focus::RealName) {
            ImGui::SetKeyboardFocusHere();
            focus_ = Focus::None;
        }
        // Enter in the real name moves on to the pseudonym; Enter there saves.
        if (input_text(f, "##real_name", new_real_, ImGuiInputTextFlags_EnterReturnsTrue, "e.g. Mr Quillfeather"))
            focus_ = Focus::Pseudonym;
        track(f, "Real name");
        ImGui::SameLine(0, em(1));
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Pseudonym");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em(10));
        if (focus_ == Focus::Pseudonym) {
            ImGui::SetKeyboardFocusHere();
            focus_ = Focus::None;
        }
        const bool enter = input_text(f, "##pseudonym", new_pseudonym_, ImGuiInputTextFlags_EnterReturnsTrue, "e.g. Adult A, GP1");
        track(f, "Pseudonym");
        ImGui::SameLine(0, em(1));
        const bool save = primary_button(f, editing_ ? "Save changes" : "Add to the register");
        if (editing_) {
            ImGui::SameLine();
            if (button(f, "Cancel")) cancel_edit();
        }
        if (!form_error_.empty()) {
            error_text(form_error_);
            track(f, "Form error");
        }
        if (!save && !enter) return;
        crypto::wipe(form_error_);
        form_error_ = problem(doc);
        if (!form_error_.empty()) return;
        const domain::NameEntry entry{new_real_, new_pseudonym_, nlohmann::json::object()};
        // A changed real name is a new record: the old one goes in the same change.
        std::optional<domain::Id> replaces;
        if (editing_)
            for (const auto& n : doc.names)
                if (n.id == *editing_ && folded(n.value.real_name) != folded(entry.real_name)) replaces = n.id;
        if (app.apply(editing_ ? "Changing a name in the register" : "Registering a name",
                      [imr = doc.id, &entry, replaces](client::Workspace& ws) {
                          (void)ws.save_name(imr, entry);
                          if (replaces) ws.delete_name(imr, *replaces);
                      })) {
            app.notify("'" + entry.real_name + "' becomes " + entry.pseudonym + " in anonymised exports");
            cancel_edit();
            focus_ = Focus::RealName;  // ready for the next one
            stale_ = true;
        }
    }

    void proposed(const Frame& f, const client::ImrDocument& doc) {
        if (proposed_.empty()) return;
        auto& app = f.app;
        ImGui::Spacing();
        wrapped("The adults named in About this IMR that are not registered yet:");
        std::optional<domain::NameEntry> add;
        for (std::size_t i = 0; i < proposed_.size(); ++i) {
            const auto& p = proposed_[i];
            ImGui::PushID(static_cast<int>(i));
            ImGui::Indent(em(1));
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted((p.real_name + " as " + p.pseudonym).c_str());
            ImGui::SameLine();
            if (button(f, "Add")) add = p;
            track(f, "Add proposed:" + p.real_name);
            ImGui::Unindent(em(1));
            ImGui::PopID();
        }
        if (!add) return;
        if (app.apply("Registering an adult of the review", [imr = doc.id, &add](client::Workspace& ws) { (void)ws.save_name(imr, *add); })) {
            app.notify("'" + add->real_name + "' becomes " + add->pseudonym + " in anonymised exports");
            stale_ = true;
            prefill_ = true;
        }
        crypto::wipe(add->real_name);
        crypto::wipe(add->pseudonym);
    }

    // ---- the scan's findings --------------------------------------------------------------------

    void scan_part(const Frame& f, const client::ImrDocument& doc) {
        ImGui::PushFont(f.fonts.bold);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Where names are written");
        ImGui::PopFont();
        ImGui::SameLine(0, em(1.5f));
        if (button(f, "Scan again")) stale_ = true;
        ImGui::SameLine();
        if (scanning()) {
            spinner("Looking for names...");
            track(f, "Looking for names");
        } else {
            const auto unregistered = static_cast<std::size_t>(
                std::count_if(findings_.begin(), findings_.end(), [](const NameFinding& x) { return !x.registered; }));
            ImGui::AlignTextToFramePadding();
            muted(std::to_string(findings_.size() - unregistered) + " registered, " + std::to_string(unregistered) +
                  " likely names not registered (scanned at " + scanned_at_ + ")");
            track(f, "Scan summary");
        }
        if (!scan_error_.empty()) error_text(scan_error_);
        if (doc.read_only()) {
            muted(read_only_reason(doc) + ", so its text is not changed here: there is no \"Replace here\". "
                  "An anonymised export replaces every registered name.");
            track(f, "Replace here read-only");
        }
        if (findings_.empty()) {
            if (!scanning()) muted("No names found in the IMR's text.");
            return;
        }

        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuterH |
                                      ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
        const float height = std::max(em(12), ImGui::GetContentRegionAvail().y);
        if (!ImGui::BeginTable("findings", 4, flags, ImVec2(0, height))) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Found", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Where", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("Words around it", ImGuiTableColumnFlags_WidthStretch, 4);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em(12));
        ImGui::TableHeadersRow();
        const auto outline = domain::ImrTemplate::builtin().outline(doc.header.case_info.terms_of_reference);
        std::map<std::string, int> seen;  // each text's occurrences so far: names the tracked labels
        const std::size_t rows = std::min(findings_.size(), shown_rows_);
        for (std::size_t i = 0; i < rows; ++i) {
            if (finding_row(f, doc, outline, i, ++seen[findings_[i].text])) break;  // findings_ changed
        }
        if (rows < findings_.size()) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const std::string more = "Show " + std::to_string(std::min(kRowsAtATime, findings_.size() - rows)) + " more (" +
                                     std::to_string(findings_.size() - rows) + " not shown)";
            if (button(f, more.c_str())) shown_rows_ += kRowsAtATime;
        }
        ImGui::EndTable();
    }

    // One finding; true when it was acted on (and the findings may have changed).
    bool finding_row(const Frame& f, const client::ImrDocument& doc, const std::vector<domain::OutlineItem>& outline,
                     std::size_t i, int occurrence) {
        auto& app = f.app;
        const NameFinding& x = findings_[i];
        const std::string tag = x.text + "#" + std::to_string(occurrence);
        ImGui::TableNextRow();
        ImGui::PushID(static_cast<int>(i));
        ImGui::TableNextColumn();
        ImGui::PushFont(f.fonts.bold);
        wrapped(x.text);
        ImGui::PopFont();
        track(f, "finding:" + tag);
        if (x.registered) {
            muted("becomes " + x.pseudonym);
        } else {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
            wrapped("not registered: " + x.why);
            ImGui::PopStyleColor();
        }
        ImGui::TableNextColumn();
        const std::string where = place_label(doc, x.place, outline);
        wrapped(where.empty() ? x.label : where);
        ImGui::TableNextColumn();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        wrapped(x.context);
        ImGui::PopStyleColor();
        ImGui::TableNextColumn();
        const bool go = button(f, "Go to");
        track(f, "Go to:" + tag);
        bool replace = false, enrol = false;
        const bool changeable = text_at(doc, x.place) != nullptr;
        if (x.registered && changeable && !doc.read_only()) {
            ImGui::SameLine();
            replace = button(f, "Replace here");
            track(f, "Replace here:" + tag);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Writes %s here instead of %s", x.pseudonym.c_str(), x.text.c_str());
        } else if (!x.registered && !doc.names_read_only()) {
            ImGui::SameLine();
            enrol = button(f, "Register...");
            track(f, "Register:" + tag);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Fills in the form above with this name and the next free pseudonym");
        }
        ImGui::PopID();
        if (go) {
            app.go_to(x.place);
            return true;
        }
        if (enrol) {
            cancel_edit();
            new_real_ = x.text;
            new_pseudonym_ = client::next_free_pseudonym(doc);
            prefill_ = false;
            focus_ = Focus::Pseudonym;  // brings the form into view, ready to change the pseudonym or press Enter
            return true;
        }
        if (!replace) return false;
        std::vector<NameFinding> copy{x};  // a change re-runs the scan; wiped below
        const NameFinding& found = copy.front();
        const auto result = change_text_at(app, doc.id, "Replacing '" + found.text + "' with " + found.pseudonym, found.place,
                                           [&found](std::string& text) {
                                               if (found.offset + found.text.size() > text.size() ||
                                                   text.compare(found.offset, found.text.size(), found.text) != 0)
                                                   return false;
                                               text.replace(found.offset, found.text.size(), found.pseudonym);
                                               return true;
                                           });
        if (result == TextChange::Changed) app.notify("'" + found.text + "' replaced with " + found.pseudonym + " there");
        wipe_findings(copy);
        stale_ = true;
        return true;
    }

    domain::Id imr_;
    bool stale_ = true;    // scan when next drawn
    bool prefill_ = true;  // propose the next free pseudonym when next drawn
    std::shared_ptr<Inbox> inbox_;  // the scan under way; the job holds a weak reference
    std::shared_ptr<Dictionary> dictionary_ = std::make_shared<Dictionary>();
    std::vector<NameFinding> findings_;
    std::string scan_error_;
    std::string scanned_at_;
    std::size_t shown_rows_ = kRowsAtATime;
    std::vector<domain::NameEntry> proposed_;

    std::string new_real_;
    std::string new_pseudonym_;
    std::string form_error_;
    std::optional<domain::Id> editing_;   // the form changes this name
    std::optional<domain::Id> removing_;  // this row asks whether to remove it
    enum class Focus { None, RealName, Pseudonym };
    Focus focus_ = Focus::None;
};

}  // namespace

std::unique_ptr<View> make_names_view() { return std::make_unique<NamesView>(); }

}  // namespace imrdesk::ui
