// The pipeline end to end on frames built in code: roles, relative numbers across the
// 2^32 wrap, handshake and close verdicts, port reuse, expiry and memory bounds.

#include <gtest/gtest.h>

#include "explain/explain.hpp"
#include "support/session_harness.hpp"

using namespace tfx;
using namespace tfx::test;
using namespace tfx::tcpflag;

class IsnMatrix : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(IsnMatrix, ClassicExchangeIsExplainedTheSameAtEveryIsn) {
    const std::uint32_t isn = GetParam();
    Harness h;
    const Peers p;
    send_seed_exchange(h, p, isn, ~isn);
    h.finish();
    ASSERT_EQ(h.sink.segments.size(), 8u);
    const auto& s = h.sink.segments;
    const SegmentMeaning expected[] = {SegmentMeaning::ConnectionRequest,
                                       SegmentMeaning::ConnectionAccepted,
                                       SegmentMeaning::HandshakeComplete,
                                       SegmentMeaning::Data,
                                       SegmentMeaning::Ack,
                                       SegmentMeaning::CloseRequest,
                                       SegmentMeaning::CloseReply,
                                       SegmentMeaning::FinalAck};
    for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(s[i].meaning, expected[i]) << "frame " << i + 1;
    EXPECT_EQ(s[3].rel_seq, 1u);
    EXPECT_EQ(s[3].rel_ack, 1u);
    EXPECT_EQ(s[4].rel_ack, 7u);
    EXPECT_EQ(s[7].rel_seq, 8u);
    EXPECT_EQ(s[7].rel_ack, 2u);
    for (const auto& seg : s) {
        EXPECT_FALSE(seg.has(AnnotationCode::Retransmission)) << "frame " << seg.frame;
        EXPECT_FALSE(seg.has(AnnotationCode::IllegalTransition)) << "frame " << seg.frame;
    }
    ASSERT_EQ(h.sink.closed.size(), 1u);
    const auto& c = h.sink.closed[0];
    EXPECT_EQ(c.handshake, HandshakeOutcome::Complete);
    EXPECT_EQ(c.close, CloseKind::Graceful);
    EXPECT_EQ(c.closed_by, Role::Client);
    EXPECT_EQ(c.dir[0].payload_bytes, 6u);
    EXPECT_EQ(c.dir[0].unique_bytes, 6u);
    EXPECT_EQ(c.dir[0].final_state, TcpState::TimeWait);
    EXPECT_EQ(c.dir[1].final_state, TcpState::Closed);
    EXPECT_EQ(c.conn_state, "SF");
}

INSTANTIATE_TEST_SUITE_P(Session, IsnMatrix,
                         ::testing::Values(0u, 1u, 0x7FFFFFFFu, 0xFFFFFF9Cu, 0xFFFFFFFEu, 0xFFFFFFFFu));

TEST(Session, TheClientIsTheSenderOfTheFirstSyn) {
    Harness h;
    Peers p;
    p.cport = 80;  // ports must not matter when the SYN was seen
    p.sport = 50000;
    send_seed_exchange(h, p, 10, 20);
    h.finish();
    ASSERT_EQ(h.sink.opened.size(), 1u);
    EXPECT_EQ(h.sink.opened[0].client.port, 80);
    EXPECT_FALSE(h.sink.opened[0].roles_inferred);
}

TEST(Session, MidStreamRolesAreInferredFromPortsAndNeverFlipped) {
    Harness h;
    const Peers p;
    // The first frame comes from the server (port 80): still, the client is port 40000.
    const auto& first = h.send(p.s2c(7000, 1000, kAck | kPsh, 100));
    EXPECT_EQ(first.sender, Role::Server);
    EXPECT_TRUE(first.has(AnnotationCode::MidStreamStart));
    EXPECT_TRUE(first.has(AnnotationCode::RoleGuessed));
    EXPECT_EQ(first.rel_seq, 1u);  // tshark's base: first seq - 1
    h.send(p.c2s(1000, 7100, kAck));
    h.send(p.c2s(1000, 7100, kSyn));  // a SYN later does not flip roles: it is a new connection
    h.finish();
    ASSERT_GE(h.sink.opened.size(), 1u);
    EXPECT_TRUE(h.sink.opened[0].roles_inferred);
    EXPECT_EQ(h.sink.opened[0].client.port, 40000);
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::NotSeen);
}

