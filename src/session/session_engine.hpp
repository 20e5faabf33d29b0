#pragma once
// Session's engine, with one more entry point: frames decoded elsewhere. The runtime's ingest
// thread (src/run/ingest_thread.hpp) reads, decodes and finds each segment's connection slot on a
// second core while the session analyses. Not public API: it exposes the private
// DecodedFrame and the flow slots.

#include <cstdint>
#include <memory>
#include <string>

#include "decode/decoded_frame.hpp"
#include "flow/shard.hpp"
#include "flow/slot_assigner.hpp"
#include "tfx/session.hpp"

namespace tfx::detail {

/// A decoded TCP segment's sender, receiver and connection key.
struct SegmentEnds {
    Endpoint src;
    Endpoint dst;
    FlowKey key;
};

/// Where a TCP segment goes: its ends, and the slot of its connection's key
/// (flow::SlotAssigner). Unused for other frames.
struct FrameRoute {
    SegmentEnds ends;
    std::uint32_t slot = flow::SlotAssigner::kNone;
};

class SessionEngine {
public:
    SessionEngine(Options options, EventSink& sink);
    ~SessionEngine();
    SessionEngine(const SessionEngine&) = delete;
    SessionEngine& operator=(const SessionEngine&) = delete;

    /// As Session's functions of the same names.
    void start(const CaptureInfo& info);
    void feed(const RawFrame& frame);
    void finish(const std::string& truncated_message = {});
    void set_kernel_stats(std::uint64_t received, std::uint64_t dropped, std::uint64_t if_dropped);

    /// The frame as Session::feed sees it (capture time clamped, see session.cpp). Frames
    /// for feed_decoded() are decoded from this, so that fragment reassembly sees the times
    /// Session::feed would give it.
    [[nodiscard]] static RawFrame normalized(const RawFrame& raw);
    /// The ends of a decoded TCP segment: one rule for the session and the ingest thread.
    [[nodiscard]] static SegmentEnds ends_of(const decode::DecodedFrame& decoded);
    /// Exactly Session::feed(frame) after its decoding step, for `decoded` made from
    /// normalized(frame) by a decode::FrameDecoder that saw every frame before it, in order
    /// (the session's own decoder then sees none). `ticket` is the frame's position in the
    /// capture (1, 2, ...); for a TCP segment, `route` holds its ends_of() and the slot a
    /// flow::SlotAssigner gave its key with that ticket; the session then releases slots
    /// only to release_slots_to() (call it before the first frame).
    void feed_decoded(const RawFrame& normalized_frame, const decode::DecodedFrame& decoded, const FrameRoute& route,
                      std::uint64_t ticket);
    /// Analyses only the connections of `shard` (call it before the first frame): the
    /// segments of others count as frames read and move the clock, nothing more. Frames fed
    /// decoded must then come with no slot (SlotAssigner::kNone) for those segments.
    void keep_only(const flow::Shard& shard);
    /// Where the session posts the slots of connections that ended (for feed_decoded()):
    /// `releases` must outlive the feeding; finish() posts nothing (no frame follows).
    void release_slots_to(flow::SlotReleases& releases);
    /// A hint for a segment that will be fed soon, so its connection's record is in cache by
    /// then. Output never depends on it.
    void prefetch_slot(std::uint32_t slot) const;
    /// Connections seen so far (for a progress indicator).
    [[nodiscard]] std::uint64_t conversations() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tfx::detail
