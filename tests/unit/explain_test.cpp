// The sentences teach facts: each test names the fact it protects and the source of it
// (RFC 9293 §3.4 for sequence and acknowledgment numbers, RFC 7323 for window scaling,
// RFC 2018 / RFC 2883 for SACK and D-SACK), on exchanges built in code.

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <string>

#include "explain/explain.hpp"
#include "support/session_harness.hpp"
#include "tfx/render.hpp"
#include "support/drain_file.hpp"

using namespace tfx;
using namespace tfx::test;
using namespace tfx::tcpflag;

namespace {

// nop, window scale `shift`.
Bytes wscale(std::uint8_t shift) { return Bytes{std::byte{1}, std::byte{3}, std::byte{3}, std::byte{shift}}; }

// nop, nop, SACK with the given [left, right) blocks.
Bytes sack(std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> blocks) {
    Bytes b{std::byte{1}, std::byte{1}, std::byte{5}, static_cast<std::byte>(2 + 8 * blocks.size())};
    for (const auto& [left, right] : blocks) {
        put_be32(b, left);
        put_be32(b, right);
    }
    return b;
}

// nop, nop, timestamps.
Bytes ts(std::uint32_t value, std::uint32_t echo) {
    Bytes b{std::byte{1}, std::byte{1}, std::byte{8}, std::byte{10}};
    put_be32(b, value);
    put_be32(b, echo);
    return b;
}

TcpSpec with_options(TcpSpec spec, Bytes options) {
    spec.options_bytes = std::move(options);
    return spec;
}

TcpSpec with_window(TcpSpec spec, std::uint16_t window) {
    spec.window = window;
    return spec;
}

std::string summary_text(const ConversationSummary& s) {
    fmt::memory_buffer out;
    explain::append_conversation_explanation(out, s);
    return fmt::to_string(out);
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

// RFC 9293 §3.4: the acknowledgment number is the next sequence number the receiver
// expects; ack 7 acknowledges bytes up to 6.
TEST(ExplainTruth, ack_n_acknowledges_bytes_below_n) {
    Harness h;
    send_seed_exchange(h, Peers{}, 100, 900);
    EXPECT_EQ(explain::explain_segment(h.sink.segments[4]),
              "The server acknowledges the client's bytes up to 6 (ack 7: the next byte it expects).");
}

// A segment's sequence number is that of its first byte: 6 bytes at seq 1 are bytes 1-6.
TEST(ExplainTruth, data_names_the_bytes_it_occupies_not_the_next_number) {
    Harness h;
    send_seed_exchange(h, Peers{}, 100, 900);
    EXPECT_EQ(explain::explain_segment(h.sink.segments[3]),
              "The client sends 6 bytes of data (bytes 1-6; the next is 7), with PSH: deliver to the application now.");
}

// RFC 9293 §3.4: SYN and FIN each occupy one sequence number, which is why the SYN-ACK
// acknowledges ISN+1 and the ACK of a FIN is the FIN's number + 1.
TEST(ExplainTruth, syn_and_fin_each_take_one_sequence_number) {
    Harness h;
    send_seed_exchange(h, Peers{}, 100, 900);
    const auto& s = h.sink.segments;
    EXPECT_TRUE(
        contains(explain::explain_segment(s[0]), "The SYN takes one sequence number (0), so its data starts at 1"))
        << explain::explain_segment(s[0]);
    EXPECT_TRUE(contains(explain::explain_segment(s[1]), "with ack 1 (the SYN took sequence number 0)"))
        << explain::explain_segment(s[1]);
    EXPECT_EQ(explain::explain_segment(s[5]),
              "The client has no more data to send and starts closing its side (FIN); the FIN takes sequence number "
              "7, so its ACK is 8.");
    EXPECT_EQ(explain::explain_segment(s[6]),
              "The server acknowledges the client's FIN (ack 8: the FIN took sequence number 7) and closes its own "
              "side too (FIN); the FIN takes sequence number 1, so its ACK is 2.");
}

// RFC 9293 §3.6: the side that sends the last ACK waits 2 MSL in TIME-WAIT (Linux: 60 s).
TEST(ExplainTruth, time_wait_is_explained_as_two_msl) {
    Harness h;
    send_seed_exchange(h, Peers{}, 100, 900);
    const std::string last = explain::explain_segment(h.sink.segments[7]);
    EXPECT_TRUE(contains(last, "TIME-WAIT for 2 MSL (Linux: 60 s)")) << last;
    EXPECT_TRUE(contains(last, "acknowledge the FIN again if this ACK is lost")) << last;
}

// The SYN-ACK is sent by the listening socket's TCP, before and independently of accept().
TEST(ExplainTruth, syn_ack_is_the_servers_tcp_not_the_applications_accept) {
    Harness h;
    send_seed_exchange(h, Peers{}, 100, 900);
    const std::string synack = explain::explain_segment(h.sink.segments[1]);
    EXPECT_TRUE(contains(synack, "The server's TCP answers with a SYN-ACK")) << synack;
    EXPECT_FALSE(contains(synack, "accepts")) << synack;
}

// RFC 7323 §2.2: the windows of the SYNs are never scaled; from the handshake's ACK on the
// field is multiplied by 2^shift.
TEST(ExplainTruth, window_scaling_starts_after_the_handshake) {
    Harness h;
    const Peers p;
    h.send(with_options(with_window(p.c2s(100, 0, kSyn), 65495), wscale(10)));
    h.send(with_options(with_window(p.s2c(900, 101, kSyn | kAck), 65483), wscale(10)));
    const auto& ack = h.send(with_window(p.c2s(101, 901, kAck), 64));
    EXPECT_EQ(ack.window, 65536U);
    EXPECT_TRUE(
        contains(explain::explain_segment(ack), "Window scaling starts now: win 65536 is the field 64 times 2^10"))
        << explain::explain_segment(ack);
}

// -S: the prose uses the absolute numbers printed beside it.
TEST(ExplainTruth, absolute_numbering_speaks_absolute_numbers) {
    Harness h;
    send_seed_exchange(h, Peers{}, 1000, 5000);
    const auto& s = h.sink.segments;
    EXPECT_EQ(explain::explain_segment(s[4], explain::Numbering::Absolute),
              "The server acknowledges the client's bytes up to 1006 (ack 1007: the next byte it expects).");
    EXPECT_TRUE(contains(explain::explain_segment(s[1], explain::Numbering::Absolute),
                         "with ack 1001 (the SYN took sequence number 1000)"));
    EXPECT_TRUE(
        contains(explain::explain_segment(s[3], explain::Numbering::Absolute), "(bytes 1001-1006; the next is 1007)"));
}

// A capture that starts mid-stream missed the SYNs that set the window scale: the window
// field is the real window divided by an unknown 2^shift (tshark: scaling factor -1).
TEST(ExplainTruth, unknown_window_scale_is_not_presented_as_the_window) {
    Harness h;
    const Peers p;
    const auto& first = h.send(with_window(p.c2s(5000, 7000, kAck | kPsh, 10), 64));
    EXPECT_TRUE(first.window_scale_unknown);
    EXPECT_TRUE(contains(explain::explain_segment(first), "the real window is 64 times 2^shift, shift unknown"))
        << explain::explain_segment(first);
    Harness known;
    send_seed_exchange(known, p, 100, 900);  // SYNs without a scale option: no scaling, and known
    EXPECT_FALSE(known.sink.segments[4].window_scale_unknown);
}

// A FIN that carries data: the last bytes and the close travel together.
TEST(ExplainTruth, fin_carrying_data_says_its_last_bytes_travel_with_it) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(900, 101, kSyn | kAck));
    h.send(p.c2s(101, 901, kAck));
    const auto& fin = h.send(p.c2s(101, 901, kFin | kPsh | kAck, 904));
    EXPECT_EQ(explain::explain_segment(fin),
              "The client has no more data to send and starts closing its side (FIN): its last 904 bytes (bytes "
              "1-904) travel with the FIN, which takes sequence number 905 (its ACK is 906).");
}

