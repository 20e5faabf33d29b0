#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>

#include "decode/decoded_frame.hpp"
#include "support/frame_builder.hpp"
#include "tfx/session.hpp"

namespace {

using namespace tfx::test;
using tfx::AnnotationCode;
using tfx::decode::decode_frame;
using tfx::decode::DecodedFrame;
using tfx::decode::FrameKind;
namespace tcpflag = tfx::tcpflag;
namespace linktype = tfx::linktype;

DecodedFrame decode(int link, const Bytes& b, std::uint32_t wire = 0) {
    return decode_frame(link, b, wire != 0 ? wire : static_cast<std::uint32_t>(b.size()));
}
DecodedFrame decode_eth(const Bytes& b, std::uint32_t wire = 0) { return decode(linktype::kEthernet, b, wire); }

std::optional<tfx::Annotation> issue(const DecodedFrame& f, AnnotationCode code) {
    for (const auto& a : f.issue_list())
        if (a.code == code) return a;
    return std::nullopt;
}
bool has_issue(const DecodedFrame& f, AnnotationCode code) { return issue(f, code).has_value(); }

Bytes tcp6();

Bytes cut(Bytes b, std::size_t keep) {
    b.resize(std::min(keep, b.size()));
    return b;
}

TcpSpec with_options(Bytes options) {
    TcpSpec s = hello_world_segment();
    s.flags = tcpflag::kSyn;
    s.payload.clear();
    s.options_bytes = std::move(options);
    return s;
}

// ---- link layers ------------------------------------------------------------------------------

TEST(Decode, EthernetIpv4TcpFields) {
    const Bytes frame = eth_tcp(hello_world_segment());  // the payload span points into it
    const auto f = decode_eth(frame);
    ASSERT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.ip_version, 4);
    EXPECT_EQ(f.src, ip("192.0.2.1"));
    EXPECT_EQ(f.dst, ip("198.51.100.7"));
    EXPECT_EQ(f.ip_proto, 6);
    EXPECT_EQ(f.ttl, 64);
    EXPECT_EQ(f.ip_id, 1);
    EXPECT_EQ(f.src_port, 51000);
    EXPECT_EQ(f.dst_port, 443);
    EXPECT_EQ(f.seq, 0x01020304U);
    EXPECT_EQ(f.ack, 0xa0b0c0d0U);
    EXPECT_EQ(f.flags, tcpflag::kAck | tcpflag::kPsh);
    EXPECT_EQ(f.window, 501);
    EXPECT_EQ(f.tcp_header_len, 20);
    EXPECT_NE(f.checksum, 0);
    EXPECT_EQ(f.payload_len, 11U);
    EXPECT_EQ(f.payload_captured, 11U);
    ASSERT_EQ(f.payload.size(), 11U);
    EXPECT_EQ(f.payload[0], std::byte{'h'});
    EXPECT_EQ(f.issue_count, 0);
    EXPECT_EQ(f.vlan, 0U);
    EXPECT_EQ(f.tunnel_depth, 0);
}

// decode_frame_into replaces whatever the frame held: a decoding full of options, issues
// and a payload, then a plain one into the same object, reads as a fresh decode of the
// plain frame (the ingest thread reuses its batches' decodings).
TEST(Decode, DecodingIntoAUsedFrameReplacesEverything) {
    const Bytes busy =
        cut(eth_tcp(with_options(bytes({2, 4, 5, 0xb4, 3, 3, 7, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}))), 60);
    const Bytes plain = eth_tcp(hello_world_segment());
    DecodedFrame reused;
    tfx::decode::decode_frame_into(reused, tfx::linktype::kEthernet, busy,
                                   static_cast<std::uint32_t>(busy.size() + 40));
    ASSERT_GT(reused.options.count, 0);
    ASSERT_GT(reused.issue_count, 0);
    tfx::decode::decode_frame_into(reused, tfx::linktype::kEthernet, plain, static_cast<std::uint32_t>(plain.size()));
    const DecodedFrame fresh = decode_eth(plain);
    EXPECT_EQ(reused.kind, fresh.kind);
    EXPECT_EQ(reused.seq, fresh.seq);
    EXPECT_EQ(reused.flags, fresh.flags);
    EXPECT_EQ(reused.src_port, fresh.src_port);
    EXPECT_EQ(reused.options.count, 0);
    EXPECT_FALSE(reused.options.mss.has_value());
    EXPECT_FALSE(reused.options.window_scale.has_value());
    EXPECT_EQ(reused.issue_count, 0);
    EXPECT_EQ(reused.payload_len, fresh.payload_len);
    EXPECT_TRUE(std::equal(reused.payload.begin(), reused.payload.end(), fresh.payload.begin(), fresh.payload.end()));
}

