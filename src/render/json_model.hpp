#pragma once
// The JSON shape of segments, connections and the capture (schema tcpflow-explain/1,
// documented in docs/schema.json). Shared by the JSON and JSONL renderers. Segments and
// connections are written with JsonWriter (they are the volume); the capture header and
// footer, once per run, are nlohmann objects.

#include <nlohmann/json.hpp>

#include "render/findings.hpp"
#include "render/json_writer.hpp"

#include "tfx/frame_files.hpp"
#include "tfx/render.hpp"
#include "tfx/session.hpp"

namespace tfx::render {

using Json = nlohmann::ordered_json;

/// The members of a segment object (the caller opens and closes it, and may add members
/// first, e.g. JSONL's "type"). `Writer`: JsonWriter or CompactJsonWriter (made for both in
/// json_model.cpp). `files` (CaptureInfo::frame_files): with several files read, the
/// segment says which one its frame came from; null for one input.
template <typename Writer>
void write_segment_fields(Writer& w, const AnnotatedSegment& s, const RenderOptions& o,
                          const FrameFiles* files = nullptr);
/// The members of a connection object (the JSON document appends "segments" after them);
/// its sentences in `lang`.
template <typename Writer>
void write_conversation_fields(Writer& w, const ConversationSummary& s, Language lang);
[[nodiscard]] Json capture_info_json(const CaptureInfo& c);
[[nodiscard]] Json capture_summary_json(const CaptureSummary& c);
/// The JSON text of `j` (`indent` < 0: compact). A string that is not valid UTF-8 (a file
/// name, a filter, an interface name as the system gave it) has each invalid byte replaced
/// by U+FFFD, so the document stays valid JSON instead of failing.
[[nodiscard]] std::string json_text(const Json& j, int indent = -1);
/// The capture summary's "findings": per finding code, its count, how many connections have
/// it and the first FindingsTally::kListedConnections of them.
[[nodiscard]] Json findings_tally_json(const FindingsTally& tally);

}  // namespace tfx::render
