#pragma once
// Module note: stream / stream_reassembler
//   Purpose: one direction of a TCP connection, its byte stream rebuilt exactly: delivered in
//   offset order to a sink, every gap declared with its offset, length and reason, every
//   retransmission compared with the first copy.
//   Input: segments by 64-bit stream offset (the caller unwraps sequence numbers; offset 0 is
//   the first byte after the SYN, or the first byte seen when the SYN was missed), with their
//   captured bytes and their length on the wire; the FIN's offset; the RST.
//   Policy: the first copy of an offset wins (Wireshark's and Zeek's default). A later copy is
//   compared with it: identical bytes count as duplicate or overlapping, differing bytes are an
//   inconsistent retransmission (both copies' ranges and frames go to the sink); the later
//   copy is never used. A retransmission of bytes already delivered is compared with the
//   delivered bytes while they are in the history window; older ones are counted uncompared.
//   Bytes the snaplen cut are declared missing (snaplen-cut) when delivery reaches them,
//   unless a full copy arrived first. Bytes past the FIN's offset are not part of the stream:
//   reported, not delivered. Bytes after a RST are delivered and counted.
//   Bounds: out-of-order bytes are buffered up to StreamLimits::max_buffered per direction and
//   the StreamBudget shared by a capture's directions (each buffered piece also costs
//   kPieceOverhead); past either, the first gap is declared missing (buffer-limit) and
//   delivery goes on. The history window holds between half of StreamLimits::history and
//   all of it, charged to the same budget. finish() declares every gap left (never-captured).
//   Cost: an in-order segment is handed to the sink from the caller's buffer, with no
//   allocation once the history window has reached its size.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tfx/language.hpp"
#include "tfx/types.hpp"

namespace tfx::stream {

/// Why bytes of the stream are not there.
enum class MissingReason : std::uint8_t {
    NeverCaptured,  ///< no copy of them was captured (lost before the capture point, or not captured)
    SnaplenCut,     ///< on the wire, but the capture's snaplen cut them from every copy seen
    BufferLimit,    ///< the out-of-order buffer was full before a copy arrived: given up
};
[[nodiscard]] std::string_view to_string(MissingReason reason);
/// The reason in words, in `lang`: what --follow prints in its gap lines.
[[nodiscard]] std::string_view said_reason(MissingReason reason, Language lang);

/// What a stream shows worth saying where it happens.
enum class NoteKind : std::uint8_t {
    SynData,    ///< the bytes from `offset` came on the SYN (TCP Fast Open, RFC 7413)
    Urgent,     ///< a segment's urgent pointer points at `offset` (RFC 9293 §3.1: the byte after the urgent data)
    AfterFin,   ///< `length` captured bytes at `offset`, at or past the FIN: not part of the stream
    AfterRst,   ///< the bytes from `offset` came after the sender's RST
    MidStream,  ///< the capture missed the sender's SYN: offset 0 is the first byte seen
};
[[nodiscard]] std::string_view to_string(NoteKind kind);

struct StreamNote {
    NoteKind kind = NoteKind::SynData;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;  ///< AfterFin: the bytes; 0 otherwise
    friend bool operator==(const StreamNote&, const StreamNote&) = default;
};
/// The note as the outputs print it, in `lang`: "[urgent pointer: byte 7]".
[[nodiscard]] std::string describe(const StreamNote& note, Language lang);

/// Stream offsets [offset, offset + length).
struct ByteRange {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    [[nodiscard]] std::uint64_t end() const { return offset + length; }
    friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

/// A retransmission whose bytes differ from the first copy of the same offsets.
struct Inconsistency {
    ByteRange overlap;                  ///< the offsets both copies hold
    std::uint64_t differing_bytes = 0;  ///< bytes within `overlap` that differ
    ByteRange first;                    ///< the first copy (kept), as held when compared
    FrameIndex first_frame = 0;
    ByteRange later;  ///< the later copy's captured bytes (not used)
    FrameIndex later_frame = 0;
    friend bool operator==(const Inconsistency&, const Inconsistency&) = default;
};

/// Where the stream goes, in offset order: every offset from 0 to the end is either in one
/// bytes() call or in one missing() call, exactly once.
class StreamSink {
public:
    virtual ~StreamSink() = default;
    /// `data` is valid during the call only.
    virtual void bytes(std::uint64_t offset, std::span<const std::byte> data, FrameIndex frame) = 0;
    virtual void missing(std::uint64_t offset, std::uint64_t length, MissingReason reason) = 0;
    virtual void inconsistent(const Inconsistency& /*found*/) {}
    /// Captured bytes at offsets at or past the FIN's: not part of the stream.
    virtual void beyond_fin(ByteRange /*range*/, FrameIndex /*frame*/) {}
    /// A note about the stream (given by the caller of the reassembler, not by it), before
    /// the bytes it is about are delivered.
    virtual void note(const StreamNote& /*note*/) {}
};

/// Memory shared by every direction of a capture: the bytes they hold (out-of-order pieces
/// and history windows). Must outlive the reassemblers that use it.
class StreamBudget {
public:
    static constexpr std::uint64_t kDefaultLimit = 256ULL << 20;

