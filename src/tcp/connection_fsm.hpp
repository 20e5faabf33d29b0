#pragma once
// Module note: tcp (connection state machine)
//   Runs the RFC 9293 state machine of both endpoints of one connection, as seen from the
//   capture point, and names what each segment means (handshake step, close step, ...).
//   Rule for *when* a transition is recorded: a transition whose RFC event includes
//   "snd X" is recorded on the frame that shows X (the endpoint's own segment proves it
//   received what it reacts to); a pure "rcv X" (ACK of SYN, ACK of FIN, RST) is recorded
//   when that segment passes the capture point, unless the receiver still has to react to
//   an earlier segment of the same peer: one peer's segments reach the other in the order
//   they passed here, so the later one is applied after that reaction (an ACK of a FIN
//   that passed after the peer's own FIN is received after that FIN: CLOSING, not
//   FIN-WAIT-2). A timestamp echo (TSecr) can prove the opposite order, and then wins.
//   So crossing SYNs and crossing FINs come out as simultaneous open and simultaneous
//   close, with only legal RFC transitions. Every transition is checked against StateGraph.
//   A server is shown in LISTEN only once its SYN-ACK proves a listener: a port that
//   answers a SYN with RST is CLOSED (RFC 9293 §3.10.7.1), never LISTEN.
//   Non-goals: sequence analysis (see analysis/), relative numbering (see numbering.hpp).

#include <cstdint>
#include <optional>

#include "tfx/conversation.hpp"
#include "tfx/segment.hpp"
#include "tfx/seq.hpp"
#include "tfx/tcp_state.hpp"
#include "tfx/types.hpp"

namespace tfx::session {
struct LingeringFields;  // session/lingering_fields.hpp
}  // namespace tfx::session

namespace tfx::tcp {

struct EndpointFsm {
    TcpState state = TcpState::Unknown;
    /// Addressed by the peer's SYN, nothing sent yet: LISTEN if a listener answers, CLOSED
    /// if the port answers with RST. `state` is Listen meanwhile, but not yet `visited`.
    bool listener_unproven = false;
    bool sent_syn = false;
    bool sent_synack = false;
    SeqNum syn_seq;
    bool syn_acked = false;  ///< the peer acknowledged our SYN
    bool sent_fin = false;
    SeqNum fin_next;         ///< sequence number just after our FIN
    bool fin_acked = false;  ///< the peer acknowledged our FIN
    /// The peer's ACK of our FIN passed while we still had to acknowledge the peer's
    /// earlier FIN: we received it after that FIN, so it is applied after our ACK of it.
    bool fin_ack_deferred = false;
    bool has_fin_tsval = false;       ///< our first FIN carried a timestamp
    bool has_fin_ack_tsval = false;   ///< the peer's ACK of our FIN carried a timestamp
    std::uint32_t fin_tsval = 0;      ///< TSval of our first FIN
    std::uint32_t fin_ack_tsval = 0;  ///< TSval of the peer's first ACK of our FIN
    FrameIndex fin_ack_frame = 0;     ///< frame of the peer's first ACK of our FIN
    bool peer_syn_pending = false;    ///< peer's SYN seen, our reaction not yet seen
    bool peer_fin_pending = false;    ///< peer's FIN seen, our ACK of it not yet seen
    bool fin_received = false;        ///< we acknowledged the peer's FIN
    bool sent_rst = false;
    bool sent_any = false;
    bool sent_probe = false;  ///< sent a segment without SYN, ACK or RST out of nowhere: a scan probe
    /// All it sent is one bare ACK, the first segment of the connection: the middle of an
    /// earlier connection, or an ACK probe (the answer tells which).
    bool lone_bare_ack = false;
    SeqNum lone_ack;            ///< that ACK's acknowledgment number
    std::uint32_t visited = 0;  ///< bit per TcpState
    std::uint64_t edges = 0;    ///< bit per StateGraph edge id
};

/// What the state machine concluded about one segment.
struct FsmVerdict {
    SegmentMeaning meaning = SegmentMeaning::Data;
    Phase phase = Phase::None;
    std::uint8_t step = 0;
    std::uint8_t steps = 0;
    bool handshake_completed = false;  ///< this segment completed the handshake
    bool refused = false;
};

/// How the connection opened and how it ended, as far as the capture shows.
struct FsmOutcome {
    HandshakeOutcome handshake = HandshakeOutcome::NotSeen;
    CloseKind close = CloseKind::StillOpen;
    /// Who began the close: the sender of the first FIN, or of the first RST for a reset
    /// or a refusal.
    std::optional<Role> closed_by;
};

class ConnectionFsm {
    friend struct tfx::session::LingeringFields;  // writes the record field by field
public:
    /// `opened_with_syn`: the first frame was a SYN without ACK (client CLOSED; server
    /// LISTEN once its SYN-ACK proves a listener, CLOSED if it refuses). Otherwise both
    /// endpoints start UNKNOWN.
    explicit ConnectionFsm(bool opened_with_syn);

