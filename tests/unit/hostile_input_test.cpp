// Hostile and broken input (docs/robustness.md, "Bad input, named", lists each case and its
// test). Each asserts the annotation the bad frame gets AND that everything else in the
// capture is still analysed correctly: the connection around it completes its handshake,
// closes gracefully and counts its bytes as if the bad frame were not there.
// Frames go through a Session (tests/support/session_harness.hpp); what is about capture
// files (lying record lengths, a file cut mid-record) goes through the command line front
// end, in process, with its stdout and stderr captured.

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "check/rules.hpp"
#include "cli/walkthrough.hpp"
#include "core/saturating.hpp"
#include "support/pcap_writer.hpp"
#include "support/session_harness.hpp"

using namespace tfx;
using namespace tfx::test;
using namespace tfx::tcpflag;

namespace {

constexpr std::uint32_t kClientIsn = 1000;
constexpr std::uint32_t kServerIsn = 5000;

std::size_t count_code(const AnnotatedSegment& s, AnnotationCode code) {
    std::size_t n = 0;
    for (const auto& a : s.notes()) n += a.code == code ? 1U : 0U;
    return n;
}

const Annotation* note(const AnnotatedSegment& s, AnnotationCode code) {
    for (const auto& a : s.notes())
        if (a.code == code) return &a;
    return nullptr;
}

// The good exchange around the bad frame: handshake, 6 bytes client to server and 4 back,
// graceful close (9 frames). `bad` runs after the client's SYN (so the rest of the handshake follows
// it) unless `after_handshake`.
struct Scenario {
    Harness h;
    Peers p;
    FrameIndex bad_frame = 0;

    template <typename Bad>
    void run(Bad&& bad, bool after_handshake = false) {
        h.send(p.c2s(kClientIsn, 0, kSyn));
        if (!after_handshake) inject(bad, 2);
        h.send(p.s2c(kServerIsn, kClientIsn + 1, kSyn | kAck));
        h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck));
        if (after_handshake) inject(bad, 4);
        h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck | kPsh, 6));
        h.send(p.s2c(kServerIsn + 1, kClientIsn + 7, kAck | kPsh, 4));
        h.send(p.c2s(kClientIsn + 7, kServerIsn + 5, kAck));
        h.send(p.c2s(kClientIsn + 7, kServerIsn + 5, kFin | kAck));
        h.send(p.s2c(kServerIsn + 5, kClientIsn + 8, kFin | kAck));
        h.send(p.c2s(kClientIsn + 8, kServerIsn + 6, kAck));
        h.finish();
    }
    template <typename Bad>
    void inject(Bad&& bad, FrameIndex index) {
        bad_frame = index;
        bad(h);
    }

    [[nodiscard]] const AnnotatedSegment& bad_segment() const {
        for (const auto& s : h.sink.segments)
            if (s.frame == bad_frame) return s;
        ADD_FAILURE() << "the bad frame #" << bad_frame << " produced no row";
        static const AnnotatedSegment none{};
        return none;
    }

    // Everything else is analysed as if the bad frame were not there.
    void expect_main_connection_intact() const {
        const ConversationSummary* main = nullptr;
        for (const auto& c : h.sink.closed)
            if (c.client.port == p.cport && c.server.port == p.sport) main = &c;
        ASSERT_NE(main, nullptr) << "the good connection was not reported";
        EXPECT_EQ(main->handshake, HandshakeOutcome::Complete);
        EXPECT_EQ(main->close, CloseKind::Graceful);
        EXPECT_EQ(main->closed_by, Role::Client);
        EXPECT_EQ(main->dir[0].payload_bytes, 6U);
        EXPECT_EQ(main->dir[1].payload_bytes, 4U);
        EXPECT_EQ(main->conn_state, "SF");
        EXPECT_FALSE(main->roles_inferred);
        for (const auto& s : h.sink.segments) {
            if (s.conversation != main->id || s.frame == bad_frame) continue;
            EXPECT_FALSE(s.has(AnnotationCode::Retransmission)) << "frame " << s.frame;
            EXPECT_FALSE(s.has(AnnotationCode::LostSegment)) << "frame " << s.frame;
            EXPECT_FALSE(s.has(AnnotationCode::IllegalTransition)) << "frame " << s.frame;
        }
        EXPECT_TRUE(h.sink.finished);
        EXPECT_EQ(h.sink.capture.frames, 10U);
    }
};

// A frame with the main connection's addresses (server to client, a SYN-ACK as the
// server would send it), built wrong in one place.
TcpSpec synack_spec(const Peers& p) { return p.s2c(kServerIsn, kClientIsn + 1, kSyn | kAck); }

void feed_eth(Harness& h, const Bytes& frame) { h.send_raw(linktype::kEthernet, frame); }

// The three-way handshake, one millisecond between its segments.
void handshake(Harness& h, const Peers& p) {
    h.send(p.c2s(kClientIsn, 0, kSyn));
    h.send(synack_spec(p));
    h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck));
}

void expect_malformed(const Scenario& s, AnnotationCode code) {
    const auto& bad = s.bad_segment();
    EXPECT_FALSE(bad.has_tcp);
    EXPECT_EQ(bad.conversation, 0U);
    EXPECT_EQ(bad.meaning, SegmentMeaning::Undecodable);
    EXPECT_TRUE(bad.has(code)) << "expected " << code_name(code);
    EXPECT_EQ(s.h.sink.capture.malformed, 1U);
    EXPECT_EQ(s.h.sink.closed.size(), 1U);  // a malformed frame starts no connection
}

}  // namespace

