#include "analysis/tcp_analysis.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "analysis/unacked_list.hpp"
#include "analysis/zeek_history.hpp"
#include "tfx/conversation.hpp"
#include "tfx/seq.hpp"

// The rules below follow Wireshark 4.0.17 tcp_analyze_sequence_number() step by step
// (SEMANTICS.md §2.2, numbered the same way), with the deviations listed in
// docs/analysis.md: explicit "known" flags instead of Wireshark's 0 sentinels, the
// simultaneous-open SYN-ACK, Linux zero-window probes, duplicate frames, Karn's rule.

namespace tfx::analysis {

namespace {

using namespace std::chrono_literals;

// Wireshark analysis flag bits (only kept to test the peer's previous segment).
constexpr std::uint32_t kAfKeepAlive = 1U << 0;
constexpr std::uint32_t kAfZeroWindowProbe = 1U << 1;

// Wireshark: fast retransmission must follow the peer's last (dup) ACK within 20 ms.
constexpr Duration kFastRetransmissionWindow = 20ms;
// Wireshark: out-of-order threshold when the initial RTT is unknown.
constexpr Duration kDefaultOooThreshold = 3ms;
// Wireshark: bytes in flight are shown only below this.
constexpr std::int64_t kMaxBytesInFlight = 2'000'000'000;

constexpr std::uint16_t kSfr = tcpflag::kSyn | tcpflag::kFin | tcpflag::kRst;

std::int64_t rel(std::uint32_t raw, std::uint32_t base) {
    return static_cast<std::int64_t>(static_cast<std::uint32_t>(raw - base));
}

struct Direction {
    // Wireshark per-direction state (§2.1); has_* replace Wireshark's "0 = unset".
    bool has_nextseq = false;
    SeqNum nextseq;
    Timestamp nextseqtime{};
    FrameIndex nextseqframe = 0;
    bool has_maxseqtobeacked = false;
    SeqNum maxseqtobeacked;
    bool lastack_set = false;     ///< an ACK value was sent (Wireshark: lastack != 0)
    std::uint32_t lastack = 0;    ///< raw ack field of the latest segment
    Timestamp lastacktime{};
    std::uint16_t window = 0;     ///< raw window of the latest segment (0 before any)
    int win_scale = -1;           ///< -1 unknown, -2 no scaling, else shift
    bool is_first_ack = true;     ///< SYN sent, no ACK-without-SYN since (issue 14690)
    std::uint32_t lastsegmentflags = 0;
    // Wireshark's counter is unsigned: the -1 step 11 stores compares as >= 2 in step 12d.
    int dupacknum = 0;
    FrameIndex lastnondupack = 0;
    bool valid_bif = true;
    UnackedList unacked;
    std::array<SackBlock, 4> sack{};  ///< latest SACK blocks this side sent
    std::uint8_t sack_count = 0;

    // Our additions.
    bool seen = false;
    FrameIndex last_frame = 0;
    std::optional<std::uint16_t> mss;     ///< announced on this side's SYN
    bool sent_syn = false;                ///< pure SYN
    SeqNum syn_seq;
    FrameIndex syn_frame = 0;
    bool sent_synack = false;
    SeqNum synack_seq;
    FrameIndex synack_frame = 0;
    // Duplicate-frame detection: the previous frame of this direction, and whether the IP
    // id is a real per-packet counter here (a constant id proves nothing).
    bool prev_valid = false;
    std::uint16_t prev_ip_id = 0;
    std::uint32_t prev_seq = 0;
    std::uint32_t prev_ack = 0;
    std::uint32_t prev_len = 0;
    std::uint16_t prev_flags = 0;
    bool ip_id_changes = false;
    bool ip_id_reused = false;

    std::uint64_t retransmitted_bytes = 0;
    std::uint32_t rtt_samples = 0;
    Duration rtt_min{};
    Duration rtt_max{};
    Duration rtt_sum{};

