// The ladder model on events built in code: one row per segment in capture order, labelled
// with tcpdump's relative numbers (RFC 9293 §3.4: the SYN takes one sequence number, so the
// first data byte is 1), the states each side enters, a row for the bytes before a sequence
// gap, findings as marks, and the row cap. Then the Mermaid and SVG renderers on a segment
// whose payload is markup: no capture byte reaches either output.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "render/pictures/ladder_model.hpp"
#include "render/pictures/ladder_svg.hpp"
#include "tfx/render.hpp"

using namespace tfx;
using namespace tfx::render;
using namespace tfx::tcpflag;

namespace {

Endpoint endpoint(std::uint8_t last, std::uint16_t port) {
    Endpoint e;
    e.addr.version = 4;
    e.addr.bytes = {10, 0, 0, last};
    e.port = port;
    return e;
}

ConversationSummary opening() {
    ConversationSummary s;
    s.id = 7;
    s.client = endpoint(1, 40000);
    s.server = endpoint(2, 80);
    return s;
}

constexpr std::uint32_t kClientIsn = 1000, kServerIsn = 5000;

// A segment of connection 7 with relative numbers computed from the two ISNs.
AnnotatedSegment seg(FrameIndex frame, Role sender, std::uint16_t flags, std::uint32_t rel_seq, std::uint32_t rel_ack,
                     std::uint32_t len = 0) {
    AnnotatedSegment s;
    s.frame = frame;
    s.conversation = 7;
    s.has_tcp = true;
    s.sender = sender;
    const auto c = endpoint(1, 40000), v = endpoint(2, 80);
    s.src = sender == Role::Client ? c : v;
    s.dst = sender == Role::Client ? v : c;
    s.flags = flags;
    s.rel_seq = rel_seq;
    s.rel_ack = rel_ack;
    s.seq = rel_seq + (sender == Role::Client ? kClientIsn : kServerIsn);
    s.ack = rel_ack + (sender == Role::Client ? kServerIsn : kClientIsn);
    s.payload_len = len;
    s.since_start = std::chrono::milliseconds(frame);
    return s;
}

void change(AnnotatedSegment& s, Role who, TcpState from, TcpState to) {
    s.changes[s.change_count++] = StateChange{who, from, to};
}

}  // namespace

TEST(LadderModel, HandshakeRowsCarryDirectionLabelsAndStates) {
    LadderBuilder b(opening(), false);
    auto syn = seg(1, Role::Client, kSyn, 0, 0);
    change(syn, Role::Client, TcpState::Closed, TcpState::SynSent);
    syn.phase = Phase::Handshake;
    syn.step = 1;
    syn.steps = 3;
    b.add(syn);
    auto synack = seg(2, Role::Server, kSyn | kAck, 0, 1);
    change(synack, Role::Server, TcpState::Listen, TcpState::SynReceived);
    b.add(synack);
    auto ack = seg(3, Role::Client, kAck, 1, 1);
    change(ack, Role::Client, TcpState::SynSent, TcpState::Established);
    change(ack, Role::Server, TcpState::SynReceived, TcpState::Established);
    b.add(ack);
    auto data = seg(4, Role::Client, kPsh | kAck, 1, 1, 6);
    data.meaning = SegmentMeaning::Data;
    b.add(data);

    const LadderModel& m = b.model();
    EXPECT_EQ(m.id, 7u);
    EXPECT_EQ(m.initial_state(Role::Client), TcpState::Closed);
    EXPECT_EQ(m.initial_state(Role::Server), TcpState::Listen);
    ASSERT_EQ(m.rows.size(), 4u);
    EXPECT_EQ(m.rows[0].sender, Role::Client);
    EXPECT_EQ(m.rows[0].label, "SYN seq 0");  // no ACK bit: no ack number
    EXPECT_EQ(m.rows[0].note, "handshake 1/3");
    ASSERT_EQ(m.rows[0].state_steps(Role::Client), 1u);
    EXPECT_EQ(m.rows[0].state(Role::Client, 0), TcpState::SynSent);
    EXPECT_EQ(m.rows[0].state_steps(Role::Server), 0u);
    EXPECT_EQ(m.rows[1].sender, Role::Server);
    EXPECT_EQ(m.rows[1].label, "SYN-ACK seq 0 ack 1");
    EXPECT_EQ(m.rows[2].state(Role::Server, 0), TcpState::Established);
    // Bytes 1 to 6, the next is 7: tcpdump's half-open range.
    EXPECT_EQ(m.rows[3].label, "PSH-ACK 1:7(6) ack 1");
    EXPECT_EQ(m.rows[3].label_no_ack, "PSH-ACK 1:7(6)");
    EXPECT_EQ(m.rows[3].label_brief, "PSH-ACK (6)");
    EXPECT_EQ(m.rows[3].note, "data");
    EXPECT_EQ(m.rows[3].time, std::chrono::milliseconds(4));
}

