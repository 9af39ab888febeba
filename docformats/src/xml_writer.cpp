#include "imrdesk/docformats/xml_writer.hpp"

#include <array>
#include <charconv>
#include <stdexcept>

#include "utf8.hpp"

namespace imrdesk::docformats {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// Bytes of a valid sequence starting at text[pos] (0 when it is invalid), and how many bytes of
// it were valid before it went wrong, so that a broken sequence is replaced by one U+FFFD.
struct Sequence {
    std::size_t length = 0;
    std::size_t valid_prefix = 1;
};

Sequence check_sequence(std::string_view text, std::size_t pos) noexcept {
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t length = 0;
    unsigned char low = 0x80;  // the range of the second byte, which rules out overlong forms,
    unsigned char high = 0xBF; // surrogates and code points past U+10FFFF
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return {};
    }
    for (std::size_t i = 1; i < length; ++i) {
        if (pos + i >= text.size()) return {0, i};
        const auto byte = static_cast<unsigned char>(text[pos + i]);
        const bool ok = i == 1 ? byte >= low && byte <= high : detail::is_continuation(byte);
        if (!ok) return {0, i};
    }
    return {length, length};
}

bool is_allowed_ascii(unsigned char c) noexcept { return c >= 0x20 || c == '\t' || c == '\n' || c == '\r'; }

void append_escaped(std::string& out, std::string_view text, bool in_attribute) {
    std::size_t plain = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::string_view entity;
        switch (text[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&apos;"; break;
        case '\r': entity = "&#13;"; break;  // a parser would turn a literal CR into LF
        case '\n': if (in_attribute) entity = "&#10;"; break;  // attribute values normalise
        case '\t': if (in_attribute) entity = "&#9;"; break;   // white space to spaces
        default: break;
        }
        if (entity.empty()) continue;
        out.append(text.substr(plain, i - plain));
        out.append(entity);
        plain = i + 1;
    }
    out.append(text.substr(plain));
}

}  // namespace

std::string make_xml_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto byte = static_cast<unsigned char>(text[pos]);
        if (byte < 0x80) {
            if (is_allowed_ascii(byte)) out += text[pos];
            ++pos;
            continue;
        }
        const Sequence sequence = check_sequence(text, pos);
        if (sequence.length == 0) {
            out.append(replacement);
            pos += sequence.valid_prefix;
            continue;
        }
        const std::string_view bytes = text.substr(pos, sequence.length);
        // U+FFFE and U+FFFF are not XML characters.
        out.append(bytes == "\xEF\xBF\xBE" || bytes == "\xEF\xBF\xBF" ? replacement : bytes);
        pos += sequence.length;
    }
    return out;
}

UserText UserText::substr(std::size_t pos, std::size_t count) const {
    if (pos > text_.size()) throw std::out_of_range("UserText::substr: position past the end");
    const std::size_t end = count >= text_.size() - pos ? text_.size() : pos + count;
    const auto inside_character = [this](std::size_t at) {
        return at < text_.size() && detail::is_continuation(static_cast<unsigned char>(text_[at]));
    };
    if (inside_character(pos) || inside_character(end)) {
        throw std::out_of_range("UserText::substr: cut inside a UTF-8 character");
    }
    return UserText(text_.substr(pos, end - pos));
}

UserText UserTextFilter::operator()(std::string_view text) const {
    std::string safe = make_xml_safe(text);
    if (!filter_) return UserText(std::move(safe));
    return UserText(make_xml_safe(filter_(safe)));
}

XmlWriter::XmlWriter(UserTextFilter filter, std::size_t reserve_bytes) : filter_(std::move(filter)) {
    out_.reserve(reserve_bytes);
}

void XmlWriter::reserve(std::size_t more_bytes) { out_.reserve(out_.size() + more_bytes); }

void XmlWriter::declaration() {
    if (!out_.empty()) throw std::logic_error("XmlWriter: the XML declaration must come first");
    out_.append(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)" "\n");
}

void XmlWriter::close_start_tag() {
    if (start_tag_open_) {
        out_ += '>';
        start_tag_open_ = false;
    }
}

void XmlWriter::require_open_tag(std::string_view what) const {
    if (!start_tag_open_) throw std::logic_error("XmlWriter: " + std::string(what) + " outside a start tag");
}

void XmlWriter::start(Markup name) {
    close_start_tag();
    out_ += '<';
    out_.append(name.view());
    open_.push_back(name.view());
    start_tag_open_ = true;
}

void XmlWriter::attribute(Markup name, Markup value) {
    require_open_tag("attribute");
    out_ += ' ';
    out_.append(name.view());
    out_.append("=\"");
    out_.append(value.view());
    out_ += '"';
}

void XmlWriter::attribute(Markup name, long long value) {
    require_open_tag("attribute");
    std::array<char, 24> digits{};
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
    out_ += ' ';
    out_.append(name.view());
    out_.append("=\"");
    out_.append(digits.data(), result.ptr);
    out_ += '"';
}

void XmlWriter::hex_attribute(Markup name, std::uint32_t value, int digits) {
    require_open_tag("attribute");
    constexpr std::string_view hex = "0123456789ABCDEF";
    out_ += ' ';
    out_.append(name.view());
    out_.append("=\"");
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out_ += hex[(value >> shift) & 0xFU];
    out_ += '"';
}

void XmlWriter::user_attribute(Markup name, std::string_view text) { user_attribute(name, filter_(text)); }

void XmlWriter::user_attribute(Markup name, const UserText& text) {
    require_open_tag("attribute");
    out_ += ' ';
    out_.append(name.view());
    out_.append("=\"");
    append_escaped(out_, text.view(), true);
    out_ += '"';
}

void XmlWriter::text(std::string_view text) { this->text(filter_(text)); }

void XmlWriter::text(const UserText& text) {
    close_start_tag();
    append_escaped(out_, text.view(), false);
}

void XmlWriter::raw_text(Markup text) {
    close_start_tag();
    out_.append(text.view());
}

void XmlWriter::number_text(long long value, int min_digits) {
    close_start_tag();
    std::array<char, 24> digits{};
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
    for (auto length = result.ptr - digits.data(); length < min_digits; ++length) out_ += '0';
    out_.append(digits.data(), result.ptr);
}

void XmlWriter::end() {
    if (open_.empty()) throw std::logic_error("XmlWriter: end() with no open element");
    if (start_tag_open_) {
        out_.append("/>");
        start_tag_open_ = false;
    } else {
        out_.append("</");
        out_.append(open_.back());
        out_ += '>';
    }
    open_.pop_back();
}

void XmlWriter::element(Markup name) {
    start(name);
    end();
}

std::string XmlWriter::finish() {
    if (!open_.empty()) throw std::logic_error("XmlWriter: <" + std::string(open_.back()) + "> is still open");
    return std::move(out_);
}

}  // namespace imrdesk::docformats
