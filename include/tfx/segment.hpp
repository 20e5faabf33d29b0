#pragma once
/// One row of the walkthrough: a captured frame with everything the analysis knows of it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "tfx/annotation.hpp"
#include "tfx/content.hpp"
#include "tfx/tcp_options.hpp"
#include "tfx/tcp_state.hpp"
#include "tfx/types.hpp"

namespace tfx {

/// A state change one segment causes on one endpoint.
struct StateChange {
    Role endpoint{};
    TcpState from{};
    TcpState to{};
};

/// What a segment means in the life of its connection: the key of its plain-language
/// sentence. Chosen by the state machine from the flags and the states before the segment;
/// an ACK that acknowledges nothing new becomes AckNothingNew, and a segment that carries
/// nothing new takes the meaning of the analysis finding that explains it (duplicate ACK,
/// window update, keep-alive, zero-window probe and their ACKs).
enum class SegmentMeaning : std::uint8_t {
    Undecodable,         ///< malformed frame, no TCP meaning
    ConnectionRequest,   ///< SYN: the client asks to open a connection
    SynRetransmitted,    ///< SYN sent again: no answer yet
    SimultaneousSyn,     ///< SYN from the other side while our SYN is outstanding
    ConnectionAccepted,  ///< SYN-ACK
    HandshakeComplete,   ///< ACK of the SYN-ACK: three-way handshake done
    SimultaneousSynAck,  ///< SYN-ACK crossing another SYN-ACK
    Data,                ///< payload, carrying an ACK
    DataNoAck,           ///< payload without the ACK bit (unusual)
    Ack,                 ///< pure acknowledgment of new data
    AckNothingNew,       ///< pure ACK acknowledging nothing new
    CloseRequest,        ///< first FIN of the connection: the sender has no more data
    CloseReply,          ///< FIN from the side that already received the peer's FIN
    SimultaneousClose,   ///< FIN crossing the peer's FIN
    FinAcked,            ///< pure ACK of the peer's FIN (half-close, waiting for the other FIN)
    FinalAck,            ///< ACK of the last FIN: the connection is closed
    Refused,             ///< RST answering a SYN: nothing listens there
    Reset,               ///< RST aborting an established connection
    ResetAfterClose,     ///< RST after FINs (e.g. unread data, SO_LINGER 0)
    MidStream,           ///< first segment of a connection already open before the capture
    // Segments without new data whose role the sequence analysis revealed.
    DuplicateAck,        ///< the same ACK again: the receiver is missing what follows
    WindowUpdate,        ///< only the advertised window changed
    KeepAlive,           ///< one byte below what was sent, to check the idle peer
    KeepAliveAck,        ///< the answer to a keep-alive
    ZeroWindowProbe,     ///< a probe of the peer's closed window
    ZeroWindowProbeAck,  ///< the answer to a probe: the window is still closed
    FinRetransmitted,    ///< the sender's FIN again (same sequence number): not a second close
    Probe,               ///< FIN, Xmas or null scan probe: no SYN, ACK or RST, no connection before it
    ProbeReset,          ///< RST answering a probe: no connection (and no listener) there
    NoAck,               ///< segment without the ACK bit: it acknowledges nothing
};

/// Step of a phase: "handshake 2/3", "teardown 3/4".
enum class Phase : std::uint8_t { None, Handshake, Teardown };

/// An annotated segment (or a frame that failed to decode, with conversation 0).
/// Views (`payload`, `content_hint`) are valid only inside the EventSink callback that receives it.
/// How a data segment's bytes counted in its direction's rebuilt byte stream (--reassemble;
/// docs/streams.md). Offsets are 64-bit stream offsets: offset 0 is the first byte after the
/// SYN. Every count is of this segment's bytes; captured bytes = new + duplicate + overlapping
/// + beyond_fin (+ before_start), and inconsistent and uncompared are parts of duplicate +
/// overlapping.
struct SegmentStream {
    std::uint64_t offset = 0;              ///< the first byte kept (bytes before the stream's start are not)
    std::uint64_t end = 0;                 ///< one past the segment's last byte on the wire
    std::uint32_t new_bytes = 0;           ///< offsets no copy held before
    std::uint32_t duplicate_bytes = 0;     ///< held before, in a segment that brought nothing new
    std::uint32_t overlapping_bytes = 0;   ///< held before, in a segment that also brought new bytes
    std::uint32_t inconsistent_bytes = 0;  ///< of those, bytes that differ from the first copy
    std::uint32_t uncompared_bytes = 0;    ///< of those, bytes whose first copy is no longer held
    std::uint32_t cut_bytes = 0;           ///< on the wire, cut by the snaplen
    std::uint32_t beyond_fin_bytes = 0;    ///< at or past the FIN's offset: not part of the stream
    std::uint32_t before_start_bytes = 0;  ///< below offset 0 (sent before the capture's start)
    friend bool operator==(const SegmentStream&, const SegmentStream&) = default;
};

struct AnnotatedSegment {
    static constexpr int kMaxAnnotations = 8;

