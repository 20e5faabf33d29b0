#pragma once
/// Per-connection summary: how it opened, what flowed, how it ended.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tfx/annotation.hpp"
#include "tfx/content.hpp"
#include "tfx/tcp_state.hpp"
#include "tfx/types.hpp"

namespace tfx {

enum class HandshakeOutcome : std::uint8_t {
    Complete,          ///< SYN, SYN-ACK, ACK seen
    SimultaneousOpen,  ///< crossing SYNs, completed
    Refused,           ///< SYN answered by RST
    Unanswered,        ///< SYN(s), no reply in the capture
    NoFinalAck,        ///< SYN, SYN-ACK, but no ACK of the SYN-ACK yet
    NotSeen,           ///< capture started mid-stream
    Probe,             ///< scan probes (FIN, Xmas, null) and their answers: no connection
};

enum class CloseKind : std::uint8_t {
    StillOpen,          ///< no FIN or RST by the end of the capture
    Graceful,           ///< FIN from each side, both acknowledged
    Simultaneous,       ///< crossing FINs, both acknowledged
    HalfClosed,         ///< one side's FIN only (the other side may still send)
    ClosingIncomplete,  ///< both FINs, a final ACK missing
    Reset,              ///< RST ended it (see closed_by)
    NeverOpened,        ///< refused or unanswered
};

/// Where the capture was taken, judged from the two legs of the handshake
/// (docs/analysis.md "Timing"): SYN -> SYN-ACK spans the path beyond the capture point
/// towards the server, SYN-ACK -> ACK the path towards the client.
enum class VantagePoint : std::uint8_t {
    Unknown,     ///< handshake legs not measured (no complete three-way handshake)
    NearClient,  ///< SYN -> SYN-ACK at least 4x SYN-ACK -> ACK
    NearServer,  ///< SYN-ACK -> ACK at least 4x SYN -> SYN-ACK
    InBetween,   ///< neither leg dominates
};

[[nodiscard]] constexpr std::string_view to_string(VantagePoint v) {
    switch (v) {
        case VantagePoint::NearClient: return "near_client";
        case VantagePoint::NearServer: return "near_server";
        case VantagePoint::InBetween: return "in_between";
        case VantagePoint::Unknown: break;
    }
    return "unknown";
}

/// Per direction (index 0 = sent by the client, 1 = by the server).
struct DirectionStats {
    std::uint64_t packets = 0;
    std::uint64_t payload_bytes = 0;  ///< sum of payload lengths, retransmissions included
    std::uint64_t unique_bytes = 0;   ///< highest relative sequence reached (new data)
    std::uint64_t retransmitted_bytes = 0;
    std::uint64_t wire_bytes = 0;
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> window_scale;
    bool sack_permitted = false;
    bool timestamps = false;
    std::uint64_t max_window = 0;  ///< scaled
    std::uint32_t zero_windows = 0;
    std::uint32_t rsts = 0;
    std::uint32_t fins = 0;
    std::uint32_t syns = 0;
    TcpState final_state = TcpState::Unknown;
    // RTT samples of ACKs this side sent (data from the peer), Karn's rule applied.
    std::uint32_t rtt_samples = 0;
    Duration rtt_min{};
    Duration rtt_max{};
    Duration rtt_sum{};
    // Reordering versus loss (docs/analysis.md, deviations 7 and 8).
    /// Segments of this direction that arrived after higher sequence numbers although they
    /// were original transmissions (out_of_order findings): reordering, not loss.
    std::uint32_t reordered_segments = 0;
    /// "Previous segment not captured" gaps of this direction that an original transmission
    /// later filled (reordering); the other lost_segment gaps point at loss before the
    /// capture point or at capture drops.
    std::uint32_t gaps_filled_by_reordering = 0;
    /// All "previous segment not captured" gaps of this direction (lost_segment findings),
    /// and those a retransmission filled. The gaps neither reordering nor a retransmission
    /// filled were never seen in the capture (loss before the capture point, or capture drops).
    std::uint32_t gaps_opened = 0;
    std::uint32_t gaps_filled_by_retransmission = 0;
    /// Bytes of this direction the peer acknowledged although the capture never saw them
    /// (capture_drop findings): dropped by the capture, not lost in the network.
    std::uint32_t capture_drops = 0;
    std::uint64_t capture_dropped_bytes = 0;
    /// Stalls: silences of the whole connection longer than the stall threshold
    /// (max(200 ms, 2 x initial RTT)) while this direction had unacknowledged data (or SYN/FIN)
    /// outstanding or the peer advertised a zero window. Count, and total duration (ns).
    std::uint32_t stalls = 0;
    Duration stall_time{};
    /// Zero-window spells this side advertised (its application was not reading): each from
    /// its first zero-window segment to this side's next segment with a non-zero window (or
    /// the end of the connection). Count and total duration.
    std::uint32_t zero_window_spells = 0;
    /// Loss recoveries of this side's data: each from its first retransmission (timeout or
    /// fast, not spurious) to the peer's ACK covering every byte retransmitted meanwhile (or
    /// the end of the connection). Count and total duration.
    std::uint32_t recoveries = 0;
    Duration zero_window_time{};
    Duration recovery_time{};
};

/// One direction's rebuilt byte stream (--reassemble; docs/streams.md), by its sender.
/// delivered_bytes + missing_bytes is the stream's length.
struct StreamStats {
    std::uint64_t delivered_bytes = 0;
    std::uint64_t missing_bytes = 0;  ///< never captured, cut by the snaplen, or given up
    std::uint64_t missing_ranges = 0;
    std::uint64_t duplicate_bytes = 0;
    std::uint64_t overlapping_bytes = 0;
    std::uint64_t inconsistent_retransmissions = 0;  ///< segments with bytes differing from the first copy
    std::uint64_t inconsistent_bytes = 0;
    std::uint64_t beyond_fin_bytes = 0;
    std::uint64_t before_start_bytes = 0;
};

struct ConversationSummary {
    ConversationId id = 0;
    FlowKey key;
    Endpoint client;
    Endpoint server;
    bool roles_inferred = false;
    FrameIndex first_frame = 0;
    FrameIndex last_frame = 0;
    Timestamp first_ts{};
    Timestamp last_ts{};

