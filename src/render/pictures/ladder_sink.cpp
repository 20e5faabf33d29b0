#include "render/pictures/ladder_sink.hpp"

namespace tfx::render {

void LadderSink::conversation_opened(const ConversationSummary& opening) {
    if (!draws(opening.id)) return;
    open_.try_emplace(opening.id, opening, absolute_, lang_);
}

void LadderSink::segment(const AnnotatedSegment& seg) {
    if (seg.conversation == 0 || !seg.has_tcp) return;  // malformed frames belong to no ladder
    if (!draws(seg.conversation)) return;
    auto it = open_.find(seg.conversation);
    if (it == open_.end()) {
        // A connection whose opening event this sink did not see: its ends from the segment.
        ConversationSummary opening;
        opening.id = seg.conversation;
        opening.client = seg.sender == Role::Client ? seg.src : seg.dst;
        opening.server = seg.sender == Role::Client ? seg.dst : seg.src;
        it = open_.try_emplace(seg.conversation, opening, absolute_, lang_).first;
    }
    it->second.add(seg);
}

void LadderSink::conversation_closed(const ConversationSummary& summary) {
    if (!draws(summary.id)) {
        left_out(summary);
        return;
    }
    const auto it = open_.find(summary.id);
    if (it == open_.end()) {
        draw(LadderBuilder(summary, absolute_, lang_).model(), summary);
        return;
    }
    draw(it->second.model(), summary);
    open_.erase(it);
}

}  // namespace tfx::render
