#include "view_export.hpp"

#include <array>
#include <atomic>
#include <filesystem>

#include <unistd.h>

#include "imrdesk/client/chronology_source.hpp"
#include "imrdesk/client/names_scan.hpp"
#include "imrdesk/client/spelling.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/docformats/document_writing.hpp"
#include "imrdesk/platform/paths.hpp"
#include "doc_copy.hpp"
#include "view_import.hpp"
#include "view_sync.hpp"  // track_text
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

constexpr const char* kTitle = "Export";

struct Choice {
    client::ExportFormat format;
    const char* label;
};
constexpr std::array<Choice, 4> kChoices{{
    {client::ExportFormat::ImrDocx, "The IMR as a Word document (.docx), with the chronology, for your board"},
    {client::ExportFormat::ChronologyXlsx, "The chronology as an Excel workbook (.xlsx)"},
    {client::ExportFormat::ChronologyDocx, "The chronology as a Word table (.docx)"},
    {client::ExportFormat::ChronologyCsv, "The chronology as CSV"},
}};

bool escape_pressed() { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false); }

void place_modal(float width_em) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(em(width_em), viewport->WorkSize.x * 0.95f), 0));
}

}  // namespace

struct ExportDialog::Inbox {
    std::atomic<std::size_t> done{0};
    std::atomic<std::size_t> total{0};
    bool finished = false;
    std::string file;
    std::string error;     // why nothing was written
    std::string bytes;     // the file, written (and audited) by the UI thread; wiped otherwise
    ~Inbox() { crypto::wipe(bytes); }
};

ExportDialog::ExportDialog() = default;
ExportDialog::~ExportDialog() { wipe(); }

void ExportDialog::open(const client::ImrDocument& doc, client::ExportFormat format) {
    open_ = true;
    merged_ = false;
    agency_fills_.clear();
    format_ = format;
    anonymised_ = false;
    allow_unregistered_ = false;
    path_edited_ = false;
    crypto::wipe(error_);
    suggest_path(doc);
}

void ExportDialog::open_merged(const client::ImrDocument& merged, std::map<std::string, std::uint32_t> agency_fills) {
    open(merged, client::ExportFormat::ChronologyXlsx);
    merged_ = true;
    agency_fills_ = std::move(agency_fills);
    suggest_path(merged);
}

void ExportDialog::suggest_path(const client::ImrDocument& doc) {
    const std::string ref = file_name_part(doc.header.case_info.reference);
    const std::string what = format_ == client::ExportFormat::ImrDocx ? "IMR-" + ref + "-" + file_name_part(doc.header.agency)
                             : merged_                                    ? "merged-chronology-" + ref
                                                                                  : "chronology-" + ref;
    path_ = "~/" + what.substr(0, 80) + (anonymised_ ? "-anonymised" : "") + "." + std::string(client::extension_of(format_));
    target_for_.clear();
}

void ExportDialog::wipe() noexcept {
    open_ = false;
    shown_ = false;
    crypto::wipe(path_);
    crypto::wipe(target_for_);
    crypto::wipe(error_);
    inbox_.reset();  // a running export finishes, and its result is dropped
    target_exists_ = false;
}

void ExportDialog::refresh_target() {
    if (target_for_ == path_) return;
    target_for_ = path_;
    std::error_code ec;
    const auto path = expand_user_path(path_);
    target_exists_ = !path.empty() && std::filesystem::exists(path, ec);
}

void ExportDialog::start(const Frame& f, const client::ImrDocument& doc) {
    auto& app = f.app;
    crypto::wipe(error_);
    if (!app.flush()) {  // what is exported is what is saved
        error_ = "Not exported: an edit could not be saved first (" + app.save_error() + ").";
        return;
    }
    // Said before the work starts, in the author's terms.
    const auto target = expand_user_path(path_);
    std::error_code ec;
    if (target.empty() || target.filename().empty() || std::filesystem::is_directory(target, ec)) {
        error_ = "Not exported: type a file name to save as, such as ~/chronology." + std::string(client::extension_of(format_)) + ".";
        return;
    }
    const auto folder = target.has_parent_path() ? target.parent_path() : std::filesystem::current_path(ec);
    if (!std::filesystem::is_directory(folder, ec)) {
        error_ = "Not exported: the folder " + folder.string() + " does not exist. Choose another folder, or create it first.";
        return;
    }
    if (::access(folder.c_str(), W_OK) != 0) {
        error_ = "Not exported: you cannot save files in " + folder.string() + ". Choose another folder.";
        return;
    }
    auto inbox = std::make_shared<Inbox>();
    inbox_ = inbox;
    const std::weak_ptr<Inbox> weak = inbox;
    auto copy = std::make_shared<DocCopy>(doc);
    const auto format = format_;
    const bool anonymised = anonymised_, allow = allow_unregistered_;
    const std::string marking = app.settings().protective_marking;
    auto job = [weak, copy, format, anonymised, allow, marking, fills = agency_fills_]() -> client::TaskRunner::Continuation {
        auto result = std::make_shared<Inbox>();
        try {
            if (anonymised && !allow) {
                std::function<bool(std::string_view)> known;
                std::shared_ptr<client::SpellChecker> checker;
                try {
                    checker = std::make_shared<client::SpellChecker>();
                    known = [checker](std::string_view w) { return checker->known(w); };
                } catch (const std::exception&) {
                }
                auto findings = client::scan_names(copy->doc, domain::ImrTemplate::builtin(), known);
                std::erase_if(findings, [](const client::NameFinding& x) { return x.registered; });
                const auto proposed = client::proposed_names(copy->doc);
                if (!findings.empty() || !proposed.empty()) {
                    const std::string first = !proposed.empty() ? "the adult '" + proposed.front().real_name + "'"
                                                                : "'" + findings.front().text + "' in " + findings.front().label;
                    result->error = std::to_string(findings.size() + proposed.size()) +
                                    " likely names are not in the names register (the first: " + first +
                                    "). Register them in Names, or tick \"Export even so\" if they are not names.";
                }
            }
            if (result->error.empty()) {
                client::ExportOptions options;
                options.anonymised = anonymised;
                options.marking = marking;
                options.agency_fills = fills;
                options.progress = [weak](std::size_t done, std::size_t total) {
                    if (auto box = weak.lock()) {
                        box->done = done;
                        box->total = total;
                    }
                };
                result->bytes = client::export_bytes(copy->doc, domain::ImrTemplate::builtin(), format, options);
            }
        } catch (const std::exception& e) {
            result->error = std::string("Not exported: ") + e.what() + ".";
        }
        // A lock meanwhile drops the dialog's inbox: the bytes are then wiped with the result.
        return [weak, result] {
            if (auto box = weak.lock()) {
                box->error = std::move(result->error);
                box->bytes = std::move(result->bytes);
                box->finished = true;
            }
        };
    };
    app.tasks().post(std::string("Exporting ") + std::string(client::describe(format)), std::move(job));
}