TEST(Session, RefusedConnection) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    const auto& rst = h.send(p.s2c(0, 101, kRst | kAck));
    EXPECT_EQ(rst.meaning, SegmentMeaning::Refused);
    h.finish();
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Refused);
    EXPECT_EQ(h.sink.closed[0].close, CloseKind::NeverOpened);
    EXPECT_EQ(h.sink.closed[0].conn_state, "REJ");
}

TEST(Session, ResetAbortNamesWhoReset) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(500, 101, kSyn | kAck));
    h.send(p.c2s(101, 501, kAck));
    h.send(p.c2s(101, 501, kAck | kPsh, 10));
    const auto& rst = h.send(p.s2c(501, 111, kRst | kAck));
    EXPECT_EQ(rst.meaning, SegmentMeaning::Reset);
    h.finish();
    EXPECT_EQ(h.sink.closed[0].close, CloseKind::Reset);
    EXPECT_EQ(h.sink.closed[0].closed_by, Role::Server);
}

TEST(Session, UnansweredSynAndItsRetransmission) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    const auto& again = h.send(p.c2s(100, 0, kSyn), 1'000'000);
    EXPECT_EQ(again.meaning, SegmentMeaning::SynRetransmitted);
    EXPECT_TRUE(again.has(AnnotationCode::SynRetransmission));
    h.finish();
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Unanswered);
    EXPECT_EQ(h.sink.closed[0].conn_state, "S0");
}

TEST(Session, HalfCloseKeepsTheOtherDirectionOpen) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(500, 101, kSyn | kAck));
    h.send(p.c2s(101, 501, kAck));
    h.send(p.c2s(101, 501, kFin | kAck));
    const auto& ack = h.send(p.s2c(501, 102, kAck));
    EXPECT_EQ(ack.meaning, SegmentMeaning::FinAcked);
    const auto& data = h.send(p.s2c(501, 102, kAck | kPsh, 20));
    EXPECT_EQ(data.meaning, SegmentMeaning::Data);
    EXPECT_FALSE(data.has(AnnotationCode::DataAfterFin));
    h.send(p.c2s(102, 521, kAck));
    h.send(p.s2c(521, 102, kFin | kAck));
    h.send(p.c2s(102, 522, kAck));
    h.finish();
    EXPECT_EQ(h.sink.closed[0].close, CloseKind::Graceful);
    EXPECT_TRUE(h.sink.closed[0].data_after_close);
}

TEST(Session, PortReuseWithANewIsnStartsANewConnection) {
    Harness h;
    const Peers p;
    send_seed_exchange(h, p, 1000, 2000);
    const auto& syn = h.send(p.c2s(900000, 0, kSyn));
    EXPECT_TRUE(syn.has(AnnotationCode::ReusedPorts));
    EXPECT_EQ(syn.conversation, 2u);
    h.finish();
    EXPECT_EQ(h.sink.closed.size(), 2u);
    EXPECT_EQ(h.sink.closed[0].end_reason, "port_reuse");
}

// RFC 9293 3.10.7.3: a RST acknowledging the SYN closes the client's TCB; a SYN sent after
// it, even with the same ISN (stacks that retry a refused connect), is a new attempt, refused
// again: two refusals (Zeek: REJ each), not one connection whose later RSTs are aborts.
TEST(Session, SynRetriedAfterRefusalWithTheSameIsnIsANewAttempt) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(0, 101, kRst | kAck));
    const auto& again = h.send(p.c2s(100, 0, kSyn), 500'000);
    EXPECT_EQ(again.conversation, 2u);
    EXPECT_EQ(again.meaning, SegmentMeaning::ConnectionRequest);
    const auto& rst = h.send(p.s2c(0, 101, kRst | kAck));
    EXPECT_EQ(rst.meaning, SegmentMeaning::Refused);
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 2u);
    for (const auto& c : h.sink.closed) {
        EXPECT_EQ(c.handshake, HandshakeOutcome::Refused);
        EXPECT_EQ(c.conn_state, "REJ");
        EXPECT_EQ(c.history, "Sr");
    }
}