    explicit Direction(std::size_t bound) : unacked(bound) {}
};

}  // namespace

struct ConnectionAnalyzer::Impl {
    explicit Impl(const Options& o)
        : dirs{Direction{o.max_unacked_segments}, Direction{o.max_unacked_segments}} {}

    std::array<Direction, 2> dirs;
    bool has_mru_syn = false;
    Timestamp mru_syn{};
    std::optional<Duration> irtt;
    bool have_last_ts = false;
    Timestamp last_ts{};
    bool limit_reported = false;
    ZeekTracker zeek;

    void analyze(const SegmentFacts& f, AnnotatedSegment& out);
    bool duplicate_frame(Direction& fwd, const SegmentFacts& f);
    void match_acks(Direction& fwd, Direction& rev, const SegmentFacts& f, AnnotatedSegment& out);
    static std::optional<std::uint32_t> bytes_in_flight(const Direction& fwd,
                                                        const Direction& rev, bool syn_or_fin);
};

bool ConnectionAnalyzer::Impl::duplicate_frame(Direction& fwd, const SegmentFacts& f) {
    if (f.ip_version != 4 || f.ip_id == 0) {
        fwd.prev_valid = false;
        return false;
    }
    bool dup = false;
    if (fwd.prev_valid) {
        const bool same_segment = f.seq == fwd.prev_seq && f.ack == fwd.prev_ack &&
                                  f.seglen == fwd.prev_len && f.flags == fwd.prev_flags;
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

std::optional<std::uint32_t> ConnectionAnalyzer::Impl::bytes_in_flight(const Direction& fwd,
                                                                       const Direction& rev,
                                                                       bool syn_or_fin) {
    const UnackedList& l = fwd.unacked;
    if (l.empty()) {
        return std::nullopt;
    }
    SeqNum first = l.at(0).seq;
    SeqNum last = l.at(l.size() - 1).nextseq;
    if (!l.sorted()) {
        for (std::size_t i = 0; i < l.size(); ++i) {
            if (seq_before(l.at(i).seq, first)) {
                first = l.at(i).seq;
            }
            if (seq_after(l.at(i).nextseq, last)) {
                last = l.at(i).nextseq;
            }
        }
    }
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

void ConnectionAnalyzer::Impl::match_acks(Direction& fwd, Direction& rev, const SegmentFacts& f,
                                          AnnotatedSegment& out) {
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
        // Karn's rule for the statistics: no sample from an ACK covering resent data.
        if (!ambiguous) {
            if (fwd.rtt_samples == 0 || rtt < fwd.rtt_min) {
                fwd.rtt_min = rtt;
            }
            if (fwd.rtt_samples == 0 || rtt > fwd.rtt_max) {
                fwd.rtt_max = rtt;
            }
            fwd.rtt_sum += rtt;
            ++fwd.rtt_samples;
        }
    }
}

void ConnectionAnalyzer::Impl::analyze(const SegmentFacts& f, AnnotatedSegment& out) {
    const int d = f.dir & 1;
    Direction& fwd = dirs[static_cast<std::size_t>(d)];
    Direction& rev = dirs[static_cast<std::size_t>(d ^ 1)];
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
    const auto rel_seq = [&](SeqNum s) { return rel(s.raw(), f.own_base); };
    const auto rel_ack = [&](std::uint32_t a) { return rel(a, f.peer_base); };

    // Capture artefacts.
    if (have_last_ts && now < last_ts) {
        out.add({.code = AnnotationCode::TimestampBackwards, .a = (last_ts - now).count()});
    }
    have_last_ts = true;
    last_ts = now;
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
    if (pure_syn) {
        has_mru_syn = true;
        mru_syn = now;
    }
    if (!irtt && ackf && !syn && has_mru_syn) {
        irtt = now - mru_syn;
    }
    // A SYN repeated with the same ISN (Wireshark: not a new conversation) rewinds nextseq.
    const bool repeated_syn = pure_syn && fwd.sent_syn && seq == fwd.syn_seq;
    const bool repeated_synack = syn && ackf && fwd.sent_synack && seq == fwd.synack_seq;
    // RFC 9293 §3.5 fig. 8: in a simultaneous open each side answers the crossing SYN with a
    // SYN-ACK carrying its own ISN again; Wireshark 4.0 calls it a retransmission.
    const bool simultaneous_synack = syn && ackf && !fwd.sent_synack && fwd.sent_syn &&
                                     seq == fwd.syn_seq && rev.sent_syn;
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
    if (seglen <= 1 && no_sfr && rev.window == 0 && rev_ack_known &&
        seq == SeqNum{rev.lastack} - 1U) {
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
        out.add({.code = AnnotationCode::LostSegment,
                 .a = rel_seq(fwd.nextseq),
                 .b = rel_seq(seq)});
        fwd.valid_bif = false;
    }
    // 4. Keep-alive.
    if (seglen <= 1 && fwd.has_nextseq && seq == fwd.nextseq - 1U && no_sfr) {
        af |= kAfKeepAlive;
        keep_alive = true;
        out.add({.code = AnnotationCode::KeepAlive,
                 .a = rel_seq(seq),
                 .b = rel_seq(fwd.nextseq)});
    }
    // 5. Window update.
    if (seglen == 0 && win != 0 && win != fwd.window && at_next && same_ack && no_sfr) {
        const int s = fwd.win_scale >= 0 ? fwd.win_scale : 0;
        out.add({.code = AnnotationCode::WindowUpdate,
                 .a = static_cast<std::int64_t>(fwd.window) << s,
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

    // 12. Retransmission family.
    bool resent = false;
    if ((seglen > 0 || syn || fin) && !keep_alive && !linux_probe) {
        bool not_advanced = fwd.has_nextseq && seq_before(seq, fwd.nextseq);
        if (seglen > 1 && fwd.has_nextseq && seq == fwd.nextseq - 1U) {
            not_advanced = false;  // data after an unacked zero-window-probe byte
        }
        AnnotationCode code{};
        bool found = false;
        std::int64_t a = 0;
        if (seglen > 0 && rev_ack_known && !seq_after(seg_end, SeqNum{rev.lastack})) {
            code = AnnotationCode::SpuriousRetransmission;
            a = rel_seq(SeqNum{rev.lastack});
            found = true;
        } else if (not_advanced && (rev.dupacknum >= 2 || rev.dupacknum < 0) &&
                   rev.lastack == seq.raw() &&
                   now - rev.lastacktime < kFastRetransmissionWindow) {
            code = AnnotationCode::FastRetransmission;
            a = rev.dupacknum;
            found = true;
        } else if (const Duration thres = irtt && irtt->count() != 0 ? *irtt
                                                                     : kDefaultOooThreshold;
                   not_advanced && now - fwd.nextseqtime < thres &&
                   fwd.nextseq != seg_end + ((syn || fin) ? 1U : 0U)) {
            code = AnnotationCode::OutOfOrder;
            a = rel_seq(fwd.nextseq);
            found = true;
        } else if (not_advanced) {
            code = AnnotationCode::Retransmission;
            found = true;
        }
        if (simultaneous_synack) {
            found = false;  // our correction: see above
        }
        const bool syn_repeat = repeated_syn || repeated_synack;
        if ((found || syn_repeat || simultaneous_synack) && !dup_frame) {
            // Karn: every range sent twice makes its RTT samples ambiguous. The original
            // transmission is the oldest unacked entry overlapping this segment.
            const SeqNum end = seg_end + ((syn || fin) ? 1U : 0U);
            const UnackedSegment* original = nullptr;
            UnackedList& l = fwd.unacked;
            for (std::size_t i = 0; i < l.size(); ++i) {
                UnackedSegment& e = l.at(i);
                if (seq_before(e.seq, end) && seq_before(seq, e.nextseq)) {
                    e.resent = true;
                    if (original == nullptr) {
                        original = &e;
                    }
                }
            }
            resent = code != AnnotationCode::OutOfOrder || !found;
            FrameIndex related = original != nullptr ? original->frame : 0;
            if (found) {
                if (code == AnnotationCode::Retransmission) {
                    a = original != nullptr ? (now - original->ts).count() : 0;
                }
                out.add({.code = code, .related = related, .a = a, .b = rel_seq(seq)});
                if (code != AnnotationCode::OutOfOrder) {
                    fwd.retransmitted_bytes += seglen;
                }
            }
            if (syn_repeat) {
                out.add({.code = AnnotationCode::SynRetransmission,
                         .related = repeated_syn ? fwd.syn_frame : fwd.synack_frame});
            }
        }
    }

    // 13. Bookkeeping.
    {
        const bool zwp = (af & kAfZeroWindowProbe) != 0;
        SeqNum nextseq = seg_end;
        if (seglen > 0 || syn || fin) {
            if (syn || fin) {
                nextseq = nextseq + 1U;
            }
            const bool dropped = fwd.unacked.push(
                {.seq = seq, .nextseq = nextseq, .ts = now, .frame = f.frame, .resent = resent});
            if (dropped && !limit_reported) {
                limit_reported = true;
                out.add({.code = AnnotationCode::AnalysisLimit,
                         .a = static_cast<std::int64_t>(fwd.unacked.size())});
            }
        }
        if ((!fwd.has_nextseq || seq_after(nextseq, fwd.nextseq)) && !zwp) {
            fwd.has_nextseq = true;
            fwd.nextseq = nextseq;
            fwd.nextseqframe = f.frame;
            fwd.nextseqtime = now;
        }
        if ((!fwd.has_maxseqtobeacked || seq == fwd.maxseqtobeacked) && !zwp &&
            fwd.has_nextseq) {
            fwd.has_maxseqtobeacked = true;
            fwd.maxseqtobeacked = fwd.nextseq;
        }
        fwd.window = win;
        fwd.lastack = f.ack;
        // Wireshark treats lastack 0 as "none"; we also trust a genuine ACK of 0.
        fwd.lastack_set = ackf || f.ack != 0;
        fwd.lastacktime = now;
        fwd.lastsegmentflags = af;
    }

    // 14. ACK matching (only segments with the ACK bit: an unused ack field means nothing).
    if (ackf) {
        match_acks(fwd, rev, f, out);
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

    zeek.on_packet({.dir = d,
                    .flags = flags,
                    .seq = f.seq,
                    .ack = f.ack,
                    .len = seglen,
                    .window_raw = win});
}

ConnectionAnalyzer::ConnectionAnalyzer(const Options& options)
    : impl_(std::make_unique<Impl>(options)) {}
ConnectionAnalyzer::~ConnectionAnalyzer() = default;
ConnectionAnalyzer::ConnectionAnalyzer(ConnectionAnalyzer&&) noexcept = default;
ConnectionAnalyzer& ConnectionAnalyzer::operator=(ConnectionAnalyzer&&) noexcept = default;

void ConnectionAnalyzer::analyze(const SegmentFacts& facts, AnnotatedSegment& out) {
    impl_->analyze(facts, out);
}

std::optional<Duration> ConnectionAnalyzer::initial_rtt() const { return impl_->irtt; }

void ConnectionAnalyzer::fill_summary(ConversationSummary& summary) const {
    for (std::size_t i = 0; i < 2; ++i) {
        const Direction& d = impl_->dirs[i];
        DirectionStats& s = summary.dir[i];
        s.retransmitted_bytes = d.retransmitted_bytes;
        s.rtt_samples = d.rtt_samples;
        s.rtt_min = d.rtt_min;
        s.rtt_max = d.rtt_max;
        s.rtt_sum = d.rtt_sum;
    }
    summary.conn_state = std::string{impl_->zeek.conn_state()};
    summary.history = std::string{impl_->zeek.history()};
}

}  // namespace tfx::analysis
