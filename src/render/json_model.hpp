#pragma once
// The JSON shape of segments, connections and the capture (schema tcpflow-explain/1,
// documented in docs/schema.json). Shared by the JSON and JSONL renderers.

#include <nlohmann/json.hpp>

#include "tfx/analyze.hpp"
#include "tfx/render.hpp"

namespace tfx::render {

using Json = nlohmann::ordered_json;

[[nodiscard]] Json segment_json(const AnnotatedSegment& s, const RenderOptions& o);
[[nodiscard]] Json conversation_json(const ConversationSummary& s);
[[nodiscard]] Json capture_info_json(const CaptureInfo& c);
[[nodiscard]] Json capture_summary_json(const CaptureSummary& c);

}  // namespace tfx::render
