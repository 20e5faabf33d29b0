// The connection state machine (tcp/connection_fsm): driven directly, segment by segment;
// against the RFC 9293 state graph (every transition it makes is an edge, every observable
// edge is reachable from the wire); and the RFC facts it must keep, seen through a session.

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "i18n/catalogue.hpp"
#include "support/session_harness.hpp"
#include "tcp/connection_fsm.hpp"
#include "tcp/state_graph.hpp"

using namespace tfx;
using namespace tfx::test;
using namespace tfx::tcpflag;

namespace {

// Runs a scenario and returns the edge ids it used; fails on any illegal transition.
std::set<int> edges_of(Harness& h) {
    std::set<int> used;
    for (const auto& s : h.sink.segments) {
        EXPECT_FALSE(s.has(AnnotationCode::IllegalTransition)) << "frame " << s.frame;
        for (const auto& c : s.state_changes()) {
            const auto id = tcp::edge_id(c.from, c.to);
            EXPECT_TRUE(id.has_value()) << to_string(c.from) << " -> " << to_string(c.to);
            if (id) used.insert(*id);
        }
    }
    return used;
}

std::vector<std::set<int>> all_scenarios() {
    std::vector<std::set<int>> out;
    const Peers p;
    auto run = [&out](auto&& body) {
        Harness h;
        body(h);
        h.finish();
        out.push_back(edges_of(h));
    };
    // Classic: handshake, data, 4-segment close.
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.c2s(101, 501, kAck));
        h.send(p.c2s(101, 501, kAck | kPsh, 6));
        h.send(p.s2c(501, 107, kAck));
        h.send(p.c2s(107, 501, kFin | kAck));
        h.send(p.s2c(501, 108, kAck));
        h.send(p.s2c(501, 108, kFin | kAck));
        h.send(p.c2s(108, 502, kAck));
        h.send(p.c2s(108, 502, kRst));  // RST in TIME-WAIT
    });
    // Refused.
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(0, 101, kRst | kAck));
    });
    // Simultaneous open and simultaneous close.
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 0, kSyn));
        h.send(p.c2s(100, 501, kSyn | kAck));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.c2s(101, 501, kFin | kAck));
        h.send(p.s2c(501, 101, kFin | kAck));
        h.send(p.c2s(102, 502, kAck));
        h.send(p.s2c(502, 102, kAck));
    });
    // Client aborts during the handshake; server's SYN-RECEIVED returns to LISTEN.
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.c2s(101, 0, kRst));
    });
    // Server aborts from SYN-RECEIVED.
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.s2c(501, 101, kRst | kAck));
    });
    // Client gives up its SYN with an RST of its own.
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.c2s(101, 0, kRst));
    });
    // Server closes before the handshake ACK, then the client aborts (FIN-WAIT-1 -> CLOSED).
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.s2c(501, 101, kFin | kAck));
        h.send(p.c2s(101, 0, kRst));
    });
    // Resets in FIN-WAIT-2 / CLOSE-WAIT, and in CLOSING / LAST-ACK.
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.c2s(101, 501, kAck));
        h.send(p.c2s(101, 501, kFin | kAck));
        h.send(p.s2c(501, 102, kAck));
        h.send(p.s2c(501, 102, kRst | kAck));
    });
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.c2s(101, 501, kAck));
        h.send(p.c2s(101, 501, kFin | kAck));
        h.send(p.s2c(501, 101, kFin | kAck));  // crossing FIN
        h.send(p.c2s(102, 502, kAck));         // client CLOSING
        h.send(p.s2c(502, 0, kRst));           // RST: CLOSING and FIN-WAIT-2 -> CLOSED
    });
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.c2s(101, 501, kAck));
        h.send(p.c2s(101, 501, kFin | kAck));
        h.send(p.s2c(501, 102, kFin | kAck));  // server LAST-ACK
        h.send(p.c2s(102, 0, kRst));           // abort instead of the final ACK
    });
    // Established abort.
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.c2s(101, 501, kAck));
        h.send(p.c2s(101, 501, kRst | kAck));
    });
    // Mid-stream: data, then FIN from a side whose state was unknown, close, reset.
    run([&](Harness& h) {
        h.send(p.c2s(1000, 7000, kAck | kPsh, 10));
        h.send(p.s2c(7000, 1010, kFin | kAck));
        h.send(p.c2s(1010, 7001, kAck));
    });
    run([&](Harness& h) {
        h.send(p.c2s(1000, 7000, kFin | kAck));
        h.send(p.s2c(7000, 1001, kAck));
    });
    run([&](Harness& h) { h.send(p.c2s(1000, 7000, kRst | kAck)); });
    // Capture starts with the SYN-ACK.
    run([&](Harness& h) {
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.c2s(101, 501, kAck));
    });
    // Server closes first in CLOSE-WAIT and the client resets (CLOSE-WAIT -> CLOSED).
    run([&](Harness& h) {
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.send(p.c2s(101, 501, kAck));
        h.send(p.s2c(501, 101, kFin | kAck));
        h.send(p.c2s(101, 502, kAck));
        h.send(p.c2s(101, 502, kRst | kAck));
    });
    return out;
}

}  // namespace

TEST(StateMachine, EmitsOnlyEdgesOfTheStateGraph) {
    for (const auto& used : all_scenarios()) EXPECT_FALSE(used.empty());
}

