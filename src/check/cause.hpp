#pragma once
// Root causes: one fact about a connection that explains several failed expectations at
// once. A connection that was refused, or never established, fails `handshake == complete`,
// `close == graceful`, `server_bytes > 0` and `rst_count == 0` alike; the reports say the
// cause once, with the frame that shows it, then the expectations it breaks.

#include <cstdint>
#include <optional>
#include <string>

#include "check/collector.hpp"
#include "check/expectation.hpp"
#include "tfx/language.hpp"

namespace tfx::check {

enum class CauseKind : std::uint8_t {
    Refused,              ///< the SYN was answered by RST: nothing listened there
    NeverEstablished,     ///< the SYN got no answer in the capture
    HandshakeIncomplete,  ///< SYN and SYN-ACK, but the SYN-ACK was never acknowledged
};
/// "refused", "never_established", "handshake_incomplete" (the JSON report's names).
[[nodiscard]] std::string_view cause_name(CauseKind kind);
/// The same in the words of `lang` (English keeps the names).
[[nodiscard]] std::string_view cause_words(CauseKind kind, Language lang);

/// "RST-ACK from the server".
[[nodiscard]] std::string segment_words(const SegmentLine& l, Language lang);
/// "frame 7: RST-ACK from the server".
[[nodiscard]] std::string frame_words(const SegmentLine& l, Language lang);

struct Cause {
    CauseKind kind{};
    FrameIndex frame = 0;  ///< the frame that shows it: the RST, the last SYN, the SYN-ACK
    /// "conn 1 was refused (frame 2: RST-ACK from the server)".
    std::string sentence;
};

/// The root cause of the connection's failures, when its handshake did not open it; its
/// sentence in `lang`.
[[nodiscard]] std::optional<Cause> root_cause(const ConnectionFacts& f, Language lang = Language::En);

/// Whether a failed predicate on `field` follows from `cause`. Options of the client's SYN
/// do not (the SYN was sent whatever came back), nor, once a SYN-ACK came, the server's.
[[nodiscard]] bool explained_by(const Cause& cause, const FieldInfo& field);

}  // namespace tfx::check
