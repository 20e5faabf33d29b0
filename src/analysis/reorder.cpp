#include "analysis/reorder.hpp"

#include <algorithm>
#include <array>
#include <memory>

#include "analysis/tcp_analysis.hpp"

namespace tfx::analysis {

namespace {

// The IP id of a direction is trusted as a send-order counter after this many forward steps
// (and no step back on a segment that was neither late nor resent).
constexpr std::uint32_t kIpIdTrustSteps = 4;

void fill_gap(DirectionState& fwd, DirectionState::Gap& g, SeqNum seq, SeqNum end) {
    if (!seq_after(seq, g.start)) {
        g.start = seq_after(end, g.start) ? end : g.start;
    } else if (!seq_before(end, g.end)) {
        g.end = seq;
    }
    if (!seq_before(g.start, g.end)) {
        g = (*fwd.gaps)[--fwd.gap_count];  // filled: remove (order does not matter)
    }
}

}  // namespace

bool sack_hole(const DirectionState& rev, SeqNum seq, SeqNum end) {
    if (!rev.last_had_sack || !rev.lastack_set) {
        return false;
    }
    const SeqNum cum{rev.lastack};
    if (seq_before(seq, cum)) {
        return false;
    }
    bool above = false;
    for (std::uint8_t i = 0; i < rev.sack_count; ++i) {
        const SeqNum left{rev.rare->sack[i].left};
        const SeqNum right{rev.rare->sack[i].right};
        if (!seq_after(right, cum)) {
            continue;  // D-SACK (RFC 2883): a duplicate report, not a hole
        }
        if (!seq_before(seq, left) && !seq_after(end, right)) {
            return false;  // already received
        }
        above = above || !seq_before(left, end);
    }
    return above;
}

DirectionState::Gap* find_gap(DirectionState& fwd, SeqNum seq, SeqNum end) {
    for (std::uint8_t i = 0; i < fwd.gap_count; ++i) {
        DirectionState::Gap& g = (*fwd.gaps)[i];
        if (seq_before(g.start, end) && seq_before(seq, g.end)) {
            return &g;
        }
    }
    return nullptr;
}

void prune_gaps(DirectionState& d, SeqNum ack) {
    for (std::uint8_t i = 0; i < d.gap_count;) {
        if (!seq_after((*d.gaps)[i].end, ack)) {
            (*d.gaps)[i] = (*d.gaps)[--d.gap_count];
        } else {
            ++i;
        }
    }
}

SendOrder send_order(const DirectionState& fwd, const SegmentFacts& f, const DirectionState::Gap* gap,
                     std::optional<Duration> irtt) {
    // 1. The IP id, when this side's id is a per-packet counter (Linux: per socket).
    if (f.ip_version == 4 && f.ip_id != 0 && fwd.id_init && fwd.id_forward >= kIpIdTrustSteps && !fwd.id_disordered) {
        const auto d = static_cast<std::int16_t>(static_cast<std::uint16_t>(f.ip_id - fwd.id_max));
        if (d < 0) {
            return SendOrder::Earlier;
        }
        if (d > 0) {
            return SendOrder::Later;
        }
    }
    // 2. The TCP timestamp value (RFC 7323: a clock; a retransmission carries the current one).
    if (f.options != nullptr && f.options->timestamps && fwd.has_tsval) {
        const auto d = static_cast<std::int32_t>(f.options->timestamps->value - fwd.max_tsval);
        if (d < 0) {
            return SendOrder::Earlier;
        }
        if (d > 0) {
            return SendOrder::Later;
        }
    }
    // 3. Timing: a retransmission answering the gap reaches the capture point at least one
    //    round trip after the first segment above the gap; half the initial RTT is the margin.
    if (gap != nullptr && irtt && irtt->count() > 0 && f.ts - gap->ts < *irtt / 2) {
        return SendOrder::Earlier;
    }
    return SendOrder::Unknown;
}

void note_send_order(DirectionState& fwd, const SegmentFacts& f, bool late_or_resent) {
    if (f.options != nullptr && f.options->timestamps) {
        const std::uint32_t v = f.options->timestamps->value;
        if (!fwd.has_tsval || static_cast<std::int32_t>(v - fwd.max_tsval) > 0) {
            fwd.max_tsval = v;
        }
        fwd.has_tsval = true;
    }
    if (f.ip_version != 4 || f.ip_id == 0) {
        return;
    }
    if (!fwd.id_init) {
        fwd.id_init = true;
        fwd.id_max = f.ip_id;
        return;
    }
    const auto d = static_cast<std::int16_t>(static_cast<std::uint16_t>(f.ip_id - fwd.id_max));
    if (d > 0) {
        fwd.id_max = f.ip_id;
        ++fwd.id_forward;
    } else if (!late_or_resent) {
        fwd.id_disordered = true;  // constant, random or reused ids prove nothing
    }
}

void open_gap(DirectionState& fwd, SeqNum start, SeqNum end, FrameIndex frame, Timestamp ts) {
    if (!fwd.gaps) {
        fwd.gaps = std::make_unique<std::array<DirectionState::Gap, kMaxGaps>>();
    }
    if (fwd.gap_count == kMaxGaps) {
        std::move(fwd.gaps->begin() + 1, fwd.gaps->end(), fwd.gaps->begin());  // drop oldest
        --fwd.gap_count;
    }
    (*fwd.gaps)[fwd.gap_count++] = {.start = start, .end = end, .frame = frame, .ts = ts};
}

void note_gap_filled(DirectionState& fwd, DirectionState::Gap& gap, bool out_of_order, SeqNum seq, SeqNum end) {
    if (!gap.classified) {
        // The first segment into a gap says what filled it: an original sent before the
        // higher bytes (reordering) or a resend (the bytes were lost).
        gap.classified = true;
        if (out_of_order) {
            ++fwd.stats.use_rare().gaps_filled_by_reordering;
        } else {
            ++fwd.stats.use_rare().gaps_filled_by_retransmission;
        }
    }
    fill_gap(fwd, gap, seq, end);  // the bytes are seen now, whatever sent them
}

void release_gaps_if_none(DirectionState& d) {
    if (d.gap_count == 0) {
        d.gaps.reset();
    }
}

// An ACK for bytes the capture never saw proves they reached the receiver: the capture point
// missed them (a full capture buffer, a mirror port dropping, asymmetric routing), the
// network did not lose them. The bytes are those of unfilled "previous segment not
// captured" gaps now acknowledged, and those acknowledged beyond the highest byte seen
// ("ACKed unseen segment"). Each byte is counted once. Not a drop but a discontinuity in
// the sequence numbers (a new ISN on the same 4-tuple, injected or bogus ACKs): unseen bytes
// starting before the direction's first byte, or more than 2^30 of them in one ACK (the
// largest window TCP can offer; a long capture outage at line rate could exceed it, a
// false "not a drop" we accept).
void note_capture_drop(DirectionState& rev, SeqNum ack, std::uint32_t peer_base, AnnotatedSegment& out) {
    const auto above_mark = [&rev](SeqNum s) {
        return rev.has_drop_mark && seq_before(s, rev.rare->drop_mark) ? rev.rare->drop_mark : s;
    };
    std::uint64_t bytes = 0;
    bool have_first = false;
    SeqNum first;
    FrameIndex first_frame = 0;
    const auto count = [&](SeqNum from, SeqNum to, FrameIndex frame) {
        from = above_mark(from);
        if (!seq_before(from, to)) {
            return;
        }
        bytes += static_cast<std::uint32_t>(to - from);
        if (!have_first || seq_before(from, first)) {
            have_first = true;
            first = from;
            first_frame = frame;
        }
    };
    for (std::uint8_t i = 0; i < rev.gap_count; ++i) {
        DirectionState::Gap& g = (*rev.gaps)[i];
        if (!seq_before(g.start, ack)) {
            continue;
        }
        const SeqNum covered_end = seq_before(ack, g.end) ? ack : g.end;
        count(g.start, covered_end, g.frame);
        g.start = covered_end;  // fully covered gaps are pruned right after
    }
    if (rev.has_seen_end && seq_after(ack, rev.seen_end)) {
        count(rev.seen_end, ack, 0);
    }
    constexpr std::uint64_t kLargestWindow = std::uint64_t{65535} << 14;
    if (bytes == 0 || bytes > kLargestWindow || relative_to(first.raw(), peer_base) >= (std::int64_t{1} << 31)) {
        return;
    }
    if (!rev.has_drop_mark || seq_after(ack, rev.rare->drop_mark)) {
        rev.has_drop_mark = true;
        rev.use_rare().drop_mark = ack;
    }
    RareDirectionCounters& counters = rev.stats.use_rare();
    counters.capture_dropped_bytes += bytes;
    ++counters.capture_drops;
    out.add({.code = AnnotationCode::CaptureDrop,
             .related = first_frame,
             .a = static_cast<std::int64_t>(bytes),
             .b = relative_to(first.raw(), peer_base)});
}

}  // namespace tfx::analysis
