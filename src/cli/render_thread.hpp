#pragma once
// Rendering on a second core: an EventSink that hands the pipeline's events, in order and in
// batches, to a worker thread that feeds them to the real renderer. Decode, flow table, state
// machines and analysis stay on the calling thread; formatting and writing move off it. The
// renderer sees exactly the events, in exactly the order, it would have seen directly, so the
// output is byte-identical (tests/unit/render_thread_test.cpp).
//
// Used for capture files, where throughput matters; live captures render directly, so that a
// segment is printed the moment it is captured instead of when a batch fills.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "tfx/analyze.hpp"

namespace tfx::cli {

class RenderThread final : public EventSink {
public:
    /// `target` must outlive this object; it is only ever called from the worker thread
    /// (never concurrently). `copy_payload`: carry segment payload bytes across (only needed
    /// when the renderer prints payloads: they live in the reader's buffer, which the next
    /// frame overwrites).
    RenderThread(EventSink& target, bool copy_payload);
    ~RenderThread() override;
    RenderThread(const RenderThread&) = delete;
    RenderThread& operator=(const RenderThread&) = delete;

    void capture_started(const CaptureInfo& info) override;
    void conversation_opened(const ConversationSummary& opening) override;
    void segment(const AnnotatedSegment& seg) override;
    void conversation_closed(const ConversationSummary& summary) override;
    /// Forwards the summary, then waits until the worker has rendered everything; an
    /// exception the renderer threw is rethrown here, on the caller's thread.
    void capture_finished(const CaptureSummary& summary) override;

private:
    struct Opened {
        ConversationSummary summary;
    };
    struct Closed {
        ConversationSummary summary;
    };
    struct Segment {
        AnnotatedSegment seg;
        std::size_t payload_offset = 0;  ///< into Batch::payload; seg.payload is rebuilt from it
        std::size_t payload_size = 0;
    };
    using Event = std::variant<Segment, Opened, Closed, CaptureInfo, CaptureSummary>;
    struct Batch {
        std::vector<Event> events;
        std::vector<std::byte> payload;
    };

    // Events per batch: large enough that the hand-over (one lock, one wake-up) costs
    // nothing per event, small enough to stay in cache. At most kMaxQueued batches wait,
    // which bounds memory when the renderer is the slower side.
    static constexpr std::size_t kBatchEvents = 256;
    static constexpr std::size_t kMaxQueued = 8;

    void push(Event&& e);
    void hand_over();  // queue the current batch (blocks while the queue is full)
    void run();        // worker
    void deliver(Batch& b);

    EventSink& target_;
    const bool copy_payload_;
    Batch current_;
    std::mutex mutex_;
    std::condition_variable queue_changed_;
    std::deque<Batch> queue_;
    std::vector<Batch> spare_;  ///< rendered batches, reused (keeps their capacity)
    bool closing_ = false;      ///< no more batches will come
    bool idle_ = true;          ///< the worker has rendered everything handed over
    std::exception_ptr failure_;
    std::thread worker_;
};

}  // namespace tfx::cli
