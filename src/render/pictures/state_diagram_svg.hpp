#pragma once
// The RFC 9293 §3.3.2 state diagram of one connection as SVG, without Graphviz (for an HTML
// report): the states at fixed places in the manner of the RFC's figure (CLOSED at the top,
// the opening states, ESTABLISHED in the centre, the closing states below), the client's and
// the server's paths drawn in their colours, each edge taken labelled with its frames.

#include <span>
#include <string>

#include "tfx/language.hpp"
#include "render/pictures/edge_frames.hpp"
#include "tfx/conversation.hpp"

namespace tfx::render {

/// The states keep their RFC 9293 names; the legend and the edge labels are in `lang`.
[[nodiscard]] std::string state_diagram_svg(const ConversationSummary& s, std::span<const TakenEdge> taken,
                                            Language lang = Language::En);

}  // namespace tfx::render