TEST(StateMachine, EveryObservableEdgeIsReachableFromTheWire) {
    std::set<int> used;
    for (const auto& s : all_scenarios()) used.insert(s.begin(), s.end());
    const auto table = tcp::transition_table();
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (!table[i].observable) continue;
        EXPECT_TRUE(used.count(static_cast<int>(i)))
            << "edge " << to_string(table[i].from) << " -> " << to_string(table[i].to) << " ("
            << i18n::word(Language::En, table[i].event) << ") is never produced";
    }
}

// ---- The state machine driven directly, one segment at a time ----------------------------

namespace {

// One ConnectionFsm fed segments as they pass the capture point, frame by frame.
class FsmDriver {
public:
    explicit FsmDriver(bool opened_with_syn = true) : fsm_(opened_with_syn) {}

    struct Seen {
        tcp::FsmVerdict verdict;
        AnnotatedSegment segment;
    };

    Seen send(Role sender, std::uint16_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t payload_len = 0) {
        Seen seen;
        seen.segment.frame = ++frame_;
        seen.segment.sender = sender;
        seen.segment.flags = flags;
        seen.verdict = fsm_.on_segment(sender, flags, SeqNum{seq}, SeqNum{ack}, payload_len, seen.segment);
        for (const auto& c : seen.segment.state_changes()) {
            auto& path = paths_[static_cast<std::size_t>(index_of(c.endpoint))];
            if (path.empty()) path.push_back(c.from);
            EXPECT_EQ(path.back(), c.from) << "frame " << frame_;
            path.push_back(c.to);
        }
        EXPECT_FALSE(seen.segment.has(AnnotationCode::IllegalTransition)) << "frame " << frame_;
        return seen;
    }
    Seen client(std::uint16_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len = 0) {
        return send(Role::Client, flags, seq, ack, len);
    }
    Seen server(std::uint16_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len = 0) {
        return send(Role::Server, flags, seq, ack, len);
    }

    /// Every state one endpoint went through, in order (empty: no transition at all).
    [[nodiscard]] const std::vector<TcpState>& path(Role who) const {
        return paths_[static_cast<std::size_t>(index_of(who))];
    }
    [[nodiscard]] const tcp::ConnectionFsm& fsm() const { return fsm_; }
    [[nodiscard]] bool visited(Role who, TcpState state) const {
        return (fsm_.endpoint(who).visited >> static_cast<unsigned>(state)) & 1u;
    }

    /// Client ISN 100, server ISN 500: SYN, SYN-ACK, ACK.
    void handshake() {
        client(kSyn, 100, 0);
        server(kSyn | kAck, 500, 101);
        client(kAck, 101, 501);
    }

private:
    tcp::ConnectionFsm fsm_;
    FrameIndex frame_ = 0;
    std::array<std::vector<TcpState>, 2> paths_;
};

}  // namespace

// RFC 9293 §3.10.7.1: a SYN to a port with no listener meets a CLOSED port, which answers
// RST,ACK. The server never was in LISTEN: it stays CLOSED, with no transition of its own.
TEST(ConnectionFsm, refused_port_leaves_the_server_closed_never_listen) {
    using enum TcpState;
    FsmDriver d;
    d.client(kSyn, 100, 0);
    EXPECT_EQ(d.fsm().shown_state(Role::Server), Unknown) << "no answer yet: nothing proves a listener";
    const auto rst = d.server(kRst | kAck, 0, 101);
    EXPECT_EQ(rst.verdict.meaning, SegmentMeaning::Refused);
    EXPECT_TRUE(rst.verdict.refused);
    EXPECT_EQ(d.fsm().shown_state(Role::Server), Closed);
    EXPECT_TRUE(d.path(Role::Server).empty()) << "the server made no transition";
    EXPECT_FALSE(d.visited(Role::Server, Listen));
    EXPECT_TRUE(d.visited(Role::Server, Closed));
    EXPECT_EQ(d.fsm().endpoint(Role::Server).edges, 0u);
    EXPECT_EQ(d.path(Role::Client), (std::vector{Closed, SynSent, Closed}));
    EXPECT_FALSE(d.fsm().handshake_done());
}

// RFC 9293 §3.5 (basic three-way handshake): the handshake is steps 1/3, 2/3 and 3/3, and the
// third segment (the ACK of the SYN-ACK) completes it.
TEST(ConnectionFsm, three_way_handshake_is_steps_1_to_3_of_3) {
    FsmDriver d;
    const auto syn = d.client(kSyn, 100, 0);
    const auto synack = d.server(kSyn | kAck, 500, 101);
    const auto ack = d.client(kAck, 101, 501);
    EXPECT_EQ(syn.verdict.meaning, SegmentMeaning::ConnectionRequest);
    EXPECT_EQ(synack.verdict.meaning, SegmentMeaning::ConnectionAccepted);
    EXPECT_EQ(ack.verdict.meaning, SegmentMeaning::HandshakeComplete);
    for (const auto* seen : {&syn, &synack, &ack}) EXPECT_EQ(seen->verdict.phase, Phase::Handshake);
    EXPECT_EQ(syn.verdict.step, 1);
    EXPECT_EQ(syn.verdict.steps, 3);
    EXPECT_EQ(synack.verdict.step, 2);
    EXPECT_EQ(synack.verdict.steps, 3);
    EXPECT_EQ(ack.verdict.step, 3);
    EXPECT_EQ(ack.verdict.steps, 3);
    EXPECT_FALSE(synack.verdict.handshake_completed);
    EXPECT_TRUE(ack.verdict.handshake_completed);
    EXPECT_TRUE(d.fsm().handshake_done());
    using enum TcpState;
    EXPECT_EQ(d.path(Role::Client), (std::vector{Closed, SynSent, Established}));
    EXPECT_EQ(d.path(Role::Server), (std::vector{Listen, SynReceived, Established}));
}

