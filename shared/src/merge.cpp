// Three-way merge (see merge.hpp).
//
// Text: each version is split into lines, and each distinct line is replaced by a small integer so
// the diffs compare numbers. Two two-way diffs (base-mine, base-theirs) give, for each base line,
// the line it matches on each side. diff3 then walks the base: a line matched on both sides, at
// the place both sides have reached, is stable; the lines between stable ones form a chunk that
// is taken from the side that changed it, or is a conflict when both changed it differently.
//
// The two-way diff is Myers' O((N+M)D) algorithm in its linear-space form (find the middle of the
// shortest edit path by searching from both ends at once, then recurse on each half), after
// setting aside the common prefix and suffix and the lines that occur in only one of the two
// texts (they cannot match, and leaving them out keeps D small when whole paragraphs are
// rewritten). Past kMaxCost edit steps the search splits at the furthest point it reached instead
// of the exact middle (as git's xdiff does), which bounds time on pathological inputs.
#include "imrdesk/shared/merge.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace imrdesk::domain {
namespace {

using nlohmann::json;
using Index = std::ptrdiff_t;
using Symbol = std::uint32_t;
using Symbols = std::vector<Symbol>;

constexpr Index kNone = -1;
constexpr Index kMaxCost = 1024;  // edit steps searched per split before settling for a good split

std::size_t uz(Index i) { return static_cast<std::size_t>(i); }
Index sz(std::size_t n) { return static_cast<Index>(n); }

// ---- lines -------------------------------------------------------------------------------------

struct Lines {
    std::vector<std::string_view> text;  // without their '\n'
    bool final_newline = false;          // the text ends with '\n'
};

// "" -> {}, "a" -> {"a"}, "a\n" -> {"a"} + final newline, "\n" -> {""} + final newline.
Lines split_lines(std::string_view text) {
    Lines lines;
    if (text.empty()) return lines;
    if (text.back() == '\n') {
        lines.final_newline = true;
        text.remove_suffix(1);
    }
    std::size_t start = 0;
    for (;;) {
        const auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            lines.text.push_back(text.substr(start));
            return lines;
        }
        lines.text.push_back(text.substr(start, end - start));
        start = end + 1;
    }
}

// Gives each distinct line a number, the same in all three versions.
class Interner {
public:
    Symbols intern(const std::vector<std::string_view>& lines) {
        Symbols symbols;
        symbols.reserve(lines.size());
        for (const auto line : lines) {
            const auto [it, added] = ids_.try_emplace(line, static_cast<Symbol>(ids_.size()));
            symbols.push_back(it->second);
        }
        return symbols;
    }
    [[nodiscard]] std::size_t size() const noexcept { return ids_.size(); }

private:
    std::unordered_map<std::string_view, Symbol> ids_;
};

// ---- two-way diff --------------------------------------------------------------------------------

// Myers' linear-space diff of a and b: fills match[i] with the index in b of the line a[i] is
// matched with. Entries of lines left unmatched are not touched.
class Myers {
public:
    Myers(const Symbols& a, const Symbols& b, std::vector<Index>& match) : a_(a), b_(b), match_(match) {}

    void run() { compare(0, sz(a_.size()), 0, sz(b_.size())); }

private:
    struct Point {
        Index x = 0;
        Index y = 0;
    };

    [[nodiscard]] Symbol a(Index i) const { return a_[uz(i)]; }
    [[nodiscard]] Symbol b(Index i) const { return b_[uz(i)]; }

    // Recurses on the first half; loops on the second so that a long run of heuristic splits
    // cannot deepen the stack.
    void compare(Index a_lo, Index a_hi, Index b_lo, Index b_hi) {
        for (;;) {
            while (a_lo < a_hi && b_lo < b_hi && a(a_lo) == b(b_lo)) match_[uz(a_lo++)] = b_lo++;
            while (a_lo < a_hi && b_lo < b_hi && a(a_hi - 1) == b(b_hi - 1)) match_[uz(--a_hi)] = --b_hi;
            if (a_lo == a_hi || b_lo == b_hi) return;
            const auto split = bisect(a_lo, a_hi, b_lo, b_hi);
            // No split: nothing in common. A corner would not make progress; it cannot happen once
            // the common ends are gone, but leaving the range unmatched is still a correct diff.
            if (!split || (split->x == a_lo && split->y == b_lo) || (split->x == a_hi && split->y == b_hi)) return;
            compare(a_lo, split->x, b_lo, split->y);
            a_lo = split->x;
            b_lo = split->y;
        }
    }

