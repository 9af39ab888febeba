#pragma once
// The one way text gets into the documents we write. Names, attribute names and fixed values
// are Markup, which only a string literal can make; anything else is user text, which always
// passes the caller's text filter (a pseudonymiser, say) and is then made valid XML 1.0
// character data: invalid UTF-8 and lone surrogates become U+FFFD, U+FFFE/U+FFFF become U+FFFD,
// C0 controls other than tab, line feed and carriage return are dropped. Characters outside the
// BMP (emoji) stay as they are.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace imrdesk::docformats {

// Takes user text (always valid UTF-8) and returns what is to be written instead.
using TextFilter = std::function<std::string(std::string_view)>;

// Markup we control. Constructible only in a constant expression from a literal, so user text
// cannot be passed where markup is expected; a literal that would need escaping does not compile.
class Markup {
public:
    template <std::size_t N>
    consteval Markup(const char (&literal)[N]) : text_(literal, N - 1) {  // NOLINT: implicit on purpose
        for (const char c : text_) {
            if (c == '<' || c == '>' || c == '&' || c == '"' || c == '\'') throw "Markup must not need escaping";
        }
    }
    [[nodiscard]] constexpr std::string_view view() const noexcept { return text_; }

private:
    std::string_view text_;
};

// Returns text as valid UTF-8 made only of characters XML 1.0 allows (see above).
[[nodiscard]] std::string make_xml_safe(std::string_view text);

// User text that has passed a filter and make_xml_safe. Only a UserTextFilter makes one.
class UserText {
public:
    [[nodiscard]] std::string_view view() const noexcept { return text_; }
    [[nodiscard]] bool empty() const noexcept { return text_.empty(); }
    [[nodiscard]] std::size_t size() const noexcept { return text_.size(); }
    // A part of it; both ends must fall on character boundaries (else std::out_of_range).
    [[nodiscard]] UserText substr(std::size_t pos, std::size_t count = std::string_view::npos) const;

private:
    friend class UserTextFilter;
    explicit UserText(std::string text) noexcept : text_(std::move(text)) {}
    std::string text_;
};

class UserTextFilter {
public:
    explicit UserTextFilter(TextFilter filter = {}) : filter_(std::move(filter)) {}
    // make_xml_safe(filter(make_xml_safe(text))): the filter sees valid UTF-8, and its output is
    // checked in turn.
    [[nodiscard]] UserText operator()(std::string_view text) const;

private:
    TextFilter filter_;
};

// A streaming writer into one std::string: no DOM, so large parts cost one pass.
class XmlWriter {
public:
    explicit XmlWriter(UserTextFilter filter = UserTextFilter{}, std::size_t reserve_bytes = 4096);

    void declaration();  // <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    void start(Markup name);
    void attribute(Markup name, Markup value);
    void attribute(Markup name, long long value);
    void hex_attribute(Markup name, std::uint32_t value, int digits);  // upper-case, zero-padded
    void user_attribute(Markup name, std::string_view text);           // filtered
    void user_attribute(Markup name, const UserText& text);
    void text(std::string_view text);  // filtered
    void text(const UserText& text);
    void raw_text(Markup text);
    void number_text(long long value, int min_digits = 1);  // zero-padded to min_digits
    void end();                   // closes the innermost open element (<x/> when it is empty)
    void element(Markup name);    // start + end: an empty element with no attributes

    [[nodiscard]] const UserTextFilter& filter() const noexcept { return filter_; }
    [[nodiscard]] UserText filtered(std::string_view text) const { return filter_(text); }
    void reserve(std::size_t more_bytes);
    // The document; std::logic_error if an element is still open.
    [[nodiscard]] std::string finish();

private:
    void close_start_tag();
    void require_open_tag(std::string_view what) const;

    UserTextFilter filter_;
    std::string out_;
    std::vector<std::string_view> open_;
    bool start_tag_open_ = false;
};

}  // namespace imrdesk::docformats
