#include "stream/connection_streams.hpp"

#include <algorithm>
#include <vector>

#include "tcp/numbering.hpp"

namespace tfx::stream {

struct ConnectionStreams::Direction {
    Direction(const StreamDirection& d, StreamSink& sink_, StreamBudget& budget, StreamLimits limits)
        : info(d), sink(sink_), reassembler(sink_, budget, limits) {}

    /// The stream offset of the relative sequence number `relative` (relative 1 is offset
    /// 0), unwrapped against the highest byte seen; negative: before the stream's start.
    [[nodiscard]] std::int64_t offset_of(std::uint32_t relative) const {
        return tcp::unwrap(relative, highest_end + 1) - 1;
    }

    /// The segment's payload, its first byte at relative sequence number `first`; bytes before
    /// offset 0 came before the stream's start: counted and cut off.
    void add_payload(const AnnotatedSegment& seg, std::uint32_t first) {
        const std::int64_t offset = offset_of(first);
        highest_end = std::max(highest_end, offset + seg.payload_len);
        const std::uint64_t skipped =
            offset < 0 ? std::min<std::uint64_t>(static_cast<std::uint64_t>(-offset), seg.payload_len) : 0;
        const std::size_t captured_skipped = std::min<std::size_t>(skipped, seg.payload.size());
        before_start_bytes += captured_skipped;
        if (skipped == seg.payload_len) return;
        StreamSegment piece;
        piece.offset = offset < 0 ? 0 : static_cast<std::uint64_t>(offset);
        piece.payload = seg.payload.subspan(captured_skipped);
        piece.wire_length = seg.payload_len - skipped;
        piece.frame = seg.frame;
        note_segment(seg, offset, piece.offset);
        reassembler.add(piece);
    }

    /// Says what the segment with payload at `offset` (its first byte kept at `kept`) shows:
    /// SYN data, an urgent pointer (once per pointer), the first bytes after the RST.
    void note_segment(const AnnotatedSegment& seg, std::int64_t offset, std::uint64_t kept) {
        using namespace tcpflag;
        if ((seg.flags & kSyn) && offset == 0) sink.note({NoteKind::SynData, 0, 0});
        // The pointer counts from the segment's seq, which is the SYN's own number on a SYN.
        const std::int64_t seq_offset = offset - ((seg.flags & kSyn) ? 1 : 0);
        if ((seg.flags & kUrg) && seg.urgent > 0 && seq_offset + seg.urgent > 0) {
            const auto pointer = static_cast<std::uint64_t>(seq_offset + seg.urgent);
            if (pointer != last_urgent) sink.note({NoteKind::Urgent, pointer, 0});
            last_urgent = pointer;
        }
        if (rst_seen && !rst_noted) {
            sink.note({NoteKind::AfterRst, kept, 0});
            rst_noted = true;
        }
    }

    StreamDirection info;
    StreamSink& sink;
    std::uint64_t last_urgent = 0;  ///< the urgent pointer last noted (0: none)
    bool rst_seen = false;
    bool rst_noted = false;
    /// The offset just after the highest byte seen (the unwrapping's reference).
    std::int64_t highest_end = 0;
    std::uint64_t before_start_bytes = 0;
    StreamReassembler reassembler;
};

ConnectionStreams::ConnectionStreams(EventSink& next, DirectionOutputs& outputs, StreamLimits limits,
                                     std::uint64_t budget)
    : ForwardingSink(next), outputs_(outputs), limits_(limits), budget_(budget) {}

ConnectionStreams::~ConnectionStreams() = default;

void ConnectionStreams::conversation_opened(const ConversationSummary& opening) {
    connections_[opening.id].vlan = opening.key.vlan;
    next().conversation_opened(opening);
}

ConnectionStreams::Direction& ConnectionStreams::direction_of(ConversationId id, Connection& connection,
                                                              const AnnotatedSegment& seg) {
    auto& slot = connection.directions[static_cast<std::size_t>(index_of(seg.sender))];
    if (!slot) {
        const StreamDirection info{id, seg.sender, seg.src, seg.dst, connection.vlan};
        slot = std::make_unique<Direction>(info, outputs_.opened(info), budget_, limits_);
        if (!connection.syn_seen[static_cast<std::size_t>(index_of(seg.sender))])
            slot->sink.note({NoteKind::MidStream, 0, 0});
    }
    return *slot;
}

void ConnectionStreams::segment(const AnnotatedSegment& seg) {
    next().segment(seg);
    if (!seg.has_tcp || seg.conversation == 0) return;
    const auto found = connections_.find(seg.conversation);
    if (found == connections_.end()) return;
    Connection& connection = found->second;
    using namespace tcpflag;
    // A SYN at another seq than the direction's ISN (a stale SYN-ACK answering the same SYN)
    // belongs to no stream of this connection: neither its data nor its FIN are placed.
    if ((seg.flags & kSyn) && seg.rel_seq != 0) return;
    if (seg.flags & kSyn) connection.syn_seen[static_cast<std::size_t>(index_of(seg.sender))] = true;
    const bool rst = (seg.flags & kRst) != 0;
    const bool data = seg.payload_len > 0 && !rst;
    auto& existing = connection.directions[static_cast<std::size_t>(index_of(seg.sender))];
    if (!data && !existing) return;  // no stream in this direction (yet): a FIN or RST ends nothing
    Direction& d = direction_of(seg.conversation, connection, seg);
    // A SYN takes one sequence number before its data.
    const std::uint32_t first = seg.rel_seq + ((seg.flags & kSyn) ? 1U : 0U);
    if (data) d.add_payload(seg, first);
    if (rst) {
        d.reassembler.rst();
        d.rst_seen = true;
    }
    if (seg.flags & kFin) {
        const std::int64_t fin = d.offset_of(first + seg.payload_len);
        if (fin >= 0) d.reassembler.fin(static_cast<std::uint64_t>(fin));
    }
}

void ConnectionStreams::close(Connection& connection) {
    for (auto& slot : connection.directions) {
        if (!slot) continue;
        slot->reassembler.finish();
        outputs_.closed(slot->info, StreamEnd{slot->reassembler.totals(), slot->before_start_bytes});
        slot.reset();
    }
}

void ConnectionStreams::conversation_closed(const ConversationSummary& summary) {
    if (const auto found = connections_.find(summary.id); found != connections_.end()) {
        close(found->second);
        connections_.erase(found);
    }
    next().conversation_closed(summary);
}

void ConnectionStreams::capture_finished(const CaptureSummary& summary) {
    // The session closes every connection before the end; any left is closed in id order.
    std::vector<ConversationId> left;
    left.reserve(connections_.size());
    for (const auto& entry : connections_) left.push_back(entry.first);
    std::sort(left.begin(), left.end());
    for (const ConversationId id : left) close(connections_[id]);
    connections_.clear();
    outputs_.finished();
    next().capture_finished(summary);
}

}  // namespace tfx::stream
