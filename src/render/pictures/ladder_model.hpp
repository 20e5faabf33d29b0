#pragma once
// The ladder of one connection, independent of how it is drawn: the rows a ladder diagram
// shows (one per segment, top to bottom in capture order), each with its direction, frame,
// time, a short label, the states each side enters and the findings to mark on the arrow.
// The terminal, Mermaid and SVG ladders draw this same model; none of it knows characters,
// colours or coordinates.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tfx/conversation.hpp"
#include "tfx/language.hpp"
#include "tfx/segment.hpp"

namespace tfx::render {

/// Findings drawn on an arrow, as bits of LadderRow::marks.
namespace ladder_mark {
inline constexpr std::uint16_t kRetransmission = 1 << 0;  ///< any retransmission (SYN, fast, spurious)
inline constexpr std::uint16_t kDuplicateAck = 1 << 1;
inline constexpr std::uint16_t kZeroWindow = 1 << 2;
inline constexpr std::uint16_t kWindowProbe = 1 << 3;  ///< zero-window probe
inline constexpr std::uint16_t kKeepAlive = 1 << 4;
inline constexpr std::uint16_t kReset = 1 << 5;  ///< RST flag
inline constexpr std::uint16_t kOutOfOrder = 1 << 6;
inline constexpr std::uint16_t kNotCaptured = 1 << 7;  ///< a row for a segment the capture never saw
}  // namespace ladder_mark

struct LadderRow {
    enum class Kind : std::uint8_t {
        Segment,      ///< a captured segment
        NotCaptured,  ///< the bytes before a sequence gap: sent, never seen at the capture point
    };
    Kind kind = Kind::Segment;
    FrameIndex frame = 0;  ///< 0 for a NotCaptured row
    Duration time{};       ///< since the connection's first frame
    Role sender{};
    std::string label;  ///< "SYN seq 0", "PSH-ACK 1:7(6) ack 1", "? 5793:7241(1448)"
    /// Shorter forms of the label, for narrow drawings: without the ACK number, then the
    /// flags and length only ("PSH-ACK (6)").
    std::string label_no_ack;
    std::string label_brief;
    /// States each side enters on this row, in order ([0] client, [1] server).
    std::array<std::array<TcpState, 4>, 2> states{};
    std::array<std::uint8_t, 2> state_count{};
    std::uint16_t marks = 0;  ///< ladder_mark bits
    std::string note;         ///< "handshake 1/3", "retransmission of #8", "dup ACK #2 of #18"

    [[nodiscard]] bool has(std::uint16_t mark) const { return (marks & mark) != 0; }
    [[nodiscard]] std::size_t state_steps(Role side) const {
        return state_count[static_cast<std::size_t>(index_of(side))];
    }
    [[nodiscard]] TcpState state(Role side, std::size_t i) const {
        return states[static_cast<std::size_t>(index_of(side))][i];
    }
};

struct LadderModel {
    /// Rows kept per connection. A ladder of thousands of arrows is read by nobody, and each
    /// connection's rows are held until it closes: the cap bounds that memory. Segments past
    /// it are counted in `not_drawn` (drawn as one "N more segments not drawn" row).
    static constexpr std::size_t kMaxRows = 2000;

    ConversationId id = 0;
    Endpoint client;
    Endpoint server;
    bool roles_inferred = false;
    /// Each side's state before its first change (Unknown: the capture cannot tell).
    std::array<TcpState, 2> initial{TcpState::Unknown, TcpState::Unknown};
    std::vector<LadderRow> rows;
    std::uint64_t not_drawn = 0;  ///< segments past kMaxRows
    Duration duration{};          ///< time of the last segment seen, since the first

    [[nodiscard]] TcpState initial_state(Role side) const { return initial[static_cast<std::size_t>(index_of(side))]; }
};

/// Builds one connection's model from its events, segment by segment.
class LadderBuilder {
public:
    /// `absolute`: label with the raw sequence numbers (-S) instead of the relative ones;
    /// the notes are written in `lang`.
    LadderBuilder(const ConversationSummary& opening, bool absolute, Language lang = Language::En);
    void add(const AnnotatedSegment& seg);
    [[nodiscard]] const LadderModel& model() const { return model_; }
    [[nodiscard]] LadderModel take() { return std::move(model_); }

private:
    void push(LadderRow row);
    LadderModel model_;
    bool absolute_;
    Language lang_;
    std::array<bool, 2> changed_{};  ///< a side's first state change was seen
};

/// The short name of what a segment means ("open request", "data", "final ACK") in `lang`.
[[nodiscard]] std::string_view short_meaning(SegmentMeaning m, Language lang = Language::En);

}  // namespace tfx::render
