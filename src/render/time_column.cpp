#include "render/time_column.hpp"

#include <fmt/compile.h>

#include <chrono>
#include <ctime>

#include "text/append.hpp"

namespace tfx::render {

namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

// Whole seconds (rounded down) and the microseconds after them, negative times included.
struct SecondsAndMicros {
    std::int64_t seconds;
    std::int64_t micros;
};

SecondsAndMicros split(Timestamp ts) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(ts);
    return {seconds.count(), (ts - seconds).count() / 1000};
}

// The local time zone's offset from UTC at `seconds`, in seconds (east positive).
std::int64_t local_offset(std::int64_t seconds) {
    const auto t = static_cast<std::time_t>(seconds);
    std::tm local{};
    if (localtime_r(&t, &local) == nullptr) return 0;
    return local.tm_gmtoff;
}

}  // namespace

void append_wall_time(fmt::memory_buffer& out, Timestamp ts, bool localtime) {
    auto [seconds, micros] = split(ts);
    const std::int64_t offset = localtime ? local_offset(seconds) : 0;
    seconds += offset;
    using namespace std::chrono;
    const sys_seconds shifted{std::chrono::seconds(seconds)};
    const auto day = floor<days>(shifted);
    const year_month_day date{day};
    const hh_mm_ss time{shifted - day};
    text::append(out, FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}"), static_cast<int>(date.year()),
                 static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), time.hours().count(),
                 time.minutes().count(), time.seconds().count(), micros);
    if (!localtime) {
        out.push_back('Z');
        return;
    }
    const std::int64_t magnitude = offset < 0 ? -offset : offset;
    text::append(out, FMT_COMPILE("{}{:02}:{:02}"), offset < 0 ? '-' : '+', magnitude / 3600, magnitude % 3600 / 60);
}

void append_epoch_time(fmt::memory_buffer& out, Timestamp ts) {
    // Printed as sign and magnitude, so a time before 1970 reads -0.5 and not -1 + 0.5.
    const std::int64_t ns = ts.count();
    const std::uint64_t magnitude = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    constexpr auto kPerSecond = static_cast<std::uint64_t>(kNanosPerSecond);
    text::append(out, FMT_COMPILE("{}{}.{:06}"), ns < 0 ? "-" : "", magnitude / kPerSecond,
                 magnitude % kPerSecond / 1000);
}

void TimeColumn::append(fmt::memory_buffer& out, const AnnotatedSegment& s) {
    switch (format_) {
        case TimeFormat::Connection: text::append_signed_seconds(out, s.since_start); return;
        case TimeFormat::Relative: text::append_signed_seconds(out, s.since_capture_start); return;
        case TimeFormat::Delta: {
            // A connection's first segment shown is at +0.
            const auto last = last_shown_.try_emplace(s.conversation, s.ts).first;
            text::append_signed_seconds(out, s.ts - last->second);
            last->second = s.ts;
            return;
        }
        case TimeFormat::Wall: append_wall_time(out, s.ts, localtime_); return;
        case TimeFormat::Epoch: append_epoch_time(out, s.ts); return;
    }
}

}  // namespace tfx::render
