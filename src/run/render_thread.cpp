#include "run/render_thread.hpp"

#include <utility>

#include "run/cpu_placement.hpp"

namespace tfx::run {

RenderThread::RenderThread(EventSink& target, bool copy_payload, std::optional<int> cpu)
    : target_(target), copy_payload_(copy_payload), forward_segments_(target.wants_segments()), cpu_(cpu) {
    current_.order.reserve(kBatchEvents);
    worker_ = std::thread([this] { run(); });
}

RenderThread::~RenderThread() {
    queue_.close();  // the worker renders what waits, then ends
    worker_.join();
}

void RenderThread::capture_started(const CaptureInfo& info) {
    current_.infos.push_back(info);
    pushed(Kind::Started);
}

void RenderThread::conversation_opened(const ConversationSummary& opening) {
    current_.summaries.push_back(opening);
    pushed(Kind::Opened);
}

void RenderThread::segment(const AnnotatedSegment& seg) {
    if (!forward_segments_) return;  // the renderer does nothing with them: no copy
    Segment& e = current_.segments.emplace_back(Segment{seg, current_.payload.size(), 0, 0});
    if (copy_payload_) {
        e.payload_size = seg.payload.size();
        current_.payload.insert(current_.payload.end(), seg.payload.begin(), seg.payload.end());
    }
    e.seg.payload = {};  // rebuilt on the worker from the batch's copy
    if (seg.content_hint != nullptr) {
        current_.hints.push_back(*seg.content_hint);
        e.hint_index = current_.hints.size();
    }
    e.seg.content_hint = nullptr;  // the same: the hint lives on the analysis thread
    pushed(Kind::Segment);
}

void RenderThread::conversation_closed(const ConversationSummary& summary) {
    current_.summaries.push_back(summary);
    pushed(Kind::Closed);
}

void RenderThread::capture_finished(const CaptureSummary& summary) {
    current_.finishes.push_back(summary);
    pushed(Kind::Finished);
    hand_over();
    queue_.wait_drained();  // also makes the worker's failure_ visible here
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void RenderThread::pushed(Kind kind) {
    current_.order.push_back(kind);
    if (current_.order.size() >= kBatchEvents) hand_over();
}

void RenderThread::hand_over() {
    if (current_.order.empty()) return;
    (void)queue_.push(std::move(current_));  // only refused after close(), in the destructor
    current_ = queue_.spare();
    current_.clear();
    current_.order.reserve(kBatchEvents);
}

void RenderThread::run() {
    if (cpu_) confine_current_thread(*cpu_);
    while (std::optional<Batch> batch = queue_.pop()) {
        if (!failure_) {
            try {
                deliver(*batch);
            } catch (...) {
                // Keep draining so the producer never blocks; the caller sees the error at
                // capture_finished.
                failure_ = std::current_exception();
            }
        }
        queue_.recycle(std::move(*batch));
    }
}

void RenderThread::deliver(Batch& b) {
    std::size_t segment = 0, summary = 0, info = 0, finish = 0;
    for (const Kind kind : b.order) {
        switch (kind) {
            case Kind::Started: target_.capture_started(b.infos[info++]); break;
            case Kind::Opened: target_.conversation_opened(b.summaries[summary++]); break;
            case Kind::Segment: {
                Segment& e = b.segments[segment++];
                if (copy_payload_) {
                    e.seg.payload = std::span<const std::byte>(b.payload).subspan(e.payload_offset, e.payload_size);
                }
                if (e.hint_index != 0) e.seg.content_hint = &b.hints[e.hint_index - 1];
                target_.segment(e.seg);
                break;
            }
            case Kind::Closed: target_.conversation_closed(b.summaries[summary++]); break;
            case Kind::Finished: target_.capture_finished(b.finishes[finish++]); break;
        }
    }
}

}  // namespace tfx::run
