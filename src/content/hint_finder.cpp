#include "content/hint_finder.hpp"

#include <algorithm>
#include <span>
#include <utility>

#include "content/content_hint.hpp"
#include "content/text_protocols.hpp"
#include "content/text_scan.hpp"

namespace tfx::content {

namespace {

[[nodiscard]] std::span<const std::uint8_t> as_octets(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
}

}  // namespace

const ContentHint* HintFinder::segment(ConnectionContent& c, const AnnotatedSegment& seg, std::uint16_t server_port) {
    using namespace tcpflag;
    // Only a SYN or stream data can change a direction, and only one not yet decided.
    if (!seg.has_tcp || (seg.payload_len == 0 && (seg.flags & kSyn) == 0)) return nullptr;
    const auto side = static_cast<std::size_t>(index_of(seg.sender));
    Progress& progress = c.progress_[side];
    if (decided(progress)) return nullptr;
    // Without its SYN a direction's first bytes are unknown: the numbering starts wherever
    // the capture did.
    if (progress == Progress::WaitingForSyn) progress = (seg.flags & kSyn) ? Progress::Collecting : Progress::GaveUp;
    // A RST's payload is not stream data (RFC 9293 §3.5.3).
    const bool data = seg.payload_len > 0 && (seg.flags & kRst) == 0;
    const bool known = progress == Progress::Collecting && data && take(c, side, seg, server_port);
    settle_if_decided(c);
    return known ? &shown_ : nullptr;
}

bool HintFinder::take(ConnectionContent& c, std::size_t side, const AnnotatedSegment& seg, std::uint16_t server_port) {
    const std::vector<std::uint8_t>* kept = c.pending_ ? &c.pending_->bytes[side] : nullptr;
    const std::size_t held_before = kept != nullptr ? kept->size() : 0;
    // A SYN takes one sequence number before its data; relative 1 is offset 0. The first
    // bytes are a few KiB at most, so the 32-bit difference is read as signed: a negative
    // offset is a byte from before the SYN, not a wrapped one.
    const std::uint32_t first = seg.rel_seq + ((seg.flags & tcpflag::kSyn) ? 1U : 0U);
    const std::int64_t offset = static_cast<std::int32_t>(first - 1U);
    const auto held = static_cast<std::int64_t>(held_before);
    if (offset < 0 || offset > held) {  // out of order, or after a gap: no guessing
        give_up(c, side);
        return false;
    }
    if (offset + seg.payload_len <= held) return false;  // nothing new (a retransmission)
    const auto skip = static_cast<std::size_t>(held - offset);
    const bool cut = seg.payload.size() < seg.payload_len;  // the capture's snaplen cut it
    if (seg.payload.size() <= skip) {                       // the new bytes were not captured
        give_up(c, side);
        return false;
    }
    // Only as many bytes as identify() asks for, a first look of kFirstLookBytes at least:
    // the rest of a long segment is not looked at when the first bytes already decide. A
    // direction that holds no bytes yet is looked at in the segment itself: its bytes are
    // copied only when it must wait for the next one.
    const auto fresh = as_octets(seg.payload.subspan(skip));
    const bool in_place = held_before == 0;
    std::size_t wanted = c.pending_ ? c.pending_->wanted[side] : kFirstLookBytes;
    std::size_t size = held_before;
    std::size_t used = 0;
    for (;;) {
        const std::size_t goal = std::min(std::max(wanted, size + 1), kMaxDirectionBytes);
        const std::size_t added = std::min(fresh.size() - used, goal - size);
        if (held_ + (in_place ? used : 0) + added > kMaxHeldBytes) {
            give_up(c, side);
            return false;
        }
        if (!in_place) {
            std::vector<std::uint8_t>& bytes = c.pending_->bytes[side];
            bytes.insert(bytes.end(), fresh.begin() + static_cast<std::ptrdiff_t>(used),
                         fresh.begin() + static_cast<std::ptrdiff_t>(used + added));
            held_ += added;
        }
        used += added;
        size += added;
        const auto looked = in_place ? fresh.first(size) : std::span<const std::uint8_t>(c.pending_->bytes[side]);
        ContentHint hint = identify(looked, server_port);
        const bool no_more_wanted = hint.bytes_needed == 0 || hint.bytes_needed <= size;
        const bool at_bound = size >= kMaxDirectionBytes;
        // the capture kept no more of this one: it ends with what came
        const bool no_more_captured = used == fresh.size() && cut;
        if (no_more_wanted || at_bound || no_more_captured) return complete(c, side, std::move(hint), looked);
        wanted = hint.bytes_needed;
        if (used == fresh.size()) {  // wait for the next segment
            if (in_place) hold(c, side, looked);
            c.pending_->wanted[side] = wanted;
            return false;
        }
    }
}

void HintFinder::hold(ConnectionContent& c, std::size_t side, std::span<const std::uint8_t> looked) {
    pending(c).bytes[side].assign(looked.begin(), looked.end());
    held_ += looked.size();
}

bool HintFinder::complete(ConnectionContent& c, std::size_t side, ContentHint&& result,
                          std::span<const std::uint8_t> looked) {
    c.progress_[side] = Progress::Complete;
    // What the summary will need of this direction: its hint, and for the client the command
    // that tells an SMTP greeting from FTP's; its bytes are let go.
    const Kind command = side == 0 ? detail::greeting_kind_from_client_command(detail::as_text(looked)) : Kind::Unknown;
    const bool worth_keeping = result.kind != Kind::Unknown || result.bytes_needed != 0 || command != Kind::Unknown;
    const bool known = result.kind != Kind::Unknown;
    if (worth_keeping) {
        Pending& p = pending(c);
        p.found[side] = PackedHint(result);
        if (side == 0) p.client_command = command;
    }
    if (c.pending_) {
        held_ -= c.pending_->bytes[side].size();
        c.pending_->bytes[side] = {};
    }
    if (!known) return false;
    // Both sides together: the client's first command tells an SMTP greeting from FTP's.
    shown_ = std::move(result);
    if (side == 1) refine_greeting(shown_, client_command(c));
    return true;
}

void HintFinder::give_up(ConnectionContent& c, std::size_t side) {
    c.progress_[side] = Progress::GaveUp;
    if (!c.pending_) return;
    held_ -= c.pending_->bytes[side].size();
    c.pending_->bytes[side] = {};
}

void HintFinder::settle_if_decided(ConnectionContent& c) {
    if (!c.pending_ || !decided(c.progress_[0]) || !decided(c.progress_[1])) return;
    Pending& p = *c.pending_;
    // What hints() reads of a decided connection; nothing when no side's kind is known.
    const auto known = [&](std::size_t side) {
        return c.progress_[side] == Progress::Complete && p.found[side].kind() != Kind::Unknown;
    };
    if (known(0) || known(1)) {
        c.settled_ = std::move(p.found);
        c.settled_command_ = p.client_command;
    }
    c.pending_.reset();
}

ConnectionContent::Pending& HintFinder::pending(ConnectionContent& c) {
    if (!c.pending_) c.pending_ = std::make_unique<Pending>(held_);
    return *c.pending_;
}

Kind HintFinder::client_command(const ConnectionContent& c) {
    if (!c.pending_) return c.settled_command_;
    switch (c.progress_[0]) {
        case Progress::Complete: return c.pending_->client_command;
        case Progress::Collecting:
            return detail::greeting_kind_from_client_command(detail::as_text(c.pending_->bytes[0]));
        case Progress::WaitingForSyn:
        case Progress::GaveUp: break;
    }
    return Kind::Unknown;
}

std::shared_ptr<const ConnectionHints> HintFinder::hints(const ConnectionContent& c, std::uint16_t server_port) const {
    // Neither bytes held nor a settled hint: no kind known.
    if (!c.pending_ && !c.settled_[0].holds() && !c.settled_[1].holds()) return nullptr;
    const std::array<PackedHint, 2>& found = c.pending_ ? c.pending_->found : c.settled_;
    // A completed direction's kind is final once unknown (more of the other side's bytes only
    // refine a known greeting); a direction still collecting ends with what came, and its
    // hint says it is incomplete.
    const auto may_know = [&](std::size_t side) {
        return (c.progress_[side] == Progress::Complete && found[side].kind() != Kind::Unknown) ||
               (c.progress_[side] == Progress::Collecting && !c.pending_->bytes[side].empty());
    };
    if (!may_know(0) && !may_know(1)) return nullptr;
    const auto hint_of_side = [&](std::size_t side) {
        switch (c.progress_[side]) {
            case Progress::Complete: return found[side].unpack();
            case Progress::Collecting: return identify(c.pending_->bytes[side], server_port);
            case Progress::WaitingForSyn:
            case Progress::GaveUp: break;
        }
        return identify({}, server_port);
    };
    ConnectionHints both{hint_of_side(0), hint_of_side(1)};
    refine_greeting(both.server, client_command(c));
    if (both.client.kind == Kind::Unknown && both.server.kind == Kind::Unknown) return nullptr;
    return std::make_shared<const ConnectionHints>(std::move(both));
}

}  // namespace tfx::content
