#include "cli/render_thread.hpp"

#include <utility>

namespace tfx::cli {

RenderThread::RenderThread(EventSink& target, bool copy_payload)
    : target_(target), copy_payload_(copy_payload) {
    current_.events.reserve(kBatchEvents);
    worker_ = std::thread([this] { run(); });
}

RenderThread::~RenderThread() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    queue_changed_.notify_all();
    worker_.join();
}

void RenderThread::capture_started(const CaptureInfo& info) { push(info); }

void RenderThread::conversation_opened(const ConversationSummary& opening) { push(Opened{opening}); }

void RenderThread::segment(const AnnotatedSegment& seg) {
    Segment e{seg, current_.payload.size(), 0};
    if (copy_payload_) {
        e.payload_size = seg.payload.size();
        current_.payload.insert(current_.payload.end(), seg.payload.begin(), seg.payload.end());
    }
    e.seg.payload = {};  // rebuilt on the worker from the batch's copy
    push(std::move(e));
}

void RenderThread::conversation_closed(const ConversationSummary& summary) { push(Closed{summary}); }

void RenderThread::capture_finished(const CaptureSummary& summary) {
    push(summary);
    hand_over();
    std::unique_lock lock(mutex_);
    queue_changed_.wait(lock, [this] { return queue_.empty() && idle_; });
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void RenderThread::push(Event&& e) {
    current_.events.push_back(std::move(e));
    if (current_.events.size() >= kBatchEvents) hand_over();
}

void RenderThread::hand_over() {
    if (current_.events.empty()) return;
    Batch next;
    {
        std::unique_lock lock(mutex_);
        queue_changed_.wait(lock, [this] { return queue_.size() < kMaxQueued; });
        queue_.push_back(std::move(current_));
        if (!spare_.empty()) {
            next = std::move(spare_.back());
            spare_.pop_back();
        }
    }
    queue_changed_.notify_all();
    next.events.clear();
    next.payload.clear();
    next.events.reserve(kBatchEvents);
    current_ = std::move(next);
}

void RenderThread::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        queue_changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
        if (queue_.empty()) return;  // closing, and everything rendered
        Batch batch = std::move(queue_.front());
        queue_.pop_front();
        idle_ = false;
        lock.unlock();
        queue_changed_.notify_all();  // room in the queue
        if (!failure_) {
            try {
                deliver(batch);
            } catch (...) {
                // Keep draining so the producer never blocks; the caller sees the error at
                // capture_finished.
                failure_ = std::current_exception();
            }
        }
        lock.lock();
        spare_.push_back(std::move(batch));
        idle_ = queue_.empty();
        if (idle_) queue_changed_.notify_all();
    }
}

void RenderThread::deliver(Batch& b) {
    struct Visit {
        RenderThread& self;
        Batch& batch;
        void operator()(Segment& e) const {
            if (self.copy_payload_) {
                e.seg.payload = std::span<const std::byte>(batch.payload).subspan(
                    e.payload_offset, e.payload_size);
            }
            self.target_.segment(e.seg);
        }
        void operator()(Opened& e) const { self.target_.conversation_opened(e.summary); }
        void operator()(Closed& e) const { self.target_.conversation_closed(e.summary); }
        void operator()(CaptureInfo& e) const { self.target_.capture_started(e); }
        void operator()(CaptureSummary& e) const { self.target_.capture_finished(e); }
    };
    for (Event& e : b.events) std::visit(Visit{*this, b}, e);
}

}  // namespace tfx::cli
