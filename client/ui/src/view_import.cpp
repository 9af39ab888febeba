// The chronology's CSV dialogs: import (checked in the background, previewed, confirmed) and
// export (to a path the author types, with a warning that the file is not encrypted).
#include "view_import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>

#include "imrdesk/client/chronology_source.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/shared/utf8.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {

namespace {

constexpr const char* kImportTitle = "Import a chronology from a spreadsheet";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// Centres the next modal on the screen, no wider or taller than the screen allows.
void place_modal(float width_em, float height_em) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    const float width = std::min(em(width_em), viewport->WorkSize.x * 0.95f);
    const float height = height_em > 0 ? std::min(em(height_em), viewport->WorkSize.y * 0.92f) : 0.0f;
    ImGui::SetNextWindowSize(ImVec2(width, height));
}

bool escape_pressed() { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false); }


}  // namespace

std::filesystem::path expand_user_path(std::string_view typed) {
    std::string_view text = typed;
    auto trim = [&] {
        while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r'))
            text.remove_prefix(1);
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
            text.remove_suffix(1);
    };
    trim();
    // A path copied from a file manager may come quoted, or as a file:// URL.
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front()) {
        text = text.substr(1, text.size() - 2);
        trim();
    }
    std::string path(text);
    if (path.starts_with("file://")) path = percent_decode(std::string_view(path).substr(7));
    if (path == "~" || path.starts_with("~/")) {
        const char* home = std::getenv("HOME");
        if (home != nullptr && *home != '\0') path = std::string(home) + path.substr(1);
    }
    return std::filesystem::path(path);
}

std::string file_name_part(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool keep = std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.';
        if (keep) out += c;
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
    return out.empty() ? "imr" : out;
}

void wipe_entry(domain::ChronologyEntry& entry) noexcept { client::wipe(entry); }

// ---- import ------------------------------------------------------------------------------------

// A file as read, kept while the dialog is open so that a changed column choice is previewed
// again without reading the file again. Wiped when the dialog closes or the app locks.
struct ImportDialog::Source {
    client::LoadedTable loaded;
    Source() = default;
    Source(const Source&) = delete;
    Source& operator=(const Source&) = delete;
    ~Source() { client::wipe(loaded.table); }
};

// What a check of a file found: an error that stops the import, or a preview.
struct ImportDialog::Checked {
    std::string error;
    std::shared_ptr<Source> source;
    std::optional<domain::ImportPreview> preview;

    void wipe() noexcept {
        crypto::wipe(error);
        source.reset();
        if (preview) client::wipe(*preview);
        preview.reset();
    }
};

// Where the background check leaves its result. The dialog owns it; the job only holds a weak
// reference, so a result that arrives after a lock (or after the window closed) is wiped, not kept.
struct ImportDialog::Inbox {
    std::optional<Checked> result;
};

namespace {

constexpr std::array<const char*, 4> kEncodingChoices{"Detect", "UTF-8", "Windows-1252", "UTF-16"};
constexpr std::array<const char*, 4> kDelimiterChoices{"Detect", "Comma", "Semicolon", "Tab"};

client::SourceOptions source_options(int encoding, int delimiter, const std::string& sheet) {
    client::SourceOptions options;
    if (encoding == 1) options.encoding = text::EncodingChoice{text::Encoding::Utf8, false};
    if (encoding == 2) options.encoding = text::EncodingChoice{text::Encoding::Windows1252, false};
    if (encoding == 3) options.encoding = text::EncodingChoice{text::Encoding::Utf16Le, true};
    if (delimiter == 1) options.delimiter = ',';
    if (delimiter == 2) options.delimiter = ';';
    if (delimiter == 3) options.delimiter = '\t';
    options.sheet = sheet;
    return options;
}

}  // namespace

ImportDialog::ImportDialog() = default;
ImportDialog::~ImportDialog() { wipe(); }

