#include "explain/stream_text.hpp"

#include "i18n/catalogue.hpp"

namespace tfx::explain {

using i18n::Msg;
using i18n::say;

bool stream_worth_saying(const SegmentStream& st) {
    return st.duplicate_bytes || st.overlapping_bytes || st.beyond_fin_bytes || st.before_start_bytes;
}

void append_segment_stream(fmt::memory_buffer& out, const SegmentStream& st, Language lang) {
    say(out, lang, Msg::StreamRange, {st.offset, st.end});
    if (st.duplicate_bytes) say(out, lang, Msg::StreamDuplicate, {st.duplicate_bytes});
    if (st.overlapping_bytes) say(out, lang, Msg::StreamOverlapping, {st.overlapping_bytes, st.new_bytes});
    if (st.inconsistent_bytes) say(out, lang, Msg::StreamInconsistent, {st.inconsistent_bytes});
    if (st.uncompared_bytes) say(out, lang, Msg::StreamUncompared, {st.uncompared_bytes});
    if (st.beyond_fin_bytes) say(out, lang, Msg::StreamBeyondFin, {st.beyond_fin_bytes});
    if (st.before_start_bytes) say(out, lang, Msg::StreamBeforeStart, {st.before_start_bytes});
}

void append_stream_stats(fmt::memory_buffer& out, const StreamStats& st, Language lang) {
    say(out, lang, Msg::StreamStatsDelivered, {st.delivered_bytes, st.missing_bytes});
    if (st.missing_ranges) say(out, lang, Msg::StreamStatsRanges, {st.missing_ranges});
    if (st.duplicate_bytes) say(out, lang, Msg::StreamStatsDuplicate, {st.duplicate_bytes});
    if (st.overlapping_bytes) say(out, lang, Msg::StreamStatsOverlapping, {st.overlapping_bytes});
    if (st.inconsistent_retransmissions)
        say(out, lang, Msg::StreamStatsInconsistent, {st.inconsistent_retransmissions, st.inconsistent_bytes});
    if (st.beyond_fin_bytes) say(out, lang, Msg::StreamStatsBeyondFin, {st.beyond_fin_bytes});
    if (st.before_start_bytes) say(out, lang, Msg::StreamStatsBeforeStart, {st.before_start_bytes});
}

}  // namespace tfx::explain
