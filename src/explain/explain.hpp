#pragma once
// Plain-language sentences for segments and findings. One place for the wording, so the
// text walkthrough and the JSON output say the same thing (`check` reports keep their own
// one-line format).
//
// The append_* functions write into the caller's buffer (the renderers' output buffer):
// the per-segment path builds no string of its own. The std::string forms are for callers
// off that path (tests, reports).

#include <fmt/format.h>

#include <string>

#include "tfx/annotation.hpp"
#include "tfx/conversation.hpp"
#include "tfx/language.hpp"
#include "tfx/segment.hpp"

namespace tfx::explain {

/// Stable snake_case name of a meaning ("connection_request", "handshake_complete").
[[nodiscard]] std::string_view meaning_name(SegmentMeaning m);
[[nodiscard]] std::string_view phase_name(Phase p);

/// The sequence numbers the sentences speak: relative to each side's initial sequence
/// number (the default, as tcpdump prints them) or the absolute ones on the wire (-S), so
/// the prose uses the numbering printed beside it.
enum class Numbering : std::uint8_t { Relative, Absolute };

/// The sentences are written in `lang` (src/i18n holds every language's wording).
///
/// One sentence saying what the segment means, e.g. "The client acknowledges the server's
/// SYN: the three-way handshake is complete."
void append_segment_explanation(fmt::memory_buffer& out, const AnnotatedSegment& seg,
                                Numbering numbering = Numbering::Relative, Language lang = Language::En);
[[nodiscard]] std::string explain_segment(const AnnotatedSegment& seg, Numbering numbering = Numbering::Relative,
                                          Language lang = Language::En);

/// The evidence of one finding, e.g. "retransmission of #5, sent 200.104 ms earlier".
void append_annotation_explanation(fmt::memory_buffer& out, const Annotation& a, const AnnotatedSegment& seg,
                                   Numbering numbering = Numbering::Relative, Language lang = Language::En);
[[nodiscard]] std::string explain_annotation(const Annotation& a, const AnnotatedSegment& seg,
                                             Numbering numbering = Numbering::Relative, Language lang = Language::En);

/// Both ends of the connection are the capturing host (the same address, or loopback
/// addresses): the handshake legs then say nothing about a position on a path.
[[nodiscard]] bool on_one_host(const Endpoint& client, const Endpoint& server);

/// "0.012 ms", "1.500 s": durations the way people read them ("0,012 ms" in French).
void append_human_duration(fmt::memory_buffer& out, Duration d, Language lang = Language::En);
[[nodiscard]] std::string human_duration(Duration d, Language lang = Language::En);

/// Options the way tcpdump prints them: "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7".
/// SACK blocks are shown relative to `sack_base` (the peer's base) unless absolute.
void append_options_text(fmt::memory_buffer& out, const TcpOptions& o, std::uint32_t sack_base);

/// One-paragraph summary of a connection, e.g. "handshake complete (RTT 0.05 ms);
/// closed gracefully, client first; ...".
void append_conversation_explanation(fmt::memory_buffer& out, const ConversationSummary& s,
                                     Language lang = Language::En);

}  // namespace tfx::explain
