#pragma once
/// Findings attached to a segment or a connection: decode problems, TCP analysis flags
/// (Wireshark's tcp.analysis.* names where one exists), handshake and state anomalies.
/// Code names are stable snake_case and part of the public API (JSON, JSONL, check rules).

#include <cstdint>
#include <optional>
#include <string_view>

#include "tfx/types.hpp"

namespace tfx {

enum class AnnotationCode : std::uint8_t {
    // Decode (the frame could not be fully read; the row says so).
    TruncatedFrame,         ///< a header is cut short by the capture (not the payload)
    UnsupportedLinkHeader,  ///< link-layer payload type we do not decode
    BadIpVersion,
    BadIpHeaderLen,        ///< a = header length in bytes
    BadIpTotalLen,         ///< a = length field, b = bytes available
    BadIpv6ExtHeader,      ///< extension chain loops, is too long or runs past the packet
    BadTcpHeaderLen,       ///< a = data offset in bytes
    BadTcpOptionLen,       ///< a = option kind, b = option length
    SnaplenTruncated,      ///< informational: payload partly not captured; a = bytes missing
    IpFragment,            ///< IP fragment, not reassembled; a = fragment offset
    IpLengthZero,          ///< IPv4 total length 0 (TSO/BIG TCP): length taken from the frame
    CaplenExceedsWirelen,  ///< capture record claims more bytes than were on the wire
    // Handshake and roles.
    SynRetransmission,  ///< related = first SYN
    SimultaneousOpen,
    SynAckWithoutSyn,
    MidStreamStart,  ///< connection was already open when the capture started
    RoleGuessed,
    IsnInferred,
    DataOnSyn,  ///< payload on SYN (TCP Fast Open or unusual stack); a = bytes
    // TCP analysis (Wireshark tcp.analysis.*).
    Retransmission,          ///< related = original frame; a = ns since original
    FastRetransmission,      ///< related = original frame; a = dup-ACK count
    SpuriousRetransmission,  ///< related = original frame; a = peer's last ack (relative)
    OutOfOrder,              ///< a = next expected seq (relative)
    LostSegment,             ///< "previous segment not captured"; a = expected seq, b = seq (relative)
    AckLostSegment,          ///< "ACKed unseen segment"; a = ack, b = highest seq seen (relative)
    DuplicateAck,            ///< related = ACK it repeats; a = ordinal (#1, #2, ...)
    ZeroWindow,
    ZeroWindowProbe,
    ZeroWindowProbeAck,
    WindowUpdate,  ///< a = old window, b = new window (scaled)
    WindowFull,
    KeepAlive,
    KeepAliveAck,
    ReusedPorts,  ///< new connection on a 4-tuple used before; related = its last frame
    // Capture artefacts (suppress loss verdicts they would otherwise cause).
    SegmentExceedsMss,   ///< larger than the peer's MSS: TSO/GRO offload on the capturing host
    DuplicateFrame,      ///< same IP id and seq as the previous frame: captured twice
    TimestampBackwards,  ///< a = ns the clock went back
    CaptureDrop,  ///< ACK for bytes never captured: the capture missed them; a = bytes, b = first (relative), related = gap frame
    // State and protocol anomalies.
    IllegalTransition,  ///< a = from state, b = to state
    DataAfterFin,
    DataAfterReset,
    SegmentAfterReset,
    RstWithData,            ///< a = bytes
    WindowScaleOutOfRange,  ///< a = shift sent (RFC 7323 caps it at 14)
    AllFlagsSet,            ///< "Christmas tree" segment
    NoFlags,                ///< "null scan" segment
    SynWithFin,
    IpReassembled,  ///< datagram rebuilt from IP fragments; a = fragments, b = overlapping bytes whose copies differ (then the datagram is ambiguous and left out of the analysis)
    AnalysisLimit,  ///< a per-connection bound stopped some tracking
    SentBeforeReceiving,  ///< sent before the peer's segment `related` (which passed earlier) reached the sender, so its state is placed before it; a = 1 when its timestamp echo proves it (b = TSecr), 0 when the peer's segment order does
    IdleResumed,  ///< a connection idle past the idle timeout continues; related = its last frame before, a = ns of silence
    VlanTaggingDiffers,  ///< the first frame of a direction whose VLAN tagging differs from the other direction's (a SPAN port tagging one side): joined to its connection; a = this frame's tags, b = the other side's (outer id << 12 | inner id, 0 = untagged)
    RefusalContradicted,  ///< a SYN-ACK answering the SYN that the RST `related` refused: both cannot come from the server's TCP; the RST and what followed it are set aside
};
inline constexpr int kAnnotationCodeCount = static_cast<int>(AnnotationCode::RefusalContradicted) + 1;

enum class Severity : std::uint8_t { Info, Note, Warning, Error };

/// Stable snake_case name ("retransmission", "duplicate_ack", "bad_tcp_header_len").
[[nodiscard]] std::string_view code_name(AnnotationCode code);
[[nodiscard]] std::optional<AnnotationCode> code_from_name(std::string_view name);
[[nodiscard]] Severity code_severity(AnnotationCode code);
[[nodiscard]] std::string_view severity_name(Severity s);

/// One finding with the evidence it rests on. The meaning of `a` and `b` depends on the
/// code (documented beside each code above); relative sequence numbers where noted.
struct Annotation {
    AnnotationCode code{};
    FrameIndex related = 0;  ///< frame this finding refers to (0 = none)
    std::int64_t a = 0;
    std::int64_t b = 0;
};

}  // namespace tfx
