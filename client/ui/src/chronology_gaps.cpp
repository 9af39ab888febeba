// The chronology's gaps: periods longer than the threshold with no entry, each stated as a period
// with no agency contact or left for the author to fill.
#include "chronology_gaps.hpp"
#include "style.hpp"

#include <algorithm>
#include <string>

#include "chronology_panel.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::ui {
namespace {

std::string long_date(const domain::CivilDate& d) { return date_text(domain::PartialDate::day(d.year, d.month, d.day)); }

}  // namespace

void GapList::draw(const Frame& f, const client::ImrDocument& doc, const std::vector<client::Gap>& gaps) {
    const auto& c = doc.header.case_info;
    const std::string scope =
        c.period_from && c.period_to
            ? "inside the review period (" + long_date(*c.period_from) + " to " + long_date(*c.period_to) + ")"
            : "between the first and the last entry";
    const std::string intro = "Periods " + scope + " longer than " + std::to_string(doc.header.gap_threshold_days) +
                              " days with no entry. State each period with no agency contact, or add the entries "
                              "that are missing.";
    const ImGuiStyle& style = ImGui::GetStyle();
    const float inner = ImGui::GetContentRegionAvail().x - style.WindowPadding.x * 2;
    const float wanted = ImGui::CalcTextSize(intro.c_str(), nullptr, false, inner).y + style.ItemSpacing.y +
                         ImGui::GetFrameHeightWithSpacing() * static_cast<float>(std::max<std::size_t>(1, gaps.size())) +
                         style.WindowPadding.y * 2 + (stating_ ? em(9.5f) : 0);
    ImGui::BeginChild("gaps", ImVec2(0, std::min(wanted, ImGui::GetContentRegionAvail().y * 0.6f)), true);
    muted(intro);
    if (gaps.empty()) wrapped("There are no such gaps.");
    for (std::size_t i = 0; i < gaps.size(); ++i) {
        const auto& gap = gaps[i];
        ImGui::PushID(static_cast<int>(i));
        const std::string text = long_date(gap.from) + " to " + long_date(gap.to) + ": " + std::to_string(gap.days) + " days";
        ImGui::AlignTextToFramePadding();
        if (gap.acknowledged) {
            ImGui::TextUnformatted(("\xE2\x9C\x93 " + text).c_str());  // ✓
            ImGui::SameLine();
            ImGui::TextDisabled("stated as no agency contact");
        } else {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
            ImGui::TextUnformatted(("\xE2\x97\x8F " + text).c_str());  // ●
            ImGui::PopStyleColor();
            const bool this_one = stating_ && stating_->from == gap.from && stating_->to == gap.to;
            if (!this_one) {
                ImGui::SameLine();
                ImGui::BeginDisabled(doc.read_only());
                if (button(f, "State no agency contact")) start_statement(gap);
                track(f, "State no agency contact " + std::to_string(i + 1));
                ImGui::EndDisabled();
            } else {
                statement_form(f, doc);
            }
        }
        ImGui::PopID();
    }
    ImGui::EndChild();
}

void GapList::wipe() noexcept {
    stating_.reset();
    crypto::wipe(statement_);
    crypto::wipe(statement_source_);
    statement_ed_.wipe();
    focus_statement_ = false;
}

void GapList::start_statement(const client::Gap& gap) {
    stating_ = gap;
    crypto::wipe(statement_);
    statement_ = "No agency contact from " + long_date(gap.from) + " to " + long_date(gap.to) + ".";
    statement_source_ = "All agency records searched by the IMR author";
    focus_statement_ = true;
}

void GapList::statement_form(const Frame& f, const client::ImrDocument& doc) {
    auto& app = f.app;
    ImGui::Indent(em(1.2f));
    ImGui::TextUnformatted("Statement");
    if (focus_statement_) {
        ImGui::SetKeyboardFocusHere();
        focus_statement_ = false;
    }
    statement_ed_.draw(f, "##Statement", statement_, 2, em(14));
    label_column("Source", 5);
    ImGui::SetNextItemWidth(-1);
    input_text(f, "##statement_source", statement_source_, 0, "where this was checked");
    track(f, "Statement source");
    const bool ready = statement_.find_first_not_of(" \n\t") != std::string::npos &&
                       statement_source_.find_first_not_of(" \t") != std::string::npos;
    ImGui::BeginDisabled(!ready);
    if (primary_button(f, "Add the statement")) {
        const auto entry = client::no_contact_entry(*stating_, statement_, statement_source_);
        domain::Id created;
        if (app.apply("Stating no agency contact", [&](client::Workspace& ws) { created = ws.add_entry(doc.id, entry); })) {
            stating_.reset();
            crypto::wipe(statement_);
            app.select_entry(created);
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (button(f, "Cancel##statement")) {
        stating_.reset();
        crypto::wipe(statement_);
    }
    ImGui::Unindent(em(1.2f));
}

}  // namespace imrdesk::ui
