#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "imrdesk/shared/codec.hpp"
#include "imrdesk/shared/merge.hpp"

using namespace imrdesk::domain;
using nlohmann::json;

namespace {

// Text from lines joined by '\n', as merge_text writes it: a final newline only after a line.
std::string join(const std::vector<std::string>& lines, bool final_newline = false) {
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) text += '\n';
        text += lines[i];
    }
    if (final_newline && !lines.empty()) text += '\n';
    return text;
}

// The lines merge_text sees: a final newline ends the last line rather than starting an empty one.
std::vector<std::string> lines_of(std::string text) {
    std::vector<std::string> lines;
    if (text.empty()) return lines;
    if (text.back() == '\n') text.pop_back();
    std::size_t start = 0;
    for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    lines.push_back(text.substr(start));
    return lines;
}

std::string conflict_block(const std::string& mine, const std::string& theirs) {
    std::string block = std::string(kMineMarker) + "\n";
    if (!mine.empty()) block += mine + "\n";
    block += std::string(kSeparatorMarker) + "\n";
    if (!theirs.empty()) block += theirs + "\n";
    return block + std::string(kEndMarker);
}

// Uniform in [0, n).
std::size_t below(std::mt19937& rng, std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}

// A random text of up to max_lines lines from a small vocabulary, so lines repeat and diffs are
// ambiguous.
struct RandomText {
    std::vector<std::string> lines;
    bool final_newline = false;
    [[nodiscard]] std::string text() const { return join(lines, final_newline); }
};

RandomText random_text(std::mt19937& rng, std::size_t max_lines) {
    static const std::vector<std::string> vocabulary{"a", "b", "c", "", "a\r", " "};
    RandomText t;
    const auto n = below(rng, max_lines + 1);
    for (std::size_t i = 0; i < n; ++i) t.lines.push_back(vocabulary[below(rng, vocabulary.size())]);
    t.final_newline = below(rng, 2) == 1;
    return t;
}

RandomText random_edit(std::mt19937& rng, RandomText t) {
    static const std::vector<std::string> vocabulary{"a", "b", "c", "", "d", "e"};
    const auto edits = below(rng, 4);
    for (std::size_t e = 0; e < edits; ++e) {
        const auto at = t.lines.empty() ? 0 : below(rng, t.lines.size());
        switch (below(rng, 4)) {
            case 0: t.lines.insert(t.lines.begin() + static_cast<std::ptrdiff_t>(below(rng, t.lines.size() + 1)),
                                   vocabulary[below(rng, vocabulary.size())]);
                break;
            case 1:
                if (!t.lines.empty()) t.lines.erase(t.lines.begin() + static_cast<std::ptrdiff_t>(at));
                break;
            case 2:
                if (!t.lines.empty()) t.lines[at] = vocabulary[below(rng, vocabulary.size())];
                break;
            default: t.final_newline = !t.final_newline; break;
        }
    }
    return t;
}

// One edit of the base, as a range of base lines [from, to) and the lines that replace it.
struct Edit {
    std::size_t from = 0;
    std::size_t to = 0;
    std::vector<std::string> replacement;
    bool mine = true;
};

// Applies edits, sorted and not overlapping, to base.
std::vector<std::string> apply_edits(const std::vector<std::string>& base, const std::vector<Edit>& edits) {
    std::vector<std::string> out;
    std::size_t at = 0;
    for (const auto& edit : edits) {
        out.insert(out.end(), base.begin() + static_cast<std::ptrdiff_t>(at),
                   base.begin() + static_cast<std::ptrdiff_t>(edit.from));
        out.insert(out.end(), edit.replacement.begin(), edit.replacement.end());
        at = edit.to;
    }
    out.insert(out.end(), base.begin() + static_cast<std::ptrdiff_t>(at), base.end());
    return out;
}

std::vector<Edit> only(const std::vector<Edit>& edits, bool mine) {
    std::vector<Edit> out;
    std::copy_if(edits.begin(), edits.end(), std::back_inserter(out), [&](const Edit& e) { return e.mine == mine; });
    return out;
}

