#include "explain/diagnosis_text.hpp"

#include <fmt/compile.h>

#include <cstddef>

#include "text/append.hpp"

namespace tfx::explain {

namespace {

using analysis::DiagnosisKind;
using text::append;

std::string_view plural(std::uint64_t n) { return n == 1 ? "" : "s"; }
std::string_view times(std::uint64_t n) { return n == 1 ? "once" : n == 2 ? "twice" : ""; }

void append_count_times(fmt::memory_buffer& out, std::uint64_t n) {
    if (n <= 2)
        append(out, times(n));
    else
        append(out, FMT_COMPILE("{} times"), n);
}

void append_receiver_limited(fmt::memory_buffer& out, const analysis::Diagnosis& d) {
    append(out, "receiver-limited: ");
    std::string_view separator;
    for (const auto& z : d.zero_window) {
        if (!z) continue;
        append(out, separator);
        separator = "; ";
        append(out, FMT_COMPILE("the {} advertised a zero window "), to_string(z->side));
        append_count_times(out, z->segments);
        append(out, ", its application was not reading for ");
        append_exact_duration(out, z->time);
        append(out, FMT_COMPILE(" ({} spell{})"), z->spells, plural(z->spells));
    }
}

void append_think_time(fmt::memory_buffer& out, const analysis::ThinkTimeFacts& t) {
    append(out, "server think time ");
    if (t.exchanges == 1) {
        append_exact_duration(out, t.max);
    } else {
        append(out, "up to ");
        append_exact_duration(out, t.max);
        append(out, " (");
        append_exact_duration(out, t.total);
        append(out, " in all)");
    }
    append(out, FMT_COMPILE(" from the end of a request to the first response byte ({} exchange{})"), t.exchanges,
           plural(t.exchanges));
}

void append_recovery(fmt::memory_buffer& out, const analysis::RecoveryFacts& r) {
    append(out, FMT_COMPILE("loss recovery: {} segment{} retransmitted ({} fast, {} after a timeout, {} spurious)"),
           r.segments, plural(r.segments), r.fast, r.timeout, r.spurious);
    if (r.recoveries != 0) {
        append(out, ", ");
        append_exact_duration(out, r.time);
        append(out, FMT_COMPILE(" in recovery ({} recover{})"), r.recoveries, r.recoveries == 1 ? "y" : "ies");
    }
}

void append_capture(fmt::memory_buffer& out, const analysis::CaptureFacts& c) {
    append(out, "capture artefacts, not the network:");
    std::string_view separator = " ";
    const auto part = [&](std::uint64_t n, std::string_view one, std::string_view many) {
        if (n == 0) return;
        append(out, FMT_COMPILE("{}{} {}"), separator, n, n == 1 ? one : many);
        separator = ", ";
    };
    part(c.acked_unseen, "ACK for a segment the capture never saw", "ACKs for segments the capture never saw");
    part(c.dropped_bytes, "byte acknowledged but never captured", "bytes acknowledged but never captured");
    part(c.unfilled_gaps, "sequence gap nothing filled", "sequence gaps nothing filled");
    part(c.snaplen_cut, "segment cut by the snaplen", "segments cut by the snaplen");
    part(c.offload_sized, "segment larger than the MSS (offload on the capturing host)",
         "segments larger than the MSS (offload on the capturing host)");
}

void append_rtt(fmt::memory_buffer& out, const analysis::RttFacts& r) {
    if (!r.value) {
        append(out, "network RTT unknown");
        return;
    }
    append(out, "network RTT ");
    append_exact_duration(out, *r.value);
    append(out, r.from_handshake ? " (handshake)" : " (smallest ACK RTT)");
}

}  // namespace

void append_exact_duration(fmt::memory_buffer& out, Duration d) {
    const std::int64_t ns = d.count();
    const std::int64_t mag = ns < 0 ? -ns : ns;
    const bool seconds = mag >= 1'000'000'000;
    const std::int64_t unit = seconds ? 1'000'000'000 : 1'000'000;
    int decimals = seconds ? 9 : 6;
    for (std::int64_t rest = mag % unit; decimals > 3 && rest % 10 == 0; rest /= 10) --decimals;
    text::append_fixed(out, ns, unit, decimals);
    append(out, seconds ? " s" : " ms");
}

void append_diagnosis(fmt::memory_buffer& out, const analysis::Diagnosis& d) {
    for (std::size_t i = 0; i < d.kind_count; ++i) {
        if (i > 0) append(out, "; ");
        switch (d.kinds[i]) {
            case DiagnosisKind::ReceiverLimited: append_receiver_limited(out, d); break;
            case DiagnosisKind::ServerThinkTime: append_think_time(out, *d.think_time); break;
            case DiagnosisKind::LossRecovery: append_recovery(out, *d.recovery); break;
            case DiagnosisKind::Reordering:
                append(out, FMT_COMPILE("{} segment{} reordered in the network, not lost"), d.reordered_segments,
                       plural(d.reordered_segments));
                break;
            case DiagnosisKind::CaptureArtefacts: append_capture(out, *d.capture); break;
            case DiagnosisKind::NoProblemSeen: append(out, "no problem seen"); break;
        }
    }
    append(out, "; ");
    append_rtt(out, d.rtt);
}

void append_diagnosis_line(fmt::memory_buffer& out, const ConversationSummary& s) {
    append(out, "  diagnosis: ");
    append_diagnosis(out, analysis::diagnose(s));
    append(out, ".\n");
}

std::string diagnosis_text(const analysis::Diagnosis& d) {
    fmt::memory_buffer out;
    append_diagnosis(out, d);
    return fmt::to_string(out);
}

}  // namespace tfx::explain
