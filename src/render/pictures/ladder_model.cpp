#include "render/pictures/ladder_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "i18n/catalogue.hpp"
#include "render/text_format.hpp"

namespace tfx::render {

namespace {

using i18n::Msg;

// The findings whose note is a fixed phrase.
std::optional<Msg> fixed_note(AnnotationCode code) {
    switch (code) {
        case AnnotationCode::ZeroWindow: return Msg::PicNoteZeroWindow;
        case AnnotationCode::ZeroWindowProbe: return Msg::PicNoteWindowProbe;
        case AnnotationCode::ZeroWindowProbeAck: return Msg::PicNoteProbeAck;
        case AnnotationCode::KeepAlive: return Msg::PicNoteKeepAlive;
        case AnnotationCode::KeepAliveAck: return Msg::PicNoteKeepAliveAck;
        case AnnotationCode::OutOfOrder: return Msg::PicNoteOutOfOrder;
        case AnnotationCode::LostSegment: return Msg::PicNoteAfterGap;
        case AnnotationCode::WindowUpdate: return Msg::PicNoteWindowUpdate;
        case AnnotationCode::WindowFull: return Msg::PicNoteWindowFull;
        case AnnotationCode::CaptureDrop: return Msg::PicNoteAcksUncaptured;
        case AnnotationCode::SimultaneousOpen: return Msg::PicNoteSimultaneousOpen;
        case AnnotationCode::MidStreamStart: return Msg::PicNoteMidStream;
        default: return std::nullopt;
    }
}

// The finding a row's note names, in a few words; empty for findings the ladder leaves to
// the walkthrough (snaplen cuts, inferred numbers and roles: they say nothing about the
// exchange the arrows draw).
std::string finding_note(const Annotation& a, Language lang) {
    // " #8": the frame a finding refers to, when it is one the capture holds (0: none).
    const auto with_frame = [&](Msg id) {
        std::string note(i18n::word(lang, id));
        if (a.related) note += fmt::format(" #{}", a.related);
        return note;
    };
    switch (a.code) {
        case AnnotationCode::Retransmission: return with_frame(Msg::PicNoteRetransmits);
        case AnnotationCode::FastRetransmission: return with_frame(Msg::PicNoteFastRetransmit);
        case AnnotationCode::SpuriousRetransmission: return with_frame(Msg::PicNoteSpuriousResend);
        case AnnotationCode::SynRetransmission: return std::string(i18n::word(lang, Msg::PicNoteSynAgain));
        case AnnotationCode::DuplicateAck:
            return a.related ? i18n::said(lang, Msg::PicNoteDupAckOf, {a.a, a.related})
                             : i18n::said(lang, Msg::PicNoteDupAck, {a.a});
        default: break;
    }
    if (const auto id = fixed_note(a.code)) return std::string(i18n::word(lang, *id));
    // The other warnings by their code, the same in every language.
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

std::string_view short_meaning(SegmentMeaning m, Language lang) {
    const Msg id = [m] {
        switch (m) {
            case SegmentMeaning::Undecodable: return Msg::PicMeaningUndecodable;
            case SegmentMeaning::ConnectionRequest: return Msg::PicMeaningOpenRequest;
            case SegmentMeaning::SynRetransmitted: return Msg::PicNoteSynAgain;
            case SegmentMeaning::SimultaneousSyn: return Msg::PicMeaningCrossingSyns;
            case SegmentMeaning::ConnectionAccepted: return Msg::PicMeaningAccepted;
            case SegmentMeaning::HandshakeComplete: return Msg::PicMeaningHandshakeDone;
            case SegmentMeaning::SimultaneousSynAck: return Msg::PicMeaningCrossingSynAcks;
            case SegmentMeaning::Data: return Msg::PicMeaningData;
            case SegmentMeaning::DataNoAck: return Msg::PicMeaningDataNoAck;
            case SegmentMeaning::Ack: return Msg::PicMeaningAckOfData;
            case SegmentMeaning::AckNothingNew: return Msg::PicMeaningAckNothingNew;
            case SegmentMeaning::CloseRequest: return Msg::PicMeaningClose;
            case SegmentMeaning::CloseReply: return Msg::PicMeaningCloseToo;
            case SegmentMeaning::SimultaneousClose: return Msg::PicMeaningCrossingFins;
            case SegmentMeaning::FinAcked: return Msg::PicMeaningFinAcked;
            case SegmentMeaning::FinalAck: return Msg::PicMeaningFinalAck;
            case SegmentMeaning::Refused: return Msg::PicMeaningRefused;
            case SegmentMeaning::Reset: return Msg::PicMeaningReset;
            case SegmentMeaning::ResetAfterClose: return Msg::PicMeaningResetAfterClose;
            case SegmentMeaning::MidStream: return Msg::PicNoteMidStream;
            case SegmentMeaning::DuplicateAck: return Msg::PicMeaningDuplicateAck;
            case SegmentMeaning::WindowUpdate: return Msg::PicNoteWindowUpdate;
            case SegmentMeaning::KeepAlive: return Msg::PicNoteKeepAlive;
            case SegmentMeaning::KeepAliveAck: return Msg::PicNoteKeepAliveAck;
            case SegmentMeaning::ZeroWindowProbe: return Msg::PicNoteWindowProbe;
            case SegmentMeaning::ZeroWindowProbeAck: return Msg::PicNoteProbeAck;
            case SegmentMeaning::FinRetransmitted: return Msg::PicMeaningFinAgain;
            case SegmentMeaning::Probe: return Msg::PicMeaningScanProbe;
            case SegmentMeaning::ProbeReset: return Msg::PicMeaningProbeAnswered;
            case SegmentMeaning::NoAck: return Msg::PicMeaningNoAck;
        }
        return Msg::PicMeaningUndecodable;
    }();
    return i18n::word(lang, id);
}

LadderBuilder::LadderBuilder(const ConversationSummary& opening, bool absolute, Language lang)
    : absolute_(absolute), lang_(lang) {
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
        gap.note = i18n::word(lang_, Msg::PicNoteNotCaptured);
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
        const std::string_view phase =
            i18n::word(lang_, s.phase == Phase::Handshake ? Msg::PhaseHandshake : Msg::PhaseTeardown);
        fmt::memory_buffer note;
        append_phase_step(note, phase, s);
        row.note = fmt::to_string(note);
    }
    for (const auto& a : s.notes()) {
        row.marks |= finding_mark(a.code);
        if (a.code == AnnotationCode::SynRetransmission && !shown_beside_segment(a, s)) continue;
        add_note(row.note, finding_note(a, lang_));
    }
    if (row.note.empty()) row.note = std::string(short_meaning(s.meaning, lang_));
    push(std::move(row));
}

}  // namespace tfx::render