// Unique bytes are a 64-bit count: the relative sequence number wraps every 4 GiB, and each
// wrap is counted (a 5 GB transfer is 5 GB, not its remainder modulo 2^32).
TEST(Session, UniqueBytesKeepCountingPastFourGibibytes) {
    Harness h;
    const Peers p;
    const std::uint32_t isn = 1000;
    h.send(p.c2s(isn, 0, kSyn));
    h.send(p.s2c(5, isn + 1, kSyn | kAck));
    h.send(p.c2s(isn + 1, 6, kAck));
    // Data at relative 1, then every 1e9 bytes (the bytes between were not captured), up to
    // relative 5e9 + 1: each step is less than 2^31, so each is new data.
    constexpr std::uint64_t kStep = 1'000'000'000;
    for (std::uint64_t rel = 1; rel <= 5 * kStep + 1; rel += kStep) {
        const auto seq = static_cast<std::uint32_t>(isn + rel);
        h.send(p.c2s(seq, 6, kAck, 100));
        h.send(p.s2c(6, seq + 100, kAck));
    }
    h.finish();
    EXPECT_EQ(h.sink.closed[0].dir[0].unique_bytes, 5 * kStep + 100);
}

// The server's direction past 4 GiB: segments of 100 bytes at relative 1 and then three
// steps of 2^31 - 1 (the largest step RFC 9293 §3.4's comparison takes as forward), each
// acknowledged in order, then the first segment resent (it is behind, not new). The highest
// byte is at 3 * (2^31 - 1) + 100 = 6442451041.
TEST(Session, UniqueBytesOfTheServerCountLargestStepsAndNotAnOldResend) {
    Harness h;
    const Peers p;
    const std::uint32_t c_isn = 77;
    const std::uint32_t s_isn = 0xFFFFF000u;  // the first step already wraps
    h.send(p.c2s(c_isn, 0, kSyn));
    h.send(p.s2c(s_isn, c_isn + 1, kSyn | kAck));
    h.send(p.c2s(c_isn + 1, s_isn + 1, kAck));
    constexpr std::uint64_t kStep = (std::uint64_t{1} << 31) - 1;
    for (std::uint64_t rel = 1; rel <= 1 + 3 * kStep; rel += kStep) {
        const auto seq = static_cast<std::uint32_t>(s_isn + rel);
        h.send(p.s2c(seq, c_isn + 1, kAck, 100));
        h.send(p.c2s(c_isn + 1, seq + 100, kAck));
    }
    h.send(p.s2c(s_isn + 1, c_isn + 1, kAck, 100));
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1u);
    EXPECT_EQ(h.sink.closed[0].dir[1].unique_bytes, 6'442'451'041u);
    EXPECT_EQ(h.sink.closed[0].dir[1].payload_bytes, 500u);
    EXPECT_EQ(h.sink.closed[0].dir[0].unique_bytes, 0u);
}

TEST(Session, PortReuseIsRecognisedAfterTheOldRecordWasDropped) {
    Options o;
    o.closed_linger = std::chrono::seconds(1);
    Harness h(o);
    const Peers p;
    send_seed_exchange(h, p, 1000, 2000);
    const auto& syn = h.send(p.c2s(900000, 0, kSyn), 10'000'000);
    EXPECT_TRUE(syn.has(AnnotationCode::ReusedPorts));
    h.finish();
    EXPECT_EQ(h.sink.closed[0].end_reason, "closed");
}

TEST(Session, WindowIsScaledOnlyWhenBothSynsCarriedTheOption) {
    Harness h;
    const Peers p;
    auto syn = p.c2s(100, 0, kSyn);
    syn.options_bytes = cat({opt::wscale(7), opt::nop()});
    auto synack = p.s2c(500, 101, kSyn | kAck);
    synack.options_bytes = cat({opt::wscale(2), opt::nop()});
    synack.window = 1000;
    h.send(syn);
    const auto& sa = h.send(synack);
    EXPECT_FALSE(sa.window_scaled);  // a SYN's window is never scaled
    EXPECT_EQ(sa.window, 1000u);
    auto ack = p.c2s(101, 501, kAck);
    ack.window = 100;
    const auto& a = h.send(ack);
    EXPECT_TRUE(a.window_scaled);
    EXPECT_EQ(a.window, 100u << 7);

    Harness h2;
    h2.send(syn);
    h2.send(p.s2c(500, 101, kSyn | kAck));  // no window scale from the server
    const auto& b = h2.send(ack);
    EXPECT_FALSE(b.window_scaled);
    EXPECT_EQ(b.window, 100u);
}

