#pragma once
// Three-way merge, used when two devices edited the same record offline. The client has three
// versions of the record body: the base (the last version both had, from the server), mine (the
// local edit) and theirs (the server's current version). What only one side changed is taken;
// what both changed the same way is taken once; what both changed differently is a conflict the
// author resolves. Text merges by lines (diff3); bodies merge field by field. Pure: no I/O.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace imrdesk::domain {

// The marker lines around a conflicting hunk in merged text, in plain language because authors,
// not programmers, read them. Exposed so the UI can find them and refuse to save text that still
// holds them.
inline constexpr std::string_view kMineMarker = "<<<<<<< your version";
inline constexpr std::string_view kSeparatorMarker = "======= their version";
inline constexpr std::string_view kEndMarker = ">>>>>>> end of their version";

struct TextMerge {
    bool clean = true;          // no overlapping changes
    std::string merged;         // clean: the merged text. Not clean: the merged text where every
                                // conflicting hunk shows both versions between the marker lines:
                                //   kMineMarker, my lines, kSeparatorMarker, their lines, kEndMarker
    std::size_t conflicts = 0;  // number of conflicting hunks
};

// diff3 by lines. Changes on one side only are taken, identical changes on both sides are taken
// once; different changes to overlapping (or touching) line ranges of the base, including
// different insertions at the same place, are a conflict. Lines common to both versions at the
// edges of a conflicting hunk are written once, outside the markers.
//  * Lines end at '\n' only: '\r' is ordinary content, so CRLF text merges as CRLF text.
//  * Whether the text ends with a newline merges like a one-line change that never conflicts,
//    so merge_text(x, x, x).merged == x for every x, and a side's text is reproduced exactly
//    when the other side left the base unchanged.
//  * Linear memory: Myers' O((N+M)D) diff in its linear-space form, after the common prefix and
//    suffix and the lines found in only one version are set aside. Past a cost bound (diffs of
//    over a thousand changed lines among lines common to both) the diff settles for a good
//    rather than a minimal alignment, so time stays bounded; the result is still a correct
//    merge, at worst with larger conflict hunks.
[[nodiscard]] TextMerge merge_text(std::string_view base, std::string_view mine, std::string_view theirs);

// The size of a line diff, for the sync log and the conflict view ("you changed 3 lines"): how many
// lines of before it removes and how many lines of after it adds, a changed line counting as one
// of each. Lines as merge_text sees them; a change to the final newline alone counts as none.
// Minimal (the longest common subsequence of lines is kept) within merge_text's cost bound.
struct LineChanges {
    std::size_t removed = 0;
    std::size_t added = 0;
    friend bool operator==(const LineChanges&, const LineChanges&) = default;
};
[[nodiscard]] LineChanges count_line_changes(std::string_view before, std::string_view after);

struct FieldConflict {
    std::string field;      // JSON pointer of the field, e.g. "/text" or "/extra/foo"
    nlohmann::json base;    // null when the field did not exist in base
    nlohmann::json mine;    // null when removed on this side
    nlohmann::json theirs;  // null when removed on this side
};

struct BodyMerge {
    nlohmann::json merged;                   // the merged object; for each conflicting field it holds MINE
                                             // (a field I removed is absent)
    std::vector<FieldConflict> conflicts;    // empty: a clean merge. In field order (keys sorted, depth first)
    std::vector<std::string> merged_fields;  // pointers of text fields both sides changed that merged
                                             // cleanly with merge_text, for the log
    [[nodiscard]] bool clean() const noexcept { return conflicts.empty(); }
};

// Field by field over JSON objects, recursing into nested objects (such as "extra") that both
// sides changed. A field changed (added, edited or removed) on one side takes that side; changed
// identically on both sides is fine. Changed differently on both sides: two strings (with a string
// or no field in base) merge with merge_text -- clean gives the merged string and a merged_fields
// entry, not clean a FieldConflict; anything else (numbers, bools, arrays, mixed types, added vs
// removed, edited vs removed) is a FieldConflict. Arrays are atomic values.
// base may be null (the record was created on both sides independently): it is treated as {}, as
// is any other base that is not an object.
// Throws std::invalid_argument if mine or theirs is not an object.
[[nodiscard]] BodyMerge merge_bodies(const nlohmann::json& base, const nlohmann::json& mine,
                                     const nlohmann::json& theirs);

}  // namespace imrdesk::domain
