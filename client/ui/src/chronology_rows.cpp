#include "chronology_rows.hpp"

#include <algorithm>
#include <cfloat>
#include <functional>

#include <imgui.h>

#include "chronology_panel.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::ui {

std::string typed_date(const domain::PartialDate& date) {
    try {
        return date.typed();
    } catch (const domain::DateError&) {
        return "(invalid)";
    }
}

std::string_view cell_string(const domain::ChronologyEntry& e, Column column, std::string& scratch) {
    switch (column) {
        case ColDate:
            crypto::wipe(scratch);
            scratch = typed_date(e.date);
            return scratch;
        case ColTime:
            scratch.clear();
            if (e.time) scratch = e.time->text();
            return scratch;
        case ColAgency: return e.agency;
        case ColContact: return e.contact_type;
        case ColSource: return e.source;
        case ColEvent: return e.event;
        case ColAction:
            if (e.action.empty() || e.outcome.empty()) return e.action.empty() ? e.outcome : e.action;
            crypto::wipe(scratch);
            scratch.reserve(e.action.size() + e.outcome.size() + 5);
            scratch = e.action;
            scratch += "\n\xE2\x86\x92 ";  // the outcome on its own line, after an arrow
            scratch += e.outcome;
            return scratch;
        case ColRole: return e.practitioner_role;
        case ColComment: return e.comment;
        case ColFlags:
            scratch.clear();
            for (const auto& flag : kFlags)
                if (e.*flag.member) {
                    if (!scratch.empty()) scratch += ' ';
                    scratch += flag.mark[0];
                }
            return scratch;
        case ColCount: break;
    }
    return {};
}

namespace {

// The longest run of bytes between spaces or line breaks.
std::string_view longest_word(std::string_view text) {
    std::string_view best;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i)
        if (i == text.size() || text[i] == ' ' || text[i] == '\n' || text[i] == '\t') {
            if (i - start > best.size()) best = text.substr(start, i - start);
            start = i + 1;
        }
    return best;
}

}  // namespace

void RowHeights::clear() {
    content_.clear();
    content_.shrink_to_fit();
    measured_.clear();
    entry_height_.clear();
    entry_height_.shrink_to_fit();
    tops_.clear();
    tops_.shrink_to_fit();
    crypto::wipe(scratch_);
    mean_em_ = {};
    word_em_ = {};
    font_ = 0;
    changed_ = true;
}

