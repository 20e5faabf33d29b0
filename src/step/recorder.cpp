#include "step/recorder.hpp"

#include <sys/types.h>

#include <algorithm>
#include <cstdlib>
#include <span>

namespace tfx::step {

namespace {

// The renderer writes to a FILE whose bytes go to the recorder: the walkthrough's text stays
// in memory, cut into one block per segment as the renderer flushes each event.
ssize_t write_to_recorder(void* cookie, const char* bytes, std::size_t size) {
    static_cast<Recorder*>(cookie)->take({bytes, size});
    return static_cast<ssize_t>(size);
}

std::FILE* recorder_file(Recorder* recorder) {
    cookie_io_functions_t io{};
    io.write = write_to_recorder;
    return fopencookie(recorder, "w", io);
}

}  // namespace

Recorder::Recorder(OutputFormat format, const RenderOptions& options) : format_(format), options_(options) {
    if (format_ == OutputFormat::Text) {
        file_ = recorder_file(this);
        if (file_ == nullptr) std::abort();  // only when memory runs out
        RenderOptions flushed = options_;
        flushed.flush_each_event = true;
        renderer_ = make_renderer(OutputFormat::Text, file_, flushed);
    }
}

Recorder::~Recorder() {
    renderer_.reset();
    if (file_ != nullptr) std::fclose(file_);
}

void Recorder::take(std::string_view bytes) {
    if (!over_bound_) text_.append(bytes);
}

std::size_t Recorder::rendered_size() {
    std::fflush(file_);
    return text_.size();
}

void Recorder::capture_started(const CaptureInfo& info) {
    if (renderer_) renderer_->capture_started(info);
}

void Recorder::conversation_opened(const ConversationSummary& opening) {
    if (renderer_) {
        renderer_->conversation_opened(opening);
    } else if (!over_bound_) {
        openings_.emplace(opening.id, opening);
    }
}

void Recorder::segment(const AnnotatedSegment& seg) {
    std::size_t end = 0;
    if (renderer_) {
        renderer_->segment(seg);
        end = rendered_size();
        const std::size_t begin = stops_.empty() ? 0 : stops_.back().text_end;
        if (end == begin && !over_bound_) return;  // a segment the walkthrough leaves out
    } else if (seg.conversation == 0 || !seg.has_tcp) {
        return;  // malformed frames belong to no ladder
    }
    if (over_bound_) return;
    if (stops_.size() == kMaxStops) {
        over_bound_ = true;
        return;
    }
    Stop stop;
    stop.frame = seg.frame;
    stop.conversation = seg.conversation;
    stop.text_begin = stops_.empty() ? 0 : stops_.back().text_end;
    stop.text_end = end;
    stop.changes = seg.changes;
    stop.change_count = seg.change_count;
    stops_.push_back(stop);
    if (!renderer_) {
        AnnotatedSegment kept = seg;
        kept.payload = {};
        kept.content_hint = nullptr;
        kept.stream.reset();
        segments_.push_back(kept);
    }
}

void Recorder::conversation_closed(const ConversationSummary& summary) {
    if (!renderer_) return;
    renderer_->conversation_closed(summary);
    // A connection's summary goes with the segment it follows.
    if (!stops_.empty()) stops_.back().text_end = rendered_size();
}

void Recorder::capture_finished(const CaptureSummary& summary) {
    if (renderer_) {
        renderer_->capture_finished(summary);
        if (!stops_.empty()) stops_.back().text_end = rendered_size();
    }
    settle_states();
}

// Each side's state before its first change is where that change starts from ("server
// LISTEN" before the SYN-ACK): known once the whole capture is read.
void Recorder::settle_states() {
    std::map<ConversationId, std::array<TcpState, 2>> now;
    for (const Stop& stop : stops_) {
        auto& initial =
            now.try_emplace(stop.conversation, std::array{TcpState::Unknown, TcpState::Unknown}).first->second;
        for (const StateChange& change : std::span(stop.changes).first(stop.change_count)) {
            TcpState& side = initial[static_cast<std::size_t>(index_of(change.endpoint))];
            if (side == TcpState::Unknown) side = change.from;
        }
    }
    for (Stop& stop : stops_) {
        auto& states = now[stop.conversation];
        for (const StateChange& change : std::span(stop.changes).first(stop.change_count))
            states[static_cast<std::size_t>(index_of(change.endpoint))] = change.to;
        stop.states = states;
    }
}

std::string Recorder::screen_text(std::size_t i) const {
    if (i >= stops_.size()) return {};
    if (renderer_) {
        const Stop& stop = stops_[i];
        return text_.substr(stop.text_begin, stop.text_end - stop.text_begin);
    }
    return ladder_until(i);
}

// The ladder of stop i's connection, its rows up to stop i: the last arrow is the segment
// this screen is about. Drawn by the ladder renderer from the segments kept.
std::string Recorder::ladder_until(std::size_t i) const {
    const ConversationId id = stops_[i].conversation;
    char* data = nullptr;
    std::size_t size = 0;
    std::FILE* out = open_memstream(&data, &size);
    if (out == nullptr) return {};
    {
        auto ladder = make_renderer(OutputFormat::Ladder, out, options_);
        ConversationSummary opening;
        opening.id = id;
        if (const auto it = openings_.find(id); it != openings_.end()) opening = it->second;
        ladder->conversation_opened(opening);
        for (std::size_t k = 0; k <= i; ++k)
            if (segments_[k].conversation == id) ladder->segment(segments_[k]);
        ladder->conversation_closed(opening);
        CaptureSummary one;
        one.conversations = 1;
        ladder->capture_finished(one);
    }
    std::fclose(out);
    std::string drawn(data, size);
    std::free(data);
    return drawn;
}

}  // namespace tfx::step
