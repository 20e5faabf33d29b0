// One slot per key, released only when no later frame was given it (flow/slot_assigner).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include "flow/key_index.hpp"
#include "flow/slot_assigner.hpp"
#include "support/flow_keys.hpp"

using namespace tfx;
using tfx::test::key_of;

// The release rule (flow/slot_assigner.hpp): a release frees the slot unless a frame at or
// after the release's ticket was given it; freed slots go to other keys.
TEST(SlotAssigner, ReleaseFreesASlotOnlyWhenNoLaterFrameWasGivenIt) {
    flow::SlotAssigner slots;
    const FlowKey a = key_of(1), b = key_of(2);
    const auto h = [](const FlowKey& k) { return flow::KeyIndex::hash(k); };

    const auto s = slots.assign(a, h(a), 1);
    EXPECT_EQ(slots.assign(a, h(a), 2), s);  // one slot per key
    slots.release(s, 3);                     // ended at frame 3; its last frame was 2
    EXPECT_EQ(slots.size(), 0U);
    EXPECT_EQ(slots.assign(b, h(b), 4), s);  // the freed slot serves the next key

    EXPECT_EQ(slots.assign(b, h(b), 6), s);
    slots.release(s, 5);  // frame 6 is in flight: it starts b's next connection in s
    EXPECT_EQ(slots.size(), 1U);
    EXPECT_EQ(slots.assign(b, h(b), 7), s);
    slots.release(s, 7);  // ended while frame 7 (given s) was analysed: 7 starts the next one
    EXPECT_EQ(slots.size(), 1U);
    slots.release(s, 8);
    EXPECT_EQ(slots.size(), 0U);
    slots.release(s, 9);  // a second release of a free slot changes nothing
    EXPECT_EQ(slots.size(), 0U);
}

// Memory follows the keys filed at once, not the keys ever seen.
TEST(SlotAssigner, SlotsAreReusedSoTheTableStaysSmall) {
    flow::SlotAssigner slots;
    std::uint64_t ticket = 0;
    std::uint32_t highest = 0;
    for (std::uint32_t n = 0; n < 100000; n += 2) {  // two connections alive at a time
        const FlowKey k1 = key_of(n), k2 = key_of(n + 1);
        const auto s1 = slots.assign(k1, flow::KeyIndex::hash(k1), ++ticket);
        const auto s2 = slots.assign(k2, flow::KeyIndex::hash(k2), ++ticket);
        highest = std::max({highest, s1, s2});
        ++ticket;
        slots.release(s1, ticket);
        slots.release(s2, ticket);
    }
    EXPECT_EQ(slots.size(), 0U);
    EXPECT_LE(highest, 1U);
}
