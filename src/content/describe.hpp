#pragma once
// A content hint in words, for the walkthrough: "an HTTP request, GET /index.html", "a TLS
// ClientHello for example.com, up to TLS 1.3 (ALPN h2, http/1.1)". All the wording is in
// describe(), so another language is one more function beside it.

#include <string>
#include <string_view>

#include "content/content_hint.hpp"

namespace tfx::content {

/// Most characters of one text field a phrase shows (a long target or greeting ends "...").
inline constexpr std::size_t kMaxShownChars = 80;
/// Most ALPN names a phrase lists ("h2, http/1.1, ... and 3 more").
inline constexpr std::size_t kMaxShownNames = 4;

/// The phrase for `hint` (no capital, no final period: it completes a sentence), or an
/// empty string when the kind is unknown. Capture bytes in it are escaped (shown_text()).
[[nodiscard]] std::string describe(const ContentHint& hint);

/// `bytes` safe for a terminal and for JSON: printable ASCII as is, every other byte as
/// \xNN (a peer chooses these bytes; they never reach a terminal as control sequences).
[[nodiscard]] std::string shown_text(std::string_view bytes);

}  // namespace tfx::content
