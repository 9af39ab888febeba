#pragma once
// The text encodings that spreadsheets and records systems write, decoded to UTF-8 for import.
// Excel on Windows saves "CSV (Comma delimited)" in Windows-1252, "CSV UTF-8" with a byte-order
// mark, and "Unicode Text" as UTF-16 LE with a byte-order mark. Nothing is guessed silently:
// the result says what was detected, so the preview and the CLI can show it and the user can
// override it.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace imrdesk::text {

enum class Encoding { Utf8, Utf16Le, Utf16Be, Windows1252 };

[[nodiscard]] std::string_view name(Encoding encoding) noexcept;  // "UTF-8", "UTF-16 LE", "UTF-16 BE", "Windows-1252"
// "utf-8", "utf8", "utf-16" (byte-order mark decides, else LE), "utf-16le", "utf-16be",
// "windows-1252", "cp1252", case-insensitive; nullopt for anything else.
struct EncodingChoice {
    Encoding encoding = Encoding::Utf8;
    bool utf16_by_bom = false;  // "utf-16": LE or BE as the byte-order mark says
};
[[nodiscard]] std::optional<EncodingChoice> encoding_from_name(std::string_view text) noexcept;

// The input cannot be decoded as the chosen or detected encoding. line() is 1-based.
class DecodeError : public std::runtime_error {
public:
    DecodeError(std::size_t line, const std::string& reason);
    [[nodiscard]] std::size_t line() const noexcept { return line_; }

private:
    std::size_t line_;
};

struct Decoded {
    std::string utf8;          // the text, without a byte-order mark
    Encoding encoding = Encoding::Utf8;
    bool byte_order_mark = false;
    bool detected = true;      // false when the caller chose the encoding
    // For the preview: "UTF-8", "UTF-8 with a byte-order mark", "Windows-1252 (not valid UTF-8;
    // converted)", "UTF-16 LE with a byte-order mark (converted)".
    [[nodiscard]] std::string describe() const;
};

// Detection, when `forced` is empty: a UTF-8 byte-order mark means UTF-8; FF FE / FE FF mean
// UTF-16 LE / BE; text without a mark that is valid UTF-8 is UTF-8; text without a mark whose
// bytes at odd (or even) offsets are mostly NUL is UTF-16 LE (or BE); anything else is read as
// Windows-1252. Throws DecodeError naming the line for: invalid UTF-8 when UTF-8 was chosen, an
// odd number of bytes or an unpaired surrogate in UTF-16, and the five bytes Windows-1252 leaves
// undefined (81 8D 8F 90 9D), which mean the file is in some other encoding.
[[nodiscard]] Decoded decode(std::string_view bytes, std::optional<EncodingChoice> forced = std::nullopt);

}  // namespace imrdesk::text
