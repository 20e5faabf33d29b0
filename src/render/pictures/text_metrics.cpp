#include "render/pictures/text_metrics.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "text/utf8.hpp"

namespace tfx::render {

namespace {

// Advance widths in em, measured in headless Chromium with getComputedTextLength() on one
// code point at a time at font size 1000 (SVG text, Debian's fonts-dejavu-core), rounded up.
// Summed, they give a word's width within 0.5 % (kerning only narrows it).
struct Advance {
    char32_t code_point;
    float em;
};

// DejaVu Sans Regular: U+0020..U+007E
constexpr std::array<float, 95> kRegularAscii{{
    0.3179f, 0.4009f, 0.4600f, 0.8379f, 0.6363f, 0.9503f, 0.7798f, 0.2750f, 0.3902f, 0.3902f, 0.5000f, 0.8379f,
    0.3179f, 0.3609f, 0.3179f, 0.3370f, 0.6363f, 0.6363f, 0.6363f, 0.6363f, 0.6363f, 0.6363f, 0.6363f, 0.6363f,
    0.6363f, 0.6363f, 0.3370f, 0.3370f, 0.8379f, 0.8379f, 0.8379f, 0.5308f, 1.0000f, 0.6841f, 0.6861f, 0.6983f,
    0.7701f, 0.6319f, 0.5753f, 0.7750f, 0.7520f, 0.2950f, 0.2950f, 0.6558f, 0.5572f, 0.8628f, 0.7481f, 0.7872f,
    0.6031f, 0.7872f, 0.6949f, 0.6348f, 0.6109f, 0.7320f, 0.6841f, 0.9888f, 0.6851f, 0.6109f, 0.6851f, 0.3902f,
    0.3370f, 0.3902f, 0.8379f, 0.5000f, 0.5000f, 0.6128f, 0.6348f, 0.5499f, 0.6348f, 0.6153f, 0.3521f, 0.6348f,
    0.6338f, 0.2779f, 0.2779f, 0.5792f, 0.2779f, 0.9742f, 0.6338f, 0.6119f, 0.6348f, 0.6348f, 0.4112f, 0.5210f,
    0.3921f, 0.6338f, 0.5918f, 0.8179f, 0.5918f, 0.5918f, 0.5250f, 0.6363f, 0.3370f, 0.6363f, 0.8379f,
}};
// DejaVu Sans Regular: U+00A0..U+00FF
constexpr std::array<float, 96> kRegularLatin1{{
    0.3179f, 0.4009f, 0.6363f, 0.6363f, 0.6363f, 0.6363f, 0.3370f, 0.5000f, 0.5000f, 1.0000f, 0.4713f, 0.6119f,
    0.8379f, 0.0000f, 1.0000f, 0.5000f, 0.5000f, 0.8379f, 0.4009f, 0.4009f, 0.5000f, 0.6363f, 0.6363f, 0.3179f,
    0.5000f, 0.4009f, 0.4713f, 0.6119f, 0.9693f, 0.9693f, 0.9693f, 0.5308f, 0.6841f, 0.6841f, 0.6841f, 0.6841f,
    0.6841f, 0.6841f, 0.9742f, 0.6983f, 0.6319f, 0.6319f, 0.6319f, 0.6319f, 0.2950f, 0.2950f, 0.2950f, 0.2950f,
    0.7750f, 0.7481f, 0.7872f, 0.7872f, 0.7872f, 0.7872f, 0.7872f, 0.8379f, 0.7872f, 0.7320f, 0.7320f, 0.7320f,
    0.7320f, 0.6109f, 0.6050f, 0.6299f, 0.6128f, 0.6128f, 0.6128f, 0.6128f, 0.6128f, 0.6128f, 0.9820f, 0.5499f,
    0.6153f, 0.6153f, 0.6153f, 0.6153f, 0.2779f, 0.2779f, 0.2779f, 0.2779f, 0.6119f, 0.6338f, 0.6119f, 0.6119f,
    0.6119f, 0.6119f, 0.6119f, 0.8379f, 0.6119f, 0.6338f, 0.6338f, 0.6338f, 0.6338f, 0.5918f, 0.6348f, 0.5918f,
}};
constexpr std::array<Advance, 29> kRegularOthers{{
    {0x0152, 1.0699f}, {0x0153, 1.0230f}, {0x0178, 0.6109f}, {0x2009, 0.1998f}, {0x2011, 0.3609f}, {0x2013, 0.5000f},
    {0x2014, 1.0000f}, {0x2018, 0.3179f}, {0x2019, 0.3179f}, {0x201C, 0.5181f}, {0x201D, 0.5181f}, {0x2022, 0.5899f},
    {0x2026, 1.0000f}, {0x202F, 0.1998f}, {0x20AC, 0.6363f}, {0x2190, 0.8379f}, {0x2191, 0.8379f}, {0x2192, 0.8379f},
    {0x2193, 0.8379f}, {0x2194, 0.8379f}, {0x21BB, 0.8379f}, {0x2212, 0.8379f}, {0x221E, 0.8331f}, {0x2248, 0.8379f},
    {0x2260, 0.8379f}, {0x2264, 0.8379f}, {0x2265, 0.8379f}, {0x25C7, 0.7691f}, {0x2661, 0.8965f},
}};
// DejaVu Sans Bold: U+0020..U+007E
constexpr std::array<float, 95> kBoldAscii{{
    0.3482f, 0.4561f, 0.5210f, 0.8379f, 0.6959f, 1.0020f, 0.8721f, 0.3062f, 0.4571f, 0.4571f, 0.5230f, 0.8379f,
    0.3799f, 0.4151f, 0.3799f, 0.3653f, 0.6959f, 0.6959f, 0.6959f, 0.6959f, 0.6959f, 0.6959f, 0.6959f, 0.6959f,
    0.6959f, 0.6959f, 0.4000f, 0.4000f, 0.8379f, 0.8379f, 0.8379f, 0.5801f, 1.0000f, 0.7740f, 0.7623f, 0.7339f,
    0.8301f, 0.6832f, 0.6832f, 0.8209f, 0.8370f, 0.3721f, 0.3721f, 0.7750f, 0.6373f, 0.9952f, 0.8370f, 0.8502f,
    0.7330f, 0.8502f, 0.7701f, 0.7203f, 0.6822f, 0.8121f, 0.7740f, 1.1031f, 0.7710f, 0.7242f, 0.7252f, 0.4571f,
    0.3653f, 0.4571f, 0.8379f, 0.5000f, 0.5000f, 0.6749f, 0.7159f, 0.5928f, 0.7159f, 0.6783f, 0.4351f, 0.7159f,
    0.7120f, 0.3428f, 0.3428f, 0.6651f, 0.3428f, 1.0420f, 0.7120f, 0.6871f, 0.7159f, 0.7159f, 0.4932f, 0.5953f,
    0.4781f, 0.7120f, 0.6519f, 0.9239f, 0.6451f, 0.6519f, 0.5821f, 0.7120f, 0.3653f, 0.7120f, 0.8379f,
}};
// DejaVu Sans Bold: U+00A0..U+00FF
constexpr std::array<float, 96> kBoldLatin1{{
    0.3482f, 0.4561f, 0.6959f, 0.6959f, 0.6363f, 0.6959f, 0.3653f, 0.5000f, 0.5000f, 1.0000f, 0.5640f, 0.6460f,
    0.8379f, 0.0000f, 1.0000f, 0.5000f, 0.5000f, 0.8379f, 0.4380f, 0.4380f, 0.5000f, 0.7359f, 0.6363f, 0.3799f,
    0.5000f, 0.4380f, 0.5640f, 0.6460f, 1.0352f, 1.0352f, 1.0352f, 0.5801f, 0.7740f, 0.7740f, 0.7740f, 0.7740f,
    0.7740f, 0.7740f, 1.0850f, 0.7339f, 0.6832f, 0.6832f, 0.6832f, 0.6832f, 0.3721f, 0.3721f, 0.3721f, 0.3721f,
    0.8379f, 0.8370f, 0.8502f, 0.8502f, 0.8502f, 0.8502f, 0.8502f, 0.8379f, 0.8502f, 0.8121f, 0.8121f, 0.8121f,
    0.8121f, 0.7242f, 0.7378f, 0.7193f, 0.6749f, 0.6749f, 0.6749f, 0.6749f, 0.6749f, 0.6749f, 1.0479f, 0.5928f,
    0.6783f, 0.6783f, 0.6783f, 0.6783f, 0.3428f, 0.3428f, 0.3428f, 0.3428f, 0.6871f, 0.7120f, 0.6871f, 0.6871f,
    0.6871f, 0.6871f, 0.6871f, 0.8379f, 0.6871f, 0.7120f, 0.7120f, 0.7120f, 0.7120f, 0.6519f, 0.7159f, 0.6519f,
}};
constexpr std::array<Advance, 29> kBoldOthers{{
    {0x0152, 1.1670f}, {0x0153, 1.0943f}, {0x0178, 0.7242f}, {0x2009, 0.1998f}, {0x2011, 0.4151f}, {0x2013, 0.5000f},
    {0x2014, 1.0000f}, {0x2018, 0.3799f}, {0x2019, 0.3799f}, {0x201C, 0.6573f}, {0x201D, 0.6573f}, {0x2022, 0.6392f},
    {0x2026, 1.0000f}, {0x202F, 0.1998f}, {0x20AC, 0.6959f}, {0x2190, 0.8379f}, {0x2191, 0.8379f}, {0x2192, 0.8379f},
    {0x2193, 0.8379f}, {0x2194, 0.8379f}, {0x21BB, 0.8379f}, {0x2212, 0.8379f}, {0x221E, 0.8331f}, {0x2248, 0.8379f},
    {0x2260, 0.8379f}, {0x2264, 0.8379f}, {0x2265, 0.8379f}, {0x25C7, 0.7691f}, {0x2661, 0.8965f},
}};

// DejaVu Sans Mono draws every code point it has, bold or not, 0.602 em wide.
constexpr double kMonoAdvance = 0.6021;
// Anything else (another script, a symbol, a fallback face's glyph): as wide as the widest.
constexpr double kUnknownAdvance = 1.2;
// Rounding and hinting differ by a fraction of a unit between browsers.
constexpr double kSafety = 1.02;

double sans_advance(char32_t c, bool bold) {
    if (c >= 0x20 && c <= 0x7E) return (bold ? kBoldAscii : kRegularAscii)[c - 0x20];
    if (c >= 0xA0 && c <= 0xFF) return (bold ? kBoldLatin1 : kRegularLatin1)[c - 0xA0];
    const auto& others = bold ? kBoldOthers : kRegularOthers;
    const auto it = std::lower_bound(others.begin(), others.end(), c,
                                     [](const Advance& a, char32_t code_point) { return a.code_point < code_point; });
    return it != others.end() && it->code_point == c ? it->em : kUnknownAdvance;
}

double advance(char32_t c, Typeface face) {
    if (face == Typeface::Mono) return c == 0xAD ? 0 : kMonoAdvance;
    return sans_advance(c, face == Typeface::SansBold);
}

}  // namespace

double text_width(std::string_view text, double font_size, Typeface face) {
    double em = 0;
    for (std::size_t i = 0; i < text.size();) {
        const text::Utf8Step step = text::decode_utf8(text, i);
        em += advance(step.code_point, face);
        i += step.length;
    }
    return em * font_size * kSafety;
}

}  // namespace tfx::render
