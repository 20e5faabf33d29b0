#pragma once
// The ladder of one connection as SVG, for `-F svg` and for any page that inlines it (the
// HTML report). Each segment's arrow is a <line> with `data-frame="N"` and the classes
// `seg`, `client` or `server`, and one per finding (`retransmission`, `duplicate-ack`,
// `zero-window`, `window-probe`, `keep-alive`, `reset`, `out-of-order`); a segment the
// capture never saw is a <line class="not-captured"> without a frame. Every text is
// XML-escaped.

#include <string>

#include "render/pictures/ladder_model.hpp"
#include "tfx/render.hpp"

namespace tfx::render {

struct LadderSvgOptions {
    TimeScale time_scale = TimeScale::Even;
    Language language = Language::En;  ///< of the titles and notes
};

/// One connection's ladder as a group `<g id="conn-N" class="ladder">`, drawn from y = 0
/// down to `height` and from x = 0 to `width` (kLadderSvgWidth, or more for a long note or
/// title), using the markers and styles of ladder_svg_defs().
struct LadderSvgGroup {
    std::string svg;
    double height = 0;
    double width = 0;
};
[[nodiscard]] LadderSvgGroup ladder_svg_group(const LadderModel& model, const LadderSvgOptions& options);

/// The <defs> (arrowheads, crosses) and <style> every ladder group uses, once per
/// `<svg class="ladder">` (the styles apply to that class only: a page inlining other
/// pictures keeps theirs).
[[nodiscard]] std::string ladder_svg_defs();

/// Width of a ladder drawing whose texts need no more, in SVG user units.
inline constexpr double kLadderSvgWidth = 900;

/// One connection's ladder as a complete `<svg>` element (its defs and styles included):
/// what a page inlines to show one connection.
[[nodiscard]] std::string ladder_svg(const LadderModel& model, const LadderSvgOptions& options);

}  // namespace tfx::render
