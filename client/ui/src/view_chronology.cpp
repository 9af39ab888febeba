// Chronology: the table of entries (filtered, sortable, clipped so thousands of rows stay
// smooth), the panel that adds and edits an entry with every field and autosaves it
// (chronology_panel.cpp), the gaps with no entry that must be stated (chronology_gaps.cpp), and
// CSV import and export (view_import.cpp).
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <imgui_internal.h>

#include "chronology_gaps.hpp"
#include "chronology_rows.hpp"
#include "table_cells.hpp"
#include "style.hpp"
#include "chronology_panel.hpp"
#include "imrdesk/client/quality.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "view.hpp"
#include "view_export.hpp"
#include "view_import.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

using domain::ChronologyEntry;

constexpr float kPanelWidth = 28;     // em
constexpr float kMinTableWidth = 36;  // em: a narrower window puts the panel under the table

// ---- the view: the toolbar, the table, and the parts around it ---------------------------------

class ChronologyView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        const auto* doc = app.current_imr();
        if (doc == nullptr) return;
        if (!imr_ || *imr_ != doc->id) {
            wipe();
            imr_ = doc->id;
            panel_.recheck(*doc);
        }
        sync_selection(f, *doc);
        panel_.follow_store(f, *doc);
        refresh(f, *doc);

        toolbar(f, *doc);

        const float avail = ImGui::GetContentRegionAvail().x;
        const float panel_width = std::clamp(avail * 0.37f, em(kPanelWidth - 4), em(kPanelWidth));
        const bool side = avail >= panel_width + em(kMinTableWidth);
        // With the entry panel hidden, the table has the whole width to read the chronology in.
        const ImVec2 table_size = panel_hidden_ ? ImVec2(0, 0)
                                  : side        ? ImVec2(avail - panel_width - ImGui::GetStyle().ItemSpacing.x, 0)
                                                : ImVec2(0, std::max(em(7), ImGui::GetContentRegionAvail().y * 0.4f));
        ImGui::BeginChild("table_area", table_size, false);
        if (show_gaps_) gap_list_.draw(f, *doc, gaps_);
        table(f, *doc);
        ImGui::EndChild();
        if (!panel_hidden_) {
            if (side) ImGui::SameLine();
            ImGui::BeginChild("panel", ImVec2(0, 0), true);
            panel_.draw(f, *doc);
            ImGui::EndChild();
        }

        panel_.draw_dialogs(f, *doc);
        import_.draw(f, *doc);
        export_.draw(f, *doc);
    }

    void wipe() noexcept override {
        panel_.wipe();
        gap_list_.wipe();
        crypto::wipe(filter_);
        crypto::wipe(scratch_);
        rows_.clear();
        rows_.shrink_to_fit();
        heights_.clear();
        rows_changed_ = true;
        for (auto& d : dates_) crypto::wipe(d);
        dates_.clear();
        dates_stale_ = true;
        gaps_.clear();
        tor_filter_ = 0;
        principle_filter_.reset();
        only_ = {};
        scroll_to_.reset();
        clicked_.reset();
        imr_.reset();
        dirty_ = true;
        import_.wipe();
        export_.wipe();
    }

