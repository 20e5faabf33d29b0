#pragma once
// Strings that came from the user (rule names, expectation texts, selectors, file names,
// command lines) on their way to a terminal or a log viewer that renders ANSI. A rules file
// taken from a repository can carry ESC sequences that retitle the terminal, clear the
// screen or fake report lines: printed raw they act; escaped they are only read.
// (Capture-derived strings never reach the terminal as text: payload is printed through
// the renderers' own '.' mapping.)

#include <string>
#include <string_view>

namespace tfx::text {

/// `s` with every invalid UTF-8 sequence replaced by U+FFFD (one per bad byte).
[[nodiscard]] std::string valid_utf8(std::string_view s);

/// Whether printable() keeps line feeds (multi-line messages) or escapes them too (one
/// report line per name).
enum class Newlines { Escape, Keep };

/// `s` safe to print: C0 controls, DEL and the C1 controls U+0080-U+009F (CSI, OSC ... in
/// their 8-bit form) become visible escapes (`\x1b`, `\x7f`, `\u009b`), tab stays, invalid
/// UTF-8 becomes U+FFFD; everything else, including non-ASCII text, is unchanged.
[[nodiscard]] std::string printable(std::string_view s, Newlines newlines = Newlines::Escape);

/// Whether `fd` is a terminal that draws: colours and a line rewritten in place. Not when it
/// is no terminal, nor when TERM says "dumb" (Emacs' shell, some CI logs).
[[nodiscard]] bool terminal_draws(int fd);

}  // namespace tfx::text
