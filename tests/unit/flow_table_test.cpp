// The key index against a std::map reference: random inserts and erases over a key set
// large enough to grow the index several times and form long probe clusters, so
// backward-shift deletion (which moves entries by their stored hash) is exercised where
// it can cut a probe sequence. Also the flow table's LRU order per class, the activity
// lists, the slot records, and the slot assigner's release rule.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <random>
#include <string>
#include <vector>

#include "flow/flow_table.hpp"
#include "flow/key_index.hpp"
#include "flow/slot_array.hpp"
#include "flow/slot_assigner.hpp"

using namespace tfx;
using tfx::flow::FlowTable;
using tfx::flow::TimeoutClass;

namespace {

FlowKey key_of(std::uint32_t n) {
    Endpoint a, b;
    a.addr.version = b.addr.version = 4;
    a.addr.bytes = {10, static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    b.addr.bytes = {192, 0, 2, 1};
    a.port = static_cast<std::uint16_t>(1024 + n % 50000);
    b.port = 443;
    return FlowKey::from(a, b, 0);
}

}  // namespace

TEST(KeyIndex, AgreesWithAMapThroughRandomInsertsAndErases) {
    flow::KeyIndex table;
    std::map<std::uint32_t, std::uint32_t> reference;  // key number -> slot
    std::mt19937 rng(7);
    constexpr std::uint32_t kKeys = 60000;
    for (int step = 0; step < 400000; ++step) {
        const std::uint32_t n = rng() % kKeys;
        const FlowKey k = key_of(n);
        const auto found = table.find(k);
        const auto it = reference.find(n);
        ASSERT_EQ(found.has_value(), it != reference.end()) << "step " << step;
        if (found) {
            ASSERT_EQ(*found, it->second);
            // The likely slot is the key's own, or an earlier one whose hash collides.
            const auto likely = table.likely_slot(flow::KeyIndex::hash(k));
            ASSERT_NE(likely, flow::KeyIndex::kNone);
            ASSERT_TRUE(likely == *found || table.key(likely) != k);
            if (rng() % 2) {
                table.erase(*found);
                reference.erase(it);
            }
        } else {
            const auto slot = table.insert(k, flow::KeyIndex::hash(k));
            ASSERT_EQ(table.key(slot), k);
            reference[n] = slot;
        }
        ASSERT_EQ(table.size(), reference.size());
    }
    for (const auto& [n, slot] : reference) ASSERT_EQ(table.find(key_of(n)), slot);
}

namespace {
std::vector<std::uint8_t> counting_bytes(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i);
    return v;
}
}  // namespace

// The reference vectors: SipHash-2-4 from the paper's appendix and the reference
// implementation (key 00 01 .. 0f, message 00 01 .. of 0, 8, 15 and 63 bytes), SipHash-1-3
// from the reference implementation with the zero key. The same code runs with c = 1, d = 3.
TEST(SipHash, ReferenceVectors) {
    const std::uint64_t k0 = 0x0706050403020100ull;
    const std::uint64_t k1 = 0x0f0e0d0c0b0a0908ull;
    EXPECT_EQ((flow::siphash<2, 4>(k0, k1, counting_bytes(0))), 0x726fdb47dd0e0e31ull);
    EXPECT_EQ((flow::siphash<2, 4>(k0, k1, counting_bytes(8))), 0x93f5f5799a932462ull);
    EXPECT_EQ((flow::siphash<2, 4>(k0, k1, counting_bytes(15))), 0xa129ca6149be45e5ull);
    EXPECT_EQ((flow::siphash<2, 4>(k0, k1, counting_bytes(63))), 0x958a324ceb064572ull);
    EXPECT_EQ((flow::siphash<1, 3>(0, 0, counting_bytes(0))), 0xd1fba762150c532cull);
    EXPECT_EQ((flow::siphash<1, 3>(0, 0, counting_bytes(1))), 0x68a914128e01e473ull);
    const std::string word = "siphash";
    EXPECT_EQ((flow::siphash<1, 3>(0, 0, std::span(reinterpret_cast<const std::uint8_t*>(word.data()), word.size()))),
              0x8264ceeccb16bcbeull);
}