// RFC 9293 §3.6 (normal close sequence): four segments, FIN, ACK, FIN, ACK, steps 1
// to 4/4. The first FIN cannot tell yet whether the close will take three or four segments,
// so its step count is left unknown (0).
TEST(ConnectionFsm, four_segment_close_is_steps_1_to_4_of_4) {
    FsmDriver d;
    d.handshake();
    const auto fin1 = d.client(kFin | kAck, 101, 501);
    const auto ack1 = d.server(kAck, 501, 102);
    const auto fin2 = d.server(kFin | kAck, 501, 102);
    const auto ack2 = d.client(kAck, 102, 502);
    EXPECT_EQ(fin1.verdict.meaning, SegmentMeaning::CloseRequest);
    EXPECT_EQ(ack1.verdict.meaning, SegmentMeaning::FinAcked);
    EXPECT_EQ(fin2.verdict.meaning, SegmentMeaning::CloseReply);
    EXPECT_EQ(ack2.verdict.meaning, SegmentMeaning::FinalAck);
    for (const auto* seen : {&fin1, &ack1, &fin2, &ack2}) EXPECT_EQ(seen->verdict.phase, Phase::Teardown);
    EXPECT_EQ(fin1.verdict.step, 1);
    EXPECT_EQ(fin1.verdict.steps, 0);
    EXPECT_EQ(ack1.verdict.step, 2);
    EXPECT_EQ(ack1.verdict.steps, 4);
    EXPECT_EQ(fin2.verdict.step, 3);
    EXPECT_EQ(fin2.verdict.steps, 4);
    EXPECT_EQ(ack2.verdict.step, 4);
    EXPECT_EQ(ack2.verdict.steps, 4);
    using enum TcpState;
    EXPECT_EQ(d.path(Role::Client), (std::vector{Closed, SynSent, Established, FinWait1, FinWait2, TimeWait}));
    EXPECT_EQ(d.path(Role::Server), (std::vector{Listen, SynReceived, Established, CloseWait, LastAck, Closed}));
    EXPECT_FALSE(d.fsm().simultaneous_close());
}

// RFC 9293 §3.6: the peer may acknowledge the FIN and send its own in one segment; the
// close is then three segments, FIN, FIN+ACK, ACK: steps 2/3 and 3/3.
TEST(ConnectionFsm, fin_ack_answering_a_fin_makes_a_three_segment_close) {
    FsmDriver d;
    d.handshake();
    d.client(kFin | kAck, 101, 501);
    const auto finack = d.server(kFin | kAck, 501, 102);
    const auto ack = d.client(kAck, 102, 502);
    EXPECT_EQ(finack.verdict.meaning, SegmentMeaning::CloseReply);
    EXPECT_EQ(finack.verdict.step, 2);
    EXPECT_EQ(finack.verdict.steps, 3);
    EXPECT_EQ(ack.verdict.meaning, SegmentMeaning::FinalAck);
    EXPECT_EQ(ack.verdict.step, 3);
    EXPECT_EQ(ack.verdict.steps, 3);
}

// RFC 9293 §3.6 (simultaneous close sequence): FINs that cross take each side from
// FIN-WAIT-1 through CLOSING (it receives the peer's FIN before the ACK of its own) to
// TIME-WAIT. Four segments, steps 1 to 4/4.
TEST(ConnectionFsm, simultaneous_close_takes_both_sides_through_closing) {
    FsmDriver d;
    d.handshake();
    const auto fin1 = d.client(kFin | kAck, 101, 501);
    const auto fin2 = d.server(kFin | kAck, 501, 101);  // crosses the client's FIN: acks nothing new
    const auto ack1 = d.client(kAck, 102, 502);
    const auto ack2 = d.server(kAck, 502, 102);
    EXPECT_EQ(fin1.verdict.meaning, SegmentMeaning::CloseRequest);
    EXPECT_EQ(fin2.verdict.meaning, SegmentMeaning::SimultaneousClose);
    EXPECT_EQ(ack1.verdict.meaning, SegmentMeaning::FinalAck);
    EXPECT_EQ(ack2.verdict.meaning, SegmentMeaning::FinalAck);
    EXPECT_EQ(fin1.verdict.step, 1);
    EXPECT_EQ(fin2.verdict.step, 2);
    EXPECT_EQ(fin2.verdict.steps, 4);
    EXPECT_EQ(ack1.verdict.step, 3);
    EXPECT_EQ(ack1.verdict.steps, 4);
    EXPECT_EQ(ack2.verdict.step, 4);
    EXPECT_EQ(ack2.verdict.steps, 4);
    EXPECT_TRUE(d.fsm().simultaneous_close());
    using enum TcpState;
    const std::vector closing{Established, FinWait1, Closing, TimeWait};
    for (const Role who : {Role::Client, Role::Server}) {
        const auto& path = d.path(who);
        ASSERT_GE(path.size(), closing.size()) << to_string(who);
        EXPECT_EQ(std::vector(path.end() - 4, path.end()), closing) << to_string(who);
        EXPECT_FALSE(d.visited(who, FinWait2)) << to_string(who);
    }
    // The client's ACK of the server's FIN passed before the server acknowledged the client's
    // FIN, so the server received it afterwards: said on the server's ACK, with the frame.
    ASSERT_TRUE(ack2.segment.has(AnnotationCode::SentBeforeReceiving));
    for (const auto& a : ack2.segment.notes())
        if (a.code == AnnotationCode::SentBeforeReceiving) {
            EXPECT_EQ(a.related, ack1.segment.frame);
        }
}

