// The RFC 9293 state graph as data: which transitions are edges, the paths between
// states.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "i18n/catalogue.hpp"
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

// Each edge's event in English is RFC 9293's wording (Figure 5 and §3.10.7), and the
// observer's own for connections that started before the capture; in French, a translation
// of every one (the RFC's calls and flags keep their names, the words around them do not).
TEST(StateGraph, EveryEdgeSaysItsEventInTheRfcsWords) {
    using enum TcpState;
    struct Expected {
        TcpState from, to;
        std::string_view english;
    };
    const std::vector<Expected> expected{
        {Closed, Listen, "passive OPEN"},
        {Closed, SynSent, "active OPEN / snd SYN"},
        {Listen, SynReceived, "rcv SYN / snd SYN,ACK"},
        {Listen, SynSent, "SEND / snd SYN"},
        {Listen, Closed, "CLOSE (the application closes its listening socket)"},
        {SynSent, SynReceived, "rcv SYN / snd SYN,ACK (simultaneous open)"},
        {SynSent, Established, "rcv SYN,ACK / snd ACK"},
        {SynSent, Closed, "rcv RST (refused) or CLOSE"},
        {SynReceived, Established, "rcv ACK of SYN"},
        {SynReceived, FinWait1, "CLOSE / snd FIN"},
        {SynReceived, Listen, "rcv RST (passive open)"},
        {SynReceived, Closed, "rcv RST or snd RST (abort)"},
        {Established, FinWait1, "CLOSE / snd FIN"},
        {Established, CloseWait, "rcv FIN / snd ACK"},
        {Established, Closed, "rcv RST or snd RST (abort)"},
        {FinWait1, FinWait2, "rcv ACK of FIN"},
        {FinWait1, Closing, "rcv FIN / snd ACK"},
        {FinWait1, TimeWait, "rcv FIN,ACK of FIN / snd ACK"},
        {FinWait1, Closed, "rcv RST or snd RST (abort)"},
        {FinWait2, TimeWait, "rcv FIN / snd ACK"},
        {FinWait2, Closed, "rcv RST or snd RST (abort)"},
        {CloseWait, LastAck, "CLOSE / snd FIN"},
        {CloseWait, Closed, "rcv RST or snd RST (abort)"},
        {Closing, TimeWait, "rcv ACK of FIN"},
        {Closing, Closed, "rcv RST"},
        {LastAck, Closed, "rcv ACK of FIN (or an RST)"},
        {TimeWait, Closed, "timeout = 2MSL, or rcv RST"},
        {Unknown, Established, "already synchronized when the capture started"},
        {Unknown, SynSent, "its SYN was sent before the capture started"},
        {Unknown, SynReceived, "snd SYN,ACK; the SYN was not captured"},
        {Unknown, FinWait1, "snd FIN; the connection predates the capture"},
        {Unknown, CloseWait, "rcv FIN / snd ACK; the connection predates the capture"},
        {Unknown, Closed, "rcv RST or snd RST; the connection predates the capture"},
    };
    const auto transitions = tcp::transition_table();
    ASSERT_EQ(transitions.size(), expected.size());
    for (std::size_t i = 0; i < transitions.size(); ++i) {
        const auto& t = transitions[i];
        EXPECT_EQ(t.from, expected[i].from) << i;
        EXPECT_EQ(t.to, expected[i].to) << i;
        EXPECT_EQ(i18n::word(Language::En, t.event), expected[i].english) << i;
        EXPECT_FALSE(i18n::word(Language::Fr, t.event).empty()) << i;
        EXPECT_NE(i18n::word(Language::Fr, t.event), expected[i].english) << i;
    }
}
