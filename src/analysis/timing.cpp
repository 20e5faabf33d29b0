#include "analysis/timing.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>

#include "core/saturating.hpp"

namespace tfx::analysis {

namespace {

using namespace std::chrono_literals;

// Vantage point: one handshake leg at least this many times the other (docs/analysis.md).
constexpr int kVantageRatio = 4;
// Stall threshold floor: Linux's minimum RTO, so an RTO wait always counts as a stall.
constexpr Duration kStallFloor = 200ms;

}  // namespace

void note_initial_rtt(AnalyzerState& st, bool pure_syn, bool ack_without_syn, Timestamp now) {
    if (pure_syn) {
        st.has_mru_syn = true;
        st.mru_syn = now;
    }
    if (!st.irtt && ack_without_syn && st.has_mru_syn) {
        st.irtt = now - st.mru_syn;
    }
}

void add_rtt_sample(DirectionCounters& stats, Duration rtt) {
    if (stats.rtt_samples == 0 || rtt < stats.rtt_min) {
        stats.rtt_min = rtt;
    }
    if (stats.rtt_samples == 0 || rtt > stats.rtt_max) {
        stats.rtt_max = rtt;
    }
    stats.rtt_sum = saturating_add(stats.rtt_sum, rtt);
    ++stats.rtt_samples;
}

namespace {
// Out of line: stalls are rare, and the allocation of a first one inline would cost every
// call of account_stalls() (once per segment) saving and restoring registers.
[[gnu::noinline]] void count_stall(AnalyzerState& st, Duration gap) {
    for (std::size_t d = 0; d < 2; ++d) {
        if (st.blocked[d]) {
            RareDirectionCounters& counters = st.dirs[d].stats.use_rare();
            ++counters.stalls;
            counters.stall_time += gap;
        }
    }
}
}  // namespace

void account_stalls(AnalyzerState& st, Timestamp now) {
    const bool later = st.have_prev_frame && now > st.prev_frame_ts;
    const Duration gap = later ? now - st.prev_frame_ts : Duration::zero();
    if (!st.have_prev_frame || later) {
        st.prev_frame_ts = now;
    }
    st.have_prev_frame = true;
    if (!later) {
        return;
    }
    Duration threshold = kStallFloor;
    if (st.irtt && *st.irtt > threshold / 2) {
        // Saturated: an iRTT from timestamps that jump by centuries must not overflow
        // (fuzz_capture_file, UBSan).
        threshold = *st.irtt > Duration::max() / 2 ? Duration::max() : 2 * *st.irtt;
    }
    // Last, so that the rare call is a jump and this function needs no frame of its own.
    if (gap > threshold && (st.blocked[0] || st.blocked[1])) count_stall(st, gap);
}

void update_blocked(AnalyzerState& st, bool reset) {
    if (reset) {
        st.reset_seen = true;
    }
    for (std::size_t d = 0; d < 2; ++d) {
        const DirectionState& me = st.dirs[d];
        const DirectionState& peer = st.dirs[d ^ 1];
        const bool zero_window = peer.seen && peer.lastack_set && peer.window == 0;
        st.blocked[d] = !st.reset_seen && peer.seen && (!me.unacked.empty() || zero_window);
    }
}

void note_exchange(AnalyzerState& st, bool from_client, bool resend, Timestamp now) {
    if (from_client) {
        if (!st.client_data_seen) {
            st.client_data_seen = true;
            st.first_client_data = now;
        }
        if (!resend || st.awaiting_response) {
            st.awaiting_response = true;  // a request (burst) goes on
            st.last_request_data = now;
        }
    } else if (!resend) {
        if (st.client_data_seen && !st.ttfb) {
            st.ttfb = now - st.first_client_data;
        }
        if (st.awaiting_response) {
            const Duration think = now - st.last_request_data;
            st.think_sum = saturating_add(st.think_sum, think);
            st.think_max = st.exchanges == 0 ? think : std::max(st.think_max, think);
            ++st.exchanges;
            st.awaiting_response = false;
        }
    }
}

void fill_timing_summary(const AnalyzerState& st, ConversationSummary& summary) {
    // Vantage point from the handshake legs (filled by the session before this call).
    if (summary.syn_to_synack && summary.synack_to_ack) {
        const Duration to_server = *summary.syn_to_synack;
        const Duration to_client = *summary.synack_to_ack;
        // a >= 4b is tested as a / 4 >= b (the same for non-negative integers) so that huge
        // legs cannot overflow; a negative leg (clock went back) tells nothing.
        if (to_server.count() < 0 || to_client.count() < 0) {
            summary.vantage = VantagePoint::Unknown;
        } else if (to_server / kVantageRatio >= to_client) {
            summary.vantage = VantagePoint::NearClient;
        } else if (to_client / kVantageRatio >= to_server) {
            summary.vantage = VantagePoint::NearServer;
        } else {
            summary.vantage = VantagePoint::InBetween;
        }
    }
    summary.time_to_first_byte = st.ttfb;
    summary.exchanges = st.exchanges;
    summary.server_think_sum = st.think_sum;
    summary.server_think_max = st.think_max;
}

}  // namespace tfx::analysis
