// decode_frame: link layer -> (tunnels) -> IPv4/IPv6 -> TCP, reading only through ByteReader.
//
// Offsets are absolute positions in the captured frame. Each layer also carries a `limit`:
// where its enclosing datagram ends *on the wire*, which can lie past the captured bytes when
// the snaplen cut the frame. A length field that fits inside the limit but not inside the
// captured bytes is a snaplen cut (informational); one that does not fit inside the limit is
// a bad length (malformed). Lengths always come from the IP header, so Ethernet padding and
// trailing FCS bytes never count as payload.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "decode/byte_reader.hpp"
#include "decode/decoded_frame.hpp"
#include "tfx/session.hpp"

namespace tfx::decode {
namespace {

// Hostile nesting (IP-in-IP-in-GRE-in-...) must not cost more than a few layers of work.
constexpr int kMaxTunnelDepth = 4;
constexpr int kMaxVlanTags = 8;
constexpr int kMaxMplsLabels = 16;
// VN-Tags and LLC/SNAP headers, which can be stacked in any order with VLAN tags.
constexpr int kMaxLinkShims = 8;
// GTP-U extension headers (3GPP TS 29.281 §5.2): a handful in practice.
constexpr int kMaxGtpExtHeaders = 16;
// RFC 8200 §4.1 expects at most a handful; 12 leaves room for odd but legal chains.
constexpr int kMaxIpv6ExtHeaders = 12;

namespace ethertype {
constexpr std::uint16_t kIpv4 = 0x0800;
constexpr std::uint16_t kIpv6 = 0x86dd;
constexpr std::uint16_t kVlan = 0x8100;
constexpr std::uint16_t kQinQ = 0x88a8;
constexpr std::uint16_t kQinQOld = 0x9100;
constexpr std::uint16_t kTransparentEthernet = 0x6558;  // GRE/Geneve carrying Ethernet
constexpr std::uint16_t kMplsUnicast = 0x8847;
constexpr std::uint16_t kMplsMulticast = 0x8848;
constexpr std::uint16_t kPppoeSession = 0x8864;
constexpr std::uint16_t kPptpPpp = 0x880b;  // enhanced GRE (RFC 2637)
constexpr std::uint16_t kArp = 0x0806;
constexpr std::uint16_t kPbb = 0x88e7;         // 802.1ah I-TAG (provider backbone)
constexpr std::uint16_t kFabricPath = 0x8903;  // Cisco FabricPath
constexpr std::uint16_t kVnTag = 0x8926;       // Cisco VN-Tag (802.1Qbh)
// Aruba's GRE protocol types for raw 802.11 frames: 0x8200 to 0x8370 in steps of 16, and
// 0x9000 (the ones Zeek hands to its 802.11 analyzer).
constexpr bool is_aruba_wlan(std::uint16_t type) {
    return (type >= 0x8200 && type <= 0x8370 && (type & 0x000fU) == 0) || type == 0x9000;
}
}  // namespace ethertype

namespace ipproto {
constexpr std::uint8_t kHopByHop = 0;
constexpr std::uint8_t kIpip = 4;
constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;
constexpr std::uint8_t kIpv6 = 41;
constexpr std::uint8_t kRouting = 43;
constexpr std::uint8_t kFragment = 44;
constexpr std::uint8_t kGre = 47;
constexpr std::uint8_t kEsp = 50;
constexpr std::uint8_t kAh = 51;
constexpr std::uint8_t kNoNext = 59;
constexpr std::uint8_t kDestOpts = 60;
constexpr std::uint8_t kMobility = 135;
constexpr std::uint8_t kHip = 139;
constexpr std::uint8_t kShim6 = 140;
constexpr std::uint8_t kExperiment1 = 253;
constexpr std::uint8_t kExperiment2 = 254;
}  // namespace ipproto

constexpr bool is_ipv6_extension(std::uint8_t nh) {
    switch (nh) {
        case ipproto::kHopByHop:
        case ipproto::kRouting:
        case ipproto::kFragment:
        case ipproto::kEsp:
        case ipproto::kAh:
        case ipproto::kNoNext:
        case ipproto::kDestOpts:
        case ipproto::kMobility:
        case ipproto::kHip:
        case ipproto::kShim6:
        case ipproto::kExperiment1:
        case ipproto::kExperiment2: return true;
        default: return false;
    }
}

constexpr std::uint16_t kVxlanPort = 4789;
constexpr std::uint16_t kGenevePort = 6081;
constexpr std::uint16_t kTeredoPort = 3544;    // RFC 4380 §4: the Teredo server's port
constexpr std::uint16_t kAyiyaPort = 5072;     // AYIYA (Anything In Anything) tunnel broker
constexpr std::uint16_t kGtpUserPort = 2152;   // 3GPP TS 29.281 §4.4.2: GTP-U G-PDUs
constexpr std::uint16_t kGreInUdpPort = 4754;  // RFC 8086 §3.1: GRE-in-UDP

// BSD address families as written in DLT_NULL / DLT_LOOP headers.
constexpr std::uint32_t kAfInet = 2;
constexpr bool is_af_inet6(std::uint32_t af) { return af == 24 || af == 28 || af == 30; }

class Decoder {
public:
    Decoder(DecodedFrame& f, std::span<const std::byte> data, std::size_t wire_end)
        : f_(f), r_(data), wire_end_(wire_end) {}

    void run(int link_type);
    [[nodiscard]] FrameKind kind() const {
        if (malformed_) return FrameKind::Malformed;
        if (fragment_) return FrameKind::Fragment;
        if (outcome_ == Outcome::Tcp) return FrameKind::Tcp;
        return f_.ip_version != 0 ? FrameKind::NonTcp : FrameKind::NonIp;
    }

private:
    enum class Outcome : std::uint8_t { Pending, Tcp, NotTcp };

