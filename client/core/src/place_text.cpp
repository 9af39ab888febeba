#include "imrdesk/client/place_text.hpp"

namespace imrdesk::client {

const std::string* text_at(const ImrDocument& doc, const Place& place) {
    switch (place.kind) {
        case Place::Kind::Section: {
            const auto* s = doc.section(place.section_key);
            if (s == nullptr) return nullptr;
            return place.field == "not_applicable_reason" ? &s->value.not_applicable_reason : &s->value.text;
        }
        case Place::Kind::Entry: {
            const auto* e = doc.entry(place.id);
            return e != nullptr ? entry_field(e->value, place.field) : nullptr;
        }
        case Place::Kind::Recommendation:
            for (const auto& r : doc.recommendations)
                if (r.id == place.id) return recommendation_field(r.value, place.field);
            return nullptr;
        default: return nullptr;
    }
}

bool edit_text_at(Workspace& workspace, const domain::Id& imr, const Place& place,
                  const std::function<bool(std::string&)>& edit) {
    const auto& current = workspace.get(imr);
    switch (place.kind) {
        case Place::Kind::Section: {
            const auto* stored = current.section(place.section_key);
            if (stored == nullptr) return false;
            auto content = stored->value;
            auto& text = place.field == "not_applicable_reason" ? content.not_applicable_reason : content.text;
            if (!edit(text)) return false;
            workspace.save_section(imr, std::move(content));
            return true;
        }
        case Place::Kind::Entry: {
            const auto* stored = current.entry(place.id);
            if (stored == nullptr) return false;
            auto value = stored->value;
            auto* field = entry_field(value, place.field);
            if (field == nullptr || !edit(*field)) return false;
            workspace.update_entry(imr, place.id, std::move(value));
            return true;
        }
        case Place::Kind::Recommendation:
            for (const auto& r : current.recommendations) {
                if (r.id != place.id) continue;
                auto value = r.value;
                auto* field = recommendation_field(value, place.field);
                if (field == nullptr || !edit(*field)) return false;
                workspace.save_recommendation(imr, place.id, std::move(value));
                return true;
            }
            return false;
        default: return false;
    }
}

}  // namespace imrdesk::client