// ---- IP header lengths ---------------------------------------------------------------------

TEST(HostileInput, IpHeaderLengthBelowTwenty) {
    Scenario s;
    s.run([&](Harness& h) {
        feed_eth(h, ethernet(ipv4(Ipv4Spec{.src = "10.0.0.2", .dst = "10.0.0.1", .ihl = 4}, kProtoTcp,
                                  tcp(synack_spec(s.p))),
                             kEtherIpv4));
    });
    expect_malformed(s, AnnotationCode::BadIpHeaderLen);
    EXPECT_EQ(note(s.bad_segment(), AnnotationCode::BadIpHeaderLen)->a, 16);
    s.expect_main_connection_intact();
}

TEST(HostileInput, IpHeaderLengthBeyondThePacket) {
    Scenario s;
    s.run([&](Harness& h) {
        feed_eth(h, ethernet(ipv4(Ipv4Spec{.src = "10.0.0.2", .dst = "10.0.0.1", .total_length = 40, .ihl = 15},
                                  kProtoTcp, tcp(synack_spec(s.p))),
                             kEtherIpv4));
    });
    expect_malformed(s, AnnotationCode::BadIpHeaderLen);
    EXPECT_EQ(note(s.bad_segment(), AnnotationCode::BadIpHeaderLen)->a, 60);
    s.expect_main_connection_intact();
}

TEST(HostileInput, IpHeaderLengthBeyondTheCapturedBytes) {
    // IHL 15 (60 bytes) in a frame that ends right after the 20-byte base header.
    Scenario s;
    s.run([&](Harness& h) {
        Bytes ip = ipv4(Ipv4Spec{.src = "10.0.0.2", .dst = "10.0.0.1", .total_length = 60, .ihl = 15}, kProtoTcp, {});
        ip.resize(20);
        feed_eth(h, ethernet(ip, kEtherIpv4));
    });
    const auto& bad = s.bad_segment();
    EXPECT_FALSE(bad.has_tcp);
    EXPECT_TRUE(bad.has(AnnotationCode::BadIpHeaderLen) || bad.has(AnnotationCode::TruncatedFrame) ||
                bad.has(AnnotationCode::BadIpTotalLen));
    s.expect_main_connection_intact();
}

TEST(HostileInput, Ipv4TotalLengthSmallerThanTheHeader) {
    Scenario s;
    s.run([&](Harness& h) {
        feed_eth(h, ethernet(ipv4(Ipv4Spec{.src = "10.0.0.2", .dst = "10.0.0.1", .total_length = 12}, kProtoTcp,
                                  tcp(synack_spec(s.p))),
                             kEtherIpv4));
    });
    expect_malformed(s, AnnotationCode::BadIpTotalLen);
    EXPECT_EQ(note(s.bad_segment(), AnnotationCode::BadIpTotalLen)->a, 12);
    s.expect_main_connection_intact();
}

TEST(HostileInput, Ipv4TotalLengthLargerThanTheCapture) {
    // As Wireshark: flagged, and the segment is still decoded from the bytes present. Here
    // it is the server's real SYN-ACK, so the handshake completes through it.
    Harness h;
    const Peers p;
    h.send(p.c2s(kClientIsn, 0, kSyn));
    feed_eth(h, ethernet(ipv4(Ipv4Spec{.src = "10.0.0.2", .dst = "10.0.0.1", .total_length = 1400}, kProtoTcp,
                              tcp(synack_spec(p))),
                         kEtherIpv4));
    h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck));
    h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck | kPsh, 6));
    h.send(p.s2c(kServerIsn + 1, kClientIsn + 7, kAck));
    h.finish();
    const auto& bad = h.sink.segments[1];
    ASSERT_TRUE(bad.has_tcp);
    EXPECT_EQ(note(bad, AnnotationCode::BadIpTotalLen)->a, 1400);
    EXPECT_EQ(bad.payload_len, 0U);  // from the bytes present, not from the bogus length
    EXPECT_EQ(h.sink.capture.malformed, 0U);
    ASSERT_EQ(h.sink.closed.size(), 1U);
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Complete);
    EXPECT_EQ(h.sink.closed[0].dir[0].payload_bytes, 6U);
    EXPECT_FALSE(h.sink.segments[4].has(AnnotationCode::AckLostSegment));
}

// ---- TCP header length and options --------------------------------------------------------

TEST(HostileInput, TcpDataOffsetBelowFive) {
    Scenario s;
    s.run([&](Harness& h) {
        auto bad = synack_spec(s.p);
        bad.data_offset = 3;
        feed_eth(h, eth_tcp(bad));
    });
    expect_malformed(s, AnnotationCode::BadTcpHeaderLen);
    EXPECT_EQ(note(s.bad_segment(), AnnotationCode::BadTcpHeaderLen)->a, 12);
    s.expect_main_connection_intact();
}

