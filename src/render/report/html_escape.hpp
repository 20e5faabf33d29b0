#pragma once
// Text from a capture on its way into an HTML document. Everything the capture can
// influence (file names, filters, addresses, sentences quoting payload) goes through here,
// in element content and in quoted attribute values alike.

#include <string>
#include <string_view>

namespace tfx::render {

/// Appends `s` to `out` as HTML text: & < > " ' become character references, controls
/// become visible escapes (`\x1b`, text::printable's form) and invalid UTF-8 becomes U+FFFD,
/// so no byte of `s` can open a tag, close an attribute or upset the page's encoding.
void append_html_escaped(std::string& out, std::string_view s);

[[nodiscard]] std::string html_escape(std::string_view s);

}  // namespace tfx::render