void ExportDialog::draw(const Frame& f, const client::ImrDocument& doc) {
    if (open_) {
        ImGui::OpenPopup(kTitle);
        open_ = false;
        shown_ = true;
    }
    place_modal(50);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize;
    if (!ImGui::BeginPopupModal(kTitle, nullptr, flags)) return;
    if (!shown_) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    auto& app = f.app;
    // A finished export is written and recorded in the audit trail here, on the UI thread that owns
    // the vault, so no file leaves without its audit entry.
    if (inbox_ && inbox_->finished) {
        const auto box = inbox_;
        inbox_.reset();
        box->file = expand_user_path(path_).string();
        if (box->error.empty()) {
            try {
                (void)client::deliver_export(app.workspace(), doc, format_, anonymised_, box->bytes,
                                             client::ExportDestination::to_file(box->file));
            } catch (const std::exception& e) {
                box->error = std::string("Not exported: ") + e.what() + ".";
            }
        }
        crypto::wipe(box->bytes);
        if (box->error.empty()) {
            app.notify("Exported " + std::string(client::describe(format_)) + (anonymised_ ? " (anonymised)" : "") + " to " +
                       box->file + ". The file is not encrypted: delete it when it is no longer needed.");
            wipe();
            ImGui::CloseCurrentPopup();
            ImGui::EndPopup();
            return;
        }
        error_ = box->error;
    }
    const bool running = inbox_ != nullptr;

    ImGui::PushFont(f.fonts.bold);
    error_text("The exported file is NOT encrypted.");
    ImGui::PopFont();
    wrapped("Anyone who can open it can read it. Save it only where your agency allows, never on a shared drive or a USB "
            "stick, and delete it when it is no longer needed.");
    ImGui::Spacing();
    ImGui::BeginDisabled(running);
    ImGui::TextUnformatted("What to export");
    for (const auto& c : kChoices) {
        if (merged_ && c.format == client::ExportFormat::ImrDocx) continue;  // no one IMR to export
        if (ImGui::RadioButton(c.label, format_ == c.format) && format_ != c.format) {
            format_ = c.format;
            crypto::wipe(error_);
            if (!path_edited_) suggest_path(doc);
        }
        track(f, std::string("export ") + std::string(client::extension_of(c.format)) +
                     (c.format == client::ExportFormat::ChronologyDocx ? " chronology" : ""));
    }
    ImGui::Spacing();
    if (checkbox(f, "Anonymised: every registered name replaced by its pseudonym", anonymised_) && !path_edited_)
        suggest_path(doc);
    ImGui::Indent();
    if (anonymised_) {
        muted(std::to_string(doc.names.size()) + (doc.names.size() == 1 ? " name is" : " names are") +
              " in the names register. The export is refused while likely names are not registered.");
        checkbox(f, "Export even so (the names found are not names)", allow_unregistered_);
    } else {
        muted("As written: real names stay in the file.");
    }
    ImGui::Unindent();
    ImGui::Spacing();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Save as");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool entered = input_text(f, "##export_path", path_, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemEdited()) {
        path_edited_ = true;
        crypto::wipe(error_);  // the message was about the path as it was
    }
    track(f, "Export path");
    ImGui::EndDisabled();
    refresh_target();
    const auto target = expand_user_path(path_);
    if (!target.empty() && target.string() != path_) muted("The file: " + target.string());
    if (target_exists_) error_text("A file with this name exists: exporting replaces it.");
    if (!error_.empty()) {
        error_text(error_);
        track_text(f, "export error", error_);
    }
    if (running) {
        const std::size_t total = inbox_->total, done = inbox_->done;
        ImGui::ProgressBar(total > 0 ? static_cast<float>(done) / static_cast<float>(total) : 0.0f, ImVec2(-1, 0),
                           total > 0 ? (std::to_string(done) + " of " + std::to_string(total) + " entries").c_str() : "Writing ...");
    }
    ImGui::Spacing();
    const bool chronology_only = format_ != client::ExportFormat::ImrDocx;
    const bool nothing = chronology_only && doc.entries.empty();
    ImGui::BeginDisabled(running || nothing || target.empty());
    if (primary_button(f, "Export###Export now") || (entered && !running && !nothing)) start(f, doc);
    track(f, "Export now");
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(running);  // the export is recorded in the audit trail when it ends: wait for it
    if (button(f, "Cancel") || (!running && escape_pressed())) {
        wipe();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    if (nothing) muted("The chronology has no entries yet.");
    ImGui::EndPopup();
}

}  // namespace imrdesk::ui
