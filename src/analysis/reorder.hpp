#pragma once
// Reordering versus loss (docs/analysis.md, deviations 5, 7 and 8): the "previous segment not
// captured" gaps of a direction and what filled them, the evidence of the order in which its
// sender sent segments (IP id, TCP timestamp value, timing), the holes a receiver's SACK
// blocks report, and the bytes the capture missed although the receiver acknowledged them.

#include <cstdint>
#include <optional>

#include "analysis/analyzer_state.hpp"
#include "tfx/segment.hpp"
#include "tfx/seq.hpp"
#include "tfx/types.hpp"

namespace tfx::analysis {

struct SegmentFacts;

/// Was a segment carrying bytes never seen before sent before or after the higher-sequence
/// segments already seen? Earlier = an original overtaken in the network (reordering);
/// Later = a retransmission of bytes lost before the capture point.
enum class SendOrder : std::uint8_t { Unknown, Earlier, Later };

/// The send order of `f` (of direction `fwd`) from the evidence collected by
/// note_send_order(); `gap` is the open gap the segment falls into, if any, and `irtt` the
/// connection's initial RTT.
[[nodiscard]] SendOrder send_order(const DirectionState& fwd, const SegmentFacts& f, const DirectionState::Gap* gap,
                                   std::optional<Duration> irtt);
/// Collects the send-order evidence of every segment of `fwd`: the highest TCP timestamp
/// value and IP id, and whether the IP id is a per-packet counter. `late_or_resent`: the
/// segment may step back without disproving the counter.
void note_send_order(DirectionState& fwd, const SegmentFacts& f, bool late_or_resent);

/// The peer's latest segment reports, by SACK, data it holds above [seq, end) while this range
/// is not itself SACKed: the receiver is asking for it (RFC 6675).
[[nodiscard]] bool sack_hole(const DirectionState& rev, SeqNum seq, SeqNum end);

/// Remembers the gap [start, end) opened by frame `frame`; when kMaxGaps are open the oldest
/// is forgotten.
void open_gap(DirectionState& fwd, SeqNum start, SeqNum end, FrameIndex frame, Timestamp ts);
/// The open gap of `fwd` that [seq, end) falls into, or null.
[[nodiscard]] DirectionState::Gap* find_gap(DirectionState& fwd, SeqNum seq, SeqNum end);
/// [seq, end) arrived into `gap`: counts the first arrival as the gap filled by reordering
/// (`out_of_order`) or by a retransmission, and removes the bytes (the gap once it is empty).
void note_gap_filled(DirectionState& fwd, DirectionState::Gap& gap, bool out_of_order, SeqNum seq, SeqNum end);
/// Forgets the gaps `ack` covers entirely.
void prune_gaps(DirectionState& d, SeqNum ack);
/// Frees the gap buffer when no gap is open.
void release_gaps_if_none(DirectionState& d);

/// The peer acknowledged `ack` of `rev`: counts (and annotates) the bytes below it the
/// capture never saw.
void note_capture_drop(DirectionState& rev, SeqNum ack, std::uint32_t peer_base, AnnotatedSegment& out);

}  // namespace tfx::analysis
