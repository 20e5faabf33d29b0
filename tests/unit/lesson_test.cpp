// The classic TCP lessons, checked against facts written by hand: for each kernel-made sample
// in samples/, the states each endpoint went through (RFC 9293 §3.3.2 and §3.6, read off the
// capture by hand, frame by frame, as noted beside each path), the sequence-space numbers a
// class is taught (the SYN and the FIN each consume one sequence number, RFC 9293 §3.4) and
// the retransmission counts the sending kernel itself counted (samples/NAME.nstat.txt). The
// tool's Session must say the same. A test here fails when a walkthrough would teach a wrong
// state, number or count.

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/play_sample.hpp"
#include "tfx/conversation.hpp"
#include "tfx/session.hpp"

namespace {

using namespace tfx;
using enum TcpState;
using Path = std::vector<TcpState>;

struct Lesson : EventSink {
    std::vector<AnnotatedSegment> segments;
    std::vector<ConversationSummary> conversations;
    void segment(const AnnotatedSegment& s) override {
        segments.push_back(s);
        segments.back().payload = {};
    }
    void conversation_closed(const ConversationSummary& s) override { conversations.push_back(s); }

    /// Every state one endpoint went through, in order, from the state changes of the walkthrough.
    [[nodiscard]] Path path(Role who) const {
        Path p;
        for (const auto& s : segments)
            for (const auto& c : s.state_changes()) {
                if (c.endpoint != who) continue;
                if (p.empty()) p.push_back(c.from);
                p.push_back(c.to);
            }
        return p;
    }
    [[nodiscard]] const AnnotatedSegment& frame(FrameIndex n) const { return segments.at(n - 1); }
    [[nodiscard]] int resent(Role who) const {
        int n = 0;
        for (const auto& s : segments)
            if (s.sender == who &&
                (s.has(AnnotationCode::Retransmission) || s.has(AnnotationCode::FastRetransmission) ||
                 s.has(AnnotationCode::SpuriousRetransmission)))
                ++n;
        return n;
    }
};

Lesson run(const std::string& name) {
    Lesson sink;
    EXPECT_TRUE(test::play_sample(name, sink)) << name;
    return sink;
}

/// One counter of samples/NAME.nstat.txt; side "ns-a" (client) or "ns-b" (server).
long nstat(const std::string& name, const std::string& side, const std::string& key) {
    std::ifstream in(std::string(TFX_SOURCE_DIR) + "/samples/" + name + ".nstat.txt");
    std::string line;
    bool on = false;
    while (std::getline(in, line)) {
        if (line.starts_with("[")) {
            on = line.starts_with("[" + side);
            continue;
        }
        std::istringstream fields(line);
        std::string k;
        long v = 0;
        if (on && fields >> k >> v && k == key) return v;
    }
    return 0;  // nstat -asz lists a counter that did not move as 0, or not at all
}

}  // namespace

// seed-pouet: `echo pouet | nc` on loopback. #1 SYN, #2 SYN-ACK, #3 ACK, #4 6 bytes, #5 ACK,
// #6 client FIN, #7 server FIN+ACK acking it, #8 final ACK.
TEST(Lesson, seed_exchange_states_and_sequence_space) {
    const auto l = run("seed-pouet");
    ASSERT_EQ(l.conversations.size(), 1u);
    // RFC 9293 §3.3.2: active OPEN, rcv SYN-ACK, CLOSE, rcv ACK of FIN, rcv FIN (TIME-WAIT).
    EXPECT_EQ(l.path(Role::Client), (Path{Closed, SynSent, Established, FinWait1, FinWait2, TimeWait}));
    // LISTEN (proven by its SYN-ACK), rcv ACK of SYN, rcv FIN, CLOSE, rcv ACK of FIN.
    EXPECT_EQ(l.path(Role::Server), (Path{Listen, SynReceived, Established, CloseWait, LastAck, Closed}));
    // The SYN consumes one sequence number (RFC 9293 §3.4): the SYN-ACK acknowledges ISN+1.
    EXPECT_EQ(l.frame(2).ack, l.frame(1).seq + 1);
    EXPECT_EQ(l.frame(2).rel_ack, 1u);
    EXPECT_EQ(l.frame(3).rel_ack, 1u);
    // 6 bytes at relative seq 1: the next expected byte is 7.
    EXPECT_EQ(l.frame(4).rel_seq, 1u);
    EXPECT_EQ(l.frame(5).rel_ack, 7u);
    // The FIN consumes one sequence number: the client's FIN is seq 7, its ACK is 8; the
    // server's FIN is seq 1, its ACK 2.
    EXPECT_EQ(l.frame(6).rel_seq, 7u);
    EXPECT_EQ(l.frame(7).rel_ack, 8u);
    EXPECT_EQ(l.frame(8).rel_ack, 2u);
    EXPECT_EQ(l.conversations[0].close, CloseKind::Graceful);
}

