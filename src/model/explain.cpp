#include "model/explain.hpp"

#include <fmt/format.h>

namespace tfx::model {

namespace {
const char* who(Role r) { return r == Role::Client ? "client" : "server"; }
const char* peer(Role r) { return r == Role::Client ? "server" : "client"; }

std::string syn_offer(const TcpOptions& o) {
    std::string parts;
    auto add = [&parts](const std::string& p) {
        if (!parts.empty()) parts += ", ";
        parts += p;
    };
    if (o.mss) add(fmt::format("MSS {}", *o.mss));
    if (o.window_scale) add(fmt::format("window scale {}", *o.window_scale));
    if (o.sack_permitted) add("SACK");
    if (o.timestamps) add("timestamps");
    if (o.fast_open) add("a TCP Fast Open cookie");
    if (parts.empty()) return "";
    return ", offering " + parts;
}
}  // namespace

std::string_view meaning_name(SegmentMeaning m) {
    switch (m) {
        case SegmentMeaning::Undecodable: return "undecodable";
        case SegmentMeaning::ConnectionRequest: return "connection_request";
        case SegmentMeaning::SynRetransmitted: return "syn_retransmitted";
        case SegmentMeaning::SimultaneousSyn: return "simultaneous_syn";
        case SegmentMeaning::ConnectionAccepted: return "connection_accepted";
        case SegmentMeaning::HandshakeComplete: return "handshake_complete";
        case SegmentMeaning::SimultaneousSynAck: return "simultaneous_syn_ack";
        case SegmentMeaning::Data: return "data";
        case SegmentMeaning::DataNoAck: return "data_without_ack";
        case SegmentMeaning::Ack: return "ack";
        case SegmentMeaning::AckNothingNew: return "ack_nothing_new";
        case SegmentMeaning::CloseRequest: return "close_request";
        case SegmentMeaning::CloseReply: return "close_reply";
        case SegmentMeaning::SimultaneousClose: return "simultaneous_close";
        case SegmentMeaning::FinAcked: return "fin_acked";
        case SegmentMeaning::FinalAck: return "final_ack";
        case SegmentMeaning::Refused: return "refused";
        case SegmentMeaning::Reset: return "reset";
        case SegmentMeaning::ResetAfterClose: return "reset_after_close";
        case SegmentMeaning::MidStream: return "mid_stream";
        case SegmentMeaning::DuplicateAck: return "duplicate_ack";
        case SegmentMeaning::WindowUpdate: return "window_update";
        case SegmentMeaning::KeepAlive: return "keep_alive";
        case SegmentMeaning::KeepAliveAck: return "keep_alive_ack";
        case SegmentMeaning::ZeroWindowProbe: return "zero_window_probe";
        case SegmentMeaning::ZeroWindowProbeAck: return "zero_window_probe_ack";
    }
    return "?";
}

std::string_view phase_name(Phase p) {
    switch (p) {
        case Phase::None: return "";
        case Phase::Handshake: return "handshake";
        case Phase::Teardown: return "teardown";
    }
    return "";
}

std::string human_duration(Duration d) {
    const auto ns = d.count();
    const auto mag = ns < 0 ? -ns : ns;
    if (mag < 1'000'000) return fmt::format("{:.3f} ms", static_cast<double>(ns) / 1e6);
    if (mag < 1'000'000'000) return fmt::format("{:.3f} ms", static_cast<double>(ns) / 1e6);
    return fmt::format("{:.3f} s", static_cast<double>(ns) / 1e9);
}

std::string options_text(const TcpOptions& o, std::uint32_t sack_base) {
    std::string out;
    bool sack_done = false;
    for (int i = 0; i < o.count; ++i) {
        if (!out.empty()) out += ',';
        switch (const auto kind = o.kinds[static_cast<std::size_t>(i)]) {
            case tcpopt::kEol: out += "eol"; break;
            case tcpopt::kNop: out += "nop"; break;
            case tcpopt::kMss: out += o.mss ? fmt::format("mss {}", *o.mss) : "mss"; break;
            case tcpopt::kWindowScale:
                out += o.window_scale ? fmt::format("wscale {}", *o.window_scale) : "wscale";
                break;
            case tcpopt::kSackPermitted: out += "sackOK"; break;
            case tcpopt::kSack:
                if (sack_done) { out += "sack"; break; }
                sack_done = true;
                out += fmt::format("sack {}", o.sack_count);
                for (int b = 0; b < o.sack_count; ++b) {
                    const auto& blk = o.sack[static_cast<std::size_t>(b)];
                    out += fmt::format(" {{{}:{}}}", blk.left - sack_base, blk.right - sack_base);
                }
                break;
            case tcpopt::kTimestamps:
                out += o.timestamps ? fmt::format("TS val {} ecr {}", o.timestamps->value, o.timestamps->echo_reply) : "TS";
                break;
            case tcpopt::kMd5: out += "md5"; break;
            case tcpopt::kAuthentication: out += "tcp-ao"; break;
            case tcpopt::kMptcp: out += "mptcp"; break;
            case tcpopt::kFastOpen: out += fmt::format("tfo cookie-len {}", o.fast_open_cookie_len); break;
            case tcpopt::kExperimental: out += o.fast_open ? fmt::format("tfo(exp) cookie-len {}", o.fast_open_cookie_len) : "exp-254"; break;
            default: out += fmt::format("opt-{}", kind); break;
        }
    }
    if (o.malformed) out += out.empty() ? "malformed" : ",malformed";
    if (o.truncated) out += out.empty() ? "truncated" : ",truncated";
    return out;
}

std::string explain_segment(const AnnotatedSegment& s) {
    const char* me = who(s.sender);
    const char* other = peer(s.sender);
    const bool psh = s.flags & tcpflag::kPsh;
    switch (s.meaning) {
        case SegmentMeaning::Undecodable:
            return "This frame could not be decoded as TCP; it is kept out of the analysis.";
        case SegmentMeaning::ConnectionRequest:
            return fmt::format("The client asks to open a connection (SYN) and picks its initial sequence number{}.",
                               syn_offer(s.options));
        case SegmentMeaning::SynRetransmitted:
            return fmt::format("The {} sends its SYN again: no answer has arrived yet.", me);
        case SegmentMeaning::SimultaneousSyn:
            return fmt::format("The {} sends its own SYN while the {}'s SYN is in flight: a simultaneous open{}.", me,
                               other, syn_offer(s.options));
        case SegmentMeaning::ConnectionAccepted:
            return fmt::format("The {} accepts: SYN-ACK, acknowledging the {}'s SYN (ack {}) and sending its own "
                               "initial sequence number{}.",
                               me, other, s.rel_ack, syn_offer(s.options));
        case SegmentMeaning::SimultaneousSynAck:
            return fmt::format("The {} acknowledges the {}'s SYN and repeats its own (SYN-ACK of a simultaneous open).",
                               me, other);
        case SegmentMeaning::HandshakeComplete:
            if (s.payload_len > 0)
                return fmt::format("The {} acknowledges the {}'s SYN, completing the three-way handshake, and already "
                                   "sends {} bytes of data.",
                                   me, other, s.payload_len);
            return fmt::format("The {} acknowledges the {}'s SYN: the three-way handshake is complete.", me, other);
        case SegmentMeaning::Data:
            return fmt::format("The {} sends {} byte{} of data (seq {} to {}){}.", me, s.payload_len,
                               s.payload_len == 1 ? "" : "s", s.rel_seq, s.rel_seq + s.payload_len,
                               psh ? ", with PSH: deliver to the application now" : "");
        case SegmentMeaning::DataNoAck:
            return fmt::format("The {} sends {} bytes without the ACK bit, which established connections always set.",
                               me, s.payload_len);
        case SegmentMeaning::Ack:
            return fmt::format("The {} acknowledges the {}'s bytes up to {}.", me, other, s.rel_ack);
        case SegmentMeaning::AckNothingNew:
            return fmt::format("The {} repeats its acknowledgment (ack {}): nothing new is acknowledged.", me, s.rel_ack);
        case SegmentMeaning::CloseRequest:
            return fmt::format("The {} has no more data to send and starts closing its side (FIN).", me);
        case SegmentMeaning::CloseReply:
            if (s.step == 2)
                return fmt::format("The {} acknowledges the {}'s FIN and closes its own side too (FIN).", me, other);
            return fmt::format("The {} now closes its side as well (FIN).", me);
        case SegmentMeaning::SimultaneousClose:
            return fmt::format("The {} sends its own FIN before receiving the {}'s: a simultaneous close.", me, other);
        case SegmentMeaning::FinAcked:
            return fmt::format("The {} acknowledges the {}'s FIN; it may still send data until it sends its own FIN "
                               "(half-close).",
                               me, other);
        case SegmentMeaning::FinalAck:
            for (const auto& c : s.state_changes())
                if (c.endpoint == s.sender && c.to == TcpState::Closing)
                    return fmt::format("The {} acknowledges the {}'s FIN; the FINs crossed, so it still waits for the "
                                       "ACK of its own FIN (CLOSING).",
                                       me, other);
            return fmt::format("The {} acknowledges the {}'s FIN: the connection is closed (the {} waits in "
                               "TIME-WAIT).",
                               me, other, me);
        case SegmentMeaning::Refused:
            return fmt::format("The {} refuses the connection (RST): nothing listens on port {}.", me, s.src.port);
        case SegmentMeaning::Reset:
            return fmt::format("The {} aborts the connection (RST): data in flight is discarded.", me);
        case SegmentMeaning::ResetAfterClose:
            return fmt::format("The {} resets the connection after the close began (RST), e.g. unread data or "
                               "SO_LINGER 0.",
                               me);
        case SegmentMeaning::MidStream:
            return fmt::format("The connection was already open when the capture started; the {} continues it.", me);
        case SegmentMeaning::DuplicateAck:
            return fmt::format("The {} acknowledges {} again: a duplicate ACK, so it is missing the {}'s bytes that "
                               "follow (or received later ones first).",
                               me, s.rel_ack, other);
        case SegmentMeaning::WindowUpdate:
            return fmt::format("The {} only announces a new receive window ({}): room has been made in its buffer.", me,
                               s.window);
        case SegmentMeaning::KeepAlive:
            return fmt::format("The {} checks that the idle connection is still alive (keep-alive): a segment just "
                               "below what it has sent, which forces the {} to answer.",
                               me, other);
        case SegmentMeaning::KeepAliveAck:
            return fmt::format("The {} answers the keep-alive: it is still there.", me);
        case SegmentMeaning::ZeroWindowProbe:
            return fmt::format("The {} probes the {}'s closed receive window, so that the answer tells it when the "
                               "window reopens (zero-window probe).",
                               me, other);
        case SegmentMeaning::ZeroWindowProbeAck:
            return fmt::format("The {} answers the probe: its receive window is still {}.", me,
                               s.window == 0 ? "closed (0)" : "small");
    }
    return "";
}

std::string explain_annotation(const Annotation& a, const AnnotatedSegment& s) {
    const auto related = [&a] { return a.related ? fmt::format(" of #{}", a.related) : std::string(); };
    const auto code = code_name(a.code);
    switch (a.code) {
        case AnnotationCode::Retransmission:
            return fmt::format("retransmission{}{}: these bytes were sent before", related(),
                               a.a > 0 ? ", " + human_duration(Duration{a.a}) + " earlier" : "");
        case AnnotationCode::FastRetransmission:
            if (a.a >= 2)
                return fmt::format("fast retransmission{}: sent again after {} duplicate ACKs asked for seq {}",
                                   related(), a.a, s.rel_seq);
            return fmt::format("fast retransmission{}: sent again, without waiting for a timeout, because the "
                               "receiver's ACKs and SACK blocks showed seq {} missing",
                               related(), s.rel_seq);
        case AnnotationCode::SpuriousRetransmission:
            return fmt::format("spurious retransmission{}: the receiver had already acknowledged up to {}", related(), a.a);
        case AnnotationCode::OutOfOrder:
            if (a.related)
                return fmt::format("out-of-order: seq {} was sent before the higher sequence numbers that arrived "
                                   "first; it fills the gap reported at #{} (reordering, not loss)",
                                   s.rel_seq, a.related);
            return fmt::format("out-of-order: seq {} arrives after higher sequence numbers (next expected was {})",
                               s.rel_seq, a.a);
        case AnnotationCode::LostSegment:
            return fmt::format("previous segment not captured: expected seq {}, got {}", a.a, a.b);
        case AnnotationCode::AckLostSegment:
            return fmt::format("ACKed unseen segment: acknowledges {} but the capture saw data only up to {}", a.a, a.b);
        case AnnotationCode::DuplicateAck:
            return fmt::format("duplicate ACK #{}{}: the receiver still waits for seq {}", a.a, related(), s.rel_ack);
        case AnnotationCode::ZeroWindow:
            return fmt::format("zero window: the {}'s receive buffer is full; the peer must stop sending", who(s.sender));
        case AnnotationCode::ZeroWindowProbe:
            return "zero-window probe: the sender checks whether the window has reopened";
        case AnnotationCode::ZeroWindowProbeAck:
            return "zero-window probe ACK: the window is still closed";
        case AnnotationCode::WindowUpdate:
            return fmt::format("window update: the receive window grew{} without new data or ACK",
                               a.b ? fmt::format(" from {} to {}", a.a, a.b) : std::string());
        case AnnotationCode::WindowFull:
            return "window full: this segment fills the receiver's advertised window";
        case AnnotationCode::KeepAlive:
            return "keep-alive: an idle connection checks that the peer is still there";
        case AnnotationCode::KeepAliveAck: return "keep-alive ACK: the peer is still there";
        case AnnotationCode::ReusedPorts:
            return fmt::format("reused ports: a new connection on the 4-tuple of an earlier one (last frame #{})", a.related);
        case AnnotationCode::SynRetransmission: return fmt::format("SYN retransmission{}", related());
        case AnnotationCode::IllegalTransition:
            return fmt::format("illegal transition {} -> {} (not an RFC 9293 edge)",
                               to_string(static_cast<TcpState>(a.a)), to_string(static_cast<TcpState>(a.b)));
        case AnnotationCode::SnaplenTruncated:
            return fmt::format("snaplen: the last {} bytes of this segment were not captured{}", a.a,
                               s.options.truncated ? " (its TCP options are cut; what was captured is shown)" : "");
        case AnnotationCode::BadTcpHeaderLen: return fmt::format("malformed: bad TCP data offset ({} bytes)", a.a);
        case AnnotationCode::BadTcpOptionLen:
            return fmt::format("malformed option: kind {} with length {}", a.a, a.b);
        case AnnotationCode::BadIpHeaderLen: return fmt::format("malformed: bad IP header length ({} bytes)", a.a);
        case AnnotationCode::BadIpTotalLen:
            return fmt::format("malformed: IP length {} but {} bytes available", a.a, a.b);
        case AnnotationCode::IpFragment:
            return fmt::format("IP fragment at offset {}: part of a datagram, analysed at the frame that completes it",
                               a.a);
        case AnnotationCode::TimestampBackwards:
            return fmt::format("timestamp goes back {} from the previous frame", human_duration(Duration{a.a}));
        case AnnotationCode::WindowScaleOutOfRange:
            return fmt::format("window scale {} exceeds 14 (RFC 7323); 14 is used", a.a);
        case AnnotationCode::RstWithData: return fmt::format("RST carries {} bytes of data", a.a);
        case AnnotationCode::DataOnSyn: return fmt::format("SYN carries {} bytes of data", a.a);
        case AnnotationCode::MidStreamStart:
            return "mid-stream: the connection was open before the capture started; sequence numbers count from here";
        case AnnotationCode::RoleGuessed:
            return fmt::format("roles guessed: no SYN was captured, and port {} looks like the server's",
                               s.sender == Role::Server ? s.src.port : s.dst.port);
        case AnnotationCode::SynAckWithoutSyn: return "SYN-ACK without a captured SYN: the capture started just after it";
        case AnnotationCode::SimultaneousOpen: return "simultaneous open: both sides sent a SYN";
        case AnnotationCode::DataAfterFin: return "data after this side's FIN: a FIN ends a side's data for good";
        case AnnotationCode::DataAfterReset: return "data after an RST: the connection no longer exists";
        case AnnotationCode::SegmentAfterReset: return "segment after an RST: the connection no longer exists";
        case AnnotationCode::AllFlagsSet: return "all flags set (\"Christmas tree\"): no real stack sends this; a scan or a fuzzer";
        case AnnotationCode::NoFlags: return "no flags set (\"null scan\"): no real stack sends this";
        case AnnotationCode::SynWithFin: return "SYN and FIN together: invalid, typical of scans";
        case AnnotationCode::DuplicateFrame:
            return fmt::format("duplicate frame{}: the same packet captured twice (same IP id and seq), not a "
                               "retransmission", related());
        case AnnotationCode::SegmentExceedsMss:
            return "larger than the MSS: segmentation offload (TSO/GRO) on the capturing host, not a network event";
        case AnnotationCode::IpLengthZero:
            return "IP total length 0 (TSO/BIG TCP): the length was taken from the frame";
        case AnnotationCode::TruncatedFrame: return "malformed: the frame ends inside a header";
        case AnnotationCode::CaplenExceedsWirelen: return "capture record claims more bytes than were on the wire";
        case AnnotationCode::BadIpv6ExtHeader: return "malformed: bad IPv6 extension header chain";
        case AnnotationCode::BadIpVersion: return "malformed: IP version is neither 4 nor 6";
        case AnnotationCode::UnsupportedLinkHeader: return "link-layer payload type not decoded";
        case AnnotationCode::IpReassembled:
            return fmt::format("IP datagram reassembled from {} fragments{}", a.a,
                               a.b ? fmt::format("; {} overlapping bytes differed (first copy kept)", a.b) : std::string());
        case AnnotationCode::AnalysisLimit: return "analysis limit reached: some tracking stopped for this connection";
        default: break;
    }
    return std::string(code);
}

std::string explain_conversation(const ConversationSummary& s) {
    std::string out;
    switch (s.handshake) {
        case HandshakeOutcome::Complete:
            out = "handshake complete";
            if (s.handshake_rtt)
                out += fmt::format(" (RTT {}: SYN to SYN-ACK {}, SYN-ACK to ACK {})", human_duration(*s.handshake_rtt),
                                   human_duration(*s.syn_to_synack), human_duration(*s.synack_to_ack));
            break;
        case HandshakeOutcome::SimultaneousOpen: out = "simultaneous open completed"; break;
        case HandshakeOutcome::Refused: out = "connection refused (SYN answered by RST)"; break;
        case HandshakeOutcome::Unanswered: out = "SYN unanswered"; break;
        case HandshakeOutcome::NoFinalAck: out = "handshake incomplete (no ACK of the SYN-ACK)"; break;
        case HandshakeOutcome::NotSeen: out = "handshake not captured (the capture started mid-stream)"; break;
    }
    const std::string by = s.closed_by ? std::string(to_string(*s.closed_by)) : std::string("?");
    switch (s.close) {
        case CloseKind::Graceful: out += fmt::format("; closed gracefully, {} first", by); break;
        case CloseKind::Simultaneous: out += "; simultaneous close"; break;
        case CloseKind::HalfClosed: out += fmt::format("; half-closed by the {} (no FIN from the other side)", by); break;
        case CloseKind::ClosingIncomplete: out += "; both sides sent FIN, a final ACK is missing"; break;
        case CloseKind::Reset: out += fmt::format("; reset by the {}", by); break;
        case CloseKind::StillOpen: out += "; still open at the end of the capture"; break;
        case CloseKind::NeverOpened: break;
    }
    if (s.data_after_close) out += "; data flowed after a FIN (half-close)";
    switch (s.vantage) {
        case VantagePoint::NearClient: out += "; captured near the client"; break;
        case VantagePoint::NearServer: out += "; captured near the server"; break;
        case VantagePoint::InBetween: out += "; captured between the two hosts"; break;
        case VantagePoint::Unknown: break;
    }
    if (s.time_to_first_byte) out += fmt::format("; first response byte {} after the first request byte", human_duration(*s.time_to_first_byte));
    if (s.exchanges)
        out += fmt::format("; {} request/response exchange{}, server think time {} on average (max {})", s.exchanges,
                           s.exchanges == 1 ? "" : "s", human_duration(s.server_think_sum / s.exchanges),
                           human_duration(s.server_think_max));
    const auto stalls = s.dir[0].stalls + s.dir[1].stalls;
    if (stalls) {
        std::string waiting;
        for (std::size_t d = 0; d < 2; ++d) {
            if (s.dir[d].stalls == 0) continue;
            if (!waiting.empty()) waiting += ", ";
            waiting += fmt::format("{} with {} data waiting", human_duration(s.dir[d].stall_time),
                                   d == 0 ? "client" : "server");
        }
        out += fmt::format("; {} stall{} ({})", stalls, stalls == 1 ? "" : "s", waiting);
    }
    const auto reordered = s.dir[0].reordered_segments + s.dir[1].reordered_segments;
    if (reordered) out += fmt::format("; {} segment{} reordered in the network (not lost)", reordered, reordered == 1 ? "" : "s");
    const auto& c = s.dir[0];
    const auto& v = s.dir[1];
    out += fmt::format("; {} packets ({} from the client, {} from the server), {} bytes client to server, {} bytes "
                       "server to client; duration {}",
                       c.packets + v.packets, c.packets, v.packets, c.payload_bytes, v.payload_bytes,
                       human_duration(s.duration()));
    return out;
}

}  // namespace tfx::model
