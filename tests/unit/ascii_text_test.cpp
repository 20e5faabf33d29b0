// --ascii text: French letters and typography written as ASCII, one character for one.

#include <gtest/gtest.h>

#include "text/ascii_text.hpp"
#include "text/columns.hpp"

using tfx::text::to_ascii;

TEST(AsciiText, FrenchLettersLoseTheirAccents) {
    EXPECT_EQ(to_ascii("poignée à ça où être naïf Élan ÇA"), "poignee a ca ou etre naif Elan CA");
    EXPECT_EQ(to_ascii("cœur Œuvre"), "cour Ouvre");  // one letter for one: the columns stay
}

TEST(AsciiText, TypographyBecomesPlain) {
    // U+202F before the colon, U+00A0 and « » around a quotation, an arrow, an ellipsis.
    EXPECT_EQ(to_ascii("connexion\u202f: «\u00a0oui\u00a0» \u2192 n°2 \u2026"), "connexion : \" oui \" > no2 ~");
}

TEST(AsciiText, OneCharacterPerCodePoint) {
    const std::string french = "réception SYN / envoi SYN,ACK\u202f; déjà vu «\u202fx\u202f»";
    const std::string ascii = to_ascii(french);
    EXPECT_EQ(ascii.size(), tfx::text::columns(french));
    for (const char c : ascii) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << ascii;
}

TEST(AsciiText, InvalidBytesBecomeQuestionMarks) {
    EXPECT_EQ(to_ascii(std::string("a\xff"
                                   "b\xc3")),
              "a?b?");
    EXPECT_EQ(to_ascii("\U0001F600"), "?");  // a 4-byte sequence, no ASCII form
}
