#pragma once
// The chronology's import and export dialogs. Import: a typed or pasted path (CSV or .xlsx), a check
// in the background that shows how the file was read, every column with the field it goes to (the
// author can change each), and every invalid row, and nothing written until the author
// confirms. Export: a path and a plain warning that the file is not encrypted.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "imrdesk/shared/chronology_csv.hpp"
#include "imrdesk/ui/ui.hpp"

namespace imrdesk::ui {

// Files bigger than this are refused before they are read.
inline constexpr std::uintmax_t kMaxImportBytes = 64u * 1024u * 1024u;

// What the author typed or pasted as a path: spaces and quotes around it removed, a file:// URL
// decoded, and "~" or "~/..." expanded to $HOME.
[[nodiscard]] std::filesystem::path expand_user_path(std::string_view typed);

// A file name part made of the case reference: "SAR 2026/03" -> "SAR-2026-03".
[[nodiscard]] std::string file_name_part(std::string_view text);

// Wipes every string of an entry (lock).
void wipe_entry(domain::ChronologyEntry& entry) noexcept;

class ImportDialog {
public:
    ImportDialog();
    ~ImportDialog();
    ImportDialog(const ImportDialog&) = delete;
    ImportDialog& operator=(const ImportDialog&) = delete;

    void open() { open_ = true; }
    void draw(const Frame& f, const client::ImrDocument& doc);
    void wipe() noexcept;

private:
    struct Source;
    struct Checked;
    struct Inbox;
    void check(const Frame& f, const client::ImrDocument& doc);
    // Previews in the background: the file read again (reread), or the one read with new column choices.
    void start_check(const Frame& f, const client::ImrDocument& doc, bool reread);
    void show_source(const Frame& f, const client::ImrDocument& doc);
    bool show_columns(const Frame& f, float height);
    void show_preview(const Frame& f, const client::ImrDocument& doc, float footer);
    void set_choice(std::size_t index, const domain::ColumnTarget& target);
    void import(const Frame& f, const client::ImrDocument& doc);
    void close();

    bool open_ = false;   // open the popup in the next draw
    bool shown_ = false;  // the popup is open (a lock closes it)
    std::string path_;
    std::string checked_path_;  // the path the preview was made from
    std::shared_ptr<Inbox> inbox_;  // the check under way; the job holds a weak reference
    std::string error_;
    std::optional<domain::ImportPreview> preview_;
    std::shared_ptr<Source> source_;  // the file as read, for previews with other column choices
    std::vector<std::pair<std::size_t, domain::ColumnTarget>> choices_;  // the author's, by column
    int encoding_ = 0;   // index into the encoding choices: 0 detects
    int delimiter_ = 0;  // index into the separator choices: 0 detects
    std::string sheet_;  // empty: the first worksheet
    bool skip_invalid_ = false;
};

}  // namespace imrdesk::ui
