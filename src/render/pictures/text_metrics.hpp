#pragma once
// How wide a text is drawn in the SVG pictures. SVG lays out no text: a label, a legend or
// a caption fits its picture only if the drawing code leaves room for it, so every picture
// asks here, and names in its `font-family` the faces these widths were measured on
// (DejaVu Sans and DejaVu Sans Mono, what Chromium draws on Debian). A browser without them
// falls back to Verdana, Helvetica or Arial, whose letters are as wide or narrower.

#include <string_view>

namespace tfx::render {

/// The `font-family` of the pictures drawn in a proportional face, and in a monospace one.
inline constexpr std::string_view kSansFamily = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";
inline constexpr std::string_view kMonoFamily = "DejaVu Sans Mono, monospace";
/// The font the Graphviz pictures (-F dot) name: Graphviz measures its labels itself, through
/// fontconfig, and the SVG it makes names the same font; one installed face (fonts-dejavu-core)
/// keeps the measure and the drawing the same, where "Helvetica" matched whatever was there.
inline constexpr std::string_view kGraphvizFont = "DejaVu Sans";

enum class Typeface { Sans, SansBold, Mono };

/// The width of UTF-8 `text` drawn at `font_size` (in user units) in `face`: the sum of its
/// code points' advances, a little wider for safety. A code point the tables do not know
/// counts as wide as the widest letter; so does a byte that is not UTF-8.
[[nodiscard]] double text_width(std::string_view text, double font_size, Typeface face = Typeface::Sans);

}  // namespace tfx::render
