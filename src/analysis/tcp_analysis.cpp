#include "analysis/tcp_analysis.hpp"

#include <algorithm>
#include <chrono>

#include "analysis/diagnosis.hpp"
#include "analysis/reorder.hpp"
#include "analysis/timing.hpp"
#include "analysis/unacked_list.hpp"
#include "analysis/zeek_history.hpp"
#include "tfx/conversation.hpp"
#include "tfx/seq.hpp"

// The rules below follow Wireshark 4.0.17 tcp_analyze_sequence_number() step by step
// (docs/analysis.md, "Wireshark's rules", numbered the same way), with the deviations listed in
// docs/analysis.md: explicit "known" flags instead of Wireshark's 0 sentinels, the
// simultaneous-open SYN-ACK, Linux zero-window probes, duplicate frames, Karn's rule.

namespace tfx::analysis {

namespace {

using namespace std::chrono_literals;

// Wireshark analysis flag bits (only kept to test the peer's previous segment).
constexpr std::uint32_t kAfKeepAlive = 1U << 0;
constexpr std::uint32_t kAfZeroWindowProbe = 1U << 1;
// Not a finding: the stored window came from a SYN, which is never scaled (RFC 7323 §2.2).
constexpr std::uint32_t kAfWindowFromSyn = 1U << 2;

// Wireshark: fast retransmission must follow the peer's last (dup) ACK within 20 ms.
constexpr Duration kFastRetransmissionWindow = 20ms;
// Wireshark: out-of-order threshold when the initial RTT is unknown.
constexpr Duration kDefaultOooThreshold = 3ms;
// Wireshark: bytes in flight are shown only below this.
constexpr std::int64_t kMaxBytesInFlight = 2'000'000'000;

constexpr std::uint16_t kSfr = tcpflag::kSyn | tcpflag::kFin | tcpflag::kRst;

// Whether `f` repeats the previous frame of its direction (the same seq, ack, length, flags
// and IP id) where this direction's IP id otherwise changes with every packet.
bool duplicate_frame(DirectionState& fwd, const SegmentFacts& f) {
    if (f.ip_version != 4 || f.ip_id == 0) {
        fwd.prev_valid = false;
        return false;
    }
    bool dup = false;
    if (fwd.prev_valid) {
        const bool same_segment =
            f.seq == fwd.prev_seq && f.ack == fwd.prev_ack && f.seglen == fwd.prev_len && f.flags == fwd.prev_flags;
        if (f.ip_id != fwd.prev_ip_id) {
            fwd.ip_id_changes = true;
        } else if (!same_segment) {
            fwd.ip_id_reused = true;  // constant id: useless as evidence
        } else {
            dup = fwd.ip_id_changes && !fwd.ip_id_reused;
        }
    }
    fwd.prev_valid = true;
    fwd.prev_ip_id = f.ip_id;
    fwd.prev_seq = f.seq;
    fwd.prev_ack = f.ack;
    fwd.prev_len = f.seglen;
    fwd.prev_flags = f.flags;
    return dup;
}

std::optional<std::uint32_t> bytes_in_flight(const DirectionState& fwd, const DirectionState& rev, bool syn_or_fin) {
    const UnackedList& l = fwd.unacked;
    if (l.empty()) {
        return std::nullopt;
    }
    const auto [first, last] = l.extent();
    std::int64_t in_flight = last - first;
    for (std::uint8_t i = 0; i < rev.sack_count; ++i) {
        in_flight -= static_cast<std::int32_t>(rev.rare->sack[i].right - rev.rare->sack[i].left);
    }
    if (syn_or_fin) {
        in_flight -= 1;
    }
    if (in_flight > 0 && in_flight < kMaxBytesInFlight) {
        return static_cast<std::uint32_t>(in_flight);
    }
    return std::nullopt;
}

void match_acks(DirectionState& fwd, DirectionState& rev, const SegmentFacts& f, AnnotatedSegment& out) {
    // Step 14: the peer's unacked segments this ACK covers. Wireshark walks newest first and
    // the last exact match wins, i.e. the oldest entry with nextseq == ack (not Karn-safe).
    UnackedList& l = rev.unacked;
    if (l.empty()) {
        return;
    }
    const SeqNum ack{f.ack};
    const UnackedSegment* match = nullptr;
    UnackedSegment matched{};
    bool ambiguous = false;
    const auto consider = [&](const UnackedSegment& e) {
        // true = keep
        if (e.nextseq == ack) {
            if (match == nullptr) {
                matched = e;
                match = &matched;
            }
            ambiguous = ambiguous || e.resent;
            return false;
        }
        if (seq_after(ack, e.seq) && !seq_after(ack, e.nextseq)) {
            return true;  // partial: trimmed below
        }
        if (seq_after(e.nextseq, ack)) {
            return true;
        }
        ambiguous = ambiguous || e.resent;
        return false;  // older: removed silently
    };
    const auto trim = [&](UnackedSegment& e) {
        if (seq_after(ack, e.seq) && !seq_after(ack, e.nextseq)) {
            e.seq = ack;
        }
    };
    if (l.sorted()) {
        while (!l.empty() && !consider(l.at(0))) {
            l.pop_front();
        }
        for (std::size_t i = 0; i < l.size() && seq_after(ack, l.at(i).seq); ++i) {
            trim(l.at(i));
        }
    } else {
        l.compact([&](UnackedSegment& e) {
            if (!consider(e)) {
                return false;
            }
            trim(e);
            return true;
        });
    }
    if (match != nullptr) {
        out.acks_frame = matched.frame;
        const Duration rtt = f.ts - matched.ts;
        out.ack_rtt = rtt;
        // Karn's rule for the statistics: no sample from an ACK covering resent data. Nor from
        // an ACK that passed before its segment: the capture clock went back, not the network.
        if (!ambiguous && rtt >= Duration::zero()) {
            add_rtt_sample(fwd.stats, rtt);
        }
    }
}

// One segment as the steps of ConnectionAnalyzer::analyze() see it: its facts, the two
// directions, and what the earlier steps found.
struct Segment {
    Segment(AnalyzerState& st, const SegmentFacts& facts, AnnotatedSegment& annotated)
        : f(facts),
          out(annotated),
          d(facts.dir & 1),
          fwd(st.dirs[static_cast<std::size_t>(d)]),
          rev(st.dirs[static_cast<std::size_t>(d ^ 1)]),
          syn((facts.flags & tcpflag::kSyn) != 0),
          fin((facts.flags & tcpflag::kFin) != 0),
          rst((facts.flags & tcpflag::kRst) != 0),
          ackf((facts.flags & tcpflag::kAck) != 0),
          no_sfr((facts.flags & kSfr) == 0),
          pure_syn(syn && !ackf),
          seglen(facts.seglen),
          win(facts.window_raw),
          now(facts.ts),
          seq(facts.seq),
          seg_end(seq + seglen) {}

