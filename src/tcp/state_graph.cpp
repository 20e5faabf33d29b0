#include "tcp/state_graph.hpp"

#include <array>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/range/iterator_range.hpp>
#include <cstdint>
#include <sstream>

namespace tfx::tcp {
namespace {

using enum TcpState;

// RFC 9293 §3.3.2 (Figure 5) plus the transitions its event-processing rules (§3.10.7)
// add, plus the observer's "Unknown" entries for connections that started before the
// capture. An endpoint's transition is recorded when the wire shows it: a "snd X" part
// when X is seen, a pure "rcv X" when the segment passes the capture point. A refused SYN
// is no edge: nothing listened, the port was CLOSED before and after (§3.10.7.1).
constexpr std::array<TransitionSpec, 33> kTransitions{{
    {Closed, Listen, "passive OPEN", "RFC 9293 §3.3.2", false},
    {Closed, SynSent, "active OPEN / snd SYN", "RFC 9293 §3.3.2"},
    {Listen, SynReceived, "rcv SYN / snd SYN,ACK", "RFC 9293 §3.3.2"},
    {Listen, SynSent, "SEND / snd SYN", "RFC 9293 §3.3.2", false},
    {Listen, Closed, "CLOSE (the application closes its listening socket)", "RFC 9293 §3.3.2", false},
    {SynSent, SynReceived, "rcv SYN / snd SYN,ACK (simultaneous open)", "RFC 9293 §3.3.2"},
    {SynSent, Established, "rcv SYN,ACK / snd ACK", "RFC 9293 §3.3.2"},
    {SynSent, Closed, "rcv RST (refused) or CLOSE", "RFC 9293 §3.10.7.3"},
    {SynReceived, Established, "rcv ACK of SYN", "RFC 9293 §3.3.2"},
    {SynReceived, FinWait1, "CLOSE / snd FIN", "RFC 9293 §3.3.2"},
    {SynReceived, Listen, "rcv RST (passive open)", "RFC 9293 §3.10.7.4"},
    {SynReceived, Closed, "rcv RST or snd RST (abort)", "RFC 9293 §3.10.7.4"},
    {Established, FinWait1, "CLOSE / snd FIN", "RFC 9293 §3.3.2"},
    {Established, CloseWait, "rcv FIN / snd ACK", "RFC 9293 §3.3.2"},
    {Established, Closed, "rcv RST or snd RST (abort)", "RFC 9293 §3.10.7.4"},
    {FinWait1, FinWait2, "rcv ACK of FIN", "RFC 9293 §3.3.2"},
    {FinWait1, Closing, "rcv FIN / snd ACK", "RFC 9293 §3.3.2"},
    {FinWait1, TimeWait, "rcv FIN,ACK of FIN / snd ACK", "RFC 9293 §3.10.7.4", false},
    {FinWait1, Closed, "rcv RST or snd RST (abort)", "RFC 9293 §3.10.7.4"},
    {FinWait2, TimeWait, "rcv FIN / snd ACK", "RFC 9293 §3.3.2"},
    {FinWait2, Closed, "rcv RST or snd RST (abort)", "RFC 9293 §3.10.7.4"},
    {CloseWait, LastAck, "CLOSE / snd FIN", "RFC 9293 §3.3.2"},
    {CloseWait, Closed, "rcv RST or snd RST (abort)", "RFC 9293 §3.10.7.4"},
    {Closing, TimeWait, "rcv ACK of FIN", "RFC 9293 §3.3.2"},
    {Closing, Closed, "rcv RST", "RFC 9293 §3.10.7.4"},
    {LastAck, Closed, "rcv ACK of FIN (or an RST)", "RFC 9293 §3.3.2"},
    {TimeWait, Closed, "timeout = 2MSL, or rcv RST", "RFC 9293 §3.3.2"},
    {Unknown, Established, "already synchronized when the capture started", "observer"},
    {Unknown, SynSent, "its SYN was sent before the capture started", "observer"},
    {Unknown, SynReceived, "snd SYN,ACK; the SYN was not captured", "observer"},
    {Unknown, FinWait1, "snd FIN; the connection predates the capture", "observer"},
    {Unknown, CloseWait, "rcv FIN / snd ACK; the connection predates the capture", "observer"},
    {Unknown, Closed, "rcv RST or snd RST; the connection predates the capture", "observer"},
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

std::string quoted(std::string_view s) { return boost::escape_dot_string(std::string(s)); }

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

std::string state_graph_dot(std::string_view title, std::span<const ObservedPath> paths) {
    static constexpr std::array<std::string_view, 4> kColours{"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
    const auto& g = graph();
    auto colour = [](std::size_t p) { return std::string(kColours[p % kColours.size()]); };

    auto graph_writer = [&](std::ostream& out) {
        out << "rankdir=TB;\nlabelloc=t;\nlabel=" << quoted(title) << ";\n";
        out << "node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
        out << "edge [fontname=\"Helvetica\", fontsize=9, color=\"#999999\"];\n";
    };
    auto vertex_writer = [&](std::ostream& out, Graph::vertex_descriptor v) {
        out << "[label=" << quoted(to_string(g[v].state));
        for (std::size_t p = 0; p < paths.size(); ++p) {
            if (paths[p].states & (1u << v)) {
                out << ", penwidth=2, color=\"" << colour(p) << "\"";
                break;
            }
        }
        out << "]";
    };
    auto edge_writer = [&](std::ostream& out, Graph::edge_descriptor e) {
        const int id = g[e].id;
        out << "[label=" << quoted(kTransitions[static_cast<std::size_t>(id)].event);
        // Dashed: an application call or an order the wire cannot show, never a path drawn.
        if (!kTransitions[static_cast<std::size_t>(id)].observable) out << ", style=dashed";
        std::string who;
        for (std::size_t p = 0; p < paths.size(); ++p) {
            if (!(paths[p].edges & (std::uint64_t{1} << id))) continue;
            if (who.empty()) out << ", penwidth=2.5, color=\"" << colour(p) << "\"";
            who += who.empty() ? paths[p].label : ", " + paths[p].label;
        }
        if (!who.empty()) out << ", xlabel=" << quoted(who);
        out << "]";
    };
    std::ostringstream out;
    boost::write_graphviz(out, g, vertex_writer, edge_writer, graph_writer);
    return out.str();
}

}  // namespace tfx::tcp
