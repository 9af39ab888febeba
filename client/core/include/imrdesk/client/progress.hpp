#pragma once
// How far an IMR has got: the state of each section and the share that is done.
#include <string_view>
#include <vector>

#include "imrdesk/client/workspace.hpp"
#include "imrdesk/shared/imr_template.hpp"

namespace imrdesk::client {

enum class SectionState { Empty, InProgress, Complete, NotApplicable };

[[nodiscard]] std::string_view to_string(SectionState state) noexcept;  // "empty", "in progress" ...

[[nodiscard]] SectionState section_state(const ImrDocument& doc, const domain::OutlineItem& item);

// Words in a section (text sections), entries (chronology), recommendations ...
[[nodiscard]] std::size_t word_count(std::string_view text) noexcept;

struct Progress {
    std::size_t fillable = 0;
    std::size_t done = 0;  // complete or not applicable
    [[nodiscard]] int percent() const noexcept {
        return fillable == 0 ? 0 : static_cast<int>((done * 100 + fillable / 2) / fillable);
    }
};

[[nodiscard]] Progress progress_of(const ImrDocument& doc, const domain::ImrTemplate& imr_template);

}  // namespace imrdesk::client
