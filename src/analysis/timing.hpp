#pragma once
// Timing of a connection (docs/analysis.md, "Timing"): the initial RTT from the handshake,
// RTT statistics under Karn's rule, stalls (silences while a direction waits), the time to
// first byte and the server's think time per request/response exchange, and the vantage
// point the handshake legs reveal.

#include "analysis/analyzer_state.hpp"
#include "tfx/conversation.hpp"
#include "tfx/types.hpp"

namespace tfx::analysis {

/// Wireshark's initial RTT: from the latest pure SYN to the first ACK without SYN.
void note_initial_rtt(AnalyzerState& st, bool pure_syn, bool ack_without_syn, Timestamp now);

/// Adds an ACK RTT sample to a direction's statistics (the caller applies Karn's rule).
void add_rtt_sample(DirectionCounters& stats, Duration rtt);

/// A frame at `now`: a silence since the previous frame longer than the stall threshold is a
/// stall of each direction that was waiting.
void account_stalls(AnalyzerState& st, Timestamp now);
/// After each segment: which directions wait (unacknowledged data, or the peer's window is
/// closed). None waits after a reset (`reset`: this segment has RST).
void update_blocked(AnalyzerState& st, bool reset);

/// Payload that is neither a probe nor a duplicate, from the client (`from_client`) or the
/// server; `resend`: the analysis found it a retransmission. Counts request/response
/// exchanges, the time to first byte and the server's think time.
void note_exchange(AnalyzerState& st, bool from_client, bool resend, Timestamp now);

/// Adds the vantage point (from the handshake legs already in `summary`), the time to first
/// byte and the exchanges to a connection summary.
void fill_timing_summary(const AnalyzerState& st, ConversationSummary& summary);

}  // namespace tfx::analysis
