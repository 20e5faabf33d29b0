#pragma once
// The frames that moved each endpoint along each edge of the RFC 9293 state diagram, kept
// per live connection for the pictures (DOT, state-diagram SVG) and handed over when the
// connection closes. Bounded: at most one entry per (endpoint, edge) and the first
// kFramesKept frame numbers of each, plus a count.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "render/pictures/palette.hpp"
#include "tfx/language.hpp"
#include "tfx/segment.hpp"
#include "tfx/types.hpp"

namespace tfx::render {

struct TakenEdge {
    static constexpr std::size_t kFramesKept = 3;
    int edge = 0;  ///< tcp::transition_table() index
    Role endpoint{};
    std::array<FrameIndex, kFramesKept> frames{};
    std::uint32_t count = 0;  ///< frames that took this edge, all of them

    [[nodiscard]] std::size_t kept() const { return count < kFramesKept ? count : kFramesKept; }
};

/// The RFC 9293 event of transition `edge` (a tcp::transition_table() index) in `lang`:
/// "rcv SYN / snd SYN,ACK", "réception SYN / envoi SYN,ACK".
[[nodiscard]] std::string_view edge_event(int edge, Language lang);

/// "#4, #9, #12 … (+5)": the frames kept, and how many more there were.
[[nodiscard]] std::string frames_label(const TakenEdge& t);

/// "client #1, #3": which frames moved `who` along `edge`, for a picture's edge label, the
/// side named in `lang`.
[[nodiscard]] std::string side_frames_label(std::span<const TakenEdge> taken, int edge, Role who,
                                            Language lang = Language::En);

class EdgeFrameLog {
public:
    /// Records the state changes of one segment (segments of no connection are ignored).
    void record(const AnnotatedSegment& seg);
    /// The edges the connection took, in the order first taken; forgets the connection.
    [[nodiscard]] std::vector<TakenEdge> take(ConversationId id);

private:
    std::unordered_map<ConversationId, std::vector<TakenEdge>> live_;
};

}  // namespace tfx::render
