#pragma once
// Reading the line-based first messages (HTTP/1.x, SSH, mail and file transfer greetings):
// lines found within kMaxLineBytes, literals compared without reading past the view, text
// fields cut to kMaxTextBytes. Every function is total: positions past the end give empty
// views, never an exception.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "content/content_hint.hpp"

namespace tfx::content::detail {

[[nodiscard]] inline std::string_view as_text(std::span<const std::uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

/// `s` from `n` on; empty when `n` is past the end.
[[nodiscard]] inline std::string_view drop(std::string_view s, std::size_t n) {
    return n >= s.size() ? std::string_view{} : s.substr(n);
}

/// The first `n` characters of `s` (all of it when shorter).
[[nodiscard]] inline std::string_view take(std::string_view s, std::size_t n) { return s.substr(0, n); }

/// RFC 9110 §5.6.2 tchar: a character of a token (an HTTP method).
[[nodiscard]] inline bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// One line of a first message.
struct Line {
    std::string_view text;  ///< without its line end (LF, or CR LF)
    bool ended = false;     ///< its LF is there
    std::size_t next = 0;   ///< where the following line starts (when ended)
};

/// The line starting at `from`, looked for up to kMaxLineBytes from the start of `s`: a line
/// whose end lies further is returned unended, cut at that bound.
[[nodiscard]] Line line_at(std::string_view s, std::size_t from);

/// Whether the line bound cut `s` before its line end could come (more would not help).
[[nodiscard]] inline bool past_line_bound(std::string_view s) { return s.size() >= kMaxLineBytes; }

/// `s` is shorter than `literal` and `literal` starts with it: more bytes may complete it.
[[nodiscard]] bool proper_prefix_of(std::string_view s, std::string_view literal);

/// `s` starts with `upper`, ASCII letters compared case-insensitively (`upper` in capitals).
[[nodiscard]] bool starts_with_nocase(std::string_view s, std::string_view upper);

/// `s` contains `upper`, ASCII letters compared case-insensitively.
[[nodiscard]] bool contains_nocase(std::string_view s, std::string_view upper);

/// `s` cut to kMaxTextBytes, saying whether it was.
[[nodiscard]] BoundedText bounded(std::string_view s);

}  // namespace tfx::content::detail