    explicit StreamBudget(std::uint64_t limit = kDefaultLimit) : limit_(limit) {}
    StreamBudget(const StreamBudget&) = delete;
    StreamBudget& operator=(const StreamBudget&) = delete;

    /// Takes `bytes` when they fit under the limit; false (nothing taken) otherwise.
    [[nodiscard]] bool try_take(std::uint64_t bytes);
    void give_back(std::uint64_t bytes);

    [[nodiscard]] std::uint64_t limit() const { return limit_; }
    [[nodiscard]] std::uint64_t in_use() const { return in_use_; }
    [[nodiscard]] std::uint64_t peak() const { return peak_; }

private:
    std::uint64_t limit_;
    std::uint64_t in_use_ = 0;
    std::uint64_t peak_ = 0;
};

struct StreamLimits {
    std::uint64_t max_buffered = 4ULL << 20;  ///< out-of-order bytes held by one direction
    std::uint64_t history = 64ULL << 10;      ///< delivered bytes kept to compare retransmissions with
};

/// One segment of the direction. Its bytes on the wire are [offset, offset + wire_length);
/// the capture holds the first payload.size() of them (wire_length below that is read as
/// payload.size()).
struct StreamSegment {
    std::uint64_t offset = 0;
    std::span<const std::byte> payload;
    std::uint64_t wire_length = 0;
    FrameIndex frame = 0;
};

/// What one segment contributed. Captured bytes = new + duplicate + overlapping +
/// beyond_fin; inconsistent and uncompared are parts of duplicate + overlapping.
struct SegmentContribution {
    std::uint64_t new_bytes = 0;           ///< offsets no copy held before
    std::uint64_t duplicate_bytes = 0;     ///< held before, in a segment that brought nothing new
    std::uint64_t overlapping_bytes = 0;   ///< held before, in a segment that also brought new bytes
    std::uint64_t inconsistent_bytes = 0;  ///< of those, bytes that differ from the first copy
    std::uint64_t uncompared_bytes = 0;    ///< of those, bytes whose first copy is no longer held
    std::uint64_t cut_bytes = 0;           ///< on the wire, cut by the snaplen
    std::uint64_t beyond_fin_bytes = 0;    ///< at or past the FIN's offset: not delivered
    bool after_rst = false;                ///< the direction had sent a RST before
};

/// Per-direction totals. delivered_bytes + missing_bytes is the offset delivery has reached.
struct StreamTotals {
    std::uint64_t segments = 0;
    std::uint64_t delivered_bytes = 0;
    std::uint64_t missing_bytes = 0;
    std::uint64_t missing_ranges = 0;
    std::uint64_t missing_never_captured = 0;
    std::uint64_t missing_snaplen_cut = 0;
    std::uint64_t missing_buffer_limit = 0;
    std::uint64_t duplicate_bytes = 0;
    std::uint64_t overlapping_bytes = 0;
    std::uint64_t inconsistent_retransmissions = 0;  ///< segments with bytes differing from the first copy
    std::uint64_t inconsistent_bytes = 0;
    std::uint64_t uncompared_bytes = 0;
    std::uint64_t cut_bytes = 0;
    std::uint64_t beyond_fin_bytes = 0;
    std::uint64_t after_rst_bytes = 0;  ///< captured bytes of segments after a RST
    std::uint64_t fin_conflicts = 0;    ///< FINs at another offset than the first, or below delivered data
    std::uint64_t peak_buffered = 0;    ///< the most the out-of-order buffer held (bytes + overhead)
};

class StreamReassembler {
public:
    /// What each buffered piece costs beyond its bytes (its map node and vector).
    static constexpr std::uint64_t kPieceOverhead = 64;

    StreamReassembler(StreamSink& sink, StreamBudget& budget, StreamLimits limits = {});
    ~StreamReassembler();
    StreamReassembler(const StreamReassembler&) = delete;
    StreamReassembler& operator=(const StreamReassembler&) = delete;