void RowHeights::update(const std::vector<client::Stored<domain::ChronologyEntry>>& entries, bool entries_changed,
                        const Widths& widths) {
    last_measured_ = 0;
    const float font = ImGui::GetFontSize();
    const float padding = ImGui::GetStyle().CellPadding.y;
    if (font != font_ || padding != padding_) {  // every natural width is measured again
        font_ = font;
        padding_ = padding;
        measured_.clear();
        entries_changed = true;
        ++generation_;
    }
    if (widths != widths_) {
        widths_ = widths;
        ++generation_;
    } else if (!entries_changed && entry_height_.size() == entries.size()) {
        return;  // nothing to measure
    }
    changed_ = true;

    if (entries_changed || content_.size() != entries.size()) {
        // Entries keep their measures while their texts stay: an edit measures the one entry.
        std::unordered_map<std::uint64_t, Measured> kept;
        kept.reserve(entries.size());
        content_.resize(entries.size());
        std::array<double, ColCount> sum{};
        std::array<std::vector<float>, ColCount> words;  // per column, each entry's longest word
        for (auto& w : words) w.reserve(entries.size());
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& e = entries[i].value;
            std::uint64_t hash = std::uint64_t{0xcbf29ce484222325};
            for (int c = 0; c < ColCount; ++c) {
                const std::string_view text = cell_string(e, static_cast<Column>(c), scratch_);
                hash = (hash ^ std::hash<std::string_view>{}(text)) * std::uint64_t{0x100000001b3} + static_cast<std::uint64_t>(c);
            }
            content_[i] = hash;
            auto found = kept.find(hash);
            if (found == kept.end()) {
                Measured m;
                if (auto old = measured_.find(hash); old != measured_.end()) {
                    m = old->second;
                } else {
                    for (int c = 0; c < ColCount; ++c) {
                        const std::string_view text = cell_string(e, static_cast<Column>(c), scratch_);
                        const auto k = static_cast<std::size_t>(c);
                        m.natural[k] = text.find('\n') != std::string_view::npos
                                           ? FLT_MAX
                                           : ImGui::CalcTextSize(text.data(), text.data() + text.size()).x;
                        const std::string_view longest = longest_word(text);
                        m.word[k] = longest.size() == text.size() && m.natural[k] != FLT_MAX
                                        ? m.natural[k]
                                        : ImGui::CalcTextSize(longest.data(), longest.data() + longest.size()).x;
                    }
                    m.generation = 0;
                }
                found = kept.emplace(hash, m).first;
            }
            for (std::size_t c = 0; c < ColCount; ++c) {
                sum[c] += static_cast<double>(std::min(found->second.natural[c], 60.0f * font));
                if (found->second.word[c] > 0) words[c].push_back(std::min(found->second.word[c], 9.0f * font));
            }
        }
        measured_ = std::move(kept);
        ++means_version_;
        // The longest word of nine entries in ten: one long web address does not widen a column.
        for (std::size_t c = 0; c < ColCount; ++c) {
            auto& w = words[c];
            if (w.empty()) {
                word_em_[c] = 0;
                continue;
            }
            const auto at = w.begin() + static_cast<std::ptrdiff_t>((w.size() - 1) * 9 / 10);
            std::nth_element(w.begin(), at, w.end());
            word_em_[c] = *at / font;
        }
        for (std::size_t c = 0; c < ColCount; ++c)
            mean_em_[c] = entries.empty() ? 0.0f : static_cast<float>(sum[c] / static_cast<double>(entries.size()) / static_cast<double>(font));
    }

    entry_height_.resize(entries.size());
    const float line = font;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        Measured& m = measured_[content_[i]];
        if (m.generation != generation_) {
            float content = line;
            for (int c = 0; c < ColCount; ++c) {
                const auto k = static_cast<std::size_t>(c);
                if (widths_[k] <= 0 || m.natural[k] <= widths_[k]) continue;  // hidden, or on one line
                const std::string_view text = cell_string(entries[i].value, static_cast<Column>(c), scratch_);
                if (text.empty()) continue;
                content = std::max(content, ImGui::CalcTextSize(text.data(), text.data() + text.size(), false, widths_[k]).y);
            }
            m.content = content;
            m.generation = generation_;
            ++last_measured_;
        }
        entry_height_[i] = m.content + 2 * padding_;
    }
    crypto::wipe(scratch_);
}

void RowHeights::layout(const std::vector<std::size_t>& rows) {
    changed_ = false;
    tops_.resize(rows.size() + 1);
    float y = 0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        tops_[r] = y;
        y += rows[r] < entry_height_.size() ? entry_height_[rows[r]] : font_ + 2 * padding_;
    }
    tops_[rows.size()] = y;
}

std::pair<std::size_t, std::size_t> RowHeights::within(float y0, float y1) const {
    if (tops_.size() < 2) return {0, 0};
    const std::size_t rows = tops_.size() - 1;
    // The first row whose bottom is below y0, and the first row whose top is at or below y1.
    const auto first = std::upper_bound(tops_.begin() + 1, tops_.end(), y0) - (tops_.begin() + 1);
    const auto last = std::lower_bound(tops_.begin(), tops_.end() - 1, y1) - tops_.begin();
    const auto a = std::min(static_cast<std::size_t>(first), rows);
    return {a, std::max(a, std::min(static_cast<std::size_t>(last), rows))};
}

}  // namespace imrdesk::ui
