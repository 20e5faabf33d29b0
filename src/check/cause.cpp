#include "check/cause.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "tfx/conversation.hpp"
#include "tfx/types.hpp"

namespace tfx::check {

namespace {

bool is_syn(const SegmentLine& l) { return (l.flags & tcpflag::kSyn) != 0 && (l.flags & tcpflag::kAck) == 0; }
bool is_syn_ack(const SegmentLine& l) {
    return (l.flags & (tcpflag::kSyn | tcpflag::kAck)) == (tcpflag::kSyn | tcpflag::kAck);
}

/// "RST-ACK from the server".
std::string segment_words(const SegmentLine& l) {
    return flags_to_words(l.flags) + " from the " + std::string(to_string(l.sender));
}

/// The last kept line that `pick` accepts, or nullptr.
template <typename Pick>
const SegmentLine* last_line(const ConnectionFacts& f, Pick pick) {
    const auto it = std::find_if(f.lines.rbegin(), f.lines.rend(), pick);
    return it == f.lines.rend() ? nullptr : &*it;
}

}  // namespace

std::string_view cause_name(CauseKind kind) {
    switch (kind) {
        case CauseKind::Refused: return "refused";
        case CauseKind::NeverEstablished: return "never_established";
        case CauseKind::HandshakeIncomplete: return "handshake_incomplete";
    }
    return "?";
}

std::optional<Cause> root_cause(const ConnectionFacts& f) {
    const ConversationSummary& s = f.summary;
    Cause c;
    switch (s.handshake) {
        case HandshakeOutcome::Refused: {
            c.kind = CauseKind::Refused;
            const auto* rst = last_line(f, [](const SegmentLine& l) { return l.meaning == SegmentMeaning::Refused; });
            if (rst == nullptr) rst = last_line(f, [](const SegmentLine& l) { return (l.flags & tcpflag::kRst) != 0; });
            c.frame = rst != nullptr ? rst->frame : 0;
            c.sentence = rst != nullptr
                             ? fmt::format("conn {} was refused (frame {}: {})", s.id, rst->frame, segment_words(*rst))
                             : fmt::format("conn {} was refused", s.id);
            return c;
        }
        case HandshakeOutcome::Unanswered: {
            c.kind = CauseKind::NeverEstablished;
            const std::uint32_t syns = s.dir[0].syns + s.dir[1].syns;
            const auto* syn = last_line(f, is_syn);
            c.frame = syn != nullptr ? syn->frame : 0;
            c.sentence =
                fmt::format("conn {} was never established ({}: {} got no answer)", s.id,
                            syn != nullptr ? fmt::format("frame {}", syn->frame) : std::string("no frame kept"),
                            syns > 1 ? fmt::format("the last of {} SYNs", syns) : std::string("the SYN"));
            return c;
        }
        case HandshakeOutcome::NoFinalAck: {
            c.kind = CauseKind::HandshakeIncomplete;
            const auto* syn_ack = last_line(f, is_syn_ack);
            c.frame = syn_ack != nullptr ? syn_ack->frame : 0;
            c.sentence = syn_ack != nullptr
                             ? fmt::format("conn {} never completed its handshake (frame {}: {}, never acknowledged)",
                                           s.id, syn_ack->frame, segment_words(*syn_ack))
                             : fmt::format("conn {} never completed its handshake", s.id);
            return c;
        }
        default: return std::nullopt;
    }
}

bool explained_by(const Cause& cause, const FieldInfo& field) {
    switch (field.attr) {
        case Attr::MssClient:
        case Attr::WscaleClient:
        case Attr::SackClient:
        case Attr::TimestampsClient: return false;
        case Attr::MssServer:
        case Attr::WscaleServer:
        case Attr::SackServer:
        case Attr::TimestampsServer:
        case Attr::Sack:
        case Attr::Timestamps:
        case Attr::WindowScaling: return cause.kind != CauseKind::HandshakeIncomplete;
        default: return true;
    }
}

}  // namespace tfx::check