    // Searches for the shortest edit path from both ends at once; returns the point where the two
    // searches meet (absolute coordinates), the furthest point reached when the search exceeds
    // kMaxCost, or nullopt when the ranges have no line in common.
    [[nodiscard]] std::optional<Point> bisect(Index a_lo, Index a_hi, Index b_lo, Index b_hi) const {
        const Index n = a_hi - a_lo;
        const Index m = b_hi - b_lo;
        const Index full = (n + m + 1) / 2;  // by then the searches have met, unless nothing matches
        const Index limit = std::min(full, kMaxCost);
        const Index offset = limit + 1;
        const Index length = 2 * offset + 1;
        // forward[offset + k]: furthest x on diagonal k = x - y from the start; backward: the same
        // from the end, in reversed coordinates. -1: not reached.
        std::vector<Index> forward(uz(length), -1);
        std::vector<Index> backward(uz(length), -1);
        forward[uz(offset + 1)] = 0;
        backward[uz(offset + 1)] = 0;
        const Index delta = n - m;
        const bool odd = delta % 2 != 0;  // then the searches meet during a forward step
        // Diagonals that left the grid are trimmed from the loops' ends.
        Index forward_start = 0, forward_end = 0, backward_start = 0, backward_end = 0;
        Point best;  // the forward point furthest from the start (for the cost bound)
        for (Index d = 0; d < limit; ++d) {
            for (Index k = -d + forward_start; k <= d - forward_end; k += 2) {
                const Index at = offset + k;
                Index x = (k == -d || (k != d && forward[uz(at - 1)] < forward[uz(at + 1)])) ? forward[uz(at + 1)]
                                                                                           : forward[uz(at - 1)] + 1;
                Index y = x - k;
                while (x < n && y < m && a(a_lo + x) == b(b_lo + y)) {
                    ++x;
                    ++y;
                }
                forward[uz(at)] = x;
                if (x > n) {
                    forward_end += 2;
                } else if (y > m) {
                    forward_start += 2;
                } else {
                    if (x + y > best.x + best.y) best = {x, y};
                    if (odd) {
                        const Index other = offset + delta - k;
                        if (other >= 0 && other < length && backward[uz(other)] != -1 &&
                            x >= n - backward[uz(other)])
                            return Point{a_lo + x, b_lo + y};
                    }
                }
            }
            for (Index k = -d + backward_start; k <= d - backward_end; k += 2) {
                const Index at = offset + k;
                Index x = (k == -d || (k != d && backward[uz(at - 1)] < backward[uz(at + 1)]))
                              ? backward[uz(at + 1)]
                              : backward[uz(at - 1)] + 1;
                Index y = x - k;
                while (x < n && y < m && a(a_hi - 1 - x) == b(b_hi - 1 - y)) {
                    ++x;
                    ++y;
                }
                backward[uz(at)] = x;
                if (x > n) {
                    backward_end += 2;
                } else if (y > m) {
                    backward_start += 2;
                } else if (!odd) {
                    const Index other = offset + delta - k;
                    if (other >= 0 && other < length && forward[uz(other)] != -1) {
                        const Index fx = forward[uz(other)];
                        const Index fy = fx - (other - offset);
                        if (fx <= n && fy >= 0 && fy <= m && fx >= n - x) return Point{a_lo + fx, b_lo + fy};
                    }
                }
            }
        }
        if (limit == full || best.x + best.y == 0) return std::nullopt;
        return Point{a_lo + best.x, b_lo + best.y};
    }

    const Symbols& a_;
    const Symbols& b_;
    std::vector<Index>& match_;
};

// For each line of base, the index of the line of side it matches, or kNone.
std::vector<Index> match_lines(const Symbols& base, const Symbols& side, std::size_t symbol_count) {
    std::vector<Index> match(base.size(), kNone);
    // The common prefix and suffix: for most edits this is nearly everything.
    std::size_t lo = 0;
    while (lo < base.size() && lo < side.size() && base[lo] == side[lo]) {
        match[lo] = sz(lo);
        ++lo;
    }
    std::size_t base_hi = base.size(), side_hi = side.size();
    while (base_hi > lo && side_hi > lo && base[base_hi - 1] == side[side_hi - 1]) {
        --base_hi;
        --side_hi;
        match[base_hi] = sz(side_hi);
    }
    if (lo == base_hi || lo == side_hi) return match;

    // Lines found in only one of the two cannot match: leave them out of the search.
    std::vector<std::uint8_t> in_base(symbol_count, 0), in_side(symbol_count, 0);
    for (std::size_t i = lo; i < base_hi; ++i) in_base[base[i]] = 1;
    for (std::size_t j = lo; j < side_hi; ++j) in_side[side[j]] = 1;
    Symbols a, b;
    std::vector<std::size_t> a_index, b_index;
    for (std::size_t i = lo; i < base_hi; ++i) {
        if (in_side[base[i]] == 0) continue;
        a.push_back(base[i]);
        a_index.push_back(i);
    }
    for (std::size_t j = lo; j < side_hi; ++j) {
        if (in_base[side[j]] == 0) continue;
        b.push_back(side[j]);
        b_index.push_back(j);
    }
    if (a.empty() || b.empty()) return match;

    std::vector<Index> inner(a.size(), kNone);
    Myers(a, b, inner).run();
    for (std::size_t i = 0; i < inner.size(); ++i)
        if (inner[i] != kNone) match[a_index[i]] = sz(b_index[uz(inner[i])]);
    return match;
}

