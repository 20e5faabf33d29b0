// The state-diagram SVG (no Graphviz) on samples/simultaneous-close.pcap: both kernels went
// ESTABLISHED -> FIN-WAIT-1 -> CLOSING -> TIME-WAIT (RFC 9293 §3.6, Figure 13), the client
// opened actively (CLOSED -> SYN-SENT -> ESTABLISHED) and the server passively (LISTEN ->
// SYN-RECEIVED -> ESTABLISHED): 5 edges each, 3 of them shared.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "render/pictures/edge_frames.hpp"
#include "render/pictures/state_diagram_svg.hpp"
#include "render/pictures/text_metrics.hpp"
#include "support/play_sample.hpp"
#include "tcp/state_graph.hpp"
#include "tfx/session.hpp"

using namespace tfx;

namespace {

struct Recorder : EventSink {
    render::EdgeFrameLog log;
    std::vector<std::string> svgs;
    std::vector<ConversationSummary> summaries;
    std::vector<std::vector<render::TakenEdge>> taken;
    void segment(const AnnotatedSegment& s) override { log.record(s); }
    void conversation_closed(const ConversationSummary& s) override {
        taken.push_back(log.take(s.id));
        summaries.push_back(s);
        svgs.push_back(render::state_diagram_svg(s, taken.back()));
    }
};

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST(StateDiagramSvg, DrawsEachSidesPathWithItsFrames) {
    Recorder sink;
    ASSERT_TRUE(test::play_sample("simultaneous-close", sink));
    ASSERT_EQ(sink.svgs.size(), 1u);
    const std::string& svg = sink.svgs[0];
    if (const char* keep = std::getenv("TFX_KEEP_STATE_SVG")) std::ofstream(keep) << svg;
    EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
    EXPECT_EQ(occurrences(svg, "class=\"edge taken client\""), 5u) << svg;
    EXPECT_EQ(occurrences(svg, "class=\"edge taken server\""), 5u) << svg;
    EXPECT_NE(svg.find(">client #1</tspan>"), std::string::npos) << "the client's SYN is frame 1";
    EXPECT_NE(svg.find(">server #2</tspan>"), std::string::npos) << "the server's SYN-ACK is frame 2";
    EXPECT_EQ(svg.find(">UNKNOWN<"), std::string::npos) << "both sides were seen from their start";
    EXPECT_EQ(occurrences(svg, "<g class=\"state visited\">"), 8u) << "CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED, "
                                                                      "ESTABLISHED, FIN-WAIT-1, CLOSING, TIME-WAIT";
}

namespace {

struct FrenchRecorder : EventSink {
    render::EdgeFrameLog log;
    std::vector<std::string> svgs;
    void segment(const AnnotatedSegment& s) override { log.record(s); }
    void conversation_closed(const ConversationSummary& s) override {
        svgs.push_back(render::state_diagram_svg(s, log.take(s.id), Language::Fr));
    }
};

// The text of an SVG element's content, its character references read back.
std::string unescaped(std::string s) {
    const std::pair<std::string_view, std::string_view> refs[] = {{"&lt;", "<"},   {"&gt;", ">"},  {"&quot;", "\""},
                                                                  {"&apos;", "'"}, {"&#39;", "'"}, {"&amp;", "&"}};
    for (const auto& [ref, ch] : refs)
        for (auto at = s.find(ref); at != std::string::npos; at = s.find(ref, at + ch.size()))
            s.replace(at, ref.size(), ch);
    return s;
}

// The widths the picture lays its texts out by (tests/browser measures them in a browser).
double estimated_width(const std::string& text, double font_size) { return render::text_width(text, font_size); }

double attribute(const std::string& tag, const std::string& name) {
    const auto at = tag.find(" " + name + "=\"");
    return at == std::string::npos ? 0 : std::stod(tag.substr(at + name.size() + 3));
}

std::string text_attribute(const std::string& tag, const std::string& name) {
    const auto at = tag.find(" " + name + "=\"");
    if (at == std::string::npos) return {};
    const auto from = at + name.size() + 3;
    return tag.substr(from, tag.find('"', from) - from);
}

// Every edge label's and the legend's estimated extent lies inside the SVG's viewBox.
void expect_labels_fit(const std::string& svg, const std::string& context) {
    const std::string head = svg.substr(0, svg.find('>'));
    const auto vb = head.find("viewBox=\"");
    ASSERT_NE(vb, std::string::npos) << context;
    double min_x = 0, min_y = 0, width = 0, height = 0;
    ASSERT_EQ(std::sscanf(head.c_str() + vb + 9, "%lf %lf %lf %lf", &min_x, &min_y, &width, &height), 4);
    std::size_t labels = 0;
    // <tspan x=".." ...>TEXT</tspan> inside <text class="frames" text-anchor="middle|start|end">.
    const std::string frames = "<text class=\"frames\"";
    for (auto label = svg.find(frames); label != std::string::npos; label = svg.find(frames, label + 1)) {
        const std::string anchor = text_attribute(svg.substr(label, svg.find('>', label) - label), "text-anchor");
        const double before = anchor == "start" ? 0 : anchor == "end" ? 1 : 0.5;  // of the width, left of x
        const auto label_end = svg.find("</text>", label);
        for (auto at = svg.find("<tspan x=\"", label); at < label_end; at = svg.find("<tspan x=\"", at + 1)) {
            const auto close = svg.find('>', at), end = svg.find("</tspan>", at);
            const double x = attribute(svg.substr(at, close - at), "x");
            const std::string text = unescaped(svg.substr(close + 1, end - close - 1));
            const double w = estimated_width(text, 10);
            EXPECT_GE(x - before * w, min_x) << context << ": \"" << text << "\" leaves the picture on the left";
            EXPECT_LE(x + (1 - before) * w, min_x + width) << context << ": \"" << text << "\" leaves it on the right";
            ++labels;
        }
    }
    EXPECT_GT(labels, 0u) << context;
    // The legend: one line from x=10, its tspans and the two spaces between them.
    const auto legend = svg.find("<text x=\"10\"");
    ASSERT_NE(legend, std::string::npos) << context;
    std::string line = svg.substr(svg.find('>', legend) + 1);
    line = line.substr(0, line.find("</text>"));
    std::string plain;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '<')
            i = line.find('>', i);
        else
            plain += line[i];
    }
    EXPECT_LE(10 + estimated_width(unescaped(plain), 11), min_x + width) << context << ": " << plain;
}

}  // namespace