void ImportDialog::wipe() noexcept {
    open_ = false;
    shown_ = false;
    crypto::wipe(path_);
    crypto::wipe(checked_path_);
    crypto::wipe(error_);
    crypto::wipe(sheet_);
    if (inbox_ && inbox_->result) inbox_->result->wipe();
    inbox_.reset();
    source_.reset();
    if (preview_) client::wipe(*preview_);
    preview_.reset();
    choices_.clear();
    skip_invalid_ = false;
    encoding_ = delimiter_ = 0;
}

void ImportDialog::close() {
    const std::string keep_path = path_;  // the next import is often from the same folder
    wipe();
    path_ = keep_path;
    ImGui::CloseCurrentPopup();
}

void ImportDialog::start_check(const Frame& f, const client::ImrDocument& doc, bool reread) {
    if (preview_) client::wipe(*preview_);
    preview_.reset();
    crypto::wipe(error_);
    skip_invalid_ = false;
    if (reread) {
        source_.reset();
        checked_path_ = path_;
    }
    auto inbox = std::make_shared<Inbox>();
    inbox_ = inbox;
    const std::weak_ptr<Inbox> weak = inbox;
    domain::ImportChoices choices;
    choices.by_index = choices_;
    auto job = [weak, path = expand_user_path(checked_path_), options = source_options(encoding_, delimiter_, sheet_),
                case_info = doc.header.case_info, choices, source = source_]() -> client::TaskRunner::Continuation {
        auto result = std::make_shared<Checked>();
        try {
            result->source = source;
            if (!result->source) {
                if (path.empty()) throw domain::ImportError("type the path of a CSV or Excel file first");
                if (!std::filesystem::exists(path)) throw domain::ImportError("there is no file at " + path.string() + ". Check the spelling, or copy the path from your file manager");
                auto fresh = std::make_shared<Source>();
                fresh->loaded = client::load_chronology_file(path, options);
                result->source = std::move(fresh);
            }
            result->preview = domain::preview_chronology(result->source->loaded.table, case_info, choices);
        } catch (const domain::ImportError& e) {
            result->error = std::string("This file cannot be imported: ") + e.what() + ".";
            result->preview.reset();
        } catch (const std::exception& e) {
            result->error = std::string("This file cannot be read: ") + e.what() + ".";
            result->preview.reset();
        }
        return [weak, result] {
            if (auto box = weak.lock()) box->result = std::move(*result);
            else result->wipe();
        };
    };
    f.app.tasks().post(reread ? "Checking the file" : "Checking the columns", std::move(job));
}

void ImportDialog::check(const Frame& f, const client::ImrDocument& doc) {
    choices_.clear();
    start_check(f, doc, true);
}

