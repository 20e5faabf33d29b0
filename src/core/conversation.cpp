// Names of the handshake outcomes, close kinds and roles.

#include "tfx/conversation.hpp"

namespace tfx {

std::string_view to_string(HandshakeOutcome h) {
    switch (h) {
        case HandshakeOutcome::Complete: return "complete";
        case HandshakeOutcome::SimultaneousOpen: return "simultaneous_open";
        case HandshakeOutcome::Refused: return "refused";
        case HandshakeOutcome::Unanswered: return "unanswered";
        case HandshakeOutcome::NoFinalAck: return "no_final_ack";
        case HandshakeOutcome::NotSeen: return "not_seen";
        case HandshakeOutcome::Probe: return "probe";
    }
    return "?";
}

std::string_view to_string(CloseKind c) {
    switch (c) {
        case CloseKind::StillOpen: return "still_open";
        case CloseKind::Graceful: return "graceful";
        case CloseKind::Simultaneous: return "simultaneous";
        case CloseKind::HalfClosed: return "half_closed";
        case CloseKind::ClosingIncomplete: return "closing_incomplete";
        case CloseKind::Reset: return "reset";
        case CloseKind::NeverOpened: return "never_opened";
    }
    return "?";
}

std::string_view to_string(Role r) { return r == Role::Client ? "client" : "server"; }

}  // namespace tfx