TEST(Decode, EthernetIpv6Tcp) {
    TcpSpec s = hello_world_segment();
    s.src = "2001:db8::1";
    s.dst = "2001:db8::beef";
    s.ttl = 33;
    const auto f = decode_eth(eth_tcp(s));
    ASSERT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.ip_version, 6);
    EXPECT_EQ(f.src, ip("2001:db8::1"));
    EXPECT_EQ(f.dst, ip("2001:db8::beef"));
    EXPECT_EQ(f.ttl, 33);
    EXPECT_EQ(f.payload_len, 11U);
}

TEST(Decode, AllNineFlagBitsIncludingAe) {
    TcpSpec s = hello_world_segment();
    s.flags = 0x1ff;
    s.urgent = 7;
    const auto f = decode_eth(eth_tcp(s));
    EXPECT_EQ(f.flags, 0x1ff);
    EXPECT_EQ(f.urgent, 7);
    s.flags = tcpflag::kAe | tcpflag::kSyn;
    EXPECT_EQ(decode_eth(eth_tcp(s)).flags, tcpflag::kAe | tcpflag::kSyn);
}

TEST(Decode, SingleVlanTagGivesItsIdWithoutPriorityBits) {
    const auto f = decode_eth(eth_tcp(hello_world_segment(), {VlanTag{.id = 100, .pcp = 5, .dei = true}}));
    ASSERT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.vlan, 100U);
    EXPECT_EQ(f.payload_len, 11U);
}

TEST(Decode, QinQCombinesOuterAndInnerIds) {
    const auto f =
        decode_eth(eth_tcp(hello_world_segment(), {VlanTag{.tpid = kEtherQinQ, .id = 10}, VlanTag{.id = 20}}));
    ASSERT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.vlan, (10U << 12) | 20U);
    const auto old = decode_eth(eth_tcp(hello_world_segment(), {VlanTag{.tpid = 0x9100, .id = 7}, VlanTag{.id = 8}}));
    EXPECT_EQ(old.vlan, (7U << 12) | 8U);
}

TEST(Decode, ManyStackedTagsStayBounded) {
    std::vector<VlanTag> tags(20, VlanTag{.id = 3});
    const auto f = decode_eth(eth_tcp(hello_world_segment(), tags));
    EXPECT_NE(f.kind, FrameKind::Tcp);
}

TEST(Decode, LlcAndArpFramesAreNonIp) {
    Bytes llc = ethernet(bytes({0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00}), 8);
    EXPECT_EQ(decode_eth(llc).kind, FrameKind::NonIp);
    EXPECT_EQ(decode_eth(ethernet(filled(28), kEtherArp)).kind, FrameKind::NonIp);
}

TEST(Decode, UdpIsNonTcp) {
    const auto f = decode_eth(ethernet(ipv4({}, kProtoUdp, udp(53, 53, text("dns"))), kEtherIpv4));
    EXPECT_EQ(f.kind, FrameKind::NonTcp);
    EXPECT_EQ(f.ip_proto, kProtoUdp);
}

TEST(Decode, LinuxCookedV1AndV2) {
    const auto v1 = decode(linktype::kLinuxSll, sll_tcp(hello_world_segment()));
    ASSERT_EQ(v1.kind, FrameKind::Tcp);
    EXPECT_EQ(v1.payload_len, 11U);
    TcpSpec s6 = hello_world_segment();
    s6.src = "fe80::1";
    s6.dst = "fe80::2";
    const auto v2 = decode(linktype::kLinuxSll2, sll2_tcp(s6));
    ASSERT_EQ(v2.kind, FrameKind::Tcp);
    EXPECT_EQ(v2.ip_version, 6);
    EXPECT_EQ(v2.dst_port, 443);
    // A VLAN tag the kernel left in place.
    const Bytes tagged = sll(cat({bytes({0x00, 0x05, 0x08, 0x00}), ip_tcp(hello_world_segment())}), kEtherVlan);
    const auto t = decode(linktype::kLinuxSll, tagged);
    EXPECT_EQ(t.kind, FrameKind::Tcp);
    EXPECT_EQ(t.vlan, 5U);
}

TEST(Decode, BsdNullFamilyInEitherByteOrder) {
    TcpSpec s6 = hello_world_segment();
    s6.src = "::1";
    s6.dst = "::1";
    for (bool be : {false, true}) {
        EXPECT_EQ(decode(linktype::kNull, null_loopback(ip_tcp(hello_world_segment()), 2, be)).kind, FrameKind::Tcp);
        for (std::uint32_t af : {24U, 28U, 30U}) {
            const auto f = decode(linktype::kNull, null_loopback(ip_tcp(s6), af, be));
            EXPECT_EQ(f.kind, FrameKind::Tcp) << "af " << af << " be " << be;
            EXPECT_EQ(f.ip_version, 6);
        }
    }
    EXPECT_EQ(decode(linktype::kNull, null_loopback(ip_tcp(hello_world_segment()), 7)).kind, FrameKind::NonIp);
}

