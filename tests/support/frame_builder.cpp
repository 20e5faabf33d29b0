#include "support/frame_builder.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <cstdlib>

namespace tfx::test {
namespace {

std::byte b8(unsigned v) { return static_cast<std::byte>(v & 0xffU); }

void append(Bytes& out, std::span<const std::byte> more) { out.insert(out.end(), more.begin(), more.end()); }

std::uint32_t sum16(std::span<const std::byte> data, std::uint32_t acc) {
    for (std::size_t i = 0; i < data.size(); i += 2) {
        const auto hi = std::to_integer<std::uint32_t>(data[i]);
        const auto lo = i + 1 < data.size() ? std::to_integer<std::uint32_t>(data[i + 1]) : 0U;
        acc += (hi << 8) | lo;
    }
    return acc;
}

std::uint16_t fold(std::uint32_t acc) {
    while ((acc >> 16) != 0) acc = (acc & 0xffffU) + (acc >> 16);
    return static_cast<std::uint16_t>(~acc & 0xffffU);
}

void set_be16(Bytes& b, std::size_t off, std::uint16_t v) {
    b[off] = b8(v >> 8);
    b[off + 1] = b8(v);
}

std::span<const std::byte> addr_bytes(const IpAddress& a) {
    return std::as_bytes(std::span<const std::uint8_t>(a.bytes.data(), a.version == 4 ? 4 : 16));
}

Ipv6Ext options_header(std::uint8_t type, const Bytes& options) {
    Bytes h{std::byte{0}, std::byte{0}};
    append(h, options);
    const std::size_t pad = (8 - h.size() % 8) % 8;
    if (pad == 1) {
        h.push_back(std::byte{0});  // Pad1
    } else if (pad >= 2) {
        h.push_back(std::byte{1});  // PadN
        h.push_back(b8(static_cast<unsigned>(pad - 2)));
        h.insert(h.end(), pad - 2, std::byte{0});
    }
    h[1] = b8(static_cast<unsigned>(h.size() / 8 - 1));
    return Ipv6Ext{type, std::move(h)};
}

}  // namespace

Bytes bytes(std::initializer_list<int> values) {
    Bytes out;
    out.reserve(values.size());
    for (int v : values) out.push_back(b8(static_cast<unsigned>(v)));
    return out;
}

Bytes text(std::string_view s) {
    Bytes out;
    for (char c : s) out.push_back(static_cast<std::byte>(c));
    return out;
}

Bytes filled(std::size_t n, std::uint8_t fill) { return Bytes(n, std::byte{fill}); }

Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) append(out, p);
    return out;
}

void put_be16(Bytes& b, std::uint16_t v) {
    b.push_back(b8(v >> 8));
    b.push_back(b8(v));
}
void put_be32(Bytes& b, std::uint32_t v) {
    put_be16(b, static_cast<std::uint16_t>(v >> 16));
    put_be16(b, static_cast<std::uint16_t>(v));
}
void put_le16(Bytes& b, std::uint16_t v) {
    b.push_back(b8(v));
    b.push_back(b8(v >> 8));
}
void put_le32(Bytes& b, std::uint32_t v) {
    put_le16(b, static_cast<std::uint16_t>(v));
    put_le16(b, static_cast<std::uint16_t>(v >> 16));
}

IpAddress ip(const std::string& s) {
    IpAddress a;
    if (s.find(':') != std::string::npos) {
        a.version = 6;
        if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) return a;
    } else {
        a.version = 4;
        if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
    }
    std::fprintf(stderr, "frame_builder: bad IP address '%s'\n", s.c_str());
    std::abort();
}

