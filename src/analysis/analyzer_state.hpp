#pragma once
// The analysis state of one connection, private to src/analysis: ConnectionAnalyzer holds it
// as a member, so a connection record is one block of memory and reaching the analysis
// state costs no dependent load, which matters when ~100k records are touched at random.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "analysis/direction_counters.hpp"
#include "analysis/time_or_unset.hpp"
#include "analysis/unacked_list.hpp"
#include "analysis/zeek_history.hpp"
#include "tfx/conversation.hpp"
#include "tfx/segment.hpp"
#include "tfx/seq.hpp"
#include "tfx/session.hpp"
#include "tfx/tcp_options.hpp"
#include "tfx/types.hpp"

namespace tfx::analysis {

// Open "previous segment not captured" gaps remembered per direction.
constexpr std::size_t kMaxGaps = 8;

/// A sequence number (or ack) relative to a direction's base, as evidence values are given
/// (SegmentFacts::own_base, peer_base).
[[nodiscard]] inline std::int64_t relative_to(std::uint32_t raw, std::uint32_t base) {
    return static_cast<std::int64_t>(static_cast<std::uint32_t>(raw - base));
}

/// What a direction needs only once it sends SACK blocks, opens a zero-window or loss-recovery
/// spell, or shows a capture drop. Few directions ever do (under one in twenty sends SACK
/// blocks on the benchmark capture), so it lives behind a pointer, allocated at first use
/// (DirectionState::use_rare()), and a direction that never needs it costs 8 bytes, not 56.
struct RareDirectionState {
    std::array<SackBlock, 4> sack{};  ///< latest SACK blocks this side sent (sack_count of them)
    // When the open spells began (see DirectionState::in_zero_window and in_recovery).
    Timestamp zero_window_since{};
    Timestamp recovery_since{};
    SeqNum recovery_point;  ///< the end of the highest byte retransmitted in the recovery
    SeqNum drop_mark;       ///< capture drops below it are counted (see has_drop_mark)
};

/// What the analysis keeps of one direction of a connection.
struct DirectionState {
    // Fields are grouped by purpose and, within a group, by size (8, 4, 2, 1 bytes): a
    // lingering connection holds two of these, so padding is memory. The blocks allocated on
    // first use come first, so that no pointer follows a run of small fields.

    // A "previous segment not captured" gap of this side not yet filled or acknowledged.
    struct Gap {
        SeqNum start;
        SeqNum end;
        FrameIndex frame = 0;
        Timestamp ts{};
        bool classified = false;  ///< counted as filled by reordering or by a retransmission
    };
    // Null until use_rare(); present whenever sack_count > 0, in_zero_window, in_recovery or
    // has_drop_mark, the flags that say which of its fields hold something.
    std::unique_ptr<RareDirectionState> rare;
    // The open gaps (gap_count of them), allocated at the first: most connections never have one.
    std::unique_ptr<std::array<Gap, kMaxGaps>> gaps;

    // Wireshark per-direction state (docs/analysis.md); has_* replace Wireshark's "0 = unset".
    // Wireshark's frame of the latest advance of nextseq is not kept: no rule reads it.
    Timestamp nextseqtime{};
    Timestamp lastacktime{};
    FrameIndex lastnondupack = 0;
    UnackedList unacked;
    SeqNum nextseq;
    SeqNum maxseqtobeacked;
    std::uint32_t lastack = 0;  ///< raw ack field of the latest segment
    int win_scale = -1;         ///< -1 unknown, -2 no scaling, else shift
    std::uint32_t lastsegmentflags = 0;
    // Wireshark's counter is unsigned: the -1 step 11 stores compares as >= 2 in step 12d.
    int dupacknum = 0;
    std::uint16_t window = 0;  ///< raw window of the latest segment (0 before any)
    bool has_nextseq = false;
    bool has_maxseqtobeacked = false;
    bool lastack_set = false;  ///< an ACK value was sent (Wireshark: lastack != 0)
    /// SYN sent, no ACK-without-SYN since: its window is not scaled (RFC 7323 §2.2; see
    /// "Wireshark issue 14690" in docs/analysis.md).
    bool is_first_ack = true;
    bool valid_bif = true;
    std::uint8_t sack_count = 0;  ///< SACK blocks in rare->sack

