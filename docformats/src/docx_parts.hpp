#pragma once
// The parts of a .docx other than the body (word/document.xml), and what the body shares with
// them: page geometry and the way a run of text is written.
#include <string>

#include "imrdesk/docformats/document_writing.hpp"
#include "imrdesk/docformats/xml_writer.hpp"

namespace imrdesk::docformats::detail::docx {

// Lengths in twentieths of a point (twips).
constexpr double twips_per_cm = 1440.0 / 2.54;
constexpr long long a4_short_side = 11906;
constexpr long long a4_long_side = 16838;
constexpr long long page_margin = 1134;            // 2 cm
constexpr long long header_footer_distance = 709;  // 1.25 cm from the page edge
[[nodiscard]] constexpr long long text_width(bool landscape) noexcept {
    return (landscape ? a4_long_side : a4_short_side) - 2 * page_margin;
}

constexpr Markup main_namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr Markup relationships_namespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr Markup header_relationship_id = "rIdHeader1";
constexpr Markup footer_relationship_id = "rIdFooter1";

// <w:r> with its properties; '\t' becomes <w:tab/>, '\n' (or "\r\n", or '\r') <w:br/>. Nothing
// for empty text.
void write_run(XmlWriter& xml, const UserText& text, bool bold, bool italic);

[[nodiscard]] std::string content_types();
[[nodiscard]] std::string package_relationships();
[[nodiscard]] std::string document_relationships();
[[nodiscard]] std::string styles();
[[nodiscard]] std::string numbering();
[[nodiscard]] std::string settings();
[[nodiscard]] std::string font_table();
[[nodiscard]] std::string header(const UserTextFilter& filter, const std::string& marking);
[[nodiscard]] std::string footer(const UserTextFilter& filter, const std::string& text);
[[nodiscard]] std::string core_properties(const UserTextFilter& filter, const DocumentProperties& properties);
[[nodiscard]] std::string app_properties();

}  // namespace imrdesk::docformats::detail::docx
