#include "render/pictures/edge_frames.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "i18n/catalogue.hpp"
#include "tcp/state_graph.hpp"

namespace tfx::render {

std::string_view edge_event(int edge, Language lang) {
    return i18n::word(lang, tcp::transition_table()[static_cast<std::size_t>(edge)].event);
}

std::string frames_label(const TakenEdge& t) {
    std::string out;
    for (std::size_t i = 0; i < t.kept(); ++i)
        fmt::format_to(std::back_inserter(out), "{}#{}", i ? ", " : "", t.frames[i]);
    if (t.count > t.kept()) fmt::format_to(std::back_inserter(out), " \u2026 (+{})", t.count - t.kept());
    return out;
}

std::string side_frames_label(std::span<const TakenEdge> taken, int edge, Role who, Language lang) {
    const auto it = std::find_if(taken.begin(), taken.end(),
                                 [&](const TakenEdge& t) { return t.edge == edge && t.endpoint == who; });
    return fmt::format(
        "{} {}", i18n::role_word(lang, who),
        it == taken.end() ? std::string(i18n::word(lang, i18n::Msg::PicFrameNotKept)) : frames_label(*it));
}

void EdgeFrameLog::record(const AnnotatedSegment& seg) {
    if (seg.conversation == 0 || seg.change_count == 0) return;
    auto& taken = live_[seg.conversation];
    for (const StateChange& c : seg.state_changes()) {
        const auto id = tcp::edge_id(c.from, c.to);
        if (!id) continue;  // an illegal transition is no edge of the diagram
        auto it = std::find_if(taken.begin(), taken.end(),
                               [&](const TakenEdge& t) { return t.edge == *id && t.endpoint == c.endpoint; });
        if (it == taken.end()) it = taken.insert(taken.end(), TakenEdge{*id, c.endpoint, {}, 0});
        if (it->count < TakenEdge::kFramesKept) it->frames[it->count] = seg.frame;
        ++it->count;
    }
}

std::vector<TakenEdge> EdgeFrameLog::take(ConversationId id) {
    const auto it = live_.find(id);
    if (it == live_.end()) return {};
    std::vector<TakenEdge> taken = std::move(it->second);
    live_.erase(it);
    return taken;
}

}  // namespace tfx::render