// A retransmission is not new data: the first sentence says the bytes are sent again.
TEST(ExplainTruth, retransmission_is_said_to_be_sent_again) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(900, 101, kSyn | kAck));
    h.send(p.c2s(101, 901, kAck));
    h.send(p.c2s(101, 901, kAck | kPsh, 6));
    const auto& again = h.send(p.c2s(101, 901, kAck | kPsh, 6), 300'000);
    EXPECT_EQ(explain::explain_segment(again), "The client sends 6 bytes again (bytes 1-6): a retransmission of #4.");
}

// RFC 9293 §3.4: SYN and FIN take a sequence number and are retransmitted like data; a
// retransmission without payload repeats that flag, not "bytes".
TEST(ExplainTruth, retransmission_without_payload_names_the_flag_it_repeats) {
    const auto resent_text = [](const AnnotatedSegment& seg) {
        for (const auto& a : seg.notes())
            if (a.code == AnnotationCode::Retransmission) return explain::explain_annotation(a, seg);
        return std::string("no retransmission finding");
    };
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    const auto& syn_again = h.send(p.c2s(100, 0, kSyn), 1'000'000);
    EXPECT_TRUE(contains(resent_text(syn_again), ": this SYN was sent before")) << resent_text(syn_again);
    h.send(p.s2c(900, 101, kSyn | kAck));
    const auto& synack_again = h.send(p.s2c(900, 101, kSyn | kAck), 1'000'000);
    EXPECT_TRUE(contains(resent_text(synack_again), ": this SYN-ACK was sent before")) << resent_text(synack_again);
    h.send(p.c2s(101, 901, kAck));
    h.send(p.c2s(101, 901, kAck | kPsh, 6));
    const auto& data_again = h.send(p.c2s(101, 901, kAck | kPsh, 6), 300'000);
    EXPECT_TRUE(contains(resent_text(data_again), ": these bytes were sent before")) << resent_text(data_again);
    h.send(p.c2s(107, 901, kFin | kAck));
    const auto& fin_again = h.send(p.c2s(107, 901, kFin | kAck), 300'000);
    EXPECT_TRUE(contains(resent_text(fin_again), ": this FIN was sent before")) << resent_text(fin_again);
}

// RFC 2018: a duplicate ACK with SACK blocks says which later bytes arrived and which
// earlier ones are still missing.
TEST(ExplainTruth, duplicate_ack_with_sack_names_held_and_missing_bytes) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(900, 101, kSyn | kAck));
    h.send(p.c2s(101, 901, kAck));
    h.send(p.c2s(101, 901, kAck, 100));
    h.send(p.s2c(901, 201, kAck));
    h.send(p.c2s(301, 901, kAck, 100));  // 201-300 never arrives
    h.send(with_options(p.s2c(901, 201, kAck), sack({{401, 501}})));
    const auto& dup = h.send(with_options(p.s2c(901, 201, kAck), sack({{401, 501}})));
    ASSERT_EQ(dup.meaning, SegmentMeaning::DuplicateAck);
    EXPECT_EQ(explain::explain_segment(dup),
              "The server acknowledges 101 again (a duplicate ACK): it holds the client's bytes 301-400 but still "
              "misses bytes 101-300.");
}

