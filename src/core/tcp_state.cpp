// Names of the TCP states, as RFC 9293 spells them.

#include "tfx/tcp_state.hpp"

#include <array>
#include <cstddef>

namespace tfx {

std::string_view to_string(TcpState s) {
    static constexpr std::array<std::string_view, kTcpStateCount> kNames{
        "UNKNOWN",    "CLOSED",     "LISTEN",     "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
        "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",  "LAST-ACK",     "TIME-WAIT"};
    return kNames[static_cast<std::size_t>(s)];
}

}  // namespace tfx
