#pragma once
// Module note: analysis
//   Purpose: Wireshark-compatible per-segment TCP analysis (retransmissions, duplicate
//   ACKs, windows, keep-alives, ...) with the evidence for each finding, ACK RTT with
//   Karn's rule, bytes in flight; and Zeek's per-connection conn_state and history.
//   Input: SegmentFacts for each TCP segment of one connection, in capture order.
//   Output: Annotations and timing fields written into the AnnotatedSegment.
//   The rules and their precedence are those of Wireshark 4.0 packet-tcp.c (see
//   docs/analysis.md), corrected where the sender's kernel proves tshark wrong.
//   Non-goals: payload reassembly, application protocols.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "analysis/analyzer_state.hpp"
#include "analysis/zeek_history.hpp"
#include "tfx/conversation.hpp"
#include "tfx/segment.hpp"
#include "tfx/session.hpp"
#include "tfx/tcp_options.hpp"
#include "tfx/types.hpp"

namespace tfx::session {
struct LingeringFields;  // session/lingering_fields.hpp
}  // namespace tfx::session

namespace tfx::analysis {

/// What the analysis needs of one TCP segment.
struct SegmentFacts {
    FrameIndex frame = 0;
    Timestamp ts{};
    int dir = 0;               ///< 0 = sent by the client (originator), 1 = by the server
    std::uint16_t flags = 0;   ///< tcpflag::k*
    std::uint32_t seq = 0;     ///< raw
    std::uint32_t ack = 0;     ///< raw
    std::uint32_t seglen = 0;  ///< payload length from the IP header
    std::uint16_t window_raw = 0;
    std::uint16_t ip_id = 0;
    std::uint8_t ip_version = 0;
    const TcpOptions* options = nullptr;  ///< never null when analyze() is called
    /// Relative-number bases for evidence values (this direction's and the peer's).
    std::uint32_t own_base = 0;
    std::uint32_t peer_base = 0;
};

/// The analysis found the segment's bytes were sent before (a retransmission, fast or
/// spurious): nothing in it is new data from its sender.
[[nodiscard]] inline bool is_retransmission(const AnnotatedSegment& seg) {
    return seg.has(AnnotationCode::Retransmission) || seg.has(AnnotationCode::FastRetransmission) ||
           seg.has(AnnotationCode::SpuriousRetransmission);
}

/// What the analysis of a connection keeps while the connection is idle-expired, so that a
/// later segment can continue it (ConnectionAnalyzer::dormant() and resume()): each side's
/// next sequence number, last ACK and window, which a keep-alive (seq = next - 1) and its
/// ACK are recognised by; Zeek's bookkeeping; the timing totals (the statistics travel in
/// the connection's summary, and are given back through stats().assign()). Not the
/// unacknowledged segments nor the open gaps: after an idle period longer than any
/// retransmission timeout nothing sent before it is still waiting to be resent.
struct AnalyzerMemory {
    struct Side {
        SeqNum nextseq;
        SeqNum maxseqtobeacked;
        SeqNum seen_end;
        std::uint32_t lastack = 0;
        int win_scale = -1;
        std::uint16_t window = 0;
        bool has_nextseq = false;
        bool has_maxseqtobeacked = false;
        bool has_seen_end = false;
        bool lastack_set = false;
        bool is_first_ack = true;
        bool seen = false;
    };
    std::array<Side, 2> sides{};
    ZeekTracker zeek;
    std::optional<Duration> irtt;
    std::optional<Duration> ttfb;
    Duration think_sum{};
    Duration think_max{};
    std::uint32_t exchanges = 0;
    bool client_data_seen = false;
};

/// Per-connection analysis state for both directions. One instance per connection.
class ConnectionAnalyzer {
    friend struct tfx::session::LingeringFields;  // writes the record field by field
public:
    explicit ConnectionAnalyzer(const Options& options);
    // Lives where it is built, inside its connection record: never copied or moved.
    ConnectionAnalyzer(const ConnectionAnalyzer&) = delete;
    ConnectionAnalyzer& operator=(const ConnectionAnalyzer&) = delete;

    /// Analyses one segment, in capture order. Adds annotations (Retransmission, DuplicateAck,
    /// ...) to `out`, and fills out.ack_rtt, out.acks_frame, out.bytes_in_flight.
    void analyze(const SegmentFacts& facts, AnnotatedSegment& out);

    /// Wireshark's initial RTT (first pure SYN to the first ACK-without-SYN), if known.
    [[nodiscard]] std::optional<Duration> initial_rtt() const;

    /// The statistics of direction `dir` (0 = client to server), the connection's only copy,
    /// in their live form: analyze() keeps the analysis fields (RTT, retransmitted bytes,
    /// reordering, capture drops, stalls), the caller the others (packets, bytes, options).
    /// A summary takes them as DirectionCounters::published().
    [[nodiscard]] DirectionCounters& stats(int dir);
    [[nodiscard]] const DirectionCounters& stats(int dir) const;

    /// Adds what the analysis concludes to a connection summary: vantage point (from the
    /// handshake legs already in it), time to first byte, exchanges, Zeek conn_state and
    /// history. The per-direction statistics are stats().published(); counts are done by the caller.
    void fill_summary(ConversationSummary& summary) const;

    /// Asks the CPU to start loading this connection's state (a hint; no effect on results).
    void prefetch() const;

    /// Frees buffers that hold nothing (empty unacked lists, no open gaps). For connections
    /// that have closed and only linger for late segments; any later segment still works.
    void release_idle_memory();

    /// What resume() needs to continue this connection's analysis after idle expiry.
    [[nodiscard]] AnalyzerMemory dormant() const;
    /// Continues the analysis of an idle-expired connection on a fresh analyzer: the
    /// per-direction sequence state, Zeek state and timing totals of `memory`.
    void resume(const AnalyzerMemory& memory);

private:
    AnalyzerState state_;  ///< in the object, not behind a pointer (see analyzer_state.hpp)
};

}  // namespace tfx::analysis