// RFC 9293 §3.5 (simultaneous connection synchronization): both sides do an active OPEN
// from CLOSED (the server never listened), each going SYN-SENT -> SYN-RECEIVED ->
// ESTABLISHED. The four segments are steps 1 to 4/4; the first SYN, sent before anything
// shows the open is simultaneous, says 1/3.
TEST(ConnectionFsm, simultaneous_open_goes_from_closed_through_syn_received_in_four_steps) {
    FsmDriver d;
    const auto syn1 = d.client(kSyn, 100, 0);
    const auto syn2 = d.server(kSyn, 500, 0);
    const auto synack1 = d.client(kSyn | kAck, 100, 501);
    const auto synack2 = d.server(kSyn | kAck, 500, 101);
    EXPECT_EQ(syn1.verdict.meaning, SegmentMeaning::ConnectionRequest);
    EXPECT_EQ(syn2.verdict.meaning, SegmentMeaning::SimultaneousSyn);
    EXPECT_TRUE(syn2.segment.has(AnnotationCode::SimultaneousOpen));
    EXPECT_EQ(synack1.verdict.meaning, SegmentMeaning::SimultaneousSynAck);
    EXPECT_EQ(synack2.verdict.meaning, SegmentMeaning::SimultaneousSynAck);
    EXPECT_EQ(syn1.verdict.step, 1);
    EXPECT_EQ(syn1.verdict.steps, 3);
    EXPECT_EQ(syn2.verdict.step, 2);
    EXPECT_EQ(syn2.verdict.steps, 4);
    EXPECT_EQ(synack1.verdict.step, 3);
    EXPECT_EQ(synack1.verdict.steps, 4);
    EXPECT_EQ(synack2.verdict.step, 4);
    EXPECT_EQ(synack2.verdict.steps, 4);
    EXPECT_FALSE(synack1.verdict.handshake_completed);
    EXPECT_TRUE(synack2.verdict.handshake_completed);
    EXPECT_TRUE(d.fsm().simultaneous_open());
    EXPECT_TRUE(d.fsm().handshake_done());
    using enum TcpState;
    const std::vector open{Closed, SynSent, SynReceived, Established};
    EXPECT_EQ(d.path(Role::Client), open);
    EXPECT_EQ(d.path(Role::Server), open);
    EXPECT_FALSE(d.visited(Role::Server, Listen));
}

// ---- Facts of RFC 9293 the state machine must keep (each test names the fact) -------------

namespace {

// TCP timestamps option (RFC 7323 §2.2): NOP, NOP, kind 8, length 10, TSval, TSecr.
Bytes timestamps(std::uint32_t tsval, std::uint32_t tsecr) {
    Bytes b{std::byte{1}, std::byte{1}, std::byte{8}, std::byte{10}};
    for (const std::uint32_t v : {tsval, tsecr})
        for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::byte>((v >> shift) & 0xff));
    return b;
}

TcpSpec with_ts(TcpSpec spec, std::uint32_t tsval, std::uint32_t tsecr) {
    spec.options_bytes = timestamps(tsval, tsecr);
    return spec;
}

// "server FIN-WAIT-1 -> CLOSING" style path of one endpoint over the whole capture.
std::vector<TcpState> path_of(const Harness& h, Role who) {
    std::vector<TcpState> path;
    for (const auto& s : h.sink.segments)
        for (const auto& c : s.state_changes()) {
            if (c.endpoint != who) continue;
            if (path.empty()) path.push_back(c.from);
            EXPECT_EQ(path.back(), c.from) << "frame " << s.frame;
            path.push_back(c.to);
        }
    return path;
}

bool visited(const ConversationSummary& s, Role who, TcpState state) {
    return (s.visited_states[static_cast<std::size_t>(index_of(who))] >> static_cast<unsigned>(state)) & 1u;
}

using enum TcpState;

}  // namespace

// RFC 9293 §3.10.7.1: a SYN to a port nothing listens on meets a CLOSED port, which answers
// with RST. No LISTEN state exists there, so none may be shown or drawn.
TEST(StateFacts, refused_port_is_closed_not_listen) {
    const Peers p;
    Harness h;
    h.send(p.c2s(100, 0, kSyn));
    const auto rst = h.send(p.s2c(0, 101, kRst | kAck));
    h.finish();
    EXPECT_EQ(rst.meaning, SegmentMeaning::Refused);
    for (const auto& c : rst.state_changes()) EXPECT_NE(c.endpoint, Role::Server) << to_string(c.from);
    EXPECT_EQ(path_of(h, Role::Client), (std::vector{Closed, SynSent, Closed}));
    ASSERT_EQ(h.sink.closed.size(), 1u);
    const auto& s = h.sink.closed[0];
    EXPECT_EQ(s.dir[1].final_state, Closed);
    EXPECT_FALSE(visited(s, Role::Server, Listen));
    EXPECT_TRUE(visited(s, Role::Server, Closed));
    const auto listen_close = tcp::edge_id(Listen, Closed);
    ASSERT_TRUE(listen_close);
    EXPECT_EQ(s.observed_edges[1] & (std::uint64_t{1} << *listen_close), 0u);
    for (const auto& t : tcp::transition_table()) {
        if (t.from != Listen) continue;
        EXPECT_EQ(i18n::word(Language::En, t.event).find("no listener"), std::string::npos)
            << "the refusal is no edge from LISTEN";
    }
}

