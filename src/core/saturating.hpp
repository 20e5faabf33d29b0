#pragma once
// Sums of durations that saturate instead of overflowing. Capture times are clamped so that
// any one difference fits a Duration, but a sum of many (RTT samples, think times) can reach
// past it on a damaged or hostile capture's timestamps.

#include <limits>

#include "tfx/types.hpp"

namespace tfx {

[[nodiscard]] inline Duration saturating_add(Duration a, Duration b) {
    Duration::rep sum = 0;
    if (!__builtin_add_overflow(a.count(), b.count(), &sum)) return Duration{sum};
    return b.count() > 0 ? Duration{std::numeric_limits<Duration::rep>::max()}
                         : Duration{std::numeric_limits<Duration::rep>::min()};
}

}  // namespace tfx
