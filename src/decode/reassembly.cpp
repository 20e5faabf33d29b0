// IP fragment reassembly (RFC 791 §3.2 for IPv4, RFC 8200 §4.5 for IPv6), bounded.
//
// Fragments other than the last carry a multiple of 8 bytes at an offset that is a multiple
// of 8, so a datagram's payload is tracked as 8-byte blocks in a bitmap (8192 blocks for
// 64 KiB). The first copy of a block is stored; later copies that differ are counted (an
// overlap attack, or a broken middlebox), and such a datagram is ambiguous: FrameDecoder
// reports it as malformed instead of analysing a conversation the receiver may not have
// seen. Memory: at most max_datagrams datagrams of at most 64 KiB each.

#include "decode/reassembly.hpp"

#include <algorithm>
#include <cstring>

#include "decode/byte_reader.hpp"

namespace tfx::decode {
namespace {

bool bit(std::span<const std::uint64_t> bits, std::size_t i) { return ((bits[i / 64] >> (i % 64)) & 1U) != 0; }
void set_bit(std::span<std::uint64_t> bits, std::size_t i) { bits[i / 64] |= std::uint64_t{1} << (i % 64); }

void put_be16(std::vector<std::byte>& b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::byte>(v >> 8);
    b[at + 1] = static_cast<std::byte>(v & 0xffU);
}

// RFC 1071 one's-complement sum over the IPv4 header (checksum field zeroed first).
std::uint16_t ipv4_checksum(std::span<const std::byte> header) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < header.size(); i += 2)
        sum += (static_cast<std::uint32_t>(header[i]) << 8) | static_cast<std::uint32_t>(header[i + 1]);
    while ((sum >> 16) != 0) sum = (sum & 0xffffU) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum & 0xffffU);
}

}  // namespace

FragmentReassembler::FragmentReassembler(ReassemblyLimits limits) : limits_(limits) {
    if (limits_.max_datagrams == 0) limits_.max_datagrams = 1;
}

std::size_t FragmentReassembler::KeyHash::operator()(const Key& k) const noexcept {
    // Not keyed: the table holds at most max_datagrams entries, so a crafted collision
    // costs at most the linear scan of a full table.
    std::uint64_t h = (std::uint64_t{k.version} << 40) ^ (std::uint64_t{k.proto} << 32) ^ k.id;
    const auto mix = [&h](std::span<const std::uint8_t> bytes) {
        for (const std::uint8_t b : bytes) h = (h ^ b) * 0x100000001b3ULL;
    };
    mix(k.src.bytes);
    mix(k.dst.bytes);
    h ^= k.vlan;
    h *= 0x9e3779b97f4a7c15ULL;
    return static_cast<std::size_t>(h ^ (h >> 32));
}

void FragmentReassembler::erase(const Datagram& d) {
    const auto it = by_key_.find(d.key);
    const ByAge::iterator node = it->second;
    by_key_.erase(it);
    by_age_.erase(node);
}

void FragmentReassembler::expire(Timestamp now) {
    // Unsigned difference: timestamps may be anywhere in the int64 range (damaged files).
    // Oldest first: the first datagram that has not waited too long ends the walk.
    const auto limit = static_cast<std::uint64_t>(std::max<std::int64_t>(limits_.timeout.count(), 0));
    while (!by_age_.empty()) {
        const Datagram& d = by_age_.begin()->second;
        if (now <= d.first_seen) return;
        const std::uint64_t waited =
            static_cast<std::uint64_t>(now.count()) - static_cast<std::uint64_t>(d.first_seen.count());
        if (waited <= limit) return;
        ++stats_.timed_out;
        erase(d);
    }
}

FragmentReassembler::Datagram& FragmentReassembler::slot_for(const Key& key, Timestamp ts) {
    if (const auto it = by_key_.find(key); it != by_key_.end()) return it->second->second;
    if (by_key_.size() >= limits_.max_datagrams) {
        // Full: the datagram waiting longest is the least likely to complete.
        erase(by_age_.begin()->second);
        ++stats_.evicted;
    }
    const Age age{ts, arrivals_++};
    const auto node = by_age_.try_emplace(by_age_.end(), age);
    by_key_.emplace(key, node);
    Datagram& d = node->second;
    d.key = key;
    d.first_seen = ts;
    return d;
}

bool FragmentReassembler::complete(const Datagram& d) {
    if (!d.total_known || d.header.empty()) return false;
    const std::size_t units = (std::size_t{d.total} + 7) / 8;
    for (std::size_t u = 0; u < units; ++u)
        if (!bit(d.have, u)) return false;
    return true;
}

