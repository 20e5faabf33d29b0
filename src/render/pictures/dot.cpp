// DOT: the RFC 9293 state diagram with the path each endpoint of each connection took.
// One `digraph` per output, one `subgraph cluster_N` per connection (node ids prefixed
// with the connection), so `dot -Tpng` draws the whole capture as one picture. Each edge an
// endpoint took says which frames moved it; the states drawn are those visited plus the
// states one RFC edge away from them (every state with GraphKind::Full).

#include <fmt/format.h>

#include <string>

#include "i18n/catalogue.hpp"
#include "render/pictures/edge_frames.hpp"
#include "render/pictures/text_metrics.hpp"
#include "render/output_buffer.hpp"
#include "render/renderers.hpp"
#include "tcp/state_graph.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;

constexpr std::string_view kUntakenColour = "#b0b0b0";

// A DOT double-quoted string's content: quotes and backslashes escaped.
std::string escaped(std::string_view s) {
    std::string out;
    for (const char ch : s) {
        if (ch == '"' || ch == '\\') out.push_back('\\');
        out.push_back(ch);
    }
    return out;
}

constexpr std::uint32_t bit(TcpState s) { return 1u << static_cast<unsigned>(s); }

// Which states and edges one connection's picture shows.
struct Scope {
    std::uint32_t states = 0;
    std::uint64_t edges = 0;
};

// Visited states, their RFC neighbours and the edges out of a visited state (what else
// each endpoint could have done where it was: the edges into CLOSED from every state would
// otherwise bring the whole diagram back). UNKNOWN is
// the observer's, not the RFC's: drawn only when an endpoint started there, with the edges
// taken out of it.
Scope scope_of(std::uint32_t visited, std::uint64_t taken, bool full) {
    const auto table = tcp::transition_table();
    Scope sc;
    sc.states = full ? ~bit(TcpState::Unknown) & ((1u << kTcpStateCount) - 1) : 0;
    sc.states |= visited;
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto& t = table[i];
        const std::uint64_t edge = std::uint64_t{1} << i;
        if (taken & edge) {
            sc.edges |= edge;
            continue;
        }
        if (t.from == TcpState::Unknown) continue;
        if (full || (visited & bit(t.from))) sc.edges |= edge;
    }
    for (std::size_t i = 0; i < table.size(); ++i)
        if (sc.edges & (std::uint64_t{1} << i)) sc.states |= bit(table[i].from) | bit(table[i].to);
    return sc;
}

std::string node_id(ConversationId conn, TcpState s) { return fmt::format("c{}_s{}", conn, static_cast<int>(s)); }

void write_nodes(std::string& out, ConversationId conn, const Scope& sc, const std::array<std::uint32_t, 2>& visited) {
    for (int v = 0; v < kTcpStateCount; ++v) {
        const auto s = static_cast<TcpState>(v);
        if (!(sc.states & bit(s))) continue;
        const bool by_client = visited[0] & bit(s), by_server = visited[1] & bit(s);
        fmt::format_to(std::back_inserter(out), "  {} [label=\"{}\"", node_id(conn, s), to_string(s));
        if (by_client && by_server)
            fmt::format_to(std::back_inserter(out), ", style=\"filled,striped\", fillcolor=\"{}:{}\", penwidth=2",
                           kClientFill, kServerFill);
        else if (by_client || by_server)
            fmt::format_to(std::back_inserter(out),
                           ", style=\"filled,rounded\", fillcolor=\"{}\", color=\"{}\", penwidth=2",
                           by_client ? kClientFill : kServerFill, by_client ? kClientColour : kServerColour);
        else
            fmt::format_to(std::back_inserter(out), ", color=\"{}\", fontcolor=\"#808080\"", kUntakenColour);
        out += "];\n";
    }
}

void write_edges(std::string& out, ConversationId conn, const Scope& sc, const std::array<std::uint64_t, 2>& observed,
                 const std::vector<TakenEdge>& taken, Language lang) {
    const auto table = tcp::transition_table();
    for (std::size_t i = 0; i < table.size(); ++i) {
        const std::uint64_t edge = std::uint64_t{1} << i;
        if (!(sc.edges & edge)) continue;
        const auto& t = table[i];
        const bool by_client = observed[0] & edge, by_server = observed[1] & edge;
        std::string label = escaped(edge_event(static_cast<int>(i), lang));
        for (const Role who : {Role::Client, Role::Server})
            if (who == Role::Client ? by_client : by_server)
                label += "\\n" + escaped(side_frames_label(taken, static_cast<int>(i), who, lang));
        fmt::format_to(std::back_inserter(out), "  {} -> {} [label=\"{}\"", node_id(conn, t.from), node_id(conn, t.to),
                       label);
        if (by_client && by_server)
            fmt::format_to(std::back_inserter(out), ", color=\"{}:{}\", penwidth=2", kClientColour, kServerColour);
        else if (by_client || by_server)
            fmt::format_to(std::back_inserter(out), ", color=\"{}\", fontcolor=\"{}\", penwidth=2.5",
                           by_client ? kClientColour : kServerColour, by_client ? kClientColour : kServerColour);
        else
            fmt::format_to(std::back_inserter(out), ", color=\"{}\", fontcolor=\"#808080\"", kUntakenColour);
        // Dashed: an application call or an order the wire cannot show, never a path drawn.
        if (!t.observable) out += ", style=dashed";
        out += "];\n";
    }
}