TEST(Session, VlansSeparateConnectionsWithTheSameAddresses) {
    Harness h;
    const Peers p;
    h.send_raw(linktype::kEthernet, eth_tcp(p.c2s(100, 0, kSyn), {VlanTag{.id = 10}}));
    h.send_raw(linktype::kEthernet, eth_tcp(p.c2s(100, 0, kSyn), {VlanTag{.id = 20}}));
    h.finish();
    EXPECT_EQ(h.sink.closed.size(), 2u);
    EXPECT_FALSE(h.sink.segments[1].has(AnnotationCode::SynRetransmission));
}

// A SPAN port may tag one direction only: the client's frames carry VLAN 3136, the
// server's none. It is one connection (the SYN-ACK acknowledges the SYN's ISN + 1), with
// its handshake and close, not two half connections with false verdicts.
TEST(Session, VlanTagOnOneDirectionOnlyIsStillOneConnection) {
    for (const bool client_tagged : {true, false}) {
        Harness h;
        const Peers p;
        const std::vector<VlanTag> tag{VlanTag{.id = 3136}};
        const auto c2s = [&](std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::size_t len = 0) {
            h.send_raw(linktype::kEthernet,
                       eth_tcp(p.c2s(seq, ack, flags, len), client_tagged ? tag : std::vector<VlanTag>{}));
        };
        const auto s2c = [&](std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::size_t len = 0) {
            h.send_raw(linktype::kEthernet,
                       eth_tcp(p.s2c(seq, ack, flags, len), client_tagged ? std::vector<VlanTag>{} : tag));
        };
        c2s(100, 0, kSyn);
        s2c(500, 101, kSyn | kAck);
        c2s(101, 501, kAck);
        c2s(101, 501, kAck | kPsh, 10);
        s2c(501, 111, kAck | kPsh, 20);
        c2s(111, 521, kFin | kAck);
        s2c(521, 112, kFin | kAck);
        c2s(112, 522, kAck);
        h.finish();
        ASSERT_EQ(h.sink.closed.size(), 1u) << "client tagged: " << client_tagged;
        const auto& c = h.sink.closed[0];
        EXPECT_EQ(c.handshake, HandshakeOutcome::Complete);
        EXPECT_EQ(c.close, CloseKind::Graceful);
        EXPECT_EQ(c.conn_state, "SF");
        EXPECT_EQ(c.history, "ShADdFf");
        EXPECT_EQ(c.dir[0].unique_bytes, 10u);
        EXPECT_EQ(c.dir[1].unique_bytes, 20u);
        for (const auto& seg : h.sink.segments) EXPECT_EQ(seg.conversation, 1u) << "frame " << seg.frame;
    }
}

// The walkthrough says why the two halves are one connection: the first frame of the other
// tagging carries vlan_tagging_differs with both taggings, and only that frame.
TEST(Session, DifferentVlanTaggingPerDirectionIsSaidOnTheFrameThatJoins) {
    Harness h;
    const Peers p;
    const std::vector<VlanTag> tag{VlanTag{.id = 3136}};
    h.send_raw(linktype::kEthernet, eth_tcp(p.c2s(100, 0, kSyn), tag));
    h.send_raw(linktype::kEthernet, eth_tcp(p.s2c(500, 101, kSyn | kAck)));
    h.send_raw(linktype::kEthernet, eth_tcp(p.c2s(101, 501, kAck), tag));
    h.send_raw(linktype::kEthernet, eth_tcp(p.s2c(501, 101, kAck | kPsh, 5)));
    h.finish();
    ASSERT_EQ(h.sink.segments.size(), 4u);
    std::vector<FrameIndex> noted;
    for (const auto& seg : h.sink.segments)
        if (seg.has(AnnotationCode::VlanTaggingDiffers)) noted.push_back(seg.frame);
    EXPECT_EQ(noted, std::vector<FrameIndex>{2});
    const auto& joined = h.sink.segments[1];
    for (const auto& a : joined.notes())
        if (a.code == AnnotationCode::VlanTaggingDiffers) {
            EXPECT_EQ(a.a, 0);
            EXPECT_EQ(a.b, 3136);
            const std::string text = explain::explain_annotation(a, joined, explain::Numbering::Relative);
            EXPECT_NE(text.find("(untagged) differs from the other direction's (VLAN 3136)"), std::string::npos)
                << text;
        }
}