// A listener is proven by its SYN-ACK (RFC 9293 §3.3.2 LISTEN -> SYN-RECEIVED); a SYN
// nobody answers proves nothing: the server's state stays unknown.
TEST(StateFacts, listener_is_shown_only_once_its_syn_ack_proves_it) {
    const Peers p;
    {
        Harness h;
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(500, 101, kSyn | kAck));
        h.finish();
        EXPECT_EQ(path_of(h, Role::Server), (std::vector{Listen, SynReceived}));
        EXPECT_TRUE(visited(h.sink.closed.at(0), Role::Server, Listen));
    }
    {
        Harness h;
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.c2s(100, 0, kSyn));
        h.finish();
        EXPECT_EQ(h.sink.closed.at(0).dir[1].final_state, Unknown);
        EXPECT_FALSE(visited(h.sink.closed.at(0), Role::Server, Listen));
    }
}

// RFC 9293 Figure 7: in a simultaneous open both peers do an active OPEN from CLOSED, and
// each goes SYN-SENT -> SYN-RECEIVED -> ESTABLISHED; the four segments are steps 1-4.
TEST(StateFacts, simultaneous_open_starts_both_peers_closed_and_counts_four_steps) {
    const Peers p;
    Harness h;
    h.send(p.c2s(100, 0, kSyn));
    const auto syn2 = h.send(p.s2c(500, 0, kSyn));
    const auto synack1 = h.send(p.c2s(100, 501, kSyn | kAck));
    const auto synack2 = h.send(p.s2c(500, 101, kSyn | kAck));
    h.finish();
    const std::vector open{Closed, SynSent, SynReceived, Established};
    EXPECT_EQ(path_of(h, Role::Client), open);
    EXPECT_EQ(path_of(h, Role::Server), open);
    EXPECT_EQ(syn2.step, 2);
    EXPECT_EQ(synack1.step, 3);
    EXPECT_EQ(synack2.step, 4);
    EXPECT_EQ(synack2.steps, 4);
    EXPECT_EQ(h.sink.closed.at(0).handshake, HandshakeOutcome::SimultaneousOpen);
}

// Crossing FINs (RFC 9293 §3.6, Figure 13): each side receives the other's FIN in
// FIN-WAIT-1, goes to CLOSING, and to TIME-WAIT on the ACK of its own FIN. The server's ACK
// of the client's FIN echoes the TSval of that FIN, not of the client's later ACK: it was
// sent before that ACK arrived (the shape of samples/simultaneous-close.pcap #8-#11).
TEST(StateFacts, crossing_fins_take_both_sides_through_closing) {
    const Peers p;
    Harness h;
    h.send(with_ts(p.c2s(100, 0, kSyn), 10, 0));
    h.send(with_ts(p.s2c(500, 101, kSyn | kAck), 20, 10));
    h.send(with_ts(p.c2s(101, 501, kAck), 11, 20));
    h.send(with_ts(p.c2s(101, 501, kFin | kAck), 12, 20));             // client FIN
    h.send(with_ts(p.s2c(501, 101, kFin | kAck), 21, 11));             // server FIN, crossing
    h.send(with_ts(p.c2s(102, 502, kAck), 13, 21));                    // client: ACK of the server's FIN
    const auto last = h.send(with_ts(p.s2c(502, 102, kAck), 22, 12));  // echoes the FIN's TSval 12
    h.finish();
    const std::vector closing{Established, FinWait1, Closing, TimeWait};
    EXPECT_EQ(path_of(h, Role::Server), (std::vector{Listen, SynReceived, Established, FinWait1, Closing, TimeWait}));
    auto client = path_of(h, Role::Client);
    ASSERT_GE(client.size(), 4u);
    EXPECT_EQ(std::vector(client.end() - 4, client.end()), closing);
    ASSERT_TRUE(last.has(AnnotationCode::SentBeforeReceiving));
    for (const auto& a : last.notes())
        if (a.code == AnnotationCode::SentBeforeReceiving) {
            EXPECT_EQ(a.related, 6u);  // the client's ACK, frame 6
            EXPECT_EQ(a.a, 1);         // proved by the timestamp echo
            EXPECT_EQ(a.b, 12);
        }
    EXPECT_EQ(h.sink.closed.at(0).close, CloseKind::Simultaneous);
}

