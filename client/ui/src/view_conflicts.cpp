// The conflicts panel. A conflict is a record (a section, a chronology entry ...) that was changed
// on this computer and on another device in ways that do not merge by themselves. The list says
// what and where; the selected one shows both versions side by side, read-only, and three
// actions: keep mine, keep theirs, or (sections) edit a merged text that starts with both versions
// between marker lines. Nothing is resolved without a click; the choice is sent at the next sync.
#include "view_conflicts.hpp"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "imrdesk/shared/merge.hpp"
#include "view_sync.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

using nlohmann::json;

constexpr const char* kPopup = "Sync conflicts";

// "practitioner_role" -> "Practitioner role"
std::string field_name(const std::string& key) {
    std::string out = key;
    std::replace(out.begin(), out.end(), '_', ' ');
    if (!out.empty() && out.front() >= 'a' && out.front() <= 'z') out.front() = static_cast<char>(out.front() - 'a' + 'A');
    return out;
}

std::string value_text(const json& v) {
    if (v.is_null()) return "(empty)";
    if (v.is_string()) return v.get_ref<const std::string&>().empty() ? "(empty)" : v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    if (v.is_array()) {
        if (v.empty()) return "(none)";
        std::string out;
        for (const auto& e : v) out += (out.empty() ? "" : ", ") + (e.is_string() ? e.get<std::string>() : e.dump());
        return out;
    }
    return v.dump();
}

// One line per field whose value differs from the other side ("Event: ..."), in field order.
std::string differing_fields(const json& side, const json& other, bool skip_text) {
    std::string out;
    if (!side.is_object()) return out;
    for (const auto& [key, value] : side.items()) {
        if (key == "v" || (skip_text && key == "text")) continue;
        if (other.is_object() && other.contains(key) && other.at(key) == value) continue;
        out += field_name(key) + ": " + value_text(value) + "\n";
    }
    if (!out.empty()) out.pop_back();
    return out;
}

json parse_or_null(const std::string& body) {
    try {
        return json::parse(body);
    } catch (const json::exception&) {
        return json();
    }
}

std::string shortened(const std::string& text, std::size_t max = 60) {
    const std::string line = text.substr(0, text.find('\n'));
    if (line.size() <= max) return line;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
    return line.substr(0, cut) + "\xE2\x80\xA6";
}

// Lines that still mark a conflicting hunk: they start like one of merge.hpp's markers.
std::size_t marker_lines(const std::string& text) {
    const std::string_view prefixes[] = {domain::kMineMarker.substr(0, 7), domain::kSeparatorMarker.substr(0, 7),
                                         domain::kEndMarker.substr(0, 7)};
    std::size_t count = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        if (std::any_of(std::begin(prefixes), std::end(prefixes), [&](std::string_view p) { return line.starts_with(p); })) ++count;
        start = end + 1;
    }
    return count;
}

struct Item {
    client::ConflictRecord record;
    std::string what;   // "Section: Summary"
    std::string where;  // "SAR 2026-01, Test Agency"
    bool section = false;
    std::string mine_text, mine_fields, theirs_text, theirs_fields;

    void wipe() noexcept {
        for (auto* s : {&record.mine, &record.theirs, &what, &where, &mine_text, &mine_fields, &theirs_text, &theirs_fields})
            crypto::wipe(*s);
    }
};

std::string describe(const client::ImrDocument* doc, domain::RecordKind kind, const json& body) {
    try {
        switch (kind) {
            case domain::RecordKind::Imr: return "About this IMR (case details and author)";
            case domain::RecordKind::Section: {
                const auto content = domain::section_from_json(body);
                if (doc != nullptr) {
                    for (const auto& item : domain::ImrTemplate::builtin().outline(doc->header.case_info.terms_of_reference))
                        if (item.key == content.key) return "Section: " + shortened(item.heading, 70);
                }
                return "Section " + content.key;
            }
            case domain::RecordKind::ChronologyEntry: {
                const auto entry = domain::entry_from_json(body);
                return "Chronology entry of " + entry.date.display() + ": " + shortened(entry.event);
            }
            case domain::RecordKind::Recommendation: {
                const auto rec = domain::recommendation_from_json(body);
                return "Recommendation " + std::to_string(rec.order) + ": " + shortened(rec.text);
            }
            case domain::RecordKind::GlossaryEntry: return "Glossary: " + domain::glossary_from_json(body).abbreviation;
            case domain::RecordKind::Endorsement: return "Endorsement";
            case domain::RecordKind::Name: return "Names register: " + domain::name_from_json(body).pseudonym;
            case domain::RecordKind::Query: return "Query: " + domain::query_from_json(body).on;
            case domain::RecordKind::QueryAnswer: return "Answer to a query";
            case domain::RecordKind::ReviewNote: return "Review note";
        }
    } catch (const std::exception&) {
        // A body this version cannot read: say what kind of record it is.
    }
    return field_name(std::string(domain::to_string(kind)));
}

