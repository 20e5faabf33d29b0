#pragma once
// Module note: decode
//   Purpose: turn the bytes of one captured frame into the fields the TCP pipeline needs,
//   reading only through the bounds-checked ByteReader.
//   Input: link type, the captured bytes, the wire length. Output: DecodedFrame.
//   Lengths come from the IP header, never from caplen: Ethernet padding inflates caplen
//   and the snaplen shrinks it. A header cut short is "malformed"; a payload cut short is
//   only "snaplen_truncated", an informational note.
//   decode_frame is stateless: a fragment comes back as kind Fragment with its layout;
//   FrameDecoder (reassembly.hpp) adds bounded reassembly on top.
//   Non-goals: checksums, payload protocols.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "tfx/annotation.hpp"
#include "tfx/tcp_options.hpp"
#include "tfx/types.hpp"

namespace tfx::decode {

enum class FrameKind : std::uint8_t {
    Tcp,        ///< TCP header decoded (payload may be snaplen-cut; options may be flagged)
    NonTcp,     ///< IP, but another protocol (UDP, ICMP, ...)
    NonIp,      ///< ARP, LLDP, STP, ...: nothing for us
    Fragment,   ///< an IP fragment carrying (part of) TCP; not reassembled
    Malformed,  ///< a header could not be read; `issues` say why
};

/// Where an IP fragment's pieces lie in the frame given to decode_frame (kind Fragment),
/// for reassembly. Offsets are bytes from the start of that frame.
struct FragmentLayout {
    std::uint32_t ip_offset = 0;  ///< first byte of the fragmented IP header
    /// IPv4: the header with its options; IPv6: the fixed header and the extension headers
    /// before the Fragment header (RFC 8200 §4.5 "per-fragment headers").
    std::uint32_t unfrag_len = 0;
    std::uint32_t nh_byte = 0;         ///< IPv6: the next-header byte naming the Fragment header
    std::uint8_t next_header = 0;      ///< protocol of the reassembled payload
    std::uint32_t payload_offset = 0;  ///< first byte of the fragment's data
    std::uint32_t payload_len = 0;     ///< data length from the IP length (may exceed the capture)
    std::uint32_t id = 0;              ///< IPv4 identification or IPv6 Fragment identification
};

struct DecodedFrame {
    static constexpr int kMaxIssues = 4;

    FrameKind kind = FrameKind::NonIp;

    /// 802.1Q/802.1ad ids of the outermost Ethernet header: one tag = its 12-bit id;
    /// two or more = outer id << 12 | inner id (deeper tags ignored); 0 untagged.
    /// Tags inside a tunnel (VXLAN, GRE, FabricPath, PBB's customer frame...) are not counted.
    std::uint32_t vlan = 0;
    /// Tunnel layers peeled off: IP-in-IP, GRE (also in UDP), VXLAN, Geneve, Teredo, AYIYA,
    /// GTP-U, FabricPath, PBB.
    std::uint8_t tunnel_depth = 0;

    // Innermost IP header.
    std::uint8_t ip_version = 0;  ///< 0 when no IP header was found
    IpAddress src;
    IpAddress dst;
    std::uint8_t ip_proto = 0;      ///< next header after IPv6 extension headers
    std::uint16_t ip_id = 0;        ///< IPv4 identification (0 for IPv6)
    std::uint8_t ttl = 0;           ///< TTL or hop limit
    std::uint32_t frag_offset = 0;  ///< bytes
    bool more_fragments = false;
    FragmentLayout fragment{};  ///< valid when kind == Fragment

    // TCP header (valid when kind == Tcp, or partly for Fragment/Malformed).
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint16_t flags = 0;          ///< tcpflag::k*
    std::uint8_t tcp_header_len = 0;  ///< bytes (data offset * 4)
    std::uint16_t window = 0;         ///< raw, unscaled
    std::uint16_t checksum = 0;
    std::uint16_t urgent = 0;
    TcpOptions options;

    std::uint32_t payload_len = 0;       ///< TCP payload length from the IP length
    std::uint32_t payload_captured = 0;  ///< payload bytes present in the frame
    /// The captured payload bytes: a view into the frame given to decode_frame, valid only
    /// as long as that buffer (for PcapReader frames: until the next read).
    std::span<const std::byte> payload;

    std::array<Annotation, kMaxIssues> issues{};
    std::uint8_t issue_count = 0;

    [[nodiscard]] std::span<const Annotation> issue_list() const { return {issues.data(), issue_count}; }
    void add_issue(AnnotationCode code, std::int64_t a = 0, std::int64_t b = 0) {
        if (issue_count < kMaxIssues) issues[issue_count++] = Annotation{code, 0, a, b};
    }
};

/// Decodes one frame. Never throws, never reads outside `data`, allocates nothing.
/// Issue conventions: BadTcpOptionLen b = -1 when the option's length byte lies past the
/// header; SnaplenTruncated a = bytes of the TCP segment (header and payload) not captured;
/// a bogus IP length larger than the frame is BadIpTotalLen but, as in Wireshark, the frame
/// is still decoded from the bytes present (kind Tcp).
/// `wire_len` is the original length on the wire (pcap's len).
[[nodiscard]] DecodedFrame decode_frame(int link_type, std::span<const std::byte> data, std::uint32_t wire_len);
/// The same, into `out` (whatever it held is replaced): a caller that keeps its decodings in
/// place (the ingest thread's batches) saves the copy of a 376-byte result.
void decode_frame_into(DecodedFrame& out, int link_type, std::span<const std::byte> data, std::uint32_t wire_len);

}  // namespace tfx::decode
