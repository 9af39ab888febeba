#include "sheet_names.hpp"

#include <wctype.h>

#include "utf8.hpp"

namespace imrdesk::docformats::detail {
namespace {

constexpr std::size_t max_length = 31;  // Excel counts UTF-16 code units

std::size_t units(const std::u32string& text) noexcept {
    std::size_t count = 0;
    for (const char32_t c : text) count += c > 0xFFFF ? 2 : 1;
    return count;
}

std::u32string truncated(std::u32string text, std::size_t max_units) {
    while (units(text) > max_units) text.pop_back();
    while (!text.empty() && (text.back() == U' ' || text.back() == U'\'')) text.pop_back();
    return text;
}

std::u32string cleaned(std::string_view name) {
    std::u32string out;
    std::size_t pos = 0;
    while (pos < name.size()) {
        char32_t c = next_code_point(name, pos);
        if (c < 0x20) c = U' ';
        if (c == U'[' || c == U']' || c == U':' || c == U'*' || c == U'?' || c == U'/' || c == U'\\') c = U'_';
        out += c;
    }
    const auto first = out.find_first_not_of(U" '");
    if (first == std::u32string::npos) return U"Sheet";
    const auto last = out.find_last_not_of(U" '");
    return out.substr(first, last - first + 1);
}

std::string to_utf8(const std::u32string& text) {
    std::string out;
    for (const char32_t c : text) append_utf8(out, c);
    return out;
}

}  // namespace

void SheetNames::LocaleFreer::operator()(locale_t locale) const noexcept { freelocale(locale); }

SheetNames::SheetNames() : locale_(newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr))) {
    taken_.insert(U"history");
}

std::u32string SheetNames::fold(const std::u32string& name) const {
    std::u32string out;
    out.reserve(name.size());
    for (const char32_t c : name) {
        if (c < 0x80) {
            out += c >= U'A' && c <= U'Z' ? static_cast<char32_t>(c - U'A' + U'a') : c;
        } else if (locale_) {
            out += static_cast<char32_t>(towlower_l(static_cast<wint_t>(c), locale_.get()));
        } else {
            out += c;
        }
    }
    return out;
}

std::string SheetNames::add(std::string_view name) {
    const std::u32string base = truncated(cleaned(name), max_length);
    std::u32string candidate = base.empty() ? U"Sheet" : base;
    for (unsigned n = 2; taken_.count(fold(candidate)) != 0; ++n) {
        std::u32string suffix;
        for (const char c : " (" + std::to_string(n) + ")") suffix += static_cast<char32_t>(c);
        candidate = truncated(base, max_length - suffix.size()) + suffix;
    }
    taken_.insert(fold(candidate));
    return to_utf8(candidate);
}

}  // namespace imrdesk::docformats::detail
