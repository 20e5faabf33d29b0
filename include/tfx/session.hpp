#pragma once
/// The streaming pipeline: frames in, events out.
///
///   RawFrame -> decode -> flow table -> TCP endpoint state machines -> analysis
///            -> AnnotatedSegment / ConversationSummary events -> EventSink
///
/// One pass; each frame leaves as events before the next is read. Memory is bounded by
/// the connections alive at once: closed ones are finalised and dropped, idle ones expire
/// on capture time, and `max_connections` caps the table.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tfx/conversation.hpp"
#include "tfx/link_types.hpp"
#include "tfx/result.hpp"
#include "tfx/segment.hpp"
#include "tfx/types.hpp"

namespace tfx {

class FrameFiles;

/// One captured frame, as the ingest stage hands it over. `data` is valid only during
/// Session::feed.
struct RawFrame {
    FrameIndex index = 0;
    Timestamp ts{};
    int link_type = linktype::kEthernet;
    std::uint32_t caplen = 0;
    std::uint32_t wirelen = 0;
    std::span<const std::byte> data;
};

struct CaptureInfo {
    std::string source;  ///< file basename, "-" for stdin, or the interface name
    bool live = false;
    std::string format;  ///< "pcap", "pcapng", or "live"
    std::string filter;  ///< BPF expression, empty if none
    std::vector<int> link_types;
    std::uint32_t snaplen = 0;
    bool nanosecond = false;  ///< file stored nanosecond timestamps
    /// Several files read as one capture (merged by timestamp): their paths as given, in
    /// that order; `source` names the first. Empty when one input is read.
    std::vector<std::string> files;
    /// With several files: which of `files` each frame came from (tfx/frame_files.hpp),
    /// filled as the frames are read. Null when one input is read.
    std::shared_ptr<const FrameFiles> frame_files;
    /// Files left out of the capture (--keep-going): missing or with a damaged header.
    struct SkippedFile {
        std::string path;
        /// Why it could not be read: reason.text(language) says it, reason.message in
        /// English, code(reason.kind) names its kind for machines.
        Error reason;
    };
    std::vector<SkippedFile> skipped_files;
};

/// capture_drop findings that follow each other within CaptureSummary::kDropBurstGap,
/// whatever their connection. Drops in several connections at once point at the capture
/// point (a full capture buffer, an overloaded mirror port), not at one path.
struct CaptureDropBurst {
    Timestamp first_ts{};
    Timestamp last_ts{};
    FrameIndex first_frame = 0;
    FrameIndex last_frame = 0;
    std::uint64_t findings = 0;
    std::uint64_t bytes = 0;
    std::uint64_t connections = 0;  ///< distinct connections with a finding in the burst
};

struct CaptureSummary {
    std::uint64_t frames = 0;
    std::uint64_t tcp_segments = 0;
    std::uint64_t non_tcp = 0;  ///< IP but not TCP (UDP, ICMP, ...), skipped
    std::uint64_t non_ip = 0;   ///< ARP, LLDP, ..., skipped
    std::uint64_t malformed = 0;
    std::uint64_t fragments = 0;
    std::uint64_t conversations = 0;
    std::uint64_t evicted = 0;     ///< conversations dropped by max_connections
    std::uint64_t expired = 0;     ///< conversations finalised by idle timeouts
    std::uint64_t peak_alive = 0;  ///< most conversations tracked at once
    // Capture drops: bytes acknowledged by a receiver that the capture never saw.
    static constexpr Duration kDropBurstGap = std::chrono::milliseconds(200);
    static constexpr std::size_t kDropBurstsKept = 20;
    std::uint64_t capture_drops = 0;  ///< capture_drop findings
    std::uint64_t capture_dropped_bytes = 0;
    std::uint64_t capture_drop_bursts = 0;
    std::vector<CaptureDropBurst> drop_bursts;  ///< the first kDropBurstsKept bursts
    bool truncated = false;                     ///< the capture could not be read to its end
    std::string truncation_message;
    /// A capture file (or stdin) whose reading a signal stopped before its end: frames 1 to
    /// `after_frame` were analysed, the rest of the input was not read. Never set for a live
    /// capture, which normally ends by Ctrl-C.
    struct Interruption {
        int signal = 0;  ///< SIGINT, SIGTERM
        std::uint64_t after_frame = 0;
    };
    std::optional<Interruption> interrupted;
    /// The connections the output was asked to show (the command line's `--conn`): every
    /// connection was analysed, and numbered as in the whole capture, but only these were
    /// rendered. Unset: every connection was shown.
    struct Selection {
        std::vector<ConversationId> connections;  ///< asked for, sorted and distinct
        std::vector<ConversationId> missing;      ///< asked for, but no such connection in the capture
    };
    std::optional<Selection> selection;
    /// The files --keep-going left out (CaptureInfo::skipped_files), in the summary
    /// run_capture returns to its caller; the sinks read them in CaptureInfo.
    std::vector<CaptureInfo::SkippedFile> skipped_files;
    // Live capture only (pcap_stats).
    std::optional<std::uint64_t> kernel_received;
    std::optional<std::uint64_t> kernel_dropped;
    std::optional<std::uint64_t> interface_dropped;
};

/// Events leave the pipeline through this interface. Renderers and collectors implement it.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void capture_started(const CaptureInfo& /*info*/) {}
    /// A connection's first frame was seen (called before its first segment).
    virtual void conversation_opened(const ConversationSummary& /*opening*/) {}
    virtual void segment(const AnnotatedSegment& seg) = 0;
    /// False when segment() does nothing (per-connection outputs): whoever relays events may
    /// then skip the segments (the command line's render thread copies each one it relays).
    [[nodiscard]] virtual bool wants_segments() const { return true; }
    /// The connection is finalised: closed and settled, expired, evicted, or capture ended.
    virtual void conversation_closed(const ConversationSummary& summary) = 0;
    virtual void capture_finished(const CaptureSummary& /*summary*/) {}
};

