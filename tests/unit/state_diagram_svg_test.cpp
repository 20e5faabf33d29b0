// The state-diagram SVG (no Graphviz) on samples/simultaneous-close.pcap: both kernels went
// ESTABLISHED -> FIN-WAIT-1 -> CLOSING -> TIME-WAIT (RFC 9293 §3.6, Figure 13), the client
// opened actively (CLOSED -> SYN-SENT -> ESTABLISHED) and the server passively (LISTEN ->
// SYN-RECEIVED -> ESTABLISHED): 5 edges each, 3 of them shared.

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "render/pictures/edge_frames.hpp"
#include "render/pictures/state_diagram_svg.hpp"
#include "support/play_sample.hpp"
#include "tfx/session.hpp"

using namespace tfx;

namespace {

struct Recorder : EventSink {
    render::EdgeFrameLog log;
    std::vector<std::string> svgs;
    void segment(const AnnotatedSegment& s) override { log.record(s); }
    void conversation_closed(const ConversationSummary& s) override {
        const auto taken = log.take(s.id);
        svgs.push_back(render::state_diagram_svg(s, taken));
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