void ImportDialog::draw(const Frame& f, const client::ImrDocument& doc) {
    if (open_) {
        ImGui::OpenPopup(kImportTitle);
        open_ = false;
        shown_ = true;
    }
    place_modal(64, 40);
    if (!ImGui::BeginPopupModal(kImportTitle, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
    if (!shown_) {  // wiped by a lock while open: it does not come back empty after unlocking
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    if (inbox_ && inbox_->result) {
        error_ = std::move(inbox_->result->error);
        preview_ = std::move(inbox_->result->preview);
        source_ = std::move(inbox_->result->source);
        inbox_.reset();
    }
    const bool checking = inbox_ != nullptr;

    wrapped("Import the chronology your records system exported, or your board's template: a CSV file or an Excel "
            "workbook (.xlsx). Each column is matched to a field by its heading; check the matches below. Nothing is "
            "added until you confirm.");
    ImGui::Spacing();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("File");
    ImGui::SameLine();
    const float check_width = ImGui::CalcTextSize("Check file").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - check_width - ImGui::GetStyle().ItemSpacing.x);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool entered = input_text(f, "##import_path", path_, ImGuiInputTextFlags_EnterReturnsTrue,
                                    "~/Documents/chronology.xlsx");
    track(f, "Import path");
    ImGui::SameLine();
    ImGui::BeginDisabled(checking || expand_user_path(path_).empty());
    if (button(f, "Check file") || (entered && !checking && !expand_user_path(path_).empty())) check(f, doc);
    ImGui::EndDisabled();
    muted("Type or paste the full path of the file. ~/ means your home folder.");
    if (source_ && path_ != checked_path_) muted("The path has changed since the check: check the file again before importing.");
    if (source_) show_source(f, doc);
    ImGui::Separator();

    const float footer = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
    if (checking) {
        spinner("Checking the file ...");
    } else if (!error_.empty()) {
        error_text(error_);
        track(f, "import error");
    } else if (preview_) {
        show_preview(f, doc, footer);
    }

    // The footer stays at the bottom of the dialog.
    const float bottom = ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - ImGui::GetFrameHeight();
    if (ImGui::GetCursorPosY() < bottom) ImGui::SetCursorPosY(bottom);
    const std::size_t valid = preview_ ? preview_->rows.size() : 0;
    const bool can_import = preview_ && path_ == checked_path_ && valid > 0 && preview_->importable() &&
                            (preview_->all_valid() || skip_invalid_) && !doc.read_only() && !checking;
    ImGui::BeginDisabled(!can_import);
    const std::string label = "Import " + std::to_string(valid) + (valid == 1 ? " entry" : " entries") + "###Import entries";
    if (primary_button(f, label.c_str())) import(f, doc);
    track(f, "Import entries");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (button(f, "Cancel") || escape_pressed()) close();
    ImGui::EndPopup();
}

// How the file was read, with what can be changed: the sheet of a workbook; a CSV's encoding and separator.
void ImportDialog::show_source(const Frame& f, const client::ImrDocument& doc) {
    const auto& loaded = source_->loaded;
    ImGui::AlignTextToFramePadding();
    wrapped("Read as: " + loaded.describe() + ".");
    bool reread = false;
    if (loaded.spreadsheet) {
        if (loaded.sheets.size() > 1) {
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted("Sheet");
            ImGui::SameLine();
            ImGui::SetNextItemWidth(em(16));
            if (ImGui::BeginCombo("##sheet", loaded.sheet.c_str())) {
                for (const auto& name : loaded.sheets)
                    if (selectable(f, (name + "##sheet").c_str(), name == loaded.sheet) && name != loaded.sheet) {
                        sheet_ = name;
                        reread = true;
                    }
                ImGui::EndCombo();
            }
            track(f, "Sheet");
        }
    } else {
        if (loaded.encoding != text::Encoding::Utf8 && loaded.encoding_detected)
            muted("The file is not UTF-8: it was read as " + std::string(text::name(loaded.encoding)) +
                  ". If letters such as £ or é look wrong below, choose another encoding.");
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Encoding");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em(10));
        if (ImGui::BeginCombo("##encoding", kEncodingChoices[static_cast<std::size_t>(encoding_)])) {
            for (int i = 0; i < static_cast<int>(kEncodingChoices.size()); ++i)
                if (selectable(f, (std::string(kEncodingChoices[static_cast<std::size_t>(i)]) + "##encoding").c_str(), i == encoding_)) {
                    reread = reread || i != encoding_;
                    encoding_ = i;
                }
            ImGui::EndCombo();
        }
        track(f, "Encoding");
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Separator");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em(10));
        if (ImGui::BeginCombo("##separator", kDelimiterChoices[static_cast<std::size_t>(delimiter_)])) {
            for (int i = 0; i < static_cast<int>(kDelimiterChoices.size()); ++i)
                if (selectable(f, (std::string(kDelimiterChoices[static_cast<std::size_t>(i)]) + "##separator").c_str(), i == delimiter_)) {
                    reread = reread || i != delimiter_;
                    delimiter_ = i;
                }
            ImGui::EndCombo();
        }
        track(f, "Separator");
    }
    if (reread && inbox_ == nullptr) {
        choices_.clear();
        start_check(f, doc, true);
    }
}

// One row a column: its heading, what it holds, and where it goes, chosen in a drop-down.
bool ImportDialog::show_columns(const Frame& f, float height) {
    const auto& p = *preview_;
    bool changed = false;
    const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("columns", 3, flags, ImVec2(0, height))) return false;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Column in the file", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("First text in it", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("Import as", ImGuiTableColumnFlags_WidthStretch, 1.1f);
    ImGui::TableHeadersRow();
    const auto& fields = domain::all_chronology_columns();
    for (const auto& c : p.columns) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushTextWrapPos(0.0f);
        const std::string heading = c.header.empty() ? "(no heading)" : c.header;
        ImGui::Text("%s  %s", c.letter.c_str(), heading.c_str());
        ImGui::PopTextWrapPos();
        if (!c.note.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", c.note.c_str());
        ImGui::TableNextColumn();
        ImGui::PushTextWrapPos(0.0f);
        if (c.filled == 0) ImGui::TextDisabled("empty");
        else ImGui::Text("%s  (%zu %s)", c.sample.c_str(), c.filled, c.filled == 1 ? "row" : "rows");
        ImGui::PopTextWrapPos();
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(c.index));
        ImGui::SetNextItemWidth(-1);
        std::string current = c.target.kind == domain::ColumnTarget::Kind::Field ? std::string(domain::to_string(c.target.field))
                              : c.target.kind == domain::ColumnTarget::Kind::Extra ? "Keep as its own field"
                                                                                    : "Don't import";
        const std::string map_label = "map " + (c.header.empty() ? c.letter : c.header);
        if (ImGui::BeginCombo("##target", current.c_str(), ImGuiComboFlags_HeightLarge)) {
            std::optional<domain::ColumnTarget> picked;
            // The two choices that are not fields first, so they are never below the fold.
            if (selectable(f, "Keep as its own field##field", c.target.kind == domain::ColumnTarget::Kind::Extra))
                picked = domain::ColumnTarget::to_extra(c.header.empty() ? "Column " + c.letter : c.header);
            track(f, "field Keep as its own field");
            if (selectable(f, "Don't import##field", c.target.kind == domain::ColumnTarget::Kind::Ignore))
                picked = domain::ColumnTarget::ignore();
            track(f, "field Don't import");
            ImGui::Separator();
            for (const auto field : fields) {
                const bool selected = c.target.kind == domain::ColumnTarget::Kind::Field && c.target.field == field;
                const std::string name(domain::to_string(field));
                if (selectable(f, (name + "##field").c_str(), selected)) picked = domain::ColumnTarget::to_field(field);
                track(f, "field " + name);
            }
            ImGui::EndCombo();
            if (picked && !(*picked == c.target)) {
                // A field another column had goes to this one; that column is kept as its own field.
                if (picked->kind == domain::ColumnTarget::Kind::Field) {
                    for (const auto& other : p.columns) {
                        if (other.index == c.index || other.target.kind != domain::ColumnTarget::Kind::Field) continue;
                        auto slot = [](domain::ChronologyColumn x) {
                            return x == domain::ChronologyColumn::DateTime ? domain::ChronologyColumn::Date : x;
                        };
                        if (slot(other.target.field) != slot(picked->field)) continue;
                        set_choice(other.index, domain::ColumnTarget::to_extra(other.header.empty() ? "Column " + other.letter : other.header));
                    }
                }
                set_choice(c.index, *picked);
                changed = true;
            }
        }
        track(f, map_label);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", c.chosen       ? "Your choice."
                                    : c.recognised ? "Chosen from the column's heading."
                                    : c.target.kind == domain::ColumnTarget::Kind::Extra
                                        ? "The heading is not one imrdesk knows: the column is kept on each entry as a field of its own. Choose a field if it is one."
                                        : "Not imported.");
        ImGui::PopID();
    }
    ImGui::EndTable();
    return changed;
}