// ---- diff3 ---------------------------------------------------------------------------------------

struct Range {
    Index lo = 0;
    Index hi = 0;
    [[nodiscard]] Index size() const noexcept { return hi - lo; }
};

bool same_lines(const Symbols& x, Range rx, const Symbols& y, Range ry) {
    return rx.size() == ry.size() && std::equal(x.begin() + rx.lo, x.begin() + rx.hi, y.begin() + ry.lo);
}

class Diff3 {
public:
    Diff3(std::string_view base, std::string_view mine, std::string_view theirs)
        : base_(split_lines(base)), mine_(split_lines(mine)), theirs_(split_lines(theirs)) {
        Interner interner;
        base_symbols_ = interner.intern(base_.text);
        mine_symbols_ = interner.intern(mine_.text);
        theirs_symbols_ = interner.intern(theirs_.text);
        mine_match_ = match_lines(base_symbols_, mine_symbols_, interner.size());
        theirs_match_ = match_lines(base_symbols_, theirs_symbols_, interner.size());
    }

    TextMerge run() {
        const Index base_size = sz(base_.text.size());
        const Index mine_size = sz(mine_.text.size());
        const Index theirs_size = sz(theirs_.text.size());
        Index o = 0, a = 0, b = 0;
        for (;;) {
            // Stable: the base line is where both sides are.
            while (o < base_size && mine_match_[uz(o)] == a && theirs_match_[uz(o)] == b) {
                out_.push_back(base_.text[uz(o)]);
                ++o;
                ++a;
                ++b;
            }
            if (o == base_size && a == mine_size && b == theirs_size) break;
            // Unstable up to the next base line both sides kept (or the end).
            Index next = o;
            while (next < base_size && (mine_match_[uz(next)] == kNone || theirs_match_[uz(next)] == kNone)) ++next;
            const Index mine_end = next < base_size ? mine_match_[uz(next)] : mine_size;
            const Index theirs_end = next < base_size ? theirs_match_[uz(next)] : theirs_size;
            chunk({o, next}, {a, mine_end}, {b, theirs_end});
            o = next;
            a = mine_end;
            b = theirs_end;
        }

        TextMerge result;
        result.conflicts = conflicts_;
        result.clean = conflicts_ == 0;
        std::size_t bytes = out_.size();
        for (const auto line : out_) bytes += line.size();
        result.merged.reserve(bytes);
        for (std::size_t i = 0; i < out_.size(); ++i) {
            if (i > 0) result.merged += '\n';
            result.merged += out_[i];
        }
        // A one-line change that cannot conflict: there are only two values.
        const bool final_newline =
            mine_.final_newline != base_.final_newline ? mine_.final_newline : theirs_.final_newline;
        if (final_newline && !out_.empty()) result.merged += '\n';
        return result;
    }

private:
    void chunk(Range o, Range a, Range b) {
        if (same_lines(base_symbols_, o, mine_symbols_, a)) return take(theirs_, b);
        if (same_lines(base_symbols_, o, theirs_symbols_, b)) return take(mine_, a);
        if (same_lines(mine_symbols_, a, theirs_symbols_, b)) return take(mine_, a);
        ++conflicts_;
        // Lines both versions begin or end with are not part of the disagreement.
        while (a.lo < a.hi && b.lo < b.hi && mine_symbols_[uz(a.lo)] == theirs_symbols_[uz(b.lo)]) {
            out_.push_back(mine_.text[uz(a.lo)]);
            ++a.lo;
            ++b.lo;
        }
        Index common_end = 0;
        while (a.lo < a.hi - common_end && b.lo < b.hi - common_end &&
               mine_symbols_[uz(a.hi - 1 - common_end)] == theirs_symbols_[uz(b.hi - 1 - common_end)])
            ++common_end;
        out_.push_back(kMineMarker);
        take(mine_, {a.lo, a.hi - common_end});
        out_.push_back(kSeparatorMarker);
        take(theirs_, {b.lo, b.hi - common_end});
        out_.push_back(kEndMarker);
        take(mine_, {a.hi - common_end, a.hi});
    }

