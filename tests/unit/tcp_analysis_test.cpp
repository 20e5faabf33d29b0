// Wireshark 4.0.17-compatible sequence analysis (docs/analysis.md, "Wireshark's rules") and
// our corrections. Vectors: the frames of the hand-made lab captures tests/data/lab/lab.pcap and simul.pcap
// (the inputs of the lab-* and simul-* golden cases), with the flags tshark 4.0.17 gives
// them (-T fields), hard-coded.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <stdexcept>
#include <tuple>
#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/tcp_analysis.hpp"
#include "tfx/conversation.hpp"

namespace {

using tfx::AnnotatedSegment;
using tfx::AnnotationCode;
using tfx::Duration;
using tfx::FrameIndex;
using tfx::analysis::ConnectionAnalyzer;
using tfx::analysis::SegmentFacts;
using namespace std::chrono_literals;
namespace tcpflag = tfx::tcpflag;
using C = AnnotationCode;

constexpr std::uint16_t S = tcpflag::kSyn;
constexpr std::uint16_t A = tcpflag::kAck;
constexpr std::uint16_t SA = tcpflag::kSyn | tcpflag::kAck;
constexpr std::uint16_t PA = tcpflag::kPsh | tcpflag::kAck;
constexpr std::uint16_t FA = tcpflag::kFin | tcpflag::kAck;
constexpr std::uint16_t RA = tcpflag::kRst | tcpflag::kAck;

struct Pkt {
    FrameIndex frame = 0;
    std::int64_t t_us = 0;  ///< microseconds since the capture's epoch second
    int dir = 0;
    std::uint16_t flags = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint32_t len = 0;
    std::uint16_t win = 65535;
    int ws = -1;  ///< window-scale shift on a SYN, -1 = none
    std::uint16_t mss = 0;
    std::uint16_t ip_id = 1;  ///< the lab files use a constant IP id
    std::uint32_t tsval = 0;  ///< TCP timestamp value; 0 = no timestamps option
    std::array<tfx::SackBlock, 4> sack{};
    std::uint8_t nsack = 0;
};

Pkt with_ts(Pkt p, std::uint32_t tsval) {
    p.tsval = tsval;
    return p;
}

Pkt with_sack(Pkt p, std::uint32_t left, std::uint32_t right) {
    p.sack[p.nsack++] = {left, right};
    return p;
}

/// Drives one analyzer the way the pipeline does (one instance per connection).
struct Drive {
    explicit Drive(std::uint32_t client_base, std::uint32_t server_base, tfx::Options options = {})
        : an(std::make_unique<ConnectionAnalyzer>(options)), base{client_base, server_base} {}