namespace opt {
Bytes eol() { return bytes({0}); }
Bytes nop() { return bytes({1}); }
Bytes mss(std::uint16_t v) {
    Bytes b = bytes({2, 4});
    put_be16(b, v);
    return b;
}
Bytes wscale(std::uint8_t shift) { return bytes({3, 3, shift}); }
Bytes sack_permitted() { return bytes({4, 2}); }
Bytes sack(std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> blocks) {
    Bytes b = bytes({5, static_cast<int>(2 + 8 * blocks.size())});
    for (const auto& [l, r] : blocks) {
        put_be32(b, l);
        put_be32(b, r);
    }
    return b;
}
Bytes timestamps(std::uint32_t value, std::uint32_t echo) {
    Bytes b = bytes({8, 10});
    put_be32(b, value);
    put_be32(b, echo);
    return b;
}
Bytes fast_open(std::span<const std::byte> cookie) { return generic(34, cookie); }
Bytes fast_open_exp(std::span<const std::byte> cookie) {
    Bytes b = bytes({254, static_cast<int>(4 + cookie.size()), 0xf9, 0x89});
    append(b, cookie);
    return b;
}
Bytes md5(std::uint8_t fill) { return generic(19, filled(16, fill)); }
Bytes generic(std::uint8_t kind, std::span<const std::byte> data) {
    Bytes b = bytes({kind, static_cast<int>(2 + data.size())});
    append(b, data);
    return b;
}
}  // namespace opt

std::uint16_t tcp_checksum(const IpAddress& src, const IpAddress& dst, std::span<const std::byte> segment) {
    std::uint32_t acc = sum16(addr_bytes(src), 0);
    acc = sum16(addr_bytes(dst), acc);
    acc += kProtoTcp;
    acc += static_cast<std::uint32_t>(segment.size() & 0xffffU) + static_cast<std::uint32_t>(segment.size() >> 16);
    // The checksum field itself (offset 16) counts as zero.
    Bytes copy(segment.begin(), segment.end());
    if (copy.size() >= 18) copy[16] = copy[17] = std::byte{0};
    return fold(sum16(copy, acc));
}

TcpSpec hello_world_segment() {
    return TcpSpec{.src = "192.0.2.1",
                   .dst = "198.51.100.7",
                   .sport = 51000,
                   .dport = 443,
                   .seq = 0x01020304,
                   .ack = 0xa0b0c0d0,
                   .flags = tcpflag::kAck | tcpflag::kPsh,
                   .window = 501,
                   .urgent = 0,
                   .payload = text("hello world")};
}

Bytes tcp(const TcpSpec& s) {
    Bytes opts = s.options_bytes;
    if (!s.data_offset) {
        while (opts.size() % 4 != 0) opts.push_back(std::byte{0});
    }
    const std::uint8_t doff = s.data_offset.value_or(static_cast<std::uint8_t>(5 + opts.size() / 4));
    Bytes b;
    put_be16(b, s.sport);
    put_be16(b, s.dport);
    put_be32(b, s.seq);
    put_be32(b, s.ack);
    b.push_back(b8((static_cast<unsigned>(doff) << 4) | ((s.flags >> 8) & 0x1U)));
    b.push_back(b8(s.flags));
    put_be16(b, s.window);
    put_be16(b, 0);
    put_be16(b, s.urgent);
    append(b, opts);
    append(b, s.payload);
    const std::uint16_t sum = s.checksum.value_or(tcp_checksum(ip(s.src), ip(s.dst), b));
    set_be16(b, 16, sum);
    return b;
}

Bytes ip_tcp(const TcpSpec& s) {
    const Bytes seg = tcp(s);
    if (s.src.find(':') != std::string::npos) {
        return ipv6(Ipv6Spec{.src = s.src, .dst = s.dst, .hop_limit = s.ttl}, kProtoTcp, seg);
    }
    return ipv4(Ipv4Spec{.src = s.src, .dst = s.dst, .ttl = s.ttl, .id = s.ip_id}, kProtoTcp, seg);
}