// Without timestamps the order of one peer's segments decides: the client's FIN passed
// before its ACK of the server's FIN, so the server received the FIN first (CLOSING), as in
// the hand-made tests/data/lab/simul.pcap #7-#10.
TEST(StateFacts, crossing_fins_without_timestamps_follow_the_peers_segment_order) {
    const Peers p;
    Harness h;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(500, 101, kSyn | kAck));
    h.send(p.c2s(101, 501, kAck));
    h.send(p.c2s(101, 501, kFin | kAck));
    h.send(p.s2c(501, 101, kFin | kAck));
    h.send(p.c2s(102, 502, kAck));
    const auto last = h.send(p.s2c(502, 102, kAck));
    h.finish();
    auto server = path_of(h, Role::Server);
    ASSERT_GE(server.size(), 3u);
    EXPECT_EQ(std::vector(server.end() - 3, server.end()), (std::vector{FinWait1, Closing, TimeWait}));
    ASSERT_TRUE(last.has(AnnotationCode::SentBeforeReceiving));
    for (const auto& a : last.notes())
        if (a.code == AnnotationCode::SentBeforeReceiving) {
            EXPECT_EQ(a.a, 0);  // the order of segments, no echo
        }
}

// The opposite evidence: when the server's ACK echoes the TSval of the client's ACK of the
// server's FIN, it had that ACK already: FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT.
TEST(StateFacts, timestamp_echo_of_the_ack_places_fin_wait_2_first) {
    const Peers p;
    Harness h;
    h.send(with_ts(p.c2s(100, 0, kSyn), 10, 0));
    h.send(with_ts(p.s2c(500, 101, kSyn | kAck), 20, 10));
    h.send(with_ts(p.c2s(101, 501, kAck), 11, 20));
    h.send(with_ts(p.c2s(101, 501, kFin | kAck), 12, 20));
    h.send(with_ts(p.s2c(501, 101, kFin | kAck), 21, 11));
    h.send(with_ts(p.c2s(102, 502, kAck), 13, 21));
    const auto last = h.send(with_ts(p.s2c(502, 102, kAck), 22, 13));
    h.finish();
    auto server = path_of(h, Role::Server);
    ASSERT_GE(server.size(), 3u);
    EXPECT_EQ(std::vector(server.end() - 3, server.end()), (std::vector{FinWait1, FinWait2, TimeWait}));
    EXPECT_FALSE(last.has(AnnotationCode::SentBeforeReceiving));
}

// RFC 9293 §3.10.7.4: the RST bit is checked (second step) before the ACK field (fifth): a
// RST+ACK in FIN-WAIT-1 closes at once, never passing FIN-WAIT-2.
TEST(StateFacts, rst_ack_in_fin_wait_1_goes_straight_to_closed) {
    const Peers p;
    Harness h;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(500, 101, kSyn | kAck));
    h.send(p.c2s(101, 501, kAck));
    h.send(p.c2s(101, 501, kFin | kAck));
    h.send(p.s2c(501, 102, kRst | kAck));
    h.finish();
    EXPECT_EQ(path_of(h, Role::Client), (std::vector{Closed, SynSent, Established, FinWait1, Closed}));
}

// A FIN sent again (same sequence number) repeats the close, it is not a second one: no new
// teardown step, no "closes its own side too".
TEST(StateFacts, retransmitted_fin_is_not_a_second_close) {
    const Peers p;
    Harness h;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(500, 101, kSyn | kAck));
    h.send(p.c2s(101, 501, kAck));
    h.send(p.c2s(101, 501, kFin | kAck));
    h.send(p.s2c(501, 102, kFin | kAck));
    const auto again = h.send(p.c2s(101, 502, kFin | kAck));  // the client's FIN again, acking the server's
    h.finish();
    EXPECT_EQ(again.meaning, SegmentMeaning::FinRetransmitted);
    EXPECT_EQ(again.step, 0);
    for (const auto& s : h.sink.segments)
        if (s.frame != again.frame && s.sender == Role::Client) {
            EXPECT_NE(s.meaning, SegmentMeaning::FinRetransmitted);
        }
}

// FIN, Xmas (FIN-PSH-URG) and null scans: segments without SYN or ACK that no synchronized
// stack sends. They open no connection; a closed port answers with RST (RFC 9293 §3.10.7.1).
TEST(StateFacts, fin_xmas_and_null_probes_are_not_connections) {
    for (const std::uint16_t flags : {std::uint16_t{kFin}, std::uint16_t{kFin | kPsh | kUrg}, std::uint16_t{0}}) {
        const Peers p;
        Harness h;
        const auto probe = h.send(p.c2s(100, 0, flags));
        const auto answer = h.send(p.s2c(0, 101, kRst | kAck));
        h.finish();
        EXPECT_EQ(probe.meaning, SegmentMeaning::Probe) << flags;
        EXPECT_FALSE(probe.has(AnnotationCode::MidStreamStart)) << flags;
        EXPECT_TRUE(probe.state_changes().empty()) << flags;
        EXPECT_EQ(answer.meaning, SegmentMeaning::ProbeReset) << flags;
        EXPECT_TRUE(answer.state_changes().empty()) << flags;
        ASSERT_EQ(h.sink.closed.size(), 1u);
        EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Probe);
        EXPECT_EQ(h.sink.closed[0].close, CloseKind::NeverOpened);
        EXPECT_EQ(h.sink.closed[0].dir[1].final_state, Closed);
    }
}

// Without the ACK bit the acknowledgment field means nothing (RFC 9293 §3.1).
TEST(StateFacts, segment_without_ack_acknowledges_nothing) {
    const Peers p;
    Harness h;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(500, 101, kSyn | kAck));
    h.send(p.c2s(101, 501, kAck));
    const auto bare = h.send(p.c2s(101, 501, 0));
    h.finish();
    EXPECT_EQ(bare.meaning, SegmentMeaning::NoAck);
}

