#pragma once
// The Export dialog: the IMR as Word, the chronology as Excel, Word or CSV; as written or
// anonymised with the names register. The file is made in the background (with progress), written
// atomically with mode 0600, recorded in the audit trail; the dialog says plainly that the file is
// not encrypted, and an anonymised export is refused while the scan finds unregistered names.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "imrdesk/client/exports.hpp"
#include "imrdesk/ui/ui.hpp"

namespace imrdesk::ui {

class ExportDialog {
public:
    ExportDialog();
    ~ExportDialog();
    ExportDialog(const ExportDialog&) = delete;
    ExportDialog& operator=(const ExportDialog&) = delete;

    void open(const client::ImrDocument& doc, client::ExportFormat format);
    // The review team's merged chronology (client::merged_document): the chronology formats only,
    // the Excel rows in the agencies' colours, the audit entry naming the case.
    void open_merged(const client::ImrDocument& merged, std::map<std::string, std::uint32_t> agency_fills);
    void draw(const Frame& f, const client::ImrDocument& doc);
    void wipe() noexcept;

private:
    struct Inbox;
    void suggest_path(const client::ImrDocument& doc);
    void refresh_target();
    void start(const Frame& f, const client::ImrDocument& doc);

    bool open_ = false;
    bool merged_ = false;
    std::map<std::string, std::uint32_t> agency_fills_;
    bool shown_ = false;
    client::ExportFormat format_ = client::ExportFormat::ImrDocx;
    bool anonymised_ = false;
    bool allow_unregistered_ = false;
    std::string path_;
    std::string target_for_;
    bool target_exists_ = false;
    bool path_edited_ = false;  // the author typed a path: a change of format keeps it
    std::string error_;
    std::shared_ptr<Inbox> inbox_;  // the export under way; the job holds a weak reference
};

}  // namespace imrdesk::ui
