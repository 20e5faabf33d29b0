#include "explain/stream_text.hpp"

#include <fmt/compile.h>

#include "text/append.hpp"

namespace tfx::explain {

using text::append;

namespace {
template <typename N>
const char* plural(N n) {
    return n == 1 ? "" : "s";
}
template <typename N>
const char* were(N n) {
    return n == 1 ? "was" : "were";
}
}  // namespace

bool stream_worth_saying(const SegmentStream& st) {
    return st.duplicate_bytes || st.overlapping_bytes || st.beyond_fin_bytes || st.before_start_bytes;
}

void append_segment_stream(fmt::memory_buffer& out, const SegmentStream& st) {
    append(out, FMT_COMPILE("stream {}:{}:"), st.offset, st.end);
    if (st.duplicate_bytes)
        append(out, FMT_COMPILE(" {} {} byte{} {} already seen (duplicate)."),
               st.duplicate_bytes == 1 ? "this" : "these", st.duplicate_bytes, plural(st.duplicate_bytes),
               were(st.duplicate_bytes));
    if (st.overlapping_bytes)
        append(out, FMT_COMPILE(" {} byte{} {} already seen (overlapping), {} new."), st.overlapping_bytes,
               plural(st.overlapping_bytes), were(st.overlapping_bytes), st.new_bytes);
    if (st.inconsistent_bytes)
        append(out,
               FMT_COMPILE(" {} of them differ from the first copy (inconsistent retransmission): the first copy "
                           "is kept."),
               st.inconsistent_bytes);
    if (st.uncompared_bytes)
        append(out, FMT_COMPILE(" {} could not be compared: their first copy is no longer held."), st.uncompared_bytes);
    if (st.beyond_fin_bytes)
        append(out, FMT_COMPILE(" {} byte{} at or past the FIN: not part of the stream."), st.beyond_fin_bytes,
               plural(st.beyond_fin_bytes));
    if (st.before_start_bytes)
        append(out, FMT_COMPILE(" {} byte{} before the stream's start (sent before the capture began)."),
               st.before_start_bytes, plural(st.before_start_bytes));
}

void append_stream_stats(fmt::memory_buffer& out, const StreamStats& st) {
    append(out, FMT_COMPILE("{} byte{} delivered, {} missing"), st.delivered_bytes, plural(st.delivered_bytes),
           st.missing_bytes);
    if (st.missing_ranges) append(out, FMT_COMPILE(" ({} range{})"), st.missing_ranges, plural(st.missing_ranges));
    if (st.duplicate_bytes) append(out, FMT_COMPILE(", {} duplicate"), st.duplicate_bytes);
    if (st.overlapping_bytes) append(out, FMT_COMPILE(", {} overlapping"), st.overlapping_bytes);
    if (st.inconsistent_retransmissions)
        append(out, FMT_COMPILE(", {} inconsistent retransmission{} ({} byte{} differ)"),
               st.inconsistent_retransmissions, plural(st.inconsistent_retransmissions), st.inconsistent_bytes,
               plural(st.inconsistent_bytes));
    if (st.beyond_fin_bytes) append(out, FMT_COMPILE(", {} past the FIN"), st.beyond_fin_bytes);
    if (st.before_start_bytes) append(out, FMT_COMPILE(", {} before the start"), st.before_start_bytes);
}

}  // namespace tfx::explain
