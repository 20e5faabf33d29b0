// Records built in place in chunked slots (flow/slot_array.hpp).

#include <gtest/gtest.h>

#include <string>

#include "flow/slot_array.hpp"

using namespace tfx;

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
