#include "tcp/numbering.hpp"

#include <algorithm>

namespace tfx::tcp {

// The peer's acknowledgments so far are re-expressed against the new base: which later one
// acknowledges more is what comparing the raw numbers says. The highest byte keeps its
// offset: the bytes already counted stay counted.
void Numbering::replace_base(Role sender, std::uint32_t isn) {
    Direction& own = dir(sender);
    Direction& peer = dir(peer_of(sender));
    peer.highest_ack += static_cast<std::int32_t>(own.base - isn);
    own.base = isn;
    own.syn_base = true;
}

void Numbering::note_syn(Role sender, std::optional<std::uint8_t> window_scale) {
    Direction& own = dir(sender);
    own.syn_seen = true;
    own.syn_wscale = window_scale;
    const Direction& client = dirs_[0];
    const Direction& server = dirs_[1];
    // RFC 7323 §2.2: scaling applies only when both SYNs carried the option; the shift is
    // capped at 14.
    scaling_agreed_ = client.syn_seen && server.syn_seen && client.syn_wscale && server.syn_wscale;
    for (Direction& d : dirs_) d.shift = std::min<std::uint8_t>(d.syn_wscale.value_or(0), 14);
    // The shift is unknown when no SYN was captured, or when only a SYN-ACK with a scale was
    // (the client's shift was on the missed SYN). RFC 7323 §1.3: no scaling without both.
    shift_unknown_ = !(client.syn_seen || server.syn_seen) || (!client.syn_seen && server.syn_wscale);
}

}  // namespace tfx::tcp
