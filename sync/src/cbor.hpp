#pragma once
// The CBOR (RFC 8949) the sync protocol speaks, read and written without building a document
// tree: a message of 500 record bodies is written straight into its buffer, and read into a flat
// list of values that point into the received bytes (nothing copied until a field is taken).
// Private to sync/src (messages.cpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace imrdesk::sync::cbor {

// --- writing -----------------------------------------------------------------------------------

// Appends CBOR in its shortest form (as nlohmann::json::to_cbor writes it). Maps are written with
// their keys in increasing byte order, the order a std::map keeps: key() refuses any other.
class Writer {
public:
    explicit Writer(std::vector<std::uint8_t>& out) : out_(out) {}

    // A map of `pairs` keys, each written with key() then its value; end_map() after the last.
    void map(std::size_t pairs);
    void key(std::string_view name);  // greater than the map's key before
    void end_map();
    void array(std::size_t items) { head(4, items); }
    void text(std::string_view value) {
        head(3, value.size());
        append(value.data(), value.size());
    }
    void bytes(std::span<const std::uint8_t> value) {
        head(2, value.size());
        append(value.data(), value.size());
    }
    void unsigned_int(std::uint64_t value) { head(0, value); }
    void signed_int(std::int64_t value);
    void boolean(bool value) { out_.push_back(value ? 0xF5 : 0xF4); }

private:
    void head(std::uint8_t major, std::uint64_t value);
    void append(const void* data, std::size_t size);

    std::vector<std::uint8_t>& out_;
    std::vector<std::string> last_keys_;  // one per open map
};

// --- reading -----------------------------------------------------------------------------------

enum class Type : std::uint8_t { Unsigned, Negative, Float, Text, Bytes, Boolean, Null, Array, Map };

struct Value {
    Type type = Type::Null;
    std::uint32_t count = 0;  // Array: items; Map: key-value pairs
    std::uint32_t end = 0;    // the index just past this value and everything inside it
    std::uint64_t number = 0; // Unsigned: the value; Negative: -1 - value; Boolean: 0 or 1
    double real = 0;          // Float
    std::span<const std::uint8_t> data;  // Text, Bytes: into the input
};

struct Limits {
    std::size_t max_depth = 8;
    std::size_t max_values = 100'000;  // every value, keys included
};

// Why a read failed: not CBOR this protocol accepts (truncated, trailing bytes, a tag, a
// length longer than the message ...), or too deep / too many values.
struct ReadError {
    bool too_complex = false;
    std::string what;
};

// The values of one CBOR data item, in order (a container before what it holds); values_[0] is
// the item itself. The input must outlive the document.
class Document {
public:
    // nullopt and `error` set when the bytes are not one whole CBOR item within the limits.
    static std::optional<Document> read(std::span<const std::uint8_t> bytes, const Limits& limits, ReadError& error);

    [[nodiscard]] const Value& at(std::uint32_t index) const { return values_[index]; }
    // A map's value for `key` (the last one, when a key appears twice), or nullopt.
    [[nodiscard]] std::optional<std::uint32_t> find(std::uint32_t map, std::string_view key) const;
    // The items of an array, as indexes.
    [[nodiscard]] std::vector<std::uint32_t> items(std::uint32_t array) const;

private:
    std::vector<Value> values_;
};

}  // namespace imrdesk::sync::cbor