// A keyed hash has no differential that holds for every key. With a hash that xors its seed
// into the first word only, flipping bit 63 of one address word while xoring 2^63 | 2^34
// into the next cancels out whatever the seed: these 8 IPv6 keys would share one hash.
TEST(KeyIndex, HashHasNoSeedIndependentCollisions) {
    const auto flip = [](std::array<std::uint8_t, 16>& a, int word, int bit) {
        a[static_cast<std::size_t>(word * 8 + bit / 8)] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    };
    std::set<std::uint32_t> hashes;
    for (int d = 0; d < 8; ++d) {
        FlowKey k{};
        k.lo.addr.version = 6;
        k.hi.addr.version = 6;
        for (std::uint8_t i = 0; i < 16; ++i) {
            k.lo.addr.bytes[i] = static_cast<std::uint8_t>(0x20 + i);
            k.hi.addr.bytes[i] = static_cast<std::uint8_t>(0x40 + i);
        }
        k.lo.port = 1234;
        k.hi.port = 80;
        auto& a = k.lo.addr.bytes;
        auto& b = k.hi.addr.bytes;
        if ((d & 1) != 0) {
            flip(a, 0, 63);
            flip(a, 1, 63);
            flip(a, 1, 34);
        }
        if ((d & 2) != 0) {
            flip(a, 1, 63);
            flip(b, 0, 63);
            flip(b, 0, 34);
        }
        if ((d & 4) != 0) {
            flip(b, 0, 63);
            flip(b, 1, 63);
            flip(b, 1, 34);
        }
        hashes.insert(flow::KeyIndex::hash(k));
    }
    // Random 32-bit values: all 8 equal has probability 2^-224; a hash that xors its seed
    // into one word only gives 1.
    EXPECT_GT(hashes.size(), 1U);
}

TEST(FlowTable, OldestPerClassFollowsActivity) {
    FlowTable table;
    const auto a = table.insert(key_of(1), TimeoutClass::Handshake, Timestamp{1});
    const auto b = table.insert(key_of(2), TimeoutClass::Handshake, Timestamp{2});
    EXPECT_EQ(table.oldest(TimeoutClass::Handshake), a);
    table.touch(a, TimeoutClass::Handshake, Timestamp{3});
    EXPECT_EQ(table.oldest(TimeoutClass::Handshake), b);
    table.touch(b, TimeoutClass::Closed, Timestamp{4});
    EXPECT_EQ(table.oldest(TimeoutClass::Handshake), a);
    EXPECT_EQ(table.oldest(TimeoutClass::Closed), b);
    EXPECT_EQ(table.last_active(b), Timestamp{4});
    table.erase(b);
    EXPECT_EQ(table.oldest(TimeoutClass::Closed), FlowTable::kNone);
    EXPECT_FALSE(table.find(key_of(2)).has_value());
}

TEST(SlotArray, RecordsAreBuiltInPlaceAndDestroyed) {
    flow::SlotArray<std::string> records;
    records.emplace(700, 40, 'x');  // beyond the first chunk
    EXPECT_EQ(records[700], std::string(40, 'x'));
    EXPECT_EQ(records.find(0), nullptr);
    EXPECT_EQ(records.find(100000), nullptr);
    EXPECT_GE(records.capacity(), 701u);
    records.erase(700);
    EXPECT_EQ(records.find(700), nullptr);
    records.emplace(700, "again");
    EXPECT_EQ(*records.find(700), "again");
}  // the destructor frees what is still built (ASan reports a leak otherwise)

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

TEST(ActivityLists, ContainsAndCountsWhatWasAddedUntilRemoved) {
    flow::ActivityLists lists;
    EXPECT_FALSE(lists.contains(5));
    lists.add(5, TimeoutClass::Open, Timestamp{1});
    lists.add(2, TimeoutClass::Open, Timestamp{2});
    EXPECT_TRUE(lists.contains(5));
    EXPECT_FALSE(lists.contains(3));  // below the largest slot, never added
    EXPECT_EQ(lists.size(), 2U);
    EXPECT_EQ(lists.oldest(TimeoutClass::Open), 5U);
    lists.remove(5);
    EXPECT_FALSE(lists.contains(5));
    EXPECT_EQ(lists.oldest(TimeoutClass::Open), 2U);
    lists.remove(5);  // twice: nothing
    EXPECT_EQ(lists.oldest(TimeoutClass::Open), 2U);
    EXPECT_EQ(lists.size(), 1U);
    lists.add(2, TimeoutClass::Closed, Timestamp{3});  // again: moved, not counted twice
    EXPECT_EQ(lists.size(), 1U);
    EXPECT_EQ(lists.oldest(TimeoutClass::Closed), 2U);
    EXPECT_EQ(lists.oldest(TimeoutClass::Open), flow::ActivityLists::kNone);
}
