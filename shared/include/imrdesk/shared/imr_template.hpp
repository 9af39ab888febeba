#pragma once
// The IMR template as data: an ordered tree of sections with stable keys, headings and the
// guidance text of the board's template and 7-minute brief, word for word. Views are generated
// from it, so a board's amended template is a data change (a JSON file), not a code change.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imrdesk::domain {

struct TorQuestion;

class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class SectionKind {
    Header,           // the IMR's identifying fields (agency, adults, author ...)
    Text,             // free text written by the author
    Chronology,       // the chronology table
    Group,            // a heading with guidance over child sections
    TermsOfReference, // expands to one text section per Terms of Reference question of the case
    Recommendations,  // the action plan
    Endorsement,      // the senior officer's endorsement
};

struct FieldDef {
    std::string key;
    std::string label;
    bool required = false;
};

struct SectionDef {
    std::string key;
    SectionKind kind = SectionKind::Text;
    std::string heading;
    std::string guidance;
    bool not_applicable_allowed = true;
    bool cites_chronology = false;  // may cite chronology entries as evidence
    std::vector<FieldDef> fields;
    std::vector<SectionDef> children;
};

struct BriefItem {
    std::string heading;
    std::string text;
};

// One line of the section navigator: the template flattened in reading order, with the Terms of
// Reference placeholder expanded into "analysis.tor.<n>" sections for the case's questions.
struct OutlineItem {
    std::string key;
    SectionKind kind = SectionKind::Text;
    std::string heading;
    std::string guidance;
    int depth = 0;
    bool not_applicable_allowed = true;
    bool cites_chronology = false;
    std::string parent_key;  // empty at top level
    [[nodiscard]] bool is_fillable() const noexcept { return kind != SectionKind::Group; }
};

class ImrTemplate {
public:
    // The template shipped with imrdesk (shared/data/imr_template.json, built in).
    [[nodiscard]] static const ImrTemplate& builtin();
    // Loads a board's template. Throws TemplateError naming the JSON path of what is wrong.
    [[nodiscard]] static ImrTemplate from_json(std::string_view json_text);

    [[nodiscard]] const std::string& title() const noexcept { return title_; }
    [[nodiscard]] int version() const noexcept { return version_; }
    [[nodiscard]] const std::vector<std::string>& introduction() const noexcept { return introduction_; }
    [[nodiscard]] const std::vector<BriefItem>& brief() const noexcept { return brief_; }
    [[nodiscard]] const std::vector<SectionDef>& sections() const noexcept { return sections_; }

    // The section with this key anywhere in the tree, or nullptr. ToR keys ("analysis.tor.2")
    // resolve to the Terms of Reference placeholder.
    [[nodiscard]] const SectionDef* find(std::string_view key) const noexcept;

    [[nodiscard]] std::vector<OutlineItem> outline(const std::vector<TorQuestion>& terms_of_reference) const;

private:
    std::string title_;
    int version_ = 0;
    std::vector<std::string> introduction_;
    std::vector<BriefItem> brief_;
    std::vector<SectionDef> sections_;
};

// The guidance shown above a section: its group's introduction, then its own. An introduction's
// last paragraph that ends with a colon ("Consider specifically:") introduces the questions that
// are the sections themselves, and is left out rather than left dangling; guidance that repeats
// the introduction is said once.
[[nodiscard]] std::string guidance_for(const OutlineItem& item, const std::vector<OutlineItem>& outline);

// "analysis.tor.3" for question 3.
[[nodiscard]] std::string tor_section_key(int question_number);
// The question number of a ToR section key, or 0 when key is not one.
[[nodiscard]] int tor_question_number(std::string_view key) noexcept;

}  // namespace imrdesk::domain
