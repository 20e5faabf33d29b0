#pragma once
/// Capture files in: read a pcap or pcapng file frame by frame, or run a whole file through
/// a Session in one call.
///
/// \code
///   struct Lines : tfx::EventSink {
///       void segment(const tfx::AnnotatedSegment&) override {}
///       bool wants_segments() const override { return false; }
///       void conversation_closed(const tfx::ConversationSummary& s) override {
///           std::cout << s.client.to_string() << " -> " << s.server.to_string() << '\n';
///       }
///   } lines;
///   const auto summary = tfx::analyze_file("trace.pcap", tfx::Options{}, lines);
///   if (!summary) std::cerr << summary.error().message << '\n';
/// \endcode
///
/// Implemented in the tfx::pcap library (libpcap reads the files); the rest of the public
/// API is in tfx::core, which does not need libpcap.

#include <memory>
#include <string>

#include "tfx/result.hpp"
#include "tfx/session.hpp"

namespace tfx {

/// An open capture file. Move-only; closes the file on destruction.
class CaptureReader {
public:
    /// Opens a pcap or pcapng file ("-" reads standard input). A non-empty `filter` is a BPF
    /// expression (tcpdump's syntax): only the frames it matches are read.
    /// Errors: CannotOpen (missing, unreadable, a directory), NotACapture (empty, bad magic,
    /// damaged header), UnsupportedLink, BadFilter.
    [[nodiscard]] static Result<CaptureReader> open(const std::string& path, const std::string& filter = {});

    CaptureReader(CaptureReader&& other) noexcept;
    CaptureReader& operator=(CaptureReader&& other) noexcept;
    CaptureReader(const CaptureReader&) = delete;
    CaptureReader& operator=(const CaptureReader&) = delete;
    ~CaptureReader();

    /// What Session::start() is told about this capture: its file name, format, link types,
    /// snaplen and timestamp precision.
    [[nodiscard]] const CaptureInfo& info() const;

    /// Reads the next frame into `frame`: indexes are the frame's number in the file, from 1
    /// (frames a filter skips keep theirs: tshark's frame.number), timestamps are nanoseconds,
    /// and `frame.data` stays valid until the next call. False once the capture has ended.
    [[nodiscard]] bool next(RawFrame& frame);

    /// After next() returned false: why the capture ended early (the file ends inside a
    /// record, a read error), or empty when it ended cleanly. Session::finish() takes it.
    [[nodiscard]] const std::string& problem() const;

private:
    struct Impl;
    explicit CaptureReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// Reads the whole file through a Session into `sink`: capture_started(), the connections'
/// events, then capture_finished(). Returns the summary the sink was given, or the error
/// that prevented reading (the sink then saw nothing). Errors as CaptureReader::open().
[[nodiscard]] Result<CaptureSummary> analyze_file(const std::string& path, const Options& options, EventSink& sink,
                                                  const std::string& filter = {});

}  // namespace tfx
