#pragma once
// A time-sequence graph as SVG (Stevens / tcptrace style): x = seconds since the
// connection's first frame, y = relative sequence number in bytes. Each segment sent is an
// I-beam from its first to one past its last sequence number (red when retransmitted); the
// peer's ACKs are a step line, ACK + receive window a second step line above it; SACK
// blocks are purple bars, duplicate ACKs orange dots, zero windows red triangles on the ACK
// line. Every mark carries a class (seg, retrans, ack-line, window-line, sack, dup-ack,
// zero-window) and the frame it comes from, so a report can find and link them.

#include <string>

#include "render/pictures/timeseq_model.hpp"
#include "tfx/language.hpp"

namespace tfx::render {

/// The direction to draw by default: the one that sent more sequence space (0 = client).
[[nodiscard]] int busiest_direction(const TimeSeqConnection& c);

/// A drawn graph and its width: 900 units, or more when its title or legend needs it.
struct TimeSeqSvg {
    std::string text;  ///< a standalone <svg> element (inlinable in HTML)
    double width = 0;
};

/// One connection, one direction. Its titles, axes and legend are written in `lang`.
[[nodiscard]] TimeSeqSvg timeseq_svg(const TimeSeqConnection& c, int direction, Language lang = Language::En);

}  // namespace tfx::render