    // ---- bookkeeping ------------------------------------------------------------------
    void malformed(AnnotationCode code, std::int64_t a = 0, std::int64_t b = 0) {
        malformed_ = true;
        f_.add_issue(code, a, b);
    }
    // A header is cut short: by the snaplen if the wire had the bytes, else the frame lies.
    void cut_short(std::size_t off, std::size_t need) {
        malformed(AnnotationCode::TruncatedFrame, static_cast<std::int64_t>(off), static_cast<std::int64_t>(need));
    }
    void not_tcp() { outcome_ = Outcome::NotTcp; }
    [[nodiscard]] std::size_t captured_from(std::size_t off) const { return off < r_.size() ? r_.size() - off : 0; }
    [[nodiscard]] bool enter_tunnel() {
        if (f_.tunnel_depth >= kMaxTunnelDepth) {
            f_.add_issue(AnnotationCode::UnsupportedLinkHeader, 0, f_.tunnel_depth);
            not_tcp();
            return false;
        }
        ++f_.tunnel_depth;
        return true;
    }

    // ---- link layers --------------------------------------------------------------------
    void ethernet(std::size_t off, std::size_t limit);
    void ethertype_dispatch(std::uint16_t type, std::size_t off, std::size_t limit, bool outer);
    void mpls(std::size_t off, std::size_t limit);
    void ppp(std::size_t off, std::size_t limit);
    [[gnu::noinline]] void rare_ethertype(std::uint16_t type, std::size_t off, std::size_t limit, bool outer);
    void llc(std::size_t off, std::size_t limit, bool outer);
    void fddi(std::size_t limit);
    void vntag(std::size_t off, std::size_t limit, bool outer);
    void fabricpath(std::size_t off, std::size_t limit);
    void pbb(std::size_t off, std::size_t limit);
    void null_family(std::uint32_t af, std::size_t off, std::size_t limit);
    void nflog(std::size_t off, std::size_t limit);
    void radiotap(std::size_t off, std::size_t limit);
    void ieee80211(std::size_t off, std::size_t limit);
    void raw_ip(std::size_t off, std::size_t limit);
    void ipoib(std::size_t limit);

    // ---- network and tunnels ----------------------------------------------------------
    void ipv4(std::size_t off, std::size_t limit);
    void ipv6(std::size_t off, std::size_t limit);
    void l4(std::uint8_t proto, std::size_t off, std::size_t len, bool first_fragment);
    void udp(std::size_t off, std::size_t len);
    void gre(std::size_t off, std::size_t len);
    [[gnu::noinline]] void udp_tunnel(std::uint16_t sport, std::uint16_t dport, std::size_t off, std::size_t limit);
    void teredo(std::size_t off, std::size_t limit, bool by_port);
    void ayiya(std::size_t off, std::size_t limit);
    void gtp_user(std::size_t off, std::size_t limit);

    // ---- TCP ----------------------------------------------------------------------------
    void tcp(std::size_t off, std::size_t seg_len, bool first_fragment);
    void tcp_options(std::size_t off, std::size_t opt_len_header, std::size_t opt_len_captured);

