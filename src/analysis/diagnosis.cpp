#include "analysis/diagnosis.hpp"

#include <algorithm>
#include <cstddef>

#include "core/saturating.hpp"
#include "tfx/seq.hpp"

namespace tfx::analysis {

void change_zero_window_spell(DirectionState& sender, std::uint16_t window, Timestamp now) {
    if (!sender.in_zero_window) {
        sender.in_zero_window = true;
        sender.use_rare().zero_window_since = now;
    } else if (window != 0) {
        sender.in_zero_window = false;
        RareDirectionCounters& counters = sender.stats.use_rare();
        ++counters.zero_window_spells;
        counters.zero_window_time =
            saturating_add(counters.zero_window_time, std::max(now - sender.rare->zero_window_since, Duration::zero()));
    }
}

void note_recovery_resend(DirectionState& sender, SeqNum end, Timestamp now) {
    if (!sender.in_recovery) {
        sender.in_recovery = true;
        RareDirectionState& rare = sender.use_rare();
        rare.recovery_since = now;
        rare.recovery_point = end;
    } else if (seq_after(end, sender.rare->recovery_point)) {
        sender.rare->recovery_point = end;
    }
}

void end_recovery_if_covered(DirectionState& sender, SeqNum ack, Timestamp now) {
    if (!seq_before(ack, sender.rare->recovery_point)) {
        sender.in_recovery = false;
        RareDirectionCounters& counters = sender.stats.use_rare();
        ++counters.recoveries;
        counters.recovery_time =
            saturating_add(counters.recovery_time, std::max(now - sender.rare->recovery_since, Duration::zero()));
    }
}

void close_open_spells(const AnalyzerState& st, ConversationSummary& summary) {
    for (std::size_t d = 0; d < 2; ++d) {
        const DirectionState& dir = st.dirs[d];
        DirectionStats& stats = summary.dir[d];
        if (dir.in_zero_window) {
            ++stats.zero_window_spells;
            stats.zero_window_time = saturating_add(
                stats.zero_window_time, std::max(summary.last_ts - dir.rare->zero_window_since, Duration::zero()));
        }
        if (dir.in_recovery) {
            ++stats.recoveries;
            stats.recovery_time = saturating_add(
                stats.recovery_time, std::max(summary.last_ts - dir.rare->recovery_since, Duration::zero()));
        }
    }
}

std::string_view to_string(DiagnosisKind k) {
    switch (k) {
        case DiagnosisKind::ReceiverLimited: return "receiver_limited";
        case DiagnosisKind::ServerThinkTime: return "server_think_time";
        case DiagnosisKind::LossRecovery: return "loss_recovery";
        case DiagnosisKind::Reordering: return "reordering";
        case DiagnosisKind::CaptureArtefacts: return "capture_artefacts";
        case DiagnosisKind::NoProblemSeen: break;
    }
    return "no_problem_seen";
}

namespace {

std::optional<ZeroWindowFacts> zero_window_of(const ConversationSummary& s, Role side) {
    const DirectionStats& d = s.dir[static_cast<std::size_t>(index_of(side))];
    if (d.zero_window_spells == 0) return std::nullopt;
    return ZeroWindowFacts{
        .side = side, .spells = d.zero_window_spells, .segments = d.zero_windows, .time = d.zero_window_time};
}

std::optional<RecoveryFacts> recovery_of(const ConversationSummary& s) {
    RecoveryFacts r{.fast = s.count(AnnotationCode::FastRetransmission),
                    .timeout = s.count(AnnotationCode::Retransmission),
                    .spurious = s.count(AnnotationCode::SpuriousRetransmission)};
    r.segments = r.fast + r.timeout + r.spurious;
    if (r.segments == 0) return std::nullopt;
    for (const DirectionStats& d : s.dir) {
        r.recoveries += d.recoveries;
        r.time = saturating_add(r.time, d.recovery_time);
    }
    return r;
}

std::optional<CaptureFacts> capture_of(const ConversationSummary& s) {
    CaptureFacts c{.acked_unseen = s.count(AnnotationCode::AckLostSegment),
                   .snaplen_cut = s.count(AnnotationCode::SnaplenTruncated),
                   .offload_sized = s.count(AnnotationCode::SegmentExceedsMss)};
    for (const DirectionStats& d : s.dir) {
        c.dropped_bytes += d.capture_dropped_bytes;
        const std::uint32_t filled = d.gaps_filled_by_reordering + d.gaps_filled_by_retransmission;
        c.unfilled_gaps += d.gaps_opened > filled ? d.gaps_opened - filled : 0;
    }
    // A snaplen that cuts payload is how most captures are taken: it explains something only
    // beside another artefact.
    if (c.acked_unseen == 0 && c.dropped_bytes == 0 && c.unfilled_gaps == 0 && c.offload_sized == 0)
        return std::nullopt;
    return c;
}

RttFacts rtt_of(const ConversationSummary& s) {
    if (s.handshake_rtt) return {.value = s.handshake_rtt, .from_handshake = true};
    RttFacts r;
    for (const DirectionStats& d : s.dir) {
        if (d.rtt_samples != 0 && (!r.value || d.rtt_min < *r.value)) r.value = d.rtt_min;
    }
    return r;
}

}  // namespace

Diagnosis diagnose(const ConversationSummary& s) {
    Diagnosis g;
    g.zero_window = {zero_window_of(s, Role::Client), zero_window_of(s, Role::Server)};
    if (s.exchanges != 0)
        g.think_time = ThinkTimeFacts{.exchanges = s.exchanges, .max = s.server_think_max, .total = s.server_think_sum};
    g.recovery = recovery_of(s);
    g.reordered_segments = s.dir[0].reordered_segments + s.dir[1].reordered_segments;
    g.capture = capture_of(s);
    g.rtt = rtt_of(s);

    // The parts that take time, the one that explains most of the connection's duration first.
    struct Timed {
        DiagnosisKind kind;
        Duration time;
    };
    std::array<Timed, 3> timed{};
    std::size_t n = 0;
    if (g.zero_window[0] || g.zero_window[1]) {
        Duration t{};
        for (const auto& z : g.zero_window)
            if (z) t = saturating_add(t, z->time);
        timed[n++] = {DiagnosisKind::ReceiverLimited, t};
    }
    if (g.think_time) timed[n++] = {DiagnosisKind::ServerThinkTime, g.think_time->total};
    if (g.recovery) timed[n++] = {DiagnosisKind::LossRecovery, g.recovery->time};
    std::stable_sort(timed.begin(), timed.begin() + static_cast<std::ptrdiff_t>(n),
                     [](const Timed& a, const Timed& b) { return a.time > b.time; });
    for (std::size_t i = 0; i < n; ++i) g.kinds[g.kind_count++] = timed[i].kind;
    if (g.reordered_segments != 0) g.kinds[g.kind_count++] = DiagnosisKind::Reordering;
    if (g.capture) g.kinds[g.kind_count++] = DiagnosisKind::CaptureArtefacts;
    const bool problem = std::any_of(g.kinds.begin(), g.kinds.begin() + g.kind_count,
                                     [](DiagnosisKind k) { return k != DiagnosisKind::ServerThinkTime; });
    if (!problem) g.kinds[g.kind_count++] = DiagnosisKind::NoProblemSeen;
    return g;
}

}  // namespace tfx::analysis