Bytes ipv4(const Ipv4Spec& s, std::uint8_t proto, std::span<const std::byte> payload) {
    Bytes opts = s.options;
    while (opts.size() % 4 != 0) opts.push_back(std::byte{0});
    const std::uint8_t ihl = s.ihl.value_or(static_cast<std::uint8_t>(5 + opts.size() / 4));
    const std::size_t header = 20 + opts.size();
    const std::uint16_t total = s.total_length.value_or(static_cast<std::uint16_t>(header + payload.size()));
    Bytes b;
    b.push_back(b8(0x40U | (ihl & 0x0fU)));
    b.push_back(b8(s.tos));
    put_be16(b, total);
    put_be16(b, s.id);
    std::uint16_t frag = static_cast<std::uint16_t>((s.frag_offset / 8) & 0x1fffU);
    if (s.dont_fragment) frag |= 0x4000;
    if (s.more_fragments) frag |= 0x2000;
    put_be16(b, frag);
    b.push_back(b8(s.ttl));
    b.push_back(b8(proto));
    put_be16(b, 0);
    append(b, addr_bytes(ip(s.src)));
    append(b, addr_bytes(ip(s.dst)));
    append(b, opts);
    set_be16(b, 10, fold(sum16(std::span<const std::byte>(b.data(), header), 0)));
    append(b, payload);
    return b;
}

namespace ext {
Ipv6Ext hop_by_hop(const Bytes& options) { return options_header(0, options); }
Ipv6Ext dest_opts(const Bytes& options) { return options_header(60, options); }
Ipv6Ext jumbo(std::uint32_t length) {
    Bytes o = bytes({0xc2, 4});
    put_be32(o, length);
    return options_header(0, o);
}
Ipv6Ext routing(std::uint8_t segments_left) { return Ipv6Ext{43, bytes({0, 0, 0, segments_left, 0, 0, 0, 0})}; }
Ipv6Ext fragment(std::uint16_t offset, bool more, std::uint32_t id) {
    Bytes b = bytes({0, 0});
    put_be16(b, static_cast<std::uint16_t>((offset & 0xfff8U) | (more ? 1U : 0U)));
    put_be32(b, id);
    return Ipv6Ext{44, std::move(b)};
}
Ipv6Ext ah(std::uint8_t icv_words) {
    // RFC 4302: length in 32-bit words minus 2; 12 fixed bytes + ICV.
    Bytes b = bytes({0, static_cast<int>(icv_words + 1), 0, 0});
    put_be32(b, 0x100);  // SPI
    put_be32(b, 1);      // sequence
    b.insert(b.end(), static_cast<std::size_t>(icv_words) * 4, std::byte{0});
    return Ipv6Ext{51, std::move(b)};
}
Ipv6Ext raw(std::uint8_t type, Bytes header) { return Ipv6Ext{type, std::move(header)}; }
}  // namespace ext

Bytes ipv6(const Ipv6Spec& s, std::uint8_t proto, std::span<const std::byte> payload) {
    Bytes exts;
    for (std::size_t i = 0; i < s.ext.size(); ++i) {
        Bytes h = s.ext[i].bytes;
        if (!h.empty()) h[0] = b8(i + 1 < s.ext.size() ? s.ext[i + 1].type : proto);
        append(exts, h);
    }
    const std::uint8_t first = s.ext.empty() ? proto : s.ext.front().type;
    const std::uint16_t plen = s.payload_length.value_or(static_cast<std::uint16_t>(exts.size() + payload.size()));
    Bytes b;
    put_be32(b, 0x60000000U | (s.flow_label & 0xfffffU));
    put_be16(b, plen);
    b.push_back(b8(first));
    b.push_back(b8(s.hop_limit));
    append(b, addr_bytes(ip(s.src)));
    append(b, addr_bytes(ip(s.dst)));
    append(b, exts);
    append(b, payload);
    return b;
}

