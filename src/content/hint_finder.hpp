#pragma once
// Module note: content / hint_finder
//   Purpose: the content hints of every connection (docs/content.md), found by the session
//   on the analysis thread from the first bytes of each direction: the segment that completed
//   a direction's hint carries it (AnnotatedSegment::content_hint), and the connection's
//   summary carries both (ConversationSummary::content_hints). Only when Options::content_hints
//   asks, so a run whose output shows none does no content work.
//   State: a ConnectionContent in the session's own record of each connection (no look-up per
//   segment): two progress bytes and three pointers, null for a connection whose first bytes
//   start no known kind. What is held beyond them is allocated only for a direction whose
//   bytes must wait for the next segment or whose hint says something, and released as soon
//   as both directions are decided.
//   Bytes: a direction's first bytes in stream order, offset 0 at relative sequence number 1
//   (the first byte after the SYN), contiguous only. A direction whose SYN was not captured,
//   or whose next bytes arrive out of order or after a gap, is given up: its first bytes are
//   not known, and a hint from bytes in the middle would be a guess. Collecting stops as soon
//   as identify() says the hint is complete (bytes_needed == 0), the parsers' bound is reached,
//   or the capture cut the payload (snaplen).
//   Memory: at most kMaxDirectionBytes a direction still collecting, kMaxHeldBytes for all
//   (a direction that would pass it is given up).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "content/packed_hint.hpp"
#include "tfx/content.hpp"
#include "tfx/segment.hpp"

namespace tfx::session {
struct LingeringFields;  // session/lingering_fields.hpp
}  // namespace tfx::session

namespace tfx::content {

/// Most first bytes kept for one direction: the most any parser reads.
inline constexpr std::size_t kMaxDirectionBytes = std::max(kMaxHelloBytes, kMaxLineBytes);
/// Fewest first bytes looked at when a segment brings them: every signature and the client
/// commands that tell SMTP from FTP fit, so a direction of unknown bytes (most of a capture's
/// traffic) is decided by one identify() call on the segment's own bytes.
inline constexpr std::size_t kFirstLookBytes = 16;
/// Most first bytes held for all connections still collecting (4096 directions at the
/// largest bound; a first message is usually a few hundred bytes, so far more in practice).
inline constexpr std::size_t kMaxHeldBytes = std::size_t{64} << 20;

class HintFinder;

/// One connection's content state, a member of the session's record of it.
class ConnectionContent {
    friend struct tfx::session::LingeringFields;  // writes the record field by field
private:
    friend class HintFinder;
    enum class Progress : std::uint8_t { WaitingForSyn, Collecting, Complete, GaveUp };
    /// What a connection holds while a direction is undecided and something is worth keeping.
    struct Pending {
        explicit Pending(std::size_t& held_count) : held(held_count) {}
        Pending(const Pending&) = delete;
        Pending& operator=(const Pending&) = delete;
        ~Pending() { held -= bytes[0].size() + bytes[1].size(); }

        std::size_t& held;  ///< the finder's count of bytes held
        /// First bytes of a direction still collecting ([0] client, [1] server).
        std::array<std::vector<std::uint8_t>, 2> bytes;
        /// First bytes identify() asked for last (its bytes_needed): taken at once from the
        /// next segment, not byte by byte.
        std::array<std::size_t, 2> wanted{kFirstLookBytes, kFirstLookBytes};
        /// identify()'s last answer for each completed direction (none when unset).
        std::array<PackedHint, 2> found;
        /// The greeting kind the completed client's first command names (text_protocols.hpp).
        Kind client_command = Kind::Unknown;
    };

    std::array<Progress, 2> progress_{Progress::WaitingForSyn, Progress::WaitingForSyn};
    /// Once settled: the greeting kind the client's first command named (Pending::client_command).
    Kind settled_command_ = Kind::Unknown;
    std::unique_ptr<Pending> pending_;
    /// Both directions decided and one kind known: identify()'s answers (Pending::found), from
    /// which hints() builds the summary's; none otherwise.
    std::array<PackedHint, 2> settled_;
};

/// The session's side of the hints: the bound on held bytes, and the hint just found.
class HintFinder {
public:
    /// Adds `seg` (a segment of the connection `c`, whose server listens on `server_port`);
    /// the hint it completed when its kind is known, else null. Valid until the next call.
    [[nodiscard]] const ContentHint* segment(ConnectionContent& c, const AnnotatedSegment& seg,
                                             std::uint16_t server_port);
    /// Both directions' hints as the connection stands (identify_connection()); null when
    /// neither kind is known.
    [[nodiscard]] std::shared_ptr<const ConnectionHints> hints(const ConnectionContent& c,
                                                               std::uint16_t server_port) const;
    /// First bytes held now, for all connections.
    [[nodiscard]] std::size_t held_bytes() const { return held_; }

private:
    using Progress = ConnectionContent::Progress;
    using Pending = ConnectionContent::Pending;

    [[nodiscard]] static bool decided(Progress p) { return p == Progress::Complete || p == Progress::GaveUp; }

    /// Adds the segment's bytes to `side`; true when they completed it.
    bool take(ConnectionContent& c, std::size_t side, const AnnotatedSegment& seg, std::uint16_t server_port);
    /// Keeps the `looked` bytes of a direction that waits for more (they were the segment's).
    void hold(ConnectionContent& c, std::size_t side, std::span<const std::uint8_t> looked);
    /// Marks `side` complete with identify()'s last answer `result` on its bytes `looked`;
    /// true when the kind is known (shown_ then holds the hint).
    bool complete(ConnectionContent& c, std::size_t side, ContentHint&& result, std::span<const std::uint8_t> looked);
    void give_up(ConnectionContent& c, std::size_t side);
    /// Once both directions are decided: their answers kept (if a kind is known), the rest let go.
    void settle_if_decided(ConnectionContent& c);
    [[nodiscard]] Pending& pending(ConnectionContent& c);
    /// The greeting kind the client's first bytes name, as they stand.
    [[nodiscard]] static Kind client_command(const ConnectionContent& c);

    std::size_t held_ = 0;
    ContentHint shown_;  ///< the hint segment() gave last
};

}  // namespace tfx::content