// An ACK scan: a lone bare ACK, answered by a RST whose sequence number is that ACK's
// acknowledgment number and without the ACK bit, the answer RFC 9293 §3.10.7.1-2 gives to an
// ACK that reaches no connection. There was none: the ACK was a probe. The answer does not
// say whether the port listens (a LISTEN socket answers an ACK the same way), so the
// answering side's state stays unknown.
TEST(StateFacts, ack_probe_answered_by_rst_at_its_ack_is_not_a_connection) {
    const Peers p;
    Harness h;
    h.send(p.c2s(100, 5000, kAck));
    const auto answer = h.send(p.s2c(5000, 0, kRst));
    h.finish();
    EXPECT_EQ(answer.meaning, SegmentMeaning::ProbeReset);
    EXPECT_TRUE(answer.state_changes().empty());
    ASSERT_EQ(h.sink.closed.size(), 1u);
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Probe);
    EXPECT_EQ(h.sink.closed[0].close, CloseKind::NeverOpened);
    EXPECT_EQ(h.sink.closed[0].dir[0].final_state, Unknown);
    EXPECT_EQ(h.sink.closed[0].dir[1].final_state, Unknown);
    EXPECT_EQ(h.sink.closed[0].observed_edges[0], 0u);
}

// The same lone ACK answered otherwise is a connection that began before the capture: a RST
// with the ACK bit (not the answer to an ACK), a RST at another sequence number, or data.
TEST(StateFacts, lone_ack_answered_otherwise_is_mid_stream) {
    const Peers p;
    for (const auto& answer : {p.s2c(5000, 100, kRst | kAck), p.s2c(7000, 0, kRst), p.s2c(5000, 100, kAck, 10)}) {
        Harness h;
        h.send(p.c2s(100, 5000, kAck));
        const auto seg = h.send(answer);
        h.finish();
        EXPECT_NE(seg.meaning, SegmentMeaning::ProbeReset) << seg.frame;
        ASSERT_EQ(h.sink.closed.size(), 1u);
        EXPECT_NE(h.sink.closed[0].handshake, HandshakeOutcome::Probe);
    }
}

// A RST that "refuses" a SYN, then a SYN-ACK answering that same SYN, then the client
// completing the handshake and data both ways (an RST injection, as IDS-evasion tests make).
// A TCP that refuses a SYN keeps nothing of it (RFC 9293 §3.10.7.1): the RST and the SYN-ACK
// did not both come from the server's TCP, and the client's ACK of the SYN-ACK shows the RST
// never took effect there. The connection is not "refused", and no transition is illegal.
TEST(StateFacts, syn_ack_after_a_refusal_of_the_same_syn_sets_the_refusal_aside) {
    const Peers p;
    Harness h;
    const std::uint32_t c = 3810062735u, s = 26175u;
    h.send(p.c2s(c, 0, kSyn));
    const auto rst = h.send(p.s2c(0, c + 1, kRst | kAck));
    h.send(p.s2c(0, c + 1, kFin | kAck));
    h.send(p.c2s(c + 1, 0, kRst));
    const auto synack = h.send(p.s2c(s, c + 1, kSyn | kAck));
    const auto ack = h.send(p.c2s(c + 1, s + 1, kAck));
    h.send(p.c2s(c + 1, s + 1, kAck | kPsh, 338));
    h.send(p.s2c(s + 1, c + 339, kAck));
    h.send(p.s2c(s + 1, c + 339, kAck | kPsh, 79));
    h.send(p.c2s(c + 339, s + 80, kAck));
    h.finish();
    EXPECT_EQ(rst.meaning, SegmentMeaning::Refused);
    ASSERT_TRUE(synack.has(AnnotationCode::RefusalContradicted));
    for (const auto& a : synack.notes())
        if (a.code == AnnotationCode::RefusalContradicted) {
            EXPECT_EQ(a.related, rst.frame);
        }
    EXPECT_EQ(synack.meaning, SegmentMeaning::ConnectionAccepted);
    EXPECT_EQ(ack.meaning, SegmentMeaning::HandshakeComplete);
    for (const auto& seg : h.sink.segments) {
        if (seg.frame < synack.frame) continue;
        EXPECT_FALSE(seg.has(AnnotationCode::IllegalTransition)) << seg.frame;
        EXPECT_FALSE(seg.has(AnnotationCode::SegmentAfterReset)) << seg.frame;
        EXPECT_FALSE(seg.has(AnnotationCode::DataAfterReset)) << seg.frame;
    }
    ASSERT_EQ(h.sink.closed.size(), 1u);
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Complete);
    EXPECT_EQ(h.sink.closed[0].close, CloseKind::StillOpen);
    EXPECT_EQ(h.sink.closed[0].dir[0].final_state, Established);
    EXPECT_EQ(h.sink.closed[0].dir[1].final_state, Established);
}

// Without a SYN-ACK for the refused SYN the refusal stands.
TEST(StateFacts, refusal_without_a_later_syn_ack_stands) {
    const Peers p;
    Harness h;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(0, 101, kRst | kAck));
    h.send(p.s2c(900, 102, kSyn | kAck));  // answers another sequence number: not that SYN
    h.finish();
    ASSERT_FALSE(h.sink.closed.empty());
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Refused);
    EXPECT_FALSE(h.sink.segments.back().has(AnnotationCode::RefusalContradicted));
}