TEST(HostileInput, TcpDataOffsetBeyondThePacket) {
    Scenario s;
    s.run([&](Harness& h) {
        auto bad = synack_spec(s.p);
        bad.data_offset = 15;  // 60 bytes of header in a 20-byte segment
        feed_eth(h, eth_tcp(bad));
    });
    expect_malformed(s, AnnotationCode::BadTcpHeaderLen);
    EXPECT_EQ(note(s.bad_segment(), AnnotationCode::BadTcpHeaderLen)->a, 60);
    s.expect_main_connection_intact();
}

namespace {
// A client ACK after the handshake carrying `options`: a real segment of the connection,
// so the options must be flagged without disturbing the analysis.
void bad_option_case(const Bytes& options, std::int64_t kind, std::int64_t length) {
    Scenario s;
    s.run(
        [&](Harness& h) {
            auto ack = s.p.c2s(kClientIsn + 1, kServerIsn + 1, kAck);
            ack.options_bytes = options;
            h.send(ack);
        },
        /*after_handshake=*/true);
    const auto& bad = s.bad_segment();
    ASSERT_TRUE(bad.has_tcp);
    EXPECT_TRUE(bad.options.malformed);
    const auto* a = note(bad, AnnotationCode::BadTcpOptionLen);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->a, kind);
    EXPECT_EQ(a->b, length);
    EXPECT_EQ(s.h.sink.capture.malformed, 0U);
    s.expect_main_connection_intact();
}
}  // namespace

TEST(HostileInput, TcpOptionLengthZero) { bad_option_case(bytes({2, 0, 5, 0xb4}), 2, 0); }
TEST(HostileInput, TcpOptionLengthOne) { bad_option_case(bytes({8, 1, 0, 0}), 8, 1); }
TEST(HostileInput, TcpOptionLengthPastTheHeader) { bad_option_case(bytes({1, 1, 8, 10}), 8, 10); }
TEST(HostileInput, TcpOptionLengthByteItselfPastTheHeader) { bad_option_case(bytes({1, 1, 1, 8}), 8, -1); }
TEST(HostileInput, SackOptionWithAPartialBlock) {
    // 14 bytes: one whole block and half of a second.
    bad_option_case(bytes({1, 1, 5, 14, 0, 0, 0x03, 0xe9, 0, 0, 0x03, 0xea, 0, 0, 0, 0}), 5, 14);
}

// ---- IPv6 extension headers ------------------------------------------------------------------

namespace {
void ipv6_case(const std::vector<Ipv6Ext>& exts, AnnotationCode code = AnnotationCode::BadIpv6ExtHeader,
               std::optional<std::uint16_t> payload_length = std::nullopt) {
    Scenario s;
    s.p.client = "2001:db8::1";
    s.p.server = "2001:db8::2";
    s.run([&](Harness& h) {
        auto spec = synack_spec(s.p);
        feed_eth(
            h, ethernet(ipv6(Ipv6Spec{.src = spec.src, .dst = spec.dst, .ext = exts, .payload_length = payload_length},
                             kProtoTcp, tcp(spec)),
                        kEtherIpv6));
    });
    expect_malformed(s, code);
    EXPECT_EQ(s.bad_segment().payload_len, 0U);
    s.expect_main_connection_intact();
}
}  // namespace

TEST(HostileInput, Ipv6ExtensionChainThatLoops) {
    // Destination Options pointing to Destination Options, again and again: decode gives up
    // after a bounded number of headers instead of walking them all.
    ipv6_case(std::vector<Ipv6Ext>(64, ext::dest_opts()));
}

TEST(HostileInput, Ipv6ExtensionHeaderRunningPastThePacket) {
    ipv6_case({ext::hop_by_hop(), ext::raw(60, bytes({0, 200, 0, 0, 0, 0, 0, 0}))});
}

TEST(HostileInput, Ipv6PayloadLengthShorterThanItsExtensionHeaders) {
    // 4 bytes of payload length cannot hold an 8-byte Hop-by-Hop header.
    ipv6_case({ext::hop_by_hop()}, AnnotationCode::BadIpv6ExtHeader, 4);
}

// RFC 2675 §3: a Jumbo Payload length must exceed 65535, and thereby covers at least its own
// Hop-by-Hop header. Taken at its word, a length of 0 would end the datagram before the TCP
// header and turn the segment length into 2^64 - 8 (a 4 GiB segment for the analysis).
TEST(HostileInput, JumboLengthBelowTheHopByHopHeader) { ipv6_case({ext::jumbo(0)}, AnnotationCode::BadIpTotalLen, 0); }

TEST(HostileInput, JumboLengthOf65535OrLessIsMalformed) {
    ipv6_case({ext::jumbo(8 + 20)}, AnnotationCode::BadIpTotalLen, 0);
}

TEST(HostileInput, JumboOptionWithANonZeroPayloadLengthIsMalformed) {
    ipv6_case({ext::jumbo(70000)}, AnnotationCode::BadIpTotalLen);
}

TEST(HostileInput, JumboOptionWithAFragmentHeaderIsMalformed) {
    ipv6_case({ext::jumbo(70000), ext::fragment(0, true, 7)}, AnnotationCode::BadIpv6ExtHeader, 0);
}

// ---- overlapping IP fragments -----------------------------------------------------------------