// RFC 2883: a first SACK block below the cumulative ACK reports bytes received twice (an
// unneeded retransmission), not missing data.
TEST(ExplainTruth, dsack_block_reports_a_duplicate_not_missing_bytes) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(900, 101, kSyn | kAck));
    h.send(p.c2s(101, 901, kAck));
    h.send(p.c2s(101, 901, kAck, 100));
    h.send(p.s2c(901, 201, kAck));
    h.send(p.c2s(101, 901, kAck, 100), 300'000);  // resent although acknowledged
    const auto& dsack = h.send(with_options(p.s2c(901, 201, kAck), sack({{101, 201}})));
    const std::string text = explain::explain_segment(dsack);
    EXPECT_TRUE(contains(text, "received the client's bytes 1-100 twice (D-SACK, RFC 2883")) << text;
    EXPECT_FALSE(contains(text, "missing")) << text;
    EXPECT_FALSE(contains(text, "misses")) << text;
}

// Zeek's conn_state checks the responder's RST first (RSTR when both sides sent one), while
// "reset by" names the first RST: the summary names both senders, so the two agree.
TEST(ExplainTruth, reset_by_both_sides_names_both_as_zeeks_rstr_does) {
    for (const bool server_answers : {false, true}) {
        Harness h;
        const Peers p;
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(900, 101, kSyn | kAck));
        h.send(p.c2s(101, 901, kAck | kPsh, 10));  // with no payload at all, Zeek says REJ
        h.send(p.s2c(901, 111, kAck));
        h.send(p.c2s(111, 901, kRst | kAck));
        if (server_answers) h.send(p.s2c(901, 111, kRst));
        h.finish();
        ASSERT_EQ(h.sink.closed.size(), 1U);
        const std::string text = summary_text(h.sink.closed[0]);
        EXPECT_EQ(h.sink.closed[0].conn_state, server_answers ? "RSTR" : "RSTO");
        EXPECT_TRUE(contains(text, "reset by the client")) << text;
        EXPECT_EQ(contains(text, "reset by the client, then by the server too"), server_answers) << text;
    }
}