std::vector<std::string> numbered_lines(std::size_t count, const std::string& prefix) {
    std::vector<std::string> lines;
    lines.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        lines.push_back(i % 5 == 4 ? std::string() : prefix + " " + std::to_string(i) + " of the report.");
    return lines;
}

}  // namespace

// ---- merge_text ----------------------------------------------------------------------------------

TEST_CASE("merging a text with itself gives it back byte for byte") {
    for (const std::string x : {"", "a", "a\n", "\n", "\n\n", "a\nb", "a\nb\n", "\n\na\n\n", "a\r\nb\r\n", "\r", " "}) {
        CAPTURE(x);
        const auto r = merge_text(x, x, x);
        CHECK(r.clean);
        CHECK(r.conflicts == 0);
        CHECK(r.merged == x);
    }
}

TEST_CASE("a change on one side only is taken, whichever side made it") {
    const std::string base = "Intro.\nThe GP saw Adult A.\nOutro.";
    const std::string changed = "Intro.\nThe GP saw Adult A alone.\nA new line.\nOutro.";
    CHECK(merge_text(base, changed, base).merged == changed);
    CHECK(merge_text(base, base, changed).merged == changed);
    CHECK(merge_text(base, changed, base).clean);
    CHECK(merge_text(base, "", base).merged == "");
    CHECK(merge_text("", base, "").merged == base);
    CHECK(merge_text(base, base, "").merged == "");
}

TEST_CASE("the same change on both sides is taken once") {
    const auto r = merge_text("a\nb\nc", "a\nB\nc\nd", "a\nB\nc\nd");
    CHECK(r.clean);
    CHECK(r.merged == "a\nB\nc\nd");
}

TEST_CASE("edits to different paragraphs merge cleanly") {
    const std::string base = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.";
    const std::string mine = "First paragraph, revised.\n\nSecond paragraph.\n\nThird paragraph.";
    const std::string theirs = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph, revised.\nWith more.";
    const auto r = merge_text(base, mine, theirs);
    CHECK(r.clean);
    CHECK(r.conflicts == 0);
    CHECK(r.merged == "First paragraph, revised.\n\nSecond paragraph.\n\nThird paragraph, revised.\nWith more.");
    CHECK(merge_text(base, theirs, mine).merged == r.merged);
}

TEST_CASE("overlapping edits are a conflict showing both versions between the markers") {
    const auto r = merge_text("Intro.\nThe line.\nOutro.", "Intro.\nMy line.\nOutro.", "Intro.\nTheir line.\nOutro.");
    CHECK_FALSE(r.clean);
    CHECK(r.conflicts == 1);
    CHECK(r.merged == "Intro.\n" + conflict_block("My line.", "Their line.") + "\nOutro.");

    // Edits that touch (neighbouring lines, no unchanged line between) are one conflicting hunk.
    const auto touching = merge_text("a\nb\nc\nd", "a\nB\nc\nd", "a\nb\nC\nd");
    CHECK(touching.conflicts == 1);
    CHECK(touching.merged == "a\n" + conflict_block("B\nc", "b\nC") + "\nd");

    // Two separate conflicts are counted apart; the line between them is written once.
    const auto two = merge_text("a\nb\nc\nd\ne", "A1\nb\nc\nd\nE1", "A2\nb\nc\nd\nE2");
    CHECK(two.conflicts == 2);
    CHECK(two.merged == conflict_block("A1", "A2") + "\nb\nc\nd\n" + conflict_block("E1", "E2"));
}

TEST_CASE("lines both versions of a conflict share are kept outside the markers") {
    const auto r = merge_text("a\nx\nz", "a\nsame start\nmine\nsame end\nz", "a\nsame start\ntheirs\nsame end\nz");
    CHECK(r.conflicts == 1);
    CHECK(r.merged == "a\nsame start\n" + conflict_block("mine", "theirs") + "\nsame end\nz");
}