private:
    struct CacheKey {
        const void* data = nullptr;
        std::size_t size = 0;
        double saved_at = -1;
        std::int64_t edited = 0;
        int threshold = 0;
        friend bool operator==(const CacheKey&, const CacheKey&) = default;
    };

    // The selected entry changed outside the panel (a row, a quality finding, search): show it.
    void sync_selection(const Frame& f, const client::ImrDocument& doc) {
        const auto& selected = f.app.selected_entry();
        if (selected == panel_.entry()) {
            if (panel_.entry() && doc.entry(*panel_.entry()) == nullptr) panel_.show_new(f, doc);  // deleted elsewhere
            return;
        }
        if (selected && doc.entry(*selected) != nullptr) {
            const domain::Id id = *selected;
            panel_.show(f, doc, id);
            if (clicked_ != id) scroll_to_ = id;
        } else {
            panel_.show_new(f, doc);
        }
        clicked_.reset();
        locate_selected(doc);
    }

    // Rebuilds the filtered, sorted rows and the gaps when the data, the filters or the sort changed.
    void refresh(const Frame& f, const client::ImrDocument& doc) {
        const CacheKey key{doc.entries.data(), doc.entries.size(), f.app.last_saved_at(), doc.last_edited,
                           doc.header.gap_threshold_days};
        const bool data_changed = key != key_;
        if (!data_changed && !dirty_) return;
        key_ = key;
        dirty_ = false;
        if (data_changed) {
            dates_stale_ = true;
            date_width_font_ = 0;  // measured again at the next table draw
            gaps_ = client::find_gaps(doc);
            unacknowledged_ = static_cast<int>(
                std::count_if(gaps_.begin(), gaps_.end(), [](const client::Gap& g) { return !g.acknowledged; }));
        }
        std::string needle = filter_;
        while (!needle.empty() && needle.back() == ' ') needle.pop_back();
        while (!needle.empty() && needle.front() == ' ') needle.erase(needle.begin());
        for (auto& c : needle) c = ascii_lower(c);
        if (!needle.empty() && dates_stale_) {  // built when the filter first needs them
            for (auto& d : dates_) crypto::wipe(d);
            dates_.resize(doc.entries.size());
            for (std::size_t i = 0; i < doc.entries.size(); ++i) {
                const auto& e = doc.entries[i].value;
                dates_[i] = date_text(e.date) + " " + typed_date(e.date) + (e.time ? " " + e.time->text() : std::string());
            }
            dates_stale_ = false;
        }
        const bool any_flag = std::any_of(only_.begin(), only_.end(), [](bool b) { return b; });
        rows_.clear();
        for (std::size_t i = 0; i < doc.entries.size(); ++i) {
            const auto& e = doc.entries[i].value;
            if (any_flag) {
                bool match = false;
                for (std::size_t k = 0; k < kFlags.size(); ++k) match = match || (only_[k] && e.*kFlags[k].member);
                if (!match) continue;
            }
            if (tor_filter_ != 0 && std::ranges::find(e.tor_questions, tor_filter_) == e.tor_questions.end()) continue;
            if (principle_filter_ && std::ranges::find(e.principles, *principle_filter_) == e.principles.end()) continue;
            if (!needle.empty()) {
                bool match = false;
                const std::string* const fields[] = {&dates_[i],   &e.source,  &e.event,             &e.action,
                                                     &e.rationale, &e.outcome, &e.practitioner_role, &e.comment,
                                                     &e.agency,    &e.contact_type};
                for (const std::string* s : fields)
                    match = match || contains_ci(*s, needle);
                for (const auto& extra : e.extra_fields) match = match || contains_ci(extra.value, needle);
                if (!match) continue;
            }
            rows_.push_back(i);
        }
        rows_changed_ = true;
        crypto::wipe(needle);
        sort_rows(doc);
        locate_selected(doc);
    }

    void sort_rows(const client::ImrDocument& doc) {
        const auto& entries = doc.entries;
        auto text_of = [&](std::size_t i) -> const std::string& {
            const auto& e = entries[i].value;
            switch (sort_column_) {
                case ColAgency: return e.agency;
                case ColContact: return e.contact_type;
                case ColSource: return e.source;
                case ColEvent: return e.event;
                case ColAction: return e.action.empty() ? e.outcome : e.action;
                case ColRole: return e.practitioner_role;
                default: return e.comment;
            }
        };
        switch (sort_column_) {
            case ColDate: break;  // the workspace keeps entries in chronological order
            case ColTime:
                std::stable_sort(rows_.begin(), rows_.end(), [&](std::size_t a, std::size_t b) {
                    const auto& x = entries[a].value.time;
                    const auto& y = entries[b].value.time;
                    if (x.has_value() != y.has_value()) return x.has_value();
                    return x && *x < *y;
                });
                break;
            case ColFlags:
                std::stable_sort(rows_.begin(), rows_.end(), [&](std::size_t a, std::size_t b) {
                    return flag_bits(entries[a].value) > flag_bits(entries[b].value);
                });
                break;
            default:
                std::stable_sort(rows_.begin(), rows_.end(),
                                 [&](std::size_t a, std::size_t b) { return compare_ci(text_of(a), text_of(b)) < 0; });
        }
        if (sort_descending_) std::reverse(rows_.begin(), rows_.end());
    }

    void locate_selected(const client::ImrDocument& doc) {
        selected_row_ = -1;
        if (!panel_.entry()) return;
        for (std::size_t r = 0; r < rows_.size(); ++r)
            if (rows_[r] < doc.entries.size() && doc.entries[rows_[r]].id == *panel_.entry()) {
                selected_row_ = static_cast<int>(r);
                return;
            }
    }

    // One bar over the table and the panel: the filters, then gaps, import and export. It wraps
    // onto a second line when the window is narrow.
    void toolbar(const Frame& f, const client::ImrDocument& doc) {
        ImGui::SetNextItemWidth(em(11));
        if (input_text(f, "##filter", filter_, 0, "Filter: any words")) dirty_ = true;
        track(f, "Filter");
        tor_combo(f, doc);
        principle_combo(f);
        flag_combo(f);
        const bool filtered = !filter_.empty() || tor_filter_ != 0 || principle_filter_ ||
                              std::any_of(only_.begin(), only_.end(), [](bool b) { return b; });
        flow(button_width("Clear"));  // always there, so the bar does not move when a filter is set
        ImGui::BeginDisabled(!filtered);
        if (button(f, "Clear##filters")) clear_filters();
        track(f, "Clear filters");
        ImGui::EndDisabled();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show every entry again");

        const std::string gaps_label = "Gaps (" + std::to_string(unacknowledged_) + ")###Gaps";
        flow(button_width(gaps_label.c_str()) + button_width("Import...") + button_width("Export...") + em(1), em(1));
        const bool open = show_gaps_;
        int colours = 0;
        if (open) {
            ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_HeaderActive));
            ++colours;
        }
        if (unacknowledged_ > 0) {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
            ++colours;
        }
        if (button(f, gaps_label.c_str())) show_gaps_ = !show_gaps_;
        track(f, "Gaps");
        ImGui::PopStyleColor(colours);
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(em(26));
            ImGui::TextUnformatted((std::to_string(gaps_.size()) + (gaps_.size() == 1 ? " period" : " periods") +
                                    " longer than " +
                                    std::to_string(doc.header.gap_threshold_days) + " days with no entry; " +
                                    std::to_string(unacknowledged_) + " still to be stated as no agency contact.")
                                       .c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
        ImGui::SameLine();
        ImGui::BeginDisabled(doc.read_only());
        if (button(f, "Import...")) import_.open();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Import entries from a CSV file or an Excel workbook (.xlsx)");
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (button(f, "Export...")) export_.open(doc, client::ExportFormat::ChronologyXlsx);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Export the chronology as Excel, Word or CSV, as written or anonymised");
        const char* panel_label = panel_hidden_ ? "Show entry panel###panel_toggle" : "Hide entry panel###panel_toggle";
        flow(button_width(panel_label), em(1));
        if (button(f, panel_label)) panel_hidden_ = !panel_hidden_;
        track(f, panel_hidden_ ? "Show entry panel" : "Hide entry panel");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(panel_hidden_ ? "Show the panel to add or edit an entry" : "Give the table the whole width, to read");
        auto& settings = f.app.settings();
        const char* wrap_label = settings.chronology_wrap ? "One line per row###wrap_toggle" : "Wrap rows###wrap_toggle";
        flow(button_width(wrap_label));
        if (button(f, wrap_label)) {
            settings.chronology_wrap = !settings.chronology_wrap;
            f.app.save_settings();
            scroll_to_ = panel_.entry();  // the selected entry stays in view
        }
        track(f, settings.chronology_wrap ? "One line per row" : "Wrap rows");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(settings.chronology_wrap ? "Show each entry on one line, to scan many at once"
                                                       : "Show each entry's whole text, wrapped, to read");
        const std::size_t total = doc.entries.size();
        const std::string count = rows_.size() == total
                                      ? std::to_string(total) + (total == 1 ? " entry" : " entries")
                                      : std::to_string(rows_.size()) + " of " + std::to_string(total) + " entries";
        flow(ImGui::CalcTextSize(count.c_str()).x, em(0.8f));
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", count.c_str());
        if (squeezed_ && settings.chronology_wrap && !user_resized_) {
            // Too many columns for the width: say how to get whole words back.
            const char* hint = panel_hidden_ ? "Narrow: hide a column (right-click a heading) to read whole words"
                                             : "Narrow: hide the entry panel to read whole words";
            flow(ImGui::CalcTextSize(hint).x, em(0.8f));
            ImGui::AlignTextToFramePadding();
            ImGui::TextDisabled("%s", hint);
            track(f, "squeezed hint");
        }
    }

    void tor_combo(const Frame& f, const client::ImrDocument& doc) {
        const auto& tor = doc.header.case_info.terms_of_reference;
        if (tor.empty()) return;
        flow(em(8));
        ImGui::SetNextItemWidth(em(8));
        const std::string preview = tor_filter_ == 0 ? "All ToR" : "ToR " + std::to_string(tor_filter_);
        if (ImGui::BeginCombo("##tor_filter", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
            if (selectable(f, "All Terms of Reference questions", tor_filter_ == 0)) {
                tor_filter_ = 0;
                dirty_ = true;
            }
            for (const auto& q : tor) {
                std::string label = std::to_string(q.number) + ". " + q.text;
                if (label.size() > 90) label = label.substr(0, 87) + "...";
                label += "##tor" + std::to_string(q.number);
                if (selectable(f, label.c_str(), tor_filter_ == q.number)) {
                    tor_filter_ = q.number;
                    dirty_ = true;
                }
                track(f, "ToR filter " + std::to_string(q.number));
            }
            ImGui::EndCombo();
        }
        track(f, "ToR filter");
        if (ImGui::IsItemHovered() && tor_filter_ != 0)
            for (const auto& q : tor)
                if (q.number == tor_filter_) {
                    ImGui::BeginTooltip();
                    ImGui::PushTextWrapPos(em(26));
                    ImGui::TextUnformatted(q.text.c_str());
                    ImGui::PopTextWrapPos();
                    ImGui::EndTooltip();
                }
    }

    void principle_combo(const Frame& f) {
        flow(em(8));
        ImGui::SetNextItemWidth(em(8));
        const std::string principle = principle_filter_ ? std::string(domain::to_string(*principle_filter_)) : "All principles";
        if (ImGui::BeginCombo("##principle_filter", principle.c_str(), ImGuiComboFlags_HeightLarge)) {
            if (selectable(f, "All principles", !principle_filter_)) {
                principle_filter_.reset();
                dirty_ = true;
            }
            for (const auto p : domain::kAllPrinciples) {
                const std::string name(domain::to_string(p));
                if (ImGui::Selectable(name.c_str(), principle_filter_ == p)) {
                    principle_filter_ = p;
                    dirty_ = true;
                }
                track(f, "Principle filter: " + name);
            }
            ImGui::EndCombo();
        }
        track(f, "Principle filter");
    }

    // The flags to show, ticked in a drop-down that also says what each mark means.
    void flag_combo(const Frame& f) {
        std::string preview;
        for (std::size_t k = 0; k < kFlags.size(); ++k)
            if (only_[k]) preview += std::string(preview.empty() ? "Only " : ", ") + kFlags[k].mark;
        if (preview.empty()) preview = "All flags";
        flow(em(7));
        ImGui::SetNextItemWidth(em(7));
        if (ImGui::BeginCombo("##flag_filter", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
            ImGui::TextDisabled("Show only entries marked:");
            for (std::size_t k = 0; k < kFlags.size(); ++k) {
                const std::string label = std::string(kFlags[k].mark) + "  " + kFlags[k].name;
                if (checkbox(f, label.c_str(), only_[k])) dirty_ = true;
            }
            ImGui::EndCombo();
        }
        track(f, "Flag filter");
    }

    void clear_filters() {
        crypto::wipe(filter_);
        tor_filter_ = 0;
        principle_filter_.reset();
        only_ = {};
        dirty_ = true;
    }

    void table(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        refresh(f, doc);  // an edit above (a gap statement) may have changed the entries
        if (panel_.entry() && selected_row_ < 0) {
            ImGui::AlignTextToFramePadding();
            ImGui::TextDisabled("The entry in the panel is hidden by the filters.");
            ImGui::SameLine();
            if (button(f, "Show it")) {
                clear_filters();
                scroll_to_ = panel_.entry();
                refresh(f, doc);
            }
        }
        const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                      ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_Resizable | ImGuiTableFlags_Hideable |
                                      ImGuiTableFlags_Sortable | ImGuiTableFlags_SizingStretchProp;
        if (!ImGui::BeginTable("entries", static_cast<int>(ColCount), flags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        const auto fixed = ImGuiTableColumnFlags_WidthFixed;
        const auto stretch = ImGuiTableColumnFlags_WidthStretch;
        // The Date column as wide as its widest date ("07/2024 - 09/2024", "c. ?03/2019"), never cut.
        bool date_width_changed = false;
        if (date_width_font_ != ImGui::GetFontSize()) {
            date_width_font_ = ImGui::GetFontSize();
            const float before = date_width_;
            float widest = ImGui::CalcTextSize("00/00/0000").x;
            for (const auto& stored : doc.entries) {
                std::string date = typed_date(stored.value.date);
                widest = std::max(widest, ImGui::CalcTextSize(date.c_str(), date.c_str() + date.size()).x);
                crypto::wipe(date);
            }
            date_width_ = std::min(widest + em(1.2f), em(14));  // room for the sort arrow
            date_width_changed = date_width_ != before;  // a width the author set by hand stays otherwise
        }
        ImGui::TableSetupColumn("Date", fixed | ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_NoHide, date_width_,
                                static_cast<ImGuiID>(ColDate));
        ImGui::TableSetupColumn("Time", fixed, em(3.1f), static_cast<ImGuiID>(ColTime));
        // Shown once an entry has them (multi-agency and board templates); hideable like the rest.
        ImGui::TableSetupColumn("Agency", stretch | ImGuiTableColumnFlags_DefaultHide, 0.8f, static_cast<ImGuiID>(ColAgency));
        ImGui::TableSetupColumn("Contact", stretch | ImGuiTableColumnFlags_DefaultHide, 0.7f, static_cast<ImGuiID>(ColContact));
        ImGui::TableSetupColumn("Source", stretch, 1.0f, static_cast<ImGuiID>(ColSource));
        ImGui::TableSetupColumn("Event", stretch | ImGuiTableColumnFlags_NoHide, 1.9f, static_cast<ImGuiID>(ColEvent));
        ImGui::TableSetupColumn("Action / outcome", stretch, 1.4f, static_cast<ImGuiID>(ColAction));
        ImGui::TableSetupColumn("Role", stretch, 0.7f, static_cast<ImGuiID>(ColRole));
        ImGui::TableSetupColumn("Comment", stretch, 1.2f, static_cast<ImGuiID>(ColComment));
        ImGui::TableSetupColumn("Flags", fixed, em(3.1f), static_cast<ImGuiID>(ColFlags));
        fit_columns();
        // An import or an edit may bring a longer date: the column follows (init widths apply once only).
        // (A table laid out for the first time takes the init width above instead.)
        if (const ImGuiTable* t = ImGui::GetCurrentTable();
            date_width_changed && t != nullptr && !t->IsInitializing && t->MinColumnWidth > 0.0f)
            ImGui::TableSetColumnWidth(static_cast<int>(ColDate), date_width_);
        {
            bool agency = false, contact = false;
            for (const auto& stored : doc.entries) {
                agency = agency || !stored.value.agency.empty();
                contact = contact || !stored.value.contact_type.empty();
            }
            if (agency && !agency_shown_) ImGui::TableSetColumnEnabled(static_cast<int>(ColAgency), true);
            if (contact && !contact_shown_) ImGui::TableSetColumnEnabled(static_cast<int>(ColContact), true);
            agency_shown_ = agency;
            contact_shown_ = contact;
        }
        ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
        for (int c = 0; c < static_cast<int>(ColCount); ++c) {
            if (!ImGui::TableSetColumnIndex(c)) continue;
            ImGui::TableHeader(ImGui::TableGetColumnName(c));
            track(f, std::string("column:") + ImGui::TableGetColumnName(c));
            if (c == static_cast<int>(ColFlags) && ImGui::IsItemHovered()) {
                ImGui::BeginTooltip();
                for (const auto& flag : kFlags) ImGui::Text("%s  %s", flag.mark, flag.name);
                ImGui::EndTooltip();
            }
        }
        if (auto* specs = ImGui::TableGetSortSpecs(); specs != nullptr && specs->SpecsDirty) {
            if (specs->SpecsCount > 0) {
                sort_column_ = static_cast<Column>(specs->Specs[0].ColumnUserID);
                sort_descending_ = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
            }
            specs->SpecsDirty = false;
            dirty_ = true;
            refresh(f, doc);
        }
        if (scroll_to_) {
            locate_selected(doc);
            if (*scroll_to_ != panel_.entry().value_or(domain::Id{}) || selected_row_ < 0) scroll_to_.reset();
        }

        if (app.settings().chronology_wrap) {
            wrapped_rows(f, doc);
        } else {
            heights_.update(doc.entries, heights_key_ != key_, {});  // the widths of the texts, for the columns
            heights_key_ = key_;
            ImGuiListClipper clipper;
            clipper.Begin(static_cast<int>(rows_.size()));
            if (scroll_to_) clipper.ForceDisplayRangeByIndices(selected_row_, selected_row_ + 1);
            while (clipper.Step())
                for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) draw_row(f, doc, static_cast<std::size_t>(r), 0);
        }
        if (rows_.empty()) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TableSetColumnIndex(static_cast<int>(ColEvent));
            ImGui::TextDisabled(doc.entries.empty() ? "No entries yet." : "No entry matches the filters.");
        }
        ImGui::EndTable();
    }

    // The stretch columns share the width the way their texts need it: each at least as wide as
    // its longest word (so words are not broken) and its header, the rest in proportion to how
    // much the column holds, so every column wraps to about as many lines (Event gets the most,
    // an empty Comment the least). It follows imports, edits and the window's width, until the
    // author resizes a column by hand.
    void fit_columns() {
        ImGuiTable* t = ImGui::GetCurrentTable();
        if (t == nullptr || t->IsInitializing) return;
        if (++table_frames_ > 2 && t->LastResizedColumn != -1) user_resized_ = true;
        if (user_resized_) return;
        static constexpr std::array kStretch{ColAgency, ColContact, ColSource, ColEvent, ColAction, ColRole, ColComment};
        float space = 0;
        std::uint32_t enabled = 0;
        for (const Column c : kStretch)
            if ((ImGui::TableGetColumnFlags(static_cast<int>(c)) & ImGuiTableColumnFlags_IsEnabled) != 0) {
                space += t->Columns[static_cast<int>(c)].WidthGiven;
                enabled |= 1u << static_cast<unsigned>(c);
            }
        if (space <= 0) return;
        if (weights_version_ == heights_.means_version() && enabled == fitted_enabled_ && std::abs(space - fitted_space_) < 1.0f)
            return;
        weights_version_ = heights_.means_version();
        fitted_enabled_ = enabled;
        fitted_space_ = space;
        const auto& mean = heights_.mean_width_em();
        const auto& word = heights_.word_width_em();
        std::array<float, ColCount> least{}, want{};
        for (const Column c : kStretch) {
            const auto k = static_cast<std::size_t>(c);
            const char* name = ImGui::TableGetColumnName(static_cast<int>(c));
            // A long heading ("Action / outcome") may be cut in a column that holds little.
            least[k] = std::max(std::min(ImGui::CalcTextSize(name).x, em(4.5f)) + em(1.2f), em(word[k]) + em(0.8f));
            want[k] = std::max(em(mean[k]), em(1));
        }
        float needed = 0;
        for (const Column c : kStretch)
            if ((enabled & (1u << static_cast<unsigned>(c))) != 0) needed += least[static_cast<std::size_t>(c)];
        squeezed_ = needed > space + 1.0f;
        // Too narrow for whole words anyway: the columns that hold most still get the most room.
        if (squeezed_)
            for (auto& l : least) l *= 0.7f * space / needed;
        // Water-filling: the columns held at their least width, the others by want.
        std::uint32_t held = 0;
        float scale = 0;
        for (int round = 0; round < static_cast<int>(kStretch.size()); ++round) {
            float rest = space, wanted = 0;
            for (const Column c : kStretch) {
                const auto bit = 1u << static_cast<unsigned>(c);
                if ((enabled & bit) == 0) continue;
                if ((held & bit) != 0) rest -= least[static_cast<std::size_t>(c)];
                else wanted += want[static_cast<std::size_t>(c)];
            }
            scale = wanted > 0 && rest > 0 ? rest / wanted : 0;
            bool more = false;
            for (const Column c : kStretch) {
                const auto bit = 1u << static_cast<unsigned>(c);
                const auto k = static_cast<std::size_t>(c);
                if ((enabled & bit) != 0 && (held & bit) == 0 && scale * want[k] < least[k]) {
                    held |= bit;
                    more = true;
                }
            }
            if (!more) break;
        }
        for (const Column c : kStretch) {
            const auto k = static_cast<std::size_t>(c);
            const bool at_least = (held & (1u << static_cast<unsigned>(c))) != 0 || scale <= 0;
            t->Columns[static_cast<int>(c)].StretchWeight = (at_least ? least[k] : scale * want[k]) / em(1);
        }
    }

    // One row of the table. `content_height` > 0: the reading layout, each cell's whole text
    // wrapped to its column in a row that tall; 0: one line per row, cut to fit.
    void draw_row(const Frame& f, const client::ImrDocument& doc, std::size_t r, float content_height) {
        const std::size_t i = rows_[r];
        if (i >= doc.entries.size()) return;
        const auto& stored = doc.entries[i];
        const auto& e = stored.value;
        const bool wrap = content_height > 0;
        ImGui::TableNextRow(0, wrap ? content_height + 2 * ImGui::GetStyle().CellPadding.y : 0.0f);
        ImGui::TableNextColumn();
        ImGui::PushID(reinterpret_cast<const char*>(stored.id.bytes.data()),
                      reinterpret_cast<const char*>(stored.id.bytes.data() + stored.id.bytes.size()));
        const bool selected = panel_.entry() == stored.id;
        const ImVec2 cell = ImGui::GetCursorScreenPos();
        if (selected) {
            ImGui::PushStyleColor(ImGuiCol_Header, ImGui::GetStyleColorVec4(ImGuiCol_HeaderActive));
            ImGui::PushStyleColor(ImGuiCol_HeaderHovered, ImGui::GetStyleColorVec4(ImGuiCol_HeaderActive));
        }
        // Arrow keys move the selection: the row is selected when keyboard navigation reaches it.
        if (selectable(f, "##row", selected,
                       ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap |
                           static_cast<ImGuiSelectableFlags>(ImGuiSelectableFlags_SelectOnNav),
                       ImVec2(0, content_height)) &&
            !selected) {
            clicked_ = stored.id;
            f.app.select_entry(stored.id);
        }
        if (selected) {
            ImGui::PopStyleColor(2);
            // An outline, so the selected row stands out from the one under the mouse.
            ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                                ImGui::GetColorU32(ImGuiCol_CheckMark), 0.0f, 0, em(0.1f));
        }
        if (f.items != nullptr) {
            track(f, "entry:" + stored.id.hex());
            track(f, "row " + std::to_string(r + 1));
        }
        if (scroll_to_ && static_cast<int>(r) == selected_row_) {
            ImGui::SetScrollHereY(0.35f);
            scroll_to_.reset();
        }
        ImGui::SetCursorScreenPos(cell);
        std::string date = typed_date(e.date);
        bool date_cut = false;
        if (wrap) {
            date_cut = ImGui::CalcTextSize(date.c_str(), date.c_str() + date.size()).x > ImGui::GetContentRegionAvail().x;
            wrapped_text(date);
        } else {
            date_cut = cell_text(date);
        }
        if (f.items != nullptr) track(f, (date_cut ? "date cut: " : "date: ") + date);
        crypto::wipe(date);
        ImGui::TableNextColumn();
        if (e.time) ImGui::TextUnformatted(e.time->text().c_str());
        if (wrap) {
            for (const Column c : {ColAgency, ColContact, ColSource, ColEvent, ColAction, ColRole, ColComment})
                if (ImGui::TableSetColumnIndex(static_cast<int>(c))) wrapped_text(cell_string(e, c, scratch_));
            crypto::wipe(scratch_);
            ImGui::TableSetColumnIndex(static_cast<int>(ColFlags));
            flags_cell(e);
            query_mark(f, doc, stored.id);
            ImGui::PopID();
            return;
        }
        if (ImGui::TableNextColumn()) cell_text(e.agency);
        if (ImGui::TableNextColumn()) cell_text(e.contact_type);
        ImGui::TableNextColumn();
        cell_text(e.source);
        ImGui::TableNextColumn();
        cell_text(e.event);
        ImGui::TableNextColumn();
        if (!e.action.empty() && !e.outcome.empty()) {
            scratch_.assign(first_line(e.action));
            scratch_ += " \xE2\x86\x92 ";  // →
            scratch_ += first_line(e.outcome);
            cell_text(scratch_);
        } else {
            cell_text(e.action.empty() ? e.outcome : e.action);
        }
        ImGui::TableNextColumn();
        cell_text(e.practitioner_role);
        ImGui::TableNextColumn();
        cell_text(e.comment);
        ImGui::TableNextColumn();
        flags_cell(e);
        query_mark(f, doc, stored.id);
        ImGui::PopID();
    }

    // "?" in the flags cell of an entry the review team asked about.
    static void query_mark(const Frame& f, const client::ImrDocument& doc, const domain::Id& entry) {
        if (doc.queries.empty()) return;
        const std::size_t n = doc.queries_on("entry:" + entry.hex());
        if (n == 0) return;
        ImGui::SameLine(0, em(0.3f));
        ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
        ImGui::TextUnformatted("?");
        ImGui::PopStyleColor();
        if (f.items != nullptr) track(f, "query mark " + entry.hex());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", (count_of(n, "query", "queries") + " from the review team: see Queries").c_str());
    }

    // The reading layout: rows of their own heights (RowHeights), of which only those in view
    // (and the selected one, to scroll to it) are laid out. The cursor skips the rest the way
    // ImGui's list clipper does, so the scroll bar and the row colours stay right.
    void wrapped_rows(const Frame& f, const client::ImrDocument& doc) {
        ImGuiTable* table = ImGui::GetCurrentTable();
        ImGuiWindow* window = ImGui::GetCurrentWindow();
        if (table->IsInsideRow) ImGui::TableEndRow(table);
        RowHeights::Widths widths{};
        for (int c = 0; c < static_cast<int>(ColCount); ++c)
            if ((ImGui::TableGetColumnFlags(c) & ImGuiTableColumnFlags_IsEnabled) != 0)
                widths[static_cast<std::size_t>(c)] = std::max(1.0f, table->Columns[c].WorkMaxX - table->Columns[c].WorkMinX);
        heights_.update(doc.entries, heights_key_ != key_, widths);
        heights_key_ = key_;
        if (heights_.changed() || rows_changed_) {
            heights_.layout(rows_);
            rows_changed_ = false;
        }
        const float base = table->RowPosY2;
        const int counter = table->RowBgColorCounter;
        const float padding = 2 * ImGui::GetStyle().CellPadding.y;
        auto seek = [&](std::size_t r) {
            if (table->IsInsideRow) ImGui::TableEndRow(table);
            const float y = base + (r < rows_.size() ? heights_.top(r) : heights_.total());
            table->RowPosY2 = y;
            window->DC.CursorPos.y = y;
            window->DC.CursorMaxPos.y = std::max(window->DC.CursorMaxPos.y, y);
            table->RowBgColorCounter = counter + static_cast<int>(r);
        };
        auto draw = [&](std::size_t from, std::size_t to) {
            if (from >= to) return;
            seek(from);
            for (std::size_t r = from; r < to; ++r) draw_row(f, doc, r, heights_.height(r) - padding);
        };
        // A few lines beyond the view stay laid out, so the arrow keys can move onto them.
        const float margin = 3 * ImGui::GetTextLineHeightWithSpacing();
        const auto [first, last] =
            heights_.within(window->InnerClipRect.Min.y - base - margin, window->InnerClipRect.Max.y - base + margin);
        const auto sel = static_cast<std::size_t>(selected_row_);
        if (scroll_to_ && selected_row_ >= 0 && sel < first) draw(sel, sel + 1);
        draw(first, last);
        if (scroll_to_ && selected_row_ >= 0 && sel >= last) draw(sel, sel + 1);
        seek(rows_.size());
    }

    static void flags_cell(const ChronologyEntry& e) {
        char marks[16] = {};
        std::size_t n = 0;
        for (const auto& flag : kFlags)
            if (e.*flag.member) {
                if (n > 0) marks[n++] = ' ';
                marks[n++] = flag.mark[0];
            }
        if (n == 0) return;
        ImGui::TextUnformatted(marks, marks + n);
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            for (const auto& flag : kFlags)
                if (e.*flag.member) ImGui::Text("%s  %s", flag.mark, flag.name);
            ImGui::EndTooltip();
        }
    }

    std::optional<domain::Id> imr_;  // the IMR this state belongs to

    // The table: rows are indices into the IMR's entries, filtered and sorted.
    std::vector<std::size_t> rows_;
    bool rows_changed_ = true;    // rows_ was rebuilt: the reading layout places its rows again
    RowHeights heights_;          // the reading layout's row heights
    CacheKey heights_key_;        // the entries heights_ last measured
    std::uint32_t weights_version_ = 0;  // the column weights follow heights_' mean widths at this version
    std::uint32_t fitted_enabled_ = 0;   // ... and these columns shown
    float fitted_space_ = 0;             // ... sharing this width
    int table_frames_ = 0;
    bool squeezed_ = false;              // the shown columns need more width than the table has
    bool user_resized_ = false;          // the author resized a column: the weights stay theirs
    std::vector<std::string> dates_;  // per entry: the date as read and as typed, and the time, for the filter
    bool dates_stale_ = true;
    CacheKey key_;
    bool dirty_ = true;
    Column sort_column_ = ColDate;
    bool agency_shown_ = false;   // the Agency column was shown because entries have an agency
    bool contact_shown_ = false;  // likewise the type of contact
    bool sort_descending_ = false;
    int selected_row_ = -1;                // the panel's entry in rows_, or -1
    std::optional<domain::Id> scroll_to_;  // scroll the table to this entry when it is drawn
    std::optional<domain::Id> clicked_;    // selected in the table: already in view
    std::string filter_;
    int tor_filter_ = 0;  // 0: every question
    std::optional<domain::Principle> principle_filter_;
    std::array<bool, 4> only_{};  // show only entries with any of these flags
    std::string scratch_;         // a reused buffer for cell text

    std::vector<client::Gap> gaps_;
    int unacknowledged_ = 0;
    bool show_gaps_ = false;
    bool panel_hidden_ = false;
    float date_width_ = 0;       // the Date column: its widest date
    float date_width_font_ = 0;  // the font size date_width_ was measured at (0: measure again)  // the entry panel collapsed: the table reads across the whole width

    EntryPanel panel_;
    GapList gap_list_;
    ImportDialog import_;
    ExportDialog export_;
};

}  // namespace

std::unique_ptr<View> make_chronology_view() { return std::make_unique<ChronologyView>(); }

}  // namespace imrdesk::ui
