#pragma once
/// Renderers: EventSinks that write the event stream as text, JSON, JSONL, DOT, CSV or an
/// HTML report.
/// They format; they compute nothing.

#include <cstdio>
#include <memory>

#include "tfx/session.hpp"

namespace tfx {

enum class OutputFormat {
    Text,
    Json,
    Jsonl,
    Dot,
    Csv,
    Html,  ///< one self-contained report file (docs/pictures.md "HTML report")
};
enum class PayloadMode { None, Ascii, HexAscii };

struct RenderOptions {
    bool color = false;
    PayloadMode payload = PayloadMode::None;
    bool absolute_seq = false;  ///< raw sequence numbers instead of relative ones
    bool summary_only = false;  ///< per-connection rows only (like Zeek's conn.log)
    /// DOT only: draw who talks to whom (hosts and their connections) instead of the
    /// RFC 9293 state diagram of each connection.
    bool talkers_graph = false;
};

/// A renderer writing to `out` (not owned). Output is flushed at capture_finished().
[[nodiscard]] std::unique_ptr<EventSink> make_renderer(OutputFormat format, std::FILE* out,
                                                       const RenderOptions& options);

}  // namespace tfx
