// The connection state machine against the RFC 9293 state graph: every transition the
// code makes must be an edge of the graph, and every observable edge must be reachable
// from some wire scenario.

#include <gtest/gtest.h>

#include <set>

#include "support/session_harness.hpp"
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
        h.send(p.c2s(102, 502, kAck));          // client CLOSING
        h.send(p.s2c(502, 0, kRst));            // RST: CLOSING and FIN-WAIT-2 -> CLOSED
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
    run([&](Harness& h) {
        h.send(p.c2s(1000, 7000, kRst | kAck));
    });
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
            << "edge " << to_string(table[i].from) << " -> " << to_string(table[i].to) << " (" << table[i].event
            << ") is never produced";
    }
}

TEST(StateGraph, RejectsTransitionsThatAreNotEdges) {
    EXPECT_FALSE(tcp::edge_id(TcpState::Closed, TcpState::Established).has_value());
    EXPECT_FALSE(tcp::edge_id(TcpState::TimeWait, TcpState::Established).has_value());
    EXPECT_TRUE(tcp::edge_id(TcpState::SynSent, TcpState::Established).has_value());
}

// edge_id answers from a table made from the graph: for every pair of states, the id of the
// first transition of the table from one to the other (the edge boost::edge finds), or none.
TEST(StateGraph, EdgeIdsAreTheFirstTransitionBetweenEachPairOfStates) {
    const auto transitions = tcp::transition_table();
    int edges = 0;
    for (int from = 0; from < kTcpStateCount; ++from) {
        for (int to = 0; to < kTcpStateCount; ++to) {
            std::optional<int> expected;
            for (std::size_t i = 0; i < transitions.size() && !expected; ++i)
                if (static_cast<int>(transitions[i].from) == from && static_cast<int>(transitions[i].to) == to)
                    expected = static_cast<int>(i);
            EXPECT_EQ(tcp::edge_id(static_cast<TcpState>(from), static_cast<TcpState>(to)), expected)
                << from << " -> " << to;
            edges += expected.has_value();
        }
    }
    EXPECT_GT(edges, 10);
    EXPECT_FALSE(tcp::edge_id(static_cast<TcpState>(kTcpStateCount), TcpState::Closed).has_value());
}

TEST(StateGraph, ExplainsMissedStatesWithTheShortestLegalPath) {
    const auto between = tcp::missed_states(TcpState::Established, TcpState::TimeWait);
    ASSERT_TRUE(between.has_value());
    EXPECT_EQ(between->size(), 1u);  // via FIN-WAIT-1 (RFC 9293 FIN,ACK of FIN)
    EXPECT_EQ(between->front(), TcpState::FinWait1);
    EXPECT_FALSE(tcp::missed_states(TcpState::Closed, TcpState::Unknown).has_value());  // no edge enters UNKNOWN
}

TEST(StateGraph, DotHighlightsTheObservedPath) {
    const auto id = tcp::edge_id(TcpState::Closed, TcpState::SynSent);
    ASSERT_TRUE(id);
    const tcp::ObservedPath path{"client 10.0.0.1:1", std::uint64_t{1} << *id,
                                 (1u << static_cast<unsigned>(TcpState::Closed)) |
                                     (1u << static_cast<unsigned>(TcpState::SynSent))};
    const auto dot = tcp::state_graph_dot("test \"quoted\"", {&path, 1});
    EXPECT_NE(dot.find("digraph"), std::string::npos);
    EXPECT_NE(dot.find("penwidth=2.5"), std::string::npos);
    EXPECT_NE(dot.find("client 10.0.0.1:1"), std::string::npos);
    EXPECT_NE(dot.find("\\\"quoted\\\""), std::string::npos);
}