// The RTT of a side's segments comes from the other side's ACKs (a SYN to its SYN-ACK, data
// to its ACK): each side's own numbers, never the ACKing side's, and the SYN counts.
TEST(ExplainTruth, summary_gives_each_sides_segment_rtt_from_the_peers_acks) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(900, 101, kSyn | kAck), 10'000);  // the client's SYN: 10 ms
    h.send(p.c2s(101, 901, kAck), 1'000);          // the server's SYN-ACK: 1 ms
    h.send(p.c2s(101, 901, kAck | kPsh, 10), 1'000);
    h.send(p.s2c(901, 111, kAck), 5'000);  // the client's data: 5 ms
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1U);
    const std::string text = summary_text(h.sink.closed[0]);
    EXPECT_TRUE(contains(text,
                         "client's segments min 5.000 ms, avg 7.500 ms, max 10.000 ms over 2 samples, "
                         "server's segments min 1.000 ms, avg 1.000 ms, max 1.000 ms over 1 sample;"))
        << text;
}

// A half-close is new data from the side that has not closed; resending bytes sent before
// the peer's FIN is not one.
TEST(ExplainTruth, resend_after_the_peers_fin_is_not_a_half_close) {
    for (const bool new_data : {false, true}) {
        Harness h;
        const Peers p;
        h.send(p.c2s(100, 0, kSyn));
        h.send(p.s2c(900, 101, kSyn | kAck));
        h.send(p.c2s(101, 901, kAck));
        h.send(p.s2c(901, 101, kAck | kPsh, 50));
        h.send(p.c2s(101, 951, kFin | kAck));  // the client closes
        if (new_data)
            h.send(p.s2c(951, 102, kAck | kPsh, 50));  // then the server sends more
        else
            h.send(p.s2c(901, 102, kAck | kPsh, 50), 300'000);  // or resends its old bytes
        h.finish();
        ASSERT_EQ(h.sink.closed.size(), 1U);
        EXPECT_EQ(h.sink.closed[0].data_after_close, new_data);
        EXPECT_EQ(contains(summary_text(h.sink.closed[0]), "data flowed after a FIN"), new_data)
            << summary_text(h.sink.closed[0]);
    }
}

// Both ends on the capturing host: the legs of the handshake locate nothing on a path.
TEST(ExplainTruth, loopback_is_one_host_not_a_midpoint) {
    Harness h;
    Peers p;
    p.client = "127.0.0.1";
    p.server = "127.0.0.1";
    p.cport = 52200;
    p.sport = 1025;
    send_seed_exchange(h, p, 100, 900);
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1U);
    const std::string text = summary_text(h.sink.closed[0]);
    EXPECT_TRUE(contains(text, "captured on the host itself")) << text;
    EXPECT_FALSE(contains(text, "between the two hosts")) << text;
    EXPECT_TRUE(explain::on_one_host(Endpoint{}, Endpoint{}));
}

// English plurals: "1 packet", not "1 packets".
TEST(ExplainTruth, one_packet_is_singular) {
    Harness h;
    h.send(Peers{}.c2s(100, 0, kSyn));
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1U);
    const std::string text = summary_text(h.sink.closed[0]);
    EXPECT_TRUE(contains(text, "1 packet (1 from the client, 0 from the server), 0 bytes client to server")) << text;
}

