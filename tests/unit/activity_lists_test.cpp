// The activity lists: slots by timeout class, oldest first (flow/activity_lists).

#include <gtest/gtest.h>

#include "flow/activity_lists.hpp"

using namespace tfx;
using tfx::flow::TimeoutClass;

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
