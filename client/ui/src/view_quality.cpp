// Quality check: the pre-submission check (each finding leads to its place), abbreviations to
// expand where they are used or explain in the glossary, and spelling in British English with the
// author's personal dictionary (kept sealed in the vault). The checks run when the view opens, on
// "Check again" and after every change made here: never every frame.
#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <tuple>

#include "imrdesk/client/spelling.hpp"
#include "style.hpp"
#include "imrdesk/shared/imr_template.hpp"
#include "place_text.hpp"
#include "view.hpp"
#include "view_sync.hpp"  // track_text
#include "widgets.hpp"

namespace imrdesk::ui {
namespace {

using client::Place;


// One line of the text around [offset, offset + length), the word in bold.
void context_line(const Frame& f, std::string_view text, std::size_t offset, std::size_t length) {
    if (offset + length > text.size()) return;
    constexpr std::size_t kAround = 36;
    const auto continuation = [&](std::size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
    std::size_t from = offset > kAround ? offset - kAround : 0;
    while (from > 0 && continuation(from)) --from;
    std::size_t to = std::min(text.size(), offset + length + kAround);
    while (to < text.size() && continuation(to)) ++to;
    const auto one_line = [](std::string_view s) {
        std::string out(s);
        for (auto& c : out)
            if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        return out;
    };
    std::string before = (from > 0 ? "..." : "") + one_line(text.substr(from, offset - from));
    std::string word(text.substr(offset, length));
    std::string after = one_line(text.substr(offset + length, to - offset - length)) + (to < text.size() ? "..." : "");
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(before.c_str());
    ImGui::SameLine(0, 0);
    ImGui::PopStyleColor();
    ImGui::PushFont(f.fonts.bold);
    ImGui::TextUnformatted(word.c_str());
    ImGui::PopFont();
    ImGui::SameLine(0, 0);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(after.c_str());
    ImGui::PopStyleColor();
    crypto::wipe(before);
    crypto::wipe(word);
    crypto::wipe(after);
}

// A tab, tracked under its name whether it is open or not.
bool tab(const Frame& f, const char* label, const std::string& name) {
    const bool open = ImGui::BeginTabItem(label);
    track(f, name);
    return open;
}

// A clickable line with a mark in front whose text wraps.
bool mark_row(const Frame& f, const std::string& id, const char* mark, const ImVec4& colour, const std::string& text,
              bool selected = false) {
    const float indent = em(1.5f);
    const float wrap_width = std::max(em(8), ImGui::GetContentRegionAvail().x - indent);
    const ImVec2 size = ImGui::CalcTextSize(text.c_str(), text.c_str() + text.size(), false, wrap_width);
    const ImVec2 start = ImGui::GetCursorPos();
    const bool clicked = ImGui::Selectable(("##" + id).c_str(), selected, ImGuiSelectableFlags_AllowItemOverlap, ImVec2(0, size.y));
    track(f, text);
    const ImVec2 end = ImGui::GetCursorPos();
    ImGui::SetCursorPos(start);
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    ImGui::TextUnformatted(mark);
    ImGui::PopStyleColor();
    ImGui::SetCursorPos(ImVec2(start.x + indent, start.y));
    ImGui::PushTextWrapPos(start.x + indent + wrap_width);
    ImGui::TextUnformatted(text.c_str(), text.c_str() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPos(end);
    return clicked;
}

class QualityView final : public View {
public:
    void draw(const Frame& f) override {
        auto& app = f.app;
        const auto* doc = app.current_imr();
        if (doc == nullptr) return;
        // Fresh results whenever the view opens (on_open) or the IMR changes.
        if (checked_imr_ != doc->id) stale_ = true;
        if (stale_) run(app, *doc);

        summary(f, *doc);
        ImGui::Spacing();
        if (!ImGui::BeginTabBar("quality")) return;
        // The labels carry counts; the ### part keeps each tab's identity while they change.
        const std::string abbreviations = "Abbreviations (" + std::to_string(groups_.size()) + ")###abbreviations";
        const std::string spelling = "Spelling (" + std::to_string(spelling_words()) + ")###spelling";
        if (tab(f, "Pre-submission check", "Pre-submission check")) {
            check_tab(f);
            ImGui::EndTabItem();
        }
        if (tab(f, abbreviations.c_str(), "Abbreviations")) {
            abbreviations_tab(f, *doc);
            ImGui::EndTabItem();
        }
        if (tab(f, spelling.c_str(), "Spelling")) {
            spelling_tab(f, *doc);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }

    void on_open() override { stale_ = true; }

    void wipe() noexcept override {
        wipe_findings();
        for (auto& g : expanded_) crypto::wipe(g);
        expanded_.clear();
        for (auto& a : abbreviations_) crypto::wipe(a.token);
        abbreviations_.clear();
        for (auto& g : groups_) crypto::wipe(g.token);
        groups_.clear();
        for (auto& [token, text] : expansions_) {
            crypto::wipe(token);
            crypto::wipe(text);
        }
        expansions_.clear();
        crypto::wipe(selected_token_);
        for (auto& p : spelling_) {
            crypto::wipe(p.label);
            for (auto& w : p.words) crypto::wipe(w.word);
        }
        spelling_.clear();
        for (auto& [word, list] : suggestions_) {
            crypto::wipe(word);
            for (auto& s : list) crypto::wipe(s);
        }
        suggestions_.clear();
        crypto::wipe(selected_word_);
        crypto::wipe(replacement_);
        personal_.wipe();
        personal_loaded_ = false;
        ignored_.wipe();
        stale_ = true;
    }

private:
    struct Group {
        std::string token;
        std::vector<std::size_t> findings;  // indices into abbreviations_
    };
    struct Word {
        std::string word;
        std::size_t count = 0;
        std::size_t offset = 0;  // of the first occurrence
        std::size_t length = 0;
    };
    struct SpellingPlace {
        Place place;
        std::string label;
        std::vector<Word> words;
    };

    // ---- running the checks ------------------------------------------------------------------

    void wipe_findings() noexcept {
        for (auto& finding : findings_) {
            crypto::wipe(finding.message);
            crypto::wipe(finding.group);
            crypto::wipe(finding.location);
        }
        findings_.clear();
        group_first_.clear();
        group_count_.clear();
    }

    void group_findings() {
        group_first_.assign(findings_.size(), 0);
        group_count_.assign(findings_.size(), 1);
        for (std::size_t i = 0; i < findings_.size(); ++i) {
            group_first_[i] = i;
            if (findings_[i].group.empty()) continue;
            for (std::size_t j = 0; j < i; ++j)
                if (group_first_[j] == j && findings_[j].group == findings_[i].group) {
                    group_first_[i] = j;
                    break;
                }
            if (group_first_[i] != i) ++group_count_[group_first_[i]];
        }
        for (std::size_t i = 0; i < findings_.size(); ++i) group_count_[i] = group_count_[group_first_[i]];
    }

    void run(client::App& app, const client::ImrDocument& doc) {
        stale_ = false;
        checked_imr_ = doc.id;
        checked_at_ = uk_time_now();
        const auto& tmpl = domain::ImrTemplate::builtin();
        const auto outline = tmpl.outline(doc.header.case_info.terms_of_reference);
        wipe_findings();
        findings_ = client::presubmission_check(doc, tmpl);
        group_findings();
        errors_ = static_cast<std::size_t>(std::count_if(findings_.begin(), findings_.end(), [](const auto& x) {
            return x.severity == domain::Severity::Error;
        }));

        for (auto& a : abbreviations_) crypto::wipe(a.token);
        abbreviations_ = client::find_abbreviations(doc);
        // Each token's places in reading order: sections as the outline has them, then the
        // chronology, then the recommendations.
        const auto rank = [&](const client::AbbreviationFinding& a) {
            std::size_t r = outline.size() + doc.entries.size() + doc.recommendations.size();
            if (a.place.kind == Place::Kind::Section) {
                for (std::size_t i = 0; i < outline.size(); ++i)
                    if (outline[i].key == a.place.section_key) r = i;
            } else if (a.place.kind == Place::Kind::Entry) {
                for (std::size_t i = 0; i < doc.entries.size(); ++i)
                    if (doc.entries[i].id == a.place.id) r = outline.size() + i;
            } else if (a.place.kind == Place::Kind::Recommendation) {
                for (std::size_t i = 0; i < doc.recommendations.size(); ++i)
                    if (doc.recommendations[i].id == a.place.id) r = outline.size() + doc.entries.size() + i;
            }
            return r;
        };
        std::vector<std::size_t> ranks;
        for (const auto& a : abbreviations_) ranks.push_back(rank(a));
        std::vector<std::size_t> order(abbreviations_.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return std::tie(ranks[a], abbreviations_[a].place.field, abbreviations_[a].offset) <
                   std::tie(ranks[b], abbreviations_[b].place.field, abbreviations_[b].offset);
        });
        std::map<std::string, std::vector<std::size_t>> by_token;
        for (const std::size_t i : order) by_token[abbreviations_[i].token].push_back(i);
        for (auto& g : groups_) crypto::wipe(g.token);
        groups_.clear();
        for (auto& [token, indices] : by_token) {
            groups_.push_back({token, std::move(indices)});
            const auto known = client::expansion_of(token);
            if (!typed_expansion(token)) expansions_.emplace_back(token, known ? std::string(*known) : std::string());
        }
        if (!groups_.empty() && std::none_of(groups_.begin(), groups_.end(), [&](const Group& g) { return g.token == selected_token_; }))
            selected_token_ = groups_.front().token;

        run_spelling(app, doc, outline);
    }

    // A word of a glossary entry ("SystmOne", or a word of its expansion) is this IMR's own
    // vocabulary, not a mistake.
    static bool in_glossary(const client::ImrDocument& doc, std::string_view word) {
        const auto same = [](std::string_view a, std::string_view b) {
            return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                       return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
                   });
        };
        const auto has_word = [&](std::string_view text) {
            std::size_t i = 0;
            while (i < text.size()) {
                const std::size_t start = text.find_first_not_of(" \t\n\r,;:()/-.&'\"", i);
                if (start == std::string_view::npos) break;
                std::size_t end = text.find_first_of(" \t\n\r,;:()/-.&'\"", start);
                if (end == std::string_view::npos) end = text.size();
                if (same(text.substr(start, end - start), word)) return true;
                i = end;
            }
            return false;
        };
        for (const auto& g : doc.glossary)
            if (same(g.value.abbreviation, word) || has_word(g.value.abbreviation) || has_word(g.value.expansion)) return true;
        return false;
    }

    void run_spelling(client::App& app, const client::ImrDocument& doc, const std::vector<domain::OutlineItem>& outline) {
        for (auto& p : spelling_) {
            crypto::wipe(p.label);
            for (auto& w : p.words) crypto::wipe(w.word);
        }
        spelling_.clear();
        if (!open_checker(app)) return;
        auto check = [&](const Place& place, const std::string& text) {
            if (text.empty()) return;
            SpellingPlace found{place, place_label(doc, place, outline), {}};
            for (auto& m : checker_->check(text, personal_)) {
                if (ignored_.contains(m.word) || in_glossary(doc, m.word)) {
                    crypto::wipe(m.word);
                    continue;
                }
                auto it = std::find_if(found.words.begin(), found.words.end(), [&](const Word& w) { return w.word == m.word; });
                if (it != found.words.end()) ++it->count;
                else found.words.push_back({m.word, 1, m.offset, m.length});
                crypto::wipe(m.word);
            }
            if (!found.words.empty()) spelling_.push_back(std::move(found));
            else crypto::wipe(found.label);
        };
        for (const auto& item : outline) {
            if (item.kind != domain::SectionKind::Text && item.kind != domain::SectionKind::TermsOfReference) continue;
            const auto* s = doc.section(item.key);
            if (s != nullptr && !s->value.not_applicable) check(Place{Place::Kind::Section, item.key, {}, "text"}, s->value.text);
        }
        for (const auto& e : doc.entries)
            for (const char* field : {"event", "action", "rationale", "outcome", "comment"})
                check(Place{Place::Kind::Entry, "chronology", e.id, field}, *entry_field(e.value, field));
        for (const auto& r : doc.recommendations) check(Place{Place::Kind::Recommendation, "recommendations", r.id, "text"}, r.value.text);
        if (!selection_valid()) select_first_word();
    }

    // The spell checker and the personal dictionary, opened once.
    bool open_checker(client::App& app) {
        if (!checker_ && checker_error_.empty()) {
            try {
                checker_ = std::make_unique<client::SpellChecker>();
            } catch (const std::exception& e) {
                checker_error_ = e.what();
            }
        }
        if (checker_ && !personal_loaded_ && app.unlocked()) {
            personal_loaded_ = true;
            try {
                std::string bytes = app.workspace().vault().load_private(client::kPersonalDictionaryName);
                personal_ = client::PersonalDictionary::from_bytes(bytes);
                crypto::wipe(bytes);
            } catch (const std::exception& e) {
                app.notify(std::string("Your personal dictionary could not be read: ") + e.what(), true);
            }
        }
        return checker_ != nullptr;
    }

    [[nodiscard]] std::size_t spelling_words() const {
        std::size_t n = 0;
        for (const auto& p : spelling_) n += p.words.size();
        return n;
    }

    [[nodiscard]] bool selection_valid() const {
        return selected_place_ < spelling_.size() &&
               std::any_of(spelling_[selected_place_].words.begin(), spelling_[selected_place_].words.end(),
                           [&](const Word& w) { return w.word == selected_word_; });
    }

    void select_first_word() {
        crypto::wipe(selected_word_);
        crypto::wipe(replacement_);
        selected_place_ = 0;
        if (!spelling_.empty()) select_word(0, spelling_.front().words.front().word);
    }

    void select_word(std::size_t place, const std::string& word) {
        selected_place_ = place;
        selected_word_ = word;
        crypto::wipe(replacement_);
        suggestions_loaded_ = false;
    }

    const std::vector<std::string>& suggestions_for(const std::string& word) {
        for (const auto& [known, list] : suggestions_)
            if (known == word) return list;
        suggestions_.emplace_back(word, checker_->suggest(word));
        return suggestions_.back().second;
    }

    // What the author says a token stands for (prefilled from the built-in list), or nullptr.
    std::string* typed_expansion(const std::string& token) {
        for (auto& [known, text] : expansions_)
            if (known == token) return &text;
        return nullptr;
    }

    // ---- the summary line ------------------------------------------------------------------

    void summary(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        const std::size_t warnings = findings_.size() - errors_;
        ImGui::PushFont(f.fonts.bold);
        ImGui::AlignTextToFramePadding();
        if (errors_ > 0) {
            ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
            ImGui::TextUnformatted((count_of(errors_, "problem", "problems") + " to fix, " + count_of(warnings, "warning", "warnings")).c_str());
            ImGui::PopStyleColor();
        } else {
            ImGui::TextUnformatted(warnings == 0 ? "Ready for endorsement"
                                                 : ("Ready for endorsement (" + count_of(warnings, "warning", "warnings") + " to review)").c_str());
        }
        track(f, "Check summary");
        ImGui::PopFont();
        ImGui::SameLine(0, em(1.5f));
        if (button(f, "Check again")) stale_ = true;
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        muted("last checked at " + checked_at_);
        if (errors_ > 0) return;
        ImGui::SameLine(0, em(1.5f));
        switch (doc.header.status) {
            case domain::ImrStatus::Draft:
                if (primary_button(f, "Mark ready for endorsement")) {
                    app.apply("Marking the IMR ready for endorsement",
                              [imr = doc.id](client::Workspace& ws) { ws.set_status(imr, domain::ImrStatus::ReadyForEndorsement); });
                }
                break;
            case domain::ImrStatus::ReadyForEndorsement:
                if (button(f, "Go to the endorsement")) app.show(client::ImrView::Endorsement);
                ImGui::SameLine();
                ImGui::AlignTextToFramePadding();
                muted("Marked ready for endorsement.");
                break;
            default: break;
        }
    }

    // ---- pre-submission check ---------------------------------------------------------------

    void check_tab(const Frame& f) {
        ImGui::BeginChild("findings");
        if (findings_.empty())
            wrapped("Nothing to fix: every section is answered or marked not applicable, the chronology has its sources and "
                    "no silent gaps, and the recommendations are complete.");
        else
            muted("Problems to fix first, then warnings. Choose one to go to where it is.");
        // Findings that say the same thing in many places ("'GP' is an abbreviation") are one row
        // with a count; choosing it lists the places, each leading to where it is.
        for (std::size_t i = 0; i < findings_.size(); ++i) {
            const auto& finding = findings_[i];
            const bool error = finding.severity == domain::Severity::Error;
            const ImVec4& colour = error ? palette().error : palette().warning;
            const char* mark = error ? "\xE2\x9C\x96" : "\xE2\x96\xB2";
            const std::size_t count = group_count_[i];
            if (count < 2) {
                if (mark_row(f, "finding" + std::to_string(i), mark, colour, finding.message)) {
                    f.app.go_to(finding.place);
                    break;  // the view changes: stop drawing from findings_
                }
                continue;
            }
            if (group_first_[i] != i) continue;  // the group's row is drawn at its first finding
            const auto expanded = std::find(expanded_.begin(), expanded_.end(), finding.group);
            const bool open = expanded != expanded_.end();
            const std::string row = finding.group + " (" + std::to_string(count) + " places)";
            if (mark_row(f, "group" + std::to_string(i), open ? "\xE2\x96\xBC" : "\xE2\x96\xB6", colour, row)) {
                if (open) {
                    crypto::wipe(*expanded);
                    expanded_.erase(expanded);
                } else {
                    expanded_.push_back(finding.group);
                }
            }
            if (!open) continue;
            ImGui::Indent(em(1.5f));
            bool left = false;
            for (std::size_t j = i; j < findings_.size(); ++j) {
                const auto& place = findings_[j];
                if (group_first_[j] != i) continue;
                if (mark_row(f, "finding" + std::to_string(j), mark, colour, place.location)) {
                    f.app.go_to(place.place);
                    left = true;
                    break;
                }
            }
            ImGui::Unindent(em(1.5f));
            if (left) break;
        }
        ImGui::EndChild();
    }

    // ---- abbreviations --------------------------------------------------------------------------

    void abbreviations_tab(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        wrapped("\"Please avoid abbreviation.\" Expand each one where it is used, or add it to this IMR's glossary when it is unavoidable.");
        if (groups_.empty()) {
            muted("No abbreviations left to explain.");
            return;
        }
        ImGui::BeginChild("tokens", ImVec2(em(18), 0), true);
        for (const auto& g : groups_) {
            const std::string label = g.token + ": " + count_of(g.findings.size(), "place", "places") + "###" + g.token;
            if (selectable(f, label.c_str(), g.token == selected_token_)) selected_token_ = g.token;
            track(f, "abbreviation:" + g.token);
            const auto known = client::expansion_of(g.token);
            ImGui::Indent(em(0.8f));
            muted(known ? std::string(*known) : std::string("not in the built-in list"));
            ImGui::Unindent(em(0.8f));
        }
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("token", ImVec2(0, 0), false);
        const auto group = std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) { return g.token == selected_token_; });
        if (group == groups_.end()) {
            ImGui::EndChild();
            return;
        }
        const std::string token = group->token;  // a copy: groups_ changes when a change re-runs the check
        heading(f, token);
        auto& expansion = *typed_expansion(token);
        const bool has_expansion = expansion.find_first_not_of(" \t") != std::string::npos;
        ImGui::BeginDisabled(doc.read_only());
        label_column("Stands for", 7);
        ImGui::SetNextItemWidth(-1);
        input_text(f, "##expansion", expansion, 0, "what the abbreviation means, in full");
        track(f, "Stands for");
        ImGui::BeginDisabled(!has_expansion);
        if (button(f, "Add to this IMR's glossary")) {
            domain::GlossaryEntry entry{token, expansion, nlohmann::json::object()};
            if (app.apply("Adding " + token + " to the glossary",
                          [imr = doc.id, &entry](client::Workspace& ws) { ws.save_glossary(imr, std::nullopt, entry); })) {
                app.notify(token + " is in the glossary");
                stale_ = true;
            }
        }
        ImGui::EndDisabled();
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        muted("or expand it where it is used:");
        ImGui::Separator();
        const auto outline = domain::ImrTemplate::builtin().outline(doc.header.case_info.terms_of_reference);
        const auto indices = group->findings;
        for (const std::size_t i : indices) {
            const auto& finding = abbreviations_[i];
            ImGui::PushID(static_cast<int>(i));
            ImGui::PushFont(f.fonts.bold);
            wrapped(place_label(doc, finding.place, outline));
            ImGui::PopFont();
            if (const auto* text = text_at(doc, finding.place)) context_line(f, *text, finding.offset, finding.length);
            ImGui::BeginDisabled(doc.read_only() || !has_expansion);
            const bool expand = button(f, "Expand here");
            ImGui::EndDisabled();
            if (!has_expansion && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
                ImGui::SetTooltip("Type what %s stands for first", token.c_str());
            ImGui::SameLine();
            const bool go = button(f, "Go to");
            ImGui::PopID();
            if (expand) {
                const std::string with = expansion;
                change_text(app, doc, "Expanding " + token, finding.place, [&](std::string& text) {
                    if (finding.offset + finding.length > text.size() ||
                        text.compare(finding.offset, finding.length, finding.token) != 0)
                        return false;
                    std::string expanded = client::expand_in_place(text, finding, with);
                    crypto::wipe(text);
                    text = std::move(expanded);
                    return true;
                });
                break;
            }
            if (go) {
                app.go_to(finding.place);
                break;
            }
            ImGui::Spacing();
        }
        ImGui::EndChild();
    }