TEST(Decode, LoopFamilyInNetworkOrder) {
    EXPECT_EQ(decode(linktype::kLoop, loop(ip_tcp(hello_world_segment()), 2)).kind, FrameKind::Tcp);
    TcpSpec s6 = hello_world_segment();
    s6.src = "2001:db8::1";
    s6.dst = "2001:db8::2";
    EXPECT_EQ(decode(linktype::kLoop, loop(ip_tcp(s6), 24)).kind, FrameKind::Tcp);
}

TEST(Decode, RawIpLinkTypes) {
    TcpSpec s6 = hello_world_segment();
    s6.src = "2001:db8::1";
    s6.dst = "2001:db8::2";
    for (int lt : {linktype::kRaw, linktype::kRaw14, linktype::kRaw101}) {
        EXPECT_EQ(decode(lt, ip_tcp(hello_world_segment())).kind, FrameKind::Tcp) << lt;
        EXPECT_EQ(decode(lt, ip_tcp(s6)).ip_version, 6) << lt;
    }
    EXPECT_EQ(decode(linktype::kIpv4, ip_tcp(hello_world_segment())).kind, FrameKind::Tcp);
    EXPECT_EQ(decode(linktype::kIpv6, ip_tcp(s6)).kind, FrameKind::Tcp);
    const auto wrong = decode(linktype::kIpv4, ip_tcp(s6));
    EXPECT_EQ(wrong.kind, FrameKind::Malformed);
    EXPECT_TRUE(has_issue(wrong, AnnotationCode::BadIpVersion));
}

TEST(Decode, PppWithAndWithoutAddressControl) {
    EXPECT_EQ(decode(linktype::kPpp, ppp(ip_tcp(hello_world_segment()), 0x0021)).kind, FrameKind::Tcp);
    EXPECT_EQ(decode(linktype::kPpp, ppp(ip_tcp(hello_world_segment()), 0x0021, false)).kind, FrameKind::Tcp);
    TcpSpec s6 = hello_world_segment();
    s6.src = "2001:db8::1";
    s6.dst = "2001:db8::2";
    EXPECT_EQ(decode(linktype::kPpp, ppp(ip_tcp(s6), 0x0057)).ip_version, 6);
    EXPECT_EQ(decode(linktype::kPpp, ppp(filled(20), 0xc021)).kind, FrameKind::NonIp);  // LCP
}

TEST(Decode, CiscoHdlc) {
    const auto f = decode(linktype::kCiscoHdlc, chdlc(ip_tcp(hello_world_segment()), kEtherIpv4));
    EXPECT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.payload_len, 11U);
}

TEST(Decode, IpOverInfinibandWithAndWithoutThePseudoHeader) {
    TcpSpec s6 = hello_world_segment();
    s6.src = "2001:db8::1";
    s6.dst = "2001:db8::2";
    for (bool pseudo : {true, false}) {
        const auto f = decode(242, ipoib(ip_tcp(hello_world_segment()), kEtherIpv4, pseudo));
        ASSERT_EQ(f.kind, FrameKind::Tcp) << pseudo;
        EXPECT_EQ(f.payload_len, 11U);
        EXPECT_EQ(decode(242, ipoib(ip_tcp(s6), kEtherIpv6, pseudo)).ip_version, 6) << pseudo;
        EXPECT_EQ(decode(242, ipoib(filled(28), kEtherArp, pseudo)).kind, FrameKind::NonIp) << pseudo;
    }
    // Neither layout: not IP; a frame too short for either header: cut short.
    EXPECT_EQ(decode(242, filled(60, 0x11)).kind, FrameKind::NonIp);
    EXPECT_EQ(decode(242, filled(3, 0)).kind, FrameKind::Malformed);
    // The 44-byte form cut inside the IP header.
    const Bytes cut = ipoib(ip_tcp(hello_world_segment()), kEtherIpv4);
    EXPECT_EQ(decode(242, Bytes(cut.begin(), cut.begin() + 50)).kind, FrameKind::Malformed);
}

TEST(Decode, NflogFindsThePayloadTlvInEitherByteOrder) {
    for (bool be : {false, true}) {
        const auto f = decode(linktype::kNflog, nflog(ip_tcp(hello_world_segment()), 2, be));
        ASSERT_EQ(f.kind, FrameKind::Tcp) << be;
        EXPECT_EQ(f.payload_len, 11U);
    }
}

TEST(Decode, Radiotap80211DataFrames) {
    for (bool qos : {true, false}) {
        const auto f = decode(linktype::kRadiotap, radiotap_80211(ip_tcp(hello_world_segment()), kEtherIpv4, qos));
        ASSERT_EQ(f.kind, FrameKind::Tcp) << qos;
        EXPECT_EQ(f.dst_port, 443);
    }
    Bytes beacon = bytes({0, 0, 8, 0, 0, 0, 0, 0, 0x80, 0});
    beacon.resize(40);
    EXPECT_EQ(decode(linktype::kRadiotap, beacon).kind, FrameKind::NonIp);
}