TEST(LadderModel, AbsoluteNumbersAreTheWireNumbers) {
    LadderBuilder b(opening(), true);
    b.add(seg(1, Role::Server, kSyn | kAck, 0, 1));
    EXPECT_EQ(b.model().rows[0].label, "SYN-ACK seq 5000 ack 1001");
}

TEST(LadderModel, SequenceGapAddsTheUnseenSegmentBeforeTheOneAfterIt) {
    LadderBuilder b(opening(), false);
    auto after = seg(9, Role::Client, kAck, 2897, 1, 1448);
    after.add(Annotation{AnnotationCode::LostSegment, 0, 1449, 2897});
    b.add(after);
    const auto& rows = b.model().rows;
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].kind, LadderRow::Kind::NotCaptured);
    EXPECT_EQ(rows[0].frame, 0u);
    EXPECT_EQ(rows[0].sender, Role::Client);
    EXPECT_EQ(rows[0].label, "? 1449:2897(1448)");
    EXPECT_TRUE(rows[0].has(ladder_mark::kNotCaptured));
    EXPECT_EQ(rows[1].frame, 9u);
    EXPECT_EQ(rows[1].note, "after a gap");
}

TEST(LadderModel, FindingsBecomeMarksAndNotes) {
    LadderBuilder b(opening(), false);
    auto again = seg(5, Role::Client, kAck, 1, 1, 100);
    again.add(Annotation{AnnotationCode::Retransmission, 4, 0, 0});
    b.add(again);
    auto dup = seg(6, Role::Server, kAck, 1, 1);
    dup.add(Annotation{AnnotationCode::DuplicateAck, 3, 2, 0});
    b.add(dup);
    auto probe = seg(7, Role::Client, kAck, 101, 1, 1);
    probe.add(Annotation{AnnotationCode::ZeroWindowProbe, 0, 0, 0});
    b.add(probe);
    b.add(seg(8, Role::Server, kRst | kAck, 1, 102));
    const auto& rows = b.model().rows;
    EXPECT_TRUE(rows[0].has(ladder_mark::kRetransmission));
    EXPECT_EQ(rows[0].note, "retransmits #4");
    EXPECT_TRUE(rows[1].has(ladder_mark::kDuplicateAck));
    EXPECT_EQ(rows[1].note, "dup ACK #2 of #3");
    EXPECT_TRUE(rows[2].has(ladder_mark::kWindowProbe));
    EXPECT_TRUE(rows[3].has(ladder_mark::kReset));
    EXPECT_FALSE(rows[3].has(ladder_mark::kRetransmission));
}

TEST(LadderModel, RowsStopAtTheCapAndTheRestIsCounted) {
    LadderBuilder b(opening(), false);
    const std::size_t extra = 5;
    for (std::size_t i = 0; i < LadderModel::kMaxRows + extra; ++i) b.add(seg(i + 1, Role::Client, kAck, 1, 1, 10));
    EXPECT_EQ(b.model().rows.size(), LadderModel::kMaxRows);
    EXPECT_EQ(b.model().not_drawn, extra);
    EXPECT_EQ(b.model().rows.back().frame, LadderModel::kMaxRows);
}

