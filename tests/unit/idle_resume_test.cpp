// Idle expiry bounds memory; it does not end a connection. A connection silent for longer
// than the idle timeout is put to sleep, and a later segment whose numbers continue its
// sequence space (a keep-alive at next - 1, as Linux sends after 2 h of silence by
// default) wakes it: same number, states, relative numbers and analysis.

#include <gtest/gtest.h>

#include <string>

#include "explain/explain.hpp"
#include "support/session_harness.hpp"

using namespace tfx;
using namespace tfx::test;
using namespace tfx::tcpflag;

namespace {

constexpr std::int64_t kTwoHoursUs = 7200LL * 1'000'000;

// Handshake and one request/response: the client's next seq is 1001 + 96, the server's 5001 + 16.
void open_and_exchange(Harness& h, const Peers& p) {
    h.send(p.c2s(1000, 0, kSyn));
    h.send(p.s2c(5000, 1001, kSyn | kAck));
    h.send(p.c2s(1001, 5001, kAck));
    h.send(p.c2s(1001, 5001, kAck | kPsh, 96));
    h.send(p.s2c(5001, 1097, kAck | kPsh, 16));
    h.send(p.c2s(1097, 5017, kAck));
}

// One keep-alive (seq = next - 1, no data) and its ACK, `gap_us` after the previous frame.
std::pair<AnnotatedSegment, AnnotatedSegment> keep_alive(Harness& h, const Peers& p, std::int64_t gap_us) {
    const AnnotatedSegment probe = h.send(p.c2s(1096, 5017, kAck), gap_us);
    const AnnotatedSegment answer = h.send(p.s2c(5017, 1097, kAck));
    return {probe, answer};
}

}  // namespace

// tshark: one stream, every probe tcp.analysis.keep_alive, every answer keep_alive_ack.
TEST(IdleResume, KeepAlivesTwoHoursApartStayOneConnection) {
    Harness h;  // idle timeout 300 s
    const Peers p;
    open_and_exchange(h, p);
    for (int i = 0; i < 3; ++i) {
        const auto [probe, answer] = keep_alive(h, p, kTwoHoursUs);
        EXPECT_EQ(probe.conversation, 1u);
        EXPECT_EQ(probe.meaning, SegmentMeaning::KeepAlive);
        EXPECT_TRUE(probe.has(AnnotationCode::KeepAlive));
        EXPECT_TRUE(probe.has(AnnotationCode::IdleResumed));
        EXPECT_FALSE(probe.has(AnnotationCode::MidStreamStart));
        EXPECT_EQ(probe.rel_seq, 96u);  // relative numbers continue from the same bases
        EXPECT_EQ(probe.rel_ack, 17u);
        EXPECT_TRUE(answer.has(AnnotationCode::KeepAliveAck));
        EXPECT_EQ(answer.meaning, SegmentMeaning::KeepAliveAck);
    }
    h.finish();
    // Consumers see the connection open once and close once, with the whole of it.
    ASSERT_EQ(h.sink.opened.size(), 1u);
    ASSERT_EQ(h.sink.closed.size(), 1u);
    const auto& s = h.sink.closed[0];
    EXPECT_EQ(s.handshake, HandshakeOutcome::Complete);
    EXPECT_EQ(s.dir[0].packets, 4u + 3u);
    EXPECT_EQ(s.dir[1].packets, 2u + 3u);
    EXPECT_EQ(s.dir[0].final_state, TcpState::Established);
    EXPECT_EQ(s.dir[1].final_state, TcpState::Established);
    EXPECT_EQ(s.end_reason, "end_of_capture");
    EXPECT_EQ(h.sink.capture.conversations, 1u);
    EXPECT_EQ(h.sink.capture.expired, 3u);
}

// A resumed connection takes its statistics back from the summary it slept with: the rare
// counters (here a retransmission's bytes) and the handshake's timing too.
TEST(IdleResume, ResumedConnectionKeepsItsRareCountersAndHandshakeTiming) {
    Harness h;
    const Peers p;
    h.send(p.c2s(1000, 0, kSyn));
    h.send(p.s2c(5000, 1001, kSyn | kAck), 2000);
    h.send(p.c2s(1001, 5001, kAck), 3000);
    h.send(p.c2s(1001, 5001, kAck | kPsh, 96));
    const AnnotatedSegment resent = h.send(p.c2s(1001, 5001, kAck | kPsh, 96), 300'000);
    EXPECT_TRUE(resent.has(AnnotationCode::Retransmission));
    h.send(p.s2c(5001, 1097, kAck | kPsh, 16));
    h.send(p.c2s(1097, 5017, kAck));
    const auto [probe, answer] = keep_alive(h, p, kTwoHoursUs);
    EXPECT_TRUE(probe.has(AnnotationCode::IdleResumed));
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1u);
    const auto& s = h.sink.closed[0];
    EXPECT_EQ(s.dir[0].retransmitted_bytes, 96u);
    EXPECT_EQ(s.dir[1].retransmitted_bytes, 0u);
    EXPECT_EQ(s.dir[0].packets, 5u + 1u);
    ASSERT_TRUE(s.handshake_rtt.has_value());
    EXPECT_EQ(*s.handshake_rtt, std::chrono::microseconds{5000});
    EXPECT_EQ(*s.syn_to_synack, std::chrono::microseconds{2000});
    EXPECT_EQ(*s.synack_to_ack, std::chrono::microseconds{3000});
}

