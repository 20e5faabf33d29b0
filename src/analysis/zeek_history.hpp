#pragma once
// Zeek's per-connection view of TCP: endpoint states, the conn.log `history` string and the
// `conn_state` verdict (Zeek TCPSessionAdapter / TCP_Endpoint / main.zeek; the rules are in
// docs/analysis.md, "Zeek `conn_state` and `history`"). Direction 0 is the originator (our
// client), 1 the responder.
// Fixed-size state: no allocation per packet; the history is built in an inline buffer.

#include <array>
#include <cstdint>
#include <string_view>

#include "analysis/on_demand.hpp"
#include "tfx/seq.hpp"

namespace tfx::session {
struct LingeringFields;  // session/lingering_fields.hpp
}  // namespace tfx::session

namespace tfx::analysis {

/// Zeek's TCP endpoint states (TCP_ENDPOINT_*).
enum class ZeekEndpointState : std::uint8_t {
    Inactive,
    SynSent,
    SynAckSent,
    Partial,
    Established,
    Closed,
    Reset,
};

/// The events Zeek's history counts on a logarithmic scale, one counter each per endpoint.
enum class ZeekCounted : std::uint8_t { Retransmission, ZeroWindow, ContentGap };

/// Zeek's logarithmic history counters of one endpoint: a letter is recorded at the 1st, 10th,
/// 100th ... event of its kind (a count from 0 and a threshold from 1, times 10 after each
/// hit, held at 2^32 - 1 once ten times more would not fit in 32 bits). The threshold is kept
/// as the number of hits so far (0 to 10), a byte rather than a 32-bit number: an endpoint
/// holds three counters, in 16 bytes rather than 24.
struct ZeekScaledCounters {
    std::array<std::uint32_t, 3> count{};
    std::array<std::uint8_t, 3> hits{};  ///< the threshold is 10^hits, or 2^32 - 1 from 10 hits on

    /// Counts one event of `kind`; true when its letter must be appended.
    bool hit(ZeekCounted kind);
    /// The count at which the next letter of `kind` is appended.
    [[nodiscard]] std::uint32_t threshold(ZeekCounted kind) const;
};

/// The history string: at most kCapacity letters (longer histories are cut, which Zeek
/// never needs in practice: only S/H/F/R on ever-new sequence numbers can grow it). The first
/// kInline letters are kept inline, which holds nearly every connection's whole history
/// (5 to 10 letters); a longer one moves to a kCapacity buffer allocated then.
class ZeekHistory {
    friend struct tfx::session::LingeringFields;  // writes the record field by field
public:
    static constexpr std::size_t kCapacity = 64;
    static constexpr std::size_t kInline = 15;
    void add(char c);
    [[nodiscard]] std::string_view str() const { return {len_ <= kInline ? inline_.data() : (*long_).data(), len_}; }

private:
    OnDemand<std::array<char, kCapacity>> long_;  ///< every letter, once there are more than kInline
    std::array<char, kInline> inline_{};
    // One byte: the capacity is below 256, and every live connection holds a history.
    std::uint8_t len_ = 0;
    static_assert(kCapacity < 256 && kInline < kCapacity);
};

/// Zeek's conn_state() verdict from the two endpoint states (exact precedence of main.zeek).
/// `orig_payload` / `resp_payload`: whether that side sent any payload bytes.
[[nodiscard]] std::string_view zeek_conn_state(ZeekEndpointState orig, ZeekEndpointState resp, std::string_view history,
                                               bool orig_payload, bool resp_payload);

/// True when `history` matches Zeek's RSTOS0 pattern `^?S[^HAFGIQ]*R.*`.
[[nodiscard]] bool zeek_history_is_rstos0(std::string_view history);

/// One segment as Zeek's TCP analyzer sees it.
struct ZeekPacket {
    int dir = 0;  ///< 0 = originator, 1 = responder
    std::uint16_t flags = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint32_t len = 0;  ///< payload bytes
    std::uint16_t window_raw = 0;
};

/// Zeek's per-connection TCP bookkeeping needed for conn_state and history.
class ZeekTracker {
    friend struct tfx::session::LingeringFields;  // writes the record field by field
public:
    void on_packet(const ZeekPacket& p);
    /// Frees the out-of-order blocks of endpoints that hold none (a closed connection
    /// lingering for late segments); a later out-of-order segment allocates them again.
    void release_idle_memory() {
        for (Ep& e : ep_)
            if (e.block_count == 0) e.blocks.release();
    }

    [[nodiscard]] std::string_view history() const { return history_.str(); }
    [[nodiscard]] ZeekEndpointState state(int dir) const { return ep_[dir & 1].state; }
    [[nodiscard]] std::string_view conn_state() const;

private:
    struct Block {
        SeqNum left;
        SeqNum right;
    };
    static constexpr std::uint8_t kMaxBlocks = 4;
    // Fields grouped by size (the pointer, 4 bytes, 1 byte): every live connection holds two.
    struct Ep {
        // Content-gap model of Zeek's reassembler: out-of-order blocks, allocated at the
        // first out-of-order segment (most connections never send one), and the contiguous end.
        OnDemand<std::array<Block, kMaxBlocks>> blocks;
        SeqNum start;  ///< ISN (or first seq - 1 when the SYN was not seen)
        SeqNum last;   ///< highest seq + len (+SYN/FIN) seen
        SeqNum contig;
        std::uint32_t seen = 0;  ///< once-per-direction letters already recorded (bit mask)
        std::uint32_t last_syn_rel = 0;
        std::uint32_t last_fin_rel = 0;
        std::uint32_t last_rst_rel = 0;
        ZeekScaledCounters counted;  ///< retransmissions, zero windows, content gaps
        ZeekEndpointState state = ZeekEndpointState::Inactive;
        ZeekEndpointState prev_state = ZeekEndpointState::Inactive;
        bool started = false;  ///< start/last seq initialised
        bool payload = false;
        bool have_syn_seq = false;
        bool have_fin_seq = false;
        bool have_rst_seq = false;
        bool contig_valid = false;
        std::uint8_t block_count = 0;  ///< blocks held in `blocks`
    };

    void letter(int dir, char upper);
    bool once(int dir, std::uint32_t bit, char upper);
    void update_history(Ep& e, int dir, const ZeekPacket& p);
    void update_state(Ep& e, Ep& peer, int dir, const ZeekPacket& p);
    void record_data(Ep& e, SeqNum left, SeqNum right);
    void ack_received(Ep& e, SeqNum ack, int dir_of_e);

    std::array<Ep, 2> ep_{};
    ZeekHistory history_;
    bool any_packet_ = false;
};

}  // namespace tfx::analysis