TEST_CASE("insertions at the same place conflict unless they are the same") {
    const std::string base = "a\nb";
    const auto different = merge_text(base, "a\nmine\nb", "a\ntheirs\nb");
    CHECK(different.conflicts == 1);
    CHECK(different.merged == "a\n" + conflict_block("mine", "theirs") + "\nb");
    CHECK(merge_text(base, "a\nsame\nb", "a\nsame\nb").merged == "a\nsame\nb");
    const auto at_end = merge_text(base, "a\nb\nmine", "a\nb\ntheirs");
    CHECK(at_end.merged == "a\nb\n" + conflict_block("mine", "theirs"));
    // At different places they merge.
    const auto apart = merge_text("a\nb\nc", "mine\na\nb\nc", "a\nb\nc\ntheirs");
    CHECK(apart.clean);
    CHECK(apart.merged == "mine\na\nb\nc\ntheirs");
}

TEST_CASE("deleting a line the other side edited is a conflict") {
    const auto r = merge_text("a\nb\nc", "a\nc", "a\nB\nc");
    CHECK_FALSE(r.clean);
    CHECK(r.merged == "a\n" + conflict_block("", "B") + "\nc");
    const auto reverse = merge_text("a\nb\nc", "a\nB\nc", "a\nc");
    CHECK(reverse.merged == "a\n" + conflict_block("B", "") + "\nc");
    // Both deleting it is the same change.
    CHECK(merge_text("a\nb\nc", "a\nc", "a\nc").merged == "a\nc");
}

TEST_CASE("the final newline is kept, and a change to it is merged like any one-sided change") {
    CHECK(merge_text("a\nb\nc\n", "A\nb\nc\n", "a\nb\nC\n").merged == "A\nb\nC\n");
    CHECK(merge_text("a\nb\nc", "A\nb\nc", "a\nb\nC").merged == "A\nb\nC");
    CHECK(merge_text("a\nb\nc", "a\nb\nc\n", "A\nb\nc").merged == "A\nb\nc\n");     // mine added it
    CHECK(merge_text("a\nb\nc\n", "A\nb\nc\n", "a\nb\nc").merged == "A\nb\nc");     // theirs removed it
    CHECK(merge_text("a\n", "a\n\n", "a\n").merged == "a\n\n");                      // an added empty line
    CHECK(merge_text("\n", "", "\n").merged == "");
    CHECK(merge_text("", "\n", "").merged == "\n");
    // Appending after a last line without a newline leaves that line alone, so it merges with an
    // edit further up.
    CHECK(merge_text("a\nb\nc", "A\nb\nc", "a\nb\nc\nd").merged == "A\nb\nc\nd");
}

TEST_CASE("a carriage return is ordinary content") {
    const std::string base = "a\r\nb\r\nc\r\nd\r\n";
    const auto r = merge_text(base, "a\r\nB\r\nc\r\nd\r\n", "a\r\nb\r\nc\r\nD\r\n");
    CHECK(r.clean);
    CHECK(r.merged == "a\r\nB\r\nc\r\nD\r\n");
    // Changing only the line end of a line is a change to that line.
    CHECK(merge_text("a\r\nb\r\nc", "a\nb\r\nc", "a\r\nb\r\nc").merged == "a\nb\r\nc");
    CHECK(merge_text("a\r\nb\r\nc", "a\nb\r\nc", "x\r\nb\r\nc").conflicts == 1);
}

TEST_CASE("line changes are counted") {
    CHECK(count_line_changes("", "") == LineChanges{0, 0});
    CHECK(count_line_changes("a\nb\nc", "a\nb\nc\n") == LineChanges{0, 0});
    CHECK(count_line_changes("a\nb\nc", "a\nB\nc\nd") == LineChanges{1, 2});
    CHECK(count_line_changes("a\nb\nc", "") == LineChanges{3, 0});
    CHECK(count_line_changes("x\na\nb\nx\nc", "a\nx\nb\nc\nx") == LineChanges{2, 2});
}