TEST(Decode, UnknownLinkTypeIsNonIpWithANote) {
    const auto f = decode(147, eth_tcp(hello_world_segment()));
    EXPECT_EQ(f.kind, FrameKind::NonIp);
    EXPECT_TRUE(has_issue(f, AnnotationCode::UnsupportedLinkHeader));
}

TEST(Decode, LinkTypeNamesAndSupport) {
    EXPECT_EQ(tfx::link_type_name(1), "EN10MB (Ethernet)");
    EXPECT_EQ(tfx::link_type_name(276), "LINUX_SLL2 (Linux cooked v2)");
    EXPECT_EQ(tfx::link_type_name(147), "link type 147");
    EXPECT_EQ(tfx::link_type_name(242), "IPOIB (IP over InfiniBand)");
    for (int lt : {0, 1, 9, 12, 14, 101, 104, 108, 113, 127, 228, 229, 239, 242, 276})
        EXPECT_TRUE(tfx::link_type_supported(lt)) << lt;
    EXPECT_FALSE(tfx::link_type_supported(147));
}

// ---- IPv4 --------------------------------------------------------------------------------------

Bytes eth_ipv4(const Ipv4Spec& s, const Bytes& l4, std::uint8_t proto = kProtoTcp) {
    return ethernet(ipv4(s, proto, l4), kEtherIpv4);
}

TEST(Decode, Ipv4OptionsAreSkipped) {
    const auto f = decode_eth(eth_ipv4({.options = bytes({0x94, 0x04, 0, 0})}, tcp({})));
    EXPECT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.dst_port, 80);
}

TEST(Decode, Ipv4HeaderLengthBelowFiveIsMalformed) {
    const auto f = decode_eth(eth_ipv4({.ihl = 4}, tcp({})));
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_EQ(issue(f, AnnotationCode::BadIpHeaderLen)->a, 16);
}

TEST(Decode, Ipv4HeaderLongerThanPacketIsMalformed) {
    const auto f = decode_eth(eth_ipv4({.total_length = 40, .ihl = 15}, tcp({})));
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_EQ(issue(f, AnnotationCode::BadIpHeaderLen)->a, 60);
}

TEST(Decode, Ipv4TotalLengthBelowHeaderIsMalformed) {
    const auto f = decode_eth(eth_ipv4({.total_length = 12}, tcp({})));
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_EQ(issue(f, AnnotationCode::BadIpTotalLen)->a, 12);
}

TEST(Decode, Ipv4TotalLengthBeyondTheWireIsFlaggedAndDecodedFromTheBytesPresent) {
    const auto f = decode_eth(eth_ipv4({.total_length = 400}, tcp({.payload = filled(10)})));
    EXPECT_EQ(f.kind, FrameKind::Tcp);  // as Wireshark: the segment still counts
    EXPECT_EQ(issue(f, AnnotationCode::BadIpTotalLen)->a, 400);
    EXPECT_EQ(f.payload_len, 10U);
    EXPECT_FALSE(has_issue(f, AnnotationCode::SnaplenTruncated));
}

TEST(Decode, Ipv6PayloadLengthBeyondTheWireIsFlagged) {
    const auto f = decode_eth(ethernet(ipv6({.payload_length = 900}, kProtoTcp, tcp6()), kEtherIpv6));
    EXPECT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(issue(f, AnnotationCode::BadIpTotalLen)->a, 900);
    EXPECT_EQ(f.payload_len, 11U);
}

TEST(Decode, Ipv4TotalLengthBeyondSnaplenIsOnlyTruncation) {
    TcpSpec s = hello_world_segment();
    s.payload = filled(1000);
    const Bytes full = eth_tcp(s);
    const auto f = decode_eth(cut(full, 100), static_cast<std::uint32_t>(full.size()));
    EXPECT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.payload_len, 1000U);
    EXPECT_EQ(f.payload_captured, 100U - 54U);
    EXPECT_EQ(f.payload.size(), 46U);
    EXPECT_EQ(issue(f, AnnotationCode::SnaplenTruncated)->a, 1000 - 46);
}

TEST(Decode, EthernetPaddingIsNotPayload) {
    TcpSpec s = hello_world_segment();
    s.payload.clear();
    const Bytes padded = ethernet(ip_tcp(s), kEtherIpv4, {}, 60);
    ASSERT_EQ(padded.size(), 60U);
    const auto f = decode_eth(padded, 64);  // wire length with FCS
    EXPECT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.payload_len, 0U);
    EXPECT_EQ(f.payload_captured, 0U);
    EXPECT_TRUE(f.payload.empty());
    EXPECT_EQ(f.issue_count, 0);
}