namespace {
// The client's segment `seg` as IPv4 fragments [offset, offset + length) of its bytes.
Bytes client_fragment(const Peers& p, const Bytes& seg, std::uint16_t offset, std::size_t length) {
    const bool last = offset + length >= seg.size();
    const std::span<const std::byte> part(seg.data() + offset, std::min(length, seg.size() - offset));
    return ethernet(ipv4(Ipv4Spec{.src = p.client,
                                  .dst = p.server,
                                  .id = 99,
                                  .dont_fragment = false,
                                  .more_fragments = !last,
                                  .frag_offset = offset},
                         kProtoTcp, part),
                    kEtherIpv4);
}
}  // namespace

// Overlapping fragments whose copies differ: the first copy (at offset 8) says RST, the
// later one says ACK. Which one the server kept is unknowable (Linux drops the datagram),
// so the datagram is a malformed row and the connection goes on as if it were not there.
TEST(HostileInput, OverlappingFragmentsThatDifferAreKeptOutOfTheAnalysis) {
    Scenario s;
    s.run(
        [&](Harness& h) {
            const Bytes benign = tcp(s.p.c2s(kClientIsn + 1, kServerIsn + 1, kAck, 8));
            const Bytes reset = tcp(s.p.c2s(kClientIsn + 1, kServerIsn + 1, kRst | kAck, 8));
            feed_eth(h, client_fragment(s.p, reset, 8, 16));
            feed_eth(h, client_fragment(s.p, benign, 0, 16));
            feed_eth(h, client_fragment(s.p, benign, 24, 4));
            s.bad_frame = 6;  // the fragment that completes the datagram
        },
        true);
    const auto& bad = s.bad_segment();
    EXPECT_FALSE(bad.has_tcp);
    EXPECT_EQ(bad.conversation, 0U);
    EXPECT_EQ(bad.meaning, SegmentMeaning::Undecodable);
    ASSERT_NE(note(bad, AnnotationCode::IpReassembled), nullptr);
    EXPECT_EQ(note(bad, AnnotationCode::IpReassembled)->a, 3);
    EXPECT_GT(note(bad, AnnotationCode::IpReassembled)->b, 0);
    ASSERT_EQ(s.h.sink.closed.size(), 1U);
    const auto& main = s.h.sink.closed[0];
    EXPECT_EQ(main.close, CloseKind::Graceful);
    EXPECT_EQ(main.dir[0].payload_bytes, 6U);
    EXPECT_EQ(main.conn_state, "SF");
}

TEST(HostileInput, OverlappingFragmentsThatAgreeAreReassembled) {
    // A duplicated fragment (identical copy) is harmless: the datagram is analysed.
    Harness h;
    const Peers p;
    handshake(h, p);
    const Bytes data = tcp(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck | kPsh, 8));
    feed_eth(h, client_fragment(p, data, 8, 16));
    feed_eth(h, client_fragment(p, data, 0, 16));
    feed_eth(h, client_fragment(p, data, 24, 4));
    h.send(p.s2c(kServerIsn + 1, kClientIsn + 9, kAck));
    h.finish();
    const auto& whole = h.sink.segments[5];
    ASSERT_TRUE(whole.has_tcp);
    EXPECT_EQ(note(whole, AnnotationCode::IpReassembled)->b, 0);
    EXPECT_EQ(h.sink.capture.malformed, 0U);
    ASSERT_EQ(h.sink.closed.size(), 1U);
    EXPECT_EQ(h.sink.closed[0].dir[0].payload_bytes, 8U);
}

// ---- frame lengths ----------------------------------------------------------------------------

TEST(HostileInput, ZeroLengthFrame) {
    Scenario s;
    s.run([&](Harness& h) { feed_eth(h, Bytes{}); });
    expect_malformed(s, AnnotationCode::TruncatedFrame);
    s.expect_main_connection_intact();
}

TEST(HostileInput, ZeroLengthFrameOnEveryLinkType) {
    for (const int link : {0, 1, 9, 12, 14, 101, 104, 105, 108, 113, 127, 228, 229, 239, 276}) {
        Scenario s;
        s.run([&](Harness& h) { h.send_raw(link, Bytes{}); });
        EXPECT_FALSE(s.bad_segment().has_tcp && s.bad_segment().conversation != 0) << link;
        s.expect_main_connection_intact();
    }
}

TEST(HostileInput, OverLongFrameWithTrailingBytes) {
    // A 1 MiB frame (beyond any snaplen) whose IP header says 40 bytes: the rest is trailer
    // (as Ethernet padding is), not payload.
    Scenario s;
    s.run(
        [&](Harness& h) {
            Bytes frame = eth_tcp(s.p.c2s(kClientIsn + 1, kServerIsn + 1, kAck));
            frame.resize(1U << 20, std::byte{0xee});
            feed_eth(h, frame);
        },
        /*after_handshake=*/true);
    const auto& bad = s.bad_segment();
    ASSERT_TRUE(bad.has_tcp);
    EXPECT_EQ(bad.payload_len, 0U);
    EXPECT_EQ(bad.captured_len, 1U << 20);
    EXPECT_EQ(s.h.sink.capture.malformed, 0U);
    s.expect_main_connection_intact();
}