TEST_CASE("property: the line diff keeps a longest common subsequence of lines") {
    // Checked against the textbook dynamic programme on small texts with many repeated lines,
    // where the alignment is ambiguous and a careless diff would settle for fewer common lines.
    std::mt19937 rng(11);
    for (int round = 0; round < 3000; ++round) {
        const auto before = random_text(rng, 1 + below(rng, 40));
        const auto after = below(rng, 2) == 0 ? random_edit(rng, random_edit(rng, before)) : random_text(rng, 40);
        const auto x = lines_of(before.text());
        const auto y = lines_of(after.text());
        std::vector<std::vector<std::size_t>> table(x.size() + 1, std::vector<std::size_t>(y.size() + 1, 0));
        for (std::size_t i = x.size(); i-- > 0;)
            for (std::size_t j = y.size(); j-- > 0;)
                table[i][j] = x[i] == y[j] ? table[i + 1][j + 1] + 1 : std::max(table[i + 1][j], table[i][j + 1]);
        const auto common = table[0][0];
        CAPTURE(before.text());
        CAPTURE(after.text());
        REQUIRE(count_line_changes(before.text(), after.text()) == LineChanges{x.size() - common, y.size() - common});
    }
}

TEST_CASE("property: random texts merge as diff3 promises") {
    std::mt19937 rng(20260301);
    for (int round = 0; round < 4000; ++round) {
        const auto base = random_text(rng, 10);
        const auto changed = random_edit(rng, base);
        const auto other = random_edit(rng, base);
        CAPTURE(base.text());
        CAPTURE(changed.text());
        CAPTURE(other.text());

        // Only one side changed: the result is that side, exactly.
        const auto mine_only = merge_text(base.text(), changed.text(), base.text());
        REQUIRE(mine_only.clean);
        REQUIRE(mine_only.merged == changed.text());
        const auto theirs_only = merge_text(base.text(), base.text(), changed.text());
        REQUIRE(theirs_only.clean);
        REQUIRE(theirs_only.merged == changed.text());
        // The same change on both sides.
        REQUIRE(merge_text(base.text(), changed.text(), changed.text()).merged == changed.text());

        // Both changed: the outcome does not depend on which side is mine, and a clean merge
        // never holds a marker.
        const auto forward = merge_text(base.text(), changed.text(), other.text());
        const auto backward = merge_text(base.text(), other.text(), changed.text());
        REQUIRE(forward.clean == backward.clean);
        REQUIRE(forward.conflicts == backward.conflicts);
        REQUIRE(forward.clean == (forward.conflicts == 0));
        if (forward.clean) {
            REQUIRE(forward.merged == backward.merged);
            REQUIRE(forward.merged.find(kMineMarker) == std::string::npos);
        } else {
            REQUIRE(forward.merged.find(kMineMarker) != std::string::npos);
            REQUIRE(forward.merged.find(kEndMarker) != std::string::npos);
        }
    }
}

TEST_CASE("property: disjoint edits of a list of lines merge to both edits applied") {
    std::mt19937 rng(7);
    std::size_t fresh = 0;
    for (int round = 0; round < 3000; ++round) {
        std::vector<std::string> base;
        const auto size = 1 + below(rng, 30);
        for (std::size_t i = 0; i < size; ++i) base.push_back("line " + std::to_string(i));
        // Edits in order, each separated from the next by at least one untouched base line.
        std::vector<Edit> edits;
        std::size_t at = below(rng, 3);
        while (at <= size) {
            Edit edit;
            edit.from = at;
            edit.to = std::min(size, at + below(rng, 3));
            const auto added = below(rng, 3) + (edit.from == edit.to ? 1 : 0);
            edit.mine = below(rng, 2) == 0;
            for (std::size_t i = 0; i < added; ++i)
                edit.replacement.push_back((edit.mine ? "mine " : "theirs ") + std::to_string(fresh++));
            edits.push_back(edit);
            at = edit.to + 1 + below(rng, 3);
        }
        const bool final_newline = below(rng, 2) == 1;
        const bool mine_flips_newline = below(rng, 4) == 0;
        const auto base_text = join(base, final_newline);
        const auto mine_text = join(apply_edits(base, only(edits, true)), final_newline != mine_flips_newline);
        const auto theirs_text = join(apply_edits(base, only(edits, false)), final_newline);
        const auto expected = join(apply_edits(base, edits), final_newline != mine_flips_newline);
        CAPTURE(base_text);
        CAPTURE(mine_text);
        CAPTURE(theirs_text);
        const auto r = merge_text(base_text, mine_text, theirs_text);
        REQUIRE(r.clean);
        REQUIRE(r.merged == expected);
    }
}

