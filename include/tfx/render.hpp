#pragma once
/// Renderers: EventSinks that write the event stream as text, JSON, JSONL, DOT or CSV.
/// They format; they compute nothing.

#include <cstdio>
#include <memory>

#include "tfx/session.hpp"

namespace tfx {

enum class OutputFormat { Text, Json, Jsonl, Dot, Csv, Svg };
enum class PayloadMode { None, Ascii, HexAscii };
/// Which picture a graph format draws. DOT: States (each connection's path through the
/// RFC 9293 state diagram: the states visited and their neighbours), Full (the same on the
/// whole diagram) or Talkers (who talks to whom: hosts and their connections). SVG: TimeSequence (a
/// tcptrace-style time-sequence graph per connection).
enum class GraphKind { States, Full, Talkers, TimeSequence };

struct RenderOptions {
    bool color = false;
    PayloadMode payload = PayloadMode::None;
    bool absolute_seq = false;  ///< raw sequence numbers instead of relative ones
    bool summary_only = false;  ///< per-connection rows only (like Zeek's conn.log)
    GraphKind graph = GraphKind::States;
};

/// A renderer writing to `out` (not owned). Output is flushed at capture_finished().
[[nodiscard]] std::unique_ptr<EventSink> make_renderer(OutputFormat format, std::FILE* out,
                                                       const RenderOptions& options);

}  // namespace tfx