Bytes ethernet(std::span<const std::byte> l3, std::uint16_t ethertype, const std::vector<VlanTag>& tags,
               std::size_t min_size) {
    Bytes b = bytes({0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01});
    for (const auto& t : tags) {
        put_be16(b, t.tpid);
        put_be16(b, static_cast<std::uint16_t>((t.pcp & 0x7U) << 13 | (t.dei ? 0x1000U : 0U) | (t.id & 0x0fffU)));
    }
    put_be16(b, ethertype);
    append(b, l3);
    if (b.size() < min_size) b.resize(min_size, std::byte{0});
    return b;
}

Bytes sll(std::span<const std::byte> l3, std::uint16_t protocol) {
    Bytes b;
    put_be16(b, 0);  // packet type: to us
    put_be16(b, 1);  // ARPHRD_ETHER
    put_be16(b, 6);  // address length
    append(b, bytes({0x02, 0, 0, 0, 0, 0x01, 0, 0}));
    put_be16(b, protocol);
    append(b, l3);
    return b;
}

Bytes sll2(std::span<const std::byte> l3, std::uint16_t protocol) {
    Bytes b;
    put_be16(b, protocol);
    put_be16(b, 0);             // reserved
    put_be32(b, 2);             // interface index
    put_be16(b, 1);             // ARPHRD_ETHER
    b.push_back(std::byte{0});  // packet type
    b.push_back(std::byte{6});  // address length
    append(b, bytes({0x02, 0, 0, 0, 0, 0x01, 0, 0}));
    append(b, l3);
    return b;
}

Bytes null_loopback(std::span<const std::byte> l3, std::uint32_t family, bool big_endian) {
    Bytes b;
    if (big_endian)
        put_be32(b, family);
    else
        put_le32(b, family);
    append(b, l3);
    return b;
}

Bytes loop(std::span<const std::byte> l3, std::uint32_t family) { return null_loopback(l3, family, true); }

Bytes ppp(std::span<const std::byte> l3, std::uint16_t protocol, bool address_control) {
    Bytes b;
    if (address_control) append(b, bytes({0xff, 0x03}));
    put_be16(b, protocol);
    append(b, l3);
    return b;
}

Bytes chdlc(std::span<const std::byte> l3, std::uint16_t ethertype) {
    Bytes b = bytes({0x0f, 0x00});
    put_be16(b, ethertype);
    append(b, l3);
    return b;
}

Bytes ipoib(std::span<const std::byte> l3, std::uint16_t ethertype, bool pseudo_header) {
    Bytes b;
    if (pseudo_header) {
        b = filled(16, 0);
        append(b, bytes({0x2f, 0xa3, 0x00, 0x0a}));
        append(b, bytes({0x80, 0x00, 0x05, 0x50}));  // connected-mode flag + QPN 0x550
        append(b, bytes({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x00, 0x10, 0xe0, 0x00, 0x66, 0x4a, 0xb4, 0x51}));
    }
    put_be16(b, ethertype);
    put_be16(b, 0);
    append(b, l3);
    return b;
}

Bytes nflog(std::span<const std::byte> l3, std::uint8_t family, bool big_endian_tlv) {
    Bytes b = bytes({family, 0, 0, 0});
    auto tlv = [&](std::uint16_t type, std::span<const std::byte> value) {
        const auto len = static_cast<std::uint16_t>(4 + value.size());
        if (big_endian_tlv) {
            put_be16(b, len);
            put_be16(b, type);
        } else {
            put_le16(b, len);
            put_le16(b, type);
        }
        append(b, value);
        while (b.size() % 4 != 0) b.push_back(std::byte{0});
    };
    tlv(1, bytes({0x08, 0x00, 0x01, 0x00}));  // NFULA_PACKET_HDR
    tlv(10, text("test"));                    // NFULA_PREFIX
    tlv(9, l3);                               // NFULA_PAYLOAD
    return b;
}