TEST(Decode, Ipv4TotalLengthZeroTakesTheFrameLength) {
    TcpSpec s = hello_world_segment();
    s.payload = filled(3000);
    const Bytes seg = tcp(s);
    const auto f = decode_eth(eth_ipv4({.total_length = 0}, seg));
    EXPECT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.payload_len, 3000U);
    EXPECT_TRUE(has_issue(f, AnnotationCode::IpLengthZero));
}

TEST(Decode, Ipv4FirstFragmentKeepsTcpHeaderButIsFragment) {
    const Bytes seg = tcp(hello_world_segment());
    const Bytes first(seg.begin(), seg.begin() + 24);
    const auto f = decode_eth(eth_ipv4({.dont_fragment = false, .more_fragments = true}, first));
    EXPECT_EQ(f.kind, FrameKind::Fragment);
    EXPECT_EQ(f.dst_port, 443);
    EXPECT_TRUE(f.more_fragments);
    EXPECT_EQ(issue(f, AnnotationCode::IpFragment)->a, 0);
}

TEST(Decode, Ipv4LaterFragmentCarriesItsOffset) {
    const auto f = decode_eth(eth_ipv4({.dont_fragment = false, .frag_offset = 24}, filled(16)));
    EXPECT_EQ(f.kind, FrameKind::Fragment);
    EXPECT_EQ(f.frag_offset, 24U);
    EXPECT_EQ(issue(f, AnnotationCode::IpFragment)->a, 24);
    EXPECT_EQ(f.src_port, 0);
    const auto u = decode_eth(eth_ipv4({.dont_fragment = false, .frag_offset = 24}, filled(16), kProtoUdp));
    EXPECT_EQ(u.kind, FrameKind::NonTcp);
}

TEST(Decode, TinyFirstFragmentIsNotMalformed) {
    const Bytes seg = tcp(hello_world_segment());
    const auto f =
        decode_eth(eth_ipv4({.dont_fragment = false, .more_fragments = true}, Bytes(seg.begin(), seg.begin() + 8)));
    EXPECT_EQ(f.kind, FrameKind::Fragment);
    EXPECT_EQ(f.src_port, 51000);
}

// ---- IPv6 --------------------------------------------------------------------------------------

Bytes eth_ipv6(const Ipv6Spec& s, const Bytes& l4, std::uint8_t proto = kProtoTcp) {
    return ethernet(ipv6(s, proto, l4), kEtherIpv6);
}
Bytes tcp6() {
    TcpSpec s = hello_world_segment();
    s.src = "2001:db8::1";
    s.dst = "2001:db8::2";
    return tcp(s);
}

TEST(Decode, Ipv6ExtensionHeadersAreWalked) {
    const Ipv6Spec s{.ext = {ext::hop_by_hop(), ext::routing(), ext::dest_opts(bytes({0xc9, 2, 0, 0})), ext::ah(),
                             ext::fragment(0, false)}};
    const auto f = decode_eth(eth_ipv6(s, tcp6()));
    ASSERT_EQ(f.kind, FrameKind::Tcp);  // an atomic fragment is a whole packet (RFC 6946)
    EXPECT_EQ(f.ip_proto, 6);
    EXPECT_EQ(f.payload_len, 11U);
    EXPECT_EQ(f.issue_count, 0);
}

TEST(Decode, Ipv6ExtensionChainTooLongIsMalformed) {
    Ipv6Spec s;
    for (int i = 0; i < 20; ++i) s.ext.push_back(ext::dest_opts());
    const auto f = decode_eth(eth_ipv6(s, tcp6()));
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_TRUE(has_issue(f, AnnotationCode::BadIpv6ExtHeader));
}

TEST(Decode, Ipv6ExtensionHeaderOverrunningThePacketIsMalformed) {
    const Ipv6Spec s{.ext = {ext::raw(60, bytes({0, 200, 0, 0, 0, 0, 0, 0}))}};
    const auto f = decode_eth(eth_ipv6(s, tcp6()));
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_TRUE(has_issue(f, AnnotationCode::BadIpv6ExtHeader));
}

TEST(Decode, Ipv6EspAndNoNextHeaderAreNotTcp) {
    const auto esp = decode_eth(eth_ipv6({}, filled(40), 50));
    EXPECT_EQ(esp.kind, FrameKind::NonTcp);
    EXPECT_EQ(esp.ip_proto, 50);
    EXPECT_EQ(decode_eth(eth_ipv6({}, {}, 59)).kind, FrameKind::NonTcp);
}

TEST(Decode, Ipv6FragmentsFirstAndLater) {
    const Bytes seg = tcp6();
    const auto first = decode_eth(eth_ipv6({.ext = {ext::fragment(0, true)}}, Bytes(seg.begin(), seg.begin() + 24)));
    EXPECT_EQ(first.kind, FrameKind::Fragment);
    EXPECT_EQ(first.dst_port, 443);
    EXPECT_TRUE(first.more_fragments);
    const auto later = decode_eth(eth_ipv6({.ext = {ext::fragment(24, false)}}, filled(8)));
    EXPECT_EQ(later.kind, FrameKind::Fragment);
    EXPECT_EQ(later.frag_offset, 24U);
    EXPECT_EQ(issue(later, AnnotationCode::IpFragment)->a, 24);
}

