#include "explain/explain.hpp"

#include <fmt/compile.h>

#include <utility>
#include <array>
#include <bit>

#include "tfx/seq.hpp"

// The renderers' append helpers: the sentences are written the way the renderers write.
#include "text/append.hpp"

namespace tfx::explain {

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

// The numbers of one segment's sentences: relative values (as the analysis keeps them) of
// the sender's sequence space (`own`) and of the peer's (`peer`, the acknowledgment side),
// written in the numbering the reader asked for.
struct Numbers {
    std::uint32_t own_base = 0;
    std::uint32_t peer_base = 0;
    // Relative value of a raw SACK edge: raw - (peer's ISN).
    std::uint32_t sack_rel_base = 0;
    Numbers(const AnnotatedSegment& s, Numbering n) : sack_rel_base(s.ack - s.rel_ack) {
        if (n != Numbering::Absolute) return;
        own_base = s.seq - s.rel_seq;
        peer_base = s.ack - s.rel_ack;
    }
    [[nodiscard]] std::uint32_t own(std::int64_t rel) const { return static_cast<std::uint32_t>(rel) + own_base; }
    [[nodiscard]] std::uint32_t peer(std::int64_t rel) const { return static_cast<std::uint32_t>(rel) + peer_base; }
    [[nodiscard]] std::uint32_t sack(std::uint32_t raw) const { return raw - sack_rel_base + peer_base; }
};

// "byte 7" or "bytes 1-6": the sequence numbers the bytes occupy (RFC 9293 §3.4: the
// sequence number of a segment is that of its first byte; `end` is the next one).
void append_byte_range(fmt::memory_buffer& out, std::uint32_t first, std::uint32_t end) {
    if (end - first == 1)
        append(out, FMT_COMPILE("byte {}"), first);
    else
        append(out, FMT_COMPILE("bytes {}-{}"), first, end - 1);
}

// "untagged", "VLAN 3136" or "VLAN 100 in 200": a flow key's tags (outer id << 12 | inner id).
void append_vlan_tags(fmt::memory_buffer& out, std::uint32_t tags) {
    if (tags == 0)
        append(out, "untagged");
    else if (tags < 4096)
        append(out, FMT_COMPILE("VLAN {}"), tags);
    else
        append(out, FMT_COMPILE("VLAN {} in {}"), tags & 0xfffU, tags >> 12);
}

// The retransmission finding of a segment, if it has one.
const Annotation* resend_finding(const AnnotatedSegment& s) {
    for (const auto& a : s.notes())
        if (a.code == AnnotationCode::Retransmission || a.code == AnnotationCode::FastRetransmission ||
            a.code == AnnotationCode::SpuriousRetransmission)
            return &a;
    return nullptr;
}

// What the SACK blocks of an ACK say (RFC 2018 §3, RFC 2883 §4): the receiver holds the
// blocks above its cumulative ACK and misses what lies between; a first block below the ACK
// (or inside the second one) is a D-SACK: bytes received twice. Writes ": it holds ..." and
// returns true, or writes nothing and returns false when the segment carries no block.
bool append_sack_meaning(fmt::memory_buffer& out, const AnnotatedSegment& s, const Numbers& n, const char* other) {
    const auto& o = s.options;
    if (o.sack_count <= 0 || !(s.flags & tcpflag::kAck)) return false;
    const SeqNum ack{s.ack};
    std::array<SackBlock, 4> held{};
    std::size_t held_count = 0;
    const SackBlock* dsack = nullptr;
    for (int i = 0; i < o.sack_count && i < 4; ++i) {
        const auto& b = o.sack[static_cast<std::size_t>(i)];
        if (!seq_before(SeqNum{b.left}, SeqNum{b.right})) continue;  // empty or inverted: says nothing
        const bool below_ack = !seq_after(SeqNum{b.right}, ack);
        const bool inside_second = i == 0 && o.sack_count > 1 && !seq_before(SeqNum{b.left}, SeqNum{o.sack[1].left}) &&
                                   !seq_after(SeqNum{b.right}, SeqNum{o.sack[1].right});
        if (i == 0 && (below_ack || inside_second))
            dsack = &b;
        else if (!below_ack)
            held[held_count++] = b;
    }
    if (dsack == nullptr && held_count == 0) return false;
    // At most four blocks: an insertion sort by left edge (in sequence space, across the wrap).
    for (std::size_t i = 1; i < held_count; ++i)
        for (std::size_t j = i; j > 0 && seq_before(SeqNum{held[j].left}, SeqNum{held[j - 1].left}); --j)
            std::swap(held[j], held[j - 1]);
    const auto range = [&](std::uint32_t left, std::uint32_t right) {
        append_byte_range(out, n.sack(left), n.sack(right));
    };
    std::string_view lead = ": it ";
    if (dsack != nullptr) {
        append(out, FMT_COMPILE("{}received the {}'s "), lead, other);
        // Sequence number 0 acknowledged by ack 1 is the peer's SYN, not a byte: in a
        // simultaneous open each SYN-ACK repeats the SYN that was already received.
        if (n.sack(dsack->left) == n.peer(0) && dsack->right - dsack->left == 1 && s.rel_ack == 1) {
            append(out, FMT_COMPILE("SYN (sequence number {}) twice (D-SACK, RFC 2883)"), n.peer(0));
        } else {
            range(dsack->left, dsack->right);
            append(out, " twice (D-SACK, RFC 2883: a retransmission it did not need)");
        }
        lead = "; it also ";
    }
    if (held_count == 0) return true;
    append(out, FMT_COMPILE("{}holds the {}'s "), lead, other);
    for (std::size_t i = 0; i < held_count; ++i) {
        if (i > 0) append(out, ", ");
        range(held[i].left, held[i].right);
    }
    append(out, " but still misses ");
    SeqNum next = ack;
    std::string_view separator;
    for (std::size_t i = 0; i < held_count; ++i) {
        if (seq_before(next, SeqNum{held[i].left})) {
            append(out, separator);
            separator = ", ";
            range(next.raw(), held[i].left);
        }
        if (seq_after(SeqNum{held[i].right}, next)) next = SeqNum{held[i].right};
    }
    return true;
}

// The sequence number a FIN takes (RFC 9293 §3.4: it follows the segment's last byte) and
// the data it carries: "; the FIN takes sequence number 7, so its ACK is 8" or
// ": its last 904 bytes (39097-40000) travel with the FIN, which takes sequence number 40001
// (its ACK is 40002)".
void append_fin_clause(fmt::memory_buffer& out, const AnnotatedSegment& s, const Numbers& n) {
    const std::uint32_t fin = n.own(std::int64_t{s.rel_seq} + s.payload_len);
    if (s.payload_len == 0) {
        append(out, FMT_COMPILE("; the FIN takes sequence number {}, so its ACK is {}"), fin, fin + 1);
        return;
    }
    append(out, FMT_COMPILE(": its last {} byte{} ("), s.payload_len, s.payload_len == 1 ? "" : "s");
    append_byte_range(out, n.own(s.rel_seq), fin);
    append(out, FMT_COMPILE(") travel with the FIN, which takes sequence number {} (its ACK is {})"), fin, fin + 1);
}

// " (ack 8: the FIN took sequence number 7)": why the ACK of a FIN is the FIN's number + 1.
void append_fin_ack(fmt::memory_buffer& out, const AnnotatedSegment& s, const Numbers& n) {
    append(out, FMT_COMPILE(" (ack {}: the FIN took sequence number {})"), n.peer(s.rel_ack), n.peer(s.rel_ack) - 1);
}

// " The window scale was negotiated on SYNs the capture missed: ..." (tshark: factor -1).
void append_unknown_scale(fmt::memory_buffer& out, const AnnotatedSegment& s) {
    if (!s.window_scale_unknown) return;
    append(out,
           FMT_COMPILE(" The window scale was set on SYNs the capture missed: the real window is {} times 2^shift, "
                       "shift unknown."),
           s.window_raw);
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
        case SegmentMeaning::FinRetransmitted: return "fin_retransmitted";
        case SegmentMeaning::Probe: return "probe";
        case SegmentMeaning::ProbeReset: return "probe_reset";
        case SegmentMeaning::NoAck: return "no_ack";
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
                if (o.mss)
                    append(out, FMT_COMPILE("mss {}"), *o.mss);
                else
                    append(out, "mss");
                break;
            case tcpopt::kWindowScale:
                if (o.window_scale)
                    append(out, FMT_COMPILE("wscale {}"), *o.window_scale);
                else
                    append(out, "wscale");
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
                if (o.timestamps)
                    append(out, FMT_COMPILE("TS val {} ecr {}"), o.timestamps->value, o.timestamps->echo_reply);
                else
                    append(out, "TS");
                break;
            case tcpopt::kMd5: append(out, "md5"); break;
            case tcpopt::kAuthentication: append(out, "tcp-ao"); break;
            case tcpopt::kMptcp: append(out, "mptcp"); break;
            case tcpopt::kFastOpen: append(out, FMT_COMPILE("tfo cookie-len {}"), o.fast_open_cookie_len); break;
            case tcpopt::kExperimental:
                if (o.fast_open)
                    append(out, FMT_COMPILE("tfo(exp) cookie-len {}"), o.fast_open_cookie_len);
                else
                    append(out, "exp-254");
                break;
            default: append(out, FMT_COMPILE("opt-{}"), kind); break;
        }
    }
    if (o.malformed) append(out, out.size() == start ? "malformed" : ",malformed");
    if (o.truncated) append(out, out.size() == start ? "truncated" : ",truncated");
}