Bytes radiotap_80211(std::span<const std::byte> l3, std::uint16_t ethertype, bool qos) {
    // Radiotap: version 0, pad, length 12, present = Flags(bit 1)|Rate(bit 2), then the
    // fields (flags, rate) and 2 bytes of padding.
    Bytes b = bytes({0, 0, 12, 0, 0x06, 0, 0, 0, 0x00, 0x02, 0, 0});
    // 802.11 data frame: type 2; subtype 8 = QoS data. ToDS set.
    b.push_back(b8(qos ? 0x88 : 0x08));
    b.push_back(std::byte{0x01});
    append(b, bytes({0, 0}));  // duration
    append(b, bytes({0x02, 0, 0, 0, 0, 0x0a, 0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0c}));
    append(b, bytes({0x10, 0}));  // sequence control
    if (qos) append(b, bytes({0, 0}));
    append(b, bytes({0xaa, 0xaa, 0x03, 0, 0, 0}));
    put_be16(b, ethertype);
    append(b, l3);
    return b;
}

Bytes gre(std::span<const std::byte> inner, std::uint16_t protocol, bool checksum, std::optional<std::uint32_t> key,
          std::optional<std::uint32_t> sequence) {
    std::uint16_t flags = 0;
    if (checksum) flags |= 0x8000;
    if (key) flags |= 0x2000;
    if (sequence) flags |= 0x1000;
    Bytes b;
    put_be16(b, flags);
    put_be16(b, protocol);
    if (checksum) put_be32(b, 0);  // checksum + reserved
    if (key) put_be32(b, *key);
    if (sequence) put_be32(b, *sequence);
    append(b, inner);
    return b;
}

Bytes udp(std::uint16_t sport, std::uint16_t dport, std::span<const std::byte> payload) {
    Bytes b;
    put_be16(b, sport);
    put_be16(b, dport);
    put_be16(b, static_cast<std::uint16_t>(8 + payload.size()));
    put_be16(b, 0);
    append(b, payload);
    return b;
}

Bytes vxlan(std::span<const std::byte> inner_ethernet, std::uint32_t vni) {
    Bytes b = bytes({0x08, 0, 0, 0});
    put_be32(b, vni << 8);
    append(b, inner_ethernet);
    return b;
}

Bytes geneve(std::span<const std::byte> inner, std::uint32_t vni, std::uint8_t option_words, std::uint16_t protocol) {
    Bytes b;
    b.push_back(b8(option_words & 0x3fU));
    b.push_back(std::byte{0});
    put_be16(b, protocol);
    put_be32(b, vni << 8);
    b.insert(b.end(), static_cast<std::size_t>(option_words) * 4, std::byte{0});
    append(b, inner);
    return b;
}

Bytes teredo(std::span<const std::byte> ipv6_packet, bool origin, bool auth, std::uint8_t auth_id_len,
             std::uint8_t auth_value_len) {
    Bytes b;
    if (auth) {
        append(b, bytes({0x00, 0x01, auth_id_len, auth_value_len}));
        b.insert(b.end(), std::size_t{auth_id_len} + auth_value_len, std::byte{0x5a});
        append(b, bytes({1, 2, 3, 4, 5, 6, 7, 8, 0}));  // nonce, confirmation
    }
    if (origin) append(b, bytes({0x00, 0x00, 0xf2, 0x27, 0x3f, 0xfe, 0xff, 0xfe}));  // port, address (obfuscated)
    append(b, ipv6_packet);
    return b;
}

