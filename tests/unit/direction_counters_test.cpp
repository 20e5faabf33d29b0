// The compact live forms of a connection's statistics and times: what they publish must be
// what they were given, and the rare block exists only while one of its counters is not zero.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>

#include "analysis/direction_counters.hpp"
#include "analysis/time_or_unset.hpp"
#include "tfx/conversation.hpp"

namespace {

using tfx::DirectionStats;
using tfx::Duration;
using tfx::Timestamp;
using tfx::analysis::DirectionCounters;
using tfx::analysis::TimeOrUnset;
using namespace std::chrono_literals;

// Every field of the public struct set to a distinct non-zero value, apart from the two the
// live form leaves to the summary's builder (unique_bytes, final_state).
DirectionStats every_field_set() {
    DirectionStats s;
    s.packets = 1;
    s.payload_bytes = 2;
    s.retransmitted_bytes = 3;
    s.wire_bytes = 4;
    s.mss = 1460;
    s.window_scale = 7;
    s.sack_permitted = true;
    s.timestamps = true;
    s.max_window = std::uint64_t{65535} << 14;
    s.zero_windows = 5;
    s.rsts = 6;
    s.fins = 7;
    s.syns = 8;
    s.rtt_samples = 9;
    s.rtt_min = 10ms;
    s.rtt_max = 11ms;
    s.rtt_sum = 12ms;
    s.reordered_segments = 13;
    s.gaps_filled_by_reordering = 14;
    s.gaps_opened = 15;
    s.gaps_filled_by_retransmission = 16;
    s.capture_drops = 17;
    s.capture_dropped_bytes = 18;
    s.stalls = 19;
    s.stall_time = 20ms;
    s.zero_window_spells = 21;
    s.recoveries = 22;
    s.zero_window_time = 23ms;
    s.recovery_time = 24ms;
    return s;
}

void expect_same(const DirectionStats& a, const DirectionStats& b) {
    EXPECT_EQ(a.packets, b.packets);
    EXPECT_EQ(a.payload_bytes, b.payload_bytes);
    EXPECT_EQ(a.retransmitted_bytes, b.retransmitted_bytes);
    EXPECT_EQ(a.wire_bytes, b.wire_bytes);
    EXPECT_EQ(a.mss, b.mss);
    EXPECT_EQ(a.window_scale, b.window_scale);
    EXPECT_EQ(a.sack_permitted, b.sack_permitted);
    EXPECT_EQ(a.timestamps, b.timestamps);
    EXPECT_EQ(a.max_window, b.max_window);
    EXPECT_EQ(a.zero_windows, b.zero_windows);
    EXPECT_EQ(a.rsts, b.rsts);
    EXPECT_EQ(a.fins, b.fins);
    EXPECT_EQ(a.syns, b.syns);
    EXPECT_EQ(a.rtt_samples, b.rtt_samples);
    EXPECT_EQ(a.rtt_min, b.rtt_min);
    EXPECT_EQ(a.rtt_max, b.rtt_max);
    EXPECT_EQ(a.rtt_sum, b.rtt_sum);
    EXPECT_EQ(a.reordered_segments, b.reordered_segments);
    EXPECT_EQ(a.gaps_filled_by_reordering, b.gaps_filled_by_reordering);
    EXPECT_EQ(a.gaps_opened, b.gaps_opened);
    EXPECT_EQ(a.gaps_filled_by_retransmission, b.gaps_filled_by_retransmission);
    EXPECT_EQ(a.capture_drops, b.capture_drops);
    EXPECT_EQ(a.capture_dropped_bytes, b.capture_dropped_bytes);
    EXPECT_EQ(a.stalls, b.stalls);
    EXPECT_EQ(a.stall_time, b.stall_time);
    EXPECT_EQ(a.zero_window_spells, b.zero_window_spells);
    EXPECT_EQ(a.recoveries, b.recoveries);
    EXPECT_EQ(a.zero_window_time, b.zero_window_time);
    EXPECT_EQ(a.recovery_time, b.recovery_time);
}

TEST(DirectionCounters, PublishesWhatItWasGiven) {
    DirectionCounters c;
    const DirectionStats given = every_field_set();
    c.assign(given);
    ASSERT_NE(c.rare, nullptr);
    expect_same(c.published(), given);
}

TEST(DirectionCounters, EachRareCounterAloneKeepsTheBlock) {
    // A resumed connection must not lose a counter that is its direction's only rare one.
    const DirectionStats all = every_field_set();
    const auto only = [&](auto field) {
        DirectionStats s;
        s.*field = all.*field;
        return s;
    };
    const DirectionStats singles[] = {
        only(&DirectionStats::retransmitted_bytes),
        only(&DirectionStats::capture_dropped_bytes),
        only(&DirectionStats::stall_time),
        only(&DirectionStats::zero_window_time),
        only(&DirectionStats::recovery_time),
        only(&DirectionStats::reordered_segments),
        only(&DirectionStats::gaps_filled_by_reordering),
        only(&DirectionStats::gaps_opened),
        only(&DirectionStats::gaps_filled_by_retransmission),
        only(&DirectionStats::capture_drops),
        only(&DirectionStats::stalls),
        only(&DirectionStats::zero_window_spells),
        only(&DirectionStats::recoveries),
    };
    for (const DirectionStats& s : singles) {
        DirectionCounters c;
        c.assign(s);
        EXPECT_NE(c.rare, nullptr);
        expect_same(c.published(), s);
    }
}

TEST(DirectionCounters, RareBlockOnlyWhenARareCounterMoves) {
    DirectionCounters c;
    DirectionStats common;
    common.packets = 10;
    common.rtt_samples = 3;
    c.assign(common);
    EXPECT_EQ(c.rare, nullptr);
    expect_same(c.published(), common);

    c.use_rare().stalls = 1;
    EXPECT_EQ(c.published().stalls, 1U);
    c.assign(common);  // resumed from a summary without rare counters: the block goes
    EXPECT_EQ(c.rare, nullptr);
    EXPECT_EQ(c.published().stalls, 0U);
}

TEST(DirectionCounters, PublishingOverwritesEveryField) {
    DirectionCounters c;
    DirectionStats common;
    common.packets = 10;
    c.assign(common);
    DirectionStats out = every_field_set();  // a struct that held another direction's values
    c.publish(out);
    expect_same(out, common);
}

TEST(DirectionCounters, MaxWindowKeepsTheLargestAndSaturates) {
    DirectionCounters c;
    c.note_window(1000);
    c.note_window(10);
    EXPECT_EQ(c.published().max_window, 1000U);
    c.note_window(std::uint64_t{65535} << 14);  // the largest scaled window
    EXPECT_EQ(c.published().max_window, std::uint64_t{65535} << 14);
    c.note_window(std::uint64_t{1} << 40);  // none is this large; if one were, it saturates
    EXPECT_EQ(c.published().max_window, 0xffff'ffffU);
}

TEST(TimeOrUnset, UnsetUntilGivenATime) {
    TimeOrUnset<Duration> d;
    EXPECT_FALSE(d);
    EXPECT_EQ(static_cast<std::optional<Duration>>(d), std::nullopt);
    d = Duration::zero();  // zero is a time, not "unset"
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, Duration::zero());
    d = std::nullopt;
    EXPECT_FALSE(d.has_value());
}

TEST(TimeOrUnset, HoldsEveryTimeTheSessionCanProduce) {
    // Capture times are clamped to +-(2^62 - 1) ns; their differences span +-(2^63 - 2).
    constexpr std::int64_t kClamp = (std::int64_t{1} << 62) - 1;
    for (const Timestamp t : {Timestamp{Duration{-kClamp}}, Timestamp{Duration{kClamp}}, Timestamp{}}) {
        const TimeOrUnset<Timestamp> held = t;
        ASSERT_TRUE(held);
        EXPECT_EQ(*held, t);
    }
    for (const Duration d : {Duration{-2 * kClamp}, Duration{2 * kClamp}, Duration{-1}}) {
        const TimeOrUnset<Duration> held = d;
        ASSERT_TRUE(held);
        EXPECT_EQ(static_cast<std::optional<Duration>>(held), std::optional<Duration>{d});
    }
}

TEST(TimeOrUnset, ConvertsFromAnOptional) {
    const TimeOrUnset<Duration> some = std::optional<Duration>{5ms};
    const TimeOrUnset<Duration> none = std::optional<Duration>{};
    ASSERT_TRUE(some);
    EXPECT_EQ(*some, Duration{5ms});
    EXPECT_FALSE(none);
}

}  // namespace