// "bytes" means each sequence number once, everywhere; what the capture carried with the
// retransmissions is named apart.
TEST(ExplainTruth, bytes_count_each_sequence_number_once) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(900, 101, kSyn | kAck));
    h.send(p.c2s(101, 901, kAck));
    h.send(p.c2s(101, 901, kAck | kPsh, 6));
    h.send(p.c2s(101, 901, kAck | kPsh, 6), 300'000);
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1U);
    const auto& s = h.sink.closed[0];
    EXPECT_EQ(s.dir[0].unique_bytes, 6U);
    EXPECT_EQ(s.dir[0].payload_bytes, 12U);
    const std::string text = summary_text(s);
    EXPECT_TRUE(contains(text, "6 bytes client to server (12 payload bytes captured, retransmissions included)"))
        << text;
}

// Interleaved reordering: two gaps open at once, each filled later by an original (its TCP
// timestamp older than the bytes already seen). Both count as reordering, none as loss.
TEST(ExplainTruth, interleaved_gaps_filled_by_originals_count_as_reordering) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(900, 101, kSyn | kAck));
    h.send(p.c2s(101, 901, kAck));
    const auto data = [&](std::uint32_t rel, std::uint32_t tsval) {
        return h.send(with_options(p.c2s(100 + rel, 901, kAck, 100), ts(tsval, 1)), 100);
    };
    data(1, 10);    // bytes 1-100
    data(201, 12);  // gap 101-200
    data(401, 14);  // gap 301-400, two gaps open
    EXPECT_TRUE(data(101, 11).has(AnnotationCode::OutOfOrder));
    EXPECT_TRUE(data(301, 13).has(AnnotationCode::OutOfOrder));
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1U);
    const auto& d = h.sink.closed[0].dir[0];
    EXPECT_EQ(d.gaps_opened, 2U);
    EXPECT_EQ(d.gaps_filled_by_reordering, 2U);
    EXPECT_EQ(d.gaps_filled_by_retransmission, 0U);
    const std::string text = summary_text(h.sink.closed[0]);
    EXPECT_TRUE(contains(text,
                         "2 sequence gaps (lost_segment: a later segment seen first): 2 filled by reordering "
                         "(not lost), 0 by a retransmission, 0 never filled in the capture"))
        << text;
}

namespace {

// What a renderer writes for one closed connection and the capture summary.
std::string render(OutputFormat format, const RenderOptions& options, const ConversationSummary& s,
                   const CaptureSummary& c) {
    std::FILE* f = std::tmpfile();
    {
        auto sink = make_renderer(format, f, options);
        sink->capture_started(CaptureInfo{});
        sink->conversation_closed(s);
        sink->capture_finished(c);
    }
    return drain(f);
}

}  // namespace