    const AnnotatedSegment& feed(const Pkt& p) {
        tfx::TcpOptions o;
        if (p.ws >= 0) {
            o.window_scale = static_cast<std::uint8_t>(p.ws);
        }
        if (p.mss != 0) {
            o.mss = p.mss;
        }
        if (p.tsval != 0) {
            o.timestamps = tfx::TimestampOption{p.tsval, 0};
        }
        o.sack = p.sack;
        o.sack_count = p.nsack;
        opts.push_back(o);
        SegmentFacts f;
        f.frame = p.frame;
        f.ts = tfx::Timestamp{1'700'000'000s} + std::chrono::microseconds{p.t_us};
        f.dir = p.dir;
        f.flags = p.flags;
        f.seq = p.seq;
        f.ack = p.ack;
        f.seglen = p.len;
        f.window_raw = p.win;
        f.ip_id = p.ip_id;
        f.ip_version = 4;
        f.options = &opts.back();
        f.own_base = base[static_cast<std::size_t>(p.dir)];
        f.peer_base = base[static_cast<std::size_t>(p.dir ^ 1)];
        AnnotatedSegment s;
        s.frame = p.frame;
        an->analyze(f, s);
        out.push_back(s);
        return out.back();
    }
    void feed_all(const std::vector<Pkt>& ps) {
        for (const Pkt& p : ps) {
            feed(p);
        }
    }
    [[nodiscard]] const AnnotatedSegment& at(FrameIndex frame) const {
        for (const AnnotatedSegment& s : out) {
            if (s.frame == frame) {
                return s;
            }
        }
        throw std::out_of_range("frame");
    }
    [[nodiscard]] tfx::ConversationSummary summary() const {
        tfx::ConversationSummary sum;
        for (int d = 0; d < 2; ++d) sum.dir[static_cast<std::size_t>(d)] = an->stats(d).published();
        an->fill_summary(sum);
        return sum;
    }
    /// With the handshake legs the session measures (SYN -> SYN-ACK, SYN-ACK -> ACK).
    [[nodiscard]] tfx::ConversationSummary summary(Duration leg1, Duration leg2) const {
        tfx::ConversationSummary sum;
        sum.syn_to_synack = leg1;
        sum.synack_to_ack = leg2;
        for (int d = 0; d < 2; ++d) sum.dir[static_cast<std::size_t>(d)] = an->stats(d).published();
        an->fill_summary(sum);
        return sum;
    }

    std::unique_ptr<ConnectionAnalyzer> an;  // not movable: the driver is returned by value
    std::array<std::uint32_t, 2> base;
    std::deque<tfx::TcpOptions> opts;
    std::vector<AnnotatedSegment> out;
};

std::vector<C> codes(const AnnotatedSegment& s) {
    std::vector<C> v;
    for (const auto& a : s.notes()) {
        v.push_back(a.code);
    }
    std::sort(v.begin(), v.end());
    return v;
}

std::vector<C> sorted(std::vector<C> v) {
    std::sort(v.begin(), v.end());
    return v;
}

const tfx::Annotation* find(const AnnotatedSegment& s, C code) {
    for (const auto& a : s.notes()) {
        if (a.code == code) {
            return &a;
        }
    }
    return nullptr;
}

// lab.pcap, connection 1 (frames 1-27): 10.0.0.1:40000 (client, ISN 1000) <-> :80 (ISN 5000).
std::vector<Pkt> lab_conn1() {
    return {
        {1, 0, 0, S, 1000, 0, 0, 65535, 0, 1460},
        {2, 10'000, 1, SA, 5000, 1001, 0, 65535, 0, 1460},
        {3, 20'000, 0, A, 1001, 5001, 0},
        {4, 21'000, 0, PA, 1001, 5001, 100},
        {5, 23'000, 0, A, 1201, 5001, 100},
        {6, 24'000, 0, A, 1301, 5001, 100},
        {7, 34'000, 1, A, 5001, 1101, 0},
        {8, 34'000, 1, A, 5001, 1101, 0},
        {9, 34'000, 1, A, 5001, 1101, 0},
        {10, 35'000, 0, A, 1101, 5001, 100},
        {11, 45'000, 1, A, 5001, 1401, 0},
        {12, 50'000, 0, PA, 1401, 5001, 100},
        {13, 60'000, 1, A, 5001, 1501, 0, 0},
        {14, 260'000, 0, A, 1501, 5001, 1},
        {15, 270'000, 1, A, 5001, 1501, 0, 0},
        {16, 370'000, 1, A, 5001, 1501, 0, 8192},
        {17, 375'000, 0, PA, 1501, 5001, 50},
        {18, 385'000, 1, A, 5001, 1551, 0, 8192},
        {19, 1'385'000, 0, A, 1550, 5001, 0},
        {20, 1'395'000, 1, A, 5001, 1551, 0, 8192},
        {21, 1'895'000, 0, PA, 1401, 5001, 100},
        {22, 1'905'000, 1, PA, 5001, 1551, 20, 8192},
        {23, 1'905'000, 1, PA, 5001, 1551, 20, 8192},
        {24, 2'205'000, 1, PA, 5001, 1551, 20, 8192},
        {25, 2'215'000, 0, FA, 1551, 5021, 0},
        {26, 2'225'000, 1, FA, 5021, 1552, 0, 8192},
        {27, 2'235'000, 0, A, 1552, 5022, 0},
    };
}

// The flags tshark 4.0.17 reports for connection 1 (fast and spurious retransmissions are
// reported by their specific code only).
std::vector<C> lab_expected(FrameIndex f) {
    switch (f) {
        case 5: return {C::LostSegment};
        case 8:
        case 9: return {C::DuplicateAck};
        case 10: return {C::FastRetransmission};
        case 13: return {C::ZeroWindow};
        case 14: return {C::ZeroWindowProbe};
        case 15: return sorted({C::ZeroWindowProbeAck, C::ZeroWindow});
        case 16: return {C::WindowUpdate};
        case 19: return {C::KeepAlive};
        case 20: return {C::KeepAliveAck};
        case 21: return {C::SpuriousRetransmission};
        case 23:
        case 24: return {C::Retransmission};
        default: return {};
    }
}

TEST(AnalysisLab, Connection1FlagsMatchTshark) {
    Drive r(1000, 5000);
    r.feed_all(lab_conn1());
    for (const AnnotatedSegment& s : r.out) {
        EXPECT_EQ(codes(s), lab_expected(s.frame)) << "frame " << s.frame;
    }
}

TEST(AnalysisLab, Connection1EvidenceIsRelative) {
    Drive r(1000, 5000);
    r.feed_all(lab_conn1());
    const auto* lost = find(r.at(5), C::LostSegment);
    ASSERT_NE(lost, nullptr);
    EXPECT_EQ(lost->a, 101);  // next expected
    EXPECT_EQ(lost->b, 201);  // seq seen
    for (FrameIndex f : {8, 9}) {
        const auto* dup = find(r.at(f), C::DuplicateAck);
        ASSERT_NE(dup, nullptr);
        EXPECT_EQ(dup->related, 7U);
        EXPECT_EQ(dup->a, static_cast<std::int64_t>(f) - 7);
        EXPECT_EQ(dup->b, 101);
    }
    const auto* fast = find(r.at(10), C::FastRetransmission);
    ASSERT_NE(fast, nullptr);
    EXPECT_EQ(fast->a, 2);  // dup ACKs seen
    EXPECT_EQ(fast->b, 101);
    const auto* upd = find(r.at(16), C::WindowUpdate);
    ASSERT_NE(upd, nullptr);
    EXPECT_EQ(upd->a, 0);
    EXPECT_EQ(upd->b, 8192);
    const auto* ka = find(r.at(19), C::KeepAlive);
    ASSERT_NE(ka, nullptr);
    EXPECT_EQ(ka->a, 550);
    EXPECT_EQ(ka->b, 551);
    EXPECT_EQ(find(r.at(20), C::KeepAliveAck)->related, 19U);
    EXPECT_EQ(find(r.at(15), C::ZeroWindowProbeAck)->related, 14U);
    const auto* spur = find(r.at(21), C::SpuriousRetransmission);
    ASSERT_NE(spur, nullptr);
    EXPECT_EQ(spur->a, 551);  // peer had acked up to 551
    EXPECT_EQ(spur->b, 401);
    const auto* r23 = find(r.at(23), C::Retransmission);
    const auto* r24 = find(r.at(24), C::Retransmission);
    ASSERT_NE(r23, nullptr);
    ASSERT_NE(r24, nullptr);
    EXPECT_EQ(r23->related, 22U);
    EXPECT_EQ(r23->a, 0);
    EXPECT_EQ(r24->related, 22U);
    EXPECT_EQ(r24->a, Duration{300ms}.count());
}

TEST(AnalysisLab, Connection1AckRttAndInitialRtt) {
    Drive r(1000, 5000);
    r.feed_all(lab_conn1());
    ASSERT_TRUE(r.an->initial_rtt().has_value());
    EXPECT_EQ(*r.an->initial_rtt(), Duration{20ms});
    const std::vector<std::tuple<FrameIndex, FrameIndex, Duration>> acks = {
        {2, 1, 10ms},   {3, 2, 10ms},    {7, 4, 13ms},   {11, 6, 21ms}, {13, 12, 10ms},
        {18, 17, 10ms}, {25, 22, 310ms}, {26, 25, 10ms}, {27, 26, 10ms}};
    for (FrameIndex f = 1; f <= 27; ++f) {
        const AnnotatedSegment& s = r.at(f);
        const auto it = std::find_if(acks.begin(), acks.end(), [&](const auto& t) { return std::get<0>(t) == f; });
        if (it == acks.end()) {
            EXPECT_EQ(s.acks_frame, 0U) << "frame " << f;
            EXPECT_FALSE(s.ack_rtt.has_value()) << "frame " << f;
        } else {
            EXPECT_EQ(s.acks_frame, std::get<1>(*it)) << "frame " << f;
            ASSERT_TRUE(s.ack_rtt.has_value()) << "frame " << f;
            EXPECT_EQ(*s.ack_rtt, std::get<2>(*it)) << "frame " << f;
        }
    }
}

TEST(AnalysisLab, Connection1BytesInFlight) {
    Drive r(1000, 5000);
    r.feed_all(lab_conn1());
    const std::vector<std::pair<FrameIndex, std::uint32_t>> bif = {{4, 100},  {10, 300}, {12, 100}, {14, 1}, {17, 50},
                                                                   {21, 100}, {22, 20},  {23, 20},  {24, 20}};
    for (FrameIndex f = 1; f <= 27; ++f) {
        const auto it = std::find_if(bif.begin(), bif.end(), [&](const auto& p) { return p.first == f; });
        if (it == bif.end()) {
            EXPECT_FALSE(r.at(f).bytes_in_flight.has_value()) << "frame " << f;
        } else {
            ASSERT_TRUE(r.at(f).bytes_in_flight.has_value()) << "frame " << f;
            EXPECT_EQ(*r.at(f).bytes_in_flight, it->second) << "frame " << f;
        }
    }
}

TEST(AnalysisLab, Connection1SummaryAppliesKarnAndZeek) {
    Drive r(1000, 5000);
    r.feed_all(lab_conn1());
    const auto sum = r.summary();
    EXPECT_EQ(sum.history, "ShADaTwdtFf");
    EXPECT_EQ(sum.conn_state, "SF");
    // Client ACKs: 3 (10 ms), 27 (10 ms); 25 acks the thrice-sent 1:21 -> no sample.
    EXPECT_EQ(sum.dir[0].rtt_samples, 2U);
    EXPECT_EQ(sum.dir[0].rtt_sum, Duration{20ms});
    // Server ACKs: 2, 7, 13, 18, 26; 11 covers the fast-retransmitted 101:201 -> no sample.
    EXPECT_EQ(sum.dir[1].rtt_samples, 5U);
    EXPECT_EQ(sum.dir[1].rtt_min, Duration{10ms});
    EXPECT_EQ(sum.dir[1].rtt_max, Duration{13ms});
    EXPECT_EQ(sum.dir[1].rtt_sum, Duration{53ms});
    EXPECT_EQ(sum.dir[0].retransmitted_bytes, 200U);  // frames 10 and 21
    EXPECT_EQ(sum.dir[1].retransmitted_bytes, 40U);   // frames 23 and 24
}

TEST(AnalysisLab, PortReuseConnectionIsRejected) {
    // Frames 28-29: new ISN on the same 4-tuple (the flow table opens a new connection).
    Drive r(900000, 0xFFFFFFFFU);
    r.feed({28, 4'235'000, 0, S, 900000, 0, 0, 65535, 0, 1460});
    const auto& rst = r.feed({29, 4'245'000, 1, RA, 0, 900001, 0});
    EXPECT_TRUE(codes(r.at(28)).empty());
    EXPECT_TRUE(codes(rst).empty());
    EXPECT_EQ(rst.acks_frame, 28U);
    EXPECT_EQ(*rst.ack_rtt, Duration{10ms});
    EXPECT_EQ(*r.an->initial_rtt(), Duration{10ms});
    const auto sum = r.summary();
    EXPECT_EQ(sum.history, "Sr");
    EXPECT_EQ(sum.conn_state, "REJ");
}

TEST(AnalysisLab, RepeatedSynIsRetransmissionAndSynRetransmission) {
    Drive r(900000, 0);
    r.feed({30, 4'745'000, 0, S, 900000, 0, 0, 65535, 0, 1460});
    const auto& s = r.feed({31, 5'745'000, 0, S, 900000, 0, 0, 65535, 0, 1460});
    EXPECT_EQ(codes(s), sorted({C::Retransmission, C::SynRetransmission}));
    EXPECT_EQ(find(s, C::Retransmission)->related, 30U);
    EXPECT_EQ(find(s, C::Retransmission)->a, Duration{1s}.count());
    EXPECT_EQ(find(s, C::SynRetransmission)->related, 30U);
    EXPECT_FALSE(r.an->initial_rtt().has_value());
    const auto sum = r.summary();
    EXPECT_EQ(sum.history, "S");
    EXPECT_EQ(sum.conn_state, "S0");
    EXPECT_EQ(sum.dir[0].retransmitted_bytes, 0U);
}

// simul.pcap connection 1: crossing SYNs, crossing SYN-ACKs, 5 bytes, crossing FINs.
std::vector<Pkt> simul_conn1() {
    return {
        {1, 0, 0, S, 100, 0, 0},          {2, 1'000, 1, S, 9000, 0, 0},     {3, 11'000, 0, SA, 100, 9001, 0},
        {4, 11'000, 1, SA, 9000, 101, 0}, {5, 21'000, 0, PA, 101, 9001, 5}, {6, 31'000, 1, A, 9001, 106, 0},
        {7, 41'000, 0, FA, 106, 9001, 0}, {8, 41'000, 1, FA, 9001, 106, 0}, {9, 51'000, 0, A, 107, 9002, 0},
        {10, 51'000, 1, A, 9002, 107, 0},
    };
}

TEST(AnalysisSimul, SimultaneousOpenSynAcksAreNotRetransmissions) {
    Drive r(100, 9000);
    r.feed_all(simul_conn1());
    for (const AnnotatedSegment& s : r.out) {
        EXPECT_TRUE(codes(s).empty()) << "frame " << s.frame;  // tshark: 3, 4 retransmission
    }
    EXPECT_EQ(*r.an->initial_rtt(), Duration{20ms});  // most recent pure SYN (2) to frame 5
    EXPECT_EQ(r.at(3).acks_frame, 2U);
    EXPECT_EQ(*r.at(3).ack_rtt, Duration{10ms});
    EXPECT_EQ(r.at(4).acks_frame, 1U);  // oldest of SYN and SYN-ACK, as tshark
    EXPECT_EQ(*r.at(4).ack_rtt, Duration{11ms});
    EXPECT_EQ(r.at(5).acks_frame, 4U);
    EXPECT_EQ(r.at(9).acks_frame, 8U);
    EXPECT_EQ(r.at(10).acks_frame, 7U);
    EXPECT_EQ(*r.at(5).bytes_in_flight, 5U);
    const auto sum = r.summary();
    // Zeek: S and H share one "SYN" kind per side, so the SYN-ACKs with the same ISN add
    // no letter.
    EXPECT_EQ(sum.history, "SsDaFfA");
    EXPECT_EQ(sum.conn_state, "SF");
    EXPECT_EQ(sum.dir[0].retransmitted_bytes, 0U);
    EXPECT_EQ(sum.dir[1].retransmitted_bytes, 0U);
}

TEST(AnalysisSimul, HalfCloseConnection) {
    Drive r(500, 7000);
    r.feed_all({
        {11, 1'051'000, 0, S, 500, 0, 0},
        {12, 1'061'000, 1, SA, 7000, 501, 0},
        {13, 1'071'000, 0, A, 501, 7001, 0},
        {14, 1'072'000, 0, PA, 501, 7001, 3},
        {15, 1'073'000, 0, FA, 504, 7001, 0},
        {16, 1'083'000, 1, A, 7001, 505, 0},
        {17, 1'093'000, 1, PA, 7001, 505, 14},
        {18, 1'103'000, 0, A, 505, 7015, 0},
        {19, 1'113'000, 1, FA, 7015, 505, 0},
        {20, 1'123'000, 0, A, 505, 7016, 0},
    });
    for (const AnnotatedSegment& s : r.out) {
        EXPECT_TRUE(codes(s).empty()) << "frame " << s.frame;
    }
    EXPECT_EQ(r.at(16).acks_frame, 15U);
    EXPECT_EQ(r.at(18).acks_frame, 17U);
    EXPECT_EQ(r.at(20).acks_frame, 19U);
    EXPECT_EQ(*r.at(14).bytes_in_flight, 3U);
    EXPECT_EQ(*r.at(17).bytes_in_flight, 14U);
    const auto sum = r.summary();
    EXPECT_EQ(sum.history, "ShADFadf");
    EXPECT_EQ(sum.conn_state, "SF");
}

TEST(AnalysisWrap, LabConnectionGivesTheSameAnswerForEveryIsn) {
    Drive ref(1000, 5000);
    ref.feed_all(lab_conn1());
    const auto ref_sum = ref.summary();
    for (std::uint32_t isn : {0U, 1U, 0x7FFFFFFFU, 0xFFFFFF9CU, 0xFFFFFFFEU, 0xFFFFFFFFU}) {
        for (std::uint32_t server_isn : {isn, 0xFFFFFFFFU - isn}) {
            Drive r(isn, server_isn);
            for (Pkt p : lab_conn1()) {
                const bool client = p.dir == 0;
                p.seq = p.seq - (client ? 1000U : 5000U) + (client ? isn : server_isn);
                if (p.flags != S) {
                    p.ack = p.ack - (client ? 5000U : 1000U) + (client ? server_isn : isn);
                }
                r.feed(p);
            }
            for (std::size_t i = 0; i < ref.out.size(); ++i) {
                const auto& a = ref.out[i];
                const auto& b = r.out[i];
                ASSERT_EQ(a.annotation_count, b.annotation_count) << "isn " << isn << " frame " << a.frame;
                for (std::size_t k = 0; k < a.annotation_count; ++k) {
                    EXPECT_EQ(a.annotations[k].code, b.annotations[k].code) << a.frame;
                    EXPECT_EQ(a.annotations[k].a, b.annotations[k].a) << a.frame;
                    EXPECT_EQ(a.annotations[k].b, b.annotations[k].b) << a.frame;
                    EXPECT_EQ(a.annotations[k].related, b.annotations[k].related) << a.frame;
                }
                EXPECT_EQ(a.acks_frame, b.acks_frame) << "isn " << isn << " frame " << a.frame;
                EXPECT_EQ(a.ack_rtt, b.ack_rtt) << "isn " << isn << " frame " << a.frame;
                EXPECT_EQ(a.bytes_in_flight, b.bytes_in_flight) << "isn " << isn << " frame " << a.frame;
            }
            const auto sum = r.summary();
            EXPECT_EQ(sum.history, ref_sum.history) << "isn " << isn;
            EXPECT_EQ(sum.conn_state, ref_sum.conn_state) << "isn " << isn;
            EXPECT_EQ(sum.dir[1].rtt_sum, ref_sum.dir[1].rtt_sum) << "isn " << isn;
        }
    }
}

// A small established connection to build rule tests on: client ISN 0, server ISN 0.
Drive established(tfx::Options options = {}) {
    Drive r(0, 0, options);
    r.feed({1, 0, 0, S, 0, 0, 0, 65535, 0, 1460});
    r.feed({2, 10'000, 1, SA, 0, 1, 0, 65535, 0, 1460});
    r.feed({3, 20'000, 0, A, 1, 1, 0});
    return r;
}

TEST(AnalysisRules, ZeroWindowProbeExcludesZeroWindowAndKeepAlive) {
    Drive r = established();
    r.feed({4, 30'000, 1, A, 1, 1, 0, 0});  // server closes its window
    // A 1-byte probe from the client advertising window 0 itself: only the probe.
    const auto& s = r.feed({5, 40'000, 0, A, 1, 1, 1, 0});
    EXPECT_EQ(codes(s), std::vector<C>{C::ZeroWindowProbe});
}

TEST(AnalysisRules, LinuxZeroByteProbeIsZeroWindowProbeNotKeepAlive) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 40'000, 1, A, 1, 101, 0, 0});  // acks all, window 0
    // Linux tcp_xmit_probe_skb: 0 bytes at snd_una - 1.
    const auto& probe = r.feed({6, 240'000, 0, A, 100, 1, 0});
    EXPECT_EQ(codes(probe), std::vector<C>{C::ZeroWindowProbe});
    const auto& reply = r.feed({7, 250'000, 1, A, 1, 101, 0, 0});
    EXPECT_EQ(codes(reply), sorted({C::ZeroWindowProbeAck, C::ZeroWindow}));
    // Same segment while the window is open stays a keep-alive (tshark-compatible).
    r.feed({8, 260'000, 1, A, 1, 101, 0, 4096});
    const auto& ka = r.feed({9, 1'260'000, 0, A, 100, 1, 0});
    EXPECT_EQ(codes(ka), std::vector<C>{C::KeepAlive});
}

TEST(AnalysisRules, OneByteKeepAliveIsNotARetransmission) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 40'000, 1, A, 1, 101, 0});
    const auto& ka = r.feed({6, 1'040'000, 0, A, 100, 1, 1});
    EXPECT_EQ(codes(ka), std::vector<C>{C::KeepAlive});
}

TEST(AnalysisRules, DataAfterProbeByteIsNotARetransmission) {
    Drive r = established();
    r.feed({4, 30'000, 1, A, 1, 1, 0, 0});
    r.feed({5, 40'000, 0, A, 1, 1, 1});       // probe byte 1:2 (does not advance nextseq)
    r.feed({6, 50'000, 1, A, 1, 1, 0, 512});  // window opens; probe byte not acked
    // Data starting at nextseq: plain new data.
    const auto& d = r.feed({7, 60'000, 0, PA, 1, 1, 200});
    EXPECT_TRUE(codes(d).empty());
}

TEST(AnalysisRules, SpuriousTakesPrecedenceOverFastRetransmission) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 31'000, 0, PA, 101, 1, 100});
    r.feed({6, 40'000, 1, A, 1, 201, 0});
    r.feed({7, 40'100, 1, A, 1, 201, 0});
    r.feed({8, 40'200, 1, A, 1, 201, 0});
    // seq 101 is below the peer's ack 201: spurious, even though 2 dup ACKs asked for 201.
    const auto& s = r.feed({9, 41'000, 0, PA, 101, 1, 100});
    EXPECT_EQ(codes(s), std::vector<C>{C::SpuriousRetransmission});
}

TEST(AnalysisRules, FastRetransmissionNeedsTwoDupAcksWithin20ms) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 31'000, 0, PA, 101, 1, 100});
    r.feed({6, 40'000, 1, A, 1, 1, 0, 65534});  // window update
    r.feed({7, 40'100, 1, A, 1, 1, 0, 65534});  // dup #1
    r.feed({8, 40'200, 1, A, 1, 1, 0, 65534});  // dup #2
    const auto& late = r.feed({9, 70'000, 0, PA, 1, 1, 100});
    EXPECT_EQ(codes(late), std::vector<C>{C::Retransmission});
    Drive q = established();
    q.feed({4, 30'000, 0, PA, 1, 1, 100});
    q.feed({5, 31'000, 0, PA, 101, 1, 100});
    q.feed({6, 40'000, 1, A, 1, 1, 0, 65534});
    q.feed({7, 40'100, 1, A, 1, 1, 0, 65534});
    q.feed({8, 40'200, 1, A, 1, 1, 0, 65534});
    const auto& fast = q.feed({9, 45'000, 0, PA, 1, 1, 100});
    EXPECT_EQ(codes(fast), std::vector<C>{C::FastRetransmission});
    EXPECT_EQ(find(fast, C::FastRetransmission)->related, 4U);
}

TEST(AnalysisRules, OutOfOrderWithinInitialRtt) {
    Drive r = established();                  // iRTT 20 ms
    r.feed({4, 30'000, 0, PA, 101, 1, 100});  // lost segment: 1:101 not yet seen
    const auto& ooo = r.feed({5, 35'000, 0, PA, 1, 1, 100});
    EXPECT_EQ(codes(ooo), std::vector<C>{C::OutOfOrder});
    EXPECT_EQ(find(ooo, C::OutOfOrder)->a, 201);  // nextseq
    const auto& late = r.feed({6, 80'000, 0, PA, 1, 1, 100});
    EXPECT_EQ(codes(late), std::vector<C>{C::Retransmission});
    EXPECT_EQ(find(late, C::Retransmission)->related, 5U);
}

TEST(AnalysisRules, WindowFullAtThePeersRightEdge) {
    Drive r = established();
    r.feed({4, 30'000, 1, A, 1, 1, 0, 200});
    const auto& full = r.feed({5, 40'000, 0, PA, 1, 1, 200});
    EXPECT_EQ(codes(full), std::vector<C>{C::WindowFull});
    EXPECT_EQ(find(full, C::WindowFull)->a, 201);
}

TEST(AnalysisRules, WindowFullUsesScaleOnlyAfterFirstAck) {
    Drive r(0, 0);
    r.feed({1, 0, 0, S, 0, 0, 0, 65535, 2});
    r.feed({2, 10'000, 1, SA, 0, 1, 0, 100, 2});  // SYN-ACK window is unscaled: 100
    const auto& d = r.feed({3, 20'000, 0, PA, 1, 1, 100});
    EXPECT_EQ(codes(d), std::vector<C>{C::WindowFull});
    r.feed({4, 30'000, 1, A, 1, 101, 0, 100});  // now scaled: 400
    const auto& d2 = r.feed({5, 40'000, 0, PA, 101, 1, 400});
    EXPECT_EQ(codes(d2), std::vector<C>{C::WindowFull});
}

TEST(AnalysisRules, AckOfUnseenSegment) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    const auto& s = r.feed({5, 40'000, 1, A, 1, 301, 0});
    EXPECT_EQ(codes(s), sorted({C::AckLostSegment, C::CaptureDrop}));
    EXPECT_EQ(find(s, C::AckLostSegment)->a, 301);
    EXPECT_EQ(find(s, C::AckLostSegment)->b, 101);
    // The server received 101:301, which the capture never saw.
    EXPECT_EQ(find(s, C::CaptureDrop)->a, 200);
    EXPECT_EQ(find(s, C::CaptureDrop)->b, 101);
    EXPECT_EQ(find(s, C::CaptureDrop)->related, 0U);
    // The same ACK again: Wireshark 4.0 de-duplicates (dup ACK, no second ack-lost).
    const auto& again = r.feed({6, 41'000, 1, A, 1, 301, 0});
    EXPECT_EQ(codes(again), std::vector<C>{C::DuplicateAck});
}

TEST(AnalysisRules, LostSegmentDisablesBytesInFlightUntilPeerAcks) {
    Drive r = established();
    const auto& lost = r.feed({4, 30'000, 0, PA, 101, 1, 100});
    EXPECT_FALSE(lost.bytes_in_flight.has_value());
    r.feed({5, 40'000, 1, A, 1, 1, 0});
    const auto& next = r.feed({6, 41'000, 0, PA, 201, 1, 100});
    ASSERT_TRUE(next.bytes_in_flight.has_value());
    EXPECT_EQ(*next.bytes_in_flight, 200U);
}

TEST(AnalysisRules, RstIsNeverLostSegment) {
    Drive r = established();
    const auto& s = r.feed({4, 30'000, 0, tcpflag::kRst, 5000, 0, 0});
    EXPECT_TRUE(codes(s).empty());
}

TEST(AnalysisArtefacts, DuplicateFrameWithCountingIpIdIsNotARetransmission) {
    // The client's IP id counts up (10, 11, ...): an identical id means the same packet.
    Drive r(0, 0);
    r.feed({1, 0, 0, S, 0, 0, 0, 65535, 0, 1460, 10});
    r.feed({2, 10'000, 1, SA, 0, 1, 0, 65535, 0, 1460, 500});
    r.feed({3, 20'000, 0, A, 1, 1, 0, 65535, -1, 0, 11});
    r.feed({4, 30'000, 0, PA, 1, 1, 100, 65535, -1, 0, 12});
    r.feed({5, 31'000, 0, PA, 101, 1, 100, 65535, -1, 0, 13});
    const auto& dup = r.feed({6, 31'001, 0, PA, 101, 1, 100, 65535, -1, 0, 13});
    EXPECT_EQ(codes(dup), std::vector<C>{C::DuplicateFrame});
    EXPECT_EQ(find(dup, C::DuplicateFrame)->related, 5U);
    EXPECT_EQ(r.summary().dir[0].retransmitted_bytes, 0U);
}

TEST(AnalysisArtefacts, ConstantIpIdProvesNothing) {
    Drive r = established();  // ip id 1 everywhere, like lab.pcap
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    const auto& again = r.feed({5, 30'001, 0, PA, 1, 1, 100});
    EXPECT_EQ(codes(again), std::vector<C>{C::Retransmission});
}

TEST(AnalysisArtefacts, SegmentLargerThanPeerMss) {
    Drive r = established();
    const auto& big = r.feed({4, 30'000, 0, PA, 1, 1, 2920});
    EXPECT_EQ(codes(big), std::vector<C>{C::SegmentExceedsMss});
    EXPECT_EQ(find(big, C::SegmentExceedsMss)->a, 2920);
    EXPECT_EQ(find(big, C::SegmentExceedsMss)->b, 1460);
}

TEST(AnalysisArtefacts, GapAcknowledgedWithoutItsBytesIsACaptureDrop) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    const auto& gap = r.feed({5, 31'000, 0, PA, 201, 1, 100});  // 101:201 not captured
    EXPECT_TRUE(gap.has(C::LostSegment));
    // The receiver acknowledges everything: it got 101:201, the capture did not.
    // (Wireshark also calls it "ACKed unseen": its maxseqtobeacked stopped at the gap.)
    const auto& ack = r.feed({6, 40'000, 1, A, 1, 301, 0});
    EXPECT_EQ(codes(ack), sorted({C::AckLostSegment, C::CaptureDrop}));
    EXPECT_EQ(find(ack, C::CaptureDrop)->a, 100);
    EXPECT_EQ(find(ack, C::CaptureDrop)->b, 101);
    EXPECT_EQ(find(ack, C::CaptureDrop)->related, 5U);  // where the gap was reported
    EXPECT_EQ(r.summary().dir[0].capture_drops, 1U);
    EXPECT_EQ(r.summary().dir[0].capture_dropped_bytes, 100U);
    EXPECT_EQ(r.summary().dir[0].retransmitted_bytes, 0U);
}

TEST(AnalysisArtefacts, GapFilledByARetransmissionIsNetworkLossNotACaptureDrop) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 31'000, 0, PA, 201, 1, 100});
    r.feed({6, 40'000, 1, A, 1, 101, 0});
    r.feed({7, 41'000, 1, A, 1, 101, 0});
    r.feed({8, 42'000, 1, A, 1, 101, 0});
    const auto& resent = r.feed({9, 43'000, 0, PA, 101, 1, 100});
    EXPECT_TRUE(resent.has(C::FastRetransmission));
    const auto& ack = r.feed({10, 53'000, 1, A, 1, 301, 0});
    EXPECT_TRUE(codes(ack).empty());
    EXPECT_EQ(r.summary().dir[0].capture_drops, 0U);
}

TEST(AnalysisArtefacts, PartlyAcknowledgedGapCountsEachByteOnce) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 31'000, 0, PA, 401, 1, 100});  // 101:401 not captured
    const auto& first = r.feed({6, 40'000, 1, A, 1, 201, 0});
    EXPECT_EQ(find(first, C::CaptureDrop)->a, 100);  // 101:201
    const auto& second = r.feed({7, 41'000, 1, A, 1, 501, 0});
    EXPECT_EQ(find(second, C::CaptureDrop)->a, 200);  // 201:401; 401:501 was seen
    EXPECT_EQ(find(second, C::CaptureDrop)->b, 201);
    const auto& again = r.feed({8, 42'000, 1, A, 1, 501, 0});
    EXPECT_EQ(find(again, C::CaptureDrop), nullptr);
    EXPECT_EQ(r.summary().dir[0].capture_dropped_bytes, 300U);
}

TEST(AnalysisArtefacts, UnseenBytesBeyondTheHighestSeenAreCountedOnce) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    EXPECT_EQ(find(r.feed({5, 40'000, 1, A, 1, 301, 0}), C::CaptureDrop)->a, 200);
    // The next segment the capture sees starts above: its gap (101:401) is partly counted.
    r.feed({6, 41'000, 0, PA, 401, 1, 100});
    const auto& ack = r.feed({7, 50'000, 1, A, 1, 501, 0});
    EXPECT_EQ(find(ack, C::CaptureDrop)->a, 100);  // 301:401 only
    EXPECT_EQ(r.summary().dir[0].capture_dropped_bytes, 300U);
}

TEST(AnalysisArtefacts, NoCaptureDropFromResetsBogusAcksOrProbes) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    // An RST's ack field proves nothing.
    EXPECT_EQ(find(r.feed({5, 31'000, 1, RA, 1, 5001, 0}), C::CaptureDrop), nullptr);
    // An ACK more than 2^30 (the largest window) beyond anything sent is not a gigabyte the
    // capture missed.
    Drive b = established();
    b.feed({4, 30'000, 0, PA, 1, 1, 100});
    const auto& bogus = b.feed({5, 31'000, 1, A, 1, 0x5000'0000, 0});
    EXPECT_TRUE(bogus.has(C::AckLostSegment));
    EXPECT_EQ(find(bogus, C::CaptureDrop), nullptr);
    // Nor is a jump in the sequence numbers (a new ISN on the same 4-tuple) once acknowledged.
    Drive j = established();
    j.feed({4, 30'000, 0, PA, 1, 1, 100});
    EXPECT_TRUE(j.feed({5, 31'000, 0, PA, 0x6000'0000, 1, 100}).has(C::LostSegment));
    EXPECT_EQ(find(j.feed({6, 40'000, 1, A, 1, 0x6000'0064, 0}), C::CaptureDrop), nullptr);
    // A long capture outage spans many windows: still a drop (80 KB with a 64 KB window).
    Drive o = established();
    o.feed({4, 30'000, 0, PA, 1, 1, 100});
    o.feed({5, 31'000, 1, A, 1, 101, 0});
    o.feed({6, 900'000, 0, PA, 80'101, 1, 100});
    EXPECT_EQ(find(o.feed({7, 901'000, 1, A, 1, 80'201, 0}), C::CaptureDrop)->a, 80'000);
    // A one-byte zero-window probe does not advance nextseq, but it was seen: its ACK is
    // no capture drop.
    Drive z = established();
    z.feed({4, 30'000, 0, PA, 1, 1, 100});
    z.feed({5, 31'000, 1, A, 1, 101, 0, 0});  // window closes
    EXPECT_TRUE(z.feed({6, 40'000, 0, A, 101, 1, 1}).has(C::ZeroWindowProbe));
    const auto& probe_ack = z.feed({7, 41'000, 1, A, 1, 102, 0, 100});
    EXPECT_EQ(find(probe_ack, C::CaptureDrop), nullptr);
}

TEST(AnalysisArtefacts, TimestampGoingBackwardsIsLeftToTheSession) {
    // The session annotates a clock going back once, against the whole capture's clock
    // (HostileInput.TimestampsGoingBackwards); the analyzer must not add a second note.
    Drive r = established();
    const auto& s = r.feed({4, 15'000, 0, A, 1, 1, 0});
    EXPECT_EQ(find(s, C::TimestampBackwards), nullptr);
}

TEST(AnalysisLimits, UnackedListBoundDropsOldestOnce) {
    tfx::Options o;
    o.max_unacked_segments = 4;
    Drive r = established(o);
    int limits = 0;
    for (std::uint32_t i = 0; i < 8; ++i) {
        const auto& s = r.feed({4 + i, 30'000 + i * 100, 0, A, 1 + i * 100, 1, 100});
        limits += s.has(C::AnalysisLimit) ? 1 : 0;
    }
    EXPECT_EQ(limits, 1);
    // The in-flight window only spans what is remembered (4 segments).
    EXPECT_EQ(*r.out.back().bytes_in_flight, 400U);
}

TEST(AnalysisRtt, KarnExcludesAcksOfRetransmittedData) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 330'000, 0, PA, 1, 1, 100});  // RTO retransmission
    const auto& ack = r.feed({6, 340'000, 1, A, 1, 101, 0});
    EXPECT_EQ(ack.acks_frame, 4U);             // tshark: the original
    EXPECT_EQ(*ack.ack_rtt, Duration{310ms});  // not Karn-safe on the segment
    const auto sum = r.summary();
    EXPECT_EQ(sum.dir[1].rtt_samples, 1U);  // only the SYN-ACK's sample
    EXPECT_EQ(sum.dir[1].rtt_sum, Duration{10ms});
    EXPECT_EQ(sum.dir[0].retransmitted_bytes, 100U);
}

TEST(AnalysisCounters, CleanExchangeAllocatesNoRareCounters) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 40'000, 1, A, 1, 101, 0});
    for (int d = 0; d < 2; ++d) EXPECT_EQ(r.an->stats(d).rare, nullptr) << d;
    EXPECT_EQ(r.summary().dir[0].retransmitted_bytes, 0U);
}

TEST(AnalysisCounters, FirstRetransmissionAllocatesTheSendersRareCounters) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    EXPECT_EQ(r.an->stats(0).rare, nullptr);
    r.feed({5, 330'000, 0, PA, 1, 1, 100});  // RTO retransmission
    ASSERT_NE(r.an->stats(0).rare, nullptr);
    EXPECT_EQ(r.an->stats(0).rare->retransmitted_bytes, 100U);
    EXPECT_EQ(r.an->stats(1).rare, nullptr);  // the receiver's stay unallocated
    EXPECT_EQ(r.summary().dir[0].retransmitted_bytes, 100U);
}

TEST(AnalysisRtt, PartialAckTrimsAndLaterExactAckMatches) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 1000});
    const auto& part = r.feed({5, 40'000, 1, A, 1, 501, 0});
    EXPECT_EQ(part.acks_frame, 0U);
    const auto& full = r.feed({6, 50'000, 1, A, 1, 1001, 0});
    EXPECT_EQ(full.acks_frame, 4U);
    EXPECT_EQ(*full.ack_rtt, Duration{20ms});
}

TEST(AnalysisRules, SynAckRepeatedIsSynRetransmission) {
    Drive r(0, 0);
    r.feed({1, 0, 0, S, 0, 0, 0});
    r.feed({2, 10'000, 1, SA, 0, 1, 0});
    const auto& again = r.feed({3, 1'010'000, 1, SA, 0, 1, 0});
    EXPECT_EQ(codes(again), sorted({C::Retransmission, C::SynRetransmission}));
    EXPECT_EQ(find(again, C::SynRetransmission)->related, 2U);
}

TEST(AnalysisRules, AckedUnseenMarkerCountsAsDupAcksForFastRetransmission) {
    // zk-reassembly-gaps.pcap 6-8: the server's FIN is repeated right after the client's
    // data; the ACK of unseen data leaves Wireshark's unsigned dup-ACK counter at "-1".
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 274});
    r.feed({5, 30'100, 1, A, 1, 275, 0});
    r.feed({6, 30'600, 1, FA, 1, 275, 0});
    r.feed({7, 110'000, 0, A, 275, 1, 1440});
    const auto& fin = r.feed({8, 110'200, 1, FA, 1, 1723, 0});
    EXPECT_EQ(codes(fin), sorted({C::AckLostSegment, C::CaptureDrop, C::FastRetransmission}));
    EXPECT_EQ(find(fin, C::CaptureDrop)->a, 8);  // 1715:1723 acknowledged, never captured
    EXPECT_EQ(find(fin, C::FastRetransmission)->a, -1);
}

TEST(AnalysisPerformance, NoAnnotationsOnCleanBulkTransfer) {
    Drive r = established();
    std::uint32_t seq = 1;
    FrameIndex f = 4;
    for (int i = 0; i < 2000; ++i) {
        r.feed({f++, 30'000 + i * 10, 0, A, seq, 1, 1000});
        seq += 1000;
        if (i % 2 == 1) {
            r.feed({f++, 30'005 + i * 10, 1, A, 1, seq, 0});
        }
    }
    for (const auto& s : r.out) {
        ASSERT_TRUE(codes(s).empty()) << s.frame;
    }
    EXPECT_EQ(r.summary().dir[1].rtt_samples, 1001U);
}

// ---------------------------------------------------------------------------------------
// Where tshark 4.0 is wrong on real Linux captures (docs/analysis.md, deviations 7 and 8).

namespace reorder {

// A client with a counting IP id (Linux: per socket) sends 1448-byte segments; the
// connection is established with iRTT 20 ms. Returns the driver after the handshake.
Drive counting_ids() {
    Drive r(0, 0);
    r.feed({1, 0, 0, S, 0, 0, 0, 65535, 0, 1460, 100});
    r.feed({2, 10'000, 1, SA, 0, 1, 0, 65535, 0, 1460, 0});
    r.feed({3, 20'000, 0, A, 1, 1, 0, 65535, -1, 0, 101});
    return r;
}

Pkt data(FrameIndex frame, std::int64_t t_us, std::uint32_t seq, std::uint16_t id) {
    return {frame, t_us, 0, A, seq, 1, 1448, 65535, -1, 0, id};
}

Pkt ack(FrameIndex frame, std::int64_t t_us, std::uint32_t ack_no) {
    return {frame, t_us, 1, A, 1, ack_no, 0, 65535, -1, 0, 0};
}

}  // namespace reorder

// samples/reorder.pcap frames 12-21 (receiver-side capture, kernel: TcpRetransSegs=0,
// TCPSACKReorder=2): the segment held back by the network arrives after three dup ACKs.
// tshark: fast retransmission. Its IP id (older than the highest seen) proves it is the
// original: out-of-order, filling the gap reported at #8.
TEST(AnalysisReorder, DelayedOriginalWithOlderIpIdIsOutOfOrderNotFastRetransmission) {
    using namespace reorder;
    Drive r = counting_ids();
    std::uint16_t id = 102;
    r.feed(data(4, 21'000, 1, id++));
    r.feed(data(5, 21'010, 1449, id++));
    r.feed(data(6, 21'020, 2897, id++));
    r.feed(data(7, 21'030, 4345, id++));
    const std::uint16_t held = id++;  // 5793 is held back
    const auto& gap = r.feed(data(8, 21'040, 7241, id++));
    EXPECT_TRUE(gap.has(C::LostSegment));
    r.feed(with_sack(ack(9, 21'045, 5793), 7241, 8689));
    r.feed(data(10, 21'050, 8689, id++));
    r.feed(with_sack(ack(11, 21'055, 5793), 7241, 10137));
    r.feed(data(12, 21'060, 10137, id++));
    r.feed(with_sack(ack(13, 21'065, 5793), 7241, 11585));
    const auto& late = r.feed(data(14, 21'070, 5793, held));
    EXPECT_EQ(codes(late), std::vector<C>{C::OutOfOrder});
    EXPECT_EQ(find(late, C::OutOfOrder)->related, 8U);  // fills the gap reported at #8
    EXPECT_EQ(find(late, C::OutOfOrder)->a, 11585);     // next expected seq
    const auto sum = r.summary();
    EXPECT_EQ(sum.dir[0].reordered_segments, 1U);
    EXPECT_EQ(sum.dir[0].gaps_filled_by_reordering, 1U);
    EXPECT_EQ(sum.dir[0].retransmitted_bytes, 0U);
}

// The same hole filled by a segment with a newer IP id: sent after everything seen, so a
// retransmission of bytes lost before the capture point, fast because the receiver's SACK
// blocks asked for it.
TEST(AnalysisReorder, GapFilledByNewerIpIdIsARetransmission) {
    using namespace reorder;
    Drive r = counting_ids();
    std::uint16_t id = 102;
    r.feed(data(4, 21'000, 1, id++));
    ++id;  // 1449 lost upstream
    r.feed(data(5, 21'020, 2897, id++));
    r.feed(with_sack(ack(6, 21'025, 1449), 2897, 4345));
    r.feed(data(7, 21'030, 4345, id++));
    r.feed(data(8, 21'040, 5793, id++));
    r.feed(data(9, 21'050, 7241, id++));
    // One round trip after the gap (the sender saw the SACK), with a fresh id.
    const auto& rtx = r.feed(data(10, 41'100, 1449, id++));
    EXPECT_EQ(codes(rtx), std::vector<C>{C::FastRetransmission});
    EXPECT_EQ(r.summary().dir[0].reordered_segments, 0U);
    EXPECT_EQ(r.summary().dir[0].retransmitted_bytes, 1448U);
}

// No IP id evidence (0, as Linux SYN-ACKs and some stacks send): the TCP timestamp value
// decides, as Linux's own TCPTSReorder does (samples/reorder.pcap frame 40: TSval ...129
// after ...131 had been seen).
TEST(AnalysisReorder, OlderTimestampValueProvesAnOriginal) {
    Drive r = established();
    r.feed(with_ts({4, 30'000, 0, A, 1, 1, 100, 65535, -1, 0, 0}, 1000));
    r.feed(with_ts({5, 30'010, 0, A, 201, 1, 100, 65535, -1, 0, 0}, 1002));
    r.feed(with_ts({6, 60'000, 0, A, 301, 1, 100, 65535, -1, 0, 0}, 1031));
    // Arrives 30 ms after the gap (beyond half the iRTT): only the timestamp tells.
    const auto& late = r.feed(with_ts({7, 60'010, 0, A, 101, 1, 100, 65535, -1, 0, 0}, 1001));
    EXPECT_EQ(codes(late), std::vector<C>{C::OutOfOrder});
    EXPECT_EQ(find(late, C::OutOfOrder)->related, 5U);
    // A newer timestamp: resent.
    Drive q = established();
    q.feed(with_ts({4, 30'000, 0, A, 1, 1, 100, 65535, -1, 0, 0}, 1000));
    q.feed(with_ts({5, 30'010, 0, A, 201, 1, 100, 65535, -1, 0, 0}, 1002));
    const auto& rtx = q.feed(with_ts({6, 60'000, 0, A, 101, 1, 100, 65535, -1, 0, 0}, 1031));
    EXPECT_EQ(codes(rtx), std::vector<C>{C::Retransmission});
}

// No id, no timestamps: a segment filling a gap less than half an initial RTT after the gap
// appeared cannot answer it (the receiver's complaint needs a round trip): an original.
TEST(AnalysisReorder, GapFilledWithinHalfAnRttIsOutOfOrder) {
    Drive r = established();  // iRTT 20 ms, constant IP id
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 30'100, 0, PA, 201, 1, 100});
    r.feed({6, 30'200, 1, A, 1, 101, 0});
    r.feed({7, 30'300, 1, A, 1, 101, 0});
    r.feed({8, 30'400, 1, A, 1, 101, 0});
    // Two dup ACKs asked for 101 (Wireshark: fast retransmission), but only 4.9 ms after
    // the gap: out-of-order.
    const auto& s = r.feed({9, 35'000, 0, PA, 101, 1, 100});
    EXPECT_EQ(codes(s), std::vector<C>{C::OutOfOrder});
    EXPECT_EQ(find(s, C::OutOfOrder)->related, 5U);
    EXPECT_EQ(r.summary().dir[0].gaps_filled_by_reordering, 1U);
}

// No evidence at all (constant id, no timestamps, later than half the iRTT): Wireshark's
// answer is kept (lab.pcap frame 10 stays a fast retransmission).
TEST(AnalysisReorder, WithoutEvidenceWiresharksVerdictStays) {
    Drive r(1000, 5000);
    r.feed_all(lab_conn1());
    EXPECT_EQ(codes(r.at(10)), std::vector<C>{C::FastRetransmission});
    EXPECT_EQ(r.summary().dir[0].reordered_segments, 0U);
}

// samples/loss-retrans.pcap frame 53 (sender-side capture, kernel: TcpRetransSegs=3,
// TCPFastRetrans=3): the second lost segment is resent right after the first, during SACK
// recovery, within one RTT of the highest segment. tshark 4.0: out-of-order (a timer, not a
// check of whether the bytes were sent). Ours: bytes sent before are never out-of-order;
// the receiver's SACK blocks ask for them, so it is a fast retransmission.
TEST(AnalysisReorder, SackDrivenResendIsFastRetransmissionNotOutOfOrder) {
    using namespace reorder;
    Drive r = counting_ids();
    std::uint16_t id = 102;
    for (std::uint32_t i = 0; i < 6; ++i) {
        r.feed(data(4 + i, 21'000 + i * 10, 1 + i * 1448, id++));  // 1 .. 8689
    }
    // 1 and 1449 lost; the receiver SACKs 2897:8689.
    r.feed(with_sack(ack(10, 31'000, 1), 2897, 4345));
    r.feed(with_sack(ack(11, 31'010, 1), 2897, 5793));
    r.feed(with_sack(ack(12, 31'020, 1), 2897, 7241));
    r.feed(with_sack(ack(13, 31'030, 1), 2897, 8689));
    const auto& first = r.feed(data(14, 31'040, 1, id++));
    EXPECT_EQ(codes(first), std::vector<C>{C::FastRetransmission});
    const auto& second = r.feed(data(15, 31'050, 1449, id++));
    EXPECT_EQ(codes(second), std::vector<C>{C::FastRetransmission});
    EXPECT_EQ(find(second, C::FastRetransmission)->related, 5U);
    EXPECT_EQ(r.summary().dir[0].retransmitted_bytes, 2U * 1448U);
}

// Resent without any request from the receiver (no dup ACK, no SACK hole) soon after
// nextseq advanced: Wireshark says out-of-order, we say retransmission.
TEST(AnalysisReorder, ResentBytesWithoutRequestAreARetransmission) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 30'100, 0, PA, 101, 1, 100});
    const auto& s = r.feed({6, 31'000, 0, PA, 1, 1, 100});
    EXPECT_EQ(codes(s), std::vector<C>{C::Retransmission});
    EXPECT_EQ(find(s, C::Retransmission)->related, 4U);
}

TEST(AnalysisReorder, SackHoleIgnoresDsackAndSackedRanges) {
    using namespace reorder;
    // A range the receiver already SACKed is not asked for.
    Drive r = counting_ids();
    std::uint16_t id = 102;
    for (std::uint32_t i = 0; i < 3; ++i) {
        r.feed(data(4 + i, 21'000 + i * 10, 1 + i * 1448, id++));
    }
    r.feed(with_sack(ack(7, 31'000, 1), 1449, 4345));
    const auto& sacked = r.feed(data(8, 31'010, 1449, id++));
    EXPECT_EQ(codes(sacked), std::vector<C>{C::Retransmission});
    // A D-SACK block (below the cumulative ACK) reports a duplicate, not a hole.
    Drive q = counting_ids();
    id = 102;
    for (std::uint32_t i = 0; i < 3; ++i) {
        q.feed(data(4 + i, 21'000 + i * 10, 1 + i * 1448, id++));
    }
    q.feed(with_sack(ack(7, 31'000, 1449), 1, 1449));
    const auto& dsack = q.feed(data(8, 31'010, 1449, id++));
    EXPECT_EQ(codes(dsack), std::vector<C>{C::Retransmission});
}

TEST(AnalysisReorder, AckedGapIsForgotten) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 101, 1, 100});  // gap 1:101
    r.feed({5, 31'000, 1, A, 1, 201, 0});     // ACKed unseen: the gap is closed
    const auto& s = r.feed({6, 31'500, 0, PA, 1, 1, 100});
    EXPECT_EQ(codes(s), std::vector<C>{C::SpuriousRetransmission});
    EXPECT_EQ(r.summary().dir[0].gaps_filled_by_reordering, 0U);
}

TEST(AnalysisReorder, RandomIpIdsAreNotEvidence) {
    // Ids jumping back and forth on new data: not a counter; timing and Wireshark decide.
    Drive r(0, 0);
    r.feed({1, 0, 0, S, 0, 0, 0, 65535, 0, 1460, 17});
    r.feed({2, 10'000, 1, SA, 0, 1, 0, 65535, 0, 1460, 0});
    r.feed({3, 20'000, 0, A, 1, 1, 0, 65535, -1, 0, 18});
    const std::array<std::uint16_t, 5> ids = {19, 20, 21, 9000, 22};  // one step back: random
    for (std::uint32_t i = 0; i < 5; ++i) {
        r.feed({4 + i, 30'000 + i * 10, 0, A, 1 + i * 100, 1, 100, 65535, -1, 0, ids[i]});
    }
    r.feed({9, 30'100, 0, A, 601, 1, 100, 65535, -1, 0, 41000});  // gap 501:601
    // 25 ms after the gap, id "older" than the max: no evidence, Wireshark: retransmission.
    const auto& s = r.feed({10, 55'100, 0, A, 501, 1, 100, 65535, -1, 0, 100});
    EXPECT_EQ(codes(s), std::vector<C>{C::Retransmission});
}

// ---------------------------------------------------------------------------------------
// Timing in the summary.

TEST(AnalysisTiming, VantagePointFromHandshakeLegs) {
    Drive r = established();
    EXPECT_EQ(r.summary().vantage, tfx::VantagePoint::Unknown);
    EXPECT_EQ(r.summary(19ms, 30us).vantage, tfx::VantagePoint::NearClient);      // loss-retrans
    EXPECT_EQ(r.summary(36us, 19'932us).vantage, tfx::VantagePoint::NearServer);  // reorder
    EXPECT_EQ(r.summary(10ms, 10ms).vantage, tfx::VantagePoint::InBetween);       // lab
    EXPECT_EQ(r.summary(12ms, 4ms).vantage, tfx::VantagePoint::InBetween);        // ratio 3 < 4
    EXPECT_EQ(r.summary(16ms, 4ms).vantage, tfx::VantagePoint::NearClient);       // ratio 4
}

TEST(AnalysisTiming, TimeToFirstByteAndServerThinkTime) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});  // request 1, two segments
    r.feed({5, 30'500, 0, PA, 101, 1, 50});
    r.feed({6, 40'000, 1, A, 1, 151, 0});
    r.feed({7, 80'500, 1, PA, 1, 151, 300});  // response 1: 50 ms after the request's end
    r.feed({8, 81'000, 1, PA, 301, 151, 300});
    r.feed({9, 90'000, 0, A, 151, 601, 0});
    r.feed({10, 200'000, 0, PA, 151, 601, 20});  // request 2
    r.feed({11, 210'000, 1, PA, 601, 171, 10});  // response 2: 10 ms
    const auto sum = r.summary();
    ASSERT_TRUE(sum.time_to_first_byte.has_value());
    EXPECT_EQ(*sum.time_to_first_byte, Duration{50'500us});
    EXPECT_EQ(sum.exchanges, 2U);
    EXPECT_EQ(sum.server_think_max, Duration{50ms});
    EXPECT_EQ(sum.server_think_sum, Duration{60ms});
}

TEST(AnalysisTiming, ServerSpeaksFirstMeasuresFromTheFirstClientPayload) {
    Drive r = established();
    r.feed({4, 30'000, 1, PA, 1, 1, 40});  // banner: before any client payload
    EXPECT_FALSE(r.summary().time_to_first_byte.has_value());
    r.feed({5, 40'000, 0, PA, 1, 41, 10});   // command
    r.feed({6, 45'000, 1, PA, 41, 11, 20});  // reply: 5 ms
    const auto sum = r.summary();
    ASSERT_TRUE(sum.time_to_first_byte.has_value());
    EXPECT_EQ(*sum.time_to_first_byte, Duration{5ms});
    EXPECT_EQ(sum.exchanges, 1U);
    EXPECT_EQ(sum.server_think_max, Duration{5ms});
}

TEST(AnalysisTiming, StallsNeedOutstandingDataOrAZeroWindow) {
    Drive r = established();  // iRTT 20 ms: threshold max(200 ms, 40 ms) = 200 ms
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 40'000, 1, A, 1, 101, 0});
    // Idle 1 s with nothing outstanding: not a stall.
    r.feed({6, 1'040'000, 0, PA, 101, 1, 100});
    // Lost, RTO after 300 ms: a client stall of 300 ms.
    r.feed({7, 1'340'000, 0, PA, 101, 1, 100});
    r.feed({8, 1'350'000, 1, A, 1, 201, 0, 0});  // ... and the server's window closes
    // 500 ms zero-window: the client is blocked (nothing outstanding, peer window 0).
    r.feed({9, 1'850'000, 1, A, 1, 201, 0, 8192});
    // A gap just under the threshold does not count.
    r.feed({10, 2'049'000, 0, PA, 201, 1, 100});
    r.feed({11, 2'248'000, 1, A, 1, 301, 0, 8192});
    const auto sum = r.summary();
    EXPECT_EQ(sum.dir[0].stalls, 2U);
    EXPECT_EQ(sum.dir[0].stall_time, Duration{800ms});
    EXPECT_EQ(sum.dir[1].stalls, 0U);
}

TEST(AnalysisTiming, NoStallAfterReset) {
    Drive r = established();
    r.feed({4, 30'000, 0, PA, 1, 1, 100});
    r.feed({5, 31'000, 1, RA, 1, 101, 0});
    r.feed({6, 2'000'000, 0, PA, 101, 1, 100});
    EXPECT_EQ(r.summary().dir[0].stalls, 0U);
}

}  // namespace
