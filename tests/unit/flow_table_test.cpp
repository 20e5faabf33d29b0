// The flow table against a std::map reference: random inserts and erases over a key set
// large enough to grow the index several times and form long probe clusters, so
// backward-shift deletion (which moves entries by their stored hash) is exercised where
// it can cut a probe sequence. Also the LRU order per class and the slot records.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "flow/flow_table.hpp"
#include "flow/slot_array.hpp"

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

TEST(FlowTable, AgreesWithAMapThroughRandomInsertsAndErases) {
    FlowTable table;
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
            const auto likely = table.likely_slot(FlowTable::hash(k));
            ASSERT_NE(likely, FlowTable::kNone);
            ASSERT_TRUE(likely == *found || table.key(likely) != k);
            if (rng() % 2) {
                table.erase(*found);
                reference.erase(it);
            }
        } else {
            const auto slot = table.insert(k, TimeoutClass::Open, Timestamp{step});
            ASSERT_EQ(table.key(slot), k);
            reference[n] = slot;
        }
        ASSERT_EQ(table.size(), reference.size());
    }
    for (const auto& [n, slot] : reference) ASSERT_EQ(table.find(key_of(n)), slot);
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