TEST_CASE("merging long texts stays fast and small") {
    // 20,000 lines; a few edits on each side. A quadratic table would need 400 million cells.
    const auto base = numbered_lines(20000, "Line");
    auto mine = base;
    auto theirs = base;
    mine[100] = "Mine rewrote line 100.";
    mine[5000] = "Mine rewrote line 5000.";
    mine.insert(mine.begin() + 12000, "Mine inserted before line 12000.");
    theirs[200] = "Theirs rewrote line 200.";
    theirs[9000] = "Theirs rewrote line 9000.";
    theirs.erase(theirs.begin() + 17000);
    theirs.push_back("Theirs appended a line.");
    auto expected = base;
    expected[100] = mine[100];
    expected[200] = theirs[200];
    expected[5000] = mine[5000];
    expected[9000] = theirs[9000];
    expected.erase(expected.begin() + 17000);
    expected.insert(expected.begin() + 12000, "Mine inserted before line 12000.");
    expected.push_back("Theirs appended a line.");
    const auto r = merge_text(join(base, true), join(mine, true), join(theirs, true));
    CHECK(r.clean);
    CHECK(r.merged == join(expected, true));

    // Both sides rewrote everything: one conflict holding both texts.
    const auto mine_all = join(numbered_lines(20000, "Mine"), true);
    const auto theirs_all = join(numbered_lines(20000, "Theirs"), true);
    const auto rewrite = merge_text(join(base, true), mine_all, theirs_all);
    CHECK(rewrite.conflicts >= 1);
    CHECK(rewrite.merged.find("Mine 19998 of the report.") != std::string::npos);
    CHECK(rewrite.merged.find("Theirs 19998 of the report.") != std::string::npos);

    // Rewrites from a small vocabulary: many short matches, the worst case for the diff. The
    // merge must still finish, and taking one side only must still give that side.
    std::mt19937 rng(3);
    const auto random_lines = [&](std::size_t n) {
        std::vector<std::string> lines;
        for (std::size_t i = 0; i < n; ++i) lines.push_back("w" + std::to_string(below(rng, 40)));
        return join(lines);
    };
    const auto o = random_lines(10000);
    const auto a = random_lines(10000);
    const auto b = random_lines(10000);
    const auto messy = merge_text(o, a, b);
    CHECK_FALSE(messy.clean);
    CHECK(merge_text(o, a, o).merged == a);
}

// ---- merge_bodies --------------------------------------------------------------------------------

TEST_CASE("a field changed on one side takes that side") {
    const json base = {{"v", 1}, {"text", "a"}, {"complete", false}, {"order", 1}};
    json mine = base;
    mine["complete"] = true;
    auto r = merge_bodies(base, mine, base);
    CHECK(r.clean());
    CHECK(r.merged == mine);
    CHECK(r.merged_fields.empty());
    r = merge_bodies(base, base, mine);
    CHECK(r.clean());
    CHECK(r.merged == mine);
}

TEST_CASE("edits to different fields merge") {
    const json base = {{"v", 1}, {"text", "a"}, {"complete", false}, {"order", 1}};
    json mine = base;
    json theirs = base;
    mine["complete"] = true;
    theirs["order"] = 4;
    theirs["text"] = "b";
    const auto r = merge_bodies(base, mine, theirs);
    CHECK(r.clean());
    CHECK(r.merged == json{{"v", 1}, {"text", "b"}, {"complete", true}, {"order", 4}});
    CHECK(r.merged_fields.empty());
}

