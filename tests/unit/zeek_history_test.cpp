// Zeek conn_state precedence and history rules (docs/analysis.md, "Zeek `conn_state` and
// `history`").

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>

#include "analysis/zeek_history.hpp"
#include "tfx/types.hpp"

namespace {

using tfx::analysis::zeek_conn_state;
using tfx::analysis::zeek_history_is_rstos0;
using tfx::analysis::ZeekCounted;
using tfx::analysis::ZeekEndpointState;
using tfx::analysis::ZeekPacket;
using tfx::analysis::ZeekScaledCounters;
using tfx::analysis::ZeekTracker;
using enum ZeekEndpointState;
namespace tcpflag = tfx::tcpflag;

constexpr std::uint16_t S = tcpflag::kSyn;
constexpr std::uint16_t A = tcpflag::kAck;
constexpr std::uint16_t SA = tcpflag::kSyn | tcpflag::kAck;
constexpr std::uint16_t FA = tcpflag::kFin | tcpflag::kAck;
constexpr std::uint16_t R = tcpflag::kRst;
constexpr std::uint16_t RA = tcpflag::kRst | tcpflag::kAck;

TEST(ZeekConnState, PrecedenceTable) {
    struct Case {
        ZeekEndpointState os;
        ZeekEndpointState rs;
        const char* history;
        bool orig_payload;
        const char* expected;
    };
    const Case cases[] = {
        {SynSent, Reset, "Sr", false, "REJ"},
        {SynAckSent, Reset, "Hr", false, "REJ"},
        {Reset, Reset, "SRr", false, "REJ"},     // both reset, no payload
        {Reset, Reset, "ShADRr", true, "RSTR"},  // responder's RST wins over orig's
        {Inactive, Reset, "r", false, "RSTRH"},
        {Partial, Reset, "Dr", true, "RSTRH"},
        {Established, Reset, "ShADdr", true, "RSTR"},
        {Reset, Inactive, "SR", false, "RSTOS0"},
        {Reset, Inactive, "^SR", false, "RSTOS0"},
        {Reset, Inactive, "SAR", false, "OTH"},  // orig ACK before its RST
        {Reset, Partial, "DR", true, "OTH"},
        {Reset, Established, "ShADR", true, "RSTO"},
        {Closed, Closed, "ShADadFf", true, "SF"},
        {Closed, Inactive, "SF", false, "SH"},
        {Closed, Established, "ShADF", true, "S2"},
        {Partial, Closed, "Df", true, "SHR"},
        {Established, Closed, "ShADf", true, "S3"},
        {SynSent, Inactive, "S", false, "S0"},
        {Established, Established, "ShAD", true, "S1"},
        {Partial, Partial, "Dd", true, "OTH"},
        {SynSent, Established, "Sh", false, "OTH"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(zeek_conn_state(c.os, c.rs, c.history, c.orig_payload, false), c.expected) << c.history;
    }
}

// A history of `n` letters cycling through the alphabet, as add() received them.
std::string letters(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + i % 26));
    return s;
}

tfx::analysis::ZeekHistory history_of(const std::string& s) {
    tfx::analysis::ZeekHistory h;
    for (const char c : s) h.add(c);
    return h;
}

TEST(ZeekHistoryString, KeepsEveryLetterAcrossItsInlinePartUpToItsCapacity) {
    using tfx::analysis::ZeekHistory;
    static_assert(ZeekHistory::kInline == 15 && ZeekHistory::kCapacity == 64);
    EXPECT_EQ(history_of(letters(15)).str(), letters(15));  // inline, full
    EXPECT_EQ(history_of(letters(16)).str(), letters(16));  // the first letter past it
    EXPECT_EQ(history_of(letters(64)).str(), letters(64));
    EXPECT_EQ(history_of(letters(70)).str(), letters(64));  // cut at the capacity
}

