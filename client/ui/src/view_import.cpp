// The chronology's CSV dialogs: import (checked in the background, previewed, confirmed) and
// export (to a path the author types, with a warning that the file is not encrypted).
#include "view_import.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>

#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/platform/paths.hpp"
#include "imrdesk/shared/utf8.hpp"
#include "widgets.hpp"

namespace imrdesk::ui {

namespace {

constexpr const char* kImportTitle = "Import a chronology from a CSV file";
constexpr const char* kExportTitle = "Export the chronology to a CSV file";

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

std::string megabytes(std::uintmax_t bytes) {
    const auto tenths = bytes * 10 / (1024 * 1024);
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MiB";
}

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

void wipe_entry(domain::ChronologyEntry& entry) noexcept {
    for (auto* s : {&entry.source, &entry.event, &entry.action, &entry.rationale, &entry.outcome, &entry.practitioner_role,
                    &entry.comment})
        crypto::wipe(*s);
    entry.tor_questions.clear();
    entry.principles.clear();
    entry.extra = nlohmann::json::object();
}

// ---- import ------------------------------------------------------------------------------------

// What a check of a file found: an error that stops the import, or a preview.
struct ImportDialog::Checked {
    std::string error;
    std::optional<domain::ImportPreview> preview;

    void wipe() noexcept {
        crypto::wipe(error);
        if (preview) {
            for (auto& row : preview->rows) wipe_entry(row.entry);
            for (auto& e : preview->errors) crypto::wipe(e.message);
            for (auto& h : preview->ignored_headers) crypto::wipe(h);
            preview.reset();
        }
    }
};

// Where the background check leaves its result. The dialog owns it; the job only holds a weak
// reference, so a result that arrives after a lock (or after the window closed) is wiped, not kept.
struct ImportDialog::Inbox {
    std::optional<Checked> result;
};

namespace {

// Runs on the worker thread: reads the file with every limit checked, then previews it.
domain::ImportPreview read_and_preview(const std::filesystem::path& path, const domain::CaseInfo& case_info,
                                       std::string& error) {
    namespace fs = std::filesystem;
    if (path.empty()) {
        error = "Type the path of a CSV file first.";
        return {};
    }
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        error = "There is no file at " + path.string() + ". Check the spelling, or copy the path from your file manager.";
        return {};
    }
    if (fs::is_directory(status)) {
        error = path.string() + " is a folder. Give the path of the CSV file inside it.";
        return {};
    }
    if (!fs::is_regular_file(status)) {
        error = path.string() + " is not a regular file.";
        return {};
    }
    const auto size = fs::file_size(path, ec);
    if (ec) {
        error = "Cannot read " + path.string() + ": " + ec.message() + ".";
        return {};
    }
    if (size > kMaxImportBytes) {
        error = "The file is " + megabytes(size) +
                ": files over 64 MiB are refused. Split it into smaller files, or export fewer columns.";
        return {};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "Cannot open " + path.string() + ". Check that you are allowed to read it.";
        return {};
    }
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
    if (in.bad()) {
        crypto::wipe(text);
        error = "Cannot read " + path.string() + ": the read failed.";
        return {};
    }
    if (const auto bad = text::first_invalid_utf8(text)) {
        const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(*bad), '\n');
        crypto::wipe(text);
        error = "The file is not UTF-8 text (the first problem is on line " + std::to_string(line) +
                "). In your spreadsheet, save it as \"CSV UTF-8\" and check it again.";
        return {};
    }
    try {
        auto preview = domain::preview_chronology_csv(text, case_info);
        crypto::wipe(text);
        return preview;
    } catch (const domain::ImportError& e) {
        error = std::string("This file cannot be imported: ") + e.what() + ".";
    } catch (const std::exception& e) {
        error = std::string("This file cannot be read: ") + e.what() + ".";
    }
    crypto::wipe(text);
    return {};
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
    if (inbox_ && inbox_->result) inbox_->result->wipe();
    inbox_.reset();
    if (preview_) {
        Checked c{{}, std::move(preview_)};
        c.wipe();
    }
    preview_.reset();
    skip_invalid_ = false;
}

void ImportDialog::close() {
    const std::string keep_path = path_;  // the next import is often from the same folder
    wipe();
    path_ = keep_path;
    ImGui::CloseCurrentPopup();
}

void ImportDialog::check(const Frame& f, const client::ImrDocument& doc) {
    if (preview_) {
        Checked old{{}, std::move(preview_)};
        old.wipe();
        preview_.reset();
    }
    crypto::wipe(error_);
    skip_invalid_ = false;
    checked_path_ = path_;
    auto inbox = std::make_shared<Inbox>();
    inbox_ = inbox;
    const std::weak_ptr<Inbox> weak = inbox;
    auto job = [weak, path = expand_user_path(path_), case_info = doc.header.case_info]() -> client::TaskRunner::Continuation {
        auto result = std::make_shared<Checked>();
        auto preview = read_and_preview(path, case_info, result->error);
        if (result->error.empty()) result->preview = std::move(preview);
        return [weak, result] {
            if (auto box = weak.lock()) box->result = std::move(*result);
            else result->wipe();
        };
    };
    f.app.tasks().post("Checking the CSV file", std::move(job));
}

void ImportDialog::draw(const Frame& f, const client::ImrDocument& doc) {
    if (open_) {
        ImGui::OpenPopup(kImportTitle);
        open_ = false;
        shown_ = true;
    }
    place_modal(52, 36);
    if (!ImGui::BeginPopupModal(kImportTitle, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
    if (!shown_) {  // wiped by a lock while open: it does not come back empty after unlocking
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    if (inbox_ && inbox_->result) {
        error_ = std::move(inbox_->result->error);
        preview_ = std::move(inbox_->result->preview);
        inbox_.reset();
    }
    const bool checking = inbox_ != nullptr;

    wrapped("Import the chronology your records system exported as a spreadsheet (CSV). The file needs a header row "
            "with at least a Date, a Source and an Event column. Nothing is added until you confirm.");
    ImGui::Spacing();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("File");
    ImGui::SameLine();
    const float check_width = ImGui::CalcTextSize("Check file").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - check_width - ImGui::GetStyle().ItemSpacing.x);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool entered =
        input_text(f, "##import_path", path_, ImGuiInputTextFlags_EnterReturnsTrue, "~/Documents/chronology.csv");
    track(f, "Import path");
    ImGui::SameLine();
    ImGui::BeginDisabled(checking || expand_user_path(path_).empty());
    if (button(f, "Check file") || (entered && !checking && !expand_user_path(path_).empty())) check(f, doc);
    ImGui::EndDisabled();
    muted("Type or paste the full path of the file. ~/ means your home folder.");
    if (preview_ && path_ != checked_path_) muted("The path has changed since the check: check the file again before importing.");
    ImGui::Separator();

    const float footer = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
    if (checking) {
        spinner("Checking the file ...");
    } else if (!error_.empty()) {
        error_text(error_);
    } else if (preview_) {
        show_preview(f, footer);
    }

    // The footer stays at the bottom of the dialog.
    const float bottom = ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - ImGui::GetFrameHeight();
    if (ImGui::GetCursorPosY() < bottom) ImGui::SetCursorPosY(bottom);
    const std::size_t valid = preview_ ? preview_->rows.size() : 0;
    const bool can_import = preview_ && path_ == checked_path_ && valid > 0 && (preview_->all_valid() || skip_invalid_) &&
                            !doc.read_only() && !checking;
    ImGui::BeginDisabled(!can_import);
    const std::string label = "Import " + std::to_string(valid) + (valid == 1 ? " entry" : " entries") + "###Import entries";
    if (primary_button(f, label.c_str())) import(f, doc);
    track(f, "Import entries");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (button(f, "Cancel") || escape_pressed()) close();
    ImGui::EndPopup();
}

void ImportDialog::show_preview(const Frame& f, float footer) {
    const auto& p = *preview_;
    ImGui::PushFont(f.fonts.bold);
    const std::size_t invalid = p.row_count - std::min(p.row_count, p.rows.size());
    wrapped(std::to_string(p.row_count) + (p.row_count == 1 ? " row" : " rows") + " in the file: " +
            std::to_string(p.rows.size()) + " valid, " + std::to_string(invalid) + " with problems.");
    ImGui::PopFont();

    // How the columns were understood, then every invalid row. The two lists share the room;
    // each gets what it needs when both fit.
    const ImGuiStyle& style = ImGui::GetStyle();
    const std::size_t mapped = p.columns.size() + p.ignored_headers.size() + 1;  // + the header row
    const float row = ImGui::GetTextLineHeight() + style.CellPadding.y * 2;
    const float columns_needed = row * static_cast<float>(mapped) + em(0.5f);
    const float errors_needed = p.errors.empty() ? 0.0f
                                                 : ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(p.errors.size()) +
                                                       style.WindowPadding.y * 2;
    const float others = ImGui::GetTextLineHeightWithSpacing() * 2 + ImGui::GetFrameHeightWithSpacing();
    const float room = ImGui::GetContentRegionAvail().y - footer - others;  // less the notes and the tick box
    const float for_columns = std::max(room - errors_needed, std::min(columns_needed, std::max(em(5), room * 0.4f)));
    const bool scroll = columns_needed > for_columns;  // else the table takes just the height of its rows
    const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | (scroll ? ImGuiTableFlags_ScrollY : 0);
    if (ImGui::BeginTable("columns", 2, flags, ImVec2(0, scroll ? for_columns : 0.0f))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Column in the file");
        ImGui::TableSetupColumn("Imported as");
        ImGui::TableHeadersRow();
        for (const auto& c : p.columns) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.header.c_str());
            ImGui::TableNextColumn();
            const auto name = domain::to_string(c.column);
            ImGui::TextUnformatted(name.data(), name.data() + name.size());
        }
        for (const auto& h : p.ignored_headers) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(h.c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("not imported");
        }
        ImGui::EndTable();
    }
    if (!p.ignored_headers.empty())
        muted(std::to_string(p.ignored_headers.size()) +
              (p.ignored_headers.size() == 1 ? " column was not recognised: its data is left out."
                                             : " columns were not recognised: their data is left out."));

    if (!p.errors.empty()) {
        ImGui::Spacing();
        error_text(std::to_string(p.errors.size()) + (p.errors.size() == 1 ? " row has a problem:" : " rows have problems:"));
        const float left = ImGui::GetContentRegionAvail().y - footer - ImGui::GetFrameHeightWithSpacing();  // the tick box
        ImGui::BeginChild("errors", ImVec2(0, std::max(em(4), std::min(left, errors_needed))), true);
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(p.errors.size()));
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const auto& e = p.errors[static_cast<std::size_t>(i)];
                ImGui::PushTextWrapPos(0.0f);
                ImGui::Text("Line %zu: %s", e.line, e.message.c_str());
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

// ---- export ------------------------------------------------------------------------------------

void ExportDialog::open(const client::ImrDocument& doc) {
    open_ = true;
    crypto::wipe(error_);
    path_ = "~/chronology-" + file_name_part(doc.header.case_info.reference) + ".csv";
    target_for_.clear();
}

void ExportDialog::wipe() noexcept {
    open_ = false;
    shown_ = false;
    crypto::wipe(path_);
    crypto::wipe(target_for_);
    crypto::wipe(error_);
    target_exists_ = false;
}

void ExportDialog::refresh_target() {
    if (target_for_ == path_) return;
    target_for_ = path_;
    std::error_code ec;
    const auto path = expand_user_path(path_);
    target_exists_ = !path.empty() && std::filesystem::exists(path, ec);
}

void ExportDialog::draw(const Frame& f, const client::ImrDocument& doc) {
    if (open_) {
        ImGui::OpenPopup(kExportTitle);
        open_ = false;
        shown_ = true;
    }
    place_modal(44, 0);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize;
    if (!ImGui::BeginPopupModal(kExportTitle, nullptr, flags)) return;
    if (!shown_) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    ImGui::PushFont(f.fonts.bold);
    error_text("The exported file is NOT encrypted.");
    ImGui::PopFont();
    wrapped("Anyone who can open it can read the whole chronology. Save it only where your agency allows, never on a "
            "shared drive or a USB stick, and delete it when it is no longer needed.");
    ImGui::Spacing();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Save as");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool entered = input_text(f, "##export_path", path_, ImGuiInputTextFlags_EnterReturnsTrue);
    track(f, "Export path");
    refresh_target();
    const auto target = expand_user_path(path_);
    if (!target.empty() && target.string() != path_) muted("The file: " + target.string());
    if (target_exists_) error_text("A file with this name exists: exporting replaces it.");
    if (!error_.empty()) error_text(error_);
    ImGui::Spacing();
    const std::size_t n = doc.entries.size();
    ImGui::BeginDisabled(n == 0 || expand_user_path(path_).empty());
    const std::string label = "Export " + std::to_string(n) + (n == 1 ? " entry" : " entries") + "###Export entries";
    if (primary_button(f, label.c_str()) || (entered && n > 0)) write(f, doc);
    track(f, "Export entries");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (button(f, "Cancel") || escape_pressed()) {
        wipe();
        ImGui::CloseCurrentPopup();
    }
    if (n == 0) muted("The chronology has no entries yet.");
    ImGui::EndPopup();
}

void ExportDialog::write(const Frame& f, const client::ImrDocument& doc) {
    auto& app = f.app;
    const auto path = expand_user_path(path_);
    std::vector<domain::ChronologyEntry> entries;
    std::string csv;
    try {
        // What is exported is what is saved: pending edits first.
        if (!app.flush()) throw std::runtime_error("an edit could not be saved first (" + app.save_error() + ")");
        entries.reserve(doc.entries.size());
        for (const auto& e : doc.entries) entries.push_back(e.value);
        csv = domain::export_chronology_csv(entries);
        platform::write_file_atomically(path, csv);
        app.workspace().vault().audit("chronology.exported",
                                      {{"imr", doc.id.hex()}, {"entries", entries.size()}, {"file", path.string()}});
        app.notify("Exported " + std::to_string(entries.size()) + " entries to " + path.string() +
                   ". The file is not encrypted: delete it when it is no longer needed.");
        wipe();
        ImGui::CloseCurrentPopup();
    } catch (const std::exception& e) {
        error_ = std::string("Not exported: ") + e.what();
    }
    crypto::wipe(csv);
    for (auto& e : entries) wipe_entry(e);
}

}  // namespace imrdesk::ui
