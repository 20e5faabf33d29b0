#pragma once
// Module note: tcp (numbering)
//   The numbers of one connection, per direction (a direction is named by its sender):
//   the base its relative sequence numbers count from, set the way tshark and Wireshark set
//   it so users can cross-check; the window scale both SYNs negotiated; and how far the
//   direction got, its highest byte and its highest acknowledgment of the peer's bytes, as
//   64-bit offsets from the base. Sequence numbers wrap every 2^32; offsets do not: a number
//   is unwrapped against the highest offset so far, a step forward of less than 2^31 being
//   new and anything else older (RFC 9293 §3.4's modular comparison), so a transfer past
//   4 GiB keeps counting through each wrap.
//   Non-goals: sequence analysis (see analysis/), connection states (see connection_fsm).

#include <array>
#include <cstdint>
#include <optional>

#include "tfx/types.hpp"

namespace tfx::session {
struct LingeringFields;  // session/lingering_fields.hpp
}  // namespace tfx::session

namespace tfx::tcp {

/// The offset nearest `reference` whose low 32 bits are `relative`: up to 2^31 - 1 ahead of
/// it, or up to 2^31 behind (RFC 9293 §3.4: a step of less than 2^31 forward is new). How a
/// 32-bit sequence number, relative to a base, becomes a 64-bit offset that does not wrap:
/// `reference` is the highest offset seen so far.
inline std::int64_t unwrap(std::uint32_t relative, std::int64_t reference) {
    const auto step = static_cast<std::int32_t>(relative - static_cast<std::uint32_t>(reference));
    return reference + step;
}

class Numbering {
    friend struct tfx::session::LingeringFields;  // writes the record field by field
public:
    /// A segment's relative numbers: 32 bits, like tshark's.
    struct Relative {
        std::uint32_t seq = 0;
        std::uint32_t ack = 0;      ///< the raw field when the segment has no ACK bit
        bool isn_inferred = false;  ///< this segment set its sender's base without a SYN
    };

    /// The advertised window of a segment.
    struct Window {
        std::uint64_t value = 0;
        bool scaled = false;
        /// The shift is unknown: the SYNs that negotiate it were not both captured.
        bool scale_unknown = false;
    };

    /// Sets the bases a segment of `sender` teaches (the sender's from its seq, the peer's
    /// from its ack) and gives its relative numbers. A direction's base is its SYN's seq,
    /// else (first segment without SYN) seq - 1, else the peer's first ack - 1; a SYN-ACK
    /// with another seq names the real ISN and replaces it, until the peer has acknowledged
    /// the current one (then the ISN is settled and a SYN-ACK with another is not this
    /// connection's: RFC 9293 §3.10.7.4, its seq is outside the receive window).
    Relative number(Role sender, std::uint16_t flags, std::uint32_t seq, std::uint32_t ack);

    /// A SYN of `sender` with this window scale option (or none).
    void note_syn(Role sender, std::optional<std::uint8_t> window_scale);

    /// The real window of a segment of `sender` with the raw window `raw`.
    [[nodiscard]] Window window(Role sender, std::uint16_t flags, std::uint16_t raw) const;

    /// Records the acknowledgment number of a segment of `sender` that has the ACK bit.
    /// Whether it acknowledges more than the sender's ACKs before it (its first always does).
    bool note_ack(Role sender, std::uint32_t ack);

    /// Records `len` bytes sent by `sender` from sequence number `seq`.
    void note_bytes(Role sender, std::uint32_t seq, std::uint32_t len);

    /// The stream offset of `seq` in `sender`'s direction (the base is offset 0, the first
    /// data byte 1), unwrapped against that direction's highest byte so far. Negative: before
    /// the base.
    [[nodiscard]] std::int64_t offset_of(Role sender, std::uint32_t seq) const;

    [[nodiscard]] bool has_base(Role sender) const { return dir(sender).base_set; }
    /// The sequence number relative 0 stands for (0 while has_base() is false).
    [[nodiscard]] std::uint32_t base(Role sender) const { return dir(sender).base; }
    /// The offset just after the highest byte `sender` sent (0: no byte yet).
    [[nodiscard]] std::uint64_t highest_end(Role sender) const { return dir(sender).highest_end; }
    /// The bytes `sender` sent, each sequence number once: data starts at offset 1 (the SYN,
    /// or the inferred base, takes 0).
    [[nodiscard]] std::uint64_t unique_bytes(Role sender) const {
        const std::uint64_t end = highest_end(sender);
        return end > 0 ? end - 1 : 0;
    }
    /// The offset in the peer's direction of the highest acknowledgment `sender` sent.
    [[nodiscard]] std::optional<std::int64_t> highest_ack(Role sender) const {
        const Direction& d = dir(sender);
        return d.ack_seen ? std::optional{d.highest_ack} : std::nullopt;
    }

private:
    struct Direction {
        std::uint32_t base = 0;
        bool base_set = false;
        bool syn_seen = false;
        bool syn_base = false;  ///< the base is a SYN's seq, not inferred
        bool ack_seen = false;
        std::optional<std::uint8_t> syn_wscale;  ///< the option its SYN carried
        std::uint8_t shift = 0;                  ///< its window's, once both SYNs agreed on scaling
        std::uint64_t highest_end = 0;           ///< offset just after its highest byte
        std::int64_t highest_ack = 0;            ///< offset of its highest ACK in the peer's direction
    };

