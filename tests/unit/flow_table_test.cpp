// The flow table's oldest-first order per timeout class (flow/flow_table.hpp).

#include <gtest/gtest.h>

#include "flow/flow_table.hpp"
#include "support/flow_keys.hpp"

using namespace tfx;
using tfx::flow::FlowTable;
using tfx::flow::TimeoutClass;
using tfx::test::key_of;

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