namespace {
// How many MSS-sized segments `bytes` took on the wire: ceil(bytes / mss), without the
// overflow of (bytes + mss - 1) when a damaged record carries values near INT64_MAX.
std::int64_t segments_on_the_wire(std::int64_t bytes, std::int64_t mss) {
    if (mss <= 0) return 1;
    return bytes / mss + (bytes % mss > 0 ? 1 : 0);
}

void append_meaning_sentence(fmt::memory_buffer& out, const AnnotatedSegment& s, Numbering numbering) {
    const char* me = who(s.sender);
    const char* other = peer(s.sender);
    const bool psh = s.flags & tcpflag::kPsh;
    const Numbers n(s, numbering);
    switch (s.meaning) {
        case SegmentMeaning::Undecodable:
            append(out, "This frame could not be decoded as TCP; it is kept out of the analysis.");
            return;
        case SegmentMeaning::ConnectionRequest:
            append(out, "The client asks to open a connection (SYN) and picks its initial sequence number");
            append_syn_offer(out, s.options);
            // RFC 9293 §3.4: the SYN occupies the ISN, so the first data byte is ISN + 1.
            append(out, FMT_COMPILE(". The SYN takes one sequence number ({}), so its data starts at {}"),
                   n.own(s.rel_seq), n.own(std::int64_t{s.rel_seq} + 1));
            if (s.payload_len > 0)
                append(out, FMT_COMPILE(", and it already carries {} byte{}"), s.payload_len,
                       s.payload_len == 1 ? "" : "s");
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
            // The listening socket's TCP answers by itself: the application's accept()
            // only later takes the established connection from the queue.
            append(out,
                   FMT_COMPILE("The {}'s TCP answers with a SYN-ACK (its kernel does, before and independently of "
                               "the application's accept()): it acknowledges the {}'s SYN with ack {} (the SYN "
                               "took sequence number {}) and picks its own initial sequence number"),
                   me, other, n.peer(s.rel_ack), n.peer(s.rel_ack) - 1);
            append_syn_offer(out, s.options);
            out.push_back('.');
            return;
        case SegmentMeaning::SimultaneousSynAck:
            append(
                out,
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
            if (s.window_scaled && s.window_raw > 0 && s.window != s.window_raw) {
                // RFC 7323 §2.2: the SYNs' windows are never scaled; the others always are.
                const auto shift = std::bit_width(s.window) - std::bit_width(std::uint64_t{s.window_raw});
                append(out,
                       FMT_COMPILE(" Window scaling starts now: win {} is the field {} times 2^{} (the SYNs' windows "
                                   "are never scaled)."),
                       s.window, s.window_raw, shift);
            }
            return;
        case SegmentMeaning::Data: {
            const std::uint32_t first = n.own(s.rel_seq);
            const std::uint32_t end = n.own(std::int64_t{s.rel_seq} + s.payload_len);
            if (const Annotation* resend = resend_finding(s)) {
                append(out, FMT_COMPILE("The {} sends {} byte{} again ("), me, s.payload_len,
                       s.payload_len == 1 ? "" : "s");
                append_byte_range(out, first, end);
                if (resend->code == AnnotationCode::SpuriousRetransmission)
                    append(out, FMT_COMPILE("), although the {} had already acknowledged them"), other);
                else if (resend->related)
                    append(out, FMT_COMPILE("): a retransmission of #{}"), resend->related);
                else
                    append(out, "): a retransmission; the original was not captured");
                out.push_back('.');
                return;
            }
            append(out, FMT_COMPILE("The {} sends {} byte{} of data ("), me, s.payload_len,
                   s.payload_len == 1 ? "" : "s");
            append_byte_range(out, first, end);
            append(out, FMT_COMPILE("; the next is {}){}."), end,
                   psh ? ", with PSH: deliver to the application now" : "");
            return;
        }
        case SegmentMeaning::DataNoAck:
            append(out,
                   FMT_COMPILE("The {} sends {} bytes without the ACK bit, which established connections always set."),
                   me, s.payload_len);
            return;
        case SegmentMeaning::Ack:
            // RFC 9293 §3.4: the acknowledgment number is the next sequence number expected.
            append(out, FMT_COMPILE("The {} acknowledges the {}'s bytes up to {} (ack {}: the next byte it expects)"),
                   me, other, n.peer(s.rel_ack) - 1, n.peer(s.rel_ack));
            append_sack_meaning(out, s, n, other);
            out.push_back('.');
            return;
        case SegmentMeaning::AckNothingNew:
            append(out, FMT_COMPILE("The {} repeats its acknowledgment (ack {}): nothing new is acknowledged"), me,
                   n.peer(s.rel_ack));
            append_sack_meaning(out, s, n, other);
            out.push_back('.');
            return;
        case SegmentMeaning::CloseRequest:
            append(out, FMT_COMPILE("The {} has no more data to send and starts closing its side (FIN)"), me);
            append_fin_clause(out, s, n);
            out.push_back('.');
            return;
        case SegmentMeaning::CloseReply:
            if (s.step == 2) {
                append(out, FMT_COMPILE("The {} acknowledges the {}'s FIN"), me, other);
                append_fin_ack(out, s, n);
                append(out, " and closes its own side too (FIN)");
            } else {
                append(out, FMT_COMPILE("The {} now closes its side as well (FIN)"), me);
            }
            append_fin_clause(out, s, n);
            out.push_back('.');
            return;
        case SegmentMeaning::SimultaneousClose:
            append(out, FMT_COMPILE("The {} sends its own FIN before receiving the {}'s: a simultaneous close."), me,
                   other);
            return;
        case SegmentMeaning::FinAcked:
            append(out, FMT_COMPILE("The {} acknowledges the {}'s FIN"), me, other);
            append_fin_ack(out, s, n);
            append(out, "; it may still send data until it sends its own FIN (half-close).");
            return;
        case SegmentMeaning::FinalAck:
            for (const auto& c : s.state_changes())
                if (c.endpoint == s.sender && c.to == TcpState::Closing) {
                    append(out,
                           FMT_COMPILE("The {} acknowledges the {}'s FIN; the FINs crossed, so it still waits for "
                                       "the ACK of its own FIN (CLOSING)."),
                           me, other);
                    for (const auto& a : s.notes())
                        if (a.code == AnnotationCode::SentBeforeReceiving) {
                            append(out,
                                   FMT_COMPILE(" The {}'s ACK of the {}'s FIN (#{}) passed here first but reached "
                                               "the {} only after this one was sent, then took it to TIME-WAIT: "),
                                   other, me, a.related, me);
                            if (a.a)
                                append(out, FMT_COMPILE("this segment echoes timestamp {}, older than #{}'s."), a.b,
                                       a.related);
                            else
                                append(out,
                                       FMT_COMPILE("the {}'s FIN passed before it, and one side's segments "
                                                   "arrive in the order they were sent."),
                                       other);
                        }
                    return;
                }
            // RFC 9293 §3.6 and §3.4 (Knowing When to Keep Quiet): TIME-WAIT lasts 2 MSL.
            append(out, FMT_COMPILE("The {} acknowledges the {}'s FIN"), me, other);
            append_fin_ack(out, s, n);
            append(out,
                   FMT_COMPILE(": the connection is closed. The {} waits in TIME-WAIT for 2 MSL (Linux: 60 s), to "
                               "acknowledge the FIN again if this ACK is lost, and so that no old segment of this "
                               "connection is taken for part of a new one on the same ports."),
                   me);
            return;
        case SegmentMeaning::Refused:
            append(out,
                   FMT_COMPILE("The {} refuses the connection (RST): nothing listens on port {}, so the port is "
                               "CLOSED and its TCP answers the SYN with a reset (RFC 9293 §3.10.7.1)."),
                   me, s.src.port);
            return;
        case SegmentMeaning::FinRetransmitted:
            append(out, FMT_COMPILE("The {} sends its FIN again: the {} has not acknowledged it yet."), me, other);
            for (const auto& c : s.state_changes())
                if (c.endpoint == s.sender && c.from != c.to) {
                    append(out, FMT_COMPILE(" This copy also acknowledges the {}'s FIN."), other);
                    break;
                }
            return;
        case SegmentMeaning::Probe:
            append(out,
                   FMT_COMPILE("The {} sends a scan probe ({}) to port {}: a segment without SYN or ACK opens and "
                               "continues no connection; a closed port answers it with RST, a listening one "
                               "drops it (RFC 9293 §3.10.7)."),
                   me,
                   (s.flags & 0x3f) == 0 ? "null scan, no flags"
                   : (s.flags & (tcpflag::kFin | tcpflag::kPsh | tcpflag::kUrg)) ==
                           (tcpflag::kFin | tcpflag::kPsh | tcpflag::kUrg)
                       ? "Xmas scan, FIN-PSH-URG"
                   : (s.flags & tcpflag::kFin) ? "FIN scan"
                                               : "no ACK bit",
                   s.dst.port);
            return;
        case SegmentMeaning::ProbeReset:
            if (!(s.flags & tcpflag::kAck)) {
                // Only an ACK-bearing segment draws a RST without ACK (RFC 9293 §3.10.7.1-2).
                append(out,
                       FMT_COMPILE("The {}'s TCP answers the lone ACK with a RST whose sequence number is that "
                                   "ACK's acknowledgment number, the answer RFC 9293 §3.10.7.1-2 gives to an ACK "
                                   "that reaches no connection: there was none, so the ACK was a probe (an ACK "
                                   "scan), not the middle of an earlier connection. The answer shows that no "
                                   "firewall dropped the probe, not whether port {} listens: a listening socket "
                                   "answers an ACK the same way."),
                       me, s.src.port);
                return;
            }
            append(out,
                   FMT_COMPILE("The {}'s TCP answers the probe with RST: no connection exists there and nothing "
                               "listens on port {}, so the port is CLOSED (RFC 9293 §3.10.7.1)."),
                   me, s.src.port);
            return;
        case SegmentMeaning::NoAck:
            append(out,
                   FMT_COMPILE("The {} sends a segment without the ACK bit: it acknowledges nothing, and "
                               "synchronized connections always set ACK."),
                   me);
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
            append(out, FMT_COMPILE("The {} acknowledges {} again (a duplicate ACK)"), me, n.peer(s.rel_ack));
            if (!append_sack_meaning(out, s, n, other))
                append(out,
                       FMT_COMPILE(": a segment other than the next one arrived, and byte {} is still missing (lost, "
                                   "or overtaken by later segments)"),
                       n.peer(s.rel_ack));
            out.push_back('.');
            return;
        case SegmentMeaning::WindowUpdate:
            if (s.options.sack_count > 0) {
                // tshark calls it a window update, but the new SACK blocks are the news.
                fmt::memory_buffer sack;
                if (append_sack_meaning(sack, s, n, other)) {
                    append(out, FMT_COMPILE("The {} repeats its ACK ({}) with new SACK blocks"), me, n.peer(s.rel_ack));
                    append(out, std::string_view(sack.data(), sack.size()));
                    out.push_back('.');
                    return;
                }
            }
            append(out, FMT_COMPILE("The {} only announces a new receive window ({}"), me, s.window);
            if (s.window_scale_unknown) append(out, " times an unknown 2^shift");
            append(out, "): room has been made in its buffer.");
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

// What a retransmission repeats: its bytes, or, without payload, the flag that takes a
// sequence number (RFC 9293 §3.4: SYN and FIN are retransmitted like data).
std::string_view what_was_resent(const AnnotatedSegment& s) {
    if (s.payload_len > 0) return "these bytes were";
    const bool syn = (s.flags & tcpflag::kSyn) != 0;
    if (syn) return (s.flags & tcpflag::kAck) != 0 ? "this SYN-ACK was" : "this SYN was";
    return (s.flags & tcpflag::kFin) != 0 ? "this FIN was" : "this segment was";
}

}  // namespace

void append_segment_explanation(fmt::memory_buffer& out, const AnnotatedSegment& s, Numbering numbering) {
    append_meaning_sentence(out, s, numbering);
    // Said once per direction, on its first segment (the one whose ISN had to be inferred).
    if (s.window_scale_unknown && s.has(AnnotationCode::IsnInferred)) append_unknown_scale(out, s);
}

std::string explain_segment(const AnnotatedSegment& s, Numbering numbering) {
    return to_string_with([&](fmt::memory_buffer& out) { append_segment_explanation(out, s, numbering); });
}

void append_annotation_explanation(fmt::memory_buffer& out, const Annotation& a, const AnnotatedSegment& s,
                                   Numbering numbering) {
    const Numbers n(s, numbering);
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
            append(out, FMT_COMPILE(": {} sent before"), what_was_resent(s));
            return;
        case AnnotationCode::FastRetransmission:
            append(out, "fast retransmission");
            related();
            if (a.a >= 2)
                append(out, FMT_COMPILE(": sent again after {} duplicate ACKs asked for seq {}"), a.a,
                       n.own(s.rel_seq));
            else
                append(out,
                       FMT_COMPILE(": sent again, without waiting for a timeout, because the receiver's ACKs and "
                                   "SACK blocks showed seq {} missing"),
                       n.own(s.rel_seq));
            return;
        case AnnotationCode::SpuriousRetransmission:
            append(out, "spurious retransmission");
            related();
            append(out, FMT_COMPILE(": the receiver had already acknowledged every byte below {}"), n.own(a.a));
            return;
        case AnnotationCode::OutOfOrder:
            if (a.related)
                append(out,
                       FMT_COMPILE("out-of-order: seq {} was sent before the higher sequence numbers that arrived "
                                   "first; it fills the gap reported at #{} (reordering, not loss)"),
                       n.own(s.rel_seq), a.related);
            else
                append(out,
                       FMT_COMPILE("out-of-order: seq {} arrives after higher sequence numbers (next expected was {})"),
                       n.own(s.rel_seq), n.own(a.a));
            return;
        case AnnotationCode::LostSegment:
            append(out, FMT_COMPILE("previous segment not captured: expected seq {}, got {}"), n.own(a.a), n.own(a.b));
            return;
        case AnnotationCode::AckLostSegment:
            if (a.a > a.b)
                append(out, FMT_COMPILE("ACKed unseen segment: acknowledges {} but the capture saw data only below {}"),
                       n.peer(a.a), n.peer(a.b));
            else  // Wireshark's contiguous mark stopped at an earlier gap
                append(out,
                       FMT_COMPILE("ACKed unseen segment: acknowledges {}, but bytes below it were never captured"),
                       n.peer(a.a));
            return;
        case AnnotationCode::DuplicateAck:
            append(out, FMT_COMPILE("duplicate ACK #{}"), a.a);
            related();
            append(out, FMT_COMPILE(": the receiver still waits for seq {}"), n.peer(s.rel_ack));
            return;
        case AnnotationCode::ZeroWindow:
            append(out,
                   FMT_COMPILE("zero window: the {}'s receive buffer is full; the peer may send only window "
                               "probes until it reopens"),
                   who(s.sender));
            return;
        case AnnotationCode::ZeroWindowProbe:
            append(out, "zero-window probe: the sender checks whether the window has reopened");
            return;
        case AnnotationCode::ZeroWindowProbeAck:
            append(out, "zero-window probe ACK: the window is still closed");
            return;
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
        case AnnotationCode::RefusalContradicted:
            append(out,
                   FMT_COMPILE("refusal contradicted: this SYN-ACK answers the SYN that the RST in #{} refused, "
                               "but a TCP that refuses a SYN keeps nothing of it (RFC 9293 §3.10.7.1), so the "
                               "two did not both come from the server's TCP: one was forged or rewritten on the "
                               "way (RST injection). The analysis sets #{} and what followed it aside and goes "
                               "on from the client's SYN"),
                   a.related, a.related);
            return;
        case AnnotationCode::SentBeforeReceiving:
            append(out, FMT_COMPILE("sent before #{}"), a.related);
            if (a.a)
                append(out, FMT_COMPILE(" reached this side: its timestamp echo ({}) is older than that segment's"),
                       a.b);
            else
                append(out, " reached this side: the other side's segments arrive in the order they passed here");
            return;
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
                   a.a, a.b, segments_on_the_wire(a.a, a.b));
            return;
        case AnnotationCode::CaptureDrop:
            append(out,
                   FMT_COMPILE("capture drop: the {} acknowledges {} byte{} of the {} from seq {} that this "
                               "capture never saw"),
                   who(s.sender), a.a, a.a == 1 ? "" : "s", peer(s.sender), n.peer(a.b));
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
            if (a.b)
                append(out,
                       FMT_COMPILE("; {} overlapping bytes differed: ambiguous (a receiver may have kept either "
                                   "copy; Linux drops such a datagram), so it is left out of the analysis"),
                       a.b);
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
            append(out,
                   FMT_COMPILE(" of silence (its last frame was #{}): the sequence numbers continue where they "
                               "stopped, so it is the same connection, not a new one"),
                   a.related);
            return;
        case AnnotationCode::VlanTaggingDiffers:
            append(out, "this direction's VLAN tagging (");
            append_vlan_tags(out, static_cast<std::uint32_t>(a.a));
            append(out, ") differs from the other direction's (");
            append_vlan_tags(out, static_cast<std::uint32_t>(a.b));
            append(out,
                   "), as a SPAN port that tags one side gives; its ACK acknowledges exactly what the other "
                   "side sent, so it is the same connection");
            return;
        default: break;
    }
    append(out, code_name(a.code));
}

std::string explain_annotation(const Annotation& a, const AnnotatedSegment& s, Numbering numbering) {
    return to_string_with([&](fmt::memory_buffer& out) { append_annotation_explanation(out, a, s, numbering); });
}

bool on_one_host(const Endpoint& client, const Endpoint& server) {
    if (client.addr == server.addr) return true;
    const auto loopback = [](const IpAddress& a) {
        if (a.version == 4) return a.bytes[0] == 127;
        if (a.version != 6) return false;
        for (std::size_t i = 0; i < 15; ++i)
            if (a.bytes[i] != 0) return false;
        return a.bytes[15] == 1;
    };
    return loopback(client.addr) && loopback(server.addr);
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
        case HandshakeOutcome::Probe: append(out, "scan probe, not a connection (no SYN was sent)"); break;
    }
    const std::string_view by = s.closed_by ? to_string(*s.closed_by) : std::string_view("?");
    switch (s.close) {
        case CloseKind::Graceful: append(out, FMT_COMPILE("; closed gracefully, {} first"), by); break;
        case CloseKind::Simultaneous: append(out, "; simultaneous close"); break;
        case CloseKind::HalfClosed:
            append(out, FMT_COMPILE("; half-closed by the {} (no FIN from the other side)"), by);
            break;
        case CloseKind::ClosingIncomplete: append(out, "; both sides sent FIN, a final ACK is missing"); break;
        case CloseKind::Reset:
            append(out, FMT_COMPILE("; reset by the {}"), by);
            // Both sides' RSTs are said, so that Zeek's RSTR (the responder sent one) agrees.
            if (s.closed_by && s.dir[static_cast<std::size_t>(index_of(peer_of(*s.closed_by)))].rsts > 0)
                append(out, FMT_COMPILE(", then by the {} too"), to_string(peer_of(*s.closed_by)));
            break;
        case CloseKind::StillOpen: append(out, "; still open at the end of the capture"); break;
        case CloseKind::NeverOpened: break;
    }
    if (s.data_after_close) append(out, "; data flowed after a FIN (half-close)");
    // Equal legs on one host are the loopback's, not a midpoint on a path.
    if (on_one_host(s.client, s.server))
        append(out, "; captured on the host itself (both ends are this host)");
    else
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
    // The RTT of each side's segments is measured by the other side's ACKs (dir[1] holds
    // the samples of the ACKs the server sent: the client's segments, SYN and FIN included).
    if (s.dir[0].rtt_samples + s.dir[1].rtt_samples) {
        append(out, "; ACK RTT (a segment to the ACK of it, as captured, SYN and FIN included): ");
        std::string_view separator;
        for (std::size_t d = 0; d < 2; ++d) {
            const DirectionStats& acks = s.dir[1 - d];
            if (acks.rtt_samples == 0) continue;
            append(out, separator);
            separator = ", ";
            append(out, FMT_COMPILE("{}'s segments min "), d == 0 ? "client" : "server");
            append_human_duration(out, acks.rtt_min);
            append(out, ", avg ");
            append_human_duration(out, acks.rtt_sum / acks.rtt_samples);
            append(out, ", max ");
            append_human_duration(out, acks.rtt_max);
            append(out, FMT_COMPILE(" over {} sample{}"), acks.rtt_samples, acks.rtt_samples == 1 ? "" : "s");
        }
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
    // Every "previous segment not captured" gap, by what filled it: reordering (an original
    // overtaken), a retransmission (loss), or nothing the capture saw.
    const auto gaps = s.dir[0].gaps_opened + s.dir[1].gaps_opened;
    const auto by_reordering = s.dir[0].gaps_filled_by_reordering + s.dir[1].gaps_filled_by_reordering;
    const auto by_resend = s.dir[0].gaps_filled_by_retransmission + s.dir[1].gaps_filled_by_retransmission;
    if (gaps) {
        const auto unfilled = gaps > by_reordering + by_resend ? gaps - by_reordering - by_resend : 0;
        append(out,
               FMT_COMPILE("; {} sequence gap{} (lost_segment: a later segment seen first): {} filled by reordering "
                           "(not lost), {} by a retransmission, {} never filled in the capture"),
               gaps, gaps == 1 ? "" : "s", by_reordering, by_resend, unfilled);
    }
    const auto reordered = s.dir[0].reordered_segments + s.dir[1].reordered_segments;
    if (reordered != by_reordering)  // otherwise the gap count just said it
        append(out, FMT_COMPILE("; {} segment{} reordered in the network (not lost)"), reordered,
               reordered == 1 ? "" : "s");
    const auto drops = s.dir[0].capture_drops + s.dir[1].capture_drops;
    if (drops)
        append(out, FMT_COMPILE("; {} byte{} acknowledged that the capture never saw (capture drops, not loss)"),
               s.dir[0].capture_dropped_bytes + s.dir[1].capture_dropped_bytes,
               s.dir[0].capture_dropped_bytes + s.dir[1].capture_dropped_bytes == 1 ? "" : "s");
    const auto& c = s.dir[0];
    const auto& v = s.dir[1];
    append(out, FMT_COMPILE("; {} packet{} ({} from the client, {} from the server)"), c.packets + v.packets,
           c.packets + v.packets == 1 ? "" : "s", c.packets, v.packets);
    // Bytes count each sequence number once (unique_bytes); what the capture carried,
    // retransmissions included, is said beside them when it differs.
    const auto bytes = [&out](const DirectionStats& d, std::string_view way) {
        append(out, FMT_COMPILE(", {} byte{} {}"), d.unique_bytes, d.unique_bytes == 1 ? "" : "s", way);
        if (d.payload_bytes != d.unique_bytes)
            append(out, FMT_COMPILE(" ({} payload bytes captured, retransmissions included)"), d.payload_bytes);
    };
    bytes(c, "client to server");
    bytes(v, "server to client");
    append(out, "; duration ");
    append_human_duration(out, s.duration());
}

}  // namespace tfx::explain
