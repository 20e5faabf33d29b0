#pragma once
// The event sink of `check`: keeps, per connection, what expectations are evaluated on.
//
// Input: the pipeline's events. Output: one ConnectionFacts per finished connection that a
// selector of the run wants: its ConversationSummary, the flag sequences of its handshake
// and teardown phases, and a bounded sample of annotated segments (handshake, teardown,
// resets, the first few segments carrying each finding, first and last segment) used to
// explain failures. Memory per connection is bounded by Limits whatever the capture length.
// Non-goals: payload, full walkthroughs (the walkthrough command does that).

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tfx/language.hpp"
#include "tfx/session.hpp"

namespace tfx::check {

/// One annotated segment, reduced to what a one-line report needs.
struct SegmentLine {
    FrameIndex frame = 0;
    Duration since_start{};
    Role sender{};
    std::uint16_t flags = 0;
    std::uint32_t rel_seq = 0;
    std::uint32_t rel_ack = 0;
    std::uint32_t payload_len = 0;
    std::uint64_t window = 0;
    Phase phase = Phase::None;
    SegmentMeaning meaning = SegmentMeaning::Undecodable;
    std::uint8_t code_count = 0;
    std::array<AnnotationCode, AnnotatedSegment::kMaxAnnotations> codes{};
    /// Each finding's sentence, in the order of `codes` ("retransmission of #5, ...").
    std::vector<std::string> code_texts;

    [[nodiscard]] bool has(AnnotationCode c) const;
    /// The segment's line, its findings' sentences in `lang`.
    [[nodiscard]] static SegmentLine from(const AnnotatedSegment& seg, Language lang = Language::En);
};

/// The segments of one direction that carried payload: what byte counts are made of.
struct DataFrames {
    FrameIndex first = 0;  ///< 0: none
    FrameIndex last = 0;
    std::uint32_t segments = 0;
    std::uint32_t retransmitted = 0;  ///< of those, annotated as a retransmission
};

/// One ACK RTT: the data (or SYN, FIN) frame, the frame that acknowledged it, the time between.
struct RttSample {
    Duration rtt{};
    FrameIndex data_frame = 0;
    FrameIndex ack_frame = 0;
};

/// The sentence of one finding of `seg`, as the walkthrough writes it beside the segment.
[[nodiscard]] std::string finding_text(const Annotation& a, const AnnotatedSegment& seg, Language lang = Language::En);

struct ConnectionFacts {
    ConversationSummary summary;
    std::vector<std::uint16_t> handshake_flags;  ///< flags of Phase::Handshake segments, in order
    std::vector<std::uint16_t> teardown_flags;   ///< flags of Phase::Teardown segments, in order
    bool handshake_flags_truncated = false;      ///< more than Limits::max_phase_flags
    bool teardown_flags_truncated = false;
    std::vector<SegmentLine> lines;  ///< bounded sample, capture order
    /// Segments that qualified as evidence but were beyond the bounds, by reason.
    std::uint32_t handshake_not_kept = 0;
    std::uint32_t teardown_not_kept = 0;  ///< FIN, RST or teardown-phase segments
    std::uint32_t resets_not_kept = 0;
    std::array<std::uint32_t, kAnnotationCodeCount> findings_not_kept{};
    std::array<DataFrames, 2> data{};  ///< by sender: client, server
    /// The largest and the smallest ACK RTTs measured, largest (smallest) first, at most
    /// Limits::rtt_samples each. The summary's statistics leave out ambiguous samples (Karn's
    /// rule), so the one behind rtt_max is the first here of the same value.
    std::vector<RttSample> largest_rtts;
    std::vector<RttSample> smallest_rtts;
};

class Collector final : public EventSink {
public:
    struct Limits {
        std::size_t max_phase_flags = 32;  ///< per phase
        std::size_t phase_lines = 12;      ///< handshake lines, and teardown/RST lines
        std::size_t lines_per_code = 4;    ///< segments kept per finding code
        std::size_t max_lines = 64;        ///< all lines of one connection
        std::size_t rtt_samples = 4;       ///< largest and smallest ACK RTTs kept
    };
    /// `keep` decides, when a connection finishes, whether its facts are kept.
    explicit Collector(std::function<bool(const ConversationSummary&)> keep);
    Collector(std::function<bool(const ConversationSummary&)> keep, Limits limits);
    /// The language of the findings' sentences the kept lines carry (English by default).
    void set_language(Language lang) { language_ = lang; }

    void capture_started(const CaptureInfo& info) override;
    void segment(const AnnotatedSegment& seg) override;
    void conversation_closed(const ConversationSummary& summary) override;
    void capture_finished(const CaptureSummary& summary) override;

    /// Kept connections, by connection id.
    [[nodiscard]] std::vector<ConnectionFacts> take();
    [[nodiscard]] std::uint64_t connections_seen() const { return seen_; }
    [[nodiscard]] const CaptureInfo& info() const { return info_; }
    [[nodiscard]] const std::optional<CaptureSummary>& summary() const { return summary_; }

private:
    struct Pending {
        ConnectionFacts facts;
        std::array<std::uint8_t, kAnnotationCodeCount> per_code{};
        std::size_t handshake_lines = 0;
        std::size_t teardown_lines = 0;
        std::optional<SegmentLine> last;  ///< latest segment not kept (shown as the end)
    };

    std::function<bool(const ConversationSummary&)> keep_;
    Limits limits_;
    Language language_ = Language::En;
    std::map<ConversationId, Pending> alive_;
    std::vector<ConnectionFacts> done_;
    std::uint64_t seen_ = 0;
    CaptureInfo info_;
    std::optional<CaptureSummary> summary_;
};

}  // namespace tfx::check