TEST(HostileInput, CaplenGreaterThanWirelen) {
    // Through the public Session directly: the harness always sets wirelen = caplen.
    const Peers p;
    CollectingSink sink;
    Session session(Options{}, sink);
    session.start(CaptureInfo{});
    std::int64_t second = 0;
    auto feed = [&](const Bytes& bytes, std::uint32_t wirelen) {
        RawFrame raw;
        raw.index = static_cast<FrameIndex>(second + 1);
        raw.ts = Timestamp{std::chrono::seconds(1'700'000'000 + second++)};
        raw.link_type = linktype::kEthernet;
        raw.caplen = static_cast<std::uint32_t>(bytes.size());
        raw.wirelen = wirelen;
        raw.data = bytes;
        session.feed(raw);
    };
    const Bytes syn = eth_tcp(p.c2s(kClientIsn, 0, kSyn));
    const Bytes synack = eth_tcp(synack_spec(p));
    const Bytes ack = eth_tcp(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck));
    feed(syn, static_cast<std::uint32_t>(syn.size()));
    feed(synack, 20);  // the record claims fewer bytes on the wire than it stores
    feed(ack, static_cast<std::uint32_t>(ack.size()));
    session.finish();
    ASSERT_EQ(sink.segments.size(), 3U);
    const auto* a = note(sink.segments[1], AnnotationCode::CaplenExceedsWirelen);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->a, static_cast<std::int64_t>(synack.size()));
    EXPECT_EQ(a->b, 20);
    EXPECT_TRUE(sink.segments[1].has_tcp);
    ASSERT_EQ(sink.closed.size(), 1U);
    EXPECT_EQ(sink.closed[0].handshake, HandshakeOutcome::Complete);
}

// ---- time and sequence numbers ---------------------------------------------------------------

TEST(HostileInput, TimestampsGoingBackwards) {
    Harness h;
    const Peers p;
    h.send(p.c2s(kClientIsn, 0, kSyn));
    h.send(p.s2c(kServerIsn, kClientIsn + 1, kSyn | kAck), 1'000'000);
    const auto& back = h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck), -5'000'000);  // 5 s back
    ASSERT_TRUE(back.has(AnnotationCode::TimestampBackwards));
    EXPECT_EQ(count_code(back, AnnotationCode::TimestampBackwards), 1U) << "annotated once, not once per layer";
    EXPECT_EQ(note(back, AnnotationCode::TimestampBackwards)->a, 5'000'000'000);
    h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck | kPsh, 6), 6'000'000);
    h.send(p.s2c(kServerIsn + 1, kClientIsn + 7, kAck));
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1U);
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Complete);
    EXPECT_EQ(h.sink.closed[0].count(AnnotationCode::TimestampBackwards), 1U);
    EXPECT_EQ(h.sink.closed[0].dir[0].payload_bytes, 6U);
}

TEST(HostileInput, TimestampsGoingBackwardsDoNotExpireLiveConnections) {
    // A clock jump back then forward by less than the timeouts expires nothing.
    Options o;
    o.handshake_timeout = std::chrono::seconds(10);
    Harness h(o);
    const Peers p;
    h.send(p.c2s(kClientIsn, 0, kSyn));
    h.send(p.s2c(kServerIsn, kClientIsn + 1, kSyn | kAck), -3'600'000'000LL);  // an hour back
    h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck), 3'600'000'000LL + 1000);
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1U);
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Complete);
    EXPECT_EQ(h.sink.capture.expired, 0U);
}

TEST(HostileInput, SequenceNumbersWrapMidConnection) {
    Harness h;
    const Peers p;
    const std::uint32_t c = 0xFFFFFF00U, sv = 0xFFFFFFF0U;
    h.send(p.c2s(c, 0, kSyn));
    h.send(p.s2c(sv, c + 1, kSyn | kAck));
    h.send(p.c2s(c + 1, sv + 1, kAck));
    std::uint32_t cs = c + 1, ss = sv + 1;
    for (int i = 0; i < 6; ++i) {  // both directions cross 2^32
        const auto& d = h.send(p.c2s(cs, ss, kAck | kPsh, 100));
        EXPECT_EQ(d.rel_seq, 1U + 100U * static_cast<unsigned>(i));
        EXPECT_FALSE(d.has(AnnotationCode::Retransmission));
        EXPECT_FALSE(d.has(AnnotationCode::OutOfOrder));
        cs += 100;
        const auto& r = h.send(p.s2c(ss, cs, kAck | kPsh, 10));
        EXPECT_EQ(r.rel_ack, 1U + 100U * static_cast<unsigned>(i + 1));
        EXPECT_FALSE(r.has(AnnotationCode::AckLostSegment));
        ss += 10;
    }
    h.send(p.c2s(cs, ss, kFin | kAck));
    h.send(p.s2c(ss, cs + 1, kFin | kAck));
    h.send(p.c2s(cs + 1, ss + 1, kAck));
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1U);
    const auto& sum = h.sink.closed[0];
    EXPECT_EQ(sum.close, CloseKind::Graceful);
    EXPECT_EQ(sum.dir[0].payload_bytes, 600U);
    EXPECT_EQ(sum.dir[1].payload_bytes, 60U);
    EXPECT_EQ(sum.count(AnnotationCode::Retransmission), 0U);
    EXPECT_EQ(sum.count(AnnotationCode::LostSegment), 0U);
}

