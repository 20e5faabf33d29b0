#include "content/hint_stage.hpp"

#include <algorithm>
#include <span>

#include "content/content_hint.hpp"

namespace tfx::content {

namespace {

/// The bytes a direction offers for identify(): none once it was given up.
std::span<const std::uint8_t> usable_bytes(const std::vector<std::uint8_t>& bytes, bool given_up) {
    if (given_up) return {};
    return bytes;
}

}  // namespace

void HintStage::conversation_opened(const ConversationSummary& opening) {
    connections_[opening.id].server_port = opening.server.port;
    next().conversation_opened(opening);
}

void HintStage::segment(const AnnotatedSegment& seg) {
    using namespace tcpflag;
    // Only a SYN or stream data can change a direction: the rest of a capture's segments
    // pass without a look-up.
    if (!seg.has_tcp || seg.conversation == 0 || (seg.payload_len == 0 && (seg.flags & kSyn) == 0)) {
        next().segment(seg);
        return;
    }
    const auto found = connections_.find(seg.conversation);
    if (found == connections_.end()) {
        next().segment(seg);
        return;
    }
    Connection& connection = found->second;
    const auto side = static_cast<std::size_t>(index_of(seg.sender));
    Direction& d = connection.directions[side];
    // Without its SYN a direction's first bytes are unknown: the numbering starts wherever
    // the capture did.
    if (d.progress == Progress::WaitingForSyn)
        d.progress = (seg.flags & kSyn) ? Progress::Collecting : Progress::GaveUp;
    // A RST's payload is not stream data (RFC 9293 §3.5.3).
    const bool data = seg.payload_len > 0 && (seg.flags & kRst) == 0;
    if (d.progress != Progress::Collecting || !data || !take(connection, side, seg)) {
        forget_if_settled(found);
        next().segment(seg);
        return;
    }
    AnnotatedSegment with_hint = seg;
    with_hint.content_hint = d.hint.get();
    next().segment(with_hint);
}

void HintStage::forget_if_settled(std::unordered_map<ConversationId, Connection>::iterator at) {
    const auto settled = [](const Direction& d) {
        return d.hint == nullptr && (d.progress == Progress::Complete || d.progress == Progress::GaveUp);
    };
    const Connection& connection = at->second;
    if (!std::all_of(connection.directions.begin(), connection.directions.end(), settled)) return;
    for (const Direction& d : connection.directions) held_ -= d.first_bytes.size();
    connections_.erase(at);
}

bool HintStage::take(Connection& connection, std::size_t side, const AnnotatedSegment& seg) {
    Direction& d = connection.directions[side];
    // A SYN takes one sequence number before its data; relative 1 is offset 0. The first
    // bytes are a few KiB at most, so the 32-bit difference is read as signed: a negative
    // offset is a byte from before the SYN, not a wrapped one.
    const std::uint32_t first = seg.rel_seq + ((seg.flags & tcpflag::kSyn) ? 1U : 0U);
    const std::int64_t offset = static_cast<std::int32_t>(first - 1U);
    const auto held = static_cast<std::int64_t>(d.first_bytes.size());
    if (offset < 0 || offset > held) {  // out of order, or after a gap: no guessing
        give_up(d);
        return false;
    }
    if (offset + seg.payload_len <= held) return false;  // nothing new (a retransmission)
    const auto skip = static_cast<std::size_t>(held - offset);
    const bool cut = seg.payload.size() < seg.payload_len;  // the capture's snaplen cut it
    if (seg.payload.size() <= skip) {                       // the new bytes were not captured
        give_up(d);
        return false;
    }
    // Only as many bytes as identify() asks for, a first look of kFirstLookBytes at least:
    // the rest of a long segment is not copied when the first bytes already decide.
    const auto fresh = seg.payload.subspan(skip);
    std::size_t used = 0;
    for (;;) {
        const std::size_t goal = std::min(std::max(d.wanted, d.first_bytes.size() + 1), kMaxDirectionBytes);
        const std::size_t added = std::min(fresh.size() - used, goal - d.first_bytes.size());
        if (held_ + added > kMaxHeldBytes) {
            give_up(d);
            return false;
        }
        for (const std::byte b : fresh.subspan(used, added)) d.first_bytes.push_back(static_cast<std::uint8_t>(b));
        used += added;
        held_ += added;
        const ContentHint hint = identify(d.first_bytes, connection.server_port);
        const bool no_more_wanted = hint.bytes_needed == 0 || hint.bytes_needed <= d.first_bytes.size();
        const bool at_bound = d.first_bytes.size() >= kMaxDirectionBytes;
        if (no_more_wanted || at_bound) break;
        d.wanted = hint.bytes_needed;
        if (used == fresh.size()) {
            if (!cut) return false;  // wait for the next segment
            break;                   // the capture kept no more of this one
        }
    }
    complete(connection, side);
    return d.hint != nullptr;
}

void HintStage::complete(Connection& connection, std::size_t side) {
    Direction& d = connection.directions[side];
    d.progress = Progress::Complete;
    // Both sides together: the client's first command tells an SMTP greeting from FTP's.
    const ConnectionHints hints = hints_of(connection);
    const ContentHint& mine = side == 0 ? hints.client : hints.server;
    if (mine.kind != Kind::Unknown) d.hint = std::make_unique<ContentHint>(mine);
}

void HintStage::give_up(Direction& d) {
    d.progress = Progress::GaveUp;
    held_ -= d.first_bytes.size();
    d.first_bytes = {};
}

ConnectionHints HintStage::hints_of(const Connection& connection) const {
    const Direction& client = connection.directions[0];
    const Direction& server = connection.directions[1];
    return identify_connection(usable_bytes(client.first_bytes, client.progress == Progress::GaveUp),
                               usable_bytes(server.first_bytes, server.progress == Progress::GaveUp),
                               connection.server_port);
}

void HintStage::conversation_closed(const ConversationSummary& summary) {
    const auto found = connections_.find(summary.id);
    if (found == connections_.end()) {
        next().conversation_closed(summary);
        return;
    }
    Connection& connection = found->second;
    for (const Direction& d : connection.directions) held_ -= d.first_bytes.size();
    // A completed direction's kind is final once unknown (more of the other side's bytes only
    // refine a known greeting); a direction still collecting ends with what came, and its
    // hint says it is incomplete.
    const bool may_know =
        std::any_of(connection.directions.begin(), connection.directions.end(), [](const Direction& d) {
            return d.hint != nullptr || (d.progress == Progress::Collecting && !d.first_bytes.empty());
        });
    const ConnectionHints hints = may_know ? hints_of(connection) : ConnectionHints{};
    connections_.erase(found);
    if (hints.client.kind == Kind::Unknown && hints.server.kind == Kind::Unknown) {
        // most connections: nothing to add, no copy of the summary
        next().conversation_closed(summary);
        return;
    }
    ConversationSummary with_hints = summary;
    with_hints.content_hints = std::make_shared<const ConnectionHints>(hints);
    next().conversation_closed(with_hints);
}

void HintStage::capture_finished(const CaptureSummary& summary) {
    // The session closes every connection before the end.
    connections_.clear();
    held_ = 0;
    next().capture_finished(summary);
}

}  // namespace tfx::content