TEST(Decode, Ipv6JumboPayloadGivesTheLength) {
    TcpSpec s = hello_world_segment();
    s.src = "2001:db8::1";
    s.dst = "2001:db8::2";
    s.payload = filled(70000);
    const Bytes seg = tcp(s);
    const auto jumbo_len = static_cast<std::uint32_t>(8 + seg.size());
    const auto f = decode_eth(eth_ipv6({.ext = {ext::jumbo(jumbo_len)}, .payload_length = 0}, seg));
    ASSERT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.payload_len, 70000U);
    EXPECT_FALSE(has_issue(f, AnnotationCode::IpLengthZero));
}

TEST(Decode, Ipv6PayloadLengthZeroWithoutJumboUsesTheFrame) {
    const auto f = decode_eth(eth_ipv6({.payload_length = 0}, tcp6()));
    EXPECT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.payload_len, 11U);
    EXPECT_TRUE(has_issue(f, AnnotationCode::IpLengthZero));
}

// ---- tunnels -----------------------------------------------------------------------------------

TEST(Decode, IpInIpTunnelsArePeeled) {
    const Bytes inner4 = ip_tcp(hello_world_segment());
    const auto f44 = decode_eth(ethernet(ipv4({.src = "1.1.1.1", .dst = "2.2.2.2"}, kProtoIpip, inner4), kEtherIpv4));
    ASSERT_EQ(f44.kind, FrameKind::Tcp);
    EXPECT_EQ(f44.tunnel_depth, 1);
    EXPECT_EQ(f44.src, ip("192.0.2.1"));
    const auto f64 = decode_eth(eth_ipv6({}, inner4, kProtoIpip));
    EXPECT_EQ(f64.kind, FrameKind::Tcp);
    EXPECT_EQ(f64.ip_version, 4);
    TcpSpec s6 = hello_world_segment();
    s6.src = "2001:db8::1";
    s6.dst = "2001:db8::2";
    const auto f46 = decode_eth(ethernet(ipv4({}, kProtoIpv6, ip_tcp(s6)), kEtherIpv4));
    EXPECT_EQ(f46.kind, FrameKind::Tcp);
    EXPECT_EQ(f46.ip_version, 6);
}

TEST(Decode, GreVariantsArePeeled) {
    const Bytes inner = ip_tcp(hello_world_segment());
    for (const Bytes& g :
         {gre(inner, kEtherIpv4), gre(inner, kEtherIpv4, true, 7U, 9U), gre(inner, kEtherIpv4, false, 7U),
          gre(ethernet(inner, kEtherIpv4), kEtherTeb, false, {}, 1U)}) {
        const auto f = decode_eth(ethernet(ipv4({}, kProtoGre, g), kEtherIpv4));
        EXPECT_EQ(f.kind, FrameKind::Tcp);
        EXPECT_EQ(f.tunnel_depth, 1);
        EXPECT_EQ(f.payload_len, 11U);
    }
}

TEST(Decode, VxlanAndGeneveArePeeled) {
    const Bytes inner_eth = eth_tcp(hello_world_segment(), {VlanTag{.id = 9}});
    const auto vx = decode_eth(ethernet(ipv4({}, kProtoUdp, udp(1234, 4789, vxlan(inner_eth))), kEtherIpv4));
    ASSERT_EQ(vx.kind, FrameKind::Tcp);
    EXPECT_EQ(vx.tunnel_depth, 1);
    EXPECT_EQ(vx.dst_port, 443);
    EXPECT_EQ(vx.vlan, 0U);  // inner tags do not key the outer network
    const auto gn = decode_eth(ethernet(ipv4({}, kProtoUdp, udp(1234, 6081, geneve(inner_eth, 5, 6))), kEtherIpv4));
    ASSERT_EQ(gn.kind, FrameKind::Tcp);
    EXPECT_EQ(gn.payload_len, 11U);
}

TEST(Decode, TunnelNestingIsCapped) {
    Bytes pkt = ip_tcp(hello_world_segment());
    for (int i = 0; i < 10; ++i) pkt = ipv4({}, kProtoIpip, pkt);
    const auto f = decode_eth(ethernet(pkt, kEtherIpv4));
    EXPECT_NE(f.kind, FrameKind::Tcp);
    EXPECT_LE(f.tunnel_depth, 4);
}

// ---- TCP header ----------------------------------------------------------------------------------