// ... but a segment on another VLAN that acknowledges nothing the connection sent is not its
// other half: same addresses in another network.
TEST(Session, UntaggedSegmentThatDoesNotFitATaggedConnectionIsAnotherOne) {
    Harness h;
    const Peers p;
    h.send_raw(linktype::kEthernet, eth_tcp(p.c2s(100, 0, kSyn), {VlanTag{.id = 10}}));
    h.send_raw(linktype::kEthernet, eth_tcp(p.s2c(500, 90000, kSyn | kAck)));
    h.finish();
    EXPECT_EQ(h.sink.closed.size(), 2u);
}

// The port-reuse memory is bounded (65,536 finished connections) and forgets the least
// recently finished first: a tuple finished long ago is a new connection, not a reuse.
TEST(Session, PortReuseMemoryForgetsTheLeastRecentlyFinished) {
    Options o;
    o.closed_linger = std::chrono::seconds(1);
    o.handshake_timeout = std::chrono::milliseconds(1);
    Harness h(o);
    const Peers old_tuple;
    send_seed_exchange(h, old_tuple, 1000, 2000);
    Peers last;
    constexpr std::uint32_t kOthers = 65536;  // as many as the memory holds: the first one goes
    for (std::uint32_t i = 0; i < kOthers; ++i) {
        last.client = "10.3." + std::to_string(i >> 8) + "." + std::to_string(i & 0xff);
        // Each expires unanswered before the next; the old tuple's linger ends before the first.
        h.send(last.c2s(i * 7919, 0, kSyn), i == 0 ? 2'000'000 : 2'000);
    }
    h.send(last.c2s(1, 0, kSyn), 2'000'000);  // finishes the last one
    const auto& reused = h.send(last.c2s(5, 0, kSyn), 2'000'000);
    EXPECT_TRUE(reused.has(AnnotationCode::ReusedPorts));
    const auto& forgotten = h.send(old_tuple.c2s(900000, 0, kSyn), 2'000'000);
    EXPECT_FALSE(forgotten.has(AnnotationCode::ReusedPorts));
    EXPECT_FALSE(forgotten.has(AnnotationCode::MidStreamStart));
}

TEST(Session, SynFloodStaysWithinMaxConnections) {
    Options o;
    o.max_connections = 100;
    Harness h(o);
    for (std::uint32_t i = 0; i < 5000; ++i) {
        Peers p;
        p.client = "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
        p.cport = static_cast<std::uint16_t>(1024 + i);
        h.send(p.c2s(i * 7919, 0, kSyn), 10);
    }
    h.finish();
    EXPECT_LE(h.sink.capture.peak_alive, 100u);
    EXPECT_EQ(h.sink.capture.evicted, 4900u);
    EXPECT_EQ(h.sink.closed.size(), 5000u);
    EXPECT_EQ(h.sink.closed.front().end_reason, "evicted");
}

TEST(Session, IdleHalfOpenConnectionsExpireOnCaptureTime) {
    Options o;
    o.handshake_timeout = std::chrono::seconds(2);
    Harness h(o);
    Peers a;
    h.send(a.c2s(1, 0, kSyn));
    Peers b;
    b.cport = 40001;
    h.send(b.c2s(1, 0, kSyn), 3'000'000);  // 3 s later: the first attempt has expired
    EXPECT_EQ(h.sink.closed.size(), 1u);
    EXPECT_EQ(h.sink.closed[0].end_reason, "idle_timeout");
    h.finish();
    EXPECT_EQ(h.sink.capture.expired, 1u);
}

TEST(Session, MalformedFramesAreRowsAndTheRestIsAnalysed) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    auto bad = p.s2c(500, 101, kSyn | kAck);
    bad.data_offset = 3;  // < 5 words
    h.send_raw(linktype::kEthernet, eth_tcp(bad));
    h.send(p.s2c(500, 101, kSyn | kAck));
    h.send(p.c2s(101, 501, kAck));
    h.finish();
    EXPECT_EQ(h.sink.capture.malformed, 1u);
    ASSERT_EQ(h.sink.segments.size(), 4u);
    EXPECT_FALSE(h.sink.segments[1].has_tcp);
    EXPECT_TRUE(h.sink.segments[1].has(AnnotationCode::BadTcpHeaderLen));
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Complete);
}