TEST(ZeekHistoryString, ACopyOrAMoveKeepsTheLettersAndCopiesGrowApart) {
    const tfx::analysis::ZeekHistory original = history_of(letters(20));
    tfx::analysis::ZeekHistory copy = original;
    copy.add('!');
    EXPECT_EQ(original.str(), letters(20));
    EXPECT_EQ(copy.str(), letters(20) + "!");
    tfx::analysis::ZeekHistory short_copy = history_of("ShAD");
    short_copy = original;
    EXPECT_EQ(short_copy.str(), letters(20));
    tfx::analysis::ZeekHistory moved = std::move(copy);
    EXPECT_EQ(moved.str(), letters(20) + "!");
}

TEST(ZeekConnState, RstOs0PatternNeedsSynThenRstWithoutHandshakeLetters) {
    EXPECT_TRUE(zeek_history_is_rstos0("SR"));
    EXPECT_TRUE(zeek_history_is_rstos0("SsR"));
    EXPECT_TRUE(zeek_history_is_rstos0("^SdR"));
    EXPECT_TRUE(zeek_history_is_rstos0("ShR"));  // only the originator's letters count
    EXPECT_FALSE(zeek_history_is_rstos0("SHR"));
    EXPECT_FALSE(zeek_history_is_rstos0("SFR"));
    EXPECT_FALSE(zeek_history_is_rstos0("DR"));
    EXPECT_FALSE(zeek_history_is_rstos0("S"));
}

TEST(ZeekHistory, LogarithmicCounterHitsAtPowersOfTen) {
    ZeekScaledCounters c;
    std::string hits;
    for (int i = 1; i <= 1000; ++i) {
        if (c.hit(ZeekCounted::ZeroWindow)) {
            hits += std::to_string(i) + ",";
        }
    }
    EXPECT_EQ(hits, "1,10,100,1000,");
    EXPECT_FALSE(c.hit(ZeekCounted::ZeroWindow));  // 1001
    // Each kind counts on its own.
    EXPECT_TRUE(c.hit(ZeekCounted::Retransmission));
    EXPECT_TRUE(c.hit(ZeekCounted::ContentGap));
    EXPECT_FALSE(c.hit(ZeekCounted::Retransmission));
}

// The counter as Zeek's rule states it, a count and a threshold of 32 bits, against which the
// kept form (a count and the number of hits) is checked up to and past 2^32 - 1.
struct ThresholdCounter {
    std::uint32_t count = 0;
    std::uint32_t threshold = 1;
    bool hit() {
        if (++count != threshold) return false;
        threshold = threshold <= UINT32_MAX / 10 ? threshold * 10 : UINT32_MAX;
        return true;
    }
};

TEST(ZeekHistory, LogarithmicCounterSaturatesAsZeeksRuleDoes) {
    ZeekScaledCounters kept;
    ThresholdCounter rule;
    const auto k = static_cast<std::size_t>(ZeekCounted::Retransmission);
    const auto step = [&] { return kept.hit(ZeekCounted::Retransmission) == rule.hit(); };
    // Walk each power of ten by jumping close to it, as 4 billion steps would take too long.
    for (int power = 0; power < 12; ++power) {
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(step()) << "count " << rule.count;
        const std::uint32_t near = rule.threshold - 2;
        if (rule.count < near) kept.count[k] = rule.count = near;
        ASSERT_EQ(kept.threshold(ZeekCounted::Retransmission), rule.threshold) << "count " << rule.count;
    }
    // Saturated: a letter at 2^32 - 1 only, also after the count wraps.
    EXPECT_EQ(rule.threshold, UINT32_MAX);
    kept.count[k] = rule.count = UINT32_MAX - 2;
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(step()) << "count " << rule.count;
    EXPECT_EQ(kept.count[k], 3U);  // wrapped
}

ZeekPacket pkt(int dir, std::uint16_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len,
               std::uint16_t win = 1000) {
    return {.dir = dir, .flags = flags, .seq = seq, .ack = ack, .len = len, .window_raw = win};
}

ZeekTracker handshake() {
    ZeekTracker z;
    z.on_packet(pkt(0, S, 100, 0, 0));
    z.on_packet(pkt(1, SA, 500, 101, 0));
    z.on_packet(pkt(0, A, 101, 501, 0));
    return z;
}

