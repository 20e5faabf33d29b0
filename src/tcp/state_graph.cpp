#include "tcp/state_graph.hpp"

#include <array>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/range/iterator_range.hpp>
#include <cstdint>

namespace tfx::tcp {
namespace {

using enum TcpState;
using i18n::Msg;

// RFC 9293 §3.3.2 (Figure 5) plus the transitions its event-processing rules (§3.10.7)
// add, plus the observer's "Unknown" entries for connections that started before the
// capture. An endpoint's transition is recorded when the wire shows it: a "snd X" part
// when X is seen, a pure "rcv X" when the segment passes the capture point. A refused SYN
// is no edge: nothing listened, the port was CLOSED before and after (§3.10.7.1).
// Each event's words are the catalogue's: the RFC's own wording in English.
constexpr std::array<TransitionSpec, 33> kTransitions{{
    {Closed, Listen, Msg::EventPassiveOpen, "RFC 9293 §3.3.2", false},
    {Closed, SynSent, Msg::EventActiveOpen, "RFC 9293 §3.3.2"},
    {Listen, SynReceived, Msg::EventRcvSyn, "RFC 9293 §3.3.2"},
    {Listen, SynSent, Msg::EventSend, "RFC 9293 §3.3.2", false},
    {Listen, Closed, Msg::EventCloseListener, "RFC 9293 §3.3.2", false},
    {SynSent, SynReceived, Msg::EventRcvSynSimultaneous, "RFC 9293 §3.3.2"},
    {SynSent, Established, Msg::EventRcvSynAck, "RFC 9293 §3.3.2"},
    {SynSent, Closed, Msg::EventRcvRstRefused, "RFC 9293 §3.10.7.3"},
    {SynReceived, Established, Msg::EventRcvAckOfSyn, "RFC 9293 §3.3.2"},
    {SynReceived, FinWait1, Msg::EventCloseSndFin, "RFC 9293 §3.3.2"},
    {SynReceived, Listen, Msg::EventRcvRstPassive, "RFC 9293 §3.10.7.4"},
    {SynReceived, Closed, Msg::EventAbort, "RFC 9293 §3.10.7.4"},
    {Established, FinWait1, Msg::EventCloseSndFin, "RFC 9293 §3.3.2"},
    {Established, CloseWait, Msg::EventRcvFin, "RFC 9293 §3.3.2"},
    {Established, Closed, Msg::EventAbort, "RFC 9293 §3.10.7.4"},
    {FinWait1, FinWait2, Msg::EventRcvAckOfFin, "RFC 9293 §3.3.2"},
    {FinWait1, Closing, Msg::EventRcvFin, "RFC 9293 §3.3.2"},
    {FinWait1, TimeWait, Msg::EventRcvFinAckOfFin, "RFC 9293 §3.10.7.4", false},
    {FinWait1, Closed, Msg::EventAbort, "RFC 9293 §3.10.7.4"},
    {FinWait2, TimeWait, Msg::EventRcvFin, "RFC 9293 §3.3.2"},
    {FinWait2, Closed, Msg::EventAbort, "RFC 9293 §3.10.7.4"},
    {CloseWait, LastAck, Msg::EventCloseSndFin, "RFC 9293 §3.3.2"},
    {CloseWait, Closed, Msg::EventAbort, "RFC 9293 §3.10.7.4"},
    {Closing, TimeWait, Msg::EventRcvAckOfFin, "RFC 9293 §3.3.2"},
    {Closing, Closed, Msg::EventRcvRst, "RFC 9293 §3.10.7.4"},
    {LastAck, Closed, Msg::EventRcvAckOfFinOrRst, "RFC 9293 §3.3.2"},
    {TimeWait, Closed, Msg::EventTimeWaitTimeout, "RFC 9293 §3.3.2"},
    {Unknown, Established, Msg::EventSynchronizedBefore, "observer"},
    {Unknown, SynSent, Msg::EventSynSentBefore, "observer"},
    {Unknown, SynReceived, Msg::EventSynNotCaptured, "observer"},
    {Unknown, FinWait1, Msg::EventFinPredates, "observer"},
    {Unknown, CloseWait, Msg::EventRcvFinPredates, "observer"},
    {Unknown, Closed, Msg::EventRstPredates, "observer"},
}};
static_assert(kTransitions.size() <= 64, "edge ids must fit a 64-bit set");

struct StateVertex {
    TcpState state{};
};
struct TransitionEdge {
    int id = 0;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, StateVertex, TransitionEdge>;

// Built once from the table; vertex index == TcpState value.
const Graph& graph() {
    static const Graph g = [] {
        Graph built(kTcpStateCount);
        for (int s = 0; s < kTcpStateCount; ++s) built[static_cast<std::size_t>(s)].state = static_cast<TcpState>(s);
        for (std::size_t i = 0; i < kTransitions.size(); ++i) {
            const auto& t = kTransitions[i];
            boost::add_edge(static_cast<std::size_t>(t.from), static_cast<std::size_t>(t.to),
                            TransitionEdge{static_cast<int>(i)}, built);
        }
        return built;
    }();
    return g;
}

// Records each vertex's BFS predecessor so a shortest path can be read back.
class PredecessorRecorder : public boost::default_bfs_visitor {
public:
    explicit PredecessorRecorder(std::vector<std::size_t>& pred) : pred_(&pred) {}
    template <typename Edge, typename G>
    void tree_edge(Edge e, const G& g) const {
        (*pred_)[boost::target(e, g)] = boost::source(e, g);
    }

private:
    std::vector<std::size_t>* pred_;
};

}  // namespace

std::span<const TransitionSpec> transition_table() { return kTransitions; }

std::optional<int> edge_id(TcpState from, TcpState to) {
    // The graph's edges as a from x to table, made from the graph once: the state machine
    // asks at every state change, and boost::edge walks the source's out-edges (~80
    // instructions a call, a few percent of the analysis). The first edge in out-edge order
    // wins, as it does for boost::edge.
    static const auto table = [] {
        constexpr std::int16_t kNoEdge = -1;
        std::array<std::array<std::int16_t, kTcpStateCount>, kTcpStateCount> t{};
        for (auto& row : t) row.fill(kNoEdge);
        const Graph& g = graph();
        for (std::size_t u = 0; u < kTcpStateCount; ++u) {
            for (const auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
                auto& cell = t[u][boost::target(e, g)];
                if (cell == kNoEdge) cell = static_cast<std::int16_t>(g[e].id);
            }
        }
        return t;
    }();
    const auto u = static_cast<std::size_t>(from), v = static_cast<std::size_t>(to);
    if (u >= kTcpStateCount || v >= kTcpStateCount || table[u][v] < 0) return std::nullopt;
    return table[u][v];
}

std::optional<std::vector<TcpState>> missed_states(TcpState from, TcpState to) {
    const auto& g = graph();
    constexpr auto kNone = static_cast<std::size_t>(-1);
    std::vector<std::size_t> pred(boost::num_vertices(g), kNone);
    const auto start = static_cast<std::size_t>(from);
    pred[start] = start;
    boost::breadth_first_search(g, boost::vertex(start, g), boost::visitor(PredecessorRecorder(pred)));
    const auto goal = static_cast<std::size_t>(to);
    if (pred[goal] == kNone || goal == start) return std::nullopt;
    std::vector<TcpState> between;
    for (auto v = pred[goal]; v != start; v = pred[v]) between.insert(between.begin(), static_cast<TcpState>(v));
    return between;
}

}  // namespace tfx::tcp
