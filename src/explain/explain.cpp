#include "explain/explain.hpp"

#include <fmt/compile.h>

#include <utility>
#include <array>
#include <bit>

#include "i18n/catalogue.hpp"
#include "tfx/seq.hpp"

// The renderers' append helpers: the sentences are written the way the renderers write.
#include "text/append.hpp"

namespace tfx::explain {

using text::append;
using text::append_fixed;

namespace {
using i18n::Arg;
using i18n::Msg;

std::string_view who(Language lang, Role r) { return i18n::role_word(lang, r); }
std::string_view peer(Language lang, Role r) { return who(lang, peer_of(r)); }

// ", offering MSS 1460, window scale 7, SACK, timestamps" (nothing when nothing is offered).
void append_syn_offer(fmt::memory_buffer& out, const TcpOptions& o, Language lang) {
    bool first = true;
    const auto next = [&] {
        if (first)
            i18n::say(out, lang, Msg::OfferLead);
        else
            append(out, ", ");
        first = false;
    };
    if (o.mss) {
        next();
        i18n::say(out, lang, Msg::OfferMss, {*o.mss});
    }
    if (o.window_scale) {
        next();
        i18n::say(out, lang, Msg::OfferWindowScale, {*o.window_scale});
    }
    if (o.sack_permitted) {
        next();
        i18n::say(out, lang, Msg::OfferSack);
    }
    if (o.timestamps) {
        next();
        i18n::say(out, lang, Msg::OfferTimestamps);
    }
    if (o.fast_open) {
        next();
        i18n::say(out, lang, Msg::OfferFastOpen);
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
void append_byte_range(fmt::memory_buffer& out, std::uint32_t first, std::uint32_t end, Language lang) {
    if (end - first == 1)
        i18n::say(out, lang, Msg::ByteOne, {first});
    else
        i18n::say(out, lang, Msg::ByteRange, {first, end - 1});
}

// "untagged", "VLAN 3136" or "VLAN 100 in 200": a flow key's tags (outer id << 12 | inner id).
void append_vlan_tags(fmt::memory_buffer& out, std::uint32_t tags, Language lang) {
    if (tags == 0)
        i18n::say(out, lang, Msg::Untagged);
    else if (tags < 4096)
        i18n::say(out, lang, Msg::Vlan, {tags});
    else
        i18n::say(out, lang, Msg::VlanInVlan, {tags & 0xfffU, tags >> 12});
}

// The retransmission finding of a segment, if it has one.
const Annotation* resend_finding(const AnnotatedSegment& s) {
    for (const auto& a : s.notes())
        if (a.code == AnnotationCode::Retransmission || a.code == AnnotationCode::FastRetransmission ||
            a.code == AnnotationCode::SpuriousRetransmission)
            return &a;
    return nullptr;
}

// A byte text the sentences take as a parameter, built off the per-segment path.
using Scratch = fmt::memory_buffer;
std::string_view view(const Scratch& b) { return {b.data(), b.size()}; }

// What the SACK blocks of an ACK say (RFC 2018 §3, RFC 2883 §4): the receiver holds the
// blocks above its cumulative ACK and misses what lies between; a first block below the ACK
// (or inside the second one) is a D-SACK: bytes received twice. Writes ": it holds ..." and
// returns true, or writes nothing and returns false when the segment carries no block.
bool append_sack_meaning(fmt::memory_buffer& out, const AnnotatedSegment& s, const Numbers& n, std::string_view other,
                         Language lang) {
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
    const auto range = [&](Scratch& to, std::uint32_t left, std::uint32_t right) {
        append_byte_range(to, n.sack(left), n.sack(right), lang);
    };
    if (dsack != nullptr) {
        // Sequence number 0 acknowledged by ack 1 is the peer's SYN, not a byte: in a
        // simultaneous open each SYN-ACK repeats the SYN that was already received.
        if (n.sack(dsack->left) == n.peer(0) && dsack->right - dsack->left == 1 && s.rel_ack == 1) {
            i18n::say(out, lang, Msg::SackDsackSyn, {other, n.peer(0)});
        } else {
            Scratch twice;
            range(twice, dsack->left, dsack->right);
            i18n::say(out, lang, Msg::SackDsackBytes, {other, view(twice)});
        }
    }
    if (held_count == 0) return true;
    Scratch holds, misses;
    for (std::size_t i = 0; i < held_count; ++i) {
        if (i > 0) append(holds, ", ");
        range(holds, held[i].left, held[i].right);
    }
    SeqNum next = ack;
    std::string_view separator;
    for (std::size_t i = 0; i < held_count; ++i) {
        if (seq_before(next, SeqNum{held[i].left})) {
            append(misses, separator);
            separator = ", ";
            range(misses, next.raw(), held[i].left);
        }
        if (seq_after(SeqNum{held[i].right}, next)) next = SeqNum{held[i].right};
    }
    i18n::say(out, lang, dsack != nullptr ? Msg::SackAlsoHolds : Msg::SackHolds, {other, view(holds), view(misses)});
    return true;
}

// The sequence number a FIN takes (RFC 9293 §3.4: it follows the segment's last byte) and
// the data it carries: "; the FIN takes sequence number 7, so its ACK is 8" or
// ": its last 904 bytes (39097-40000) travel with the FIN, which takes sequence number 40001
// (its ACK is 40002)".
void append_fin_clause(fmt::memory_buffer& out, const AnnotatedSegment& s, const Numbers& n, Language lang) {
    const std::uint32_t fin = n.own(std::int64_t{s.rel_seq} + s.payload_len);
    if (s.payload_len == 0) {
        i18n::say(out, lang, Msg::FinTakes, {fin, fin + 1});
        return;
    }
    Scratch bytes;
    append_byte_range(bytes, n.own(s.rel_seq), fin, lang);
    i18n::say(out, lang, Msg::FinWithData, {s.payload_len, view(bytes), fin, fin + 1});
}

// " (ack 8: the FIN took sequence number 7)": why the ACK of a FIN is the FIN's number + 1.
void append_fin_ack(fmt::memory_buffer& out, const AnnotatedSegment& s, const Numbers& n, Language lang) {
    i18n::say(out, lang, Msg::FinAck, {n.peer(s.rel_ack), n.peer(s.rel_ack) - 1});
}

// " The window scale was set on SYNs the capture missed: ..." (tshark: factor -1).
void append_unknown_scale(fmt::memory_buffer& out, const AnnotatedSegment& s, Language lang) {
    if (!s.window_scale_unknown) return;
    i18n::say(out, lang, Msg::UnknownScale, {s.window_raw});
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

void append_human_duration(fmt::memory_buffer& out, Duration d, Language lang) { i18n::append_duration(out, d, lang); }

std::string human_duration(Duration d, Language lang) {
    return to_string_with([d, lang](fmt::memory_buffer& out) { append_human_duration(out, d, lang); });
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

void append_meaning_sentence(fmt::memory_buffer& out, const AnnotatedSegment& s, Numbering numbering, Language lang) {
    const std::string_view me = who(lang, s.sender);
    const std::string_view other = peer(lang, s.sender);
    const bool psh = s.flags & tcpflag::kPsh;
    const Numbers n(s, numbering);
    const auto say = [&](Msg id, std::initializer_list<Arg> args = {}) { i18n::say(out, lang, id, args); };
    switch (s.meaning) {
        case SegmentMeaning::Undecodable: say(Msg::Undecodable); return;
        case SegmentMeaning::ConnectionRequest:
            say(Msg::ConnectionRequest);
            append_syn_offer(out, s.options, lang);
            // RFC 9293 §3.4: the SYN occupies the ISN, so the first data byte is ISN + 1.
            say(Msg::SynTakesOne, {n.own(s.rel_seq), n.own(std::int64_t{s.rel_seq} + 1)});
            if (s.payload_len > 0) say(Msg::SynCarries, {s.payload_len});
            out.push_back('.');
            return;
        case SegmentMeaning::SynRetransmitted: say(Msg::SynAgain, {me}); return;
        case SegmentMeaning::SimultaneousSyn:
            say(Msg::SimultaneousSyn, {me, other});
            append_syn_offer(out, s.options, lang);
            out.push_back('.');
            return;
        case SegmentMeaning::ConnectionAccepted:
            // The listening socket's TCP answers by itself: the application's accept()
            // only later takes the established connection from the queue.
            say(Msg::ConnectionAccepted, {me, other, n.peer(s.rel_ack), n.peer(s.rel_ack) - 1});
            append_syn_offer(out, s.options, lang);
            out.push_back('.');
            return;
        case SegmentMeaning::SimultaneousSynAck: say(Msg::SimultaneousSynAck, {me, other}); return;
        case SegmentMeaning::HandshakeComplete:
            if (s.payload_len > 0)
                say(Msg::HandshakeCompleteWithData, {me, other, s.payload_len});
            else
                say(Msg::HandshakeComplete, {me, other});
            if (s.window_scaled && s.window_raw > 0 && s.window != s.window_raw) {
                // RFC 7323 §2.2: the SYNs' windows are never scaled; the others always are.
                const auto shift = std::bit_width(s.window) - std::bit_width(std::uint64_t{s.window_raw});
                say(Msg::WindowScalingStarts, {s.window, s.window_raw, shift});
            }
            return;
        case SegmentMeaning::Data: {
            const std::uint32_t first = n.own(s.rel_seq);
            const std::uint32_t end = n.own(std::int64_t{s.rel_seq} + s.payload_len);
            if (const Annotation* resend = resend_finding(s)) {
                say(Msg::DataResent, {me, s.payload_len});
                append_byte_range(out, first, end, lang);
                if (resend->code == AnnotationCode::SpuriousRetransmission)
                    say(Msg::ResentSpurious, {other});
                else if (resend->related)
                    say(Msg::ResentOf, {resend->related});
                else
                    say(Msg::ResentOriginalMissing);
                out.push_back('.');
                return;
            }
            say(Msg::DataSent, {me, s.payload_len});
            append_byte_range(out, first, end, lang);
            say(Msg::DataNext, {end});
            if (psh) say(Msg::DataPush);
            out.push_back('.');
            return;
        }
        case SegmentMeaning::DataNoAck: say(Msg::DataNoAck, {me, s.payload_len}); return;
        case SegmentMeaning::Ack:
            // RFC 9293 §3.4: the acknowledgment number is the next sequence number expected.
            say(Msg::AckBytes, {me, other, n.peer(s.rel_ack) - 1, n.peer(s.rel_ack)});
            append_sack_meaning(out, s, n, other, lang);
            out.push_back('.');
            return;
        case SegmentMeaning::AckNothingNew:
            say(Msg::AckNothingNew, {me, n.peer(s.rel_ack)});
            append_sack_meaning(out, s, n, other, lang);
            out.push_back('.');
            return;
        case SegmentMeaning::CloseRequest:
            say(Msg::CloseRequest, {me});
            append_fin_clause(out, s, n, lang);
            out.push_back('.');
            return;
        case SegmentMeaning::CloseReply:
            if (s.step == 2) {
                say(Msg::AcksFin, {me, other});
                append_fin_ack(out, s, n, lang);
                say(Msg::ClosesOwnSideToo);
            } else {
                say(Msg::ClosesSideAsWell, {me});
            }
            append_fin_clause(out, s, n, lang);
            out.push_back('.');
            return;
        case SegmentMeaning::SimultaneousClose: say(Msg::SimultaneousClose, {me, other}); return;
        case SegmentMeaning::FinAcked:
            say(Msg::AcksFin, {me, other});
            append_fin_ack(out, s, n, lang);
            say(Msg::HalfCloseMaySend);
            return;
        case SegmentMeaning::FinalAck:
            for (const auto& c : s.state_changes())
                if (c.endpoint == s.sender && c.to == TcpState::Closing) {
                    say(Msg::FinsCrossed, {me, other});
                    for (const auto& a : s.notes())
                        if (a.code == AnnotationCode::SentBeforeReceiving) {
                            say(Msg::FinsCrossedLate, {me, other, a.related});
                            if (a.a)
                                say(Msg::FinsCrossedByTimestamp, {a.b, a.related});
                            else
                                say(Msg::FinsCrossedByOrder, {other});
                        }
                    return;
                }
            // RFC 9293 §3.6 and §3.4 (Knowing When to Keep Quiet): TIME-WAIT lasts 2 MSL.
            say(Msg::AcksFin, {me, other});
            append_fin_ack(out, s, n, lang);
            say(Msg::ClosedTimeWait, {me});
            return;
        case SegmentMeaning::Refused: say(Msg::Refused, {me, s.src.port}); return;
        case SegmentMeaning::FinRetransmitted:
            say(Msg::FinAgain, {me, other});
            for (const auto& c : s.state_changes())
                if (c.endpoint == s.sender && c.from != c.to) {
                    say(Msg::FinCopyAcks, {other});
                    break;
                }
            return;
        case SegmentMeaning::Probe: {
            const Msg kind = (s.flags & 0x3f) == 0 ? Msg::ProbeNull
                             : (s.flags & (tcpflag::kFin | tcpflag::kPsh | tcpflag::kUrg)) ==
                                     (tcpflag::kFin | tcpflag::kPsh | tcpflag::kUrg)
                                 ? Msg::ProbeXmas
                             : (s.flags & tcpflag::kFin) ? Msg::ProbeFin
                                                         : Msg::ProbeNoAck;
            say(Msg::Probe, {me, i18n::word(lang, kind), s.dst.port});
            return;
        }
        case SegmentMeaning::ProbeReset:
            // Only an ACK-bearing segment draws a RST without ACK (RFC 9293 §3.10.7.1-2).
            say(!(s.flags & tcpflag::kAck) ? Msg::ProbeResetAckScan : Msg::ProbeResetClosed, {me, s.src.port});
            return;
        case SegmentMeaning::NoAck: say(Msg::NoAck, {me}); return;
        case SegmentMeaning::Reset: say(Msg::Reset, {me}); return;
        case SegmentMeaning::ResetAfterClose: say(Msg::ResetAfterClose, {me}); return;
        case SegmentMeaning::MidStream: say(Msg::MidStream, {me}); return;
        case SegmentMeaning::DuplicateAck:
            say(Msg::DuplicateAck, {me, n.peer(s.rel_ack)});
            if (!append_sack_meaning(out, s, n, other, lang)) say(Msg::DuplicateAckGap, {n.peer(s.rel_ack)});
            out.push_back('.');
            return;
        case SegmentMeaning::WindowUpdate:
            if (s.options.sack_count > 0) {
                // tshark calls it a window update, but the new SACK blocks are the news.
                Scratch sack;
                if (append_sack_meaning(sack, s, n, other, lang)) {
                    say(Msg::RepeatsAckNewSack, {me, n.peer(s.rel_ack)});
                    append(out, view(sack));
                    out.push_back('.');
                    return;
                }
            }
            say(Msg::WindowUpdate, {me, s.window});
            if (s.window_scale_unknown) say(Msg::WindowTimesUnknown);
            say(Msg::WindowUpdateEnd);
            return;
        case SegmentMeaning::KeepAlive: say(Msg::KeepAlive, {me, other}); return;
        case SegmentMeaning::KeepAliveAck: say(Msg::KeepAliveAck, {me}); return;
        case SegmentMeaning::ZeroWindowProbe: say(Msg::ZeroWindowProbe, {me, other}); return;
        case SegmentMeaning::ZeroWindowProbeAck:
            say(s.window == 0 ? Msg::ZeroWindowProbeAckClosed : Msg::ZeroWindowProbeAckSmall, {me});
            return;
    }
}

// What a retransmission repeats: its bytes, or, without payload, the flag that takes a
// sequence number (RFC 9293 §3.4: SYN and FIN are retransmitted like data).
Msg what_was_resent(const AnnotatedSegment& s) {
    if (s.payload_len > 0) return Msg::ResentBytes;
    const bool syn = (s.flags & tcpflag::kSyn) != 0;
    if (syn) return (s.flags & tcpflag::kAck) != 0 ? Msg::ResentSynAck : Msg::ResentSyn;
    return (s.flags & tcpflag::kFin) != 0 ? Msg::ResentFin : Msg::ResentSegment;
}

}  // namespace

void append_segment_explanation(fmt::memory_buffer& out, const AnnotatedSegment& s, Numbering numbering,
                                Language lang) {
    append_meaning_sentence(out, s, numbering, lang);
    // Said once per direction, on its first segment (the one whose ISN had to be inferred).
    if (s.window_scale_unknown && s.has(AnnotationCode::IsnInferred)) append_unknown_scale(out, s, lang);
}

std::string explain_segment(const AnnotatedSegment& s, Numbering numbering, Language lang) {
    return to_string_with([&](fmt::memory_buffer& out) { append_segment_explanation(out, s, numbering, lang); });
}

void append_annotation_explanation(fmt::memory_buffer& out, const Annotation& a, const AnnotatedSegment& s,
                                   Numbering numbering, Language lang) {
    const Numbers n(s, numbering);
    const auto say = [&](Msg id, std::initializer_list<Arg> args = {}) { i18n::say(out, lang, id, args); };
    // " of #5" when the finding refers to an earlier frame.
    const auto related = [&] {
        if (a.related) say(Msg::OfFrame, {a.related});
    };
    const auto malformed = [&](Msg id, std::initializer_list<Arg> args = {}) {
        say(Msg::MalformedPrefix);
        say(id, args);
    };
    switch (a.code) {
        case AnnotationCode::Retransmission:
            say(Msg::Retransmission);
            related();
            if (a.a > 0) say(Msg::Earlier, {Duration{a.a}});
            say(what_was_resent(s));
            return;
        case AnnotationCode::FastRetransmission:
            say(Msg::FastRetransmission);
            related();
            if (a.a >= 2)
                say(Msg::FastAfterDupAcks, {a.a, n.own(s.rel_seq)});
            else
                say(Msg::FastBySack, {n.own(s.rel_seq)});
            return;
        case AnnotationCode::SpuriousRetransmission:
            say(Msg::SpuriousRetransmission);
            related();
            say(Msg::SpuriousAllAcked, {n.own(a.a)});
            return;
        case AnnotationCode::OutOfOrder:
            if (a.related)
                say(Msg::OutOfOrderFills, {n.own(s.rel_seq), a.related});
            else
                say(Msg::OutOfOrderLate, {n.own(s.rel_seq), n.own(a.a)});
            return;
        case AnnotationCode::LostSegment: say(Msg::LostSegment, {n.own(a.a), n.own(a.b)}); return;
        case AnnotationCode::AckLostSegment:
            if (a.a > a.b)
                say(Msg::AckedUnseenBelow, {n.peer(a.a), n.peer(a.b)});
            else  // Wireshark's contiguous mark stopped at an earlier gap
                say(Msg::AckedUnseenGap, {n.peer(a.a)});
            return;
        case AnnotationCode::DuplicateAck:
            say(Msg::DuplicateAckNumber, {a.a});
            related();
            say(Msg::StillWaitsFor, {n.peer(s.rel_ack)});
            return;
        case AnnotationCode::ZeroWindow: say(Msg::ZeroWindow, {who(lang, s.sender)}); return;
        case AnnotationCode::ZeroWindowProbe: say(Msg::ZeroWindowProbeFinding); return;
        case AnnotationCode::ZeroWindowProbeAck: say(Msg::ZeroWindowProbeAckFinding); return;
        case AnnotationCode::WindowUpdate:
            say(Msg::WindowUpdateFinding);
            if (a.b) say(Msg::WindowFromTo, {a.a, a.b});
            say(Msg::WithoutNewDataOrAck);
            return;
        case AnnotationCode::WindowFull: say(Msg::WindowFull); return;
        case AnnotationCode::KeepAlive: say(Msg::KeepAliveFinding); return;
        case AnnotationCode::KeepAliveAck: say(Msg::KeepAliveAckFinding); return;
        case AnnotationCode::ReusedPorts: say(Msg::ReusedPorts, {a.related}); return;
        case AnnotationCode::SynRetransmission:
            say(Msg::SynRetransmission);
            related();
            return;
        case AnnotationCode::IllegalTransition:
            say(Msg::IllegalTransition, {to_string(static_cast<TcpState>(a.a)), to_string(static_cast<TcpState>(a.b))});
            return;
        case AnnotationCode::SnaplenTruncated:
            say(Msg::SnaplenTruncated, {a.a});
            if (s.options.truncated) say(Msg::OptionsCut);
            return;
        case AnnotationCode::BadTcpHeaderLen: malformed(Msg::BadTcpHeaderLen, {a.a}); return;
        case AnnotationCode::BadTcpOptionLen: say(Msg::BadTcpOptionLen, {a.a, a.b}); return;
        case AnnotationCode::BadIpHeaderLen: malformed(Msg::BadIpHeaderLen, {a.a}); return;
        case AnnotationCode::BadIpTotalLen: malformed(Msg::BadIpTotalLen, {a.a, a.b}); return;
        case AnnotationCode::IpFragment: say(Msg::IpFragment, {a.a}); return;
        case AnnotationCode::TimestampBackwards: say(Msg::TimestampBackwards, {Duration{a.a}}); return;
        case AnnotationCode::WindowScaleOutOfRange: say(Msg::WindowScaleOutOfRange, {a.a}); return;
        case AnnotationCode::RstWithData: say(Msg::RstWithData, {a.a}); return;
        case AnnotationCode::DataOnSyn: say(Msg::DataOnSyn, {a.a}); return;
        case AnnotationCode::MidStreamStart: say(Msg::MidStreamStart); return;
        case AnnotationCode::RoleGuessed:
            say(Msg::RoleGuessed, {s.sender == Role::Server ? s.src.port : s.dst.port});
            return;
        case AnnotationCode::SynAckWithoutSyn: say(Msg::SynAckWithoutSyn); return;
        case AnnotationCode::SimultaneousOpen: say(Msg::SimultaneousOpen); return;
        case AnnotationCode::RefusalContradicted: say(Msg::RefusalContradicted, {a.related}); return;
        case AnnotationCode::SentBeforeReceiving:
            if (a.a)
                say(Msg::SentBeforeByTimestamp, {a.related, a.b});
            else
                say(Msg::SentBeforeByOrder, {a.related});
            return;
        case AnnotationCode::DataAfterFin: say(Msg::DataAfterFin); return;
        case AnnotationCode::DataAfterReset: say(Msg::DataAfterReset); return;
        case AnnotationCode::SegmentAfterReset: say(Msg::SegmentAfterReset); return;
        case AnnotationCode::AllFlagsSet: say(Msg::AllFlagsSet); return;
        case AnnotationCode::NoFlags: say(Msg::NoFlags); return;
        case AnnotationCode::SynWithFin: say(Msg::SynWithFin); return;
        case AnnotationCode::DuplicateFrame:
            say(Msg::DuplicateFrame);
            related();
            say(Msg::DuplicateFrameWhy);
            return;
        case AnnotationCode::SegmentExceedsMss:
            say(Msg::SegmentExceedsMss, {a.a, a.b, segments_on_the_wire(a.a, a.b)});
            return;
        case AnnotationCode::CaptureDrop:
            say(Msg::CaptureDrop, {who(lang, s.sender), a.a, peer(lang, s.sender), n.peer(a.b)});
            if (a.related) say(Msg::CaptureDropGap, {a.related});
            say(Msg::CaptureDropWhy);
            return;
        case AnnotationCode::IpLengthZero: say(Msg::IpLengthZero); return;
        case AnnotationCode::TruncatedFrame: malformed(Msg::TruncatedFrame); return;
        case AnnotationCode::CaplenExceedsWirelen: say(Msg::CaplenExceedsWirelen); return;
        case AnnotationCode::BadIpv6ExtHeader: malformed(Msg::BadIpv6ExtHeader); return;
        case AnnotationCode::BadIpVersion: malformed(Msg::BadIpVersion); return;
        case AnnotationCode::UnsupportedLinkHeader: say(Msg::UnsupportedLinkHeader); return;
        case AnnotationCode::IpReassembled:
            say(Msg::IpReassembled, {a.a});
            if (a.b) say(Msg::IpReassembledAmbiguous, {a.b});
            return;
        case AnnotationCode::AnalysisLimit: say(Msg::AnalysisLimit); return;
        case AnnotationCode::IdleResumed:
            say(Msg::IdleResumes, {Duration{a.a}});
            if (const auto minutes = a.a / 60'000'000'000; minutes >= 60)
                append(out, FMT_COMPILE(" ({} h {} min)"), minutes / 60, minutes % 60);
            else if (minutes > 0)
                append(out, FMT_COMPILE(" ({} min)"), minutes);
            say(Msg::IdleResumesEnd, {a.related});
            return;
        case AnnotationCode::VlanTaggingDiffers: {
            Scratch mine, theirs;
            append_vlan_tags(mine, static_cast<std::uint32_t>(a.a), lang);
            append_vlan_tags(theirs, static_cast<std::uint32_t>(a.b), lang);
            say(Msg::VlanDiffers, {view(mine), view(theirs)});
            return;
        }
        default: break;
    }
    append(out, code_name(a.code));
}

std::string explain_annotation(const Annotation& a, const AnnotatedSegment& s, Numbering numbering, Language lang) {
    return to_string_with([&](fmt::memory_buffer& out) { append_annotation_explanation(out, a, s, numbering, lang); });
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

void append_conversation_explanation(fmt::memory_buffer& out, const ConversationSummary& s, Language lang) {
    const auto say = [&](Msg id, std::initializer_list<Arg> args = {}) { i18n::say(out, lang, id, args); };
    switch (s.handshake) {
        case HandshakeOutcome::Complete:
            say(Msg::SummaryHandshakeComplete);
            if (s.handshake_rtt) say(Msg::SummaryHandshakeRtt, {*s.handshake_rtt, *s.syn_to_synack, *s.synack_to_ack});
            break;
        case HandshakeOutcome::SimultaneousOpen: say(Msg::SummarySimultaneousOpen); break;
        case HandshakeOutcome::Refused: say(Msg::SummaryRefused); break;
        case HandshakeOutcome::Unanswered: say(Msg::SummaryUnanswered); break;
        case HandshakeOutcome::NoFinalAck: say(Msg::SummaryNoFinalAck); break;
        case HandshakeOutcome::NotSeen: say(Msg::SummaryNotSeen); break;
        case HandshakeOutcome::Probe: say(Msg::SummaryProbe); break;
    }
    const std::string_view by = s.closed_by ? who(lang, *s.closed_by) : std::string_view("?");
    switch (s.close) {
        case CloseKind::Graceful: say(Msg::ClosedGracefully, {by}); break;
        case CloseKind::Simultaneous: say(Msg::SummarySimultaneousClose); break;
        case CloseKind::HalfClosed: say(Msg::HalfClosedBy, {by}); break;
        case CloseKind::ClosingIncomplete: say(Msg::ClosingIncomplete); break;
        case CloseKind::Reset:
            say(Msg::ResetBy, {by});
            // Both sides' RSTs are said, so that Zeek's RSTR (the responder sent one) agrees.
            if (s.closed_by && s.dir[static_cast<std::size_t>(index_of(peer_of(*s.closed_by)))].rsts > 0)
                say(Msg::ResetByPeerToo, {peer(lang, *s.closed_by)});
            break;
        case CloseKind::StillOpen: say(Msg::StillOpen); break;
        case CloseKind::NeverOpened: break;
    }
    if (s.data_after_close) say(Msg::DataAfterClose);
    // Equal legs on one host are the loopback's, not a midpoint on a path.
    if (on_one_host(s.client, s.server))
        say(Msg::CapturedOnHost);
    else
        switch (s.vantage) {
            case VantagePoint::NearClient: say(Msg::CapturedNearClient); break;
            case VantagePoint::NearServer: say(Msg::CapturedNearServer); break;
            case VantagePoint::InBetween: say(Msg::CapturedBetween); break;
            case VantagePoint::Unknown: break;
        }
    if (s.time_to_first_byte) say(Msg::FirstResponseByte, {*s.time_to_first_byte});
    if (s.exchanges) say(Msg::Exchanges, {s.exchanges, s.server_think_sum / s.exchanges, s.server_think_max});
    // The RTT of each side's segments is measured by the other side's ACKs (dir[1] holds
    // the samples of the ACKs the server sent: the client's segments, SYN and FIN included).
    if (s.dir[0].rtt_samples + s.dir[1].rtt_samples) {
        say(Msg::AckRttLead);
        std::string_view separator;
        for (std::size_t d = 0; d < 2; ++d) {
            const DirectionStats& acks = s.dir[1 - d];
            if (acks.rtt_samples == 0) continue;
            append(out, separator);
            separator = ", ";
            say(Msg::AckRttSide, {who(lang, d == 0 ? Role::Client : Role::Server), acks.rtt_min,
                                  acks.rtt_sum / acks.rtt_samples, acks.rtt_max, acks.rtt_samples});
        }
    }
    const auto stalls = s.dir[0].stalls + s.dir[1].stalls;
    if (stalls) {
        say(Msg::Stalls, {stalls});
        std::string_view separator;
        for (std::size_t d = 0; d < 2; ++d) {
            if (s.dir[d].stalls == 0) continue;
            append(out, separator);
            separator = ", ";
            say(Msg::StallSide, {s.dir[d].stall_time, who(lang, d == 0 ? Role::Client : Role::Server)});
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
        say(Msg::SequenceGaps, {gaps, by_reordering, by_resend, unfilled});
    }
    const auto reordered = s.dir[0].reordered_segments + s.dir[1].reordered_segments;
    if (reordered != by_reordering)  // otherwise the gap count just said it
        say(Msg::Reordered, {reordered});
    const auto drops = s.dir[0].capture_drops + s.dir[1].capture_drops;
    if (drops) say(Msg::CaptureDropsSummary, {s.dir[0].capture_dropped_bytes + s.dir[1].capture_dropped_bytes});
    const auto& c = s.dir[0];
    const auto& v = s.dir[1];
    say(Msg::Packets, {c.packets + v.packets, c.packets, v.packets});
    // Bytes count each sequence number once (unique_bytes); what the capture carried,
    // retransmissions included, is said beside them when it differs.
    const auto bytes = [&](const DirectionStats& d, Msg way) {
        say(way, {d.unique_bytes});
        if (d.payload_bytes != d.unique_bytes) say(Msg::PayloadWithRetransmissions, {d.payload_bytes});
    };
    bytes(c, Msg::BytesClientToServer);
    bytes(v, Msg::BytesServerToClient);
    say(Msg::SummaryDuration, {s.duration()});
}

}  // namespace tfx::explain
