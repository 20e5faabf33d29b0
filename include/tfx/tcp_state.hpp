#pragma once
/// The RFC 9293 §3.3.2 connection states, plus Unknown for endpoints whose state the
/// capture cannot tell (it started mid-stream). States are inferred from the wire.

#include <cstdint>
#include <string_view>

namespace tfx {

enum class TcpState : std::uint8_t {
    Unknown,
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
};
inline constexpr int kTcpStateCount = 12;

/// RFC spelling: "SYN-SENT", "FIN-WAIT-1", ...
[[nodiscard]] std::string_view to_string(TcpState s);

}  // namespace tfx
