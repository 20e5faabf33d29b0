#pragma once
// The facts behind a connection's one-sentence diagnosis (docs/analysis.md "Diagnosis"):
// the spells the analysis measures while segments stream by (zero window, loss recovery),
// and diagnose(), which turns a finished connection's summary into what explains its
// duration, largest first. The sentence itself is written by src/explain/diagnosis_text.hpp.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "analysis/analyzer_state.hpp"
#include "tfx/conversation.hpp"
#include "tfx/types.hpp"

namespace tfx::analysis {

// Measuring the spells: the hooks ConnectionAnalyzer::analyze() calls.

/// A segment of `sender` with raw window `window`: a zero window (on a segment without
/// SYN, FIN or RST) opens a spell, the sender's next non-zero window closes it.
/// Inline test first: almost every segment neither opens nor closes a spell.
void change_zero_window_spell(DirectionState& sender, std::uint16_t window, Timestamp now);
inline void note_zero_window_spell(DirectionState& sender, bool zero_window, std::uint16_t window, Timestamp now) {
    if (sender.in_zero_window ? window != 0 : zero_window) change_zero_window_spell(sender, window, now);
}
/// A retransmission (timeout or fast) of `sender`'s bytes up to `end` opens a recovery or
/// extends the bytes it waits for.
void note_recovery_resend(DirectionState& sender, SeqNum end, Timestamp now);
/// An ACK of `sender`'s bytes up to `ack` closes its recovery when it covers them all.
void end_recovery_if_covered(DirectionState& sender, SeqNum ack, Timestamp now);
inline void note_recovery_ack(DirectionState& sender, SeqNum ack, Timestamp now) {
    if (sender.in_recovery) end_recovery_if_covered(sender, ack, now);
}
/// Spells still open when the connection is summarised last until its last frame.
void close_open_spells(const AnalyzerState& st, ConversationSummary& summary);

// The diagnosis.

enum class DiagnosisKind : std::uint8_t {
    ReceiverLimited,   ///< a side advertised a zero window: its application was not reading
    ServerThinkTime,   ///< request/response exchanges: the server's time to answer
    LossRecovery,      ///< retransmissions
    Reordering,        ///< segments overtaken in the network, not lost
    CaptureArtefacts,  ///< what the capture missed or cut, not the network
    NoProblemSeen,
};
[[nodiscard]] std::string_view to_string(DiagnosisKind k);

/// One side's zero-window spells.
struct ZeroWindowFacts {
    Role side = Role::Server;  ///< the side that advertised the zero window
    std::uint32_t spells = 0;
    std::uint32_t segments = 0;  ///< zero_window findings of that side
    Duration time{};
};

/// Server think time: the server's first response byte after the last segment of each
/// request burst (ConversationSummary::exchanges).
struct ThinkTimeFacts {
    std::uint32_t exchanges = 0;
    Duration max{};
    Duration total{};
};

struct RecoveryFacts {
    std::uint32_t segments = 0;  ///< retransmitted segments, all kinds
    std::uint32_t fast = 0;      ///< fast retransmissions (the receiver asked)
    std::uint32_t timeout = 0;   ///< retransmissions nobody asked for: after a timeout
    std::uint32_t spurious = 0;  ///< bytes already acknowledged, sent again
    std::uint32_t recoveries = 0;
    Duration time{};  ///< first retransmission to the ACK covering it, summed over the recoveries
};

struct CaptureFacts {
    std::uint32_t acked_unseen = 0;   ///< ACKs for segments the capture never saw
    std::uint64_t dropped_bytes = 0;  ///< bytes acknowledged although never captured
    std::uint32_t unfilled_gaps = 0;  ///< sequence gaps nothing later filled
    std::uint32_t snaplen_cut = 0;    ///< segments whose payload the snaplen cut
    std::uint32_t offload_sized = 0;  ///< segments larger than the peer's MSS (TSO/GRO)
};

struct RttFacts {
    std::optional<Duration> value;
    bool from_handshake = false;  ///< else the smallest ACK RTT of the data
};

struct Diagnosis {
    /// The parts, in the order the sentence says them: the ones with a duration largest
    /// first, then reordering and capture artefacts; NoProblemSeen alone when none.
    std::array<DiagnosisKind, 5> kinds{};
    std::uint8_t kind_count = 0;
    std::array<std::optional<ZeroWindowFacts>, 2> zero_window;  ///< [index_of(side)]
    std::optional<ThinkTimeFacts> think_time;
    std::optional<RecoveryFacts> recovery;
    std::uint32_t reordered_segments = 0;
    std::optional<CaptureFacts> capture;
    RttFacts rtt;
};

[[nodiscard]] Diagnosis diagnose(const ConversationSummary& s);

}  // namespace tfx::analysis