// refused: SYN to 127.0.0.1:42001 where nothing listens, answered by RST-ACK.
TEST(Lesson, refused_port_is_closed) {
    const auto l = run("refused");
    ASSERT_EQ(l.conversations.size(), 1u);
    EXPECT_EQ(l.path(Role::Client), (Path{Closed, SynSent, Closed}));  // rcv RST in SYN-SENT (§3.10.7.3)
    EXPECT_TRUE(l.path(Role::Server).empty()) << "a closed port changes no state: it was CLOSED";
    EXPECT_EQ(l.conversations[0].dir[1].final_state, Closed);
    // §3.10.7.1, CLOSED state, ACK bit off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, and
    // the SYN counts in SEG.LEN.
    EXPECT_EQ(l.frame(2).ack, l.frame(1).seq + 1);
    EXPECT_EQ(l.conversations[0].handshake, HandshakeOutcome::Refused);
}

// simultaneous-open: both peers connect() at once, no listener. #1, #2 the crossing SYNs;
// #3, #4 the SYN-ACKs; then data, #11 ns-b's FIN, #12 ns-a's FIN+ACK acking it, #13 ACK.
TEST(Lesson, simultaneous_open_both_peers_open_actively) {
    const auto l = run("simultaneous-open");
    ASSERT_EQ(l.conversations.size(), 1u);
    // Each kernel counted an active open and no passive one: both started CLOSED (RFC 9293 Figure 7).
    EXPECT_EQ(nstat("simultaneous-open", "ns-a", "TcpActiveOpens"), 1);
    EXPECT_EQ(nstat("simultaneous-open", "ns-b", "TcpActiveOpens"), 1);
    EXPECT_EQ(nstat("simultaneous-open", "ns-b", "TcpPassiveOpens"), 0);
    // ns-a then receives ns-b's FIN first (CLOSE-WAIT) and closes; ns-b holds TIME-WAIT,
    // which only ns-b's kernel counted (TcpExtTW).
    EXPECT_EQ(l.path(Role::Client), (Path{Closed, SynSent, SynReceived, Established, CloseWait, LastAck, Closed}));
    EXPECT_EQ(l.path(Role::Server), (Path{Closed, SynSent, SynReceived, Established, FinWait1, FinWait2, TimeWait}));
    EXPECT_EQ(nstat("simultaneous-open", "ns-b", "TcpExtTW"), 1);
    EXPECT_EQ(nstat("simultaneous-open", "ns-a", "TcpExtTW"), 0);
    // Four handshake segments, numbered 1/3 (not yet known to cross), 2/4, 3/4, 4/4.
    EXPECT_EQ(l.frame(2).step, 2);
    EXPECT_EQ(l.frame(3).step, 3);
    EXPECT_EQ(l.frame(4).step, 4);
    EXPECT_EQ(l.frame(4).steps, 4);
    // Each SYN-ACK acknowledges the other's ISN+1.
    EXPECT_EQ(l.frame(3).ack, l.frame(2).seq + 1);
    EXPECT_EQ(l.frame(4).ack, l.frame(1).seq + 1);
    EXPECT_EQ(l.conversations[0].handshake, HandshakeOutcome::SimultaneousOpen);
}

// simultaneous-close: #8 client FIN, #9 server FIN (ack 9: it had not received #8), #10
// client ACK of the server's FIN, #11 server ACK of the client's FIN echoing #8's TSval.
TEST(Lesson, simultaneous_close_goes_through_closing_on_both_sides) {
    const auto l = run("simultaneous-close");
    ASSERT_EQ(l.conversations.size(), 1u);
    // Both FINs crossed; each side received the other's FIN in FIN-WAIT-1 (§3.6, Figure 13).
    EXPECT_EQ(l.path(Role::Client), (Path{Closed, SynSent, Established, FinWait1, Closing, TimeWait}));
    EXPECT_EQ(l.path(Role::Server), (Path{Listen, SynReceived, Established, FinWait1, Closing, TimeWait}));
    // Both ended in TIME-WAIT: both kernels counted TcpExtTW (an ordinary close has one).
    EXPECT_EQ(nstat("simultaneous-close", "ns-a", "TcpExtTW"), 1);
    EXPECT_EQ(nstat("simultaneous-close", "ns-b", "TcpExtTW"), 1);
    // The evidence that placed the server's CLOSING: #11 echoes #8's TSval, not #10's.
    ASSERT_TRUE(l.frame(11).options.timestamps && l.frame(8).options.timestamps);
    EXPECT_EQ(l.frame(11).options.timestamps->echo_reply, l.frame(8).options.timestamps->value);
    ASSERT_TRUE(l.frame(11).has(AnnotationCode::SentBeforeReceiving));
    // Each FIN consumes one sequence number: FIN at 9, acknowledged with 10 both ways.
    EXPECT_EQ(l.frame(10).rel_ack, l.frame(9).rel_seq + 1);
    EXPECT_EQ(l.frame(11).rel_ack, l.frame(8).rel_seq + 1);
    EXPECT_EQ(l.conversations[0].close, CloseKind::Simultaneous);
}

