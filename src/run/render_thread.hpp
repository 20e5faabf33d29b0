#pragma once
// Rendering on a second core: an EventSink that hands the pipeline's events, in order and in
// batches, to a worker thread that feeds them to the real renderer. Decode, flow table, state
// machines and analysis stay on the calling thread; formatting and writing move off it. The
// renderer sees exactly the events, in exactly the order, it would have seen directly, so the
// output is byte-identical (tests/unit/render_thread_test.cpp).
//
// Used for capture files, where throughput matters; live captures render directly, so that a
// segment is printed the moment it is captured instead of when a batch fills.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <thread>
#include <vector>

#include "run/batch_queue.hpp"
#include "tfx/session.hpp"

namespace tfx::run {

class RenderThread final : public EventSink {
public:
    /// `target` must outlive this object; it is only ever called from the worker thread
    /// (never concurrently). `copy_payload`: carry segment payload bytes across (only needed
    /// when the renderer prints payloads: they live in the reader's buffer, which the next
    /// frame overwrites).
    /// `cpu`: the worker confines itself to that CPU (cpu_placement.hpp).
    RenderThread(EventSink& target, bool copy_payload, std::optional<int> cpu = std::nullopt);
    ~RenderThread() override;
    RenderThread(const RenderThread&) = delete;
    RenderThread& operator=(const RenderThread&) = delete;

    void capture_started(const CaptureInfo& info) override;
    void conversation_opened(const ConversationSummary& opening) override;
    void segment(const AnnotatedSegment& seg) override;
    bool wants_segments() const override { return forward_segments_; }
    void conversation_closed(const ConversationSummary& summary) override;
    /// Forwards the summary, then waits until the worker has rendered everything; an
    /// exception the renderer threw is rethrown here, on the caller's thread.
    void capture_finished(const CaptureSummary& summary) override;

private:
    // A batch keeps each kind of event in its own array and, in `order`, which kind came
    // next. So a segment costs one AnnotatedSegment copy into a reused array, not a slot
    // the size of the largest event (a connection summary) and a variant to dispatch on.
    enum class Kind : std::uint8_t { Started, Opened, Segment, Closed, Finished };
    struct Segment {
        AnnotatedSegment seg;
        std::size_t payload_offset = 0;  ///< into Batch::payload; seg.payload is rebuilt from it
        std::size_t payload_size = 0;
        /// Into Batch::hints, plus one; 0: no hint. seg.content_hint is rebuilt from it.
        std::size_t hint_index = 0;
    };
    struct Batch {
        std::vector<Kind> order;
        std::vector<Segment> segments;
        std::vector<ConversationSummary> summaries;  ///< opened and closed, in order
        std::vector<CaptureInfo> infos;              ///< capture_started (once per run)
        std::vector<CaptureSummary> finishes;        ///< capture_finished (once per run)
        std::vector<std::byte> payload;
        /// Content hints of the batch's segments (the segment completing a hint is rare).
        std::vector<content::ContentHint> hints;

        void clear() {
            order.clear();
            segments.clear();
            summaries.clear();
            infos.clear();
            finishes.clear();
            payload.clear();
            hints.clear();
        }
    };

    // Events per batch: large enough that the hand-over (one lock, one wake-up) costs
    // nothing per event, small enough to stay in cache. At most kMaxQueued batches wait,
    // which bounds memory when the renderer is the slower side.
    static constexpr std::size_t kBatchEvents = 256;
    static constexpr std::size_t kMaxQueued = 8;

    void pushed(Kind kind);  // records the event just stored; hands the batch over when full
    void hand_over();        // queue the current batch (blocks while the queue is full)
    void run();              // worker
    void deliver(Batch& b);

    EventSink& target_;
    const bool copy_payload_;
    const bool forward_segments_;  ///< target_.wants_segments(), asked once
    const std::optional<int> cpu_;
    Batch current_;
    BatchQueue<Batch> queue_{kMaxQueued};
    std::exception_ptr failure_;
    std::thread worker_;
};

}  // namespace tfx::run
