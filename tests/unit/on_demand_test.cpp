// OnDemand (analysis/on_demand.hpp): nothing allocated until use(), copies own their value,
// moves hand it over, release() frees it.

#include <gtest/gtest.h>

#include <array>
#include <utility>

#include "analysis/on_demand.hpp"

namespace {

using Blocks = std::array<int, 4>;
using tfx::analysis::OnDemand;

TEST(OnDemand, NothingIsAllocatedBeforeTheFirstUse) {
    const OnDemand<Blocks> d;
    EXPECT_FALSE(d.allocated());
    EXPECT_EQ(sizeof(d), sizeof(void*));  // one pointer inline, whatever the value's size
}

TEST(OnDemand, TheFirstUseAllocatesAZeroedValueAndLaterUsesKeepIt) {
    OnDemand<Blocks> d;
    Blocks& first = d.use();
    EXPECT_TRUE(d.allocated());
    EXPECT_EQ(first, (Blocks{0, 0, 0, 0}));
    first[2] = 7;
    EXPECT_EQ(&d.use(), &first);
    EXPECT_EQ((*d)[2], 7);
}

TEST(OnDemand, ACopyOwnsItsOwnValue) {
    OnDemand<Blocks> d;
    d.use()[0] = 1;
    OnDemand<Blocks> copy = d;
    ASSERT_TRUE(copy.allocated());
    EXPECT_NE(&*copy, &*d);
    copy.use()[0] = 2;
    EXPECT_EQ((*d)[0], 1);
    EXPECT_EQ((*copy)[0], 2);
    // Assigning an unused one empties the target.
    copy = OnDemand<Blocks>{};
    EXPECT_FALSE(copy.allocated());
    const OnDemand<Blocks> empty;
    OnDemand<Blocks> target = d;
    target = empty;
    EXPECT_FALSE(target.allocated());
    EXPECT_TRUE(d.allocated());
}

TEST(OnDemand, AMoveHandsTheValueOver) {
    OnDemand<Blocks> d;
    Blocks* value = &d.use();
    (*value)[3] = 9;
    OnDemand<Blocks> moved = std::move(d);
    EXPECT_FALSE(d.allocated());  // NOLINT(bugprone-use-after-move): a moved-from one is empty
    ASSERT_TRUE(moved.allocated());
    EXPECT_EQ(&*moved, value);
    EXPECT_EQ((*moved)[3], 9);
}

TEST(OnDemand, ReleaseFreesAndTheNextUseStartsAfresh) {
    OnDemand<Blocks> d;
    d.use()[1] = 5;
    d.release();
    EXPECT_FALSE(d.allocated());
    EXPECT_EQ(d.use()[1], 0);
}

}  // namespace