    // Changes the text at a place (see place_text.hpp); the checks run again whatever happened.
    void change_text(client::App& app, const client::ImrDocument& doc, const std::string& what, const Place& place,
                     const std::function<bool(std::string&)>& edit) {
        (void)change_text_at(app, doc.id, what, place, edit);
        stale_ = true;
    }

    // ---- spelling ---------------------------------------------------------------------------

    void spelling_tab(const Frame& f, const client::ImrDocument& doc) {
        if (!checker_) {
            error_text("Spelling cannot be checked on this computer: " + checker_error_ + ". Ask IT support to install it.");
            return;
        }
        wrapped("Words the British English dictionary does not know, in sections, chronology entries and recommendations. "
                "Abbreviations, numbers and addresses are left out.");
        const bool nothing = spelling_.empty();
        if (nothing) muted("No spelling mistakes found.");
        const float list_width = nothing ? 0.0f : em(20);
        ImGui::BeginChild("places", ImVec2(list_width, 0), true);
        for (std::size_t p = 0; p < spelling_.size(); ++p) {
            ImGui::PushID(static_cast<int>(p));
            ImGui::PushFont(f.fonts.bold);
            wrapped(spelling_[p].label);
            ImGui::PopFont();
            ImGui::Indent(em(0.8f));
            for (const auto& w : spelling_[p].words) {
                std::string label = w.word + (w.count > 1 ? " (" + std::to_string(w.count) + ")" : std::string()) + "###" + w.word;
                if (selectable(f, label.c_str(), p == selected_place_ && w.word == selected_word_)) select_word(p, w.word);
                track(f, "spelling:" + w.word);
                crypto::wipe(label);
            }
            ImGui::Unindent(em(0.8f));
            ImGui::PopID();
        }
        personal_dictionary(f);
        ImGui::EndChild();
        if (nothing || !selection_valid()) return;
        ImGui::SameLine();
        ImGui::BeginChild("word", ImVec2(0, 0), false);
        word_panel(f, doc);
        ImGui::EndChild();
    }