// The verdicts a connection's summary gives, straight from the state machine (outcome()):
// each case is the segments as they pass, and the verdicts they must give.
namespace {
struct Passing {
    Role sender;
    std::uint16_t flags;
    std::uint32_t seq;
    std::uint32_t ack;
    std::uint32_t len = 0;
};
constexpr Role C = Role::Client;
constexpr Role S = Role::Server;
// The three-way handshake of FsmDriver::handshake(): client ISN 100, server ISN 500.
const std::vector<Passing> kHandshake = {{C, kSyn, 100, 0}, {S, kSyn | kAck, 500, 101}, {C, kAck, 101, 501}};

std::vector<Passing> after_handshake(std::vector<Passing> rest) {
    std::vector<Passing> all = kHandshake;
    all.insert(all.end(), rest.begin(), rest.end());
    return all;
}

struct OutcomeCase {
    const char* name;
    std::vector<Passing> segments;
    tcp::FsmOutcome expected;
    bool ended_by_rst_or_fin;
};

const OutcomeCase kOutcomeCases[] = {
    // RFC 9293 §3.10.7.1: a SYN to a CLOSED port is answered by RST: refused, never opened,
    // by the server.
    {"refused_port",
     {{C, kSyn, 100, 0}, {S, kRst | kAck, 0, 101}},
     {HandshakeOutcome::Refused, CloseKind::NeverOpened, S},
     true},
    // RFC 9293 §3.10.7.3: a SYN sent again without answer leaves the client in SYN-SENT.
    {"unanswered_syn",
     {{C, kSyn, 100, 0}, {C, kSyn, 100, 0}},
     {HandshakeOutcome::Unanswered, CloseKind::NeverOpened, std::nullopt},
     false},
    // RFC 9293 §3.6 (simultaneous close sequence): crossing FINs, none acknowledged yet.
    {"crossing_fins_unacknowledged",
     after_handshake({{C, kFin | kAck, 101, 501}, {S, kFin | kAck, 501, 101}}),
     {HandshakeOutcome::Complete, CloseKind::ClosingIncomplete, C},
     true},
    // ... then both acknowledged: a simultaneous close, begun by the first FIN to pass.
    {"simultaneous_close",
     after_handshake(
         {{C, kFin | kAck, 101, 501}, {S, kFin | kAck, 501, 101}, {C, kAck, 102, 502}, {S, kAck, 502, 102}}),
     {HandshakeOutcome::Complete, CloseKind::Simultaneous, C},
     true},
    // RFC 9293 §3.10.7.4: a RST in ESTABLISHED aborts the connection; the server resets it
    // after the data it received. A FIN after the RST does not make it a close.
    {"rst_by_server_after_data",
     after_handshake(
         {{C, kAck | kPsh, 101, 501, 20}, {S, kAck, 501, 121}, {S, kRst | kAck, 501, 121}, {C, kFin | kAck, 121, 501}}),
     {HandshakeOutcome::Complete, CloseKind::Reset, S},
     true},
    // RFC 9293 §3.6: CLOSE means "I have no more data to send"; the side that closed may go
    // on receiving. The client's FIN is acknowledged and the server still sends.
    {"half_close",
     after_handshake(
         {{C, kFin | kAck, 101, 501}, {S, kAck, 501, 102}, {S, kAck | kPsh, 501, 102, 300}, {C, kAck, 102, 801}}),
     {HandshakeOutcome::Complete, CloseKind::HalfClosed, C},
     true},
    {"open", kHandshake, {HandshakeOutcome::Complete, CloseKind::StillOpen, std::nullopt}, false},
    // A refusal, and a FIN from the refusing side...
    {"refused_then_fin",
     {{C, kSyn, 100, 0}, {S, kRst | kAck, 0, 101}, {S, kFin | kAck, 0, 101}},
     {HandshakeOutcome::Refused, CloseKind::NeverOpened, S},
     true},
    // ... then a SYN-ACK of the refused SYN. RFC 9293 §3.10.7.1: a TCP that refused a SYN
    // keeps nothing of it, so the SYN-ACK contradicts the refusal; the refusal and the RST
    // and FIN after it are set aside.
    {"refusal_contradicted",
     {{C, kSyn, 100, 0}, {S, kRst | kAck, 0, 101}, {S, kFin | kAck, 0, 101}, {S, kSyn | kAck, 500, 101}},
     {HandshakeOutcome::NoFinalAck, CloseKind::StillOpen, std::nullopt},
     false},
};
}  // namespace

TEST(ConnectionFsm, outcome_gives_the_handshake_and_close_verdicts_of_rfc_9293) {
    for (const auto& c : kOutcomeCases) {
        SCOPED_TRACE(c.name);
        FsmDriver d;
        for (const auto& p : c.segments) d.send(p.sender, p.flags, p.seq, p.ack, p.len);
        const tcp::FsmOutcome o = d.fsm().outcome();
        EXPECT_EQ(o.handshake, c.expected.handshake);
        EXPECT_EQ(o.close, c.expected.close);
        EXPECT_EQ(o.closed_by, c.expected.closed_by);
        EXPECT_EQ(d.fsm().ended_by_rst_or_fin(), c.ended_by_rst_or_fin);
    }
}
