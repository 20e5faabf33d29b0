#include "tcp/connection_fsm.hpp"

#include "tcp/state_graph.hpp"

#include <algorithm>

namespace tfx::tcp {

using enum TcpState;

namespace {
bool acks(SeqNum ack, SeqNum next) { return !seq_before(ack, next); }
}  // namespace

ConnectionFsm::ConnectionFsm(bool opened_with_syn) {
    if (opened_with_syn) {
        ep_[0].state = Closed;
        ep_[1].state = Listen;
    }
    ep_[0].visited = 1u << static_cast<unsigned>(ep_[0].state);
    ep_[1].visited = 1u << static_cast<unsigned>(ep_[1].state);
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

    // Anomalies that do not depend on state.
    if (s.sent_rst || r.sent_rst) {
        out.add(Annotation{payload_len > 0 ? AnnotationCode::DataAfterReset : AnnotationCode::SegmentAfterReset});
    } else if (s.sent_fin && payload_len > 0 && seq_after(seq + payload_len, s.fin_next - 1)) {
        out.add(Annotation{AnnotationCode::DataAfterFin});
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
    if (s.peer_syn_pending) {
        if (syn && has_ack) {
            // rcv SYN / snd SYN,ACK: passive open, or the second half of a simultaneous open.
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
    bool acked_peer_fin_now = false;
    if (s.peer_fin_pending && has_ack && acks(ack, r.fin_next)) {
        // rcv FIN / snd ACK.
        s.peer_fin_pending = false;
        s.fin_received = true;
        acked_peer_fin_now = true;
        switch (s.state) {
            case Established: case SynReceived: move(sender, CloseWait, out); break;
            case FinWait1: move(sender, s.fin_acked ? TimeWait : Closing, out); break;
            case FinWait2: move(sender, TimeWait, out); break;
            default: break;
        }
    }

    // 2. What the sender does.
    if (rst) {
        v.meaning = SegmentMeaning::Reset;
        if (r.state == SynSent && !s.sent_syn) {
            v.meaning = SegmentMeaning::Refused;
            v.refused = true;
        } else if (s.sent_fin || r.sent_fin) {
            v.meaning = SegmentMeaning::ResetAfterClose;
        }
        if (s.state != Closed && s.state != Listen) {
            move(sender, Closed, out);
        } else if (s.state == Listen) {
            move(sender, Closed, out);  // no listener answered the SYN
        }
        s.sent_rst = true;
        if (payload_len > 0) out.add(Annotation{AnnotationCode::RstWithData, 0, payload_len, 0});
    } else if (syn && !has_ack) {
        if (s.sent_syn && seq == s.syn_seq) {
            v.meaning = SegmentMeaning::SynRetransmitted;
        } else if (sender == Role::Server && r.state == SynSent && (s.state == Listen || s.state == Unknown)) {
            v.meaning = SegmentMeaning::SimultaneousSyn;
            simultaneous_open_ = true;
            v.step = 2;
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
        const bool again = s.sent_syn && seq == s.syn_seq;
        v.meaning = simultaneous_open_ ? SegmentMeaning::SimultaneousSynAck : SegmentMeaning::ConnectionAccepted;
        if (simultaneous_open_ && !again) ++simultaneous_synacks_;
        if (!again && r.sent_syn) r.peer_syn_pending = true;
        if (!s.sent_syn) r.peer_syn_pending = true;
        s.sent_syn = true;
        s.syn_seq = seq;
        v.phase = Phase::Handshake;
        v.step = simultaneous_open_ ? static_cast<std::uint8_t>(2 + std::max(simultaneous_synacks_, 1)) : 2;
        v.steps = simultaneous_open_ ? 4 : 3;
    }

    if (fin && !rst) {
        const bool first_fin_of_sender = !s.sent_fin;
        if (first_fin_of_sender) {
            switch (s.state) {
                case Established: case SynReceived: move(sender, FinWait1, out); break;
                case CloseWait: move(sender, LastAck, out); break;
                case Unknown: move(sender, FinWait1, out); break;
                default: break;
            }
            s.sent_fin = true;
            s.fin_next = seq + payload_len + (syn ? 2u : 1u);
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

    // 3. What the receiver learns from this segment as it passes the capture point.
    if (has_ack) {
        if (r.sent_syn && !r.syn_acked && acks(ack, r.syn_seq + 1)) {
            r.syn_acked = true;
            if (r.state == SynReceived) move(receiver, Established, out);
        }
        if (r.sent_fin && !r.fin_acked && acks(ack, r.fin_next)) {
            r.fin_acked = true;
            switch (r.state) {
                case FinWait1: move(receiver, FinWait2, out); break;
                case Closing: move(receiver, TimeWait, out); break;
                case LastAck: move(receiver, Closed, out); break;
                default: break;
            }
        }
    }
    if (rst) {
        switch (r.state) {
            case Closed: case Listen: break;
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
            v.meaning = SegmentMeaning::Ack;
        }
    } else if (syn && payload_len > 0) {
        out.add(Annotation{AnnotationCode::DataOnSyn, 0, payload_len, 0});
    }
    s.sent_any = true;
    return v;
}

}  // namespace tfx::tcp
