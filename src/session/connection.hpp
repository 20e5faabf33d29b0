#pragma once
// The record the session keeps for each live connection (connection_table.hpp holds the records).

#include <array>
#include <cstdint>

#include "analysis/tcp_analysis.hpp"
#include "analysis/time_or_unset.hpp"
#include "content/hint_finder.hpp"
#include "flow/key_index.hpp"
#include "session/code_counts.hpp"
#include "tcp/connection_fsm.hpp"
#include "tcp/numbering.hpp"
#include "tfx/session.hpp"

namespace tfx::session {

// What a connection has learnt from its segments, apart from its state machines, findings
// and analysis: plain values, copied whole when an idle connection is put to sleep and woken
// again (see ConnectionTable::Dormant in connection_table.hpp).
struct ConnectionProgress {
    bool roles_inferred = false;
    bool data_after_close = false;
    bool handshake_timed = false;  ///< the handshake's two legs below were measured
    // One side's frames carry another VLAN tagging than the key's (see vlan_partner()).
    bool vlan_paired = false;
    std::uint32_t other_vlan = 0;  ///< that side's tagging
    FrameIndex first_frame = 0;
    FrameIndex last_frame = 0;
    Timestamp first_ts{};
    Timestamp last_ts{};
    Duration syn_to_synack{};
    Duration synack_to_ack{};
    /// The SYN to the ACK of the SYN-ACK: the two legs end to end (capture times are clamped
    /// so that the sum of two of their differences does not overflow).
    [[nodiscard]] Duration handshake_rtt() const { return syn_to_synack + synack_to_ack; }

    tcp::Numbering numbering;  ///< bases, window scale, highest byte and ACK per direction

    analysis::TimeOrUnset<Timestamp> last_syn_ts;
    analysis::TimeOrUnset<Timestamp> synack_ts;
};

// What a live connection keeps. Not a ConversationSummary: most of that is only known at
// the end (outcomes, Zeek's verdicts, the strings), the endpoints are the flow key, and the
// per-direction statistics live in the analyzer. The summary is built from this record when
// the connection opens (describe_opening()) and when it ends (describe()).
struct Connection : ConnectionProgress {
    Connection(ConversationId conversation, const FlowKey& flow_key, bool client_first_in_key, bool opened_with_syn,
               const Options& options)
        : id(conversation), key(flow_key), client_is_lo(client_first_in_key), fsm(opened_with_syn), analyzer(options) {}

    /// The client of the connection is `key.lo` of its flow key (else `key.hi`).
    [[nodiscard]] const Endpoint& client() const { return client_is_lo ? key.lo : key.hi; }
    [[nodiscard]] const Endpoint& server() const { return client_is_lo ? key.hi : key.lo; }

    ConversationId id;
    FlowKey key;
    bool client_is_lo;
    std::uint32_t tuple_entry = flow::KeyIndex::kNone;  ///< its entry in ConnectionTable's 4-tuple index
    CodeCounts counts;                                  ///< findings by code

    tcp::ConnectionFsm fsm;
    analysis::ConnectionAnalyzer analyzer;
    content::ConnectionContent content;  ///< used when Options::content_hints asks
};

// Whether a RST or FIN of either side ended (or began ending) the connection: a pure SYN
// on its 4-tuple after that opens a new one, whatever its ISN.
inline bool ended_by_rst_or_fin(const Connection& c) { return c.fsm.ended_by_rst_or_fin(); }

}  // namespace tfx::session
