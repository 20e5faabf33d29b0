#pragma once
// Text for a terminal or a file that takes ASCII only (the ladder's --ascii): French letters
// lose their accents, typographic spaces and quotes become their plain forms. One character
// becomes one character, so text measured in columns before (text/columns.hpp) keeps its
// layout.

#include <cstddef>
#include <string>
#include <string_view>

namespace tfx::text {

/// The ASCII character written for code point `cp`: itself below 0x80; é -> e, À -> A,
/// ç -> c, œ -> o, « » -> ", U+00A0 and U+202F -> space, → -> >, … -> ~; '?' for a
/// character with no such form.
[[nodiscard]] char ascii_for(char32_t cp);

/// Rewrites the UTF-8 text at `data` in place, one ASCII byte per code point (an invalid
/// byte becomes '?'); returns its new size, never more than `size`.
std::size_t to_ascii_in_place(char* data, std::size_t size);

/// `s` in ASCII, as to_ascii_in_place() writes it.
[[nodiscard]] std::string to_ascii(std::string_view s);

}  // namespace tfx::text