TEST(HostileInput, HandshakeLegsSpanningCenturiesDoNotOverflow) {
    // Found by fuzz_capture_file (tests/fuzz/regressions/capture_file/ubsan-vantage-ratio-overflow.pcap):
    // pcap timestamps span 136 years, so a handshake leg can be ~4e18 ns; the vantage-point
    // ratio test multiplied it by 4 in int64 (UB; in release builds, a wrong verdict).
    // Run in a child process: under UBSan the overflow aborts.
    EXPECT_EXIT(
        {
            Options o;
            o.handshake_timeout = std::chrono::hours(24 * 365 * 200);  // nothing expires meanwhile
            Harness h(o);
            const Peers p;
            h.send(p.c2s(kClientIsn, 0, kSyn));
            h.send(p.s2c(kServerIsn, kClientIsn + 1, kSyn | kAck), 1000);                          // 1 ms
            h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck), 100LL * 365 * 86400 * 1'000'000);  // 100 years
            h.finish();
            const auto& c = h.sink.closed.at(0);
            const bool ok = c.handshake == HandshakeOutcome::Complete && c.vantage == VantagePoint::NearServer;
            std::exit(ok ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "");
}

namespace {
// Runs in the death-test child: exits 0 when every difference was computed without wrapping.
// A handshake at the three given times (in any order: the clock never goes back, the
// segments keep their own times), then the end of the capture; exits 0 when every segment
// and `connections` connections came out, and the backwards notes saturated rather than
// wrapped.
[[noreturn]] void feed_extreme_timestamps(Timestamp syn, Timestamp synack, Timestamp ack, std::size_t connections) {
    const Peers p;
    CollectingSink sink;
    Session session(Options{}, sink);
    session.start(CaptureInfo{});
    const std::vector<std::pair<Bytes, Timestamp>> frames = {
        {eth_tcp(p.c2s(kClientIsn, 0, kSyn)), syn},
        {eth_tcp(p.s2c(kServerIsn, kClientIsn + 1, kSyn | kAck)), synack},
        {eth_tcp(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck)), ack},
    };
    FrameIndex i = 1;
    for (const auto& [bytes, ts] : frames) {
        RawFrame raw;
        raw.index = i++;
        raw.ts = ts;
        raw.caplen = raw.wirelen = static_cast<std::uint32_t>(bytes.size());
        raw.data = bytes;
        session.feed(raw);
    }
    session.finish();
    bool ok = sink.segments.size() == 3 && sink.closed.size() == connections;
    for (std::size_t k = 1; ok && k < 3; ++k) {
        if (frames[k].second >= frames[k - 1].second) continue;
        const auto* back = note(sink.segments[k], AnnotationCode::TimestampBackwards);
        ok = back != nullptr && back->a > 0;  // saturated, never wrapped to a negative count
    }
    std::exit(ok ? 0 : 1);
}
}  // namespace

TEST(HostileInput, ExtremeTimestampsDoNotOverflow) {
    // Found by fuzz_capture_file (tests/fuzz/regressions/capture_file/ubsan-timestamp-difference-overflow.pcapng):
    // a pcapng whose timestamps reached the int64 nanosecond limit, then a negative one:
    // `clock - frame.ts` for the timestamp_backwards note overflowed (session.cpp), as do the
    // analyzer's `last_ts - now` and the handshake legs. Any RawFrame timestamp must be safe.
    EXPECT_EXIT(feed_extreme_timestamps(Timestamp::max(), Timestamp{-505'423'284'000}, Timestamp::min(), 1),
                ::testing::ExitedWithCode(0), "");
    // Found by fuzz_capture_file (tests/fuzz/regressions/capture_file/
    // ubsan-expiry-deadline-overflow.pcap): a capture that starts before 1970, so the clock is
    // negative when the session notes a connection's expiry deadline. Each frame comes
    // centuries after the one before: the connection has expired by then, and the frame
    // starts another.
    EXPECT_EXIT(feed_extreme_timestamps(Timestamp::min(), Timestamp{-1'000'000'000}, Timestamp::max(), 3),
                ::testing::ExitedWithCode(0), "");
}

// ---- option and flag anomalies --------------------------------------------------------------

TEST(HostileInput, WindowScaleAboveFourteen) {
    Harness h;
    const Peers p;
    auto syn = p.c2s(kClientIsn, 0, kSyn);
    syn.options_bytes = cat({opt::mss(1460), opt::nop(), opt::wscale(20)});
    const auto& s1 = h.send(syn);
    ASSERT_TRUE(s1.has(AnnotationCode::WindowScaleOutOfRange));
    EXPECT_EQ(note(s1, AnnotationCode::WindowScaleOutOfRange)->a, 20);
    auto synack = p.s2c(kServerIsn, kClientIsn + 1, kSyn | kAck);
    synack.options_bytes = cat({opt::mss(1460), opt::nop(), opt::wscale(2)});
    h.send(synack);
    auto ack = p.c2s(kClientIsn + 1, kServerIsn + 1, kAck);
    ack.window = 1000;
    const auto& a = h.send(ack);
    EXPECT_TRUE(a.window_scaled);
    EXPECT_EQ(a.window, 1000ULL << 14);  // RFC 7323 §2.3: the shift is capped at 14
    h.finish();
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Complete);
}

TEST(HostileInput, SegmentsAfterReset) {
    Harness h;
    const Peers p;
    handshake(h, p);
    h.send(p.s2c(kServerIsn + 1, kClientIsn + 1, kRst | kAck));
    const auto& pure = h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck));
    EXPECT_TRUE(pure.has(AnnotationCode::SegmentAfterReset));
    const auto& data = h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck | kPsh, 5));
    EXPECT_TRUE(data.has(AnnotationCode::DataAfterReset));
    // A new connection on other ports is not affected.
    Peers q;
    q.cport = 40001;
    h.send(q.c2s(1, 0, kSyn));
    h.send(q.s2c(2, 2, kSyn | kAck));
    const auto& ok = h.send(q.c2s(2, 3, kAck));
    EXPECT_FALSE(ok.has(AnnotationCode::SegmentAfterReset));
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 2U);
    EXPECT_EQ(h.sink.closed[0].close, CloseKind::Reset);
    EXPECT_EQ(h.sink.closed[0].closed_by, Role::Server);
    EXPECT_EQ(h.sink.closed[1].handshake, HandshakeOutcome::Complete);
}

