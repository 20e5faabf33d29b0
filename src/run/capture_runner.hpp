#pragma once
// Runs one capture (file, stdin or live interface) through the pipeline into a sink.
// Shared by the walkthrough command and `check`, so both read captures the same way.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "flow/shard.hpp"
#include "ingest/output_file.hpp"
#include "run/progress.hpp"
#include "tfx/language.hpp"
#include "tfx/result.hpp"
#include "tfx/session.hpp"

namespace tfx::run {

struct InputSpec {
    std::string path;  ///< capture file, or "-" for stdin; empty when live
    /// Several capture files read as one capture (ingest/capture_set.hpp); `path` is then
    /// unused. Fewer than two: `path` is read.
    std::vector<std::string> files;
    /// With `files`: a file that cannot be opened (missing, damaged header) is skipped and
    /// named in the capture summary, instead of ending the run.
    bool keep_going = false;
    /// The language of the sentence that says why reading stopped early
    /// (CaptureSummary::truncation_message).
    Language language = Language::En;
    /// --shard I/N: analyse only that shard's connections (flow/shard.hpp).
    std::optional<flow::Shard> shard;
    std::string interface;                     ///< live capture interface (-i); empty for files
    std::string filter;                        ///< BPF expression, empty for none
    std::optional<std::uint64_t> max_packets;  ///< -c N: stop after N packets
    std::string write_path;                    ///< -w FILE: also save the packets read
    std::string drop_to_user;                  ///< -Z USER: drop root once the input is open
    int snaplen = 262144;
    bool promiscuous = false;
    /// Read, decode and find connection slots on a second thread (run/ingest_thread.hpp);
    /// same output. Only for files without -w: ignored for live captures and when writing
    /// packets. The commands' default is ingest_thread_pays().
    bool ingest_thread = false;
    /// Whether the sink reads segments' payload bytes (AnnotatedSegment::payload: `-A`,
    /// `-X`). When false the ingest thread hands frames over without their bytes, which
    /// nothing else reads after decoding (the payload is then empty).
    bool payload_needed = true;
    /// The CPU the ingest thread confines itself to (cpu_placement.hpp); none: anywhere.
    std::optional<int> helper_cpu;
    /// Files only: a progress line on a terminal's standard error (progress.hpp says when).
    bool progress = false;
    std::chrono::milliseconds progress_interval = ProgressLine::kDefaultInterval;
    /// Live only: called once the capture handle is open and the filter installed, i.e.
    /// packets from now on are captured (used by `check -- command`).
    std::function<void()> on_capturing;
    /// Called once the input is open and privileges are dropped, before -w is opened and
    /// before any frame is read: opens the caller's own output files (`check --junit`), as
    /// the user -Z named. `inputs` are the files read (one or several; none live), which
    /// they must not be (ingest::refuse_input). An error ends the run before anything is read.
    std::function<std::optional<Error>(std::span<const ingest::FileIdentity> inputs)> open_outputs;
};

/// Whether the ingest thread makes a capture file faster on this machine: when there is a
/// second core, whatever the output (measured beside the JSON renderers too, where three
/// threads share two cores: docs/benchmarks.md).
[[nodiscard]] bool ingest_thread_pays();

/// Exit statuses of the walkthrough command (documented in README and --help).
namespace exit_code {
inline constexpr int kOk = 0;
inline constexpr int kExpectationFailed = 1;  ///< check only
inline constexpr int kUsage = 2;
inline constexpr int kCannotOpen = 3;
inline constexpr int kNotACapture = 4;
inline constexpr int kUnsupportedLink = 5;
inline constexpr int kBadFilter = 6;
inline constexpr int kPermission = 7;
inline constexpr int kIo = 8;
inline constexpr int kTruncated = 9;  ///< only with --strict
inline constexpr int kInternal = 10;  ///< out of memory, or an internal error (an exception)
/// A capture file whose reading SIGINT or SIGTERM stopped: 128 + the signal (130, 143), as
/// shells report a command killed by it. A live capture ended so exits 0.
[[nodiscard]] int interrupted(int signal);
}  // namespace exit_code

[[nodiscard]] int exit_code_for(ErrorKind kind);

/// Set by SIGINT/SIGTERM handlers; the runner stops reading and finishes cleanly.
std::atomic<bool>& stop_requested();
/// Clears a stop (request or signal) left by a previous run in this process.
void clear_stop();
/// Asks a running capture to stop (from any thread), as SIGINT would.
void request_stop();
/// Installs SIGINT/SIGTERM handlers that set stop_requested() and break a live capture loop.
void install_stop_handlers();

/// Opens the input, streams every frame through a Session into `sink`, finishes the session
/// (so the sink sees every conversation closed and the capture summary). Returns the
/// summary, or the error that prevented reading (nothing was fed to the sink then).
/// With -Z, privileges are dropped as soon as the input is open, for files as for live
/// captures, before -w and open_outputs; an unknown user is refused before anything opens.
/// A file read stopped by SIGINT/SIGTERM returns (and the sink's summary carries)
/// CaptureSummary::interrupted.
[[nodiscard]] Result<CaptureSummary> run_capture(const InputSpec& input, const Options& options, EventSink& sink);

}  // namespace tfx::run
