#include "run/capture_runner.hpp"

#include <csignal>
#include <thread>

#include "ingest/capture_description.hpp"
#include "ingest/capture_set.hpp"
#include "ingest/pcap_reader.hpp"
#include "session/session_engine.hpp"
#include "run/ingest_thread.hpp"
#include "tfx/forwarding_sink.hpp"

namespace tfx::run {

namespace {
// The reader a signal handler may interrupt (live captures block in the kernel).
std::atomic<ingest::CaptureSet*> g_active_reader{nullptr};
// The signal that asked to stop; 0 when none did (request_stop(), or no stop).
std::atomic<int> g_stop_signal{0};

void on_stop_signal(int signo) {
    g_stop_signal.store(signo);
    stop_requested().store(true);
    if (auto* r = g_active_reader.load()) r->break_loop();
}

struct ActiveReader {
    explicit ActiveReader(ingest::CaptureSet& r) { g_active_reader.store(&r); }
    ~ActiveReader() { g_active_reader.store(nullptr); }
    ActiveReader(const ActiveReader&) = delete;
    ActiveReader& operator=(const ActiveReader&) = delete;
};
}  // namespace

std::atomic<bool>& stop_requested() {
    static std::atomic<bool> flag{false};
    return flag;
}

void install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

void clear_stop() {
    g_stop_signal.store(0);
    stop_requested().store(false);
}

int exit_code::interrupted(int signal) { return 128 + signal; }

void request_stop() {
    stop_requested().store(true);
    if (auto* r = g_active_reader.load()) r->break_loop();
}

bool ingest_thread_pays() { return std::thread::hardware_concurrency() >= 2; }

int exit_code_for(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::Usage: return exit_code::kUsage;
        case ErrorKind::CannotOpen: return exit_code::kCannotOpen;
        case ErrorKind::NotACapture: return exit_code::kNotACapture;
        case ErrorKind::UnsupportedLink: return exit_code::kUnsupportedLink;
        case ErrorKind::BadFilter: return exit_code::kBadFilter;
        case ErrorKind::Permission: return exit_code::kPermission;
        case ErrorKind::Io: return exit_code::kIo;
    }
    return exit_code::kIo;
}

namespace {

// Passes every event on, and marks the capture summary of a file read a signal stopped. The
// session's own summary cannot know: it sees frames, not why they stopped coming.
class InterruptionNote final : public ForwardingSink {
public:
    using ForwardingSink::ForwardingSink;
    void interrupted(const CaptureSummary::Interruption& i) { interruption_ = i; }

    void capture_finished(const CaptureSummary& summary) override {
        if (!interruption_) return next().capture_finished(summary);
        CaptureSummary marked = summary;
        marked.interrupted = interruption_;
        next().capture_finished(marked);
    }

private:
    std::optional<CaptureSummary::Interruption> interruption_;
};

}  // namespace

namespace {

// The input: a live interface, one file (or stdin), or several files read as one.
Result<ingest::CaptureSet> open_input(const InputSpec& input) {
    if (input.files.size() >= 2) return ingest::CaptureSet::open_files(input.files, input.filter, input.keep_going);
    auto opened = !input.interface.empty()
                      ? ingest::PcapReader::open_live(input.interface, input.snaplen, input.promiscuous)
                      : ingest::PcapReader::open_file(input.files.size() == 1 ? input.files[0] : input.path);
    if (!opened) return opened.error();
    return ingest::CaptureSet(std::move(opened.value()));
}

// Several files: the capture is named by its files, and the ones skipped are said.
void describe_files(const ingest::CaptureSet& reader, CaptureInfo& info) {
    info.link_types = reader.link_types();
    info.files = reader.files();
    info.frame_files = reader.frame_files();
    for (const auto& s : reader.skipped()) info.skipped_files.push_back(CaptureInfo::SkippedFile{s.path, s.reason});
}

}  // namespace

