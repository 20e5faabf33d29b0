// The public face of ingest (include/tfx/capture.hpp): a PcapReader behind a small API.

#include "tfx/capture.hpp"

#include <filesystem>
#include <utility>

#include "ingest/pcap_reader.hpp"

namespace tfx {

struct CaptureReader::Impl {
    explicit Impl(ingest::PcapReader opened) : reader(std::move(opened)) {}
    ingest::PcapReader reader;
    CaptureInfo info;
    std::string problem;
    std::string message;  // the reader's, reused from frame to frame
    bool ended = false;
};

Result<CaptureReader> CaptureReader::open(const std::string& path, const std::string& filter) {
    auto opened = ingest::PcapReader::open_file(path);
    if (!opened) return opened.error();
    if (!filter.empty()) {
        if (auto f = opened->set_filter(filter); !f) return f.error();
    }
    auto impl = std::make_unique<Impl>(std::move(opened.value()));
    const ingest::PcapReader& reader = impl->reader;
    CaptureInfo& info = impl->info;
    info.source = path == "-" ? std::string("-") : std::filesystem::path(path).filename().string();
    info.format = reader.format();
    info.filter = filter;
    info.link_types = reader.link_types();
    info.snaplen = reader.snaplen();
    info.nanosecond = reader.nanosecond_file();
    return CaptureReader(std::move(impl));
}

CaptureReader::CaptureReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CaptureReader::CaptureReader(CaptureReader&& other) noexcept = default;
CaptureReader& CaptureReader::operator=(CaptureReader&& other) noexcept = default;
CaptureReader::~CaptureReader() = default;

const CaptureInfo& CaptureReader::info() const { return impl_->info; }

bool CaptureReader::next(RawFrame& frame) {
    if (impl_->ended) return false;
    switch (impl_->reader.next(frame, impl_->message)) {
        case ingest::ReadStatus::Frame: return true;
        case ingest::ReadStatus::End: break;
        case ingest::ReadStatus::Truncated:
            impl_->problem = impl_->message.empty() ? "truncated capture" : impl_->message;
            break;
        case ingest::ReadStatus::Error:
            impl_->problem = impl_->message.empty() ? "read error" : impl_->message;
            break;
    }
    impl_->ended = true;
    return false;
}

const std::string& CaptureReader::problem() const { return impl_->problem; }

namespace {
// Passes every event on and keeps the capture summary for analyze_file() to return.
class SummaryKeeper final : public EventSink {
public:
    explicit SummaryKeeper(EventSink& sink) : sink_(sink) {}
    void capture_started(const CaptureInfo& info) override { sink_.capture_started(info); }
    void conversation_opened(const ConversationSummary& opening) override { sink_.conversation_opened(opening); }
    void segment(const AnnotatedSegment& seg) override { sink_.segment(seg); }
    [[nodiscard]] bool wants_segments() const override { return sink_.wants_segments(); }
    void conversation_closed(const ConversationSummary& summary) override { sink_.conversation_closed(summary); }
    void capture_finished(const CaptureSummary& summary) override {
        summary_ = summary;
        sink_.capture_finished(summary);
    }
    [[nodiscard]] CaptureSummary& summary() { return summary_; }

private:
    EventSink& sink_;
    CaptureSummary summary_;
};
}  // namespace

Result<CaptureSummary> analyze_file(const std::string& path, const Options& options, EventSink& sink,
                                    const std::string& filter) {
    auto opened = CaptureReader::open(path, filter);
    if (!opened) return opened.error();
    CaptureReader& capture = opened.value();
    SummaryKeeper keeper(sink);
    Session session(options, keeper);
    session.start(capture.info());
    RawFrame frame;
    while (capture.next(frame)) session.feed(frame);
    session.finish(capture.problem());
    return std::move(keeper.summary());
}

}  // namespace tfx
