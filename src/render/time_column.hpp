#pragma once
// The time column of the text walkthrough, in the format --time-format chose (tcpdump's -t
// family, tshark's -t): since the connection's first segment, since the capture's first
// frame, since the previous segment shown of the same connection, wall-clock ISO 8601, or
// seconds since the epoch.

#include <fmt/format.h>

#include <unordered_map>

#include "tfx/render.hpp"
#include "tfx/segment.hpp"

namespace tfx::render {

/// "2026-12-06T15:52:53.123456Z" (UTC), or with the local time zone's offset
/// ("...53.123456+01:00") when `localtime`. Microseconds, truncated as tcpdump does.
void append_wall_time(fmt::memory_buffer& out, Timestamp ts, bool localtime);
/// "1733500373.123456": seconds since 1970-01-01 UTC with microseconds.
void append_epoch_time(fmt::memory_buffer& out, Timestamp ts);

class TimeColumn {
public:
    TimeColumn(TimeFormat format, bool localtime) : format_(format), localtime_(localtime) {}
    /// Appends the time of `s`, which is shown now (Delta remembers it as its connection's last).
    void append(fmt::memory_buffer& out, const AnnotatedSegment& s);
    /// The connection ended: Delta forgets it.
    void forget(ConversationId id) {
        if (format_ == TimeFormat::Delta) last_shown_.erase(id);
    }

private:
    TimeFormat format_;
    bool localtime_;
    std::unordered_map<ConversationId, Timestamp> last_shown_;  ///< Delta: per live connection
};

}  // namespace tfx::render
