#include "case_model.hpp"

#include <algorithm>
#include <functional>

#include "chronology_rows.hpp"
#include "imrdesk/client/sync_service.hpp"
#include "imrdesk/platform/clock.hpp"
#include "imrdesk/shared/entry_fields.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "style.hpp"

namespace imrdesk::ui {

std::string merged_date(const domain::ChronologyEntry& e) {
    std::string text = typed_date(e.date);
    // Placed at the start of its month or year in the merged order: say so beside the date.
    if (!e.date.is_range()) {
        if (e.date.start.precision == domain::DatePrecision::Month) text += " (month)";
        else if (e.date.start.precision == domain::DatePrecision::Year) text += " (year)";
    }
    return text;
}

std::string query_place(const client::ImrDocument& doc, const std::string& on) {
    const auto target = domain::parse_query_target(on);
    if (!target || target->kind == domain::QueryTarget::Kind::Imr) return "the whole IMR";
    if (target->kind == domain::QueryTarget::Kind::Entry) {
        const auto* e = doc.entry(target->entry);
        if (e == nullptr) return "an entry no longer in the chronology";
        std::string event = e->value.event.substr(0, 60);
        if (e->value.event.size() > 60) {
            while (!event.empty() && (static_cast<unsigned char>(event.back()) & 0xC0) == 0x80) event.pop_back();
            if (!event.empty()) event.pop_back();
            event += "...";
        }
        return "entry of " + typed_date(e->value.date) + ": " + event;
    }
    for (const auto& item : domain::ImrTemplate::builtin().outline(doc.header.case_info.terms_of_reference))
        if (item.key == target->section_key) return "section: " + item.heading;
    return "section " + target->section_key;
}

bool CaseModel::refresh(const Frame& f) {
    auto& app = f.app;
    const auto& ws = app.workspace();
    if (app.current_case() != reference_ || ws.generation() != generation_) rebuild(f);
    if (filter_dirty_) apply_filter();
    return info_ != nullptr || !rows_.empty();
}

void CaseModel::rebuild(const Frame& f) {
    auto& app = f.app;
    const auto& ws = app.workspace();
    if (app.current_case() != reference_) {
        selected_.reset();
        selected_entry_.reset();
        view_from = view_days = 0;
        crypto::wipe(filter.text);
        filter = {};
    }
    reference_ = app.current_case();
    generation_ = ws.generation();
    static const client::SyncProfileState kNoSync;
    const auto* service = app.sync();
    const auto& state = service != nullptr ? service->state() : kNoSync;
    info_ = client::case_data(state, reference_);
    status_.clear();
    rows_.clear();
    reason_.clear();
    if (info_ != nullptr) status_ = client::case_status(state, ws, reference_, platform::unix_now());
    try {
        rows_ = client::merged_chronology(ws, reference_);
    } catch (const client::WorkspaceError&) {
        // No submitted IMR here yet: the dashboard still shows who is where.
    }
    if (info_ == nullptr && rows_.empty())
        reason_ = "This computer has no data of case " + reference_ + " yet. Sync with the review team's server to receive it.";
    lanes_ = client::case_agencies(state, ws, reference_);
    colours_ = client::AgencyColours::load(ws.vault());
    lane_colour_.clear();
    for (const auto& a : lanes_) lane_colour_.push_back(colours_.index_of(a, lanes_));
    first_day_.resize(rows_.size());
    last_day_.resize(rows_.size());
    lane_.resize(rows_.size());
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const auto& d = rows_[i].entry->value.date;
        first_day_[i] = static_cast<std::int32_t>(d.first_day().days_since_epoch());
        last_day_[i] = static_cast<std::int32_t>(d.last_day().days_since_epoch());
        const auto at = std::find(lanes_.begin(), lanes_.end(), rows_[i].agency);
        if (at == lanes_.end()) {
            lanes_.push_back(rows_[i].agency);
            lane_colour_.push_back(colours_.index_of(rows_[i].agency, lanes_));
            lane_[i] = lanes_.size() - 1;
        } else {
            lane_[i] = static_cast<std::size_t>(at - lanes_.begin());
        }
    }
    for (auto& n : short_) crypto::wipe(n);
    short_ = client::short_agency_names(lanes_);
    gaps_ = client::cross_agency_gaps(rows_, app.settings().gap_threshold_days);
    busy_ = client::multi_agency_days(rows_);
    // The selection follows its entry (the rows may have moved).
    selected_.reset();
    if (selected_entry_) {
        for (std::size_t i = 0; i < rows_.size(); ++i)
            if (rows_[i].imr->id == selected_entry_->first && rows_[i].entry->id == selected_entry_->second) selected_ = i;
        if (!selected_) selected_entry_.reset();
    }
    filter_dirty_ = true;
}