// Every French state diagram of the samples keeps its labels ("serveur #8") and its legend
// inside the picture.
TEST(StateDiagramSvg, FrenchLabelsFitTheViewBox) {
    for (const char* sample :
         {"seed-pouet", "simultaneous-close", "simultaneous-open", "half-close", "rst-abort", "refused", "midstream",
          "keepalive", "zero-window", "loss-retrans", "port-reuse", "reorder", "ipv6-handshake"}) {
        FrenchRecorder sink;
        ASSERT_TRUE(test::play_sample(sample, sink)) << sample;
        for (const std::string& svg : sink.svgs) expect_labels_fit(svg, sample);
    }
}

// A label longer than the room beside the right-hand lane: nine frames took the server's
// LAST-ACK -> CLOSED edge, the label "serveur #8, #9, #10 … (+6)" (26 characters, about
// 140 units wide) goes beside the lane, outside the drawing. The picture widens for it, in
// both languages.
TEST(StateDiagramSvg, PictureWidensForALongLabel) {
    Recorder sink;
    ASSERT_TRUE(test::play_sample("seed-pouet", sink));
    ASSERT_EQ(sink.summaries.size(), 1u);
    const auto edge = tcp::edge_id(TcpState::LastAck, TcpState::Closed);
    ASSERT_TRUE(edge.has_value());
    auto taken = sink.taken[0];
    const auto it = std::find_if(taken.begin(), taken.end(), [&](const render::TakenEdge& t) {
        return t.edge == *edge && t.endpoint == Role::Server;
    });
    ASSERT_NE(it, taken.end()) << "the seed's server closes last (frame 8 acknowledges its FIN)";
    it->frames = {8, 9, 10};
    it->count = 9;
    for (const Language lang : {Language::En, Language::Fr}) {
        const std::string svg = render::state_diagram_svg(sink.summaries[0], taken, lang);
        EXPECT_EQ(svg.find("viewBox=\"0 0 760 640\""), std::string::npos) << "the picture is wider than 760";
        expect_labels_fit(svg, lang == Language::Fr ? "fr" : "en");
    }
}

// The edge labels are the transition table's events in the picture's language.
TEST(StateDiagramSvg, EdgeEventsInEachLanguage) {
    EXPECT_EQ(render::edge_event(2, Language::En), "rcv SYN / snd SYN,ACK");
    EXPECT_EQ(render::edge_event(2, Language::Fr), "réception SYN / envoi SYN,ACK");
}

