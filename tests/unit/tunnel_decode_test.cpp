// Link layers and tunnels Zeek decodes (FDDI with 802.2 LLC/SNAP, VN-Tag, Cisco FabricPath, PBB,
// Teredo, AYIYA, GTP-U, GRE-in-UDP, Aruba GRE, MPLS in GRE): each hand-built frame must
// yield the inner TCP segment's addresses, ports and payload, and every capture cut inside
// the encapsulation or the inner headers must be a malformed (truncated) frame, never a
// non-TCP frame that silently vanishes from the conversation.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "decode/decoded_frame.hpp"
#include "support/frame_builder.hpp"
#include "tfx/session.hpp"

namespace {

using namespace tfx::test;
using tfx::AnnotationCode;
using tfx::decode::decode_frame;
using tfx::decode::DecodedFrame;
using tfx::decode::FrameKind;
namespace linktype = tfx::linktype;

constexpr int kLinkFddi = 10;
constexpr std::uint16_t kEtherMpls = 0x8847;

TcpSpec inner6(const std::string& src = "2001:0:4137:9e50:8000:f12a:b9c8:2815",
               const std::string& dst = "2001:4860:0:2001::68") {
    TcpSpec s = hello_world_segment();
    s.src = src;
    s.dst = dst;
    return s;
}

DecodedFrame decode(int link, const Bytes& b, std::uint32_t wire = 0) {
    return decode_frame(link, b, wire != 0 ? wire : static_cast<std::uint32_t>(b.size()));
}

bool has_issue(const DecodedFrame& f, AnnotationCode code) {
    return std::any_of(f.issue_list().begin(), f.issue_list().end(),
                       [code](const tfx::Annotation& a) { return a.code == code; });
}

std::string payload_text(const DecodedFrame& f) {
    std::string s;
    for (const auto b : f.payload) s.push_back(static_cast<char>(b));
    return s;
}

// The inner segment of `spec`, read back whole.
void expect_inner(const DecodedFrame& f, const TcpSpec& spec) {
    ASSERT_EQ(f.kind, FrameKind::Tcp);
    EXPECT_EQ(f.src, ip(spec.src));
    EXPECT_EQ(f.dst, ip(spec.dst));
    EXPECT_EQ(f.src_port, spec.sport);
    EXPECT_EQ(f.dst_port, spec.dport);
    EXPECT_EQ(f.seq, spec.seq);
    EXPECT_EQ(f.payload_len, spec.payload.size());
    EXPECT_EQ(payload_text(f), std::string(reinterpret_cast<const char*>(spec.payload.data()), spec.payload.size()));
}

// Cut by the capture (the wire length stays the frame's) at every byte from `from` to the end
// of the inner TCP header: each must be malformed for a truncated header.
void expect_cuts_malformed(int link, const Bytes& frame, std::size_t from, std::size_t payload_len) {
    const std::size_t tcp_end = frame.size() - payload_len;
    for (std::size_t keep = from; keep < tcp_end; ++keep) {
        Bytes cut(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(keep));
        const auto f = decode(link, cut, static_cast<std::uint32_t>(frame.size()));
        EXPECT_EQ(f.kind, FrameKind::Malformed) << "cut at byte " << keep;
        EXPECT_TRUE(has_issue(f, AnnotationCode::TruncatedFrame)) << "cut at byte " << keep;
    }
}

Bytes eth_ip_udp(std::uint16_t sport, std::uint16_t dport, const Bytes& payload) {
    return ethernet(ipv4({.src = "10.1.1.1", .dst = "10.2.2.2"}, kProtoUdp, udp(sport, dport, payload)), kEtherIpv4);
}
constexpr std::size_t kEthIpUdp = 14 + 20 + 8;

// ---- FDDI and LLC/SNAP ---------------------------------------------------------------------

TEST(TunnelDecode, fddi_llc_snap_carries_ip) {
    const TcpSpec s = hello_world_segment();
    const Bytes frame = fddi(ip_tcp(s), kEtherIpv4);
    const auto f = decode(kLinkFddi, frame);
    expect_inner(f, s);
    EXPECT_EQ(f.vlan, 0U);
    EXPECT_TRUE(tfx::link_type_supported(kLinkFddi));
    expect_cuts_malformed(kLinkFddi, frame, 0, s.payload.size());
}

TEST(TunnelDecode, fddi_frames_other_than_llc_carry_no_ip) {
    Bytes smt = fddi(ip_tcp(hello_world_segment()), kEtherIpv4);
    smt[0] = std::byte{0x41};  // station management frame
    EXPECT_EQ(decode(kLinkFddi, smt).kind, FrameKind::NonIp);
    Bytes stp = fddi(ip_tcp(hello_world_segment()), kEtherIpv4);
    stp[13] = stp[14] = std::byte{0x42};  // spanning tree SAP, not SNAP
    EXPECT_EQ(decode(kLinkFddi, stp).kind, FrameKind::NonIp);
}

TEST(TunnelDecode, short_llc_frame_that_is_not_snap_is_not_malformed) {
    // An 802.2 TEST frame: DSAP, SSAP, control, nothing more.
    Bytes frame = fddi({}, kEtherIpv4);
    frame.resize(13);
    frame.insert(frame.end(), {std::byte{0x42}, std::byte{0x42}, std::byte{0xf3}});
    EXPECT_EQ(decode(kLinkFddi, frame).kind, FrameKind::NonIp);
}

// ---- VN-Tag, FabricPath, PBB ----------------------------------------------------------------

TEST(TunnelDecode, vntag_is_skipped_and_the_vlan_after_it_keys_the_flow) {
    const TcpSpec s = hello_world_segment();
    const Bytes tagged = ethernet(ip_tcp(s), kEtherIpv4, {VlanTag{.id = 33}});
    // VN-Tag, then a VLAN tag, then IPv4: the ethertype after the VN-Tag is the 802.1Q TPID.
    Bytes l2 = bytes({0x80, 0x05, 0x00, 0x12});
    l2.insert(l2.end(), tagged.begin() + 12, tagged.end());
    const Bytes frame = ethernet(l2, kEtherVnTag);
    const auto f = decode(linktype::kEthernet, frame);
    expect_inner(f, s);
    EXPECT_EQ(f.vlan, 33U);
    EXPECT_EQ(f.tunnel_depth, 0);
    const Bytes plain = ethernet_vntag(ip_tcp(s), kEtherIpv4);
    expect_inner(decode(linktype::kEthernet, plain), s);
    expect_cuts_malformed(linktype::kEthernet, plain, 14, s.payload.size());
}

TEST(TunnelDecode, fabricpath_carries_a_whole_ethernet_frame) {
    const TcpSpec s = inner6("1234::e", "5678::");
    const Bytes frame = fabricpath(eth_tcp(s, {VlanTag{.id = 5}}));
    const auto f = decode(linktype::kEthernet, frame);
    expect_inner(f, s);
    EXPECT_EQ(f.tunnel_depth, 1);
    EXPECT_EQ(f.vlan, 0U);  // the classic Ethernet frame's tag lies inside the fabric header
    expect_cuts_malformed(linktype::kEthernet, frame, 14, s.payload.size());
}

TEST(TunnelDecode, pbb_carries_a_customer_frame_and_the_backbone_vlan_keys_it) {
    const TcpSpec s = hello_world_segment();
    const Bytes frame = pbb(eth_tcp(s, {VlanTag{.id = 258}}), 1011);
    const auto f = decode(linktype::kEthernet, frame);
    expect_inner(f, s);
    EXPECT_EQ(f.vlan, 1011U);
    EXPECT_EQ(f.tunnel_depth, 1);
    expect_cuts_malformed(linktype::kEthernet, frame, 18, s.payload.size());
}

Bytes stacked_vntags(int count) {
    Bytes l2 = ip_tcp(hello_world_segment());
    std::uint16_t type = kEtherIpv4;
    for (int i = 0; i < count; ++i) {
        Bytes t = bytes({0x80, 0x05, 0x00, 0x12});
        put_be16(t, type);
        t.insert(t.end(), l2.begin(), l2.end());
        l2 = std::move(t);
        type = kEtherVnTag;
    }
    return ethernet(l2, kEtherVnTag);
}

TEST(TunnelDecode, stacked_link_shims_are_capped) {
    expect_inner(decode(linktype::kEthernet, stacked_vntags(4)), hello_world_segment());
    EXPECT_EQ(decode(linktype::kEthernet, stacked_vntags(64)).kind, FrameKind::NonIp);

    Bytes nested = eth_tcp(hello_world_segment());
    for (int i = 0; i < 16; ++i) nested = (i % 2 == 0) ? fabricpath(nested) : pbb(nested);
    const auto fp = decode(linktype::kEthernet, nested);
    EXPECT_NE(fp.kind, FrameKind::Tcp);
    EXPECT_LE(fp.tunnel_depth, 4);
}

// ---- Teredo ----------------------------------------------------------------------------------

TEST(TunnelDecode, teredo_on_the_server_port_with_indicators) {
    const TcpSpec s = inner6();
    for (const bool origin : {false, true}) {
        for (const bool auth : {false, true}) {
            const Bytes frame = eth_ip_udp(3544, 51234, teredo(ip_tcp(s), origin, auth));
            const auto f = decode(linktype::kEthernet, frame);
            expect_inner(f, s);
            EXPECT_EQ(f.tunnel_depth, 1);
            expect_cuts_malformed(linktype::kEthernet, frame, kEthIpUdp, s.payload.size());
        }
    }
}

TEST(TunnelDecode, teredo_between_any_ports_is_recognised_by_its_addresses) {
    // Zeek's Teredo.pcap: data between a client and a relay on ports 3797 and 32900.
    const TcpSpec s = inner6();
    expect_inner(decode(linktype::kEthernet, eth_ip_udp(32900, 3797, teredo(ip_tcp(s)))), s);
    // Reversed direction: the Teredo address is the destination.
    const TcpSpec back = inner6("2001:4860:0:2001::68", "2001:0:4137:9e50:8000:f12a:b9c8:2815");
    expect_inner(decode(linktype::kEthernet, eth_ip_udp(3797, 32900, teredo(ip_tcp(back)))), back);
}

TEST(TunnelDecode, ipv6_in_udp_without_teredo_evidence_is_left_alone) {
    // Off the Teredo port, neither address in 2001:0::/32: not Teredo.
    const TcpSpec plain = inner6("2001:db8::1", "2001:db8::2");
    EXPECT_EQ(decode(linktype::kEthernet, eth_ip_udp(32900, 3797, ip_tcp(plain))).kind, FrameKind::NonTcp);
    // A Teredo address, but the IPv6 length does not fill the datagram: not Teredo either.
    Bytes longer = ip_tcp(inner6());
    longer.push_back(std::byte{0});
    EXPECT_EQ(decode(linktype::kEthernet, eth_ip_udp(32900, 3797, longer)).kind, FrameKind::NonTcp);
    // DNS on port 53 whose first bytes happen to look like an origin indication.
    EXPECT_EQ(decode(linktype::kEthernet, eth_ip_udp(53, 1920, cat({bytes({0, 0}), filled(60)}))).kind,
              FrameKind::NonTcp);
}

TEST(TunnelDecode, teredo_indicators_overrunning_the_datagram_are_malformed) {
    // Authentication indicator claiming 255 + 255 bytes in a short datagram.
    Bytes t = teredo(ip_tcp(inner6()), false, true);
    t[2] = t[3] = std::byte{0xff};
    Bytes frame = eth_ip_udp(51234, 3544, Bytes(t.begin(), t.begin() + 20));
    const auto f = decode(linktype::kEthernet, frame);
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_TRUE(has_issue(f, AnnotationCode::TruncatedFrame));
}

// ---- AYIYA -----------------------------------------------------------------------------------

TEST(TunnelDecode, ayiya_forward_carries_ipv6_and_ipv4) {
    const TcpSpec s6 = inner6("2001:db8::1", "2001:db8::2");
    const Bytes frame6 = eth_ip_udp(5072, 40000, ayiya(ip_tcp(s6), kProtoIpv6));
    const auto f6 = decode(linktype::kEthernet, frame6);
    expect_inner(f6, s6);
    EXPECT_EQ(f6.tunnel_depth, 1);
    expect_cuts_malformed(linktype::kEthernet, frame6, kEthIpUdp, s6.payload.size());
    const TcpSpec s4 = hello_world_segment();
    const Bytes frame4 = eth_ip_udp(40000, 5072, ayiya(ip_tcp(s4), kProtoIpip, 0, 0));
    expect_inner(decode(linktype::kEthernet, frame4), s4);
    expect_cuts_malformed(linktype::kEthernet, frame4, kEthIpUdp, s4.payload.size());
}

TEST(TunnelDecode, ayiya_other_operations_carry_no_packet) {
    Bytes heartbeat = ayiya(ip_tcp(inner6("2001:db8::1", "2001:db8::2")), kProtoIpv6);
    heartbeat[2] = std::byte{0x10};  // operation 0: no operation / heartbeat
    EXPECT_EQ(decode(linktype::kEthernet, eth_ip_udp(40000, 5072, heartbeat)).kind, FrameKind::NonTcp);
}

TEST(TunnelDecode, ayiya_identity_longer_than_the_datagram_is_malformed) {
    Bytes a = ayiya(ip_tcp(hello_world_segment()), kProtoIpip);
    a[0] = std::byte{0xf1};  // 2^15 identity bytes
    const auto f = decode(linktype::kEthernet, eth_ip_udp(40000, 5072, a));
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_TRUE(has_issue(f, AnnotationCode::TruncatedFrame));
}

// ---- GTP-U -----------------------------------------------------------------------------------

TEST(TunnelDecode, gtp_u_g_pdu_carries_the_user_packet) {
    const TcpSpec s = hello_world_segment();
    for (const Bytes& g : {gtp_u(ip_tcp(s)), gtp_u(ip_tcp(s), 9, true), gtp_u(ip_tcp(s), 9, false, {1, 2})}) {
        // Uplink and downlink both go to 2152 (3GPP TS 29.281 §4.4.2), from any source port.
        const Bytes frame = eth_ip_udp(5906, 2152, g);
        const auto f = decode(linktype::kEthernet, frame);
        expect_inner(f, s);
        EXPECT_EQ(f.tunnel_depth, 1);
        expect_cuts_malformed(linktype::kEthernet, frame, kEthIpUdp, s.payload.size());
    }
    const TcpSpec s6 = inner6("2001:db8::1", "2001:db8::2");
    expect_inner(decode(linktype::kEthernet, eth_ip_udp(2152, 2152, gtp_u(ip_tcp(s6), 3, true))), s6);
}

TEST(TunnelDecode, gtp_messages_other_than_g_pdu_carry_no_packet) {
    Bytes echo = gtp_u(ip_tcp(hello_world_segment()));
    echo[1] = std::byte{0x01};  // echo request
    EXPECT_EQ(decode(linktype::kEthernet, eth_ip_udp(2152, 2152, echo)).kind, FrameKind::NonTcp);
    Bytes v2 = gtp_u(ip_tcp(hello_world_segment()));
    v2[0] = std::byte{0x48};  // GTPv2-C
    EXPECT_EQ(decode(linktype::kEthernet, eth_ip_udp(2152, 2152, v2)).kind, FrameKind::NonTcp);
    Bytes zero_ext = gtp_u(ip_tcp(hello_world_segment()), 9, false, {1});
    zero_ext[12] = std::byte{0};  // extension header of length 0 cannot be skipped
    EXPECT_EQ(decode(linktype::kEthernet, eth_ip_udp(2152, 2152, zero_ext)).kind, FrameKind::NonTcp);
}

TEST(TunnelDecode, gtp_lengths_past_the_datagram_are_malformed) {
    Bytes g = gtp_u(ip_tcp(hello_world_segment()));
    g[2] = std::byte{0x40};  // length 0x40xx: beyond the UDP datagram
    const auto f = decode(linktype::kEthernet, eth_ip_udp(2152, 2152, g));
    EXPECT_EQ(f.kind, FrameKind::Malformed);
    EXPECT_TRUE(has_issue(f, AnnotationCode::TruncatedFrame));
    Bytes e = gtp_u(ip_tcp(hello_world_segment()), 9, false, {1});
    e[12] = std::byte{0x7f};  // an extension header of 508 bytes
    const auto fe = decode(linktype::kEthernet, eth_ip_udp(2152, 2152, e));
    EXPECT_EQ(fe.kind, FrameKind::Malformed);
}

// ---- GRE: in UDP, Aruba, MPLS ----------------------------------------------------------------

TEST(TunnelDecode, gre_in_udp_is_peeled) {
    const TcpSpec s = hello_world_segment();
    const Bytes frame = eth_ip_udp(61000, 4754, gre(ip_tcp(s), kEtherIpv4, false, 77U));
    const auto f = decode(linktype::kEthernet, frame);
    expect_inner(f, s);
    EXPECT_EQ(f.tunnel_depth, 1);
    expect_cuts_malformed(linktype::kEthernet, frame, kEthIpUdp, s.payload.size());
}

TEST(TunnelDecode, aruba_gre_protocol_range_carries_80211) {
    const TcpSpec s = hello_world_segment();
    const Bytes radio = radiotap_80211(ip_tcp(s), kEtherIpv4);
    const Bytes wlan(radio.begin() + 12, radio.end());  // the 802.11 frame without radiotap
    for (const std::uint16_t proto :
         {std::uint16_t{0x8200}, std::uint16_t{0x8220}, std::uint16_t{0x8370}, std::uint16_t{0x9000}}) {
        const Bytes frame = ethernet(ipv4({}, kProtoGre, gre(wlan, proto)), kEtherIpv4);
        expect_inner(decode(linktype::kEthernet, frame), s);
    }
    EXPECT_EQ(decode(linktype::kEthernet, ethernet(ipv4({}, kProtoGre, gre(wlan, 0x8201)), kEtherIpv4)).kind,
              FrameKind::NonTcp);
}

TEST(TunnelDecode, mpls_in_gre_is_peeled) {
    const TcpSpec s = hello_world_segment();
    const Bytes labelled = cat({bytes({0x00, 0x01, 0x01, 0x40}), ip_tcp(s)});  // label 16, bottom of stack
    const Bytes frame = ethernet(ipv4({}, kProtoGre, gre(labelled, kEtherMpls)), kEtherIpv4);
    expect_inner(decode(linktype::kEthernet, frame), s);
}

}  // namespace
