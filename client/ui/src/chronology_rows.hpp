#pragma once
// The chronology table's columns and cell texts, shared by its two layouts, and the reading
// layout's row heights: each row as tall as its longest cell wrapped to its column. Heights are
// measured once per font, column width and entry text (an edit measures the one entry again), so
// ten thousand rows still draw in a couple of milliseconds: only the rows in view are laid out.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "imrdesk/client/workspace.hpp"

namespace imrdesk::ui {

enum Column : int { ColDate, ColTime, ColAgency, ColContact, ColSource, ColEvent, ColAction, ColRole, ColComment, ColFlags, ColCount };

// The compact form of a date for the table: "14/03/2019", "03/2019", "c. 2018", or "(invalid)".
[[nodiscard]] std::string typed_date(const domain::PartialDate& date);

// The whole text of one cell. Date, Time, Action / outcome and Flags are built into `scratch`;
// the other columns return a view of the entry's own text.
[[nodiscard]] std::string_view cell_string(const domain::ChronologyEntry& e, Column column, std::string& scratch);

class RowHeights {
public:
    using Widths = std::array<float, ColCount>;  // each column's text width; 0: hidden

    // Measures again what the font, the widths or the entries changed. `entries_changed` says
    // the entries may differ from the last call (an edit, an import, a sync).
    void update(const std::vector<client::Stored<domain::ChronologyEntry>>& entries, bool entries_changed,
                const Widths& widths);
    // The offsets of the rows shown, indices into the entries, in the order shown.
    void layout(const std::vector<std::size_t>& rows);

    // Row r's top (0: the first row), its height with the cell padding, and all rows' height.
    [[nodiscard]] float top(std::size_t r) const { return tops_[r]; }
    [[nodiscard]] float height(std::size_t r) const { return tops_[r + 1] - tops_[r]; }
    [[nodiscard]] float total() const { return tops_.empty() ? 0.0f : tops_.back(); }
    // The rows [first, last) that reach into [y0, y1), measured like top().
    [[nodiscard]] std::pair<std::size_t, std::size_t> within(float y0, float y1) const;
    // Per column, the mean unwrapped width of its texts in font units (each counted up to 60),
    // and the width of its longest word (up to 9): what the column needs to read well.
    [[nodiscard]] const std::array<float, ColCount>& mean_width_em() const { return mean_em_; }
    [[nodiscard]] const std::array<float, ColCount>& word_width_em() const { return word_em_; }
    // Counts the times mean_width_em() was measured.
    [[nodiscard]] std::uint32_t means_version() const { return means_version_; }
    // Whether update() measured anything since the last layout().
    [[nodiscard]] bool changed() const { return changed_; }
    // Entries measured (wrapped) by the last update(), for the benchmark.
    [[nodiscard]] std::size_t last_measured() const { return last_measured_; }

    void clear();

private:
    struct Measured {
        std::array<float, ColCount> natural{};  // the unwrapped width; a huge value for text with line breaks
        std::array<float, ColCount> word{};     // the width of the longest word (by bytes)
        float content = 0;                      // the row's content height at `generation`
        std::uint32_t generation = 0;
    };

    float font_ = 0;
    float padding_ = 0;
    Widths widths_{};
    std::uint32_t generation_ = 1;  // the font and widths the heights are measured at
    std::vector<std::uint64_t> content_;                    // per entry: a hash of its cell texts
    std::unordered_map<std::uint64_t, Measured> measured_;  // by that hash
    std::vector<float> entry_height_;                        // per entry: content + padding
    std::vector<float> tops_;                                // per row shown, and the end
    std::array<float, ColCount> mean_em_{};
    std::array<float, ColCount> word_em_{};
    std::uint32_t means_version_ = 0;
    std::string scratch_;
    bool changed_ = true;
    std::size_t last_measured_ = 0;
};

}  // namespace imrdesk::ui