TEST(ZeekHistory, RetransmissionLetterIsLogarithmic) {
    ZeekTracker z = handshake();
    z.on_packet(pkt(0, A, 101, 501, 10));
    for (int i = 0; i < 12; ++i) {
        z.on_packet(pkt(0, A, 101, 501, 10));  // same data again
    }
    EXPECT_EQ(z.history(), "ShADTT");  // 1st and 10th retransmission
    EXPECT_EQ(z.conn_state(), "S1");
}

TEST(ZeekHistory, ZeroWindowLetterIsLogarithmic) {
    ZeekTracker z = handshake();
    for (int i = 0; i < 10; ++i) {
        z.on_packet(pkt(1, A, 501, 101, 0, 0));
    }
    EXPECT_EQ(z.history(), "ShAaww");
}

TEST(ZeekHistory, DataAndAckLettersOncePerDirection) {
    ZeekTracker z = handshake();
    for (std::uint32_t i = 0; i < 5; ++i) {
        z.on_packet(pkt(0, A, 101 + i * 10, 501, 10));
        z.on_packet(pkt(1, A, 501, 111 + i * 10, 0));
    }
    EXPECT_EQ(z.history(), "ShADa");
}

TEST(ZeekHistory, SynRepeatsOnlyWithNewSequenceNumber) {
    ZeekTracker z;
    z.on_packet(pkt(0, S, 100, 0, 0));
    z.on_packet(pkt(0, S, 100, 0, 0));
    EXPECT_EQ(z.history(), "S");
    // A new ISN while SYN_SENT re-bases the endpoint (Zeek's SYN_seq_jump): relative 0 again.
    z.on_packet(pkt(0, S, 200, 0, 0));
    EXPECT_EQ(z.history(), "S");
    EXPECT_EQ(z.conn_state(), "S0");
    // Once established, a SYN at another sequence number is recorded again.
    ZeekTracker e = handshake();
    e.on_packet(pkt(0, S, 5000, 0, 0));
    EXPECT_EQ(e.history(), "ShAS");
}

TEST(ZeekHistory, FinRepeatComparesEndOfPayload) {
    ZeekTracker z = handshake();
    z.on_packet(pkt(0, FA, 101, 501, 0));
    z.on_packet(pkt(0, FA, 101, 501, 0));  // retransmitted FIN: same number
    EXPECT_EQ(z.history(), "ShAF");
    EXPECT_EQ(z.conn_state(), "S2");
}

TEST(ZeekHistory, MultiFlagLetters) {
    ZeekTracker z;
    z.on_packet(pkt(0, static_cast<std::uint16_t>(S | tcpflag::kFin), 100, 0, 0));
    z.on_packet(pkt(0, static_cast<std::uint16_t>(tcpflag::kFin | R), 101, 0, 0));
    z.on_packet(pkt(0, static_cast<std::uint16_t>(S | tcpflag::kFin), 100, 0, 0));
    EXPECT_EQ(z.history(), "QI");
}

TEST(ZeekHistory, RefusedConnectionIsRej) {
    ZeekTracker z;
    z.on_packet(pkt(0, S, 100, 0, 0));
    z.on_packet(pkt(1, RA, 0, 101, 0));
    EXPECT_EQ(z.history(), "Sr");
    EXPECT_EQ(z.conn_state(), "REJ");
}

TEST(ZeekHistory, SynThenOwnRstIsRstos0) {
    ZeekTracker z;
    z.on_packet(pkt(0, S, 100, 0, 0));
    z.on_packet(pkt(0, R, 101, 0, 0));
    EXPECT_EQ(z.history(), "SR");
    EXPECT_EQ(z.conn_state(), "RSTOS0");
}

TEST(ZeekHistory, AbortByOriginatorIsRsto) {
    ZeekTracker z = handshake();
    z.on_packet(pkt(0, A, 101, 501, 5));
    z.on_packet(pkt(0, RA, 106, 501, 0));
    EXPECT_EQ(z.history(), "ShADR");
    EXPECT_EQ(z.conn_state(), "RSTO");
}