TEST(Decode, DataOffsetBelowFiveIsMalformed) {
    TcpSpec s = hello_world_segment();
    s.data_offset = 3;
    const auto f = decode_eth(eth_tcp(s));
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_EQ(issue(f, AnnotationCode::BadTcpHeaderLen)->a, 12);
    EXPECT_EQ(f.dst_port, 443);
}

TEST(Decode, DataOffsetBeyondThePacketIsMalformed) {
    TcpSpec s = hello_world_segment();
    s.payload.clear();
    s.data_offset = 15;
    const auto f = decode_eth(eth_tcp(s));
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_EQ(issue(f, AnnotationCode::BadTcpHeaderLen)->a, 60);
}

TEST(Decode, BaseHeaderCutIsTruncatedFrame) {
    const Bytes full = eth_tcp(hello_world_segment());
    const auto f = decode_eth(cut(full, 14 + 20 + 10), static_cast<std::uint32_t>(full.size()));
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_TRUE(has_issue(f, AnnotationCode::TruncatedFrame));
    EXPECT_EQ(f.seq, 0x01020304U);  // the fields that were captured
}

TEST(Decode, OptionsCutBySnaplenAreTruncatedNotMalformed) {
    const Bytes full = eth_tcp(
        with_options(cat({opt::mss(1460), opt::sack_permitted(), opt::timestamps(1, 2), opt::nop(), opt::wscale(7)})));
    const auto f = decode_eth(cut(full, 14 + 20 + 20 + 6), static_cast<std::uint32_t>(full.size()));
    ASSERT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_TRUE(f.options.truncated);
    EXPECT_FALSE(f.options.malformed);
    EXPECT_EQ(f.options.mss, 1460);
    EXPECT_TRUE(f.options.sack_permitted);
    EXPECT_FALSE(f.options.timestamps);
    EXPECT_TRUE(has_issue(f, AnnotationCode::SnaplenTruncated));
}

TEST(Decode, EveryOptionKindIsDecoded) {
    const Bytes cookie = filled(8, 0xcc);
    const auto f =
        decode_eth(eth_tcp(with_options(cat({opt::mss(1400), opt::wscale(14), opt::sack_permitted(),
                                             opt::timestamps(0xdeadbeef, 7), opt::fast_open(cookie), opt::nop()}))));
    ASSERT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.options.mss, 1400);
    EXPECT_EQ(f.options.window_scale, 14);
    EXPECT_TRUE(f.options.sack_permitted);
    ASSERT_TRUE(f.options.timestamps);
    EXPECT_EQ(f.options.timestamps->value, 0xdeadbeefU);
    EXPECT_EQ(f.options.timestamps->echo_reply, 7U);
    EXPECT_TRUE(f.options.fast_open);
    EXPECT_EQ(f.options.fast_open_cookie_len, 8);
    const std::vector<std::uint8_t> kinds(f.options.kinds.begin(), f.options.kinds.begin() + f.options.count);
    EXPECT_EQ(kinds, (std::vector<std::uint8_t>{2, 3, 4, 8, 34, 1, 0}));
}

TEST(Decode, SackBlocksUpToFour) {
    const auto f =
        decode_eth(eth_tcp(with_options(cat({opt::nop(), opt::nop(), opt::sack({{1, 2}, {3, 4}, {5, 6}, {7, 8}})}))));
    ASSERT_EQ(f.options.sack_count, 4);
    EXPECT_EQ(f.options.sack[0], (tfx::SackBlock{1, 2}));
    EXPECT_EQ(f.options.sack[3], (tfx::SackBlock{7, 8}));
    EXPECT_FALSE(f.options.malformed);
}

TEST(Decode, ExperimentalFastOpenAndOtherKindsAreRecorded) {
    const auto f =
        decode_eth(eth_tcp(with_options(cat({opt::fast_open_exp(filled(4)), opt::md5(), opt::generic(29, filled(6)),
                                             opt::generic(30, filled(2)), opt::generic(106)}))));
    ASSERT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_TRUE(f.options.fast_open);
    EXPECT_EQ(f.options.fast_open_cookie_len, 4);
    const std::vector<std::uint8_t> kinds(f.options.kinds.begin(), f.options.kinds.begin() + f.options.count);
    EXPECT_EQ(kinds, (std::vector<std::uint8_t>{254, 19, 29, 30, 106}));
    // Kind 254 with another ExID is not TFO.
    const auto other = decode_eth(eth_tcp(with_options(bytes({254, 4, 0x12, 0x34}))));
    EXPECT_FALSE(other.options.fast_open);
}

TEST(Decode, WindowScaleAboveFourteenIsDecodedAsSent) {
    const auto f = decode_eth(eth_tcp(with_options(opt::wscale(20))));
    EXPECT_EQ(f.options.window_scale, 20);
    EXPECT_FALSE(f.options.malformed);
}

struct BadOption {
    const char* name;
    Bytes options;
    int kind;
    int length;
};

