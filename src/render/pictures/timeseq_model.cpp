#include "render/pictures/timeseq_model.hpp"

#include <algorithm>
#include <chrono>

namespace tfx::render {

namespace {

bool retransmitted(const AnnotatedSegment& seg) {
    return seg.has(AnnotationCode::Retransmission) || seg.has(AnnotationCode::FastRetransmission) ||
           seg.has(AnnotationCode::SpuriousRetransmission);
}

double seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

std::uint64_t TimeSeqDirection::highest_seq() const {
    std::uint64_t top = 0;
    for (const auto& s : segments) top = std::max(top, s.end);
    return top;
}

std::size_t TimeSeqDirection::retransmissions() const {
    return static_cast<std::size_t>(
        std::count_if(segments.begin(), segments.end(), [](const SeqRange& s) { return s.retransmission; }));
}

void TimeSeqCollector::record(const AnnotatedSegment& seg) {
    if (seg.conversation == 0 || !seg.has_tcp) return;
    auto [it, added] = live_.try_emplace(seg.conversation);
    TimeSeqConnection& c = it->second;
    if (added) {
        c.id = seg.conversation;
        c.client = seg.sender == Role::Client ? seg.src : seg.dst;
        c.server = seg.sender == Role::Client ? seg.dst : seg.src;
    }
    const double t = seconds(seg.since_start);
    const bool syn = seg.flags & tcpflag::kSyn, fin = seg.flags & tcpflag::kFin;
    const std::uint64_t length = std::uint64_t{seg.payload_len} + (syn ? 1 : 0) + (fin ? 1 : 0);
    const auto keep = [&c] {
        if (c.points < TimeSeqConnection::kMaxPoints) return ++c.points, true;
        ++c.dropped;
        return false;
    };
    // What this segment sends, in its sender's direction.
    if (length > 0 && keep()) {
        c.dir[static_cast<std::size_t>(index_of(seg.sender))].segments.push_back(
            SeqRange{t, seg.rel_seq, seg.rel_seq + length, seg.frame, retransmitted(seg)});
    }
    // What it says of the other direction: the ACK, the window, the SACK blocks.
    if (!(seg.flags & tcpflag::kAck)) return;
    TimeSeqDirection& peer = c.dir[static_cast<std::size_t>(index_of(peer_of(seg.sender)))];
    if (keep()) {
        peer.acks.push_back(AckPoint{t, seg.rel_ack, std::uint64_t{seg.rel_ack} + seg.window, seg.frame,
                                     seg.has(AnnotationCode::DuplicateAck), seg.has(AnnotationCode::ZeroWindow)});
    }
    const std::uint32_t base = seg.ack - seg.rel_ack;  // the peer's ISN: relative = raw - base
    for (std::uint8_t i = 0; i < seg.options.sack_count; ++i) {
        const SackBlock& b = seg.options.sack[i];
        if (keep()) peer.sacks.push_back(SackRange{t, std::uint32_t(b.left - base), std::uint32_t(b.right - base)});
    }
}

TimeSeqConnection TimeSeqCollector::take(ConversationId id) {
    const auto it = live_.find(id);
    if (it == live_.end()) return {};
    TimeSeqConnection c = std::move(it->second);
    live_.erase(it);
    return c;
}

}  // namespace tfx::render
