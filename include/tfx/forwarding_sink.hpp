#pragma once
/// An EventSink that passes every event on to another: derive from it and override only the
/// events you change or watch (keep a summary, mark an interrupted capture, count, filter).

#include "tfx/session.hpp"

namespace tfx {

class ForwardingSink : public EventSink {
public:
    explicit ForwardingSink(EventSink& next) : next_(next) {}
    void capture_started(const CaptureInfo& info) override { next_.capture_started(info); }
    void conversation_opened(const ConversationSummary& opening) override { next_.conversation_opened(opening); }
    void segment(const AnnotatedSegment& seg) override { next_.segment(seg); }
    [[nodiscard]] bool wants_segments() const override { return next_.wants_segments(); }
    void conversation_closed(const ConversationSummary& summary) override { next_.conversation_closed(summary); }
    void capture_finished(const CaptureSummary& summary) override { next_.capture_finished(summary); }

protected:
    [[nodiscard]] EventSink& next() { return next_; }

private:
    EventSink& next_;
};

}  // namespace tfx