    void take(const Lines& lines, Range range) {
        for (Index i = range.lo; i < range.hi; ++i) out_.push_back(lines.text[uz(i)]);
    }

    Lines base_, mine_, theirs_;
    Symbols base_symbols_, mine_symbols_, theirs_symbols_;
    std::vector<Index> mine_match_, theirs_match_;
    std::vector<std::string_view> out_;
    std::size_t conflicts_ = 0;
};

// ---- bodies --------------------------------------------------------------------------------------

// RFC 6901: '~' is written "~0" and '/' "~1".
std::string pointer_token(const std::string& key) {
    std::string token;
    token.reserve(key.size());
    for (const char c : key) {
        if (c == '~')
            token += "~0";
        else if (c == '/')
            token += "~1";
        else
            token += c;
    }
    return token;
}

const json* field(const json& object, const std::string& key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

// Equal values, or both absent.
bool same(const json* x, const json* y) {
    if (x == nullptr || y == nullptr) return x == y;
    return *x == *y;
}

json or_null(const json* value) { return value == nullptr ? json() : *value; }

const json& empty_object() {
    static const json empty = json::object();
    return empty;
}

void merge_objects(const json& base, const json& mine, const json& theirs, const std::string& prefix, json& merged,
                   BodyMerge& result) {
    std::set<std::string> keys;
    for (const auto* object : {&base, &mine, &theirs})
        for (const auto& item : object->items()) keys.insert(item.key());
    for (const auto& key : keys) {
        const json* b = field(base, key);
        const json* m = field(mine, key);
        const json* t = field(theirs, key);
        if (same(m, b)) {  // only theirs changed it, if anyone did
            if (t != nullptr) merged[key] = *t;
            continue;
        }
        if (same(t, b) || same(m, t)) {  // only mine changed it, or both the same way
            if (m != nullptr) merged[key] = *m;
            continue;
        }
        const std::string pointer = prefix + "/" + pointer_token(key);
        if (m != nullptr && t != nullptr && m->is_object() && t->is_object()) {
            json nested = json::object();
            merge_objects(b != nullptr && b->is_object() ? *b : empty_object(), *m, *t, pointer, nested, result);
            merged[key] = std::move(nested);
            continue;
        }
        if (m != nullptr && t != nullptr && m->is_string() && t->is_string() && (b == nullptr || b->is_string())) {
            auto text = merge_text(b == nullptr ? std::string_view() : b->get_ref<const std::string&>(),
                                   m->get_ref<const std::string&>(), t->get_ref<const std::string&>());
            if (text.clean) {
                merged[key] = std::move(text.merged);
                result.merged_fields.push_back(pointer);
                continue;
            }
        }
        result.conflicts.push_back(FieldConflict{pointer, or_null(b), or_null(m), or_null(t)});
        if (m != nullptr) merged[key] = *m;
    }
}

}  // namespace

TextMerge merge_text(std::string_view base, std::string_view mine, std::string_view theirs) {
    return Diff3(base, mine, theirs).run();
}

LineChanges count_line_changes(std::string_view before, std::string_view after) {
    const auto old_lines = split_lines(before);
    const auto new_lines = split_lines(after);
    Interner interner;
    const auto old_symbols = interner.intern(old_lines.text);
    const auto new_symbols = interner.intern(new_lines.text);
    const auto match = match_lines(old_symbols, new_symbols, interner.size());
    const auto kept =
        static_cast<std::size_t>(std::count_if(match.begin(), match.end(), [](Index j) { return j != kNone; }));
    return {old_symbols.size() - kept, new_symbols.size() - kept};
}

BodyMerge merge_bodies(const json& base, const json& mine, const json& theirs) {
    if (!mine.is_object()) throw std::invalid_argument("merge_bodies: my version is not a JSON object");
    if (!theirs.is_object()) throw std::invalid_argument("merge_bodies: their version is not a JSON object");
    BodyMerge result;
    result.merged = json::object();
    merge_objects(base.is_object() ? base : empty_object(), mine, theirs, "", result.merged, result);
    return result;
}

}  // namespace imrdesk::domain