// The legend's words hold no markup characters: they go into the HTML-like label as they are.
std::string legend(Language lang) {
    const auto word = [lang](Msg id) { return i18n::word(lang, id); };
    return fmt::format(
        "  legend [shape=plaintext, label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"2\">"
        "<tr><td colspan=\"2\"><b>{3}</b></td></tr>"
        "<tr><td><font color=\"{0}\">&#9473;&#9473;&#9473;</font></td><td align=\"left\">{4}</td></tr>"
        "<tr><td><font color=\"{1}\">&#9473;&#9473;&#9473;</font></td><td align=\"left\">{5}</td></tr>"
        "<tr><td><font color=\"{0}\">&#9473;</font><font color=\"{1}\">&#9473;&#9473;</font></td>"
        "<td align=\"left\">{6}</td></tr>"
        "<tr><td><font color=\"{2}\">&#9473;&#9473;&#9473;</font></td><td align=\"left\">{7}</td></tr>"
        "<tr><td><font color=\"{2}\">- - -</font></td><td align=\"left\">{8}</td></tr>"
        "<tr><td>#N</td><td align=\"left\">{9}</td></tr>"
        "</table>>];\n",
        kClientColour, kServerColour, kUntakenColour, word(Msg::PicDotLegend), word(Msg::PicDotClientPath),
        word(Msg::PicDotServerPath), word(Msg::PicDotBothSides), word(Msg::PicDotNotTaken), word(Msg::PicDotNotVisible),
        word(Msg::PicDotFrameNumbers));
}

class DotRenderer final : public EventSink {
public:
    DotRenderer(std::FILE* out, bool full, Language lang) : out_(out), full_(full), lang_(lang) {}
    void capture_started(const CaptureInfo& info) override { source_ = info.source; }
    void segment(const AnnotatedSegment& seg) override { log_.record(seg); }
    void conversation_closed(const ConversationSummary& s) override {
        open_graph();
        const auto taken = log_.take(s.id);
        const Scope sc =
            scope_of(s.visited_states[0] | s.visited_states[1], s.observed_edges[0] | s.observed_edges[1], full_);
        std::string out = fmt::format(
            "subgraph cluster_{} {{\n  label=\"{}\";\n", s.id,
            escaped(i18n::said(lang_, Msg::PicDotConnection, {s.id, s.client.to_string(), s.server.to_string()})));
        write_nodes(out, s.id, sc, s.visited_states);
        write_edges(out, s.id, sc, s.observed_edges, taken, lang_);
        out += "}\n";
        out_.write(out);
    }
    void capture_finished(const CaptureSummary& c) override {
        if (c.conversations == 0 && !opened_) {
            open_graph();
            std::string out;
            const Scope sc = scope_of(0, 0, true);
            write_nodes(out, 0, sc, {});
            write_edges(out, 0, sc, {}, {}, lang_);
            out_.write(out);
        }
        open_graph();
        out_.write("}\n");
        out_.flush();
    }

private:
    void open_graph() {
        if (opened_) return;
        opened_ = true;
        out_.print(
            "digraph tcp_states {{\n"
            "rankdir=TB;\nlabelloc=t;\nfontname=\"{0}\";\n"
            "label=\"{1}{2}{3}\";\n"
            "node [shape=box, style=rounded, fontname=\"{0}\"];\n"
            "edge [fontname=\"{0}\", fontsize=9];\n",
            kGraphvizFont, i18n::word(lang_, Msg::PicDotTitle),
            source_.empty() ? std::string_view() : i18n::word(lang_, Msg::PicColon), escaped(source_));
        out_.write(legend(lang_));
    }

    OutputBuffer out_;
    bool full_;
    Language lang_;
    bool opened_ = false;
    std::string source_;
    EdgeFrameLog log_;
};

}  // namespace

std::unique_ptr<EventSink> make_dot_renderer(std::FILE* out, const RenderOptions& o) {
    return std::make_unique<DotRenderer>(out, o.graph == GraphKind::Full, o.language);
}

}  // namespace tfx::render