    DecodedFrame& f_;
    ByteReader r_;
    std::size_t wire_end_;  // frame length on the wire (>= captured unless caplen > wirelen)
    bool malformed_ = false;
    bool fragment_ = false;
    std::uint8_t link_shims_ = 0;  // VN-Tags and LLC headers peeled (kMaxLinkShims)
    Outcome outcome_ = Outcome::Pending;
};

void Decoder::run(int link_type) {
    const std::size_t limit = wire_end_;
    switch (link_type) {
        case linktype::kEthernet: ethernet(0, limit); break;
        case linktype::kLinuxSll: {
            // packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2)
            const auto proto = r_.be16(14);
            if (!proto) return cut_short(0, 16);
            ethertype_dispatch(*proto, 16, limit, true);
            break;
        }
        case linktype::kLinuxSll2: {
            // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) addr len(1) addr(8)
            const auto proto = r_.be16(0);
            if (!proto || !r_.has(0, 20)) return cut_short(0, 20);
            ethertype_dispatch(*proto, 20, limit, true);
            break;
        }
        case linktype::kRaw:
        case linktype::kRaw14:
        case linktype::kRaw101: raw_ip(0, limit); break;
        case linktype::kIpv4: ipv4(0, limit); break;
        case linktype::kIpv6: ipv6(0, limit); break;
        case linktype::kNull: {
            // The family is in the capturing host's byte order: accept either.
            const auto le = r_.le32(0);
            const auto be = r_.be32(0);
            if (!le || !be) return cut_short(0, 4);
            const bool le_known = *le == kAfInet || is_af_inet6(*le);
            null_family(le_known ? *le : *be, 4, limit);
            break;
        }
        case linktype::kLoop: {
            const auto af = r_.be32(0);
            if (!af) return cut_short(0, 4);
            null_family(*af, 4, limit);
            break;
        }
        case linktype::kPpp: ppp(0, limit); break;
        case linktype::kCiscoHdlc: {
            // address(1) control(1) protocol(2, an ethertype)
            const auto proto = r_.be16(2);
            if (!proto) return cut_short(0, 4);
            ethertype_dispatch(*proto, 4, limit, true);
            break;
        }
        case linktype::kNflog: nflog(0, limit); break;
        case linktype::kRadiotap: radiotap(0, limit); break;
        case linktype::kIeee80211: ieee80211(0, limit); break;
        case linktype::kIpoib: ipoib(limit); break;
        case linktype::kFddi: fddi(limit); break;
        default:
            f_.add_issue(AnnotationCode::UnsupportedLinkHeader, link_type);
            not_tcp();
            break;
    }
}

void Decoder::ethernet(std::size_t off, std::size_t limit) {
    const auto type = r_.be16(off + 12);
    if (!type) return cut_short(off, 14);
    ethertype_dispatch(*type, off + 14, limit, f_.tunnel_depth == 0);
}

// Handles VLAN stacks (802.1Q, 802.1ad, the pre-standard 0x9100), MPLS and PPPoE before IP.
void Decoder::ethertype_dispatch(std::uint16_t type, std::size_t off, std::size_t limit, bool outer) {
    int tags = 0;
    while (type == ethertype::kVlan || type == ethertype::kQinQ || type == ethertype::kQinQOld) {
        const auto tci = r_.be16(off);
        const auto inner = r_.be16(off + 2);
        if (!tci || !inner) return cut_short(off, 4);
        if (tags >= kMaxVlanTags) return not_tcp();
        const std::uint32_t id = *tci & 0x0fffU;
        // Keep the two outermost tags: single tag = id; QinQ = outer << 12 | inner.
        if (outer) {
            if (tags == 0)
                f_.vlan = id;
            else if (tags == 1)
                f_.vlan = (f_.vlan << 12) | id;
        }
        ++tags;
        type = *inner;
        off += 4;
    }
    if (type <= 1500) return not_tcp();  // 802.3 length field: LLC/SNAP, STP, ...
    switch (type) {
        case ethertype::kIpv4: return ipv4(off, limit);
        case ethertype::kIpv6: return ipv6(off, limit);
        case ethertype::kMplsUnicast:
        case ethertype::kMplsMulticast: return mpls(off, limit);
        case ethertype::kPppoeSession:
            // ver/type(1) code(1) session(2) length(2), then the PPP protocol field.
            if (!r_.has(off, 6)) return cut_short(off, 6);
            return ppp(off + 6, limit);
        default: return rare_ethertype(type, off, limit, outer);
    }
}

// The data-center and carrier encapsulations, out of line: the switch above stays as small
// as the IPv4 and IPv6 path needs.
void Decoder::rare_ethertype(std::uint16_t type, std::size_t off, std::size_t limit, bool outer) {
    switch (type) {
        case ethertype::kVnTag: return vntag(off, limit, outer);
        case ethertype::kFabricPath: return fabricpath(off, limit);
        case ethertype::kPbb: return pbb(off, limit);
        default: return not_tcp();
    }
}

void Decoder::mpls(std::size_t off, std::size_t limit) {
    for (int i = 0; i < kMaxMplsLabels; ++i) {
        const auto label = r_.be32(off);
        if (!label) return cut_short(off, 4);
        off += 4;
        if ((*label & 0x100U) != 0) return raw_ip(off, limit);  // bottom of stack
    }
    not_tcp();
}

void Decoder::ppp(std::size_t off, std::size_t limit) {
    const auto b0 = r_.u8(off);
    const auto b1 = r_.u8(off + 1);
    if (!b0) return cut_short(off, 2);
    if (*b0 == 0xff && b1 && *b1 == 0x03) off += 2;  // HDLC address/control
    const auto p0 = r_.u8(off);
    if (!p0) return cut_short(off, 2);
    std::uint16_t proto = 0;
    if ((*p0 & 0x01) != 0) {  // protocol field compression (RFC 1661 §6.5): one byte
        proto = *p0;
        off += 1;
    } else {
        const auto p = r_.be16(off);
        if (!p) return cut_short(off, 2);
        proto = *p;
        off += 2;
    }
    if (proto == 0x0021) return ipv4(off, limit);
    if (proto == 0x0057) return ipv6(off, limit);
    not_tcp();
}

void Decoder::null_family(std::uint32_t af, std::size_t off, std::size_t limit) {
    if (af == kAfInet) return ipv4(off, limit);
    if (is_af_inet6(af)) return ipv6(off, limit);
    not_tcp();
}

// LINKTYPE_NFLOG: family(1) version(1) resource id(2), then TLVs whose length and type are
// in the capturing host's byte order. Each length includes the 4-byte TLV header and is
// padded to 4 bytes. NFULA_PAYLOAD (9) holds the IP packet.
void Decoder::nflog(std::size_t off, std::size_t limit) {
    if (!r_.has(off, 4)) return cut_short(off, 4);
    std::size_t pos = off + 4;
    int big_endian = -1;  // decided on the first TLV
    for (int guard = 0; guard < 256 && r_.has(pos, 4); ++guard) {
        const std::size_t room = limit > pos ? limit - pos : 0;
        if (big_endian < 0) {
            const std::uint16_t le = *r_.le16(pos);
            big_endian = (le >= 4 && le <= room) ? 0 : 1;
        }
        const std::uint16_t len = big_endian != 0 ? *r_.be16(pos) : *r_.le16(pos);
        const std::uint16_t type =
            static_cast<std::uint16_t>((big_endian != 0 ? *r_.be16(pos + 2) : *r_.le16(pos + 2)) & 0x7fffU);
        if (len < 4) break;
        if (type == 9) {
            const std::size_t end = pos + len;
            return raw_ip(pos + 4, std::min(end, limit));
        }
        pos += (static_cast<std::size_t>(len) + 3U) & ~std::size_t{3};
    }
    if (!r_.has(pos, 4) && pos < limit) return cut_short(pos, 4);
    not_tcp();
}

void Decoder::radiotap(std::size_t off, std::size_t limit) {
    // version(1) pad(1) length(2, little-endian) present(4)...
    const auto len = r_.le16(off + 2);
    if (!len) return cut_short(off, 4);
    if (*len < 8) return malformed(AnnotationCode::TruncatedFrame, static_cast<std::int64_t>(off), 8);
    ieee80211(off + *len, limit);
}

void Decoder::ieee80211(std::size_t off, std::size_t limit) {
    const auto fc0 = r_.u8(off);
    const auto fc1 = r_.u8(off + 1);
    if (!fc0 || !fc1) return cut_short(off, 2);
    const unsigned type = (*fc0 >> 2) & 0x3U;
    const unsigned subtype = (*fc0 >> 4) & 0xfU;
    if (type != 2) return not_tcp();              // management / control
    if ((subtype & 0x4U) != 0) return not_tcp();  // Null / QoS Null: no body
    if ((*fc1 & 0x40U) != 0) return not_tcp();    // protected: encrypted body
    std::size_t hdr = 24;
    if ((*fc1 & 0x03U) == 0x03U) hdr += 6;  // ToDS and FromDS: 4th address
    if ((subtype & 0x8U) != 0) {
        hdr += 2;                           // QoS control
        if ((*fc1 & 0x80U) != 0) hdr += 4;  // +HTC (Order bit on QoS data)
    }
    llc(off + hdr, limit, f_.tunnel_depth == 0);
}

// IEEE 802.2 LLC: DSAP(1) SSAP(1) control(1 or 2). IP travels in a SNAP header (RFC 1042):
// AA AA 03, then an OUI(3) and an ethertype(2). Other SAPs (STP's 0x42, NetBIOS's 0xF0...)
// carry no IP.
void Decoder::llc(std::size_t off, std::size_t limit, bool outer) {
    const auto dsap = r_.u8(off);
    const auto ssap = r_.u8(off + 1);
    if (!dsap || !ssap) return cut_short(off, 3);
    if (*dsap != 0xaa || *ssap != 0xaa) return not_tcp();
    const auto control = r_.u8(off + 2);
    const auto type = r_.be16(off + 6);
    if (!control || !type) return cut_short(off, 8);
    if (*control != 0x03) return not_tcp();  // SNAP travels in UI frames only
    if (++link_shims_ > kMaxLinkShims) return not_tcp();
    ethertype_dispatch(*type, off + 8, limit, outer);
}

// LINKTYPE_FDDI: frame control(1) destination(6) source(6), then LLC. Frame control's
// format bits (0x30) say 01 for an LLC frame; the others are tokens, SMT and MAC frames.
void Decoder::fddi(std::size_t limit) {
    const auto fc = r_.u8(0);
    if (!fc || !r_.has(0, 13)) return cut_short(0, 13);
    if ((*fc & 0x30U) != 0x10U) return not_tcp();
    llc(13, limit, true);
}

// Cisco VN-Tag: direction, pointer and interface fields(4), then the next ethertype(2).
// The tag names switch ports, not a VLAN: it does not key the flow.
void Decoder::vntag(std::size_t off, std::size_t limit, bool outer) {
    const auto type = r_.be16(off + 4);
    if (!type) return cut_short(off, 6);
    if (++link_shims_ > kMaxLinkShims) return not_tcp();
    ethertype_dispatch(*type, off + 6, limit, outer);
}

// Cisco FabricPath: after the outer addresses and the 0x8903 ethertype, FTag and TTL(2);
// the classic Ethernet frame follows whole. Its VLAN tags lie inside the fabric's
// encapsulation, so, as for VXLAN, they do not key the flow.
void Decoder::fabricpath(std::size_t off, std::size_t limit) {
    if (!r_.has(off, 2)) return cut_short(off, 2);
    if (!enter_tunnel()) return;
    ethernet(off + 2, limit);
}

// IEEE 802.1ah (PBB, MAC-in-MAC): I-TAG (priority, flags, 24-bit service id)(4), then the
// customer's destination(6) and source(6) addresses and ethertype: a customer frame inside
// the backbone one. The backbone VLAN (B-tag, before the I-TAG) keys the flow.
void Decoder::pbb(std::size_t off, std::size_t limit) {
    if (!r_.has(off, 4)) return cut_short(off, 4);
    if (!enter_tunnel()) return;
    ethernet(off + 4, limit);
}

// LINKTYPE_IPOIB. RFC 4391 §6 defines a 4-byte header: protocol type (an ethertype) and 2
// reserved zero bytes. Linux captures (libpcap on an ib interface, and what Wireshark's
// LINKTYPE_IPOIB dissector expects) put 40 bytes in front of it: a 20-byte field, then the
// 20-byte destination hardware address (QPN + GID), so the protocol type sits at offset 40
// and IP at 44. Take the 44-byte form when offset 40 holds a known protocol type followed
// by zeros, else the bare 4-byte form when offset 0 does.
void Decoder::ipoib(std::size_t limit) {
    const auto known = [this](std::size_t at) {
        const auto type = r_.be16(at);
        const auto reserved = r_.be16(at + 2);
        if (!type || !reserved || *reserved != 0) return false;
        return *type == ethertype::kIpv4 || *type == ethertype::kIpv6 || *type == ethertype::kArp;
    };
    if (known(40)) return ethertype_dispatch(*r_.be16(40), 44, limit, true);
    if (known(0)) return ethertype_dispatch(*r_.be16(0), 4, limit, true);
    if (!r_.has(0, 4)) return cut_short(0, 4);
    not_tcp();
}

void Decoder::raw_ip(std::size_t off, std::size_t limit) {
    const auto b0 = r_.u8(off);
    if (!b0) return cut_short(off, 1);
    switch (*b0 >> 4) {
        case 4: return ipv4(off, limit);
        case 6: return ipv6(off, limit);
        default: return malformed(AnnotationCode::BadIpVersion, *b0 >> 4);
    }
}

void Decoder::ipv4(std::size_t off, std::size_t limit) {
    const auto b0 = r_.u8(off);
    if (!b0) return cut_short(off, 20);
    if ((*b0 >> 4) != 4) return malformed(AnnotationCode::BadIpVersion, *b0 >> 4);
    const std::size_t hlen = (*b0 & 0x0fU) * 4U;
    if (hlen < 20) return malformed(AnnotationCode::BadIpHeaderLen, static_cast<std::int64_t>(hlen));
    if (!r_.has(off, 20)) return cut_short(off, 20);

    const std::uint16_t total = *r_.be16(off + 2);
    const std::uint16_t frag = *r_.be16(off + 6);
    f_.ip_version = 4;
    f_.ip_id = *r_.be16(off + 4);
    f_.ttl = *r_.u8(off + 8);
    f_.ip_proto = *r_.u8(off + 9);
    f_.src = IpAddress{.version = 4, .bytes = {}};
    f_.dst = IpAddress{.version = 4, .bytes = {}};
    (void)r_.copy(off + 12, std::span<std::uint8_t>(f_.src.bytes.data(), 4));
    (void)r_.copy(off + 16, std::span<std::uint8_t>(f_.dst.bytes.data(), 4));
    f_.frag_offset = static_cast<std::uint32_t>(frag & 0x1fffU) * 8U;
    f_.more_fragments = (frag & 0x2000U) != 0;

    const std::size_t room = limit > off ? limit - off : 0;  // bytes on the wire from here
    const std::size_t captured = captured_from(off);
    std::size_t len = total;
    if (total == 0) {
        // TSO / BIG TCP (RFC 2675 has no IPv4 jumbogram): the frame is the only length.
        f_.add_issue(AnnotationCode::IpLengthZero, 0, static_cast<std::int64_t>(room));
        len = room;
    } else if (total < 20) {
        // Smaller than any IPv4 header. (A total that covers 20 bytes but not the IHL says
        // the IHL points beyond the packet: BadIpHeaderLen below.)
        return malformed(AnnotationCode::BadIpTotalLen, total, static_cast<std::int64_t>(captured));
    } else if (total > room) {
        // Longer than the frame on the wire: the length lies. Like Wireshark ("IPv4 total
        // length exceeds packet length"), flag it and carry on with the bytes that exist, so
        // the segment still takes part in the analysis.
        f_.add_issue(AnnotationCode::BadIpTotalLen, total, static_cast<std::int64_t>(captured));
        len = std::min(room, captured);
    }
    if (hlen > len) return malformed(AnnotationCode::BadIpHeaderLen, static_cast<std::int64_t>(hlen));
    if (!r_.has(off, hlen)) return cut_short(off, hlen);

    const bool is_fragment = f_.more_fragments || f_.frag_offset != 0;
    if (is_fragment) {
        const auto proto = f_.ip_proto;
        const bool could_carry_tcp =
            proto == ipproto::kTcp || proto == ipproto::kIpip || proto == ipproto::kIpv6 || proto == ipproto::kGre;
        if (!could_carry_tcp) return not_tcp();
        fragment_ = true;
        f_.fragment = FragmentLayout{.ip_offset = static_cast<std::uint32_t>(off),
                                     .unfrag_len = static_cast<std::uint32_t>(hlen),
                                     .nh_byte = 0,
                                     .next_header = proto,
                                     .payload_offset = static_cast<std::uint32_t>(off + hlen),
                                     .payload_len = static_cast<std::uint32_t>(len - hlen),
                                     .id = f_.ip_id};
        f_.add_issue(AnnotationCode::IpFragment, f_.frag_offset);
        if (f_.frag_offset != 0 || proto != ipproto::kTcp) return not_tcp();
    }
    l4(f_.ip_proto, off + hlen, len - hlen, is_fragment);
}

void Decoder::ipv6(std::size_t off, std::size_t limit) {
    const auto b0 = r_.u8(off);
    if (!b0) return cut_short(off, 40);
    if ((*b0 >> 4) != 6) return malformed(AnnotationCode::BadIpVersion, *b0 >> 4);
    if (!r_.has(off, 40)) return cut_short(off, 40);

    const std::uint16_t plen = *r_.be16(off + 4);
    std::uint8_t nh = *r_.u8(off + 6);
    f_.ip_version = 6;
    f_.ip_id = 0;
    f_.ttl = *r_.u8(off + 7);
    f_.frag_offset = 0;
    f_.more_fragments = false;
    f_.src = IpAddress{.version = 6, .bytes = {}};
    f_.dst = IpAddress{.version = 6, .bytes = {}};
    (void)r_.copy(off + 8, f_.src.bytes);
    (void)r_.copy(off + 24, f_.dst.bytes);

    const std::size_t start = off + 40;
    const std::size_t room = limit > start ? limit - start : 0;
    const std::size_t captured = captured_from(start);
    std::size_t len = plen;
    const bool length_zero = plen == 0;
    if (length_zero) {
        len = room;  // replaced by the Jumbo Payload option if one follows
    } else if (plen > room) {
        f_.add_issue(AnnotationCode::BadIpTotalLen, plen, static_cast<std::int64_t>(captured));
        len = std::min(room, captured);
    }
    std::size_t end = start + len;
    bool jumbo = false;

    std::size_t pos = start;
    std::size_t nh_pos = off + 6;  // the byte naming the header at `pos`
    bool first_fragment = false;
    for (int count = 0; is_ipv6_extension(nh); ++count) {
        if (nh == ipproto::kEsp || nh == ipproto::kNoNext) {  // encrypted, or nothing follows
            f_.ip_proto = nh;
            return not_tcp();
        }
        std::size_t ext_len = 0;
        if (nh == ipproto::kFragment) {
            ext_len = 8;
        } else if (const auto l = r_.u8(pos + 1)) {
            ext_len = nh == ipproto::kAh ? (static_cast<std::size_t>(*l) + 2U) * 4U  // RFC 4302 §2.2
                                         : (static_cast<std::size_t>(*l) + 1U) * 8U;
        }
        if (count >= kMaxIpv6ExtHeaders) return malformed(AnnotationCode::BadIpv6ExtHeader, nh, count);
        if (ext_len == 0 || pos + ext_len > end) {
            // The header's length byte is missing, or the header overruns the datagram.
            if (ext_len == 0 && pos + 2 <= end) return cut_short(pos, 2);
            return malformed(AnnotationCode::BadIpv6ExtHeader, nh, static_cast<std::int64_t>(pos - off));
        }
        if (!r_.has(pos, ext_len)) return cut_short(pos, ext_len);
        if (nh == ipproto::kHopByHop && count == 0) {
            // RFC 2675 Jumbo Payload: option 0xC2, length 4, covers everything after the
            // fixed header. §3: it is an error (the receiver drops the packet) with a
            // payload length other than 0, with a value of 65535 or less (which is also what
            // keeps it from ending inside this header, at most 2 KiB), or with a Fragment
            // header.
            std::size_t o = pos + 2;
            while (o < pos + ext_len) {
                const std::uint8_t t = *r_.u8(o);
                if (t == 0) {  // Pad1
                    ++o;
                    continue;
                }
                const auto ol = r_.u8(o + 1);
                if (!ol || o + 2 + *ol > pos + ext_len) break;
                if (t == 0xc2 && *ol == 4) {
                    const std::uint32_t jl = *r_.be32(o + 2);
                    jumbo = true;
                    if (!length_zero)
                        return malformed(AnnotationCode::BadIpTotalLen, plen, static_cast<std::int64_t>(captured));
                    if (jl <= 65535)
                        return malformed(AnnotationCode::BadIpTotalLen, jl, static_cast<std::int64_t>(captured));
                    if (jl > room) {
                        f_.add_issue(AnnotationCode::BadIpTotalLen, jl, static_cast<std::int64_t>(captured));
                        end = start + std::min(room, captured);
                    } else {
                        end = start + jl;
                    }
                    break;
                }
                o += 2U + *ol;
            }
        }
        if (nh == ipproto::kFragment) {
            if (jumbo) return malformed(AnnotationCode::BadIpv6ExtHeader, nh, static_cast<std::int64_t>(pos - off));
            const std::uint16_t fo = *r_.be16(pos + 2);
            const std::uint32_t frag_off = fo & 0xfff8U;
            const bool more = (fo & 0x1U) != 0;
            // RFC 6946: an "atomic" fragment (offset 0, M clear) is a whole packet.
            if (frag_off != 0 || more) {
                f_.frag_offset = frag_off;
                f_.more_fragments = more;
                first_fragment = frag_off == 0;
                const std::uint8_t upper = *r_.u8(pos);
                f_.ip_proto = upper;
                if (upper != ipproto::kTcp && upper != ipproto::kIpip && upper != ipproto::kIpv6 &&
                    upper != ipproto::kGre)
                    return not_tcp();
                fragment_ = true;
                f_.fragment = FragmentLayout{.ip_offset = static_cast<std::uint32_t>(off),
                                             .unfrag_len = static_cast<std::uint32_t>(pos - off),
                                             .nh_byte = static_cast<std::uint32_t>(nh_pos),
                                             .next_header = upper,
                                             .payload_offset = static_cast<std::uint32_t>(pos + 8),
                                             .payload_len = static_cast<std::uint32_t>(end - pos - 8),
                                             .id = *r_.be32(pos + 4)};
                f_.add_issue(AnnotationCode::IpFragment, frag_off);
                if (!first_fragment || upper != ipproto::kTcp) return not_tcp();
            }
        }
        nh = *r_.u8(pos);
        nh_pos = pos;
        pos += ext_len;
    }
    f_.ip_proto = nh;
    if (length_zero && !jumbo) f_.add_issue(AnnotationCode::IpLengthZero, 0, static_cast<std::int64_t>(end - start));
    l4(nh, pos, end - pos, first_fragment);
}

void Decoder::l4(std::uint8_t proto, std::size_t off, std::size_t len, bool first_fragment) {
    switch (proto) {
        case ipproto::kTcp: return tcp(off, len, first_fragment);
        case ipproto::kIpip:
            if (!enter_tunnel()) return;
            return ipv4(off, off + len);
        case ipproto::kIpv6:
            if (!enter_tunnel()) return;
            return ipv6(off, off + len);
        case ipproto::kGre: return gre(off, len);
        case ipproto::kUdp: return udp(off, len);
        default: return not_tcp();
    }
}

void Decoder::udp(std::size_t off, std::size_t len) {
    const auto dport = r_.be16(off + 2);
    if (!dport || len < 8) return not_tcp();
    const std::size_t limit = off + len;
    if (*dport == kVxlanPort) {
        // flags(1: I = 0x08) reserved(3) VNI(3) reserved(1), then Ethernet.
        const auto flags = r_.u8(off + 8);
        if (!flags || (*flags & 0x08U) == 0 || len < 16) return not_tcp();
        if (!enter_tunnel()) return;
        return ethernet(off + 16, limit);
    }
    if (*dport == kGenevePort) {
        // ver(2 bits) opt len(6 bits, 4-byte units) flags(1) protocol(2) VNI(3) reserved(1)
        const auto b0 = r_.u8(off + 8);
        const auto proto = r_.be16(off + 10);
        if (!b0 || !proto || (*b0 >> 6) != 0) return not_tcp();
        const std::size_t hdr = 8U + (*b0 & 0x3fU) * 4U;
        if (8 + hdr > len) return not_tcp();
        if (!enter_tunnel()) return;
        if (*proto == ethertype::kTransparentEthernet) return ethernet(off + 8 + hdr, limit);
        return ethertype_dispatch(*proto, off + 8 + hdr, limit, false);
    }
    udp_tunnel(*r_.be16(off), *dport, off + 8, limit);
}

// The other tunnels Zeek finds in UDP, by port: GRE-in-UDP and GTP-U to their destination
// port (source ports carry entropy or are the peer's); AYIYA and Teredo servers answer from
// theirs. Teredo relays and clients talk from any port, so Teredo is also recognised by content.
void Decoder::udp_tunnel(std::uint16_t sport, std::uint16_t dport, std::size_t off, std::size_t limit) {
    if (dport == kGreInUdpPort) return gre(off, limit - off);
    if (dport == kGtpUserPort) return gtp_user(off, limit);
    if (sport == kAyiyaPort || dport == kAyiyaPort) return ayiya(off, limit);
    teredo(off, limit, sport == kTeredoPort || dport == kTeredoPort);
}

// Teredo (RFC 4380 §5.1.1): an IPv6 packet in UDP, behind an optional authentication
// indicator (00 01, client id length(1), authentication length(1), client id, authentication
// value, nonce(8), confirmation(1)) and then an optional origin indication (00 00, port(2),
// address(4)). On another port than the server's, only a packet that reads as Teredo
// throughout is taken: an IPv6 header whose payload length fills the datagram exactly, from
// or to a Teredo address (2001:0::/32, RFC 4380 §2.6), as Zeek's detection requires.
void Decoder::teredo(std::size_t off, std::size_t limit, bool by_port) {
    const auto missing = [&](std::size_t at, std::size_t need) { return by_port ? cut_short(at, need) : not_tcp(); };
    std::size_t pos = off;
    auto tag = r_.be16(pos);
    if (tag && *tag == 0x0001) {
        const auto id_len = r_.u8(pos + 2);
        const auto auth_len = r_.u8(pos + 3);
        if (!id_len || !auth_len) return missing(pos, 4);
        pos += 13U + *id_len + *auth_len;
        tag = r_.be16(pos);
    }
    if (tag && *tag == 0x0000) {
        pos += 8;
        tag = r_.be16(pos);
    }
    if (!tag) return missing(pos, 40);
    if ((*tag >> 12) != 6) return not_tcp();
    if (pos + 40 > limit) {
        // The indicators, or the datagram, leave no room for an IPv6 header.
        if (!by_port) return not_tcp();
        return malformed(AnnotationCode::TruncatedFrame, static_cast<std::int64_t>(pos), 40);
    }
    if (!by_port) {
        const auto plen = r_.be16(pos + 4);
        const auto src = r_.be32(pos + 8);
        const auto dst = r_.be32(pos + 24);
        if (!plen || !src || !dst) return not_tcp();
        if (pos + 40 + *plen != limit) return not_tcp();
        if (*src != 0x20010000U && *dst != 0x20010000U) return not_tcp();
    }
    if (!enter_tunnel()) return;
    ipv6(pos, limit);
}

// AYIYA (Anything In Anything, draft-massar-v6ops-ayiya): identity length (log2 bytes, 4
// bits) and type(4 bits), signature length (4-byte words, 4 bits) and hash method(4 bits),
// authentication method(4 bits) and operation(4 bits), next header(1), epoch time(4); then
// the identity, the signature, and the payload. Only operation 1 (forward) carries a packet;
// its next header is an IP protocol number.
void Decoder::ayiya(std::size_t off, std::size_t limit) {
    if (!r_.has(off, 8)) return cut_short(off, 8);
    const std::uint8_t b0 = *r_.u8(off);
    const std::uint8_t b1 = *r_.u8(off + 1);
    const std::uint8_t b2 = *r_.u8(off + 2);
    const std::uint8_t next = *r_.u8(off + 3);
    if ((b2 & 0x0fU) != 1) return not_tcp();  // heartbeat, query, response...
    if (next != ipproto::kIpip && next != ipproto::kIpv6) return not_tcp();
    const std::size_t hdr = 8U + (std::size_t{1} << (b0 >> 4)) + (b1 >> 4) * 4U;
    if (off + hdr > limit) {
        return malformed(AnnotationCode::TruncatedFrame, static_cast<std::int64_t>(off),
                         static_cast<std::int64_t>(hdr));
    }
    if (!r_.has(off, hdr)) return cut_short(off, hdr);
    l4(next, off + hdr, limit - off - hdr, false);
}

// GTPv1-U (3GPP TS 29.281 §5.1): flags(1: version(3 bits) = 1, protocol type = 1, spare, E,
// S, PN), message type(1), length(2: the bytes after these 8), TEID(4). When E, S or PN is
// set, sequence(2), N-PDU number(1) and the next extension header type(1) follow; each
// extension header is a length(1, in 4-byte units) and ends with the next type (0: none).
// Message type 255 (G-PDU) carries the user's packet; the others are path management.
void Decoder::gtp_user(std::size_t off, std::size_t limit) {
    if (!r_.has(off, 8)) return cut_short(off, 8);
    const std::uint8_t flags = *r_.u8(off);
    if ((flags >> 5) != 1 || (flags & 0x10U) == 0) return not_tcp();  // GTP', GTPv2
    if (*r_.u8(off + 1) != 0xff) return not_tcp();
    const std::size_t end = off + 8 + *r_.be16(off + 2);
    if (end > limit) {
        return malformed(AnnotationCode::TruncatedFrame, static_cast<std::int64_t>(off),
                         static_cast<std::int64_t>(end - off));
    }
    std::size_t pos = off + 8;
    if ((flags & 0x07U) != 0) {
        if (pos + 4 > end) {
            return malformed(AnnotationCode::TruncatedFrame, static_cast<std::int64_t>(pos), 4);
        }
        const auto first = r_.u8(pos + 3);
        if (!first) return cut_short(pos, 4);
        std::uint8_t type = (flags & 0x04U) != 0 ? *first : 0;
        pos += 4;
        for (int count = 0; type != 0; ++count) {
            if (count >= kMaxGtpExtHeaders) return not_tcp();
            const auto units = r_.u8(pos);
            const std::size_t ext_len = units ? std::size_t{*units} * 4U : 4U;
            if (pos + ext_len > end) {
                // The G-PDU's length ends inside the extension header.
                return malformed(AnnotationCode::TruncatedFrame, static_cast<std::int64_t>(pos),
                                 static_cast<std::int64_t>(ext_len));
            }
            if (!units) return cut_short(pos, 4);
            if (*units == 0) return not_tcp();  // a zero length cannot be skipped
            const auto following = r_.u8(pos + ext_len - 1);
            if (!following) return cut_short(pos, ext_len);
            type = *following;
            pos += ext_len;
        }
    }
    if (pos >= end) return not_tcp();  // an empty G-PDU
    const auto b0 = r_.u8(pos);
    if (!b0) return cut_short(pos, 1);
    const unsigned version = *b0 >> 4U;
    if (version != 4 && version != 6) return not_tcp();  // PPP, Ethernet or unstructured PDUs
    if (!enter_tunnel()) return;
    raw_ip(pos, end);
}

// GRE (RFC 2784/2890): flags C(0x8000) R(0x4000) K(0x2000) S(0x1000), version in the low
// 3 bits. Version 1 is PPTP's enhanced GRE (RFC 2637) carrying PPP.
void Decoder::gre(std::size_t off, std::size_t len) {
    const auto flags = r_.be16(off);
    const auto proto = r_.be16(off + 2);
    if (!flags || !proto) return cut_short(off, 4);
    const unsigned version = *flags & 0x7U;
    std::size_t hdr = 4;
    if (version == 0) {
        if ((*flags & 0x4000U) != 0) return not_tcp();  // RFC 1701 source routing: obsolete
        if ((*flags & 0x8000U) != 0) hdr += 4;
        if ((*flags & 0x2000U) != 0) hdr += 4;
        if ((*flags & 0x1000U) != 0) hdr += 4;
    } else if (version == 1) {
        if (*proto != ethertype::kPptpPpp) return not_tcp();
        hdr += 4;                               // payload length + call id
        if ((*flags & 0x1000U) != 0) hdr += 4;  // sequence
        if ((*flags & 0x0080U) != 0) hdr += 4;  // acknowledgment
    } else {
        return not_tcp();
    }
    if (hdr > len) return not_tcp();
    const std::size_t inner = off + hdr;
    const std::size_t limit = off + len;
    switch (*proto) {
        case ethertype::kIpv4:
            if (!enter_tunnel()) return;
            return ipv4(inner, limit);
        case ethertype::kIpv6:
            if (!enter_tunnel()) return;
            return ipv6(inner, limit);
        case ethertype::kTransparentEthernet:
            if (!enter_tunnel()) return;
            return ethernet(inner, limit);
        case ethertype::kPptpPpp:
            if (!enter_tunnel()) return;
            return ppp(inner, limit);
        case ethertype::kMplsUnicast:
            if (!enter_tunnel()) return;
            return mpls(inner, limit);
        default:
            if (!ethertype::is_aruba_wlan(*proto)) return not_tcp();
            if (!enter_tunnel()) return;
            return ieee80211(inner, limit);
    }
}

void Decoder::tcp(std::size_t off, std::size_t seg_len, bool first_fragment) {
    const std::size_t captured = std::min(seg_len, captured_from(off));
    const ByteReader seg{r_.clamped(off, captured)};

    // Take every field that is present, even when the header is cut: the row shows them.
    if (auto v = seg.be16(0)) f_.src_port = *v;
    if (auto v = seg.be16(2)) f_.dst_port = *v;
    if (auto v = seg.be32(4)) f_.seq = *v;
    if (auto v = seg.be32(8)) f_.ack = *v;
    const auto b12 = seg.u8(12);
    if (b12) f_.tcp_header_len = static_cast<std::uint8_t>((*b12 >> 4) * 4U);
    if (auto v = seg.u8(13)) f_.flags = static_cast<std::uint16_t>(((*b12 & 0x01U) << 8) | *v);
    if (auto v = seg.be16(14)) f_.window = *v;
    if (auto v = seg.be16(16)) f_.checksum = *v;
    if (auto v = seg.be16(18)) f_.urgent = *v;

    if (captured < 20) {
        if (first_fragment && seg_len < 20) return;  // header continues in the next fragment
        if (seg_len < 20) {
            // The IP datagram itself has no room for a TCP header.
            return malformed(AnnotationCode::BadTcpHeaderLen,
                             b12 ? f_.tcp_header_len : static_cast<std::int64_t>(seg_len));
        }
        return cut_short(off, 20);
    }
    const std::size_t doff = f_.tcp_header_len;
    if (doff < 20) return malformed(AnnotationCode::BadTcpHeaderLen, static_cast<std::int64_t>(doff));
    if (doff > seg_len) {
        if (first_fragment) return;
        return malformed(AnnotationCode::BadTcpHeaderLen, static_cast<std::int64_t>(doff),
                         static_cast<std::int64_t>(seg_len));
    }
    outcome_ = Outcome::Tcp;

    const std::size_t header_captured = std::min(doff, captured);
    tcp_options(off + 20, doff - 20, header_captured - 20);

    f_.payload_len = static_cast<std::uint32_t>(seg_len - doff);
    const std::size_t payload_present = captured > doff ? captured - doff : 0;
    f_.payload_captured = static_cast<std::uint32_t>(std::min<std::size_t>(f_.payload_len, payload_present));
    f_.payload = r_.clamped(off + doff, f_.payload_captured);

    if (captured < seg_len) {
        if (header_captured < doff) f_.options.truncated = true;
        f_.add_issue(AnnotationCode::SnaplenTruncated, static_cast<std::int64_t>(seg_len - captured));
    }
}

// RFC 9293 §3.2: EOL and NOP are one byte; every other option is kind, length, data.
void Decoder::tcp_options(std::size_t off, std::size_t opt_len_header, std::size_t opt_len_captured) {
    TcpOptions& o = f_.options;
    const ByteReader opts{r_.clamped(off, opt_len_captured)};
    std::size_t pos = 0;
    while (pos < opt_len_header) {
        if (pos >= opt_len_captured) {
            o.truncated = true;
            return;
        }
        const std::uint8_t kind = *opts.u8(pos);
        if (o.count < TcpOptions::kMaxEntries) o.kinds[o.count++] = kind;
        if (kind == tcpopt::kEol) return;
        if (kind == tcpopt::kNop) {
            ++pos;
            continue;
        }
        const auto len_byte = opts.u8(pos + 1);
        if (!len_byte) {
            if (pos + 1 >= opt_len_header) {
                o.malformed = true;
                f_.add_issue(AnnotationCode::BadTcpOptionLen, kind, -1);
                return;
            }
            o.truncated = true;
            return;
        }
        const std::size_t len = *len_byte;
        if (len < 2 || pos + len > opt_len_header) {
            o.malformed = true;
            f_.add_issue(AnnotationCode::BadTcpOptionLen, kind, static_cast<std::int64_t>(len));
            return;
        }
        if (pos + len > opt_len_captured) {
            o.truncated = true;
            return;
        }
        bool length_ok = true;
        switch (kind) {
            case tcpopt::kMss:
                length_ok = len == 4;
                if (length_ok) o.mss = *opts.be16(pos + 2);
                break;
            case tcpopt::kWindowScale:
                length_ok = len == 3;
                if (length_ok) o.window_scale = *opts.u8(pos + 2);  // as sent, even > 14
                break;
            case tcpopt::kSackPermitted:
                length_ok = len == 2;
                if (length_ok) o.sack_permitted = true;
                break;
            case tcpopt::kSack: {
                // RFC 2018 §3: 8n + 2 bytes, n >= 1.
                length_ok = len >= 10 && (len - 2) % 8 == 0;
                if (!length_ok) break;
                o.sack_count = 0;
                for (std::size_t b = pos + 2; b + 8 <= pos + len && o.sack_count < o.sack.size(); b += 8)
                    o.sack[o.sack_count++] = SackBlock{*opts.be32(b), *opts.be32(b + 4)};
                break;
            }
            case tcpopt::kTimestamps:
                length_ok = len == 10;
                if (length_ok) o.timestamps = TimestampOption{*opts.be32(pos + 2), *opts.be32(pos + 6)};
                break;
            case tcpopt::kFastOpen:
                // RFC 7413 §4.1.1: empty (cookie request) or a 4..16-byte cookie.
                o.fast_open = true;
                o.fast_open_cookie_len = static_cast<std::uint8_t>(len - 2);
                break;
            case tcpopt::kExperimental:
                // RFC 6994 shared experimental option: 16-bit ExID; 0xF989 was TFO's.
                if (len >= 4 && *opts.be16(pos + 2) == 0xf989) {
                    o.fast_open = true;
                    o.fast_open_cookie_len = static_cast<std::uint8_t>(len - 4);
                }
                break;
            default: break;  // MD5 (19), TCP-AO (29), MPTCP (30), unknown: recorded by kind
        }
        if (!length_ok) {
            // The length is wrong for the kind but still frames the option: flag and skip it.
            o.malformed = true;
            f_.add_issue(AnnotationCode::BadTcpOptionLen, kind, static_cast<std::int64_t>(len));
        }
        pos += len;
    }
}

}  // namespace

DecodedFrame decode_frame(int link_type, std::span<const std::byte> data, std::uint32_t wire_len) {
    DecodedFrame f;
    decode_frame_into(f, link_type, data, wire_len);
    return f;
}

void decode_frame_into(DecodedFrame& f, int link_type, std::span<const std::byte> data, std::uint32_t wire_len) {
    f = DecodedFrame{};
    std::size_t wire_end = wire_len;
    if (data.size() > wire_len) {
        f.add_issue(AnnotationCode::CaplenExceedsWirelen, static_cast<std::int64_t>(data.size()), wire_len);
        wire_end = data.size();
    }
    Decoder d{f, data, wire_end};
    d.run(link_type);
    f.kind = d.kind();
}

}  // namespace tfx::decode
