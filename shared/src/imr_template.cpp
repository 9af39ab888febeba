#include "imrdesk/shared/imr_template.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "imrdesk/shared/model.hpp"

namespace imrdesk::domain {
namespace detail {
extern const std::string_view kBuiltinTemplateJson;
}

namespace {

using nlohmann::json;

std::string required_string(const json& object, const char* name, const std::string& where) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string())
        throw TemplateError(where + "." + name + ": a text value is required");
    return it->get<std::string>();
}

std::string optional_string(const json& object, const char* name, const std::string& where) {
    const auto it = object.find(name);
    if (it == object.end()) return {};
    if (!it->is_string()) throw TemplateError(where + "." + name + ": must be text");
    return it->get<std::string>();
}

bool optional_bool(const json& object, const char* name, bool fallback, const std::string& where) {
    const auto it = object.find(name);
    if (it == object.end()) return fallback;
    if (!it->is_boolean()) throw TemplateError(where + "." + name + ": must be true or false");
    return it->get<bool>();
}

SectionKind parse_kind(const std::string& text, const std::string& where) {
    if (text == "header") return SectionKind::Header;
    if (text == "text") return SectionKind::Text;
    if (text == "chronology") return SectionKind::Chronology;
    if (text == "group") return SectionKind::Group;
    if (text == "terms_of_reference") return SectionKind::TermsOfReference;
    if (text == "recommendations") return SectionKind::Recommendations;
    if (text == "endorsement") return SectionKind::Endorsement;
    throw TemplateError(where + ".kind: unknown section kind '" + text + "'");
}

SectionDef parse_section(const json& node, const std::string& where, std::vector<std::string>& seen_keys) {
    if (!node.is_object()) throw TemplateError(where + ": a section must be an object");
    SectionDef def;
    def.key = required_string(node, "key", where);
    if (def.key.empty()) throw TemplateError(where + ".key: must not be empty");
    for (const auto& key : seen_keys)
        if (key == def.key) throw TemplateError(where + ".key: '" + def.key + "' is used twice");
    seen_keys.push_back(def.key);
    def.kind = parse_kind(required_string(node, "kind", where), where);
    def.heading = required_string(node, "heading", where);
    def.guidance = optional_string(node, "guidance", where);
    def.not_applicable_allowed = optional_bool(node, "not_applicable_allowed", true, where);
    def.cites_chronology = optional_bool(node, "cites_chronology", false, where);
    if (const auto fields = node.find("fields"); fields != node.end()) {
        if (!fields->is_array()) throw TemplateError(where + ".fields: must be a list");
        for (std::size_t i = 0; i < fields->size(); ++i) {
            const std::string field_where = where + ".fields[" + std::to_string(i) + "]";
            const json& field = (*fields)[i];
            if (!field.is_object()) throw TemplateError(field_where + ": must be an object");
            def.fields.push_back({required_string(field, "key", field_where),
                                  required_string(field, "label", field_where),
                                  optional_bool(field, "required", false, field_where)});
        }
    }
    if (const auto children = node.find("children"); children != node.end()) {
        if (!children->is_array()) throw TemplateError(where + ".children: must be a list");
        if (def.kind != SectionKind::Group) throw TemplateError(where + ": only a group has children");
        for (std::size_t i = 0; i < children->size(); ++i)
            def.children.push_back(
                parse_section((*children)[i], where + ".children[" + std::to_string(i) + "]", seen_keys));
    }
    if (def.kind == SectionKind::Group && def.children.empty())
        throw TemplateError(where + ": a group needs at least one child section");
    return def;
}

const SectionDef* find_in(const std::vector<SectionDef>& sections, std::string_view key) noexcept {
    for (const auto& section : sections) {
        if (section.key == key) return &section;
        if (const auto* found = find_in(section.children, key)) return found;
    }
    return nullptr;
}

const SectionDef* find_kind(const std::vector<SectionDef>& sections, SectionKind kind) noexcept {
    for (const auto& section : sections) {
        if (section.kind == kind) return &section;
        if (const auto* found = find_kind(section.children, kind)) return found;
    }
    return nullptr;
}

void flatten(const std::vector<SectionDef>& sections, int depth, const std::string& parent,
             const std::vector<TorQuestion>& tor, std::vector<OutlineItem>& out) {
    for (const auto& section : sections) {
        if (section.kind == SectionKind::TermsOfReference) {
            for (const auto& question : tor)
                out.push_back({tor_section_key(question.number), SectionKind::Text,
                               "Terms of Reference " + std::to_string(question.number) + ": " + question.text,
                               section.guidance, depth, section.not_applicable_allowed, true, parent});
            continue;
        }
        out.push_back({section.key, section.kind, section.heading, section.guidance, depth,
                       section.not_applicable_allowed, section.cites_chronology, parent});
        flatten(section.children, depth + 1, section.key, tor, out);
    }
}

}  // namespace