// English plurals in the capture summary and the talkers graph: "1 frame", "1 connection".
TEST(ExplainTruth, counts_of_one_are_singular_in_text_and_graph) {
    Harness h;
    h.send(Peers{}.c2s(100, 0, kSyn));
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1U);
    CaptureSummary c;
    c.frames = c.tcp_segments = c.conversations = 1;
    const std::string text = render(OutputFormat::Text, RenderOptions{}, h.sink.closed[0], c);
    EXPECT_TRUE(contains(text, "Capture: 1 frame, 1 TCP segment in 1 connection;")) << text;
    RenderOptions graph;
    graph.graph = GraphKind::Talkers;
    const std::string dot = render(OutputFormat::Dot, graph, h.sink.closed[0], c);
    EXPECT_TRUE(contains(dot, "who talks to whom: 1 connection\"")) << dot;
}

// tshark's "window update" that also carries new SACK blocks: the news is what the receiver
// holds and misses (RFC 2018), not only the window.
TEST(ExplainTruth, window_update_with_new_sack_blocks_names_held_and_missing_bytes) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(900, 101, kSyn | kAck));
    h.send(p.c2s(101, 901, kAck));
    h.send(p.c2s(101, 901, kAck, 100));
    h.send(p.s2c(901, 201, kAck));
    h.send(p.c2s(301, 901, kAck, 100));  // 201-300 never arrives
    const auto& update = h.send(with_window(with_options(p.s2c(901, 201, kAck), sack({{301, 401}})), 60000));
    ASSERT_EQ(update.meaning, SegmentMeaning::WindowUpdate);
    EXPECT_EQ(explain::explain_segment(update),
              "The server repeats its ACK (101) with new SACK blocks: it holds the client's bytes 201-300 but still "
              "misses bytes 101-200.");
}

// The walkthrough shows every segment's sequence number, pure ACKs included (tcpdump omits
// it there), so the sequence space can be followed step by step.
TEST(ExplainTruth, pure_ack_shows_its_sequence_number) {
    Harness h;
    send_seed_exchange(h, Peers{}, 100, 900);
    std::FILE* f = std::tmpfile();
    {
        auto sink = make_renderer(OutputFormat::Text, f, RenderOptions{});
        sink->segment(h.sink.segments[4]);
        sink->capture_finished(CaptureSummary{});
    }
    const std::string text = drain(f);
    EXPECT_TRUE(contains(text, "ACK         seq 1 ack 7 win ")) << text;
}

// RFC 7323 §2.2: a SYN's window is never scaled, so a window update right after the SYN-ACK
// compares the SYN-ACK's window as it is with the scaled window of the next segment
// (a simultaneous open's ACKs showed "grew from 65781760", the SYN-ACK's 64240 shifted by 10).
TEST(ExplainTruth, window_update_after_a_syn_compares_the_syns_unscaled_window) {
    Harness h;
    const Peers p;
    h.send(with_options(with_window(p.c2s(100, 0, kSyn), 65495), wscale(10)));
    h.send(with_options(with_window(p.s2c(900, 101, kSyn | kAck), 65483), wscale(10)));
    h.send(with_window(p.c2s(101, 901, kAck), 64));
    const auto& update = h.send(with_window(p.s2c(901, 101, kAck), 63));
    const Annotation* found = nullptr;
    for (const auto& a : update.notes())
        if (a.code == AnnotationCode::WindowUpdate) found = &a;
    ASSERT_NE(found, nullptr) << explain::explain_segment(update);
    EXPECT_EQ(found->a, 65483);
    EXPECT_EQ(found->b, 63 * 1024);
}

// RFC 2883 on a simultaneous open: the D-SACK block {0:1} with ack 1 reports the peer's SYN
// received twice (its SYN-ACK repeated it), not a data byte 0.
TEST(ExplainTruth, dsack_of_sequence_number_zero_after_a_syn_names_the_syn) {
    Harness h;
    const Peers p;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(900, 0, kSyn));
    h.send(p.c2s(100, 901, kSyn | kAck));
    h.send(p.s2c(900, 101, kSyn | kAck));
    const auto& dsack = h.send(with_options(p.c2s(101, 901, kAck), sack({{900, 901}})));
    const std::string text = explain::explain_segment(dsack);
    EXPECT_TRUE(contains(text, "received the server's SYN (sequence number 0) twice")) << text;
    EXPECT_FALSE(contains(text, "byte 0")) << text;
}

