#pragma once
/// Renderers: EventSinks that write the event stream as text, JSON, JSONL, DOT, CSV, as
/// ladder diagrams (terminal text, Mermaid, SVG), time-sequence graphs (SVG) or an HTML report.
/// They format; they compute nothing.

#include <cstdio>
#include <memory>

#include "tfx/language.hpp"
#include "tfx/session.hpp"

namespace tfx {

enum class OutputFormat {
    Text,
    Json,
    Jsonl,
    Dot,
    Csv,
    Ladder,
    Mermaid,
    Svg,
    Html,  ///< one self-contained report file (docs/pictures.md "HTML report")
};
enum class PayloadMode { None, Ascii, HexAscii };
/// Ladder SVG: how far apart the arrows are. Even: one row per segment; Linear: in
/// proportion to the time between them; Log: in proportion to its logarithm.
enum class TimeScale { Even, Linear, Log };
/// Which picture a graph format draws. DOT: States (each connection's path through the
/// RFC 9293 state diagram: the states visited and their neighbours), Full (the same on the
/// whole diagram) or Talkers (who talks to whom: hosts and their connections). SVG: TimeSequence (a
/// tcptrace-style time-sequence graph per connection).
enum class GraphKind { States, Full, Talkers, TimeSequence };
/// The time column of the text walkthrough. Connection: seconds since the connection's first
/// segment (the default); Relative: since the first segment of the capture, so interleaved
/// connections read in order; Delta: since the previous segment shown of the same connection;
/// Wall: ISO 8601 date and time with microseconds (UTC unless `localtime`); Epoch: seconds
/// since 1970-01-01 UTC with microseconds.
enum class TimeFormat { Connection, Relative, Delta, Wall, Epoch };

struct RenderOptions {
    bool color = false;
    PayloadMode payload = PayloadMode::None;
    bool verbose = false;       ///< text walkthrough: a line of each segment's IP and TCP header details (-v)
    bool absolute_seq = false;  ///< raw sequence numbers instead of relative ones
    bool summary_only = false;  ///< per-connection rows only (like Zeek's conn.log)
    GraphKind graph = GraphKind::States;
    // Ladder diagrams (Ladder, Mermaid, Svg).
    bool ascii = false;                      ///< terminal ladder in ASCII instead of Unicode box drawing
    TimeScale time_scale = TimeScale::Even;  ///< SVG ladder: vertical spacing of the arrows
    // Reading a big capture (text, json, jsonl).
    bool findings_only = false;                       ///< only the segments that change a state or carry a finding
    bool findings_tally = false;                      ///< the capture-wide tally of findings after the capture summary
    TimeFormat time_format = TimeFormat::Connection;  ///< text walkthrough's time column
    bool localtime = false;                           ///< TimeFormat::Wall in the local time zone, not UTC
    /// Text walkthrough: write each event's text out as soon as it is made (--step cuts the
    /// output into one block per segment).
    bool flush_each_event = false;
    Language language = Language::En;  ///< of the sentences (keys and codes never change)
};

/// A renderer writing to `out` (not owned). Output is flushed at capture_finished().
[[nodiscard]] std::unique_ptr<EventSink> make_renderer(OutputFormat format, std::FILE* out,
                                                       const RenderOptions& options);

}  // namespace tfx