Bytes ayiya(std::span<const std::byte> inner, std::uint8_t next_header, std::uint8_t id_log2, std::uint8_t sig_words) {
    Bytes b;
    b.push_back(b8((id_log2 & 0xfU) << 4 | 0x1U));    // identity length, type 1 (IPv4 address)
    b.push_back(b8((sig_words & 0xfU) << 4 | 0x2U));  // signature length, SHA-1
    b.push_back(b8(0x10U | 0x1U));                    // shared secret, operation 1 (forward)
    b.push_back(b8(next_header));
    put_be32(b, 1'700'000'000U);  // epoch time
    b.insert(b.end(), std::size_t{1} << (id_log2 & 0xfU), std::byte{0x11});
    b.insert(b.end(), std::size_t{sig_words & 0xfU} * 4U, std::byte{0x22});
    append(b, inner);
    return b;
}

Bytes gtp_u(std::span<const std::byte> inner, std::uint32_t teid, bool sequence, std::vector<std::uint8_t> ext_words) {
    const bool ext = !ext_words.empty();
    Bytes opt;
    if (sequence || ext) {
        put_be16(opt, 0x1234);        // sequence
        opt.push_back(std::byte{0});  // N-PDU number
        opt.push_back(b8(ext ? 0x85 : 0));
        for (std::size_t i = 0; i < ext_words.size(); ++i) {
            const std::size_t len = std::size_t{ext_words[i]} * 4U;
            const std::size_t at = opt.size();
            opt.insert(opt.end(), len, std::byte{0x33});
            opt[at] = b8(ext_words[i]);
            opt[at + len - 1] = b8(i + 1 < ext_words.size() ? 0x85 : 0);
        }
    }
    Bytes b;
    b.push_back(b8(0x30U | (ext ? 0x04U : 0U) | (sequence ? 0x02U : 0U)));  // version 1, PT
    b.push_back(std::byte{0xff});                                           // G-PDU
    put_be16(b, static_cast<std::uint16_t>(opt.size() + inner.size()));
    put_be32(b, teid);
    append(b, opt);
    append(b, inner);
    return b;
}

Bytes llc_snap(std::span<const std::byte> l3, std::uint16_t ethertype) {
    Bytes b = bytes({0xaa, 0xaa, 0x03, 0, 0, 0});
    put_be16(b, ethertype);
    append(b, l3);
    return b;
}

Bytes fddi(std::span<const std::byte> l3, std::uint16_t ethertype) {
    Bytes b = bytes({0x50, 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01});
    append(b, llc_snap(l3, ethertype));
    return b;
}

Bytes ethernet_vntag(std::span<const std::byte> l3, std::uint16_t ethertype) {
    Bytes tag = bytes({0x80, 0x05, 0x00, 0x12});  // direction 1, destination vif 5, source vif 18
    put_be16(tag, ethertype);
    append(tag, l3);
    return ethernet(tag, kEtherVnTag);
}

Bytes fabricpath(std::span<const std::byte> inner_ethernet) {
    Bytes b = bytes({0x00, 0x3f});  // FTag 0, TTL 63
    append(b, inner_ethernet);
    return ethernet(b, kEtherFabricPath);
}

Bytes pbb(std::span<const std::byte> customer_ethernet, std::uint16_t b_vid, std::uint32_t isid) {
    Bytes b;
    put_be32(b, isid & 0x00ffffffU);  // priority 0, no flags
    append(b, customer_ethernet);
    return ethernet(b, kEtherPbb, {VlanTag{.tpid = kEtherQinQ, .id = b_vid}});
}

Bytes eth_tcp(const TcpSpec& spec, const std::vector<VlanTag>& tags) {
    const bool v6 = spec.src.find(':') != std::string::npos;
    return ethernet(ip_tcp(spec), v6 ? kEtherIpv6 : kEtherIpv4, tags);
}
Bytes eth_ipv4_tcp(const TcpSpec& spec) { return eth_tcp(spec); }
Bytes eth_ipv6_tcp(const TcpSpec& spec) { return eth_tcp(spec); }
Bytes sll_tcp(const TcpSpec& spec) {
    const bool v6 = spec.src.find(':') != std::string::npos;
    return sll(ip_tcp(spec), v6 ? kEtherIpv6 : kEtherIpv4);
}
Bytes sll2_tcp(const TcpSpec& spec) {
    const bool v6 = spec.src.find(':') != std::string::npos;
    return sll2(ip_tcp(spec), v6 ? kEtherIpv6 : kEtherIpv4);
}

}  // namespace tfx::test
