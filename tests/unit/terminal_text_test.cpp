// User-supplied strings printed to a terminal (text/terminal_text.hpp): control sequences
// must arrive as text a person reads, never as bytes a terminal acts on.

#include "text/terminal_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using tfx::text::Newlines;
using tfx::text::printable;
using tfx::text::valid_utf8;

bool has_control_byte(const std::string& s) {
    for (unsigned char c : s)
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) return true;
    return s.find("\xC2\x9B") != std::string::npos || s.find("\xC2\x9D") != std::string::npos;
}

TEST(TerminalText, RuleNameThatRetitlesAndClearsTheTerminalIsShownAsText) {
    // The name of tests/cli/rules-name-terminal-escapes.json's first check.
    const std::string name = "\x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[31mred";
    const std::string shown = printable(name);
    EXPECT_EQ(shown, "\\x1b]0;PWNED-TITLE\\x07\\x1b[2J\\x1b[31mred");
    EXPECT_FALSE(has_control_byte(shown));
}

TEST(TerminalText, C1ControlsDelAndNewlinesAreEscapedTextIsKept) {
    EXPECT_EQ(printable("a\xC2\x9B"
                        "31mb"),
              "a\\u009b31mb");  // 8-bit CSI
    EXPECT_EQ(printable("x\x7fy"), "x\\x7fy");
    EXPECT_EQ(printable("one\nFAIL  two"), "one\\x0aFAIL  two");  // no faked report line
    EXPECT_EQ(printable("one\ntwo", Newlines::Keep), "one\ntwo");
    EXPECT_EQ(printable("tab\there"), "tab\there");
    EXPECT_EQ(printable("café ☕ \xF0\x9F\x98\x80 \xC2\xA0"), "café ☕ \xF0\x9F\x98\x80 \xC2\xA0");
}

TEST(TerminalText, InvalidUtf8BecomesReplacementCharacters) {
    // A lone 0x9b is CSI to some terminals.
    EXPECT_EQ(printable("a\x9b"
                        "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
    EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
    EXPECT_EQ(valid_utf8("ok \xE2\x82"), "ok \xEF\xBF\xBD\xEF\xBF\xBD");            // cut short
}

}  // namespace
