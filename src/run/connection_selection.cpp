#include "run/connection_selection.hpp"

#include <algorithm>
#include <utility>

namespace tfx::run {

ConnectionSelection::ConnectionSelection(EventSink& next, std::vector<ConversationId> shown)
    : ForwardingSink(next), shown_(std::move(shown)), seen_(shown_.size(), false) {}

bool ConnectionSelection::shows(ConversationId id) {
    const auto it = std::lower_bound(shown_.begin(), shown_.end(), id);
    if (it == shown_.end() || *it != id) return false;
    seen_[static_cast<std::size_t>(it - shown_.begin())] = true;
    return true;
}

void ConnectionSelection::conversation_opened(const ConversationSummary& opening) {
    if (shows(opening.id)) next().conversation_opened(opening);
}

void ConnectionSelection::segment(const AnnotatedSegment& seg) {
    // Frames that belong to no connection (conversation 0, malformed) are not shown either.
    if (shows(seg.conversation)) next().segment(seg);
}

void ConnectionSelection::conversation_closed(const ConversationSummary& summary) {
    if (shows(summary.id)) next().conversation_closed(summary);
}

void ConnectionSelection::capture_finished(const CaptureSummary& summary) {
    missing_.clear();
    for (std::size_t i = 0; i < shown_.size(); ++i)
        if (!seen_[i]) missing_.push_back(shown_[i]);
    CaptureSummary marked = summary;
    marked.selection = CaptureSummary::Selection{shown_, missing_};
    next().capture_finished(marked);
}

}  // namespace tfx::run
