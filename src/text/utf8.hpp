#pragma once
// The one UTF-8 decoder of the text functions (RFC 3629): columns, ASCII rewriting and
// terminal escaping all step through text with it, so they agree on where a code point
// ends and on which bytes are invalid.

#include <cstddef>
#include <string_view>

namespace tfx::text {

/// One step through UTF-8 text: a code point and the bytes it took, or one invalid byte.
struct Utf8Step {
    char32_t code_point;  ///< U+FFFD for an invalid byte
    std::size_t length;   ///< 1 to 4; 1 for an invalid byte
    bool valid;
};

/// Decodes the code point that starts at `s[at]` (`at < s.size()`). A byte that starts no
/// valid sequence (a continuation byte, a lead byte 0xF8-0xFF, a sequence cut short by the
/// end of `s` or by a byte that does not continue it, an overlong form, a surrogate, a code
/// point above U+10FFFF) is invalid on its own: the next step starts at the byte after it.
constexpr Utf8Step decode_utf8(std::string_view s, std::size_t at) {
    constexpr Utf8Step kInvalid{0xFFFD, 1, false};
    const auto lead = static_cast<unsigned char>(s[at]);
    if (lead < 0x80) return {lead, 1, true};
    const std::size_t length = (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || length > s.size() - at) return kInvalid;
    char32_t cp = lead & (0x7Fu >> length);
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(s[at + k]);
        if ((next & 0xC0) != 0x80) return kInvalid;
        cp = (cp << 6) | (next & 0x3Fu);
    }
    constexpr char32_t kFewestFor[5] = {0, 0, 0x80, 0x800, 0x10000};  // below these: overlong
    if (cp < kFewestFor[length] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return kInvalid;
    return {cp, length, true};
}

}  // namespace tfx::text