TEST(Decode, BadOptionLengthsAreFlagged) {
    const std::vector<BadOption> cases = {
        {"length 0", bytes({2, 0, 5, 0xb4}), 2, 0},
        {"length 1", bytes({8, 1, 0, 0}), 8, 1},
        {"past header", bytes({1, 1, 8, 10}), 8, 10},
        {"partial sack", bytes({5, 6, 0, 0, 0, 1, 0, 0}), 5, 6},
    };
    for (const auto& c : cases) {
        const auto f = decode_eth(eth_tcp(with_options(c.options)));
        EXPECT_EQ(f.kind, FrameKind::Tcp) << c.name;
        EXPECT_TRUE(f.options.malformed) << c.name;
        const auto a = issue(f, AnnotationCode::BadTcpOptionLen);
        ASSERT_TRUE(a) << c.name;
        EXPECT_EQ(a->a, c.kind) << c.name;
        EXPECT_EQ(a->b, c.length) << c.name;
    }
}

TEST(Decode, OptionWithWrongLengthForItsKindIsSkipped) {
    const auto f = decode_eth(eth_tcp(with_options(cat({bytes({2, 3, 5}), opt::wscale(2)}))));
    EXPECT_TRUE(f.options.malformed);
    EXPECT_FALSE(f.options.mss);
    EXPECT_EQ(f.options.window_scale, 2);
}

// ---- whole-frame robustness -------------------------------------------------------------------

TEST(Decode, ZeroLengthFramesOnEveryLinkType) {
    for (int lt : {0, 1, 9, 12, 14, 101, 104, 105, 108, 113, 127, 228, 229, 239, 242, 276, 147}) {
        const auto f = decode_frame(lt, {}, 0);
        EXPECT_NE(f.kind, FrameKind::Tcp) << lt;
    }
    EXPECT_EQ(decode_frame(1, {}, 0).kind, FrameKind::Malformed);
}

TEST(Decode, CaplenAboveWirelenIsNotedAndDecoded) {
    const Bytes b = eth_tcp(hello_world_segment());
    const auto f = decode_eth(b, 40);
    EXPECT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(issue(f, AnnotationCode::CaplenExceedsWirelen)->a, static_cast<std::int64_t>(b.size()));
}

TEST(Decode, EveryPrefixOfAComplexFrameIsSafe) {
    const Bytes inner =
        eth_tcp(with_options(cat({opt::mss(1460), opt::sack({{1, 2}}), opt::timestamps(3, 4)})), {VlanTag{.id = 3}});
    const Bytes frame =
        ethernet(ipv6({.ext = {ext::hop_by_hop(), ext::dest_opts()}}, kProtoUdp, udp(1, 4789, vxlan(inner))),
                 kEtherIpv6, {VlanTag{.tpid = kEtherQinQ, .id = 1}, VlanTag{.id = 2}});
    ASSERT_EQ(decode_eth(frame).kind, FrameKind::Tcp);
    for (std::size_t n = 0; n <= frame.size(); ++n) {
        const Bytes p = cut(frame, n);
        const auto f = decode_eth(p, static_cast<std::uint32_t>(frame.size()));
        if (f.kind == FrameKind::Tcp) {
            EXPECT_LE(f.payload_captured, f.payload_len);
        }
        (void)decode_eth(p);  // and when the frame claims to be whole
    }
}

TEST(Decode, RandomCorruptionNeverReadsOutOfBounds) {
    std::mt19937 rng(12345);
    const std::vector<std::pair<int, Bytes>> seeds = {
        {1, eth_tcp(with_options(cat({opt::mss(1), opt::sack({{1, 2}, {3, 4}})})))},
        {1, ethernet(ipv4({}, kProtoGre, gre(ethernet(ip_tcp(hello_world_segment()), kEtherIpv4), kEtherTeb)),
                     kEtherIpv4)},
        {239, nflog(ip_tcp(hello_world_segment()))},
        {127, radiotap_80211(ip_tcp(hello_world_segment()), kEtherIpv4)},
        {242, ipoib(ip_tcp(hello_world_segment()), kEtherIpv4)},
        {1, eth_ipv6({.ext = {ext::hop_by_hop(), ext::fragment(0, true)}}, tcp6())},
    };
    for (const auto& [lt, seed] : seeds) {
        for (int round = 0; round < 3000; ++round) {
            Bytes m = seed;
            const int flips = 1 + static_cast<int>(rng() % 4);
            for (int i = 0; i < flips; ++i) m[rng() % m.size()] = static_cast<std::byte>(rng());
            if (rng() % 4 == 0) m.resize(rng() % (m.size() + 1));
            const auto f = decode_frame(lt, m, static_cast<std::uint32_t>(rng() % 2000));
            EXPECT_LE(f.payload.size(), m.size());
            EXPECT_LE(f.issue_count, DecodedFrame::kMaxIssues);
        }
    }
}

}  // namespace
