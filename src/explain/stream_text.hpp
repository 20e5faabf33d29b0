#pragma once
// Sentences about the rebuilt byte streams (--reassemble; docs/streams.md): what a segment
// brought to its stream when that is worth a word, and each direction's totals, in the
// reader's language.

#include <fmt/format.h>

#include "tfx/conversation.hpp"
#include "tfx/language.hpp"
#include "tfx/segment.hpp"

namespace tfx::explain {

/// Whether the segment's part in its stream says more than "these bytes are new": bytes seen
/// before, differing, past the FIN or before the stream's start. Snaplen-cut bytes alone are
/// not: in a headers-only capture every segment would say so.
[[nodiscard]] bool stream_worth_saying(const SegmentStream& st);

/// "stream 1448:2896: these 1448 bytes were already seen (duplicate)."
void append_segment_stream(fmt::memory_buffer& out, const SegmentStream& st, Language lang);

/// "6 bytes delivered, 0 missing", then what else is not zero.
void append_stream_stats(fmt::memory_buffer& out, const StreamStats& st, Language lang);

}  // namespace tfx::explain
