// The DOT state diagram: one digraph, one cluster per connection, the frames on the edges.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "render/pictures/edge_frames.hpp"
#include "tcp/state_graph.hpp"
#include "tfx/render.hpp"
#include "support/drain_file.hpp"

using namespace tfx;

namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// A connection whose client went CLOSED -> SYN-SENT on `syn_frame`.
ConversationSummary client_opened(ConversationId id) {
    ConversationSummary s;
    s.id = id;
    s.visited_states[0] =
        (1u << static_cast<unsigned>(TcpState::Closed)) | (1u << static_cast<unsigned>(TcpState::SynSent));
    s.observed_edges[0] = std::uint64_t{1} << *tcp::edge_id(TcpState::Closed, TcpState::SynSent);
    return s;
}

AnnotatedSegment syn(ConversationId id, FrameIndex frame) {
    AnnotatedSegment seg;
    seg.conversation = id;
    seg.frame = frame;
    seg.changes[0] = StateChange{Role::Client, TcpState::Closed, TcpState::SynSent};
    seg.change_count = 1;
    return seg;
}

std::string render_two_connections(GraphKind kind) {
    std::FILE* f = std::tmpfile();
    {
        RenderOptions o;
        o.graph = kind;
        auto sink = make_renderer(OutputFormat::Dot, f, o);
        sink->capture_started(CaptureInfo{});
        sink->segment(syn(1, 1));
        sink->segment(syn(2, 7));
        sink->conversation_closed(client_opened(1));
        sink->conversation_closed(client_opened(2));
        CaptureSummary c;
        c.conversations = 2;
        sink->capture_finished(c);
    }
    return test::drain(f);
}

}  // namespace

TEST(DotRender, OneDigraphWithAClusterPerConnection) {
    const std::string dot = render_two_connections(GraphKind::States);
    EXPECT_EQ(occurrences(dot, "digraph"), 1u) << dot;
    EXPECT_EQ(occurrences(dot, "subgraph cluster_"), 2u) << dot;
    // CLOSED (1) -> SYN-SENT (3), each connection with its own node ids and frame.
    EXPECT_NE(dot.find("c1_s1 -> c1_s3 [label=\"active OPEN / snd SYN\\nclient #1\""), std::string::npos) << dot;
    EXPECT_NE(dot.find("c2_s1 -> c2_s3 [label=\"active OPEN / snd SYN\\nclient #7\""), std::string::npos) << dot;
}

// Visited states and their RFC 9293 neighbours only: from CLOSED and SYN-SENT, LISTEN,
// SYN-RECEIVED and ESTABLISHED are one edge away; TIME-WAIT and UNKNOWN are not drawn.
TEST(DotRender, StatesScopeShowsNeighboursOnlyAndFullShowsEveryRfcState) {
    const std::string dot = render_two_connections(GraphKind::States);
    for (const char* near : {"c1_s2 ", "c1_s4 ", "c1_s5 "}) EXPECT_NE(dot.find(near), std::string::npos) << near;
    EXPECT_EQ(dot.find("c1_s11 "), std::string::npos) << "TIME-WAIT is two edges away";
    EXPECT_EQ(dot.find("c1_s0 "), std::string::npos) << "no side was in UNKNOWN";
    const std::string full = render_two_connections(GraphKind::Full);
    EXPECT_NE(full.find("c1_s11 "), std::string::npos);
    EXPECT_EQ(full.find("c1_s0 "), std::string::npos) << "UNKNOWN is not an RFC state";
}

TEST(DotRender, FrameListsAreCapped) {
    render::TakenEdge t;
    t.frames = {4, 9, 12};
    t.count = 8;
    EXPECT_EQ(render::frames_label(t), "#4, #9, #12 \u2026 (+5)");
    t.count = 2;
    EXPECT_EQ(render::frames_label(t), "#4, #9");
}