Item make_item(const client::Workspace& ws, client::ConflictRecord record) {
    Item item{std::move(record), {}, {}, false, {}, {}, {}, {}};
    const auto& c = item.record;
    const auto* doc = ws.find(c.imr_id);
    item.where = doc != nullptr ? doc->header.case_info.reference + ", " + doc->header.agency : "an IMR no longer in this profile";
    const json mine = c.mine_deleted ? json() : parse_or_null(c.mine);
    const json theirs = c.theirs_deleted ? json() : parse_or_null(c.theirs);
    item.what = describe(doc, c.kind, c.mine_deleted ? theirs : mine);
    item.section = c.kind == domain::RecordKind::Section;
    const auto text_of = [](const json& j) {
        return j.is_object() && j.contains("text") && j.at("text").is_string() ? j.at("text").get<std::string>() : std::string();
    };
    if (item.section) {
        item.mine_text = text_of(mine);
        item.theirs_text = text_of(theirs);
    }
    item.mine_fields = differing_fields(mine, theirs, item.section);
    item.theirs_fields = differing_fields(theirs, mine, item.section);
    return item;
}

class ConflictsView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        if (f.requests->open_conflicts) {
            f.requests->open_conflicts = false;
            if (app.sync() != nullptr) {
                ImGui::OpenPopup(kPopup);
                stale_ = true;
                stop_editing();
            }
        }
        next_panel_size(64);
        if (!ImGui::BeginPopupModal(kPopup, nullptr, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove))
            return;
        auto* service = app.sync();
        if (service == nullptr) {  // locked meanwhile
            wipe();
            ImGui::CloseCurrentPopup();
            ImGui::EndPopup();
            return;
        }
        const bool typing = ImGui::IsAnyItemActive();  // Escape then leaves the text box, not the panel
        if (stale_ || service->view().conflicts != items_.size()) {
            reload(app);
            service->refresh_counts();  // the counts now agree: no reload next frame
        }
        const float footer = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
        ImGui::BeginChild("conflicts_body", ImVec2(0, -footer));
        if (items_.empty()) {
            heading(f, "No conflicts");
            wrapped("Nothing waits for you: every change made here and on your other devices has been merged.");
            track(f, "No conflicts");
        } else {
            list(f);
            ImGui::Separator();
            detail(f);
        }
        ImGui::EndChild();
        ImGui::Separator();
        if (button(f, "Close") || (!typing && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))) {
            wipe();  // nothing decrypted stays with a closed panel
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }

    void wipe() noexcept override {
        for (auto& item : items_) item.wipe();
        items_.clear();
        stop_editing();
        stale_ = true;
    }

