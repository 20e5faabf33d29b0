#include "model/explain.hpp"

#include <fmt/compile.h>

// The renderers' append helpers: the sentences are written the way the renderers write.
#include "text/append.hpp"

namespace tfx::model {

using text::append;
using text::append_fixed;

namespace {
const char* who(Role r) { return r == Role::Client ? "client" : "server"; }
const char* peer(Role r) { return r == Role::Client ? "server" : "client"; }

// ", offering MSS 1460, window scale 7, SACK, timestamps" (nothing when nothing is offered).
void append_syn_offer(fmt::memory_buffer& out, const TcpOptions& o) {
    std::string_view separator = ", offering ";
    const auto next = [&] {
        append(out, separator);
        separator = ", ";
    };
    if (o.mss) {
        next();
        append(out, FMT_COMPILE("MSS {}"), *o.mss);
    }
    if (o.window_scale) {
        next();
        append(out, FMT_COMPILE("window scale {}"), *o.window_scale);
    }
    if (o.sack_permitted) {
        next();
        append(out, "SACK");
    }
    if (o.timestamps) {
        next();
        append(out, "timestamps");
    }
    if (o.fast_open) {
        next();
        append(out, "a TCP Fast Open cookie");
    }
}

template <typename Append>
std::string to_string_with(Append&& append_to) {
    fmt::memory_buffer out;
    append_to(out);
    return fmt::to_string(out);
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

void append_human_duration(fmt::memory_buffer& out, Duration d) {
    const auto ns = d.count();
    const auto mag = ns < 0 ? -ns : ns;
    if (mag < 1'000'000'000) {
        append_fixed(out, ns, 1'000'000, 3);
        append(out, " ms");
    } else {
        append_fixed(out, ns, 1'000'000'000, 3);
        append(out, " s");
    }
}

std::string human_duration(Duration d) {
    return to_string_with([d](fmt::memory_buffer& out) { append_human_duration(out, d); });
}

void append_options_text(fmt::memory_buffer& out, const TcpOptions& o, std::uint32_t sack_base) {
    const std::size_t start = out.size();
    bool sack_done = false;
    for (int i = 0; i < o.count; ++i) {
        if (i > 0) out.push_back(',');
        switch (const auto kind = o.kinds[static_cast<std::size_t>(i)]) {
            case tcpopt::kEol: append(out, "eol"); break;
            case tcpopt::kNop: append(out, "nop"); break;
            case tcpopt::kMss:
                if (o.mss) append(out, FMT_COMPILE("mss {}"), *o.mss);
                else append(out, "mss");
                break;
            case tcpopt::kWindowScale:
                if (o.window_scale) append(out, FMT_COMPILE("wscale {}"), *o.window_scale);
                else append(out, "wscale");
                break;
            case tcpopt::kSackPermitted: append(out, "sackOK"); break;
            case tcpopt::kSack:
                if (sack_done) {
                    append(out, "sack");
                    break;
                }
                sack_done = true;
                append(out, FMT_COMPILE("sack {}"), o.sack_count);
                for (int b = 0; b < o.sack_count; ++b) {
                    const auto& blk = o.sack[static_cast<std::size_t>(b)];
                    append(out, FMT_COMPILE(" {{{}:{}}}"), blk.left - sack_base, blk.right - sack_base);
                }
                break;
            case tcpopt::kTimestamps:
                if (o.timestamps) append(out, FMT_COMPILE("TS val {} ecr {}"), o.timestamps->value, o.timestamps->echo_reply);
                else append(out, "TS");
                break;
            case tcpopt::kMd5: append(out, "md5"); break;
            case tcpopt::kAuthentication: append(out, "tcp-ao"); break;
            case tcpopt::kMptcp: append(out, "mptcp"); break;
            case tcpopt::kFastOpen: append(out, FMT_COMPILE("tfo cookie-len {}"), o.fast_open_cookie_len); break;
            case tcpopt::kExperimental:
                if (o.fast_open) append(out, FMT_COMPILE("tfo(exp) cookie-len {}"), o.fast_open_cookie_len);
                else append(out, "exp-254");
                break;
            default: append(out, FMT_COMPILE("opt-{}"), kind); break;
        }
    }
    if (o.malformed) append(out, out.size() == start ? "malformed" : ",malformed");
    if (o.truncated) append(out, out.size() == start ? "truncated" : ",truncated");
}

void append_segment_explanation(fmt::memory_buffer& out, const AnnotatedSegment& s) {
    const char* me = who(s.sender);
    const char* other = peer(s.sender);
    const bool psh = s.flags & tcpflag::kPsh;
    switch (s.meaning) {
        case SegmentMeaning::Undecodable:
            append(out, "This frame could not be decoded as TCP; it is kept out of the analysis.");
            return;
        case SegmentMeaning::ConnectionRequest:
            append(out, "The client asks to open a connection (SYN) and picks its initial sequence number");
            append_syn_offer(out, s.options);
            out.push_back('.');
            return;
        case SegmentMeaning::SynRetransmitted:
            append(out, FMT_COMPILE("The {} sends its SYN again: no answer has arrived yet."), me);
            return;
        case SegmentMeaning::SimultaneousSyn:
            append(out, FMT_COMPILE("The {} sends its own SYN while the {}'s SYN is in flight: a simultaneous open"),
                   me, other);
            append_syn_offer(out, s.options);
            out.push_back('.');
            return;
        case SegmentMeaning::ConnectionAccepted:
            append(out,
                   FMT_COMPILE("The {} accepts: SYN-ACK, acknowledging the {}'s SYN (ack {}) and sending its own "
                               "initial sequence number"),
                   me, other, s.rel_ack);
            append_syn_offer(out, s.options);
            out.push_back('.');
            return;
        case SegmentMeaning::SimultaneousSynAck:
            append(out,
                   FMT_COMPILE("The {} acknowledges the {}'s SYN and repeats its own (SYN-ACK of a simultaneous open)."),
                   me, other);
            return;
        case SegmentMeaning::HandshakeComplete:
            if (s.payload_len > 0)
                append(out,
                       FMT_COMPILE("The {} acknowledges the {}'s SYN, completing the three-way handshake, and "
                                   "already sends {} bytes of data."),
                       me, other, s.payload_len);
            else
                append(out, FMT_COMPILE("The {} acknowledges the {}'s SYN: the three-way handshake is complete."), me,
                       other);
            return;
        case SegmentMeaning::Data:
            append(out, FMT_COMPILE("The {} sends {} byte{} of data (seq {} to {}){}."), me, s.payload_len,
                   s.payload_len == 1 ? "" : "s", s.rel_seq, s.rel_seq + s.payload_len,
                   psh ? ", with PSH: deliver to the application now" : "");
            return;
        case SegmentMeaning::DataNoAck:
            append(out,
                   FMT_COMPILE("The {} sends {} bytes without the ACK bit, which established connections always set."),
                   me, s.payload_len);
            return;
        case SegmentMeaning::Ack:
            append(out, FMT_COMPILE("The {} acknowledges the {}'s bytes up to {}."), me, other, s.rel_ack);
            return;
        case SegmentMeaning::AckNothingNew:
            append(out, FMT_COMPILE("The {} repeats its acknowledgment (ack {}): nothing new is acknowledged."), me,
                   s.rel_ack);
            return;
        case SegmentMeaning::CloseRequest:
            append(out, FMT_COMPILE("The {} has no more data to send and starts closing its side (FIN)."), me);
            return;
        case SegmentMeaning::CloseReply:
            if (s.step == 2)
                append(out, FMT_COMPILE("The {} acknowledges the {}'s FIN and closes its own side too (FIN)."), me,
                       other);
            else
                append(out, FMT_COMPILE("The {} now closes its side as well (FIN)."), me);
            return;
        case SegmentMeaning::SimultaneousClose:
            append(out, FMT_COMPILE("The {} sends its own FIN before receiving the {}'s: a simultaneous close."), me,
                   other);
            return;
        case SegmentMeaning::FinAcked:
            append(out,
                   FMT_COMPILE("The {} acknowledges the {}'s FIN; it may still send data until it sends its own FIN "
                               "(half-close)."),
                   me, other);
            return;
        case SegmentMeaning::FinalAck:
            for (const auto& c : s.state_changes())
                if (c.endpoint == s.sender && c.to == TcpState::Closing) {
                    append(out,
                           FMT_COMPILE("The {} acknowledges the {}'s FIN; the FINs crossed, so it still waits for "
                                       "the ACK of its own FIN (CLOSING)."),
                           me, other);
                    return;
                }
            append(out,
                   FMT_COMPILE("The {} acknowledges the {}'s FIN: the connection is closed (the {} waits in "
                               "TIME-WAIT)."),
                   me, other, me);
            return;
        case SegmentMeaning::Refused:
            append(out, FMT_COMPILE("The {} refuses the connection (RST): nothing listens on port {}."), me,
                   s.src.port);
            return;
        case SegmentMeaning::Reset:
            append(out, FMT_COMPILE("The {} aborts the connection (RST): data in flight is discarded."), me);
            return;
        case SegmentMeaning::ResetAfterClose:
            append(out,
                   FMT_COMPILE("The {} resets the connection after the close began (RST), e.g. unread data or "
                               "SO_LINGER 0."),
                   me);
            return;
        case SegmentMeaning::MidStream:
            append(out, FMT_COMPILE("The connection was already open when the capture started; the {} continues it."),
                   me);
            return;
        case SegmentMeaning::DuplicateAck:
            append(out,
                   FMT_COMPILE("The {} acknowledges {} again: a duplicate ACK, so it is missing the {}'s bytes that "
                               "follow (or received later ones first)."),
                   me, s.rel_ack, other);
            return;
        case SegmentMeaning::WindowUpdate:
            append(out,
                   FMT_COMPILE("The {} only announces a new receive window ({}): room has been made in its buffer."),
                   me, s.window);
            return;
        case SegmentMeaning::KeepAlive:
            append(out,
                   FMT_COMPILE("The {} checks that the idle connection is still alive (keep-alive): a segment just "
                               "below what it has sent, which forces the {} to answer."),
                   me, other);
            return;
        case SegmentMeaning::KeepAliveAck:
            append(out, FMT_COMPILE("The {} answers the keep-alive: it is still there."), me);
            return;
        case SegmentMeaning::ZeroWindowProbe:
            append(out,
                   FMT_COMPILE("The {} probes the {}'s closed receive window, so that the answer tells it when the "
                               "window reopens (zero-window probe)."),
                   me, other);
            return;
        case SegmentMeaning::ZeroWindowProbeAck:
            append(out, FMT_COMPILE("The {} answers the probe: its receive window is still {}."), me,
                   s.window == 0 ? "closed (0)" : "small");
            return;
    }
}

std::string explain_segment(const AnnotatedSegment& s) {
    return to_string_with([&s](fmt::memory_buffer& out) { append_segment_explanation(out, s); });
}

void append_annotation_explanation(fmt::memory_buffer& out, const Annotation& a, const AnnotatedSegment& s) {
    // " of #5" when the finding refers to an earlier frame.
    const auto related = [&] {
        if (a.related) append(out, FMT_COMPILE(" of #{}"), a.related);
    };
    switch (a.code) {
        case AnnotationCode::Retransmission:
            append(out, "retransmission");
            related();
            if (a.a > 0) {
                append(out, ", ");
                append_human_duration(out, Duration{a.a});
                append(out, " earlier");
            }
            append(out, ": these bytes were sent before");
            return;
        case AnnotationCode::FastRetransmission:
            append(out, "fast retransmission");
            related();
            if (a.a >= 2)
                append(out, FMT_COMPILE(": sent again after {} duplicate ACKs asked for seq {}"), a.a, s.rel_seq);
            else
                append(out,
                       FMT_COMPILE(": sent again, without waiting for a timeout, because the receiver's ACKs and "
                                   "SACK blocks showed seq {} missing"),
                       s.rel_seq);
            return;
        case AnnotationCode::SpuriousRetransmission:
            append(out, "spurious retransmission");
            related();
            append(out, FMT_COMPILE(": the receiver had already acknowledged up to {}"), a.a);
            return;
        case AnnotationCode::OutOfOrder:
            if (a.related)
                append(out,
                       FMT_COMPILE("out-of-order: seq {} was sent before the higher sequence numbers that arrived "
                                   "first; it fills the gap reported at #{} (reordering, not loss)"),
                       s.rel_seq, a.related);
            else
                append(out, FMT_COMPILE("out-of-order: seq {} arrives after higher sequence numbers (next expected was {})"),
                       s.rel_seq, a.a);
            return;
        case AnnotationCode::LostSegment:
            append(out, FMT_COMPILE("previous segment not captured: expected seq {}, got {}"), a.a, a.b);
            return;
        case AnnotationCode::AckLostSegment:
            if (a.a > a.b)
                append(out, FMT_COMPILE("ACKed unseen segment: acknowledges {} but the capture saw data only up to {}"),
                       a.a, a.b);
            else  // Wireshark's contiguous mark stopped at an earlier gap
                append(out, FMT_COMPILE("ACKed unseen segment: acknowledges {}, but bytes below it were never captured"),
                       a.a);
            return;
        case AnnotationCode::DuplicateAck:
            append(out, FMT_COMPILE("duplicate ACK #{}"), a.a);
            related();
            append(out, FMT_COMPILE(": the receiver still waits for seq {}"), s.rel_ack);
            return;
        case AnnotationCode::ZeroWindow:
            append(out, FMT_COMPILE("zero window: the {}'s receive buffer is full; the peer must stop sending"),
                   who(s.sender));
            return;
        case AnnotationCode::ZeroWindowProbe:
            append(out, "zero-window probe: the sender checks whether the window has reopened");
            return;
        case AnnotationCode::ZeroWindowProbeAck: append(out, "zero-window probe ACK: the window is still closed"); return;
        case AnnotationCode::WindowUpdate:
            append(out, "window update: the receive window grew");
            if (a.b) append(out, FMT_COMPILE(" from {} to {}"), a.a, a.b);
            append(out, " without new data or ACK");
            return;
        case AnnotationCode::WindowFull:
            append(out, "window full: this segment fills the receiver's advertised window");
            return;
        case AnnotationCode::KeepAlive:
            append(out, "keep-alive: an idle connection checks that the peer is still there");
            return;
        case AnnotationCode::KeepAliveAck: append(out, "keep-alive ACK: the peer is still there"); return;
        case AnnotationCode::ReusedPorts:
            append(out, FMT_COMPILE("reused ports: a new connection on the 4-tuple of an earlier one (last frame #{})"),
                   a.related);
            return;
        case AnnotationCode::SynRetransmission:
            append(out, "SYN retransmission");
            related();
            return;
        case AnnotationCode::IllegalTransition:
            append(out, FMT_COMPILE("illegal transition {} -> {} (not an RFC 9293 edge)"),
                   to_string(static_cast<TcpState>(a.a)), to_string(static_cast<TcpState>(a.b)));
            return;
        case AnnotationCode::SnaplenTruncated:
            append(out, FMT_COMPILE("snaplen: the last {} bytes of this segment were not captured{}"), a.a,
                   s.options.truncated ? " (its TCP options are cut; what was captured is shown)" : "");
            return;
        case AnnotationCode::BadTcpHeaderLen:
            append(out, FMT_COMPILE("malformed: bad TCP data offset ({} bytes)"), a.a);
            return;
        case AnnotationCode::BadTcpOptionLen:
            append(out, FMT_COMPILE("malformed option: kind {} with length {}"), a.a, a.b);
            return;
        case AnnotationCode::BadIpHeaderLen:
            append(out, FMT_COMPILE("malformed: bad IP header length ({} bytes)"), a.a);
            return;
        case AnnotationCode::BadIpTotalLen:
            append(out, FMT_COMPILE("malformed: IP length {} but {} bytes available"), a.a, a.b);
            return;
        case AnnotationCode::IpFragment:
            append(out,
                   FMT_COMPILE("IP fragment at offset {}: part of a datagram, analysed at the frame that completes it"),
                   a.a);
            return;
        case AnnotationCode::TimestampBackwards:
            append(out, "timestamp goes back ");
            append_human_duration(out, Duration{a.a});
            append(out, " from the previous frame");
            return;
        case AnnotationCode::WindowScaleOutOfRange:
            append(out, FMT_COMPILE("window scale {} exceeds 14 (RFC 7323); 14 is used"), a.a);
            return;
        case AnnotationCode::RstWithData: append(out, FMT_COMPILE("RST carries {} bytes of data"), a.a); return;
        case AnnotationCode::DataOnSyn: append(out, FMT_COMPILE("SYN carries {} bytes of data"), a.a); return;
        case AnnotationCode::MidStreamStart:
            append(out,
                   "mid-stream: the connection was open before the capture started; sequence numbers count from here");
            return;
        case AnnotationCode::RoleGuessed:
            append(out, FMT_COMPILE("roles guessed: no SYN was captured, and port {} looks like the server's"),
                   s.sender == Role::Server ? s.src.port : s.dst.port);
            return;
        case AnnotationCode::SynAckWithoutSyn:
            append(out, "SYN-ACK without a captured SYN: the capture started just after it");
            return;
        case AnnotationCode::SimultaneousOpen: append(out, "simultaneous open: both sides sent a SYN"); return;
        case AnnotationCode::DataAfterFin:
            append(out, "data after this side's FIN: a FIN ends a side's data for good");
            return;
        case AnnotationCode::DataAfterReset: append(out, "data after an RST: the connection no longer exists"); return;
        case AnnotationCode::SegmentAfterReset:
            append(out, "segment after an RST: the connection no longer exists");
            return;
        case AnnotationCode::AllFlagsSet:
            append(out, "all flags set (\"Christmas tree\"): no real stack sends this; a scan or a fuzzer");
            return;
        case AnnotationCode::NoFlags: append(out, "no flags set (\"null scan\"): no real stack sends this"); return;
        case AnnotationCode::SynWithFin: append(out, "SYN and FIN together: invalid, typical of scans"); return;
        case AnnotationCode::DuplicateFrame:
            append(out, "duplicate frame");
            related();
            append(out, ": the same packet captured twice (same IP id and seq), not a retransmission");
            return;
        case AnnotationCode::SegmentExceedsMss:
            append(out,
                   FMT_COMPILE("larger than the peer's MSS ({} > {} bytes): segmentation offload (TSO/GSO) or receive "
                               "coalescing (GRO) on the capturing host; on the wire it was {} segments, not a "
                               "network event"),
                   a.a, a.b, a.b > 0 ? (a.a + a.b - 1) / a.b : 1);
            return;
        case AnnotationCode::CaptureDrop:
            append(out, FMT_COMPILE("capture drop: the {} acknowledges {} byte{} of the {} from seq {} that this "
                                    "capture never saw"),
                   who(s.sender), a.a, a.a == 1 ? "" : "s", peer(s.sender), a.b);
            if (a.related) append(out, FMT_COMPILE(" (the gap reported at #{})"), a.related);
            append(out, ": they arrived, so the capture point dropped them, not the network");
            return;
        case AnnotationCode::IpLengthZero:
            append(out, "IP total length 0 (TSO/BIG TCP): the length was taken from the frame");
            return;
        case AnnotationCode::TruncatedFrame: append(out, "malformed: the frame ends inside a header"); return;
        case AnnotationCode::CaplenExceedsWirelen:
            append(out, "capture record claims more bytes than were on the wire");
            return;
        case AnnotationCode::BadIpv6ExtHeader: append(out, "malformed: bad IPv6 extension header chain"); return;
        case AnnotationCode::BadIpVersion: append(out, "malformed: IP version is neither 4 nor 6"); return;
        case AnnotationCode::UnsupportedLinkHeader: append(out, "link-layer payload type not decoded"); return;
        case AnnotationCode::IpReassembled:
            append(out, FMT_COMPILE("IP datagram reassembled from {} fragments"), a.a);
            if (a.b) append(out, FMT_COMPILE("; {} overlapping bytes differed (first copy kept)"), a.b);
            return;
        case AnnotationCode::AnalysisLimit:
            append(out, "analysis limit reached: some tracking stopped for this connection");
            return;
        case AnnotationCode::IdleResumed:
            append(out, "the connection resumes after ");
            append_human_duration(out, Duration{a.a});
            if (const auto minutes = a.a / 60'000'000'000; minutes >= 60)
                append(out, FMT_COMPILE(" ({} h {} min)"), minutes / 60, minutes % 60);
            else if (minutes > 0)
                append(out, FMT_COMPILE(" ({} min)"), minutes);
            append(out, FMT_COMPILE(" of silence (its last frame was #{}): the sequence numbers continue where they "
                                    "stopped, so it is the same connection, not a new one"),
                   a.related);
            return;
        default: break;
    }
    append(out, code_name(a.code));
}

std::string explain_annotation(const Annotation& a, const AnnotatedSegment& s) {
    return to_string_with([&](fmt::memory_buffer& out) { append_annotation_explanation(out, a, s); });
}

void append_conversation_explanation(fmt::memory_buffer& out, const ConversationSummary& s) {
    switch (s.handshake) {
        case HandshakeOutcome::Complete:
            append(out, "handshake complete");
            if (s.handshake_rtt) {
                append(out, " (RTT ");
                append_human_duration(out, *s.handshake_rtt);
                append(out, ": SYN to SYN-ACK ");
                append_human_duration(out, *s.syn_to_synack);
                append(out, ", SYN-ACK to ACK ");
                append_human_duration(out, *s.synack_to_ack);
                out.push_back(')');
            }
            break;
        case HandshakeOutcome::SimultaneousOpen: append(out, "simultaneous open completed"); break;
        case HandshakeOutcome::Refused: append(out, "connection refused (SYN answered by RST)"); break;
        case HandshakeOutcome::Unanswered: append(out, "SYN unanswered"); break;
        case HandshakeOutcome::NoFinalAck: append(out, "handshake incomplete (no ACK of the SYN-ACK)"); break;
        case HandshakeOutcome::NotSeen: append(out, "handshake not captured (the capture started mid-stream)"); break;
    }
    const std::string_view by = s.closed_by ? to_string(*s.closed_by) : std::string_view("?");
    switch (s.close) {
        case CloseKind::Graceful: append(out, FMT_COMPILE("; closed gracefully, {} first"), by); break;
        case CloseKind::Simultaneous: append(out, "; simultaneous close"); break;
        case CloseKind::HalfClosed:
            append(out, FMT_COMPILE("; half-closed by the {} (no FIN from the other side)"), by);
            break;
        case CloseKind::ClosingIncomplete: append(out, "; both sides sent FIN, a final ACK is missing"); break;
        case CloseKind::Reset: append(out, FMT_COMPILE("; reset by the {}"), by); break;
        case CloseKind::StillOpen: append(out, "; still open at the end of the capture"); break;
        case CloseKind::NeverOpened: break;
    }
    if (s.data_after_close) append(out, "; data flowed after a FIN (half-close)");
    switch (s.vantage) {
        case VantagePoint::NearClient: append(out, "; captured near the client"); break;
        case VantagePoint::NearServer: append(out, "; captured near the server"); break;
        case VantagePoint::InBetween: append(out, "; captured between the two hosts"); break;
        case VantagePoint::Unknown: break;
    }
    if (s.time_to_first_byte) {
        append(out, "; first response byte ");
        append_human_duration(out, *s.time_to_first_byte);
        append(out, " after the first request byte");
    }
    if (s.exchanges) {
        append(out, FMT_COMPILE("; {} request/response exchange{}, server think time "), s.exchanges,
               s.exchanges == 1 ? "" : "s");
        append_human_duration(out, s.server_think_sum / s.exchanges);
        append(out, " on average (max ");
        append_human_duration(out, s.server_think_max);
        out.push_back(')');
    }
    const auto stalls = s.dir[0].stalls + s.dir[1].stalls;
    if (stalls) {
        append(out, FMT_COMPILE("; {} stall{} ("), stalls, stalls == 1 ? "" : "s");
        std::string_view separator;
        for (std::size_t d = 0; d < 2; ++d) {
            if (s.dir[d].stalls == 0) continue;
            append(out, separator);
            separator = ", ";
            append_human_duration(out, s.dir[d].stall_time);
            append(out, FMT_COMPILE(" with {} data waiting"), d == 0 ? "client" : "server");
        }
        out.push_back(')');
    }
    const auto reordered = s.dir[0].reordered_segments + s.dir[1].reordered_segments;
    if (reordered)
        append(out, FMT_COMPILE("; {} segment{} reordered in the network (not lost)"), reordered,
               reordered == 1 ? "" : "s");
    const auto drops = s.dir[0].capture_drops + s.dir[1].capture_drops;
    if (drops)
        append(out, FMT_COMPILE("; {} byte{} acknowledged that the capture never saw (capture drops, not loss)"),
               s.dir[0].capture_dropped_bytes + s.dir[1].capture_dropped_bytes,
               s.dir[0].capture_dropped_bytes + s.dir[1].capture_dropped_bytes == 1 ? "" : "s");
    const auto& c = s.dir[0];
    const auto& v = s.dir[1];
    append(out,
           FMT_COMPILE("; {} packets ({} from the client, {} from the server), {} bytes client to server, {} bytes "
                       "server to client; duration "),
           c.packets + v.packets, c.packets, v.packets, c.payload_bytes, v.payload_bytes);
    append_human_duration(out, s.duration());
}

}  // namespace tfx::model
