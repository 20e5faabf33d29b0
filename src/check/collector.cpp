#include "check/collector.hpp"

#include <algorithm>
#include <utility>

#include "explain/explain.hpp"
#include "i18n/catalogue.hpp"

namespace tfx::check {

bool SegmentLine::has(AnnotationCode c) const {
    return std::find(codes.begin(), codes.begin() + code_count, c) != codes.begin() + code_count;
}

SegmentLine SegmentLine::from(const AnnotatedSegment& seg, Language lang) {
    SegmentLine l;
    l.frame = seg.frame;
    l.since_start = seg.since_start;
    l.sender = seg.sender;
    l.flags = seg.flags;
    l.rel_seq = seg.rel_seq;
    l.rel_ack = seg.rel_ack;
    l.payload_len = seg.payload_len;
    l.window = seg.window;
    l.phase = seg.phase;
    l.meaning = seg.meaning;
    for (const auto& a : seg.notes()) {
        l.codes[l.code_count++] = a.code;
        l.code_texts.push_back(finding_text(a, seg, lang));
    }
    return l;
}

std::string finding_text(const Annotation& a, const AnnotatedSegment& seg, Language lang) {
    // The walkthrough never shows isn_inferred beside a segment, so it has no sentence there.
    if (a.code == AnnotationCode::IsnInferred) return std::string(i18n::word(lang, i18n::Msg::IsnInferredText));
    return explain::explain_annotation(a, seg, explain::Numbering::Relative, lang);
}

namespace {

bool resent(const AnnotatedSegment& seg) {
    return seg.has(AnnotationCode::Retransmission) || seg.has(AnnotationCode::FastRetransmission) ||
           seg.has(AnnotationCode::SpuriousRetransmission);
}

/// Keeps `sample` among the `limit` first of `kept` in the order `before`.
template <typename Before>
void keep_sample(std::vector<RttSample>& kept, const RttSample& sample, std::size_t limit, Before before) {
    const auto at = std::upper_bound(kept.begin(), kept.end(), sample, before);
    if (static_cast<std::size_t>(at - kept.begin()) >= limit) return;
    kept.insert(at, sample);
    if (kept.size() > limit) kept.pop_back();
}

}  // namespace

Collector::Collector(std::function<bool(const ConversationSummary&)> keep) : Collector(std::move(keep), Limits{}) {}

Collector::Collector(std::function<bool(const ConversationSummary&)> keep, Limits limits)
    : keep_(std::move(keep)), limits_(limits) {}

void Collector::capture_started(const CaptureInfo& info) { info_ = info; }

void Collector::segment(const AnnotatedSegment& seg) {
    if (seg.conversation == 0 || !seg.has_tcp) return;  // undecodable frames belong to no connection
    Pending& p = alive_[seg.conversation];
    ConnectionFacts& f = p.facts;

    auto record_flags = [&](std::vector<std::uint16_t>& v, bool& truncated) {
        if (v.size() < limits_.max_phase_flags)
            v.push_back(seg.flags);
        else
            truncated = true;
    };
    if (seg.payload_len > 0) {
        DataFrames& d = f.data[seg.sender == Role::Client ? 0 : 1];
        if (d.first == 0) d.first = seg.frame;
        d.last = seg.frame;
        ++d.segments;
        if (resent(seg)) ++d.retransmitted;
    }
    if (seg.ack_rtt && seg.acks_frame != 0 && *seg.ack_rtt >= Duration::zero()) {
        const RttSample sample{*seg.ack_rtt, seg.acks_frame, seg.frame};
        keep_sample(f.largest_rtts, sample, limits_.rtt_samples,
                    [](const RttSample& a, const RttSample& b) { return a.rtt > b.rtt; });
        keep_sample(f.smallest_rtts, sample, limits_.rtt_samples,
                    [](const RttSample& a, const RttSample& b) { return a.rtt < b.rtt; });
    }
    if (seg.phase == Phase::Handshake) record_flags(f.handshake_flags, f.handshake_flags_truncated);
    if (seg.phase == Phase::Teardown) record_flags(f.teardown_flags, f.teardown_flags_truncated);

    // Keep the segment when one of its reasons still has room; the reasons mirror
    // Evidence (handshake, teardown and resets, findings, first segment).
    const bool first = f.lines.empty();
    const bool handshake =
        seg.phase == Phase::Handshake || (seg.flags & tcpflag::kSyn) != 0 || seg.meaning == SegmentMeaning::Refused;
    const bool teardown = seg.phase == Phase::Teardown || (seg.flags & (tcpflag::kFin | tcpflag::kRst)) != 0;
    const bool room = f.lines.size() < limits_.max_lines;
    bool want = first;
    if (handshake) {
        if (room && p.handshake_lines < limits_.phase_lines) {
            want = true;
            ++p.handshake_lines;
        } else {
            ++f.handshake_not_kept;
        }
    }
    if (teardown) {
        if (room && p.teardown_lines < limits_.phase_lines) {
            want = true;
            ++p.teardown_lines;
        } else {
            ++f.teardown_not_kept;
            if (seg.flags & tcpflag::kRst) ++f.resets_not_kept;
        }
    }
    for (const auto& a : seg.notes()) {
        const auto i = static_cast<std::size_t>(a.code);
        if (room && p.per_code[i] < limits_.lines_per_code) {
            want = true;
            ++p.per_code[i];
        } else {
            ++f.findings_not_kept[i];
        }
    }
    if (want && room) {
        f.lines.push_back(SegmentLine::from(seg, language_));
        p.last.reset();
    } else {
        p.last = SegmentLine::from(seg, language_);
    }
}

void Collector::conversation_closed(const ConversationSummary& summary) {
    ++seen_;
    auto it = alive_.find(summary.id);
    if (!keep_ || keep_(summary)) {
        ConnectionFacts f;
        if (it != alive_.end()) {
            f = std::move(it->second.facts);
            if (it->second.last) f.lines.push_back(*it->second.last);
        }
        f.summary = summary;
        done_.push_back(std::move(f));
    }
    if (it != alive_.end()) alive_.erase(it);
}

void Collector::capture_finished(const CaptureSummary& summary) { summary_ = summary; }

std::vector<ConnectionFacts> Collector::take() {
    std::stable_sort(done_.begin(), done_.end(),
                     [](const ConnectionFacts& a, const ConnectionFacts& b) { return a.summary.id < b.summary.id; });
    return std::move(done_);
}

}  // namespace tfx::check