private:
    void reload(client::App& app) {
        std::optional<domain::Id> keep = selected_;
        for (auto& item : items_) item.wipe();
        items_.clear();
        auto& ws = app.workspace();
        for (auto& record : ws.vault().conflicts()) items_.push_back(make_item(ws, std::move(record)));
        std::stable_sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) {
            return std::tie(a.where, a.what) < std::tie(b.where, b.what);
        });
        stale_ = false;
        scroll_to_change_ = true;
        const auto found = std::find_if(items_.begin(), items_.end(), [&](const Item& i) { return keep && i.record.id == *keep; });
        if (found != items_.end()) return;
        // The selected one was resolved: the next one in the list, where it was.
        stop_editing();
        selected_.reset();
        if (!items_.empty()) selected_ = items_[std::min(selected_index_, items_.size() - 1)].record.id;
    }

    void list(const Frame& f) {
        wrapped(std::to_string(items_.size()) + (items_.size() == 1 ? " change was" : " changes were") +
                " made both here and on another device before they could meet. Nothing is chosen for you: for each one, "
                "keep your version, keep theirs, or write the merged text. The choice is sent at the next sync.");
        // One row each: what, in which IMR, when it was found. Cells clip what does not fit.
        const ImGuiStyle& style = ImGui::GetStyle();
        const float rows = (ImGui::GetTextLineHeight() + style.CellPadding.y * 2) * static_cast<float>(items_.size()) + style.CellPadding.y * 2;
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_SizingStretchProp;
        if (!ImGui::BeginTable("conflict_list", 3, flags, ImVec2(0, std::min(em(8), rows)))) return;
        ImGui::TableSetupColumn("What", ImGuiTableColumnFlags_WidthStretch, 3.0f);
        ImGui::TableSetupColumn("IMR", ImGuiTableColumnFlags_WidthStretch, 2.0f);
        ImGui::TableSetupColumn("Found", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("found 00/00 00:00").x);
        for (std::size_t i = 0; i < items_.size(); ++i) {
            const auto& item = items_[i];
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const bool selected = selected_ && *selected_ == item.record.id;
            if (ImGui::Selectable(item.what.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns) && !selected) {
                selected_ = item.record.id;
                selected_index_ = i;
                stop_editing();
                scroll_to_change_ = true;
            }
            track_text(f, "Conflict " + std::to_string(i + 1), item.what + ", " + item.where);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(item.where.c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("found %s", short_time(item.record.detected_at).c_str());
            ImGui::PopID();
        }
        ImGui::EndTable();
    }

    void detail(const Frame& f) {
        const auto it = std::find_if(items_.begin(), items_.end(), [&](const Item& i) { return selected_ && i.record.id == *selected_; });
        if (it == items_.end()) return;
        selected_index_ = static_cast<std::size_t>(it - items_.begin());
        const Item& item = *it;
        heading(f, item.what);
        muted(item.where + ". Found " + short_time(item.record.detected_at) + ".");
        if (editing_) {
            merge_editor(f, item);
            return;
        }
        const ImGuiStyle& style = ImGui::GetStyle();
        const float actions = ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing();
        const float height = std::max(em(6), ImGui::GetContentRegionAvail().y - actions - ImGui::GetTextLineHeightWithSpacing());
        const float half = (ImGui::GetContentRegionAvail().x - style.ItemSpacing.x) / 2;
        side(f, "Your version", "Your version (this computer)", item.record.mine_deleted, "(deleted on this computer)", item.mine_text,
             item.theirs_text, item.mine_fields, item.section, half, height);
        ImGui::SameLine();
        side(f, "Their version", "Their version (the other device)", item.record.theirs_deleted, "(deleted on the other device)",
             item.theirs_text, item.mine_text, item.theirs_fields, item.section, half, height);
        scroll_to_change_ = false;

        const auto id = item.record.id;
        const auto imr = item.record.imr_id;
        if (button(f, "Keep mine")) {
            resolve(f, id, imr, item.record.mine_deleted ? std::nullopt : std::optional(item.record.mine), "Conflict resolved: your version is kept.");
            return;
        }
        ImGui::SameLine();
        if (button(f, "Keep theirs")) {
            resolve(f, id, imr, item.record.theirs_deleted ? std::nullopt : std::optional(item.record.theirs),
                    "Conflict resolved: their version is kept.");
            return;
        }
        if (item.section) {
            ImGui::SameLine();
            const bool both = !item.record.mine_deleted && !item.record.theirs_deleted;
            ImGui::BeginDisabled(!both);
            if (button(f, "Edit merged text")) start_editing(item);
            ImGui::EndDisabled();
        }
        muted(item.section ? "Shaded: the paragraphs that differ. The version you keep replaces the other one on every device at "
                             "the next sync."
                           : "The version you keep replaces the other one on every device at the next sync.");
    }

    void side(const Frame& f, const char* name, const char* title, bool deleted, const char* deleted_text, const std::string& text,
              const std::string& other_text, const std::string& fields, bool section, float width, float height) {
        ImGui::BeginGroup();
        ImGui::PushFont(f.fonts.bold);
        ImGui::TextUnformatted(title);
        ImGui::PopFont();
        ImGui::BeginChild(name, ImVec2(width, height), true);
        if (deleted) {
            muted(deleted_text);
            track_text(f, std::string(name) + " text", deleted_text);
        } else {
            if (section) {
                if (text.empty()) muted("(no text)");
                else text_with_changes(text, other_text);
                track_text(f, std::string(name) + " text", text);
            }
            if (!fields.empty()) {
                if (section) ImGui::Spacing();
                if (section) muted("Also different:");
                wrapped(fields);
                track_text(f, std::string(name) + " fields", fields);
            } else if (!section) {
                muted("(the same content)");
            }
        }
        ImGui::EndChild();
        ImGui::EndGroup();
        track(f, name);
    }

    // The text paragraph by paragraph, shading those the other version does not have; on a newly
    // selected conflict both sides scroll to their first difference.
    void text_with_changes(const std::string& text, const std::string& other) {
        const auto lines_of = [](const std::string& s) {
            std::vector<std::string_view> lines;
            std::size_t start = 0;
            while (start <= s.size()) {
                auto end = s.find('\n', start);
                if (end == std::string::npos) end = s.size();
                lines.emplace_back(s.data() + start, end - start);
                start = end + 1;
            }
            return lines;
        };
        const auto other_lines = lines_of(other);
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const ImU32 shade = ImGui::GetColorU32(ImGuiCol_Header);
        bool first = true;
        for (const auto line : lines_of(text)) {
            const bool changed = !line.empty() && std::find(other_lines.begin(), other_lines.end(), line) == other_lines.end();
            if (changed) {
                if (first && scroll_to_change_) ImGui::SetScrollHereY(0.1f);
                first = false;
                const ImVec2 pos = ImGui::GetCursorScreenPos();
                const float wrap = ImGui::GetContentRegionAvail().x;
                const ImVec2 size = ImGui::CalcTextSize(line.data(), line.data() + line.size(), false, wrap);
                const float pad = em(0.2f);
                draw->AddRectFilled(ImVec2(pos.x - pad, pos.y - pad / 2), ImVec2(pos.x + wrap, pos.y + size.y + pad / 2), shade, pad);
            }
            wrapped(line);
        }
    }

    void start_editing(const Item& item) {
        // Both versions between the marker lines, with the lines they share at the start and the end
        // written once. (There is no common base to merge against: after a conflict the stored base
        // is their version.)
        stop_editing();
        merged_ = domain::merge_text("", item.mine_text, item.theirs_text).merged;
        editing_ = true;
    }

    void stop_editing() noexcept {
        editing_ = false;
        crypto::wipe(merged_);
        crypto::wipe(merge_error_);
        merged_input_.wipe();
    }

    void merge_editor(const Frame& f, const Item& item) {
        wrapped("Where the two versions differ, both are shown: yours after the line \"" + std::string(domain::kMineMarker) +
                "\", theirs after \"" + std::string(domain::kSeparatorMarker) + "\", up to \"" + std::string(domain::kEndMarker) +
                "\". Keep what is right, delete the rest and the marker lines, then save.");
        const float below = ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing() * 2;  // the buttons, a message
        const float height = std::max(em(6), ImGui::GetContentRegionAvail().y - below);
        if (merged_input_.draw(f, "##Merged text", merged_, 8, height)) crypto::wipe(merge_error_);
        track_text(f, "Merged text", merged_);
        if (!merge_error_.empty()) {
            error_text(merge_error_);
            track_text(f, "Merge problem", merge_error_);
        }
        if (primary_button(f, "Save merged text")) {
            const std::size_t markers = marker_lines(merged_);
            if (markers > 0) {
                merge_error_ = "Not saved: the text still has " + std::to_string(markers) +
                               (markers == 1 ? " marker line" : " marker lines") +
                               " (starting <<<<<<<, ======= or >>>>>>>). Decide what to keep between them, delete the marker "
                               "lines, then save again.";
                return;
            }
            json body = parse_or_null(item.record.mine);
            body["text"] = merged_;
            resolve(f, item.record.id, item.record.imr_id, body.dump(), "Conflict resolved: the merged text is kept.");
            return;
        }
        ImGui::SameLine();
        if (button(f, "Back to both versions")) stop_editing();
    }

    void resolve(const Frame& f, const domain::Id& id, const domain::Id& imr, std::optional<std::string> body, const char* done) {
        auto& app = f.app;
        auto* service = app.sync();
        if (service == nullptr) return;
        const bool ok = app.apply("Resolving the conflict", [&](client::Workspace&) { service->replica().resolve(id, body); });
        if (body) crypto::wipe(*body);
        if (!ok) return;
        service->refresh_counts();
        refresh_draft(app, imr);
        app.notify(done);
        stop_editing();
        stale_ = true;
    }

    // The section editor holds its text in App's draft: show what was kept, not what was there.
    static void refresh_draft(client::App& app, const domain::Id& imr) {
        auto& draft = app.draft();
        if (draft.dirty || draft.imr != imr) return;
        const auto* doc = app.workspace().find(imr);
        if (doc == nullptr) return;
        crypto::wipe(draft.text);
        if (const auto* section = doc->section(draft.key)) draft.text = section->value.text;
    }

    std::vector<Item> items_;  // decrypted: wiped on close and lock
    bool stale_ = true;
    std::optional<domain::Id> selected_;
    std::size_t selected_index_ = 0;
    bool scroll_to_change_ = true;
    bool editing_ = false;
    std::string merged_;
    WrappedInput merged_input_;
    std::string merge_error_;
};

}  // namespace

std::unique_ptr<View> make_conflicts_view() { return std::make_unique<ConflictsView>(); }

void open_conflicts_panel(const Frame& f) { f.requests->open_conflicts = true; }

}  // namespace imrdesk::ui