Result<CaptureSummary> run_capture(const InputSpec& input, const Options& options, EventSink& output) {
    const bool live = !input.interface.empty();
    if (!input.drop_to_user.empty()) {
        if (auto u = ingest::PcapReader::known_user(input.drop_to_user); !u) return u.error();
    }
    auto opened = open_input(input);
    if (!opened) return opened.error();
    ingest::CaptureSet& reader = opened.value();
    if (!input.filter.empty()) {
        if (auto f = reader.set_filter(input.filter); !f) return f.error();
    }
    // As tcpdump does: drop root as soon as the input (file, stdin or interface) is open,
    // before any packet is parsed, so a hostile file is parsed and the -w file created by
    // the unprivileged user.
    if (!input.drop_to_user.empty()) {
        if (auto d = ingest::PcapReader::drop_privileges(input.drop_to_user); !d) return d.error();
    }
    if (input.open_outputs) {
        if (auto e = input.open_outputs(reader.input_identities())) return *e;
    }
    if (!input.write_path.empty()) {
        if (auto w = reader.open_dump(input.write_path); !w) return w.error();
    }

    CaptureInfo info = ingest::describe_capture(reader.first(), live                 ? input.interface
                                                                     : input.files.empty() ? input.path
                                                                                           : input.files.front(),
                                                     input.filter, live);
    if (reader.several()) describe_files(reader, info);

    InterruptionNote sink(output);
    detail::SessionEngine session(options, sink);
    if (input.shard) session.keep_only(*input.shard);
    session.start(info);
    ActiveReader active(reader);
    if (input.on_capturing) input.on_capturing();
    ProgressLine progress(input.progress && !live, stderr, input.path, info.format, input.progress_interval);

    std::string truncated;
    std::uint64_t count = 0;
    FrameIndex last_frame = 0;  // the file's own number of the last frame read (a filter skips some)
    // How reading ended: a Truncated or Error status becomes the capture's truncation message
    // in the run's language, unless a stop was asked for (a read the signal interrupted fails
    // with EINTR).
    const auto note_end = [&truncated, &input](ingest::ReadStatus status, const std::string& message,
                                               const std::optional<Error>& problem) {
        if (stop_requested().load()) return;
        if (auto early = ingest::early_end(status, message, problem)) truncated = early->text(input.language);
    };
    if (input.ingest_thread && !live && input.write_path.empty()) {
        IngestThread ingest(reader, input.max_packets, input.payload_needed, input.helper_cpu, input.shard);
        session.release_slots_to(ingest.releases());
        while (!stop_requested().load()) {
            const IngestThread::Frame* ready = ingest.next();
            if (ready == nullptr) {
                note_end(ingest.end_status(), ingest.end_message(), ingest.end_problem());
                break;
            }
            ++count;
            last_frame = ready->frame.index;
            // Frames already routed ahead let their connection's record load while this one
            // is analysed. With ~100k connections alive it is usually a cache (and TLB) miss.
            if (const auto* soon = ingest.peek(4); soon && soon->route.slot != flow::SlotAssigner::kNone)
                session.prefetch_slot(soon->route.slot);
            session.feed_decoded(ready->frame, ready->decoded, ready->route, ready->ticket);
            if (progress.frame(ready->frame.caplen)) progress.show(count, session.conversations());
        }
    } else {
        RawFrame frame;
        std::string message;
        while (!stop_requested().load()) {
            if (input.max_packets && count >= *input.max_packets) break;
            const auto status = reader.next(frame, message);
            if (status == ingest::ReadStatus::Frame) {
                ++count;
                last_frame = frame.index;
                if (!input.write_path.empty()) reader.dump(frame);
                session.feed(frame);
                if (progress.frame(frame.caplen)) progress.show(count, session.conversations());
                continue;
            }
            note_end(status, message, reader.problem());
            break;
        }
        if (!input.write_path.empty()) reader.close_dump();
        if (live) {
            if (const auto st = reader.first().stats())
                session.set_kernel_stats(st->received, st->dropped, st->if_dropped);
        }
    }
    progress.erase();
    // A signal stopped a file before its end: the output must not look complete. (A live
    // capture ends this way normally.)
    std::optional<CaptureSummary::Interruption> interruption;
    if (const int signo = g_stop_signal.load(); signo != 0 && !live && stop_requested().load())
        interruption = CaptureSummary::Interruption{signo, last_frame};
    if (interruption) sink.interrupted(*interruption);
    session.finish(truncated);
    CaptureSummary summary;
    summary.interrupted = interruption;
    summary.truncated = !truncated.empty();
    summary.truncation_message = truncated;
    summary.frames = count;
    summary.skipped_files = info.skipped_files;
    return summary;
}

}  // namespace tfx::run
