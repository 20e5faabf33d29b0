#pragma once
// Module note: tcp (state graph)
//   The RFC 9293 §3.3.2 state diagram as data: the single source of truth for which
//   transitions are legal. The per-connection state machine (a plain switch, the hot path)
//   reports every transition it makes; each is looked up here, and one that is not an
//   edge becomes an `illegal_transition` annotation, never a crash. The DOT and SVG renderers
//   draw the same graph with the path a connection took highlighted.
//   Edges are numbered (stable ids < 64) so a connection can record the edges it used in
//   a 64-bit set.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "i18n/messages.hpp"
#include "tfx/tcp_state.hpp"

namespace tfx::tcp {

struct TransitionSpec {
    TcpState from;
    TcpState to;
    i18n::Msg event;           ///< its words: in English the RFC's, e.g. "rcv SYN,ACK / snd ACK"
    std::string_view rfc_ref;  ///< where the RFC defines it
    /// False for RFC edges a capture cannot show this way: CLOSED -> LISTEN and
    /// LISTEN -> CLOSED (application calls, nothing on the wire), LISTEN -> SYN-SENT (a
    /// listener is proven only by its SYN-ACK, so a server that sends a SYN of its own is
    /// shown starting from CLOSED) and FIN-WAIT-1 -> TIME-WAIT (a FIN+ACK's ACK is
    /// processed before its FIN, so the path goes through FIN-WAIT-2).
    bool observable = true;
};

/// Every legal transition, in edge-id order.
[[nodiscard]] std::span<const TransitionSpec> transition_table();

/// Edge id of from->to, if the graph has that edge.
[[nodiscard]] std::optional<int> edge_id(TcpState from, TcpState to);

/// Shortest legal path from `from` to `to` (states strictly between them), e.g. a lost
/// FIN makes ESTABLISHED -> TIME-WAIT explainable as [FIN-WAIT-1, FIN-WAIT-2].
[[nodiscard]] std::optional<std::vector<TcpState>> missed_states(TcpState from, TcpState to);

}  // namespace tfx::tcp