    void word_panel(const Frame& f, const client::ImrDocument& doc) {
        auto& app = f.app;
        const auto& place = spelling_[selected_place_];
        const auto word_it = std::find_if(place.words.begin(), place.words.end(), [&](const Word& w) { return w.word == selected_word_; });
        const Word word = *word_it;
        const Place where = place.place;
        heading(f, word.word);
        muted(place.label + (word.count > 1 ? ", " + std::to_string(word.count) + " times" : std::string()));
        if (const auto* text = text_at(doc, where)) context_line(f, *text, word.offset, word.length);
        ImGui::Spacing();
        const auto& suggestions = suggestions_for(word.word);
        // Never pre-filled: one tired click on Replace must not put a dictionary's guess into the text.
        suggestions_loaded_ = true;
        if (suggestions.empty()) {
            muted("No suggestions.");
        } else {
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted("Suggestions:");
            const float right = ImGui::GetWindowContentRegionMax().x;
            for (const auto& s : suggestions) {
                // Suggestions flow onto the next line when the row is full.
                const float width = ImGui::CalcTextSize(s.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
                ImGui::SameLine();
                if (ImGui::GetCursorPosX() + width > right) ImGui::NewLine();
                const bool chosen = s == replacement_;
                if (chosen) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_HeaderActive));
                if (button(f, s.c_str())) replacement_ = s;
                if (chosen) ImGui::PopStyleColor();
            }
        }
        ImGui::BeginDisabled(doc.read_only());
        label_column("Replace with", 7);
        ImGui::SetNextItemWidth(em(16));
        input_text(f, "##replacement", replacement_);
        track(f, "Replace with");
        track_text(f, "Replacement", replacement_);
        if (replacement_.empty()) {
            ImGui::SetCursorPosX(em(7) + ImGui::GetStyle().WindowPadding.x);
            muted("Choose a suggestion above, or type the word you meant.");
        }
        const bool can_replace = !replacement_.empty() && replacement_ != word.word;
        ImGui::BeginDisabled(!can_replace);
        int replace = 0;  // 1: first, 2: all
        if (button(f, word.count > 1 ? "Replace first" : "Replace")) replace = 1;
        if (word.count > 1) {
            ImGui::SameLine();
            const std::string all = "Replace all " + std::to_string(word.count);
            if (button(f, all.c_str())) replace = 2;
        }
        ImGui::EndDisabled();
        ImGui::EndDisabled();
        ImGui::Spacing();
        const bool add = button(f, "Add to personal dictionary");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Kept encrypted in your profile, for every IMR");
        ImGui::SameLine();
        const bool ignore = button(f, "Ignore");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Ignore this word everywhere until you lock");
        ImGui::SameLine();
        const bool go = button(f, "Go to the text");
        if (replace != 0) {
            const std::string from = word.word;
            const std::string to = replacement_;
            const bool all = replace == 2;
            change_text(app, doc, "Replacing " + from, where,
                        [&](std::string& text) { return client::replace_word(text, from, to, all) > 0; });
        } else if (add) {
            personal_.add(word.word);
            app.apply("Adding to your personal dictionary", [this](client::Workspace& ws) {
                std::string bytes = personal_.to_bytes();
                ws.vault().store_private(client::kPersonalDictionaryName, bytes);
                crypto::wipe(bytes);
            });
            forget_word(word.word);
        } else if (ignore) {
            ignored_.add(word.word);
            forget_word(word.word);
        } else if (go) {
            app.go_to(where);
        }
    }

