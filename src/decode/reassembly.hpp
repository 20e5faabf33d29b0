#pragma once
// Module note: decode / reassembly
//   Purpose: put fragmented IP datagrams back together, as tshark does by default, so that a
//   TCP segment split over IPv4 or IPv6 fragments is analysed like any other.
//   Input: frames in capture order (FrameDecoder), or fragments already decoded
//   (FragmentReassembler). Output: the datagram, decoded, at the frame that completes it,
//   annotated IpReassembled; the other fragments stay kind Fragment.
//   Bounds: at most max_datagrams in progress (the oldest is dropped for a new one), each at
//   most 65535 bytes of payload, dropped after `timeout` of capture time; a fragment costs
//   a hash lookup and, when it opens or drops a datagram, O(log max_datagrams).
//   Overlaps: identical copies are accepted (a duplicated fragment). Copies that differ
//   make the datagram ambiguous: which one the receiver kept is not known (Linux drops
//   such a datagram, RFC 5722 requires it for IPv6), so it comes back Malformed, annotated
//   IpReassembled with the count of differing bytes, and never reaches the analysis.
//   Non-goals: reassembly of fragments the snaplen cut (their data is not there), of
//   fragments of protocols that cannot carry TCP, of IPv6 jumbograms.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "decode/decoded_frame.hpp"
#include "tfx/session.hpp"
#include "tfx/types.hpp"

namespace tfx::decode {

struct ReassemblyLimits {
    std::size_t max_datagrams = 256;              ///< in progress at once
    Duration timeout = std::chrono::seconds(30);  ///< capture time since the first fragment
};

struct ReassemblyStats {
    std::uint64_t completed = 0;
    std::uint64_t timed_out = 0;  ///< dropped after `timeout` without completing
    std::uint64_t evicted = 0;    ///< dropped to make room (max_datagrams)
    std::uint64_t abandoned = 0;  ///< too large or inconsistent to complete
    std::uint64_t ambiguous = 0;  ///< complete, but overlapping copies differed: not analysed
};

/// A datagram put back together: its IP header (lengths and fragment fields rewritten, the
/// IPv6 Fragment header removed) followed by the whole payload.
struct Reassembled {
    std::span<const std::byte> datagram;  ///< valid until the next add()
    std::uint32_t fragments = 0;          ///< fragments that went into it (duplicates included)
    std::uint32_t conflicting_bytes = 0;  ///< overlapping bytes that differed: ambiguous if > 0
};

class FragmentReassembler {
public:
    static constexpr std::uint32_t kMaxPayload = 65535;
    /// Per-fragment headers longer than this (IPv6 extension chains) are not reassembled.
    static constexpr std::uint32_t kMaxHeader = 4096;

    explicit FragmentReassembler(ReassemblyLimits limits = {});

    /// Adds one fragment: `f` is decode_frame's result for `data` (kind Fragment), `ts` its
    /// capture time. Returns the datagram when this fragment completes it.
    [[nodiscard]] std::optional<Reassembled> add(const DecodedFrame& f, std::span<const std::byte> data, Timestamp ts);

    [[nodiscard]] std::size_t in_progress() const { return by_key_.size(); }
    [[nodiscard]] const ReassemblyStats& stats() const { return stats_; }

private:
    struct Key {
        std::uint8_t version = 0;
        std::uint8_t proto = 0;  ///< IPv4 only: IPv6 datagrams are keyed without it (RFC 8200 §4.5)
        IpAddress src;
        IpAddress dst;
        std::uint32_t id = 0;
        std::uint32_t vlan = 0;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };
    static constexpr std::size_t kUnits = (kMaxPayload + 7) / 8;  // 8-byte fragment blocks

    struct Datagram {
        Key key;
        Timestamp first_seen{};
        std::vector<std::byte> header;  ///< per-fragment headers of the offset-0 fragment
        std::uint32_t nh_byte = 0;      ///< IPv6: next-header byte to rewrite, within header
        std::uint8_t next_header = 0;
        std::vector<std::byte> payload;
        std::array<std::uint64_t, (kUnits + 63) / 64> have{};  ///< 8-byte blocks received
        std::uint32_t total = 0;                               ///< payload length, known from the last fragment
        bool total_known = false;
        std::uint32_t fragments = 0;
        std::uint32_t conflicting = 0;
    };

    // Datagrams in first-seen order (ties: arrival), so that expiry and eviction take the
    // oldest from the front; the key index finds a fragment's datagram in O(1). Nodes do not
    // move: a datagram's 1 KiB bitmap is never copied.
    using Age = std::pair<Timestamp, std::uint64_t>;
    using ByAge = std::map<Age, Datagram>;

    void expire(Timestamp now);
    Datagram& slot_for(const Key& key, Timestamp ts);
    void erase(const Datagram& d);
    [[nodiscard]] static bool complete(const Datagram& d);
    [[nodiscard]] bool build(const Datagram& d);

    ReassemblyLimits limits_;
    ByAge by_age_;
    std::unordered_map<Key, ByAge::iterator, KeyHash> by_key_;
    std::uint64_t arrivals_ = 0;
    std::vector<std::byte> out_;  ///< the last datagram returned
    ReassemblyStats stats_;
};

/// decode_frame with IP reassembly: what the pipeline calls once per frame, in capture
/// order. A fragment that completes its datagram comes back as that datagram decoded as IP
/// (usually kind Tcp), keeping the frame's VLAN id and tunnel layers, with an IpReassembled
/// issue (a = fragments, b = conflicting overlapping bytes). When b > 0 the datagram is
/// ambiguous and comes back kind Malformed (its addresses and ports filled in for the row),
/// so no connection sees it. Every other frame comes back
/// exactly as decode_frame returns it. The payload view of a reassembled frame lives in the
/// decoder: valid until the next decode().
class FrameDecoder {
public:
    explicit FrameDecoder(ReassemblyLimits limits = {}) : reassembler_(limits) {}

    [[nodiscard]] DecodedFrame decode(int link_type, std::span<const std::byte> data, std::uint32_t wire_len,
                                      Timestamp ts) {
        DecodedFrame f;
        decode_into(f, link_type, data, wire_len, ts);
        return f;
    }
    /// The same for a frame as ingest hands it over.
    [[nodiscard]] DecodedFrame decode(const RawFrame& frame) {
        return decode(frame.link_type, frame.data, frame.wirelen, frame.ts);
    }
    /// The same into `out` (whatever it held is replaced; see decode_frame_into).
    void decode_into(DecodedFrame& out, int link_type, std::span<const std::byte> data, std::uint32_t wire_len,
                     Timestamp ts);
    void decode_into(DecodedFrame& out, const RawFrame& frame) {
        decode_into(out, frame.link_type, frame.data, frame.wirelen, frame.ts);
    }

    [[nodiscard]] const ReassemblyStats& stats() const { return reassembler_.stats(); }
    [[nodiscard]] std::size_t in_progress() const { return reassembler_.in_progress(); }

private:
    FragmentReassembler reassembler_;
};

}  // namespace tfx::decode