    HandshakeOutcome handshake = HandshakeOutcome::NotSeen;
    std::optional<Duration> handshake_rtt;  ///< SYN to the ACK of the SYN-ACK
    std::optional<Duration> syn_to_synack;  ///< leg 1 (server side of the capture point)
    std::optional<Duration> synack_to_ack;  ///< leg 2 (client side of the capture point)
    /// Capture position from the handshake legs (filled by the analysis).
    VantagePoint vantage = VantagePoint::Unknown;
    /// First client payload to the first server payload after it (ns); empty when no server
    /// payload followed the client's first payload (a server banner before it is ignored).
    std::optional<Duration> time_to_first_byte;
    /// Request/response exchanges: a client data burst answered by server data. Server think
    /// time of one exchange = last client data segment of the burst -> first server data
    /// segment after it, at the capture point (includes one round trip unless captured near
    /// the server). Count, sum (ns; average = sum / count) and maximum (ns).
    std::uint32_t exchanges = 0;
    Duration server_think_sum{};
    Duration server_think_max{};
    CloseKind close = CloseKind::StillOpen;
    std::optional<Role> closed_by;  ///< first FIN or the RST sender
    bool data_after_close = false;  ///< half-close: data after the peer's FIN
    /// Why tracking ended: "end_of_capture", "closed", "idle_timeout", "evicted", "port_reuse".
    std::string end_reason;

    std::array<DirectionStats, 2> dir{};                       ///< [0] client->server, [1] server->client
    std::array<std::uint32_t, kAnnotationCodeCount> counts{};  ///< findings by code
    /// With --reassemble: the rebuilt streams, [0] the client's bytes, [1] the server's.
    std::optional<std::array<StreamStats, 2>> stream;

    /// What each direction's first bytes are, filled by the session
    /// (src/content/hint_finder.hpp) when asked; null when neither side's kind is known, so
    /// that the summaries of most connections carry no hints, and shared by every copy.
    std::shared_ptr<const content::ConnectionHints> content_hints;

    std::string conn_state;  ///< Zeek conn_state (S0, S1, SF, REJ, ...)
    std::string history;     ///< Zeek history string

    /// States the client and server went through (first frame of each), for DOT rendering.
    std::array<std::uint32_t, 2> visited_states{};  ///< bitsets over TcpState
    std::array<std::uint64_t, 2> observed_edges{};  ///< bitsets over StateGraph edge ids

    [[nodiscard]] Duration duration() const { return last_ts - first_ts; }
    [[nodiscard]] std::uint32_t count(AnnotationCode c) const { return counts[static_cast<std::size_t>(c)]; }
};

[[nodiscard]] std::string_view to_string(HandshakeOutcome h);
[[nodiscard]] std::string_view to_string(CloseKind c);
[[nodiscard]] std::string_view to_string(Role r);

}  // namespace tfx