    // Drops a word from the results everywhere (added to the dictionary, or ignored).
    void forget_word(const std::string& word) {
        for (auto& p : spelling_) std::erase_if(p.words, [&](const Word& w) { return w.word == word; });
        std::erase_if(spelling_, [](const SpellingPlace& p) { return p.words.empty(); });
        select_first_word();
    }

    void personal_dictionary(const Frame& f) {
        auto& app = f.app;
        if (personal_.empty()) return;
        ImGui::Spacing();
        const std::string label = "Personal dictionary (" + count_of(personal_.words().size(), "word", "words") + ")###personal";
        const bool open = ImGui::TreeNode(label.c_str());
        track(f, "Personal dictionary");
        if (!open) return;
        std::string removed;
        for (const auto& word : personal_.words()) {
            ImGui::PushID(word.c_str());
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(word.c_str());
            ImGui::SameLine();
            if (button(f, "Remove")) removed = word;
            ImGui::PopID();
        }
        ImGui::TreePop();
        if (removed.empty()) return;
        personal_.remove(removed);
        app.apply("Removing from your personal dictionary", [this](client::Workspace& ws) {
            std::string bytes = personal_.to_bytes();
            ws.vault().store_private(client::kPersonalDictionaryName, bytes);
            crypto::wipe(bytes);
        });
        crypto::wipe(removed);
        stale_ = true;
    }