TEST(ZeekHistory, FinThenRstThenPeerFinIsNormalTermination) {
    ZeekTracker z = handshake();
    z.on_packet(pkt(1, FA, 501, 101, 0));
    z.on_packet(pkt(1, R, 502, 0, 0));
    z.on_packet(pkt(0, FA, 101, 502, 0));
    EXPECT_EQ(z.conn_state(), "SF");
}

TEST(ZeekHistory, MidstreamStartIsOth) {
    ZeekTracker z;
    z.on_packet(pkt(0, A, 1000, 2000, 100));
    z.on_packet(pkt(1, A, 2000, 1100, 0));
    EXPECT_EQ(z.history(), "Da");
    EXPECT_EQ(z.conn_state(), "OTH");
}

TEST(ZeekHistory, FirstPacketFromResponderIsFlipped) {
    ZeekTracker z;
    z.on_packet(pkt(1, SA, 500, 101, 0));
    z.on_packet(pkt(0, A, 101, 501, 0));
    z.on_packet(pkt(0, A, 101, 501, 10));
    EXPECT_EQ(z.history(), "^hAD");
}

TEST(ZeekHistory, ContentGapWhenAckPassesAHole) {
    ZeekTracker z = handshake();
    z.on_packet(pkt(0, A, 101, 501, 100));
    z.on_packet(pkt(0, A, 301, 501, 100));  // 201:301 never seen
    z.on_packet(pkt(1, A, 501, 401, 0));    // the responder acked it anyway
    EXPECT_EQ(z.history(), "ShADaG");
    // A hole filled before the ACK is no gap.
    ZeekTracker y = handshake();
    y.on_packet(pkt(0, A, 201, 501, 100));
    y.on_packet(pkt(0, A, 101, 501, 100));
    y.on_packet(pkt(1, A, 501, 301, 0));
    EXPECT_EQ(y.history(), "ShADTa");  // Zeek calls the late segment a retransmission
}

// Zeek's UpdateClosedState: once both sides have sent FIN, a RST (a stack resetting the
// TIME-WAIT or LAST-ACK remains) leaves the FIN exchange standing: SF, not RSTR.
TEST(ZeekHistory, RstAfterBothFinsKeepsSf) {
    ZeekTracker z = handshake();
    z.on_packet(pkt(1, FA, 501, 101, 0));
    z.on_packet(pkt(0, FA, 101, 502, 0));
    z.on_packet(pkt(1, R, 502, 0, 0));
    EXPECT_EQ(z.history(), "ShAfFr");
    EXPECT_EQ(z.conn_state(), "SF");
    // One FIN only: the RST still aborts.
    ZeekTracker y = handshake();
    y.on_packet(pkt(1, FA, 501, 101, 0));
    y.on_packet(pkt(1, R, 502, 0, 0));
    EXPECT_EQ(y.conn_state(), "RSTR");
}

// Zeek's UpdateInactiveState: a SYN-ACK leaves an unseen originator inactive; its ACK then
// establishes it (the SYN was missed), so the connection is S1, not OTH.
TEST(ZeekHistory, SynMissedThenSynAckAndAckIsS1) {
    ZeekTracker z;
    z.on_packet(pkt(1, SA, 500, 101, 0));
    z.on_packet(pkt(0, A, 101, 501, 0));
    z.on_packet(pkt(0, A, 101, 501, 10));
    z.on_packet(pkt(1, A, 501, 111, 20));
    EXPECT_EQ(z.history(), "^hADd");
    EXPECT_EQ(z.conn_state(), "S1");
    // A SYN-ACK alone: the responder's half, SHR once it closes.
    ZeekTracker y;
    y.on_packet(pkt(1, SA, 500, 101, 0));
    y.on_packet(pkt(1, FA, 501, 101, 0));
    EXPECT_EQ(y.conn_state(), "SHR");
}

}  // namespace
