#pragma once
// What leaves imrdesk: the IMR as an editable Word document, and the chronology as Excel, Word,
// CSV or JSON, each optionally anonymised with the IMR's names register. Every piece of text goes
// through one filter (the pseudonymiser, when anonymised), in the body, tables, headers, footers,
// document properties and sheet names alike. Files are written atomically, mode 0600, and each
// export is recorded in the profile's audit trail.
#include <cstddef>
#include <cstdio>
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

// Where an export goes: a file (written atomically, mode 0600) or a stream (the CLI's standard
// output).
struct ExportDestination {
    std::filesystem::path file;  // empty: `stream`
    std::FILE* stream = nullptr;
    [[nodiscard]] static ExportDestination to_file(std::filesystem::path path) { return {std::move(path), nullptr}; }
    [[nodiscard]] static ExportDestination to_stream(std::FILE* out) { return {{}, out}; }
};

// The one way an export leaves the vault, for the app and the CLI alike: writes `bytes` (made by
// export_bytes; wiped here whatever happens) and records it in the audit trail (what, where,
// anonymised or not, the IMR or the case). A file is recorded once it is in place (a failed atomic
// write leaves nothing behind); a stream is recorded before it is written, since a write that
// fails half way has already let bytes out. Throws std::runtime_error naming the destination.
// Returns the number of bytes.
std::size_t deliver_export(Workspace& workspace, const ImrDocument& doc, ExportFormat format, bool anonymised,
                           std::string& bytes, const ExportDestination& to);

// export_bytes, then deliver_export to `path`.
std::size_t write_export(Workspace& workspace, const ImrDocument& doc, const domain::ImrTemplate& imr_template,
                         ExportFormat format, const ExportOptions& options, const std::filesystem::path& path);

}  // namespace imrdesk::client
