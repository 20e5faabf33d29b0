#include "render/pictures/edge_frames.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "i18n/catalogue.hpp"
#include "tcp/state_graph.hpp"

namespace tfx::render {

namespace {

// The event of each transition, in tcp::transition_table() order: the RFC's wording in
// English, translated in the other languages (the RFC's calls OPEN, SEND, CLOSE and the
// flags keep their names).
constexpr std::array<i18n::Msg, 33> kEdgeEvents{{
    i18n::Msg::EventPassiveOpen,     i18n::Msg::EventActiveOpen,
    i18n::Msg::EventRcvSyn,          i18n::Msg::EventSend,
    i18n::Msg::EventCloseListener,   i18n::Msg::EventRcvSynSimultaneous,
    i18n::Msg::EventRcvSynAck,       i18n::Msg::EventRcvRstRefused,
    i18n::Msg::EventRcvAckOfSyn,     i18n::Msg::EventCloseSndFin,
    i18n::Msg::EventRcvRstPassive,   i18n::Msg::EventAbort,
    i18n::Msg::EventCloseSndFin,     i18n::Msg::EventRcvFin,
    i18n::Msg::EventAbort,           i18n::Msg::EventRcvAckOfFin,
    i18n::Msg::EventRcvFin,          i18n::Msg::EventRcvFinAckOfFin,
    i18n::Msg::EventAbort,           i18n::Msg::EventRcvFin,
    i18n::Msg::EventAbort,           i18n::Msg::EventCloseSndFin,
    i18n::Msg::EventAbort,           i18n::Msg::EventRcvAckOfFin,
    i18n::Msg::EventRcvRst,          i18n::Msg::EventRcvAckOfFinOrRst,
    i18n::Msg::EventTimeWaitTimeout, i18n::Msg::EventSynchronizedBefore,
    i18n::Msg::EventSynSentBefore,   i18n::Msg::EventSynNotCaptured,
    i18n::Msg::EventFinPredates,     i18n::Msg::EventRcvFinPredates,
    i18n::Msg::EventRstPredates,
}};

}  // namespace

std::string_view edge_event(int edge, Language lang) {
    const auto table = tcp::transition_table();
    const auto i = static_cast<std::size_t>(edge);
    if (i >= kEdgeEvents.size()) return table[i].event;
    return i18n::word(lang, kEdgeEvents[i]);
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