void ImportDialog::set_choice(std::size_t index, const domain::ColumnTarget& target) {
    for (auto& [i, t] : choices_)
        if (i == index) {
            t = target;
            return;
        }
    choices_.emplace_back(index, target);
}

void ImportDialog::show_preview(const Frame& f, const client::ImrDocument& doc, float footer) {
    const auto& p = *preview_;
    const std::string unit = p.unit == "row" ? "Row" : "Line";
    ImGui::PushFont(f.fonts.bold);
    const std::size_t invalid = p.errors.size();
    if (p.importable())
        wrapped(std::to_string(p.row_count) + (p.row_count == 1 ? " row" : " rows") + " in the file: " +
                std::to_string(p.rows.size()) + " valid, " + std::to_string(invalid) + " with problems.");
    else
        wrapped(std::to_string(p.row_count) + (p.row_count == 1 ? " row" : " rows") + " in the file.");
    ImGui::PopFont();
    if (!p.above_header.empty())
        muted(unit + " " + std::to_string(p.header_line) + " holds the headings; " +
              (p.above_header.size() == 1 ? std::string("the row above it (\"") + p.above_header.front() + "\") is a title and is not imported."
                                          : "the " + std::to_string(p.above_header.size()) + " rows above it (\"" +
                                                p.above_header.front() + "\" ...) are titles and are not imported."));
    if (!p.importable()) {
        std::string names;
        for (std::size_t i = 0; i < p.missing.size(); ++i)
            names += std::string(i == 0 ? "" : (i + 1 == p.missing.size() ? " and " : ", ")) + std::string(domain::to_string(p.missing[i]));
        error_text("No column is the " + names + ". Choose which column it is under \"Import as\".");
    }

    const ImGuiStyle& style = ImGui::GetStyle();
    const float errors_needed = p.errors.empty() ? 0.0f
                                                 : ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(std::min<std::size_t>(p.errors.size(), 6) + 1) +
                                                       style.WindowPadding.y * 2;
    const float others = ImGui::GetTextLineHeightWithSpacing() * 2 + ImGui::GetFrameHeightWithSpacing();
    const float room = ImGui::GetContentRegionAvail().y - footer - others;
    const float valid_note = ImGui::GetTextLineHeightWithSpacing() + style.ItemSpacing.y * 2;  // "Every row is valid."
    const float for_columns = std::max(em(6), p.errors.empty() ? room + others - valid_note : room - errors_needed);
    if (show_columns(f, for_columns) && inbox_ == nullptr) {
        start_check(f, doc, false);
        return;
    }

    if (!p.errors.empty()) {
        ImGui::Spacing();
        error_text(std::to_string(p.errors.size()) + (p.errors.size() == 1 ? " row has a problem:" : " rows have problems:"));
        const float left = ImGui::GetContentRegionAvail().y - footer - ImGui::GetFrameHeightWithSpacing();  // the tick box
        ImGui::BeginChild("errors", ImVec2(0, std::max(em(3), std::min(left, errors_needed))), true);
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(p.errors.size()));
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const auto& e = p.errors[static_cast<std::size_t>(i)];
                ImGui::PushTextWrapPos(0.0f);
                ImGui::Text("%s %zu: %s", unit.c_str(), e.line, e.message.c_str());
                ImGui::PopTextWrapPos();
            }
        ImGui::EndChild();
        checkbox(f, "Skip the invalid rows", skip_invalid_);
        if (!skip_invalid_) {
            ImGui::SameLine();
            muted("or correct the file and check it again.");
        }
    } else if (!p.rows.empty()) {
        ImGui::Spacing();
        wrapped("Every row is valid.");
    }
}

void ImportDialog::import(const Frame& f, const client::ImrDocument& doc) {
    auto& app = f.app;
    std::vector<domain::ChronologyEntry> entries;
    entries.reserve(preview_->rows.size());
    for (const auto& row : preview_->rows) entries.push_back(row.entry);
    const std::size_t count = entries.size();
    const std::size_t skipped = preview_->errors.size();
    const std::string file = expand_user_path(path_).filename().string();
    const auto imr = doc.id;
    const bool ok =
        app.apply("Importing the chronology", [&](client::Workspace& ws) { ws.add_entries(imr, std::move(entries)); });
    for (auto& e : entries) wipe_entry(e);
    if (!ok) return;
    std::string notice = "Imported " + std::to_string(count) + (count == 1 ? " entry" : " entries") + " from " + file;
    if (skipped > 0)
        notice += "; " + std::to_string(skipped) + (skipped == 1 ? " invalid row was" : " invalid rows were") + " left out";
    app.notify(notice + ".");
    close();
}

}  // namespace imrdesk::ui