// RFC 9293 §3.10.7.2: a LISTEN socket answers an ACK with <SEQ=SEG.ACK><CTL=RST>, exactly as a
// CLOSED port does (§3.10.7.1): the answer to an ACK probe never proves the port closed.
TEST(ExplainTruth, rst_answering_an_ack_probe_does_not_claim_the_port_closed) {
    const Peers p;
    Harness h;
    h.send(p.c2s(100, 5000, kAck));
    h.send(p.s2c(5000, 0, kRst));
    const std::string text = explain::explain_segment(h.sink.segments[1]);
    EXPECT_TRUE(contains(text, "ACK scan")) << text;
    EXPECT_TRUE(contains(text, "a listening socket answers an ACK the same way")) << text;
    EXPECT_FALSE(contains(text, "CLOSED")) << text;
    EXPECT_FALSE(contains(text, "nothing listens")) << text;
}

// A SYN-ACK that answers a SYN a RST already refused names the RST it contradicts.
TEST(ExplainTruth, syn_ack_after_refusal_names_the_refusal_it_contradicts) {
    const Peers p;
    Harness h;
    h.send(p.c2s(100, 0, kSyn));
    h.send(p.s2c(0, 101, kRst | kAck));
    const auto& synack = h.send(p.s2c(900, 101, kSyn | kAck));
    fmt::memory_buffer out;
    for (const auto& a : synack.notes())
        if (a.code == AnnotationCode::RefusalContradicted) explain::append_annotation_explanation(out, a, synack);
    const std::string text = fmt::to_string(out);
    EXPECT_TRUE(contains(text, "the RST in #2 refused")) << text;
    EXPECT_TRUE(contains(text, "RFC 9293 §3.10.7.1")) << text;
}

TEST(Explain, ClassicSentences) {
    Harness h;
    const Peers p;
    send_seed_exchange(h, p, 1, 2);
    const auto& s = h.sink.segments;
    EXPECT_EQ(explain::explain_segment(s[2]),
              "The client acknowledges the server's SYN: the three-way handshake is complete.");
    EXPECT_EQ(explain::explain_segment(s[3]),
              "The client sends 6 bytes of data (bytes 1-6; the next is 7), with PSH: deliver to the application now.");
    EXPECT_EQ(explain::explain_segment(s[6]),
              "The server acknowledges the client's FIN (ack 8: the FIN took sequence number 7) and closes its own "
              "side too (FIN); the FIN takes sequence number 1, so its ACK is 2.");
    EXPECT_EQ(flags_to_words(s[6].flags), "FIN-ACK");
    EXPECT_EQ(flags_to_words(s[3].flags), "PSH-ACK");
    EXPECT_EQ(flags_to_words(kRst | kAck), "RST-ACK");
    EXPECT_EQ(flags_to_words(0), "none");
}

// A damaged or hostile record can carry any evidence values: the segment count of an
// offloaded segment is ceil(bytes / mss) without overflowing near INT64_MAX.
TEST(Explain, OffloadSegmentCountDoesNotOverflow) {
    Harness h;
    send_seed_exchange(h, Peers{}, 1, 2);
    const Annotation huge{AnnotationCode::SegmentExceedsMss, 0, std::numeric_limits<std::int64_t>::max(), 1000};
    const std::string text = explain::explain_annotation(huge, h.sink.segments[3]);
    EXPECT_TRUE(contains(text, "9223372036854776 segments")) << text;
    const Annotation exact{AnnotationCode::SegmentExceedsMss, 0, 3000, 1000};
    EXPECT_TRUE(contains(explain::explain_annotation(exact, h.sink.segments[3]), "it was 3 segments")) << "3000/1000";
}