    SegmentContribution add(const StreamSegment& segment);
    /// The FIN: the stream ends at `offset` (the FIN's own sequence number, as an offset).
    /// The first FIN wins; another offset counts as a fin conflict.
    void fin(std::uint64_t offset);
    /// A RST: later bytes are still delivered, counted after_rst_bytes.
    void rst() { rst_seen_ = true; }
    /// The end of the capture: every gap left is declared missing (never-captured, or
    /// snaplen-cut where a cut copy was seen), up to the FIN's offset when one came. The
    /// buffer and the history are given back to the budget. Call once; add() after it is ignored.
    void finish();

    [[nodiscard]] const StreamTotals& totals() const { return totals_; }
    /// The offset up to which every byte was delivered or declared missing.
    [[nodiscard]] std::uint64_t next_offset() const { return next_; }
    [[nodiscard]] std::uint64_t buffered() const { return buffered_; }
    [[nodiscard]] std::optional<std::uint64_t> fin_offset() const { return fin_; }

private:
    /// A buffered piece: captured bytes, or (data empty) offsets only a snaplen-cut copy covered.
    struct Piece {
        std::uint64_t end = 0;
        FrameIndex frame = 0;
        std::vector<std::byte> data;
        [[nodiscard]] bool cut() const { return data.empty(); }
    };
    /// Part of the current segment not held before: `src` points into the caller's payload
    /// (null for cut offsets).
    struct Fresh {
        std::uint64_t offset = 0;
        std::uint64_t end = 0;
        const std::byte* src = nullptr;
    };
    /// Delivered bytes of one frame, from `offset` to the next run's offset (or next_).
    struct Run {
        std::uint64_t offset = 0;
        ByteRange segment;  ///< the captured range of the frame these bytes came from
        FrameIndex frame = 0;
    };
    struct Later {
        ByteRange range;
        FrameIndex frame = 0;
    };

    void compare_with_history(std::uint64_t offset, std::span<const std::byte> bytes, const Later& later,
                              SegmentContribution& out);
    void compare(std::uint64_t offset, std::span<const std::byte> first, std::span<const std::byte> bytes,
                 ByteRange first_range, FrameIndex first_frame, const Later& later, SegmentContribution& out);
    void place_data(std::uint64_t offset, std::span<const std::byte> bytes, const Later& later,
                    SegmentContribution& out);
    void place_cut(std::uint64_t offset, std::uint64_t end);
    using Pieces = std::map<std::uint64_t, Piece>;
    [[nodiscard]] Pieces::iterator first_piece_ending_after(std::uint64_t offset);
    [[nodiscard]] Pieces::iterator split_cut(Pieces::iterator it, std::uint64_t from, std::uint64_t to);
    [[nodiscard]] static std::uint64_t charge_of(std::uint64_t offset, const Piece& piece);
    void add_fresh(std::uint64_t offset, std::uint64_t end, const std::byte* src);
    void deliver_ready();
    void store_fresh();
    [[nodiscard]] std::uint64_t first_held_offset() const;
    void deliver(std::uint64_t offset, std::span<const std::byte> bytes, FrameIndex frame, ByteRange segment);
    void declare_missing(std::uint64_t end, MissingReason reason);
    void remember(std::uint64_t offset, std::span<const std::byte> bytes, FrameIndex frame, ByteRange segment);
    void forget_history();
    void drop_runs_before_window();
    void drop_beyond(std::uint64_t offset);
    [[nodiscard]] bool take(std::uint64_t charge);
    void give_back(std::uint64_t charge);

    StreamSink& sink_;
    StreamBudget& budget_;
    StreamLimits limits_;
    std::uint64_t next_ = 0;      ///< every offset below was delivered or declared missing
    Pieces pieces_;               ///< by offset, disjoint, all above next_
    std::uint64_t buffered_ = 0;  ///< charge of pieces_
    std::vector<Fresh> fresh_;    ///< the current segment's new parts, by offset (reused)
    std::size_t fresh_next_ = 0;  ///< the first of them not yet delivered
    Later current_;               ///< the current segment
    // History: the delivered bytes [history_offset_, next_), and which frame each came from.
    std::vector<std::byte> history_;
    std::uint64_t history_offset_ = 0;
    std::uint64_t history_charge_ = 0;  ///< capacity taken from the budget
    std::vector<Run> runs_;
    std::size_t runs_head_ = 0;
    std::optional<std::uint64_t> fin_;
    bool rst_seen_ = false;
    bool finished_ = false;
    StreamTotals totals_;
};

}  // namespace tfx::stream
