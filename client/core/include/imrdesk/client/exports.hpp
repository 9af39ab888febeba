#pragma once
// What leaves imrdesk: the IMR as an editable Word document, and the chronology as Excel, Word,
// CSV or JSON, each optionally anonymised with the IMR's names register. Every piece of text goes
// through one filter (the pseudonymiser, when anonymised), in the body, tables, headers, footers,
// document properties and sheet names alike. Files are written atomically, mode 0600, and each
// export is recorded in the profile's audit trail.
#include <cstddef>
#include <filesystem>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/client/workspace.hpp"
#include "imrdesk/shared/imr_template.hpp"

namespace imrdesk::client {

inline constexpr const char* kDefaultMarking = "OFFICIAL-SENSITIVE";

enum class ExportFormat { ImrDocx, ChronologyXlsx, ChronologyDocx, ChronologyCsv, ChronologyJson };
[[nodiscard]] std::string_view extension_of(ExportFormat format) noexcept;  // "docx", "xlsx" ...
[[nodiscard]] std::string_view describe(ExportFormat format) noexcept;      // "the IMR as a Word document" ...

struct ExportOptions {
    bool anonymised = false;             // replace every registered name with its pseudonym
    std::string marking = kDefaultMarking;  // the protective marking at the top of every page
    // Called now and then with work done out of total (entries written), for a progress bar.
    std::function<void(std::size_t done, std::size_t total)> progress;
    // The chronology in Excel: the Agency cell of each row in its agency's colour (white bold text
    // on the fill; the merged chronology passes the review team's colours, light theme).
    std::map<std::string, std::uint32_t> agency_fills;
};

// The bytes of the export. Throws docformats::DocumentWriteError when a writer fails.
[[nodiscard]] std::string export_bytes(const ImrDocument& doc, const domain::ImrTemplate& imr_template,
                                       ExportFormat format, const ExportOptions& options);

// The chronology entry numbers used in print ("C1", "C2" ... in chronological order), by id.
[[nodiscard]] std::string entry_number(const ImrDocument& doc, const domain::Id& entry);

// Writes the export to `path` atomically with mode 0600 and records it in the audit trail (what,
// where, anonymised or not). Returns the number of bytes written.
std::size_t write_export(Workspace& workspace, const ImrDocument& doc, const domain::ImrTemplate& imr_template,
                         ExportFormat format, const ExportOptions& options, const std::filesystem::path& path);

}  // namespace imrdesk::client
