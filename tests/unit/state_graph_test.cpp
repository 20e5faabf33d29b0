// The RFC 9293 state graph as data: which transitions are edges, the paths between
// states.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "tcp/state_graph.hpp"

using namespace tfx;

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
