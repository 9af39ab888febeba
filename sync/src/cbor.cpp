#include "cbor.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace imrdesk::sync::cbor {

// --- writing -----------------------------------------------------------------------------------

void Writer::head(std::uint8_t major, std::uint64_t value) {
    const auto first = static_cast<std::uint8_t>(major << 5);
    if (value < 24) {
        out_.push_back(static_cast<std::uint8_t>(first | value));
        return;
    }
    int bytes = 8;
    std::uint8_t info = 27;
    if (value <= 0xFF) {
        bytes = 1;
        info = 24;
    } else if (value <= 0xFFFF) {
        bytes = 2;
        info = 25;
    } else if (value <= 0xFFFFFFFF) {
        bytes = 4;
        info = 26;
    }
    out_.push_back(static_cast<std::uint8_t>(first | info));
    for (int i = bytes - 1; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void Writer::append(const void* data, std::size_t size) {
    if (size == 0) return;
    const std::size_t at = out_.size();
    out_.resize(at + size);
    std::memcpy(out_.data() + at, data, size);
}

void Writer::map(std::size_t pairs) {
    head(5, pairs);
    last_keys_.emplace_back();
}

void Writer::key(std::string_view name) {
    if (last_keys_.empty()) throw std::logic_error("cbor::Writer: a key outside a map");
    auto& last = last_keys_.back();
    // The order std::map<std::string> keeps (and nlohmann::json::to_cbor wrote): byte order.
    if (!last.empty() && std::string_view(last) >= name)
        throw std::logic_error("cbor::Writer: key '" + std::string(name) + "' after '" + last + "'");
    last.assign(name);
    text(name);
}

void Writer::end_map() {
    if (last_keys_.empty()) throw std::logic_error("cbor::Writer: end_map without a map");
    last_keys_.pop_back();
}

void Writer::signed_int(std::int64_t value) {
    if (value >= 0) {
        head(0, static_cast<std::uint64_t>(value));
    } else {
        head(1, static_cast<std::uint64_t>(-1 - value));
    }
}

// --- reading -----------------------------------------------------------------------------------

namespace {

double half_to_double(std::uint16_t half) {
    const int exponent = (half >> 10) & 0x1F;
    const int mantissa = half & 0x3FF;
    double value = 0;
    if (exponent == 0) {
        value = std::ldexp(mantissa, -24);
    } else if (exponent != 31) {
        value = std::ldexp(mantissa + 1024, exponent - 25);
    } else {
        value = mantissa == 0 ? INFINITY : NAN;
    }
    return (half & 0x8000) != 0 ? -value : value;
}

class Reader {
public:
    Reader(std::span<const std::uint8_t> in, const Limits& limits, std::vector<Value>& out, ReadError& error)
        : in_(in), limits_(limits), out_(out), error_(error) {}

    bool whole() {
        if (!item(0)) return false;
        if (pos_ != in_.size()) return malformed("trailing bytes after the message");
        return true;
    }

private:
    bool malformed(const std::string& what) {
        error_ = {false, "not a valid CBOR message (at byte " + std::to_string(pos_) + "): " + what};
        return false;
    }
    bool too_complex(const std::string& what) {
        error_ = {true, "the message is too complex: " + what};
        return false;
    }
    [[nodiscard]] std::size_t left() const { return in_.size() - pos_; }

    // The initial byte and its argument; info 31 (indefinite length, or a break) sets `indefinite`.
    bool head(std::uint8_t& major, std::uint8_t& info, std::uint64_t& argument, bool& indefinite) {
        if (left() < 1) return malformed("unexpected end of input");
        const std::uint8_t first = in_[pos_++];
        major = static_cast<std::uint8_t>(first >> 5);
        info = static_cast<std::uint8_t>(first & 0x1F);
        indefinite = info == 31;
        if (info < 24 || indefinite) {
            argument = info;
            return true;
        }
        if (info > 27) return malformed("reserved additional information " + std::to_string(info));
        const std::size_t bytes = std::size_t{1} << (info - 24);
        if (left() < bytes) return malformed("unexpected end of input");
        argument = 0;
        for (std::size_t i = 0; i < bytes; ++i) argument = (argument << 8) | in_[pos_++];
        return true;
    }

    bool count() {
        if (++values_ > limits_.max_values)
            return too_complex("more than " + std::to_string(limits_.max_values) + " values");
        return true;
    }

    // The next value's initial byte and argument, counted against the limit.
    struct Head {
        std::uint8_t major = 0, info = 0;
        std::uint64_t argument = 0;
        bool indefinite = false;
        std::size_t start = 0;
    };
    bool next(Head& h) {
        if (!count()) return false;
        h.start = pos_;
        return head(h.major, h.info, h.argument, h.indefinite);
    }

    // A definite byte or text string whose head was read: its bytes, in place.
    bool string(const Head& h, Type type) {
        if (h.indefinite) return malformed("strings of indefinite length are not used by this protocol");
        if (h.argument > left())
            return malformed("a string declares " + std::to_string(h.argument) + " bytes, " + std::to_string(left()) +
                             " are left");
        Value v;
        v.type = type;
        v.data = in_.subspan(pos_, static_cast<std::size_t>(h.argument));
        pos_ += static_cast<std::size_t>(h.argument);
        v.end = static_cast<std::uint32_t>(out_.size() + 1);
        out_.push_back(v);
        return true;
    }

    // One item (and everything inside it) at nesting `depth` (the containers around it).
    bool item(std::size_t depth) {
        Head h;
        if (!next(h)) return false;
        Value v;
        switch (h.major) {
            case 0:
            case 1:
                if (h.indefinite) return malformed("an integer of indefinite length");
                v.type = h.major == 0 ? Type::Unsigned : Type::Negative;
                v.number = h.argument;
                break;
            case 2:
            case 3:
                return string(h, h.major == 2 ? Type::Bytes : Type::Text);
            case 4:
            case 5:
                return container(h.major == 5, h.indefinite, h.argument, depth);
            case 6:
                pos_ = h.start;
                return malformed("tags are not used by this protocol");
            default:
                if (h.indefinite) {
                    pos_ = h.start;
                    return malformed("a break outside an indefinite-length array or map");
                }
                switch (h.info) {
                    case 20:
                    case 21:
                        v.type = Type::Boolean;
                        v.number = h.info == 21 ? 1 : 0;
                        break;
                    case 22: v.type = Type::Null; break;
                    case 25:
                        v.type = Type::Float;
                        v.real = half_to_double(static_cast<std::uint16_t>(h.argument));
                        break;
                    case 26: {
                        v.type = Type::Float;
                        float f = 0;
                        const auto bits = static_cast<std::uint32_t>(h.argument);
                        std::memcpy(&f, &bits, sizeof f);
                        v.real = f;
                        break;
                    }
                    case 27:
                        v.type = Type::Float;
                        std::memcpy(&v.real, &h.argument, sizeof v.real);
                        break;
                    default: return malformed("simple value " + std::to_string(h.argument) + " is not used by this protocol");
                }
                break;
        }
        v.end = static_cast<std::uint32_t>(out_.size() + 1);
        out_.push_back(v);
        return true;
    }

    bool container(bool is_map, bool indefinite, std::uint64_t declared, std::size_t depth) {
        if (depth + 1 > limits_.max_depth)
            return too_complex("nested deeper than " + std::to_string(limits_.max_depth) + " levels");
        // Every element takes at least one byte: a longer declared length is a lie.
        if (!indefinite && declared > left())
            return malformed(std::string("an ") + (is_map ? "map" : "array") + " declares " + std::to_string(declared) +
                             " elements, " + std::to_string(left()) + " bytes are left");
        const auto index = static_cast<std::uint32_t>(out_.size());
        Value v;
        v.type = is_map ? Type::Map : Type::Array;
        out_.push_back(v);
        std::uint64_t n = 0;
        for (;; ++n) {
            if (indefinite) {
                if (left() < 1) return malformed("unexpected end of input");
                if (in_[pos_] == 0xFF) {
                    ++pos_;
                    break;
                }
            } else if (n == declared) {
                break;
            }
            if (is_map && !key()) return false;
            if (!item(depth + 1)) return false;
        }
        if (n > 0xFFFFFFFFu) return too_complex("a container of more than 2^32 elements");
        out_[index].count = static_cast<std::uint32_t>(n);
        out_[index].end = static_cast<std::uint32_t>(out_.size());
        return true;
    }

    // A map key: a definite text string.
    bool key() {
        Head h;
        if (!next(h)) return false;
        if (h.major != 3 || h.indefinite) {
            pos_ = h.start;
            return malformed("a map key is not a text string");
        }
        return string(h, Type::Text);
    }

    std::span<const std::uint8_t> in_;
    const Limits& limits_;
    std::vector<Value>& out_;
    ReadError& error_;
    std::size_t pos_ = 0;
    std::size_t values_ = 0;
};

}  // namespace

std::optional<Document> Document::read(std::span<const std::uint8_t> bytes, const Limits& limits, ReadError& error) {
    Document document;
    // About one value in 40 bytes for record bodies; the vector grows past that when it must.
    document.values_.reserve(std::min<std::size_t>(bytes.size() / 40 + 16, limits.max_values + 1));
    Reader reader(bytes, limits, document.values_, error);
    if (!reader.whole()) return std::nullopt;
    return document;
}

std::optional<std::uint32_t> Document::find(std::uint32_t map, std::string_view key) const {
    std::optional<std::uint32_t> found;
    std::uint32_t at = map + 1;
    for (std::uint32_t pair = 0; pair < values_[map].count; ++pair) {
        const Value& k = values_[at];
        if (std::string_view(reinterpret_cast<const char*>(k.data.data()), k.data.size()) == key) found = at + 1;
        at = values_[at + 1].end;
    }
    return found;
}

std::vector<std::uint32_t> Document::items(std::uint32_t array) const {
    std::vector<std::uint32_t> out;
    out.reserve(values_[array].count);
    std::uint32_t at = array + 1;
    for (std::uint32_t i = 0; i < values_[array].count; ++i) {
        out.push_back(at);
        at = values_[at].end;
    }
    return out;
}

}  // namespace imrdesk::sync::cbor