TEST(HostileInput, DataOnSyn) {
    Scenario s;
    s.run([&](Harness& h) {
        Peers q = s.p;
        q.cport = 40001;
        h.send(q.c2s(77, 0, kSyn, 12));  // another client's SYN carrying 12 bytes (TFO style)
    });
    const auto& bad = s.bad_segment();
    ASSERT_TRUE(bad.has_tcp);
    ASSERT_NE(note(bad, AnnotationCode::DataOnSyn), nullptr);
    EXPECT_EQ(note(bad, AnnotationCode::DataOnSyn)->a, 12);
    EXPECT_EQ(bad.payload_len, 12U);
    s.expect_main_connection_intact();
}

TEST(HostileInput, DataOnRst) {
    Harness h;
    const Peers p;
    handshake(h, p);
    const auto& rst = h.send(p.s2c(kServerIsn + 1, kClientIsn + 1, kRst | kAck, 9));  // RFC 9293 §3.5.3 diagnostic text
    ASSERT_NE(note(rst, AnnotationCode::RstWithData), nullptr);
    EXPECT_EQ(note(rst, AnnotationCode::RstWithData)->a, 9);
    h.finish();
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Complete);
    EXPECT_EQ(h.sink.closed[0].close, CloseKind::Reset);
}

TEST(HostileInput, ChristmasTreeSegment) {
    Scenario s;
    s.run([&](Harness& h) {
        Peers q = s.p;
        q.cport = 40002;
        h.send(q.c2s(1, 1, 0x1ff));
    });
    const auto& bad = s.bad_segment();
    ASSERT_TRUE(bad.has_tcp);
    EXPECT_TRUE(bad.has(AnnotationCode::AllFlagsSet));
    s.expect_main_connection_intact();
}

TEST(HostileInput, NullScanSegment) {
    Scenario s;
    s.run([&](Harness& h) {
        Peers q = s.p;
        q.cport = 40003;
        h.send(q.c2s(1, 0, 0));
    });
    const auto& bad = s.bad_segment();
    ASSERT_TRUE(bad.has_tcp);
    EXPECT_TRUE(bad.has(AnnotationCode::NoFlags));
    s.expect_main_connection_intact();
}

TEST(HostileInput, ChristmasAndNullInsideTheConnection) {
    // The same anomalies on the main connection's own 4-tuple, after the handshake: flagged,
    // and the connection still reads as complete.
    Harness h;
    const Peers p;
    handshake(h, p);
    EXPECT_TRUE(h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, 0)).has(AnnotationCode::NoFlags));
    EXPECT_TRUE(h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, 0x1ff)).has(AnnotationCode::AllFlagsSet));
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1U);
    EXPECT_EQ(h.sink.closed[0].handshake, HandshakeOutcome::Complete);
}

// ---- capture files, through the command line -----------------------------------------------

