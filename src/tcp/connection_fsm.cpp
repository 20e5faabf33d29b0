#include "tcp/connection_fsm.hpp"

#include "tcp/state_graph.hpp"

#include <algorithm>

namespace tfx::tcp {

using enum TcpState;

namespace {
bool acks(SeqNum ack, SeqNum next) { return !seq_before(ack, next); }
}  // namespace

ConnectionFsm::ConnectionFsm(bool opened_with_syn) {
    ep_[0].visited = 1u << static_cast<unsigned>(ep_[0].state);
    ep_[1].visited = 1u << static_cast<unsigned>(ep_[1].state);
    if (opened_with_syn) {
        ep_[0].state = Closed;
        ep_[0].visited = 1u << static_cast<unsigned>(Closed);
        // LISTEN until its answer says otherwise, but visited (and so drawn) only once a
        // SYN-ACK proves the listener.
        ep_[1].state = Listen;
        ep_[1].listener_unproven = true;
        ep_[1].visited = 0;
    }
}

// A state the endpoint was in all along, learnt now (a port that answers a SYN with RST was
// CLOSED; a server that sends its own SYN never listened): no transition happened.
void ConnectionFsm::set_without_transition(Role who, TcpState to) {
    auto& e = ep(who);
    e.state = to;
    e.listener_unproven = false;
    e.visited = 1u << static_cast<unsigned>(to);
}

// An endpoint whose state was only inferred from a segment that turned out to belong to no
// connection (an ACK probe): nothing is known of it.
void ConnectionFsm::forget_inferred_state(Role who) {
    auto& e = ep(who);
    e.state = Unknown;
    e.visited = 1u << static_cast<unsigned>(Unknown);
    e.edges = 0;
}

// RFC 9293 §3.10.7.1: a TCP that answers a SYN with RST keeps nothing of it, so only a new
// SYN could draw a SYN-ACK from it. A SYN-ACK answering the refused SYN itself means the RST
// and the SYN-ACK did not both come from the server's TCP (one was injected, or rewritten
// on the way). The client's later segments decide: they continue the handshake, so the
// analysis goes on from the moment before the RST, the client's SYN outstanding.
void ConnectionFsm::undo_refusal() {
    const SeqNum client_isn = ep(Role::Client).syn_seq;
    *this = ConnectionFsm(true);
    AnnotatedSegment replay;
    on_segment(Role::Client, tcpflag::kSyn, client_isn, SeqNum{}, 0, replay);
}

// rcv ACK of our FIN.
void ConnectionFsm::receive_ack_of_fin(Role who, AnnotatedSegment& out) {
    switch (ep(who).state) {
        case FinWait1: move(who, FinWait2, out); break;
        case Closing: move(who, TimeWait, out); break;
        case LastAck: move(who, Closed, out); break;
        default: break;
    }
}

// rcv FIN / snd ACK, shown by `sender`'s segment acknowledging the peer's FIN. If the ACK of
// the sender's own FIN passed after that FIN, the sender received it after the FIN (one
// peer's segments arrive in the order they passed), unless the sender's timestamp echo
// proves it had the ACK already.
void ConnectionFsm::ack_peer_fin(Role sender, AnnotatedSegment& out) {
    EndpointFsm& s = ep(sender);
    const EndpointFsm& r = ep(peer_of(sender));
    s.peer_fin_pending = false;
    s.fin_received = true;
    const bool deferred = s.fin_ack_deferred && s.state == FinWait1;
    s.fin_ack_deferred = false;
    if (deferred) {
        const auto& ts = out.options.timestamps;
        const bool echo_proves_ack_first = ts && s.has_fin_ack_tsval && ts->echo_reply == s.fin_ack_tsval &&
                                           !(r.has_fin_tsval && r.fin_tsval == s.fin_ack_tsval);
        if (echo_proves_ack_first) {
            move(sender, FinWait2, out);
            move(sender, TimeWait, out);
            return;
        }
        // Sent in CLOSING; the ACK of its FIN reached it afterwards. The evidence: the echo
        // of an older timestamp than that ACK's (timestamps wrap like sequence numbers, RFC
        // 7323 §5.3), or else the arrival order alone.
        const bool echo_proves_order =
            ts && s.has_fin_ack_tsval && seq_before(SeqNum{ts->echo_reply}, SeqNum{s.fin_ack_tsval});
        out.add(Annotation{AnnotationCode::SentBeforeReceiving, s.fin_ack_frame, echo_proves_order ? 1 : 0,
                           echo_proves_order ? ts->echo_reply : 0});
        move(sender, Closing, out);
        move(sender, TimeWait, out);
        return;
    }
    switch (s.state) {
        case Established:
        case SynReceived: move(sender, CloseWait, out); break;
        case FinWait1: move(sender, s.fin_acked ? TimeWait : Closing, out); break;
        case FinWait2: move(sender, TimeWait, out); break;
        default: break;
    }
}

void ConnectionFsm::move(Role who, TcpState to, AnnotatedSegment& out) {
    auto& e = ep(who);
    if (e.state == to) return;
    if (const auto id = edge_id(e.state, to)) {
        e.edges |= std::uint64_t{1} << *id;
    } else {
        out.add(Annotation{AnnotationCode::IllegalTransition, 0, static_cast<std::int64_t>(e.state),
                           static_cast<std::int64_t>(to)});
    }
    if (out.change_count < out.changes.size()) out.changes[out.change_count++] = StateChange{who, e.state, to};
    e.state = to;
    e.visited |= 1u << static_cast<unsigned>(to);
}

FsmVerdict ConnectionFsm::on_segment(Role sender, std::uint16_t flags, SeqNum seq, SeqNum ack,
                                     std::uint32_t payload_len, AnnotatedSegment& out) {
    using namespace tcpflag;
    const Role receiver = peer_of(sender);
    EndpointFsm& s = ep(sender);
    EndpointFsm& r = ep(receiver);
    const bool syn = flags & kSyn, fin = flags & kFin, rst = flags & kRst, has_ack = flags & kAck;
    FsmVerdict v;

    bool refusal_undone = false;
    if (syn && has_ack && refusal_frame_ != 0 && sender == Role::Server && !s.sent_syn && r.sent_syn &&
        ack == r.syn_seq + 1) {
        out.add(Annotation{AnnotationCode::RefusalContradicted, refusal_frame_, 0, 0});
        undo_refusal();
        refusal_undone = true;
    }
    if (fin && !first_fin_) first_fin_ = sender;
    if (rst && !first_rst_) first_rst_ = sender;
    const bool lone_bare_ack =
        !s.sent_any && !r.sent_any && s.state == Unknown && has_ack && !syn && !fin && !rst && payload_len == 0;

    // Whether the receiver still owed an ACK for a FIN of the sender sent in an earlier
    // segment (a FIN in this very segment is processed after its ACK field, RFC 9293 §3.10.7.4).
    const bool receiver_owes_earlier_fin_ack = r.peer_fin_pending;

    // Anomalies that do not depend on state.
    if (s.sent_rst || r.sent_rst) {
        out.add(Annotation{payload_len > 0 ? AnnotationCode::DataAfterReset : AnnotationCode::SegmentAfterReset});
    } else if (s.sent_fin && payload_len > 0 && seq_after(seq + payload_len, s.fin_next - 1)) {
        out.add(Annotation{AnnotationCode::DataAfterFin});
    }

    // A segment with neither SYN, ACK nor RST out of nowhere: a scan probe (FIN, Xmas,
    // null), not a connection. Synchronized stacks set ACK on everything but a RST.
    if (s.state == Unknown && !syn && !rst && !has_ack && payload_len == 0 && !r.sent_syn && !r.sent_any) {
        v.meaning = SegmentMeaning::Probe;
        s.sent_probe = true;
        s.sent_any = true;
        probe_ = true;
        return v;
    }
    if (rst && r.sent_probe && !s.sent_any && !r.sent_syn) {
        // RFC 9293 §3.10.7.1: a segment to a port with no connection (and, without the ACK
        // bit, no listener either: a LISTEN socket drops it, §3.10.7.2) is answered by RST.
        v.meaning = SegmentMeaning::ProbeReset;
        set_without_transition(sender, Closed);
        s.sent_rst = true;
        s.sent_any = true;
        return v;
    }
    if (rst && !has_ack && r.lone_bare_ack && !s.sent_any && seq == r.lone_ack) {
        // RFC 9293 §3.10.7.1-2: an ACK that reaches no connection (a CLOSED port, or a
        // listener) is answered <SEQ=SEG.ACK><CTL=RST>. The lone ACK belonged to no
        // connection: an ACK probe. Whether the port listens, the answer does not tell.
        v.meaning = SegmentMeaning::ProbeReset;
        forget_inferred_state(receiver);
        r.sent_probe = true;
        probe_ = true;
        s.sent_rst = true;
        s.sent_any = true;
        return v;
    }

    // An endpoint that was already talking when the capture started.
    if (s.state == Unknown && !syn && !rst) {
        if (r.sent_fin && has_ack && acks(ack, r.fin_next)) {
            move(sender, CloseWait, out);
            r.peer_fin_pending = false;
            s.fin_received = true;
        } else if (!fin) {
            move(sender, Established, out);
        }  // a FIN from an unknown state goes straight to FIN-WAIT-1 below
    }

    // 1. The sender's reactions to what it received (proved by this segment).
    if (s.peer_syn_pending && !rst) {
        if (syn && has_ack) {
            // rcv SYN / snd SYN,ACK: passive open, or the second half of a simultaneous open.
            if (s.listener_unproven) {
                s.listener_unproven = false;
                s.visited |= 1u << static_cast<unsigned>(Listen);
            }
            move(sender, SynReceived, out);
            s.peer_syn_pending = false;
            // Simultaneous open: the peer's SYN-ACK (acking our SYN) may already have passed.
            if (s.syn_acked) {
                move(sender, Established, out);
                if (!handshake_done_) {
                    handshake_done_ = true;
                    v.handshake_completed = true;
                }
            }
        } else if (has_ack && !syn && r.sent_syn && acks(ack, r.syn_seq + 1) && s.state == SynSent) {
            // rcv SYN,ACK / snd ACK.
            move(sender, Established, out);
            s.peer_syn_pending = false;
            if (!handshake_done_) {
                handshake_done_ = true;
                v.handshake_completed = true;
            }
        }
    }
    // A RST's ACK field only makes the RST acceptable: it is no reaction to what it acks.
    bool acked_peer_fin_now = false;
    if (s.peer_fin_pending && has_ack && !rst && acks(ack, r.fin_next)) {
        acked_peer_fin_now = true;
        ack_peer_fin(sender, out);
    }

    // 2. What the sender does.
    if (rst) {
        v.meaning = SegmentMeaning::Reset;
        if (r.state == SynSent && !s.sent_syn) {
            v.meaning = SegmentMeaning::Refused;
            v.refused = true;
            // A segment that contradicts a refusal (see undo_refusal) is not believed as one.
            if (!refusal_undone) refused_ = true;
            if (receiver == Role::Client && refusal_frame_ == 0) refusal_frame_ = out.frame;
        } else if (s.sent_fin || r.sent_fin) {
            v.meaning = SegmentMeaning::ResetAfterClose;
        }
        if (s.listener_unproven) {
            set_without_transition(sender, Closed);  // nothing listened: the port was CLOSED
        } else if (s.state != Closed && s.state != Listen) {
            // A listener that answers a bad segment with RST keeps listening (RFC 9293 §3.10.7.2).
            move(sender, Closed, out);
        }
        s.sent_rst = true;
        if (payload_len > 0) out.add(Annotation{AnnotationCode::RstWithData, 0, payload_len, 0});
    } else if (syn && !has_ack) {
        if (s.sent_syn && seq == s.syn_seq) {
            v.meaning = SegmentMeaning::SynRetransmitted;
        } else if (sender == Role::Server && r.state == SynSent && (s.state == Listen || s.state == Unknown)) {
            // An active open of its own (RFC 9293 Figure 7): it was CLOSED, never LISTEN.
            v.meaning = SegmentMeaning::SimultaneousSyn;
            simultaneous_open_ = true;
            v.step = 2;
            if (s.listener_unproven) set_without_transition(sender, Closed);
            move(sender, SynSent, out);
            out.add(Annotation{AnnotationCode::SimultaneousOpen});
        } else {
            v.meaning = SegmentMeaning::ConnectionRequest;
            move(sender, SynSent, out);
        }
        s.sent_syn = true;
        s.syn_seq = seq;
        r.peer_syn_pending = true;
        v.phase = Phase::Handshake;
        if (v.step == 0) v.step = 1;
        v.steps = simultaneous_open_ ? 4 : 3;
    } else if (syn && has_ack) {
        if (s.state == Unknown || s.state == Listen) {
            // The SYN it answers was not captured (or a SYN-ACK without any SYN).
            if (!r.sent_syn) {
                out.add(Annotation{AnnotationCode::SynAckWithoutSyn});
                if (r.state == Unknown) move(receiver, SynSent, out);
            }
            move(sender, SynReceived, out);
        }
        // In a simultaneous open the SYN-ACK repeats the seq of the sender's SYN: only a
        // second SYN-ACK with that seq is a resend.
        const bool again = s.sent_synack && seq == s.syn_seq;
        s.sent_synack = true;
        v.meaning = simultaneous_open_ ? SegmentMeaning::SimultaneousSynAck : SegmentMeaning::ConnectionAccepted;
        if (simultaneous_open_ && !again) ++simultaneous_synacks_;
        // Its SYN part is new unless it repeats the SYN the sender already sent (simultaneous
        // open, or a resend): the receiver then has to react to it.
        if (!s.sent_syn || seq != s.syn_seq) r.peer_syn_pending = true;
        s.sent_syn = true;
        s.syn_seq = seq;
        v.phase = Phase::Handshake;
        v.step = simultaneous_open_ ? static_cast<std::uint8_t>(2 + std::max(simultaneous_synacks_, 1)) : 2;
        v.steps = simultaneous_open_ ? 4 : 3;
    }

    if (fin && !rst && s.sent_fin && seq + payload_len + (syn ? 2u : 1u) == s.fin_next) {
        // The same FIN again: not a second close, so no teardown step (its ACK of the peer's
        // FIN, if any, was taken above).
        v.meaning = SegmentMeaning::FinRetransmitted;
    } else if (fin && !rst) {
        const bool first_fin_of_sender = !s.sent_fin;
        if (first_fin_of_sender) {
            switch (s.state) {
                case Established:
                case SynReceived: move(sender, FinWait1, out); break;
                case CloseWait: move(sender, LastAck, out); break;
                case Unknown: move(sender, FinWait1, out); break;
                default: break;
            }
            s.sent_fin = true;
            s.fin_next = seq + payload_len + (syn ? 2u : 1u);
            if (out.options.timestamps) {
                s.has_fin_tsval = true;
                s.fin_tsval = out.options.timestamps->value;
            }
            r.peer_fin_pending = true;
        }
        if (!r.sent_fin) {
            v.meaning = SegmentMeaning::CloseRequest;
            if (first_fin_of_sender && teardown_step_ == 0) teardown_step_ = 1;
            v.step = 1;
            v.steps = 0;
        } else if (s.fin_received) {
            v.meaning = SegmentMeaning::CloseReply;
            if (first_fin_of_sender) {
                // FIN+ACK answering the peer's FIN in one segment: a 3-segment close.
                first_fin_combined_ack_ = acked_peer_fin_now && teardown_step_ < 2;
                teardown_step_ = first_fin_combined_ack_ ? 2 : 3;
            }
            v.step = teardown_step_;
            v.steps = first_fin_combined_ack_ ? 3 : 4;
        } else {
            v.meaning = SegmentMeaning::SimultaneousClose;
            simultaneous_close_ = true;
            if (first_fin_of_sender) teardown_step_ = 2;
            v.step = teardown_step_;
            v.steps = 4;
        }
        v.phase = Phase::Teardown;
    }

    // 3. What the receiver learns from this segment as it passes the capture point. RFC 9293
    // §3.10.7.4 checks RST (second step) before the ACK field (fifth): a RST's ACK moves
    // nothing.
    if (has_ack && !rst) {
        if (r.sent_syn && !r.syn_acked && acks(ack, r.syn_seq + 1)) {
            r.syn_acked = true;
            if (r.state == SynReceived) move(receiver, Established, out);
        }
        if (r.sent_fin && !r.fin_acked && acks(ack, r.fin_next)) {
            r.fin_acked = true;
            if (receiver_owes_earlier_fin_ack && r.state == FinWait1) {
                // This ACK follows our FIN, which the receiver has yet to acknowledge: it
                // reaches the receiver after that FIN (see ack_peer_fin).
                r.fin_ack_deferred = true;
                r.fin_ack_frame = out.frame;
                if (out.options.timestamps) {
                    r.has_fin_ack_tsval = true;
                    r.fin_ack_tsval = out.options.timestamps->value;
                }
            } else {
                receive_ack_of_fin(receiver, out);
            }
        }
    }
    if (rst) {
        switch (r.state) {
            case Closed:
            case Listen: break;
            case SynReceived: move(receiver, r.sent_syn && !r.syn_acked ? Listen : Closed, out); break;
            default: move(receiver, Closed, out); break;
        }
    }

    // Meaning of segments without SYN, FIN or RST.
    if (!syn && !fin && !rst) {
        if (v.handshake_completed) {
            v.meaning = SegmentMeaning::HandshakeComplete;
            v.phase = Phase::Handshake;
            v.step = simultaneous_open_ ? 4 : 3;
            v.steps = simultaneous_open_ ? 4 : 3;
        } else if (acked_peer_fin_now && s.sent_fin) {
            v.meaning = SegmentMeaning::FinalAck;
            v.phase = Phase::Teardown;
            if (simultaneous_close_) {
                teardown_step_ = static_cast<std::uint8_t>(std::min(teardown_step_ + 1, 4));
            } else {
                teardown_step_ = first_fin_combined_ack_ ? 3 : 4;
            }
            v.step = teardown_step_;
            v.steps = simultaneous_close_ ? 4 : (first_fin_combined_ack_ ? 3 : 4);
        } else if (acked_peer_fin_now) {
            v.meaning = payload_len > 0 ? SegmentMeaning::Data : SegmentMeaning::FinAcked;
            v.phase = Phase::Teardown;
            if (teardown_step_ < 2) teardown_step_ = 2;
            v.step = 2;
            v.steps = 4;
        } else if (payload_len > 0) {
            v.meaning = has_ack ? SegmentMeaning::Data : SegmentMeaning::DataNoAck;
        } else {
            v.meaning = has_ack ? SegmentMeaning::Ack : SegmentMeaning::NoAck;
        }
    } else if (syn && payload_len > 0) {
        out.add(Annotation{AnnotationCode::DataOnSyn, 0, payload_len, 0});
    }
    s.lone_bare_ack = lone_bare_ack;
    if (lone_bare_ack) s.lone_ack = ack;
    s.sent_any = true;
    return v;
}

HandshakeOutcome ConnectionFsm::handshake_outcome() const {
    const EndpointFsm& cl = endpoint(Role::Client);
    const EndpointFsm& sv = endpoint(Role::Server);
    if (handshake_done_) return simultaneous_open_ ? HandshakeOutcome::SimultaneousOpen : HandshakeOutcome::Complete;
    if (probe_only()) return HandshakeOutcome::Probe;
    if (refused_) return HandshakeOutcome::Refused;
    if (sv.sent_syn && cl.sent_syn) return HandshakeOutcome::NoFinalAck;
    if (cl.sent_syn && cl.state == SynSent) return HandshakeOutcome::Unanswered;
    return HandshakeOutcome::NotSeen;
}

FsmOutcome ConnectionFsm::outcome() const {
    const EndpointFsm& cl = endpoint(Role::Client);
    const EndpointFsm& sv = endpoint(Role::Server);
    FsmOutcome o;
    o.handshake = handshake_outcome();
    const bool both_fins_acked = cl.sent_fin && sv.sent_fin && cl.fin_acked && sv.fin_acked;
    if (o.handshake == HandshakeOutcome::Refused || o.handshake == HandshakeOutcome::Unanswered ||
        o.handshake == HandshakeOutcome::Probe) {
        o.close = CloseKind::NeverOpened;
        o.closed_by = first_rst_;
    } else if (both_fins_acked) {
        o.close = simultaneous_close_ ? CloseKind::Simultaneous : CloseKind::Graceful;
        o.closed_by = first_fin_;
    } else if (first_rst_) {
        o.close = CloseKind::Reset;
        o.closed_by = first_rst_;
    } else if (cl.sent_fin && sv.sent_fin) {
        o.close = CloseKind::ClosingIncomplete;
        o.closed_by = first_fin_;
    } else if (cl.sent_fin || sv.sent_fin) {
        o.close = CloseKind::HalfClosed;
        o.closed_by = first_fin_;
    } else {
        o.close = CloseKind::StillOpen;
    }
    return o;
}

}  // namespace tfx::tcp
