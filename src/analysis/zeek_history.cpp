#include "analysis/zeek_history.hpp"

#include <algorithm>

#include "tfx/types.hpp"

namespace tfx::analysis {

namespace {

// Once-per-direction history kinds (Zeek's HIST_* bits). S and H share the SYN kind.
constexpr std::uint32_t kSeenSyn = 1U << 0;
constexpr std::uint32_t kSeenFin = 1U << 1;
constexpr std::uint32_t kSeenRst = 1U << 2;
constexpr std::uint32_t kSeenFinRst = 1U << 3;
constexpr std::uint32_t kSeenData = 1U << 4;
constexpr std::uint32_t kSeenAck = 1U << 5;
constexpr std::uint32_t kSeenMulti = 1U << 6;

// Zeek ignores SYN/RST sequence numbers that jump further than this (TOO_LARGE_SEQ_DELTA).
constexpr std::int32_t kTooLargeSeqDelta = 1'048'576;

constexpr char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool inactive(ZeekEndpointState s) { return s == ZeekEndpointState::Inactive || s == ZeekEndpointState::Partial; }

void set_state(ZeekEndpointState& state, ZeekEndpointState& prev, ZeekEndpointState next) {
    prev = state;
    state = next;
}

}  // namespace

std::uint32_t ZeekScaledCounters::threshold(ZeekCounted kind) const {
    // Logarithmic: 1, 10, 100, ... 10^9, then saturated rather than overflowing.
    static constexpr std::array<std::uint32_t, 11> kThresholds{
        1, 10, 100, 1'000, 10'000, 100'000, 1'000'000, 10'000'000, 100'000'000, 1'000'000'000, UINT32_MAX};
    return kThresholds[std::min<std::size_t>(hits[static_cast<std::size_t>(kind)], kThresholds.size() - 1)];
}

bool ZeekScaledCounters::hit(ZeekCounted kind) {
    const auto k = static_cast<std::size_t>(kind);
    if (++count[k] != threshold(kind)) return false;
    if (hits[k] < 10) ++hits[k];
    return true;
}

void ZeekHistory::add(char c) {
    if (len_ < kInline) {
        inline_[len_++] = c;
    } else if (len_ < kCapacity) {
        auto& letters = long_.use();
        if (len_ == kInline) std::copy(inline_.begin(), inline_.end(), letters.begin());
        letters[len_++] = c;
    }
}

bool zeek_history_is_rstos0(std::string_view h) {
    std::size_t i = 0;
    if (i < h.size() && h[i] == '^') {
        ++i;
    }
    if (i >= h.size() || h[i] != 'S') {
        return false;
    }
    for (++i; i < h.size(); ++i) {
        const char c = h[i];
        if (c == 'R') {
            return true;
        }
        if (std::string_view{"HAFGIQ"}.find(c) != std::string_view::npos) {
            return false;
        }
    }
    return false;
}

std::string_view zeek_conn_state(ZeekEndpointState os, ZeekEndpointState rs, std::string_view history,
                                 bool orig_payload, bool resp_payload) {
    using enum ZeekEndpointState;
    const bool o_inactive = inactive(os);
    const bool r_inactive = inactive(rs);
    if (rs == Reset) {
        if (os == SynSent || os == SynAckSent || (os == Reset && !orig_payload && !resp_payload)) {
            return "REJ";
        }
        return o_inactive ? "RSTRH" : "RSTR";
    }
    if (os == Reset) {
        if (r_inactive) {
            return zeek_history_is_rstos0(history) ? "RSTOS0" : "OTH";
        }
        return "RSTO";
    }
    if (os == Closed && rs == Closed) {
        return "SF";
    }
    if (os == Closed) {
        return r_inactive ? "SH" : "S2";
    }
    if (rs == Closed) {
        return o_inactive ? "SHR" : "S3";
    }
    if (os == SynSent && rs == Inactive) {
        return "S0";
    }
    if (os == Established && rs == Established) {
        return "S1";
    }
    return "OTH";
}

std::string_view ZeekTracker::conn_state() const {
    return zeek_conn_state(ep_[0].state, ep_[1].state, history(), ep_[0].payload, ep_[1].payload);
}

void ZeekTracker::letter(int dir, char upper) { history_.add(dir == 0 ? upper : lower(upper)); }

bool ZeekTracker::once(int dir, std::uint32_t bit, char upper) {
    Ep& e = ep_[dir & 1];
    if ((e.seen & bit) != 0) {
        return false;
    }
    e.seen |= bit;
    letter(dir, upper);
    return true;
}

void ZeekTracker::update_history(Ep& e, int dir, const ZeekPacket& p) {
    const bool syn = (p.flags & tcpflag::kSyn) != 0;
    const bool fin = (p.flags & tcpflag::kFin) != 0;
    const bool rst = (p.flags & tcpflag::kRst) != 0;
    const bool ack = (p.flags & tcpflag::kAck) != 0;
    const int bits = int{syn} + int{fin} + int{rst};
    const std::uint32_t rel = p.seq - e.start.raw();

    // Zeek: a SYN/FIN/RST letter repeats only when the packet carries a new sequence number
    // (for FIN the number after its payload).
    const auto repeatable = [&](std::uint32_t bit, char upper, bool& have, std::uint32_t& last, std::uint32_t value) {
        if (!once(dir, bit, upper) && (!have || value != last)) {
            letter(dir, upper);
        }
        have = true;
        last = value;
    };

    if (bits > 1) {
        if (fin && rst) {
            once(dir, kSeenFinRst, 'I');
        } else {
            once(dir, kSeenMulti, 'Q');
        }
    } else if (bits == 1) {
        if (syn) {
            repeatable(kSeenSyn, ack ? 'H' : 'S', e.have_syn_seq, e.last_syn_rel, rel);
        } else if (fin) {
            repeatable(kSeenFin, 'F', e.have_fin_seq, e.last_fin_rel, rel + p.len);
        } else {
            repeatable(kSeenRst, 'R', e.have_rst_seq, e.last_rst_rel, rel);
        }
    } else if (p.len > 0) {
        once(dir, kSeenData, 'D');
    } else if (ack) {
        once(dir, kSeenAck, 'A');
    }
}

void ZeekTracker::update_state(Ep& e, Ep& peer, int dir, const ZeekPacket& p) {
    using enum ZeekEndpointState;
    const bool syn = (p.flags & tcpflag::kSyn) != 0;
    const bool fin = (p.flags & tcpflag::kFin) != 0;
    const bool rst = (p.flags & tcpflag::kRst) != 0;
    const bool ack = (p.flags & tcpflag::kAck) != 0;
    const bool is_orig = dir == 0;

    switch (e.state) {
        case Inactive:
            if (syn) {
                if (is_orig) {
                    set_state(e.state, e.prev_state, ack ? SynAckSent : SynSent);
                } else {
                    // SYN-ACK (or a crossing SYN: simultaneous open) from the responder. An
                    // originator not seen yet stays inactive (Zeek: "unsolicited_SYN_response"),
                    // so that its ACK can still establish it (the SYN was missed).
                    if (peer.state == SynSent) {
                        set_state(peer.state, peer.prev_state, Established);
                    }
                    set_state(e.state, e.prev_state, Established);
                }
            }
            if (fin) {
                set_state(e.state, e.prev_state, Closed);
            }
            if (rst) {
                set_state(e.state, e.prev_state, Reset);
            }
            if (e.state == Inactive) {
                if (!is_orig && p.len == 0 && peer.state == SynSent) {
                    // Some stacks ACK a SYN before answering it: not a partial connection.
                } else if (ack && peer.state == Established) {
                    // SYN missed, SYN-ACK seen, now an ACK: Zeek establishes the endpoint
                    // instead of calling it partial.
                    set_state(e.state, e.prev_state, Established);
                } else {
                    set_state(e.state, e.prev_state, Partial);
                }
            }
            break;
        case SynSent:
        case SynAckSent:
            if (fin) {
                set_state(e.state, e.prev_state, Closed);
            }
            if (rst) {
                set_state(e.state, e.prev_state, Reset);
            }
            break;
        case Established:
        case Partial:
            if (syn && e.state == Partial && peer.state == Inactive && !ack) {
                set_state(e.state, e.prev_state, SynSent);
            }
            if (fin && !rst) {
                set_state(e.state, e.prev_state, Closed);
                // FIN then RST from the peer, now our FIN: that was a normal termination.
                if (peer.state == Reset && peer.prev_state == Closed) {
                    set_state(peer.state, peer.prev_state, Closed);
                }
            }
            if (rst) {
                set_state(e.state, e.prev_state, Reset);
            }
            break;
        case Closed:
            // Zeek (UpdateClosedState): a RST after both sides sent FIN does not undo the FIN
            // exchange; the connection stays a normal termination (SF).
            if (rst && peer.state != Closed) {
                set_state(e.state, e.prev_state, Reset);
            }
            break;
        case Reset: break;
    }
}

void ZeekTracker::record_data(Ep& e, SeqNum left, SeqNum right) {
    if (!e.contig_valid) {
        e.contig_valid = true;
        e.contig = left;
    }
    if (!seq_after(left, e.contig)) {
        if (seq_after(right, e.contig)) {
            e.contig = right;
        }
    } else {
        // Out of order: remember the block (merge with an overlapping one).
        for (std::uint8_t i = 0; i < e.block_count; ++i) {
            Block& b = (*e.blocks)[i];
            if (!seq_after(left, b.right) && !seq_after(b.left, right)) {
                if (seq_before(left, b.left)) {
                    b.left = left;
                }
                if (seq_after(right, b.right)) {
                    b.right = right;
                }
                return;
            }
        }
        if (e.block_count < kMaxBlocks) {
            e.blocks.use()[e.block_count++] = Block{left, right};
        }
        return;
    }
    // Absorb the blocks the contiguous end now reaches.
    bool again = true;
    while (again) {
        again = false;
        for (std::uint8_t i = 0; i < e.block_count; ++i) {
            auto& blocks = *e.blocks;
            if (!seq_after(blocks[i].left, e.contig)) {
                if (seq_after(blocks[i].right, e.contig)) {
                    e.contig = blocks[i].right;
                }
                blocks[i] = blocks[--e.block_count];
                again = true;
                break;
            }
        }
    }
}

void ZeekTracker::ack_received(Ep& e, SeqNum ack, int dir_of_e) {
    if (!e.contig_valid || !seq_after(ack, e.contig)) {
        return;
    }
    // Zeek's reassembler skips the hole the ACK passed; reported as a content gap only
    // while both endpoints are established (or cleanly closing).
    const auto live = [](ZeekEndpointState s) {
        return s == ZeekEndpointState::Established || s == ZeekEndpointState::Closed;
    };
    if (live(ep_[0].state) && live(ep_[1].state) && e.counted.hit(ZeekCounted::ContentGap)) {
        letter(dir_of_e, 'G');
    }
    record_data(e, e.contig, ack);
}

void ZeekTracker::on_packet(const ZeekPacket& p) {
    const int dir = p.dir & 1;
    if (!any_packet_) {
        any_packet_ = true;
        // Zeek names the sender of the first packet originator; when that is our server,
        // Zeek would flip the roles and record '^'.
        if (dir == 1) {
            history_.add('^');
        }
    }
    Ep& e = ep_[static_cast<std::size_t>(dir)];
    Ep& peer = ep_[static_cast<std::size_t>(dir ^ 1)];
    const bool syn = (p.flags & tcpflag::kSyn) != 0;
    const bool fin = (p.flags & tcpflag::kFin) != 0;
    const bool rst = (p.flags & tcpflag::kRst) != 0;
    const SeqNum seq{p.seq};
    const std::uint32_t seq_len = p.len + (syn ? 1U : 0U) + (fin ? 1U : 0U);
    const SeqNum end = seq + seq_len;

    // init_endpoint
    if (!e.started) {
        e.started = true;
        if (syn) {
            e.start = seq;
            e.last = end;
        } else {
            e.start = seq - 1U;
            e.last = seq;  // so the first packet is not a retransmission
        }
    } else if ((e.state == ZeekEndpointState::SynSent || e.state == ZeekEndpointState::SynAckSent) && syn &&
               seq != e.start) {
        e.start = seq;  // SYN_seq_jump
        e.last = end;
    }

    update_history(e, dir, p);

    // Zero window (the scaled window is 0 exactly when the raw one is).
    if (p.window_raw == 0 && !rst && peer.state != ZeekEndpointState::Closed && e.state != ZeekEndpointState::Reset &&
        e.counted.hit(ZeekCounted::ZeroWindow)) {
        letter(dir, 'W');
    }

    // update_last_seq, with Zeek's retransmission test.
    const std::int32_t delta = end - e.last;
    if ((syn || rst) && (delta > kTooLargeSeqDelta || delta < -kTooLargeSeqDelta)) {
        // untrusted jump
    } else if (fin && e.last == e.start + 1U) {
        e.last = end;  // >2 GB transfer seen only as SYN and FIN
    } else if (e.state == ZeekEndpointState::Reset) {
        // no sequence numbers trusted after a RST
    } else if (delta > 0) {
        e.last = end;
    } else if (p.len > 0 && e.counted.hit(ZeekCounted::Retransmission)) {
        letter(dir, 'T');
    }

    update_state(e, peer, dir, p);

    if (seq_len > 0) {
        record_data(e, seq, end);
    }
    if ((p.flags & tcpflag::kAck) != 0) {
        ack_received(peer, SeqNum{p.ack}, dir ^ 1);
    }
    if (p.len > 0) {
        e.payload = true;
    }
}

}  // namespace tfx::analysis