struct Options {
    /// Connections idle this long (capture time) are finalised. Zeek's tcp_inactivity_timeout.
    Duration idle_timeout = std::chrono::minutes(5);
    /// Half-open attempts (SYN seen, not established) are finalised after this long idle.
    Duration handshake_timeout = std::chrono::seconds(120);
    /// A closed connection (both FINs acked, or RST) is finalised after this long idle:
    /// late retransmissions still belong to it (2 x MSL is far too long for analysis).
    Duration closed_linger = std::chrono::seconds(5);
    /// Most connections tracked at once; the oldest-idle is evicted, with a note.
    std::size_t max_connections = 1'000'000;
    /// Segments remembered per direction for retransmission / RTT analysis.
    std::size_t max_unacked_segments = 4096;
    /// Find what each connection carries from its first bytes (docs/content.md): the segment
    /// that completes a direction's hint carries it, the summary both directions'.
    bool content_hints = false;
    /// Keep a closed connection that lingers for late segments (closed_linger) in a compact,
    /// lossless form instead of its whole record: the same output, about half the peak
    /// memory when most connections alive are closed ones, and more work per connection (it
    /// is written compact and read back once). docs/benchmarks.md, "Lingering
    /// closed connections in compact form".
    bool compact_closed = false;
};

/// The pipeline for one capture. Feed frames in capture order, then finish().
class Session {
public:
    Session(Options options, EventSink& sink);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void start(const CaptureInfo& info);
    void feed(const RawFrame& frame);
    /// Finalises every connection still alive and emits the capture summary.
    /// `truncated_message` non-empty marks a capture that could not be read to its end (cut in
    /// the middle of a record, damaged or unreadable further on): why, for the summary.
    void finish(const std::string& truncated_message = {});
    /// Live capture only: kernel statistics to report at the end.
    void set_kernel_stats(std::uint64_t received, std::uint64_t dropped, std::uint64_t if_dropped);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tfx