TEST(LadderModel, MalformedFramesAreNotRows) {
    LadderBuilder b(opening(), false);
    AnnotatedSegment bad;
    bad.frame = 3;
    b.add(bad);
    EXPECT_TRUE(b.model().rows.empty());
}

namespace {

// Everything written to `f`, which is then closed.
std::string read_and_close(std::FILE* f) {
    std::string out;
    std::rewind(f);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    std::fclose(f);
    return out;
}

// What a renderer writes for one connection holding one segment with `payload`.
std::string render_one(OutputFormat format, std::string_view payload) {
    std::FILE* f = std::tmpfile();
    {
        RenderOptions o;
        auto r = make_renderer(format, f, o);
        r->capture_started(CaptureInfo{});
        r->conversation_opened(opening());
        auto s = seg(4, Role::Client, kPsh | kAck, 1, 1, static_cast<std::uint32_t>(payload.size()));
        s.payload = {reinterpret_cast<const std::byte*>(payload.data()), payload.size()};
        s.payload_captured = static_cast<std::uint32_t>(payload.size());
        r->segment(s);
        r->conversation_closed(opening());
        CaptureSummary c;
        c.conversations = 1;
        r->capture_finished(c);
    }
    return read_and_close(f);
}

}  // namespace

TEST(LadderRenderers, CaptureBytesNeverReachMermaidOrSvg) {
    constexpr std::string_view kHostile = "</text><script>x</script>#59;%%{init}";
    for (const auto format : {OutputFormat::Mermaid, OutputFormat::Svg, OutputFormat::Ladder}) {
        const std::string out = render_one(format, kHostile);
        EXPECT_EQ(out.find("script"), std::string::npos) << out;
        EXPECT_EQ(out.find("init"), std::string::npos) << out;
        // The label is the segment's numbers: 37 bytes from relative seq 1.
        EXPECT_NE(out.find("PSH-ACK 1:38(37) ack 1"), std::string::npos) << out;
    }
}

TEST(LadderRenderers, SvgOfOneConnectionIsAStandaloneDocumentWithOneArrowPerSegment) {
    LadderBuilder b(opening(), false);
    b.add(seg(1, Role::Client, kSyn, 0, 0));
    b.add(seg(2, Role::Server, kSyn | kAck, 0, 1));
    const std::string svg = ladder_svg(b.model(), LadderSvgOptions{});
    EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_NE(svg.find("<g id=\"conn-7\""), std::string::npos);
    EXPECT_NE(svg.find("data-frame=\"1\""), std::string::npos);
    EXPECT_NE(svg.find("data-frame=\"2\""), std::string::npos);
    EXPECT_EQ(svg.find("data-frame=\"3\""), std::string::npos);
    EXPECT_NE(svg.find("<marker id=\"head-client\""), std::string::npos);
}

TEST(LadderRenderers, SvgDrawsAtMostAThousandConnections) {
    std::FILE* f = std::tmpfile();
    {
        auto r = make_renderer(OutputFormat::Svg, f, RenderOptions{});
        r->capture_started(CaptureInfo{});
        // All open at once, the last to open closing first: the drawing keeps connections
        // 1 to 1000 whatever the order they end in.
        for (ConversationId id = 1; id <= 1002; ++id) {
            auto s = opening();
            s.id = id;
            r->conversation_opened(s);
            auto syn = seg(id, Role::Client, kSyn, 0, 0);
            syn.conversation = id;
            r->segment(syn);
        }
        for (ConversationId id = 1002; id >= 1; --id) {
            auto s = opening();
            s.id = id;
            r->conversation_closed(s);
        }
        CaptureSummary c;
        c.conversations = 1002;
        r->capture_finished(c);
    }
    const std::string out = read_and_close(f);
    std::size_t groups = 0;
    for (std::size_t at = 0; (at = out.find("<g id=\"conn-", at)) != std::string::npos; ++at) ++groups;
    EXPECT_EQ(groups, 1000u);
    EXPECT_NE(out.find("<g id=\"conn-1000\""), std::string::npos);
    EXPECT_EQ(out.find("<g id=\"conn-1001\""), std::string::npos);
    EXPECT_NE(out.find(">2 more connections not drawn</text>"), std::string::npos);
}
