// The render thread must be invisible: the renderer behind it sees the same events, in the
// same order, with the same payload bytes, as it would directly; its errors reach the caller.

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "run/render_thread.hpp"

namespace {

using namespace tfx;

/// Writes one line per event, with everything that could be lost on the way.
class Recorder final : public EventSink {
public:
    std::vector<std::string> log;
    std::thread::id thread;
    int slow_every = 0;          ///< sleep on every n-th segment (the renderer is the slower side)
    int throw_at = -1;           ///< throw at this segment
    bool reads_segments = true;  ///< what wants_segments() says

    bool wants_segments() const override { return reads_segments; }

    void capture_started(const CaptureInfo& info) override {
        thread = std::this_thread::get_id();
        log.push_back("start " + info.source);
    }
    void conversation_opened(const ConversationSummary& s) override { log.push_back("open " + std::to_string(s.id)); }
    void segment(const AnnotatedSegment& s) override {
        if (std::this_thread::get_id() != thread) throw std::logic_error("called from two threads");
        if (static_cast<int>(segments) == throw_at) throw std::runtime_error("renderer failed");
        if (slow_every > 0 && segments % static_cast<std::size_t>(slow_every) == 0)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        ++segments;
        std::string line = "seg " + std::to_string(s.frame) + " c" + std::to_string(s.conversation) + " notes " +
                           std::to_string(s.notes().size()) + " payload ";
        for (std::byte b : s.payload) line += static_cast<char>(b);
        log.push_back(line);
    }
    void conversation_closed(const ConversationSummary& s) override {
        log.push_back("close " + std::to_string(s.id) + " " + s.history + " " + s.end_reason);
    }
    void capture_finished(const CaptureSummary& c) override { log.push_back("finish " + std::to_string(c.frames)); }

private:
    std::size_t segments = 0;
};

/// A capture's worth of events: 40 connections, 6000 segments with payload, opened and
/// closed along the way (more events than the queue holds at once).
void play(EventSink& sink) {
    CaptureInfo info;
    info.source = "test.pcap";
    sink.capture_started(info);
    std::vector<std::byte> buffer;  // reused like the reader's buffer: overwritten per frame
    for (FrameIndex f = 1; f <= 6000; ++f) {
        const auto conn = static_cast<ConversationId>(f % 40 + 1);
        if (f <= 40) {
            ConversationSummary opened;
            opened.id = conn;
            sink.conversation_opened(opened);
        }
        AnnotatedSegment s;
        s.frame = f;
        s.conversation = conn;
        if (f % 7 == 0) s.add(Annotation{AnnotationCode::Retransmission, f - 1, 5, 0});
        const std::string text = "payload-of-" + std::to_string(f);
        buffer.assign(reinterpret_cast<const std::byte*>(text.data()),
                      reinterpret_cast<const std::byte*>(text.data()) + text.size());
        s.payload = buffer;
        s.payload_len = s.payload_captured = static_cast<std::uint32_t>(buffer.size());
        sink.segment(s);
        buffer.assign(buffer.size(), std::byte{'X'});  // the next read overwrites it
        if (f > 5900 && f % 40 == 0) {
            ConversationSummary closed;
            closed.id = conn;
            closed.history = "ShADadFf";
            closed.end_reason = "closed";
            sink.conversation_closed(closed);
        }
    }
    CaptureSummary done;
    done.frames = 6000;
    sink.capture_finished(done);
}

TEST(RenderThread, SameEventsInTheSameOrderWithPayloads) {
    Recorder direct;
    play(direct);
    Recorder behind;
    behind.slow_every = 500;
    {
        run::RenderThread worker(behind, true);
        play(worker);
        // capture_finished returned: everything is rendered already.
        EXPECT_EQ(behind.log.size(), direct.log.size());
    }
    EXPECT_EQ(behind.log, direct.log);
    EXPECT_NE(behind.thread, std::this_thread::get_id());
}

// A per-connection renderer (summary, CSV, dot) says it does nothing with segments: they are
// not relayed at all, and every other event still arrives, in order.
TEST(RenderThread, SegmentsAreNotRelayedToARendererThatDoesNotReadThem) {
    Recorder direct;
    play(direct);
    std::vector<std::string> expected;
    for (const auto& line : direct.log)
        if (!line.starts_with("seg ")) expected.push_back(line);
    Recorder behind;
    behind.reads_segments = false;
    {
        run::RenderThread worker(behind, true);
        EXPECT_FALSE(worker.wants_segments());
        play(worker);
    }
    EXPECT_EQ(behind.log, expected);
    EXPECT_EQ(expected.size(), 45u);  // start, 40 opened, 3 closed, finish
}

TEST(RenderThread, PayloadsAreDroppedWhenTheRendererDoesNotPrintThem) {
    Recorder behind;
    {
        run::RenderThread worker(behind, false);
        play(worker);
    }
    ASSERT_GT(behind.log.size(), 2u);
    EXPECT_EQ(behind.log[2], "seg 1 c2 notes 0 payload ");
}

TEST(RenderThread, RendererErrorsReachTheCaller) {
    Recorder failing;
    failing.throw_at = 3000;
    run::RenderThread worker(failing, false);
    EXPECT_THROW(play(worker), std::runtime_error);
}

TEST(RenderThread, StoppingBeforeTheEndRendersWhatWasHandedOver) {
    // An error before capture_finished (e.g. the reader failed): destroying the worker must
    // not hang, and must not call the renderer afterwards.
    Recorder behind;
    {
        run::RenderThread worker(behind, false);
        CaptureInfo info;
        worker.capture_started(info);
    }
    SUCCEED();
}

}  // namespace
