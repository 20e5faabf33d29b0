#pragma once
// The live form of one direction's statistics (the public DirectionStats, tfx/conversation.hpp):
// what every connection counts stays inline, in fields no wider than their values need; the
// counters most directions never move (reordering, gaps, capture drops, stalls, spells,
// retransmitted bytes) live in a block allocated the first time one of them does. A
// connection record holds two of these for as long as it lives, so their size is the
// memory of every connection alive; the public struct is built only for a summary.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>

#include "tfx/conversation.hpp"
#include "tfx/types.hpp"

namespace tfx::analysis {

/// The counters of a direction that stay zero in most connections (see DirectionStats for
/// their meaning).
struct RareDirectionCounters {
    std::uint64_t retransmitted_bytes = 0;
    std::uint64_t capture_dropped_bytes = 0;
    Duration stall_time{};
    Duration zero_window_time{};
    Duration recovery_time{};
    std::uint32_t reordered_segments = 0;
    std::uint32_t gaps_filled_by_reordering = 0;
    std::uint32_t gaps_opened = 0;
    std::uint32_t gaps_filled_by_retransmission = 0;
    std::uint32_t capture_drops = 0;
    std::uint32_t stalls = 0;
    std::uint32_t zero_window_spells = 0;
    std::uint32_t recoveries = 0;

    [[nodiscard]] bool operator==(const RareDirectionCounters&) const = default;
    /// Whether every counter is zero (a block that would hold nothing): every field, by the
    /// defaulted comparison, so a counter added later is counted too.
    [[nodiscard]] bool empty() const { return *this == RareDirectionCounters{}; }
};

/// One direction's statistics while its connection lives. The session counts the packets,
/// bytes, flags and options; the analysis the RTT samples and the rare counters. Not kept
/// here: the unique bytes (the numbering's highest byte) and the final state (the state
/// machines'), which the summary takes from where they live.
struct DirectionCounters {
    std::uint64_t packets = 0;
    std::uint64_t payload_bytes = 0;
    std::uint64_t wire_bytes = 0;
    Duration rtt_min{};
    Duration rtt_max{};
    Duration rtt_sum{};
    std::unique_ptr<RareDirectionCounters> rare;  ///< null while every rare counter is zero
    // A scaled window is at most 65535 << 14 (the shift is capped at 14): 32 bits hold it.
    std::uint32_t max_window = 0;
    std::uint32_t zero_windows = 0;
    std::uint32_t rsts = 0;
    std::uint32_t fins = 0;
    std::uint32_t syns = 0;
    std::uint32_t rtt_samples = 0;
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> window_scale;
    bool sack_permitted = false;
    bool timestamps = false;

    /// The rare counters, allocated on first use.
    RareDirectionCounters& use_rare() {
        if (!rare) rare = std::make_unique<RareDirectionCounters>();
        return *rare;
    }

    /// A segment advertised the (scaled) window `window`.
    void note_window(std::uint64_t window) { max_window = std::max(max_window, narrowed(window)); }

    /// The public statistics (unique_bytes and final_state left for the caller).
    [[nodiscard]] DirectionStats published() const {
        DirectionStats s;
        publish(s);
        return s;
    }

    /// Writes the public statistics into `s` (all but unique_bytes and final_state): a
    /// summary's own, with no copy of the struct.
    void publish(DirectionStats& s) const {
        static constexpr RareDirectionCounters kNone{};
        const RareDirectionCounters& r = rare ? *rare : kNone;
        s.packets = packets;
        s.payload_bytes = payload_bytes;
        s.wire_bytes = wire_bytes;
        s.mss = mss;
        s.window_scale = window_scale;
        s.sack_permitted = sack_permitted;
        s.timestamps = timestamps;
        s.max_window = max_window;
        s.zero_windows = zero_windows;
        s.rsts = rsts;
        s.fins = fins;
        s.syns = syns;
        s.rtt_samples = rtt_samples;
        s.rtt_min = rtt_min;
        s.rtt_max = rtt_max;
        s.rtt_sum = rtt_sum;
        s.retransmitted_bytes = r.retransmitted_bytes;
        s.reordered_segments = r.reordered_segments;
        s.gaps_filled_by_reordering = r.gaps_filled_by_reordering;
        s.gaps_opened = r.gaps_opened;
        s.gaps_filled_by_retransmission = r.gaps_filled_by_retransmission;
        s.capture_drops = r.capture_drops;
        s.capture_dropped_bytes = r.capture_dropped_bytes;
        s.stalls = r.stalls;
        s.stall_time = r.stall_time;
        s.zero_window_spells = r.zero_window_spells;
        s.zero_window_time = r.zero_window_time;
        s.recoveries = r.recoveries;
        s.recovery_time = r.recovery_time;
    }

    /// Takes the counts of `s` (a connection resumed from its summary); the rare block only
    /// when one of them is not zero.
    void assign(const DirectionStats& s) {
        packets = s.packets;
        payload_bytes = s.payload_bytes;
        wire_bytes = s.wire_bytes;
        mss = s.mss;
        window_scale = s.window_scale;
        sack_permitted = s.sack_permitted;
        timestamps = s.timestamps;
        max_window = narrowed(s.max_window);
        zero_windows = s.zero_windows;
        rsts = s.rsts;
        fins = s.fins;
        syns = s.syns;
        rtt_samples = s.rtt_samples;
        rtt_min = s.rtt_min;
        rtt_max = s.rtt_max;
        rtt_sum = s.rtt_sum;
        RareDirectionCounters r{.retransmitted_bytes = s.retransmitted_bytes,
                                .capture_dropped_bytes = s.capture_dropped_bytes,
                                .stall_time = s.stall_time,
                                .zero_window_time = s.zero_window_time,
                                .recovery_time = s.recovery_time,
                                .reordered_segments = s.reordered_segments,
                                .gaps_filled_by_reordering = s.gaps_filled_by_reordering,
                                .gaps_opened = s.gaps_opened,
                                .gaps_filled_by_retransmission = s.gaps_filled_by_retransmission,
                                .capture_drops = s.capture_drops,
                                .stalls = s.stalls,
                                .zero_window_spells = s.zero_window_spells,
                                .recoveries = s.recoveries};
        if (r.empty())
            rare.reset();
        else
            use_rare() = r;
    }

private:
    static std::uint32_t narrowed(std::uint64_t window) {
        constexpr std::uint64_t kMax = std::numeric_limits<std::uint32_t>::max();
        return static_cast<std::uint32_t>(std::min(window, kMax));
    }
};

}  // namespace tfx::analysis