void CaseModel::apply_filter() {
    shown_.clear();
    shown_.reserve(rows_.size());
    const bool all = filter.empty();
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (all || client::matches(rows_[i], filter)) shown_.push_back(static_cast<std::uint32_t>(i));
    filter_dirty_ = false;
}

std::size_t CaseModel::colour_index(const std::string& agency) const {
    const auto at = std::find(lanes_.begin(), lanes_.end(), agency);
    if (at != lanes_.end()) return lane_colour_[static_cast<std::size_t>(at - lanes_.begin())];
    return colours_.index_of(agency, lanes_);
}

ImVec4 CaseModel::colour(const std::string& agency) const { return agency_colour(colour_index(agency)); }

void CaseModel::choose_colour(const Frame& f, const std::string& agency, std::optional<std::size_t> index) {
    auto next = colours_;
    next.choose(agency, index);
    try {
        next.save(f.app.workspace().vault());
    } catch (const std::exception& e) {
        f.app.notify(std::string("The colour could not be saved: ") + e.what(), true);
        return;
    }
    colours_ = std::move(next);
    lane_colour_.clear();
    for (const auto& a : lanes_) lane_colour_.push_back(colours_.index_of(a, lanes_));
}

void CaseModel::select(std::optional<std::size_t> row) {
    if (row && *row >= rows_.size()) row.reset();
    selected_ = row;
    if (row) selected_entry_ = std::make_pair(rows_[*row].imr->id, rows_[*row].entry->id);
    else selected_entry_.reset();
}

void CaseModel::wipe() noexcept {
    reference_.clear();
    reason_.clear();
    generation_ = 0;
    info_ = nullptr;
    for (auto& s : status_) crypto::wipe(s.agency);
    status_.clear();
    rows_.clear();
    shown_.clear();
    first_day_.clear();
    last_day_.clear();
    lane_.clear();
    for (auto& a : lanes_) crypto::wipe(a);
    lanes_.clear();
    for (auto& n : short_) crypto::wipe(n);
    short_.clear();
    lane_colour_.clear();
    colours_ = {};
    gaps_.clear();
    for (auto& b : busy_)
        for (auto& a : b.agencies) crypto::wipe(a);
    busy_.clear();
    crypto::wipe(filter.text);
    filter = {};
    filter_dirty_ = true;
    selected_.reset();
    selected_entry_.reset();
    view_from = view_days = 0;
}

// ---- the selected row in full -----------------------------------------------------------------

namespace {

void field(const char* label, const std::string& text) {
    if (text.empty()) return;
    ImGui::PushFont(ImGui::GetIO().FontDefault);
    ImGui::TextDisabled("%s", label);
    ImGui::PopFont();
    ImGui::Indent(em(0.8f));
    wrapped(text);
    ImGui::Unindent(em(0.8f));
}

}  // namespace