// half-close: #4 request (36 bytes), #5 client FIN, #7 server ACK of it, #8 and #10 server
// data after the client's FIN, #12 server FIN, #13 final ACK.
TEST(Lesson, half_close_lets_the_other_side_keep_sending) {
    const auto l = run("half-close");
    ASSERT_EQ(l.conversations.size(), 1u);
    EXPECT_EQ(l.path(Role::Client), (Path{Closed, SynSent, Established, FinWait1, FinWait2, TimeWait}));
    EXPECT_EQ(l.path(Role::Server), (Path{Listen, SynReceived, Established, CloseWait, LastAck, Closed}));
    // The client's FIN is seq 37 (after bytes 1-36); the server acknowledges 38.
    EXPECT_EQ(l.frame(5).rel_seq, 37u);
    EXPECT_EQ(l.frame(7).rel_ack, 38u);
    // In CLOSE-WAIT the server still sends 46 + 34 bytes.
    EXPECT_EQ(l.frame(8).payload_len + l.frame(10).payload_len, 80u);
    EXPECT_TRUE(l.conversations[0].data_after_close);
    EXPECT_EQ(nstat("half-close", "ns-a", "TcpExtTW"), 1);  // the client, which closed first
}

// rst-abort: SO_LINGER {1, 0} close: #8 RST-ACK from the client, no FIN.
TEST(Lesson, rst_abort_closes_both_sides_at_once) {
    const auto l = run("rst-abort");
    ASSERT_EQ(l.conversations.size(), 1u);
    // Sending a RST aborts (§3.10.4 ABORT); receiving it in ESTABLISHED closes (§3.10.7.4).
    EXPECT_EQ(l.path(Role::Client), (Path{Closed, SynSent, Established, Closed}));
    EXPECT_EQ(l.path(Role::Server), (Path{Listen, SynReceived, Established, Closed}));
    EXPECT_EQ(l.conversations[0].close, CloseKind::Reset);
}

// loss-retrans: 40000 bytes, the bridge drops 3 data segments; the client's FIN travels with
// the last 904 bytes (#45), the server acknowledges it (#61), sends 21 bytes and its FIN (#64).
TEST(Lesson, loss_with_fast_retransmission_counts_what_the_kernel_counted) {
    const auto l = run("loss-retrans");
    ASSERT_EQ(l.conversations.size(), 1u);
    EXPECT_EQ(l.resent(Role::Client), nstat("loss-retrans", "ns-a", "TcpRetransSegs"));
    EXPECT_EQ(l.resent(Role::Client), 3);
    EXPECT_EQ(l.resent(Role::Server), nstat("loss-retrans", "ns-b", "TcpRetransSegs"));
    EXPECT_EQ(l.path(Role::Client), (Path{Closed, SynSent, Established, FinWait1, FinWait2, TimeWait}));
    EXPECT_EQ(l.path(Role::Server), (Path{Listen, SynReceived, Established, CloseWait, LastAck, Closed}));
    // 40000 bytes at 1-40000, then the FIN at 40001: the ACK of the FIN is 40002.
    EXPECT_EQ(l.frame(45).rel_seq + l.frame(45).payload_len, 40001u);
    EXPECT_EQ(l.frame(61).rel_ack, 40002u);
}

// reorder: the bridge holds 2 data segments back (captured at the receiver); nothing is
// lost, so nothing may be called a retransmission.
TEST(Lesson, reordering_is_not_retransmission) {
    const auto l = run("reorder");
    ASSERT_EQ(l.conversations.size(), 1u);
    EXPECT_EQ(nstat("reorder", "ns-a", "TcpRetransSegs"), 0);
    EXPECT_EQ(l.resent(Role::Client), 0);
    EXPECT_EQ(l.resent(Role::Server), 0);
    EXPECT_EQ(nstat("reorder", "ns-a", "TcpExtTCPSACKReorder"), 2);
    EXPECT_EQ(l.path(Role::Client), (Path{Closed, SynSent, Established, FinWait1, FinWait2, TimeWait}));
    EXPECT_EQ(l.path(Role::Server), (Path{Listen, SynReceived, Established, CloseWait, LastAck, Closed}));
    EXPECT_EQ(l.frame(45).rel_ack, 30002u);  // 30000 bytes and the FIN
}