// Writes the datagram into out_: the per-fragment headers with the lengths rewritten (and,
// for IPv6, the Fragment header left out), then the payload.
bool FragmentReassembler::build(const Datagram& d) {
    const std::size_t hlen = d.header.size();
    if (d.payload.size() < d.total) return false;
    out_.assign(d.header.begin(), d.header.end());
    out_.insert(out_.end(), d.payload.begin(), d.payload.begin() + d.total);
    if (d.key.version == 4) {
        if (hlen + d.total > 65535) return false;
        put_be16(out_, 2, static_cast<std::uint16_t>(hlen + d.total));
        // Keep DF, clear MF and the offset: it is a whole datagram now.
        const auto flags = static_cast<std::uint16_t>((static_cast<unsigned>(out_[6]) << 8) & 0x4000U);
        put_be16(out_, 6, flags);
        put_be16(out_, 10, 0);
        put_be16(out_, 10, ipv4_checksum(std::span<const std::byte>(out_).first(hlen)));
    } else {
        const std::size_t plen = hlen - 40 + d.total;
        if (plen > 65535 || d.nh_byte >= hlen) return false;
        put_be16(out_, 4, static_cast<std::uint16_t>(plen));
        out_[d.nh_byte] = static_cast<std::byte>(d.next_header);
    }
    return true;
}

std::optional<Reassembled> FragmentReassembler::add(const DecodedFrame& f, std::span<const std::byte> data,
                                                    Timestamp ts) {
    expire(ts);
    if (f.kind != FrameKind::Fragment || (f.ip_version != 4 && f.ip_version != 6)) return std::nullopt;
    const FragmentLayout& l = f.fragment;
    const ByteReader r{data};
    // The fragment's data must all be there: a snaplen-cut fragment cannot fill its blocks.
    const auto piece = r.subspan(l.payload_offset, l.payload_len);
    const auto header = r.subspan(l.ip_offset, l.unfrag_len);
    if (!piece || !header) return std::nullopt;
    const std::uint32_t off = f.frag_offset;
    const std::uint32_t len = l.payload_len;
    const bool more = f.more_fragments;
    // RFC 791 / RFC 8200: every fragment but the last carries a multiple of 8 bytes.
    if ((more && (len == 0 || len % 8 != 0)) || off % 8 != 0) return std::nullopt;
    if (l.unfrag_len > kMaxHeader || (f.ip_version == 6 && l.unfrag_len < 40) ||
        (f.ip_version == 4 && l.unfrag_len < 20))
        return std::nullopt;

    const Key key{.version = f.ip_version,
                  .proto = f.ip_version == 4 ? f.ip_proto : std::uint8_t{0},
                  .src = f.src,
                  .dst = f.dst,
                  .id = l.id,
                  .vlan = f.vlan};
    Datagram& d = slot_for(key, ts);
    const auto drop = [this, &d] {
        ++stats_.abandoned;
        erase(d);
        return std::nullopt;
    };
    if (std::uint64_t{off} + len > kMaxPayload) return drop();  // "ping of death"
    ++d.fragments;

    std::uint32_t end = off + len;
    if (!more) {
        if (!d.total_known) {
            d.total = end;
            d.total_known = true;
        } else if (end != d.total) {
            d.conflicting += end > d.total ? end - d.total : d.total - end;
        }
    }
    if (d.total_known && end > d.total) {
        d.conflicting += end - std::max(off, d.total);
        end = std::max(off, d.total);
    }
    if (off == 0 && d.header.empty()) {
        d.header.assign(header->begin(), header->end());
        d.nh_byte = f.ip_version == 6 ? l.nh_byte - l.ip_offset : 0;
        d.next_header = l.next_header;
    }
    if (d.payload.size() < end) d.payload.resize(end);
    for (std::uint32_t at = off; at < end; at += 8) {
        const std::uint32_t n = std::min<std::uint32_t>(8, end - at);
        const auto src = piece->subspan(at - off, n);
        const std::size_t unit = at / 8;
        if (!bit(d.have, unit)) {
            std::copy(src.begin(), src.end(), d.payload.begin() + at);
            set_bit(d.have, unit);
        } else {
            for (std::uint32_t i = 0; i < n; ++i)
                if (d.payload[at + i] != src[i]) ++d.conflicting;
        }
    }
    if (!complete(d)) return std::nullopt;
    const bool ok = build(d);
    const Reassembled done{.datagram = out_, .fragments = d.fragments, .conflicting_bytes = d.conflicting};
    erase(d);
    if (!ok) {
        ++stats_.abandoned;
        return std::nullopt;
    }
    ++(done.conflicting_bytes != 0 ? stats_.ambiguous : stats_.completed);
    return done;
}

void FrameDecoder::decode_into(DecodedFrame& f, int link_type, std::span<const std::byte> data, std::uint32_t wire_len,
                               Timestamp ts) {
    decode_frame_into(f, link_type, data, wire_len);
    if (f.kind != FrameKind::Fragment) return;
    const auto done = reassembler_.add(f, data, ts);
    if (!done) return;
    DecodedFrame whole =
        decode_frame(linktype::kRaw, done->datagram, static_cast<std::uint32_t>(done->datagram.size()));
    // The link layer and the tunnels peeled before the fragmented header are this frame's.
    whole.vlan = f.vlan;
    whole.tunnel_depth = static_cast<std::uint8_t>(whole.tunnel_depth + f.tunnel_depth);
    whole.add_issue(AnnotationCode::IpReassembled, done->fragments, done->conflicting_bytes);
    // Copies that differ: the receiver kept one of them, or (Linux, RFC 5722) neither. The
    // row shows the datagram; no connection is fed a version the host may never have seen.
    if (done->conflicting_bytes != 0) whole.kind = FrameKind::Malformed;
    f = whole;
}

}  // namespace tfx::decode