namespace {

struct CliRun {
    int status = -1;
    std::string out;
    std::string err;
};

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// Runs the walkthrough command in process with stdout and stderr redirected to files.
CliRun run_cli(std::vector<std::string> args) {
    const auto dir = std::filesystem::temp_directory_path();
    const std::string out_path = (dir / ("tfx-hostile-out-" + std::to_string(::getpid()))).string();
    const std::string err_path = (dir / ("tfx-hostile-err-" + std::to_string(::getpid()))).string();
    std::fflush(stdout);
    std::fflush(stderr);
    const int saved_out = ::dup(1), saved_err = ::dup(2);
    const int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    args.insert(args.begin(), "tcpflow-explain");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    CliRun r;
    r.status = tfx::cli::run_walkthrough(static_cast<int>(args.size()), argv.data());
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(saved_out, 1);
    ::dup2(saved_err, 2);
    ::close(saved_out);
    ::close(saved_err);
    ::close(out_fd);
    ::close(err_fd);
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    std::filesystem::remove(out_path);
    std::filesystem::remove(err_path);
    return r;
}

// A complete exchange (8 frames) then `extra` records.
PcapWriter good_capture() {
    PcapWriter w{{.link_type = 1}};
    const Peers p;
    Timestamp t{std::chrono::seconds(1'700'000'000)};
    auto add = [&](const TcpSpec& s) {
        t += std::chrono::milliseconds(1);
        w.add(t, eth_tcp(s));
    };
    add(p.c2s(kClientIsn, 0, kSyn));
    add(p.s2c(kServerIsn, kClientIsn + 1, kSyn | kAck));
    add(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck));
    add(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck | kPsh, 6));
    add(p.s2c(kServerIsn + 1, kClientIsn + 7, kAck));
    add(p.c2s(kClientIsn + 7, kServerIsn + 1, kFin | kAck));
    add(p.s2c(kServerIsn + 1, kClientIsn + 8, kFin | kAck));
    add(p.c2s(kClientIsn + 8, kServerIsn + 2, kAck));
    return w;
}

std::string temp_capture(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("tfx-hostile-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

void expect_good_part_analysed(const CliRun& r) {
    EXPECT_NE(r.out.find("handshake complete"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("closed gracefully"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("#8 "), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("the capture could not be read to its end"), std::string::npos) << r.err;
}

}  // namespace

TEST(HostileCapture, RecordLengthClaimingGigabytes) {
    PcapWriter w = good_capture();
    const Peers p;
    w.add(PcapRecord{Timestamp{std::chrono::seconds(1'700'000'001)}, eth_tcp(p.c2s(1, 1, kAck)), 0,
                     0xC0000000U});  // 3 GiB
    const std::string path = temp_capture("gigabytes.pcap");
    ASSERT_TRUE(w.write(path));
    const auto r = run_cli({path});
    EXPECT_EQ(r.status, 0) << r.err;
    expect_good_part_analysed(r);
    EXPECT_EQ(run_cli({"--strict", path}).status, 9);
    // JSON says so too.
    const auto j = run_cli({"--format", "json", path});
    EXPECT_EQ(j.status, 0);
    EXPECT_NE(j.out.find("\"truncated\": true"), std::string::npos)
        << j.out.substr(j.out.size() > 800 ? j.out.size() - 800 : 0);
    std::filesystem::remove(path);
}

TEST(HostileCapture, CaptureCutInTheMiddleOfARecord) {
    PcapWriter w = good_capture();
    const Peers p;
    w.add(Timestamp{std::chrono::seconds(1'700'000'001)},
          eth_tcp(p.c2s(kClientIsn + 8, kServerIsn + 2, kAck | kPsh, 40)));
    for (const std::size_t cut : {std::size_t{10}, std::size_t{60}, std::size_t{100}}) {  // mid-data, mid-header
        const std::string path = temp_capture("cut.pcap");
        ASSERT_TRUE(w.write_truncated(path, cut));
        const auto r = run_cli({path});
        EXPECT_EQ(r.status, 0) << "cut " << cut << ": " << r.err;
        expect_good_part_analysed(r);
        EXPECT_EQ(run_cli({"--strict", path}).status, 9) << "cut " << cut;
        std::filesystem::remove(path);
    }
}

TEST(HostileCapture, RecordLargerThanTheSnaplen) {
    // A 300000-byte record (beyond libpcap's 262144 maximum): reported as damage, not a crash,
    // with every frame before it analysed.
    PcapWriter w = good_capture();
    const Peers p;
    Bytes big = eth_tcp(p.c2s(kClientIsn + 8, kServerIsn + 2, kAck));
    big.resize(300000, std::byte{0});
    w.add(Timestamp{std::chrono::seconds(1'700'000'001)}, big);
    const std::string path = temp_capture("overlong.pcap");
    ASSERT_TRUE(w.write(path));
    const auto r = run_cli({path});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("handshake complete"), std::string::npos) << r.out;
    std::filesystem::remove(path);
}

// ---- rules files (check --rules) -----------------------------------------------------------

TEST(HostileRules, JsonNumberOverflowIsAUsageErrorNotACrash) {
    // Found by fuzz_expectations (tests/fuzz/regressions/expectations/rules-json-number-overflow-uncaught):
    // nlohmann throws out_of_range (406), not parse_error, for 1e999; uncaught, `check` aborted.
    for (const char* text : {"{\"count\": 1e999, \"checks\": []}", "1e999", "[-1e400]"}) {
        EXPECT_NO_THROW({
            const auto r = tfx::check::parse_rules(text, "rules.json", tfx::check::RuleDefaults{});
            EXPECT_FALSE(r.ok()) << text;
        }) << text;
    }
}

// Found by fuzz_capture_file (tests/fuzz/regressions/capture_file/ubsan-rtt-sum-overflow.pcapng):
// ACKs timestamped centuries before the segments they acknowledge made RTT samples near
// -2^62 ns, and their sum overflowed. An ACK that passed before its segment is the capture
// clock going back, not a round trip: no sample, and the sums saturate.
TEST(HostileInput, AckBeforeItsSegmentGivesNoRttSample) {
    Harness h;
    const Peers p;
    handshake(h, p);
    h.send(p.c2s(kClientIsn + 1, kServerIsn + 1, kAck | kPsh, 100));
    h.send(p.s2c(kServerIsn + 1, kClientIsn + 101, kAck), -5'000'000);  // 5 s before the data
    h.finish();
    ASSERT_EQ(h.sink.closed.size(), 1u);
    for (const auto& d : h.sink.closed[0].dir) {
        EXPECT_GE(d.rtt_sum.count(), 0);
        if (d.rtt_samples > 0) {
            EXPECT_GE(d.rtt_min.count(), 0);
        }
    }
}

TEST(HostileInput, DurationSumsSaturate) {
    const Duration big{std::numeric_limits<Duration::rep>::max() - 5};
    EXPECT_EQ(saturating_add(big, Duration{10}), Duration::max());
    EXPECT_EQ(saturating_add(-big, Duration{-10}), Duration::min());
    EXPECT_EQ(saturating_add(Duration{3}, Duration{-5}), Duration{-2});
}