    // The checks' results and when they ran.
    domain::Id checked_imr_;
    bool stale_ = true;
    std::string checked_at_;
    std::vector<client::CheckFinding> findings_;
    std::vector<std::size_t> group_first_;  // per finding: the first finding of its group (itself if alone)
    std::vector<std::size_t> group_count_;  // per finding: how many findings its group has
    std::vector<std::string> expanded_;     // the finding groups whose places are listed
    std::size_t errors_ = 0;

    std::vector<client::AbbreviationFinding> abbreviations_;
    std::vector<Group> groups_;
    std::vector<std::pair<std::string, std::string>> expansions_;  // token, what the author says it stands for
    std::string selected_token_;

    std::unique_ptr<client::SpellChecker> checker_;  // created once, on first use
    std::string checker_error_;
    client::PersonalDictionary personal_;  // loaded from the vault once per unlock
    bool personal_loaded_ = false;
    client::PersonalDictionary ignored_;   // this session only
    std::vector<SpellingPlace> spelling_;
    std::vector<std::pair<std::string, std::vector<std::string>>> suggestions_;  // cached: tens of ms a word
    std::size_t selected_place_ = 0;
    std::string selected_word_;
    std::string replacement_;
    bool suggestions_loaded_ = false;
};

}  // namespace

std::unique_ptr<View> make_quality_view() { return std::make_unique<QualityView>(); }

}  // namespace imrdesk::ui
