// The public face of ingest (include/tfx/capture.hpp): a PcapReader behind a small API.

#include "tfx/capture.hpp"

#include <utility>

#include "ingest/capture_description.hpp"
#include "ingest/pcap_reader.hpp"
#include "tfx/forwarding_sink.hpp"

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
    impl->info = ingest::describe_capture(impl->reader, path, filter, /*live=*/false);
    return CaptureReader(std::move(impl));
}

CaptureReader::CaptureReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CaptureReader::CaptureReader(CaptureReader&& other) noexcept = default;
CaptureReader& CaptureReader::operator=(CaptureReader&& other) noexcept = default;
CaptureReader::~CaptureReader() = default;

const CaptureInfo& CaptureReader::info() const { return impl_->info; }

bool CaptureReader::next(RawFrame& frame) {
    if (impl_->ended) return false;
    const auto status = impl_->reader.next(frame, impl_->message);
    if (status == ingest::ReadStatus::Frame) return true;
    if (auto early = ingest::early_end(status, impl_->message, impl_->reader.problem()))
        impl_->problem = early->message;
    impl_->ended = true;
    return false;
}

const std::string& CaptureReader::problem() const { return impl_->problem; }

namespace {
// Passes every event on and keeps the capture summary for analyze_file() to return.
class SummaryKeeper final : public ForwardingSink {
public:
    using ForwardingSink::ForwardingSink;
    void capture_finished(const CaptureSummary& summary) override {
        summary_ = summary;
        next().capture_finished(summary);
    }
    [[nodiscard]] CaptureSummary& summary() { return summary_; }

private:
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