TEST(Session, SequenceWrapMidConnectionKeepsRelativeNumbersGrowing) {
    Harness h;
    const Peers p;
    const std::uint32_t isn = 0xFFFFFF00u;
    h.send(p.c2s(isn, 0, kSyn));
    h.send(p.s2c(5, isn + 1, kSyn | kAck));
    h.send(p.c2s(isn + 1, 6, kAck));
    std::uint32_t seq = isn + 1;
    for (int i = 0; i < 4; ++i) {
        const auto& d = h.send(p.c2s(seq, 6, kAck, 100));
        EXPECT_EQ(d.rel_seq, 1u + 100u * static_cast<unsigned>(i));
        EXPECT_FALSE(d.has(AnnotationCode::Retransmission));
        EXPECT_FALSE(d.has(AnnotationCode::LostSegment));
        h.send(p.s2c(6, seq + 100, kAck));
        seq += 100;
    }
    h.finish();
    EXPECT_EQ(h.sink.closed[0].dir[0].unique_bytes, 400u);
}

TEST(Session, CaptureDropsAcrossConnectionsFormOneBurst) {
    // Three connections each lose 100 bytes in the capture (the receiver acknowledges them)
    // within a few milliseconds: one burst over three connections. A fourth drop a second
    // later starts a second burst.
    Harness h;
    std::vector<Peers> conns(4);
    for (std::size_t i = 0; i < conns.size(); ++i) {
        conns[i].cport = static_cast<std::uint16_t>(41000 + i);
        const Peers& p = conns[i];
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.c2s(101, 501, kAck));
        h.send(p.c2s(101, 501, kAck | kPsh, 100));
    }
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& ack = h.send(conns[i].s2c(501, 301, kAck), 2'000);  // 201:301 unseen
        EXPECT_TRUE(ack.has(AnnotationCode::CaptureDrop));
    }
    h.send(conns[3].s2c(501, 301, kAck), 1'000'000);
    h.finish();
    const auto& cap = h.sink.capture;
    EXPECT_EQ(cap.capture_drops, 4u);
    EXPECT_EQ(cap.capture_dropped_bytes, 400u);
    EXPECT_EQ(cap.capture_drop_bursts, 2u);
    ASSERT_EQ(cap.drop_bursts.size(), 2u);
    EXPECT_EQ(cap.drop_bursts[0].findings, 3u);
    EXPECT_EQ(cap.drop_bursts[0].connections, 3u);
    EXPECT_EQ(cap.drop_bursts[0].bytes, 300u);
    EXPECT_EQ(cap.drop_bursts[0].last_ts - cap.drop_bursts[0].first_ts, std::chrono::milliseconds(4));
    EXPECT_EQ(cap.drop_bursts[1].connections, 1u);
    for (const auto& c : h.sink.closed) EXPECT_EQ(c.dir[0].capture_dropped_bytes, 100u);
}

// Options that keep closed connections compact while they linger (Options::compact_closed):
// the tests below check that the compact form changes nothing a sink sees.
namespace {
Options compact_closed() {
    Options o;
    o.compact_closed = true;
    return o;
}
}  // namespace

// A closed connection lingers in compact form until its linger ends: a late segment finds it
// whole (the same connection, judged with its full state), and it ends once, as `closed`.
TEST(Session, ALateSegmentFindsTheLingeringConnectionWhole) {
    Options o = compact_closed();
    o.closed_linger = std::chrono::seconds(5);
    Harness h(o);
    const Peers p;
    send_seed_exchange(h, p, 1000, 2000);
    const auto& late_fin = h.send(p.s2c(2001, 1008, kFin | kAck), 1'000'000);  // the server's FIN again
    EXPECT_EQ(late_fin.conversation, 1u);
    EXPECT_TRUE(late_fin.has(AnnotationCode::Retransmission));
    EXPECT_TRUE(h.sink.closed.empty());
    Peers other;
    other.cport = 40001;
    h.send(other.c2s(1, 0, kSyn), 6'000'000);  // past the linger
    ASSERT_EQ(h.sink.closed.size(), 1u);
    EXPECT_EQ(h.sink.closed[0].end_reason, "closed");
    EXPECT_EQ(h.sink.closed[0].dir[1].packets, 4u);
    EXPECT_EQ(h.sink.closed[0].dir[1].retransmitted_bytes, 0u);
    EXPECT_EQ(h.sink.closed[0].close, CloseKind::Graceful);
    h.finish();
    EXPECT_EQ(h.sink.capture.expired, 1u);
}

