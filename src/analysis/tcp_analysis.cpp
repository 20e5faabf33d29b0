#include "analysis/tcp_analysis.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>

#include "analysis/reorder.hpp"
#include "analysis/timing.hpp"
#include "analysis/unacked_list.hpp"
#include "analysis/zeek_history.hpp"
#include "core/saturating.hpp"
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

}  // namespace

bool AnalyzerState::duplicate_frame(DirectionState& fwd, const SegmentFacts& f) {
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

std::optional<std::uint32_t> AnalyzerState::bytes_in_flight(const DirectionState& fwd, const DirectionState& rev,
                                                            bool syn_or_fin) {
    const UnackedList& l = fwd.unacked;
    if (l.empty()) {
        return std::nullopt;
    }
    const auto [first, last] = l.extent();
    std::int64_t in_flight = last - first;
    for (std::uint8_t i = 0; i < rev.sack_count; ++i) {
        in_flight -= static_cast<std::int32_t>(rev.sack[i].right - rev.sack[i].left);
    }
    if (syn_or_fin) {
        in_flight -= 1;
    }
    if (in_flight > 0 && in_flight < kMaxBytesInFlight) {
        return static_cast<std::uint32_t>(in_flight);
    }
    return std::nullopt;
}

void AnalyzerState::match_acks(DirectionState& fwd, DirectionState& rev, const SegmentFacts& f, AnnotatedSegment& out) {
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

void AnalyzerState::analyze(const SegmentFacts& f, AnnotatedSegment& out) {
    const int d = f.dir & 1;
    DirectionState& fwd = dirs[static_cast<std::size_t>(d)];
    DirectionState& rev = dirs[static_cast<std::size_t>(d ^ 1)];
    const std::uint16_t flags = f.flags;
    const bool syn = (flags & tcpflag::kSyn) != 0;
    const bool fin = (flags & tcpflag::kFin) != 0;
    const bool rst = (flags & tcpflag::kRst) != 0;
    const bool ackf = (flags & tcpflag::kAck) != 0;
    const bool no_sfr = (flags & kSfr) == 0;
    const bool pure_syn = syn && !ackf;
    const std::uint32_t seglen = f.seglen;
    const std::uint16_t win = f.window_raw;
    const Timestamp now = f.ts;
    const SeqNum seq{f.seq};
    const SeqNum seg_end = seq + seglen;
    const auto rel_seq = [&](SeqNum s) { return relative_to(s.raw(), f.own_base); };
    const auto rel_ack = [&](std::uint32_t a) { return relative_to(a, f.peer_base); };

    account_stalls(*this, now);

    // Capture artefacts. (A clock going backwards is annotated once, by the session, which
    // sees every frame of the capture.)
    const bool dup_frame = duplicate_frame(fwd, f);
    if (dup_frame) {
        out.add({.code = AnnotationCode::DuplicateFrame, .related = fwd.last_frame});
    }
    if (rev.mss && seglen > *rev.mss) {
        out.add({.code = AnnotationCode::SegmentExceedsMss, .a = seglen, .b = *rev.mss});
    }

    // dissect_tcp() bookkeeping that precedes the analysis: window scaling, iRTT.
    if (syn) {
        const TcpOptions* o = f.options;
        if (o != nullptr && o->window_scale) {
            fwd.win_scale = std::min<int>(*o->window_scale, 14);
        }
        if (o != nullptr && o->mss) {
            fwd.mss = *o->mss;
        }
        if (fwd.win_scale == -1) {
            fwd.win_scale = -2;  // this SYN has no WS: neither side scales
            rev.win_scale = -2;
        } else if (ackf && rev.win_scale == -2) {
            fwd.win_scale = -2;
        }
        fwd.is_first_ack = true;
    } else if (ackf) {
        fwd.is_first_ack = false;
    }
    note_initial_rtt(*this, pure_syn, ackf && !syn, now);
    // A SYN repeated with the same ISN (Wireshark: not a new conversation) rewinds nextseq.
    const bool repeated_syn = pure_syn && fwd.sent_syn && seq == fwd.syn_seq;
    const bool repeated_synack = syn && ackf && fwd.sent_synack && seq == fwd.synack_seq;
    // RFC 9293 §3.5 fig. 8: in a simultaneous open each side answers the crossing SYN with a
    // SYN-ACK carrying its own ISN again; Wireshark 4.0 calls it a retransmission.
    const bool simultaneous_synack =
        syn && ackf && !fwd.sent_synack && fwd.sent_syn && seq == fwd.syn_seq && rev.sent_syn;
    if (repeated_syn && fwd.has_maxseqtobeacked) {
        fwd.nextseq = fwd.maxseqtobeacked;
    }
    if (ackf) {
        rev.valid_bif = true;
    }

    std::uint32_t af = 0;
    bool keep_alive = false;  // Wireshark skips the retransmission tests for these
    bool linux_probe = false;
    const bool at_next = fwd.has_nextseq && seq == fwd.nextseq;
    // Wireshark compares with lastack even when it came from a SYN's unused ack field (0):
    // at peer ISN 2^32-1 the handshake's ACK (ack 0) would be a "duplicate". Not here.
    const bool same_ack = fwd.lastack_set && f.ack == fwd.lastack;
    const bool rev_ack_known = rev.lastack_set;

    // 1. Zero-window probe (Wireshark): one byte at nextseq into a zero window.
    if (seglen == 1 && at_next && rev.window == 0) {
        af |= kAfZeroWindowProbe;
        out.add({.code = AnnotationCode::ZeroWindowProbe, .a = rel_seq(seq)});
        goto finished_fwd;
    }
    // 1b. (ours) Linux probe: 0 or 1 byte at snd_una - 1 (peer's ack - 1) into a zero window.
    if (seglen <= 1 && no_sfr && rev.window == 0 && rev_ack_known && seq == SeqNum{rev.lastack} - 1U) {
        af |= kAfZeroWindowProbe;
        linux_probe = true;
        out.add({.code = AnnotationCode::ZeroWindowProbe, .a = rel_seq(seq)});
        goto finished_fwd;
    }
    // 2. Zero window.
    if (win == 0 && no_sfr) {
        out.add({.code = AnnotationCode::ZeroWindow});
    }
    // 3. Previous segment not captured.
    if (fwd.has_nextseq && seq_after(seq, fwd.nextseq) && !rst) {
        out.add({.code = AnnotationCode::LostSegment, .a = rel_seq(fwd.nextseq), .b = rel_seq(seq)});
        fwd.valid_bif = false;
        ++fwd.stats.gaps_opened;
        open_gap(fwd, fwd.nextseq, seq, f.frame, now);
    }
    // 4. Keep-alive.
    if (seglen <= 1 && fwd.has_nextseq && seq == fwd.nextseq - 1U && no_sfr) {
        af |= kAfKeepAlive;
        keep_alive = true;
        out.add({.code = AnnotationCode::KeepAlive, .a = rel_seq(seq), .b = rel_seq(fwd.nextseq)});
    }
    // 5. Window update.
    if (seglen == 0 && win != 0 && win != fwd.window && at_next && same_ack && no_sfr) {
        const int s = fwd.win_scale >= 0 ? fwd.win_scale : 0;
        out.add({.code = AnnotationCode::WindowUpdate,
                 .a = static_cast<std::int64_t>(fwd.window) << ((fwd.lastsegmentflags & kAfWindowFromSyn) != 0 ? 0 : s),
                 .b = static_cast<std::int64_t>(win) << s});
    }
    // 6. Window full: the segment ends exactly at the peer's right window edge.
    if (seglen > 0 && rev.win_scale != -1 && no_sfr) {
        const int s = (rev.is_first_ack || rev.win_scale == -2) ? 0 : rev.win_scale;
        const std::uint32_t edge = rev.lastack + (static_cast<std::uint32_t>(rev.window) << s);
        if (seg_end == SeqNum{edge}) {
            out.add({.code = AnnotationCode::WindowFull,
                     .a = rel_seq(seg_end),
                     .b = static_cast<std::int64_t>(rev.window) << s});
        }
    }
    // 7. Keep-alive ACK.
    if (seglen == 0 && win != 0 && win == fwd.window && at_next && same_ack &&
        (rev.lastsegmentflags & kAfKeepAlive) != 0 && no_sfr) {
        out.add({.code = AnnotationCode::KeepAliveAck, .related = rev.last_frame});
        goto finished_fwd;
    }
    // 8. Zero-window-probe ACK.
    if (seglen == 0 && win == 0 && win == fwd.window && at_next && same_ack &&
        (rev.lastsegmentflags & kAfZeroWindowProbe) != 0 && no_sfr) {
        out.add({.code = AnnotationCode::ZeroWindowProbeAck, .related = rev.last_frame});
        goto finished_fwd;
    }
    // 9. Duplicate ACK.
    if (seglen == 0 && win != 0 && win == fwd.window && at_next && same_ack && no_sfr) {
        fwd.dupacknum = fwd.dupacknum < 0 ? 1 : fwd.dupacknum + 1;
        out.add({.code = AnnotationCode::DuplicateAck,
                 .related = fwd.lastnondupack,
                 .a = fwd.dupacknum,
                 .b = rel_ack(f.ack)});
    }

finished_fwd:
    // 10. A new ACK value resets the dup-ACK count.
    if (!same_ack) {
        fwd.lastnondupack = f.frame;
        fwd.dupacknum = 0;
    }
    // 11. ACKed unseen segment.
    if (rev.has_maxseqtobeacked && ackf && seq_after(SeqNum{f.ack}, rev.maxseqtobeacked)) {
        bool flag = false;
        if (rev.has_nextseq && seq_before(rev.maxseqtobeacked, rev.nextseq)) {
            rev.maxseqtobeacked = rev.nextseq;
            flag = true;
        } else if (rev.dupacknum == 0) {
            flag = true;
            rev.dupacknum = -1;
        }
        if (flag) {
            out.add({.code = AnnotationCode::AckLostSegment,
                     .a = rel_ack(f.ack),
                     .b = rev.has_nextseq ? rel_ack(rev.nextseq.raw()) : 0});
        }
    }

    // 12. Retransmission family. Wireshark's tests, then our corrections (deviations 7, 8):
    // bytes already sent are never out-of-order; bytes never seen before are out-of-order
    // when the send-order evidence says they were sent before the higher segments.
    bool resent = false;
    bool late_or_resent = dup_frame;
    if ((seglen > 0 || syn || fin) && !keep_alive && !linux_probe) {
        bool not_advanced = fwd.has_nextseq && seq_before(seq, fwd.nextseq);
        if (seglen > 1 && fwd.has_nextseq && seq == fwd.nextseq - 1U) {
            not_advanced = false;  // data after an unacked zero-window-probe byte
        }
        late_or_resent = late_or_resent || not_advanced;
        const SeqNum end = seg_end + ((syn || fin) ? 1U : 0U);
        AnnotationCode code{};
        bool found = false;
        std::int64_t a = 0;
        FrameIndex gap_frame = 0;
        const Duration since_peer_ack = now - rev.lastacktime;
        // Wireshark 4.0: >= 2 dup ACKs asking for exactly this seq, the last < 20 ms ago.
        const bool ws_fast = not_advanced && (rev.dupacknum >= 2 || rev.dupacknum < 0) && rev.lastack == seq.raw() &&
                             since_peer_ack < kFastRetransmissionWindow;
        // Ours (RFC 6675): the receiver's latest ACK carries SACK blocks above a hole that
        // contains these bytes, and the resend follows it within Wireshark's 20 ms plus one
        // initial RTT (the round trip a receiver-side capture sees; an RTO retransmission
        // comes at least RTO_min = 200 ms + SRTT after the last ACK).
        const Duration fast_window =
            kFastRetransmissionWindow +
            (irtt ? std::min(*irtt, Duration::max() - kFastRetransmissionWindow) : Duration::zero());
        // When the snaplen cut the peer's options (SACK blocks unknown), its ongoing dup ACKs
        // (>= 2 for an ack at or below this seq) say the same: the sender is in recovery.
        const bool asked =
            rev.seen && since_peer_ack < fast_window &&
            (sack_hole(rev, seq, seg_end) || (rev.last_opts_truncated && (rev.dupacknum >= 2 || rev.dupacknum < 0) &&
                                              rev.lastack_set && !seq_before(seq, SeqNum{rev.lastack})));
        if (seglen > 0 && rev_ack_known && !seq_after(seg_end, SeqNum{rev.lastack})) {
            code = AnnotationCode::SpuriousRetransmission;
            a = rel_seq(SeqNum{rev.lastack});
            found = true;
        } else if (not_advanced) {
            // A segment that also carries bytes beyond nextseq is partly new: our rules do
            // not judge it and Wireshark's answer stands (nDPI's overlapping-payload traces).
            const bool straddles = seq_after(end, fwd.nextseq);
            const bool sent_before = !straddles && ((rev_ack_known && seq_before(seq, SeqNum{rev.lastack})) ||
                                                    fwd.unacked.overlaps(seq, end));
            DirectionState::Gap* gap = sent_before || straddles ? nullptr : find_gap(fwd, seq, end);
            // SYNs are judged by Wireshark's rules and ours for repeated SYNs only.
            const SendOrder order = sent_before        ? SendOrder::Later
                                    : straddles || syn ? SendOrder::Unknown
                                                       : send_order(fwd, f, gap, irtt);
            if (gap != nullptr) {
                gap_frame = gap->frame;
            }
            const Duration thres = irtt && irtt->count() != 0 ? *irtt : kDefaultOooThreshold;
            const bool ws_ooo = now - fwd.nextseqtime < thres && fwd.nextseq != seg_end + ((syn || fin) ? 1U : 0U);
            if (order == SendOrder::Earlier) {
                code = AnnotationCode::OutOfOrder;  // an original overtaken: reordering
            } else if (order == SendOrder::Later) {
                code = ws_fast || asked ? AnnotationCode::FastRetransmission : AnnotationCode::Retransmission;
            } else if (ws_fast) {
                code = AnnotationCode::FastRetransmission;  // no evidence: Wireshark's answer
            } else if (ws_ooo) {
                code = AnnotationCode::OutOfOrder;
            } else {
                code = AnnotationCode::Retransmission;
            }
            if (code == AnnotationCode::FastRetransmission) {
                a = rev.dupacknum;
            } else if (code == AnnotationCode::OutOfOrder) {
                a = rel_seq(fwd.nextseq);
            }
            if (gap != nullptr) {
                note_gap_filled(fwd, *gap, code == AnnotationCode::OutOfOrder, seq, end);
            }
            found = true;
        }
        if (simultaneous_synack) {
            found = false;  // our correction: see above
        }
        const bool syn_repeat = repeated_syn || repeated_synack;
        if ((found || syn_repeat || simultaneous_synack) && !dup_frame) {
            // Karn: every range sent twice makes its RTT samples ambiguous. The original
            // transmission is the oldest unacked entry overlapping this segment.
            const bool is_ooo = found && code == AnnotationCode::OutOfOrder;
            const UnackedSegment* original = is_ooo ? nullptr : fwd.unacked.mark_resent(seq, end);
            resent = !is_ooo;
            FrameIndex related = original != nullptr ? original->frame : 0;
            if (found) {
                if (code == AnnotationCode::Retransmission) {
                    a = original != nullptr ? (now - original->ts).count() : 0;
                } else if (is_ooo) {
                    related = gap_frame;  // "fills the gap reported at #related"
                    ++fwd.stats.reordered_segments;
                }
                out.add({.code = code, .related = related, .a = a, .b = rel_seq(seq)});
                if (!is_ooo) {
                    fwd.stats.retransmitted_bytes += seglen;
                }
            }
            if (syn_repeat) {
                out.add({.code = AnnotationCode::SynRetransmission,
                         .related = repeated_syn ? fwd.syn_frame : fwd.synack_frame});
            }
        }
    }
    note_send_order(fwd, f, late_or_resent);

    // 13. Bookkeeping.
    {
        const bool zwp = (af & kAfZeroWindowProbe) != 0;
        SeqNum nextseq = seg_end;
        if (seglen > 0 || syn || fin) {
            if (syn || fin) {
                nextseq = nextseq + 1U;
            }
            if (!fwd.has_seen_end || seq_after(nextseq, fwd.seen_end)) {
                fwd.has_seen_end = true;
                fwd.seen_end = nextseq;
            }
            const bool dropped =
                fwd.unacked.push({.seq = seq, .nextseq = nextseq, .ts = now, .frame = f.frame, .resent = resent});
            if (dropped && !limit_reported) {
                limit_reported = true;
                out.add({.code = AnnotationCode::AnalysisLimit, .a = static_cast<std::int64_t>(fwd.unacked.size())});
            }
        }
        if ((!fwd.has_nextseq || seq_after(nextseq, fwd.nextseq)) && !zwp) {
            fwd.has_nextseq = true;
            fwd.nextseq = nextseq;
            fwd.nextseqframe = f.frame;
            fwd.nextseqtime = now;
        }
        if ((!fwd.has_maxseqtobeacked || seq == fwd.maxseqtobeacked) && !zwp && fwd.has_nextseq) {
            fwd.has_maxseqtobeacked = true;
            fwd.maxseqtobeacked = fwd.nextseq;
        }
        fwd.window = win;
        fwd.lastack = f.ack;
        // Wireshark treats lastack 0 as "none"; we also trust a genuine ACK of 0.
        fwd.lastack_set = ackf || f.ack != 0;
        fwd.lastacktime = now;
        fwd.lastsegmentflags = af | (syn ? kAfWindowFromSyn : 0U);
    }

    // 14. ACK matching (only segments with the ACK bit: an unused ack field means nothing).
    if (ackf) {
        match_acks(fwd, rev, f, out);
        if (!rst) {  // an RST's ack field may be anything
            note_capture_drop(rev, SeqNum{f.ack}, f.peer_base, out);
        }
        prune_gaps(rev, SeqNum{f.ack});
    }

    // 15. Bytes in flight.
    if (seglen > 0 && fwd.valid_bif) {
        out.bytes_in_flight = bytes_in_flight(fwd, rev, syn || fin);
    }

    // Remember this side's SACK blocks for the peer's bytes in flight, and its SYNs.
    if (f.options != nullptr && f.options->sack_count > 0) {
        fwd.sack_count = std::min<std::uint8_t>(f.options->sack_count, 4);
        std::copy_n(f.options->sack.begin(), fwd.sack_count, fwd.sack.begin());
    }
    fwd.last_had_sack = f.options != nullptr && f.options->sack_count > 0;
    fwd.last_opts_truncated = f.options != nullptr && f.options->truncated;
    if (pure_syn && !fwd.sent_syn) {
        fwd.sent_syn = true;
        fwd.syn_seq = seq;
        fwd.syn_frame = f.frame;
    } else if (syn && ackf && !fwd.sent_synack) {
        fwd.sent_synack = true;
        fwd.synack_seq = seq;
        fwd.synack_frame = f.frame;
    }
    fwd.seen = true;
    fwd.last_frame = f.frame;

    // Request/response timing: payload that is neither a probe nor a resend.
    if (seglen > 0 && !keep_alive && !linux_probe && (af & kAfZeroWindowProbe) == 0 && !dup_frame) {
        note_exchange(*this, d == 0, is_retransmission(out), now);
    }
    update_blocked(*this, rst);

    zeek.on_packet({.dir = d, .flags = flags, .seq = f.seq, .ack = f.ack, .len = seglen, .window_raw = win});
}

ConnectionAnalyzer::ConnectionAnalyzer(const Options& options) : state_(options) {}

DirectionStats& ConnectionAnalyzer::stats(int dir) { return state_.dirs[static_cast<std::size_t>(dir & 1)].stats; }
const DirectionStats& ConnectionAnalyzer::stats(int dir) const {
    return state_.dirs[static_cast<std::size_t>(dir & 1)].stats;
}

void ConnectionAnalyzer::analyze(const SegmentFacts& facts, AnnotatedSegment& out) { state_.analyze(facts, out); }

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
        if (d.gap_count == 0) {
            d.gaps.reset();
        }
    }
}

void ConnectionAnalyzer::fill_summary(ConversationSummary& summary) const {
    fill_timing_summary(state_, summary);
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
