#pragma once
/// Value types shared by every stage of the pipeline.

#include <array>
#include <chrono>
#include <compare>
#include <cstdint>
#include <string>

namespace tfx {

/// Capture time: nanoseconds since the Unix epoch, taken from the pcap record.
/// Never the wall clock.
using Timestamp = std::chrono::nanoseconds;
/// Duration between two capture timestamps, in nanoseconds.
using Duration = std::chrono::nanoseconds;

/// 1-based position of a frame in the capture, as tcpdump -# and tshark number them.
using FrameIndex = std::uint64_t;
/// 1-based id of a TCP connection, in order of its first frame.
using ConversationId = std::uint32_t;

/// An IPv4 or IPv6 address. IPv4 is stored in the first 4 bytes, the rest zero.
struct IpAddress {
    std::uint8_t version = 0;  ///< 4 or 6; 0 = unset
    std::array<std::uint8_t, 16> bytes{};

    /// Longest text form: an IPv6 address with no zero run ("ffff:...:ffff").
    static constexpr std::size_t kMaxText = 39;

    [[nodiscard]] auto operator<=>(const IpAddress&) const = default;
    /// Numeric text form: dotted quad, or RFC 5952 compressed IPv6 ("?" when unset).
    [[nodiscard]] std::string to_string() const;
    /// The same text written at `out` (room for kMaxText characters), without allocating;
    /// returns its end. Nothing after that end is written.
    char* write_text(char* out) const;
};

/// An address and a port.
struct Endpoint {
    IpAddress addr;
    std::uint16_t port = 0;

    /// Longest text form: "[" + IPv6 + "]:" + 5 digits.
    static constexpr std::size_t kMaxText = IpAddress::kMaxText + 8;

    [[nodiscard]] auto operator<=>(const Endpoint&) const = default;
    /// "10.0.0.1:80" or "[::1]:80".
    [[nodiscard]] std::string to_string() const;
    /// The same text written at `out` (room for kMaxText characters), without allocating;
    /// returns its end. Nothing after that end is written.
    char* write_text(char* out) const;
};

/// Identity of a connection: both endpoints in canonical (min, max) order plus the
/// VLAN tags it was seen on (Zeek keys on VLAN too: two VLANs are two networks).
/// Compared field by field; it is never reduced to a hash value.
struct FlowKey {
    Endpoint lo;
    Endpoint hi;
    std::uint32_t vlan = 0;  ///< outer 12-bit id << 12 | inner id; 0 = untagged

    [[nodiscard]] auto operator<=>(const FlowKey&) const = default;
    /// Canonical key for a segment from `src` to `dst`.
    [[nodiscard]] static FlowKey from(const Endpoint& src, const Endpoint& dst, std::uint32_t vlan);
};

/// Which side of a connection an endpoint plays.
enum class Role : std::uint8_t { Client, Server };
[[nodiscard]] constexpr Role peer_of(Role r) { return r == Role::Client ? Role::Server : Role::Client; }
[[nodiscard]] constexpr int index_of(Role r) { return r == Role::Client ? 0 : 1; }

/// TCP header flag bits, in header order (RFC 9293 §3.1, RFC 3168, RFC 9768 AE).
namespace tcpflag {
inline constexpr std::uint16_t kFin = 0x001;
inline constexpr std::uint16_t kSyn = 0x002;
inline constexpr std::uint16_t kRst = 0x004;
inline constexpr std::uint16_t kPsh = 0x008;
inline constexpr std::uint16_t kAck = 0x010;
inline constexpr std::uint16_t kUrg = 0x020;
inline constexpr std::uint16_t kEce = 0x040;
inline constexpr std::uint16_t kCwr = 0x080;
inline constexpr std::uint16_t kAe = 0x100;  ///< AccECN (formerly NS)
}  // namespace tcpflag

/// Flags in words as people say them: "SYN", "SYN-ACK", "PSH-ACK", "FIN-ACK", "RST-ACK",
/// "ACK", "none"; ECN and URG bits are appended ("SYN-ACK-ECE").
[[nodiscard]] std::string flags_to_words(std::uint16_t flags);
/// tcpdump's compact form: "S", "S.", "P.", "F.", "R.", ".", "none".
[[nodiscard]] std::string flags_to_tcpdump(std::uint16_t flags);

}  // namespace tfx