    const SegmentFacts& f;
    AnnotatedSegment& out;
    const int d;
    DirectionState& fwd;
    DirectionState& rev;
    const bool syn;
    const bool fin;
    const bool rst;
    const bool ackf;
    const bool no_sfr;
    const bool pure_syn;
    const std::uint32_t seglen;
    const std::uint16_t win;
    const Timestamp now;
    const SeqNum seq;
    const SeqNum seg_end;

    // Found by the steps, in their order.
    bool dup_frame = false;
    bool repeated_syn = false;
    bool repeated_synack = false;
    bool simultaneous_synack = false;
    bool at_next = false;
    bool same_ack = false;
    bool rev_ack_known = false;
    std::uint32_t af = 0;      ///< Wireshark analysis flags (kAf*)
    bool keep_alive = false;   ///< Wireshark skips the retransmission tests for these
    bool linux_probe = false;  ///< ... and we for these
    bool late_or_resent = false;
    bool resent = false;

    [[nodiscard]] std::int64_t rel_seq(SeqNum s) const { return relative_to(s.raw(), f.own_base); }
    [[nodiscard]] std::int64_t rel_ack(std::uint32_t a) const { return relative_to(a, f.peer_base); }
};

// Capture artefacts. (A clock going backwards is annotated once, by the session, which sees
// every frame of the capture.)
void note_capture_artefacts(Segment& s) {
    s.dup_frame = duplicate_frame(s.fwd, s.f);
    if (s.dup_frame) {
        s.out.add({.code = AnnotationCode::DuplicateFrame, .related = s.fwd.last_frame});
    }
    if (s.rev.mss && s.seglen > *s.rev.mss) {
        s.out.add({.code = AnnotationCode::SegmentExceedsMss, .a = s.seglen, .b = *s.rev.mss});
    }
}

// dissect_tcp() bookkeeping that precedes the analysis: window scaling and MSS.
void note_syn_options(Segment& s) {
    DirectionState& fwd = s.fwd;
    if (s.syn) {
        const TcpOptions* o = s.f.options;
        if (o != nullptr && o->window_scale) {
            fwd.win_scale = std::min<int>(*o->window_scale, 14);
        }
        if (o != nullptr && o->mss) {
            fwd.mss = *o->mss;
        }
        if (fwd.win_scale == -1) {
            fwd.win_scale = -2;  // this SYN has no WS: neither side scales
            s.rev.win_scale = -2;
        } else if (s.ackf && s.rev.win_scale == -2) {
            fwd.win_scale = -2;
        }
        fwd.is_first_ack = true;
    } else if (s.ackf) {
        fwd.is_first_ack = false;
    }
}

// A SYN repeated with the same ISN (Wireshark: not a new conversation) rewinds nextseq.
void note_repeated_syn(Segment& s) {
    DirectionState& fwd = s.fwd;
    s.repeated_syn = s.pure_syn && fwd.sent_syn && s.seq == fwd.syn_seq;
    s.repeated_synack = s.syn && s.ackf && fwd.sent_synack && s.seq == fwd.synack_seq;
    // RFC 9293 §3.5 Figure 7: in a simultaneous open each side answers the crossing SYN with a
    // SYN-ACK carrying its own ISN again; Wireshark 4.0 calls it a retransmission.
    s.simultaneous_synack =
        s.syn && s.ackf && !fwd.sent_synack && fwd.sent_syn && s.seq == fwd.syn_seq && s.rev.sent_syn;
    if (s.repeated_syn && fwd.has_maxseqtobeacked) {
        fwd.nextseq = fwd.maxseqtobeacked;
    }
}

// What steps 1 to 10 compare: the segment with its direction's nextseq and latest ACK.
void compare_with_direction(Segment& s) {
    if (s.ackf) {
        s.rev.valid_bif = true;
    }
    s.at_next = s.fwd.has_nextseq && s.seq == s.fwd.nextseq;
    // Wireshark compares with lastack even when it came from a SYN's unused ack field (0):
    // at peer ISN 2^32-1 the handshake's ACK (ack 0) would be a "duplicate". Not here.
    s.same_ack = s.fwd.lastack_set && s.f.ack == s.fwd.lastack;
    s.rev_ack_known = s.rev.lastack_set;
}

// Steps 1 and 1b; true for a zero-window probe, which skips steps 2 to 9.
bool note_zero_window_probe(Segment& s) {
    // 1. Zero-window probe (Wireshark): one byte at nextseq into a zero window.
    const bool wireshark_probe = s.seglen == 1 && s.at_next && s.rev.window == 0;
    // 1b. (ours) Linux probe: 0 or 1 byte at snd_una - 1 (peer's ack - 1) into a zero window.
    s.linux_probe = !wireshark_probe && s.seglen <= 1 && s.no_sfr && s.rev.window == 0 && s.rev_ack_known &&
                    s.seq == SeqNum{s.rev.lastack} - 1U;
    if (!wireshark_probe && !s.linux_probe) {
        return false;
    }
    s.af |= kAfZeroWindowProbe;
    s.out.add({.code = AnnotationCode::ZeroWindowProbe, .a = s.rel_seq(s.seq)});
    return true;
}

// 2. Zero window.
void note_zero_window(Segment& s) {
    if (s.win == 0 && s.no_sfr) {
        s.out.add({.code = AnnotationCode::ZeroWindow});
    }
}

// 3. Previous segment not captured.
void note_lost_segment(Segment& s) {
    DirectionState& fwd = s.fwd;
    if (fwd.has_nextseq && seq_after(s.seq, fwd.nextseq) && !s.rst) {
        s.out.add({.code = AnnotationCode::LostSegment, .a = s.rel_seq(fwd.nextseq), .b = s.rel_seq(s.seq)});
        fwd.valid_bif = false;
        ++fwd.stats.use_rare().gaps_opened;
        open_gap(fwd, fwd.nextseq, s.seq, s.f.frame, s.now);
    }
}

// 4. Keep-alive.
void note_keep_alive(Segment& s) {
    if (s.seglen <= 1 && s.fwd.has_nextseq && s.seq == s.fwd.nextseq - 1U && s.no_sfr) {
        s.af |= kAfKeepAlive;
        s.keep_alive = true;
        s.out.add({.code = AnnotationCode::KeepAlive, .a = s.rel_seq(s.seq), .b = s.rel_seq(s.fwd.nextseq)});
    }
}

// 5. Window update.
void note_window_update(Segment& s) {
    const DirectionState& fwd = s.fwd;
    if (s.seglen == 0 && s.win != 0 && s.win != fwd.window && s.at_next && s.same_ack && s.no_sfr) {
        const int shift = fwd.win_scale >= 0 ? fwd.win_scale : 0;
        const int old_shift = (fwd.lastsegmentflags & kAfWindowFromSyn) != 0 ? 0 : shift;
        s.out.add({.code = AnnotationCode::WindowUpdate,
                   .a = static_cast<std::int64_t>(fwd.window) << old_shift,
                   .b = static_cast<std::int64_t>(s.win) << shift});
    }
}

// 6. Window full: the segment ends exactly at the peer's right window edge.
void note_window_full(Segment& s) {
    const DirectionState& rev = s.rev;
    if (s.seglen > 0 && rev.win_scale != -1 && s.no_sfr) {
        const int shift = (rev.is_first_ack || rev.win_scale == -2) ? 0 : rev.win_scale;
        const std::uint32_t edge = rev.lastack + (static_cast<std::uint32_t>(rev.window) << shift);
        if (s.seg_end == SeqNum{edge}) {
            s.out.add({.code = AnnotationCode::WindowFull,
                       .a = s.rel_seq(s.seg_end),
                       .b = static_cast<std::int64_t>(rev.window) << shift});
        }
    }
}

// Steps 7 and 8; true for the ACK of the peer's keep-alive or zero-window probe, which skips
// step 9.
bool note_probe_ack(Segment& s) {
    if (s.seglen != 0 || s.win != s.fwd.window || !s.at_next || !s.same_ack || !s.no_sfr) {
        return false;
    }
    // 7. Keep-alive ACK.
    if (s.win != 0 && (s.rev.lastsegmentflags & kAfKeepAlive) != 0) {
        s.out.add({.code = AnnotationCode::KeepAliveAck, .related = s.rev.last_frame});
        return true;
    }
    // 8. Zero-window-probe ACK.
    if (s.win == 0 && (s.rev.lastsegmentflags & kAfZeroWindowProbe) != 0) {
        s.out.add({.code = AnnotationCode::ZeroWindowProbeAck, .related = s.rev.last_frame});
        return true;
    }
    return false;
}

// 9. Duplicate ACK.
void note_duplicate_ack(Segment& s) {
    DirectionState& fwd = s.fwd;
    if (s.seglen == 0 && s.win != 0 && s.win == fwd.window && s.at_next && s.same_ack && s.no_sfr) {
        fwd.dupacknum = fwd.dupacknum < 0 ? 1 : fwd.dupacknum + 1;
        s.out.add({.code = AnnotationCode::DuplicateAck,
                   .related = fwd.lastnondupack,
                   .a = fwd.dupacknum,
                   .b = s.rel_ack(s.f.ack)});
    }
}

// 10. A new ACK value resets the dup-ACK count.
void reset_dup_ack_count(Segment& s) {
    if (!s.same_ack) {
        s.fwd.lastnondupack = s.f.frame;
        s.fwd.dupacknum = 0;
    }
}

// 11. ACKed unseen segment.
void note_acked_unseen(Segment& s) {
    DirectionState& rev = s.rev;
    if (!rev.has_maxseqtobeacked || !s.ackf || !seq_after(SeqNum{s.f.ack}, rev.maxseqtobeacked)) {
        return;
    }
    bool flag = false;
    if (rev.has_nextseq && seq_before(rev.maxseqtobeacked, rev.nextseq)) {
        rev.maxseqtobeacked = rev.nextseq;
        flag = true;
    } else if (rev.dupacknum == 0) {
        flag = true;
        rev.dupacknum = -1;
    }
    if (flag) {
        s.out.add({.code = AnnotationCode::AckLostSegment,
                   .a = s.rel_ack(s.f.ack),
                   .b = rev.has_nextseq ? s.rel_ack(rev.nextseq.raw()) : 0});
    }
}

// What step 12 found about a segment.
struct ResendFinding {
    AnnotationCode code{};
    std::int64_t a = 0;
    FrameIndex gap_frame = 0;  ///< the frame that reported the gap an out-of-order segment fills
    bool found = false;
};

// Wireshark 4.0: >= 2 dup ACKs asking for exactly this seq, the last < 20 ms ago.
bool wireshark_fast_retransmission(const Segment& s) {
    const DirectionState& rev = s.rev;
    return (rev.dupacknum >= 2 || rev.dupacknum < 0) && rev.lastack == s.seq.raw() &&
           s.now - rev.lastacktime < kFastRetransmissionWindow;
}

// Ours (RFC 6675): the receiver's latest ACK carries SACK blocks above a hole that contains
// these bytes, and the resend follows it within Wireshark's 20 ms plus one initial RTT (the
// round trip a receiver-side capture sees; an RTO retransmission comes at least RTO_min =
// 200 ms + SRTT after the last ACK). When the snaplen cut the peer's options (SACK blocks
// unknown), its ongoing dup ACKs (>= 2 for an ack at or below this seq) say the same: the
// sender is in recovery.
bool receiver_asked(const Segment& s, std::optional<Duration> irtt) {
    const DirectionState& rev = s.rev;
    const Duration fast_window =
        kFastRetransmissionWindow +
        (irtt ? std::min(*irtt, Duration::max() - kFastRetransmissionWindow) : Duration::zero());
    return rev.seen && s.now - rev.lastacktime < fast_window &&
           (sack_hole(rev, s.seq, s.seg_end) || (rev.last_opts_truncated && (rev.dupacknum >= 2 || rev.dupacknum < 0) &&
                                                 rev.lastack_set && !seq_before(s.seq, SeqNum{rev.lastack})));
}

// Step 12 for a segment below nextseq: bytes sent before are a retransmission (fast when the
// receiver asked for them); bytes never seen are out-of-order when the send-order evidence
// says they were sent before the higher segments; without evidence Wireshark's answer stands.
ResendFinding judge_old_bytes(Segment& s, std::optional<Duration> irtt, SeqNum end) {
    DirectionState& fwd = s.fwd;
    // A segment that also carries bytes beyond nextseq is partly new: our rules do not judge
    // it and Wireshark's answer stands (nDPI's overlapping-payload traces).
    const bool straddles = seq_after(end, fwd.nextseq);
    const bool sent_before = !straddles && ((s.rev_ack_known && seq_before(s.seq, SeqNum{s.rev.lastack})) ||
                                            fwd.unacked.overlaps(s.seq, end));
    DirectionState::Gap* gap = sent_before || straddles ? nullptr : find_gap(fwd, s.seq, end);
    // SYNs are judged by Wireshark's rules and ours for repeated SYNs only.
    const SendOrder order = sent_before          ? SendOrder::Later
                            : straddles || s.syn ? SendOrder::Unknown
                                                 : send_order(fwd, s.f, gap, irtt);
    const bool ws_fast = wireshark_fast_retransmission(s);
    const Duration thres = irtt && irtt->count() != 0 ? *irtt : kDefaultOooThreshold;
    const bool ws_ooo = s.now - fwd.nextseqtime < thres && fwd.nextseq != end;
    ResendFinding r{.found = true};
    if (order == SendOrder::Earlier) {
        r.code = AnnotationCode::OutOfOrder;  // an original overtaken: reordering
    } else if (order == SendOrder::Later) {
        r.code =
            ws_fast || receiver_asked(s, irtt) ? AnnotationCode::FastRetransmission : AnnotationCode::Retransmission;
    } else if (ws_fast) {
        r.code = AnnotationCode::FastRetransmission;  // no evidence: Wireshark's answer
    } else if (ws_ooo) {
        r.code = AnnotationCode::OutOfOrder;
    } else {
        r.code = AnnotationCode::Retransmission;
    }
    if (r.code == AnnotationCode::FastRetransmission) {
        r.a = s.rev.dupacknum;
    } else if (r.code == AnnotationCode::OutOfOrder) {
        r.a = s.rel_seq(fwd.nextseq);
    }
    if (gap != nullptr) {
        r.gap_frame = gap->frame;
        note_gap_filled(fwd, *gap, r.code == AnnotationCode::OutOfOrder, s.seq, end);
    }
    return r;
}

// Annotates what step 12 found, and applies Karn's rule: every range sent twice makes its
// RTT samples ambiguous. The original transmission is the oldest unacked entry overlapping
// this segment.
void report_resend(Segment& s, const ResendFinding& r, SeqNum end) {
    const bool syn_repeat = s.repeated_syn || s.repeated_synack;
    if (!(r.found || syn_repeat || s.simultaneous_synack) || s.dup_frame) {
        return;
    }
    DirectionState& fwd = s.fwd;
    const bool is_ooo = r.found && r.code == AnnotationCode::OutOfOrder;
    const UnackedSegment* original = is_ooo ? nullptr : fwd.unacked.mark_resent(s.seq, end);
    s.resent = !is_ooo;
    FrameIndex related = original != nullptr ? original->frame : 0;
    if (r.found) {
        std::int64_t a = r.a;
        if (r.code == AnnotationCode::Retransmission) {
            a = original != nullptr ? (s.now - original->ts).count() : 0;
        } else if (is_ooo) {
            related = r.gap_frame;  // "fills the gap reported at #related"
            ++fwd.stats.use_rare().reordered_segments;
        }
        s.out.add({.code = r.code, .related = related, .a = a, .b = s.rel_seq(s.seq)});
        if (!is_ooo) {
            fwd.stats.use_rare().retransmitted_bytes += s.seglen;
        }
        if (!is_ooo && r.code != AnnotationCode::SpuriousRetransmission) {
            note_recovery_resend(fwd, end, s.now);
        }
    }
    if (syn_repeat) {
        s.out.add(
            {.code = AnnotationCode::SynRetransmission, .related = s.repeated_syn ? fwd.syn_frame : fwd.synack_frame});
    }
}

// 12. Retransmission family. Wireshark's tests, then our corrections (deviations 7, 8):
// bytes already sent are never out-of-order; bytes never seen before are out-of-order when
// the send-order evidence says they were sent before the higher segments.
void judge_resend(const AnalyzerState& st, Segment& s) {
    s.late_or_resent = s.dup_frame;
    if ((s.seglen == 0 && !s.syn && !s.fin) || s.keep_alive || s.linux_probe) {
        return;
    }
    const DirectionState& fwd = s.fwd;
    bool not_advanced = fwd.has_nextseq && seq_before(s.seq, fwd.nextseq);
    if (s.seglen > 1 && fwd.has_nextseq && s.seq == fwd.nextseq - 1U) {
        not_advanced = false;  // data after an unacked zero-window-probe byte
    }
    s.late_or_resent = s.late_or_resent || not_advanced;
    const SeqNum end = s.seg_end + ((s.syn || s.fin) ? 1U : 0U);
    ResendFinding r;
    if (s.seglen > 0 && s.rev_ack_known && !seq_after(s.seg_end, SeqNum{s.rev.lastack})) {
        r = {.code = AnnotationCode::SpuriousRetransmission, .a = s.rel_seq(SeqNum{s.rev.lastack}), .found = true};
    } else if (not_advanced) {
        r = judge_old_bytes(s, st.irtt, end);
    }
    if (s.simultaneous_synack) {
        r.found = false;  // our correction: see note_repeated_syn()
    }
    report_resend(s, r, end);
}

// 13. Bookkeeping.
void record_segment(AnalyzerState& st, Segment& s) {
    DirectionState& fwd = s.fwd;
    const bool zwp = (s.af & kAfZeroWindowProbe) != 0;
    SeqNum nextseq = s.seg_end;
    if (s.seglen > 0 || s.syn || s.fin) {
        if (s.syn || s.fin) {
            nextseq = nextseq + 1U;
        }
        if (!fwd.has_seen_end || seq_after(nextseq, fwd.seen_end)) {
            fwd.has_seen_end = true;
            fwd.seen_end = nextseq;
        }
        const bool dropped = fwd.unacked.push({.seq = s.seq,
                                               .nextseq = nextseq,
                                               .ts = s.now,
                                               .frame = s.f.frame & UnackedSegment::kFrameBits,
                                               .resent = s.resent},
                                              st.unacked_bound);
        if (dropped && !st.limit_reported) {
            st.limit_reported = true;
            s.out.add({.code = AnnotationCode::AnalysisLimit, .a = static_cast<std::int64_t>(fwd.unacked.size())});
        }
    }
    if ((!fwd.has_nextseq || seq_after(nextseq, fwd.nextseq)) && !zwp) {
        fwd.has_nextseq = true;
        fwd.nextseq = nextseq;
        fwd.nextseqtime = s.now;
    }
    if ((!fwd.has_maxseqtobeacked || s.seq == fwd.maxseqtobeacked) && !zwp && fwd.has_nextseq) {
        fwd.has_maxseqtobeacked = true;
        fwd.maxseqtobeacked = fwd.nextseq;
    }
    fwd.window = s.win;
    fwd.lastack = s.f.ack;
    // Wireshark treats lastack 0 as "none"; we also trust a genuine ACK of 0.
    fwd.lastack_set = s.ackf || s.f.ack != 0;
    fwd.lastacktime = s.now;
    fwd.lastsegmentflags = s.af | (s.syn ? kAfWindowFromSyn : 0U);
}

// 14. ACK matching (only segments with the ACK bit: an unused ack field means nothing), and
// what the ACK proves about the peer's bytes the capture missed.
void note_ack(Segment& s) {
    if (!s.ackf) {
        return;
    }
    match_acks(s.fwd, s.rev, s.f, s.out);
    if (!s.rst) {  // an RST's ack field may be anything
        note_capture_drop(s.rev, SeqNum{s.f.ack}, s.f.peer_base, s.out);
        note_recovery_ack(s.rev, SeqNum{s.f.ack}, s.now);
    }
    prune_gaps(s.rev, SeqNum{s.f.ack});
}

// 15. Bytes in flight.
void note_bytes_in_flight(Segment& s) {
    if (s.seglen > 0 && s.fwd.valid_bif) {
        s.out.bytes_in_flight = bytes_in_flight(s.fwd, s.rev, s.syn || s.fin);
    }
}

// Remembers this side's SACK blocks for the peer's bytes in flight, and its SYNs.
void remember_sack_and_syns(Segment& s) {
    DirectionState& fwd = s.fwd;
    const TcpOptions* o = s.f.options;
    if (o != nullptr && o->sack_count > 0) {
        fwd.sack_count = std::min<std::uint8_t>(o->sack_count, 4);
        std::copy_n(o->sack.begin(), fwd.sack_count, fwd.use_rare().sack.begin());
    }
    fwd.last_had_sack = o != nullptr && o->sack_count > 0;
    fwd.last_opts_truncated = o != nullptr && o->truncated;
    if (s.pure_syn && !fwd.sent_syn) {
        fwd.sent_syn = true;
        fwd.syn_seq = s.seq;
        fwd.syn_frame = s.f.frame;
    } else if (s.syn && s.ackf && !fwd.sent_synack) {
        fwd.sent_synack = true;
        fwd.synack_seq = s.seq;
        fwd.synack_frame = s.f.frame;
    }
    fwd.seen = true;
    fwd.last_frame = s.f.frame;
}

// Request/response timing counts payload that is neither a probe nor a resend; then which
// directions now wait.
void note_timing(AnalyzerState& st, const Segment& s) {
    if (s.seglen > 0 && !s.keep_alive && !s.linux_probe && (s.af & kAfZeroWindowProbe) == 0 && !s.dup_frame) {
        note_exchange(st, s.d == 0, is_retransmission(s.out), s.now);
    }
    update_blocked(st, s.rst);
}

// Zeek's conn_state and history see every segment, whatever the steps above found.
void hand_to_zeek(AnalyzerState& st, const Segment& s) {
    st.zeek.on_packet(
        {.dir = s.d, .flags = s.f.flags, .seq = s.f.seq, .ack = s.f.ack, .len = s.seglen, .window_raw = s.win});
}

}  // namespace

void ConnectionAnalyzer::analyze(const SegmentFacts& facts, AnnotatedSegment& out) {
    AnalyzerState& st = state_;
    Segment s{st, facts, out};
    account_stalls(st, s.now);
    note_capture_artefacts(s);
    note_syn_options(s);
    note_initial_rtt(st, s.pure_syn, s.ackf && !s.syn, s.now);
    note_repeated_syn(s);
    compare_with_direction(s);
    note_zero_window_spell(s.fwd, s.win == 0 && s.no_sfr, s.win, s.now);
    if (!note_zero_window_probe(s)) {  // steps 1 and 1b
        note_zero_window(s);           // step 2
        note_lost_segment(s);          // 3
        note_keep_alive(s);            // 4
        note_window_update(s);         // 5
        note_window_full(s);           // 6
        if (!note_probe_ack(s)) {      // 7, 8
            note_duplicate_ack(s);     // 9
        }
    }
    reset_dup_ack_count(s);  // 10
    note_acked_unseen(s);    // 11
    judge_resend(st, s);     // 12
    note_send_order(s.fwd, facts, s.late_or_resent);
    record_segment(st, s);    // 13
    note_ack(s);              // 14
    note_bytes_in_flight(s);  // 15
    remember_sack_and_syns(s);
    note_timing(st, s);
    hand_to_zeek(st, s);
}

ConnectionAnalyzer::ConnectionAnalyzer(const Options& options) : state_(options) {}

DirectionCounters& ConnectionAnalyzer::stats(int dir) { return state_.dirs[static_cast<std::size_t>(dir & 1)].stats; }
const DirectionCounters& ConnectionAnalyzer::stats(int dir) const {
    return state_.dirs[static_cast<std::size_t>(dir & 1)].stats;
}

std::optional<Duration> ConnectionAnalyzer::initial_rtt() const { return state_.irtt; }

void ConnectionAnalyzer::prefetch() const {
    const AnalyzerState& i = state_;
    for (const DirectionState& d : i.dirs) {
        __builtin_prefetch(&d.nextseqtime);  // Wireshark's state: every segment reads it
        __builtin_prefetch(&d.last_frame);
    }
    __builtin_prefetch(&i.zeek);
    __builtin_prefetch(&i.prev_frame_ts);  // timing: read first, by account_stalls
}

void ConnectionAnalyzer::release_idle_memory() {
    for (DirectionState& d : state_.dirs) {
        d.unacked.release_if_empty();
        release_gaps_if_none(d);
    }
    state_.zeek.release_idle_memory();
}

void ConnectionAnalyzer::fill_summary(ConversationSummary& summary) const {
    fill_timing_summary(state_, summary);
    close_open_spells(state_, summary);
    summary.conn_state = std::string{state_.zeek.conn_state()};
    summary.history = std::string{state_.zeek.history()};
}

AnalyzerMemory ConnectionAnalyzer::dormant() const {
    const AnalyzerState& i = state_;
    AnalyzerMemory m;
    for (std::size_t d = 0; d < 2; ++d) {
        const DirectionState& dir = i.dirs[d];
        m.sides[d] = {.nextseq = dir.nextseq,
                      .maxseqtobeacked = dir.maxseqtobeacked,
                      .seen_end = dir.seen_end,
                      .lastack = dir.lastack,
                      .win_scale = dir.win_scale,
                      .window = dir.window,
                      .has_nextseq = dir.has_nextseq,
                      .has_maxseqtobeacked = dir.has_maxseqtobeacked,
                      .has_seen_end = dir.has_seen_end,
                      .lastack_set = dir.lastack_set,
                      .is_first_ack = dir.is_first_ack,
                      .seen = dir.seen};
    }
    m.zeek = i.zeek;
    m.irtt = i.irtt;
    m.ttfb = i.ttfb;
    m.think_sum = i.think_sum;
    m.think_max = i.think_max;
    m.exchanges = i.exchanges;
    m.client_data_seen = i.client_data_seen;
    return m;
}

void ConnectionAnalyzer::resume(const AnalyzerMemory& m) {
    AnalyzerState& i = state_;
    for (std::size_t d = 0; d < 2; ++d) {
        DirectionState& dir = i.dirs[d];
        const AnalyzerMemory::Side& s = m.sides[d];
        dir.nextseq = s.nextseq;
        dir.maxseqtobeacked = s.maxseqtobeacked;
        dir.seen_end = s.seen_end;
        dir.lastack = s.lastack;
        dir.win_scale = s.win_scale;
        dir.window = s.window;
        dir.has_nextseq = s.has_nextseq;
        dir.has_maxseqtobeacked = s.has_maxseqtobeacked;
        dir.has_seen_end = s.has_seen_end;
        dir.lastack_set = s.lastack_set;
        dir.is_first_ack = s.is_first_ack;
        dir.seen = s.seen;
    }
    i.zeek = m.zeek;
    i.irtt = m.irtt;
    i.ttfb = m.ttfb;
    i.think_sum = m.think_sum;
    i.think_max = m.think_max;
    i.exchanges = m.exchanges;
    i.client_data_seen = m.client_data_seen;
}

}  // namespace tfx::analysis
