#include "explain/diagnosis_text.hpp"

#include <cstddef>

#include "i18n/catalogue.hpp"
#include "text/append.hpp"

namespace tfx::explain {

namespace {

using analysis::DiagnosisKind;
using i18n::Msg;
using i18n::say;
using text::append;

// A duration as append_exact_duration writes it, as a parameter of a message.
struct ExactDuration {
    ExactDuration(Duration d, Language lang) { append_exact_duration(text, d, lang); }
    fmt::memory_buffer text;
    [[nodiscard]] std::string_view view() const { return {text.data(), text.size()}; }
};

void append_count_times(fmt::memory_buffer& out, std::uint64_t n, Language lang) {
    if (n == 1)
        say(out, lang, Msg::DiagOnce);
    else if (n == 2)
        say(out, lang, Msg::DiagTwice);
    else
        say(out, lang, Msg::DiagTimes, {n});
}

void append_receiver_limited(fmt::memory_buffer& out, const analysis::Diagnosis& d, Language lang) {
    say(out, lang, Msg::DiagReceiverLimited);
    bool first = true;
    for (const auto& z : d.zero_window) {
        if (!z) continue;
        if (!first) say(out, lang, Msg::DiagnosisSeparator);
        first = false;
        fmt::memory_buffer times;
        append_count_times(times, z->segments, lang);
        const ExactDuration time(z->time, lang);
        say(out, lang, Msg::DiagZeroWindow,
            {i18n::role_word(lang, z->side), std::string_view(times.data(), times.size()), time.view(), z->spells});
    }
}

void append_think_time(fmt::memory_buffer& out, const analysis::ThinkTimeFacts& t, Language lang) {
    const ExactDuration max(t.max, lang);
    if (t.exchanges == 1) {
        say(out, lang, Msg::DiagThinkTimeOne, {max.view(), t.exchanges});
        return;
    }
    const ExactDuration total(t.total, lang);
    say(out, lang, Msg::DiagThinkTimeMany, {max.view(), total.view(), t.exchanges});
}

void append_recovery(fmt::memory_buffer& out, const analysis::RecoveryFacts& r, Language lang) {
    say(out, lang, Msg::DiagRecovery, {r.segments, r.fast, r.timeout, r.spurious});
    if (r.recoveries == 0) return;
    const ExactDuration time(r.time, lang);
    say(out, lang, Msg::DiagRecoveryTime, {time.view(), r.recoveries});
}

void append_capture(fmt::memory_buffer& out, const analysis::CaptureFacts& c, Language lang) {
    say(out, lang, Msg::DiagCaptureLead);
    std::string_view separator = " ";
    const auto part = [&](std::uint64_t n, Msg id) {
        if (n == 0) return;
        append(out, separator);
        say(out, lang, id, {n});
        separator = ", ";
    };
    part(c.acked_unseen, Msg::DiagCaptureAckedUnseen);
    part(c.dropped_bytes, Msg::DiagCaptureDropped);
    part(c.unfilled_gaps, Msg::DiagCaptureGaps);
    part(c.snaplen_cut, Msg::DiagCaptureSnaplen);
    part(c.offload_sized, Msg::DiagCaptureOffload);
}

void append_rtt(fmt::memory_buffer& out, const analysis::RttFacts& r, Language lang) {
    if (!r.value) {
        say(out, lang, Msg::DiagRttUnknown);
        return;
    }
    const ExactDuration rtt(*r.value, lang);
    say(out, lang, r.from_handshake ? Msg::DiagRttHandshake : Msg::DiagRttAck, {rtt.view()});
}

}  // namespace

void append_exact_duration(fmt::memory_buffer& out, Duration d, Language lang) {
    const std::int64_t ns = d.count();
    const std::int64_t mag = ns < 0 ? -ns : ns;
    const bool seconds = mag >= 1'000'000'000;
    const std::int64_t unit = seconds ? 1'000'000'000 : 1'000'000;
    int decimals = seconds ? 9 : 6;
    for (std::int64_t rest = mag % unit; decimals > 3 && rest % 10 == 0; rest /= 10) --decimals;
    const std::size_t start = out.size();
    text::append_fixed(out, ns, unit, decimals);
    // The decimal separator the reader expects: a comma in French.
    if (lang == Language::Fr)
        for (std::size_t i = start; i < out.size(); ++i)
            if (out[i] == '.') out[i] = ',';
    append(out, seconds ? " s" : " ms");
}

void append_diagnosis(fmt::memory_buffer& out, const analysis::Diagnosis& d, Language lang) {
    for (std::size_t i = 0; i < d.kind_count; ++i) {
        if (i > 0) say(out, lang, Msg::DiagnosisSeparator);
        switch (d.kinds[i]) {
            case DiagnosisKind::ReceiverLimited: append_receiver_limited(out, d, lang); break;
            case DiagnosisKind::ServerThinkTime: append_think_time(out, *d.think_time, lang); break;
            case DiagnosisKind::LossRecovery: append_recovery(out, *d.recovery, lang); break;
            case DiagnosisKind::Reordering: say(out, lang, Msg::DiagReordering, {d.reordered_segments}); break;
            case DiagnosisKind::CaptureArtefacts: append_capture(out, *d.capture, lang); break;
            case DiagnosisKind::NoProblemSeen: say(out, lang, Msg::DiagNoProblem); break;
        }
    }
    say(out, lang, Msg::DiagnosisSeparator);
    append_rtt(out, d.rtt, lang);
}

void append_diagnosis_line(fmt::memory_buffer& out, const ConversationSummary& s, Language lang) {
    say(out, lang, Msg::DiagnosisLabel);
    append_diagnosis(out, analysis::diagnose(s), lang);
    append(out, ".\n");
}

std::string diagnosis_text(const analysis::Diagnosis& d, Language lang) {
    fmt::memory_buffer out;
    append_diagnosis(out, d, lang);
    return fmt::to_string(out);
}

}  // namespace tfx::explain
