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

#include <cstdint>
#include <memory>
#include <string>

#include "tfx/analyze.hpp"
#include "tfx/segment.hpp"
#include "tfx/tcp_options.hpp"
#include "tfx/types.hpp"

namespace tfx::analysis {

/// What the analysis needs of one TCP segment.
struct SegmentFacts {
    FrameIndex frame = 0;
    Timestamp ts{};
    int dir = 0;                   ///< 0 = sent by the client (originator), 1 = by the server
    std::uint16_t flags = 0;       ///< tcpflag::k*
    std::uint32_t seq = 0;         ///< raw
    std::uint32_t ack = 0;         ///< raw
    std::uint32_t seglen = 0;      ///< payload length from the IP header
    std::uint16_t window_raw = 0;
    std::uint16_t ip_id = 0;
    std::uint8_t ip_version = 0;
    const TcpOptions* options = nullptr;  ///< never null when analyze() is called
    /// Relative-number bases for evidence values (this direction's and the peer's).
    std::uint32_t own_base = 0;
    std::uint32_t peer_base = 0;
};

/// Per-connection analysis state for both directions. One instance per connection.
class ConnectionAnalyzer {
public:
    explicit ConnectionAnalyzer(const Options& options);
    ~ConnectionAnalyzer();
    ConnectionAnalyzer(ConnectionAnalyzer&&) noexcept;
    ConnectionAnalyzer& operator=(ConnectionAnalyzer&&) noexcept;

    /// Analyses one segment, in capture order. Adds annotations (Retransmission, DuplicateAck,
    /// ...) to `out`, and fills out.ack_rtt, out.acks_frame, out.bytes_in_flight.
    void analyze(const SegmentFacts& facts, AnnotatedSegment& out);

    /// Wireshark's initial RTT (first pure SYN to the first ACK-without-SYN), if known.
    [[nodiscard]] std::optional<Duration> initial_rtt() const;

    /// Adds what the analysis knows to a connection summary (counts are done by the caller):
    /// RTT statistics per direction, retransmitted bytes, Zeek conn_state and history.
    void fill_summary(ConversationSummary& summary) const;

    /// Asks the CPU to start loading this connection's state (a hint; no effect on results).
    void prefetch() const;

    /// Frees buffers that hold nothing (empty unacked lists, no open gaps). For connections
    /// that have closed and only linger for late segments; any later segment still works.
    void release_idle_memory();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tfx::analysis
