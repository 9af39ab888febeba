#pragma once
// Versioned JSON bodies for every record kind. Each body carries "v" (its schema version).
// Fields this version does not know are kept and written back unchanged, so an older client
// never destroys what a newer one wrote. Decoding errors name the record kind and the field.
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "imrdesk/shared/model.hpp"

namespace imrdesk::domain {

inline constexpr int kBodyVersion = 1;

class CodecError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

[[nodiscard]] nlohmann::json to_json(const ImrHeader& value);
[[nodiscard]] nlohmann::json to_json(const SectionContent& value);
[[nodiscard]] nlohmann::json to_json(const ChronologyEntry& value);
[[nodiscard]] nlohmann::json to_json(const Recommendation& value);
[[nodiscard]] nlohmann::json to_json(const GlossaryEntry& value);
[[nodiscard]] nlohmann::json to_json(const Endorsement& value);
[[nodiscard]] nlohmann::json to_json(const NameEntry& value);
[[nodiscard]] nlohmann::json to_json(const Query& value);
[[nodiscard]] nlohmann::json to_json(const QueryAnswer& value);
[[nodiscard]] nlohmann::json to_json(const ReviewNote& value);

// Each throws CodecError("chronology entry: field 'date': ...") on a malformed body, and for a
// body whose "v" is newer than this version understands (it could not be kept faithfully).
[[nodiscard]] ImrHeader imr_from_json(const nlohmann::json& body);
[[nodiscard]] SectionContent section_from_json(const nlohmann::json& body);
[[nodiscard]] ChronologyEntry entry_from_json(const nlohmann::json& body);
[[nodiscard]] Recommendation recommendation_from_json(const nlohmann::json& body);
[[nodiscard]] GlossaryEntry glossary_from_json(const nlohmann::json& body);
[[nodiscard]] Endorsement endorsement_from_json(const nlohmann::json& body);
[[nodiscard]] NameEntry name_from_json(const nlohmann::json& body);
[[nodiscard]] Query query_from_json(const nlohmann::json& body);
[[nodiscard]] QueryAnswer query_answer_from_json(const nlohmann::json& body);
[[nodiscard]] ReviewNote review_note_from_json(const nlohmann::json& body);
// Decodes a body of the given kind only to check it (CodecError when it is malformed).
void check_body(RecordKind kind, const nlohmann::json& body);

// Parses body text; throws CodecError naming the kind when it is not JSON.
[[nodiscard]] nlohmann::json parse_body(std::string_view text, RecordKind kind);

}  // namespace imrdesk::domain