TEST_CASE("a text field both sides edited in different lines merges and is logged") {
    const json base = {{"v", 1}, {"text", "First.\n\nSecond.\n\nThird."}};
    const json mine = {{"v", 1}, {"text", "First, mine.\n\nSecond.\n\nThird."}};
    const json theirs = {{"v", 1}, {"text", "First.\n\nSecond.\n\nThird, theirs."}};
    const auto r = merge_bodies(base, mine, theirs);
    CHECK(r.clean());
    CHECK(r.merged["text"] == "First, mine.\n\nSecond.\n\nThird, theirs.");
    CHECK(r.merged_fields == std::vector<std::string>{"/text"});
}

TEST_CASE("a field both sides changed differently is a conflict and the merge holds mine") {
    const json base = {{"v", 1},
                       {"order", 1},
                       {"citations", json::array({"c1"})},
                       {"text", "The line."},
                       {"title", "T"},
                       {"done", "no"}};
    const json mine = {{"v", 1},
                       {"order", 2},
                       {"citations", json::array({"c1", "c2"})},
                       {"text", "My line."},
                       {"title", 7},
                       {"done", true},
                       {"flag", true}};
    const json theirs = {{"v", 1},
                         {"order", 3},
                         {"citations", json::array({"c3"})},
                         {"text", "Their line."},
                         {"title", "U"},
                         {"done", false},
                         {"flag", false}};
    const auto r = merge_bodies(base, mine, theirs);
    CHECK_FALSE(r.clean());
    CHECK(r.merged == mine);
    CHECK(r.merged_fields.empty());
    REQUIRE(r.conflicts.size() == 6);
    // In key order: citations, done, flag, order, text, title.
    CHECK(r.conflicts[0].field == "/citations");
    CHECK(r.conflicts[0].base == json::array({"c1"}));
    CHECK(r.conflicts[0].mine == json::array({"c1", "c2"}));
    CHECK(r.conflicts[0].theirs == json::array({"c3"}));
    CHECK(r.conflicts[1].field == "/done");
    CHECK(r.conflicts[2].field == "/flag");  // added on both sides with different values
    CHECK(r.conflicts[2].base.is_null());
    CHECK(r.conflicts[2].mine == true);
    CHECK(r.conflicts[2].theirs == false);
    CHECK(r.conflicts[3].field == "/order");
    CHECK(r.conflicts[3].base == 1);
    CHECK(r.conflicts[3].mine == 2);
    CHECK(r.conflicts[3].theirs == 3);
    // A text conflict carries the three versions themselves, not the text with markers.
    CHECK(r.conflicts[4].field == "/text");
    CHECK(r.conflicts[4].base == "The line.");
    CHECK(r.conflicts[4].mine == "My line.");
    CHECK(r.conflicts[4].theirs == "Their line.");
    CHECK(r.conflicts[5].field == "/title");  // mixed types
}

TEST_CASE("added and removed fields") {
    const json base = {{"v", 1}, {"a", 1}, {"b", 2}, {"c", 3}};
    SUBCASE("a field added on one side is taken") {
        json theirs = base;
        theirs["new"] = "x";
        const auto r = merge_bodies(base, base, theirs);
        CHECK(r.clean());
        CHECK(r.merged == theirs);
    }
    SUBCASE("a field removed on one side and unchanged on the other is removed") {
        json mine = base;
        mine.erase("b");
        json theirs = base;
        theirs["c"] = 30;
        const auto r = merge_bodies(base, mine, theirs);
        CHECK(r.clean());
        CHECK(r.merged == json{{"v", 1}, {"a", 1}, {"c", 30}});
        CHECK(merge_bodies(base, theirs, mine).merged == r.merged);
    }
    SUBCASE("removed on one side and edited on the other is a conflict") {
        json mine = base;
        mine.erase("b");
        json theirs = base;
        theirs["b"] = 20;
        auto r = merge_bodies(base, mine, theirs);
        REQUIRE(r.conflicts.size() == 1);
        CHECK(r.conflicts[0].field == "/b");
        CHECK(r.conflicts[0].base == 2);
        CHECK(r.conflicts[0].mine.is_null());
        CHECK(r.conflicts[0].theirs == 20);
        CHECK_FALSE(r.merged.contains("b"));  // mine removed it
        r = merge_bodies(base, theirs, mine);
        REQUIRE(r.conflicts.size() == 1);
        CHECK(r.conflicts[0].mine == 20);
        CHECK(r.conflicts[0].theirs.is_null());
        CHECK(r.merged["b"] == 20);
    }
    SUBCASE("removed on both sides stays removed") {
        json gone = base;
        gone.erase("a");
        CHECK(merge_bodies(base, gone, gone).merged == gone);
    }
}

