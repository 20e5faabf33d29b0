#pragma once
// Module note: stream / connection_streams
//   Purpose: every connection's two byte streams rebuilt from the session's events, for the
//   outputs that show or write them (--write-streams). An EventSink placed in front of the
//   run's own sink: every event passes on unchanged. It is created only when an output asks
//   for streams, so a run without one does no stream work at all.
//   Offsets: a direction's stream offset is its relative sequence number (tshark's, as the
//   walkthrough shows it) minus 1, unwrapped to 64 bits against the highest byte seen in that
//   direction (tcp::unwrap): offset 0 is the first byte after the SYN (SYN data starts there),
//   or, when the capture missed the SYN, the first byte the relative numbering starts from
//   (the first byte seen, or the first the peer acknowledged when its ACK came first). Bytes
//   below offset 0 (a retransmission of what came before the capture's start) are not part of
//   the stream: counted, not delivered. A RST's payload is not stream data (RFC 9293 §3.5.3:
//   it may carry a diagnostic) and is left out; the RST itself is passed on.
//   Notes (StreamSink::note), before the bytes they are about: SYN data, an urgent pointer,
//   the first bytes after the sender's RST, and a direction whose SYN the capture missed
//   (offset 0 is then the first byte seen). Bytes past the FIN are the reassembler's
//   beyond_fin().
//   Lifetime: a direction starts at its first segment with payload and ends when its
//   connection's conversation_closed arrives (then StreamReassembler::finish()). Memory is
//   bounded by the StreamBudget and StreamLimits given.

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "stream/stream_reassembler.hpp"
#include "tfx/forwarding_sink.hpp"
#include "tfx/types.hpp"

namespace tfx::stream {

/// One direction of one connection: whose bytes, from where to where.
struct StreamDirection {
    ConversationId connection = 0;
    Role sender = Role::Client;
    Endpoint src;
    Endpoint dst;
    std::uint32_t vlan = 0;  ///< as FlowKey packs it; 0 = untagged
};

/// How a direction's stream ended: the reassembler's totals, and the captured bytes that fell
/// below offset 0.
struct StreamEnd {
    const StreamTotals& totals;
    std::uint64_t before_start_bytes = 0;
};

/// Where the rebuilt streams go.
class DirectionOutputs {
public:
    virtual ~DirectionOutputs() = default;
    /// A direction's first segment with payload: the sink its stream goes to, which must stay
    /// valid until closed() for the same direction.
    virtual StreamSink& opened(const StreamDirection& direction) = 0;
    /// The direction's stream is complete: every byte was delivered or declared missing.
    virtual void closed(const StreamDirection& direction, const StreamEnd& end) = 0;
    /// The capture is over: every direction opened was closed.
    virtual void finished() {}
};

class ConnectionStreams : public ForwardingSink {
public:
    ConnectionStreams(EventSink& next, DirectionOutputs& outputs, StreamLimits limits = {},
                      std::uint64_t budget = StreamBudget::kDefaultLimit);
    ~ConnectionStreams() override;
    ConnectionStreams(const ConnectionStreams&) = delete;
    ConnectionStreams& operator=(const ConnectionStreams&) = delete;

    void conversation_opened(const ConversationSummary& opening) override;
    void segment(const AnnotatedSegment& seg) override;
    /// Segments are needed here, whatever the next sink does with them.
    [[nodiscard]] bool wants_segments() const override { return true; }
    void conversation_closed(const ConversationSummary& summary) override;
    void capture_finished(const CaptureSummary& summary) override;

    [[nodiscard]] const StreamBudget& budget() const { return budget_; }

private:
    struct Direction;
    struct Connection {
        std::uint32_t vlan = 0;
        std::array<std::unique_ptr<Direction>, 2> directions;
        std::array<bool, 2> syn_seen{};  ///< by sender: its SYN was captured
    };

    Direction& direction_of(ConversationId id, Connection& connection, const AnnotatedSegment& seg);
    void close(Connection& connection);

    DirectionOutputs& outputs_;
    StreamLimits limits_;
    StreamBudget budget_;
    std::unordered_map<ConversationId, Connection> connections_;
};

}  // namespace tfx::stream
