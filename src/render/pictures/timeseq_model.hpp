#pragma once
// The data of a time-sequence graph (Stevens / tcptrace style): for each direction of a
// connection, the segments it sent as sequence ranges over time, and from the other
// direction's segments the ACK line, the receive-window line (ACK + scaled window), SACK
// blocks, duplicate ACKs and zero windows. Sequence numbers are relative (the SYN is 0),
// times are seconds since the connection's first frame. Bounded: at most kMaxPoints marks
// per connection; what did not fit is counted.

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "tfx/segment.hpp"
#include "tfx/types.hpp"

namespace tfx::render {

struct SeqRange {
    double t = 0;
    std::uint64_t start = 0;  ///< relative sequence of the first byte (or of the SYN / FIN)
    std::uint64_t end = 0;    ///< one past the last
    FrameIndex frame = 0;
    bool retransmission = false;  ///< retransmission, fast or spurious (tcp.analysis names)
};

/// What the receiver said, in the sender's sequence space.
struct AckPoint {
    double t = 0;
    std::uint64_t ack = 0;
    std::uint64_t window_edge = 0;  ///< ack + scaled window: the highest sequence it accepts
    FrameIndex frame = 0;
    bool duplicate = false;
    bool zero_window = false;
};

struct SackRange {
    double t = 0;
    std::uint64_t left = 0;
    std::uint64_t right = 0;
};

/// One direction: what its sender sent and what the peer answered.
struct TimeSeqDirection {
    std::vector<SeqRange> segments;
    std::vector<AckPoint> acks;
    std::vector<SackRange> sacks;
    [[nodiscard]] std::uint64_t highest_seq() const;
    [[nodiscard]] std::size_t retransmissions() const;
};

struct TimeSeqConnection {
    static constexpr std::size_t kMaxPoints = 20000;
    ConversationId id = 0;
    Endpoint client;
    Endpoint server;
    std::array<TimeSeqDirection, 2> dir{};  ///< [0] sent by the client, [1] by the server
    std::uint64_t dropped = 0;              ///< marks beyond kMaxPoints, not kept
    std::size_t points = 0;
};

class TimeSeqCollector {
public:
    void record(const AnnotatedSegment& seg);
    /// The connection's data; forgets it.
    [[nodiscard]] TimeSeqConnection take(ConversationId id);

private:
    std::unordered_map<ConversationId, TimeSeqConnection> live_;
};

}  // namespace tfx::render