namespace {

struct Box {
    double left, top, right, bottom;
};
struct Segment {
    double x0, y0, x1, y1;
};

// The state boxes (the rounded rectangles) of a diagram.
std::vector<Box> state_boxes(const std::string& svg) {
    std::vector<Box> boxes;
    for (auto at = svg.find("<rect "); at != std::string::npos; at = svg.find("<rect ", at + 1)) {
        const std::string tag = svg.substr(at, svg.find('>', at) - at);
        if (tag.find(" rx=\"6\"") == std::string::npos) continue;
        const double x = attribute(tag, "x"), y = attribute(tag, "y");
        boxes.push_back({x, y, x + attribute(tag, "width"), y + attribute(tag, "height")});
    }
    return boxes;
}

// The straight pieces of every edge's path (the diagram writes M, L, H and V, absolute).
std::vector<Segment> edge_segments(const std::string& svg) {
    std::vector<Segment> out;
    const std::string edge = "<path class=\"edge";
    for (auto at = svg.find(edge); at != std::string::npos; at = svg.find(edge, at + 1)) {
        const std::string d = text_attribute(svg.substr(at, svg.find('>', at) - at), "d");
        double x = 0, y = 0;
        std::size_t i = 0;
        const auto number = [&] {
            std::size_t used = 0;
            const double v = std::stod(d.substr(i), &used);
            i += used;
            while (i < d.size() && d[i] == ' ') ++i;
            return v;
        };
        while (i < d.size()) {
            const char command = d[i++];
            double nx = x, ny = y;
            if (command == 'M' || command == 'L') {
                nx = number();
                ny = number();
            } else if (command == 'H') {
                nx = number();
            } else if (command == 'V') {
                ny = number();
            } else {
                ADD_FAILURE() << "unexpected path command in " << d;
                return out;
            }
            if (command != 'M') out.push_back({x, y, nx, ny});
            x = nx;
            y = ny;
        }
    }
    return out;
}

// Whether the segment passes through the box (Liang–Barsky clipping).
bool crosses(const Segment& s, const Box& b) {
    double t0 = 0, t1 = 1;
    const double dx = s.x1 - s.x0, dy = s.y1 - s.y0;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {s.x0 - b.left, b.right - s.x0, s.y0 - b.top, b.bottom - s.y0};
    for (int k = 0; k < 4; ++k) {
        if (p[k] == 0) {
            if (q[k] < 0) return false;
            continue;
        }
        const double t = q[k] / p[k];
        if (p[k] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
    }
    return t0 < t1;
}

}  // namespace

// No edge runs through a state box, taken or not: a line through LAST-ACK reads as an edge
// into LAST-ACK. Edges start and end on a box's border, sometimes a few units inside it
// (two sides' lines are drawn apart), so only the box's middle band counts.
void expect_no_edge_through_a_box(const std::string& svg, const std::string& context) {
    const auto boxes = state_boxes(svg);
    ASSERT_GE(boxes.size(), 11u) << context;
    const auto segments = edge_segments(svg);
    ASSERT_GT(segments.size(), 30u) << context;
    for (const Segment& s : segments)
        for (const Box& b : boxes) {
            const Box middle{b.left + 10, b.top + 10, b.right - 10, b.bottom - 10};
            EXPECT_FALSE(crosses(s, middle))
                << context << ": the line (" << s.x0 << ", " << s.y0 << ") to (" << s.x1 << ", " << s.y1
                << ") runs through the box at (" << b.left << ", " << b.top << ")";
        }
}

TEST(StateDiagramSvg, NoEdgeRunsThroughAStateBox) {
    for (const char* sample : {"half-close", "simultaneous-close", "rst-abort", "refused", "midstream"}) {
        Recorder sink;
        ASSERT_TRUE(test::play_sample(sample, sink)) << sample;
        for (const std::string& svg : sink.svgs) expect_no_edge_through_a_box(svg, sample);
    }
}

// A capture that starts after a FIN: the client was already in FIN-WAIT-1, the server in
// CLOSE-WAIT. Their edges out of UNKNOWN go round SYN-RECEIVED and ESTABLISHED.
TEST(StateDiagramSvg, EdgesOutOfUnknownGoRoundTheBoxes) {
    ConversationSummary s;
    std::vector<render::TakenEdge> taken;
    const auto take = [&](TcpState from, TcpState to, Role who, FrameIndex frame) {
        const auto edge = tcp::edge_id(from, to);
        ASSERT_TRUE(edge.has_value());
        const int side = who == Role::Client ? 0 : 1;
        s.observed_edges[side] |= std::uint64_t{1} << *edge;
        s.visited_states[side] |= 1u << static_cast<unsigned>(from);
        s.visited_states[side] |= 1u << static_cast<unsigned>(to);
        render::TakenEdge t;
        t.edge = *edge;
        t.endpoint = who;
        t.frames = {frame, 0, 0};
        t.count = 1;
        taken.push_back(t);
    };
    take(TcpState::Unknown, TcpState::FinWait1, Role::Client, 1);
    take(TcpState::Unknown, TcpState::CloseWait, Role::Server, 1);
    for (const Language lang : {Language::En, Language::Fr}) {
        const std::string svg = render::state_diagram_svg(s, taken, lang);
        EXPECT_NE(svg.find(">UNKNOWN<"), std::string::npos);
        expect_no_edge_through_a_box(svg, lang == Language::Fr ? "fr" : "en");
        expect_labels_fit(svg, lang == Language::Fr ? "fr" : "en");
        if (const char* keep = std::getenv("TFX_KEEP_STATE_SVG")) std::ofstream(keep) << svg;
    }
}
