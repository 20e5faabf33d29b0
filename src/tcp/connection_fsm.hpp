#pragma once
// Module note: tcp (connection state machine)
//   Runs the RFC 9293 state machine of both endpoints of one connection, as seen from the
//   capture point, and names what each segment means (handshake step, close step, ...).
//   Rule for *when* a transition is recorded: a transition whose RFC event includes
//   "snd X" is recorded on the frame that shows X (the endpoint's own segment proves it
//   received what it reacts to); a pure "rcv X" (ACK of SYN, ACK of FIN, RST) is recorded
//   when that segment passes the capture point. So crossing SYNs and crossing FINs come
//   out as simultaneous open and simultaneous close, with only legal RFC transitions.
//   Every transition is checked against StateGraph.
//   Non-goals: sequence analysis (see analysis/), relative numbering (see model/).

#include <cstdint>

#include "tfx/segment.hpp"
#include "tfx/seq.hpp"
#include "tfx/tcp_state.hpp"
#include "tfx/types.hpp"

namespace tfx::tcp {

struct EndpointFsm {
    TcpState state = TcpState::Unknown;
    bool sent_syn = false;
    SeqNum syn_seq;
    bool syn_acked = false;       ///< the peer acknowledged our SYN
    bool sent_fin = false;
    SeqNum fin_next;              ///< sequence number just after our FIN
    bool fin_acked = false;       ///< the peer acknowledged our FIN
    bool peer_syn_pending = false;  ///< peer's SYN seen, our reaction not yet seen
    bool peer_fin_pending = false;  ///< peer's FIN seen, our ACK of it not yet seen
    bool fin_received = false;    ///< we acknowledged the peer's FIN
    bool sent_rst = false;
    bool sent_any = false;
    std::uint32_t visited = 0;    ///< bit per TcpState
    std::uint64_t edges = 0;      ///< bit per StateGraph edge id
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

class ConnectionFsm {
public:
    /// `opened_with_syn`: the first frame was a SYN without ACK (client CLOSED, server
    /// LISTEN). Otherwise both endpoints start UNKNOWN.
    explicit ConnectionFsm(bool opened_with_syn);

    /// Processes one segment sent by `sender`. Records state changes and anomalies in `out`.
    FsmVerdict on_segment(Role sender, std::uint16_t flags, SeqNum seq, SeqNum ack,
                          std::uint32_t payload_len, AnnotatedSegment& out);

    [[nodiscard]] const EndpointFsm& endpoint(Role r) const { return ep_[index_of(r)]; }
    [[nodiscard]] bool teardown_started() const { return teardown_step_ > 0; }
    [[nodiscard]] bool simultaneous_open() const { return simultaneous_open_; }
    [[nodiscard]] bool simultaneous_close() const { return simultaneous_close_; }
    [[nodiscard]] bool handshake_done() const { return handshake_done_; }

private:
    EndpointFsm& ep(Role r) { return ep_[index_of(r)]; }
    void move(Role who, TcpState to, AnnotatedSegment& out);

    EndpointFsm ep_[2];
    std::uint8_t teardown_step_ = 0;
    bool first_fin_combined_ack_ = false;
    bool simultaneous_open_ = false;
    int simultaneous_synacks_ = 0;
    bool simultaneous_close_ = false;
    bool handshake_done_ = false;
};

}  // namespace tfx::tcp
