#pragma once
// What --step shows, gathered while the capture is read: one stop per segment shown, with
// its text (the walkthrough's block of that segment) or, for the ladder, the segments
// themselves (each screen's ladder is drawn from them when it is shown), and the state of
// both endpoints after it. Everything stays in memory, so the stops are bounded.

#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tfx/render.hpp"

namespace tfx::step {

/// Segments --step holds at most; past it the capture is refused (narrow it with --conn or a
/// filter).
inline constexpr std::size_t kMaxStops = 100'000;

struct Stop {
    FrameIndex frame = 0;
    ConversationId conversation = 0;  ///< 0: a malformed frame, no connection
    std::size_t text_begin = 0;       ///< walkthrough view: the block in Recorder::text()
    std::size_t text_end = 0;
    std::array<StateChange, 4> changes{};
    std::uint8_t change_count = 0;
    /// Client's and server's state after this segment (Unknown: the capture cannot tell).
    std::array<TcpState, 2> states{TcpState::Unknown, TcpState::Unknown};
};

class Recorder final : public EventSink {
public:
    /// `format`: Text (the walkthrough) or Ladder.
    Recorder(OutputFormat format, const RenderOptions& options);
    ~Recorder() override;
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    void capture_started(const CaptureInfo& info) override;
    void conversation_opened(const ConversationSummary& opening) override;
    void segment(const AnnotatedSegment& seg) override;
    void conversation_closed(const ConversationSummary& summary) override;
    void capture_finished(const CaptureSummary& summary) override;

    [[nodiscard]] OutputFormat format() const { return format_; }
    [[nodiscard]] Language language() const { return options_.language; }
    [[nodiscard]] const std::vector<Stop>& stops() const { return stops_; }
    /// More segments than kMaxStops were shown: the stops are incomplete.
    [[nodiscard]] bool over_bound() const { return over_bound_; }
    /// What the screen of stop `i` shows below the status line.
    [[nodiscard]] std::string screen_text(std::size_t i) const;

    /// The renderer's output arrives here (through the FILE it writes to).
    void take(std::string_view bytes);

private:
    [[nodiscard]] std::size_t rendered_size();
    [[nodiscard]] std::string ladder_until(std::size_t i) const;
    void settle_states();

    OutputFormat format_;
    RenderOptions options_;
    std::FILE* file_ = nullptr;
    std::unique_ptr<EventSink> renderer_;  ///< walkthrough view only
    std::string text_;
    std::vector<Stop> stops_;
    bool over_bound_ = false;
    // Ladder view: each connection's opening and every segment shown (payload left out).
    std::map<ConversationId, ConversationSummary> openings_;
    std::vector<AnnotatedSegment> segments_;
};

}  // namespace tfx::step