const ImrTemplate& ImrTemplate::builtin() {
    static const ImrTemplate instance = from_json(detail::kBuiltinTemplateJson);
    return instance;
}

ImrTemplate ImrTemplate::from_json(std::string_view json_text) {
    json root;
    try {
        root = json::parse(json_text);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for a number too large
        throw TemplateError(std::string("the template is not valid JSON: ") + e.what());
    }
    if (!root.is_object()) throw TemplateError("template: must be a JSON object");
    ImrTemplate result;
    result.title_ = required_string(root, "title", "template");
    const auto version = root.find("version");
    if (version == root.end() || !version->is_number_integer())
        throw TemplateError("template.version: a whole number is required");
    result.version_ = version->get<int>();
    if (const auto intro = root.find("introduction"); intro != root.end()) {
        if (!intro->is_array()) throw TemplateError("template.introduction: must be a list of paragraphs");
        for (const auto& paragraph : *intro) {
            if (!paragraph.is_string()) throw TemplateError("template.introduction: every paragraph must be text");
            result.introduction_.push_back(paragraph.get<std::string>());
        }
    }
    if (const auto brief = root.find("brief"); brief != root.end()) {
        if (!brief->is_array()) throw TemplateError("template.brief: must be a list");
        for (std::size_t i = 0; i < brief->size(); ++i) {
            const std::string where = "template.brief[" + std::to_string(i) + "]";
            result.brief_.push_back({required_string((*brief)[i], "heading", where),
                                     required_string((*brief)[i], "text", where)});
        }
    }
    const auto sections = root.find("sections");
    if (sections == root.end() || !sections->is_array() || sections->empty())
        throw TemplateError("template.sections: a non-empty list of sections is required");
    std::vector<std::string> seen_keys;
    for (std::size_t i = 0; i < sections->size(); ++i)
        result.sections_.push_back(
            parse_section((*sections)[i], "template.sections[" + std::to_string(i) + "]", seen_keys));
    for (const auto kind : {SectionKind::Header, SectionKind::Chronology, SectionKind::Endorsement})
        if (find_kind(result.sections_, kind) == nullptr)
            throw TemplateError("template.sections: the header, chronology and endorsement sections are required");
    return result;
}

const SectionDef* ImrTemplate::find(std::string_view key) const noexcept {
    if (tor_question_number(key) > 0) return find_kind(sections_, SectionKind::TermsOfReference);
    return find_in(sections_, key);
}

std::vector<OutlineItem> ImrTemplate::outline(const std::vector<TorQuestion>& terms_of_reference) const {
    std::vector<OutlineItem> out;
    flatten(sections_, 0, {}, terms_of_reference, out);
    return out;
}

std::string guidance_for(const OutlineItem& item, const std::vector<OutlineItem>& outline) {
    const auto trimmed = [](std::string text) {
        const auto first = text.find_first_not_of(" \n\t");
        if (first == std::string::npos) return std::string();
        const auto last = text.find_last_not_of(" \n\t");
        return text.substr(first, last - first + 1);
    };
    std::string intro;
    const OutlineItem* parent = nullptr;
    for (const auto& candidate : outline)
        if (!item.parent_key.empty() && candidate.key == item.parent_key) parent = &candidate;
    if (parent != nullptr) intro = trimmed(parent->guidance);
    // "Consider specifically:" introduces the group's questions, which are the sections themselves
    // (this one is the heading above): left dangling over a single section it reads as something
    // missing, so that paragraph goes.
    if (!intro.empty() && intro.back() == ':') {
        const auto paragraph = intro.rfind("\n\n");
        intro = paragraph == std::string::npos ? std::string() : trimmed(intro.substr(0, paragraph));
    }
    std::string own = trimmed(item.guidance);
    if (!own.empty() && intro.find(own) != std::string::npos) own.clear();  // already said above
    if (intro.empty()) return own;
    return own.empty() ? intro : intro + "\n\n" + own;
}

std::string tor_section_key(int question_number) { return "analysis.tor." + std::to_string(question_number); }

int tor_question_number(std::string_view key) noexcept {
    constexpr std::string_view prefix = "analysis.tor.";
    if (key.size() <= prefix.size() || key.substr(0, prefix.size()) != prefix) return 0;
    const std::string_view digits = key.substr(prefix.size());
    int value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value <= 0) return 0;
    return value;
}

}  // namespace imrdesk::domain