// The walkthrough says how long the connection was silent, and since which frame.
TEST(IdleResume, ResumedSegmentSaysTheIdleGap) {
    Harness h;
    const Peers p;
    open_and_exchange(h, p);
    const auto probe = keep_alive(h, p, kTwoHoursUs).first;
    const Annotation* resumed = nullptr;
    for (const auto& a : probe.notes())
        if (a.code == AnnotationCode::IdleResumed) resumed = &a;
    ASSERT_NE(resumed, nullptr);
    EXPECT_EQ(resumed->related, 6u);
    EXPECT_EQ(resumed->a, kTwoHoursUs * 1000);
    const std::string text = explain::explain_annotation(*resumed, probe);
    EXPECT_NE(text.find("7200.000 s (2 h 0 min) of silence"), std::string::npos) << text;
    EXPECT_NE(text.find("#6"), std::string::npos) << text;
}

// A segment far outside the remembered sequence space is another connection on the
// 4-tuple: the dormant one is summarised (idle_timeout) and a new one starts mid-stream.
TEST(IdleResume, SegmentFarFromTheSequenceSpaceStartsANewConnection) {
    Harness h;
    const Peers p;
    open_and_exchange(h, p);
    const auto& far = h.send(p.c2s(1096 + (1U << 24), 5017, kAck), kTwoHoursUs);
    EXPECT_EQ(far.conversation, 2u);
    EXPECT_TRUE(far.has(AnnotationCode::MidStreamStart));
    EXPECT_FALSE(far.has(AnnotationCode::IdleResumed));
    ASSERT_EQ(h.sink.closed.size(), 1u);
    EXPECT_EQ(h.sink.closed[0].id, 1u);
    EXPECT_EQ(h.sink.closed[0].end_reason, "idle_timeout");
    h.finish();
    EXPECT_EQ(h.sink.closed.size(), 2u);
}

// A SYN on the 4-tuple is a new connection whatever its numbers.
TEST(IdleResume, SynAfterIdleExpiryIsANewConnection) {
    Harness h;
    const Peers p;
    open_and_exchange(h, p);
    const auto& syn = h.send(p.c2s(1097, 0, kSyn), kTwoHoursUs);
    EXPECT_EQ(syn.conversation, 2u);
    EXPECT_FALSE(syn.has(AnnotationCode::IdleResumed));
    EXPECT_TRUE(syn.has(AnnotationCode::ReusedPorts));
}

// Connections that expired and never resumed are summarised once, at the end, in order.
TEST(IdleResume, NeverResumedConnectionIsSummarisedOnceAtTheEnd) {
    Harness h;
    Peers a;
    open_and_exchange(h, a);
    Peers b;
    b.cport = 40001;
    h.send(b.c2s(1, 0, kSyn), kTwoHoursUs);  // a expires, b opens
    EXPECT_TRUE(h.sink.closed.empty());
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 2u);
    EXPECT_EQ(h.sink.closed[0].id, 1u);
    EXPECT_EQ(h.sink.closed[0].end_reason, "idle_timeout");
    EXPECT_EQ(h.sink.closed[1].id, 2u);
}

// The dormant memory is bounded (16,384 connections) and forgets the least recently
// expired first: that one's keep-alive then starts a new (mid-stream) connection, while
// the most recent one still resumes.
TEST(IdleResume, DormantMemoryIsCappedAndForgetsTheOldest) {
    Harness h;
    constexpr std::uint32_t kMemory = 16384;
    auto peers = [](std::uint32_t i) {
        Peers p;
        p.client = "10.4." + std::to_string(i >> 8) + "." + std::to_string(i & 0xff);
        return p;
    };
    for (std::uint32_t i = 0; i <= kMemory; ++i) {
        const Peers p = peers(i);
        h.send(p.c2s(1001, 5001, kAck | kPsh, 10), 10);
        h.send(p.s2c(5001, 1011, kAck), 10);
    }
    // All expire at the next frame; one more than the memory holds: the first is forgotten.
    const auto& oldest = h.send(peers(0).c2s(1010, 5001, kAck), 400LL * 1'000'000);
    EXPECT_FALSE(oldest.has(AnnotationCode::IdleResumed));
    EXPECT_TRUE(oldest.has(AnnotationCode::MidStreamStart));
    const auto& newest = h.send(peers(kMemory).c2s(1010, 5001, kAck));
    EXPECT_TRUE(newest.has(AnnotationCode::IdleResumed));
    EXPECT_EQ(newest.meaning, SegmentMeaning::KeepAlive);
    h.finish();
    EXPECT_EQ(h.sink.capture.conversations, kMemory + 2);
    EXPECT_EQ(h.sink.closed.size(), kMemory + 2);
}

// A connection the capture joined mid-stream is established on both sides, not half-open:
// a silence longer than the handshake timeout but shorter than the idle timeout keeps it.
TEST(IdleResume, MidStreamConnectionIsOpenNotHalfOpen) {
    Options o;
    o.handshake_timeout = std::chrono::seconds(30);
    Harness h(o);
    const Peers p;
    h.send(p.c2s(1001, 5001, kAck | kPsh, 10));
    h.send(p.s2c(5001, 1011, kAck));
    const auto& later = h.send(p.c2s(1011, 5001, kAck | kPsh, 10), 60LL * 1'000'000);
    EXPECT_EQ(later.conversation, 1u);
    EXPECT_FALSE(later.has(AnnotationCode::IdleResumed));
    EXPECT_FALSE(later.has(AnnotationCode::MidStreamStart));
    h.finish();
    EXPECT_EQ(h.sink.capture.expired, 0u);
}
