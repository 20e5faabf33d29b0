// IP fragment reassembly: FragmentReassembler and FrameDecoder (decode/reassembly.hpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "decode/reassembly.hpp"
#include "ingest/pcap_reader.hpp"
#include "support/frame_builder.hpp"
#include "tfx/session.hpp"

namespace {

using namespace tfx::test;
using tfx::AnnotationCode;
using tfx::Timestamp;
using tfx::decode::DecodedFrame;
using tfx::decode::FragmentReassembler;
using tfx::decode::FrameDecoder;
using tfx::decode::FrameKind;
using tfx::decode::ReassemblyLimits;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr int kEth = tfx::linktype::kEthernet;

TcpSpec spec4(std::size_t payload = 100) {
    return TcpSpec{.src = "192.0.2.1",
                   .dst = "198.51.100.7",
                   .sport = 51000,
                   .dport = 443,
                   .seq = 0x01020304,
                   .ack = 0xa0b0c0d0,
                   .flags = tfx::tcpflag::kAck | tfx::tcpflag::kPsh,
                   .payload = filled(payload, 0x41)};
}
TcpSpec spec6(std::size_t payload = 100) {
    TcpSpec s = spec4(payload);
    s.src = "2001:db8::1";
    s.dst = "2001:db8::2";
    return s;
}

struct Piece {
    std::uint16_t offset;
    std::uint16_t length;
};

// Ethernet frames carrying `seg` (a TCP segment) split at the given pieces of IPv4 payload.
std::vector<Bytes> v4_fragments(const Bytes& seg, const std::vector<Piece>& pieces, std::uint16_t id = 7,
                                const std::vector<VlanTag>& tags = {}, std::uint8_t proto = kProtoTcp,
                                const std::string& src = "192.0.2.1") {
    std::vector<Bytes> out;
    for (const auto& p : pieces) {
        const bool last = p.offset + p.length >= seg.size();
        const auto len = std::min<std::size_t>(p.length, seg.size() - p.offset);
        const std::span<const std::byte> part(seg.data() + p.offset, len);
        out.push_back(ethernet(ipv4({.src = src,
                                     .dst = "198.51.100.7",
                                     .id = id,
                                     .dont_fragment = false,
                                     .more_fragments = !last,
                                     .frag_offset = p.offset},
                                    proto, part),
                               kEtherIpv4, tags));
    }
    return out;
}

std::vector<Bytes> v6_fragments(const Bytes& seg, const std::vector<Piece>& pieces, std::uint32_t id = 0x1234,
                                std::vector<Ipv6Ext> before = {}) {
    std::vector<Bytes> out;
    for (const auto& p : pieces) {
        const bool last = p.offset + p.length >= seg.size();
        const auto len = std::min<std::size_t>(p.length, seg.size() - p.offset);
        const std::span<const std::byte> part(seg.data() + p.offset, len);
        std::vector<Ipv6Ext> exts = before;
        exts.push_back(ext::fragment(p.offset, !last, id));
        out.push_back(ethernet(ipv6({.ext = exts}, kProtoTcp, part), kEtherIpv6));
    }
    return out;
}

std::optional<tfx::Annotation> issue(const DecodedFrame& f, AnnotationCode code) {
    for (const auto& a : f.issue_list())
        if (a.code == code) return a;
    return std::nullopt;
}

DecodedFrame feed(FrameDecoder& d, const Bytes& frame, Timestamp ts = Timestamp{0}) {
    return d.decode(kEth, frame, static_cast<std::uint32_t>(frame.size()), ts);
}

// The reassembled frame must decode exactly like the unfragmented segment.
void expect_same_segment(const DecodedFrame& whole, const DecodedFrame& plain) {
    EXPECT_EQ(whole.kind, FrameKind::Tcp);
    EXPECT_EQ(whole.ip_version, plain.ip_version);
    EXPECT_EQ(whole.src, plain.src);
    EXPECT_EQ(whole.dst, plain.dst);
    EXPECT_EQ(whole.src_port, plain.src_port);
    EXPECT_EQ(whole.dst_port, plain.dst_port);
    EXPECT_EQ(whole.seq, plain.seq);
    EXPECT_EQ(whole.ack, plain.ack);
    EXPECT_EQ(whole.flags, plain.flags);
    EXPECT_EQ(whole.payload_len, plain.payload_len);
    EXPECT_EQ(whole.payload_captured, plain.payload_len);
    EXPECT_TRUE(std::equal(whole.payload.begin(), whole.payload.end(), plain.payload.begin(), plain.payload.end()));
    EXPECT_EQ(whole.frag_offset, 0U);
    EXPECT_FALSE(whole.more_fragments);
}

TEST(Reassembly, Ipv4InOrderCompletesAtTheLastFragment) {
    const Bytes seg = tcp(spec4());  // 120 bytes
    const Bytes plain_frame = ethernet(ip_tcp(spec4()), kEtherIpv4);
    const auto plain = tfx::decode::decode_frame(kEth, plain_frame, static_cast<std::uint32_t>(plain_frame.size()));
    const auto frames = v4_fragments(seg, {{0, 48}, {48, 48}, {96, 24}});
    FrameDecoder d;
    EXPECT_EQ(feed(d, frames[0]).kind, FrameKind::Fragment);
    EXPECT_EQ(feed(d, frames[1]).kind, FrameKind::Fragment);
    EXPECT_EQ(d.in_progress(), 1U);
    const auto whole = feed(d, frames[2]);
    expect_same_segment(whole, plain);
    const auto note = issue(whole, AnnotationCode::IpReassembled);
    ASSERT_TRUE(note);
    EXPECT_EQ(note->a, 3);
    EXPECT_EQ(note->b, 0);
    EXPECT_FALSE(issue(whole, AnnotationCode::IpFragment));
    EXPECT_EQ(d.in_progress(), 0U);
    EXPECT_EQ(d.stats().completed, 1U);
}

TEST(Reassembly, Ipv4OutOfOrderCompletesAtTheMissingPiece) {
    const Bytes seg = tcp(spec4());
    const auto frames = v4_fragments(seg, {{96, 24}, {48, 48}, {0, 48}});
    FrameDecoder d;
    EXPECT_EQ(feed(d, frames[0]).kind, FrameKind::Fragment);
    EXPECT_EQ(feed(d, frames[1]).kind, FrameKind::Fragment);
    const auto whole = feed(d, frames[2]);
    EXPECT_EQ(whole.kind, FrameKind::Tcp);
    EXPECT_EQ(whole.payload_len, 100U);
    EXPECT_EQ(whole.seq, 0x01020304U);
}

TEST(Reassembly, Ipv6WithPerFragmentHeadersBeforeTheFragmentHeader) {
    const Bytes seg = tcp(spec6());
    const Bytes plain_frame = ethernet(ip_tcp(spec6()), kEtherIpv6);
    const auto plain = tfx::decode::decode_frame(kEth, plain_frame, static_cast<std::uint32_t>(plain_frame.size()));
    for (const auto& before : {std::vector<Ipv6Ext>{}, std::vector<Ipv6Ext>{ext::hop_by_hop(), ext::routing()}}) {
        const auto frames = v6_fragments(seg, {{0, 56}, {56, 64}}, 0xdeadbeef, before);
        FrameDecoder d;
        EXPECT_EQ(feed(d, frames[0]).kind, FrameKind::Fragment);
        const auto whole = feed(d, frames[1]);
        expect_same_segment(whole, plain);
        EXPECT_EQ(issue(whole, AnnotationCode::IpReassembled)->a, 2);
        EXPECT_EQ(whole.issue_count, 1);  // nothing else: the rebuilt header chain is valid
    }
}

TEST(Reassembly, VlanAndTunnelLayersAreKept) {
    const Bytes seg = tcp(spec4());
    {
        const auto frames = v4_fragments(seg, {{0, 64}, {64, 56}}, 9, {VlanTag{.id = 42}});
        FrameDecoder d;
        (void)feed(d, frames[0]);
        const auto whole = feed(d, frames[1]);
        EXPECT_EQ(whole.kind, FrameKind::Tcp);
        EXPECT_EQ(whole.vlan, 42U);
    }
    {
        // The outer IPv4 of an IP-in-IP tunnel is fragmented: reassembled, then peeled.
        const Bytes inner = ip_tcp(spec4());
        const auto frames = v4_fragments(inner, {{0, 80}, {80, 80}}, 3, {}, kProtoIpip, "203.0.113.1");
        FrameDecoder d;
        EXPECT_EQ(feed(d, frames[0]).kind, FrameKind::Fragment);
        const auto whole = feed(d, frames[1]);
        EXPECT_EQ(whole.kind, FrameKind::Tcp);
        EXPECT_EQ(whole.tunnel_depth, 1);
        EXPECT_EQ(whole.src.to_string(), "192.0.2.1");
        EXPECT_EQ(whole.payload_len, 100U);
    }
}

TEST(Reassembly, OverlapsThatDifferMakeTheDatagramAmbiguous) {
    const Bytes seg = tcp(spec4());
    Bytes other = seg;
    for (std::size_t i = 40; i < 48; ++i) other[i] = std::byte{0x5a};  // 8 bytes differ
    const auto first = v4_fragments(seg, {{0, 48}});
    const auto overlap = v4_fragments(other, {{32, 32}});  // [32, 64), differs in [40, 48)
    const auto rest = v4_fragments(seg, {{48, 48}, {96, 24}});
    FrameDecoder d;
    (void)feed(d, first[0]);
    (void)feed(d, overlap[0]);
    (void)feed(d, rest[0]);
    const auto whole = feed(d, rest[1]);
    // Malformed, so no connection sees it; the row still names the segment.
    EXPECT_EQ(whole.kind, FrameKind::Malformed);
    EXPECT_EQ(whole.dst_port, 443);
    const auto note = issue(whole, AnnotationCode::IpReassembled);
    ASSERT_TRUE(note);
    EXPECT_EQ(note->a, 4);
    EXPECT_EQ(note->b, 8);
    EXPECT_EQ(d.stats().ambiguous, 1U);
    EXPECT_EQ(d.stats().completed, 0U);
    EXPECT_EQ(d.in_progress(), 0U);
}

TEST(Reassembly, TwoDifferentLastFragmentsMakeTheDatagramAmbiguous) {
    const Bytes seg = tcp(spec4());
    const auto frames = v4_fragments(seg, {{0, 64}, {64, 56}});
    const Bytes cut(seg.begin(), seg.begin() + 112);
    const auto shorter = v4_fragments(cut, {{64, 48}});  // a last fragment ending 8 bytes earlier
    FrameDecoder d;
    (void)feed(d, shorter[0]);
    (void)feed(d, frames[1]);
    const auto whole = feed(d, frames[0]);
    EXPECT_EQ(whole.kind, FrameKind::Malformed);
    EXPECT_GT(issue(whole, AnnotationCode::IpReassembled)->b, 0);
}

TEST(Reassembly, IdenticalDuplicateFragmentIsNoConflict) {
    const Bytes seg = tcp(spec4());
    const auto frames = v4_fragments(seg, {{0, 64}, {64, 56}});
    FrameDecoder d;
    (void)feed(d, frames[0]);
    (void)feed(d, frames[0]);
    const auto whole = feed(d, frames[1]);
    EXPECT_EQ(issue(whole, AnnotationCode::IpReassembled)->a, 3);
    EXPECT_EQ(issue(whole, AnnotationCode::IpReassembled)->b, 0);
}

TEST(Reassembly, DatagramsAreKeptApartByIdAndAddresses) {
    const Bytes seg = tcp(spec4());
    const auto a = v4_fragments(seg, {{0, 64}, {64, 56}}, 1);
    const auto b = v4_fragments(seg, {{0, 64}, {64, 56}}, 2);
    const auto c = v4_fragments(seg, {{0, 64}, {64, 56}}, 1, {}, kProtoTcp, "192.0.2.99");
    FrameDecoder d;
    (void)feed(d, a[0]);
    EXPECT_EQ(feed(d, b[1]).kind, FrameKind::Fragment);
    EXPECT_EQ(feed(d, c[1]).kind, FrameKind::Fragment);
    EXPECT_EQ(d.in_progress(), 3U);
    EXPECT_EQ(feed(d, a[1]).kind, FrameKind::Tcp);
    EXPECT_EQ(feed(d, b[0]).kind, FrameKind::Tcp);
    EXPECT_EQ(d.in_progress(), 1U);
}

TEST(Reassembly, IncompleteDatagramsTimeOutOnCaptureTime) {
    const Bytes seg = tcp(spec4());
    const auto frames = v4_fragments(seg, {{0, 64}, {64, 56}});
    FrameDecoder d;
    (void)feed(d, frames[0], Timestamp{0});
    EXPECT_EQ(feed(d, frames[1], Timestamp{31s}).kind, FrameKind::Fragment);
    EXPECT_EQ(d.stats().timed_out, 1U);
    EXPECT_EQ(d.in_progress(), 1U);  // the late fragment starts a datagram of its own
    FrameDecoder within;
    (void)feed(within, frames[0], Timestamp{0});
    EXPECT_EQ(feed(within, frames[1], Timestamp{29s}).kind, FrameKind::Tcp);
}

TEST(Reassembly, TableIsBoundedAndEvictsTheOldest) {
    const Bytes seg = tcp(spec4());
    FrameDecoder d{ReassemblyLimits{.max_datagrams = 2, .timeout = 30s}};
    for (std::uint16_t id = 1; id <= 3; ++id)
        (void)feed(d, v4_fragments(seg, {{0, 64}}, id)[0], Timestamp{std::chrono::milliseconds(id)});
    EXPECT_EQ(d.in_progress(), 2U);
    EXPECT_EQ(d.stats().evicted, 1U);
    // Datagram 1 was evicted: its last piece does not complete anything.
    EXPECT_EQ(feed(d, v4_fragments(seg, {{64, 56}}, 1)[0]).kind, FrameKind::Fragment);
    EXPECT_EQ(feed(d, v4_fragments(seg, {{64, 56}}, 3)[0]).kind, FrameKind::Tcp);
    for (int i = 0; i < 10000; ++i) (void)feed(d, v4_fragments(seg, {{0, 64}}, static_cast<std::uint16_t>(i))[0]);
    EXPECT_LE(d.in_progress(), 2U);
}

TEST(Reassembly, OversizedDatagramIsAbandoned) {
    const Bytes seg = tcp(spec4());
    FrameDecoder d;
    (void)feed(d, v4_fragments(seg, {{0, 64}})[0]);
    // 65528 + 16 bytes: past the 65535-byte limit ("ping of death").
    const Bytes tail = ethernet(
        ipv4({.src = "192.0.2.1", .dst = "198.51.100.7", .id = 7, .dont_fragment = false, .frag_offset = 65528},
             kProtoTcp, filled(16)),
        kEtherIpv4);
    EXPECT_EQ(feed(d, tail).kind, FrameKind::Fragment);
    EXPECT_EQ(d.stats().abandoned, 1U);
    EXPECT_EQ(d.in_progress(), 0U);
}

TEST(Reassembly, UnusableFragmentsAreLeftAlone) {
    const Bytes seg = tcp(spec4());
    FrameDecoder d;
    // Cut by the snaplen: the data is not all there.
    Bytes cut = v4_fragments(seg, {{0, 64}})[0];
    cut.resize(cut.size() - 10);
    EXPECT_EQ(d.decode(kEth, cut, static_cast<std::uint32_t>(cut.size() + 10), Timestamp{0}).kind, FrameKind::Fragment);
    // Not the last, yet not a multiple of 8 bytes.
    (void)feed(d, v4_fragments(seg, {{0, 60}})[0]);
    EXPECT_EQ(d.in_progress(), 0U);
    // Not a fragment at all: passed through untouched.
    const Bytes plain = ethernet(ip_tcp(spec4()), kEtherIpv4);
    EXPECT_EQ(feed(d, plain).kind, FrameKind::Tcp);
    EXPECT_FALSE(issue(feed(d, plain), AnnotationCode::IpReassembled));
}

TEST(Reassembly, RandomPiecesInRandomOrderAlwaysRebuildTheSegment) {
    std::mt19937 rng(2024);
    const Bytes seg = tcp(spec4(1400));
    const Bytes plain_frame = ethernet(ip_tcp(spec4(1400)), kEtherIpv4);
    const auto plain = tfx::decode::decode_frame(kEth, plain_frame, static_cast<std::uint32_t>(plain_frame.size()));
    for (int round = 0; round < 200; ++round) {
        std::vector<Piece> pieces;
        for (std::uint16_t at = 0; at < seg.size();) {
            const auto len = static_cast<std::uint16_t>(8 * (1 + rng() % 40));
            pieces.push_back({at, len});
            at = static_cast<std::uint16_t>(at + len);
        }
        // Some duplicates, then shuffle.
        const std::size_t n = pieces.size();
        for (std::size_t i = 0; i < n / 3; ++i) pieces.push_back(pieces[rng() % n]);
        std::shuffle(pieces.begin(), pieces.end(), rng);
        const auto frames = v4_fragments(seg, pieces, static_cast<std::uint16_t>(round));
        FrameDecoder d;
        int completed = 0;
        for (const auto& f : frames) {
            const auto out = feed(d, f);
            if (out.kind == FrameKind::Tcp) {
                ++completed;
                expect_same_segment(out, plain);
                EXPECT_EQ(issue(out, AnnotationCode::IpReassembled)->b, 0);
            }
        }
        // Duplicates arriving after completion start (and leave) a new partial datagram.
        EXPECT_EQ(completed, 1) << round;
    }
}

TEST(Reassembly, CorruptFragmentsNeverReadOutOfBounds) {
    std::mt19937 rng(7);
    const Bytes seg = tcp(spec6(300));
    auto seeds = v6_fragments(seg, {{0, 80}, {80, 160}, {240, 80}}, 5, {ext::dest_opts()});
    for (auto& f : v4_fragments(tcp(spec4(300)), {{0, 80}, {80, 160}, {240, 80}})) seeds.push_back(f);
    FrameDecoder d{ReassemblyLimits{.max_datagrams = 8, .timeout = 30s}};
    for (int round = 0; round < 5000; ++round) {
        Bytes m = seeds[rng() % seeds.size()];
        const int flips = static_cast<int>(rng() % 4);
        for (int i = 0; i < flips; ++i) m[14 + rng() % (m.size() - 14)] = static_cast<std::byte>(rng());
        if (rng() % 5 == 0) m.resize(rng() % (m.size() + 1));
        const auto out = d.decode(kEth, m, static_cast<std::uint32_t>(rng() % 3000), Timestamp{round});
        EXPECT_LE(out.payload_captured, out.payload_len);
        EXPECT_LE(d.in_progress(), 8U);
    }
}

// The corpus captures whose only TCP segment is split over fragments: tshark shows it at
// the frame of the last fragment.
TEST(ReassemblyCorpus, FragmentedSegmentsAppearAtTheLastFragment) {
    const fs::path dir = fs::path(TFX_SHARED_DIR) / "corpus" / "pcaps";
    if (!fs::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir;
    struct Case {
        const char* name;
        tfx::FrameIndex tcp_frame;
        std::uint16_t flags;
    };
    for (const Case c : {Case{"sv-linktype-ipv4-228-fragmented-syn.pcap", 3, tfx::tcpflag::kSyn},
                         Case{"sv-ppp-ipv6-frag-tcp.pcap", 3, 0}, Case{"sv-vlan-ipv6-fraghdr-tcp.pcap", 3, 0}}) {
        auto r = tfx::ingest::PcapReader::open_file((dir / c.name).string());
        ASSERT_TRUE(r.ok()) << r.error().message;
        FrameDecoder d;
        tfx::RawFrame f;
        std::string msg;
        std::vector<tfx::FrameIndex> tcp_frames;
        while (r->next(f, msg) == tfx::ingest::ReadStatus::Frame) {
            const auto out = d.decode(f);
            if (out.kind != FrameKind::Tcp) continue;
            tcp_frames.push_back(f.index);
            EXPECT_TRUE(issue(out, AnnotationCode::IpReassembled)) << c.name;
            if (c.flags != 0) {
                EXPECT_EQ(out.flags & c.flags, c.flags) << c.name;
            }
        }
        EXPECT_EQ(tcp_frames, std::vector<tfx::FrameIndex>{c.tcp_frame}) << c.name;
    }
}

}  // namespace