    [[nodiscard]] const Direction& dir(Role r) const { return dirs_[static_cast<std::size_t>(index_of(r))]; }
    Direction& dir(Role r) { return dirs_[static_cast<std::size_t>(index_of(r))]; }
    void replace_base(Role sender, std::uint32_t isn);
    /// Whether the peer acknowledged the SYN at `sender`'s base (RFC 9293 §3.4.1: the
    /// handshake's third step settles the ISN the receiver goes on with): its highest ACK
    /// covers the SYN and no more than the sender was seen sending (its FIN included), so an
    /// ACK of another ISN does not count.
    [[nodiscard]] bool isn_acknowledged(Role sender) const {
        const Direction& own = dir(sender);
        const Direction& peer = dir(peer_of(sender));
        return own.syn_base && peer.ack_seen && peer.highest_ack >= 1 &&
               peer.highest_ack <= static_cast<std::int64_t>(own.highest_end) + 1;
    }

    std::array<Direction, 2> dirs_{};
    // What the SYNs seen so far say of window scaling (note_syn() sets both).
    bool scaling_agreed_ = false;
    bool shift_unknown_ = true;
};

// Once or twice per segment: inline, so naming the steps costs no call.

inline Numbering::Relative Numbering::number(Role sender, std::uint16_t flags, std::uint32_t seq, std::uint32_t ack) {
    using namespace tcpflag;
    Direction& own = dir(sender);
    Direction& peer = dir(peer_of(sender));
    Relative out;
    if (!own.base_set) {
        own.base = (flags & kSyn) ? seq : seq - 1;
        own.base_set = true;
        own.syn_base = (flags & kSyn) != 0;
        out.isn_inferred = !(flags & kSyn);
    } else if ((flags & kSyn) && (flags & kAck) && own.base != seq && !isn_acknowledged(sender)) {
        replace_base(sender, seq);  // the SYN-ACK names the real ISN
    }
    if (!peer.base_set && (flags & kAck)) {
        peer.base = ack - 1;
        peer.base_set = true;
    }
    out.seq = seq - own.base;
    // Without the ACK bit the field means nothing; like tshark, show it raw.
    out.ack = (flags & kAck) ? ack - peer.base : ack;
    return out;
}

inline Numbering::Window Numbering::window(Role sender, std::uint16_t flags, std::uint16_t raw) const {
    using namespace tcpflag;
    Window w;
    w.value = raw;
    // RFC 7323 §2.2: the window of a SYN is never scaled.
    if (!(flags & kSyn) && scaling_agreed_) {
        w.value = std::uint64_t{raw} << dir(sender).shift;
        w.scaled = true;
    }
    w.scale_unknown = !(flags & (kSyn | kRst)) && shift_unknown_;
    return w;
}

inline bool Numbering::note_ack(Role sender, std::uint32_t ack) {
    Direction& own = dir(sender);
    const Role receiver = peer_of(sender);
    if (!own.ack_seen) {
        own.ack_seen = true;
        own.highest_ack = offset_of(receiver, ack);
        return true;
    }
    const std::int64_t offset = unwrap(ack - dir(receiver).base, own.highest_ack);
    if (offset <= own.highest_ack) return false;
    own.highest_ack = offset;
    return true;
}

inline void Numbering::note_bytes(Role sender, std::uint32_t seq, std::uint32_t len) {
    if (len == 0) return;
    Direction& own = dir(sender);
    // The segment's end is new when it is ahead of the highest end so far.
    const std::int64_t end = unwrap(seq - own.base + len, static_cast<std::int64_t>(own.highest_end));
    if (end > static_cast<std::int64_t>(own.highest_end)) own.highest_end = static_cast<std::uint64_t>(end);
}

inline std::int64_t Numbering::offset_of(Role sender, std::uint32_t seq) const {
    const Direction& own = dir(sender);
    return unwrap(seq - own.base, static_cast<std::int64_t>(own.highest_end));
}

}  // namespace tfx::tcp