    /// Processes one segment sent by `sender`. Records state changes and anomalies in `out`.
    FsmVerdict on_segment(Role sender, std::uint16_t flags, SeqNum seq, SeqNum ack, std::uint32_t payload_len,
                          AnnotatedSegment& out);

    [[nodiscard]] const EndpointFsm& endpoint(Role r) const { return ep_[index_of(r)]; }
    /// The state as far as the capture shows it: UNKNOWN for a server no answer has shown
    /// listening yet (it may be CLOSED, or a firewall may drop the SYN).
    [[nodiscard]] TcpState shown_state(Role r) const {
        const auto& e = ep_[index_of(r)];
        return e.listener_unproven ? TcpState::Unknown : e.state;
    }
    [[nodiscard]] bool teardown_started() const { return teardown_step_ > 0; }
    [[nodiscard]] bool simultaneous_open() const { return simultaneous_open_; }
    [[nodiscard]] bool simultaneous_close() const { return simultaneous_close_; }
    [[nodiscard]] bool handshake_done() const { return handshake_done_; }
    /// Only scan probes (and the answers to them) were seen: no connection existed.
    [[nodiscard]] bool probe_only() const { return probe_ && !ep_[0].sent_syn && !ep_[1].sent_syn; }
    /// A RST or FIN of either side ended (or began ending) the connection.
    [[nodiscard]] bool ended_by_rst_or_fin() const { return first_fin_.has_value() || first_rst_.has_value(); }
    /// The handshake and close verdicts, from the states and from who sent the first FIN and
    /// the first RST.
    [[nodiscard]] FsmOutcome outcome() const;

private:
    EndpointFsm& ep(Role r) { return ep_[index_of(r)]; }
    void move(Role who, TcpState to, AnnotatedSegment& out);
    void set_without_transition(Role who, TcpState to);
    void receive_ack_of_fin(Role who, AnnotatedSegment& out);
    void ack_peer_fin(Role sender, AnnotatedSegment& out);
    void undo_refusal();
    void forget_inferred_state(Role who);
    [[nodiscard]] HandshakeOutcome handshake_outcome() const;

    // Widest first: one of these per connection alive.
    EndpointFsm ep_[2];
    FrameIndex refusal_frame_ = 0;  ///< the RST that refused the client's SYN (0: none)
    int simultaneous_synacks_ = 0;
    std::optional<Role> first_fin_;
    std::optional<Role> first_rst_;
    std::uint8_t teardown_step_ = 0;
    bool first_fin_combined_ack_ = false;
    bool simultaneous_open_ = false;
    bool simultaneous_close_ = false;
    bool handshake_done_ = false;
    bool probe_ = false;
    bool refused_ = false;  ///< a RST refused the SYN of a side in SYN-SENT
};

}  // namespace tfx::tcp
