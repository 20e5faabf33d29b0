// The one UTF-8 decoder (text/utf8.hpp) and the text functions that step through text with
// it: they must agree on every byte, valid or not.

#include "text/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "text/ascii_text.hpp"
#include "text/columns.hpp"
#include "text/terminal_text.hpp"

namespace {

using tfx::text::decode_utf8;
using tfx::text::Utf8Step;

// Every step through `s`, as (code point, length, valid).
std::vector<Utf8Step> steps(std::string_view s) {
    std::vector<Utf8Step> out;
    for (std::size_t at = 0; at < s.size(); at += out.back().length) out.push_back(decode_utf8(s, at));
    return out;
}

void expect_valid(std::string_view s, char32_t cp) {
    const Utf8Step step = decode_utf8(s, 0);
    EXPECT_TRUE(step.valid) << s;
    EXPECT_EQ(step.code_point, cp) << s;
    EXPECT_EQ(step.length, s.size()) << s;
}

// Whether each step through `s` is a valid code point.
std::vector<bool> validity(std::string_view s) {
    std::vector<bool> out;
    for (const Utf8Step& step : steps(s)) out.push_back(step.valid);
    return out;
}

// Each byte of `s` invalid on its own.
void expect_invalid_bytes(std::string_view s) {
    const auto all = steps(s);
    ASSERT_EQ(all.size(), s.size()) << s;
    for (const Utf8Step& step : all) {
        EXPECT_FALSE(step.valid) << s;
        EXPECT_EQ(step.length, 1u);
        EXPECT_EQ(step.code_point, 0xFFFDu);
    }
}

TEST(Utf8, AsciiIsOneByte) {
    expect_valid("A", 'A');
    expect_valid(std::string_view("\0", 1), 0);
    expect_valid("\x7f", 0x7f);
}

TEST(Utf8, TwoThreeAndFourByteSequences) {
    expect_valid("\xC2\x80", 0x80);        // the shortest two-byte form
    expect_valid("é", 0xE9);               // C3 A9
    expect_valid("\xDF\xBF", 0x7FF);       // the longest two-byte form
    expect_valid("\xE0\xA0\x80", 0x800);   // the shortest three-byte form
    expect_valid("→", 0x2192);             // E2 86 92
    expect_valid("\xEF\xBF\xBF", 0xFFFF);  // the longest three-byte form
    expect_valid("\xF0\x90\x80\x80", 0x10000);
    expect_valid("\xF0\x9F\x98\x80", 0x1F600);
    expect_valid("\xF4\x8F\xBF\xBF", 0x10FFFF);  // the last code point
}

TEST(Utf8, OverlongFormsAreInvalid) {
    expect_invalid_bytes("\xC0\xAF");  // '/' in two bytes
    expect_invalid_bytes("\xC1\xBF");
    expect_invalid_bytes("\xE0\x80\xAF");      // '/' in three bytes
    expect_invalid_bytes("\xE0\x9F\xBF");      // U+07FF in three bytes
    expect_invalid_bytes("\xF0\x80\x80\xAF");  // '/' in four bytes
    expect_invalid_bytes("\xF0\x8F\xBF\xBF");  // U+FFFF in four bytes
}

TEST(Utf8, SurrogatesAndBeyondU10FFFFAreInvalid) {
    expect_invalid_bytes("\xED\xA0\x80");      // U+D800
    expect_invalid_bytes("\xED\xBF\xBF");      // U+DFFF
    expect_valid("\xED\x9F\xBF", 0xD7FF);      // just below them
    expect_invalid_bytes("\xF4\x90\x80\x80");  // U+110000
    expect_invalid_bytes("\xF8\x88\x80\x80");  // a five-byte lead
    expect_invalid_bytes("\xFF");
}

TEST(Utf8, SequenceCutShortAtTheEndIsInvalidByteByByte) {
    expect_invalid_bytes("\xE2\x86");
    expect_invalid_bytes("\xF0\x9F\x98");
    expect_invalid_bytes("\xC3");
    // Cut by a byte that does not continue it: that byte starts the next step.
    EXPECT_EQ(validity("\xE2\x86"
                       "A"),
              (std::vector<bool>{false, false, true}));
}

TEST(Utf8, StrayContinuationByteIsInvalidAlone) {
    EXPECT_EQ(validity("a\x80"
                       "é"),
              (std::vector<bool>{true, false, true}));
    EXPECT_EQ(decode_utf8("a\x80"
                          "é",
                          2)
                  .code_point,
              0xE9u);
}

// The three users agree: one column, one ASCII byte and one U+FFFD per invalid byte.
TEST(Utf8, ColumnsAsciiAndReplacementAgreeOnInvalidBytes) {
    for (const std::string_view s : {"a\x80"
                                     "b",
                                     "\xC0\xAF", "\xED\xA0\x80", "ok \xE2\x82", "é\xFF→"}) {
        const std::string replaced = tfx::text::valid_utf8(s);
        EXPECT_EQ(tfx::text::columns(s), tfx::text::columns(replaced)) << s;
        EXPECT_EQ(tfx::text::to_ascii(s).size(), tfx::text::columns(s)) << s;
        EXPECT_EQ(tfx::text::first_columns(s, tfx::text::columns(s)), s) << s;
    }
    EXPECT_EQ(tfx::text::to_ascii("\xC0\xAF"), "??");       // overlong '/': not a '/'
    EXPECT_EQ(tfx::text::to_ascii("\xED\xA0\x80"), "???");  // a surrogate
    EXPECT_EQ(tfx::text::columns("a\x80"
                                 "b"),
              3u);
    EXPECT_EQ(tfx::text::first_columns("é→x", 2), "é→");
}

static_assert(tfx::text::columns("poignée →") == 9);

}  // namespace
