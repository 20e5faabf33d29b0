#include "render/pictures/ladder_model.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "explain/explain.hpp"
#include "render/text_format.hpp"

namespace tfx::render {

namespace {

// " #8": the frame a finding refers to, when it is one the capture holds (0: none).
std::string of_frame(FrameIndex related) { return related ? fmt::format(" #{}", related) : std::string(); }

// The finding a row's note names, in a few words; empty for findings the ladder leaves to
// the walkthrough (snaplen cuts, inferred numbers and roles: they say nothing about the
// exchange the arrows draw).
std::string finding_note(const Annotation& a) {
    switch (a.code) {
        case AnnotationCode::Retransmission: return "retransmits" + of_frame(a.related);
        case AnnotationCode::FastRetransmission: return "fast retransmit" + of_frame(a.related);
        case AnnotationCode::SpuriousRetransmission: return "spurious resend" + of_frame(a.related);
        case AnnotationCode::SynRetransmission: return "SYN sent again";
        case AnnotationCode::DuplicateAck:
            return fmt::format("dup ACK #{}", a.a) + (a.related ? " of" + of_frame(a.related) : "");
        case AnnotationCode::ZeroWindow: return "zero window";
        case AnnotationCode::ZeroWindowProbe: return "window probe";
        case AnnotationCode::ZeroWindowProbeAck: return "probe ACK";
        case AnnotationCode::KeepAlive: return "keep-alive";
        case AnnotationCode::KeepAliveAck: return "keep-alive ACK";
        case AnnotationCode::OutOfOrder: return "out of order";
        case AnnotationCode::LostSegment: return "after a gap";
        case AnnotationCode::WindowUpdate: return "window update";
        case AnnotationCode::WindowFull: return "window full";
        case AnnotationCode::CaptureDrop: return "ACKs bytes not captured";
        case AnnotationCode::SimultaneousOpen: return "simultaneous open";
        case AnnotationCode::MidStreamStart: return "mid-stream";
        default: break;
    }
    if (code_severity(a.code) < Severity::Warning) return {};
    std::string words(code_name(a.code));
    std::replace(words.begin(), words.end(), '_', ' ');
    return words;
}

std::uint16_t finding_mark(AnnotationCode code) {
    switch (code) {
        case AnnotationCode::Retransmission:
        case AnnotationCode::FastRetransmission:
        case AnnotationCode::SpuriousRetransmission:
        case AnnotationCode::SynRetransmission: return ladder_mark::kRetransmission;
        case AnnotationCode::DuplicateAck: return ladder_mark::kDuplicateAck;
        case AnnotationCode::ZeroWindow: return ladder_mark::kZeroWindow;
        case AnnotationCode::ZeroWindowProbe: return ladder_mark::kWindowProbe;
        case AnnotationCode::KeepAlive: return ladder_mark::kKeepAlive;
        case AnnotationCode::OutOfOrder: return ladder_mark::kOutOfOrder;
        default: return 0;
    }
}

void add_note(std::string& note, std::string_view part) {
    if (part.empty()) return;
    if (!note.empty()) note += "; ";
    note += part;
}

}  // namespace

std::string_view short_meaning(SegmentMeaning m) {
    switch (m) {
        case SegmentMeaning::Undecodable: return "undecodable";
        case SegmentMeaning::ConnectionRequest: return "open request";
        case SegmentMeaning::SynRetransmitted: return "SYN sent again";
        case SegmentMeaning::SimultaneousSyn: return "crossing SYNs";
        case SegmentMeaning::ConnectionAccepted: return "accepted";
        case SegmentMeaning::HandshakeComplete: return "handshake done";
        case SegmentMeaning::SimultaneousSynAck: return "crossing SYN-ACKs";
        case SegmentMeaning::Data: return "data";
        case SegmentMeaning::DataNoAck: return "data, no ACK bit";
        case SegmentMeaning::Ack: return "ACK of data";
        case SegmentMeaning::AckNothingNew: return "ACK, nothing new";
        case SegmentMeaning::CloseRequest: return "close";
        case SegmentMeaning::CloseReply: return "close too";
        case SegmentMeaning::SimultaneousClose: return "crossing FINs";
        case SegmentMeaning::FinAcked: return "ACK of FIN";
        case SegmentMeaning::FinalAck: return "final ACK";
        case SegmentMeaning::Refused: return "refused";
        case SegmentMeaning::Reset: return "reset";
        case SegmentMeaning::ResetAfterClose: return "reset after close";
        case SegmentMeaning::MidStream: return "mid-stream";
        case SegmentMeaning::DuplicateAck: return "duplicate ACK";
        case SegmentMeaning::WindowUpdate: return "window update";
        case SegmentMeaning::KeepAlive: return "keep-alive";
        case SegmentMeaning::KeepAliveAck: return "keep-alive ACK";
        case SegmentMeaning::ZeroWindowProbe: return "window probe";
        case SegmentMeaning::ZeroWindowProbeAck: return "probe ACK";
        case SegmentMeaning::FinRetransmitted: return "FIN sent again";
        case SegmentMeaning::Probe: return "scan probe";
        case SegmentMeaning::ProbeReset: return "probe answered";
        case SegmentMeaning::NoAck: return "no ACK bit";
    }
    return "";
}

LadderBuilder::LadderBuilder(const ConversationSummary& opening, bool absolute) : absolute_(absolute) {
    model_.id = opening.id;
    model_.client = opening.client;
    model_.server = opening.server;
    model_.roles_inferred = opening.roles_inferred;
}

void LadderBuilder::push(LadderRow row) {
    if (model_.rows.size() >= LadderModel::kMaxRows) {
        if (row.kind == LadderRow::Kind::Segment) ++model_.not_drawn;
        return;
    }
    model_.rows.push_back(std::move(row));
}

void LadderBuilder::add(const AnnotatedSegment& s) {
    if (!s.has_tcp) return;
    model_.duration = std::max(model_.duration, s.since_start);
    const std::uint32_t own_base = absolute_ ? s.seq - s.rel_seq : 0;

    // The bytes before a sequence gap were sent before this segment and never passed here.
    for (const auto& a : s.notes()) {
        if (a.code != AnnotationCode::LostSegment || a.b <= a.a) continue;
        LadderRow gap;
        gap.kind = LadderRow::Kind::NotCaptured;
        gap.time = s.since_start;
        gap.sender = s.sender;
        const auto first = static_cast<std::uint32_t>(a.a) + own_base;
        const auto end = static_cast<std::uint32_t>(a.b) + own_base;
        gap.label = fmt::format("? {}:{}({})", first, end, end - first);
        gap.label_no_ack = gap.label;
        gap.label_brief = fmt::format("? ({})", end - first);
        gap.marks = ladder_mark::kNotCaptured;
        gap.note = "not captured";
        push(std::move(gap));
    }

    LadderRow row;
    row.frame = s.frame;
    row.time = s.since_start;
    row.sender = s.sender;
    const std::string_view flags = flags_words(s.flags);
    const std::uint32_t seq = absolute_ ? s.seq : s.rel_seq;
    const std::uint32_t ack = absolute_ ? s.ack : s.rel_ack;
    if (s.payload_len > 0) {
        row.label_no_ack = fmt::format("{} {}:{}({})", flags, seq, seq + s.payload_len, s.payload_len);
        row.label_brief = fmt::format("{} ({})", flags, s.payload_len);
    } else {
        row.label_no_ack = fmt::format("{} seq {}", flags, seq);
        row.label_brief = std::string(flags);
    }
    row.label = row.label_no_ack;
    if (s.flags & tcpflag::kAck) row.label += fmt::format(" ack {}", ack);
    if (s.flags & tcpflag::kRst) row.marks |= ladder_mark::kReset;

    for (const auto& c : s.state_changes()) {
        const auto side = static_cast<std::size_t>(index_of(c.endpoint));
        if (!changed_[side]) model_.initial[side] = c.from;
        changed_[side] = true;
        auto& count = row.state_count[side];
        if (count < row.states[side].size()) row.states[side][count++] = c.to;
    }

    if (s.phase != Phase::None) {
        row.note = s.steps ? fmt::format("{} {}/{}", explain::phase_name(s.phase), s.step, s.steps)
                           : fmt::format("{} {}/?", explain::phase_name(s.phase), s.step);
    }
    // A repeated SYN that the analysis also found to be a retransmission says so once.
    const bool retransmission_named = s.has(AnnotationCode::Retransmission) ||
                                      s.has(AnnotationCode::FastRetransmission) ||
                                      s.has(AnnotationCode::SpuriousRetransmission);
    for (const auto& a : s.notes()) {
        row.marks |= finding_mark(a.code);
        if (a.code == AnnotationCode::SynRetransmission && retransmission_named) continue;
        add_note(row.note, finding_note(a));
    }
    if (row.note.empty()) row.note = std::string(short_meaning(s.meaning));
    push(std::move(row));
}

}  // namespace tfx::render
