#pragma once
// Session's entry point for frames decoded elsewhere: the command line's ingest thread
// (src/cli/ingest_thread.hpp) reads and decodes on a second core while the session analyses.
// Not public API: it exposes the private DecodedFrame.

#include "decode/decoded_frame.hpp"
#include "tfx/analyze.hpp"

namespace tfx::detail {

struct SessionAccess {
    /// The frame as Session::feed sees it (capture time clamped, see session.cpp). Frames
    /// for feed_decoded() are decoded from this, so that fragment reassembly sees the times
    /// Session::feed would give it.
    [[nodiscard]] static RawFrame normalized(const RawFrame& raw);
    /// Exactly Session::feed(frame) after its decoding step, for `decoded` made from
    /// normalized(frame) by a decode::FrameDecoder that saw every frame before it, in order
    /// (the session's own decoder then sees none).
    static void feed_decoded(Session& session, const RawFrame& normalized_frame,
                             const decode::DecodedFrame& decoded);
};

}  // namespace tfx::detail
