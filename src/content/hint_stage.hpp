#pragma once
// Module note: content / hint_stage
//   Purpose: the content hints of every connection (docs/content.md), found on the analysis
//   thread from the first bytes of each direction and handed to the outputs: the segment that
//   completed a direction's hint carries it (AnnotatedSegment::content_hint), and the
//   connection's summary carries both (ConversationSummary::content_hints). An EventSink
//   placed in front of the run's own sink: every event passes on, only these fields added.
//   It is created only when an output shows hints, so a run without one does no content work.
//   Bytes: a direction's first bytes in stream order, offset 0 at relative sequence number 1
//   (the first byte after the SYN), contiguous only. A direction whose SYN was not captured,
//   or whose next bytes arrive out of order or after a gap, is given up: its first bytes are
//   not known, and a hint from bytes in the middle would be a guess. Collecting stops as soon
//   as identify() says the hint is complete (bytes_needed == 0), the parsers' bound is reached,
//   or the capture cut the payload (snaplen).
//   Memory: at most kMaxDirectionBytes a direction, kMaxHeldBytes for all live connections
//   (a direction that would pass it is given up), freed when the connection's
//   conversation_closed passes, or as soon as neither direction can get a known kind.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "tfx/content.hpp"
#include "tfx/forwarding_sink.hpp"

namespace tfx::content {

/// Most first bytes kept for one direction: the most any parser reads.
inline constexpr std::size_t kMaxDirectionBytes = std::max(kMaxHelloBytes, kMaxLineBytes);
/// Fewest first bytes looked at when a segment brings them: every signature and the client
/// commands that tell SMTP from FTP fit, so a direction of unknown bytes (most of a capture's
/// traffic) is decided by one identify() call and keeps only these.
inline constexpr std::size_t kFirstLookBytes = 16;
/// Most first bytes held for all live connections together (4096 directions at the largest
/// bound; a first message is usually a few hundred bytes, so far more in practice).
inline constexpr std::size_t kMaxHeldBytes = std::size_t{64} << 20;

class HintStage : public ForwardingSink {
public:
    explicit HintStage(EventSink& next) : ForwardingSink(next) {}

    void conversation_opened(const ConversationSummary& opening) override;
    void segment(const AnnotatedSegment& seg) override;
    /// Segments are needed here, whatever the next sink does with them.
    [[nodiscard]] bool wants_segments() const override { return true; }
    void conversation_closed(const ConversationSummary& summary) override;
    void capture_finished(const CaptureSummary& summary) override;

    /// First bytes held now, for all connections.
    [[nodiscard]] std::size_t held_bytes() const { return held_; }

private:
    enum class Progress : std::uint8_t { WaitingForSyn, Collecting, Complete, GaveUp };
    struct Direction {
        Progress progress = Progress::WaitingForSyn;
        std::vector<std::uint8_t> first_bytes;
        /// First bytes identify() asked for last (its bytes_needed): taken at once from the
        /// next segment, not byte by byte.
        std::size_t wanted = kFirstLookBytes;
        /// Once Complete, when the kind is known: most directions of a capture have none, and
        /// a live connection's entry stays small.
        std::unique_ptr<ContentHint> hint;
    };
    struct Connection {
        std::uint16_t server_port = 0;
        std::array<Direction, 2> directions;  ///< [0] client, [1] server
    };

    /// Adds the segment's bytes to `side`; true when they completed its hint.
    bool take(Connection& connection, std::size_t side, const AnnotatedSegment& seg);
    void complete(Connection& connection, std::size_t side);
    void give_up(Direction& d);
    /// Drops the connection when neither direction has or can get a known kind (a completed
    /// direction's unknown kind stays unknown: the other side's bytes only refine a known
    /// greeting), so that its later segments and its close find nothing to do.
    void forget_if_settled(std::unordered_map<ConversationId, Connection>::iterator at);
    [[nodiscard]] ConnectionHints hints_of(const Connection& connection) const;

    std::unordered_map<ConversationId, Connection> connections_;
    std::size_t held_ = 0;
};

}  // namespace tfx::content
