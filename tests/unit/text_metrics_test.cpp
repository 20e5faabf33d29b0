// The widths the SVG pictures lay their texts out by: DejaVu Sans and DejaVu Sans Mono as
// Chromium draws them (the browser tests check the pictures themselves).

#include "render/pictures/text_metrics.hpp"

#include <gtest/gtest.h>

using tfx::render::text_width;
using tfx::render::Typeface;

// A word measured in Chromium at font size 11 (getComputedTextLength): the estimate is no
// narrower, and at most 3 % wider.
TEST(TextMetrics, MatchesWhatChromiumDraws) {
    for (const auto& [text, drawn] : {std::pair{"fenêtre nulle", 70.06}, std::pair{"segment envoyé", 92.02},
                                      std::pair{"ACK + receive window", 123.88}, std::pair{"serveur #8", 61.52}}) {
        const double w = text_width(text, 11);
        EXPECT_GE(w, drawn) << text;
        EXPECT_LE(w, drawn * 1.03) << text;
    }
    EXPECT_NEAR(text_width("segment envoyé", 12, Typeface::Mono), 101.16, 101.16 * 0.03);
    EXPECT_NEAR(text_width("serveur #8", 14, Typeface::SansBold), 86.58, 86.58 * 0.03);
}

// One advance per code point: "é" is two bytes but one letter, as wide as "e".
TEST(TextMetrics, CountsCodePointsNotBytes) {
    EXPECT_DOUBLE_EQ(text_width("é", 10), text_width("e", 10));
    EXPECT_DOUBLE_EQ(text_width("\u202f", 10) * 2, text_width("\u202f\u202f", 10));
    EXPECT_DOUBLE_EQ(text_width("é", 12, Typeface::Mono), text_width("e", 12, Typeface::Mono));
    EXPECT_DOUBLE_EQ(text_width("", 11), 0);
}

// Bold letters are wider; an unknown code point or a stray byte counts as wider than any
// known letter, and never reads past the text.
TEST(TextMetrics, BoldAndUnknownAreWide) {
    EXPECT_GT(text_width("window", 11, Typeface::SansBold), text_width("window", 11));
    const double widest = text_width("W", 11);
    EXPECT_GT(text_width("\u4e2d", 11), widest);
    EXPECT_GT(text_width("\xff", 11), widest);
    EXPECT_GT(text_width("\xe4\xb8", 11), widest) << "a sequence cut short";
    EXPECT_DOUBLE_EQ(text_width("a\xc3", 11), text_width("a", 11) + text_width("\xff", 11));
}
