#pragma once
// A content hint in words, for the walkthrough: "an HTTP request, GET /index.html", "a TLS
// ClientHello for example.com, up to TLS 1.3 (ALPN h2, http/1.1)", in the reader's language
// (the words are in the message catalogue; protocol tokens and capture bytes stay as they are).

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "content/content_hint.hpp"
#include "tfx/language.hpp"

namespace tfx::content {

/// Most characters of one text field a phrase shows (a long target or greeting ends "...").
inline constexpr std::size_t kMaxShownChars = 80;
/// Most ALPN names a phrase lists ("h2, http/1.1, ... and 3 more").
inline constexpr std::size_t kMaxShownNames = 4;

/// Appends the phrase for `hint` (no capital, no final period: it completes a sentence), or
/// nothing when the kind is unknown. Capture bytes in it are escaped (append_shown_text()).
void append_description(fmt::memory_buffer& out, const ContentHint& hint, Language lang);

/// The phrase of append_description() as a string.
[[nodiscard]] std::string describe(const ContentHint& hint, Language lang = Language::En);

/// Appends `bytes` safe for a terminal and for JSON to `out` (a std::string or a
/// fmt::memory_buffer): printable ASCII as is, every other byte as \xNN (a peer chooses these
/// bytes; they never reach a terminal as control sequences).
template <typename Out>
void append_shown_text(Out& out, std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    const char* run = bytes.data();
    const char* const end = bytes.data() + bytes.size();
    for (const char* p = run; p != end; ++p) {
        const auto b = static_cast<unsigned char>(*p);
        if (b >= 0x20 && b < 0x7F) continue;
        out.append(run, p);
        const char escaped[] = {'\\', 'x', kHex[b >> 4], kHex[b & 0xFU]};
        out.append(escaped, escaped + sizeof escaped);
        run = p + 1;
    }
    out.append(run, end);
}

/// append_shown_text() as a string.
[[nodiscard]] std::string shown_text(std::string_view bytes);

}  // namespace tfx::content
