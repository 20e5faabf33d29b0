#pragma once
// Text inside XML documents (the JUnit report, the SVG ladders): escaped so that no string,
// whatever bytes it holds, can end an attribute or an element or break the document.

#include <string>
#include <string_view>

namespace tfx::text {

/// XML 1.0 text/attribute escaping; invalid UTF-8 and forbidden control characters
/// become U+FFFD so the document stays well-formed.
[[nodiscard]] std::string xml_escape(std::string_view s);

}  // namespace tfx::text