// Lingering connections count toward --max-connections, and are evicted by the same rule as
// a live one: the least recently active, whatever its class.
TEST(Session, LingeringConnectionsCountTowardMaxConnectionsAndAreEvictedOldestFirst) {
    Options o = compact_closed();
    o.max_connections = 2;
    Harness h(o);
    Peers a;
    send_seed_exchange(h, a, 1000, 2000);  // closed: lingers
    Peers b;
    b.cport = 40001;
    h.send(b.c2s(1, 0, kSyn));  // half-open, more recent
    Peers c;
    c.cport = 40002;
    h.send(c.c2s(1, 0, kSyn));  // full: the lingering one is the least recently active
    ASSERT_EQ(h.sink.closed.size(), 1u);
    EXPECT_EQ(h.sink.closed[0].id, 1u);
    EXPECT_EQ(h.sink.closed[0].end_reason, "evicted");
    EXPECT_EQ(h.sink.closed[0].close, CloseKind::Graceful);
    Peers d;
    d.cport = 40003;
    h.send(d.c2s(1, 0, kSyn));  // then the half-open one
    ASSERT_EQ(h.sink.closed.size(), 2u);
    EXPECT_EQ(h.sink.closed[1].id, 2u);
    h.finish();
    EXPECT_EQ(h.sink.capture.evicted, 2u);
    EXPECT_EQ(h.sink.capture.peak_alive, 2u);
}

// A pure SYN with a new ISN on a lingering connection's 4-tuple ends it (port reuse) and
// opens the next; the end of the capture emits the lingering ones in the order of their ids.
TEST(Session, PortReuseAndTheEndOfTheCaptureSeeLingeringConnections) {
    Harness h(compact_closed());
    Peers a;
    send_seed_exchange(h, a, 1000, 2000);
    Peers b;
    b.cport = 40001;
    send_seed_exchange(h, b, 3000, 4000);
    const auto& reuse = h.send(a.c2s(9000, 0, kSyn));
    EXPECT_TRUE(reuse.has(AnnotationCode::ReusedPorts));
    EXPECT_EQ(reuse.conversation, 3u);
    ASSERT_EQ(h.sink.closed.size(), 1u);
    EXPECT_EQ(h.sink.closed[0].end_reason, "port_reuse");
    EXPECT_EQ(h.sink.closed[0].id, 1u);
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 3u);
    EXPECT_EQ(h.sink.closed[1].id, 2u);
    EXPECT_EQ(h.sink.closed[1].end_reason, "end_of_capture");
    EXPECT_EQ(h.sink.closed[1].close, CloseKind::Graceful);
    EXPECT_EQ(h.sink.closed[2].id, 3u);
}

// A lingering connection split over two VLAN taggings is found from either: a late segment
// of the other tagging wakes it in that tagging's slot, and one of its own tagging after that
// still finds it.
TEST(Session, ALingeringConnectionIsFoundFromEitherVlanTagging) {
    Harness h(compact_closed());
    const Peers p;
    const std::vector<VlanTag> tag{VlanTag{.id = 3136}};
    const auto c2s = [&](std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::size_t len = 0) {
        h.send_raw(linktype::kEthernet, eth_tcp(p.c2s(seq, ack, flags, len), tag));
    };
    const auto s2c = [&](std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::size_t len = 0) {
        h.send_raw(linktype::kEthernet, eth_tcp(p.s2c(seq, ack, flags, len)));
    };
    c2s(100, 0, kSyn);
    s2c(500, 101, kSyn | kAck);
    c2s(101, 501, kAck);
    c2s(101, 501, kAck | kPsh, 10);
    s2c(501, 111, kFin | kAck);
    c2s(111, 502, kFin | kAck);
    s2c(502, 112, kAck);         // both FINs acknowledged: it lingers
    s2c(501, 111, kFin | kAck);  // the server's FIN again, untagged
    c2s(112, 502, kAck);         // the client's ACK again, tagged
    s2c(502, 112, kAck);
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1u);
    EXPECT_EQ(h.sink.closed[0].dir[0].packets, 5u);
    EXPECT_EQ(h.sink.closed[0].dir[1].packets, 5u);
    for (const auto& seg : h.sink.segments) EXPECT_EQ(seg.conversation, 1u) << "frame " << seg.frame;
}
