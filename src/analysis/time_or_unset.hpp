#pragma once
// An optional time in the room of the time alone. A std::optional of a 64-bit time takes 16
// bytes; a connection record holds several, for as long as it lives.

#include <optional>

namespace tfx::analysis {

/// A std::chrono duration or time point, or unset, in 8 bytes: the type's minimum stands for
/// "unset". The session clamps capture times to +-(2^62 - 1) ns (SessionEngine::normalized),
/// so neither a capture time nor the difference of two is ever the minimum. Reads like the
/// std::optional it replaces, and converts to and from one.
template <typename Time>
class TimeOrUnset {
public:
    constexpr TimeOrUnset() = default;
    constexpr TimeOrUnset(std::nullopt_t) {}                // NOLINT(google-explicit-constructor): as std::optional
    constexpr TimeOrUnset(Time time) : time_(time) {}       // NOLINT(google-explicit-constructor)
    constexpr TimeOrUnset(const std::optional<Time>& time)  // NOLINT(google-explicit-constructor)
        : time_(time.value_or(kUnset)) {}

    [[nodiscard]] constexpr bool has_value() const { return time_ != kUnset; }
    constexpr explicit operator bool() const { return has_value(); }
    /// The time (only when has_value()).
    [[nodiscard]] constexpr const Time& operator*() const { return time_; }
    [[nodiscard]] constexpr const Time* operator->() const { return &time_; }
    constexpr operator std::optional<Time>() const {  // NOLINT(google-explicit-constructor)
        return has_value() ? std::optional<Time>{time_} : std::nullopt;
    }

private:
    static constexpr Time kUnset = Time::min();
    Time time_ = kUnset;
};

}  // namespace tfx::analysis
