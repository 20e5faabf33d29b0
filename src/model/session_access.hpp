#pragma once
// Session's entry point for frames decoded elsewhere: the command line's ingest thread
// (src/cli/ingest_thread.hpp) reads and decodes on a second core while the session analyses.
// Not public API: it exposes the private DecodedFrame.

#include <cstdint>

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
    /// `flow_hash` is flow_hash(decoded), computed where the frame was decoded.
    static void feed_decoded(Session& session, const RawFrame& normalized_frame,
                             const decode::DecodedFrame& decoded, std::uint32_t flow_hash);
    /// The flow table's hash of a decoded TCP segment's connection (0 for other frames).
    /// Pure, so the thread that decodes can compute it.
    [[nodiscard]] static std::uint32_t flow_hash(const decode::DecodedFrame& decoded);
    /// Hints for a frame that will be fed soon, so its memory is in cache by then: the
    /// flow index position (some eight frames ahead), then the connection's record (some
    /// four ahead, once the index position has arrived). Output never depends on them.
    static void prefetch_index(const Session& session, std::uint32_t flow_hash);
    static void prefetch_record(const Session& session, std::uint32_t flow_hash);
};

}  // namespace tfx::detail
