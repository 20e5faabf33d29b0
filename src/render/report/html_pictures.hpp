#pragma once
// The seam between the HTML report and the pictures of a connection. The report calls
// append_connection_pictures() once per connection section; it writes the three figures
//
//   <figure class="ladder">   the ladder (sequence) diagram
//   <figure class="timeseq">  the time-sequence graph
//   <figure class="states">   the connection's path through the RFC 9293 state diagram
//
// each holding one connection's SVG (ladder_svg, timeseq_svg, state_diagram_svg), drawn from
// the segments the report kept. A picture that comes out empty leaves its figure empty and
// marked data-picture="none" (the report's style hides it). Drawn elements that stand for a segment carry data-frame="N"
// (N = the frame number): the report's script then selects that segment when one is clicked.

#include <span>
#include <string>

#include "tfx/conversation.hpp"
#include "tfx/language.hpp"
#include "tfx/segment.hpp"

namespace tfx::render {

/// The connection as the report holds it: its summary, and the segments the report kept
/// (the first html_report::kMaxSegmentsShown, in capture order, without their payload).
struct ConnectionPictureInput {
    const ConversationSummary& summary;
    std::span<const AnnotatedSegment> segments;
    bool segments_cut = false;         ///< the connection had more segments than `segments`
    Language language = Language::En;  ///< of the pictures' labels and captions
};

/// Appends the three <figure> elements of one connection to `out`.
void append_connection_pictures(std::string& out, const ConnectionPictureInput& connection);

}  // namespace tfx::render