    FrameIndex frame = 0;
    Timestamp ts{};
    Duration since_start{};  ///< since the connection's first frame
    /// Since the capture's first frame, of any kind (tshark's frame.time_relative): the same
    /// for every sink, whichever connections reach it.
    Duration since_capture_start{};
    ConversationId conversation = 0;  ///< 0: not part of any connection (malformed)
    std::uint32_t wire_len = 0;       ///< frame length on the wire
    std::uint32_t captured_len = 0;   ///< bytes captured

    bool has_tcp = false;  ///< TCP header decoded
    Role sender{};
    Endpoint src;
    Endpoint dst;
    std::uint8_t ip_version = 0;
    std::uint16_t ip_id = 0;
    std::uint8_t ttl = 0;

    std::uint16_t flags = 0;             ///< tcpflag::k* bits
    std::uint32_t seq = 0;               ///< raw sequence number
    std::uint32_t ack = 0;               ///< raw acknowledgment number
    std::uint32_t rel_seq = 0;           ///< relative to this direction's base (ISN)
    std::uint32_t rel_ack = 0;           ///< relative to the peer's base
    std::uint32_t payload_len = 0;       ///< from the IP length, not the captured length
    std::uint32_t payload_captured = 0;  ///< payload bytes present in the capture
    std::uint16_t window_raw = 0;
    std::uint64_t window = 0;  ///< scaled when both SYNs carried window scale
    bool window_scaled = false;
    /// The window scale is unknown: the SYNs that negotiate it were not captured, so the
    /// real window is `window_raw` times 2^shift for an unknown shift (tshark: factor -1).
    bool window_scale_unknown = false;
    std::uint16_t urgent = 0;
    TcpOptions options;

    SegmentMeaning meaning = SegmentMeaning::Undecodable;
    Phase phase = Phase::None;
    std::uint8_t step = 0;   ///< 1-based step within the phase
    std::uint8_t steps = 0;  ///< steps the phase has (3 for a handshake)

    std::array<StateChange, 4> changes{};
    std::uint8_t change_count = 0;

    std::array<Annotation, kMaxAnnotations> annotations{};
    std::uint8_t annotation_count = 0;

    std::optional<Duration> ack_rtt;  ///< time since the segment this ACK acknowledges
    FrameIndex acks_frame = 0;        ///< frame acknowledged by this ACK (0 = none)
    std::optional<std::uint32_t> bytes_in_flight;

    std::span<const std::byte> payload;  ///< captured payload (valid during the callback)
    /// With --reassemble, on segments whose payload belongs to a stream: how its bytes counted.
    std::optional<SegmentStream> stream;
    /// What this direction's first bytes are, on the segment that completed the hint (the
    /// session, src/content/hint_finder.hpp); null on every other segment. Valid
    /// during the callback, like `payload`.
    const content::ContentHint* content_hint = nullptr;

    [[nodiscard]] std::span<const Annotation> notes() const { return {annotations.data(), annotation_count}; }
    [[nodiscard]] std::span<const StateChange> state_changes() const { return {changes.data(), change_count}; }
    [[nodiscard]] bool has(AnnotationCode code) const;
    /// Adds a finding; a ninth one is dropped (and AnalysisLimit kept in the last slot).
    void add(const Annotation& a);
};

}  // namespace tfx