void RowDetail::draw(const Frame& f, CaseModel& model) {
    auto& app = f.app;
    const auto selected = model.selected();
    if (!selected) {
        muted("Choose a row (or a mark on the timeline) to read the entry in full, write the review team's note on it or "
              "raise a query with its agency.");
        return;
    }
    const auto& row = model.rows()[*selected];
    const auto& e = row.entry->value;
    const auto& doc = *row.imr;
    const auto key = std::make_pair(doc.id, row.entry->id);
    if (editing_ != key) {
        editing_ = key;
        crypto::wipe(note_);
        note_ed_.wipe();
        const auto* note = doc.review_note(row.entry->id);
        note_ = note != nullptr ? note->value.text : std::string();
        crypto::wipe(query_);
        query_ed_.wipe();
        raising_ = false;
    }
    std::function<void()> action;  // run after drawing: it changes the workspace the row points into

    // Two columns: the entry as the agency wrote it; beside it what the review team does with it.
    if (!ImGui::BeginTable("row_detail", 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerV)) return;
    ImGui::TableSetupColumn("entry", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("team", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushFont(f.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, model.colour(row.agency));
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(row.agency.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::PopFont();
    track(f, "detail agency");
    std::string when = e.date.display();
    if (e.time) when += ", " + e.time->text();
    ImGui::TextUnformatted(when.c_str());
    std::string flags;
    if (e.key_practice_episode) flags += "Key practice episode";
    if (e.missed_opportunity) flags += std::string(flags.empty() ? "" : " · ") + "Missed opportunity";
    if (e.good_practice) flags += std::string(flags.empty() ? "" : " · ") + "Good practice";
    if (!flags.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette().warning);
        wrapped(flags);
        ImGui::PopStyleColor();
    }
    field("Source", client::prefixed_source(row.agency, e.source));
    for (const auto& text_field : domain::kEntryTextFields) {
        if (text_field.member == &domain::ChronologyEntry::source) continue;
        field(std::string(text_field.label).c_str(), e.*(text_field.member));
    }
    if (!e.tor_questions.empty() || !e.principles.empty()) {
        std::string tags;
        for (const int q : e.tor_questions) tags += (tags.empty() ? "ToR " : ", ") + std::to_string(q);
        for (const auto p : e.principles) tags += (tags.empty() ? "" : " · ") + std::string(domain::to_string(p));
        muted(tags);
    }
    ImGui::TableNextColumn();
    if (button(f, "Open in its IMR")) action = [&app, key] { app.open_case_entry(key.first, key.second); };
    track(f, "Open in its IMR");
    ImGui::SameLine();
    if (!raising_ && button(f, "Raise a query on this entry")) raising_ = true;
    if (raising_) {
        muted("To " + row.agency + ", at the next sync:");
        query_ed_.draw(f, "##query text", query_, 2, em(6));
        track(f, "Query text");
        ImGui::BeginDisabled(query_.find_first_not_of(" \n\t") == std::string::npos);
        if (primary_button(f, "Send query")) {
            action = [&app, key, text = query_, agency = row.agency] {
                if (app.apply("Raising the query", [&](client::Workspace& ws) {
                        (void)ws.raise_query(key.first, {domain::QueryTarget::Kind::Entry, {}, key.second}, text, app.profile());
                    }))
                    app.notify("Query raised with " + agency + "; it is sent at the next sync.");
                if (auto* service = app.sync()) service->local_change();
            };
            raising_ = false;
        }
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (button(f, "Cancel##query")) {
            raising_ = false;
            crypto::wipe(query_);
            query_ed_.wipe();
        }
    }
    // The queries on this entry, with their state.
    const std::string on = "entry:" + row.entry->id.hex();
    for (const auto& q : doc.queries) {
        if (q.value.on != on) continue;
        ImGui::Spacing();
        ImGui::PushFont(f.fonts.bold);
        wrapped("Query (" + std::string(domain::to_string(doc.query_state(q))) + "): " + q.value.text);
        ImGui::PopFont();
        for (const auto* a : doc.answers_to(q.id)) wrapped(a->answered_by + ": " + a->text);
    }
    ImGui::Spacing();
    ImGui::TextUnformatted("The review team's note (not sent to the agency)");
    if (note_ed_.draw(f, "##review note", note_, 2, em(6))) {
    }
    track(f, "Review note");
    const auto* stored = doc.review_note(row.entry->id);
    const bool changed = note_ != (stored != nullptr ? stored->value.text : std::string());
    ImGui::BeginDisabled(!changed);
    if (button(f, "Save note")) {
        action = [&app, key, text = note_] {
            app.apply("Saving the review note", [&](client::Workspace& ws) {
                ws.save_review_note(key.first, key.second, text, app.profile());
            });
        };
    }
    ImGui::EndDisabled();
    ImGui::EndTable();
    if (action) {
        action();
        crypto::wipe(query_);
        query_ed_.wipe();
    }
}

void RowDetail::wipe() noexcept {
    editing_.reset();
    crypto::wipe(note_);
    note_ed_.wipe();
    crypto::wipe(query_);
    query_ed_.wipe();
    raising_ = false;
}

}  // namespace imrdesk::ui
