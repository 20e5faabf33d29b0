// What `check` keeps of each connection (check/collector): the phases, the findings, and
// a bounded number of lines.

#include <gtest/gtest.h>

#include <vector>

#include "check/collector.hpp"

namespace tfx::check {
namespace {

using namespace std::chrono_literals;

TEST(CheckCollector, KeepsPhasesFindingsAndBoundsLines) {
    Collector::Limits limits;
    limits.lines_per_code = 2;
    limits.max_lines = 10;
    Collector col([](const ConversationSummary& s) { return s.id != 2; }, limits);
    auto seg = [](FrameIndex n, std::uint16_t flags, Phase ph) {
        AnnotatedSegment s;
        s.frame = n;
        s.conversation = 1;
        s.has_tcp = true;
        s.flags = flags;
        s.phase = ph;
        return s;
    };
    using namespace tcpflag;
    col.segment(seg(1, kSyn, Phase::Handshake));
    col.segment(seg(2, kSyn | kAck, Phase::Handshake));
    col.segment(seg(3, kAck, Phase::Handshake));
    for (FrameIndex n = 4; n < 100; ++n) {
        auto s = seg(n, kAck | kPsh, Phase::None);
        if (n % 10 == 0) s.add(Annotation{AnnotationCode::Retransmission, 0, 0, 0});
        col.segment(s);
    }
    col.segment(seg(100, kFin | kAck, Phase::Teardown));
    col.segment(seg(101, kFin | kAck, Phase::Teardown));
    col.segment(seg(102, kAck, Phase::Teardown));
    ConversationSummary s1;
    s1.id = 1;
    col.conversation_closed(s1);
    ConversationSummary s2;
    s2.id = 2;
    col.conversation_closed(s2);
    auto facts = col.take();
    ASSERT_EQ(facts.size(), 1u);  // connection 2 not selected
    EXPECT_EQ(col.connections_seen(), 2u);
    const auto& f = facts[0];
    EXPECT_EQ(f.handshake_flags.size(), 3u);
    EXPECT_EQ(f.teardown_flags.size(), 3u);
    std::vector<FrameIndex> frames;
    for (const auto& l : f.lines) frames.push_back(l.frame);
    EXPECT_EQ(frames, (std::vector<FrameIndex>{1, 2, 3, 10, 20, 100, 101, 102}));
    EXPECT_EQ(f.findings_not_kept[static_cast<std::size_t>(AnnotationCode::Retransmission)], 7u);
    EXPECT_TRUE(f.lines[3].has(AnnotationCode::Retransmission));
}

}  // namespace
}  // namespace tfx::check
