// `--format dot --graph talkers`: who talks to whom. Hosts are vertices, and each edge
// aggregates the connections from one client host to one server endpoint, coloured by how
// they ended. Memory grows with distinct host pairs, not with connections or packets.

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <fmt/format.h>

#include <map>
#include <sstream>

#include "render/conversation_counts.hpp"
#include "i18n/catalogue.hpp"
#include "render/output_buffer.hpp"
#include "render/pictures/text_metrics.hpp"
#include "render/renderers.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;

struct Host {
    std::string address;
};
struct Talk {
    std::uint16_t server_port = 0;
    std::uint64_t connections = 0;
    std::uint64_t graceful = 0;
    std::uint64_t reset = 0;
    std::uint64_t refused_or_unanswered = 0;
    std::uint64_t bytes_to_server = 0;
    std::uint64_t bytes_to_client = 0;
    std::uint64_t retransmissions = 0;
};
using TalkGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Host, Talk>;

class TalkersRenderer final : public EventSink {
public:
    TalkersRenderer(std::FILE* out, Language lang) : out_(out), lang_(lang) {}

    void segment(const AnnotatedSegment&) override {}
    bool wants_segments() const override { return false; }

    void conversation_closed(const ConversationSummary& s) override {
        const auto from = vertex(s.client.addr);
        const auto to = vertex(s.server.addr);
        const auto key = std::make_tuple(from, to, s.server.port);
        auto it = edges_.find(key);
        if (it == edges_.end()) {
            const auto [e, added] = boost::add_edge(from, to, Talk{s.server.port}, graph_);
            (void)added;
            it = edges_.emplace(key, e).first;
        }
        Talk& t = graph_[it->second];
        ++t.connections;
        if (s.close == CloseKind::Graceful || s.close == CloseKind::Simultaneous) ++t.graceful;
        if (s.close == CloseKind::Reset) ++t.reset;
        if (s.close == CloseKind::NeverOpened) ++t.refused_or_unanswered;
        t.bytes_to_server += s.dir[0].unique_bytes;  // each byte once, as everywhere else
        t.bytes_to_client += s.dir[1].unique_bytes;
        t.retransmissions += retransmissions(s);
    }

    void capture_finished(const CaptureSummary& c) override {
        auto vertex_writer = [this](std::ostream& os, TalkGraph::vertex_descriptor v) {
            os << "[label=" << boost::escape_dot_string(graph_[v].address) << "]";
        };
        auto edge_writer = [this](std::ostream& os, TalkGraph::edge_descriptor e) {
            const Talk& t = graph_[e];
            const char* colour =
                t.reset ? "#d62728" : (t.refused_or_unanswered == t.connections ? "#7f7f7f" : "#2ca02c");
            std::string label = i18n::said(lang_, Msg::PicTalkersEdge,
                                           {t.server_port, t.connections, t.bytes_to_server, t.bytes_to_client});
            if (t.reset) label += i18n::said(lang_, Msg::PicTalkersReset, {t.reset});
            if (t.refused_or_unanswered)
                label += i18n::said(lang_, Msg::PicTalkersNeverOpened, {t.refused_or_unanswered});
            if (t.retransmissions) label += i18n::said(lang_, Msg::PicTalkersRetransmissions, {t.retransmissions});
            os << "[label=" << boost::escape_dot_string(label) << ", color=\"" << colour << "\"]";
        };
        auto graph_writer = [this, &c](std::ostream& os) {
            os << "rankdir=LR;\nlabelloc=t;\nlabel="
               << boost::escape_dot_string(i18n::said(lang_, Msg::PicTalkersTitle, {c.conversations}))
               << ";\nnode [shape=box, style=rounded, fontname=\"" << kGraphvizFont << "\"];\nedge [fontname=\""
               << kGraphvizFont << "\", fontsize=9];\n";
        };
        std::ostringstream os;
        boost::write_graphviz(os, graph_, vertex_writer, edge_writer, graph_writer);
        out_.write(os.str());
        out_.flush();
    }

private:
    TalkGraph::vertex_descriptor vertex(const IpAddress& a) {
        auto it = vertices_.find(a);
        if (it != vertices_.end()) return it->second;
        const auto v = boost::add_vertex(Host{a.to_string()}, graph_);
        vertices_.emplace(a, v);
        return v;
    }

    OutputBuffer out_;
    Language lang_;
    TalkGraph graph_;
    std::map<IpAddress, TalkGraph::vertex_descriptor> vertices_;
    std::map<std::tuple<TalkGraph::vertex_descriptor, TalkGraph::vertex_descriptor, std::uint16_t>,
             TalkGraph::edge_descriptor>
        edges_;
};

}  // namespace

std::unique_ptr<EventSink> make_talkers_renderer(std::FILE* out, Language lang) {
    return std::make_unique<TalkersRenderer>(out, lang);
}

}  // namespace tfx::render
