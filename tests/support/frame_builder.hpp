#pragma once
// Builds frames in code for tests (the libtins way): TCP segments with any options,
// IPv4/IPv6 (options, extension headers, fragments), every link type decode reads, tunnels.
// Checksums are computed, so frames also look right to tcpdump/Wireshark.
//
//   using namespace tfx::test;
//   auto syn = eth_tcp({.src = "10.0.0.1", .dst = "10.0.0.2", .sport = 40000, .dport = 80,
//                       .seq = 100, .flags = tfx::tcpflag::kSyn,
//                       .options_bytes = cat(opt::mss(1460), opt::nop(), opt::wscale(7))});
//   auto v6 = eth_tcp({.src = "2001:db8::1", .dst = "2001:db8::2", .payload = text("hi")});
//   auto q  = eth_tcp(spec, {VlanTag{.id = 100}, VlanTag{.id = 200}});
//
// Building blocks compose: ethernet(ipv4(Ipv4Spec{...}, kProtoTcp, tcp(spec)), kEtherIpv4).

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tfx/types.hpp"

namespace tfx::test {

using Bytes = std::vector<std::byte>;

inline constexpr std::uint16_t kEtherIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherIpv6 = 0x86dd;
inline constexpr std::uint16_t kEtherArp = 0x0806;
inline constexpr std::uint16_t kEtherVlan = 0x8100;
inline constexpr std::uint16_t kEtherQinQ = 0x88a8;
inline constexpr std::uint16_t kEtherTeb = 0x6558;  ///< transparent Ethernet bridging (GRE)
inline constexpr std::uint8_t kProtoIpip = 4;
inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint8_t kProtoIpv6 = 41;
inline constexpr std::uint8_t kProtoGre = 47;

// ---- byte helpers -------------------------------------------------------------------------

/// Bytes from small integers: bytes({0x45, 0x00}).
[[nodiscard]] Bytes bytes(std::initializer_list<int> values);
/// The characters of `s` as bytes.
[[nodiscard]] Bytes text(std::string_view s);
/// `n` copies of `fill`.
[[nodiscard]] Bytes filled(std::size_t n, std::uint8_t fill = 0x61);
/// Concatenation.
[[nodiscard]] Bytes cat(std::initializer_list<Bytes> parts);
void put_be16(Bytes& b, std::uint16_t v);
void put_be32(Bytes& b, std::uint32_t v);
void put_le16(Bytes& b, std::uint16_t v);
void put_le32(Bytes& b, std::uint32_t v);
/// Parses "10.0.0.1" or "2001:db8::1"; aborts the test binary on bad text.
[[nodiscard]] IpAddress ip(const std::string& text);

// ---- TCP options (raw bytes; any can be built wrong on purpose with bytes({...})) --------
namespace opt {
[[nodiscard]] Bytes eol();
[[nodiscard]] Bytes nop();
[[nodiscard]] Bytes mss(std::uint16_t mss);
[[nodiscard]] Bytes wscale(std::uint8_t shift);
[[nodiscard]] Bytes sack_permitted();
[[nodiscard]] Bytes sack(std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> blocks);
[[nodiscard]] Bytes timestamps(std::uint32_t value, std::uint32_t echo);
[[nodiscard]] Bytes fast_open(std::span<const std::byte> cookie = {});      ///< kind 34
[[nodiscard]] Bytes fast_open_exp(std::span<const std::byte> cookie = {});  ///< kind 254, 0xF989
[[nodiscard]] Bytes md5(std::uint8_t fill = 0);                             ///< kind 19, 18 bytes
/// Any kind with a well-formed length byte (2 + data).
[[nodiscard]] Bytes generic(std::uint8_t kind, std::span<const std::byte> data = {});
}  // namespace opt

// ---- TCP ------------------------------------------------------------------------------------

/// One TCP segment and the IP addresses around it. IPv6 when `src` contains ':'.
struct TcpSpec {
    std::string src = "10.0.0.1";
    std::string dst = "10.0.0.2";
    std::uint16_t sport = 40000;
    std::uint16_t dport = 80;
    std::uint32_t seq = 1000;
    std::uint32_t ack = 0;
    std::uint16_t flags = tcpflag::kAck;  ///< 9 bits incl. kAe
    std::uint16_t window = 65535;
    std::uint16_t urgent = 0;
    /// Raw option bytes; padded with EOL (zero) bytes to a multiple of 4 unless `data_offset`
    /// is set.
    Bytes options_bytes{};
    Bytes payload{};
    /// Data offset in 32-bit words, written as given (to build bad headers); default: computed.
    std::optional<std::uint8_t> data_offset{};
    std::optional<std::uint16_t> checksum{};  ///< default: computed
    std::uint8_t ttl = 64;
    std::uint16_t ip_id = 1;
};

/// A data segment to decode back: ACK+PSH, "hello world", window 501, from 192.0.2.1:51000
/// to 198.51.100.7:443 (documentation addresses), with sequence and acknowledgment numbers
/// whose four bytes all differ (a swapped byte shows).
[[nodiscard]] TcpSpec hello_world_segment();

/// The TCP header + options + payload (checksum over the spec's addresses).
[[nodiscard]] Bytes tcp(const TcpSpec& spec);
/// IPv4 or IPv6 packet (by address family) carrying tcp(spec).
[[nodiscard]] Bytes ip_tcp(const TcpSpec& spec);

// ---- IP -------------------------------------------------------------------------------------

struct Ipv4Spec {
    std::string src = "10.0.0.1";
    std::string dst = "10.0.0.2";
    std::uint8_t ttl = 64;
    std::uint16_t id = 1;
    std::uint8_t tos = 0;
    bool dont_fragment = true;
    bool more_fragments = false;
    std::uint16_t frag_offset = 0;                ///< bytes (multiple of 8)
    Bytes options{};                              ///< raw IP options, padded to 4 bytes with EOL
    std::optional<std::uint16_t> total_length{};  ///< default: header + payload
    std::optional<std::uint8_t> ihl{};            ///< header length in words, written as given
};
[[nodiscard]] Bytes ipv4(const Ipv4Spec& spec, std::uint8_t proto, std::span<const std::byte> payload);

/// One IPv6 extension header, complete: byte 0 (next header) is filled in by ipv6().
struct Ipv6Ext {
    std::uint8_t type = 0;
    Bytes bytes{};
};
namespace ext {
/// Hop-by-Hop (0), Destination Options (60): TLV options, padded with PadN to 8n bytes.
[[nodiscard]] Ipv6Ext hop_by_hop(const Bytes& options = {});
[[nodiscard]] Ipv6Ext dest_opts(const Bytes& options = {});
/// Hop-by-Hop carrying a Jumbo Payload option (RFC 2675).
[[nodiscard]] Ipv6Ext jumbo(std::uint32_t length);
/// Routing header type 0 with `segments_left` and no addresses (8 bytes).
[[nodiscard]] Ipv6Ext routing(std::uint8_t segments_left = 0);
/// Fragment header (44): offset in bytes (multiple of 8).
[[nodiscard]] Ipv6Ext fragment(std::uint16_t offset, bool more, std::uint32_t id = 0x1234);
/// Authentication Header (51) with `icv_words` 32-bit words of ICV.
[[nodiscard]] Ipv6Ext ah(std::uint8_t icv_words = 3);
/// Anything: `type` and the raw header bytes (first byte overwritten with next header).
[[nodiscard]] Ipv6Ext raw(std::uint8_t type, Bytes header);
}  // namespace ext

struct Ipv6Spec {
    std::string src = "2001:db8::1";
    std::string dst = "2001:db8::2";
    std::uint8_t hop_limit = 64;
    std::uint32_t flow_label = 0;
    std::vector<Ipv6Ext> ext{};                     ///< in wire order
    std::optional<std::uint16_t> payload_length{};  ///< default: ext headers + payload
};
[[nodiscard]] Bytes ipv6(const Ipv6Spec& spec, std::uint8_t proto, std::span<const std::byte> payload);

/// TCP checksum of `segment` (checksum field taken as zero) with the pseudo-header.
[[nodiscard]] std::uint16_t tcp_checksum(const IpAddress& src, const IpAddress& dst,
                                         std::span<const std::byte> segment);

// ---- link layers ---------------------------------------------------------------------------

struct VlanTag {
    std::uint16_t tpid = kEtherVlan;  ///< 0x8100, 0x88a8 or 0x9100
    std::uint16_t id = 1;
    std::uint8_t pcp = 0;
    bool dei = false;
};

/// Ethernet II with optional VLAN tags (outermost first) and optional zero padding to
/// `min_size` bytes (60 = the Ethernet minimum without FCS).
[[nodiscard]] Bytes ethernet(std::span<const std::byte> l3, std::uint16_t ethertype,
                             const std::vector<VlanTag>& tags = {}, std::size_t min_size = 0);
/// Linux cooked v1 (LINUX_SLL, 113).
[[nodiscard]] Bytes sll(std::span<const std::byte> l3, std::uint16_t protocol);
/// Linux cooked v2 (LINUX_SLL2, 276).
[[nodiscard]] Bytes sll2(std::span<const std::byte> l3, std::uint16_t protocol);
/// BSD NULL (0): 4-byte address family in little- or big-endian order.
[[nodiscard]] Bytes null_loopback(std::span<const std::byte> l3, std::uint32_t family, bool big_endian = false);
/// OpenBSD LOOP (108): address family in network byte order.
[[nodiscard]] Bytes loop(std::span<const std::byte> l3, std::uint32_t family);
/// PPP (9): optional FF 03 address/control, then the 16-bit protocol (0x0021, 0x0057).
[[nodiscard]] Bytes ppp(std::span<const std::byte> l3, std::uint16_t protocol, bool address_control = true);
/// Cisco HDLC (104).
[[nodiscard]] Bytes chdlc(std::span<const std::byte> l3, std::uint16_t ethertype);
/// IP over InfiniBand (242): the 44-byte form Linux captures carry (20 bytes, destination
/// QPN + GID, protocol type, reserved) or, with `pseudo_header` false, RFC 4391's bare 4 bytes.
[[nodiscard]] Bytes ipoib(std::span<const std::byte> l3, std::uint16_t ethertype, bool pseudo_header = true);
/// NFLOG (239): a prefix TLV, then NFULA_PAYLOAD; TLV fields in little-endian unless asked.
[[nodiscard]] Bytes nflog(std::span<const std::byte> l3, std::uint8_t family = 2, bool big_endian_tlv = false);
/// 802.11 data frame (QoS optional) with LLC/SNAP, behind a minimal radiotap header (127).
[[nodiscard]] Bytes radiotap_80211(std::span<const std::byte> l3, std::uint16_t ethertype, bool qos = true);

// ---- tunnels ---------------------------------------------------------------------------------

/// GRE header (+ optional checksum, key, sequence words) followed by `inner`.
[[nodiscard]] Bytes gre(std::span<const std::byte> inner, std::uint16_t protocol, bool checksum = false,
                        std::optional<std::uint32_t> key = {}, std::optional<std::uint32_t> sequence = {});
/// UDP header (checksum 0) followed by `payload`.
[[nodiscard]] Bytes udp(std::uint16_t sport, std::uint16_t dport, std::span<const std::byte> payload);
/// VXLAN header (8 bytes) followed by an inner Ethernet frame.
[[nodiscard]] Bytes vxlan(std::span<const std::byte> inner_ethernet, std::uint32_t vni = 42);
/// Geneve header with `option_words` 4-byte option words, carrying `protocol`.
[[nodiscard]] Bytes geneve(std::span<const std::byte> inner, std::uint32_t vni = 42, std::uint8_t option_words = 0,
                           std::uint16_t protocol = kEtherTeb);

/// Teredo (RFC 4380 §5.1.1): an optional authentication indicator (with `auth_id_len` and
/// `auth_value_len` bytes of client id and authentication value), an optional origin
/// indication, then `ipv6_packet`.
[[nodiscard]] Bytes teredo(std::span<const std::byte> ipv6_packet, bool origin = false, bool auth = false,
                           std::uint8_t auth_id_len = 3, std::uint8_t auth_value_len = 5);
/// AYIYA forward (operation 1): 8-byte header with 2^`id_log2` identity bytes and
/// `sig_words` 4-byte signature words, then `inner` (an IP packet of protocol `next_header`).
[[nodiscard]] Bytes ayiya(std::span<const std::byte> inner, std::uint8_t next_header, std::uint8_t id_log2 = 4,
                          std::uint8_t sig_words = 5);
/// GTPv1-U G-PDU (message type 255) carrying `inner`; with `sequence` the optional 4 bytes,
/// and each of `ext_words` an extension header of that many 4-byte words (implies E).
[[nodiscard]] Bytes gtp_u(std::span<const std::byte> inner, std::uint32_t teid = 7, bool sequence = false,
                          std::vector<std::uint8_t> ext_words = {});

// ---- more link layers --------------------------------------------------------------------------

inline constexpr std::uint16_t kEtherPbb = 0x88e7;         ///< 802.1ah I-TAG
inline constexpr std::uint16_t kEtherFabricPath = 0x8903;  ///< Cisco FabricPath
inline constexpr std::uint16_t kEtherVnTag = 0x8926;       ///< Cisco VN-Tag

/// 802.2 LLC/SNAP (AA AA 03, OUI 00 00 00) with `ethertype`, then `l3`.
[[nodiscard]] Bytes llc_snap(std::span<const std::byte> l3, std::uint16_t ethertype);
/// FDDI (LINKTYPE_FDDI, 10): frame control 0x50 (async LLC), addresses, LLC/SNAP, `l3`.
[[nodiscard]] Bytes fddi(std::span<const std::byte> l3, std::uint16_t ethertype);
/// Ethernet with a VN-Tag before `ethertype`.
[[nodiscard]] Bytes ethernet_vntag(std::span<const std::byte> l3, std::uint16_t ethertype);
/// Cisco FabricPath: outer addresses, 0x8903, FTag/TTL, then the whole `inner_ethernet`.
[[nodiscard]] Bytes fabricpath(std::span<const std::byte> inner_ethernet);
/// 802.1ah: backbone Ethernet with a B-tag (802.1ad, `b_vid`), the I-TAG (`isid`), then the
/// whole `customer_ethernet` frame.
[[nodiscard]] Bytes pbb(std::span<const std::byte> customer_ethernet, std::uint16_t b_vid = 100,
                        std::uint32_t isid = 0x1ebb30);

// ---- one-call frames ------------------------------------------------------------------------

/// Ethernet + IPv4/IPv6 (by address) + TCP, optional VLAN tags.
[[nodiscard]] Bytes eth_tcp(const TcpSpec& spec, const std::vector<VlanTag>& tags = {});
/// Same, IPv4 spelled out (the address must be IPv4).
[[nodiscard]] Bytes eth_ipv4_tcp(const TcpSpec& spec);
[[nodiscard]] Bytes eth_ipv6_tcp(const TcpSpec& spec);
/// Linux cooked v1/v2 + IP + TCP.
[[nodiscard]] Bytes sll_tcp(const TcpSpec& spec);
[[nodiscard]] Bytes sll2_tcp(const TcpSpec& spec);

}  // namespace tfx::test