    // Our additions.
    FrameIndex last_frame = 0;
    FrameIndex syn_frame = 0;
    FrameIndex synack_frame = 0;
    SeqNum syn_seq;
    SeqNum synack_seq;
    std::optional<std::uint16_t> mss;  ///< announced on this side's SYN
    bool seen = false;
    bool sent_syn = false;  ///< pure SYN
    bool sent_synack = false;
    // Duplicate-frame detection: the previous frame of this direction, and whether the IP
    // id is a real per-packet counter here (a constant id proves nothing).
    std::uint32_t prev_seq = 0;
    std::uint32_t prev_ack = 0;
    std::uint32_t prev_len = 0;
    std::uint16_t prev_ip_id = 0;
    std::uint16_t prev_flags = 0;
    bool prev_valid = false;
    bool ip_id_changes = false;
    bool ip_id_reused = false;

    // Send-order evidence (deviation 7): the highest TCP timestamp value and IP id this side
    // sent, and whether its IP id behaves as a per-packet counter.
    bool has_tsval = false;
    std::uint32_t max_tsval = 0;
    std::uint32_t id_forward = 0;
    std::uint16_t id_max = 0;
    bool id_init = false;
    bool id_disordered = false;
    bool last_had_sack = false;        ///< this side's latest segment carried SACK blocks
    bool last_opts_truncated = false;  ///< ... or its options were cut by the snaplen
    // Spells the diagnosis measures (src/analysis/diagnosis.hpp): a zero window this side
    // advertises, a loss recovery of this side's data (their start in `rare`).
    bool in_zero_window = false;
    bool in_recovery = false;
    std::uint8_t gap_count = 0;  ///< open gaps in `gaps`
    // Capture drops: bytes of this side the peer acknowledged although the capture never saw
    // them. `seen_end` is the end of the highest byte (or SYN/FIN) seen, probes included;
    // bytes below rare->drop_mark have been counted already.
    bool has_seen_end = false;
    bool has_drop_mark = false;
    SeqNum seen_end;

    // The direction's statistics, the only copy while the connection lives: the analysis
    // keeps its own fields (RTT, retransmitted bytes, reordering, capture drops, stalls),
    // the session the rest (packets, bytes, options); the summary receives them published.
    DirectionCounters stats;

    /// The rare fields, allocated on first use.
    RareDirectionState& use_rare() {
        if (!rare) rare = std::make_unique<RareDirectionState>();
        return *rare;
    }
};

/// The analysis state of one connection: both directions, Zeek's tracker and the timing.
struct AnalyzerState {
    explicit AnalyzerState(const Options& o) : unacked_bound(UnackedList::bound_of(o.max_unacked_segments)) {}

    // Ordered by size within each group, like DirectionState.
    std::array<DirectionState, 2> dirs;
    ZeekTracker zeek;
    Timestamp mru_syn{};
    TimeOrUnset<Duration> irtt;
    bool has_mru_syn = false;
    bool limit_reported = false;

    // Timing (docs/analysis.md "Timing").
    bool have_prev_frame = false;
    bool reset_seen = false;
    bool client_data_seen = false;
    bool awaiting_response = false;
    std::array<bool, 2> blocked{};  ///< after the previous frame, per direction
    std::uint32_t exchanges = 0;
    std::uint32_t unacked_bound;  ///< what each direction's UnackedList::push() is given
    Timestamp prev_frame_ts{};
    Timestamp first_client_data{};
    Timestamp last_request_data{};
    TimeOrUnset<Duration> ttfb;
    Duration think_sum{};
    Duration think_max{};
};

}  // namespace tfx::analysis
