// html_escape: what reaches the HTML report from a capture can open no tag, close no
// attribute and carry no raw control byte.

#include "render/report/html_escape.hpp"

#include <gtest/gtest.h>

namespace tfx::render {
namespace {

TEST(HtmlEscape, MarkupCharactersBecomeReferences) {
    // The five characters HTML gives meaning in text and in quoted attribute values.
    EXPECT_EQ(html_escape("<a href='x' title=\"y\">&amp;</a>"),
              "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;amp;&lt;/a&gt;");
}

TEST(HtmlEscape, ControlBytesBecomeVisibleEscapes) {
    // ESC [ 2 J clears a terminal; NUL and DEL are no text either. Tab and line feed stay.
    EXPECT_EQ(html_escape("a\x1b[2J\tb\nc"), "a\\x1b[2J\tb\nc");
    EXPECT_EQ(html_escape(std::string_view("\x00\x7f", 2)), "\\x00\\x7f");
}

TEST(HtmlEscape, InvalidUtf8BecomesReplacementCharacters) {
    // 0xFF never occurs in UTF-8; "é" (C3 A9) is valid and stays.
    EXPECT_EQ(html_escape("\xff\xc3\xa9"), "\xef\xbf\xbd\xc3\xa9");
}

TEST(HtmlEscape, AppendsToWhatIsThere) {
    std::string out = "<p>";
    append_html_escaped(out, "1 < 2");
    EXPECT_EQ(out, "<p>1 &lt; 2");
}

}  // namespace
}  // namespace tfx::render