TEST_CASE("nested objects merge field by field with pointers to the nested field") {
    const json base = {{"v", 1}, {"extra", {{"a", 1}, {"b", "x"}, {"odd/key~", 0}}}};
    json mine = base;
    json theirs = base;
    mine["extra"]["a"] = 2;
    theirs["extra"]["b"] = "y";
    theirs["extra"]["c"] = json::array({1});
    auto r = merge_bodies(base, mine, theirs);
    CHECK(r.clean());
    CHECK(r.merged["extra"] == json{{"a", 2}, {"b", "y"}, {"c", json::array({1})}, {"odd/key~", 0}});

    mine["extra"]["odd/key~"] = 1;
    theirs["extra"]["odd/key~"] = 2;
    mine["extra"]["note"] = "first\nsecond";
    theirs["extra"]["note"] = "first\nsecond";
    r = merge_bodies(base, mine, theirs);
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0].field == "/extra/odd~1key~0");  // RFC 6901 escaping
    CHECK(r.merged["extra"]["odd/key~"] == 1);
    CHECK(r.merged["extra"]["note"] == "first\nsecond");
    CHECK(r.merged["extra"]["b"] == "y");

    // An object on one side against something else on the other is one conflict at that field.
    theirs["extra"] = json::array();
    r = merge_bodies(base, mine, theirs);
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0].field == "/extra");
    CHECK(r.merged["extra"] == mine["extra"]);
}

TEST_CASE("without a base, fields both sides wrote the same way merge and others conflict") {
    const json mine = {{"v", 1}, {"abbreviation", "GP"}, {"expansion", "General practitioner"}, {"m", 1}};
    const json theirs = {{"v", 1}, {"abbreviation", "GP"}, {"expansion", "General Practitioner"}, {"t", 2}};
    for (const json& base : {json(), json::object(), json::array()}) {
        const auto r = merge_bodies(base, mine, theirs);
        REQUIRE(r.conflicts.size() == 1);
        CHECK(r.conflicts[0].field == "/expansion");
        CHECK(r.conflicts[0].base.is_null());
        CHECK(r.merged ==
              json{{"v", 1}, {"abbreviation", "GP"}, {"expansion", "General practitioner"}, {"m", 1}, {"t", 2}});
    }
}

TEST_CASE("only objects can be merged") {
    const json body = {{"v", 1}};
    CHECK_THROWS_AS((void)merge_bodies(body, json::array(), body), std::invalid_argument);
    CHECK_THROWS_AS((void)merge_bodies(body, body, json("text")), std::invalid_argument);
    CHECK_THROWS_AS((void)merge_bodies(body, json(), body), std::invalid_argument);
}

TEST_CASE("section bodies edited on two devices merge and still decode") {
    SectionContent section{"analysis.q1", "Paragraph one.\n\nParagraph two.\n\nParagraph three.", false, "", {}, false,
                           json::object()};
    const json base = to_json(section);
    SectionContent mine = section;
    mine.text = "Paragraph one, expanded.\n\nParagraph two.\n\nParagraph three.";
    mine.complete = true;
    SectionContent theirs = section;
    theirs.text = "Paragraph one.\n\nParagraph two.\n\nParagraph three, corrected.";
    json theirs_body = to_json(theirs);
    theirs_body["reviewer_note"] = "from a newer client";
    const auto r = merge_bodies(base, to_json(mine), theirs_body);
    REQUIRE(r.clean());
    CHECK(r.merged_fields == std::vector<std::string>{"/text"});
    const auto merged = section_from_json(r.merged);
    CHECK(merged.text == "Paragraph one, expanded.\n\nParagraph two.\n\nParagraph three, corrected.");
    CHECK(merged.complete);
    CHECK(r.merged["reviewer_note"] == "from a newer client");
}
