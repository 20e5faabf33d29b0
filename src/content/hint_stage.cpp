#include "content/hint_stage.hpp"

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
    if (!seg.has_tcp || seg.conversation == 0) {
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
    using namespace tcpflag;
    // Without its SYN a direction's first bytes are unknown: the numbering starts wherever
    // the capture did.
    if (d.progress == Progress::WaitingForSyn)
        d.progress = (seg.flags & kSyn) ? Progress::Collecting : Progress::GaveUp;
    // A RST's payload is not stream data (RFC 9293 §3.5.3).
    const bool data = seg.payload_len > 0 && (seg.flags & kRst) == 0;
    if (d.progress != Progress::Collecting || !data || !take(connection, side, seg)) {
        next().segment(seg);
        return;
    }
    AnnotatedSegment with_hint = seg;
    with_hint.content_hint = &d.hint;
    next().segment(with_hint);
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
    const std::size_t room = kMaxDirectionBytes - d.first_bytes.size();
    const std::size_t added = std::min(seg.payload.size() - skip, room);
    if (held_ + added > kMaxHeldBytes) {
        give_up(d);
        return false;
    }
    const auto fresh = seg.payload.subspan(skip, added);
    for (const std::byte b : fresh) d.first_bytes.push_back(static_cast<std::uint8_t>(b));
    held_ += added;
    const ContentHint hint = identify(d.first_bytes, connection.server_port);
    const bool no_more_wanted = hint.bytes_needed == 0 || hint.bytes_needed <= d.first_bytes.size();
    if (!no_more_wanted && !cut && d.first_bytes.size() < kMaxDirectionBytes) return false;
    complete(connection, side);
    return d.hint.kind != Kind::Unknown;
}

void HintStage::complete(Connection& connection, std::size_t side) {
    Direction& d = connection.directions[side];
    d.progress = Progress::Complete;
    // Both sides together: the client's first command tells an SMTP greeting from FTP's.
    const ConnectionHints hints = hints_of(connection);
    d.hint = side == 0 ? hints.client : hints.server;
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
    ConversationSummary with_hints = summary;
    // A direction still collecting ends with what came: its hint says it is incomplete.
    const ConnectionHints hints = hints_of(connection);
    for (std::size_t side = 0; side < 2; ++side) {
        const Direction& d = connection.directions[side];
        const bool has_bytes = d.progress != Progress::GaveUp && !d.first_bytes.empty();
        if (has_bytes) with_hints.content_hints[side] = side == 0 ? hints.client : hints.server;
        held_ -= d.first_bytes.size();
    }
    connections_.erase(found);
    next().conversation_closed(with_hints);
}

void HintStage::capture_finished(const CaptureSummary& summary) {
    // The session closes every connection before the end.
    connections_.clear();
    held_ = 0;
    next().capture_finished(summary);
}

}  // namespace tfx::content
