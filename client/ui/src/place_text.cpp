#include "place_text.hpp"

#include "imrdesk/crypto/secure_buffer.hpp"
#include "imrdesk/shared/entry_fields.hpp"

namespace imrdesk::ui {

using client::Place;

std::string field_label(std::string_view field) {
    if (const auto* f = domain::entry_text_field(field)) return domain::in_sentence(f->label);
    if (field == "extra_fields") return "added field";
    if (field == "owner_role") return "owner";
    if (field == "resources") return "resources";
    if (field == "measure") return "measure";
    if (field == "not_applicable_reason") return "reason it is not applicable";
    return "text";
}

std::string place_label(const client::ImrDocument& doc, const Place& place, const std::vector<domain::OutlineItem>& outline) {
    switch (place.kind) {
        case Place::Kind::Section:
            for (const auto& item : outline)
                if (item.key == place.section_key) {
                    std::string heading = item.heading.size() > 70 ? item.heading.substr(0, 67) + "..." : item.heading;
                    if (place.field == "not_applicable_reason") heading += " (reason it is not applicable)";
                    return heading;
                }
            return place.section_key;
        case Place::Kind::Entry:
            for (std::size_t i = 0; i < doc.entries.size(); ++i) {
                if (doc.entries[i].id != place.id) continue;
                std::string date;
                try {
                    date = doc.entries[i].value.date.display();
                } catch (const domain::DateError&) {
                    date = "no date";
                }
                return "Chronology entry " + std::to_string(i + 1) + " (" + date + "), " + field_label(place.field);
            }
            return std::string("Chronology, deleted entry, ") + field_label(place.field);
        case Place::Kind::Recommendation:
            for (const auto& r : doc.recommendations)
                if (r.id == place.id)
                    return "Recommendation " + std::to_string(r.value.order) +
                           (place.field.empty() || place.field == "text" ? std::string() : std::string(", ") + field_label(place.field));
            return "Recommendation";
        default: return "";
    }
}

TextChange change_text_at(client::App& app, const domain::Id& imr, const std::string& what, const Place& place,
                          const std::function<bool(std::string&)>& edit) {
    bool changed_since = false;
    const bool ok = app.apply(what, [&](client::Workspace& ws) { changed_since = !client::edit_text_at(ws, imr, place, edit); });
    if (!ok) return TextChange::Failed;
    if (changed_since) {
        app.notify("The text has changed since the check, so it was checked again. Please try once more.", true);
        return TextChange::ChangedSince;
    }
    // The section editor shows the draft: give it the saved text (apply() saved the draft first).
    if (place.kind == Place::Kind::Section) {
        auto& draft = app.draft();
        const auto* stored = app.workspace().get(imr).section(place.section_key);
        if (draft.imr == imr && draft.key == place.section_key && stored != nullptr) {
            crypto::wipe(draft.text);
            draft.text = stored->value.text;
            draft.dirty = false;
        }
    }
    return TextChange::Changed;
}

}  // namespace imrdesk::ui
